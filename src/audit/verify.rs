//! Checking and reading the logs: every line chained and signed, torn
//! lines (left by interrupted appends) reported for `sm doctor` to remove,
//! and, with this machine's memory, every file at least as long as when it
//! was last seen here. Both layouts are walked: `.sm/log/<member>.jsonl`
//! (before devices) and `.sm/log/<member>/<device>.jsonl`. Files are read
//! line by line, each line capped, never whole.

use std::io::BufReader;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use super::heads::{self, Head, HeadMemory};
use super::lines::Lines;
use super::{Entry, GENESIS, MAX_LINE_LEN, owner_of, parse_entry, relative_path, signed_bytes};
use crate::crypto;
use crate::error::{Error, Result};
use crate::store::Store;
use crate::store::safe::Kind;

/// A problem found in a log file.
#[derive(Clone, Debug, Serialize)]
pub struct LogProblem {
    /// The file.
    pub file: PathBuf,
    /// The 1-based line number (0 for a problem of the whole file: not
    /// a member's, or not what this machine saw).
    pub line: usize,
    /// What is wrong.
    pub reason: String,
}

/// Verifies every log file of the store; returns the first problem of each
/// bad file, and the number of entries checked. Links and special files in
/// the log folder are passed over here (`sm verify` lists them). With
/// `memory`, each file is also checked against what this machine saw of
/// it (cut, rewritten, or missing altogether), and what it holds now is
/// remembered.
pub fn verify(store: &Store, memory: Option<&dyn HeadMemory>) -> Result<(usize, Vec<LogProblem>)> {
    let mut problems = Vec::new();
    let mut total = 0;
    let entries = log_entries(store)?;
    for (path, kind) in &entries {
        if *kind != Kind::File {
            continue;
        }
        let seen = remembered(store, path, memory)?;
        match verify_file(store, path, seen.as_ref().map(|(_, h)| h.count)) {
            Ok(summary) => {
                total += summary.count as usize;
                if let Some(problem) = check_head(store, path, &summary, seen.as_ref(), memory)? {
                    problems.push(problem);
                }
            }
            Err(p) => problems.push(p),
        }
    }
    problems.extend(missing_files(store, &entries, memory)?);
    Ok((total, problems))
}

/// What a file held when it verified: its whole entries, the hash of the
/// last, and the hash of the entry at the count asked for.
struct Summary {
    count: u64,
    last: String,
    at: Option<String>,
}

/// The remembered head of the file at `path`, with its relative name.
/// Read before the file is, so an append between the two only makes the
/// file longer than remembered, never shorter.
fn remembered(
    store: &Store,
    path: &Path,
    memory: Option<&dyn HeadMemory>,
) -> Result<Option<(String, Head)>> {
    let (Some(memory), Some(rel)) = (memory, relative_path(store, path)) else {
        return Ok(None);
    };
    Ok(memory.get(&rel)?.map(|head| (rel, head)))
}

/// Compares a verified file with what this machine saw of it; remembers
/// what it holds now when it is fine and longer than remembered.
fn check_head(
    store: &Store,
    path: &Path,
    summary: &Summary,
    seen: Option<&(String, Head)>,
    memory: Option<&dyn HeadMemory>,
) -> Result<Option<LogProblem>> {
    let Some(memory) = memory else {
        return Ok(None);
    };
    if let Some((_, head)) = seen
        && let Some(reason) = heads::compare(head, summary.count, summary.at.as_deref())
    {
        return Ok(Some(LogProblem {
            file: path.to_path_buf(),
            line: 0,
            reason,
        }));
    }
    let grew = seen.is_none_or(|(_, head)| summary.count > head.count);
    if summary.count > 0 && grew {
        let rel = seen.map(|(rel, _)| rel.clone());
        if let Some(rel) = rel.or_else(|| relative_path(store, path)) {
            let head = Head {
                count: summary.count,
                hash: summary.last.clone(),
            };
            memory.set(&rel, &head, false)?;
        }
    }
    Ok(None)
}

/// Remembered files that the log folder no longer holds.
fn missing_files(
    store: &Store,
    present: &[(PathBuf, Kind)],
    memory: Option<&dyn HeadMemory>,
) -> Result<Vec<LogProblem>> {
    let Some(memory) = memory else {
        return Ok(Vec::new());
    };
    let present: std::collections::HashSet<String> = present
        .iter()
        .filter_map(|(path, _)| relative_path(store, path))
        .collect();
    Ok(memory
        .all()?
        .into_iter()
        .filter(|(rel, _)| !present.contains(rel))
        .map(|(rel, head)| LogProblem {
            file: store.root().join(&rel),
            line: 0,
            reason: heads::missing(head.count),
        })
        .collect())
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

/// The log files of both layouts, with what each is: the `.jsonl` entries
/// of the log folder (before devices) and of each member's folder in it.
/// Anything else there is passed over (`sm verify` lists links and special
/// files wherever they are).
fn log_entries(store: &Store) -> Result<Vec<(PathBuf, Kind)>> {
    let is_log = |name: &std::ffi::OsStr| Path::new(name).extension().is_some_and(|x| x == "jsonl");
    let dir = store.log_dir();
    let mut files = Vec::new();
    for entry in store.fs().list(&dir)?.unwrap_or_default() {
        let path = dir.join(&entry.name);
        if is_log(&entry.name) {
            files.push((path, entry.kind));
        } else if entry.kind == Kind::Dir && !entry.name.as_encoded_bytes().starts_with(b".") {
            for inner in store.fs().list(&path)?.unwrap_or_default() {
                if is_log(&inner.name) {
                    files.push((path.join(&inner.name), inner.kind));
                }
            }
        }
    }
    files.sort();
    Ok(files)
}

const TORN: &str =
    "the line is not a whole log entry (a write was interrupted); `sm doctor` removes it";
const TOO_LONG: &str = "the line is longer than the 64 KiB a log line may hold (not written by sm)";
const INCOMPLETE: &str = "the line is incomplete (a write was interrupted); `sm doctor` removes it";

/// Verifies one file's chain, signatures and owner; `at` asks for the hash
/// of the entry with that number (1-based) as well.
fn verify_file(store: &Store, path: &Path, at: Option<u64>) -> Result<Summary, LogProblem> {
    let problem = |line: usize, reason: String| LogProblem {
        file: path.to_path_buf(),
        line,
        reason,
    };
    let member = owner_of(store, path);
    let key = store
        .member_key(&member)
        .ok_or_else(|| problem(0, format!("`{member}` is not a member of this store")))?;
    let file = match store.fs().open_read(path, u64::MAX) {
        Ok(Some((file, _))) => file,
        Ok(None) => {
            return Ok(Summary {
                count: 0,
                last: GENESIS.to_string(),
                at: None,
            });
        }
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
    let mut hash_at = None;
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
        if at == Some(entries.len() as u64) {
            hash_at = Some(prev.clone());
        }
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
        None => Ok(Summary {
            count: entries.len() as u64,
            last: prev,
            at: hash_at,
        }),
    }
}

/// Reads every entry of every log file, merged in time order. Lines that
/// are not entries are skipped here (`sm log verify` reports them).
pub fn read_all(store: &Store) -> Result<Vec<Entry>> {
    let entries = read_entries(store, None)?;
    Ok(entries.into_iter().map(|(e, _)| e).collect())
}

/// Reads every entry like [`read_all`], each with whether it is verified:
/// an entry is verified only when it lies before the first bad line of its
/// file (so its chain from the file's start and its signature check out).
/// Everything from a file's first bad line on is unverified, even lines
/// that still parse: a broken chain vouches for nothing after it. With
/// `memory`, also returns the files that are not what this machine saw
/// (cut, rewritten or missing; their whole entries stay verified, the
/// problem is the file's), and remembers what the others hold now.
pub fn read_marked(
    store: &Store,
    memory: Option<&dyn HeadMemory>,
) -> Result<(MarkedEntries, Vec<LogProblem>)> {
    let mut problems = Vec::new();
    let entries = read_entries(store, Some((memory, &mut problems)))?;
    Ok((entries, problems))
}

/// Entries, each with whether it verified (see [`read_marked`]).
pub type MarkedEntries = Vec<(Entry, bool)>;

/// The problems [`read_marked`] collects, and the memory it checks with.
type Check<'a, 'm> = (Option<&'m dyn HeadMemory>, &'a mut Vec<LogProblem>);

/// Reads the entries; with `check`, each is marked as in [`read_marked`]
/// (without, the marks mean nothing).
fn read_entries(store: &Store, mut check: Option<Check<'_, '_>>) -> Result<Vec<(Entry, bool)>> {
    let mut entries = Vec::new();
    let files = log_files(store)?;
    for path in &files {
        let path = path.as_path();
        // Lines before this one are verified.
        let mut good_before = usize::MAX;
        if let Some((memory, problems)) = check.as_mut() {
            let seen = remembered(store, path, *memory)?;
            match verify_file(store, path, seen.as_ref().map(|(_, h)| h.count)) {
                Ok(summary) => {
                    problems.extend(check_head(store, path, &summary, seen.as_ref(), *memory)?)
                }
                Err(problem) => good_before = problem.line,
            }
        }
        let mut n = 0;
        let Some((file, _)) = store.fs().open_read(path, u64::MAX)? else {
            continue;
        };
        let mut lines = Lines::new(BufReader::new(file), MAX_LINE_LEN);
        while let Some(line) = lines
            .next_line()
            .map_err(|e| Error::io("cannot read", path, e))?
        {
            n += 1;
            if line.too_long {
                return Err(Error::integrity(path, TOO_LONG));
            }
            if let Some(entry) = parse_entry(&line.bytes) {
                entries.push((entry, n < good_before));
            }
        }
    }
    if let Some((memory, problems)) = check {
        let present: Vec<(PathBuf, Kind)> = files.into_iter().map(|p| (p, Kind::File)).collect();
        problems.extend(missing_files(store, &present, memory)?);
    }
    entries.sort_by(|a, b| a.0.time.cmp(&b.0.time));
    Ok(entries)
}
