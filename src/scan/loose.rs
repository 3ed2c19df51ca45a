//! Reading staged blobs straight from git's loose objects, without a git
//! process: `git add` writes each staged blob as a loose object
//! (`.git/objects/<2 hex>/<rest>`, zlib of `blob <size>\0<bytes>`), and a
//! pre-commit scan that starts no `git cat-file` saves its start-up on
//! every commit.
//!
//! Only the plain case is read here, and every answer is one git would
//! give: the repository's `.git` is a folder (not a worktree's or
//! submodule's `.git` file), no variable moves the objects
//! (`GIT_DIR`, `GIT_OBJECT_DIRECTORY`, ...), the object is a regular file
//! (not a link), it inflates to a blob of the size its header says, and
//! its bytes hash to its id (SHA-1, or SHA-256 for a 64-digit id). Anything
//! else (a packed object, a large one, an odd file) is left to
//! `git cat-file`.

use std::io::Read;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use sha2::Digest as _;

/// The variables that move the object store: with one set, only git can
/// say where an object is.
const OBJECT_VARIABLES: &[&str] = &[
    "GIT_DIR",
    "GIT_COMMON_DIR",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
];

/// A repository's loose objects.
pub struct Loose {
    objects: PathBuf,
}

/// What reading one blob gave: its bytes, or its size when it is larger
/// than the scan reads (as [`super::git::BlobReader::read`] gives).
pub type Blob = std::result::Result<Vec<u8>, u64>;

impl Loose {
    /// The loose objects of the work tree at `root`, when git keeps them in
    /// its `.git` folder and nothing moves them.
    pub fn of(root: &Path) -> Option<Loose> {
        if OBJECT_VARIABLES
            .iter()
            .any(|v| std::env::var_os(v).is_some())
        {
            return None;
        }
        let git = root.join(".git");
        let meta = std::fs::symlink_metadata(&git).ok()?;
        meta.is_dir().then(|| Loose {
            objects: git.join("objects"),
        })
    }

    /// Reads the blob `id` if it is a loose object this module vouches
    /// for (see the module documentation); `None` leaves it to git.
    pub fn read(&self, id: &str, max_size: u64) -> Option<Blob> {
        let hex = |s: &str| s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        if !(id.len() == 40 || id.len() == 64) || !hex(id) {
            return None;
        }
        let path = self.objects.join(&id[..2]).join(&id[2..]);
        let file = std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
            .open(path)
            .ok()?;
        let meta = file.metadata().ok()?;
        // Compressed, a blob the scan reads is hardly larger than it.
        let cap = max_size.saturating_add(max_size / 64).saturating_add(4096);
        if !meta.is_file() || meta.len() > cap {
            return None;
        }
        let mut packed = Vec::with_capacity(meta.len() as usize);
        file.take(cap + 1).read_to_end(&mut packed).ok()?;
        let limit = usize::try_from(max_size).ok()?.saturating_add(64);
        let raw = miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(&packed, limit).ok()?;
        if !hashes_to(&raw, id) {
            return None;
        }
        let nul = raw.iter().position(|b| *b == 0)?;
        let header = std::str::from_utf8(&raw[..nul]).ok()?;
        let size: u64 = header.strip_prefix("blob ")?.parse().ok()?;
        let body = &raw[nul + 1..];
        if body.len() as u64 != size {
            return None;
        }
        Some(if size > max_size {
            Err(size)
        } else {
            Ok(body.to_vec())
        })
    }
}

/// Whether the object's bytes (header included) hash to `id`.
fn hashes_to(raw: &[u8], id: &str) -> bool {
    let digest = match id.len() {
        40 => hex::encode(sha1::Sha1::digest(raw)),
        _ => hex::encode(sha2::Sha256::digest(raw)),
    };
    digest == id
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Command;

    fn git(dir: &Path, args: &[&str], input: Option<&[u8]>) -> String {
        use std::io::Write;
        let mut child = Command::new("git")
            .args(args)
            .current_dir(dir)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", dir)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("git runs");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.unwrap_or_default())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "git {args:?}");
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    }

    fn repo() -> Option<(tempfile::TempDir, Loose)> {
        if Command::new("git").arg("--version").output().is_err() {
            eprintln!("SKIPPED: git is not installed");
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        git(dir.path(), &["init", "-q"], None);
        let loose = Loose::of(dir.path())?;
        Some((dir, loose))
    }

    #[test]
    fn reads_a_loose_blob_as_git_does_and_leaves_the_rest_to_git() {
        let Some((dir, loose)) = repo() else { return };
        let data = b"token = \"abc\"\n\0binary too\n".repeat(50);
        let id = git(dir.path(), &["hash-object", "-w", "--stdin"], Some(&data));
        assert_eq!(loose.read(&id, 1 << 20), Some(Ok(data.clone())));
        // Larger than the scan reads: its size, as cat-file gives it.
        assert_eq!(loose.read(&id, 10), None, "past the cap: git's to say");
        let small = git(
            dir.path(),
            &["hash-object", "-w", "--stdin"],
            Some(b"0123456789ab"),
        );
        assert_eq!(loose.read(&small, 4), Some(Err(12)));
        // Not a loose object, or not an id.
        assert_eq!(loose.read(&"0".repeat(40), 1 << 20), None);
        assert_eq!(loose.read("../../etc/passwd", 1 << 20), None);
        // A tree is not a blob.
        let tree = git(dir.path(), &["write-tree"], None);
        assert_eq!(loose.read(&tree, 1 << 20), None);
    }

    #[test]
    fn an_object_whose_bytes_are_not_its_id_or_a_link_is_left_to_git() {
        let Some((dir, loose)) = repo() else { return };
        let real = git(
            dir.path(),
            &["hash-object", "-w", "--stdin"],
            Some(b"the real content"),
        );
        let other = git(
            dir.path(),
            &["hash-object", "-w", "--stdin"],
            Some(b"something else!!"),
        );
        let path = |id: &str| {
            dir.path()
                .join(".git/objects")
                .join(&id[..2])
                .join(&id[2..])
        };
        // The other object's file put in the real one's place.
        std::fs::remove_file(path(&real)).unwrap();
        std::fs::copy(path(&other), path(&real)).unwrap();
        assert_eq!(loose.read(&real, 1 << 20), None);
        // A link to a good object is not followed.
        std::fs::remove_file(path(&real)).unwrap();
        std::os::unix::fs::symlink(path(&other), path(&real)).unwrap();
        assert_eq!(loose.read(&real, 1 << 20), None);
        assert!(loose.read(&other, 1 << 20).is_some());
    }
}
