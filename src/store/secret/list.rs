//! Listing secrets: the walk of `secrets/` (folders named `<x>.secret`
//! holding a `meta.toml` are secrets, other folders are prefixes), with the
//! stamps the scan set compares, and the listing with metadata for `sm ls`.

use std::path::PathBuf;

use rayon::prelude::*;

use super::super::Store;
use super::super::files::{self, Meta};
use super::super::name;
use super::super::safe::{Kind, MAX_TOML_LEN, Stamp, StoreFs};
use super::SecretSummary;
use crate::error::{Error, Result};

/// Secret names with their stamps.
pub(crate) type Stamped = Vec<(String, Option<Stamp>)>;

/// Which secrets' `versions/` a stamped walk stamps too, asked with the
/// name's prefix and the rest (so a walk of thousands of secrets makes no
/// name to ask with).
pub(crate) type Deep<'a> = &'a (dyn Fn(&str, &str) -> bool + Sync);

impl Store {
    /// Lists every secret name, sorted. A link or special file anywhere
    /// under `secrets/` is an integrity error naming it.
    pub fn list_names(&self) -> Result<Vec<String>> {
        Ok(self
            .walk_secrets(true, None)?
            .0
            .into_iter()
            .map(|(n, _)| n)
            .collect())
    }

    /// Like [`Store::list_names`], with each secret's [`Stamp`]: of its
    /// `meta.toml`, and also of its `versions/` folder where `deep` says.
    pub(crate) fn list_names_stamped(
        &self,
        deep: Deep<'_>,
    ) -> Result<Vec<(String, Option<Stamp>)>> {
        Ok(self.walk_secrets(true, Some(deep))?.0)
    }

    /// Lists the names of deleted secrets whose folder holds only a
    /// tombstone, sorted, passing over links and special files.
    pub(crate) fn list_tombstones(&self) -> Result<Vec<String>> {
        Ok(self.walk_secrets(false, None)?.1)
    }

    /// Lists every secret name, sorted, passing over links and special
    /// files (for `sm verify`, which lists those itself).
    pub(crate) fn list_names_skipping_special(&self) -> Result<Vec<String>> {
        Ok(self
            .walk_secrets(false, None)?
            .0
            .into_iter()
            .map(|(n, _)| n)
            .collect())
    }

    /// Walks `secrets/`: folders named `<x>.secret` holding a `meta.toml`
    /// are secrets, other folders are prefixes. Keeps a list of folders to
    /// visit, so no depth of tree exhausts the stack. With `stamp`, each
    /// secret comes with the stamp of its `meta.toml` (one `fstatat` from
    /// the listed folder's descriptor, in parallel; see
    /// [`crate::store::safe::StoreFs::stamp_all`]), which also tells what
    /// `meta.toml` is, and of its `versions/` where `stamp` says.
    #[allow(clippy::type_complexity)]
    fn walk_secrets(
        &self,
        strict: bool,
        stamp: Option<Deep<'_>>,
    ) -> Result<(Vec<(String, Option<Stamp>)>, Vec<String>)> {
        walk(&self.fs, self.secrets_dir(), strict, stamp)
    }

    /// Lists the secrets whose names `select` accepts, with their metadata,
    /// read in parallel. Listing reads metadata without verifying
    /// signatures (nothing is decrypted or trusted for a value); `get` and
    /// `verify` verify.
    pub fn list(&self, select: impl Fn(&str) -> bool) -> Result<Vec<SecretSummary>> {
        let names: Vec<String> = self
            .list_names()?
            .into_iter()
            .filter(|n| select(n))
            .collect();
        Ok(names
            .into_par_iter()
            .map(|name| {
                let path = self.meta_path(&name);
                let meta = self
                    .fs
                    .read_existing(&path, MAX_TOML_LEN)
                    .and_then(|b| files::parse_toml::<Meta>(&b, &path))
                    .map_err(|e| e.to_string());
                SecretSummary { name, meta }
            })
            .collect())
    }
}

/// [`Store::walk_secrets`] of the folder `secrets` read through `fs`: also
/// usable before the store is opened (its files are only listed and
/// stat'ed, never read).
pub(crate) fn walk(
    fs: &StoreFs,
    secrets: PathBuf,
    strict: bool,
    stamp: Option<Deep<'_>>,
) -> Result<(Stamped, Vec<String>)> {
    let mut names = Vec::new();
    let mut buried = Vec::new();
    let mut todo = vec![(secrets, String::new())];
    while let Some((dir, prefix)) = todo.pop() {
        let Some(entries) = fs.list(&dir)? else {
            continue;
        };
        // The stamps of the secret folders, all at once (in parallel).
        let stamps = if let Some(deep) = stamp {
            let folders: Vec<Option<&std::ffi::OsStr>> = entries
                .iter()
                .map(|e| {
                    let secret = e.kind == Kind::Dir
                        && e.name
                            .to_str()
                            .is_some_and(|n| n.ends_with(name::SECRET_DIR_SUFFIX));
                    secret.then_some(e.name.as_os_str())
                })
                .collect();
            let inner = |folder: &std::ffi::OsStr| -> &'static [&'static str] {
                let stem = folder
                    .to_str()
                    .and_then(|f| f.strip_suffix(name::SECRET_DIR_SUFFIX));
                match stem {
                    Some(stem) if deep(&prefix, stem) => &["meta.toml", "versions"],
                    _ => &["meta.toml"],
                }
            };
            fs.stamp_all(&dir, &folders, inner)?
        } else {
            Vec::new()
        };
        let mut stamps = stamps.into_iter();
        for entry in entries {
            let stamped = stamps.next().flatten();
            if entry.kind.is_special() {
                if strict {
                    return Err(Error::integrity(
                        dir.join(&entry.name),
                        entry.kind.refusal(false),
                    ));
                }
                continue;
            }
            let Some(file_name) = entry.name.to_str() else {
                continue;
            };
            if file_name.starts_with('.') || entry.kind != Kind::Dir {
                continue;
            }
            // Paths are made only where needed (thousands of secrets).
            let path = || dir.join(file_name);
            if let Some(stem) = file_name.strip_suffix(name::SECRET_DIR_SUFFIX) {
                let meta = || path().join("meta.toml");
                let (meta_kind, stamped) = if stamp.is_some() {
                    match stamped {
                        Some(s) => (s.kinds().first().copied().flatten(), Some(s)),
                        None => (None, None),
                    }
                } else {
                    (fs.kind(&meta())?, None)
                };
                let is_secret = match meta_kind {
                    Some(Kind::File) => true,
                    Some(kind) if kind.is_special() && strict => {
                        return Err(Error::integrity(meta(), kind.refusal(false)));
                    }
                    _ => false,
                };
                let mut name = String::with_capacity(prefix.len() + stem.len());
                name.push_str(&prefix);
                name.push_str(stem);
                if name::validate_name(&name).is_err() {
                    continue;
                }
                if is_secret {
                    names.push((name, stamped));
                } else if fs.kind(&path().join(super::TOMBSTONE_FILE))? == Some(Kind::File) {
                    buried.push(name);
                }
            } else {
                todo.push((path(), format!("{prefix}{file_name}/")));
            }
        }
    }
    // Names are unique (one folder each).
    names.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    buried.sort_unstable();
    Ok((names, buried))
}
