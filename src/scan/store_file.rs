//! Files inside a store, seen by the scanner: which of sm's folders a path
//! lies in, whether what lies there is sm's own format, and the findings for
//! what must not be there (plaintext, and links or special files: a store
//! is a tree of regular files and folders, and a committed link such as
//! `versions/<id>.age -> /dev/zero` is how a cloned store attacks its user).

use std::path::{Component, Path, PathBuf};

use super::{Finding, STORE_RULE, STORE_SPECIAL_RULE, engine, fingerprint};

/// Where a file sits inside a store.
#[derive(Clone, Copy, Debug)]
pub(crate) enum StoreFileKind {
    /// One of sm's files.
    Own,
    /// Under `secrets/`, where only age files and sm's TOML belong.
    SecretsOther,
    /// Something else under the store's folders.
    Foreign,
}

impl StoreFileKind {
    /// Tells whether a file of this kind may hold what it holds.
    pub(crate) fn accepts(self, is_age: bool) -> bool {
        match self {
            StoreFileKind::Own => true,
            StoreFileKind::SecretsOther => is_age,
            StoreFileKind::Foreign => false,
        }
    }
}

/// Classifies a file under a store's `.sm/` or `secrets/` folder (`None`
/// when it is not in a store).
pub(crate) fn store_file_kind(path: &Path) -> Option<StoreFileKind> {
    let components: Vec<Component> = path.components().collect();
    // The store may sit anywhere above; a secret's own name segment may
    // also be called `secrets`, so try each candidate from the top.
    for (i, component) in components.iter().enumerate() {
        let Component::Normal(n) = component else {
            continue;
        };
        let top = n.to_string_lossy();
        if top != crate::store::SM_DIR && top != crate::store::SECRETS_DIR {
            continue;
        }
        let root: PathBuf = components[..i].iter().collect();
        let root = if root.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            root
        };
        if !crate::store::is_store(&root) {
            continue;
        }
        let rest: Vec<String> = components[i + 1..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let name = rest.last().map(String::as_str).unwrap_or("");
        return Some(if top == crate::store::SM_DIR {
            let own = name.contains(".toml")
                || name.contains(".jsonl")
                || name == ".gitignore"
                || name == ".gitattributes"
                || rest.first().is_some_and(|f| f == "locks");
            if own {
                StoreFileKind::Own
            } else {
                StoreFileKind::Foreign
            }
        } else {
            let in_versions = rest.len() >= 2 && rest[rest.len() - 2] == "versions";
            let own_toml = (name.starts_with("meta.toml") || name.starts_with(".meta.toml"))
                || name.starts_with(crate::store::TOMBSTONE_FILE)
                || (in_versions && name.contains(".toml"));
            if own_toml {
                StoreFileKind::Own
            } else {
                StoreFileKind::SecretsOther
            }
        });
    }
    None
}

/// Tells whether `data`, at `path` (a file [`StoreFileKind::Own`] by its
/// name), really is sm's own format: every complete line of a log file is a
/// log entry, and a TOML file parses as the file sm keeps at that place.
/// Such files hold names, ids, hashes and signatures, never values, so the
/// scanner reports nothing in them (a secret's name next to `"secret":` is
/// not a leak). Anything else that only borrows the name is scanned as usual.
pub(crate) fn is_own_format(path: &Path, data: &[u8]) -> bool {
    use crate::store::files;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let Some(name) = name else {
        return false;
    };
    if name.ends_with(".jsonl") {
        return is_log(data);
    }
    let Ok(text) = std::str::from_utf8(data) else {
        return false;
    };
    let in_versions = path
        .parent()
        .and_then(Path::file_name)
        .is_some_and(|p| p == "versions");
    match name.as_str() {
        "meta.toml" => toml::from_str::<files::Meta>(text).is_ok(),
        "store.toml" => toml::from_str::<files::StoreFile>(text).is_ok(),
        "members.toml" => toml::from_str::<files::MembersFile>(text).is_ok(),
        "access.toml" => toml::from_str::<files::AccessFile>(text).is_ok(),
        crate::store::header::HEADER_FILE => {
            toml::from_str::<crate::store::header::HeaderFile>(text).is_ok()
        }
        crate::store::TOMBSTONE_FILE => toml::from_str::<files::Tombstone>(text).is_ok(),
        crate::team::replica::REPLICAS_FILE => {
            toml::from_str::<crate::team::replica::ReplicasFile>(text).is_ok()
        }
        _ if in_versions && name.ends_with(".toml") => {
            toml::from_str::<files::VersionRecord>(text).is_ok()
        }
        _ => false,
    }
}

/// Tells whether every complete line of `data` is an access-log entry (a
/// torn last line, left by a killed writer, may follow).
fn is_log(data: &[u8]) -> bool {
    let complete = match data.iter().rposition(|&b| b == b'\n') {
        Some(end) => &data[..end],
        None => return data.is_empty(),
    };
    complete
        .split(|&b| b == b'\n')
        .all(|line| serde_json::from_slice::<crate::audit::Entry>(line).is_ok())
}

/// What a path that is not a regular file or folder is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Special {
    /// A symbolic link.
    Link,
    /// A named pipe.
    Fifo,
    /// A block or character device.
    Device,
    /// A Unix socket.
    Socket,
    /// Anything else.
    Other,
}

impl Special {
    /// Classifies a file type (`None` for regular files and folders).
    pub(crate) fn of(file_type: std::fs::FileType) -> Option<Special> {
        if file_type.is_file() || file_type.is_dir() {
            return None;
        }
        if file_type.is_symlink() {
            return Some(Special::Link);
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            if file_type.is_fifo() {
                return Some(Special::Fifo);
            }
            if file_type.is_block_device() || file_type.is_char_device() {
                return Some(Special::Device);
            }
            if file_type.is_socket() {
                return Some(Special::Socket);
            }
        }
        Some(Special::Other)
    }

    /// Names the kind with its article.
    pub(crate) fn noun(self) -> &'static str {
        match self {
            Special::Link => "a symbolic link",
            Special::Fifo => "a named pipe (FIFO)",
            Special::Device => "a device file",
            Special::Socket => "a socket",
            Special::Other => "a special file",
        }
    }

    /// Why the scanner does not read such a path outside a store.
    pub(crate) fn skip_reason(self) -> String {
        match self {
            Special::Link => "a symbolic link (links are not followed)".to_string(),
            other => format!("{}, not a regular file", other.noun()),
        }
    }
}

/// The finding for a link or special file inside a store.
pub(crate) fn special_finding(path: &str, special: Special, commit: Option<&str>) -> Finding {
    Finding {
        rule: STORE_SPECIAL_RULE.to_string(),
        description: format!(
            "{} inside the store, where only regular files belong (sm never follows or reads it)",
            special.noun()
        ),
        path: path.to_string(),
        line: 1,
        column: 1,
        commit: commit.map(str::to_string),
        preview: engine::redact(b""),
        fingerprint: fingerprint(STORE_SPECIAL_RULE, path, b""),
        secret: None,
    }
}

/// The finding for a file inside the store that is not sm's own format.
pub(crate) fn plaintext_finding(path: &str, data: &[u8], commit: Option<&str>) -> Finding {
    Finding {
        rule: STORE_RULE.to_string(),
        description: "a file inside the store that is not sm's own format".to_string(),
        path: path.to_string(),
        line: 1,
        column: 1,
        commit: commit.map(str::to_string),
        preview: engine::redact(first_line(data)),
        fingerprint: fingerprint(STORE_RULE, path, b""),
        secret: None,
    }
}

fn first_line(data: &[u8]) -> &[u8] {
    let end = data
        .iter()
        .position(|b| *b == b'\n')
        .unwrap_or(data.len())
        .min(64);
    &data[..end]
}
