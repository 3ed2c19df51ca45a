//! Writing secrets: put, labels, metadata, deletion, purging. Every write
//! holds the secret's lock and goes through the store's safe paths: a link
//! or special file on the way is refused, never written through.

use jiff::Timestamp;

use super::super::Store;
use super::super::files::{self, Deletion, Encoding, Meta, SignedFile, VersionRecord};
use super::super::fsio::Durability;
use super::super::name::{self, CURRENT, PREVIOUS};
use super::{
    PutOutcome, PutRequest, check_value_size, format_time, move_label, now, now_string,
    validate_description, validate_tag_key, validate_version_id,
};
use crate::cache;
use crate::crypto::{self, Identity, Recipient};
use crate::error::{Error, Result};

impl Store {
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
        meta.seq += 1;
        let mut versions = match meta.versions.take() {
            Some(list) => list,
            // A format-1 file lists nothing: list what is on disk now.
            None => self.version_ids(&meta.name)?,
        };
        versions.sort();
        versions.dedup();
        meta.versions = Some(versions);
        meta.sign(&self.meta_context(&meta.name.clone()), identity, author);
        let bytes = files::to_toml(meta);
        let path = self.meta_path(&meta.name);
        self.fs.write_atomic(&path, &bytes, durability)?;
        self.fresh
            .secret(&meta.name, meta.seq, &cache::digest(&[&bytes]), &path)?;
        Ok(bytes)
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
        let created_secret = !self.exists(name)?;
        if request.create_only && !created_secret {
            return Err(Error::conflict(format!("secret `{name}` exists already"))
                .with_hint("choose another name, or write a new version of it"));
        }
        let mut meta = if created_secret {
            self.new_meta(name)?
        } else {
            self.read_live_meta_cached(name)?
        };

        let versions_dir = self.versions_dir(name);
        if let Some(id) = &request.version_id
            && self.fs.is_file(&versions_dir.join(format!("{id}.toml")))?
        {
            let (_, ciphertext) = self.read_version(name, id)?;
            let existing = self.decrypt(name, id, &ciphertext, identity)?;
            if existing.as_slice() == value {
                // A write interrupted before its metadata (a rotation
                // resumed with the same id) left the version unlisted.
                if meta.versions.as_ref().is_some_and(|l| !l.contains(id)) {
                    if let Some(list) = &mut meta.versions {
                        list.push(id.clone());
                    }
                    self.write_meta(identity, &author, &mut meta, durability)?;
                }
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

        self.fs.create_dir_all(&versions_dir)?;
        // The ciphertext goes first: a record never points at a missing file,
        // and an interrupted write leaves only an orphan `.age` for doctor.
        self.fs.write_atomic(
            &versions_dir.join(format!("{id}.age")),
            &ciphertext,
            durability,
        )?;
        let record_bytes = files::to_toml(&record);
        self.fs.write_atomic(
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
        if let Some(list) = &mut meta.versions {
            list.push(id.clone());
        }
        if let Some(d) = &request.description {
            meta.description = d.clone();
        }
        for (k, v) in &request.tags {
            meta.tags.insert(k.clone(), v.clone());
        }
        let pruned = self.prune(&mut meta, name)?;
        let meta_bytes = self.write_meta(identity, &author, &mut meta, durability)?;
        if created_secret {
            self.fs.remove_file(&self.tombstone_path(name))?;
        }
        self.delete_versions(name, &pruned)?;
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

    /// Creates a secret with no value yet (the service's CreateSecret
    /// without a value, e.g. infrastructure code that declares a secret and
    /// writes its value separately): metadata only, no version and no
    /// label, so reads say it has no current version until its first put.
    /// Fails with a conflict when the name is taken (deleted or not).
    pub fn create_empty(
        &self,
        identity: &Identity,
        name: &str,
        description: Option<&str>,
        tags: &[(String, String)],
    ) -> Result<()> {
        let name = name::validate_name(name)?;
        let author = self.member_for(identity)?.name.clone();
        self.require_writer(&author, name)?;
        for (k, _) in tags {
            validate_tag_key(k)?;
        }
        if let Some(d) = description {
            validate_description(d)?;
        }
        let _lock = self.lock_secret(name)?;
        if self.exists(name)? {
            return Err(Error::conflict(format!("secret `{name}` exists already"))
                .with_hint("choose another name, or write a new version of it"));
        }
        let mut meta = Meta {
            description: description.unwrap_or_default().to_string(),
            tags: tags.iter().cloned().collect(),
            ..self.new_meta(name)?
        };
        self.fs.create_dir_all(&self.versions_dir(name))?;
        self.write_meta(identity, &author, &mut meta, Durability::Sync)?;
        self.fs.remove_file(&self.tombstone_path(name))?;
        Ok(())
    }

    /// The metadata of a secret about to be created: no versions yet, and
    /// the sequence of the name's tombstone when it was deleted before.
    fn new_meta(&self, name: &str) -> Result<Meta> {
        let tomb = self.read_tombstone(name)?;
        Ok(Meta {
            name: name.to_string(),
            seq: tomb.map_or(0, |(t, _)| t.seq),
            created: now_string(),
            versions: Some(Vec::new()),
            ..Meta::default()
        })
    }

    /// Chooses the unlabelled versions beyond `max_versions`, oldest
    /// first, and drops them from the metadata's version list. The caller
    /// deletes their files with [`Store::delete_versions`] once the
    /// metadata that no longer lists them is written, so no moment has a
    /// listed version missing.
    pub(super) fn prune(&self, meta: &mut Meta, name: &str) -> Result<Vec<String>> {
        let ids = match self.version_ids(name) {
            Ok(ids) => ids,
            // A folder holding files that are not versions is left as it
            // is (`sm verify` names them); the write itself is sound.
            Err(Error::Integrity { .. }) => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        let max = self.max_versions() as usize;
        if ids.len() <= max {
            return Ok(Vec::new());
        }
        let excess = ids.len() - max;
        let pruned: Vec<String> = ids
            .into_iter()
            .filter(|id| !meta.labels.values().any(|v| v == id))
            .take(excess)
            .collect();
        if let Some(list) = &mut meta.versions {
            list.retain(|v| !pruned.contains(v));
        }
        Ok(pruned)
    }

    /// Deletes the files of versions the metadata no longer lists.
    pub(super) fn delete_versions(&self, name: &str, ids: &[String]) -> Result<()> {
        let dir = self.versions_dir(name);
        for id in ids {
            // Record first: a crash in between leaves an orphan `.age`.
            for file in [format!("{id}.toml"), format!("{id}.age")] {
                // As before, a file that cannot go now is pruned later; but
                // a link or special file in its place is refused.
                if let Err(e @ Error::Integrity { .. }) = self.fs.remove_file(&dir.join(file)) {
                    return Err(e);
                }
            }
        }
        Ok(())
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
            if let Some(list) = &mut meta.versions
                && !list.iter().any(|v| v == to)
            {
                list.push(to.to_string());
            }
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
            let meta = self.read_meta(name)?;
            self.bury(identity, &author, &meta)?;
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
        let me = self.member_for(identity)?.name.clone();
        let mut purged = Vec::new();
        let mut refused = None;
        for name in self.list_names()? {
            let _lock = self.lock_secret(&name)?;
            let meta = match self.read_meta(&name) {
                Ok(meta) => meta,
                // A replayed or forged deletion is never acted on, and
                // never passed over in silence.
                Err(e @ Error::Integrity { .. }) => {
                    refused.get_or_insert(e);
                    continue;
                }
                Err(_) => continue,
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
                // The tombstone is signed by whoever purges, who must be
                // allowed to write the secret.
                if self.require_writer(&me, &name).is_err() {
                    continue;
                }
                self.bury(identity, &me, &meta)?;
                purged.push(name);
            }
        }
        match refused {
            Some(e) => Err(e),
            None => Ok(purged),
        }
    }
}
