//! The per-user fallback log: where a read's signed entries go when the
//! store cannot take an append (a read-only checkout, container image or
//! volume). It lives outside the store, under the user's data folder:
//! `$XDG_DATA_HOME/sm/logs/<store id>/<member>.jsonl` (folders 0700, the
//! file 0600), in the same format and chain as the store's own log, so
//! the same checks apply to it. Writes never fall back: they need the store.

use std::fs::File;
use std::os::unix::fs::{MetadataExt as _, OpenOptionsExt as _};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::store::Store;

/// Tells whether `err` says the store's log cannot be opened for append
/// because the file system or a folder of it is read-only to this user.
pub fn is_read_only(err: &Error) -> bool {
    match err {
        Error::Io { cause, .. } => is_read_only_io(cause),
        _ => false,
    }
}

/// Tells whether an OS error means "not writable here" (a read-only file
/// system, or a file or folder this user may not write).
pub fn is_read_only_io(cause: &std::io::Error) -> bool {
    matches!(
        cause.raw_os_error(),
        Some(libc::EROFS | libc::EACCES | libc::EPERM)
    )
}

/// Returns the fallback log's path for `member` of the store `store_id`.
pub fn fallback_path(store_id: &str, member: &str) -> Result<PathBuf> {
    let safe =
        |s: &str| !s.is_empty() && !s.starts_with('.') && !s.contains('/') && !s.contains('\0');
    if !safe(store_id) || !safe(member) {
        return Err(Error::invalid(format!(
            "cannot name a log outside the store for member {member:?}"
        )));
    }
    let dirs = directories::ProjectDirs::from("", "", "sm")
        .ok_or_else(|| Error::Other("cannot find your home folder; set HOME".into()))?;
    Ok(dirs
        .data_dir()
        .join("logs")
        .join(store_id)
        .join(format!("{member}.jsonl")))
}

/// Opens (creating it 0600, its folders 0700) `member`'s fallback log for
/// appending: never through a link, only a regular file of one link.
pub fn open(store: &Store, member: &str) -> Result<(PathBuf, File)> {
    let path = fallback_path(store.id(), member)?;
    open_at(&path).map_err(|e| match &e {
        // Both the store and the folder for its reads' log are read-only
        // (e.g. a read-only container): say so, not "reads still work".
        Error::Io { cause, .. } if is_read_only_io(cause) => Error::no_access(format!(
            "cannot log this read: the store is read-only here, and so is {}, where sm logs reads of a read-only store",
            path.parent().unwrap_or(&path).display()
        ))
        .with_hint(
            "set XDG_DATA_HOME to a folder this user can write (e.g. a tmpfs volume), or make the store writable",
        ),
        _ => e,
    })
}

fn open_at(path: &Path) -> Result<(PathBuf, File)> {
    let path = path.to_path_buf();
    let dir = path.parent().expect("the path has a folder");
    crate::userfiles::create_private_dir_all(dir)?;
    let meta = std::fs::symlink_metadata(dir).map_err(|e| Error::io("cannot inspect", dir, e))?;
    if !meta.is_dir() {
        return Err(Error::integrity(
            dir,
            "it is not a folder; sm keeps a read-only store's log entries there",
        ));
    }
    let file = std::fs::OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC)
        .open(&path)
        .map_err(|e| match e.raw_os_error() {
            Some(libc::ELOOP) => Error::integrity(&path, "it is a link; sm appends only to a file"),
            _ => Error::io("cannot open", &path, e),
        })?;
    let meta = file
        .metadata()
        .map_err(|e| Error::io("cannot inspect", &path, e))?;
    if !meta.is_file() || meta.nlink() > 1 {
        return Err(Error::integrity(
            &path,
            "it is not a regular file of one link; sm appends only to its own log",
        ));
    }
    Ok((path, file))
}

/// The notice a read prints (once per command) when its entries go to the
/// fallback log.
pub fn notice(path: &Path) -> String {
    format!(
        "sm: the store is read-only; this read is logged in your own log {}",
        path.display()
    )
}
