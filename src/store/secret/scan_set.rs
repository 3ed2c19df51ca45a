//! The scan set: every labelled value of every secret, for `sm scan`,
//! kept as one sealed record of the read cache (see [`crate::cache`]) so a
//! pre-commit scan of a store of thousands of secrets decrypts nothing and
//! verifies nothing that did not change since the last scan.
//!
//! The record holds, per secret, the [`Stamp`] of its folder (the folder,
//! `meta.toml` and `versions/`: device, inode, mode, size, modification
//! and change times) and the labelled versions read under it. A scan walks
//! `secrets/` (one stamp per secret: three `fstatat`s from the listed
//! folder's descriptor, in parallel, which also tell the walk what
//! `meta.toml` is), takes each secret whose stamp is unchanged from the
//! record, and reads, verifies, admits (freshness) and decrypts only the
//! others, through the per-secret cache; the record is written again only
//! when something changed.
//!
//! Why an unchanged stamp is enough: the record's versions were read from
//! files that passed every check of a read, freshness included (a replayed
//! `meta.toml` is refused and never sealed). Replacing, editing, adding or
//! removing `meta.toml`, a tombstone or a version changes the stamp (a new
//! inode or change time, which no one can set back), so that secret is
//! read in full again and a replay is refused exactly as before. A stamp
//! newer than [`SETTLE_SECS`] is not trusted, so a change within one tick
//! of a coarse file-system clock is not missed (git's "racy" entries). An
//! edit of a version file in place, without touching `meta.toml`, is not
//! seen here: it changes no value the record holds (the record keeps the
//! value that verified), and `sm get` and `sm verify` report it.
//!
//! The record is bound (associated data) to the store id, its root key and
//! the store's real path, and holds the digest of the store header it was
//! made under: another store, a store claiming this one's id, another
//! checkout, or a changed member list or access rule gets nothing from it.

use std::collections::HashMap;
use std::os::unix::ffi::OsStrExt as _;

use rayon::prelude::*;
use zeroize::Zeroizing;

use super::super::Store;
use super::super::safe::Stamp;
use super::LabelledValue;
use crate::cache::{Digest, Reader};
use crate::crypto::{Identity, SecretBytes};
use crate::error::{Error, Result};

/// Stamps whose times are not this many seconds old are not trusted.
pub const SETTLE_SECS: i64 = 2;

/// The first byte of the record (its format).
const FORMAT: u8 = 1;

/// One secret's labelled versions, for `sm scan`.
pub struct SecretValues {
    /// The secret's name.
    pub name: String,
    /// Its labelled versions, or why its metadata could not be read.
    pub versions: Result<Vec<LabelledValue>>,
}

/// A secret as the record keeps it.
struct Sealed {
    /// The folder's stamp ([`Stamp::bytes`]).
    stamp: Vec<u8>,
    versions: Vec<SealedVersion>,
}

struct SealedVersion {
    id: String,
    labels: Vec<String>,
    /// The value, or the message of a no-access error (not a recipient).
    value: std::result::Result<SecretBytes, String>,
}

impl Store {
    /// Returns every labelled version of every secret (deleted or not),
    /// sorted by name: through the scan set when the store was opened with
    /// the read cache (see the module documentation), else each secret read
    /// and decrypted in parallel.
    pub fn scan_values(&self, identity: &Identity) -> Result<Vec<SecretValues>> {
        let Some(cache) = &self.cache else {
            let names = self.list_names()?;
            return Ok(names
                .into_par_iter()
                .map(|name| {
                    let versions = self.labelled_values(identity, &name);
                    SecretValues { name, versions }
                })
                .collect());
        };
        let now = jiff::Timestamp::now().as_second();
        let listed = self.list_names_stamped()?;
        let root = std::fs::canonicalize(self.root()).unwrap_or_else(|_| self.root().to_path_buf());
        let location = root.as_os_str().as_bytes();
        let file = cache.record_name("scan", location);
        let mut what = b"scan set\0".to_vec();
        what.extend_from_slice(self.root_key().as_bytes());
        what.push(0);
        what.extend_from_slice(location);
        let mut sealed = cache
            .open_record(&file, &what)
            .and_then(|plain| decode(&plain, &self.header))
            .unwrap_or_default();
        let known = sealed.len();

        // Unchanged secrets from the record; the others read in full.
        let mut out: Vec<Option<SecretValues>> = Vec::with_capacity(listed.len());
        let mut unchanged = Vec::with_capacity(listed.len());
        let mut todo = Vec::new();
        for (i, (name, stamp)) in listed.iter().enumerate() {
            let stamp = stamp.as_ref().filter(|s| s.settled(now, SETTLE_SECS));
            out.push(None);
            match (stamp, sealed.remove(name)) {
                (Some(stamp), Some(entry)) if entry.stamp == stamp.bytes() => {
                    unchanged.push((i, entry));
                }
                _ => todo.push((i, name, stamp.map(Stamp::bytes))),
            }
        }
        let changed = !todo.is_empty() || unchanged.len() != known;
        // The record is written again only when something changed: until
        // then its values are moved out rather than copied.
        let mut keep: HashMap<String, Sealed> =
            HashMap::with_capacity(if changed { listed.len() } else { 0 });
        for (i, entry) in unchanged {
            let name = listed[i].0.clone();
            let versions = if changed {
                let versions = entry.versions.iter().map(SealedVersion::unseal).collect();
                keep.insert(name.clone(), entry);
                versions
            } else {
                entry
                    .versions
                    .into_iter()
                    .map(SealedVersion::into_value)
                    .collect()
            };
            out[i] = Some(SecretValues {
                name,
                versions: Ok(versions),
            });
        }
        let read: Vec<(usize, SecretValues, Option<Sealed>)> = todo
            .into_par_iter()
            .map(|(i, name, stamp)| {
                let versions = self.labelled_values(identity, name);
                let entry = stamp.and_then(|stamp| Sealed::of(stamp, &versions));
                (
                    i,
                    SecretValues {
                        name: name.clone(),
                        versions,
                    },
                    entry,
                )
            })
            .collect();
        for (i, values, entry) in read {
            if let Some(entry) = entry {
                keep.insert(values.name.clone(), entry);
            }
            out[i] = Some(values);
        }
        if changed {
            cache.seal_record(&file, &what, &encode(&self.header, &keep));
        }
        Ok(out.into_iter().flatten().collect())
    }
}

impl Sealed {
    /// What the record keeps of a secret read in full: its versions when
    /// each was read or refused for want of access (both follow from the
    /// files and the identity alone); nothing when any other error may
    /// pass (a damaged or refused file is read again next time).
    fn of(stamp: Vec<u8>, versions: &Result<Vec<LabelledValue>>) -> Option<Sealed> {
        let versions = versions.as_ref().ok()?;
        let mut out = Vec::with_capacity(versions.len());
        for v in versions {
            let value = match &v.value {
                Ok(value) => Ok(Zeroizing::new(value.to_vec())),
                Err(e @ Error::NoAccess { .. }) => Err(e.to_string()),
                Err(_) => return None,
            };
            out.push(SealedVersion {
                id: v.id.clone(),
                labels: v.labels.clone(),
                value,
            });
        }
        Some(Sealed {
            stamp,
            versions: out,
        })
    }
}

impl SealedVersion {
    /// The version as read, moved out of the record.
    fn into_value(self) -> LabelledValue {
        LabelledValue {
            id: self.id,
            labels: self.labels,
            value: self.value.map_err(Error::no_access),
        }
    }

    fn unseal(&self) -> LabelledValue {
        LabelledValue {
            id: self.id.clone(),
            labels: self.labels.clone(),
            value: match &self.value {
                Ok(value) => Ok(Zeroizing::new(value.to_vec())),
                Err(message) => Err(Error::no_access(message.clone())),
            },
        }
    }
}

fn encode(header: &Digest, secrets: &HashMap<String, Sealed>) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::with_capacity(64 + secrets.len() * 128));
    out.push(FORMAT);
    out.extend_from_slice(header);
    out.extend_from_slice(&(secrets.len() as u32).to_le_bytes());
    let text = |out: &mut Vec<u8>, bytes: &[u8]| {
        out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
        out.extend_from_slice(bytes);
    };
    for (name, secret) in secrets {
        text(&mut out, name.as_bytes());
        text(&mut out, &secret.stamp);
        out.extend_from_slice(&(secret.versions.len() as u32).to_le_bytes());
        for v in &secret.versions {
            text(&mut out, v.id.as_bytes());
            out.extend_from_slice(&(v.labels.len() as u32).to_le_bytes());
            for label in &v.labels {
                text(&mut out, label.as_bytes());
            }
            match &v.value {
                Ok(value) => {
                    out.push(0);
                    text(&mut out, value);
                }
                Err(message) => {
                    out.push(1);
                    text(&mut out, message.as_bytes());
                }
            }
        }
    }
    out
}

/// Decodes a record made under the store header `header`; `None` when it
/// is damaged or of another header.
fn decode(plain: &[u8], header: &Digest) -> Option<HashMap<String, Sealed>> {
    let mut r = Reader(plain);
    if r.take(1)? != [FORMAT] || r.take(32)? != header {
        return None;
    }
    let count = r.count()?;
    let mut secrets = HashMap::with_capacity(count.min(1 << 20));
    for _ in 0..count {
        let name = r.string()?;
        let stamp = r.bytes()?.to_vec();
        let mut versions = Vec::new();
        for _ in 0..r.count()? {
            let id = r.string()?;
            let mut labels = Vec::new();
            for _ in 0..r.count()? {
                labels.push(r.string()?);
            }
            let value = match r.take(1)?[0] {
                0 => Ok(Zeroizing::new(r.bytes()?.to_vec())),
                1 => Err(r.string()?),
                _ => return None,
            };
            versions.push(SealedVersion { id, labels, value });
        }
        secrets.insert(name, Sealed { stamp, versions });
    }
    r.0.is_empty().then_some(secrets)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_round_trip_and_bind_to_the_header() {
        let mut secrets = HashMap::new();
        secrets.insert(
            "app/db".to_string(),
            Sealed {
                stamp: vec![3; 24],
                versions: vec![
                    SealedVersion {
                        id: "v1".into(),
                        labels: vec!["current".into(), "prod".into()],
                        value: Ok(Zeroizing::new(b"s3cret-value".to_vec())),
                    },
                    SealedVersion {
                        id: "v0".into(),
                        labels: vec!["previous".into()],
                        value: Err("not yours".into()),
                    },
                ],
            },
        );
        let plain = encode(&[7; 32], &secrets);
        assert!(decode(&plain, &[8; 32]).is_none(), "another header");
        let back = decode(&plain, &[7; 32]).expect("decodes");
        let db = &back["app/db"];
        assert_eq!(db.stamp, [3; 24]);
        let values: Vec<LabelledValue> = db.versions.iter().map(SealedVersion::unseal).collect();
        assert_eq!(values[0].labels, ["current", "prod"]);
        assert_eq!(
            values[0].value.as_ref().unwrap().as_slice(),
            b"s3cret-value"
        );
        assert!(matches!(values[1].value, Err(Error::NoAccess { .. })));
        for cut in 0..plain.len() {
            assert!(decode(&plain[..cut], &[7; 32]).is_none(), "cut at {cut}");
        }
    }
}
