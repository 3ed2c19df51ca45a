//! Walking files and folders for `sm scan PATH...`: in parallel, respecting
//! `.gitignore` and `.smignore`, and reading only regular files, each opened
//! without following a link, checked after opening and read with a cap. A
//! scanned tree may be a clone someone else prepared: a link (to
//! `/dev/zero`, to the user's files), a named pipe or a device is never
//! read; inside a store it is a finding, elsewhere it is skipped with a note.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use ignore::WalkState;

use super::store_file::{Special, special_finding, store_file_kind};
use super::{Collector, Limits, Outcome, SMIGNORE, Scanner, Skipped, is_binary, scan_capped};
use crate::error::Result;

/// Why a file was not read.
#[derive(Debug)]
pub(crate) enum Unread {
    /// A link or special file, found when opening or after opening it.
    Special(Special),
    /// Larger than the cap (its size, or `None` when it grew while read).
    TooLarge(Option<u64>),
    /// The open or read failed.
    Failed(std::io::Error),
}

impl Unread {
    /// Says why, in words (`max` is the cap that applied).
    pub(crate) fn describe(&self, max: u64) -> String {
        match self {
            Unread::Special(s) => s.skip_reason(),
            Unread::TooLarge(Some(size)) => format!("larger than {max} bytes ({size})"),
            Unread::TooLarge(None) => format!("larger than {max} bytes (it grew while read)"),
            Unread::Failed(e) => format!("cannot read: {e}"),
        }
    }
}

/// Opens `path` without following a final symbolic link and without
/// blocking on a named pipe (`O_NOFOLLOW | O_NONBLOCK`), checks what was
/// opened (`fstat`: a regular file of at most `max` bytes), then reads at
/// most `max + 1` bytes, so that a file that grows meanwhile, or a device
/// that never ends, costs at most the cap.
pub(crate) fn read_regular(path: &Path, max: u64) -> std::result::Result<Vec<u8>, Unread> {
    let file = open_no_follow(path)?;
    let meta = file.metadata().map_err(Unread::Failed)?;
    if let Some(special) = Special::of(meta.file_type()) {
        return Err(Unread::Special(special));
    }
    if meta.is_dir() {
        return Err(Unread::Special(Special::Other));
    }
    if meta.len() > max {
        return Err(Unread::TooLarge(Some(meta.len())));
    }
    let mut data = Vec::with_capacity(meta.len() as usize);
    file.take(max.saturating_add(1))
        .read_to_end(&mut data)
        .map_err(Unread::Failed)?;
    if data.len() as u64 > max {
        return Err(Unread::TooLarge(None));
    }
    Ok(data)
}

#[cfg(unix)]
fn open_no_follow(path: &Path) -> std::result::Result<File, Unread> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
        .map_err(|e| {
            if e.raw_os_error() == Some(libc::ELOOP) {
                Unread::Special(Special::Link)
            } else {
                Unread::Failed(e)
            }
        })
}

#[cfg(not(unix))]
fn open_no_follow(path: &Path) -> std::result::Result<File, Unread> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => Err(Unread::Special(Special::Link)),
        _ => File::open(path).map_err(Unread::Failed),
    }
}

/// The ignore files the walker reads in every folder it enters (and in the
/// folders above a root). The `ignore` crate opens them following links and
/// reads them whole, so a folder whose ignore file leads to something other
/// than a regular file of sane size is not entered: a committed
/// `.gitignore -> /dev/zero` would otherwise be read until memory ran out,
/// and a named pipe would block the scan.
const IGNORE_FILES: &[&str] = &[".gitignore", ".ignore", SMIGNORE];

/// The largest ignore file the walker lets the `ignore` crate read.
pub const MAX_IGNORE_FILE_SIZE: u64 = 1024 * 1024;

/// Returns the first ignore file in `dir` that leads to something other
/// than a regular file of at most [`MAX_IGNORE_FILE_SIZE`] bytes (or
/// `/dev/null`), with what it is. A link to a regular file is read as git
/// outside a work tree would: it can only hide files from the scan, which a
/// plain ignore file can do too.
fn hostile_ignore_file(dir: &Path) -> Option<(PathBuf, String)> {
    for name in IGNORE_FILES {
        let path = dir.join(name);
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        if meta.is_dir() || (meta.is_file() && meta.len() <= MAX_IGNORE_FILE_SIZE) {
            continue;
        }
        if std::fs::canonicalize(&path).is_ok_and(|p| p == Path::new("/dev/null")) {
            continue;
        }
        let linked = std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
        let what = match Special::of(meta.file_type()) {
            Some(special) if linked => format!("a link to {}", special.noun()),
            Some(special) => special.noun().to_string(),
            None => format!("larger than {MAX_IGNORE_FILE_SIZE} bytes"),
        };
        return Some((path, what));
    }
    None
}

/// Shows `path` relative to `cwd`, with `/` separators.
pub(crate) fn display_path(path: &Path, cwd: &Path) -> String {
    let rel = path.strip_prefix(cwd).unwrap_or(path);
    let rel = rel.strip_prefix(".").unwrap_or(rel);
    let text = rel.to_string_lossy().replace('\\', "/");
    if text.is_empty() {
        ".".to_string()
    } else {
        text
    }
}

/// Scans files and folders (the current folder when `paths` is empty).
pub(crate) fn scan_paths(
    scanner: &Scanner,
    paths: &[PathBuf],
    limits: &Limits,
    cwd: &Path,
) -> Result<Outcome> {
    let roots: Vec<PathBuf> = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    };
    for root in &roots {
        if std::fs::symlink_metadata(root).is_err() {
            return Err(crate::Error::invalid(format!(
                "{} does not exist",
                root.display()
            )));
        }
    }
    let refused = Arc::new(Mutex::new(Vec::<Skipped>::new()));
    let mut read_parents = true;
    // The walker reads a root folder's ignore files, and those of the
    // folders above it, before any filter runs: refuse a hostile one in a
    // root, and leave out the folders above when one of them has one.
    for root in &roots {
        let dir: PathBuf = cwd
            .join(if root.is_dir() {
                root.as_path()
            } else {
                root.parent().unwrap_or(Path::new("."))
            })
            .components()
            .collect();
        if root.is_dir()
            && let Some((file, what)) = hostile_ignore_file(&dir)
        {
            return Err(crate::Error::invalid(format!(
                "{} is {what}; sm scan reads ignore files only when they are regular files",
                file.display()
            ))
            .with_hint("remove it (git ignores a .gitignore that is a link), or scan its folders one by one"));
        }
        let start = if root.is_dir() {
            dir.parent()
        } else {
            Some(dir.as_path())
        };
        if let Some((file, what)) = start.and_then(|d| d.ancestors().find_map(hostile_ignore_file))
        {
            read_parents = false;
            refused.lock().expect("not poisoned").push(Skipped {
                path: file.display().to_string(),
                reason: format!(
                    "not read ({what}), nor the other ignore files of the folders above the scanned ones"
                ),
            });
        }
    }
    let mut builder = ignore::WalkBuilder::new(&roots[0]);
    for root in &roots[1..] {
        builder.add(root);
    }
    builder.parents(read_parents);
    let outcome = Mutex::new(Outcome::default());
    builder
        .hidden(false)
        .require_git(false)
        .follow_links(false)
        .add_custom_ignore_filename(SMIGNORE)
        .filter_entry({
            // The filter must own what it uses ('static).
            let refused = Arc::clone(&refused);
            let cwd = cwd.to_path_buf();
            move |e| {
                if e.file_name() == ".git" {
                    return false;
                }
                if e.depth() > 0
                    && e.file_type().is_some_and(|t| t.is_dir())
                    && let Some((file, what)) = hostile_ignore_file(e.path())
                {
                    refused.lock().expect("not poisoned").push(Skipped {
                        path: display_path(e.path(), &cwd),
                        reason: format!(
                            "not entered: its {} is {what}",
                            file.file_name().unwrap_or_default().to_string_lossy()
                        ),
                    });
                    return false;
                }
                true
            }
        })
        .threads(
            std::thread::available_parallelism()
                .map_or(2, |n| n.get())
                .min(8),
        );
    let max = limits.max_file_size;
    builder.build_parallel().run(|| {
        let outcome = &outcome;
        Box::new(move |entry| {
            let Ok(entry) = entry else {
                return WalkState::Continue;
            };
            let Some(file_type) = entry.file_type() else {
                return WalkState::Continue;
            };
            if file_type.is_dir() {
                return WalkState::Continue;
            }
            let path = entry.path();
            let shown = display_path(path, cwd);
            let real = cwd.join(path);
            // A root is listed with its link followed: look at it again.
            let special = if entry.depth() == 0 {
                std::fs::symlink_metadata(path)
                    .ok()
                    .and_then(|m| Special::of(m.file_type()))
            } else {
                Special::of(file_type)
            };
            let read = match special {
                Some(s) => Err(Unread::Special(s)),
                None => read_regular(path, max),
            };
            let data = match read {
                Ok(data) => data,
                Err(Unread::Special(s)) if store_file_kind(&real).is_some() => {
                    let mut found = Collector::new(limits);
                    found.offer_built(special_finding(&shown, s, None));
                    let scanned = found.finish(&shown, None);
                    outcome.lock().expect("not poisoned").add(scanned);
                    return WalkState::Continue;
                }
                Err(unread) => {
                    let reason = unread.describe(max);
                    outcome.lock().expect("not poisoned").skip(shown, reason);
                    return WalkState::Continue;
                }
            };
            if is_binary(&data) {
                outcome
                    .lock()
                    .expect("not poisoned")
                    .skip(shown, "binary".to_string());
                return WalkState::Continue;
            }
            let scanned = scan_capped(scanner, &shown, Some(&real), &data, None, None, limits);
            let mut o = outcome.lock().expect("not poisoned");
            o.scanned += 1;
            o.add(scanned);
            WalkState::Continue
        })
    });
    let mut outcome = outcome.into_inner().expect("not poisoned");
    outcome
        .skipped
        .append(&mut refused.lock().expect("not poisoned"));
    Ok(outcome)
}
