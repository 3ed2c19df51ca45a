//! Finding the store above the current folder, and telling whether a store
//! found that way is safe to use: another local user must not be able to
//! plant a `.sm/` in a shared parent folder and receive what the user writes
//! (git's `safe.directory`, CVE-2022-24765).
//!
//! The rules (README, threat model):
//!
//! - discovery looks at the current folder and each parent, and stops before
//!   a folder named in `SM_CEILING_DIRECTORIES` (as git does with
//!   `GIT_CEILING_DIRECTORIES`: the ceiling itself is never searched, and a
//!   ceiling equal to the current folder is ignored);
//! - a store found that way is used only when its root folder, its `.sm/`
//!   and `.sm/store.toml` belong to the current user (checked both on the
//!   entry itself and on what a link points to), and when every folder above
//!   it that all users may write to is sticky and belongs to the user or
//!   root (else another user could move a folder of their own into its
//!   place);
//! - anything else needs the user's word: `safe_stores` in the user config,
//!   `--store` or `SM_STORE`.

use std::ffi::OsStr;
use std::fmt;
use std::path::{Path, PathBuf};

use super::SM_DIR;

/// The environment variable listing folders that discovery never enters.
pub const CEILING_ENV: &str = "SM_CEILING_DIRECTORIES";

/// Parses a `SM_CEILING_DIRECTORIES` value: folders separated by `:`
/// (`;` on Windows). Empty and relative entries are ignored, as git does;
/// an entry that exists is compared by its real path (links resolved).
pub fn parse_ceilings(value: &OsStr) -> Vec<PathBuf> {
    std::env::split_paths(value)
        .filter(|p| p.is_absolute())
        .map(|p| std::fs::canonicalize(&p).unwrap_or(p))
        .collect()
}

/// Returns the ceilings of `SM_CEILING_DIRECTORIES` in the environment.
pub fn ceilings_from_env() -> Vec<PathBuf> {
    std::env::var_os(CEILING_ENV)
        .map(|v| parse_ceilings(&v))
        .unwrap_or_default()
}

/// Returns the nearest folder at or above `start` that holds
/// `.sm/store.toml`, never looking at a ceiling above `start` nor at
/// anything above that ceiling.
pub fn find(start: &Path, ceilings: &[PathBuf]) -> Option<PathBuf> {
    for dir in start.ancestors() {
        if dir != start && ceilings.iter().any(|c| c == dir) {
            return None;
        }
        if super::is_store(dir) {
            return Some(dir.to_path_buf());
        }
    }
    None
}

/// Why a store found by discovery is not used without the user's word.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unsafe {
    /// The store's root folder, `.sm/` or `.sm/store.toml` (or what a link
    /// there points to) belongs to another user.
    NotOwned {
        /// The entry.
        path: PathBuf,
        /// Its owner's user id.
        owner: u32,
    },
    /// A folder above the store can be written by every user, and is not
    /// sticky or belongs to another user: they can put a folder of their own
    /// in place of the one holding the store.
    SharedParent {
        /// The folder.
        path: PathBuf,
        /// Its owner's user id.
        owner: u32,
        /// Whether it has the sticky bit (then only its owner is the risk).
        sticky: bool,
    },
}

impl Unsafe {
    /// Returns the entry at fault.
    pub fn path(&self) -> &Path {
        match self {
            Unsafe::NotOwned { path, .. } | Unsafe::SharedParent { path, .. } => path,
        }
    }
}

impl fmt::Display for Unsafe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unsafe::NotOwned { path, owner } => write!(
                f,
                "{} belongs to {}, not to you",
                path.display(),
                user_label(*owner)
            ),
            Unsafe::SharedParent {
                path,
                sticky: false,
                ..
            } => write!(
                f,
                "it sits under {}, which every user may write to and which lacks the sticky bit",
                path.display()
            ),
            Unsafe::SharedParent {
                path,
                owner,
                sticky: true,
            } => write!(
                f,
                "it sits under {}, which every user may write to and which belongs to {}",
                path.display(),
                user_label(*owner)
            ),
        }
    }
}

/// Returns the effective user id of this process.
#[cfg(unix)]
pub fn current_uid() -> u32 {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() }
}

/// Returns "user NAME (uid N)", or "uid N" when the name is unknown.
#[cfg(unix)]
fn user_label(uid: u32) -> String {
    match user_name(uid) {
        Some(name) => format!("user {name} (uid {uid})"),
        None => format!("uid {uid}"),
    }
}

#[cfg(not(unix))]
fn user_label(uid: u32) -> String {
    format!("uid {uid}")
}

/// Looks up the login name of `uid` (through NSS, as `ls -l` does).
#[cfg(unix)]
fn user_name(uid: u32) -> Option<String> {
    let mut buf = vec![0 as libc::c_char; 4096];
    // SAFETY: passwd is plain data; an all-zero value is valid and is
    // filled by getpwuid_r.
    let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
    let mut found: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: every pointer is valid for the given length for the whole call;
    // on success `found` points at `pwd`, whose strings live in `buf`.
    let rc = unsafe { libc::getpwuid_r(uid, &mut pwd, buf.as_mut_ptr(), buf.len(), &mut found) };
    if rc != 0 || found.is_null() || pwd.pw_name.is_null() {
        return None;
    }
    // SAFETY: pw_name is a NUL-terminated string inside `buf`, still alive.
    let name = unsafe { std::ffi::CStr::from_ptr(pwd.pw_name) };
    name.to_str().ok().map(str::to_string)
}

/// Tells whether the store at `root` (found by discovery) is safe for the
/// user `uid`: `Ok(None)` when it is, else the first reason it is not.
#[cfg(unix)]
pub fn check(root: &Path, uid: u32) -> std::io::Result<Option<Unsafe>> {
    use std::os::unix::fs::MetadataExt;

    let sm_dir = root.join(SM_DIR);
    let store_toml = sm_dir.join("store.toml");
    for path in [root, sm_dir.as_path(), store_toml.as_path()] {
        // The entry itself, then what a link points to: a link the user
        // made to another user's folder is no more theirs than the folder.
        for meta in [std::fs::symlink_metadata(path)?, std::fs::metadata(path)?] {
            if meta.uid() != uid {
                return Ok(Some(Unsafe::NotOwned {
                    path: path.to_path_buf(),
                    owner: meta.uid(),
                }));
            }
        }
    }
    for dir in root.ancestors().skip(1) {
        let meta = std::fs::symlink_metadata(dir)?;
        let mode = meta.mode();
        let world_writable = mode & 0o002 != 0;
        let sticky = mode & 0o1000 != 0;
        let trusted_owner = meta.uid() == uid || meta.uid() == 0;
        if world_writable && !(sticky && trusted_owner) {
            return Ok(Some(Unsafe::SharedParent {
                path: dir.to_path_buf(),
                owner: meta.uid(),
                sticky,
            }));
        }
    }
    Ok(None)
}

/// Without Unix ownership, every discovered store counts as safe (git on
/// Windows compares owner SIDs; sm does not yet).
#[cfg(not(unix))]
pub fn check(_root: &Path, _uid: u32) -> std::io::Result<Option<Unsafe>> {
    Ok(None)
}

/// The user id on systems without one.
#[cfg(not(unix))]
pub fn current_uid() -> u32 {
    0
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn plant(dir: &Path) {
        std::fs::create_dir_all(dir.join(SM_DIR)).unwrap();
        std::fs::write(dir.join(SM_DIR).join("store.toml"), "id = 'x'\n").unwrap();
    }

    fn set_mode(path: &Path, mode: u32) {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    }

    #[test]
    fn find_takes_the_nearest_store_at_or_above_the_start() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().canonicalize().unwrap();
        plant(&root.join("outer"));
        plant(&root.join("outer/inner"));
        let deep = root.join("outer/inner/a/b");
        std::fs::create_dir_all(&deep).unwrap();
        assert_eq!(find(&deep, &[]), Some(root.join("outer/inner")));
        assert_eq!(
            find(&root.join("outer/inner"), &[]),
            Some(root.join("outer/inner"))
        );
        std::fs::create_dir_all(root.join("outer/x")).unwrap();
        assert_eq!(find(&root.join("outer/x"), &[]), Some(root.join("outer")));
    }

    #[test]
    fn a_ceiling_is_never_searched_nor_passed() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().canonicalize().unwrap();
        plant(&root.join("top"));
        let deep = root.join("top/mid/low");
        std::fs::create_dir_all(&deep).unwrap();
        // The ceiling holds the store: not searched.
        assert_eq!(find(&deep, &[root.join("top")]), None);
        // A ceiling below the store stops the search before it.
        assert_eq!(find(&deep, &[root.join("top/mid")]), None);
        // A ceiling equal to the start is ignored (git's rule).
        assert_eq!(
            find(&deep, std::slice::from_ref(&deep)),
            Some(root.join("top"))
        );
        // A ceiling above the store does not matter.
        assert_eq!(
            find(&deep, std::slice::from_ref(&root)),
            Some(root.join("top"))
        );
        // Starting in the store itself finds it even when it is a ceiling.
        assert_eq!(
            find(&root.join("top"), &[root.join("top")]),
            Some(root.join("top"))
        );
    }

    #[test]
    fn ceilings_are_parsed_like_git() {
        let tmp = tempfile::tempdir().unwrap();
        let real = tmp.path().canonicalize().unwrap().join("real");
        std::fs::create_dir(&real).unwrap();
        let link = tmp.path().join("link");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let value = format!("relative/x::{}:/no/such/dir/", link.display());
        assert_eq!(
            parse_ceilings(OsStr::new(&value)),
            vec![real, PathBuf::from("/no/such/dir")]
        );
    }

    #[test]
    fn a_store_of_the_user_under_private_folders_is_safe() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().canonicalize().unwrap().join("s");
        plant(&root);
        assert_eq!(check(&root, current_uid()).unwrap(), None);
    }

    #[test]
    fn a_store_of_another_user_is_not() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().canonicalize().unwrap().join("s");
        plant(&root);
        let other = current_uid().wrapping_add(4242);
        assert_eq!(
            check(&root, other).unwrap(),
            Some(Unsafe::NotOwned {
                path: root.clone(),
                owner: current_uid()
            })
        );
    }

    #[test]
    fn a_linked_sm_folder_counts_by_its_target_too() {
        let tmp = tempfile::tempdir().unwrap();
        let base = tmp.path().canonicalize().unwrap();
        plant(&base.join("elsewhere"));
        let root = base.join("s");
        std::fs::create_dir(&root).unwrap();
        std::os::unix::fs::symlink(base.join("elsewhere/.sm"), root.join(SM_DIR)).unwrap();
        // Same owner everywhere here: safe; the point is that both are read.
        assert_eq!(check(&root, current_uid()).unwrap(), None);
        assert!(find(&root, &[]).is_some());
    }

    #[test]
    fn a_world_writable_parent_needs_the_sticky_bit() {
        let tmp = tempfile::tempdir().unwrap();
        let shared = tmp.path().canonicalize().unwrap().join("shared");
        std::fs::create_dir(&shared).unwrap();
        let root = shared.join("s");
        plant(&root);
        set_mode(&shared, 0o777);
        let found = check(&root, current_uid()).unwrap();
        assert_eq!(
            found,
            Some(Unsafe::SharedParent {
                path: shared.clone(),
                owner: current_uid(),
                sticky: false,
            })
        );
        set_mode(&shared, 0o1777);
        assert_eq!(check(&root, current_uid()).unwrap(), None);
        set_mode(&shared, 0o755);
        assert_eq!(check(&root, current_uid()).unwrap(), None);
    }
}
