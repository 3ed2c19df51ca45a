//! Operations on secrets: put, get, labels, metadata, deletion, listing,
//! pruning and repair. Every write holds the secret's lock; every read
//! verifies signatures before it trusts a byte.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use rayon::prelude::*;
use zeroize::Zeroizing;

use super::Store;
use super::files::{self, Deletion, Encoding, Meta, SignedFile, VersionRecord};
use super::fsio::{self, Durability, Lock};
use super::name::{self, CURRENT, PREVIOUS, validate_tag_key, validate_version_id};
use crate::cache::{self, Cache, Entry};
use crate::crypto::{self, DecryptFailure, Identity, Recipient, SecretBytes};
use crate::error::{Error, Result};

/// The suffix of a version record written by a rewrap that has not yet
/// replaced the old record.
pub(crate) const REWRAP_SUFFIX: &str = ".rewrap";

/// The largest value, in bytes.
pub const MAX_VALUE_LEN: usize = 65_536;

/// Which version to read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selector {
    /// The version labelled `current`.
    Current,
    /// The version carrying a label.
    Label(String),
    /// A version by id.
    Version(String),
}

/// A request to read one secret.
#[derive(Clone, Debug)]
pub struct GetRequest<'a> {
    /// The secret's name.
    pub name: &'a str,
    /// Which version.
    pub selector: Selector,
}

/// A value read from the store, with what describes it.
pub struct Got {
    /// The version id.
    pub version_id: String,
    /// Its labels.
    pub labels: Vec<String>,
    /// Its record.
    pub record: VersionRecord,
    /// The value, wiped on drop.
    pub value: SecretBytes,
}

/// One labelled version's value, as `sm scan` loads them.
pub struct LabelledValue {
    /// The version id.
    pub id: String,
    /// Its labels.
    pub labels: Vec<String>,
    /// The value, or why it could not be read.
    pub value: Result<SecretBytes>,
}

/// A request to store a new version.
#[derive(Clone, Debug, Default)]
pub struct PutRequest<'a> {
    /// The secret's name.
    pub name: &'a str,
    /// A caller-chosen version id (idempotent retries).
    pub version_id: Option<String>,
    /// Labels for the new version; empty means `current`.
    pub labels: Vec<String>,
    /// A new description.
    pub description: Option<String>,
    /// Tags to set.
    pub tags: Vec<(String, String)>,
    /// Forces the binary encoding.
    pub binary: bool,
    /// Whether to fsync (a batch syncs once at its end instead).
    pub durability: Option<Durability>,
}

/// What a put did.
#[derive(Clone, Debug)]
pub struct PutOutcome {
    /// The version id.
    pub version_id: String,
    /// The labels the version carries now.
    pub labels: Vec<String>,
    /// True when `--version-id` named an existing version with the same value.
    pub unchanged: bool,
    /// True when this put created the secret.
    pub created_secret: bool,
}

/// One version as listed by `sm versions`.
#[derive(Clone, Debug, serde::Serialize)]
pub struct VersionInfo {
    /// The version id.
    pub version_id: String,
    /// Its labels.
    pub labels: Vec<String>,
    /// When it was created.
    pub created: String,
    /// Who wrote it.
    pub author: String,
}

/// One secret as listed by `sm ls`.
#[derive(Clone, Debug)]
pub struct SecretSummary {
    /// The name.
    pub name: String,
    /// Its metadata, or the error reading it.
    pub meta: Result<Meta, String>,
}

/// What `sm doctor` found and removed.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct DoctorReport {
    /// Files removed (temp files, orphan ciphertexts).
    pub removed: Vec<PathBuf>,
    /// Log files whose torn last line was cut off.
    pub repaired: Vec<PathBuf>,
    /// Problems doctor does not repair.
    pub problems: Vec<String>,
}

/// Returns the current time as stored in files (UTC, RFC 3339, millisecond
/// precision).
pub fn now() -> Timestamp {
    Timestamp::now()
        .round(jiff::Unit::Millisecond)
        .unwrap_or_else(|_| Timestamp::now())
}

/// Formats a time as stored in files: UTC, RFC 3339, always three
/// fractional digits, so that text order is time order.
pub fn format_time(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// Returns [`now`] formatted with [`format_time`].
pub fn now_string() -> String {
    format_time(now())
}

/// Checks a description: at most 2048 characters, no control characters
/// other than newlines.
pub fn validate_description(text: &str) -> Result<&str> {
    if text.chars().count() > 2048 || text.chars().any(|c| c.is_control() && c != '\n') {
        return Err(Error::invalid(
            "descriptions are at most 2048 characters, without control characters",
        ));
    }
    Ok(text)
}

/// Checks a value's size.
pub fn check_value_size(value: &[u8]) -> Result<()> {
    if value.len() > MAX_VALUE_LEN {
        return Err(Error::invalid(format!(
            "the value is {} bytes; the limit is {MAX_VALUE_LEN} bytes",
            value.len()
        ))
        .with_hint("store a key to the data instead of the data itself"));
    }
    Ok(())
}

impl Store {
    /// Returns the folder of a secret (the name must be valid).
    pub fn secret_dir(&self, name: &str) -> PathBuf {
        name::secret_dir(&self.secrets_dir(), name)
    }

    fn meta_path(&self, name: &str) -> PathBuf {
        self.secret_dir(name).join("meta.toml")
    }

    pub(crate) fn versions_dir(&self, name: &str) -> PathBuf {
        self.secret_dir(name).join("versions")
    }

    fn meta_context(&self, name: &str) -> String {
        format!("{}\n{name}", self.id())
    }

    /// Takes the write lock of one secret.
    pub fn lock_secret(&self, name: &str) -> Result<Lock> {
        let digest = crypto::sha256_hex(name.as_bytes());
        Lock::acquire(
            &self
                .sm_dir()
                .join("locks")
                .join(format!("{}.lock", &digest[..32])),
            &format!("secret `{name}`"),
            fsio::lock_timeout(),
        )
    }

    /// Tells whether a secret exists (deleted or not).
    pub fn exists(&self, name: &str) -> bool {
        self.meta_path(name).is_file()
    }

    /// Reads and verifies a secret's metadata. Scheduled deletion is not an
    /// error here; see [`Store::read_live_meta`].
    pub fn read_meta(&self, name: &str) -> Result<Meta> {
        self.read_meta_checked(name, true)
    }

    /// Like [`Store::read_meta`]; `check_writer` false skips the access rule
    /// check on the signer.
    pub(crate) fn read_meta_checked(&self, name: &str, check_writer: bool) -> Result<Meta> {
        let (path, bytes) = self.read_meta_bytes(name)?;
        self.parse_meta(name, &bytes, &path, check_writer)
    }

    /// Reads the bytes of a secret's `meta.toml` (exit 3 if there is none).
    fn read_meta_bytes(&self, name: &str) -> Result<(PathBuf, Vec<u8>)> {
        name::validate_name(name)?;
        let path = self.meta_path(name);
        match fsio::read_small(&path) {
            Ok(bytes) => Ok((path, bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Err(Error::not_found(format!("no secret named `{name}`"))
                    .with_hint("`sm ls` lists the secrets; `sm put NAME` creates one"))
            }
            Err(e) => Err(Error::io("cannot read", &path, e)),
        }
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
    fn parse_meta_as(
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
    fn read_live_meta_cached(&self, name: &str) -> Result<Meta> {
        let meta = match &self.cache {
            Some(cache) => self.meta_cached(cache, name)?.0,
            None => self.read_meta(name)?,
        };
        ensure_live(name, &meta)?;
        Ok(meta)
    }

    /// Signs `meta` as the member `identity` is and returns the file's bytes.
    pub fn sign_meta(&self, identity: &Identity, meta: &mut Meta) -> Result<Vec<u8>> {
        let author = self.member_for(identity)?.name.clone();
        self.require_writer(&author, &meta.name)?;
        meta.sign(&self.meta_context(&meta.name.clone()), identity, &author);
        Ok(files::to_toml(meta))
    }

    pub(crate) fn write_meta(
        &self,
        identity: &Identity,
        author: &str,
        meta: &mut Meta,
        durability: Durability,
    ) -> Result<Vec<u8>> {
        meta.sign(&self.meta_context(&meta.name.clone()), identity, author);
        let bytes = files::to_toml(meta);
        fsio::write_atomic(&self.meta_path(&meta.name), &bytes, durability)?;
        Ok(bytes)
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
    fn read_version_files(&self, name: &str, id: &str) -> Result<(Vec<u8>, Vec<u8>)> {
        validate_version_id(id)?;
        let dir = self.versions_dir(name);
        let record_path = dir.join(format!("{id}.toml"));
        let record_bytes = match fsio::read_small(&record_path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(
                    Error::not_found(format!("secret `{name}` has no version `{id}`"))
                        .with_hint(format!("`sm versions {name}` lists its versions")),
                );
            }
            Err(e) => return Err(Error::io("cannot read", &record_path, e)),
        };
        let age_path = dir.join(format!("{id}.age"));
        let ciphertext = match fsio::read_small(&age_path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::integrity(&age_path, "the ciphertext is missing"));
            }
            Err(e) => return Err(Error::io("cannot read", &age_path, e)),
        };
        Ok((record_bytes, ciphertext))
    }

    /// Verifies a version's record (signature, writer) and that the
    /// ciphertext is the one it signs. The flag tells whether the record
    /// came from an interrupted rewrap's side record.
    fn check_version(
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
            if let Ok(bytes) = fs::read(&sidecar)
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

    fn verify_record(
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
            DecryptFailure::NotRecipient => Error::no_access(format!(
                "your identity cannot decrypt `{name}` version {id}: it was not encrypted to you"
            ))
            .with_hint("ask a member who can read it to run `sm rewrap`"),
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
                Error::not_found(format!("secret `{name}` has no current version"))
                    .with_hint(format!("`sm label {name} current --to ID` picks one"))
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
        let (record, ciphertext) = self.read_version(request.name, &id)?;
        let value = self.decrypt(request.name, &id, &ciphertext, identity)?;
        Ok(Got {
            labels: meta.labels_of(&id),
            version_id: id,
            record,
            value,
        })
    }

    fn get_cached(
        &self,
        cache: &Cache,
        identity: &Identity,
        request: &GetRequest<'_>,
    ) -> Result<Got> {
        let name = request.name;
        let (meta, mut entry, mut changed) = self.meta_cached(cache, name)?;
        ensure_live(name, &meta)?;
        let id = self.resolve(name, &meta, &request.selector)?;
        let (record, value) = self.version_cached(&mut entry, &mut changed, name, &id, identity)?;
        if changed {
            entry.keep_labelled(&meta, &id);
            cache.put_entry(name, &entry);
        }
        Ok(Got {
            labels: meta.labels_of(&id),
            version_id: id,
            record,
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

    /// Reads a secret's metadata through the read cache: verified unless
    /// the cache saw these exact bytes verified. Returns the cache entry
    /// (fresh when the header changed) and whether it changed.
    fn meta_cached(&self, cache: &Cache, name: &str) -> Result<(Meta, Entry, bool)> {
        let (meta_path, meta_bytes) = self.read_meta_bytes(name)?;
        let meta_digest = cache::digest(&[&meta_bytes]);
        let mut entry = cache.entry_under(name, &self.header);
        let known = entry.meta == meta_digest;
        let meta = self.parse_meta_as(name, &meta_bytes, &meta_path, !known, true)?;
        entry.meta = meta_digest;
        Ok((meta, entry, !known))
    }

    /// Reads version `id` through the read cache entry: from the cache when
    /// its record and ciphertext are byte for byte what the cache saw
    /// verified and decrypted, else verified and decrypted (and added to
    /// the entry, setting `changed`).
    fn version_cached(
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

    /// Stores a new version of a secret (creating the secret if needed).
    pub fn put(
        &self,
        identity: &Identity,
        request: &PutRequest<'_>,
        value: &[u8],
    ) -> Result<PutOutcome> {
        let recipients = self.recipients()?;
        self.put_with(identity, &recipients, request, value)
    }

    /// Like [`Store::put`], with the recipients resolved once by the caller
    /// (for batches).
    pub fn put_with(
        &self,
        identity: &Identity,
        recipients: &[Recipient],
        request: &PutRequest<'_>,
        value: &[u8],
    ) -> Result<PutOutcome> {
        let name = name::validate_name(request.name)?;
        check_value_size(value)?;
        let author = self.member_for(identity)?.name.clone();
        self.require_writer(&author, name)?;
        let labels: Vec<String> = request
            .labels
            .iter()
            .map(|l| name::validate_label(l))
            .collect::<Result<_>>()?;
        if let Some(id) = &request.version_id {
            validate_version_id(id)?;
        }
        for (k, _) in &request.tags {
            validate_tag_key(k)?;
        }
        if let Some(d) = &request.description {
            validate_description(d)?;
        }
        let durability = request.durability.unwrap_or(Durability::Sync);
        let encoding = if request.binary || std::str::from_utf8(value).is_err() {
            Encoding::Binary
        } else {
            Encoding::Text
        };

        let _lock = self.lock_secret(name)?;
        let created_secret = !self.exists(name);
        let mut meta = if created_secret {
            Meta {
                name: name.to_string(),
                created: now_string(),
                ..Meta::default()
            }
        } else {
            self.read_live_meta_cached(name)?
        };

        let versions_dir = self.versions_dir(name);
        if let Some(id) = &request.version_id
            && versions_dir.join(format!("{id}.toml")).is_file()
        {
            let (_, ciphertext) = self.read_version(name, id)?;
            let existing = self.decrypt(name, id, &ciphertext, identity)?;
            if existing.as_slice() == value {
                return Ok(PutOutcome {
                    version_id: id.clone(),
                    labels: meta.labels_of(id),
                    unchanged: true,
                    created_secret: false,
                });
            }
            return Err(Error::conflict(format!(
                "version `{id}` of `{name}` exists already with a different value"
            ))
            .with_hint("use a new --version-id, or none to let sm pick one"));
        }

        let id = request
            .version_id
            .clone()
            .unwrap_or_else(|| uuid::Uuid::now_v7().to_string());
        let (scoped, hash) = self.recipients_for(name)?;
        // Without rules every secret has the same recipients, which a batch
        // caller has parsed once already.
        let recipients = if self.access().has_rules() {
            &scoped[..]
        } else {
            recipients
        };
        let ciphertext = crypto::encrypt(value, recipients)?;
        let mut record = VersionRecord {
            created: now_string(),
            author: author.clone(),
            encoding,
            sha256: crypto::sha256_hex(&ciphertext),
            recipients: Some(hash),
            rewrapped_by: None,
            signature: String::new(),
        };
        record.signature = identity.sign(&record.signed_bytes(self.id(), name, &id));

        fsio::create_dir_all(&versions_dir)?;
        // The ciphertext goes first: a record never points at a missing file,
        // and an interrupted write leaves only an orphan `.age` for doctor.
        fsio::write_atomic(
            &versions_dir.join(format!("{id}.age")),
            &ciphertext,
            durability,
        )?;
        let record_bytes = files::to_toml(&record);
        fsio::write_atomic(
            &versions_dir.join(format!("{id}.toml")),
            &record_bytes,
            durability,
        )?;

        let mut labels = labels;
        if (labels.is_empty() || meta.label(CURRENT).is_none())
            && !labels.iter().any(|l| l == CURRENT)
        {
            labels.push(CURRENT.to_string());
        }
        for label in &labels {
            move_label(&mut meta.labels, label, &id);
        }
        if let Some(d) = &request.description {
            meta.description = d.clone();
        }
        for (k, v) in &request.tags {
            meta.tags.insert(k.clone(), v.clone());
        }
        self.prune(&mut meta, name)?;
        let meta_bytes = self.write_meta(identity, &author, &mut meta, durability)?;
        // What this writer signed needs no check on its next read.
        if let Some(cache) = &self.cache {
            let mut entry = cache.entry_under(name, &self.header);
            entry.meta = cache::digest(&[&meta_bytes]);
            entry.remember(
                &id,
                cache::digest(&[&record_bytes]),
                cache::digest(&[&ciphertext]),
                value,
            );
            entry.keep_labelled(&meta, "");
            cache.put_entry(name, &entry);
        }
        Ok(PutOutcome {
            labels: meta.labels_of(&id),
            version_id: id,
            unchanged: false,
            created_secret,
        })
    }

    /// Removes unlabelled versions beyond `max_versions`, oldest first.
    fn prune(&self, meta: &mut Meta, name: &str) -> Result<()> {
        let ids = match self.version_ids(name) {
            Ok(ids) => ids,
            // A folder holding files that are not versions is left as it
            // is (`sm verify` names them); the write itself is sound.
            Err(Error::Integrity { .. }) => return Ok(()),
            Err(e) => return Err(e),
        };
        let max = self.max_versions() as usize;
        if ids.len() <= max {
            return Ok(());
        }
        let mut excess = ids.len() - max;
        let dir = self.versions_dir(name);
        for id in ids {
            if excess == 0 {
                break;
            }
            if meta.labels.values().any(|v| *v == id) {
                continue;
            }
            // Record first: a crash in between leaves an orphan `.age`.
            let _ = fs::remove_file(dir.join(format!("{id}.toml")));
            let _ = fs::remove_file(dir.join(format!("{id}.age")));
            excess -= 1;
        }
        Ok(())
    }

    /// Lists a secret's version ids, oldest first (UUIDv7 ids sort by time;
    /// caller-chosen ids sort by their record's creation time).
    pub fn version_ids(&self, name: &str) -> Result<Vec<String>> {
        let dir = self.versions_dir(name);
        let entries = match fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(Error::io("cannot list", &dir, e)),
        };
        let mut ids: Vec<String> = entries
            .flatten()
            .filter_map(|e| {
                let file = e.file_name().into_string().ok()?;
                let id = file.strip_suffix(".toml")?;
                (!id.starts_with('.')).then(|| id.to_string())
            })
            .collect();
        super::validate::check_version_ids(&dir, &ids)?;
        ids.sort();
        Ok(ids)
    }

    /// Lists a secret's versions, newest first, each verified.
    pub fn versions(&self, name: &str) -> Result<Vec<VersionInfo>> {
        let meta = self.read_meta(name)?;
        let mut out = Vec::new();
        for id in self.version_ids(name)? {
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

    /// Applies `change` to a secret's metadata under its lock and signs the
    /// result. `change` returns an error to abort without writing.
    pub fn update_meta<T>(
        &self,
        identity: &Identity,
        name: &str,
        allow_deleted: bool,
        change: impl FnOnce(&mut Meta) -> Result<T>,
    ) -> Result<T> {
        name::validate_name(name)?;
        let author = self.member_for(identity)?.name.clone();
        self.require_writer(&author, name)?;
        let _lock = self.lock_secret(name)?;
        let mut meta = if allow_deleted {
            self.read_meta(name)?
        } else {
            self.read_live_meta(name)?
        };
        let out = change(&mut meta)?;
        self.write_meta(identity, &author, &mut meta, Durability::Sync)?;
        Ok(out)
    }

    /// Moves `label` to version `to` (SPEC section 1: moving `current` moves
    /// `previous` to the old current version).
    pub fn set_label(&self, identity: &Identity, name: &str, label: &str, to: &str) -> Result<()> {
        let label = name::validate_label(label)?;
        validate_version_id(to)?;
        // The target must be a real, verified version.
        self.read_version(name, to)?;
        self.update_meta(identity, name, false, |meta| {
            move_label(&mut meta.labels, &label, to);
            Ok(())
        })
    }

    /// Removes a label. `current` cannot be removed, only moved.
    pub fn remove_label(&self, identity: &Identity, name: &str, label: &str) -> Result<String> {
        let label = name::validate_label(label)?;
        if label == CURRENT {
            return Err(
                Error::invalid("the `current` label can be moved but not removed")
                    .with_hint(format!("`sm label {name} current --to ID` moves it")),
            );
        }
        self.update_meta(identity, name, false, |meta| {
            meta.labels
                .remove(&label)
                .ok_or_else(|| Error::not_found(format!("secret `{name}` has no label `{label}`")))
        })
    }

    /// Makes `previous` current again.
    pub fn rollback(&self, identity: &Identity, name: &str) -> Result<String> {
        self.update_meta(identity, name, false, |meta| {
            let previous = meta.label(PREVIOUS).map(str::to_string).ok_or_else(|| {
                Error::not_found(format!(
                    "secret `{name}` has no previous version to roll back to"
                ))
            })?;
            move_label(&mut meta.labels, CURRENT, &previous);
            Ok(previous)
        })
    }

    /// Schedules a deletion in `days` days, or deletes now with `force`.
    pub fn remove(
        &self,
        identity: &Identity,
        name: &str,
        days: u32,
        force: bool,
    ) -> Result<Option<String>> {
        if force {
            name::validate_name(name)?;
            let author = self.member_for(identity)?.name.clone();
            self.require_writer(&author, name)?;
            let _lock = self.lock_secret(name)?;
            self.read_meta(name)?;
            self.delete_files(name)?;
            return Ok(None);
        }
        if !(7..=30).contains(&days) {
            return Err(Error::invalid("the recovery window is 7 to 30 days"));
        }
        let requested = now();
        let purge_after = requested
            .checked_add(jiff::SignedDuration::from_hours(24 * i64::from(days)))
            .map_err(|_| Error::Other("time out of range".into()))?;
        self.update_meta(identity, name, true, |meta| {
            if let Some(d) = &meta.deletion {
                return Err(Error::conflict(format!(
                    "secret `{name}` is already scheduled for deletion after {}",
                    d.purge_after
                )));
            }
            meta.deletion = Some(Deletion {
                requested: format_time(requested),
                purge_after: format_time(purge_after),
            });
            Ok(Some(format_time(purge_after)))
        })
    }

    /// Cancels a scheduled deletion.
    pub fn restore(&self, identity: &Identity, name: &str) -> Result<()> {
        self.update_meta(identity, name, true, |meta| {
            if meta.deletion.take().is_none() {
                return Err(Error::invalid(format!(
                    "secret `{name}` is not scheduled for deletion"
                )));
            }
            Ok(())
        })
    }

    /// Removes every secret whose recovery window has passed, returning their
    /// names.
    pub fn purge(&self, identity: &Identity, at: Timestamp) -> Result<Vec<String>> {
        self.member_for(identity)?;
        let mut purged = Vec::new();
        for name in self.list_names()? {
            let _lock = self.lock_secret(&name)?;
            let Ok(meta) = self.read_meta(&name) else {
                continue;
            };
            let Some(deletion) = &meta.deletion else {
                continue;
            };
            let due = deletion
                .purge_after
                .parse::<Timestamp>()
                .map(|t| t <= at)
                .unwrap_or(false);
            if due {
                self.delete_files(&name)?;
                purged.push(name);
            }
        }
        Ok(purged)
    }

    fn delete_files(&self, name: &str) -> Result<()> {
        let dir = self.secret_dir(name);
        fs::remove_dir_all(&dir).map_err(|e| Error::io("cannot remove", &dir, e))?;
        // Remove prefix folders left empty, up to secrets/.
        let top = self.secrets_dir();
        let mut parent = dir.parent().map(Path::to_path_buf);
        while let Some(p) = parent {
            if p == top || fs::remove_dir(&p).is_err() {
                break;
            }
            parent = p.parent().map(Path::to_path_buf);
        }
        fsio::sync_dir(&top)
    }

    /// Lists every secret name, sorted.
    pub fn list_names(&self) -> Result<Vec<String>> {
        let mut names = Vec::new();
        walk_secrets(&self.secrets_dir(), "", &mut names)?;
        names.sort();
        Ok(names)
    }

    /// Lists secrets under `prefix` with their metadata, read in parallel.
    /// Listing reads metadata without verifying signatures (nothing is
    /// decrypted or trusted for a value); `get` and `verify` verify.
    pub fn list(&self, prefix: Option<&str>) -> Result<Vec<SecretSummary>> {
        let names: Vec<String> = self
            .list_names()?
            .into_iter()
            .filter(|n| prefix.is_none_or(|p| n.starts_with(p)))
            .collect();
        Ok(names
            .into_par_iter()
            .map(|name| {
                let path = self.meta_path(&name);
                let meta = fsio::read(&path)
                    .and_then(|b| files::parse_toml::<Meta>(&b, &path))
                    .map_err(|e| e.to_string());
                SecretSummary { name, meta }
            })
            .collect())
    }

    /// Removes the leftovers of interrupted writes.
    pub fn doctor(&self) -> Result<DoctorReport> {
        let mut report = DoctorReport::default();
        let mut dirs = vec![self.sm_dir(), self.log_dir(), self.secrets_dir()];
        for name in self.list_names()? {
            self.finish_interrupted_rewraps(&name);
            dirs.push(self.secret_dir(&name));
            let vdir = self.versions_dir(&name);
            dirs.push(vdir.clone());
            if let Ok(entries) = fs::read_dir(&vdir) {
                for entry in entries.flatten() {
                    let file = entry.file_name().to_string_lossy().into_owned();
                    if let Some(id) = file.strip_suffix(".age")
                        && !id.starts_with('.')
                        && !vdir.join(format!("{id}.toml")).exists()
                    {
                        let _lock = self.lock_secret(&name)?;
                        if !vdir.join(format!("{id}.toml")).exists() {
                            fs::remove_file(entry.path())
                                .map_err(|e| Error::io("cannot remove", entry.path(), e))?;
                            report.removed.push(entry.path());
                        }
                    }
                }
            }
        }
        report.repaired = crate::audit::repair_torn_tails(self)?;
        let mut prefix_dirs = Vec::new();
        collect_prefix_dirs(&self.secrets_dir(), &mut prefix_dirs);
        dirs.extend(prefix_dirs);
        for dir in dirs {
            for temp in fsio::leftover_temps(&dir) {
                fs::remove_file(&temp).map_err(|e| Error::io("cannot remove", &temp, e))?;
                report.removed.push(temp);
            }
        }
        Ok(report)
    }
}

/// Fails with exit 3 when `meta` says the secret is scheduled for deletion.
fn ensure_live(name: &str, meta: &Meta) -> Result<()> {
    if let Some(d) = &meta.deletion {
        return Err(Error::not_found(format!(
            "secret `{name}` is scheduled for deletion after {}",
            d.purge_after
        ))
        .with_hint(format!("run `sm restore {name}` to keep it")));
    }
    Ok(())
}

/// Moves a label, applying the `current`/`previous` rule.
pub fn move_label(labels: &mut BTreeMap<String, String>, label: &str, to: &str) {
    if label == CURRENT
        && let Some(old) = labels.get(CURRENT).cloned()
        && old != to
    {
        labels.insert(PREVIOUS.to_string(), old);
    }
    labels.insert(label.to_string(), to.to_string());
}

/// Parses `K=V` into a validated tag.
pub fn parse_tag(text: &str) -> Result<(String, String)> {
    let (k, v) = text
        .split_once('=')
        .ok_or_else(|| Error::invalid(format!("tag `{}` is not K=V", name::printable(text))))?;
    validate_tag_key(k)?;
    name::validate_tag_value(v)?;
    Ok((k.to_string(), v.to_string()))
}

fn walk_secrets(dir: &Path, prefix: &str, out: &mut Vec<String>) -> Result<()> {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io("cannot list", dir, e)),
    };
    for entry in entries.flatten() {
        let Ok(file_name) = entry.file_name().into_string() else {
            continue;
        };
        if file_name.starts_with('.') || !entry.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        if let Some(stem) = file_name.strip_suffix(name::SECRET_DIR_SUFFIX) {
            if entry.path().join("meta.toml").is_file() {
                let name = format!("{prefix}{stem}");
                if name::validate_name(&name).is_ok() {
                    out.push(name);
                }
            }
        } else {
            walk_secrets(&entry.path(), &format!("{prefix}{file_name}/"), out)?;
        }
    }
    Ok(())
}

fn collect_prefix_dirs(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.file_type().is_ok_and(|t| t.is_dir())
            && !name.ends_with(name::SECRET_DIR_SUFFIX)
            && !name.starts_with('.')
        {
            out.push(entry.path());
            collect_prefix_dirs(&entry.path(), out);
        }
    }
}

/// Wraps bytes read from a user into a zeroizing buffer sized so that it
/// never reallocates (which would leave unwiped copies behind).
pub fn value_buffer() -> SecretBytes {
    Zeroizing::new(Vec::with_capacity(MAX_VALUE_LEN + 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moving_current_moves_previous() {
        let mut labels = BTreeMap::new();
        move_label(&mut labels, CURRENT, "a");
        assert_eq!(labels.get(PREVIOUS), None);
        move_label(&mut labels, CURRENT, "b");
        assert_eq!(labels[CURRENT], "b");
        assert_eq!(labels[PREVIOUS], "a");
        // Moving current to where it is changes nothing.
        move_label(&mut labels, CURRENT, "b");
        assert_eq!(labels[PREVIOUS], "a");
        // Rolling back swaps them.
        move_label(&mut labels, CURRENT, "a");
        assert_eq!(labels[CURRENT], "a");
        assert_eq!(labels[PREVIOUS], "b");
        move_label(&mut labels, "blue", "b");
        assert_eq!(labels[CURRENT], "a");
        assert_eq!(labels["blue"], "b");
    }

    #[test]
    fn tags_parse() {
        assert_eq!(
            parse_tag("env=prod").unwrap(),
            ("env".into(), "prod".into())
        );
        assert_eq!(parse_tag("a=b=c").unwrap(), ("a".into(), "b=c".into()));
        assert!(parse_tag("novalue").is_err());
        assert!(parse_tag("=x").is_err());
        assert!(parse_tag("k=a\nb").is_err());
    }
}

/// Property tests of the label rules: after any sequence of moves, `current`
/// points where it was last moved, `previous` at what `current` was before
/// its last real move, and a label names one version.
#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;
    use crate::store::name::PENDING;

    proptest! {
        #[test]
        fn label_moves_keep_current_and_previous_right(
            moves in prop::collection::vec(
                (prop::sample::select(vec![CURRENT, PREVIOUS, PENDING, "blue"]), 0u8..5),
                1..40,
            )
        ) {
            let mut labels = BTreeMap::new();
            // The model: what current and previous should be.
            let mut current: Option<String> = None;
            let mut previous: Option<String> = None;
            for (label, v) in moves {
                let to = format!("v{v}");
                move_label(&mut labels, label, &to);
                match label {
                    CURRENT => {
                        if let Some(old) = current.replace(to.clone()) && old != to {
                            previous = Some(old);
                        }
                    }
                    PREVIOUS => previous = Some(to.clone()),
                    _ => {}
                }
                prop_assert_eq!(labels.get(label), Some(&to));
                prop_assert_eq!(labels.get(CURRENT), current.as_ref());
                prop_assert_eq!(labels.get(PREVIOUS), previous.as_ref());
                if current.is_some() {
                    prop_assert!(labels.contains_key(CURRENT), "current was lost");
                }
            }
        }
    }
}
