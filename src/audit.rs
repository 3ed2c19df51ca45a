//! The access log: one JSON Lines file per member under `.sm/log/`, each
//! entry chained to the previous one by hash and signed by its actor.
//!
//! A line's hash is the SHA-256 of its bytes (without the newline); the first
//! line of a file points at [`GENESIS`]. The signature covers a domain
//! string, the store id and the entry's canonical JSON without `sig`.
//! Appends hold an exclusive lock on the file, so concurrent writers produce
//! whole lines and an unbroken chain.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::crypto::{self, Identity};
use crate::error::{Error, Result};
use crate::store::Store;

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

fn signed_bytes(store_id: &str, entry: &Entry) -> Vec<u8> {
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

/// Appends events for `actor`, in one locked write. `sync` makes the
/// entries durable before returning (writes do; reads leave it to the page
/// cache, so a read's entry survives a crash of sm but not a power cut).
pub fn append(
    store: &Store,
    identity: &Identity,
    actor: &str,
    events: &[Event],
    sync: bool,
) -> Result<()> {
    if events.is_empty() {
        return Ok(());
    }
    let mut batch = Batch::open(store, identity, actor)?;
    for event in events {
        batch.push(event);
    }
    batch.commit(sync)
}

/// Entries being appended to one member's log: the file is locked from
/// [`Batch::open`] to [`Batch::commit`] (or drop, which writes nothing), so
/// entries can be signed one by one while the work they record goes on
/// (`sm exec` signs each read as it completes). Each entry's signature
/// covers the hash of the line before it, so signing is sequential.
pub struct Batch<'a> {
    store: &'a Store,
    identity: &'a Identity,
    actor: String,
    path: PathBuf,
    file: File,
    prev: String,
    time: String,
    buf: Vec<u8>,
}

impl<'a> Batch<'a> {
    /// Opens and locks `actor`'s log and reads the hash of its last line.
    pub fn open(store: &'a Store, identity: &'a Identity, actor: &str) -> Result<Batch<'a>> {
        let path = log_path(store, actor);
        crate::store::fsio::create_dir_all(&store.log_dir())?;
        let mut file = OpenOptions::new()
            .create(true)
            .read(true)
            .append(true)
            .open(&path)
            .map_err(|e| Error::io("cannot open the log", &path, e))?;
        lock_file(&file, &path)?;
        let prev = last_line_hash(&mut file, &path)?;
        Ok(Batch {
            store,
            identity,
            actor: actor.to_string(),
            path,
            file,
            prev,
            time: crate::store::now_string(),
            buf: Vec::new(),
        })
    }

    /// Signs `event` as the next entry (written by [`Batch::commit`]).
    pub fn push(&mut self, event: &Event) {
        let mut entry = Entry {
            time: self.time.clone(),
            actor: self.actor.clone(),
            op: event.op.clone(),
            secret: event.secret.clone(),
            version: event.version.clone(),
            labels: event.labels.clone(),
            outcome: event.outcome.clone(),
            program: event.program.clone(),
            detail: event.detail.clone(),
            prev: std::mem::take(&mut self.prev),
            sig: String::new(),
        };
        entry.sig = self.identity.sign(&signed_bytes(self.store.id(), &entry));
        let line = serde_json::to_vec(&entry).expect("entries always serialize");
        self.prev = crypto::sha256_hex(&line);
        self.buf.extend_from_slice(&line);
        self.buf.push(b'\n');
    }

    /// Writes the signed entries in one write; `sync` fsyncs them.
    pub fn commit(mut self, sync: bool) -> Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        self.file
            .write_all(&self.buf)
            .map_err(|e| Error::io("cannot append to the log", &self.path, e))?;
        if sync {
            self.file
                .sync_data()
                .map_err(|e| Error::io("cannot sync the log", &self.path, e))?;
        }
        Ok(())
    }
}

fn lock_file(file: &File, path: &Path) -> Result<()> {
    let deadline = std::time::Instant::now() + crate::store::fsio::lock_timeout();
    loop {
        match fs4::FileExt::try_lock(file) {
            Ok(()) => return Ok(()),
            Err(fs4::TryLockError::WouldBlock) => {}
            Err(fs4::TryLockError::Error(e)) => return Err(Error::io("cannot lock", path, e)),
        }
        if std::time::Instant::now() >= deadline {
            return Err(Error::conflict(format!(
                "the log {} is locked by another sm process",
                path.display()
            )));
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
}

/// Cuts a torn last line (a writer killed mid-append) off every log file,
/// under each file's lock, and returns the files repaired.
pub fn repair_torn_tails(store: &Store) -> Result<Vec<PathBuf>> {
    let mut repaired = Vec::new();
    for path in log_files(store)? {
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .open(&path)
            .map_err(|e| Error::io("cannot open the log", &path, e))?;
        lock_file(&file, &path)?;
        let before = file
            .metadata()
            .map_err(|e| Error::io("cannot read", &path, e))?
            .len();
        last_line_hash(&mut file, &path)?;
        let after = file
            .metadata()
            .map_err(|e| Error::io("cannot read", &path, e))?
            .len();
        if after != before {
            repaired.push(path);
        }
    }
    Ok(repaired)
}

/// Returns the hash of the file's last line (GENESIS for an empty file),
/// reading only its tail. A torn last line (no newline: a writer killed
/// mid-write) is cut off so the chain continues from the last whole line.
fn last_line_hash(file: &mut File, path: &Path) -> Result<String> {
    let len = file
        .seek(SeekFrom::End(0))
        .map_err(|e| Error::io("cannot read", path, e))?;
    if len == 0 {
        return Ok(GENESIS.to_string());
    }
    let mut chunk = 4096u64;
    loop {
        let start = len.saturating_sub(chunk);
        file.seek(SeekFrom::Start(start))
            .map_err(|e| Error::io("cannot read", path, e))?;
        let mut tail = Vec::with_capacity((len - start) as usize);
        Read::by_ref(file)
            .take(len - start)
            .read_to_end(&mut tail)
            .map_err(|e| Error::io("cannot read", path, e))?;
        if tail.last() != Some(&b'\n') {
            // A torn write: drop the partial line.
            let keep = tail
                .iter()
                .rposition(|b| *b == b'\n')
                .map(|p| start + p as u64 + 1);
            match keep {
                Some(keep) => {
                    file.set_len(keep)
                        .map_err(|e| Error::io("cannot repair", path, e))?;
                    return last_line_hash(file, path);
                }
                None if start == 0 => {
                    file.set_len(0)
                        .map_err(|e| Error::io("cannot repair", path, e))?;
                    return Ok(GENESIS.to_string());
                }
                None => {
                    chunk *= 4;
                    continue;
                }
            }
        }
        let body = &tail[..tail.len() - 1];
        match body.iter().rposition(|b| *b == b'\n') {
            Some(p) => return Ok(crypto::sha256_hex(&body[p + 1..])),
            None if start == 0 => return Ok(crypto::sha256_hex(body)),
            None => chunk *= 4,
        }
    }
}

/// A problem found in a log file.
#[derive(Clone, Debug, Serialize)]
pub struct LogProblem {
    /// The file.
    pub file: PathBuf,
    /// The 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub reason: String,
}

/// Verifies every log file of the store; returns the first problem of each
/// bad file, and the number of entries checked.
pub fn verify(store: &Store) -> Result<(usize, Vec<LogProblem>)> {
    let mut problems = Vec::new();
    let mut total = 0;
    for path in log_files(store)? {
        match verify_file(store, &path) {
            Ok(n) => total += n,
            Err(p) => problems.push(p),
        }
    }
    Ok((total, problems))
}

/// Lists the log files.
pub fn log_files(store: &Store) -> Result<Vec<PathBuf>> {
    let dir = store.log_dir();
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io("cannot list", &dir, e)),
    };
    let mut files: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    Ok(files)
}

fn verify_file(store: &Store, path: &Path) -> Result<usize, LogProblem> {
    let problem = |line: usize, reason: String| LogProblem {
        file: path.to_path_buf(),
        line,
        reason,
    };
    let member = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let key = store
        .member_key(&member)
        .ok_or_else(|| problem(0, format!("`{member}` is not a member of this store")))?;
    let data = std::fs::read(path).map_err(|e| problem(0, format!("cannot read: {e}")))?;
    // The chain is checked in order (cheap); the signatures, which cost
    // most, are checked in parallel and the first bad line of either wins.
    let mut lines: Vec<&[u8]> = data.split(|b| *b == b'\n').collect();
    let complete = lines.last().is_some_and(|l| l.is_empty());
    if complete {
        lines.pop();
    }
    let mut first_bad: Option<(usize, String)> = None;
    let mut entries = Vec::with_capacity(lines.len());
    let mut prev = GENESIS.to_string();
    for (i, line) in lines.iter().enumerate() {
        let n = i + 1;
        if n == lines.len() && !complete {
            first_bad = Some((n, "the line is incomplete".into()));
            break;
        }
        let Ok(entry) = serde_json::from_slice::<Entry>(line) else {
            first_bad = Some((n, "the line is not a valid log entry".into()));
            break;
        };
        if entry.prev != prev {
            first_bad = Some((
                n,
                "the chain is broken (a line before it was edited, removed or reordered)".into(),
            ));
            break;
        }
        if entry.actor != member {
            first_bad = Some((
                n,
                format!("the entry's actor `{}` does not own this file", entry.actor),
            ));
            break;
        }
        prev = crypto::sha256_hex(line);
        entries.push(entry);
    }
    let store_id = store.id();
    let bad_signature = entries
        .par_iter()
        .enumerate()
        .filter(|(_, entry)| !key.verify(&signed_bytes(store_id, entry), &entry.sig))
        .map(|(i, _)| i + 1)
        .min();
    if let Some(n) = bad_signature
        && first_bad.as_ref().is_none_or(|(m, _)| n < *m)
    {
        first_bad = Some((
            n,
            "the signature does not match (the line was edited)".into(),
        ));
    }
    match first_bad {
        Some((n, reason)) => Err(problem(n, reason)),
        None => Ok(entries.len()),
    }
}

/// Reads every entry of every log file, merged in time order. Lines that do
/// not parse are skipped here (`sm log verify` reports them).
pub fn read_all(store: &Store) -> Result<Vec<Entry>> {
    let mut entries = Vec::new();
    for path in log_files(store)? {
        let file = File::open(&path).map_err(|e| Error::io("cannot read", &path, e))?;
        for line in BufReader::new(file)
            .split(b'\n')
            .map_while(std::result::Result::ok)
        {
            if let Ok(entry) = serde_json::from_slice::<Entry>(&line) {
                entries.push(entry);
            }
        }
    }
    entries.sort_by(|a, b| a.time.cmp(&b.time));
    Ok(entries)
}
