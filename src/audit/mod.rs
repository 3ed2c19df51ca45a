//! The access log: JSON Lines files under `.sm/log/`, one per member and
//! device (`.sm/log/<member>/<device>.jsonl`), each entry chained to the
//! previous one of its file by hash and signed by its actor. A member
//! working from several machines (a laptop and CI with one identity)
//! appends to one file per machine, so their git histories merge without
//! conflict and every chain stays whole. Stores from before devices hold
//! `.sm/log/<member>.jsonl`: those files are read and verified, never
//! appended to again.
//!
//! A line's hash is the SHA-256 of its bytes (without the newline); the first
//! line of a file points at [`GENESIS`]. The signature covers a domain
//! string, the store id and the entry's canonical JSON without `sig`.
//! Appends hold an exclusive lock on the file, so concurrent writers produce
//! whole lines and an unbroken chain. Every entry's actor is the member the
//! file (old layout) or folder (new layout) is named for.
//!
//! A writer killed mid-append leaves a torn line (bytes that are not an
//! entry). Nothing but `sm doctor` ever cuts or rewrites a log: the next
//! append leaves the torn line in place, starts on a new line and chains to
//! the last whole entry; `sm verify` reports the torn line and `sm doctor`
//! removes it. Log files are opened beneath the store root without
//! following links (see [`crate::store::safe`]) and read line by line,
//! each line capped at [`MAX_LINE_LEN`].
//!
//! Each machine remembers how many entries each log file held and the hash
//! of the last when it last verified or appended to it ([`heads`]); a file
//! that is shorter, gone or rewritten since is an integrity error.
//!
//! [`append`] writes ([`appender`] for a long-lived process),
//! [`verify`](mod@verify) checks and reads, [`repair`] is doctor's part.

mod append;
pub mod appender;
pub mod fallback;
pub mod heads;
mod lines;
mod repair;
mod verify;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::store::Store;

pub use append::{Batch, Target, append, append_read};
pub use appender::Appender;
pub use heads::{Head, HeadMemory};
pub use repair::repair_torn_lines;
pub use verify::{LogProblem, log_files, read_all, read_marked, verify};

/// The longest log line sm reads: 64 KiB (an entry is a few hundred bytes;
/// a longer line is not an entry).
pub const MAX_LINE_LEN: usize = 64 * 1024;

/// The `prev` of a file's first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

const DOMAIN: &str = "sm log v1";

/// One log entry. It never holds a value.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// UTC, RFC 3339.
    pub time: String,
    /// The member who acted.
    pub actor: String,
    /// The command: `put`, `get`, `label`, ...
    pub op: String,
    /// The secret, if the operation concerns one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    /// The version read or written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The labels involved.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<String>,
    /// `ok`, or the failure: `not_found`, `no_access`, `integrity`,
    /// `conflict`, `invalid`, `failed`.
    pub outcome: String,
    /// For `exec`: the program's base name (never its arguments).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub program: Option<String>,
    /// A short note (a rotation step, a failure's kind); never a value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The hash of the previous line of this file.
    pub prev: String,
    /// The actor's signature.
    #[serde(default)]
    pub sig: String,
}

/// What an operation is about, before time, actor, chain and signature are
/// filled in.
#[derive(Clone, Debug, Default)]
pub struct Event {
    /// The command.
    pub op: String,
    /// The secret.
    pub secret: Option<String>,
    /// The version.
    pub version: Option<String>,
    /// The labels.
    pub labels: Vec<String>,
    /// The outcome.
    pub outcome: String,
    /// The program, for exec.
    pub program: Option<String>,
    /// A short note.
    pub detail: Option<String>,
}

impl Entry {
    /// Whether the entry is a successful read of the secret's value (by
    /// `get`, `exec`, `env` or `inject`, or the API's reads, logged as
    /// `get`): what `sm show` calls the last access.
    pub fn reads_value(&self) -> bool {
        self.outcome == "ok" && matches!(self.op.as_str(), "get" | "exec" | "env" | "inject")
    }

    /// Whether the entry is a successful change of the secret: a value,
    /// labels, tags, description, rotation (settings or a step), deletion,
    /// restore, or a merge of two clones' metadata.
    pub fn changes_secret(&self) -> bool {
        self.outcome == "ok"
            && matches!(
                self.op.as_str(),
                "put"
                    | "edit"
                    | "import"
                    | "label"
                    | "rollback"
                    | "tag"
                    | "untag"
                    | "describe"
                    | "rm"
                    | "restore"
                    | "rotate"
                    | "merge"
            )
    }
}

impl Event {
    /// Builds a successful event.
    pub fn ok(op: &str, secret: Option<&str>) -> Event {
        Event {
            op: op.to_string(),
            secret: secret.map(str::to_string),
            outcome: "ok".into(),
            ..Event::default()
        }
    }

    /// Sets the version and labels.
    pub fn version(mut self, version: &str, labels: &[String]) -> Event {
        self.version = Some(version.to_string());
        self.labels = labels.to_vec();
        self
    }

    /// Marks the event failed with the error's kind.
    pub fn failed(mut self, error: &Error) -> Event {
        self.outcome = outcome_of(error).to_string();
        self
    }
}

/// Names the outcome of an error for the log.
pub fn outcome_of(error: &Error) -> &'static str {
    match error {
        Error::InvalidInput { .. } => "invalid",
        Error::NotFound { .. } => "not_found",
        Error::NoAccess { .. } => "no_access",
        Error::Integrity { .. } => "integrity",
        Error::Conflict { .. } => "conflict",
        Error::RotationFailed { .. } => "rotation_failed",
        Error::Io { .. } | Error::Other(_) => "failed",
    }
}

pub(crate) fn signed_bytes(store_id: &str, entry: &Entry) -> Vec<u8> {
    let mut unsigned = entry.clone();
    unsigned.sig = String::new();
    let json = serde_json::to_vec(&unsigned).expect("entries always serialize");
    let mut out = Vec::with_capacity(json.len() + 64);
    out.extend_from_slice(DOMAIN.as_bytes());
    out.push(b'\n');
    out.extend_from_slice(store_id.as_bytes());
    out.push(b'\n');
    out.extend_from_slice(&json);
    out
}

/// Returns the path of a member's log file on one device:
/// `.sm/log/<member>/<device>.jsonl` (the device id comes from
/// `crate::trust::device`).
pub fn log_path(store: &Store, member: &str, device: &str) -> PathBuf {
    store.log_dir().join(member).join(format!("{device}.jsonl"))
}

/// Returns the path of a member's log file in the layout before devices,
/// `.sm/log/<member>.jsonl` (verified and read, never appended to).
pub fn legacy_log_path(store: &Store, member: &str) -> PathBuf {
    store.log_dir().join(format!("{member}.jsonl"))
}

/// Returns the member a log file belongs to: the folder it lies in, or
/// for a file directly in the log folder (the old layout) its name.
fn owner_of(store: &Store, path: &Path) -> String {
    let name = if path.parent() == Some(store.log_dir().as_path()) {
        path.file_stem()
    } else {
        path.parent().and_then(Path::file_name)
    };
    name.map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Returns a log file's path relative to the store root with `/` between
/// components, the name this machine remembers it by (`None` for a path
/// outside the store or not UTF-8: such a file is verified, not
/// remembered).
fn relative_path(store: &Store, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(store.root()).ok()?;
    let parts: Option<Vec<&str>> = rel.components().map(|c| c.as_os_str().to_str()).collect();
    Some(parts?.join("/"))
}

/// Parses a line as an entry (`None` for a torn or foreign line).
pub fn parse_entry(line: &[u8]) -> Option<Entry> {
    if line.len() > MAX_LINE_LEN {
        return None;
    }
    serde_json::from_slice(line).ok()
}
