//! This machine's memory of a store's log files: per file, the number of
//! whole entries and the hash of the last one, as last verified or
//! appended here. Kept in the store's seen folder as `logs/<key>` (key =
//! 24 hex digits of SHA-256 of the file's path relative to the store
//! root), one small private TOML file each, so an append rewrites only its
//! own file's mark. [`crate::audit`] does the comparing (see
//! [`crate::audit::heads`]).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::audit::{Head, HeadMemory};
use crate::error::{Error, Result};
use crate::store::Store;
use crate::userfiles;

/// The folder, in a store's seen folder, holding the log marks.
pub const LOGS_DIR: &str = "logs";

/// One mark file.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Mark {
    /// The log file, relative to the store root.
    path: String,
    /// Its whole entries.
    count: u64,
    /// The hash of the last.
    head: String,
}

/// The log marks of one store as opened at one place.
#[derive(Clone, Debug)]
pub struct LogHeads {
    dir: PathBuf,
}

impl LogHeads {
    /// The marks of `store` in sm's config folder `config_dir`.
    pub fn new(config_dir: &Path, store: &Store) -> LogHeads {
        LogHeads::in_seen_dir(&super::seen_dir(config_dir, store))
    }

    /// The marks kept in the seen folder `seen` (see [`super::seen_dir`]).
    pub fn in_seen_dir(seen: &Path) -> LogHeads {
        LogHeads {
            dir: seen.join(LOGS_DIR),
        }
    }

    fn file(&self, rel: &str) -> PathBuf {
        let hash = crate::crypto::sha256_hex(rel.as_bytes());
        self.dir.join(&hash[..24])
    }

    fn read(path: &Path) -> Result<Option<Mark>> {
        let Some(bytes) = userfiles::read_trusted_config(path)? else {
            return Ok(None);
        };
        std::str::from_utf8(&bytes)
            .ok()
            .and_then(|text| toml::from_str::<Mark>(text).ok())
            .map(Some)
            .ok_or_else(|| {
                Error::integrity(
                    path,
                    "the file cannot be parsed (it holds what this machine saw of a log; remove it to forget that)",
                )
            })
    }
}

impl HeadMemory for LogHeads {
    fn get(&self, rel: &str) -> Result<Option<Head>> {
        Ok(Self::read(&self.file(rel))?
            .filter(|mark| mark.path == rel)
            .map(|mark| Head {
                count: mark.count,
                hash: mark.head,
            }))
    }

    fn set(&self, rel: &str, head: &Head, durable: bool) -> Result<()> {
        let mark = Mark {
            path: rel.to_string(),
            count: head.count,
            head: head.hash.clone(),
        };
        let text = toml::to_string(&mark).expect("a mark serializes");
        userfiles::write_private_with(&self.file(rel), text.as_bytes(), durable)
    }

    fn all(&self) -> Result<Vec<(String, Head)>> {
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(Error::io("cannot list", &self.dir, e)),
        };
        let mut marks = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| Error::io("cannot list", &self.dir, e))?;
            // Temp files of interrupted writes start with a dot.
            if entry.file_name().as_encoded_bytes().starts_with(b".") {
                continue;
            }
            if let Some(mark) = Self::read(&entry.path())? {
                let head = Head {
                    count: mark.count,
                    hash: mark.head,
                };
                marks.push((mark.path, head));
            }
        }
        marks.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(marks)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_are_kept_per_file_and_listed() {
        let dir = tempfile::tempdir().unwrap();
        let heads = LogHeads {
            dir: dir.path().join("logs"),
        };
        assert_eq!(heads.get(".sm/log/a/d.jsonl").unwrap(), None);
        assert!(heads.all().unwrap().is_empty());
        let head = Head {
            count: 3,
            hash: "ab".into(),
        };
        heads.set(".sm/log/a/d.jsonl", &head, false).unwrap();
        assert_eq!(heads.get(".sm/log/a/d.jsonl").unwrap(), Some(head.clone()));
        assert_eq!(heads.get(".sm/log/a/e.jsonl").unwrap(), None);
        assert_eq!(
            heads.all().unwrap(),
            vec![(".sm/log/a/d.jsonl".to_string(), head)]
        );
    }
}
