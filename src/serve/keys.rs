//! The access keys a server accepts: the clients file of the config folder
//! for the store being served (re-read when the file changes, so `client
//! add` and `client rm` take effect at the next request), or a fixed set
//! held in memory only (`sm exec --serve`).

use std::collections::HashMap;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use zeroize::Zeroizing;

use super::Client;
use super::credentials::Clients;
use crate::error::Result;

type Table = HashMap<String, (Arc<Client>, Zeroizing<String>)>;

/// The keys a server accepts.
pub struct Keys {
    source: Option<Source>,
    table: RwLock<(Option<Stamp>, Arc<Table>)>,
}

struct Source {
    config_dir: PathBuf,
    store_id: String,
}

/// What identifies one content of the clients file.
type Stamp = (u64, u64, i64, i64, u64);

fn stamp(path: &Path) -> Option<Stamp> {
    let m = std::fs::metadata(path).ok()?;
    Some((m.dev(), m.ino(), m.mtime(), m.mtime_nsec(), m.size()))
}

impl Keys {
    /// The keys of the clients made for `store_id` in `config_dir`'s
    /// clients file; a file that cannot be trusted fails here (at start).
    pub fn from_file(config_dir: &Path, store_id: &str) -> Result<Keys> {
        let keys = Keys {
            source: Some(Source {
                config_dir: config_dir.to_path_buf(),
                store_id: store_id.to_string(),
            }),
            table: RwLock::new((None, Arc::new(Table::new()))),
        };
        keys.reload()?;
        Ok(keys)
    }

    /// A fixed set of keys, never written anywhere.
    pub fn fixed(entries: Vec<(Client, Zeroizing<String>)>) -> Keys {
        let table = entries
            .into_iter()
            .map(|(client, secret)| (client.access_key_id.clone(), (Arc::new(client), secret)))
            .collect();
        Keys {
            source: None,
            table: RwLock::new((None, Arc::new(table))),
        }
    }

    /// How many keys are accepted now.
    pub fn len(&self) -> usize {
        self.current().len()
    }

    /// Tells whether no key is accepted.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn reload(&self) -> Result<()> {
        let Some(source) = &self.source else {
            return Ok(());
        };
        let path = source.config_dir.join(super::credentials::FILE_NAME);
        let before = stamp(&path);
        let clients = Clients::load(&source.config_dir)?;
        let mut table = Table::new();
        for stored in clients.for_store(&source.store_id) {
            table.insert(
                stored.access_key_id.clone(),
                (
                    Arc::new(stored.client()?),
                    Zeroizing::new(stored.secret_access_key.clone()),
                ),
            );
        }
        let mut guard = self.table.write().unwrap_or_else(|e| e.into_inner());
        *guard = (before, Arc::new(table));
        Ok(())
    }

    /// The table now: the clients file is re-read when it changed (a file
    /// that turned bad keeps the last good table, and says so once).
    fn current(&self) -> Arc<Table> {
        if let Some(source) = &self.source {
            let path = source.config_dir.join(super::credentials::FILE_NAME);
            let now = stamp(&path);
            let known = self.table.read().unwrap_or_else(|e| e.into_inner()).0;
            if now != known
                && let Err(err) = self.reload()
            {
                eprintln!("sm serve: keeping the clients as they were: {err}");
                let mut guard = self.table.write().unwrap_or_else(|e| e.into_inner());
                guard.0 = now;
            }
        }
        self.table
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .1
            .clone()
    }

    /// Finds the client of an access key id and its secret key.
    pub fn lookup(&self, access_key_id: &str) -> Option<(Arc<Client>, Zeroizing<String>)> {
        let table = self.current();
        table
            .get(access_key_id)
            .map(|(client, secret)| (client.clone(), secret.clone()))
    }
}
