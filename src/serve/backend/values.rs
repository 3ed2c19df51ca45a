//! The values the server read last, kept in memory with a `stat` of every
//! file the read looked at (the secret's folder, `meta.toml`, its
//! tombstone, the version's record, ciphertext and rewrap side record).
//! A warm read costs those `stat` calls: while every stamp is the same,
//! the files are byte for byte the ones read, verified and admitted as
//! fresh before, by the same opened store (same team files, access rules
//! and pins). Any change (a rotation, a `git pull`, a file touched by
//! hand) misses, and the read goes through the store, verifying fully.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::{FileStamp, stamp};
use crate::store::{GetRequest, Got, Selector, Store};

/// How many reads are kept; past it the memory starts over.
const MAX_ENTRIES: usize = 4096;

/// One read kept: what it answered and the stamps of its files then.
struct Kept {
    /// The store that read it (kept alive, so its address names it).
    store: Arc<Store>,
    stamps: Vec<FileStamp>,
    got: Got,
}

/// The memory of reads, by secret name and selector.
#[derive(Default)]
pub struct Values {
    kept: Mutex<HashMap<(String, Selector), Kept>>,
}

/// The files a read of `name`'s version `id` looks at.
fn files(store: &Store, name: &str, id: &str) -> [PathBuf; 7] {
    let dir = store.secret_dir(name);
    let versions = dir.join("versions");
    [
        dir.clone(),
        dir.join("meta.toml"),
        dir.join("tombstone.toml"),
        versions.join(format!("{id}.toml")),
        versions.join(format!("{id}.age")),
        versions.join(format!("{id}.rewrap")),
        versions,
    ]
}

fn stamps(paths: &[PathBuf]) -> Vec<FileStamp> {
    paths.iter().map(|p| stamp(Path::new(p))).collect()
}

fn copy(got: &Got) -> Got {
    Got {
        version_id: got.version_id.clone(),
        labels: got.labels.clone(),
        record: got.record.clone(),
        secret_created: got.secret_created.clone(),
        value: got.value.clone(),
    }
}

impl Values {
    /// Reads `request` with `store` (which is `opened`, the backend's
    /// current store, or a store this memory does not use), answering
    /// from memory while the files read are unchanged.
    pub fn get(
        &self,
        store: &Store,
        opened: Option<Arc<Store>>,
        read: impl Fn() -> crate::Result<Got>,
        request: &GetRequest<'_>,
    ) -> crate::Result<Got> {
        let Some(opened) = opened.filter(|o| std::ptr::eq(Arc::as_ptr(o), store)) else {
            return read();
        };
        let key = (request.name.to_string(), request.selector.clone());
        {
            let kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(k) = kept.get(&key)
                && std::ptr::eq(Arc::as_ptr(&k.store), store)
                && stamps(&files(store, request.name, &k.got.version_id)) == k.stamps
            {
                return Ok(copy(&k.got));
            }
        }
        // A miss reads twice: the stamps are taken between the reads, so
        // what is kept is what the files held at (or after) the stamps; a
        // change during the second read shows at the next call, never
        // hides.
        let first = read()?;
        let now = stamps(&files(store, request.name, &first.version_id));
        let got = read()?;
        if got.version_id != first.version_id
            || stamps(&files(store, request.name, &got.version_id)) != now
        {
            return Ok(got);
        }
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        if kept.len() >= MAX_ENTRIES {
            kept.clear();
        }
        kept.insert(
            key,
            Kept {
                store: opened,
                stamps: now,
                got: copy(&got),
            },
        );
        Ok(got)
    }
}
