//! Atomic file writes and file locks by path, for sm's own files outside a
//! store (config, trust, pins, git's merge files). Files inside a store go
//! through [`super::safe::StoreFs`], which never follows a link.
//!
//! A file is written to a temp file in the same folder, synced and renamed
//! over its target, so a crash leaves either the old or the new file, never
//! a mix. Temp files are named `.<target>.tmp-<pid>-<n>` so that `sm doctor`
//! can recognise and remove the leftovers of a killed writer.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::error::{Error, Result};

/// The marker in the names of temp files.
pub const TEMP_MARKER: &str = ".tmp-";

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// Whether a write must reach the disk before it returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Durability {
    /// fsync the file and its folder: the write survives a power cut.
    Sync,
    /// Leave it to the page cache (a batch syncs once at its end).
    Deferred,
}

/// Writes `data` to `path` atomically.
pub fn write_atomic(path: &Path, data: &[u8], durability: Durability) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(
        ".{file_name}{TEMP_MARKER}{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let result = (|| {
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
            .map_err(|e| Error::io("cannot create", &temp, e))?;
        file.write_all(data)
            .map_err(|e| Error::io("cannot write", &temp, e))?;
        if durability == Durability::Sync {
            file.sync_all()
                .map_err(|e| Error::io("cannot sync", &temp, e))?;
        }
        fs::rename(&temp, path).map_err(|e| Error::io("cannot replace", path, e))?;
        if durability == Durability::Sync {
            sync_dir(dir)?;
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// Syncs a folder so that renames and new entries in it are durable.
pub fn sync_dir(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)
            .and_then(|f| f.sync_all())
            .map_err(|e| Error::io("cannot sync", dir, e))?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// Flushes every file system buffer of the file system holding `path` (one
/// call at the end of a batch instead of one fsync per file).
pub fn sync_filesystem(path: &Path) -> Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let dir = File::open(path).map_err(|e| Error::io("cannot open", path, e))?;
        // SAFETY: syncfs takes a valid open descriptor, which `dir` owns.
        if unsafe { libc::syncfs(dir.as_raw_fd()) } != 0 {
            return Err(Error::io(
                "cannot sync",
                path,
                std::io::Error::last_os_error(),
            ));
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = path;
    Ok(())
}

/// Creates a folder and its parents.
pub fn create_dir_all(path: &Path) -> Result<()> {
    fs::create_dir_all(path).map_err(|e| Error::io("cannot create folder", path, e))
}

/// An exclusive lock on a lock file, released on drop (or by the kernel when
/// the process dies, so `kill -9` never leaves a stale lock).
#[derive(Debug)]
pub struct Lock {
    _file: File,
}

/// How long a writer waits for a lock before giving up with exit 6. Set
/// `SM_LOCK_TIMEOUT` (seconds) to change it.
pub fn lock_timeout() -> Duration {
    std::env::var("SM_LOCK_TIMEOUT")
        .ok()
        .and_then(|v| v.parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(Duration::from_secs_f64)
        .unwrap_or(Duration::from_secs(30))
}

impl Lock {
    /// Takes the lock at `path`, waiting up to `timeout`. A lock file inside
    /// a store (under a `.sm` folder) is opened beneath the store's root
    /// without following links (see [`super::safe`]); any other is opened
    /// with `O_NOFOLLOW`.
    pub fn acquire(path: &Path, what: &str, timeout: Duration) -> Result<Lock> {
        Lock::acquire_file(open_lock_file(path)?, path, what, timeout)
    }

    /// Takes the lock on an opened lock file, waiting up to `timeout`.
    pub fn acquire_file(file: File, path: &Path, what: &str, timeout: Duration) -> Result<Lock> {
        let deadline = Instant::now() + timeout;
        let mut pause = Duration::from_millis(1);
        loop {
            match fs4::FileExt::try_lock(&file) {
                Ok(()) => return Ok(Lock { _file: file }),
                Err(fs4::TryLockError::WouldBlock) => {}
                Err(fs4::TryLockError::Error(e)) => return Err(Error::io("cannot lock", path, e)),
            }
            if Instant::now() >= deadline {
                return Err(
                    Error::conflict(format!("{what} is locked by another sm process")).with_hint(
                        "try again; if nothing else is running, the lock is released already",
                    ),
                );
            }
            std::thread::sleep(pause);
            pause = (pause * 2).min(Duration::from_millis(50));
        }
    }

    /// Takes the lock only if it is free right now.
    pub fn try_acquire(path: &Path) -> Result<Option<Lock>> {
        let file = open_lock_file(path)?;
        match fs4::FileExt::try_lock(&file) {
            Ok(()) => Ok(Some(Lock { _file: file })),
            Err(fs4::TryLockError::WouldBlock) => Ok(None),
            Err(fs4::TryLockError::Error(e)) => Err(Error::io("cannot lock", path, e)),
        }
    }
}

fn open_lock_file(path: &Path) -> Result<File> {
    // A lock under `<store>/.sm/` is store input: resolve it beneath the
    // store's root so a committed link there is refused, not followed.
    let store_root = path
        .ancestors()
        .skip(1)
        .find(|dir| dir.file_name().is_some_and(|n| n == super::SM_DIR))
        .and_then(Path::parent);
    if let Some(root) = store_root
        && let Ok(fs) = super::safe::StoreFs::open(root)
    {
        return fs.open_lock(path);
    }
    if let Some(parent) = path.parent() {
        create_dir_all(parent)?;
    }
    let mut options = OpenOptions::new();
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NOFOLLOW);
    options
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .map_err(|e| Error::io("cannot open lock file", path, e))
}

/// Reads a file, mapping errors to the file's path.
pub fn read(path: &Path) -> Result<Vec<u8>> {
    read_small(path).map_err(|e| Error::io("cannot read", path, e))
}

/// Reads a whole file that is usually small (store files, version files,
/// cache entries) without asking its size first: `fs::read` spends a
/// `statx` per file, which `sm exec` of many secrets notices.
pub fn read_small(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read as _;
    let mut file = File::open(path)?;
    let mut buf = vec![0u8; 4096];
    let mut len = 0;
    loop {
        if len == buf.len() {
            buf.resize(buf.len() * 2, 0);
        }
        match file.read(&mut buf[len..]) {
            Ok(0) => break,
            Ok(n) => len += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    buf.truncate(len);
    Ok(buf)
}
