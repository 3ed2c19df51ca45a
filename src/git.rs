//! The git side of a store: registering `sm merge-driver` for `meta.toml`
//! (`.gitattributes` in the store and `merge.sm.driver` in the repository's
//! config), as `sm init` does and `sm doctor` repairs.

use std::path::Path;
use std::process::Command;

use crate::error::{Error, Result};
use crate::store::fsio::Durability;
use crate::store::safe::{MAX_TOML_LEN, StoreFs};

/// The `.gitattributes` line that routes metadata to the merge driver.
pub const ATTRIBUTES_LINE: &str = "secrets/**/meta.toml merge=sm";

/// What [`ensure_merge_driver`] found and changed.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct GitSetup {
    /// True when `.gitattributes` was created or extended.
    pub attributes_written: bool,
    /// True when the store is inside a git work tree.
    pub in_git: bool,
    /// True when `merge.sm.driver` was set or corrected.
    pub config_written: bool,
}

/// Returns the driver command git should run, for the sm binary at `exe`.
pub fn driver_command(exe: &Path) -> String {
    format!(
        "{} merge-driver %O %A %B %P",
        shell_words::quote(&exe.to_string_lossy())
    )
}

fn git(root: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.arg("-C").arg(root);
    cmd
}

/// Makes sure `.gitattributes` names the driver and, when the store is in a
/// git work tree, that the repository's config defines it.
pub fn ensure_merge_driver(root: &Path, exe: &Path) -> Result<GitSetup> {
    let mut setup = GitSetup::default();
    let attributes = root.join(".gitattributes");
    // A committed `.gitattributes` is store input: read and replace it
    // beneath the root, never through a link, and with a size cap.
    let fs = StoreFs::open(root).map_err(|e| Error::io("cannot open", root, e))?;
    let existing = match fs.read(&attributes, MAX_TOML_LEN)? {
        Some(bytes) => String::from_utf8(bytes)
            .map_err(|_| Error::integrity(&attributes, "the file is not UTF-8 text"))?,
        None => String::new(),
    };
    if !existing.lines().any(|l| l.trim() == ATTRIBUTES_LINE) {
        let mut text = existing;
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str("# sm merges concurrent changes to a secret's metadata\n");
        text.push_str(ATTRIBUTES_LINE);
        text.push('\n');
        fs.write_atomic(&attributes, text.as_bytes(), Durability::Sync)?;
        setup.attributes_written = true;
    }
    let inside = git(root)
        .args(["rev-parse", "--is-inside-work-tree"])
        .output()
        .is_ok_and(|o| o.status.success() && o.stdout.starts_with(b"true"));
    if !inside {
        return Ok(setup);
    }
    setup.in_git = true;
    let want = driver_command(exe);
    let have = git(root)
        .args(["config", "--get", "merge.sm.driver"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    if have.as_deref() != Some(want.as_str()) {
        for (key, value) in [
            ("merge.sm.name", "sm: merge secret metadata"),
            ("merge.sm.driver", want.as_str()),
        ] {
            let ok = git(root)
                .args(["config", key, value])
                .status()
                .is_ok_and(|s| s.success());
            if !ok {
                return Err(Error::Other(format!(
                    "cannot set {key} in the git config of {}",
                    root.display()
                )));
            }
        }
        setup.config_written = true;
    }
    Ok(setup)
}
