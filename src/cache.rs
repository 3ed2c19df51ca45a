//! The local read cache: what `sm get`, `sm exec` and `sm scan` learned from
//! the exact bytes of a store's files, so that reading them again costs no
//! signature check and no X25519.
//!
//! Verifying a store's header (member chain, `members.toml`, `store.toml`,
//! `access.toml`) and a secret's `meta.toml` and version record, and
//! decrypting its ciphertext, are pure functions of those files' bytes and
//! the reader's identity. The cache remembers their results keyed by SHA-256
//! digests of the bytes: a reader still reads every file, and any change to
//! any byte misses the cache and takes the full path again.
//!
//! The cache lives outside the store (`$XDG_CACHE_HOME/sm/<store id>/<key
//! id>/`, folders 0700, files 0600) and is sealed with XChaCha20-Poly1305
//! under a key derived from the reader's identity (HKDF-SHA256, a fixed
//! versioned info string), with the store id and secret name as associated
//! data. So a cache file tells nothing to whoever lacks the identity (who
//! could decrypt the store itself), cannot be forged or moved between
//! secrets, stores or identities, and is ignored when it does not open.
//! Entries are written atomically and never synced: losing one only costs
//! the next read its full verification. `SM_NO_CACHE=1` turns it off.

use std::fs;
use std::io::Write as _;
use std::os::unix::fs::{DirBuilderExt as _, OpenOptionsExt as _};
use std::path::{Path, PathBuf};

use chacha20poly1305::aead::{AeadInPlace as _, KeyInit as _};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore as _;
use sha2::{Digest as _, Sha256};
use zeroize::Zeroizing;

use crate::crypto::{Identity, SecretBytes};

/// The HKDF info string of the cache key.
const KEY_INFO: &[u8] = b"sm local read cache v1";

/// The first byte of every sealed plaintext (the entry format).
const FORMAT: u8 = 1;

/// What separates a record's kind from its key in its file name (entry
/// names are bare hex digits).
const RECORD_MARK: &str = "-";

/// A SHA-256 digest.
pub type Digest = [u8; 32];

/// Returns the SHA-256 of `parts`, each prefixed by its length so that no
/// two different lists of parts give the same input.
pub fn digest(parts: &[&[u8]]) -> Digest {
    let mut h = Sha256::new();
    for part in parts {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part);
    }
    h.finalize().into()
}

/// An opened cache for one store and one identity.
pub struct Cache {
    dir: PathBuf,
    store_id: String,
    cipher: XChaCha20Poly1305,
    name_key: Zeroizing<[u8; 32]>,
}

impl std::fmt::Debug for Cache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cache")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

/// One version as the cache knows it.
pub struct CachedVersion {
    /// The version id.
    pub id: String,
    /// The digest of its record file (`<id>.toml`).
    pub record: Digest,
    /// The digest of its ciphertext file (`<id>.age`).
    pub ciphertext: Digest,
    /// The decrypted value.
    pub value: SecretBytes,
}

/// What the cache knows about one secret.
#[derive(Default)]
pub struct Entry {
    /// The digest of the store header the facts were checked under.
    pub header: Digest,
    /// The digest of the verified `meta.toml` (zero: none).
    pub meta: Digest,
    /// Verified and decrypted versions.
    pub versions: Vec<CachedVersion>,
}

impl Entry {
    /// Records version `id` (its record and ciphertext digests and value),
    /// replacing what was known of it.
    pub fn remember(&mut self, id: &str, record: Digest, ciphertext: Digest, value: &[u8]) {
        self.versions.retain(|v| v.id != id);
        self.versions.push(CachedVersion {
            id: id.to_string(),
            record,
            ciphertext,
            value: Zeroizing::new(value.to_vec()),
        });
    }

    /// Drops the versions `meta` no longer labels, except `also`.
    pub fn keep_labelled(&mut self, meta: &crate::store::Meta, also: &str) {
        self.versions
            .retain(|v| v.id == also || meta.labels.values().any(|l| *l == v.id));
    }

    /// Returns the cached version `id` if its files are still `record` and
    /// `ciphertext`.
    pub fn version(
        &self,
        id: &str,
        record: &Digest,
        ciphertext: &Digest,
    ) -> Option<&CachedVersion> {
        self.versions
            .iter()
            .find(|v| v.id == id && &v.record == record && &v.ciphertext == ciphertext)
    }
}

/// Tells whether the cache is turned off (`SM_NO_CACHE` set and not `0`).
pub fn disabled() -> bool {
    std::env::var_os("SM_NO_CACHE").is_some_and(|v| !v.is_empty() && v != "0")
}

/// Returns the folder under which all stores' caches live.
pub fn root() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "sm").map(|d| d.cache_dir().to_path_buf())
}

/// Gives `identity` its public halves from the cache, or computes them and
/// caches them for the next command (see [`Identity::preload_public`]).
pub fn preload_identity(identity: &Identity) {
    let Some(root) = root().filter(|_| !disabled()) else {
        return;
    };
    let cache = Cache::in_folder(&root, "identities", "", identity);
    if let Some(plain) = cache.open_sealed("public", b"public")
        && plain.len() > 32
        && let Ok(recipient) = std::str::from_utf8(&plain[32..])
    {
        let verifying: [u8; 32] = plain[..32].try_into().expect("32 bytes");
        identity.preload_public(recipient.to_string(), &verifying);
        return;
    }
    let (recipient, verifying) = identity.public_parts();
    let mut plain = verifying.to_vec();
    plain.extend_from_slice(recipient.as_bytes());
    cache.seal_into("public", b"public", &plain);
}

impl Cache {
    /// Opens (without creating anything yet) the cache of `store_id` for
    /// `identity` under `root`.
    pub fn open(root: &Path, store_id: &str, identity: &Identity) -> Cache {
        Cache::in_folder(root, &sanitize(store_id), store_id, identity)
    }

    fn in_folder(root: &Path, folder: &str, store_id: &str, identity: &Identity) -> Cache {
        let key = identity.derive_key(KEY_INFO);
        let mut name_key = Zeroizing::new([0u8; 32]);
        name_key.copy_from_slice(&digest(&[b"names", key.as_slice()]));
        let key_id = hex::encode(&digest(&[b"key id", key.as_slice()])[..8]);
        Cache {
            dir: root.join(folder).join(key_id),
            store_id: store_id.to_string(),
            cipher: XChaCha20Poly1305::new(key.as_slice().into()),
            name_key,
        }
    }

    /// Tells whether the store header with `header` was verified before.
    pub fn header_verified(&self, header: &Digest) -> bool {
        self.open_sealed("header", b"header")
            .is_some_and(|plain| plain.as_slice() == header)
    }

    /// Records that the store header with `header` verified.
    pub fn mark_header_verified(&self, header: &Digest) {
        self.seal_into("header", b"header", header);
    }

    /// Returns what the cache knows about secret `name`.
    pub fn entry(&self, name: &str) -> Option<Entry> {
        let plain = self.open_sealed(&self.file_name(name), name.as_bytes())?;
        decode(&plain)
    }

    /// Returns what the cache knows about secret `name` under the store
    /// header `header`, or an empty entry for it (nothing, or an entry made
    /// under another header, whose facts no longer hold).
    pub fn entry_under(&self, name: &str, header: &Digest) -> Entry {
        self.entry(name)
            .filter(|e| &e.header == header)
            .unwrap_or_else(|| Entry {
                header: *header,
                ..Entry::default()
            })
    }

    /// Replaces what the cache knows about secret `name`.
    pub fn put_entry(&self, name: &str, entry: &Entry) {
        let plain = encode(entry);
        self.seal_into(&self.file_name(name), name.as_bytes(), &plain);
    }

    /// Returns the plaintext of the sealed record `file` (a name made by
    /// [`Cache::record_name`]), opened under `what`, or `None` (missing,
    /// damaged, or sealed for another store, identity or `what`).
    pub fn open_record(&self, file: &str, what: &[u8]) -> Option<SecretBytes> {
        self.open_sealed(file, what)
    }

    /// Seals `plain` into the record `file` under `what` (see
    /// [`Cache::open_record`]); a failure is ignored.
    pub fn seal_record(&self, file: &str, what: &[u8], plain: &[u8]) {
        self.seal_into(file, what, plain);
    }

    /// Returns the file name of the record `kind` for `key` (for example
    /// the scan set of one store location): `<kind>-` and 32 hex digits
    /// keyed by the cache key, so it tells nothing of `key`. [`Cache::retain`]
    /// keeps such records.
    pub fn record_name(&self, kind: &str, key: &[u8]) -> String {
        let tag = digest(&[self.name_key.as_slice(), b"record", kind.as_bytes(), key]);
        format!("{kind}{RECORD_MARK}{}", hex::encode(&tag[..16]))
    }

    /// Forgets secret `name` (after it is deleted).
    pub fn forget(&self, name: &str) {
        let _ = fs::remove_file(self.dir.join(self.file_name(name)));
    }

    /// Removes the entries of every secret not in `names` (pruning what a
    /// purge, here or in another clone, left behind).
    pub fn retain(&self, names: &[String]) -> usize {
        let keep: std::collections::HashSet<String> =
            names.iter().map(|n| self.file_name(n)).collect();
        let Ok(read) = fs::read_dir(&self.dir) else {
            return 0;
        };
        let mut removed = 0;
        for item in read.flatten() {
            let file = item.file_name().to_string_lossy().into_owned();
            let record = !file.starts_with('.') && file.contains(RECORD_MARK);
            if file != "header"
                && !record
                && !keep.contains(&file)
                && fs::remove_file(item.path()).is_ok()
            {
                removed += 1;
            }
        }
        removed
    }

    fn file_name(&self, name: &str) -> String {
        hex::encode(&digest(&[self.name_key.as_slice(), name.as_bytes()])[..16])
    }

    fn aad(&self, what: &[u8]) -> Vec<u8> {
        let mut aad = Vec::with_capacity(64);
        aad.extend_from_slice(KEY_INFO);
        aad.push(0);
        aad.extend_from_slice(self.store_id.as_bytes());
        aad.push(0);
        aad.extend_from_slice(what);
        aad
    }

    /// Reads and opens `file`: into one buffer of the file's size,
    /// decrypted in place (a scan's literal set is megabytes: no growing
    /// buffer, no second copy).
    fn open_sealed(&self, file: &str, what: &[u8]) -> Option<SecretBytes> {
        use std::io::Read as _;
        const OVERHEAD: usize = 24 + 16;
        let mut f = fs::File::open(self.dir.join(file)).ok()?;
        let len = usize::try_from(f.metadata().ok()?.len()).ok()?;
        if len < OVERHEAD {
            return None;
        }
        let mut buf = Zeroizing::new(vec![0u8; len]);
        // A file changed meanwhile reads short or fails to open: a miss.
        f.read_exact(&mut buf).ok()?;
        let (nonce, rest) = buf.split_at_mut(24);
        let (body, tag) = rest.split_at_mut(len - OVERHEAD);
        self.cipher
            .decrypt_in_place_detached(
                XNonce::from_slice(nonce),
                &self.aad(what),
                body,
                chacha20poly1305::Tag::from_slice(tag),
            )
            .ok()?;
        buf.copy_within(24..len - 16, 0);
        buf.truncate(len - OVERHEAD);
        Some(buf)
    }

    /// Seals `plain` into `file`; a failure is ignored (the cache is only
    /// an accelerator).
    fn seal_into(&self, file: &str, what: &[u8], plain: &[u8]) {
        let mut nonce = [0u8; 24];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let mut buf = Zeroizing::new(Vec::with_capacity(plain.len() + 16));
        buf.extend_from_slice(plain);
        if self
            .cipher
            .encrypt_in_place(XNonce::from_slice(&nonce), &self.aad(what), &mut *buf)
            .is_err()
        {
            return;
        }
        let _ = self.write(file, &nonce, &buf);
    }

    fn write(&self, file: &str, nonce: &[u8], sealed: &[u8]) -> std::io::Result<()> {
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&self.dir)?;
        let temp = self.dir.join(format!(
            ".{file}.{}-{}",
            std::process::id(),
            rand::random::<u32>()
        ));
        let result = (|| {
            let mut out = fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(&temp)?;
            out.write_all(nonce)?;
            out.write_all(sealed)?;
            fs::rename(&temp, self.dir.join(file))
        })();
        if result.is_err() {
            let _ = fs::remove_file(&temp);
        }
        result
    }
}

/// Keeps a store id usable as one folder name whatever a hand-edited
/// store.toml holds.
fn sanitize(id: &str) -> String {
    let clean: String = id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(64)
        .collect();
    if clean.is_empty() || clean == "identities" {
        "store".to_string()
    } else {
        clean
    }
}

fn encode(entry: &Entry) -> Zeroizing<Vec<u8>> {
    let size: usize = entry
        .versions
        .iter()
        .map(|v| 2 + v.id.len() + 64 + 4 + v.value.len())
        .sum();
    let mut out = Zeroizing::new(Vec::with_capacity(1 + 64 + 4 + size));
    out.push(FORMAT);
    out.extend_from_slice(&entry.header);
    out.extend_from_slice(&entry.meta);
    out.extend_from_slice(&(entry.versions.len() as u32).to_le_bytes());
    for v in &entry.versions {
        out.extend_from_slice(&(v.id.len() as u16).to_le_bytes());
        out.extend_from_slice(v.id.as_bytes());
        out.extend_from_slice(&v.record);
        out.extend_from_slice(&v.ciphertext);
        out.extend_from_slice(&(v.value.len() as u32).to_le_bytes());
        out.extend_from_slice(&v.value);
    }
    out
}

fn decode(plain: &[u8]) -> Option<Entry> {
    let mut r = Reader(plain);
    if r.take(1)? != [FORMAT] {
        return None;
    }
    let header = r.digest()?;
    let meta = r.digest()?;
    let count = u32::from_le_bytes(r.take(4)?.try_into().ok()?);
    let mut versions = Vec::new();
    for _ in 0..count {
        let id_len = u16::from_le_bytes(r.take(2)?.try_into().ok()?);
        let id = std::str::from_utf8(r.take(id_len as usize)?)
            .ok()?
            .to_string();
        let record = r.digest()?;
        let ciphertext = r.digest()?;
        let len = u32::from_le_bytes(r.take(4)?.try_into().ok()?);
        let value = Zeroizing::new(r.take(len as usize)?.to_vec());
        versions.push(CachedVersion {
            id,
            record,
            ciphertext,
            value,
        });
    }
    r.0.is_empty().then_some(Entry {
        header,
        meta,
        versions,
    })
}

/// Reads a decrypted record's fields in order (each read is `None` past
/// the end); what is left is in `.0`.
pub struct Reader<'a>(pub &'a [u8]);

impl<'a> Reader<'a> {
    /// The next `n` bytes.
    pub fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }

    /// The next 32-byte digest.
    pub fn digest(&mut self) -> Option<Digest> {
        self.take(32)?.try_into().ok()
    }

    /// The next little-endian `u32` count.
    pub fn count(&mut self) -> Option<usize> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?) as usize)
    }

    /// The next length-prefixed bytes.
    pub fn bytes(&mut self) -> Option<&'a [u8]> {
        let n = self.count()?;
        self.take(n)
    }

    /// The next length-prefixed UTF-8 text.
    pub fn string(&mut self) -> Option<String> {
        String::from_utf8(self.bytes()?.to_vec()).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cache(dir: &Path, identity: &Identity) -> Cache {
        Cache::open(dir, "01a2-store", identity)
    }

    #[test]
    fn entries_round_trip_and_bind_to_name_store_and_identity() {
        let dir = tempfile::tempdir().unwrap();
        let (me, _) = Identity::generate();
        let (other, _) = Identity::generate();
        let c = cache(dir.path(), &me);
        let entry = Entry {
            header: [1; 32],
            meta: [2; 32],
            versions: vec![CachedVersion {
                id: "v1".into(),
                record: [3; 32],
                ciphertext: [4; 32],
                value: Zeroizing::new(b"hunter2-value".to_vec()),
            }],
        };
        c.put_entry("app/db", &entry);
        let back = c.entry("app/db").expect("cached");
        assert_eq!(back.header, [1; 32]);
        let v = back.version("v1", &[3; 32], &[4; 32]).expect("version");
        assert_eq!(v.value.as_slice(), b"hunter2-value");
        assert!(back.version("v1", &[3; 32], &[5; 32]).is_none());

        // Nothing readable on disk, and not under another name, store or identity.
        for item in walk(dir.path()) {
            let bytes = fs::read(&item).unwrap();
            assert!(
                !bytes.windows(7).any(|w| w == b"hunter2"),
                "{}",
                item.display()
            );
        }
        assert!(c.entry("app/other").is_none());
        let from = c.dir.join(c.file_name("app/db"));
        fs::copy(&from, c.dir.join(c.file_name("app/other"))).unwrap();
        assert!(c.entry("app/other").is_none(), "moved entries do not open");
        assert!(
            Cache::open(dir.path(), "another", &me)
                .entry("app/db")
                .is_none()
        );
        assert!(cache(dir.path(), &other).entry("app/db").is_none());

        // A damaged entry is a miss, never an error.
        let mut bytes = fs::read(&from).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        fs::write(&from, bytes).unwrap();
        assert!(c.entry("app/db").is_none());
    }

    #[test]
    fn header_marks_and_retain() {
        let dir = tempfile::tempdir().unwrap();
        let (me, _) = Identity::generate();
        let c = cache(dir.path(), &me);
        assert!(!c.header_verified(&[7; 32]));
        c.mark_header_verified(&[7; 32]);
        assert!(c.header_verified(&[7; 32]));
        assert!(!c.header_verified(&[8; 32]));
        c.put_entry("a", &Entry::default());
        c.put_entry("b", &Entry::default());
        assert_eq!(c.retain(&["a".to_string()]), 1);
        assert!(c.entry("a").is_some() && c.entry("b").is_none());
        assert!(c.header_verified(&[7; 32]), "retain keeps the header mark");
        use std::os::unix::fs::PermissionsExt as _;
        let mode = fs::metadata(&c.dir).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
    }

    #[test]
    fn digests_separate_their_parts() {
        assert_ne!(digest(&[b"ab", b"c"]), digest(&[b"a", b"bc"]));
    }

    fn walk(dir: &Path) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for item in fs::read_dir(dir).unwrap().flatten() {
            if item.path().is_dir() {
                out.extend(walk(&item.path()));
            } else {
                out.push(item.path());
            }
        }
        out
    }
}
