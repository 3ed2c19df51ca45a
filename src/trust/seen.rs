//! The seen state: what this machine trusted of one store at one location
//! (the header's sequence and admins, each secret's sequence), so a
//! replayed older file, a file replaced at the same sequence, a secret
//! deleted behind sm's back or a header signed by an outsider is refused
//! (SPEC section 3; TUF clients remember metadata versions the same way).
//!
//! Files, under [`super::seen_dir`] (private: 0600 files, 0700 folders):
//!
//! - `header`: the trusted header's sequence, digest, admins and format;
//! - `secrets/<24 hex of SHA-256(name)>`: one secret's trusted sequence and
//!   digest of its `meta.toml` or tombstone.
//!
//! The hot path (`sm get`) reads the header file and one secret file, and
//! writes only when a sequence rose.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use crate::cache::Digest;
use crate::error::{Error, Result};
use crate::store::Store;
use crate::store::fresh::{Freshness, HeaderSeen};
use crate::userfiles;

/// The file holding the trusted header, in a seen folder.
pub const HEADER: &str = "header";
/// The folder holding one file per trusted secret, in a seen folder.
pub const SECRETS: &str = "secrets";

/// What to do about a seen file that cannot be used.
const DAMAGED_HINT: &str = "the file only holds the sequences this machine trusted: fix its mode, or run `sm doctor --reset-trust` to rebuild it from the store as it is now";

/// The header this machine trusted.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
struct HeaderMark {
    format: u32,
    seq: u64,
    /// SHA-256 (hex) of the header file's bytes.
    digest: String,
    /// The signing keys of the admins it names.
    admins: Vec<String>,
    /// When this machine trusted it (RFC 3339).
    trusted: String,
}

/// A secret's `meta.toml` or tombstone this machine trusted.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
struct SecretMark {
    name: String,
    seq: u64,
    /// SHA-256 (hex) of the file's bytes.
    digest: String,
    /// When this machine trusted it (RFC 3339).
    trusted: String,
}

/// This machine's memory of one store at one location (see the module
/// documentation); install it with [`Store::set_freshness`].
#[derive(Debug)]
pub struct Seen {
    dir: PathBuf,
    /// How to walk the store's history when a header skips ahead.
    bridge: Option<super::header_chain::Bridge>,
    /// Serializes this process's writes of marks.
    writing: Mutex<()>,
    /// The header file, once read (`Some(None)`: there is none).
    header: Mutex<Option<Option<HeaderMark>>>,
}

impl Seen {
    /// The memory of `store` as opened at its root, under `config_dir`.
    pub fn new(config_dir: &Path, store: &Store) -> Seen {
        Seen::in_dir(super::seen_dir(config_dir, store), store)
    }

    /// The memory of `store` kept in the seen folder `dir` (its
    /// [`super::seen_dir`], when the caller has it already).
    pub fn in_dir(dir: PathBuf, store: &Store) -> Seen {
        let mut seen = Seen::at(dir);
        seen.bridge = Some(super::header_chain::Bridge {
            root: store.root().to_path_buf(),
            store_id: store.id().to_string(),
            root_key: store.root_key().to_string(),
        });
        seen
    }

    /// The memory kept in the seen folder `dir`.
    pub fn at(dir: PathBuf) -> Seen {
        Seen {
            dir,
            bridge: None,
            writing: Mutex::new(()),
            header: Mutex::new(None),
        }
    }

    /// Returns the seen folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Returns the file remembering secret `name`.
    pub fn secret_file(&self, name: &str) -> PathBuf {
        let hash = Sha256::digest(name.as_bytes());
        self.dir.join(SECRETS).join(&hex::encode(hash)[..24])
    }

    fn header_mark(&self) -> Result<Option<HeaderMark>> {
        let mut cached = self.header.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(mark) = &*cached {
            return Ok(mark.clone());
        }
        let mark = read_mark::<HeaderMark>(&self.dir.join(HEADER))?;
        *cached = Some(mark.clone());
        Ok(mark)
    }

    /// Writes `mark` to `path` unless what is there (re-read under the
    /// lock, since another sm may have trusted a newer one meanwhile) has
    /// a sequence at least as high.
    fn remember<T: Serialize + for<'de> Deserialize<'de>>(
        &self,
        path: &Path,
        mark: &T,
        seq_of: impl Fn(&T) -> u64,
    ) -> Result<()> {
        userfiles::create_private_dir_all(path.parent().unwrap_or(&self.dir))?;
        // Threads of this process (a parallel import) queue here instead of
        // retrying the file lock, which only other processes need.
        let _in_process = self.writing.lock().unwrap_or_else(|e| e.into_inner());
        let _lock = userfiles::lock(&self.dir.join(".lock"), "the seen state")?;
        if let Some(current) = read_mark::<T>(path)?
            && seq_of(&current) >= seq_of(mark)
        {
            return Ok(());
        }
        let text = toml::to_string(mark).map_err(|e| Error::Other(e.to_string()))?;
        // Not synced: a batch (`sm import`) writes one mark per secret, and
        // a mark lost to a power cut only forgets a sequence, never
        // invents one (an empty file left by the cut reads as no mark).
        userfiles::write_private_with(path, text.as_bytes(), false)
    }
}

/// Reads a seen file: `None` when it does not exist; exit 5 naming it when
/// it is damaged or others may change it.
fn read_mark<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<Option<T>> {
    let Some(bytes) =
        userfiles::read_trusted_config(path).map_err(|e| e.with_hint(DAMAGED_HINT))?
    else {
        return Ok(None);
    };
    if bytes.is_empty() {
        return Ok(None);
    }
    std::str::from_utf8(&bytes)
        .ok()
        .and_then(|text| toml::from_str(text).ok())
        .map(Some)
        .ok_or_else(|| {
            Error::integrity(path, "the seen-state file is damaged (it cannot be parsed)")
                .with_hint(DAMAGED_HINT)
        })
}

/// How to recover from a refused store file.
fn recover_hint(file: &Path) -> String {
    format!(
        "run `git log -p -- {}` to see who changed it, and restore the newer file from git history; if the change is deliberate, `sm doctor --reset-trust` accepts the store as it is now",
        file.display()
    )
}

/// Tells whether `file` no longer holds the bytes of `digest` (as
/// `crate::cache::digest` of them): another sm wrote it after this one read
/// it, so an older sequence seen here is a race with a writer, not a
/// replay (a replayed file stays put). Only asked on the refusal path.
fn changed_since_read(file: &Path, digest: &Digest) -> bool {
    use std::io::Read as _;
    let mut bytes = Vec::new();
    match fs::File::open(file) {
        Ok(f) => match f.take(userfiles::MAX_CONFIG_FILE).read_to_end(&mut bytes) {
            Ok(_) => crate::cache::digest(&[&bytes]) != *digest,
            Err(_) => false,
        },
        Err(_) => false,
    }
}

fn refuse(file: &Path, reason: String) -> Error {
    Error::integrity(file, reason).with_hint(recover_hint(file))
}

/// Now, as the seen files say when something was trusted (UTC, seconds).
fn now() -> String {
    jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

impl Freshness for Seen {
    fn header(&self, header: &HeaderSeen<'_>) -> Result<()> {
        let digest = hex::encode(header.digest);
        let Some(mark) = self.header_mark()? else {
            if header.seq == 0 {
                // No header here and none trusted: nothing to remember.
                return Ok(());
            }
            return self.remember_header(header, digest);
        };
        if header.seq == 0 {
            return Err(refuse(
                header.file,
                format!(
                    "the signed header is missing; this machine trusted header sequence {} on {}",
                    mark.seq, mark.trusted
                ),
            ));
        }
        if header.seq < mark.seq {
            return Err(refuse(
                header.file,
                format!(
                    "rolled back from sequence {} to {} (this machine trusted sequence {} on {})",
                    mark.seq, header.seq, mark.seq, mark.trusted
                ),
            ));
        }
        if header.seq == mark.seq {
            if digest == mark.digest {
                return Ok(());
            }
            return Err(refuse(
                header.file,
                format!(
                    "replaced: sequence {} has other content than the one this machine trusted",
                    header.seq
                ),
            ));
        }
        let linked = || {
            self.bridge
                .as_ref()
                .is_some_and(|b| b.links(mark.seq, &mark.admins, header.seq, header.signer_key))
        };
        if !mark.admins.iter().any(|key| key == header.signer_key) && !linked() {
            return Err(refuse(
                header.file,
                format!(
                    "header sequence {} is signed by a key that was not an admin in the header this machine trusted (sequence {}), and the store's git history does not link the two",
                    header.seq, mark.seq
                ),
            ));
        }
        self.remember_header(header, digest)
    }

    fn secret(&self, name: &str, seq: u64, digest: &Digest, file: &Path) -> Result<()> {
        let result = self.check_secret(name, seq, digest, file);
        match result {
            Err(Error::Integrity { file: ref at, .. })
                if at == file && changed_since_read(file, digest) =>
            {
                Ok(())
            }
            other => other,
        }
    }

    fn missing(&self, name: &str, file: &Path) -> Result<()> {
        match read_mark::<SecretMark>(&self.secret_file(name))? {
            // Written meanwhile by another sm (a put, or a deletion's
            // tombstone): not missing.
            Some(_) if file.exists() || file.with_file_name("tombstone.toml").exists() => Ok(()),
            Some(mark) if mark.name == name => Err(refuse(
                file,
                format!(
                    "missing: this machine saw secret `{name}` at sequence {}, and no signed tombstone says it was deleted",
                    mark.seq
                ),
            )),
            _ => Ok(()),
        }
    }

    fn seen_secrets(&self) -> Vec<(String, u64)> {
        self.list_secrets()
    }
}

impl Seen {
    fn check_secret(&self, name: &str, seq: u64, digest: &Digest, file: &Path) -> Result<()> {
        let path = self.secret_file(name);
        let digest = hex::encode(digest);
        match read_mark::<SecretMark>(&path)? {
            Some(mark) if mark.name != name => Err(Error::integrity(
                &path,
                format!(
                    "the seen-state file names secret `{}`, not `{name}`",
                    mark.name.escape_debug()
                ),
            )
            .with_hint(DAMAGED_HINT)),
            Some(mark) if seq < mark.seq => Err(refuse(
                file,
                format!(
                    "rolled back from sequence {} to {seq} (this machine trusted sequence {} on {})",
                    mark.seq, mark.seq, mark.trusted
                ),
            )),
            Some(mark) if seq == mark.seq && digest == mark.digest => Ok(()),
            Some(mark) if seq == mark.seq => Err(refuse(
                file,
                format!(
                    "replaced: sequence {seq} has other content than the one this machine trusted"
                ),
            )),
            _ => {
                let mark = SecretMark {
                    name: name.to_string(),
                    seq,
                    digest,
                    trusted: now(),
                };
                self.remember(&path, &mark, |m| m.seq)
            }
        }
    }

    fn list_secrets(&self) -> Vec<(String, u64)> {
        let Ok(entries) = fs::read_dir(self.dir.join(SECRETS)) else {
            return Vec::new();
        };
        // A file that cannot be read, or that sits under another name's
        // file, is skipped here; reading the secret itself reports it.
        let mut seen: Vec<(String, u64)> = entries
            .filter_map(|entry| entry.ok())
            .filter_map(|entry| {
                let mark = read_mark::<SecretMark>(&entry.path()).ok().flatten()?;
                (self.secret_file(&mark.name).file_name() == Some(&*entry.file_name()))
                    .then_some((mark.name, mark.seq))
            })
            .collect();
        seen.sort();
        seen
    }
}

impl Seen {
    fn remember_header(&self, header: &HeaderSeen<'_>, digest: String) -> Result<()> {
        let mark = HeaderMark {
            format: header.format,
            seq: header.seq,
            digest,
            admins: header.admin_keys.iter().map(|k| k.to_string()).collect(),
            trusted: now(),
        };
        self.remember(&self.dir.join(HEADER), &mark, |m| m.seq)?;
        *self.header.lock().unwrap_or_else(|e| e.into_inner()) = Some(Some(mark));
        Ok(())
    }
}

#[cfg(test)]
#[path = "seen_tests.rs"]
mod tests;
