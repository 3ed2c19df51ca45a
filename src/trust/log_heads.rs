//! This machine's memory of a store's log files: per file, the number of
//! whole entries and the hash of the last one, as last verified or
//! appended here. Kept in the store's seen folder as `logs/<key>` (key =
//! 24 hex digits of SHA-256 of the file's path relative to the store
//! root), one small private file each, so an append rewrites only its
//! own file's mark. [`crate::audit`] does the comparing (see
//! [`crate::audit::heads`]).
//!
//! Every read of a secret appends to a log and so rewrites a mark, so a
//! mark is written in one fixed form of TOML (`path = "…"`, `count = N`,
//! `head = "…"`, one per line, in that order) that sm reads back without a
//! TOML parser, and that every earlier sm reads as the TOML it is (a
//! machine can run an older sm beside a newer one). Anything else is read
//! with the TOML parser; a path that would need escaping is written by it.
//! Marks of the one-line form `sm-log-head-1 <count> <hash>` plus the path
//! (written briefly during development) are still read.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::audit::{Head, HeadMemory};
use crate::error::{Error, Result};
use crate::store::Store;
use crate::userfiles;

/// The folder, in a store's seen folder, holding the log marks.
pub const LOGS_DIR: &str = "logs";

/// The first word of a one-line mark (read, no longer written).
const MAGIC: &str = "sm-log-head-1";

/// One mark file (also the TOML of the first format).
#[derive(Debug, PartialEq, Eq, Deserialize)]
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
            .and_then(parse)
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
        let plain = |t: &str| {
            t.bytes()
                .all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\\')
        };
        let text = if plain(rel) && plain(&head.hash) {
            format!(
                "path = \"{rel}\"\ncount = {}\nhead = \"{}\"\n",
                head.count, head.hash
            )
        } else {
            #[derive(serde::Serialize)]
            struct Out<'a> {
                path: &'a str,
                count: u64,
                head: &'a str,
            }
            let out = Out {
                path: rel,
                count: head.count,
                head: &head.hash,
            };
            toml::to_string(&out).expect("a mark serializes")
        };
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

/// Parses a mark: the fixed form sm writes, any other TOML of the same
/// fields, or the one-line form.
fn parse(text: &str) -> Option<Mark> {
    let Some(rest) = text.strip_prefix(MAGIC) else {
        return parse_fixed(text).or_else(|| toml::from_str(text).ok());
    };
    let (first, path) = rest.strip_prefix(' ')?.split_once('\n')?;
    let (count, head) = first.split_once(' ')?;
    let path = path.strip_suffix('\n')?;
    let hex = |h: &str| !h.is_empty() && h.bytes().all(|b| b.is_ascii_hexdigit());
    if !hex(head) || path.is_empty() {
        return None;
    }
    Some(Mark {
        path: path.to_string(),
        count: count.parse().ok()?,
        head: head.to_string(),
    })
}

/// Reads the fixed form [`LogHeads::set`] writes (`None` for anything
/// else, which the TOML parser then reads).
fn parse_fixed(text: &str) -> Option<Mark> {
    let mut lines = text.strip_suffix('\n')?.split('\n');
    let quoted = |line: &str, key: &str| -> Option<String> {
        let value = line
            .strip_prefix(key)?
            .strip_prefix(" = \"")?
            .strip_suffix('"')?;
        value
            .bytes()
            .all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\\')
            .then(|| value.to_string())
    };
    let path = quoted(lines.next()?, "path")?;
    let count = lines.next()?.strip_prefix("count = ")?;
    if count.is_empty() || !count.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let head = quoted(lines.next()?, "head")?;
    if lines.next().is_some() || path.is_empty() {
        return None;
    }
    Some(Mark {
        path,
        count: count.parse().ok()?,
        head,
    })
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

    #[test]
    fn marks_are_toml_an_older_sm_reads() {
        let dir = tempfile::tempdir().unwrap();
        let heads = LogHeads {
            dir: dir.path().join("logs"),
        };
        let rel = ".sm/log/a/d.jsonl";
        let head = Head {
            count: 7,
            hash: "0a".repeat(32),
        };
        heads.set(rel, &head, false).unwrap();
        let text = std::fs::read_to_string(heads.file(rel)).unwrap();
        assert_eq!(
            text,
            format!("path = \"{rel}\"\ncount = 7\nhead = \"{}\"\n", head.hash)
        );
        // Exactly what the TOML parser (an older sm's reader) reads.
        let toml: Mark = toml::from_str(&text).unwrap();
        assert_eq!(parse_fixed(&text), Some(toml));
        // A path that needs escaping is written by the TOML writer.
        let odd = ".sm/log/a \"b\"/d.jsonl";
        heads.set(odd, &head, false).unwrap();
        assert_eq!(heads.get(odd).unwrap(), Some(head.clone()));
    }

    #[test]
    fn one_line_marks_are_still_read() {
        assert_eq!(
            parse("sm-log-head-1 3 ab\n.sm/log/a/d.jsonl\n"),
            Some(Mark {
                path: ".sm/log/a/d.jsonl".into(),
                count: 3,
                head: "ab".into(),
            })
        );
    }

    #[test]
    fn first_format_marks_are_still_read() {
        let dir = tempfile::tempdir().unwrap();
        let heads = LogHeads {
            dir: dir.path().join("logs"),
        };
        let rel = ".sm/log/a/d.jsonl";
        userfiles::write_private(
            &heads.file(rel),
            format!("path = \"{rel}\"\ncount = 4\nhead = \"beef\"\n").as_bytes(),
        )
        .unwrap();
        let head = Head {
            count: 4,
            hash: "beef".into(),
        };
        assert_eq!(heads.get(rel).unwrap(), Some(head.clone()));
        assert_eq!(heads.all().unwrap(), vec![(rel.to_string(), head)]);
    }

    #[test]
    fn damaged_marks_are_refused() {
        for text in [
            "sm-log-head-1 x ab\np\n",
            "sm-log-head-1 3 zz\np\n",
            "sm-log-head-1 3 ab\n",
            "sm-log-head-1 3 ab\np",
            "sm-log-head-13 ab\np\n",
            "",
            "garbage",
        ] {
            assert_eq!(parse(text), None, "{text:?}");
        }
        let odd = parse("sm-log-head-1 3 ab\n.sm/log/a b/\nx\n").unwrap();
        assert_eq!(odd.path, ".sm/log/a b/\nx");
    }
}
