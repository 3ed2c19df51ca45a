//! The store as the server sees it: opened with the identity of the member
//! who started the server, verified, pinned and checked for freshness on
//! every call (so the next request after a rotation or a `git pull` sees
//! the new `current`), and the log the server's calls are signed into.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::audit::{self, Event};
use crate::crypto::Identity;
use crate::error::Result;
use crate::store::Store;
use crate::trust::log_heads::LogHeads;
use crate::trust::seen::Seen;
use crate::trust::{self, location};

/// The default account id in ARNs (`--account-id` changes it).
pub const DEFAULT_ACCOUNT: &str = "000000000000";

/// What every call of the server shares.
pub struct Backend {
    root: PathBuf,
    config_dir: PathBuf,
    identity: Identity,
    account: String,
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
        let backend = Backend {
            root: root.to_path_buf(),
            config_dir: config_dir.to_path_buf(),
            identity,
            account: account.to_string(),
        };
        let store = backend.open()?;
        store.member_for(&backend.identity)?;
        Ok(backend)
    }

    /// Opens the store for one call: verified through the read cache,
    /// pinned to its location, with this machine's freshness memory.
    pub fn open(&self) -> Result<Store> {
        let mut store = Store::open_cached(&self.root, &self.identity)?;
        location::check_location(&self.config_dir, &store)?;
        trust::check_pin(&self.config_dir, &store)?;
        let seen = Seen::new(&self.config_dir, &store);
        store.set_freshness(Arc::new(seen))?;
        Ok(store)
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

    /// Writes the read entries not yet written (a server calls it when
    /// it stops).
    pub fn flush(&self) -> Result<()> {
        Ok(())
    }

    /// Appends `events` to the acting member's log on this device. Writes
    /// pass `durable` (the entry is on disk before the call is answered);
    /// reads do not (as `sm get`).
    pub fn log(&self, store: &Store, events: &[Event], durable: bool) -> Result<()> {
        if events.is_empty() {
            return Ok(());
        }
        let member = store.member_for(&self.identity)?.name.clone();
        let seen = trust::seen_dir(&self.config_dir, store);
        let device = trust::device::device_id_in(&seen)?;
        let memory = LogHeads::in_seen_dir(&seen);
        let target = audit::Target {
            member: &member,
            device: &device,
            memory: Some(&memory),
        };
        if durable {
            audit::append(store, &self.identity, target, events, true)
        } else {
            let mut batch = audit::Batch::open_read(store, &self.identity, target)?;
            for event in events {
                batch.push(event);
            }
            batch.commit(false)
        }
    }
}
