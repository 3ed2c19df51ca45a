//! Remembered heads: what this machine saw of each log file, so a log cut
//! short, rewritten or deleted behind sm's back is caught even after the
//! member appends again (Certificate Transparency's rule: a log only
//! grows). The memory itself lives in the user's config folder
//! (`crate::trust::log_heads`); this module says what is compared and how
//! a difference is named.

use std::path::Path;

use crate::error::{Error, Result};

/// What this machine saw of one log file: how many whole entries it held
/// and the hash of the last of them (the `prev` its next entry points at).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Head {
    /// The number of whole entries.
    pub count: u64,
    /// The SHA-256 (hex) of the last whole entry's line.
    pub hash: String,
}

/// This machine's memory of the log files of one store (as opened at one
/// place). Files are named by their path relative to the store root, with
/// `/` between components (`.sm/log/alice/laptop-1a2b.jsonl`).
pub trait HeadMemory {
    /// Returns the remembered head of the log file at `rel`.
    fn get(&self, rel: &str) -> Result<Option<Head>>;
    /// Remembers `head` for the log file at `rel`; `durable` syncs it to
    /// disk before returning.
    fn set(&self, rel: &str, head: &Head, durable: bool) -> Result<()>;
    /// Returns every remembered log file with its head (to find the ones
    /// that are gone).
    fn all(&self) -> Result<Vec<(String, Head)>>;
}

/// What to do when a log is not what this machine saw.
pub const HINT: &str = "restore the log from git (`git log -- PATH` shows who changed it); if the change was deliberate, `sm doctor --reset-trust` forgets what this machine saw";

/// Tells whether a log problem's reason is one of this module's (the log
/// is not what this machine saw), so the command line can add [`HINT`].
pub fn is_freshness(reason: &str) -> bool {
    ["cut: ", "rewritten: ", "missing: "]
        .iter()
        .any(|p| reason.starts_with(p))
}

/// The reason for a log file now holding fewer entries than seen.
pub fn cut(saw: u64, now: u64) -> String {
    format!("cut: this machine saw {saw} entries, now {now}")
}

/// The reason for a log file whose entry at the remembered count is
/// another one.
pub fn rewritten(n: u64) -> String {
    format!("rewritten: entry {n} is not the one this machine saw")
}

/// The reason for a log file that is gone.
pub fn missing(saw: u64) -> String {
    format!("missing: this machine saw {saw} entries")
}

/// Compares what a file holds now (`count` entries, `hash_at` the hash of
/// its entry number `head.count`, if it has that many) with what this
/// machine saw; returns the reason when they differ.
pub fn compare(head: &Head, count: u64, hash_at: Option<&str>) -> Option<String> {
    if count < head.count {
        return Some(cut(head.count, count));
    }
    if head.count > 0 && hash_at != Some(head.hash.as_str()) {
        return Some(rewritten(head.count));
    }
    None
}

/// The integrity error (exit 5) for a log file at `path` that is not what
/// this machine saw.
pub fn error(path: &Path, reason: String) -> Error {
    Error::integrity(path, reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(count: u64) -> Head {
        Head {
            count,
            hash: format!("h{count}"),
        }
    }

    #[test]
    fn a_file_that_grew_from_the_seen_head_is_fine() {
        assert_eq!(compare(&head(3), 3, Some("h3")), None);
        assert_eq!(compare(&head(3), 9, Some("h3")), None);
    }

    #[test]
    fn a_shorter_file_is_cut() {
        assert_eq!(
            compare(&head(5), 2, None).as_deref(),
            Some("cut: this machine saw 5 entries, now 2")
        );
    }

    #[test]
    fn another_entry_at_the_seen_count_is_a_rewrite() {
        assert_eq!(
            compare(&head(5), 7, Some("other")).as_deref(),
            Some("rewritten: entry 5 is not the one this machine saw")
        );
    }
}
