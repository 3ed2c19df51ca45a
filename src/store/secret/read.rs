//! Reading secrets: metadata, versions, values. Reads never
//! change a byte of the store; every file is read with the size cap of its
//! kind, beneath the root, without following links.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use super::super::Store;
use super::super::files::{self, Meta, SignedFile, VersionRecord};
use super::super::name::{self, CURRENT};
use super::super::safe::{Kind, MAX_CIPHERTEXT_LEN, MAX_TOML_LEN};
use super::{
    GetRequest, Got, LabelledValue, REWRAP_SUFFIX, Selector, VersionInfo, ensure_live,
    validate_version_id,
};
use crate::cache::{self, Cache, Entry};
use crate::crypto::{self, DecryptFailure, Identity, SecretBytes};
use crate::error::{Error, Result};

impl Store {
    /// Reads and verifies a secret's metadata. Scheduled deletion is not an
    /// error here; see [`Store::read_live_meta`].
    pub fn read_meta(&self, name: &str) -> Result<Meta> {
        self.read_meta_checked(name, true)
    }

    /// Like [`Store::read_meta`]; `check_writer` false skips the access rule
    /// check on the signer.
    pub(crate) fn read_meta_checked(&self, name: &str, check_writer: bool) -> Result<Meta> {
        let (path, bytes) = self.read_meta_bytes(name)?;
        let meta = self.parse_meta(name, &bytes, &path, check_writer)?;
        self.admit_meta(&meta, &bytes, &path)?;
        Ok(meta)
    }

    /// Reads the bytes of a secret's `meta.toml`: exit 3 if there is none
    /// (with the deletion's date if a tombstone says so), exit 5 if this
    /// machine saw the secret and nothing signed says it was deleted.
    pub(super) fn read_meta_bytes(&self, name: &str) -> Result<(PathBuf, Vec<u8>)> {
        name::validate_name(name)?;
        let path = self.meta_path(name);
        match self.fs.read(&path, MAX_TOML_LEN)? {
            Some(bytes) => Ok((path, bytes)),
            None => Err(self.missing_meta(name)?),
        }
    }

    /// Admits verified metadata as fresh: not older than a tombstone beside
    /// it (a leftover of an interrupted deletion, or a replay: the secret
    /// is deleted), and not older than what this machine trusted.
    pub(crate) fn admit_meta(&self, meta: &Meta, bytes: &[u8], path: &Path) -> Result<()> {
        if let Some((tomb, _)) = self.read_tombstone(&meta.name)?
            && tomb.seq > meta.seq
        {
            return Err(Store::deleted_error(&meta.name, &tomb));
        }
        self.fresh
            .secret(&meta.name, meta.seq, &cache::digest(&[bytes]), path)
    }

    /// Parses and verifies the bytes of a `meta.toml` of secret `name`
    /// (read from `path`, named in errors).
    pub fn parse_meta(
        &self,
        name: &str,
        bytes: &[u8],
        path: &Path,
        check_writer: bool,
    ) -> Result<Meta> {
        self.parse_meta_as(name, bytes, path, true, check_writer)
    }

    /// Parses a `meta.toml`; `verify` false trusts its signature (and
    /// writer), which the read cache saw verified for these exact bytes.
    pub(super) fn parse_meta_as(
        &self,
        name: &str,
        bytes: &[u8],
        path: &Path,
        verify: bool,
        check_writer: bool,
    ) -> Result<Meta> {
        let path = path.to_path_buf();
        let mut meta: Meta = files::parse_toml(bytes, &path)?;
        if verify {
            let signer = meta.signer(&path)?;
            let key = self.member_key(&signer).ok_or_else(|| {
                Error::integrity(&path, format!("signed by `{signer}`, who is not a member"))
            })?;
            meta.verify_with(&self.meta_context(name), key, &path)?;
            if check_writer {
                self.check_signer_may_write(&signer, name, &path)?;
            }
        }
        if meta.name != name {
            return Err(Error::integrity(
                &path,
                format!("the file belongs to secret `{}` (moved by hand)", meta.name),
            ));
        }
        Ok(meta)
    }

    /// Reads a secret's metadata, failing with exit 3 when it is scheduled for
    /// deletion.
    pub fn read_live_meta(&self, name: &str) -> Result<Meta> {
        let meta = self.read_meta(name)?;
        ensure_live(name, &meta)?;
        Ok(meta)
    }

    /// Like [`Store::read_live_meta`], through the read cache when the store
    /// was opened with one (the metadata's signature is not checked again
    /// for bytes that verified before).
    pub(super) fn read_live_meta_cached(&self, name: &str) -> Result<Meta> {
        let meta = match &self.cache {
            Some(cache) => self.meta_cached(cache, name)?.0,
            None => self.read_meta(name)?,
        };
        ensure_live(name, &meta)?;
        Ok(meta)
    }

    /// Reads and verifies a version record and its ciphertext, including
    /// that its signer may write the secret under the access rules.
    pub fn read_version(&self, name: &str, id: &str) -> Result<(VersionRecord, Vec<u8>)> {
        self.read_version_checked(name, id, true)
    }

    /// Like [`Store::read_version`]; `check_writer` false skips the access
    /// rule check (for `sm rewrap`, which re-signs what the rules no longer
    /// allow).
    pub(crate) fn read_version_checked(
        &self,
        name: &str,
        id: &str,
        check_writer: bool,
    ) -> Result<(VersionRecord, Vec<u8>)> {
        let (record_bytes, ciphertext) = self.read_version_files(name, id)?;
        let (record, _) = self.check_version(name, id, &record_bytes, &ciphertext, check_writer)?;
        Ok((record, ciphertext))
    }

    /// Reads a version's record and ciphertext files, unchecked.
    pub(super) fn read_version_files(&self, name: &str, id: &str) -> Result<(Vec<u8>, Vec<u8>)> {
        validate_version_id(id)?;
        let dir = self.versions_dir(name);
        let record_path = dir.join(format!("{id}.toml"));
        let Some(record_bytes) = self.fs.read(&record_path, MAX_TOML_LEN)? else {
            return Err(
                Error::not_found(format!("secret `{name}` has no version `{id}`"))
                    .with_hint(format!("`sm versions {name}` lists its versions")),
            );
        };
        let age_path = dir.join(format!("{id}.age"));
        let Some(ciphertext) = self.fs.read(&age_path, MAX_CIPHERTEXT_LEN)? else {
            return Err(Error::integrity(&age_path, "the ciphertext is missing"));
        };
        Ok((record_bytes, ciphertext))
    }

    /// Verifies a version's record (signature, writer) and that the
    /// ciphertext is the one it signs. The flag tells whether the record
    /// came from an interrupted rewrap's side record.
    pub(super) fn check_version(
        &self,
        name: &str,
        id: &str,
        record_bytes: &[u8],
        ciphertext: &[u8],
        check_writer: bool,
    ) -> Result<(VersionRecord, bool)> {
        let dir = self.versions_dir(name);
        let record_path = dir.join(format!("{id}.toml"));
        let record: VersionRecord = files::parse_toml(record_bytes, &record_path)?;
        self.verify_record(name, id, &record, &record_path)?;
        if check_writer {
            self.check_signer_may_write(record.signer(), name, &record_path)?;
        }
        let sha256 = crypto::sha256_hex(ciphertext);
        if sha256 != record.sha256 {
            // A rewrap interrupted between its two writes leaves the new
            // record beside the new ciphertext: it is just as trustworthy.
            let sidecar = dir.join(format!("{id}{REWRAP_SUFFIX}"));
            if let Ok(Some(bytes)) = self.fs.read(&sidecar, MAX_TOML_LEN)
                && let Ok(new) = files::parse_toml::<VersionRecord>(&bytes, &sidecar)
                && new.sha256 == sha256
                && self.verify_record(name, id, &new, &sidecar).is_ok()
                && (!check_writer
                    || self
                        .check_signer_may_write(new.signer(), name, &sidecar)
                        .is_ok())
            {
                return Ok((new, true));
            }
            return Err(Error::integrity(
                dir.join(format!("{id}.age")),
                "the ciphertext does not match its signed hash (replaced, truncated or edited)",
            ));
        }
        Ok((record, false))
    }

    pub(super) fn verify_record(
        &self,
        name: &str,
        id: &str,
        record: &VersionRecord,
        file: &Path,
    ) -> Result<()> {
        let signer = record.signer();
        let key = self.member_key(signer).ok_or_else(|| {
            Error::integrity(file, format!("signed by `{signer}`, who is not a member"))
        })?;
        if !key.verify(&record.signed_bytes(self.id(), name, id), &record.signature) {
            return Err(Error::integrity(
                file,
                "the signature does not match (edited, forged, or moved from another secret or version)",
            ));
        }
        Ok(())
    }

    /// Decrypts a verified ciphertext.
    pub(crate) fn decrypt(
        &self,
        name: &str,
        id: &str,
        ciphertext: &[u8],
        identity: &Identity,
    ) -> Result<SecretBytes> {
        crypto::decrypt(ciphertext, identity).map_err(|e| match e {
            DecryptFailure::NotRecipient => self.why_not_recipient(name, id, identity),
            DecryptFailure::Corrupt(_) => Error::integrity(
                self.versions_dir(name).join(format!("{id}.age")),
                "the ciphertext is not a valid age file",
            ),
        })
    }

    /// Resolves a selector to a version id using verified metadata.
    pub fn resolve(&self, name: &str, meta: &Meta, selector: &Selector) -> Result<String> {
        match selector {
            Selector::Current => meta.label(CURRENT).map(str::to_string).ok_or_else(|| {
                let error = Error::not_found(format!("secret `{name}` has no current version"));
                if meta.versions.as_ref().is_some_and(Vec::is_empty) {
                    // Created without a value (the API's CreateSecret).
                    error.with_hint(format!("it has no value yet: `sm put {name}` stores one"))
                } else {
                    error.with_hint(format!("`sm label {name} current --to ID` picks one"))
                }
            }),
            Selector::Label(label) => {
                let label = name::validate_label(label)?;
                meta.label(&label).map(str::to_string).ok_or_else(|| {
                    Error::not_found(format!("secret `{name}` has no version labelled `{label}`"))
                        .with_hint(format!("`sm versions {name}` lists versions and labels"))
                })
            }
            Selector::Version(id) => Ok(validate_version_id(id)?.to_string()),
        }
    }

    /// Reads and decrypts one version, verifying everything on the way (or
    /// answering from the read cache for files whose exact bytes it saw
    /// verified and decrypted before).
    pub fn get(&self, identity: &Identity, request: &GetRequest<'_>) -> Result<Got> {
        if let Some(cache) = &self.cache {
            return self.get_cached(cache, identity, request);
        }
        let meta = self.read_live_meta(request.name)?;
        let id = self.resolve(request.name, &meta, &request.selector)?;
        let (record, ciphertext) = self
            .read_version(request.name, &id)
            .map_err(|e| self.listed_but_missing(&meta, &id, e))?;
        let value = self.decrypt(request.name, &id, &ciphertext, identity)?;
        Ok(Got {
            labels: meta.labels_of(&id),
            version_id: id,
            record,
            secret_created: meta.created,
            value,
        })
    }

    pub(super) fn get_cached(
        &self,
        cache: &Cache,
        identity: &Identity,
        request: &GetRequest<'_>,
    ) -> Result<Got> {
        let name = request.name;
        let (meta, mut entry, mut changed) = self.meta_cached(cache, name)?;
        ensure_live(name, &meta)?;
        let id = self.resolve(name, &meta, &request.selector)?;
        let (record, value) = self
            .version_cached(&mut entry, &mut changed, name, &id, identity)
            .map_err(|e| self.listed_but_missing(&meta, &id, e))?;
        if changed {
            entry.keep_labelled(&meta, &id);
            cache.put_entry(name, &entry);
        }
        Ok(Got {
            labels: meta.labels_of(&id),
            version_id: id,
            record,
            secret_created: meta.created,
            value,
        })
    }

    /// Reads and decrypts every labelled version of a secret (deleted or
    /// not), for `sm scan`: the metadata, and each version id with its
    /// labels and value (or why it could not be read).
    pub fn labelled_values(&self, identity: &Identity, name: &str) -> Result<Vec<LabelledValue>> {
        let (meta, mut cached) = match &self.cache {
            Some(cache) => {
                let (meta, entry, changed) = self.meta_cached(cache, name)?;
                (meta, Some((cache, entry, changed)))
            }
            None => (self.read_meta(name)?, None),
        };
        let mut by_version: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for (label, id) in &meta.labels {
            by_version
                .entry(id.as_str())
                .or_default()
                .push(label.clone());
        }
        let mut out = Vec::with_capacity(by_version.len());
        for (id, labels) in by_version {
            let value = match &mut cached {
                Some((_, entry, changed)) => self
                    .version_cached(entry, changed, name, id, identity)
                    .map(|(_, value)| value),
                None => self
                    .read_version(name, id)
                    .and_then(|(_, ciphertext)| self.decrypt(name, id, &ciphertext, identity)),
            };
            out.push(LabelledValue {
                id: id.to_string(),
                labels,
                value,
            });
        }
        if let Some((cache, mut entry, true)) = cached {
            entry.keep_labelled(&meta, "");
            cache.put_entry(name, &entry);
        }
        Ok(out)
    }

    /// Turns "no such version" into an integrity error when the signed
    /// metadata labels or lists the version: its files were deleted
    /// behind sm's back.
    pub(crate) fn listed_but_missing(&self, meta: &Meta, id: &str, error: Error) -> Error {
        let listed = meta.labels.values().any(|v| v == id)
            || meta
                .versions
                .as_ref()
                .is_some_and(|list| list.iter().any(|v| v == id));
        match error {
            Error::NotFound { .. } if listed => Error::integrity(
                self.versions_dir(&meta.name).join(format!("{id}.toml")),
                format!(
                    "missing: meta.toml (sequence {}) lists version {id}, and its files were deleted",
                    meta.seq
                ),
            )
            .with_hint("restore the version's files from git history (`git log --stat -- <store>/secrets`)"),
            other => other,
        }
    }

    /// Reads a secret's metadata through the read cache: verified unless
    /// the cache saw these exact bytes verified. Returns the cache entry
    /// (fresh when the header changed) and whether it changed.
    pub(super) fn meta_cached(&self, cache: &Cache, name: &str) -> Result<(Meta, Entry, bool)> {
        let (meta_path, meta_bytes) = self.read_meta_bytes(name)?;
        let meta_digest = cache::digest(&[&meta_bytes]);
        let mut entry = cache.entry_under(name, &self.header);
        let known = entry.meta == meta_digest;
        let meta = self.parse_meta_as(name, &meta_bytes, &meta_path, !known, true)?;
        self.admit_meta(&meta, &meta_bytes, &meta_path)?;
        entry.meta = meta_digest;
        Ok((meta, entry, !known))
    }

    /// Reads version `id` through the read cache entry: from the cache when
    /// its record and ciphertext are byte for byte what the cache saw
    /// verified and decrypted, else verified and decrypted (and added to
    /// the entry, setting `changed`).
    pub(super) fn version_cached(
        &self,
        entry: &mut Entry,
        changed: &mut bool,
        name: &str,
        id: &str,
        identity: &Identity,
    ) -> Result<(VersionRecord, SecretBytes)> {
        let (record_bytes, ciphertext) = self.read_version_files(name, id)?;
        let record_digest = cache::digest(&[&record_bytes]);
        let ciphertext_digest = cache::digest(&[&ciphertext]);
        if let Some(known) = entry.version(id, &record_digest, &ciphertext_digest) {
            let record_path = self.versions_dir(name).join(format!("{id}.toml"));
            let record = files::parse_toml(&record_bytes, &record_path)?;
            return Ok((record, Zeroizing::new(known.value.to_vec())));
        }
        let (record, from_sidecar) =
            self.check_version(name, id, &record_bytes, &ciphertext, true)?;
        let value = self.decrypt(name, id, &ciphertext, identity)?;
        // A rewrap's side record is not cached: the next read must see
        // whether it is still there.
        if !from_sidecar {
            entry.remember(id, record_digest, ciphertext_digest, &value);
            *changed = true;
        }
        Ok((record, value))
    }

    /// Lists a secret's version ids, oldest first (UUIDv7 ids sort by time;
    /// caller-chosen ids sort by their record's creation time).
    pub fn version_ids(&self, name: &str) -> Result<Vec<String>> {
        let dir = self.versions_dir(name);
        let Some(entries) = self.fs.list(&dir)? else {
            return Ok(Vec::new());
        };
        let mut ids = Vec::new();
        for entry in entries {
            let Some(file) = entry.name.to_str() else {
                continue;
            };
            let Some(id) = file.strip_suffix(".toml") else {
                continue;
            };
            if id.starts_with('.') {
                continue;
            }
            if entry.kind != Kind::File {
                return Err(Error::integrity(dir.join(file), entry.kind.refusal(false)));
            }
            ids.push(id.to_string());
        }
        super::super::validate::check_version_ids(&dir, &ids)?;
        ids.sort();
        Ok(ids)
    }

    /// Lists a secret's versions, newest first, each verified.
    pub fn versions(&self, name: &str) -> Result<Vec<VersionInfo>> {
        let meta = self.read_meta(name)?;
        let mut out = Vec::new();
        let ids = self.version_ids(name)?;
        for listed in meta.versions.iter().flatten() {
            if ids.binary_search(listed).is_err() {
                let missing = Error::not_found(format!("no version `{listed}`"));
                return Err(self.listed_but_missing(&meta, listed, missing));
            }
        }
        for id in ids {
            let (record, _) = self.read_version(name, &id)?;
            out.push(VersionInfo {
                labels: meta.labels_of(&id),
                version_id: id,
                created: record.created,
                author: record.author,
            });
        }
        out.sort_by(|a, b| {
            b.created
                .cmp(&a.created)
                .then(b.version_id.cmp(&a.version_id))
        });
        Ok(out)
    }
}
