//! Tombstones: a deletion (`sm rm --force`, `sm purge`) is a signed act.
//! The secret's folder keeps one small `tombstone.toml` whose sequence
//! continues the metadata's, so a clone that saw the secret can tell a
//! deletion from a folder removed by hand, and a `meta.toml` replayed
//! behind the tombstone stays deleted.
//!
//! Order of a deletion: the tombstone is written first, then `meta.toml`,
//! then the versions go. A crash in between leaves a tombstone newer than
//! the metadata: the secret reads as deleted, and `sm doctor` removes the
//! leftovers.

use std::path::PathBuf;

use super::super::Store;
use super::super::files::{self, Meta, SignedFile, Tombstone};
use super::super::fsio::Durability;
use super::super::safe::MAX_TOML_LEN;
use super::now_string;
use crate::cache;
use crate::crypto::Identity;
use crate::error::{Error, Result};

/// A tombstone's file name in a secret's folder.
pub const TOMBSTONE_FILE: &str = "tombstone.toml";

impl Store {
    /// Returns the path of a secret's tombstone.
    pub(crate) fn tombstone_path(&self, name: &str) -> PathBuf {
        self.secret_dir(name).join(TOMBSTONE_FILE)
    }

    /// Reads and verifies a secret's tombstone, if it has one, with the
    /// SHA-256 of its bytes. It must be signed by a member who may write
    /// the secret.
    pub(crate) fn read_tombstone(&self, name: &str) -> Result<Option<(Tombstone, cache::Digest)>> {
        let path = self.tombstone_path(name);
        let Some(bytes) = self.fs.read(&path, MAX_TOML_LEN)? else {
            return Ok(None);
        };
        let mut tomb: Tombstone = files::parse_toml(&bytes, &path)?;
        let signer = tomb.signer(&path)?;
        let key = self.member_key(&signer).ok_or_else(|| {
            Error::integrity(&path, format!("signed by `{signer}`, who is not a member"))
        })?;
        tomb.verify_with(&self.meta_context(name), key, &path)?;
        self.check_signer_may_write(&signer, name, &path)?;
        if tomb.name != name {
            return Err(Error::integrity(
                &path,
                format!("the file belongs to secret `{}` (moved by hand)", tomb.name),
            ));
        }
        Ok(Some((tomb, cache::digest(&[&bytes]))))
    }

    /// Deletes a secret now, leaving a signed tombstone (see the module
    /// docs). The caller holds the secret's lock and has checked that
    /// `author` may write it; `meta` is its verified metadata.
    pub(super) fn bury(&self, identity: &Identity, author: &str, meta: &Meta) -> Result<()> {
        let name = meta.name.as_str();
        let mut tomb = Tombstone {
            name: name.to_string(),
            seq: meta.seq + 1,
            deleted: now_string(),
            signature: None,
        };
        tomb.sign(&self.meta_context(name), identity, author);
        let bytes = files::to_toml(&tomb);
        let path = self.tombstone_path(name);
        self.fs.write_atomic(&path, &bytes, Durability::Sync)?;
        self.fresh
            .secret(name, tomb.seq, &cache::digest(&[&bytes]), &path)?;
        self.fs.remove_file(&self.meta_path(name))?;
        self.fs.remove_tree(&self.versions_dir(name))?;
        self.fs.sync_dir(&self.secret_dir(name))
    }

    /// The error for a secret that a tombstone says was deleted.
    pub(super) fn deleted_error(name: &str, tomb: &Tombstone) -> Error {
        let by = tomb.signature.as_ref().map_or("", |s| s.by.as_str());
        Error::not_found(format!(
            "secret `{name}` was deleted on {} by {by}",
            tomb.deleted
        ))
        .with_hint(format!(
            "`sm put {name}` creates it again; its old versions are gone"
        ))
    }

    /// Checks a listing against this machine's memory: a secret it saw
    /// that is gone without a tombstone, or listed with a lower sequence
    /// than it trusted, is read (and so verified) in full, which turns the
    /// replay or deletion into an integrity error. `listed` holds the
    /// listed names (sorted) with the sequences their unverified metadata
    /// claims; `select` limits the check to what was asked for.
    pub fn check_listing(
        &self,
        listed: &[(String, u64)],
        select: impl Fn(&str) -> bool,
    ) -> Result<()> {
        for (name, seen) in self.fresh.seen_secrets() {
            if !select(&name) {
                continue;
            }
            let suspicious = match listed.binary_search_by(|(n, _)| n.as_str().cmp(&name)) {
                Ok(i) => listed[i].1 < seen,
                Err(_) => true,
            };
            if suspicious {
                match self.read_meta(&name) {
                    Err(e @ Error::Integrity { .. }) => return Err(e),
                    _ => continue,
                }
            }
        }
        Ok(())
    }

    /// Checks a secret whose `meta.toml` is missing: deleted with a
    /// tombstone (exit 3, remembered), deleted behind sm's back where this
    /// machine saw it (exit 5), or never here (exit 3).
    pub(super) fn missing_meta(&self, name: &str) -> Result<Error> {
        if let Some((tomb, digest)) = self.read_tombstone(name)? {
            self.fresh
                .secret(name, tomb.seq, &digest, &self.tombstone_path(name))?;
            return Ok(Store::deleted_error(name, &tomb));
        }
        self.fresh.missing(name, &self.meta_path(name))?;
        Ok(Error::not_found(format!("no secret named `{name}`"))
            .with_hint("`sm ls` lists the secrets; `sm put NAME` creates one"))
    }
}
