//! The write side of the safe paths: folders, atomic writes, appends,
//! locks, removals and renames, each through a descriptor opened beneath
//! the root.

use std::ffi::OsString;
use std::fs::File;
use std::io::Write as _;
use std::os::fd::AsFd as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

use rustix::fs::{AtFlags, Mode, OFlags};
use rustix::io::Errno;

use super::resolve::{normal_components, split};
use super::{DIR_MODE, FILE_MODE, Kind, StoreFs, TEMP_COUNTER};
use crate::error::{Error, Result};
use crate::store::fsio::{Durability, TEMP_MARKER};

impl StoreFs {
    /// Creates `path` and its missing parents, one `mkdirat` per component,
    /// never through a link.
    pub fn create_dir_all(&self, path: &Path) -> Result<()> {
        let rel = self.rel(path)?;
        let mut dir = rustix::fs::openat(
            self.fd.as_fd(),
            c".",
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        )
        .map_err(|e| Error::io("cannot open", &self.root, e.into()))?;
        let mut done = PathBuf::new();
        for name in normal_components(rel) {
            done.push(name);
            match rustix::fs::mkdirat(&dir, name, Mode::from_bits_truncate(DIR_MODE)) {
                Ok(()) | Err(Errno::EXIST) => {}
                Err(e) => {
                    return Err(Error::io(
                        "cannot create folder",
                        self.full(&done),
                        e.into(),
                    ));
                }
            }
            let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
            dir = match rustix::fs::openat(&dir, name, flags, Mode::empty()) {
                Ok(fd) => fd,
                Err(e) => {
                    let kind = rustix::fs::statat(&dir, name, AtFlags::SYMLINK_NOFOLLOW)
                        .map(|s| Kind::of_stat(&s));
                    return Err(match kind {
                        Ok(kind) if kind != Kind::Dir => {
                            Error::integrity(self.full(&done), kind.refusal(true))
                        }
                        _ => Error::io("cannot open", self.full(&done), e.into()),
                    });
                }
            };
        }
        Ok(())
    }

    /// Writes `data` to `path` atomically: a temp file created in the parent
    /// folder's descriptor (`O_EXCL | O_NOFOLLOW`), synced, and renamed over
    /// the target within that folder. Temp files are named
    /// `.<target>.tmp-<pid>-<n>` so `sm doctor` recognises the leftovers.
    pub fn write_atomic(&self, path: &Path, data: &[u8], durability: Durability) -> Result<()> {
        let rel = self.rel(path)?;
        let (dir, name) = self.parent_of(rel, path)?;
        let mut temp = OsString::from(".");
        temp.push(name);
        temp.push(format!(
            "{TEMP_MARKER}{}-{}",
            std::process::id(),
            TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let temp_path = self.full(&rel.with_file_name(&temp));
        let result = (|| {
            let fd = rustix::fs::openat(
                &dir,
                temp.as_os_str(),
                OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC,
                Mode::from_bits_truncate(FILE_MODE),
            )
            .map_err(|e| Error::io("cannot create", &temp_path, e.into()))?;
            let mut file = File::from(fd);
            file.write_all(data)
                .map_err(|e| Error::io("cannot write", &temp_path, e))?;
            if durability == Durability::Sync {
                file.sync_all()
                    .map_err(|e| Error::io("cannot sync", &temp_path, e))?;
            }
            rustix::fs::renameat(&dir, temp.as_os_str(), &dir, name)
                .map_err(|e| Error::io("cannot replace", self.full(rel), e.into()))?;
            if durability == Durability::Sync {
                rustix::fs::fsync(&dir)
                    .map_err(|e| Error::io("cannot sync", self.full(rel), e.into()))?;
            }
            Ok(())
        })();
        if result.is_err() {
            let _ = rustix::fs::unlinkat(&dir, temp.as_os_str(), AtFlags::empty());
        }
        result
    }

    /// Opens (creating it) a file to append to, such as a log: `O_APPEND |
    /// O_NOFOLLOW`, checked to be a regular file with no other hard link
    /// (a file linked in from outside the store would take the appends).
    /// It is also readable, for finding the last line.
    pub fn open_append(&self, path: &Path) -> Result<File> {
        let (file, stat) = self.open_created(path, OFlags::RDWR | OFlags::APPEND)?;
        if stat.st_nlink > 1 {
            return Err(Error::integrity(
                self.full(self.rel(path)?),
                "it has other hard links; sm appends only to a file of the store's own",
            ));
        }
        Ok(file)
    }

    /// Opens (creating it) a lock file: never through a link, so a
    /// committed `.sm/locks/x.lock -> somewhere` cannot create or touch
    /// `somewhere`.
    pub fn open_lock(&self, path: &Path) -> Result<File> {
        Ok(self.open_created(path, OFlags::WRONLY)?.0)
    }

    /// Opens (creating it) a regular file; returns it with its status.
    fn open_created(&self, path: &Path, flags: OFlags) -> Result<(File, rustix::fs::Stat)> {
        let rel = self.rel(path)?;
        let open = || self.open_raw(rel, flags | OFlags::CREATE | OFlags::NONBLOCK, FILE_MODE);
        // The folders usually exist: make them only when the open says not.
        let fd = match open() {
            Err(Errno::NOENT) => {
                if let Some(parent) = rel.parent() {
                    self.create_dir_all(parent)?;
                }
                open()
            }
            other => other,
        }
        .map_err(|e| self.refuse(rel, e, "cannot open", false))?;
        let stat = self.check_regular(rel, &fd)?;
        Ok((File::from(fd), stat))
    }

    /// Tells whether `file` is still the file at `path` (a lock taken on a
    /// file that `sm doctor` has since replaced must be taken again).
    pub fn is_same_file(&self, path: &Path, file: &File) -> Result<bool> {
        Ok(self.same_file_len(path, file)?.is_some())
    }

    /// Like [`StoreFs::is_same_file`], returning the file's length when it
    /// is the same file (from the same status, so a caller holding a lock
    /// need not ask again).
    pub fn same_file_len(&self, path: &Path, file: &File) -> Result<Option<u64>> {
        let rel = self.rel(path)?;
        let (dir, name) = self.parent_of(rel, path)?;
        let open = rustix::fs::fstat(file)
            .map_err(|e| Error::io("cannot inspect", self.full(rel), e.into()))?;
        match rustix::fs::statat(&dir, name, AtFlags::SYMLINK_NOFOLLOW) {
            Ok(now) if now.st_dev == open.st_dev && now.st_ino == open.st_ino => {
                Ok(Some(open.st_size.max(0) as u64))
            }
            Ok(_) | Err(Errno::NOENT) => Ok(None),
            Err(e) => Err(Error::io("cannot inspect", self.full(rel), e.into())),
        }
    }

    /// Removes a regular file through its folder's descriptor; `false` when
    /// it was not there. Anything but a regular file is refused.
    pub fn remove_file(&self, path: &Path) -> Result<bool> {
        let rel = self.rel(path)?;
        let (dir, name) = match self.parent_of(rel, path) {
            Ok(v) => v,
            Err(Error::Io { cause, .. }) if cause.kind() == std::io::ErrorKind::NotFound => {
                return Ok(false);
            }
            Err(e) => return Err(e),
        };
        match rustix::fs::statat(&dir, name, AtFlags::SYMLINK_NOFOLLOW) {
            Ok(stat) => {
                let kind = Kind::of_stat(&stat);
                if kind != Kind::File {
                    return Err(Error::integrity(self.full(rel), kind.refusal(false)));
                }
            }
            Err(Errno::NOENT) => return Ok(false),
            Err(e) => return Err(Error::io("cannot inspect", self.full(rel), e.into())),
        }
        match rustix::fs::unlinkat(&dir, name, AtFlags::empty()) {
            Ok(()) => Ok(true),
            Err(Errno::NOENT) => Ok(false),
            Err(e) => Err(Error::io("cannot remove", self.full(rel), e.into())),
        }
    }

    /// Removes an empty folder; `false` when it is not empty or not there.
    pub fn remove_empty_dir(&self, path: &Path) -> Result<bool> {
        let rel = self.rel(path)?;
        let (dir, name) = self.parent_of(rel, path)?;
        Ok(rustix::fs::unlinkat(&dir, name, AtFlags::REMOVEDIR).is_ok())
    }

    /// Removes a folder and everything in it, after checking that it holds
    /// only regular files and folders (a link or special file there is an
    /// integrity error and nothing is removed). Every unlink goes through
    /// the descriptor of a folder opened beneath the root.
    pub fn remove_tree(&self, path: &Path) -> Result<()> {
        let rel = self.rel(path)?.to_path_buf();
        if let Some((bad, kind)) = self.special_files(&rel)?.into_iter().next() {
            return Err(Error::integrity(bad, kind.refusal(false)));
        }
        // Files first, then folders deepest first.
        let mut dirs = vec![rel.clone()];
        let mut todo = vec![rel];
        while let Some(dir) = todo.pop() {
            let Some(entries) = self.list(&dir)? else {
                continue;
            };
            let Some(fd) = self.open_dir(&dir)? else {
                continue;
            };
            for entry in entries {
                if entry.kind == Kind::Dir {
                    let child = dir.join(&entry.name);
                    dirs.push(child.clone());
                    todo.push(child);
                } else {
                    rustix::fs::unlinkat(&fd, entry.name.as_os_str(), AtFlags::empty()).map_err(
                        |e| Error::io("cannot remove", self.full(&dir.join(&entry.name)), e.into()),
                    )?;
                }
            }
        }
        dirs.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
        for dir in dirs {
            let (parent, name) = self.parent_of(&dir, &dir)?;
            match rustix::fs::unlinkat(&parent, name, AtFlags::REMOVEDIR) {
                Ok(()) | Err(Errno::NOENT) => {}
                Err(e) => return Err(Error::io("cannot remove", self.full(&dir), e.into())),
            }
        }
        Ok(())
    }

    /// Renames `from` to `to` within one folder.
    pub fn rename_in_dir(&self, from: &Path, to: &Path) -> Result<()> {
        let from_rel = self.rel(from)?;
        let to_rel = self.rel(to)?;
        if from_rel.parent() != to_rel.parent() {
            return Err(Error::Other(format!(
                "{} and {} are not in one folder",
                from.display(),
                to.display()
            )));
        }
        let (dir, from_name) = self.parent_of(from_rel, from)?;
        let (_, to_name) = split(to_rel, to)?;
        rustix::fs::renameat(&dir, from_name, &dir, to_name)
            .map_err(|e| Error::io("cannot rename", self.full(from_rel), e.into()))
    }

    /// Syncs a folder so renames and new entries in it are durable.
    pub fn sync_dir(&self, path: &Path) -> Result<()> {
        let rel = self.rel(path)?;
        if let Some(dir) = self.open_dir(rel)? {
            rustix::fs::fsync(&dir)
                .map_err(|e| Error::io("cannot sync", self.full(rel), e.into()))?;
        }
        Ok(())
    }
}
