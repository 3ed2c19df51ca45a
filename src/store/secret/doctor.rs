//! `sm doctor`: repairing the leftovers of interrupted writes. Doctor is
//! the only command that removes or rewrites files it did not just write,
//! and only regular files inside the store, reached without following
//! links: a store holding a link or special file is refused whole.

use std::path::PathBuf;

use super::super::Store;
use super::super::fsio::TEMP_MARKER;
use super::super::name;
use super::super::safe::Kind;
use crate::error::{Error, Result};

/// What `sm doctor` found and removed.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct DoctorReport {
    /// Files removed (temp files, orphan ciphertexts).
    pub removed: Vec<PathBuf>,
    /// Log files whose torn lines (left by interrupted appends) were removed.
    pub repaired: Vec<PathBuf>,
    /// Problems doctor does not repair.
    pub problems: Vec<String>,
}

impl Store {
    /// Lists every link and special file in the store's own folders
    /// (`.sm/` and `secrets/`), in path order.
    pub fn special_files(&self) -> Result<Vec<(PathBuf, Kind)>> {
        let mut found = self.fs.special_files(&self.sm_dir())?;
        found.extend(self.fs.special_files(&self.secrets_dir())?);
        Ok(found)
    }

    /// Removes the leftovers of interrupted writes: temp files, orphan
    /// ciphertexts, unfinished rewraps and torn log lines. Refuses (exit 5,
    /// changing nothing) while the store holds a link or special file.
    pub fn doctor(&self) -> Result<DoctorReport> {
        let special = self.special_files()?;
        if let Some((first, kind)) = special.first() {
            return Err(Error::integrity(
                first,
                format!(
                    "{}; doctor changes nothing while the store holds links or special files ({} found, `sm verify` lists them)",
                    kind.refusal(false),
                    special.len()
                ),
            ));
        }
        let mut report = DoctorReport::default();
        let mut dirs = vec![self.sm_dir(), self.log_dir(), self.secrets_dir()];
        for name in self.list_names()? {
            self.finish_interrupted_rewraps(&name)?;
            report
                .removed
                .extend(self.finish_interrupted_deletion(&name)?);
            dirs.push(self.secret_dir(&name));
            let vdir = self.versions_dir(&name);
            dirs.push(vdir.clone());
            for entry in self.fs.list(&vdir)?.unwrap_or_default() {
                let Some(file) = entry.name.to_str() else {
                    continue;
                };
                if let Some(id) = file.strip_suffix(".age")
                    && !id.starts_with('.')
                    && entry.kind == Kind::File
                    && !self.fs.is_file(&vdir.join(format!("{id}.toml")))?
                {
                    let _lock = self.lock_secret(&name)?;
                    if !self.fs.is_file(&vdir.join(format!("{id}.toml")))?
                        && self.fs.remove_file(&vdir.join(file))?
                    {
                        report.removed.push(vdir.join(file));
                    }
                }
            }
        }
        report.repaired = crate::audit::repair_torn_lines(self)?;
        dirs.extend(self.prefix_dirs()?);
        for dir in dirs {
            for entry in self.fs.list(&dir)?.unwrap_or_default() {
                let Some(file) = entry.name.to_str() else {
                    continue;
                };
                if entry.kind == Kind::File
                    && file.starts_with('.')
                    && file.contains(TEMP_MARKER)
                    && self.fs.remove_file(&dir.join(file))?
                {
                    report.removed.push(dir.join(file));
                }
            }
        }
        Ok(report)
    }

    /// Settles a secret that has both metadata and a tombstone (a deletion
    /// or re-creation interrupted between its writes): the newer one wins
    /// and the other's files go. Also removes version files the metadata
    /// does not list (a put interrupted before its metadata was written).
    /// Only files whose signed state says so are removed.
    fn finish_interrupted_deletion(&self, name: &str) -> Result<Vec<PathBuf>> {
        let mut removed = Vec::new();
        let _lock = self.lock_secret(name)?;
        let meta_path = self.meta_path(name);
        let Some(bytes) = self.fs.read(&meta_path, super::super::safe::MAX_TOML_LEN)? else {
            return Ok(removed);
        };
        let Ok(meta) = self.parse_meta(name, &bytes, &meta_path, true) else {
            return Ok(removed);
        };
        if let Ok(Some((tomb, _))) = self.read_tombstone(name) {
            if tomb.seq > meta.seq {
                let vdir = self.versions_dir(name);
                self.fs.remove_file(&meta_path)?;
                removed.push(meta_path);
                if self.fs.kind(&vdir)?.is_some() {
                    self.fs.remove_tree(&vdir)?;
                    removed.push(vdir);
                }
                return Ok(removed);
            }
            let path = self.tombstone_path(name);
            if self.fs.remove_file(&path)? {
                removed.push(path);
            }
        }
        if let Some(listed) = &meta.versions {
            let vdir = self.versions_dir(name);
            for id in self.version_ids(name)? {
                if listed.contains(&id) || meta.labels.values().any(|v| *v == id) {
                    continue;
                }
                for file in [format!("{id}.toml"), format!("{id}.age")] {
                    if self.fs.remove_file(&vdir.join(&file))? {
                        removed.push(vdir.join(file));
                    }
                }
            }
        }
        Ok(removed)
    }

    /// Every prefix folder under `secrets/` (folders that are not a
    /// secret's own).
    fn prefix_dirs(&self) -> Result<Vec<PathBuf>> {
        let mut out = Vec::new();
        let mut todo = vec![self.secrets_dir()];
        while let Some(dir) = todo.pop() {
            for entry in self.fs.list(&dir)?.unwrap_or_default() {
                let Some(file) = entry.name.to_str() else {
                    continue;
                };
                if entry.kind == Kind::Dir
                    && !file.ends_with(name::SECRET_DIR_SUFFIX)
                    && !file.starts_with('.')
                {
                    out.push(dir.join(file));
                    todo.push(dir.join(file));
                }
            }
        }
        Ok(out)
    }
}
