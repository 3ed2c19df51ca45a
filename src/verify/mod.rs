//! Checking a whole store: the member chain, every secret's metadata, every
//! version's signature and hash, label targets and the access log. Uses only
//! public data, so it needs no identity. [`history`] checks the store's git
//! history for replays and deletions (`sm verify --history`).

pub mod history;
mod repo;
mod rules;

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::store::Store;

/// One secret's check: versions seen, problems, stale-recipient warnings.
type SecretCheck = (usize, Vec<Problem>, Vec<Problem>);

/// One problem, with the file at fault.
#[derive(Clone, Debug, Serialize)]
pub struct Problem {
    /// The file.
    pub file: PathBuf,
    /// What is wrong.
    pub reason: String,
}

/// What `sm verify` found.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Report {
    /// Secrets checked.
    pub secrets: usize,
    /// Versions checked.
    pub versions: usize,
    /// Log entries checked.
    pub log_entries: usize,
    /// Problems found.
    pub problems: Vec<Problem>,
    /// Labelled versions encrypted to other recipients than the access
    /// rules name now (not an integrity problem; `sm rewrap` fixes them).
    pub stale: Vec<Problem>,
}

fn problem_of(error: Error, fallback: &Path) -> Result<Problem> {
    match error {
        Error::Integrity { file, reason, .. } => Ok(Problem { file, reason }),
        Error::NotFound { message, .. } | Error::InvalidInput { message, .. } => Ok(Problem {
            file: fallback.to_path_buf(),
            reason: message,
        }),
        other => Err(other),
    }
}

/// What [`verify_store`] checks log files against: this machine's memory
/// of each log's head (see [`crate::audit::heads`]), if any.
pub type LogMemory = Option<Box<dyn crate::audit::HeadMemory>>;

/// Verifies the store at `root`. `prepare` gets the opened store first,
/// to check it against this machine's memory and install it (see
/// [`crate::store::fresh`]; an integrity error there is reported like one
/// found at open), and returns the memory of log heads to check each log
/// file against.
pub fn verify_store(
    root: &Path,
    prepare: impl FnOnce(&mut Store) -> Result<LogMemory>,
) -> Result<Report> {
    let mut report = Report::default();
    let opened = Store::open(root).and_then(|mut store| {
        let memory = prepare(&mut store)?;
        Ok((store, memory))
    });
    let (store, memory) = match opened {
        Ok(s) => s,
        Err(e @ Error::Integrity { .. }) => {
            report.problems.push(problem_of(e, root)?);
            // The header did not verify; still list every link and special
            // file, which may be why.
            if let Ok(fs) = crate::store::safe::StoreFs::open(root) {
                for dir in [crate::store::SM_DIR, crate::store::SECRETS_DIR] {
                    for (file, kind) in fs.special_files(&root.join(dir)).unwrap_or_default() {
                        report.problems.push(Problem {
                            file,
                            reason: kind.refusal(false).to_string(),
                        });
                    }
                }
            }
            dedup(&mut report.problems);
            return Ok(report);
        }
        Err(e) => return Err(e),
    };
    // Every link and special file is a problem, all of them listed; the
    // checks below pass over them.
    for (file, kind) in store.special_files()? {
        report.problems.push(Problem {
            file,
            reason: kind.refusal(false).to_string(),
        });
    }
    // Secrets are independent: check them in parallel, then report in name
    // order.
    let names = store.list_names_skipping_special()?;
    let checked: Vec<Result<SecretCheck>> = names
        .par_iter()
        .map(|name| check_secret(&store, name))
        .collect();
    for result in checked {
        let (versions, problems, stale) = result?;
        report.secrets += 1;
        report.versions += versions;
        report.problems.extend(problems);
        report.stale.extend(stale);
    }
    // Deleted secrets: each tombstone must verify; a secret this machine
    // saw that has neither metadata nor tombstone was deleted by hand.
    let buried = store.list_tombstones()?;
    for name in &buried {
        if let Err(e) = store.read_tombstone(name) {
            report
                .problems
                .push(problem_of(e, &store.tombstone_path(name))?);
        }
    }
    for (name, _) in store.freshness().seen_secrets() {
        if names.binary_search(&name).is_err()
            && buried.binary_search(&name).is_err()
            && let Err(e) = store.read_meta(&name)
            && matches!(e, Error::Integrity { .. })
        {
            report
                .problems
                .push(problem_of(e, &store.meta_path(&name))?);
        }
    }
    if store.header().is_none() {
        report.stale.push(Problem {
            file: store.sm_dir().join("store.toml"),
            reason: "the store uses format 1 (no signed header, sequences or tombstones, so replays and deletions are not caught); an admin's `sm doctor --upgrade` moves it to format 2".into(),
        });
    }
    let (entries, log_problems) = crate::audit::verify(&store, memory.as_deref())?;
    report.log_entries = entries;
    report
        .problems
        .extend(log_problems.into_iter().map(|p| Problem {
            reason: if p.line > 0 {
                format!("line {}: {}", p.line, p.reason)
            } else {
                p.reason
            },
            file: p.file,
        }));
    dedup(&mut report.problems);
    Ok(report)
}

/// Drops repeated problems (a link is found by the walk and again by the
/// check that tried to read through it), keeping the first of each.
fn dedup(problems: &mut Vec<Problem>) {
    let mut seen = std::collections::HashSet::new();
    problems.retain(|p| seen.insert((p.file.clone(), p.reason.clone())));
}

/// Checks one secret: its metadata, every version, label targets, and
/// (as warnings) labelled versions encrypted to other recipients than the
/// access rules name now.
fn check_secret(store: &Store, name: &str) -> Result<SecretCheck> {
    let mut problems = Vec::new();
    let mut stale = Vec::new();
    let dir = store.secret_dir(name);
    let meta = match store.read_meta(name) {
        Err(e @ Error::NotFound { .. })
            if store.read_tombstone(name).is_ok_and(|t| t.is_some()) =>
        {
            // A tombstone newer than the metadata: deleted, with leftovers.
            problems.push(Problem {
                file: dir.join("meta.toml"),
                reason: format!("{e}; this meta.toml is older than the tombstone beside it (a leftover of an interrupted deletion, or a replay): `sm doctor` removes it"),
            });
            return Ok((0, problems, stale));
        }
        Ok(m) => m,
        Err(e) => {
            problems.push(problem_of(e, &dir.join("meta.toml"))?);
            return Ok((0, problems, stale));
        }
    };
    let ids = match store.version_ids(name) {
        Ok(ids) => ids,
        Err(e) => {
            problems.push(problem_of(e, &dir.join("versions"))?);
            return Ok((0, problems, stale));
        }
    };
    let expected = crate::store::recipients_hash(&store.recipient_strings_for(name));
    for id in &ids {
        let record_path = dir.join("versions").join(format!("{id}.toml"));
        match store.read_version(name, id) {
            Err(e) => problems.push(problem_of(e, &record_path)?),
            Ok((record, _)) => {
                let labelled = meta.labels.values().any(|v| v == id);
                if labelled && record.recipients.as_deref() != Some(expected.as_str()) {
                    stale.push(Problem {
                        file: record_path,
                        reason: "encrypted to other recipients than the access rules name now (run `sm rewrap`)".into(),
                    });
                }
            }
        }
    }
    if let Some(listed) = &meta.versions {
        for id in listed {
            if !ids.contains(id) {
                problems.push(Problem {
                    file: dir.join("versions").join(format!("{id}.toml")),
                    reason: format!(
                        "missing: meta.toml (sequence {}) lists version {id}, and its files were deleted",
                        meta.seq
                    ),
                });
            }
        }
        for id in &ids {
            if !listed.contains(id) {
                stale.push(Problem {
                    file: dir.join("versions").join(format!("{id}.toml")),
                    reason: "not listed in meta.toml (a leftover of an interrupted write; `sm doctor` removes it)".into(),
                });
            }
        }
    }
    for (label, id) in &meta.labels {
        if !ids.contains(id) {
            problems.push(Problem {
                file: dir.join("meta.toml"),
                reason: format!("label `{label}` points at version {id}, which does not exist"),
            });
        }
    }
    Ok((ids.len(), problems, stale))
}
