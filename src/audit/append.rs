//! Appending signed entries to a member's log on this device. An append
//! never cuts the file: a torn last line (a writer killed mid-append)
//! stays where it is, the new entries start on a new line and chain to the
//! last whole entry. With this machine's memory of the file, an append
//! first checks that the file still holds what this machine last saw
//! there (cheaply: the last entry is the remembered one) and refuses to
//! chain over a cut or rewritten log; after writing it remembers the new
//! head.

use std::fs::File;
use std::io::{BufReader, Seek as _, Write as _};
use std::os::unix::fs::FileExt as _;
use std::path::{Path, PathBuf};

use super::heads::{self, Head, HeadMemory};
use super::lines::Lines;
use super::{
    Entry, Event, GENESIS, MAX_LINE_LEN, log_path, parse_entry, relative_path, signed_bytes,
};
use crate::crypto::{self, Identity};
use crate::error::{Error, Result};
use crate::store::Store;
use crate::store::safe::MAX_LOG_TAIL;

/// Where an append goes: the acting member's file for this device, and
/// this machine's memory of it.
#[derive(Clone, Copy)]
pub struct Target<'a> {
    /// The member who acts (the folder).
    pub member: &'a str,
    /// This machine's device id for the store (the file name; see
    /// `crate::trust::device`).
    pub device: &'a str,
    /// This machine's memory of log heads (`None` appends without checking
    /// or remembering).
    pub memory: Option<&'a dyn HeadMemory>,
}

/// Appends events to `target`'s log, in one locked write. `sync` makes the
/// entries durable before returning (writes do; reads leave it to the page
/// cache, so a read's entry survives a crash of sm but not a power cut).
pub fn append(
    store: &Store,
    identity: &Identity,
    target: Target<'_>,
    events: &[Event],
    sync: bool,
) -> Result<()> {
    if events.is_empty() {
        return Ok(());
    }
    let mut batch = Batch::open(store, identity, target)?;
    for event in events {
        batch.push(event);
    }
    batch.commit(sync)
}

/// Appends a read's events to `target`'s log in one locked write, or to
/// the per-user fallback log when the store is read-only (see
/// [`Batch::open_read`]).
pub fn append_read(
    store: &Store,
    identity: &Identity,
    target: Target<'_>,
    events: &[Event],
    sync: bool,
) -> Result<()> {
    let mut batch = Batch::open_read(store, identity, target)?;
    for event in events {
        batch.push(event);
    }
    batch.commit(sync)
}

/// Entries being appended to one member's log on this device: the file is
/// locked from [`Batch::open`] to [`Batch::commit`] (or drop, which writes
/// nothing), so entries can be signed one by one while the work they
/// record goes on (`sm exec` signs each read as it completes). Each
/// entry's signature covers the hash of the line before it, so signing is
/// sequential.
pub struct Batch<'a> {
    store: &'a Store,
    identity: &'a Identity,
    actor: String,
    path: PathBuf,
    file: File,
    prev: String,
    time: String,
    buf: Vec<u8>,
    /// How many entries are in `buf`.
    entries: usize,
    /// Whether the entries go to the per-user fallback log (a read in a
    /// read-only store).
    fallback: bool,
    /// Where to remember the new head: the memory, the file's relative
    /// name, and how many whole entries it held before this batch.
    remember: Option<(&'a dyn HeadMemory, String, u64)>,
}

impl<'a> Batch<'a> {
    /// Opens and locks the target's log (beneath the store root, never
    /// through a link, and only a regular file), finds the hash of its last
    /// whole entry, and checks it holds what this machine last saw there
    /// (exit 5 naming the file when it was cut, rewritten or removed).
    pub fn open(store: &'a Store, identity: &'a Identity, target: Target<'a>) -> Result<Batch<'a>> {
        let path = log_path(store, target.member, target.device);
        let (file, len) = open_locked(store, &path)?;
        let tail = read_tail_at(&file, &path, len)?;
        let remember = match (target.memory, relative_path(store, &path)) {
            (Some(memory), Some(rel)) => {
                let count = check_seen(store, &file, &path, &tail, memory.get(&rel)?)?;
                Some((memory, rel, count))
            }
            _ => None,
        };
        let mut batch = Batch::start(store, identity, target.member, path, file, tail, false);
        batch.remember = remember;
        Ok(batch)
    }

    /// Opens the target's log for a read's entries: the store's own log,
    /// or, when the store cannot take an append because it is read-only
    /// (EROFS, EACCES, EPERM), the per-user log outside the store (see
    /// [`super::fallback`]), locked the same way.
    pub fn open_read(
        store: &'a Store,
        identity: &'a Identity,
        target: Target<'a>,
    ) -> Result<Batch<'a>> {
        match Batch::open(store, identity, target) {
            Err(err) if super::fallback::is_read_only(&err) => {
                let (path, file) = super::fallback::open(store, target.member)?;
                lock_file(&file, &path)?;
                let tail = read_tail(&file, &path)?;
                Ok(Batch::start(
                    store,
                    identity,
                    target.member,
                    path,
                    file,
                    tail,
                    true,
                ))
            }
            other => other,
        }
    }

    /// The fallback log these entries go to, if they do not go to the
    /// store's own log.
    pub fn fallback(&self) -> Option<&Path> {
        self.fallback.then_some(self.path.as_path())
    }

    pub(super) fn start(
        store: &'a Store,
        identity: &'a Identity,
        actor: &str,
        path: PathBuf,
        file: File,
        tail: Tail,
        fallback: bool,
    ) -> Batch<'a> {
        Batch {
            store,
            identity,
            actor: actor.to_string(),
            path,
            file,
            prev: tail.prev,
            time: crate::store::now_string(),
            // A torn last line is left alone; the entries start after it.
            buf: if tail.needs_newline {
                b"\n".to_vec()
            } else {
                Vec::new()
            },
            entries: 0,
            fallback,
            remember: None,
        }
    }

    /// Signs `event` as the next entry (written by [`Batch::commit`]).
    pub fn push(&mut self, event: &Event) {
        let mut entry = Entry {
            time: self.time.clone(),
            actor: self.actor.clone(),
            op: event.op.clone(),
            secret: clip(&event.secret),
            version: clip(&event.version),
            labels: event
                .labels
                .iter()
                .take(MAX_LABELS)
                .map(|l| clip_str(l))
                .collect(),
            outcome: event.outcome.clone(),
            program: clip(&event.program),
            detail: clip(&event.detail),
            prev: std::mem::take(&mut self.prev),
            sig: String::new(),
        };
        entry.sig = self.identity.sign(&signed_bytes(self.store.id(), &entry));
        let line = serde_json::to_vec(&entry).expect("entries always serialize");
        self.prev = crypto::sha256_hex(&line);
        self.buf.extend_from_slice(&line);
        self.buf.push(b'\n');
        self.entries += 1;
    }

    /// Writes the signed entries in one write; `sync` fsyncs them (and
    /// then the remembered head, so the memory never runs ahead of a
    /// durable log).
    pub fn commit(self, sync: bool) -> Result<()> {
        self.write(sync).map(|_| ())
    }

    /// Writes as [`Batch::commit`] does and says what was written.
    pub(super) fn write(mut self, sync: bool) -> Result<Written> {
        if self.entries == 0 {
            return Ok(Written {
                entries: 0,
                bytes: 0,
                prev: self.prev,
            });
        }
        self.file
            .write_all(&self.buf)
            .map_err(|e| Error::io("cannot append to the log", &self.path, e))?;
        if sync {
            self.file
                .sync_data()
                .map_err(|e| Error::io("cannot sync the log", &self.path, e))?;
        }
        let entries = self.entries as u64;
        if let Some((memory, rel, count)) = &self.remember {
            let head = Head {
                count: count + entries,
                hash: self.prev.clone(),
            };
            // Still under the file's lock: appends remember in order.
            memory.set(rel, &head, sync)?;
        }
        Ok(Written {
            entries,
            bytes: self.buf.len() as u64,
            prev: std::mem::take(&mut self.prev),
        })
    }
}

/// What a batch wrote.
pub(super) struct Written {
    /// The entries.
    pub entries: u64,
    /// The bytes (entries, newlines, and a newline ending a torn line).
    pub bytes: u64,
    /// The hash of the last entry (the next one's `prev`).
    pub prev: String,
}

/// Checks that the file holds what this machine last saw there and
/// returns how many whole entries it holds. The usual case costs nothing
/// beyond the tail already read: the last entry is the remembered one.
/// Otherwise (another checkout's entries cannot be in this device's file,
/// so this is rare) the file is read through once.
pub(super) fn check_seen(
    store: &Store,
    file: &File,
    path: &Path,
    tail: &Tail,
    seen: Option<Head>,
) -> Result<u64> {
    if let Some(head) = &seen {
        if tail.prev == head.hash {
            return Ok(head.count);
        }
        if tail.len == 0 && head.count > 0 {
            // Opening created the file again: leave no empty file behind,
            // so every later check also says it is missing.
            let _ = store.fs().remove_file(path);
            return Err(heads::error(path, heads::missing(head.count)));
        }
    } else if tail.prev == GENESIS {
        return Ok(0);
    }
    let at = seen.as_ref().map(|h| h.count);
    let (count, hash_at) = count_entries(file, path, at)?;
    if let Some(head) = &seen
        && let Some(reason) = heads::compare(head, count, hash_at.as_deref())
    {
        return Err(heads::error(path, reason));
    }
    Ok(count)
}

/// The longest a free-text field of an entry is written, in bytes before
/// JSON escaping (at most six bytes each), and the most labels an entry
/// lists: together they keep every entry well under [`MAX_LINE_LEN`], which
/// the reader refuses. A field comes from what the user typed (a JSON
/// field's name in `get name#field`, say), so it may be any length.
const MAX_FIELD: usize = 1024;
const MAX_LABELS: usize = 32;

fn clip(field: &Option<String>) -> Option<String> {
    field.as_deref().map(clip_str)
}

/// `s`, cut at a character boundary to [`MAX_FIELD`] bytes with `…` added
/// when it was longer.
fn clip_str(s: &str) -> String {
    if s.len() <= MAX_FIELD {
        return s.to_string();
    }
    let mut end = MAX_FIELD;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}

/// Counts the whole entries of a log, and returns the hash of the one
/// numbered `at` (1-based), if asked and present.
fn count_entries(file: &File, path: &Path, at: Option<u64>) -> Result<(u64, Option<String>)> {
    let mut reader = file;
    reader
        .rewind()
        .map_err(|e| Error::io("cannot read", path, e))?;
    let mut lines = Lines::new(BufReader::new(reader), MAX_LINE_LEN);
    let mut count = 0;
    let mut hash_at = None;
    while let Some(line) = lines
        .next_line()
        .map_err(|e| Error::io("cannot read", path, e))?
    {
        if line.too_long {
            return Err(Error::integrity(
                path,
                "a line is longer than the 64 KiB a log line may hold (not written by sm)",
            ));
        }
        if parse_entry(&line.bytes).is_some() {
            count += 1;
            if at == Some(count) {
                hash_at = Some(crypto::sha256_hex(&line.bytes));
            }
        }
    }
    Ok((count, hash_at))
}

/// Opens the log at `path` for appending and locks it. `sm doctor`
/// replaces a log it repairs (under the same lock), so a lock taken on a
/// file that is no longer at `path` is dropped and taken on the new one.
/// Returns the file with its length under the lock.
pub(super) fn open_locked(store: &Store, path: &Path) -> Result<(File, u64)> {
    for _ in 0..100 {
        let file = store.fs().open_append(path)?;
        lock_file(&file, path)?;
        if let Some(len) = store.fs().same_file_len(path, &file)? {
            return Ok((file, len));
        }
    }
    Err(Error::conflict(format!(
        "the log {} keeps being replaced by another sm process",
        path.display()
    )))
}

pub(super) fn lock_file(file: &File, path: &Path) -> Result<()> {
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

/// Where the next entry goes.
pub(super) struct Tail {
    /// The file's length.
    pub len: u64,
    /// The hash of the last whole entry (GENESIS if there is none).
    pub prev: String,
    /// Whether the file ends without a newline (a torn line, or a whole
    /// entry whose newline was not written).
    pub needs_newline: bool,
}

/// Reads the file's end (4 KiB first, more only when the last lines are
/// torn or long, at most [`MAX_LOG_TAIL`] bytes) and finds the last line
/// that is an entry, passing over torn lines.
pub(super) fn read_tail(file: &File, path: &Path) -> Result<Tail> {
    let len = file
        .metadata()
        .map_err(|e| Error::io("cannot read", path, e))?
        .len();
    read_tail_at(file, path, len)
}

/// Like [`read_tail`] for a file known to be `len` bytes long (it is
/// locked, so it cannot grow meanwhile).
pub(super) fn read_tail_at(file: &File, path: &Path, len: u64) -> Result<Tail> {
    if len == 0 {
        return Ok(Tail {
            len,
            prev: GENESIS.to_string(),
            needs_newline: false,
        });
    }
    let mut chunk = 4096u64;
    loop {
        let start = len.saturating_sub(chunk);
        let mut tail = vec![0u8; (len - start) as usize];
        file.read_exact_at(&mut tail, start)
            .map_err(|e| Error::io("cannot read", path, e))?;
        let needs_newline = tail.last() != Some(&b'\n');
        let body = tail.strip_suffix(b"\n").unwrap_or(&tail);
        // Unless the file starts here, the first piece may be the end of a
        // longer line: only what follows a newline is a whole line.
        let whole = match start {
            0 => Some(body),
            _ => body
                .iter()
                .position(|b| *b == b'\n')
                .map(|p| &body[p + 1..]),
        };
        if let Some(whole) = whole
            && let Some(line) = whole
                .rsplit(|b| *b == b'\n')
                .find(|line| parse_entry(line).is_some())
        {
            return Ok(Tail {
                len,
                prev: crypto::sha256_hex(line),
                needs_newline,
            });
        }
        if start == 0 {
            return Ok(Tail {
                len,
                prev: GENESIS.to_string(),
                needs_newline,
            });
        }
        if chunk >= MAX_LOG_TAIL {
            return Err(Error::integrity(
                path,
                format!(
                    "the last {MAX_LOG_TAIL} bytes of the log hold no whole entry; `sm doctor` removes torn lines"
                ),
            ));
        }
        chunk = (chunk * 16).min(MAX_LOG_TAIL);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clip_cuts_long_fields_at_a_character_boundary() {
        assert_eq!(clip_str("short"), "short");
        let exact = "a".repeat(MAX_FIELD);
        assert_eq!(clip_str(&exact), exact);
        // A two-byte character straddles the limit: cut before it.
        let long = format!("{}é{}", "a".repeat(MAX_FIELD - 1), "b".repeat(10));
        let cut = clip_str(&long);
        assert_eq!(cut, format!("{}…", "a".repeat(MAX_FIELD - 1)));
    }

    fn tail_of(data: &[u8]) -> Tail {
        let mut file = tempfile::tempfile().unwrap();
        file.write_all(data).unwrap();
        read_tail(&file, Path::new("log.jsonl")).unwrap()
    }

    fn line() -> Vec<u8> {
        let entry = Entry {
            time: "2026-01-01T00:00:00.000Z".into(),
            actor: "alice".into(),
            op: "get".into(),
            secret: None,
            version: None,
            labels: Vec::new(),
            outcome: "ok".into(),
            program: None,
            detail: None,
            prev: GENESIS.into(),
            sig: String::new(),
        };
        serde_json::to_vec(&entry).unwrap()
    }

    #[test]
    fn an_empty_log_starts_at_genesis() {
        let t = tail_of(b"");
        assert_eq!(t.prev, GENESIS);
        assert!(!t.needs_newline);
    }

    #[test]
    fn a_torn_tail_is_passed_over_and_left_in_place() {
        let whole = line();
        let mut data = whole.clone();
        data.extend_from_slice(b"\n{\"time\":\"2026-");
        let t = tail_of(&data);
        assert_eq!(t.prev, crypto::sha256_hex(&whole));
        assert!(t.needs_newline);
        // Torn lines on lines of their own are passed over as well.
        data.extend_from_slice(b"\n{\"ti\n");
        let t = tail_of(&data);
        assert_eq!(t.prev, crypto::sha256_hex(&whole));
        assert!(!t.needs_newline);
    }

    #[test]
    fn a_log_of_only_torn_lines_starts_at_genesis() {
        let t = tail_of(b"{\"time\n{\"ac");
        assert_eq!(t.prev, GENESIS);
        assert!(t.needs_newline);
    }

    #[test]
    fn torn_lines_longer_than_the_first_read_are_passed_over() {
        let whole = line();
        let mut data = Vec::new();
        for _ in 0..20 {
            data.extend_from_slice(&whole);
            data.push(b'\n');
        }
        data.extend_from_slice(&vec![b'x'; 10_000]);
        data.push(b'\n');
        data.extend_from_slice(b"{\"torn");
        let t = tail_of(&data);
        assert_eq!(t.prev, crypto::sha256_hex(&whole));
        assert!(t.needs_newline);
    }

    #[test]
    fn a_whole_entry_without_its_newline_is_chained_to() {
        let whole = line();
        let t = tail_of(&whole);
        assert_eq!(t.prev, crypto::sha256_hex(&whole));
        assert!(t.needs_newline);
    }
}
