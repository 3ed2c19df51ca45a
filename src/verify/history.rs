//! `sm verify --history`: freshness from git history alone, for a machine
//! that never saw the store (a CI job on a fresh clone). Every commit is
//! compared with each of its parents, oldest first: signed files' sequences
//! only rise, nothing sm keeps vanishes without a signed reason (a secret
//! without its tombstone, a version its metadata still lists, a log file or
//! its head, the header), a header change is signed by an admin of the
//! header before it (authority comes from history, as in TUF's root
//! rotation), and a secret's metadata or tombstone is signed by a member who
//! could write it under that commit's rules. The per-pair rules live in
//! [`super::rules`]; the git plumbing in [`super::repo`].

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::Instant;

use serde::Serialize;

use super::repo::{Blobs, Change, Commit, Oid, Repo};
use crate::error::{Error, Result};
use crate::store::snapshot::{TeamFiles, TeamView};
use crate::store::{REPLICAS_FILE, SM_DIR};

/// One problem found in history.
#[derive(Clone, Debug, Serialize)]
pub struct HistoryProblem {
    /// The file, relative to the store's root.
    pub file: PathBuf,
    /// The commit that made the change (short id).
    pub commit: String,
    /// The commit's subject line.
    pub subject: String,
    /// What happened.
    pub reason: String,
}

/// What `sm verify --history` found.
#[derive(Clone, Debug, Default, Serialize)]
pub struct HistoryReport {
    /// Commits walked.
    pub commits: usize,
    /// Changed store files checked (counted once per commit and parent).
    pub files: usize,
    /// Objects read from git.
    pub blobs: usize,
    /// Milliseconds the walk took.
    pub millis: u128,
    /// For a shallow clone: the oldest commit it holds (short id), where
    /// the check had to start.
    pub shallow_from: Option<String>,
    /// Problems found, oldest commit first.
    pub problems: Vec<HistoryProblem>,
}

/// The team files at one commit, as verified there.
#[derive(Debug)]
pub(super) struct TeamAt {
    /// The verified view (None: no store at that commit, or its team
    /// files did not verify, which was reported where it happened).
    pub view: Option<TeamView>,
}

/// The sequence-bearing content of a signed file, parsed without checks.
#[derive(Clone, Debug, Default)]
pub(super) struct Info {
    /// The file's sequence (0: format 1).
    pub seq: u64,
    /// A meta.toml's version list.
    pub versions: Option<Vec<String>>,
    /// A store.toml's id and root key.
    pub store: Option<(String, String)>,
}

/// What a store path is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    /// `.sm/header.toml`.
    Header,
    /// A team file under `.sm/` (its file name).
    Team(&'static str),
    /// A log file under `.sm/log/`.
    Log,
    /// A secret's `meta.toml` (the secret's name).
    Meta(String),
    /// A secret's `tombstone.toml`.
    Tomb(String),
    /// A version's record or ciphertext (secret, version id).
    Version(String, String),
    /// Anything else.
    Other,
}

/// Classifies a path relative to the store root.
pub(super) fn classify(path: &str) -> Kind {
    if let Some(rest) = path.strip_prefix(".sm/") {
        if rest == crate::store::header::HEADER_FILE {
            return Kind::Header;
        }
        for team in crate::store::header::TEAM_FILES {
            if rest == team {
                return Kind::Team(team);
            }
        }
        if rest.starts_with("log/") && rest.ends_with(".jsonl") {
            return Kind::Log;
        }
        return Kind::Other;
    }
    let Some(rest) = path.strip_prefix("secrets/") else {
        return Kind::Other;
    };
    let Some((name, file)) = rest.split_once(".secret/") else {
        return Kind::Other;
    };
    let name = name.to_string();
    match file {
        "meta.toml" => Kind::Meta(name),
        crate::store::TOMBSTONE_FILE => Kind::Tomb(name),
        _ => match file.strip_prefix("versions/") {
            Some(v) if !v.contains('/') => {
                match v.strip_suffix(".toml").or_else(|| v.strip_suffix(".age")) {
                    Some(id) => Kind::Version(name, id.to_string()),
                    None => Kind::Other,
                }
            }
            _ => Kind::Other,
        },
    }
}

/// The path of a secret's file relative to the store root.
pub(super) fn secret_path(name: &str, file: &str) -> String {
    format!("secrets/{name}.secret/{file}")
}

/// The walk's state.
pub(super) struct Walker<'r> {
    pub repo: &'r Repo,
    pub blobs: Blobs,
    /// Team files by commit.
    teams: HashMap<Oid, Rc<TeamAt>>,
    /// Team files by the blob ids of store, members, access, replicas
    /// and header.
    by_blobs: HashMap<Vec<Option<Oid>>, Rc<TeamAt>>,
    /// Parsed sequences by blob id.
    infos: HashMap<Oid, Option<Rc<Info>>>,
    /// The last content read of each log file.
    pub logs: HashMap<String, (Oid, Rc<Vec<u8>>)>,
    /// Problems as (file, commit id, reason).
    pub problems: Vec<(String, Oid, String)>,
    /// Changed files examined.
    pub files: usize,
}

impl<'r> Walker<'r> {
    /// Records a problem at `commit`.
    pub fn problem(&mut self, file: &str, commit: &str, reason: impl Into<String>) {
        self.problems
            .push((file.to_string(), commit.to_string(), reason.into()));
    }

    /// Records an error as a problem at `commit` (its file is relative
    /// to the store root, as every path this walk names is).
    pub fn error(&mut self, fallback: &str, commit: &str, e: Error) {
        let (file, reason) = match e {
            Error::Integrity { file, reason, .. } => (file.to_string_lossy().into_owned(), reason),
            other => (fallback.to_string(), other.to_string()),
        };
        self.problem(&file, commit, reason);
    }

    /// Reads a blob by id.
    pub fn blob(&mut self, oid: &str) -> Result<Option<Vec<u8>>> {
        Ok(self.blobs.get(oid)?.map(|(_, b)| b))
    }

    /// Reads a store file at a commit: its blob id and bytes.
    pub fn at(&mut self, commit: &str, path: &str) -> Result<Option<(Oid, Vec<u8>)>> {
        let spec = format!("{commit}:{}{path}", self.repo.prefix);
        self.blobs.get(&spec)
    }

    /// Parses a signed file's sequence (and what else the rules need),
    /// cached by blob id; None when it does not parse.
    pub fn info(&mut self, kind: &Kind, oid: &str) -> Result<Option<Rc<Info>>> {
        if let Some(found) = self.infos.get(oid) {
            return Ok(found.clone());
        }
        let bytes = self.blob(oid)?.unwrap_or_default();
        let info = parse_info(kind, &bytes).map(Rc::new);
        self.infos.insert(oid.to_string(), info.clone());
        Ok(info)
    }

    /// Returns the team files at `commit`, verified (and a problem
    /// recorded at `commit` when they were new there and did not verify).
    fn team_at(&mut self, commit: &Commit, first: &[Change]) -> Result<Rc<TeamAt>> {
        let team_changed = first
            .iter()
            .any(|c| matches!(classify(&c.path), Kind::Header | Kind::Team(_)));
        if let Some(parent) = commit.parents.first()
            && !team_changed
            && let Some(team) = self.teams.get(parent)
        {
            return Ok(team.clone());
        }
        let mut files: Vec<Option<(Oid, Vec<u8>)>> = Vec::with_capacity(5);
        for name in ["store.toml", "members.toml", "access.toml", REPLICAS_FILE] {
            files.push(self.at(&commit.id, &format!("{SM_DIR}/{name}"))?);
        }
        files.push(self.at(
            &commit.id,
            &format!("{SM_DIR}/{}", crate::store::header::HEADER_FILE),
        )?);
        let key: Vec<Option<Oid>> = files
            .iter()
            .map(|f| f.as_ref().map(|(o, _)| o.clone()))
            .collect();
        if let Some(team) = self.by_blobs.get(&key) {
            return Ok(team.clone());
        }
        let bytes = |i: usize| files[i].as_ref().map(|(_, b)| b.as_slice());
        let view = match (bytes(0), bytes(1)) {
            (Some(store), Some(members)) => {
                let view = TeamView::verify(
                    Path::new(""),
                    &TeamFiles {
                        store,
                        members,
                        access: bytes(2),
                        replicas: bytes(3),
                        header: bytes(4),
                    },
                    true,
                );
                match view {
                    Ok(v) => Some(v),
                    Err(e) => {
                        self.error(".sm/header.toml", &commit.id, e);
                        None
                    }
                }
            }
            (Some(_), None) => {
                self.problem(
                    ".sm/members.toml",
                    &commit.id,
                    "missing: the store has no member list",
                );
                None
            }
            _ => None,
        };
        let team = Rc::new(TeamAt { view });
        self.by_blobs.insert(key, team.clone());
        Ok(team)
    }
}

/// Parses what the rules need from a signed file's bytes.
fn parse_info(kind: &Kind, bytes: &[u8]) -> Option<Info> {
    use crate::store::files::{self, AccessFile, MembersFile, Meta, StoreFile, Tombstone};
    use crate::store::header::HeaderFile;
    let path = Path::new("");
    Some(match kind {
        Kind::Meta(_) => {
            let meta: Meta = files::parse_toml(bytes, path).ok()?;
            Info {
                seq: meta.seq,
                versions: meta.versions,
                store: None,
            }
        }
        Kind::Tomb(_) => Info {
            seq: files::parse_toml::<Tombstone>(bytes, path).ok()?.seq,
            ..Info::default()
        },
        Kind::Header => Info {
            seq: files::parse_toml::<HeaderFile>(bytes, path).ok()?.seq,
            ..Info::default()
        },
        Kind::Team("store.toml") => {
            let file: StoreFile = files::parse_toml(bytes, path).ok()?;
            Info {
                seq: file.seq,
                versions: None,
                store: Some((file.id, file.root_key)),
            }
        }
        Kind::Team("members.toml") => Info {
            seq: files::parse_toml::<MembersFile>(bytes, path).ok()?.seq,
            ..Info::default()
        },
        Kind::Team("access.toml") => Info {
            seq: files::parse_toml::<AccessFile>(bytes, path).ok()?.seq,
            ..Info::default()
        },
        _ => return None,
    })
}

/// Walks the history of the store at `root` (see the module docs).
pub fn verify_history(root: &Path) -> Result<HistoryReport> {
    let started = Instant::now();
    let repo = Repo::find(root)?;
    let commits = repo.commits()?;
    let changes = repo.changes(&commits)?;
    let mut walker = Walker {
        repo: &repo,
        blobs: Blobs::start(&repo)?,
        teams: HashMap::new(),
        by_blobs: HashMap::new(),
        infos: HashMap::new(),
        logs: HashMap::new(),
        problems: Vec::new(),
        files: 0,
    };
    let mut pairs = changes.into_iter();
    for commit in &commits {
        let n = commit.parents.len().max(1);
        let mine: Vec<Vec<Change>> = pairs.by_ref().take(n).collect();
        let team = walker.team_at(commit, &mine[0])?;
        let parents: Vec<Option<Rc<TeamAt>>> = commit
            .parents
            .iter()
            .map(|p| walker.teams.get(p).cloned())
            .collect();
        walker.check_commit(commit, &mine, &team, &parents)?;
        walker.teams.insert(commit.id.clone(), team);
    }
    let mut report = HistoryReport {
        commits: commits.len(),
        files: walker.files,
        ..HistoryReport::default()
    };
    if repo.shallow
        && let Some(first) = commits.first()
    {
        report.shallow_from = Some(repo.describe(&first.id).0);
    }
    let mut described: HashMap<Oid, (String, String)> = HashMap::new();
    let mut seen = HashSet::new();
    for (file, commit, reason) in std::mem::take(&mut walker.problems) {
        if !seen.insert((file.clone(), commit.clone(), reason.clone())) {
            continue;
        }
        let (short, subject) = described
            .entry(commit.clone())
            .or_insert_with(|| repo.describe(&commit))
            .clone();
        report.problems.push(HistoryProblem {
            file: PathBuf::from(file),
            commit: short,
            subject,
            reason,
        });
    }
    report.blobs = walker.blobs.reads;
    report.millis = started.elapsed().as_millis();
    Ok(report)
}
