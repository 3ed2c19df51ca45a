//! The user's private files outside any store: sm's config folder (the
//! trusted hooks file, the store pins), the identity file and the personal
//! store's folder.
//!
//! Whatever the umask, sm creates these files 0600 and their folders 0700.
//! When it reads them back it refuses, like ssh with its key files, what
//! other users could have changed (a trust or pin file, exit 5) or read (an
//! identity file, exit 4): a hook trusted or a store re-pinned by another
//! local user would defeat both checks.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::store::fsio::{self, Lock};

/// The largest config file (trusted hooks, pins) sm reads: 1 MiB holds
/// thousands of entries.
pub const MAX_CONFIG_FILE: u64 = 1 << 20;

/// The largest identity file sm reads: an age key file is under 200 bytes,
/// a passphrase-wrapped one under 1 KiB, an ssh key a few KiB.
pub const MAX_IDENTITY_FILE: u64 = 64 << 10;

/// The mode of every private file sm creates.
pub const FILE_MODE: u32 = 0o600;
/// The mode of every private folder sm creates.
pub const DIR_MODE: u32 = 0o700;

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// Creates `path` and its missing parents, each created level 0700 whatever
/// the umask (existing levels are left as they are).
pub fn create_private_dir_all(path: &Path) -> Result<()> {
    let mut missing = Vec::new();
    let mut cursor = Some(path);
    while let Some(dir) = cursor {
        if dir.as_os_str().is_empty() || fs::symlink_metadata(dir).is_ok() {
            break;
        }
        missing.push(dir);
        cursor = dir.parent();
    }
    for dir in missing.into_iter().rev() {
        match fs::DirBuilder::new().mode(DIR_MODE).create(dir) {
            Ok(()) => fs::set_permissions(dir, fs::Permissions::from_mode(DIR_MODE))
                .map_err(|e| Error::io("cannot set the mode of", dir, e))?,
            // Another sm created it meanwhile: leave it as it is.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(Error::io("cannot create folder", dir, e)),
        }
    }
    Ok(())
}

/// Creates a new file 0600 whatever the umask; fails if it exists.
pub fn create_new_private(path: &Path) -> std::io::Result<File> {
    let file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(FILE_MODE)
        .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
        .open(path)?;
    // The umask can only take bits away from 0600; this puts back any it
    // took, so the owner can always read and rewrite the file.
    file.set_permissions(fs::Permissions::from_mode(FILE_MODE))?;
    Ok(file)
}

/// Writes `data` to `path` atomically (a 0600 temp file renamed over it),
/// creating the folder 0700 if needed.
pub fn write_private(path: &Path, data: &[u8]) -> Result<()> {
    write_private_with(path, data, true)
}

/// Like [`write_private`]; without `durable` nothing is synced (for marks
/// rewritten on every read, where losing the latest to a power cut only
/// costs a recheck).
pub fn write_private_with(path: &Path, data: &[u8], durable: bool) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(
        ".{name}{}{}-{}",
        fsio::TEMP_MARKER,
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let result = (|| {
        // The folder usually exists: make it only when the create says not.
        let mut file = match create_new_private(&temp) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                create_private_dir_all(dir)?;
                create_new_private(&temp)
            }
            other => other,
        }
        .map_err(|e| Error::io("cannot create", &temp, e))?;
        file.write_all(data)
            .and_then(|()| if durable { file.sync_all() } else { Ok(()) })
            .map_err(|e| Error::io("cannot write", &temp, e))?;
        fs::rename(&temp, path).map_err(|e| Error::io("cannot replace", path, e))?;
        if durable {
            fsio::sync_dir(dir)?;
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// Takes the lock file at `path` (created 0600, its folder 0700), waiting
/// as [`Lock::acquire`] does.
pub fn lock(path: &Path, what: &str) -> Result<Lock> {
    if let Some(dir) = path.parent() {
        create_private_dir_all(dir)?;
    }
    match create_new_private(path) {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(Error::io("cannot create lock file", path, e)),
    }
    Lock::acquire(path, what, fsio::lock_timeout())
}

/// Tells whether a file owned by `uid` may be trusted by this process: it
/// is ours, or root's (which only root can change), as ssh's rule goes.
fn owner_ok(uid: u32) -> bool {
    uid == euid() || uid == 0
}

/// This process's effective user id, asked of the kernel once (sm never
/// changes it; a command reads several trust files).
fn euid() -> u32 {
    static EUID: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
    // SAFETY: geteuid has no preconditions and cannot fail.
    *EUID.get_or_init(|| unsafe { libc::geteuid() })
}

/// Reads a config file sm trusts (trusted hooks, store pins): `None` when it
/// does not exist. Refused (exit 5) when another user owns it, when group
/// or others may write it or its folder, or when it is larger than
/// [`MAX_CONFIG_FILE`].
pub fn read_trusted_config(path: &Path) -> Result<Option<Vec<u8>>> {
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io("cannot read", path, e)),
    };
    let meta = file
        .metadata()
        .map_err(|e| Error::io("cannot read", path, e))?;
    let mode = meta.mode() & 0o7777;
    if !meta.is_file() {
        return Err(Error::integrity(path, "it is not a regular file"));
    }
    if !owner_ok(meta.uid()) {
        return Err(Error::integrity(
            path,
            format!(
                "the file belongs to another user (uid {}), who could change what it trusts; sm will not use it (remove it, or `chown` it to yourself)",
                meta.uid()
            ),
        ));
    }
    if mode & 0o022 != 0 {
        return Err(Error::integrity(
            path,
            format!(
                "other users may write the file (mode {mode:04o}) and change what it trusts; sm will not use it (fix with `chmod 600 {}`)",
                path.display()
            ),
        ));
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && let Ok(dir_meta) = fs::metadata(dir)
        && dir_meta.mode() & 0o022 != 0
    {
        return Err(Error::integrity(
            path,
            format!(
                "other users may write its folder (mode {:04o}) and replace the file; sm will not use it (fix with `chmod 700 {}`)",
                dir_meta.mode() & 0o7777,
                dir.display()
            ),
        ));
    }
    if meta.len() > MAX_CONFIG_FILE {
        return Err(Error::integrity(
            path,
            format!("the file is larger than {MAX_CONFIG_FILE} bytes"),
        ));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    Read::by_ref(&mut file)
        .take(MAX_CONFIG_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io("cannot read", path, e))?;
    if bytes.len() as u64 > MAX_CONFIG_FILE {
        return Err(Error::integrity(
            path,
            format!("the file is larger than {MAX_CONFIG_FILE} bytes"),
        ));
    }
    Ok(Some(bytes))
}

/// Reads a private key file (`what` names it in messages). Refused with
/// exit 4, as ssh refuses an unprotected private key file, when it is ours
/// and group or others may read or write it.
pub fn read_secret_file(path: &Path, what: &str) -> Result<Zeroizing<Vec<u8>>> {
    let mut file = File::open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            Error::no_access(format!("the {what} {} does not exist", path.display()))
        } else {
            Error::io("cannot read", path, e)
        }
    })?;
    let meta = file
        .metadata()
        .map_err(|e| Error::io("cannot read", path, e))?;
    let mode = meta.mode() & 0o7777;
    let mine = meta.uid() == euid();
    if meta.is_file() && mine && mode & 0o077 != 0 {
        return Err(Error::no_access(format!(
            "UNPROTECTED PRIVATE KEY FILE: the {what} {} has mode {mode:04o}, so other users may read it; sm will not use it",
            path.display()
        ))
        .with_hint(format!(
            "run `chmod 600 {}`; if others could read it, create a new identity and rotate what it protected",
            path.display()
        )));
    }
    if meta.is_file() && meta.len() > MAX_IDENTITY_FILE {
        return Err(Error::invalid(format!(
            "the {what} {} is larger than {MAX_IDENTITY_FILE} bytes; it is not a key file",
            path.display()
        )));
    }
    let mut bytes = Zeroizing::new(Vec::new());
    Read::by_ref(&mut file)
        .take(MAX_IDENTITY_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io("cannot read", path, e))?;
    if bytes.len() as u64 > MAX_IDENTITY_FILE {
        return Err(Error::invalid(format!(
            "the {what} {} is larger than {MAX_IDENTITY_FILE} bytes; it is not a key file",
            path.display()
        )));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mode(path: &Path) -> u32 {
        fs::symlink_metadata(path).unwrap().mode() & 0o7777
    }

    #[test]
    fn created_files_and_folders_are_private() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("a/b");
        create_private_dir_all(&dir).unwrap();
        assert_eq!(mode(&tmp.path().join("a")), 0o700);
        assert_eq!(mode(&dir), 0o700);
        let file = dir.join("f.toml");
        write_private(&file, b"x = 1\n").unwrap();
        assert_eq!(mode(&file), 0o600);
        assert_eq!(read_trusted_config(&file).unwrap().unwrap(), b"x = 1\n");
        let _lock = lock(&dir.join(".f.lock"), "f").unwrap();
        assert_eq!(mode(&dir.join(".f.lock")), 0o600);
    }

    #[test]
    fn writable_config_and_readable_key_are_refused() {
        let tmp = tempfile::tempdir().unwrap();
        fs::set_permissions(tmp.path(), fs::Permissions::from_mode(0o700)).unwrap();
        let file = tmp.path().join("pins.toml");
        fs::write(&file, "a = 'b'\n").unwrap();
        fs::set_permissions(&file, fs::Permissions::from_mode(0o620)).unwrap();
        let err = read_trusted_config(&file).unwrap_err();
        assert_eq!(err.exit_code(), 5);
        assert!(err.to_string().contains("chmod 600"), "{err}");
        fs::set_permissions(&file, fs::Permissions::from_mode(0o644)).unwrap();
        assert!(read_trusted_config(&file).is_ok());
        fs::set_permissions(tmp.path(), fs::Permissions::from_mode(0o777)).unwrap();
        let err = read_trusted_config(&file).unwrap_err();
        assert!(err.to_string().contains("chmod 700"), "{err}");
        fs::set_permissions(tmp.path(), fs::Permissions::from_mode(0o700)).unwrap();

        let key = tmp.path().join("key.txt");
        fs::write(&key, "AGE-SECRET-KEY-1\n").unwrap();
        fs::set_permissions(&key, fs::Permissions::from_mode(0o640)).unwrap();
        let err = read_secret_file(&key, "identity file").unwrap_err();
        assert_eq!(err.exit_code(), 4);
        assert!(err.to_string().contains("0640"), "{err}");
        fs::set_permissions(&key, fs::Permissions::from_mode(0o400)).unwrap();
        assert_eq!(
            &read_secret_file(&key, "identity file").unwrap()[..],
            b"AGE-SECRET-KEY-1\n"
        );
        assert_eq!(read_trusted_config(&tmp.path().join("none")).unwrap(), None);
    }
}
