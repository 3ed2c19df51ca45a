//! Checking and reading the logs: every line chained and signed, torn
//! lines (left by interrupted appends) reported for `sm doctor` to remove.
//! Files are read line by line, each line capped, never whole.

use std::io::BufReader;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use super::lines::Lines;
use super::{Entry, GENESIS, MAX_LINE_LEN, parse_entry, signed_bytes};
use crate::crypto;
use crate::error::{Error, Result};
use crate::store::Store;
use crate::store::safe::Kind;

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
/// bad file, and the number of entries checked. Links and special files in
/// the log folder are passed over here (`sm verify` lists them).
pub fn verify(store: &Store) -> Result<(usize, Vec<LogProblem>)> {
    let mut problems = Vec::new();
    let mut total = 0;
    for (path, kind) in log_entries(store)? {
        if kind != Kind::File {
            continue;
        }
        match verify_file(store, &path) {
            Ok(n) => total += n,
            Err(p) => problems.push(p),
        }
    }
    Ok((total, problems))
}

/// Lists the log files (a link or special file there is an integrity
/// error naming it).
pub fn log_files(store: &Store) -> Result<Vec<PathBuf>> {
    log_entries(store)?
        .into_iter()
        .map(|(path, kind)| match kind {
            Kind::File => Ok(path),
            kind => Err(Error::integrity(path, kind.refusal(false))),
        })
        .collect()
}

/// The `.jsonl` entries of the log folder, with what each is.
fn log_entries(store: &Store) -> Result<Vec<(PathBuf, Kind)>> {
    let dir = store.log_dir();
    let mut files: Vec<(PathBuf, Kind)> = store
        .fs()
        .list(&dir)?
        .unwrap_or_default()
        .into_iter()
        .filter(|e| Path::new(&e.name).extension().is_some_and(|x| x == "jsonl"))
        .map(|e| (dir.join(&e.name), e.kind))
        .collect();
    files.sort();
    Ok(files)
}

const TORN: &str =
    "the line is not a whole log entry (a write was interrupted); `sm doctor` removes it";
const TOO_LONG: &str = "the line is longer than the 64 KiB a log line may hold (not written by sm)";
const INCOMPLETE: &str = "the line is incomplete (a write was interrupted); `sm doctor` removes it";

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
    let file = match store.fs().open_read(path, u64::MAX) {
        Ok(Some((file, _))) => file,
        Ok(None) => return Ok(0),
        Err(Error::Integrity { reason, .. }) => return Err(problem(0, reason)),
        Err(e) => return Err(problem(0, e.to_string())),
    };
    let mut lines = Lines::new(BufReader::new(file), MAX_LINE_LEN);
    // The chain is checked in order (cheap); the signatures, which cost
    // most, are checked in parallel and the first bad line of either wins.
    let mut first_bad: Option<(usize, String)> = None;
    let mut entries = Vec::new();
    // The line number of each entry (torn lines may lie between them).
    let mut entry_lines = Vec::new();
    let mut prev = GENESIS.to_string();
    // The first line since the last entry that is not an entry, and
    // whether a newline ended it.
    let mut torn: Option<(usize, bool)> = None;
    let mut n = 0;
    loop {
        let line = match lines.next_line() {
            Ok(Some(line)) => line,
            Ok(None) => break,
            Err(e) => return Err(problem(n + 1, format!("cannot read: {e}"))),
        };
        n += 1;
        if line.too_long {
            first_bad.get_or_insert((n, TOO_LONG.into()));
            break;
        }
        let entry = parse_entry(&line.bytes);
        let Some(entry) = entry else {
            torn.get_or_insert((n, line.complete));
            continue;
        };
        if entry.prev != prev {
            // Lines that are not entries, followed by one that does not
            // chain over them, are not torn writes.
            first_bad.get_or_insert(match torn {
                Some((t, _)) => (t, "the line is not a valid log entry".into()),
                None => (
                    n,
                    "the chain is broken (a line before it was edited, removed or reordered)"
                        .into(),
                ),
            });
            break;
        }
        if let Some((t, _)) = torn.take() {
            // A torn write that the next append passed over.
            first_bad.get_or_insert((t, TORN.into()));
        }
        if entry.actor != member {
            first_bad.get_or_insert((
                n,
                format!("the entry's actor `{}` does not own this file", entry.actor),
            ));
            break;
        }
        // Names in an entry are read from disk: checked like typed input.
        if let Err(e) = crate::store::name::validate_log_names(
            &entry.actor,
            &entry.outcome,
            entry.secret.as_deref(),
            entry.version.as_deref(),
            &entry.labels,
        ) {
            first_bad.get_or_insert((n, e.to_string()));
            break;
        }
        prev = crypto::sha256_hex(&line.bytes);
        entries.push(entry);
        entry_lines.push(n);
    }
    if let Some((t, complete)) = torn {
        first_bad.get_or_insert((t, if complete { TORN } else { INCOMPLETE }.into()));
    }
    let store_id = store.id();
    let bad_signature = entries
        .par_iter()
        .enumerate()
        .filter(|(_, entry)| !key.verify(&signed_bytes(store_id, entry), &entry.sig))
        .map(|(i, _)| i)
        .min();
    if let Some(i) = bad_signature {
        let n = entry_lines[i];
        if first_bad.as_ref().is_none_or(|(m, _)| n < *m) {
            first_bad = Some((
                n,
                "the signature does not match (the line was edited)".into(),
            ));
        }
    }
    match first_bad {
        Some((n, reason)) => Err(problem(n, reason)),
        None => Ok(entries.len()),
    }
}

/// Reads every entry of every log file, merged in time order. Lines that
/// are not entries are skipped here (`sm log verify` reports them).
pub fn read_all(store: &Store) -> Result<Vec<Entry>> {
    let entries = read_entries(store, false)?;
    Ok(entries.into_iter().map(|(e, _)| e).collect())
}

/// Reads every entry like [`read_all`], each with whether it is verified:
/// an entry is verified only when it lies before the first bad line of its
/// file (so its chain from the file's start and its signature check out).
/// Everything from a file's first bad line on is unverified, even lines
/// that still parse: a broken chain vouches for nothing after it.
pub fn read_marked(store: &Store) -> Result<Vec<(Entry, bool)>> {
    read_entries(store, true)
}

/// Reads the entries; with `check`, each is marked as in [`read_marked`]
/// (without, the marks mean nothing).
fn read_entries(store: &Store, check: bool) -> Result<Vec<(Entry, bool)>> {
    let mut entries = Vec::new();
    for path in log_files(store)? {
        // Lines before this one are verified.
        let good_before = match check.then(|| verify_file(store, &path)) {
            None | Some(Ok(_)) => usize::MAX,
            Some(Err(problem)) => problem.line,
        };
        let mut n = 0;
        let Some((file, _)) = store.fs().open_read(&path, u64::MAX)? else {
            continue;
        };
        let mut lines = Lines::new(BufReader::new(file), MAX_LINE_LEN);
        while let Some(line) = lines
            .next_line()
            .map_err(|e| Error::io("cannot read", &path, e))?
        {
            n += 1;
            if line.too_long {
                return Err(Error::integrity(&path, TOO_LONG));
            }
            if let Some(entry) = parse_entry(&line.bytes) {
                entries.push((entry, n < good_before));
            }
        }
    }
    entries.sort_by(|a, b| a.0.time.cmp(&b.0.time));
    Ok(entries)
}
