//! A rotation hook command resolved to exactly the files it runs, read once
//! and hashed into one digest (what `--trust-hook` records).
//!
//! - A hook that lives in the store (`hooks/rotate`, or `sh hooks/x.sh`)
//!   is trusted with its whole folder: every regular file under it,
//!   recursively (but `__pycache__`), path, execute bit and content. So a
//!   Python hook's sibling modules and a shell hook's sourced helpers are
//!   covered, and a file changed, added or removed there by a `git pull`
//!   needs trusting again. A hook at the top of the store is trusted alone
//!   (its folder would be the whole store) and runs alone in its copy, so
//!   a sibling it imports is not found rather than read from the store;
//!   a hook in the store's own folders (`.sm/`, `secrets/`) is refused.
//! - A `#!` interpreter inside the store (`#!hooks/run`, `#!./run`, or an
//!   absolute path into the store) is part of the hook, with its folder;
//!   an interpreter named by a relative path outside the store, or a
//!   `#!/usr/bin/env` line running a program by a relative path, is
//!   refused. An absolute interpreter outside the store is fine.
//! - A program outside the store (an absolute path, or found on PATH) and
//!   a file outside the store named as an argument are trusted file by
//!   file, by content.
//!
//! [`super::runner`] then runs these very bytes from a private copy.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use rustix::fs::FileType;
use sha2::{Digest, Sha256};

use crate::crypto;
use crate::error::{Error, Result};

use super::snapshot::{
    self, HookFile, Location, SHEBANG_LEN, StoreDir, env_program, is_env, shebang, split_parent,
};

/// How many `#!` interpreters inside the store may chain (Linux allows
/// about as many nested interpreters).
const MAX_INTERPRETERS: usize = 4;

/// The largest program or file outside the store a hook may name (it is
/// hashed whole, at trust and before each step).
pub const MAX_OUTSIDE_LEN: u64 = 512 << 20;

/// Top-level store folders a hook may not live in (they are the store's own).
const STORE_FOLDERS: [&str; 3] = [".sm", "secrets", ".git"];

/// A file outside the store the hook runs or reads, trusted by content.
#[derive(Clone, Debug)]
pub struct OutsideFile {
    /// The absolute path.
    pub path: PathBuf,
    /// The SHA-256 of the content, in hex.
    pub sha256: String,
    /// The first bytes (for its `#!` line).
    head: Vec<u8>,
}

/// One word of the command that finally runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Word {
    /// A store file (relative path): run from the private copy.
    Store(String),
    /// A program outside the store, run by its path.
    Outside(PathBuf),
    /// A plain argument.
    Arg(String),
}

/// A hook command with every file it runs read and hashed.
#[derive(Clone, Debug)]
pub struct Hook {
    /// The command as configured (e.g. `hooks/rotate --fast`).
    pub command: String,
    /// The program, as an absolute path (the trust file's key).
    pub program: PathBuf,
    /// The arguments after the program, as configured.
    pub args: Vec<String>,
    /// The digest over every hashed file (see [`Hook::resolve`]).
    pub sha256: String,
    /// The store folders trusted as a whole, relative to the store root.
    pub folders: Vec<String>,
    /// Every file of those folders, by path, as read.
    pub files: Vec<HookFile>,
    /// Files outside the store, trusted one by one.
    pub outside: Vec<OutsideFile>,
    /// The command that runs: interpreters inside the store first, then
    /// the program and its arguments.
    pub(crate) argv: Vec<Word>,
}

/// One hashed file as listed to the user and in the trust file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hashed {
    /// Store-relative for store files, absolute for others.
    pub path: String,
    /// The SHA-256 of the content.
    pub sha256: String,
    /// Whether it is executable (store files).
    pub executable: bool,
}

impl Hook {
    /// Resolves `command` against the store root (words with a `/`, as the
    /// hook's working directory is the store root) or PATH, reads every
    /// file it runs once and hashes them.
    pub fn resolve(command: &str, store_root: &Path) -> Result<Hook> {
        let words = shell_words::split(command).map_err(|_| {
            Error::invalid(format!(
                "the hook command `{command}` has unbalanced quotes"
            ))
        })?;
        let Some((first, args)) = words.split_first() else {
            return Err(Error::invalid("the hook command is empty"));
        };
        let dir = StoreDir::open(store_root)?;
        let mut r = Resolver {
            dir: &dir,
            command,
            folders: Vec::new(),
            files: BTreeMap::new(),
            outside: Vec::new(),
        };
        let location = if first.contains('/') {
            Some(dir.locate(first))
        } else {
            find_on_path(first).map(|p| match p.to_str() {
                Some(s) => dir.locate(s),
                None => Location::Outside(p),
            })
        };
        let not_found = || {
            Error::not_found(format!("hook program `{first}` not found"))
                .with_hint("name an executable in the store (e.g. hooks/rotate) or on PATH")
        };
        let program = match location.ok_or_else(not_found)? {
            Location::Store(rel) => {
                match dir.kind(&rel)? {
                    Some(FileType::RegularFile) => {}
                    Some(FileType::Directory) => {
                        return Err(Error::invalid(format!(
                            "the hook program `{first}` is a folder"
                        ))
                        .with_hint("name the executable file in it, e.g. hooks/rotate"));
                    }
                    Some(_) => {
                        return Err(snapshot_special(&dir, &rel));
                    }
                    None => return Err(not_found()),
                }
                r.include(&rel)?;
                Word::Store(rel)
            }
            Location::Outside(path) => {
                if !path.is_file() {
                    return Err(not_found());
                }
                r.outside_file(&path)?;
                Word::Outside(path)
            }
        };
        let mut argv = vec![program.clone()];
        for arg in args {
            let word = if arg.starts_with('-') {
                Word::Arg(arg.clone())
            } else {
                match dir.locate(arg) {
                    Location::Store(rel)
                        if !rel.is_empty() && dir.kind(&rel)? == Some(FileType::RegularFile) =>
                    {
                        r.include(&rel)?;
                        Word::Store(rel)
                    }
                    Location::Outside(path) if path.is_file() => {
                        r.outside_file(&path)?;
                        Word::Arg(arg.clone())
                    }
                    _ => Word::Arg(arg.clone()),
                }
            };
            argv.push(word);
        }
        let prefix = r.interpreters(&program, true)?;
        // Decided again from the bytes kept: a folder read later may have
        // re-read a file an earlier decision looked at.
        if r.interpreters(&program, false)? != prefix {
            return Err(Error::conflict(format!(
                "the files of the rotation hook `{command}` changed while sm read them"
            ))
            .with_hint("try again"));
        }
        let mut full = prefix;
        full.extend(argv);
        let program_path = match &program {
            Word::Store(rel) => dir.root().join(rel),
            Word::Outside(p) => p.clone(),
            Word::Arg(_) => unreachable!("the program is a file"),
        };
        let files: Vec<HookFile> = r.files.into_values().collect();
        let mut outside = r.outside;
        outside.sort_by(|a, b| a.path.cmp(&b.path));
        outside.dedup_by(|a, b| a.path == b.path);
        let sha256 = digest(&r.folders, &files, &outside);
        Ok(Hook {
            command: command.to_string(),
            program: program_path,
            args: args.to_vec(),
            sha256,
            folders: r.folders,
            files,
            outside,
            argv: full,
        })
    }

    /// Every file hashed: the store folders' files, then outside files.
    pub fn hashed(&self) -> Vec<Hashed> {
        let store = self.files.iter().map(|f| Hashed {
            path: f.path.clone(),
            sha256: f.sha256.clone(),
            executable: f.executable,
        });
        let outside = self.outside.iter().map(|f| Hashed {
            path: f.path.to_string_lossy().into_owned(),
            sha256: f.sha256.clone(),
            executable: true,
        });
        store.chain(outside).collect()
    }
}

fn snapshot_special(dir: &StoreDir, rel: &str) -> Error {
    Error::integrity(
        dir.root().join(rel),
        "it is not a regular file, so it cannot be a hook",
    )
}

/// The digest trusted: each store folder, each of its files (path,
/// execute bit, content hash) and each outside file (path, content hash),
/// in order.
fn digest(folders: &[String], files: &[HookFile], outside: &[OutsideFile]) -> String {
    let mut text = String::new();
    for f in folders {
        text.push_str(&format!("folder {f}\n"));
    }
    for f in files {
        let x = if f.executable { "x" } else { "-" };
        text.push_str(&format!("store {}\0{x}\0{}\n", f.path, f.sha256));
    }
    for f in outside {
        text.push_str(&format!("file {}\0{}\n", f.path.display(), f.sha256));
    }
    crypto::sha256_hex(text.as_bytes())
}

struct Resolver<'a> {
    dir: &'a StoreDir,
    command: &'a str,
    folders: Vec<String>,
    files: BTreeMap<String, HookFile>,
    outside: Vec<OutsideFile>,
}

impl Resolver<'_> {
    /// Makes the store file `rel` part of the hook: reads its whole folder
    /// unless a folder read already holds it. A file at the top of the
    /// store is trusted alone (its folder is the whole store).
    fn include(&mut self, rel: &str) -> Result<()> {
        let (folder, _) = split_parent(rel);
        let top = folder.split('/').next().unwrap_or("");
        if STORE_FOLDERS.contains(&top) {
            return Err(Error::invalid(format!(
                "the hook file `{rel}` of `{}` is in the store's own folder {top}/",
                self.command
            ))
            .with_hint("move the hook into a folder of its own, such as hooks/"));
        }
        if folder.is_empty() {
            if !self.files.contains_key(rel) {
                let file = self.dir.read_file(rel)?;
                self.files.insert(rel.to_string(), file);
            }
            return Ok(());
        }
        if !self.folders.iter().any(|f| snapshot::is_within(folder, f)) {
            let mut read = Vec::new();
            self.dir.read_folder(folder, &mut read)?;
            self.folders.retain(|f| !snapshot::is_within(f, folder));
            self.folders.push(folder.to_string());
            self.folders.sort();
            self.files.retain(|p, _| !snapshot::is_within(p, folder));
            for f in read {
                self.files.insert(f.path.clone(), f);
            }
            if self.files.len() > snapshot::MAX_FILES {
                return Err(Error::invalid(format!(
                    "the hook `{}` spans more than {} files",
                    self.command,
                    snapshot::MAX_FILES
                )));
            }
        }
        if !self.files.contains_key(rel) {
            return Err(Error::invalid(format!(
                "the hook file `{rel}` of `{}` cannot be trusted where it is",
                self.command
            ))
            .with_hint("move the hook into a folder of its own, such as hooks/"));
        }
        Ok(())
    }

    /// Hashes a file outside the store, following links as any program
    /// would (the store's rules do not reach outside it).
    fn outside_file(&mut self, path: &Path) -> Result<()> {
        let (sha256, head) = hash_outside(path)?;
        self.outside.push(OutsideFile {
            path: path.to_path_buf(),
            sha256,
            head,
        });
        Ok(())
    }

    fn head(&self, word: &Word) -> Vec<u8> {
        let bytes: &[u8] = match word {
            Word::Store(rel) => self.files.get(rel).map_or(&[], |f| &f.bytes),
            Word::Outside(p) => self
                .outside
                .iter()
                .find(|f| &f.path == p)
                .map_or(&[], |f| &f.head),
            Word::Arg(_) => &[],
        };
        bytes[..bytes.len().min(SHEBANG_LEN)].to_vec()
    }

    /// Follows `#!` lines from `program` as the kernel would, with the
    /// store root as the working directory. Returns the words to run
    /// before the program: each interpreter inside the store (run from the
    /// copy, so the kernel never opens the live one) and its argument.
    /// With `read`, reads the folders of interpreters found; without, only
    /// looks at what was read.
    fn interpreters(&mut self, program: &Word, read: bool) -> Result<Vec<Word>> {
        let command = self.command;
        let refuse = |why: String| {
            Error::no_access(format!(
                "the rotation hook `{command}` {why}, so sm will not run it"
            ))
            .with_hint(
                "name the interpreter by an absolute path outside the store (#!/bin/sh, #!/usr/bin/env python3) or keep it in the hook's folder",
            )
        };
        let mut prefix: Vec<Word> = Vec::new();
        let mut current = program.clone();
        for depth in 0..=MAX_INTERPRETERS {
            let Some(line) = shebang(&self.head(&current)) else {
                break;
            };
            let interpreter = line.interpreter.as_str();
            let rel = match self.dir.locate(interpreter) {
                Location::Outside(_) if Path::new(interpreter).is_absolute() => {
                    if is_env(interpreter)
                        && let Some(run) = line.arg.as_deref().and_then(env_program)
                        && run.contains('/')
                        && (!Path::new(run).is_absolute()
                            || matches!(self.dir.locate(run), Location::Store(_)))
                    {
                        return Err(refuse(format!(
                            "runs `{run}` through env by a path into the store"
                        )));
                    }
                    break;
                }
                Location::Outside(_) => {
                    return Err(refuse(format!(
                        "names its interpreter `{interpreter}` by a relative path outside the store"
                    )));
                }
                Location::Store(rel) => rel,
            };
            if depth == MAX_INTERPRETERS {
                return Err(refuse(
                    "chains too many interpreters inside the store".into(),
                ));
            }
            if read {
                match self.dir.kind(&rel)? {
                    Some(FileType::RegularFile) => self.include(&rel)?,
                    Some(_) => return Err(snapshot_special(self.dir, &rel)),
                    None => {
                        return Err(Error::not_found(format!(
                            "the interpreter `{interpreter}` of the rotation hook `{command}` is not in the store"
                        )));
                    }
                }
            } else if !self.files.contains_key(&rel) {
                return Ok(vec![Word::Arg(String::new())]);
            }
            let mut words = vec![Word::Store(rel.clone())];
            words.extend(line.arg.clone().map(Word::Arg));
            prefix.splice(0..0, words);
            current = Word::Store(rel);
        }
        Ok(prefix)
    }
}

/// Finds `word` in the absolute entries of PATH (a relative entry would be
/// resolved in the store, the hook's working directory).
fn find_on_path(word: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .filter(|dir| dir.is_absolute())
        .map(|dir| dir.join(word))
        .find(|p| p.is_file())
}

/// Hashes a file outside the store as a stream; returns the hex digest and
/// the first bytes.
pub fn hash_outside(path: &Path) -> Result<(String, Vec<u8>)> {
    let mut file = std::fs::File::open(path).map_err(|e| Error::io("cannot read", path, e))?;
    let mut hasher = Sha256::new();
    let mut head = Vec::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut total = 0u64;
    loop {
        let n = match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Error::io("cannot read", path, e)),
        };
        total += n as u64;
        if total > MAX_OUTSIDE_LEN {
            return Err(Error::invalid(format!(
                "{} is larger than the {} MiB a hook file may be",
                path.display(),
                MAX_OUTSIDE_LEN >> 20
            )));
        }
        if head.len() < SHEBANG_LEN {
            let take = (SHEBANG_LEN - head.len()).min(n);
            head.extend_from_slice(&buf[..take]);
        }
        hasher.update(&buf[..n]);
    }
    Ok((hex::encode(hasher.finalize()), head))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn write(root: &Path, rel: &str, text: &str, exec: bool) {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        let mode = if exec { 0o755 } else { 0o644 };
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    }

    #[test]
    fn a_store_hook_covers_its_folder_and_its_store_interpreter() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "hooks/pg/rotate", "#!hooks/run -x\n", true);
        write(root, "hooks/pg/lib.py", "x = 1\n", false);
        write(root, "hooks/run", "#!/bin/sh\nexec /bin/sh \"$@\"\n", true);
        write(root, "tools/other", "unrelated\n", false);
        let hook = Hook::resolve("hooks/pg/rotate --fast", root).unwrap();
        assert_eq!(hook.folders, ["hooks"]);
        let paths: Vec<_> = hook.files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["hooks/pg/lib.py", "hooks/pg/rotate", "hooks/run"]);
        assert_eq!(
            hook.argv,
            [
                Word::Store("hooks/run".into()),
                Word::Arg("-x".into()),
                Word::Store("hooks/pg/rotate".into()),
                Word::Arg("--fast".into()),
            ]
        );
        // Any change in the folder changes the digest; elsewhere it does not.
        let before = hook.sha256.clone();
        write(root, "tools/other", "changed\n", false);
        assert_eq!(
            Hook::resolve("hooks/pg/rotate --fast", root)
                .unwrap()
                .sha256,
            before
        );
        write(root, "hooks/pg/new.py", "", false);
        let added = Hook::resolve("hooks/pg/rotate --fast", root)
            .unwrap()
            .sha256;
        assert_ne!(added, before);
        std::fs::set_permissions(
            root.join("hooks/pg/new.py"),
            std::fs::Permissions::from_mode(0o755),
        )
        .unwrap();
        assert_ne!(
            Hook::resolve("hooks/pg/rotate --fast", root)
                .unwrap()
                .sha256,
            added
        );
    }

    #[test]
    fn interpreters_by_relative_paths_outside_or_at_the_top_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "hooks/a", "#!../outside\n", true);
        assert_eq!(Hook::resolve("hooks/a", root).unwrap_err().exit_code(), 4);
        write(root, "hooks/b", "#!/usr/bin/env ./run\n", true);
        assert_eq!(Hook::resolve("hooks/b", root).unwrap_err().exit_code(), 4);
        write(root, "hooks/c", "#!/usr/bin/env -S python3 -u\n", true);
        assert!(Hook::resolve("hooks/c", root).is_ok());
        write(root, "top", "#!/bin/sh\n", true);
        let top = Hook::resolve("./top", root).unwrap();
        assert!(top.folders.is_empty());
        assert_eq!(top.files.len(), 1, "a hook at the top is trusted alone");
        write(root, "secrets/x", "#!/bin/sh\n", true);
        assert_eq!(Hook::resolve("secrets/x", root).unwrap_err().exit_code(), 2);
        write(root, "hooks/loop", "#!hooks/loop\n", true);
        assert_eq!(
            Hook::resolve("hooks/loop", root).unwrap_err().exit_code(),
            4
        );
        // An argument naming a store file takes its folder along.
        write(root, "scripts/x.sh", "exit 0\n", false);
        let hook = Hook::resolve("sh scripts/x.sh", root).unwrap();
        assert_eq!(hook.folders, ["scripts"]);
        assert_eq!(hook.outside.len(), 1, "sh itself is trusted by content");
    }
}
