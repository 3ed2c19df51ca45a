//! `sm scan`: finding plaintext secrets before (or after) they reach git.
//!
//! - [`engine`]: the one-pass Aho-Corasick matcher, positions, redaction.
//! - [`rules`]: the credential formats and the checks that keep
//!   non-secrets quiet.
//! - [`managed`]: this store's own values and their encodings.
//! - [`git`]: staged blobs and the lines each commit added.
//! - [`report`]: text, JSON and SARIF output, and baselines.
//! - [`hook`]: the git pre-commit hook.
//!
//! This module walks the sources (files in parallel, respecting
//! `.gitignore` and `.smignore`; the index; the history) and turns hits into
//! [`Finding`]s. A finding never holds more of a secret than its redacted
//! preview.

pub mod engine;
pub mod git;
pub mod hook;
pub mod managed;
pub mod report;
pub mod rules;

use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use ignore::WalkState;
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

pub use engine::Scanner;
use engine::{BufferKind, Hit};

use crate::error::Result;

/// The allow-list file name (gitignore syntax).
pub const SMIGNORE: &str = ".smignore";

/// The default size limit: larger files are skipped.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 1024 * 1024;

/// The rule id of plaintext files inside a store.
pub const STORE_RULE: &str = "store-plaintext";

/// Where to look.
#[derive(Clone, Debug)]
pub enum Source {
    /// Files and folders (the current folder when empty).
    Paths(Vec<PathBuf>),
    /// The staged blobs of the git index.
    Staged,
    /// The lines commits added: a revision range, or every ref.
    History(Option<String>),
}

/// How to scan.
#[derive(Clone, Debug)]
pub struct Options {
    /// Files (or blobs) larger than this are skipped.
    pub max_file_size: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_file_size: DEFAULT_MAX_FILE_SIZE,
        }
    }
}

/// One secret found.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Finding {
    /// The rule id.
    pub rule: String,
    /// What was found, in words (never the value).
    pub description: String,
    /// The path (relative to the current folder, or to the repository root
    /// for `--staged` and `--history`).
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// For `--history`: the commit that added the line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// At most the first 4 characters of the value, then `****`.
    pub preview: String,
    /// A stable id for baselines: a truncated hash of rule, path and value
    /// (for managed values, of the secret's name instead of its value).
    pub fingerprint: String,
    /// For managed values: the secret's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

/// Why a file was not scanned.
#[derive(Clone, Debug, Serialize)]
pub struct Skipped {
    /// The path.
    pub path: String,
    /// Why.
    pub reason: String,
}

/// What a scan found.
#[derive(Debug, Default)]
pub struct Outcome {
    /// The findings, sorted by path, commit, line and column.
    pub findings: Vec<Finding>,
    /// How many files (blobs, commit diffs) were read.
    pub scanned: usize,
    /// What was skipped and why.
    pub skipped: Vec<Skipped>,
}

/// A source with its git I/O done: what [`prepare`] returns. Preparing can
/// run while the store's values are decrypted, since the two are
/// independent.
#[derive(Debug)]
pub enum Prepared {
    /// Files and folders, walked when scanned.
    Paths(Vec<PathBuf>),
    /// The staged files and their blobs (`Err(size)` when too large).
    Staged {
        /// The repository root.
        root: PathBuf,
        /// The staged files.
        files: Vec<git::StagedFile>,
        /// Their blobs, in the same order.
        blobs: Vec<std::result::Result<Vec<u8>, u64>>,
    },
    /// The history, read while scanning.
    History {
        /// The repository root.
        root: PathBuf,
        /// The revision range.
        range: Option<String>,
    },
}

/// Does the git I/O of a source: for `--staged`, lists the staged files and
/// reads their blobs (the repository root is found at the same time).
pub fn prepare(source: &Source, options: &Options, cwd: &Path) -> Result<Prepared> {
    Ok(match source {
        Source::Paths(paths) => Prepared::Paths(paths.clone()),
        Source::History(range) => Prepared::History {
            root: git::repo_root(cwd)?,
            range: range.clone(),
        },
        Source::Staged => {
            let root = git::repo_root(cwd)?;
            // Start reading blobs while the staged files are listed: the
            // two git start-ups overlap.
            let reader = git::BlobReader::start(&root)?;
            let smignore = repo_smignore(&root);
            let files: Vec<git::StagedFile> = git::staged_files(&root)?
                .into_iter()
                .filter(|f| !ignored(&smignore, &f.path))
                .collect();
            let ids: Vec<String> = files.iter().map(|f| f.blob.clone()).collect();
            let blobs = if ids.is_empty() {
                Vec::new()
            } else {
                reader.read(&ids, options.max_file_size)?
            };
            Prepared::Staged { root, files, blobs }
        }
    })
}

/// Scans `source`, with paths shown relative to `cwd`.
pub fn run(scanner: &Scanner, source: &Source, options: &Options, cwd: &Path) -> Result<Outcome> {
    let prepared = prepare(source, options, cwd)?;
    run_prepared(scanner, prepared, options, cwd)
}

/// Scans a prepared source.
pub fn run_prepared(
    scanner: &Scanner,
    prepared: Prepared,
    options: &Options,
    cwd: &Path,
) -> Result<Outcome> {
    let mut outcome = match prepared {
        Prepared::Paths(paths) => scan_paths(scanner, &paths, options, cwd)?,
        Prepared::Staged { root, files, blobs } => {
            scan_staged(scanner, &root, &files, &blobs, options)
        }
        Prepared::History { root, range } => {
            scan_history(scanner, &root, range.as_deref(), options)?
        }
    };
    outcome.findings.sort_by(|a, b| {
        (&a.path, &a.commit, a.line, a.column).cmp(&(&b.path, &b.commit, b.line, b.column))
    });
    outcome.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(outcome)
}

/// Scans one buffer. `line_numbers` maps buffer lines to real lines (for
/// history, where the buffer holds only the added lines). `real_path` is
/// where the file lives on disk, to tell whether it is inside a store.
pub fn scan_buffer(
    scanner: &Scanner,
    path: &str,
    real_path: Option<&Path>,
    data: &[u8],
    line_numbers: Option<&[usize]>,
    commit: Option<&str>,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    let store_kind = real_path.and_then(store_file_kind);
    let is_age = crate::crypto::is_age_file(data);
    if let Some(kind) = store_kind
        && !kind.accepts(is_age)
    {
        findings.push(Finding {
            rule: STORE_RULE.to_string(),
            description: "a file inside the store that is not sm's own format".to_string(),
            path: path.to_string(),
            line: 1,
            column: 1,
            commit: commit.map(str::to_string),
            preview: engine::redact(first_line(data)),
            fingerprint: fingerprint(STORE_RULE, path, b""),
            secret: None,
        });
    }
    if is_age {
        return findings;
    }
    let kind = BufferKind {
        lock_file: is_lock_file(path),
    };
    for hit in scanner.find(data, kind) {
        let pos = engine::position(data, hit.start);
        if pos.allowed {
            continue;
        }
        let line = line_numbers
            .and_then(|n| n.get(pos.line - 1).copied())
            .unwrap_or(pos.line);
        findings.push(to_finding(&hit, data, path, line, pos.column, commit));
    }
    findings
}

fn to_finding(
    hit: &Hit,
    data: &[u8],
    path: &str,
    line: usize,
    column: usize,
    commit: Option<&str>,
) -> Finding {
    let value = &data[hit.start..hit.end];
    let fp = match &hit.secret {
        Some(name) => fingerprint(&hit.rule, path, name.as_bytes()),
        None => fingerprint(&hit.rule, path, value),
    };
    Finding {
        rule: hit.rule.clone(),
        description: hit.description.clone(),
        path: path.to_string(),
        line,
        column,
        commit: commit.map(str::to_string),
        preview: engine::redact(value),
        fingerprint: fp,
        secret: hit.secret.clone(),
    }
}

fn first_line(data: &[u8]) -> &[u8] {
    let end = data
        .iter()
        .position(|b| *b == b'\n')
        .unwrap_or(data.len())
        .min(64);
    &data[..end]
}

/// A truncated, domain-separated SHA-256 of rule, path and value.
fn fingerprint(rule: &str, path: &str, value: &[u8]) -> String {
    let mut input = Vec::with_capacity(rule.len() + path.len() + value.len() + 16);
    input.extend_from_slice(b"sm-scan/1\0");
    input.extend_from_slice(rule.as_bytes());
    input.push(0);
    input.extend_from_slice(path.as_bytes());
    input.push(0);
    input.extend_from_slice(value);
    let hash = crate::crypto::sha256_hex(&input);
    zeroize::Zeroize::zeroize(&mut input);
    hash[..16].to_string()
}

/// Lock files hold hashes, not secrets: only managed values are matched.
fn is_lock_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.ends_with(".lock")
        || matches!(
            name,
            "package-lock.json"
                | "npm-shrinkwrap.json"
                | "pnpm-lock.yaml"
                | "go.sum"
                | "composer.lock"
                | "Gemfile.lock"
                | "poetry.lock"
                | "yarn.lock"
        )
}

/// Where a file sits inside a store.
#[derive(Clone, Copy, Debug)]
enum StoreFileKind {
    /// One of sm's files.
    Own,
    /// Under `secrets/`, where only age files and sm's TOML belong.
    SecretsOther,
    /// Something else under the store's folders.
    Foreign,
}

impl StoreFileKind {
    fn accepts(self, is_age: bool) -> bool {
        match self {
            StoreFileKind::Own => true,
            StoreFileKind::SecretsOther => is_age,
            StoreFileKind::Foreign => false,
        }
    }
}

/// Classifies a file under a store's `.sm/` or `secrets/` folder (`None`
/// when it is not in a store).
fn store_file_kind(path: &Path) -> Option<StoreFileKind> {
    let components: Vec<Component> = path.components().collect();
    // The store may sit anywhere above; a secret's own name segment may
    // also be called `secrets`, so try each candidate from the top.
    for (i, component) in components.iter().enumerate() {
        let Component::Normal(n) = component else {
            continue;
        };
        let top = n.to_string_lossy();
        if top != crate::store::SM_DIR && top != crate::store::SECRETS_DIR {
            continue;
        }
        let root: PathBuf = components[..i].iter().collect();
        let root = if root.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            root
        };
        if !crate::store::is_store(&root) {
            continue;
        }
        let rest: Vec<String> = components[i + 1..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let name = rest.last().map(String::as_str).unwrap_or("");
        return Some(if top == crate::store::SM_DIR {
            let own = name.contains(".toml")
                || name.contains(".jsonl")
                || name == ".gitignore"
                || name == ".gitattributes"
                || rest.first().is_some_and(|f| f == "locks");
            if own {
                StoreFileKind::Own
            } else {
                StoreFileKind::Foreign
            }
        } else {
            let in_versions = rest.len() >= 2 && rest[rest.len() - 2] == "versions";
            let own_toml = (name.starts_with("meta.toml") || name.starts_with(".meta.toml"))
                || (in_versions && name.contains(".toml"));
            if own_toml {
                StoreFileKind::Own
            } else {
                StoreFileKind::SecretsOther
            }
        });
    }
    None
}

fn display_path(path: &Path, cwd: &Path) -> String {
    let rel = path.strip_prefix(cwd).unwrap_or(path);
    let rel = rel.strip_prefix(".").unwrap_or(rel);
    let text = rel.to_string_lossy().replace('\\', "/");
    if text.is_empty() {
        ".".to_string()
    } else {
        text
    }
}

/// Tells whether data looks binary (a NUL in its first 8 KiB).
fn is_binary(data: &[u8]) -> bool {
    data[..data.len().min(8192)].contains(&0)
}

fn scan_paths(
    scanner: &Scanner,
    paths: &[PathBuf],
    options: &Options,
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
    let mut builder = ignore::WalkBuilder::new(&roots[0]);
    for root in &roots[1..] {
        builder.add(root);
    }
    builder
        .hidden(false)
        .require_git(false)
        .follow_links(false)
        .add_custom_ignore_filename(SMIGNORE)
        .filter_entry(|e| e.file_name() != ".git")
        .threads(
            std::thread::available_parallelism()
                .map_or(2, |n| n.get())
                .min(8),
        );
    let outcome = Mutex::new(Outcome::default());
    let max = options.max_file_size;
    builder.build_parallel().run(|| {
        let outcome = &outcome;
        Box::new(move |entry| {
            let Ok(entry) = entry else {
                return WalkState::Continue;
            };
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                return WalkState::Continue;
            }
            let path = entry.path();
            let shown = display_path(path, cwd);
            let skip = |reason: String| {
                outcome.lock().expect("not poisoned").skipped.push(Skipped {
                    path: shown.clone(),
                    reason,
                });
            };
            let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
            if size > max {
                skip(format!("larger than {max} bytes"));
                return WalkState::Continue;
            }
            let data = match std::fs::read(path) {
                Ok(d) => d,
                Err(e) => {
                    skip(format!("cannot read: {e}"));
                    return WalkState::Continue;
                }
            };
            if is_binary(&data) {
                skip("binary".to_string());
                return WalkState::Continue;
            }
            let real = cwd.join(path);
            let found = scan_buffer(scanner, &shown, Some(&real), &data, None, None);
            let mut o = outcome.lock().expect("not poisoned");
            o.scanned += 1;
            o.findings.extend(found);
            WalkState::Continue
        })
    });
    Ok(outcome.into_inner().expect("not poisoned"))
}

/// Loads the repository's top-level `.smignore`.
fn repo_smignore(root: &Path) -> Gitignore {
    let mut builder = GitignoreBuilder::new(root);
    let _ = builder.add(root.join(SMIGNORE));
    builder.build().unwrap_or_else(|_| Gitignore::empty())
}

fn ignored(ignore: &Gitignore, path: &str) -> bool {
    ignore
        .matched_path_or_any_parents(Path::new(path), false)
        .is_ignore()
}

fn scan_staged(
    scanner: &Scanner,
    root: &Path,
    files: &[git::StagedFile],
    blobs: &[std::result::Result<Vec<u8>, u64>],
    options: &Options,
) -> Outcome {
    let mut outcome = Outcome::default();
    let results: Vec<(Vec<Finding>, Option<Skipped>)> = files
        .par_iter()
        .zip(blobs.par_iter())
        .map(|(file, blob)| match blob {
            Err(size) => (
                Vec::new(),
                Some(Skipped {
                    path: file.path.clone(),
                    reason: format!("larger than {} bytes ({size})", options.max_file_size),
                }),
            ),
            Ok(data) if is_binary(data) => (
                Vec::new(),
                Some(Skipped {
                    path: file.path.clone(),
                    reason: "binary".to_string(),
                }),
            ),
            Ok(data) => (
                scan_buffer(
                    scanner,
                    &file.path,
                    Some(&root.join(&file.path)),
                    data,
                    None,
                    None,
                ),
                None,
            ),
        })
        .collect();
    for (found, skipped) in results {
        match skipped {
            Some(s) => outcome.skipped.push(s),
            None => outcome.scanned += 1,
        }
        outcome.findings.extend(found);
    }
    outcome
}

fn scan_history(
    scanner: &Scanner,
    root: &Path,
    range: Option<&str>,
    options: &Options,
) -> Result<Outcome> {
    let smignore = repo_smignore(root);
    let mut outcome = Outcome::default();
    let mut batch: Vec<git::AddedLines> = Vec::new();
    let mut batch_bytes = 0usize;
    let flush = |batch: &mut Vec<git::AddedLines>, outcome: &mut Outcome| {
        let found: Vec<Vec<Finding>> = batch
            .par_iter()
            .map(|chunk| {
                scan_buffer(
                    scanner,
                    &chunk.path,
                    Some(&root.join(&chunk.path)),
                    &chunk.text,
                    Some(&chunk.line_numbers),
                    Some(&chunk.commit),
                )
            })
            .collect();
        outcome.scanned += batch.len();
        outcome.findings.extend(found.into_iter().flatten());
        batch.clear();
    };
    git::added_lines(root, range, |chunk| {
        if ignored(&smignore, &chunk.path) {
            return;
        }
        if chunk.text.len() as u64 > options.max_file_size {
            outcome.skipped.push(Skipped {
                path: format!(
                    "{}:{}",
                    &chunk.commit[..chunk.commit.len().min(12)],
                    chunk.path
                ),
                reason: format!("added more than {} bytes", options.max_file_size),
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

/// Drops findings whose fingerprint a baseline already lists; returns how
/// many were dropped.
pub fn apply_baseline(findings: &mut Vec<Finding>, baseline: &report::Baseline) -> usize {
    let before = findings.len();
    findings.retain(|f| !baseline.fingerprints.contains(&f.fingerprint));
    before - findings.len()
}
