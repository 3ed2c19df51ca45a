//! `sm rewrap`: re-encrypting labelled versions to the recipients the access
//! rules name now, and re-signing what a member the rules no longer allow
//! to write (or a removed member) signed.
//!
//! Secrets are processed in parallel, each under its own lock. A version is
//! replaced in three atomic steps: the new record beside the old one
//! (`<id>.rewrap`), the new ciphertext, then the record renamed over the old.
//! A reader in between, or after a crash, finds the sidecar that matches the
//! ciphertext; the next rewrap or `sm doctor` finishes the rename. A rerun
//! skips what is up to date, so an interrupted rewrap resumes where it was.

use std::path::Path;

use rayon::prelude::*;

use super::Store;
use super::files::{self, SignedFile, VersionRecord};
use super::fsio::{self, Durability};
use super::safe::{MAX_CIPHERTEXT_LEN, MAX_TOML_LEN};
use super::secret::REWRAP_SUFFIX;
use crate::crypto::{self, DecryptFailure, Identity};
use crate::error::Result;

/// A version a rewrap could not bring up to date.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Skipped {
    /// The secret.
    pub name: String,
    /// The version, if the problem is one version's.
    pub version_id: Option<String>,
    /// Why.
    pub reason: String,
}

/// What a rewrap did.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct RewrapReport {
    /// Secrets looked at.
    pub secrets: usize,
    /// Versions re-encrypted.
    pub rewrapped: usize,
    /// Versions or metadata only re-signed.
    pub resigned: usize,
    /// Versions already right.
    pub up_to_date: usize,
    /// What could not be done.
    pub skipped: Vec<Skipped>,
}

impl RewrapReport {
    fn merge(mut self, other: RewrapReport) -> RewrapReport {
        self.secrets += other.secrets;
        self.rewrapped += other.rewrapped;
        self.resigned += other.resigned;
        self.up_to_date += other.up_to_date;
        self.skipped.extend(other.skipped);
        self
    }
}

impl Store {
    /// Rewraps every secret whose name starts with `prefix`. `progress` is
    /// called once per secret done, with the count done and the total.
    pub fn rewrap(
        &self,
        identity: &Identity,
        prefix: Option<&str>,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Result<RewrapReport> {
        let names: Vec<String> = self
            .list_names()?
            .into_iter()
            .filter(|n| prefix.is_none_or(|p| n.starts_with(p)))
            .collect();
        self.rewrap_names(identity, &names, progress)
    }

    /// Rewraps the secrets `names` (as [`Store::rewrap`] does for a
    /// prefix), for a change that touched only these.
    pub fn rewrap_names(
        &self,
        identity: &Identity,
        names: &[String],
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Result<RewrapReport> {
        let me = self.member_for(identity)?.name.clone();
        let total = names.len();
        let done = std::sync::atomic::AtomicUsize::new(0);
        let report = names
            .par_iter()
            .map(|name| {
                let r = self
                    .rewrap_secret(identity, &me, name)
                    .unwrap_or_else(|e| RewrapReport {
                        secrets: 1,
                        skipped: vec![Skipped {
                            name: name.clone(),
                            version_id: None,
                            reason: e.to_string(),
                        }],
                        ..RewrapReport::default()
                    });
                let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                progress(n, total);
                r
            })
            .reduce(RewrapReport::default, RewrapReport::merge);
        fsio::sync_filesystem(self.root())?;
        let mut report = report;
        report
            .skipped
            .sort_by(|a, b| (&a.name, &a.version_id).cmp(&(&b.name, &b.version_id)));
        Ok(report)
    }

    fn rewrap_secret(&self, identity: &Identity, me: &str, name: &str) -> Result<RewrapReport> {
        let mut report = RewrapReport {
            secrets: 1,
            ..RewrapReport::default()
        };
        let _lock = self.lock_secret(name)?;
        self.finish_interrupted_rewraps(name)?;
        let mut meta = self.read_meta_checked(name, false)?;
        let may_write = self.access().can_write(name, me, self.members());
        let skip = |report: &mut RewrapReport, id: Option<&str>, reason: String| {
            report.skipped.push(Skipped {
                name: name.to_string(),
                version_id: id.map(str::to_string),
                reason,
            });
        };
        let (recipients, hash) = match self.recipients_for(name) {
            Ok(r) => r,
            Err(e) => {
                skip(&mut report, None, e.to_string());
                return Ok(report);
            }
        };
        let dir = self.versions_dir(name);
        for id in self.version_ids(name)? {
            let (record, ciphertext) = match self.read_version_checked(name, &id, false) {
                Ok(v) => v,
                Err(e) => {
                    skip(&mut report, Some(&id), e.to_string());
                    continue;
                }
            };
            let labelled = meta.labels.values().any(|v| *v == id);
            let stale = labelled && record.recipients.as_deref() != Some(hash.as_str());
            let bad_signer = !self
                .access()
                .can_write(name, record.signer(), self.members());
            if !stale && !bad_signer {
                report.up_to_date += 1;
                continue;
            }
            if !may_write {
                skip(
                    &mut report,
                    Some(&id),
                    format!("`{me}` may not write `{name}`, so cannot re-sign it"),
                );
                continue;
            }
            let mut new = VersionRecord {
                rewrapped_by: Some(me.to_string()),
                signature: String::new(),
                ..record.clone()
            };
            let new_ciphertext = if stale {
                let value = match crypto::decrypt(&ciphertext, identity) {
                    Ok(v) => v,
                    Err(DecryptFailure::NotRecipient) => {
                        skip(
                            &mut report,
                            Some(&id),
                            "it was not encrypted to you; a member who can read it must rewrap"
                                .into(),
                        );
                        continue;
                    }
                    Err(DecryptFailure::Corrupt(_)) => {
                        skip(&mut report, Some(&id), "the ciphertext is corrupt".into());
                        continue;
                    }
                };
                let c = crypto::encrypt(&value, &recipients)?;
                new.sha256 = crypto::sha256_hex(&c);
                new.recipients = Some(hash.clone());
                Some(c)
            } else {
                None
            };
            new.signature = identity.sign(&new.signed_bytes(self.id(), name, &id));
            let record_path = dir.join(format!("{id}.toml"));
            match new_ciphertext {
                Some(c) => {
                    let sidecar = dir.join(format!("{id}{REWRAP_SUFFIX}"));
                    self.fs
                        .write_atomic(&sidecar, &files::to_toml(&new), Durability::Deferred)?;
                    self.fs.write_atomic(
                        &dir.join(format!("{id}.age")),
                        &c,
                        Durability::Deferred,
                    )?;
                    self.fs.rename_in_dir(&sidecar, &record_path)?;
                    report.rewrapped += 1;
                }
                None => {
                    self.fs.write_atomic(
                        &record_path,
                        &files::to_toml(&new),
                        Durability::Deferred,
                    )?;
                    report.resigned += 1;
                }
            }
        }
        let meta_signer = meta.signer(Path::new("meta.toml"))?;
        if !self.access().can_write(name, &meta_signer, self.members()) {
            if may_write {
                self.write_meta(identity, me, &mut meta, Durability::Deferred)?;
                report.resigned += 1;
            } else {
                skip(
                    &mut report,
                    None,
                    format!("meta.toml needs re-signing by a member who may write `{name}`"),
                );
            }
        }
        Ok(report)
    }

    /// Finishes the renames of rewraps interrupted in `name`'s folder.
    pub(crate) fn finish_interrupted_rewraps(&self, name: &str) -> Result<()> {
        let dir = self.versions_dir(name);
        for entry in self.fs.list(&dir)?.unwrap_or_default() {
            let Some(file) = entry.name.to_str() else {
                continue;
            };
            let Some(id) = file.strip_suffix(REWRAP_SUFFIX) else {
                continue;
            };
            // Only a real version's side record may become its record.
            if super::name::validate_version_id(id).is_err() {
                continue;
            }
            let sidecar = dir.join(file);
            let record = self
                .fs
                .read(&sidecar, MAX_TOML_LEN)?
                .and_then(|b| files::parse_toml::<VersionRecord>(&b, &sidecar).ok());
            let ciphertext = self
                .fs
                .read(&dir.join(format!("{id}.age")), MAX_CIPHERTEXT_LEN)?;
            let matches = record
                .zip(ciphertext)
                .is_some_and(|(r, c)| r.sha256 == crypto::sha256_hex(&c));
            if matches {
                self.fs
                    .rename_in_dir(&sidecar, &dir.join(format!("{id}.toml")))?;
            } else {
                self.fs.remove_file(&sidecar)?;
            }
        }
        Ok(())
    }
}
