//! Safe paths under a store root: sm never leaves the store.
//!
//! A store is a tree of regular files and folders that arrives by `git
//! clone` or `git pull`, so it is untrusted input. Every file and folder of
//! a store is opened beneath the root's descriptor without following any
//! symbolic link: `openat2` with `RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
//! RESOLVE_NO_MAGICLINKS` where the kernel has it (Linux 5.6), else a walk of
//! `openat(O_NOFOLLOW | O_DIRECTORY)` per folder and `O_NOFOLLOW` on the
//! last component. A symbolic link, FIFO, socket or device anywhere on a
//! path is an integrity error (exit 5) naming it, never followed, opened
//! for reading or written through (git's CVE-2021-21300 and Rust's
//! CVE-2022-21658 are the same class of bug).
//!
//! Reads check the file's type and size with `fstat` after opening
//! (`O_NONBLOCK`, so a FIFO cannot hang sm) and read at most the cap for
//! that kind of file plus one byte. Writes go to a temp file created with
//! `O_CREAT | O_EXCL | O_NOFOLLOW` in the parent folder's descriptor and
//! are renamed within it. Removals unlink through the parent's descriptor.

mod resolve;
mod write;

use std::ffi::{OsStr, OsString};
use std::fs::File;
use std::io::Read as _;
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::ffi::OsStrExt as _;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use rustix::fs::{AtFlags, FileType, Mode, OFlags, ResolveFlags};
use rustix::io::Errno;

use crate::error::{Error, Result};
use resolve::{first_bad_component, outside, split, walk_open};

/// The largest TOML file of a store sm reads (`store.toml`, `members.toml`,
/// `access.toml`, `replicas.toml`, a secret's `meta.toml`, a version
/// record): 1 MiB, far above any real one (a `meta.toml` or a version
/// record is a few hundred bytes; each member adds under 400 bytes to
/// `members.toml`, so it holds well over 2,000 members).
pub const MAX_TOML_LEN: u64 = 1 << 20;

/// The largest version ciphertext (`<id>.age`) sm reads: 1 MiB. A 64 KiB
/// value (the largest, see `MAX_VALUE_LEN`) encrypts and armors to 89,228
/// bytes for one recipient; each further recipient adds about 132 bytes,
/// so this leaves room for over 7,000 recipients (measured with sm's own
/// `put`).
pub const MAX_CIPHERTEXT_LEN: u64 = 1 << 20;

/// How many bytes of a log's end an append reads to find the last whole
/// entry (torn lines left by interrupted writes are skipped): 1 MiB.
pub const MAX_LOG_TAIL: u64 = 1 << 20;

/// The mode new files and folders are created with (the umask applies).
const FILE_MODE: u32 = 0o666;
const DIR_MODE: u32 = 0o777;

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Cleared once `openat2` turns out missing (ENOSYS: before Linux 5.6).
static HAVE_OPENAT2: AtomicBool = AtomicBool::new(true);

/// What an entry of a store folder is, seen without following links.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A regular file.
    File,
    /// A folder.
    Dir,
    /// A symbolic link.
    Symlink,
    /// A FIFO (named pipe).
    Fifo,
    /// A Unix socket.
    Socket,
    /// A character device.
    CharDevice,
    /// A block device.
    BlockDevice,
    /// Anything else.
    Unknown,
}

impl Kind {
    fn of(file_type: FileType) -> Kind {
        match file_type {
            FileType::RegularFile => Kind::File,
            FileType::Directory => Kind::Dir,
            FileType::Symlink => Kind::Symlink,
            FileType::Fifo => Kind::Fifo,
            FileType::Socket => Kind::Socket,
            FileType::CharacterDevice => Kind::CharDevice,
            FileType::BlockDevice => Kind::BlockDevice,
            _ => Kind::Unknown,
        }
    }

    fn of_stat(stat: &rustix::fs::Stat) -> Kind {
        Kind::of(FileType::from_raw_mode(stat.st_mode))
    }

    /// Tells whether a store may not hold an entry of this kind (anything
    /// but regular files and folders).
    pub fn is_special(self) -> bool {
        !matches!(self, Kind::File | Kind::Dir)
    }

    /// Says why an entry of this kind is refused where sm expects a file
    /// (`want_dir` false) or a folder.
    pub fn refusal(self, want_dir: bool) -> &'static str {
        match self {
            Kind::Symlink => "it is a symbolic link; sm never follows links inside a store",
            Kind::Fifo => "it is a FIFO (named pipe); a store holds only regular files and folders",
            Kind::Socket => "it is a socket; a store holds only regular files and folders",
            Kind::CharDevice => {
                "it is a character device; a store holds only regular files and folders"
            }
            Kind::BlockDevice => {
                "it is a block device; a store holds only regular files and folders"
            }
            Kind::Unknown => {
                "it is not a regular file or folder; a store holds only regular files and folders"
            }
            Kind::Dir if !want_dir => "it is a folder where sm expects a file",
            Kind::File if want_dir => "it is a file where sm expects a folder",
            Kind::Dir | Kind::File => "it is not what sm expects here",
        }
    }
}

/// One entry of a store folder.
#[derive(Clone, Debug)]
pub struct DirEntry {
    /// Its name.
    pub name: OsString,
    /// What it is (not following links).
    pub kind: Kind,
}

/// What some files look like on disk (device, inode, mode, size,
/// modification and change times), as [`StoreFs::stamp_all`] found them:
/// equal stamps mean the files were not replaced, written, created or
/// removed since (as git's index trusts a file's stat data), unless a
/// change fell within the time stamps' granularity, which
/// [`Stamp::settled`] rules out.
#[derive(Clone, Debug, Default)]
pub struct Stamp {
    /// What each named entry is (`None`: it does not exist).
    kinds: [Option<Kind>; MAX_STAMPED],
    /// The stat data of each name.
    parts: [[i64; 8]; MAX_STAMPED],
    /// How many names are stamped.
    len: usize,
    /// The newest modification or change time seen (seconds since 1970).
    newest: i64,
}

/// The most names one [`Stamp`] covers (no allocation per stamp: a scan
/// takes one per secret).
pub const MAX_STAMPED: usize = 2;

impl Stamp {
    /// What each named entry is (`None`: it does not exist).
    pub fn kinds(&self) -> &[Option<Kind>] {
        &self.kinds[..self.len]
    }

    /// Returns the stat data as bytes, to keep and compare (exactly: no
    /// digest, which would cost more than the `fstat`s themselves).
    pub fn bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.len * 64);
        self.write_bytes(&mut out);
        out
    }

    /// Appends [`Stamp::bytes`] to `out`.
    pub fn write_bytes(&self, out: &mut Vec<u8>) {
        for v in self.parts[..self.len].iter().flatten() {
            out.extend_from_slice(&v.to_le_bytes());
        }
    }

    /// Adds a file's stat data (`None`: the file does not exist).
    fn fold(&mut self, stat: Option<&rustix::fs::Stat>) {
        let part = match stat {
            None => [0; 8],
            Some(s) => {
                self.newest = self.newest.max(s.st_mtime).max(s.st_ctime);
                [
                    s.st_dev as i64,
                    s.st_ino as i64,
                    s.st_mode as i64,
                    s.st_size,
                    s.st_mtime,
                    s.st_mtime_nsec as i64,
                    s.st_ctime,
                    s.st_ctime_nsec as i64,
                ]
            }
        };
        self.kinds[self.len] = stat.map(Kind::of_stat);
        self.parts[self.len] = part;
        self.len += 1;
    }

    /// Tells whether every time stamp is at least `margin` seconds older
    /// than `now` (seconds since 1970), so a later change within the same
    /// clock tick (on file systems that keep seconds) cannot go unseen.
    pub fn settled(&self, now: i64, margin: i64) -> bool {
        self.newest + margin <= now
    }
}

/// A store's root folder, held open: every path under it is resolved
/// beneath this descriptor. Paths given to its methods are absolute paths
/// under [`StoreFs::root`] (as `Store` builds them) or relative to it, and
/// name errors with the full path.
#[derive(Clone, Debug)]
pub struct StoreFs {
    root: PathBuf,
    fd: Arc<OwnedFd>,
    /// Whether to try `openat2` (unit tests turn it off to test the walk).
    openat2: bool,
}

impl StoreFs {
    /// Opens the folder `root` (following links in the path to it: where
    /// the user keeps the store is the user's choice).
    pub fn open(root: &Path) -> std::io::Result<StoreFs> {
        let fd = rustix::fs::open(
            root,
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        )?;
        Ok(StoreFs {
            root: root.to_path_buf(),
            fd: Arc::new(fd),
            openat2: true,
        })
    }

    /// Returns the root folder's path.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The path of `path` relative to the root, checked to stay beneath it
    /// (only normal components: no `..`, no root).
    fn rel<'a>(&self, path: &'a Path) -> Result<&'a Path> {
        let rel = if path.is_absolute() || path.starts_with(&self.root) {
            path.strip_prefix(&self.root).map_err(|_| outside(path))?
        } else {
            path
        };
        if rel
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
        {
            Ok(rel)
        } else {
            Err(outside(path))
        }
    }

    fn full(&self, rel: &Path) -> PathBuf {
        self.root.join(rel)
    }

    /// Opens `rel` beneath the root, never following a link, and returns
    /// the raw error (for the caller to map, see [`StoreFs::refuse`]).
    fn open_raw(&self, rel: &Path, flags: OFlags, mode: u32) -> rustix::io::Result<OwnedFd> {
        let flags = flags | OFlags::NOFOLLOW | OFlags::CLOEXEC | OFlags::NOCTTY;
        let mode = Mode::from_bits_truncate(mode);
        if rel.as_os_str().is_empty() || rel == Path::new(".") {
            return rustix::fs::openat(self.fd.as_fd(), c".", flags, mode);
        }
        if self.openat2 && HAVE_OPENAT2.load(Ordering::Relaxed) {
            let resolve =
                ResolveFlags::BENEATH | ResolveFlags::NO_SYMLINKS | ResolveFlags::NO_MAGICLINKS;
            match rustix::fs::openat2(self.fd.as_fd(), rel, flags, mode, resolve) {
                Err(Errno::NOSYS) => HAVE_OPENAT2.store(false, Ordering::Relaxed),
                // A seccomp filter may answer EPERM for a syscall it does
                // not know: the walk tells the real answer.
                Err(Errno::PERM) => {}
                other => return other,
            }
        }
        walk_open(self.fd.as_fd(), rel, flags, mode)
    }

    /// Turns an error of opening `rel` into sm's error: a link or special
    /// file on the way is an integrity error naming it.
    fn refuse(&self, rel: &Path, errno: Errno, action: &'static str, want_dir: bool) -> Error {
        if matches!(
            errno,
            Errno::LOOP | Errno::NOTDIR | Errno::XDEV | Errno::NXIO | Errno::ISDIR
        ) && let Some((bad, kind, last)) = first_bad_component(self.fd.as_fd(), rel, want_dir)
        {
            return Error::integrity(self.full(&bad), kind.refusal(want_dir || !last));
        }
        Error::io(action, self.full(rel), errno.into())
    }

    /// Opens a file for reading, checked to be a regular file of at most
    /// `cap` bytes; `None` when it does not exist.
    pub fn open_read(&self, path: &Path, cap: u64) -> Result<Option<(File, u64)>> {
        let rel = self.rel(path)?;
        let fd = match self.open_raw(rel, OFlags::RDONLY | OFlags::NONBLOCK, 0) {
            Ok(fd) => fd,
            Err(Errno::NOENT) => return Ok(None),
            Err(e) => return Err(self.refuse(rel, e, "cannot read", false)),
        };
        let size = self.check_regular(rel, &fd)?.st_size.max(0) as u64;
        if size > cap {
            return Err(Error::integrity(
                self.full(rel),
                format!("it is {size} bytes, more than the {cap} bytes sm reads from such a file"),
            ));
        }
        Ok(Some((File::from(fd), size)))
    }

    /// Reads a whole file of at most `cap` bytes; `None` when it does not
    /// exist. Never allocates more than the file's size (checked first).
    pub fn read(&self, path: &Path, cap: u64) -> Result<Option<Vec<u8>>> {
        let Some((file, size)) = self.open_read(path, cap)? else {
            return Ok(None);
        };
        let full = self.full(self.rel(path)?);
        let mut buf = Vec::with_capacity(size as usize + 1);
        file.take(cap + 1)
            .read_to_end(&mut buf)
            .map_err(|e| Error::io("cannot read", &full, e))?;
        if buf.len() as u64 > cap {
            return Err(Error::integrity(
                full,
                format!("it grew past the {cap} bytes sm reads from such a file while being read"),
            ));
        }
        Ok(Some(buf))
    }

    /// Like [`StoreFs::read`], with a missing file an error.
    pub fn read_existing(&self, path: &Path, cap: u64) -> Result<Vec<u8>> {
        self.read(path, cap)?.ok_or_else(|| {
            Error::io(
                "cannot read",
                path,
                std::io::Error::from(std::io::ErrorKind::NotFound),
            )
        })
    }

    fn check_regular(&self, rel: &Path, fd: &OwnedFd) -> Result<rustix::fs::Stat> {
        let stat = rustix::fs::fstat(fd)
            .map_err(|e| Error::io("cannot inspect", self.full(rel), e.into()))?;
        let kind = Kind::of_stat(&stat);
        if kind != Kind::File {
            return Err(Error::integrity(self.full(rel), kind.refusal(false)));
        }
        Ok(stat)
    }

    /// Tells what `path` is, without following a link on the way (a link
    /// or special file before its last component is an error); `None` when
    /// it does not exist.
    pub fn kind(&self, path: &Path) -> Result<Option<Kind>> {
        let rel = self.rel(path)?;
        let (parent, name) = split(rel, path)?;
        let dir = match self.open_raw(parent, OFlags::RDONLY | OFlags::DIRECTORY, 0) {
            Ok(fd) => fd,
            Err(Errno::NOENT) => return Ok(None),
            Err(e) => return Err(self.refuse(parent, e, "cannot open", true)),
        };
        match rustix::fs::statat(&dir, name, AtFlags::SYMLINK_NOFOLLOW) {
            Ok(stat) => Ok(Some(Kind::of_stat(&stat))),
            Err(Errno::NOENT) => Ok(None),
            Err(e) => Err(Error::io("cannot inspect", self.full(rel), e.into())),
        }
    }

    /// Stamps the files `inner(folder)` of each folder named in `folders`
    /// (entries of the folder `path`; `None` entries are passed over), in
    /// parallel, with one `fstatat` (not following links) per file from
    /// the descriptor of `path`, which is opened beneath the root without
    /// following links. A file that does not exist is stamped as absent; a
    /// folder that is no longer a folder gets `None`.
    ///
    /// The folders themselves are not looked at: the caller listed them
    /// (and passes over links and special files by the listing). A link
    /// swapped in for a folder since would be followed, which cannot make
    /// a stamp match one recorded for other contents: a stamp holds each
    /// file's device, inode and change time, which are another file's, or
    /// change, when anything is written, replaced, linked or moved.
    pub fn stamp_all<'n>(
        &self,
        path: &Path,
        folders: &[Option<&OsStr>],
        inner: impl Fn(&OsStr) -> &'n [&'n str] + Sync,
    ) -> Result<Vec<Option<Stamp>>> {
        use rayon::prelude::*;
        let rel = self.rel(path)?;
        let Some(dir) = self.open_dir(rel)? else {
            return Ok(folders.iter().map(|_| None).collect());
        };
        let full = self.full(rel);
        let inspect = |e: Errno| Error::io("cannot inspect", &full, e.into());
        folders
            .par_iter()
            .map_init(Vec::new, |name, folder| {
                let Some(folder) = folder else {
                    return Ok(None);
                };
                name.clear();
                name.extend_from_slice(folder.as_bytes());
                name.push(b'/');
                let base = name.len();
                let entries = inner(folder).iter().map(|entry| {
                    name.truncate(base);
                    name.extend_from_slice(entry.as_bytes());
                    rustix::fs::statat(&dir, name.as_slice(), AtFlags::SYMLINK_NOFOLLOW)
                });
                match fold_stamp(entries) {
                    Ok(stamp) => Ok(Some(stamp)),
                    Err(Errno::NOTDIR) => Ok(None),
                    Err(e) => Err(inspect(e)),
                }
            })
            .collect()
    }

    /// Tells whether `path` is a regular file (a folder, link or special
    /// file there is an error, not a "no").
    pub fn is_file(&self, path: &Path) -> Result<bool> {
        match self.kind(path)? {
            None => Ok(false),
            Some(Kind::File) => Ok(true),
            Some(kind) => Err(Error::integrity(
                self.full(self.rel(path)?),
                kind.refusal(false),
            )),
        }
    }

    /// Opens a folder; `None` when it does not exist.
    fn open_dir(&self, rel: &Path) -> Result<Option<OwnedFd>> {
        match self.open_raw(rel, OFlags::RDONLY | OFlags::DIRECTORY, 0) {
            Ok(fd) => Ok(Some(fd)),
            Err(Errno::NOENT) => Ok(None),
            Err(e) => Err(self.refuse(rel, e, "cannot open", true)),
        }
    }

    /// The parent folder of `rel` (which must exist) and the last name.
    fn parent_of<'a>(&self, rel: &'a Path, path: &Path) -> Result<(OwnedFd, &'a OsStr)> {
        let (parent, name) = split(rel, path)?;
        let dir = self.open_dir(parent)?.ok_or_else(|| {
            Error::io(
                "cannot open",
                self.full(parent),
                std::io::Error::from(std::io::ErrorKind::NotFound),
            )
        })?;
        Ok((dir, name))
    }

    /// Lists a folder (not following links; each entry says what it is);
    /// `None` when it does not exist.
    pub fn list(&self, path: &Path) -> Result<Option<Vec<DirEntry>>> {
        let rel = self.rel(path)?;
        let Some(dir) = self.open_dir(rel)? else {
            return Ok(None);
        };
        let full = self.full(rel);
        let lookup =
            rustix::io::dup(&dir).map_err(|e| Error::io("cannot list", &full, e.into()))?;
        let entries =
            rustix::fs::Dir::new(dir).map_err(|e| Error::io("cannot list", &full, e.into()))?;
        let mut out = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| Error::io("cannot list", &full, e.into()))?;
            let bytes = entry.file_name().to_bytes();
            if bytes == b"." || bytes == b".." {
                continue;
            }
            let mut kind = Kind::of(entry.file_type());
            if kind == Kind::Unknown {
                // Some file systems do not fill in d_type.
                kind = rustix::fs::statat(&lookup, entry.file_name(), AtFlags::SYMLINK_NOFOLLOW)
                    .map(|s| Kind::of_stat(&s))
                    .unwrap_or(Kind::Unknown);
            }
            out.push(DirEntry {
                name: OsStr::from_bytes(bytes).to_os_string(),
                kind,
            });
        }
        Ok(Some(out))
    }

    /// Lists every link and special file at or under `path` (which need
    /// not exist), in path order. The walk keeps a list of folders to
    /// visit rather than recursing or holding descriptors, so no depth of
    /// tree exhausts the stack or the descriptor table.
    pub fn special_files(&self, path: &Path) -> Result<Vec<(PathBuf, Kind)>> {
        let rel = self.rel(path)?.to_path_buf();
        let mut found = Vec::new();
        match self.kind(&rel)? {
            None | Some(Kind::File) => return Ok(found),
            Some(Kind::Dir) => {}
            Some(kind) => {
                found.push((self.full(&rel), kind));
                return Ok(found);
            }
        }
        let mut todo = vec![rel];
        while let Some(dir) = todo.pop() {
            let Some(entries) = self.list(&dir)? else {
                continue;
            };
            for entry in entries {
                let child = dir.join(&entry.name);
                match entry.kind {
                    Kind::Dir => todo.push(child),
                    Kind::File => {}
                    kind => found.push((self.full(&child), kind)),
                }
            }
        }
        found.sort();
        Ok(found)
    }
}

/// A folder's stamp from its status and its entries' (`NOENT`: missing).
fn fold_stamp(
    entries: impl Iterator<Item = rustix::io::Result<rustix::fs::Stat>>,
) -> std::result::Result<Stamp, Errno> {
    let mut stamp = Stamp::default();
    for entry in entries.take(MAX_STAMPED) {
        match entry {
            Ok(stat) => stamp.fold(Some(&stat)),
            Err(Errno::NOENT) => stamp.fold(None),
            Err(e) => return Err(e),
        }
    }
    Ok(stamp)
}

#[cfg(test)]
mod tests;
