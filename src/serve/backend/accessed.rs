//! When each secret's value was last read, for the service's
//! `LastAccessedDate`, and when it last changed, for `LastChangedDate`:
//! from the logs, as `sm show` finds its last read (an entry of a
//! value-reading command with outcome `ok`, see
//! [`crate::audit::Entry::reads_value`]; a change is one of
//! [`crate::audit::Entry::changes_secret`]), so the API and the command
//! line say the same. Every member's and device's log counts, so reads on other
//! machines show once `git pull` brings their logs.
//!
//! The logs grow by an entry per read without bound, so they are not read
//! in full per call: the index remembers how far it read each file (by
//! device, inode and offset) and reads only what was appended since. A
//! file that is gone, replaced or shorter than that (`sm doctor`, a
//! rewritten history) makes it start over from every file's start.
//!
//! Like the service's, the date is a hint, not a proof: entries are read
//! as written (`sm log verify` checks their chains and signatures).

use std::collections::HashMap;
use std::io::{Read, Seek, SeekFrom};
use std::os::unix::fs::MetadataExt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use jiff::Timestamp;

use crate::audit::{self, MAX_LINE_LEN};
use crate::store::Store;

/// The last read of each secret and of each of its versions.
pub type LastReads = Arc<Reads>;

/// When values were last read: by secret name, and by secret name and
/// version id (ListSecretVersionIds gives each version's); and when each
/// secret last changed, by the same logs.
#[derive(Clone, Debug, Default)]
pub struct Reads {
    secrets: HashMap<String, Timestamp>,
    versions: HashMap<(String, String), Timestamp>,
    changes: HashMap<String, Timestamp>,
}

impl Reads {
    /// The last read of any version of `name`.
    pub fn get(&self, name: &str) -> Option<Timestamp> {
        self.secrets.get(name).copied()
    }

    /// The last read of version `id` of `name`.
    pub fn version(&self, name: &str, id: &str) -> Option<Timestamp> {
        self.versions
            .get(&(name.to_string(), id.to_string()))
            .copied()
    }

    /// The last logged change of `name` (see
    /// [`crate::audit::Entry::changes_secret`]).
    pub fn changed(&self, name: &str) -> Option<Timestamp> {
        self.changes.get(name).copied()
    }

    /// Counts a read of `secret` (version `version`, when known) at `time`.
    fn note(&mut self, secret: String, version: Option<String>, time: Timestamp) {
        if let Some(v) = version {
            later(&mut self.versions, (secret.clone(), v), time);
        }
        later(&mut self.secrets, secret, time);
    }
}

/// Keeps the later of `time` and what `map` holds for `key`.
fn later<K: std::hash::Hash + Eq>(map: &mut HashMap<K, Timestamp>, key: K, time: Timestamp) {
    match map.get_mut(&key) {
        Some(known) if *known >= time => {}
        Some(known) => *known = time,
        None => {
            map.insert(key, time);
        }
    }
}

/// How far one log file was read.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Mark {
    dev: u64,
    ino: u64,
    /// Bytes read: whole lines only.
    offset: u64,
}

#[derive(Default)]
struct Index {
    /// The store read (its id), the files and how far each was read.
    store: String,
    marks: HashMap<PathBuf, Mark>,
    last: LastReads,
}

/// The index, shared by a server's calls.
#[derive(Default)]
pub struct Accessed {
    index: Mutex<Index>,
}

impl Accessed {
    /// The last read of each secret, with the logs read as far as they
    /// reach now. A log that cannot be read leaves what is known (the
    /// date is left out, never an error).
    pub fn last_reads(&self, store: &Store) -> LastReads {
        let mut index = self.index.lock().unwrap_or_else(|e| e.into_inner());
        if index.store != store.id() {
            *index = Index {
                store: store.id().to_string(),
                ..Index::default()
            };
        }
        if index.catch_up(store).is_err() {
            // Started over below with the next call: keep the answer.
            index.marks.clear();
            index.last = LastReads::default();
        }
        index.last.clone()
    }
}

impl Index {
    fn catch_up(&mut self, store: &Store) -> crate::Result<()> {
        let files = audit::log_files(store)?;
        let mut opened = Vec::with_capacity(files.len());
        let mut restart = self.marks.keys().any(|p| !files.contains(p));
        for path in files {
            let Some((file, size)) = store.fs().open_read(&path, u64::MAX)? else {
                restart = true;
                continue;
            };
            let meta = file
                .metadata()
                .map_err(|e| crate::Error::io("cannot read", &path, e))?;
            let at = Mark {
                dev: meta.dev(),
                ino: meta.ino(),
                offset: size,
            };
            if let Some(mark) = self.marks.get(&path)
                && (mark.dev != at.dev || mark.ino != at.ino || mark.offset > size)
            {
                restart = true;
            }
            opened.push((path, file, at));
        }
        if restart {
            self.marks.clear();
            self.last = LastReads::default();
        }
        for (path, mut file, at) in opened {
            let from = self.marks.get(&path).map_or(0, |m| m.offset);
            if from == at.offset {
                continue;
            }
            file.seek(SeekFrom::Start(from))
                .map_err(|e| crate::Error::io("cannot read", &path, e))?;
            let mut bytes = Vec::with_capacity((at.offset - from) as usize);
            file.take(at.offset - from)
                .read_to_end(&mut bytes)
                .map_err(|e| crate::Error::io("cannot read", &path, e))?;
            // Whole lines only: a line still being written is read next
            // time, from its start.
            let whole = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            let last = Arc::make_mut(&mut self.last);
            for line in bytes[..whole].split(|&b| b == b'\n') {
                if line.len() > MAX_LINE_LEN {
                    continue;
                }
                note(last, line);
            }
            self.marks.insert(
                path,
                Mark {
                    offset: from + whole as u64,
                    ..at
                },
            );
        }
        Ok(())
    }
}

/// Counts `line` if it is an entry of a successful value read.
fn note(last: &mut Reads, line: &[u8]) {
    let Some(entry) = audit::parse_entry(line) else {
        return;
    };
    let (reads, changes) = (entry.reads_value(), entry.changes_secret());
    if !reads && !changes {
        return;
    }
    let (Some(secret), Ok(time)) = (entry.secret, entry.time.parse::<Timestamp>()) else {
        return;
    };
    if changes {
        later(&mut last.changes, secret, time);
    } else {
        last.note(secret, entry.version, time);
    }
}
