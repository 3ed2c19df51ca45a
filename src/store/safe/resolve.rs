//! Resolving a path beneath the root without a link: the `openat` walk
//! that stands in for `openat2`, and finding the component at fault.

use std::ffi::OsStr;
use std::os::fd::OwnedFd;
use std::path::{Component, Path, PathBuf};

use rustix::fs::{AtFlags, Mode, OFlags};

use super::Kind;
use crate::error::{Error, Result};

pub(super) fn outside(path: &Path) -> Error {
    Error::integrity(path, "the path leads outside the store")
}

pub(super) fn normal_components(rel: &Path) -> impl Iterator<Item = &OsStr> {
    rel.components().filter_map(|c| match c {
        Component::Normal(n) => Some(n),
        _ => None,
    })
}

/// Splits `rel` into its parent and last name (`path` names errors).
pub(super) fn split<'a>(rel: &'a Path, path: &Path) -> Result<(&'a Path, &'a OsStr)> {
    let name = rel.file_name().ok_or_else(|| outside(path))?;
    Ok((rel.parent().unwrap_or(Path::new("")), name))
}

/// The fallback of `openat2`: one `openat(O_NOFOLLOW | O_DIRECTORY)` per
/// folder, then the last component with the caller's flags (which include
/// `O_NOFOLLOW`).
pub(super) fn walk_open(
    root: std::os::fd::BorrowedFd<'_>,
    rel: &Path,
    flags: OFlags,
    mode: Mode,
) -> rustix::io::Result<OwnedFd> {
    let names: Vec<&OsStr> = normal_components(rel).collect();
    let Some((last, folders)) = names.split_last() else {
        return rustix::fs::openat(root, c".", flags, mode);
    };
    let dir_flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    let mut dir: Option<OwnedFd> = None;
    for name in folders {
        let next = match &dir {
            Some(d) => rustix::fs::openat(d, *name, dir_flags, Mode::empty())?,
            None => rustix::fs::openat(root, *name, dir_flags, Mode::empty())?,
        };
        dir = Some(next);
    }
    match &dir {
        Some(d) => rustix::fs::openat(d, *last, flags, mode),
        None => rustix::fs::openat(root, *last, flags, mode),
    }
}

/// Finds the first component of `rel` that is a link or special file, or
/// a file where a folder is needed (and, for the last one with `want_dir`,
/// anything but a folder). Returns it, its kind and whether it is the last.
pub(super) fn first_bad_component(
    root: std::os::fd::BorrowedFd<'_>,
    rel: &Path,
    want_dir: bool,
) -> Option<(PathBuf, Kind, bool)> {
    let names: Vec<&OsStr> = normal_components(rel).collect();
    let mut dir: Option<OwnedFd> = None;
    let mut done = PathBuf::new();
    for (i, name) in names.iter().enumerate() {
        done.push(name);
        let last = i + 1 == names.len();
        let stat = match &dir {
            Some(d) => rustix::fs::statat(d, *name, AtFlags::SYMLINK_NOFOLLOW),
            None => rustix::fs::statat(root, *name, AtFlags::SYMLINK_NOFOLLOW),
        }
        .ok()?;
        let kind = Kind::of_stat(&stat);
        if kind.is_special() || (kind == Kind::File && (!last || want_dir)) {
            return Some((done, kind, last));
        }
        if last {
            return (kind == Kind::Dir && !want_dir).then_some((done, kind, last));
        }
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        dir = Some(
            match &dir {
                Some(d) => rustix::fs::openat(d, *name, flags, Mode::empty()),
                None => rustix::fs::openat(root, *name, flags, Mode::empty()),
            }
            .ok()?,
        );
    }
    None
}
