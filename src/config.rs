//! The user's own settings, `<config dir>/sm/config.toml`.
//!
//! One key so far:
//!
//! ```toml
//! # Stores that folder discovery may use although they fail its ownership
//! # checks (another user's store, or one under a shared folder); "*" allows
//! # every store, as git's safe.directory does.
//! safe_stores = ["/srv/team/secrets"]
//! ```
//!
//! The file decides which stores sm trusts, so one that another user could
//! have written is refused, as ssh refuses such a `~/.ssh/config`.

use std::io::Read;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};

/// The file name in sm's config folder.
pub const CONFIG_FILE: &str = "config.toml";

/// The largest config file sm reads.
pub const MAX_CONFIG_LEN: u64 = 1 << 20;

/// The allow-list entry that allows every store.
pub const ALLOW_ALL: &str = "*";

/// The user's settings. Keys sm does not know are ignored, so an older sm
/// reads a newer file.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct UserConfig {
    /// Store folders that folder discovery may use although they fail its
    /// ownership checks; `*` allows every store.
    pub safe_stores: Vec<String>,
}

impl UserConfig {
    /// Returns the path of the config file in `config_dir`.
    pub fn path(config_dir: &Path) -> PathBuf {
        config_dir.join(CONFIG_FILE)
    }

    /// Reads the config file in `config_dir`; a missing file is the
    /// default. A file others may write to, or that belongs to another user,
    /// is refused (exit 4); one that does not parse is exit 2.
    pub fn load(config_dir: &Path) -> Result<UserConfig> {
        let path = Self::path(config_dir);
        let file = match std::fs::File::open(&path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(UserConfig::default()),
            Err(e) => return Err(Error::io("cannot read", &path, e)),
        };
        let meta = file
            .metadata()
            .map_err(|e| Error::io("cannot read", &path, e))?;
        check_private(&path, &meta)?;
        if !meta.is_file() || meta.len() > MAX_CONFIG_LEN {
            return Err(Error::invalid(format!(
                "{} is not a regular file of at most {MAX_CONFIG_LEN} bytes",
                path.display()
            )));
        }
        let mut bytes = Vec::new();
        file.take(MAX_CONFIG_LEN + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| Error::io("cannot read", &path, e))?;
        let text = std::str::from_utf8(&bytes)
            .map_err(|_| Error::invalid(format!("{} is not UTF-8 text", path.display())))?;
        toml::from_str(text).map_err(|e| {
            Error::invalid(format!("{} is not valid: {}", path.display(), e.message()))
                .with_hint("safe_stores is a list of folders, e.g. safe_stores = [\"/srv/team\"]")
        })
    }

    /// Tells whether `safe_stores` allows the store at `root`: an entry
    /// equal to it (compared by real path when the entry exists) or `*`.
    pub fn allows_store(&self, root: &Path) -> bool {
        let real_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        self.safe_stores.iter().any(|entry| {
            if entry == ALLOW_ALL {
                return true;
            }
            let entry = Path::new(entry);
            if !entry.is_absolute() {
                return false;
            }
            let real_entry = std::fs::canonicalize(entry).unwrap_or_else(|_| entry.to_path_buf());
            entry == root || real_entry == real_root
        })
    }
}

#[cfg(unix)]
fn check_private(path: &Path, meta: &std::fs::Metadata) -> Result<()> {
    use std::os::unix::fs::MetadataExt;
    let uid = crate::store::discovery::current_uid();
    if meta.uid() != uid && meta.uid() != 0 {
        return Err(Error::no_access(format!(
            "{} belongs to another user; sm does not take its settings from it",
            path.display()
        ))
        .with_hint(format!("remove it, or create your own: chown {uid} FILE")));
    }
    if meta.mode() & 0o022 != 0 {
        return Err(Error::no_access(format!(
            "{} may be changed by other users (mode {:o}); sm does not take its settings from it",
            path.display(),
            meta.mode() & 0o7777
        ))
        .with_hint(format!("chmod go-w {}", path.display())));
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private(_path: &Path, _meta: &std::fs::Metadata) -> Result<()> {
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn write(dir: &Path, text: &str, mode: u32) {
        let path = UserConfig::path(dir);
        std::fs::write(&path, text).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    }

    #[test]
    fn a_missing_file_allows_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let config = UserConfig::load(dir.path()).unwrap();
        assert!(!config.allows_store(Path::new("/srv/x")));
    }

    #[test]
    fn entries_match_by_path_and_star_allows_all() {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("store");
        std::fs::create_dir(&store).unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&store, &link).unwrap();
        write(
            dir.path(),
            &format!(
                "other_key = 1\nsafe_stores = [\"relative/store\", \"{}\"]\n",
                link.display()
            ),
            0o600,
        );
        let config = UserConfig::load(dir.path()).unwrap();
        assert!(config.allows_store(&store));
        assert!(!config.allows_store(&dir.path().join("relative/store")));
        assert!(!config.allows_store(dir.path()));
        write(dir.path(), "safe_stores = [\"*\"]\n", 0o644);
        assert!(
            UserConfig::load(dir.path())
                .unwrap()
                .allows_store(dir.path())
        );
    }

    #[test]
    fn a_file_others_may_change_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "safe_stores = [\"*\"]\n", 0o666);
        let err = UserConfig::load(dir.path()).unwrap_err();
        assert_eq!(err.exit_code(), 4);
        assert!(err.to_string().contains("config.toml"), "{err}");
        write(dir.path(), "safe_stores = [\"*\"]\n", 0o620);
        assert_eq!(UserConfig::load(dir.path()).unwrap_err().exit_code(), 4);
    }

    proptest::proptest! {
        /// Whatever the file holds (hostile bytes, TOML of the wrong
        /// shapes, huge lists), loading ends in a config or exit 2, never
        /// a panic.
        #[test]
        fn any_content_loads_or_is_invalid_input(
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..512),
            entries in proptest::collection::vec("[*/a-z.\\x00\"\\[\\]=]{0,12}", 0..40),
        ) {
            let dir = tempfile::tempdir().unwrap();
            for text in [
                bytes.clone(),
                format!("safe_stores = {entries:?}\n").into_bytes(),
                format!("safe_stores = [{}]\n", entries.join(",")).into_bytes(),
            ] {
                let path = UserConfig::path(dir.path());
                std::fs::write(&path, &text).unwrap();
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
                match UserConfig::load(dir.path()) {
                    Ok(config) => {
                        let _ = config.allows_store(dir.path());
                    }
                    Err(e) => proptest::prop_assert_eq!(e.exit_code(), 2, "{}", e),
                }
            }
        }
    }

    #[test]
    fn an_oversized_file_is_refused_before_it_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let text = format!("safe_stores = [{}]\n", "\"/x\",".repeat(300_000));
        write(dir.path(), &text, 0o600);
        let err = UserConfig::load(dir.path()).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(err.to_string().contains("at most"), "{err}");
    }

    #[test]
    fn a_malformed_file_is_invalid_input() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "safe_stores = \"/x\"\n", 0o600);
        let err = UserConfig::load(dir.path()).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(err.to_string().contains("config.toml"), "{err}");
        write(dir.path(), "\u{0}\u{ff}", 0o600);
        assert_eq!(UserConfig::load(dir.path()).unwrap_err().exit_code(), 2);
    }
}
