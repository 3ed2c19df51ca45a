//! The git sources of a scan: the staged blobs of the index and the lines
//! each commit added, filtered by the repository's top-level `.smignore`
//! (read without following a link, with a cap), scanned in parallel.

use std::path::Path;

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use rayon::prelude::*;

use super::{
    Collector, Limits, MAX_SMIGNORE_SIZE, Outcome, SMIGNORE, Scanned, Scanner, Skipped, git,
    is_binary, scan_capped, store_file, walk,
};
use crate::error::Result;

/// Loads the repository's top-level `.smignore`, read without following a
/// link and with a cap ([`MAX_SMIGNORE_SIZE`]); one that is a link, a
/// special file or too large is not read, and the returned note says so.
pub(crate) fn repo_smignore(root: &Path) -> (Gitignore, Option<Skipped>) {
    let path = root.join(SMIGNORE);
    let mut builder = GitignoreBuilder::new(root);
    let mut note = None;
    match walk::read_regular(&path, MAX_SMIGNORE_SIZE) {
        Ok(data) => {
            for line in String::from_utf8_lossy(&data).lines() {
                let _ = builder.add_line(Some(path.clone()), line);
            }
        }
        Err(walk::Unread::Failed(e)) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(unread) => {
            note = Some(Skipped {
                path: SMIGNORE.to_string(),
                reason: format!("not read: {}", unread.describe(MAX_SMIGNORE_SIZE)),
            });
        }
    }
    let ignore = builder.build().unwrap_or_else(|_| Gitignore::empty());
    (ignore, note)
}

pub(crate) fn ignored(ignore: &Gitignore, path: &str) -> bool {
    ignore
        .matched_path_or_any_parents(Path::new(path), false)
        .is_ignore()
}

pub(crate) fn scan_staged(
    scanner: &Scanner,
    root: &Path,
    files: &[git::StagedFile],
    blobs: &[std::result::Result<Vec<u8>, u64>],
    limits: &Limits,
) -> Outcome {
    let mut outcome = Outcome::default();
    let results: Vec<std::result::Result<Scanned, Skipped>> = files
        .par_iter()
        .zip(blobs.par_iter())
        .map(|(file, blob)| {
            let real = root.join(&file.path);
            if file.symlink
                && let Some(_) = store_file::store_file_kind(&real)
            {
                // A link staged into a store: its blob is only the target,
                // but committing it is how a store attacks its clones.
                let mut found = Collector::new(limits);
                found.offer_built(store_file::special_finding(
                    &file.path,
                    store_file::Special::Link,
                    None,
                ));
                return Ok(found.finish(&file.path, None));
            }
            match blob {
                Err(size) => Err(Skipped {
                    path: file.path.clone(),
                    reason: format!("larger than {} bytes ({size})", limits.max_file_size),
                }),
                Ok(data) if is_binary(data) => Err(Skipped {
                    path: file.path.clone(),
                    reason: "binary".to_string(),
                }),
                Ok(data) => Ok(scan_capped(
                    scanner,
                    &file.path,
                    Some(&real),
                    data,
                    None,
                    None,
                    limits,
                )),
            }
        })
        .collect();
    for result in results {
        match result {
            Ok(scanned) => {
                outcome.scanned += 1;
                outcome.add(scanned);
            }
            Err(skipped) => outcome.skipped.push(skipped),
        }
    }
    outcome
}

pub(crate) fn scan_history(
    scanner: &Scanner,
    root: &Path,
    range: Option<&str>,
    limits: &Limits,
) -> Result<Outcome> {
    let (smignore, note) = repo_smignore(root);
    let mut outcome = Outcome::default();
    outcome.skipped.extend(note);
    let mut batch: Vec<git::AddedLines> = Vec::new();
    let mut batch_bytes = 0usize;
    let flush = |batch: &mut Vec<git::AddedLines>, outcome: &mut Outcome| {
        let found: Vec<Scanned> = batch
            .par_iter()
            .map(|chunk| {
                scan_capped(
                    scanner,
                    &chunk.path,
                    Some(&root.join(&chunk.path)),
                    &chunk.text,
                    Some(&chunk.line_numbers),
                    Some(&chunk.commit),
                    limits,
                )
            })
            .collect();
        outcome.scanned += batch.len();
        for scanned in found {
            outcome.add(scanned);
        }
        batch.clear();
    };
    let max = limits.max_file_size;
    git::added_lines(root, range, max, |chunk| {
        if ignored(&smignore, &chunk.path) {
            return;
        }
        if chunk.too_large || chunk.text.len() as u64 > max {
            outcome.skipped.push(Skipped {
                path: format!(
                    "{}:{}",
                    &chunk.commit[..chunk.commit.len().min(12)],
                    chunk.path
                ),
                reason: format!("added more than {max} bytes"),
            });
            return;
        }
        batch_bytes += chunk.text.len();
        batch.push(chunk);
        if batch.len() >= 1024 || batch_bytes >= 16 * 1024 * 1024 {
            flush(&mut batch, &mut outcome);
            batch_bytes = 0;
        }
    })?;
    flush(&mut batch, &mut outcome);
    Ok(outcome)
}
