//! `sm scan`: finding plaintext secrets before (or after) they reach git.
//!
//! - [`engine`]: the one-pass Aho-Corasick matcher, the overlap sweep,
//!   redaction.
//! - [`lines`]: line and column positions (a line table per buffer).
//! - [`rules`]: the credential formats and the checks that keep
//!   non-secrets quiet.
//! - [`managed`]: this store's own values and their encodings.
//! - [`git`]: staged blobs and the lines each commit added.
//! - [`report`]: text, JSON and SARIF output, and baselines.
//! - [`hook`]: the git pre-commit hook.
//! - `walk`: files and folders (regular files only, read with a cap).
//! - `sources`: the index and the history.
//! - `store_file`: what may lie inside a store.
//!
//! This module reads the sources (files in parallel, respecting
//! `.gitignore` and `.smignore`; the index; the history) and turns hits into
//! [`Finding`]s: at most [`Options::max_findings_per_file`] per file, the
//! rest counted in [`Outcome::omitted`]. A finding never holds more of a
//! secret than its redacted preview. Every step is linear in the input
//! (hostile input included: a megabyte of tokens on one line).

pub mod engine;
pub mod git;
pub mod gitleaks;
pub mod hook;
pub mod lines;
mod literals;
mod loose;
pub mod managed;
pub(crate) mod prefix;
pub mod prepared;
pub mod report;
pub mod rules;
mod sources;
mod store_file;
mod walk;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use engine::Scanner;
use engine::{BufferKind, Hit};

use crate::error::Result;

/// The allow-list file name (gitignore syntax).
pub const SMIGNORE: &str = ".smignore";

/// The default size limit: larger files are skipped.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 1024 * 1024;

/// The default number of findings listed per file; the rest are counted.
pub const DEFAULT_MAX_FINDINGS_PER_FILE: usize = 100;

/// The rule id of plaintext files inside a store.
pub const STORE_RULE: &str = "store-plaintext";

/// The rule id of links and special files inside a store.
pub const STORE_SPECIAL_RULE: &str = "store-special-file";

/// The largest `.smignore` read for `--staged` and `--history`.
pub const MAX_SMIGNORE_SIZE: u64 = walk::MAX_IGNORE_FILE_SIZE;

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
    /// Findings listed per file (per commit and file for `--history`);
    /// the rest are counted in [`Outcome::omitted`]. At least 1.
    pub max_findings_per_file: usize,
    /// Findings to leave out (applied before the per-file cap, so that a
    /// baselined finding never hides a new one).
    pub baseline: Option<report::Baseline>,
    /// The repository's `.gitleaks.toml`: custom rules and allowlists.
    pub gitleaks: Option<std::sync::Arc<gitleaks::Config>>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            max_findings_per_file: DEFAULT_MAX_FINDINGS_PER_FILE,
            baseline: None,
            gitleaks: None,
        }
    }
}

/// What one buffer's scan needs besides the buffer.
pub(crate) struct Limits {
    max_file_size: u64,
    max_findings: usize,
    baseline: Option<report::Baseline>,
    gitleaks: Option<std::sync::Arc<gitleaks::Config>>,
}

impl Limits {
    fn of(options: &Options) -> Limits {
        Limits {
            max_file_size: options.max_file_size,
            max_findings: options.max_findings_per_file.max(1),
            baseline: options.baseline.clone(),
            gitleaks: options.gitleaks.clone(),
        }
    }

    fn unlimited() -> Limits {
        Limits {
            max_file_size: u64::MAX,
            max_findings: usize::MAX,
            baseline: None,
            gitleaks: None,
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

/// Findings of one file left out of the report (past the per-file cap).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Omitted {
    /// The path, as in its findings.
    pub path: String,
    /// For `--history`: the commit, as in its findings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// How many findings were listed (the cap).
    pub listed: usize,
    /// How many findings were left out.
    pub count: usize,
}

/// What a scan found.
#[derive(Debug, Default)]
pub struct Outcome {
    /// The findings, sorted by path, commit, line and column: at most the
    /// per-file cap of each file.
    pub findings: Vec<Finding>,
    /// The findings counted but not listed, per file, sorted like them.
    pub omitted: Vec<Omitted>,
    /// How many findings the baseline suppressed.
    pub baselined: usize,
    /// How many files (blobs, commit diffs) were read.
    pub scanned: usize,
    /// What was skipped and why.
    pub skipped: Vec<Skipped>,
}

impl Outcome {
    /// Returns how many findings there were, listed or not.
    pub fn total(&self) -> usize {
        self.findings.len() + self.omitted.iter().map(|o| o.count).sum::<usize>()
    }

    fn add(&mut self, scanned: Scanned) {
        self.findings.extend(scanned.findings);
        self.baselined += scanned.baselined;
        self.omitted.extend(scanned.omitted);
    }

    fn skip(&mut self, path: String, reason: String) {
        self.skipped.push(Skipped { path, reason });
    }
}

/// One buffer's findings.
pub(crate) struct Scanned {
    findings: Vec<Finding>,
    omitted: Option<Omitted>,
    baselined: usize,
}

/// Collects one buffer's findings through the baseline and the cap.
struct Collector<'a> {
    limits: &'a Limits,
    findings: Vec<Finding>,
    omitted: usize,
    baselined: usize,
}

impl<'a> Collector<'a> {
    fn new(limits: &'a Limits) -> Collector<'a> {
        Collector {
            limits,
            findings: Vec::new(),
            omitted: 0,
            baselined: 0,
        }
    }

    /// Offers a finding with fingerprint `fingerprint`, built only when it
    /// is listed.
    fn offer(
        &mut self,
        fingerprint: impl FnOnce() -> String,
        build: impl FnOnce(String) -> Finding,
    ) {
        let full = self.findings.len() >= self.limits.max_findings;
        if full && self.limits.baseline.is_none() {
            self.omitted += 1;
            return;
        }
        let fingerprint = fingerprint();
        if self
            .limits
            .baseline
            .as_ref()
            .is_some_and(|b| b.fingerprints.contains(&fingerprint))
        {
            self.baselined += 1;
        } else if full {
            self.omitted += 1;
        } else {
            self.findings.push(build(fingerprint));
        }
    }

    /// Offers a finding built already.
    fn offer_built(&mut self, finding: Finding) {
        let fingerprint = finding.fingerprint.clone();
        self.offer(|| fingerprint, |_| finding);
    }

    fn finish(self, path: &str, commit: Option<&str>) -> Scanned {
        let omitted = (self.omitted > 0).then(|| Omitted {
            path: path.to_string(),
            commit: commit.map(str::to_string),
            listed: self.findings.len(),
            count: self.omitted,
        });
        Scanned {
            findings: self.findings,
            omitted,
            baselined: self.baselined,
        }
    }
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
        /// What was not read (a `.smignore` that is not a regular file).
        skipped: Vec<Skipped>,
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
    prepare_then(source, options, cwd, |_| {})
}

/// The same as [`prepare`], telling `listed` as soon as it is known whether
/// there is anything to scan (for a staged scan, after listing the index
/// diff and before reading blobs), so the caller can skip decrypting the
/// store when nothing is staged. `listed` is not called on an error before.
pub fn prepare_then(
    source: &Source,
    options: &Options,
    cwd: &Path,
    listed: impl FnOnce(bool),
) -> Result<Prepared> {
    Ok(match source {
        Source::Paths(paths) => {
            listed(true);
            Prepared::Paths(paths.clone())
        }
        Source::History(range) => {
            let root = git::repo_root(cwd)?;
            listed(true);
            Prepared::History {
                root,
                range: range.clone(),
            }
        }
        Source::Staged => {
            let root = git::repo_root(cwd)?;
            // Staged blobs are read from the loose objects where they can
            // be; else `git cat-file` is started while the staged files are
            // listed, so the two git start-ups overlap.
            let loose = loose::Loose::of(&root);
            let mut reader = match loose {
                Some(_) => None,
                None => Some(git::BlobReader::start(&root)?),
            };
            let (smignore, note) = sources::repo_smignore(&root);
            let files: Vec<git::StagedFile> = git::staged_files(&root)?
                .into_iter()
                .filter(|f| !sources::ignored(&smignore, &f.path))
                .collect();
            listed(!files.is_empty());
            let max = options.max_file_size;
            let mut blobs: Vec<Option<loose::Blob>> = files
                .iter()
                .map(|f| loose.as_ref().and_then(|l| l.read(&f.blob, max)))
                .collect();
            let missing: Vec<usize> = (0..blobs.len()).filter(|i| blobs[*i].is_none()).collect();
            if !missing.is_empty() {
                let reader = match reader.take() {
                    Some(reader) => reader,
                    None => git::BlobReader::start(&root)?,
                };
                let ids: Vec<String> = missing.iter().map(|i| files[*i].blob.clone()).collect();
                for (i, blob) in missing.into_iter().zip(reader.read(&ids, max)?) {
                    blobs[i] = Some(blob);
                }
            }
            let blobs: Vec<loose::Blob> = blobs.into_iter().flatten().collect();
            Prepared::Staged {
                root,
                files,
                blobs,
                skipped: note.into_iter().collect(),
            }
        }
    })
}

/// Scans `source`, with paths shown relative to `cwd`.
pub fn run(scanner: &Scanner, source: &Source, options: &Options, cwd: &Path) -> Result<Outcome> {
    let prepared = prepare(source, options, cwd)?;
    run_prepared(scanner, prepared, options, cwd)
}

/// Scans a prepared source.
impl Prepared {
    /// The staged blobs, for a staged scan.
    pub fn staged_blobs(&self) -> Option<&[std::result::Result<Vec<u8>, u64>]> {
        match self {
            Prepared::Staged { blobs, .. } => Some(blobs),
            _ => None,
        }
    }
}

pub fn run_prepared(
    scanner: &Scanner,
    prepared: Prepared,
    options: &Options,
    cwd: &Path,
) -> Result<Outcome> {
    let limits = Limits::of(options);
    let mut outcome = match prepared {
        Prepared::Paths(paths) => walk::scan_paths(scanner, &paths, &limits, cwd)?,
        Prepared::Staged {
            root,
            files,
            blobs,
            skipped,
        } => {
            let mut outcome = sources::scan_staged(scanner, &root, &files, &blobs, &limits);
            outcome.skipped.extend(skipped);
            outcome
        }
        Prepared::History { root, range } => {
            sources::scan_history(scanner, &root, range.as_deref(), &limits)?
        }
    };
    outcome.findings.sort_by(|a, b| {
        (&a.path, &a.commit, a.line, a.column).cmp(&(&b.path, &b.commit, b.line, b.column))
    });
    outcome
        .omitted
        .sort_by(|a, b| (&a.path, &a.commit).cmp(&(&b.path, &b.commit)));
    outcome.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(outcome)
}

/// Scans one buffer and returns every finding (no cap, no baseline).
/// `line_numbers` maps buffer lines to real lines (for history, where the
/// buffer holds only the added lines). `real_path` is where the file lives
/// on disk, to tell whether it is inside a store.
pub fn scan_buffer(
    scanner: &Scanner,
    path: &str,
    real_path: Option<&Path>,
    data: &[u8],
    line_numbers: Option<&[usize]>,
    commit: Option<&str>,
) -> Vec<Finding> {
    let limits = Limits::unlimited();
    scan_capped(
        scanner,
        path,
        real_path,
        data,
        line_numbers,
        commit,
        &limits,
    )
    .findings
}

/// Scans one buffer through the baseline and the per-file cap. Linear in
/// the buffer: positions come from one line table, and findings past the
/// cap are only counted.
fn scan_capped(
    scanner: &Scanner,
    path: &str,
    real_path: Option<&Path>,
    data: &[u8],
    line_numbers: Option<&[usize]>,
    commit: Option<&str>,
    limits: &Limits,
) -> Scanned {
    let mut found = Collector::new(limits);
    let store_kind = real_path.and_then(store_file::store_file_kind);
    let is_age = crate::crypto::is_age_file(data);
    if let Some(kind) = store_kind
        && !kind.accepts(is_age)
    {
        found.offer_built(store_file::plaintext_finding(path, data, commit));
    }
    if is_age {
        return found.finish(path, commit);
    }
    // sm's own files name secrets but never hold values (SPEC section 7).
    if matches!(store_kind, Some(store_file::StoreFileKind::Own))
        && real_path.is_some_and(|p| store_file::is_own_format(p, data))
    {
        return found.finish(path, commit);
    }
    let kind = BufferKind {
        lock_file: is_lock_file(path),
    };
    let mut hits = scanner.find(data, kind);
    if let Some(config) = &limits.gitleaks {
        hits = config.apply(hits, data, path, real_path, commit, kind);
    }
    if hits.is_empty() {
        return found.finish(path, commit);
    }
    let mut lines = lines::Lines::new(data);
    for hit in &hits {
        let pos = lines.position(hit.start);
        if pos.allowed {
            continue;
        }
        let line = line_numbers
            .and_then(|n| n.get(pos.line - 1).copied())
            .unwrap_or(pos.line);
        found.offer(
            || hit_fingerprint(hit, data, path),
            |fingerprint| to_finding(hit, data, path, line, pos.column, commit, fingerprint),
        );
    }
    found.finish(path, commit)
}

fn hit_fingerprint(hit: &Hit, data: &[u8], path: &str) -> String {
    match &hit.secret {
        Some(name) => fingerprint(&hit.rule, path, name.as_bytes()),
        None => fingerprint(&hit.rule, path, &data[hit.start..hit.end]),
    }
}

fn to_finding(
    hit: &Hit,
    data: &[u8],
    path: &str,
    line: usize,
    column: usize,
    commit: Option<&str>,
    fingerprint: String,
) -> Finding {
    Finding {
        rule: hit.rule.clone(),
        description: hit.description.clone(),
        path: path.to_string(),
        line,
        column,
        commit: commit.map(str::to_string),
        preview: engine::redact(&data[hit.start..hit.end]),
        fingerprint,
        secret: hit.secret.clone(),
    }
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

/// Tells whether data looks binary (a NUL in its first 8 KiB).
fn is_binary(data: &[u8]) -> bool {
    data[..data.len().min(8192)].contains(&0)
}

/// Drops findings whose fingerprint a baseline already lists; returns how
/// many were dropped.
pub fn apply_baseline(findings: &mut Vec<Finding>, baseline: &report::Baseline) -> usize {
    let before = findings.len();
    findings.retain(|f| !baseline.fingerprints.contains(&f.fingerprint));
    before - findings.len()
}
