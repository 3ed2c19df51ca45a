//! The access log: one JSON Lines file per member under `.sm/log/`, each
//! entry chained to the previous one by hash and signed by its actor.
//!
//! A line's hash is the SHA-256 of its bytes (without the newline); the first
//! line of a file points at [`GENESIS`]. The signature covers a domain
//! string, the store id and the entry's canonical JSON without `sig`.
//! Appends hold an exclusive lock on the file, so concurrent writers produce
//! whole lines and an unbroken chain.
//!
//! A writer killed mid-append leaves a torn line (bytes that are not an
//! entry). Nothing but `sm doctor` ever cuts or rewrites a log: the next
//! append leaves the torn line in place, starts on a new line and chains to
//! the last whole entry; `sm verify` reports the torn line and `sm doctor`
//! removes it. Log files are opened beneath the store root without
//! following links (see [`crate::store::safe`]) and read line by line,
//! each line capped at [`MAX_LINE_LEN`].
//!
//! [`append`] writes, [`verify`](mod@verify) checks and reads, [`repair`]
//! is doctor's part.

mod append;
pub mod fallback;
mod lines;
mod repair;
mod verify;

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::store::Store;

pub use append::{Batch, append};
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

/// Returns the path of a member's log file.
pub fn log_path(store: &Store, member: &str) -> PathBuf {
    store.log_dir().join(format!("{member}.jsonl"))
}

/// Parses a line as an entry (`None` for a torn or foreign line).
fn parse_entry(line: &[u8]) -> Option<Entry> {
    if line.len() > MAX_LINE_LEN {
        return None;
    }
    serde_json::from_slice(line).ok()
}
