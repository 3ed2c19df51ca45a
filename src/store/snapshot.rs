//! The team files of a store verified from their bytes alone: the chain of
//! member endorsements back to the root key, admin signatures on the team
//! files, the access rules and the signed header. [`super::Store::open`]
//! builds one from the files on disk; `sm verify --history` builds one from
//! each commit's blobs, so it can judge who could sign what at that point of
//! history without a checkout (this module knows nothing of git: callers
//! pass bytes in).

use std::collections::HashMap;
use std::path::Path;

use super::files::{self, AccessFile, MembersFile, Meta, SignedFile, StoreFile, Tombstone};
use super::{REPLICAS_FILE, SM_DIR, header, members, team};
use crate::crypto::{Recipient, VerifyingKey};
use crate::error::{Error, Result};
use crate::team::access::Access;

/// The bytes of a store's team files and header at one point.
#[derive(Clone, Copy, Debug)]
pub struct TeamFiles<'a> {
    /// `.sm/store.toml`.
    pub store: &'a [u8],
    /// `.sm/members.toml`.
    pub members: &'a [u8],
    /// `.sm/access.toml`, if present.
    pub access: Option<&'a [u8]>,
    /// `.sm/replicas.toml`, if present.
    pub replicas: Option<&'a [u8]>,
    /// `.sm/header.toml`, if present.
    pub header: Option<&'a [u8]>,
}

/// Team files that verified: who is a member, who is an admin, the access
/// rules and the header.
#[derive(Clone, Debug)]
pub struct TeamView {
    pub(super) config: StoreFile,
    pub(super) members: MembersFile,
    pub(super) keys: HashMap<String, VerifyingKey>,
    pub(super) access: Access,
    pub(super) header: Option<header::Verified>,
}

impl TeamView {
    /// Verifies team files as [`super::Store::open`] does: the member chain
    /// back to the root key, every team file signed by an active admin, and
    /// the header binding them. `root` is the store folder, only used to
    /// name files in errors. `check` false skips the signature checks (their
    /// exact bytes verified before) but not the structure.
    pub fn verify(root: &Path, files: &TeamFiles<'_>, check: bool) -> Result<TeamView> {
        let sm = root.join(SM_DIR);
        let store_path = sm.join("store.toml");
        let mut config: StoreFile = files::parse_toml(files.store, &store_path)?;
        if config.format > files::FORMAT {
            return Err(Error::invalid(format!(
                "the store at {} uses format {}, newer than this sm understands ({})",
                root.display(),
                config.format,
                files::FORMAT
            ))
            .with_hint("upgrade sm"));
        }
        let root_key = VerifyingKey::parse(&config.root_key)
            .map_err(|_| Error::integrity(&store_path, "the root key is malformed"))?;
        let members_path = sm.join("members.toml");
        let mut members: MembersFile = files::parse_toml(files.members, &members_path)?;
        let keys =
            members::verify_member_chain(&config.id, &root_key, &members, &members_path, check)?;
        let admins = active_admins(&members);
        let admin_key = |signer: &str, file: &Path| -> Result<VerifyingKey> {
            match keys.get(signer) {
                Some(key) if admins.iter().any(|a| a == signer) => Ok(key.clone()),
                _ => Err(Error::integrity(
                    file,
                    format!("signed by `{signer}`, who is not an admin of this store"),
                )),
            }
        };
        let signer = members.signer(&members_path)?;
        let key = admin_key(&signer, &members_path)?;
        if check {
            members.verify_with(&config.id, &key, &members_path)?;
        }
        let signer = config.signer(&store_path)?;
        let key = admin_key(&signer, &store_path)?;
        if check {
            let id = config.id.clone();
            config.verify_with(&id, &key, &store_path)?;
        }
        for r in &config.recipients {
            Recipient::parse(r)
                .map_err(|_| Error::integrity(&store_path, "an extra recipient is malformed"))?;
        }
        let access_path = sm.join(team::ACCESS_FILE);
        let access = match files.access {
            Some(bytes) => {
                let mut file: AccessFile = files::parse_toml(bytes, &access_path)?;
                let signer = file.signer(&access_path)?;
                let key = admin_key(&signer, &access_path)?;
                if check {
                    file.verify_with(&config.id, &key, &access_path)?;
                }
                Access::new(file).map_err(|e| Error::integrity(&access_path, e.to_string()))?
            }
            None => Access::default(),
        };
        let team: header::TeamBytes<'_> = [
            (team::ACCESS_FILE, files.access),
            ("members.toml", Some(files.members)),
            (REPLICAS_FILE, files.replicas),
            ("store.toml", Some(files.store)),
        ];
        let header_key = |signer: &str, file: &Path| -> Result<(VerifyingKey, String)> {
            let key = admin_key(signer, file)?;
            let text = members
                .members
                .iter()
                .find(|m| m.name == signer)
                .map(|m| m.signing_key.clone())
                .unwrap_or_default();
            Ok((key, text))
        };
        let verified_header = header::verify(
            &config.id,
            config.format,
            &sm.join(header::HEADER_FILE),
            files.header,
            &team,
            &header_key,
            check,
        )?;
        Ok(TeamView {
            config,
            members,
            keys,
            access,
            header: verified_header,
        })
    }

    /// Returns the store id.
    pub fn id(&self) -> &str {
        &self.config.id
    }

    /// Returns the root signing key.
    pub fn root_key(&self) -> &str {
        &self.config.root_key
    }

    /// Returns the verified header (None for a format-1 store).
    pub fn header(&self) -> Option<&header::HeaderFile> {
        self.header.as_ref().map(|h| &h.file)
    }

    /// Verifies a header's signature by an active admin of these team
    /// files (TUF's root rotation: the admins of the previous header decide
    /// who may sign the next one). Returns the signer's name.
    pub fn check_header_signer(&self, bytes: &[u8], path: &Path) -> Result<String> {
        let mut file: header::HeaderFile = files::parse_toml(bytes, path)?;
        let signer = file.signer(path)?;
        let is_admin = active_admins(&self.members).contains(&signer);
        let key = self.keys.get(&signer).filter(|_| is_admin).ok_or_else(|| {
            Error::integrity(
                path,
                format!("signed by `{signer}`, who was not an admin before this change"),
            )
        })?;
        file.verify_with(&self.config.id, key, path)?;
        Ok(signer)
    }

    /// Parses and verifies a `meta.toml` of secret `name`: signed by a
    /// member who may write it under these access rules, and naming it.
    pub fn verify_meta(&self, name: &str, bytes: &[u8], path: &Path) -> Result<Meta> {
        let mut meta: Meta = files::parse_toml(bytes, path)?;
        self.check_secret_signer(&mut meta, name, path)?;
        if meta.name != name {
            return Err(moved(path, &meta.name));
        }
        Ok(meta)
    }

    /// Parses and verifies a `tombstone.toml` of secret `name`, as
    /// [`TeamView::verify_meta`] does.
    pub fn verify_tombstone(&self, name: &str, bytes: &[u8], path: &Path) -> Result<Tombstone> {
        let mut tomb: Tombstone = files::parse_toml(bytes, path)?;
        self.check_secret_signer(&mut tomb, name, path)?;
        if tomb.name != name {
            return Err(moved(path, &tomb.name));
        }
        Ok(tomb)
    }

    fn check_secret_signer<F: SignedFile>(
        &self,
        file: &mut F,
        name: &str,
        path: &Path,
    ) -> Result<()> {
        let signer = file.signer(path)?;
        let key = self.keys.get(&signer).ok_or_else(|| {
            Error::integrity(path, format!("signed by `{signer}`, who is not a member"))
        })?;
        file.verify_with(&format!("{}\n{name}", self.config.id), key, path)?;
        if !self.access.can_write(name, &signer, &self.members.members) {
            let removed = self
                .members
                .members
                .iter()
                .any(|m| m.name == signer && m.removed.is_some());
            return Err(Error::integrity(
                path,
                if removed {
                    format!("signed by `{signer}`, who had been removed from the store")
                } else {
                    format!(
                        "signed by `{signer}`, who may not write `{name}` under the access rules"
                    )
                },
            ));
        }
        Ok(())
    }
}

/// The names of the active admins.
fn active_admins(members: &MembersFile) -> Vec<String> {
    members
        .members
        .iter()
        .filter(|m| m.admin && m.removed.is_none())
        .map(|m| m.name.clone())
        .collect()
}

fn moved(path: &Path, owner: &str) -> Error {
    Error::integrity(
        path,
        format!("the file belongs to secret `{owner}` (moved by hand)"),
    )
}
