//! A long-lived appender for a process that logs many calls (`sm serve`):
//! the log file stays open between batches, so a batch whose file is still
//! the one it left (same file at the path, same length) costs a lock, a
//! `stat`, the signing and one write, instead of opening the file beneath
//! the store root, reading its tail and this machine's memory of it again.
//!
//! Anything else (another process appended, `sm doctor` replaced the file,
//! someone cut it) is noticed at the next batch, and that batch takes the
//! full path of [`Batch::open`], checks included.
//!
//! This machine's memory of the file's head is written with every durable
//! batch, and otherwise at most every [`MARK_EVERY`]: a server under load
//! would otherwise replace a small file per batch. The memory then trails
//! the file by at most that long's reads (whose entries are not fsynced
//! either), is written when the appender is flushed, and is never written
//! over another process's newer memory (it is written only while the file
//! is still the one this appender left, under its lock). A memory that
//! trails the file is still checked in full by the next process: the entry
//! it remembers must be where it was.

use std::fs::File;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::append::{self, Batch, Tail};
use super::heads::{Head, HeadMemory};
use super::{Event, Target, log_path, relative_path};
use crate::crypto::Identity;
use crate::error::{Error, Result};
use crate::store::Store;

/// How long a read's head may go unremembered.
pub const MARK_EVERY: Duration = Duration::from_millis(100);

/// The appender: the open log, if a batch left one.
#[derive(Default)]
pub struct Appender {
    open: Option<OpenLog>,
}

struct OpenLog {
    path: PathBuf,
    file: File,
    /// The file's length after the last batch.
    len: u64,
    /// The hash of its last entry.
    prev: String,
    /// Whether it ends without a newline (only before the first batch).
    needs_newline: bool,
    /// Its name in the memory and its whole entries, when it is
    /// remembered.
    remembered: Option<(String, u64)>,
    /// The head not yet remembered, and when it was last remembered.
    unremembered: bool,
    remembered_at: Instant,
}

impl OpenLog {
    /// Locks the file and tells whether it is still the one the last batch
    /// left (unlocked again when it is not).
    fn resume(&self, store: &Store) -> Result<bool> {
        append::lock_file(&self.file, &self.path)?;
        let same = store.fs().same_file_len(&self.path, &self.file)? == Some(self.len);
        if !same {
            self.unlock();
        }
        Ok(same)
    }

    fn unlock(&self) {
        let _ = fs4::FileExt::unlock(&self.file);
    }

    fn remember(&mut self, memory: &dyn HeadMemory, durable: bool) -> Result<()> {
        if let Some((rel, count)) = &self.remembered {
            let head = Head {
                count: *count,
                hash: self.prev.clone(),
            };
            memory.set(rel, &head, durable)?;
        }
        self.unremembered = false;
        self.remembered_at = Instant::now();
        Ok(())
    }
}

impl Appender {
    /// Signs `events` and appends them to `target`'s log in one write, as
    /// [`super::append`] does; `sync` makes them (and the memory of the
    /// head) durable first. A store that cannot take an append because it
    /// is read-only gets the entries in the per-user fallback log.
    pub fn append(
        &mut self,
        store: &Store,
        identity: &Identity,
        target: Target<'_>,
        events: &[Event],
        sync: bool,
    ) -> Result<()> {
        if events.is_empty() {
            return Ok(());
        }
        let resumed = match &self.open {
            Some(open) => open.resume(store)?,
            None => false,
        };
        if !resumed {
            self.open = None;
            match self.open_fresh(store, target) {
                Ok(open) => self.open = Some(open),
                Err(err) if super::fallback::is_read_only(&err) => {
                    return append::append_read(store, identity, target, events, sync);
                }
                Err(err) => return Err(err),
            }
        }
        let open = self.open.as_mut().expect("opened above");
        let result = write(open, store, identity, target, events, sync);
        match result {
            Ok(()) => {
                open.unlock();
                Ok(())
            }
            Err(err) => {
                open.unlock();
                self.open = None;
                Err(err)
            }
        }
    }

    /// Whether a head is waiting to be remembered, and for how long more.
    pub fn unremembered(&self) -> Option<Duration> {
        self.open
            .as_ref()
            .filter(|o| o.unremembered)
            .map(|o| MARK_EVERY.saturating_sub(o.remembered_at.elapsed()))
    }

    /// Remembers the head of the last batch, if it is not yet and the file
    /// is still as that batch left it.
    pub fn flush(&mut self, store: &Store, memory: Option<&dyn HeadMemory>) -> Result<()> {
        let Some(open) = self.open.as_mut().filter(|o| o.unremembered) else {
            return Ok(());
        };
        if !open.resume(store)? {
            self.open = None;
            return Ok(());
        }
        let result = match memory {
            Some(memory) => open.remember(memory, false),
            None => Ok(()),
        };
        open.unlock();
        result
    }

    /// Forgets the open file (the next batch opens it afresh).
    pub fn reset(&mut self) {
        self.open = None;
    }

    fn open_fresh(&self, store: &Store, target: Target<'_>) -> Result<OpenLog> {
        let path = log_path(store, target.member, target.device);
        let (file, len) = append::open_locked(store, &path)?;
        let opened = (|| {
            let tail = append::read_tail_at(&file, &path, len)?;
            let remembered = match (target.memory, relative_path(store, &path)) {
                (Some(memory), Some(rel)) => {
                    let count = append::check_seen(store, &file, &path, &tail, memory.get(&rel)?)?;
                    Some((rel, count))
                }
                _ => None,
            };
            Ok::<_, Error>((tail, remembered))
        })();
        let (tail, remembered) = match opened {
            Ok(v) => v,
            Err(err) => {
                let _ = fs4::FileExt::unlock(&file);
                return Err(err);
            }
        };
        Ok(OpenLog {
            path,
            file,
            len: tail.len,
            prev: tail.prev,
            needs_newline: tail.needs_newline,
            remembered,
            unremembered: false,
            remembered_at: Instant::now() - MARK_EVERY,
        })
    }
}

/// Signs and writes one batch to the locked `open` log.
fn write(
    open: &mut OpenLog,
    store: &Store,
    identity: &Identity,
    target: Target<'_>,
    events: &[Event],
    sync: bool,
) -> Result<()> {
    let file = open
        .file
        .try_clone()
        .map_err(|e| Error::io("cannot append to the log", &open.path, e))?;
    let tail = Tail {
        len: open.len,
        prev: std::mem::take(&mut open.prev),
        needs_newline: open.needs_newline,
    };
    let mut batch = Batch::start(
        store,
        identity,
        target.member,
        open.path.clone(),
        file,
        tail,
        false,
    );
    for event in events {
        batch.push(event);
    }
    let written = batch.write(sync)?;
    open.len += written.bytes;
    open.prev = written.prev;
    open.needs_newline = false;
    if let Some((_, count)) = open.remembered.as_mut() {
        *count += written.entries;
    }
    open.unremembered = true;
    if let Some(memory) = target.memory
        && (sync || open.remembered_at.elapsed() >= MARK_EVERY)
    {
        open.remember(memory, sync)?;
    }
    Ok(())
}
