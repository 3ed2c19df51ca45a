//! A store's team files as they are at another point than the folder on
//! disk (the other side of a git merge), verified from their bytes the way
//! [`Store::open`] verifies the files on disk: the member chain back to the
//! root key, admin signatures on the team files, and the signed header that
//! binds them. The store never asks git for the bytes: the caller passes
//! them in.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::files::{self, Member, Meta, SignedFile};
use super::{REPLICAS_FILE, Store, header, team};
use crate::crypto::VerifyingKey;
use crate::error::{Error, Result};
use crate::team::access::Access;

/// The bytes of a store's team files at one point (`None`: absent).
#[derive(Clone, Debug, Default)]
pub struct TeamBytes {
    /// `.sm/store.toml`.
    pub store: Option<Vec<u8>>,
    /// `.sm/members.toml`.
    pub members: Option<Vec<u8>>,
    /// `.sm/access.toml`.
    pub access: Option<Vec<u8>>,
    /// `.sm/replicas.toml`.
    pub replicas: Option<Vec<u8>>,
    /// `.sm/header.toml`.
    pub header: Option<Vec<u8>>,
}

impl TeamBytes {
    /// The files' names under `.sm/`, in the order [`TeamBytes::from_list`]
    /// takes them.
    pub const FILES: [&'static str; 5] = [
        "store.toml",
        "members.toml",
        team::ACCESS_FILE,
        REPLICAS_FILE,
        header::HEADER_FILE,
    ];

    /// Builds the set from the files' bytes in the order of
    /// [`TeamBytes::FILES`].
    pub fn from_list(list: Vec<Option<Vec<u8>>>) -> TeamBytes {
        let mut it = list.into_iter();
        let mut next = || it.next().flatten();
        TeamBytes {
            store: next(),
            members: next(),
            access: next(),
            replicas: next(),
            header: next(),
        }
    }
}

/// Who may write what, and with which keys, under one verified set of
/// team files.
#[derive(Clone, Debug)]
pub struct TeamView {
    store_id: String,
    members: Vec<Member>,
    keys: HashMap<String, VerifyingKey>,
    access: Access,
    header_seq: u64,
}

impl TeamView {
    /// Verifies team files given as bytes (named in errors as if under
    /// `sm_dir`, with `origin` saying where they came from) as belonging to
    /// the store `store_id` with root key `root_key`: the same store as the
    /// one on disk, so its pinned root decides.
    pub fn verify(
        sm_dir: &Path,
        origin: &str,
        bytes: &TeamBytes,
        store_id: &str,
        root_key: &str,
    ) -> Result<TeamView> {
        let at = |name: &str| -> PathBuf { sm_dir.join(format!("{name} ({origin})")) };
        let missing = |name: &str| Error::integrity(at(name), "missing");
        let files = super::snapshot::TeamFiles {
            store: bytes
                .store
                .as_deref()
                .ok_or_else(|| missing("store.toml"))?,
            members: bytes
                .members
                .as_deref()
                .ok_or_else(|| missing("members.toml"))?,
            access: bytes.access.as_deref(),
            replicas: bytes.replicas.as_deref(),
            header: bytes.header.as_deref(),
        };
        // The same checks as a store opened from disk; errors name the
        // files as they are in the folder.
        let root = sm_dir.parent().unwrap_or(sm_dir);
        let snap = super::snapshot::TeamView::verify(root, &files, true)?;
        if snap.config.id != store_id || snap.config.root_key != root_key {
            return Err(Error::integrity(
                at("store.toml"),
                format!(
                    "a different store (id {}) than this one ({store_id})",
                    snap.config.id
                ),
            ));
        }
        Ok(TeamView {
            store_id: store_id.to_string(),
            header_seq: snap.header.as_ref().map_or(0, |h| h.file.seq),
            members: snap.members.members,
            keys: snap.keys,
            access: snap.access,
        })
    }

    /// Returns the signing key text (`ed25519:…`) of member `name`.
    pub fn signing_key_of(&self, name: &str) -> Option<String> {
        self.members
            .iter()
            .find(|m| m.name == name)
            .map(|m| m.signing_key.clone())
    }

    /// Returns the signing keys of the active admins.
    pub fn admin_keys(&self) -> Vec<String> {
        self.members
            .iter()
            .filter(|m| m.admin && m.removed.is_none())
            .map(|m| m.signing_key.clone())
            .collect()
    }

    /// Returns the header's sequence (0: a format-1 store without one).
    pub fn header_seq(&self) -> u64 {
        self.header_seq
    }

    /// Tells whether `member` may write secret `name` under these rules.
    pub fn can_write(&self, name: &str, member: &str) -> bool {
        self.access.can_write(name, member, &self.members)
    }

    /// Parses a secret's `meta.toml` and verifies it under these team
    /// files: signed by a member who may write the secret.
    pub fn verify_meta(&self, name: &str, bytes: &[u8], path: &Path) -> Result<Meta> {
        let mut meta: Meta = files::parse_toml(bytes, path)?;
        let signer = meta.signer(path)?;
        let key = self.keys.get(&signer).ok_or_else(|| {
            Error::integrity(path, format!("signed by `{signer}`, who is not a member"))
        })?;
        meta.verify_with(&format!("{}\n{name}", self.store_id), key, path)?;
        if !self.can_write(name, &signer) {
            return Err(Error::integrity(
                path,
                format!(
                    "signed by `{signer}`, who may not write `{name}` under the access rules the merge leads to"
                ),
            ));
        }
        if meta.name != name {
            return Err(Error::integrity(
                path,
                format!("the file belongs to secret `{}` (moved by hand)", meta.name),
            ));
        }
        Ok(meta)
    }
}

impl Store {
    /// Verifies a signed file of the store's own (such as the replica
    /// list): signed by an active admin, over the store id.
    pub fn verify_admin_signed<F: SignedFile>(&self, file: &mut F, path: &Path) -> Result<()> {
        let signer = file.signer(path)?;
        let admin = self
            .members()
            .iter()
            .any(|m| m.name == signer && m.admin && m.removed.is_none());
        match self.member_key(&signer) {
            Some(key) if admin => file.verify_with(self.id(), key, path),
            _ => Err(Error::integrity(
                path,
                format!("signed by `{signer}`, who is not an admin of this store"),
            )),
        }
    }

    /// Returns this store's team files as verified at open, as a view.
    pub fn team_view(&self) -> TeamView {
        TeamView {
            store_id: self.id().to_string(),
            members: self.members().to_vec(),
            keys: self.keys.clone(),
            access: self.access.clone(),
            header_seq: self.header().map_or(0, |h| h.seq),
        }
    }
}
