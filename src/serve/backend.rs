//! The store as the server sees it: opened with the identity of the member
//! who started the server, verified, pinned and checked for freshness, and
//! the log the server's calls are signed into.
//!
//! Speed without staleness: the opened store is kept between calls, and
//! each call first re-checks cheaply (a `stat` of each team file: device,
//! inode, size, times) whether the team files changed; only then is the
//! store opened, verified and pinned again. A value read is kept with a
//! `stat` of each of the secret's files it came from (see [`values`]); any
//! change of them reads them again through the read cache, which
//! re-verifies any change of their bytes, so the next request after a
//! rotation or a `git pull` sees the new `current`. Every call's log
//! entries are signed and appended in batches, by whichever call finds the
//! log free (see [`writer`]); writes' entries are durable before the
//! answer.

mod accessed;
mod values;
mod writer;

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::audit::{self, Event};
use crate::crypto::Identity;
use crate::error::Result;
use crate::store::{GetRequest, Got, REPLICAS_FILE, SM_DIR, Store, header};
use crate::trust::log_heads::LogHeads;
use crate::trust::seen::Seen;
use crate::trust::{self, location};

pub use accessed::{LastReads, Reads};
pub use writer::Pending;
use writer::{LogTarget, Writer};

/// The default account id in ARNs (`--account-id` changes it).
pub const DEFAULT_ACCOUNT: &str = "000000000000";

/// The files whose change means the store must be opened and verified
/// again (the team files and the signed header; `access.toml` is the
/// access rules' file).
const TEAM_FILES: [&str; 5] = [
    "store.toml",
    "members.toml",
    "access.toml",
    REPLICAS_FILE,
    header::HEADER_FILE,
];

/// What a `stat` says about one file (all zero: missing).
type FileStamp = [i64; 6];

/// What every call of the server shares.
pub struct Backend {
    root: PathBuf,
    config_dir: PathBuf,
    identity: Arc<Identity>,
    account: String,
    /// The store opened last, with the stamps of its team files then.
    opened: Mutex<Option<(Vec<FileStamp>, Arc<Store>)>>,
    /// Where this member's calls are logged on this device.
    log_target: Mutex<Option<Arc<LogTarget>>>,
    writer: Writer,
    values: values::Values,
    accessed: accessed::Accessed,
}

fn stamp(path: &Path) -> FileStamp {
    match std::fs::symlink_metadata(path) {
        Ok(m) => [
            m.dev() as i64,
            m.ino() as i64,
            m.size() as i64,
            m.mtime() * 1_000_000_000 + m.mtime_nsec(),
            m.ctime() * 1_000_000_000 + m.ctime_nsec(),
            i64::from(m.mode()),
        ],
        Err(_) => [0; 6],
    }
}

impl Backend {
    /// Builds the backend for the store at `root`, acting with `identity`;
    /// `config_dir` is sm's folder in the user's config directory (pins and
    /// this machine's memory of the store). Opens the store once, so a
    /// store the identity is not a member of fails at start.
    pub fn new(
        root: &Path,
        config_dir: &Path,
        identity: Identity,
        account: &str,
    ) -> Result<Backend> {
        let identity = Arc::new(identity);
        let backend = Backend {
            root: root.to_path_buf(),
            config_dir: config_dir.to_path_buf(),
            identity: identity.clone(),
            account: account.to_string(),
            opened: Mutex::new(None),
            log_target: Mutex::new(None),
            writer: Writer::new(identity),
            values: values::Values::default(),
            accessed: accessed::Accessed::default(),
        };
        let store = backend.open()?;
        store.member_for(&backend.identity)?;
        Ok(backend)
    }

    fn stamps(&self) -> Vec<FileStamp> {
        let sm = self.root.join(SM_DIR);
        TEAM_FILES
            .iter()
            .map(|name| stamp(&sm.join(name)))
            .collect()
    }

    /// Opens the store for one call: verified through the read cache,
    /// pinned to its location, with this machine's freshness memory. The
    /// store opened by an earlier call is reused while its team files are
    /// unchanged.
    pub fn open(&self) -> Result<Arc<Store>> {
        let before = self.stamps();
        {
            let opened = self.opened.lock().unwrap_or_else(|e| e.into_inner());
            if let Some((stamps, store)) = opened.as_ref()
                && *stamps == before
            {
                return Ok(store.clone());
            }
        }
        let store = Arc::new(self.open_fresh()?);
        // Stamps taken before the read: a change during it shows at the
        // next call, never hides.
        let mut opened = self.opened.lock().unwrap_or_else(|e| e.into_inner());
        *opened = Some((before, store.clone()));
        Ok(store)
    }

    fn open_fresh(&self) -> Result<Store> {
        let mut store = Store::open_cached(&self.root, &self.identity)?;
        location::check_location(&self.config_dir, &store)?;
        trust::check_pin(&self.config_dir, &store)?;
        let seen = Seen::new(&self.config_dir, &store);
        store.set_freshness(Arc::new(seen))?;
        Ok(store)
    }

    /// Reads one version as [`Store::get`] does, with the server's
    /// identity; a read repeated while the secret's files are unchanged
    /// (by `stat`) is answered from memory (see [`values`]).
    pub fn get(&self, store: &Store, request: &GetRequest<'_>) -> Result<Got> {
        let opened = self.opened_now();
        self.values.get(
            store,
            opened,
            || store.get(&self.identity, request),
            request,
        )
    }

    /// When each secret's value was last read, from the logs (see
    /// [`accessed`]).
    pub fn last_reads(&self, store: &Store) -> LastReads {
        self.accessed.last_reads(store)
    }

    /// The identity the server acts with.
    pub fn identity(&self) -> &Identity {
        &self.identity
    }

    /// The account id shown in ARNs.
    pub fn account(&self) -> &str {
        &self.account
    }

    /// sm's folder in the user's config directory (pins, trusted hooks).
    pub fn config_dir(&self) -> &Path {
        &self.config_dir
    }

    /// The store's root folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The store opened last.
    fn opened_now(&self) -> Option<Arc<Store>> {
        self.opened
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            .map(|(_, s)| s.clone())
    }

    /// Waits until every entry handed to the log writer is written and
    /// its head remembered (a server calls it when it stops; every call's
    /// entry is written before its answer, so nothing is left behind).
    pub fn flush(&self) -> Result<()> {
        self.writer.flush();
        Ok(())
    }

    fn target(&self, store: &Store) -> Result<Arc<LogTarget>> {
        let mut cached = self.log_target.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(target) = cached.as_ref() {
            return Ok(target.clone());
        }
        let member = store.member_for(&self.identity)?.name.clone();
        let seen = trust::seen_dir(&self.config_dir, store);
        let device = trust::device::device_id_in(&seen)?;
        let target = Arc::new(LogTarget {
            member,
            device,
            seen,
        });
        *cached = Some(target.clone());
        Ok(target)
    }

    /// Appends `events` to the acting member's log on this device and
    /// returns once they are written; `durable` (writes) fsyncs them
    /// first. Reads' entries are not fsynced (as `sm get`'s).
    pub fn log(&self, store: &Store, events: &[Event], durable: bool) -> Result<()> {
        match self.log_deferred(store, events, durable)? {
            Some(pending) => pending.wait(),
            None => Ok(()),
        }
    }

    /// Hands `events` to the log writer and returns what to wait on before
    /// the call is answered. They are signed and appended with the entries
    /// of the other calls in flight, in one locked write. A store that is
    /// not the one opened last (it changed during the call) is logged at
    /// once, without the writer.
    pub fn log_deferred(
        &self,
        store: &Store,
        events: &[Event],
        durable: bool,
    ) -> Result<Option<Pending>> {
        if events.is_empty() {
            return Ok(None);
        }
        let target = self.target(store)?;
        match self.opened_now() {
            Some(opened) if std::ptr::eq(Arc::as_ptr(&opened), store) => self
                .writer
                .submit(opened, target, events.to_vec(), durable)
                .map(Some),
            _ => {
                let memory = LogHeads::in_seen_dir(&target.seen);
                let to = audit::Target {
                    member: &target.member,
                    device: &target.device,
                    memory: Some(&memory),
                };
                audit::append_read(store, &self.identity, to, events, durable)?;
                Ok(None)
            }
        }
    }
}
