//! Checking a whole store: the member chain, every secret's metadata, every
//! version's signature and hash, label targets and the access log. Uses only
//! public data, so it needs no identity.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::store::Store;

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
}

fn problem_of(error: Error, fallback: &Path) -> Result<Problem> {
    match error {
        Error::Integrity { file, reason } => Ok(Problem { file, reason }),
        Error::NotFound { message, .. } | Error::InvalidInput { message, .. } => Ok(Problem {
            file: fallback.to_path_buf(),
            reason: message,
        }),
        other => Err(other),
    }
}

/// Verifies the store at `root`.
pub fn verify_store(root: &Path) -> Result<Report> {
    let mut report = Report::default();
    let store = match Store::open(root) {
        Ok(s) => s,
        Err(e @ Error::Integrity { .. }) => {
            report.problems.push(problem_of(e, root)?);
            return Ok(report);
        }
        Err(e) => return Err(e),
    };
    // Secrets are independent: check them in parallel, then report in name
    // order.
    let names = store.list_names()?;
    let checked: Vec<Result<(usize, Vec<Problem>)>> = names
        .par_iter()
        .map(|name| check_secret(&store, name))
        .collect();
    for result in checked {
        let (versions, problems) = result?;
        report.secrets += 1;
        report.versions += versions;
        report.problems.extend(problems);
    }
    let (entries, log_problems) = crate::audit::verify(&store)?;
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
    Ok(report)
}

/// Checks one secret: its metadata, every version, and label targets.
fn check_secret(store: &Store, name: &str) -> Result<(usize, Vec<Problem>)> {
    let mut problems = Vec::new();
    let dir = store.secret_dir(name);
    let meta = match store.read_meta(name) {
        Ok(m) => m,
        Err(e) => {
            problems.push(problem_of(e, &dir.join("meta.toml"))?);
            return Ok((0, problems));
        }
    };
    let ids = store.version_ids(name)?;
    for id in &ids {
        if let Err(e) = store.read_version(name, id) {
            problems.push(problem_of(
                e,
                &dir.join("versions").join(format!("{id}.toml")),
            )?);
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
    Ok((ids.len(), problems))
}
