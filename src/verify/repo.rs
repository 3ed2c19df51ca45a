//! The git side of `sm verify --history`: where the store sits in its
//! repository, the commits (oldest first), what each changed under the
//! store, and blob contents. Every call goes through the hardened
//! [`crate::git::command`]; the changes of all commits come from one
//! `git diff-tree --stdin` and the contents from one long-running
//! `git cat-file --batch`, not a process per commit or blob.

use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Stdio};

use crate::error::{Error, Result};

/// A git object id in hex.
pub type Oid = String;

/// The store's place in its repository.
#[derive(Clone, Debug)]
pub struct Repo {
    /// The repository's top folder.
    pub top: PathBuf,
    /// The store's path from the top, `/`-separated with a trailing `/`
    /// (empty when the store is the top).
    pub prefix: String,
    /// True for a shallow clone.
    pub shallow: bool,
}

/// One commit and its parents (none for a root, or for the oldest commit
/// a shallow clone holds).
#[derive(Clone, Debug)]
pub struct Commit {
    /// The commit id.
    pub id: Oid,
    /// Its parents present in the repository.
    pub parents: Vec<Oid>,
}

/// How a path changed between a parent and a commit.
#[derive(Clone, Debug)]
pub struct Change {
    /// The blob before (None: added).
    pub old: Option<Oid>,
    /// The blob after (None: deleted).
    pub new: Option<Oid>,
    /// The path relative to the store root.
    pub path: String,
}

fn git_error(what: &str, out: &std::process::Output) -> Error {
    let stderr = String::from_utf8_lossy(&out.stderr);
    let first = stderr.lines().next().unwrap_or("").trim();
    Error::Other(format!("`git {what}` failed: {first}"))
}

fn run(dir: &Path, args: &[&str]) -> Result<std::process::Output> {
    crate::git::command(dir)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| {
            Error::invalid(format!("cannot run git ({e})"))
                .with_hint("install git; `sm verify --history` reads the store's git history")
        })
}

impl Repo {
    /// Finds the repository holding the store at `root` (exit 2 when there
    /// is none, or it has no commits).
    pub fn find(root: &Path) -> Result<Repo> {
        let out = run(
            root,
            &[
                "rev-parse",
                "--show-toplevel",
                "--show-prefix",
                "--is-shallow-repository",
            ],
        )?;
        if !out.status.success() {
            return Err(Error::invalid(format!(
                "{} is not in a git repository, so it has no history to check",
                root.display()
            ))
            .with_hint(
                "run `sm verify` without --history, or check from a clone of the repository",
            ));
        }
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let mut lines = text.lines();
        let top = PathBuf::from(lines.next().unwrap_or_default());
        let prefix = lines.next().unwrap_or_default().to_string();
        let shallow = lines.next() == Some("true");
        let repo = Repo {
            top,
            prefix,
            shallow,
        };
        let head = run(&repo.top, &["rev-parse", "--verify", "--quiet", "HEAD"])?;
        if !head.status.success() {
            return Err(Error::invalid(format!(
                "the git repository at {} has no commits yet",
                repo.top.display()
            ))
            .with_hint("commit the store first; `sm verify` checks the files as they are"));
        }
        Ok(repo)
    }

    /// Returns the commits reachable from HEAD, parents before children.
    pub fn commits(&self) -> Result<Vec<Commit>> {
        let out = run(
            &self.top,
            &["rev-list", "--reverse", "--topo-order", "--parents", "HEAD"],
        )?;
        if !out.status.success() {
            return Err(git_error("rev-list", &out));
        }
        let text = String::from_utf8_lossy(&out.stdout);
        Ok(text
            .lines()
            .filter_map(|line| {
                let mut ids = line.split_whitespace().map(str::to_string);
                Some(Commit {
                    id: ids.next()?,
                    parents: ids.collect(),
                })
            })
            .collect())
    }

    /// Returns, for every commit and each of its parents (in the order of
    /// `commits` and their parents; one entry against nothing for a
    /// commit without parents), what changed under the store.
    pub fn changes(&self, commits: &[Commit]) -> Result<Vec<Vec<Change>>> {
        let mut input = String::new();
        let mut expected = 0usize;
        for c in commits {
            if c.parents.is_empty() {
                input.push_str(&c.id);
                input.push('\n');
                expected += 1;
            }
            for p in &c.parents {
                input.push_str(&c.id);
                input.push(' ');
                input.push_str(p);
                input.push('\n');
                expected += 1;
            }
        }
        let mut cmd = crate::git::command(&self.top);
        cmd.args([
            "diff-tree",
            "--stdin",
            "--root",
            "--always",
            "-r",
            "--no-renames",
            "--no-ext-diff",
            "--no-textconv",
            "--raw",
            "-z",
            "--",
        ]);
        let pathspec = if self.prefix.is_empty() {
            ".".to_string()
        } else {
            self.prefix.clone()
        };
        cmd.arg(&pathspec);
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| Error::Other(format!("cannot run git ({e})")))?;
        let mut stdin = child.stdin.take().expect("stdin is piped");
        // Feed from a thread: git writes as it reads, and both pipes are
        // bounded.
        let feeder = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
        let out = child
            .wait_with_output()
            .map_err(|e| Error::Other(format!("cannot run git ({e})")))?;
        let _ = feeder.join();
        if !out.status.success() {
            return Err(git_error("diff-tree", &out));
        }
        let mut result: Vec<Vec<Change>> = Vec::with_capacity(expected);
        let mut fields = out.stdout.split(|b| *b == 0).peekable();
        while let Some(field) = fields.next() {
            if field.is_empty() {
                continue;
            }
            if field.first() != Some(&b':') {
                // A commit header starts the next pair's changes.
                result.push(Vec::new());
                continue;
            }
            let meta = String::from_utf8_lossy(field);
            let path = fields.next().unwrap_or_default();
            let parts: Vec<&str> = meta.split_whitespace().collect();
            if parts.len() < 5 {
                continue;
            }
            let blob = |mode: &str, id: &str| {
                // Only regular files count; a link or submodule is absent.
                (mode.starts_with("100") && id.bytes().any(|b| b != b'0')).then(|| id.to_string())
            };
            let old = blob(parts[0].trim_start_matches(':'), parts[2]);
            let new = blob(parts[1], parts[3]);
            let path = String::from_utf8_lossy(path);
            let Some(rel) = path.strip_prefix(&self.prefix) else {
                continue;
            };
            if old.is_none() && new.is_none() {
                continue;
            }
            if let Some(last) = result.last_mut() {
                last.push(Change {
                    old,
                    new,
                    path: rel.to_string(),
                });
            }
        }
        if result.len() != expected {
            return Err(Error::Other(format!(
                "`git diff-tree` answered for {} of {expected} commit pairs",
                result.len()
            )));
        }
        Ok(result)
    }

    /// Returns a commit's short id and subject line.
    pub fn describe(&self, commit: &str) -> (String, String) {
        let out = run(&self.top, &["log", "-1", "--format=%h%x00%s", commit]);
        match out {
            Ok(out) if out.status.success() => {
                let text = String::from_utf8_lossy(&out.stdout);
                let (short, subject) = text.trim_end().split_once('\0').unwrap_or((&text, ""));
                (short.to_string(), subject.to_string())
            }
            _ => (commit.chars().take(7).collect(), String::new()),
        }
    }
}

/// One `git cat-file --batch` process answering object requests in turn.
pub struct Blobs {
    child: Child,
    stdin: BufWriter<ChildStdin>,
    stdout: BufReader<ChildStdout>,
    /// Objects read, for the report.
    pub reads: usize,
}

impl Blobs {
    /// Starts the process in the repository.
    pub fn start(repo: &Repo) -> Result<Blobs> {
        let mut child = crate::git::command(&repo.top)
            .args(["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| Error::Other(format!("cannot run git ({e})")))?;
        let stdin = BufWriter::new(child.stdin.take().expect("stdin is piped"));
        let stdout = BufReader::new(child.stdout.take().expect("stdout is piped"));
        Ok(Blobs {
            child,
            stdin,
            stdout,
            reads: 0,
        })
    }

    /// Returns the object named `spec` (an id, or `<commit>:<path>`) with
    /// its id, or None when there is no such blob.
    pub fn get(&mut self, spec: &str) -> Result<Option<(Oid, Vec<u8>)>> {
        let broken = |e: std::io::Error| Error::Other(format!("`git cat-file` stopped ({e})"));
        if spec.contains('\n') {
            return Ok(None);
        }
        self.stdin
            .write_all(spec.as_bytes())
            .and_then(|()| self.stdin.write_all(b"\n"))
            .and_then(|()| self.stdin.flush())
            .map_err(broken)?;
        let mut header = String::new();
        self.stdout.read_line(&mut header).map_err(broken)?;
        let parts: Vec<&str> = header.split_whitespace().collect();
        if parts.len() != 3 {
            // `<spec> missing` or `ambiguous`.
            return Ok(None);
        }
        let size: usize = parts[2]
            .parse()
            .map_err(|_| Error::Other(format!("`git cat-file` answered {header:?}")))?;
        let mut body = vec![0u8; size + 1];
        self.stdout.read_exact(&mut body).map_err(broken)?;
        body.pop();
        self.reads += 1;
        if parts[1] != "blob" {
            return Ok(None);
        }
        Ok(Some((parts[0].to_string(), body)))
    }
}

impl Drop for Blobs {
    fn drop(&mut self) {
        // Closing stdin ends git; wait so no zombie is left.
        let _ = self.stdin.flush();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
