//! Trusting rotation hooks on this machine: `trusted_hooks.toml` in the
//! user's config folder records, per hook command, the digest of every
//! file the hook runs (see [`super::hook`]) and the files themselves, so a
//! refusal can say which file changed, was added or was removed.
//!
//! Entries written by earlier versions of sm (one file's hash, no file
//! list) are still read; they never match the new digest, so such a hook
//! is trusted again once.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

use super::hook::{Hashed, Hook};

/// The file, in the user's config folder, recording trusted hooks.
pub const TRUSTED_HOOKS: &str = "trusted_hooks.toml";

/// One trusted hook in [`TRUSTED_HOOKS`].
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct TrustedHook {
    /// The command as configured.
    pub command: String,
    /// The resolved program.
    pub program: String,
    /// The digest trusted.
    pub sha256: String,
    /// When it was trusted.
    pub trusted: String,
    /// The store folders trusted as a whole.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub folders: Vec<String>,
    /// Every file hashed (empty in entries of earlier versions).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<TrustedFile>,
}

/// One file of a trusted hook.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct TrustedFile {
    /// Store-relative for files in the store, else absolute.
    pub path: String,
    /// The SHA-256 of its content.
    pub sha256: String,
    /// Whether it was executable.
    #[serde(default)]
    pub executable: bool,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TrustFile {
    #[serde(default, rename = "hook")]
    hooks: Vec<TrustedHook>,
}

/// Reads the trust file; a missing one trusts nothing.
fn read_trust(path: &Path) -> Result<TrustFile> {
    match crate::userfiles::read_trusted_config(path)? {
        Some(bytes) => std::str::from_utf8(&bytes)
            .ok()
            .and_then(|text| toml::from_str(text).ok())
            .ok_or_else(|| {
                Error::invalid(format!("{} cannot be parsed", path.display())).with_hint(
                    "fix or remove the file; it only lists trusted hook commands and hashes",
                )
            }),
        None => Ok(TrustFile::default()),
    }
}

/// Writes the trust file whole.
fn write_trust(path: &Path, file: &TrustFile) -> Result<()> {
    let text = format!(
        "# Rotation hooks you trust to run on this machine (sm rotate --trust-hook).\n{}",
        toml::to_string(file).expect("the trust file serializes")
    );
    crate::userfiles::write_private(path, text.as_bytes())
}

/// Records `hook`, as it is now, as trusted on this machine (in
/// `config_dir`).
pub fn trust(config_dir: &Path, hook: &Hook) -> Result<()> {
    let _lock = crate::userfiles::lock(
        &config_dir.join(".trusted_hooks.lock"),
        "the trusted hooks file",
    )?;
    let path = config_dir.join(TRUSTED_HOOKS);
    let mut file = read_trust(&path)?;
    let program = hook.program.to_string_lossy().into_owned();
    file.hooks
        .retain(|h| !(h.command == hook.command && h.program == program));
    file.hooks.push(TrustedHook {
        command: hook.command.clone(),
        program,
        sha256: hook.sha256.clone(),
        trusted: crate::store::now_string(),
        folders: hook.folders.clone(),
        files: hook
            .hashed()
            .into_iter()
            .map(|h| TrustedFile {
                path: h.path,
                sha256: h.sha256,
                executable: h.executable,
            })
            .collect(),
    });
    write_trust(&path, &file)
}

/// Fails with exit 4 unless `hook`, as it is now, was trusted on this
/// machine; a refusal names what changed when the entry lists its files.
pub fn check_trusted(config_dir: &Path, hook: &Hook, secret: &str) -> Result<()> {
    let file = read_trust(&config_dir.join(TRUSTED_HOOKS))?;
    let program = hook.program.to_string_lossy();
    let known = file
        .hooks
        .iter()
        .find(|h| h.command == hook.command && h.program == program);
    let what = match hook.folders.as_slice() {
        [] => hook.program.display().to_string(),
        folders => folders
            .iter()
            .map(|f| format!("{f}/"))
            .collect::<Vec<_>>()
            .join(", "),
    };
    let hint = format!("read {what} first; if you trust it, run `sm rotate {secret} --trust-hook`");
    match known {
        Some(h) if h.sha256 == hook.sha256 => Ok(()),
        Some(h) => {
            let why = if h.files.is_empty() {
                " (it was trusted by an earlier sm, which hashed only one file)".to_string()
            } else {
                match changes(&h.files, &hook.hashed()).as_slice() {
                    [] => String::new(),
                    list => format!(" ({})", summary(list)),
                }
            };
            Err(Error::no_access(format!(
                "the rotation hook `{}` changed since you trusted it{why}, so sm will not run it",
                hook.command
            ))
            .with_hint(hint))
        }
        None => Err(Error::no_access(format!(
            "the rotation hook `{}` is not trusted on this machine, so sm will not run it",
            hook.command
        ))
        .with_hint(hint)),
    }
}

/// What differs between the files trusted and the files now: each as
/// `PATH changed|added|removed`, in path order.
pub fn changes(trusted: &[TrustedFile], now: &[Hashed]) -> Vec<String> {
    let before: BTreeMap<&str, (&str, bool)> = trusted
        .iter()
        .map(|f| (f.path.as_str(), (f.sha256.as_str(), f.executable)))
        .collect();
    let after: BTreeMap<&str, (&str, bool)> = now
        .iter()
        .map(|f| (f.path.as_str(), (f.sha256.as_str(), f.executable)))
        .collect();
    let mut out = Vec::new();
    for path in before
        .keys()
        .chain(after.keys())
        .collect::<std::collections::BTreeSet<_>>()
    {
        match (before.get(path), after.get(path)) {
            (Some(a), Some(b)) if a != b => out.push(format!("{path} changed")),
            (Some(_), None) => out.push(format!("{path} removed")),
            (None, Some(_)) => out.push(format!("{path} added")),
            _ => {}
        }
    }
    out
}

fn summary(list: &[String]) -> String {
    const SHOWN: usize = 3;
    let mut text = list[..list.len().min(SHOWN)].join(", ");
    if list.len() > SHOWN {
        text.push_str(&format!(" and {} more", list.len() - SHOWN));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trusted(path: &str, sha: &str) -> TrustedFile {
        TrustedFile {
            path: path.into(),
            sha256: sha.into(),
            executable: false,
        }
    }

    fn now(path: &str, sha: &str) -> Hashed {
        Hashed {
            path: path.into(),
            sha256: sha.into(),
            executable: false,
        }
    }

    #[test]
    fn changes_name_each_file() {
        let before = [trusted("hooks/a", "1"), trusted("hooks/b", "2")];
        let after = [now("hooks/a", "9"), now("hooks/c", "3")];
        assert_eq!(
            changes(&before, &after),
            ["hooks/a changed", "hooks/b removed", "hooks/c added"]
        );
        let list: Vec<String> = (0..5).map(|i| format!("f{i} added")).collect();
        assert_eq!(summary(&list), "f0 added, f1 added, f2 added and 2 more");
    }

    #[test]
    fn entries_of_earlier_versions_are_still_read() {
        let text = r#"
[[hook]]
command = "hooks/rec"
program = "/s/hooks/rec"
sha256 = "abc"
trusted = "2030-01-01T00:00:00Z"
"#;
        let file: TrustFile = toml::from_str(text).unwrap();
        assert_eq!(file.hooks[0].command, "hooks/rec");
        assert!(file.hooks[0].files.is_empty());
    }
}
