//! The rules `sm verify --history` applies to one commit against each of
//! its parents (see [`super::history`] for the walk).

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use super::history::{Kind, TeamAt, Walker, classify, secret_path};
use super::repo::{Change, Commit};
use crate::error::Result;

/// How a sequence moved, as a problem's reason (None: it rose).
fn moved(old: u64, new: u64) -> Option<String> {
    if new > old || (old == 0 && new == 0) {
        // Format-1 files have no sequence to compare.
        None
    } else if new == old {
        Some(format!(
            "replaced at sequence {new} without a newer sequence"
        ))
    } else {
        Some(format!("rolled back from sequence {old} to {new}"))
    }
}

impl Walker<'_> {
    /// Checks one commit against each of its parents (`pairs[i]` is what
    /// changed from parent `i`, or from nothing for a root), and the
    /// signers of the signed files it made anew.
    pub(super) fn check_commit(
        &mut self,
        commit: &Commit,
        pairs: &[Vec<Change>],
        team: &TeamAt,
        parents: &[Option<Rc<TeamAt>>],
    ) -> Result<()> {
        // A path changed against every parent holds content no parent
        // had: its signer is checked here. One equal to a parent's was
        // checked where it was made.
        let mut differs: HashMap<&str, (usize, Option<&str>)> = HashMap::new();
        for (i, changes) in pairs.iter().enumerate() {
            let parent = commit.parents.get(i).map(String::as_str);
            self.check_pair(&commit.id, parent, changes)?;
            for c in changes {
                let e = differs
                    .entry(c.path.as_str())
                    .or_insert((0, c.new.as_deref()));
                e.0 += 1;
            }
        }
        for (path, (count, new)) in differs {
            let Some(new) = new else { continue };
            if count < pairs.len() {
                continue;
            }
            match classify(path) {
                Kind::Meta(name) => {
                    if let (Some(view), Some(bytes)) = (&team.view, self.blob(new)?)
                        && let Err(e) = view.verify_meta(&name, &bytes, path.as_ref())
                    {
                        self.error(path, &commit.id, e);
                    }
                }
                Kind::Tomb(name) => {
                    if let (Some(view), Some(bytes)) = (&team.view, self.blob(new)?)
                        && let Err(e) = view.verify_tombstone(&name, &bytes, path.as_ref())
                    {
                        self.error(path, &commit.id, e);
                    }
                }
                Kind::Header => self.check_header_authority(&commit.id, path, new, parents)?,
                _ => {}
            }
        }
        Ok(())
    }

    /// A new header must be signed by an admin of a parent's header: the
    /// first parent's refusal is reported when none accepts it. Without a
    /// parent store (the store's first commit, or the oldest one a shallow
    /// clone holds) the header is judged by its own team files.
    fn check_header_authority(
        &mut self,
        commit: &str,
        path: &str,
        new: &str,
        parents: &[Option<Rc<TeamAt>>],
    ) -> Result<()> {
        let views: Vec<_> = parents
            .iter()
            .filter_map(|p| p.as_ref().and_then(|t| t.view.as_ref()))
            .collect();
        if views.is_empty() {
            return Ok(());
        }
        let Some(bytes) = self.blob(new)? else {
            return Ok(());
        };
        let mut first = None;
        for view in views {
            match view.check_header_signer(&bytes, path.as_ref()) {
                Ok(_) => return Ok(()),
                Err(e) => {
                    first.get_or_insert(e);
                }
            }
        }
        if let Some(e) = first {
            self.error(path, commit, e);
        }
        Ok(())
    }

    /// The blob of a secret's file on one side: from this pair's changes
    /// when it changed, else read at `commit`.
    fn side(
        &mut self,
        changes: &HashMap<&str, &Change>,
        path: &str,
        commit: Option<&str>,
        new_side: bool,
    ) -> Result<Option<String>> {
        if let Some(c) = changes.get(path) {
            return Ok(if new_side {
                c.new.clone()
            } else {
                c.old.clone()
            });
        }
        match commit {
            Some(commit) => Ok(self.at(commit, path)?.map(|(oid, _)| oid)),
            None => Ok(None),
        }
    }

    /// Applies the rules to what changed from `parent` (None: from
    /// nothing) to `commit`.
    fn check_pair(&mut self, commit: &str, parent: Option<&str>, changes: &[Change]) -> Result<()> {
        let by_path: HashMap<&str, &Change> =
            changes.iter().map(|c| (c.path.as_str(), c)).collect();
        let mut versions_seen = HashSet::new();
        for c in changes {
            let kind = classify(&c.path);
            if kind == Kind::Other {
                continue;
            }
            self.files += 1;
            let path = c.path.as_str();
            match (&kind, c.old.as_deref(), c.new.as_deref()) {
                (Kind::Log, Some(old), new) => self.check_log(commit, path, old, new)?,
                (Kind::Header, Some(_), None) => {
                    self.problem(path, commit, "missing: the signed header was deleted")
                }
                (Kind::Team(name), Some(_), None)
                    if *name == "store.toml" || *name == "members.toml" =>
                {
                    self.problem(path, commit, "missing: the file was deleted")
                }
                (Kind::Header | Kind::Team(_), Some(old), Some(new)) => {
                    let (Some(o), Some(n)) = (self.info(&kind, old)?, self.info(&kind, new)?)
                    else {
                        continue;
                    };
                    if let (Some((oid, okey)), Some((nid, nkey))) = (&o.store, &n.store)
                        && (oid != nid || okey != nkey)
                    {
                        self.problem(
                            path,
                            commit,
                            format!("a different store (id {nid}) replaced this one (id {oid})"),
                        );
                    } else if let Some(why) = moved(o.seq, n.seq) {
                        self.problem(path, commit, why);
                    }
                }
                (Kind::Meta(name), old, new) => {
                    self.check_meta(commit, parent, name, old, new, &by_path)?
                }
                (Kind::Tomb(name), old, new) => {
                    self.check_tomb(commit, parent, name, old, new, &by_path)?
                }
                (Kind::Version(name, id), Some(_), None) => {
                    if !versions_seen.insert((name.clone(), id.clone())) {
                        continue;
                    }
                    let meta_path = secret_path(name, "meta.toml");
                    let Some(meta) = self.side(&by_path, &meta_path, Some(commit), true)? else {
                        continue;
                    };
                    let kind = Kind::Meta(name.clone());
                    if let Some(info) = self.info(&kind, &meta)?
                        && info.versions.as_ref().is_some_and(|v| v.contains(id))
                    {
                        self.problem(
                            path,
                            commit,
                            format!("missing: version {id} of `{name}` was deleted while meta.toml still lists it"),
                        );
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn check_meta(
        &mut self,
        commit: &str,
        parent: Option<&str>,
        name: &str,
        old: Option<&str>,
        new: Option<&str>,
        by_path: &HashMap<&str, &Change>,
    ) -> Result<()> {
        let path = secret_path(name, "meta.toml");
        let kind = Kind::Meta(name.to_string());
        let tomb_kind = Kind::Tomb(name.to_string());
        let tomb_path = secret_path(name, crate::store::TOMBSTONE_FILE);
        match (old, new) {
            (Some(old), Some(new)) => {
                if let (Some(o), Some(n)) = (self.info(&kind, old)?, self.info(&kind, new)?)
                    && let Some(why) = moved(o.seq, n.seq)
                {
                    self.problem(&path, commit, why);
                }
            }
            (None, Some(new)) => {
                // Put again after a deletion: newer than the tombstone.
                let Some(tomb) = self.side(by_path, &tomb_path, parent, false)? else {
                    return Ok(());
                };
                if let (Some(t), Some(n)) = (self.info(&tomb_kind, &tomb)?, self.info(&kind, new)?)
                    && n.seq <= t.seq
                {
                    self.problem(
                        &path,
                        commit,
                        format!(
                            "rolled back: sequence {} is not newer than the tombstone (sequence {}) that deleted `{name}`",
                            n.seq, t.seq
                        ),
                    );
                }
            }
            (Some(old), None) => {
                let tomb = self.side(by_path, &tomb_path, Some(commit), true)?;
                let old_seq = self.info(&kind, old)?.map_or(0, |i| i.seq);
                let tomb_seq = match tomb {
                    Some(t) => self.info(&tomb_kind, &t)?.map(|i| i.seq),
                    None => None,
                };
                match tomb_seq {
                    Some(t) if t > old_seq => {}
                    Some(t) => self.problem(
                        &path,
                        commit,
                        format!("missing: secret `{name}` was deleted with a tombstone (sequence {t}) not newer than its metadata (sequence {old_seq})"),
                    ),
                    None => self.problem(
                        &path,
                        commit,
                        format!("missing: secret `{name}` was deleted without a signed tombstone"),
                    ),
                }
            }
            (None, None) => {}
        }
        Ok(())
    }

    fn check_tomb(
        &mut self,
        commit: &str,
        parent: Option<&str>,
        name: &str,
        old: Option<&str>,
        new: Option<&str>,
        by_path: &HashMap<&str, &Change>,
    ) -> Result<()> {
        let path = secret_path(name, crate::store::TOMBSTONE_FILE);
        let kind = Kind::Tomb(name.to_string());
        let meta_kind = Kind::Meta(name.to_string());
        let meta_path = secret_path(name, "meta.toml");
        match (old, new) {
            (old, Some(new)) => {
                let Some(n) = self.info(&kind, new)? else {
                    return Ok(());
                };
                if let Some(old) = old
                    && let Some(o) = self.info(&kind, old)?
                    && let Some(why) = moved(o.seq, n.seq)
                {
                    self.problem(&path, commit, why);
                    return Ok(());
                }
                // A tombstone continues the metadata it replaces.
                if let Some(meta) = self.side(by_path, &meta_path, parent, false)?
                    && let Some(m) = self.info(&meta_kind, &meta)?
                    && n.seq <= m.seq
                {
                    self.problem(
                        &path,
                        commit,
                        format!("rolled back: sequence {} is not newer than the metadata's (sequence {})", n.seq, m.seq),
                    );
                }
            }
            (Some(old), None) => {
                // Only a newer put removes a tombstone.
                let tomb_seq = self.info(&kind, old)?.map_or(0, |i| i.seq);
                let meta = self.side(by_path, &meta_path, Some(commit), true)?;
                let meta_seq = match meta {
                    Some(m) => self.info(&meta_kind, &m)?.map(|i| i.seq),
                    None => None,
                };
                if meta_seq.is_none_or(|m| m <= tomb_seq) {
                    self.problem(
                        &path,
                        commit,
                        format!("missing: the tombstone of `{name}` was deleted without a newer meta.toml"),
                    );
                }
            }
            (None, None) => {}
        }
        Ok(())
    }

    /// A log file only grows: the old blob's entry lines are the first
    /// entry lines of the new one. A vanished log file is a problem.
    fn check_log(&mut self, commit: &str, path: &str, old: &str, new: Option<&str>) -> Result<()> {
        let Some(new) = new else {
            self.problem(path, commit, "missing: the log file was deleted");
            return Ok(());
        };
        let old_bytes = self.log_blob(path, old)?;
        let new_bytes = self.log_blob(path, new)?;
        if new_bytes.starts_with(&old_bytes) && (old_bytes.is_empty() || old_bytes.ends_with(b"\n"))
        {
            return Ok(());
        }
        let old_entries = entry_lines(&old_bytes);
        let new_entries = entry_lines(&new_bytes);
        if let Some(i) = old_entries
            .iter()
            .zip(&new_entries)
            .position(|(a, b)| a != b)
        {
            self.problem(
                path,
                commit,
                format!("rewritten: entry {} is not the one it replaced", i + 1),
            );
        } else if new_entries.len() < old_entries.len() {
            self.problem(
                path,
                commit,
                format!(
                    "cut: had {} entries, now {}",
                    old_entries.len(),
                    new_entries.len()
                ),
            );
        }
        Ok(())
    }

    /// A log file's content, keeping the last one read per path (the next
    /// commit's old side is usually this one's new side).
    fn log_blob(&mut self, path: &str, oid: &str) -> Result<Rc<Vec<u8>>> {
        if let Some((have, bytes)) = self.logs.get(path)
            && have == oid
        {
            return Ok(bytes.clone());
        }
        let bytes = Rc::new(self.blob(oid)?.unwrap_or_default());
        self.logs
            .insert(path.to_string(), (oid.to_string(), bytes.clone()));
        Ok(bytes)
    }
}

/// The lines of a log file that parse as entries (a torn line, which
/// `sm doctor` may drop, is not one).
fn entry_lines(bytes: &[u8]) -> Vec<&[u8]> {
    bytes
        .split(|b| *b == b'\n')
        .filter(|line| serde_json::from_slice::<crate::audit::Entry>(line).is_ok())
        .collect()
}
