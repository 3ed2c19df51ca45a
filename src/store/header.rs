//! `.sm/header.toml`: the signed header that binds the team files (store
//! settings, members, access rules and groups, replicas) together, as TUF's
//! snapshot binds its metadata. It lists the SHA-256 of each team file's
//! bytes, and a team file it does not list must not exist; its sequence
//! rises with every team change. So replaying one older team file, deleting
//! `access.toml`, or mixing files from different points of history is
//! caught by every reader, and a replay of the whole set is caught by the
//! sequence each machine remembers (see [`super::fresh`]).

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::Store;
use super::files::{self, Checked, FORMAT, FORMAT_FRESHNESS, Signature, SignedFile};
use super::fsio::Durability;
use super::safe::MAX_TOML_LEN;
use crate::cache::{self, Digest};
use crate::crypto::{self, Identity, VerifyingKey};
use crate::error::{Error, Result};

/// The header's file name under `.sm/`.
pub const HEADER_FILE: &str = "header.toml";

/// The team files a header binds (file names under `.sm/`).
pub const TEAM_FILES: [&str; 4] = ["access.toml", "members.toml", "replicas.toml", "store.toml"];

/// `.sm/header.toml`.
#[derive(Clone, Debug, Serialize, Deserialize, Default, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct HeaderFile {
    /// Rises with every team change.
    pub seq: u64,
    /// Team file name to the SHA-256 (hex) of its bytes.
    pub files: BTreeMap<String, String>,
    /// Signed by an admin.
    pub signature: Option<Signature>,
}

impl SignedFile for HeaderFile {
    const DOMAIN: &'static str = "sm header.toml v1";
    fn signature_slot(&mut self) -> &mut Option<Signature> {
        &mut self.signature
    }
}

impl Checked for HeaderFile {
    fn check(&self, file: &Path) -> Result<()> {
        if self.seq == 0 {
            return Err(Error::integrity(
                file,
                "field `seq`: the sequence starts at 1",
            ));
        }
        for (name, hash) in &self.files {
            if !TEAM_FILES.contains(&name.as_str()) {
                return Err(Error::integrity(
                    file,
                    format!(
                        "field `files`: `{}` is not a team file",
                        name.escape_debug()
                    ),
                ));
            }
            if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(Error::integrity(
                    file,
                    format!("field `files.\"{name}\"`: not a SHA-256 in hex"),
                ));
            }
        }
        if let Some(sig) = &self.signature {
            super::name::validate_member_name(&sig.by)
                .map_err(|e| Error::integrity(file, format!("field `signature.by`: {e}")))?;
        }
        Ok(())
    }
}

/// A header that verified when the store was opened.
#[derive(Clone, Debug)]
pub struct Verified {
    /// The header as signed.
    pub file: HeaderFile,
    /// The SHA-256 of its bytes.
    pub digest: Digest,
    /// The signer's signing key (`ed25519:…`).
    pub signer_key: String,
}

/// The team files' bytes as read at open, by file name (`None`: absent).
pub(super) type TeamBytes<'a> = [(&'static str, Option<&'a [u8]>); 4];

/// Finds the key (and its text) of an admin who signed a file, or fails.
pub(super) type AdminKey<'a> = dyn Fn(&str, &Path) -> Result<(VerifyingKey, String)> + 'a;

/// Verifies the header against the team files: it must be signed by an
/// admin (`admin_key` finds the signer's key, or fails), and list exactly
/// the team files that exist, with the hashes of their bytes. A store of
/// format 2 or later must have one; a format-1 store has none until it is
/// upgraded. `check` false skips the signature and hash checks (the read
/// cache saw these exact bytes verified).
pub(super) fn verify(
    store_id: &str,
    format: u32,
    path: &Path,
    bytes: Option<&[u8]>,
    team: &TeamBytes<'_>,
    admin_key: &AdminKey<'_>,
    check: bool,
) -> Result<Option<Verified>> {
    let Some(bytes) = bytes else {
        if format >= FORMAT_FRESHNESS {
            return Err(Error::integrity(
                path,
                format!("missing: a format-{format} store has a signed header, and it was deleted"),
            )
            .with_hint("restore it from git history (`git log -- .sm/header.toml`)"));
        }
        return Ok(None);
    };
    let mut file: HeaderFile = super::files::parse_toml(bytes, path)?;
    let signer = file.signer(path)?;
    let (key, signer_key) = admin_key(&signer, path)?;
    if check {
        file.verify_with(store_id, &key, path)?;
        let sm_dir = path.parent().unwrap_or(path);
        for (name, present) in team {
            let listed = file.files.get(*name);
            let at = sm_dir.join(name);
            match (listed, present) {
                (Some(hash), Some(bytes)) if *hash == crypto::sha256_hex(bytes) => {}
                (Some(_), Some(_)) => {
                    return Err(Error::integrity(
                        &at,
                        "the file is not the one the signed header lists (replayed from history, edited, or an admin change was interrupted)",
                    )
                    .with_hint("`git log -p -- .sm/` shows who changed it; restore the listed version from git history, or run `sm doctor` if your own admin change was interrupted"));
                }
                (Some(_), None) => {
                    return Err(Error::integrity(
                        &at,
                        "missing: the signed header lists this file, and it was deleted",
                    )
                    .with_hint("restore it from git history (`git log -- .sm/`)"));
                }
                (None, Some(_)) => {
                    return Err(Error::integrity(
                        &at,
                        "the signed header does not list this file (it was added or restored behind sm's back)",
                    )
                    .with_hint("remove it, or restore the header that lists it from git history"));
                }
                (None, None) => {}
            }
        }
    }
    Ok(Some(Verified {
        file,
        digest: cache::digest(&[bytes]),
        signer_key,
    }))
}

/// Builds the next header: the given team files' bytes (all four, `None`
/// for absent ones) with the sequence after `previous`, signed by `admin`.
pub(super) fn next(
    store_id: &str,
    previous: Option<&HeaderFile>,
    team: &TeamBytes<'_>,
    identity: &Identity,
    admin: &str,
) -> HeaderFile {
    let mut file = HeaderFile {
        seq: previous.map_or(0, |h| h.seq) + 1,
        files: team
            .iter()
            .filter_map(|(name, bytes)| bytes.map(|b| (name.to_string(), crypto::sha256_hex(b))))
            .collect(),
        signature: None,
    };
    file.sign(store_id, identity, admin);
    file
}

/// The header an interrupted team change left: written under `.sm/locks/`
/// (local to this machine, never committed) before the team files, so
/// `sm doctor` can finish the change.
pub const PENDING_HEADER: &str = "header.next";

impl Store {
    /// Writes changed team files (`changes`: file name under `.sm/` and its
    /// new, signed bytes) and a new header binding every team file, signed
    /// by admin `admin`. The caller holds the store lock. A format-1 store
    /// is upgraded on the way (its `store.toml` re-signed with format 2);
    /// returns true when that happened. The store is opened again after.
    pub(crate) fn write_team(
        &mut self,
        identity: &Identity,
        admin: &str,
        changes: &[(&'static str, Vec<u8>)],
    ) -> Result<bool> {
        let sm = self.sm_dir();
        let mut changes = changes.to_vec();
        let upgrade = self.config.format < FORMAT_FRESHNESS;
        if upgrade && !changes.iter().any(|(n, _)| *n == "store.toml") {
            let mut config = self.config.clone();
            config.format = FORMAT;
            config.seq += 1;
            let id = config.id.clone();
            config.sign(&id, identity, admin);
            changes.push(("store.toml", files::to_toml(&config)));
        }
        let mut bytes: Vec<(&'static str, Option<Vec<u8>>)> = Vec::with_capacity(4);
        for name in TEAM_FILES {
            let now = match changes.iter().find(|(n, _)| *n == name) {
                Some((_, b)) => Some(b.clone()),
                None => self.fs.read(&sm.join(name), MAX_TOML_LEN)?,
            };
            bytes.push((name, now));
        }
        let team: TeamBytes<'_> = [
            (bytes[0].0, bytes[0].1.as_deref()),
            (bytes[1].0, bytes[1].1.as_deref()),
            (bytes[2].0, bytes[2].1.as_deref()),
            (bytes[3].0, bytes[3].1.as_deref()),
        ];
        let header = next(self.id(), self.header(), &team, identity, admin);
        let header_bytes = files::to_toml(&header);
        let pending = sm.join("locks").join(PENDING_HEADER);
        self.fs.create_dir_all(&sm.join("locks"))?;
        self.fs
            .write_atomic(&pending, &header_bytes, Durability::Sync)?;
        for (name, data) in &changes {
            self.fs
                .write_atomic(&sm.join(name), data, Durability::Sync)?;
        }
        self.fs
            .write_atomic(&sm.join(HEADER_FILE), &header_bytes, Durability::Sync)?;
        self.fs.remove_file(&pending)?;
        self.reopen()?;
        Ok(upgrade)
    }

    /// Replaces one team file (`name` under `.sm/`) with `bytes`, under the
    /// store lock, as an admin, with a new header.
    pub(crate) fn replace_team_file(
        &mut self,
        identity: &Identity,
        name: &'static str,
        bytes: Vec<u8>,
    ) -> Result<bool> {
        let _lock = self.store_lock()?;
        self.reopen()?;
        let admin = self.require_admin(identity)?;
        self.write_team(identity, &admin.name, &[(name, bytes)])
    }

    /// Moves a format-1 store to the current format as admin `identity`
    /// (see [`Store::write_team`]). Returns false when it was current.
    pub fn upgrade(&mut self, identity: &Identity) -> Result<bool> {
        if self.config.format >= FORMAT_FRESHNESS {
            return Ok(false);
        }
        let _lock = self.store_lock()?;
        self.reopen()?;
        if self.config.format >= FORMAT_FRESHNESS {
            return Ok(false);
        }
        let admin = self.require_admin(identity)?;
        self.write_team(identity, &admin.name, &[])
    }

    /// Tells whether the store is at a format before freshness (no signed
    /// header yet).
    pub fn needs_upgrade(&self) -> bool {
        self.config.format < FORMAT_FRESHNESS
    }

    /// Finishes a team change that was interrupted between its files and
    /// its header (see [`PENDING_HEADER`]): installs the pending header if
    /// it verifies and lists exactly the team files on disk. Returns true
    /// when it did. For `sm doctor`.
    pub fn finish_team_change(root: &Path) -> Result<bool> {
        let fs = super::safe::StoreFs::open(root).map_err(|e| Error::io("cannot open", root, e))?;
        let sm = root.join(super::SM_DIR);
        let pending = sm.join("locks").join(PENDING_HEADER);
        let Some(next) = fs.read(&pending, MAX_TOML_LEN)? else {
            return Ok(false);
        };
        let header = sm.join(HEADER_FILE);
        let before = fs.read(&header, MAX_TOML_LEN)?;
        // Only a newer header finishes a change; anything else is stale.
        let seq_of = |bytes: &[u8]| {
            std::str::from_utf8(bytes)
                .ok()
                .and_then(|t| toml::from_str::<HeaderFile>(t).ok())
                .map(|h| h.seq)
        };
        if let Some(current) = before.as_deref().and_then(seq_of)
            && seq_of(&next).is_none_or(|n| n <= current)
        {
            fs.remove_file(&pending)?;
            return Ok(false);
        }
        fs.write_atomic(&header, &next, Durability::Sync)?;
        match Store::open(root) {
            Ok(_) => {
                fs.remove_file(&pending)?;
                Ok(true)
            }
            Err(e) => {
                // Not a finished change of these files: put the header back.
                match before {
                    Some(b) => fs.write_atomic(&header, &b, Durability::Sync)?,
                    None => {
                        fs.remove_file(&header)?;
                    }
                }
                fs.remove_file(&pending)?;
                Err(e)
            }
        }
    }
}
