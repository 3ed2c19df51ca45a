//! Reading a hook's files exactly once, beneath the store root and without
//! following links, so that the bytes sm hashes are the bytes it runs.
//!
//! A store is cloned input: a `git pull` can replace any file in it, and a
//! committed symbolic link can point anywhere. So every path under the
//! store root is opened one component at a time with `O_NOFOLLOW`
//! (`openat`), each file is checked with `fstat` to be a regular file and
//! read with a size cap, and a link, FIFO, device or socket is refused
//! (exit 5) naming it. Also here: the `#!` line the kernel would read, and
//! where a word of the hook command points (into the store or outside).

use std::fs::File;
use std::io::Read;
use std::os::fd::OwnedFd;
use std::path::{Component, Path, PathBuf};

use rustix::fs::{AtFlags, FileType, Mode, OFlags};
use rustix::io::Errno;

use crate::crypto;
use crate::error::{Error, Result};

/// The largest file a hook's folder may hold.
pub const MAX_FILE_LEN: u64 = 8 << 20;
/// The most bytes a hook's folders may hold together.
pub const MAX_TOTAL_LEN: u64 = 64 << 20;
/// The most files a hook's folders may hold together.
pub const MAX_FILES: usize = 4096;
/// How much of a file the kernel reads for its `#!` line (Linux's
/// `BINPRM_BUF_SIZE`).
pub const SHEBANG_LEN: usize = 256;

/// Folders never hashed nor copied: Python writes its bytecode cache there
/// when a hook is run by hand. Skipping it (rather than copying it) also
/// means a planted `.pyc` is never run.
const SKIPPED_FOLDERS: [&str; 1] = ["__pycache__"];

/// One file of a hook as it was read: these bytes are hashed and run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HookFile {
    /// The path relative to the store root, with `/` between components.
    pub path: String,
    /// Whether any execute bit is set.
    pub executable: bool,
    /// The content.
    pub bytes: Vec<u8>,
    /// The SHA-256 of the content, in hex.
    pub sha256: String,
}

/// Where a word of a hook command points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// Inside the store: the path relative to its root (`/`-separated).
    Store(String),
    /// Outside the store: an absolute path.
    Outside(PathBuf),
}

/// The store root, opened once; every path below it is resolved from this
/// descriptor without following links.
pub struct StoreDir {
    root: PathBuf,
    fd: OwnedFd,
}

fn symlink_error(path: PathBuf) -> Error {
    Error::integrity(
        path,
        "it is a symbolic link; sm does not follow links inside a store, and runs no hook through one",
    )
}

fn special_error(path: PathBuf) -> Error {
    Error::integrity(
        path,
        "it is not a regular file or folder; a store holds only files and folders",
    )
}

fn io_error(action: &'static str, path: PathBuf, e: Errno) -> Error {
    Error::io(
        action,
        path,
        std::io::Error::from_raw_os_error(e.raw_os_error()),
    )
}

impl StoreDir {
    /// Opens the store root (the root itself may be reached through links;
    /// nothing below it is).
    pub fn open(root: &Path) -> Result<StoreDir> {
        let root = std::fs::canonicalize(root).map_err(|e| Error::io("cannot open", root, e))?;
        let fd = rustix::fs::open(
            &root,
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        )
        .map_err(|e| io_error("cannot open", root.clone(), e))?;
        Ok(StoreDir { root, fd })
    }

    /// The store root, canonical.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where `word` points when a process runs with the store root as its
    /// working directory: relative words are resolved against the root
    /// (lexically: nothing below the root is a link, or it is refused when
    /// read), absolute ones are inside when they name a path under it.
    pub fn locate(&self, word: &str) -> Location {
        let path = Path::new(word);
        if path.is_absolute() {
            if let Ok(rel) = path.strip_prefix(&self.root)
                && let Some(rel) = normalize(rel)
            {
                return Location::Store(rel);
            }
            // A path into the store through a link outside it.
            if let Ok(canon) = std::fs::canonicalize(path)
                && let Ok(rel) = canon.strip_prefix(&self.root)
                && let Some(rel) = normalize(rel)
            {
                return Location::Store(rel);
            }
            return Location::Outside(lexical(path));
        }
        match normalize(path) {
            Some(rel) => Location::Store(rel),
            None => Location::Outside(lexical(&self.root.join(path))),
        }
    }

    /// Opens the store folder `rel` without following links. `None` when
    /// it does not exist.
    fn open_dir(&self, rel: &str) -> Result<Option<OwnedFd>> {
        let mut fd =
            rustix::io::dup(&self.fd).map_err(|e| io_error("cannot open", self.root.clone(), e))?;
        let mut at = self.root.clone();
        for part in rel.split('/').filter(|p| !p.is_empty()) {
            at.push(part);
            match rustix::fs::statat(&fd, part, AtFlags::SYMLINK_NOFOLLOW) {
                Ok(st) => match FileType::from_raw_mode(st.st_mode) {
                    FileType::Directory => {}
                    FileType::Symlink => return Err(symlink_error(at)),
                    _ => return Ok(None),
                },
                Err(Errno::NOENT) => return Ok(None),
                Err(e) => return Err(io_error("cannot read", at, e)),
            }
            fd = match rustix::fs::openat(
                &fd,
                part,
                OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
                Mode::empty(),
            ) {
                Ok(fd) => fd,
                // Swapped for a link or a file between the two calls.
                Err(Errno::LOOP | Errno::NOTDIR) => return Err(symlink_error(at)),
                Err(e) => return Err(io_error("cannot open", at, e)),
            };
        }
        Ok(Some(fd))
    }

    /// The type of the store path `rel` itself (not following a link at
    /// any component; a link is refused). `None` when it does not exist.
    pub fn kind(&self, rel: &str) -> Result<Option<FileType>> {
        let (parent, name) = split_parent(rel);
        let Some(dir) = self.open_dir(parent)? else {
            return Ok(None);
        };
        if name.is_empty() {
            return Ok(Some(FileType::Directory));
        }
        match rustix::fs::statat(&dir, name, AtFlags::SYMLINK_NOFOLLOW) {
            Ok(st) => match FileType::from_raw_mode(st.st_mode) {
                FileType::Symlink => Err(symlink_error(self.root.join(rel))),
                other => Ok(Some(other)),
            },
            Err(Errno::NOENT) => Ok(None),
            Err(e) => Err(io_error("cannot read", self.root.join(rel), e)),
        }
    }

    /// Reads every regular file under the store folder `rel`, recursively,
    /// into `out` (skipping `__pycache__`). A link or special file anywhere
    /// in it is refused; sizes and counts are capped.
    pub fn read_folder(&self, rel: &str, out: &mut Vec<HookFile>) -> Result<()> {
        let dir = self.open_dir(rel)?.ok_or_else(|| {
            Error::not_found(format!(
                "the hook folder {} is missing",
                self.root.join(rel).display()
            ))
        })?;
        let mut total = out.iter().map(|f| f.bytes.len() as u64).sum();
        self.walk(dir, rel, out, &mut total)
    }

    /// Reads the one store file `rel` (not following links, capped).
    pub fn read_file(&self, rel: &str) -> Result<HookFile> {
        let (parent, name) = split_parent(rel);
        let path = self.root.join(rel);
        let dir = self
            .open_dir(parent)?
            .ok_or_else(|| Error::not_found(format!("{} is missing", path.display())))?;
        let (executable, bytes) = read_file_at(&dir, name, path, MAX_FILE_LEN)?;
        Ok(HookFile {
            path: rel.to_string(),
            executable,
            sha256: crypto::sha256_hex(&bytes),
            bytes,
        })
    }

    fn walk(
        &self,
        dir: OwnedFd,
        rel: &str,
        out: &mut Vec<HookFile>,
        total: &mut u64,
    ) -> Result<()> {
        let at = self.root.join(rel);
        let mut names = Vec::new();
        let entries =
            rustix::fs::Dir::read_from(&dir).map_err(|e| io_error("cannot read", at.clone(), e))?;
        for entry in entries {
            let entry = entry.map_err(|e| io_error("cannot read", at.clone(), e))?;
            let name = entry.file_name().to_bytes();
            if name == b"." || name == b".." {
                continue;
            }
            let name = std::str::from_utf8(name)
                .map_err(|_| {
                    Error::integrity(
                        at.join(
                            <std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(name),
                        ),
                        "its name is not UTF-8",
                    )
                })?
                .to_string();
            names.push(name);
        }
        names.sort();
        for name in names {
            let child = join(rel, &name);
            let path = self.root.join(&child);
            let st = rustix::fs::statat(&dir, name.as_str(), AtFlags::SYMLINK_NOFOLLOW)
                .map_err(|e| io_error("cannot read", path.clone(), e))?;
            match FileType::from_raw_mode(st.st_mode) {
                FileType::Directory if SKIPPED_FOLDERS.contains(&name.as_str()) => {}
                FileType::Directory => {
                    let sub = rustix::fs::openat(
                        &dir,
                        name.as_str(),
                        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
                        Mode::empty(),
                    )
                    .map_err(|e| match e {
                        Errno::LOOP | Errno::NOTDIR => symlink_error(path.clone()),
                        e => io_error("cannot open", path.clone(), e),
                    })?;
                    self.walk(sub, &child, out, total)?;
                }
                FileType::RegularFile => {
                    if out.len() >= MAX_FILES {
                        return Err(too_big(&self.root, &format!("more than {MAX_FILES} files")));
                    }
                    let file = read_file_at(&dir, &name, path, MAX_FILE_LEN)?;
                    *total += file.1.len() as u64;
                    if *total > MAX_TOTAL_LEN {
                        return Err(too_big(
                            &self.root,
                            &format!("more than {} MiB", MAX_TOTAL_LEN >> 20),
                        ));
                    }
                    out.push(HookFile {
                        path: child,
                        executable: file.0,
                        sha256: crypto::sha256_hex(&file.1),
                        bytes: file.1,
                    });
                }
                FileType::Symlink => return Err(symlink_error(path)),
                _ => return Err(special_error(path)),
            }
        }
        Ok(())
    }
}

fn too_big(root: &Path, what: &str) -> Error {
    Error::invalid(format!(
        "the hook's folders in {} hold {what}, more than a hook should",
        root.display()
    ))
    .with_hint("keep hooks in a folder of their own, such as hooks/")
}

/// Opens `name` in `dir` without following a link, checks with `fstat`
/// that it is a regular file no larger than `cap`, and reads it. Returns
/// whether it is executable, and its bytes.
fn read_file_at(dir: &OwnedFd, name: &str, path: PathBuf, cap: u64) -> Result<(bool, Vec<u8>)> {
    let fd = rustix::fs::openat(
        dir,
        name,
        OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .map_err(|e| match e {
        Errno::LOOP => symlink_error(path.clone()),
        e => io_error("cannot open", path.clone(), e),
    })?;
    let st = rustix::fs::fstat(&fd).map_err(|e| io_error("cannot read", path.clone(), e))?;
    if FileType::from_raw_mode(st.st_mode) != FileType::RegularFile {
        return Err(special_error(path));
    }
    if st.st_size as u64 > cap {
        return Err(Error::invalid(format!(
            "{} is larger than the {} MiB a hook file may be",
            path.display(),
            cap >> 20
        )));
    }
    let mut bytes = Vec::with_capacity(st.st_size as usize);
    File::from(fd)
        .take(cap + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io("cannot read", &path, e))?;
    if bytes.len() as u64 > cap {
        return Err(Error::invalid(format!(
            "{} grew while sm read it",
            path.display()
        )));
    }
    Ok((st.st_mode & 0o111 != 0, bytes))
}

/// Splits `a/b/c` into `a/b` and `c` (and `c` into `` and `c`).
pub fn split_parent(rel: &str) -> (&str, &str) {
    match rel.rfind('/') {
        Some(i) => (&rel[..i], &rel[i + 1..]),
        None => ("", rel),
    }
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// Whether the store path `path` is `folder` or lies under it.
pub fn is_within(path: &str, folder: &str) -> bool {
    folder.is_empty()
        || path == folder
        || (path.len() > folder.len()
            && path.starts_with(folder)
            && path.as_bytes()[folder.len()] == b'/')
}

/// A relative path with `.` removed and `..` applied, `/`-separated;
/// `None` when it climbs above where it starts or is not UTF-8.
fn normalize(path: &Path) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for c in path.components() {
        match c {
            Component::Normal(p) => parts.push(p.to_str()?),
            Component::CurDir => {}
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(parts.join("/"))
}

/// An absolute path with `.` and `..` applied lexically.
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// What a `#!` line says: the interpreter and its one optional argument,
/// split as Linux splits them (the rest of the line is one argument).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shebang {
    /// The interpreter, as written.
    pub interpreter: String,
    /// The rest of the line, trimmed, if any.
    pub arg: Option<String>,
}

/// Reads the `#!` line of a file's first bytes, if it has one.
pub fn shebang(bytes: &[u8]) -> Option<Shebang> {
    let head = &bytes[..bytes.len().min(SHEBANG_LEN)];
    let line = head.strip_prefix(b"#!")?;
    let line = match line.iter().position(|&b| b == b'\n') {
        Some(end) => &line[..end],
        None => line,
    };
    let text = String::from_utf8_lossy(line);
    let text = text.trim_matches([' ', '\t', '\r']);
    if text.is_empty() {
        return None;
    }
    let (interpreter, rest) = match text.find([' ', '\t']) {
        Some(i) => (&text[..i], text[i..].trim_matches([' ', '\t'])),
        None => (text, ""),
    };
    Some(Shebang {
        interpreter: interpreter.to_string(),
        arg: (!rest.is_empty()).then(|| rest.to_string()),
    })
}

/// The program `env` would run for a `#!/usr/bin/env ARG` line: the first
/// word of ARG that is not an option or a `NAME=value` assignment.
pub fn env_program(arg: &str) -> Option<&str> {
    arg.split([' ', '\t'])
        .filter(|w| !w.is_empty())
        .find(|w| !w.starts_with('-') && !w.contains('='))
}

/// Whether the file at `path` is the `env` program (by name).
pub fn is_env(interpreter: &str) -> bool {
    Path::new(interpreter).file_name().and_then(|n| n.to_str()) == Some("env")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shebang_lines_split_like_the_kernel() {
        assert_eq!(shebang(b"\x7fELF"), None);
        assert_eq!(
            shebang(b"#!/bin/sh\necho"),
            Some(Shebang {
                interpreter: "/bin/sh".into(),
                arg: None
            })
        );
        assert_eq!(
            shebang(b"#! /usr/bin/env  python3 -u \nx"),
            Some(Shebang {
                interpreter: "/usr/bin/env".into(),
                arg: Some("python3 -u".into())
            })
        );
        assert_eq!(shebang(b"#!hooks/run\n").unwrap().interpreter, "hooks/run");
        assert_eq!(shebang(b"#!\n"), None);
        assert_eq!(env_program("-S python3 -u"), Some("python3"));
        assert_eq!(env_program("A=1 ./run"), Some("./run"));
        assert!(is_env("/usr/bin/env") && !is_env("/bin/sh"));
    }

    #[test]
    fn words_are_located_in_or_outside_the_store() {
        let dir = tempfile::tempdir().unwrap();
        let store = StoreDir::open(dir.path()).unwrap();
        let root = store.root().to_path_buf();
        assert_eq!(
            store.locate("hooks/run"),
            Location::Store("hooks/run".into())
        );
        assert_eq!(
            store.locate("./hooks/../hooks/run"),
            Location::Store("hooks/run".into())
        );
        assert_eq!(
            store.locate(root.join("hooks/x").to_str().unwrap()),
            Location::Store("hooks/x".into())
        );
        assert_eq!(
            store.locate("../tools/hook"),
            Location::Outside(root.parent().unwrap().join("tools/hook"))
        );
        assert_eq!(store.locate("/bin/sh"), Location::Outside("/bin/sh".into()));
        assert!(is_within("hooks/a/b", "hooks") && is_within("hooks", "hooks"));
        assert!(!is_within("hooksx/a", "hooks") && is_within("x", ""));
    }

    #[test]
    fn links_and_special_files_in_a_folder_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("hooks/lib")).unwrap();
        std::fs::write(dir.path().join("hooks/run"), "#!/bin/sh\n").unwrap();
        std::fs::write(dir.path().join("hooks/lib/a.py"), "x = 1\n").unwrap();
        std::fs::create_dir_all(dir.path().join("hooks/__pycache__")).unwrap();
        std::fs::write(dir.path().join("hooks/__pycache__/a.pyc"), "x").unwrap();
        let store = StoreDir::open(dir.path()).unwrap();
        let mut files = Vec::new();
        store.read_folder("hooks", &mut files).unwrap();
        let paths: Vec<_> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["hooks/lib/a.py", "hooks/run"]);

        std::os::unix::fs::symlink("/etc/passwd", dir.path().join("hooks/lib/b.py")).unwrap();
        let err = store.read_folder("hooks", &mut Vec::new()).unwrap_err();
        assert_eq!(err.exit_code(), 5);
        assert!(err.to_string().contains("hooks/lib/b.py"), "{err}");
        std::fs::remove_file(dir.path().join("hooks/lib/b.py")).unwrap();

        std::os::unix::fs::symlink(dir.path().join("hooks"), dir.path().join("linked")).unwrap();
        assert_eq!(store.kind("linked/run").unwrap_err().exit_code(), 5);
        assert_eq!(store.kind("linked").unwrap_err().exit_code(), 5);
        assert_eq!(
            store.kind("hooks/run").unwrap(),
            Some(FileType::RegularFile)
        );
        assert_eq!(store.kind("hooks/none").unwrap(), None);

        let fifo = dir.path().join("hooks/fifo");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: mkfifo only reads the NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let err = store.read_folder("hooks", &mut Vec::new()).unwrap_err();
        assert_eq!(err.exit_code(), 5);
        assert!(err.to_string().contains("hooks/fifo"), "{err}");
    }
}
