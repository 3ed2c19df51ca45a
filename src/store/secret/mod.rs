//! Operations on secrets: put, get, labels, metadata, deletion, listing,
//! pruning and repair. Every write holds the secret's lock; every read
//! verifies signatures before it trusts a byte. Every file is reached
//! through [`super::safe::StoreFs`], never through a link.
//!
//! The request and answer types, names of a secret's files and the label
//! rules live here; [`read`] reads, [`write`] writes, [`doctor`] repairs.

mod doctor;
mod list;
pub(crate) mod nearest;
mod read;
mod scan_set;
mod tombstone;
mod write;

use std::collections::BTreeMap;
use std::path::PathBuf;

use jiff::Timestamp;
use zeroize::Zeroizing;

pub use doctor::DoctorReport;
pub use scan_set::{ScanListing, ScanStamps, SecretValues};
pub use tombstone::TOMBSTONE_FILE;

use super::Store;
use super::files::{Meta, VersionRecord};
use super::fsio::{Durability, Lock};
use super::name::{self, CURRENT, PREVIOUS};
pub(crate) use super::name::{validate_tag_key, validate_version_id};
use crate::crypto::{self, SecretBytes};
use crate::error::{Error, Result};

/// The suffix of a version record written by a rewrap that has not yet
/// replaced the old record.
pub(crate) const REWRAP_SUFFIX: &str = ".rewrap";

/// The largest value, in bytes.
pub const MAX_VALUE_LEN: usize = 65_536;

/// Which version to read.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Selector {
    /// The version labelled `current`.
    Current,
    /// The version carrying a label.
    Label(String),
    /// A version by id.
    Version(String),
}

/// A request to read one secret.
#[derive(Clone, Debug)]
pub struct GetRequest<'a> {
    /// The secret's name.
    pub name: &'a str,
    /// Which version.
    pub selector: Selector,
}

/// A value read from the store, with what describes it.
pub struct Got {
    /// The version id.
    pub version_id: String,
    /// Its labels.
    pub labels: Vec<String>,
    /// Its record.
    pub record: VersionRecord,
    /// When the secret (not this version) was created, from its metadata.
    pub secret_created: String,
    /// The value, wiped on drop.
    pub value: SecretBytes,
}

/// One labelled version's value, as `sm scan` loads them.
pub struct LabelledValue {
    /// The version id.
    pub id: String,
    /// Its labels.
    pub labels: Vec<String>,
    /// The value, or why it could not be read.
    pub value: Result<SecretBytes>,
}

/// A request to store a new version.
#[derive(Clone, Debug, Default)]
pub struct PutRequest<'a> {
    /// The secret's name.
    pub name: &'a str,
    /// A caller-chosen version id (idempotent retries).
    pub version_id: Option<String>,
    /// Labels for the new version; empty means `current`.
    pub labels: Vec<String>,
    /// A new description.
    pub description: Option<String>,
    /// Tags to set.
    pub tags: Vec<(String, String)>,
    /// Forces the binary encoding.
    pub binary: bool,
    /// Fails with a conflict when the secret exists already (deleted or
    /// not), checked under the secret's lock: of two concurrent creates of
    /// one name exactly one succeeds.
    pub create_only: bool,
    /// Whether to fsync (a batch syncs once at its end instead).
    pub durability: Option<Durability>,
}

/// What a put did.
#[derive(Clone, Debug)]
pub struct PutOutcome {
    /// The version id.
    pub version_id: String,
    /// The labels the version carries now.
    pub labels: Vec<String>,
    /// True when `--version-id` named an existing version with the same value.
    pub unchanged: bool,
    /// True when this put created the secret.
    pub created_secret: bool,
}

/// One version as listed by `sm versions`.
#[derive(Clone, Debug, serde::Serialize)]
pub struct VersionInfo {
    /// The version id.
    pub version_id: String,
    /// Its labels.
    pub labels: Vec<String>,
    /// When it was created.
    pub created: String,
    /// Who wrote it.
    pub author: String,
}

/// One secret as listed by `sm ls`.
#[derive(Clone, Debug)]
pub struct SecretSummary {
    /// The name.
    pub name: String,
    /// Its metadata, or the error reading it.
    pub meta: Result<Meta, String>,
}

/// Returns the current time as stored in files (UTC, RFC 3339, millisecond
/// precision).
pub fn now() -> Timestamp {
    Timestamp::now()
        .round(jiff::Unit::Millisecond)
        .unwrap_or_else(|_| Timestamp::now())
}

/// Formats a time as stored in files: UTC, RFC 3339, always three
/// fractional digits, so that text order is time order.
pub fn format_time(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// Returns [`now`] formatted with [`format_time`].
pub fn now_string() -> String {
    format_time(now())
}

/// Checks a description: at most 2048 characters, no control characters
/// other than newlines.
pub fn validate_description(text: &str) -> Result<&str> {
    if text.chars().count() > 2048 || text.chars().any(|c| c.is_control() && c != '\n') {
        return Err(Error::invalid(
            "descriptions are at most 2048 characters, without control characters",
        ));
    }
    Ok(text)
}

/// Checks a value's size.
pub fn check_value_size(value: &[u8]) -> Result<()> {
    if value.len() > MAX_VALUE_LEN {
        // Readers stop one byte past the limit, so the length read is not
        // the source's size.
        return Err(Error::invalid(format!(
            "the value is larger than the limit of {MAX_VALUE_LEN} bytes"
        ))
        .with_hint("store a key to the data instead of the data itself"));
    }
    Ok(())
}

/// Returns `value` without one trailing newline (`\n` or `\r\n`), the
/// rule for text read from standard input or a pipe (SPEC section 1).
pub fn without_final_newline(value: &[u8]) -> &[u8] {
    value
        .strip_suffix(b"\r\n")
        .or_else(|| value.strip_suffix(b"\n"))
        .unwrap_or(value)
}

impl Store {
    /// Returns the folder of a secret (the name must be valid).
    pub fn secret_dir(&self, name: &str) -> PathBuf {
        name::secret_dir(&self.secrets_dir(), name)
    }

    pub(crate) fn meta_path(&self, name: &str) -> PathBuf {
        self.secret_dir(name).join("meta.toml")
    }

    pub(crate) fn versions_dir(&self, name: &str) -> PathBuf {
        self.secret_dir(name).join("versions")
    }

    fn meta_context(&self, name: &str) -> String {
        format!("{}\n{name}", self.id())
    }

    /// Takes the write lock of one secret (its lock file is opened under
    /// `.sm/locks/` without following links).
    pub fn lock_secret(&self, name: &str) -> Result<Lock> {
        let digest = crypto::sha256_hex(name.as_bytes());
        self.lock(
            &format!("{}.lock", &digest[..32]),
            &format!("secret `{name}`"),
        )
    }

    /// Tells whether a secret exists (deleted or not); a link or special
    /// file in its place is an integrity error.
    pub fn exists(&self, name: &str) -> Result<bool> {
        self.fs.is_file(&self.meta_path(name))
    }
}

/// Fails with exit 3 when `meta` says the secret is scheduled for deletion.
pub(super) fn ensure_live(name: &str, meta: &Meta) -> Result<()> {
    if let Some(d) = &meta.deletion {
        return Err(Error::not_found(format!(
            "secret `{name}` is scheduled for deletion after {}",
            d.purge_after
        ))
        .with_hint(format!("run `sm restore {name}` to keep it")));
    }
    Ok(())
}

/// Moves a label, applying the `current`/`previous` rule.
pub fn move_label(labels: &mut BTreeMap<String, String>, label: &str, to: &str) {
    if label == CURRENT
        && let Some(old) = labels.get(CURRENT).cloned()
        && old != to
    {
        labels.insert(PREVIOUS.to_string(), old);
    }
    labels.insert(label.to_string(), to.to_string());
}

/// Parses `K=V` into a validated tag.
pub fn parse_tag(text: &str) -> Result<(String, String)> {
    let (k, v) = text
        .split_once('=')
        .ok_or_else(|| Error::invalid(format!("tag `{}` is not K=V", name::printable(text))))?;
    validate_tag_key(k)?;
    name::validate_tag_value(v)?;
    Ok((k.to_string(), v.to_string()))
}

/// Wraps bytes read from a user into a zeroizing buffer sized so that it
/// never reallocates (which would leave unwiped copies behind).
pub fn value_buffer() -> SecretBytes {
    Zeroizing::new(Vec::with_capacity(MAX_VALUE_LEN + 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moving_current_moves_previous() {
        let mut labels = BTreeMap::new();
        move_label(&mut labels, CURRENT, "a");
        assert_eq!(labels.get(PREVIOUS), None);
        move_label(&mut labels, CURRENT, "b");
        assert_eq!(labels[CURRENT], "b");
        assert_eq!(labels[PREVIOUS], "a");
        // Moving current to where it is changes nothing.
        move_label(&mut labels, CURRENT, "b");
        assert_eq!(labels[PREVIOUS], "a");
        // Rolling back swaps them.
        move_label(&mut labels, CURRENT, "a");
        assert_eq!(labels[CURRENT], "a");
        assert_eq!(labels[PREVIOUS], "b");
        move_label(&mut labels, "blue", "b");
        assert_eq!(labels[CURRENT], "a");
        assert_eq!(labels["blue"], "b");
    }

    #[test]
    fn tags_parse() {
        assert_eq!(
            parse_tag("env=prod").unwrap(),
            ("env".into(), "prod".into())
        );
        assert_eq!(parse_tag("a=b=c").unwrap(), ("a".into(), "b=c".into()));
        assert!(parse_tag("novalue").is_err());
        assert!(parse_tag("=x").is_err());
        assert!(parse_tag("k=a\nb").is_err());
    }
}

/// Property tests of the label rules: after any sequence of moves, `current`
/// points where it was last moved, `previous` at what `current` was before
/// its last real move, and a label names one version.
#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;
    use crate::store::name::PENDING;

    proptest! {
        #[test]
        fn label_moves_keep_current_and_previous_right(
            moves in prop::collection::vec(
                (prop::sample::select(vec![CURRENT, PREVIOUS, PENDING, "blue"]), 0u8..5),
                1..40,
            )
        ) {
            let mut labels = BTreeMap::new();
            // The model: what current and previous should be.
            let mut current: Option<String> = None;
            let mut previous: Option<String> = None;
            for (label, v) in moves {
                let to = format!("v{v}");
                move_label(&mut labels, label, &to);
                match label {
                    CURRENT => {
                        if let Some(old) = current.replace(to.clone()) && old != to {
                            previous = Some(old);
                        }
                    }
                    PREVIOUS => previous = Some(to.clone()),
                    _ => {}
                }
                prop_assert_eq!(labels.get(label), Some(&to));
                prop_assert_eq!(labels.get(CURRENT), current.as_ref());
                prop_assert_eq!(labels.get(PREVIOUS), previous.as_ref());
                if current.is_some() {
                    prop_assert!(labels.contains_key(CURRENT), "current was lost");
                }
            }
        }
    }
}
