//! The scan set: every labelled value of every secret, for `sm scan`,
//! kept as one sealed record of the read cache (see [`crate::cache`]) so a
//! pre-commit scan of a store of thousands of secrets decrypts nothing and
//! verifies nothing that did not change since the last scan.
//!
//! The record holds, per secret, the [`Stamp`] of its `meta.toml` (device,
//! inode, mode, size, modification and change times) and the labelled
//! versions read under it. A scan walks `secrets/` (one `fstatat` per
//! secret from the listed folder's descriptor, in parallel, which also
//! tells the walk what `meta.toml` is), takes each secret whose stamp is
//! unchanged from the record, and reads, verifies, admits (freshness) and
//! decrypts only the others, through the per-secret cache; the record is
//! written again only when something changed.
//!
//! Why an unchanged `meta.toml` is enough: the record's versions were read
//! from files that passed every check of a read, freshness included (a
//! replayed `meta.toml` is refused and never sealed). Which versions are
//! labelled, and so which values the record holds, is written in
//! `meta.toml` alone; replacing, editing, creating or removing it changes
//! its stamp (a new inode or change time, which no one can set back), so
//! that secret is read in full again and a replay is refused exactly as
//! before. A version's file never changes once written: a version file
//! edited or replaced by hand changes no value the record holds (it keeps
//! the value that verified), and `sm get` and `sm verify` report it. The
//! one legitimate change of a version file is re-encryption (`sm rewrap`),
//! which can turn a version this identity could not read into one it can:
//! for a secret holding such a version, the stamp also covers `versions/`
//! (the caller says which, see [`Store::scan_listing`]). A tombstone added
//! or removed alone changes nothing here: the scan set holds deleted
//! secrets' values too. A stamp newer than [`SETTLE_SECS`] is not trusted,
//! so a change within one tick of a coarse file-system clock is not missed
//! (git's "racy" entries).
//!
//! The record is bound (associated data) to the store id, its root key and
//! the store's real path, and holds the digest of the store header it was
//! made under: another store, a store claiming this one's id, another
//! checkout, or a changed member list or access rule gets nothing from it.
//! [`Store::open_scan_record`] keeps records derived from the scan set
//! (the scan's literal set) under the same binding, keyed by
//! [`ScanListing::digest`].

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

/// The first byte of the record (its format): 2 since stamps are of
/// `meta.toml` (and `versions/` where asked) rather than of the folder.
const FORMAT: u8 = 2;

/// A store's secrets, sorted by name, with their stamps: taken once per
/// scan, before anything is read.
pub struct ScanListing {
    listed: Vec<(String, Option<Stamp>)>,
    /// When the store was opened with the read cache and every stamp is
    /// settled: the digest of the store header and every secret's name
    /// and stamp. Under an equal digest the scan set is unchanged, and so
    /// is anything built from it.
    pub digest: Option<Digest>,
}

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

/// A store's secrets with the stamps of their `meta.toml`, taken before the
/// store is opened (only listing and `stat` calls beneath its folder, no
/// file read, nothing written), so that a staged scan can stamp while git
/// lists the staged files; see [`Store::scan_listing_from`].
pub struct ScanStamps {
    root: std::path::PathBuf,
    now: i64,
    listed: Result<Vec<(String, Option<Stamp>)>>,
}

impl ScanStamps {
    /// Lists and stamps the store at `root`.
    pub fn take(root: &std::path::Path) -> ScanStamps {
        let now = jiff::Timestamp::now().as_second();
        let listed = super::super::safe::StoreFs::open(root)
            .map_err(|e| Error::io("cannot open", root, e))
            .and_then(|fs| {
                super::list::walk(
                    &fs,
                    root.join(super::super::SECRETS_DIR),
                    true,
                    Some(&|_, _| false),
                )
            })
            .map(|(names, _)| names);
        ScanStamps {
            root: root.to_path_buf(),
            now,
            listed,
        }
    }
}

impl Store {
    /// Lists the secrets with their stamps (see the module documentation;
    /// `deep` names the secrets whose `versions/` is watched too: those
    /// holding a version this identity cannot read). Without the read
    /// cache nothing is stamped.
    pub fn scan_listing(&self, deep: super::list::Deep<'_>) -> Result<ScanListing> {
        if self.cache.is_none() {
            let listed = self.list_names()?.into_iter().map(|n| (n, None)).collect();
            return Ok(ScanListing {
                listed,
                digest: None,
            });
        }
        let now = jiff::Timestamp::now().as_second();
        let listed = self.list_names_stamped(deep)?;
        Ok(self.listing_of(listed, now))
    }

    /// The listing of stamps taken by [`ScanStamps::take`] of this store's
    /// folder (none of them of `versions/`); `None` when they were taken of
    /// another folder, or this store has no read cache.
    pub fn scan_listing_from(&self, stamps: ScanStamps) -> Option<Result<ScanListing>> {
        if self.cache.is_none() || stamps.root != self.root() {
            return None;
        }
        Some(
            stamps
                .listed
                .map(|listed| self.listing_of(listed, stamps.now)),
        )
    }

    /// The listing of `listed`, stamped at `now` (seconds since 1970).
    fn listing_of(&self, listed: Vec<(String, Option<Stamp>)>, now: i64) -> ScanListing {
        let mut all = Vec::with_capacity(64 + listed.len() * 96);
        all.push(FORMAT);
        all.extend_from_slice(&self.header);
        let mut settled = true;
        for (name, stamp) in &listed {
            let Some(stamp) = stamp.as_ref().filter(|s| s.settled(now, SETTLE_SECS)) else {
                settled = false;
                break;
            };
            let bytes = stamp.bytes();
            for part in [name.as_bytes(), &bytes] {
                all.extend_from_slice(&(part.len() as u32).to_le_bytes());
                all.extend_from_slice(part);
            }
        }
        let digest = settled.then(|| crate::cache::digest(&[b"scan listing", &all]));
        ScanListing { listed, digest }
    }

    /// The file name and associated data of the sealed record `kind` of
    /// this store at this location.
    fn scan_binding(&self, cache: &crate::cache::Cache, kind: &str) -> (String, Vec<u8>) {
        let location = self.canonical_root().as_os_str().as_bytes();
        let mut what = kind.as_bytes().to_vec();
        what.push(0);
        what.extend_from_slice(self.root_key().as_bytes());
        what.push(0);
        what.extend_from_slice(location);
        (cache.record_name(kind, location), what)
    }

    /// Opens the sealed record `kind` kept beside the scan set (bound like
    /// it to the store, its root key and its real path); `None` without
    /// the read cache or such a record.
    pub fn open_scan_record(&self, kind: &str) -> Option<SecretBytes> {
        let cache = self.cache.as_ref()?;
        let (file, what) = self.scan_binding(cache, kind);
        cache.open_record(&file, &what)
    }

    /// Seals `plain` as the record `kind` (see [`Store::open_scan_record`]).
    pub fn seal_scan_record(&self, kind: &str, plain: &[u8]) {
        if let Some(cache) = &self.cache {
            let (file, what) = self.scan_binding(cache, kind);
            cache.seal_record(&file, &what, plain);
        }
    }

    /// Returns every labelled version of every secret of `listing`
    /// (deleted or not), sorted by name: through the scan set when the
    /// store was opened with the read cache (see the module
    /// documentation), else each secret read and decrypted in parallel.
    pub fn scan_values(
        &self,
        identity: &Identity,
        listing: &ScanListing,
    ) -> Result<Vec<SecretValues>> {
        let listed = &listing.listed;
        let Some(cache) = &self.cache else {
            return Ok(listed
                .par_iter()
                .map(|(name, _)| {
                    let versions = self.labelled_values(identity, name);
                    SecretValues {
                        name: name.clone(),
                        versions,
                    }
                })
                .collect());
        };
        let now = jiff::Timestamp::now().as_second();
        let (file, what) = self.scan_binding(cache, "scan");
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
