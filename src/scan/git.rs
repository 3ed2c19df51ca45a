//! Reading what git holds, through the `git` command: the staged blobs of
//! the index (`--staged`) and the lines each commit added (`--history`).
//! Each git process costs a few milliseconds of every pre-commit hook, so a
//! staged scan reads its blobs from the loose objects where it can (see
//! [`super::loose`]), else runs `cat-file --batch` alongside `diff-index`,
//! and finds the repository root without git where it can.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use crate::error::{Error, Result};

/// A staged file: its path in the repository and its blob.
#[derive(Debug)]
pub struct StagedFile {
    /// The path relative to the repository root.
    pub path: String,
    /// The blob's object id.
    pub blob: String,
    /// Whether it is staged as a symbolic link (mode 120000): its blob is
    /// the link's target.
    pub symlink: bool,
}

/// The lines one commit added to one file.
#[derive(Debug, Default)]
pub struct AddedLines {
    /// The commit's id.
    pub commit: String,
    /// The file's path in the repository.
    pub path: String,
    /// The added lines joined with `\n`.
    pub text: Vec<u8>,
    /// The line number, in the new file, of each added line.
    pub line_numbers: Vec<usize>,
    /// Whether the commit added more than the cap to this file: `text`
    /// then holds only what came before.
    pub too_large: bool,
}

fn git(dir: &Path) -> Command {
    let mut cmd = crate::git::command(dir);
    cmd.arg("-c")
        .arg("core.quotePath=false")
        .stdin(Stdio::null());
    cmd
}

fn run(mut cmd: Command, what: &str) -> Result<Vec<u8>> {
    let out = cmd.stderr(Stdio::piped()).output().map_err(|e| {
        Error::invalid(format!("cannot run git to {what}: {e}"))
            .with_hint("install git, or scan files without --staged/--history")
    })?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        let first = err.lines().next().unwrap_or("").trim();
        return Err(Error::invalid(format!("git failed to {what}: {first}")));
    }
    Ok(out.stdout)
}

/// Returns the root of the git repository holding `dir`: the nearest folder
/// with a `.git` found without running git when [`find_root`] can tell,
/// else `git rev-parse --show-toplevel`.
pub fn repo_root(dir: &Path) -> Result<PathBuf> {
    if let Some(root) = find_root(dir) {
        return Ok(root);
    }
    let mut cmd = git(dir);
    cmd.args(["rev-parse", "--show-toplevel"]);
    let out = run(cmd, "find the repository").map_err(|_| {
        Error::invalid(format!("{} is not inside a git repository", dir.display()))
            .with_hint("run this inside a git work tree, or scan paths instead")
    })?;
    Ok(PathBuf::from(String::from_utf8_lossy(&out).trim_end()))
}

/// The variables that change how git finds a repository: when one is set,
/// only git can say where the work tree is.
const DISCOVERY_VARIABLES: &[&str] = &[
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_COMMON_DIR",
    "GIT_CEILING_DIRECTORIES",
    "GIT_DISCOVERY_ACROSS_FILESYSTEM",
];

/// Finds the work tree holding `dir` the way git does in the plain case,
/// saving a git process (a few milliseconds of every pre-commit hook): the
/// nearest folder, up from `dir`, with a `.git` folder holding `HEAD` or a
/// `.git` file starting with `gitdir:` (a linked worktree or a submodule).
/// Returns `None`, leaving the answer to git, whenever the plain case does
/// not hold: a discovery variable is set, `dir` is inside a `.git` folder, the
/// walk would cross into another file system, or a `.git` looks odd.
pub fn find_root(dir: &Path) -> Option<PathBuf> {
    if !dir.is_absolute()
        || DISCOVERY_VARIABLES
            .iter()
            .any(|v| std::env::var_os(v).is_some())
        || dir.components().any(|c| c.as_os_str() == ".git")
    {
        return None;
    }
    let device = |path: &Path| -> Option<u64> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            std::fs::metadata(path).ok().map(|m| m.dev())
        }
        #[cfg(not(unix))]
        {
            std::fs::metadata(path).ok().map(|_| 0)
        }
    };
    let start_device = device(dir)?;
    for candidate in dir.ancestors() {
        if device(candidate)? != start_device {
            return None;
        }
        let dot_git = candidate.join(".git");
        match std::fs::symlink_metadata(&dot_git) {
            Ok(m) if m.is_dir() => {
                return dot_git
                    .join("HEAD")
                    .is_file()
                    .then(|| candidate.to_path_buf());
            }
            Ok(m) if m.is_file() => {
                let text = std::fs::read(&dot_git).ok()?;
                return text
                    .starts_with(b"gitdir: ")
                    .then(|| candidate.to_path_buf());
            }
            Ok(_) => return None,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(_) => return None,
        }
    }
    None
}

/// The empty tree's id in a SHA-1 and a SHA-256 repository.
const EMPTY_TREES: [&str; 2] = [
    "4b825dc642cb6eb9a060e54bf8d69288fbee4904",
    "6ef19b41225c5369f1c104d45d8d85efa9b057b53b14b4b9b939dd74decc5321",
];

/// Lists the files the index adds or changes relative to HEAD (everything
/// staged, on an unborn branch). One git call; on an unborn branch, one more
/// against the empty tree (two in a SHA-256 repository, where the SHA-1 one
/// is unknown: cheaper than asking for the object format first).
pub fn staged_files(root: &Path) -> Result<Vec<StagedFile>> {
    let diff_index = |base: &str| {
        let mut cmd = git(root);
        cmd.args([
            "diff-index",
            "--cached",
            "-z",
            "--no-renames",
            "--diff-filter=ACMT",
            base,
            "--",
        ]);
        run(cmd, "list the staged files")
    };
    let out = diff_index("HEAD")
        .or_else(|_| diff_index(EMPTY_TREES[0]))
        .or_else(|err| diff_index(EMPTY_TREES[1]).map_err(|_| err))?;
    Ok(parse_diff_index(&out))
}

/// Parses `diff-index -z` records: `:100644 100644 <old> <new> M\0path\0`.
fn parse_diff_index(out: &[u8]) -> Vec<StagedFile> {
    let mut fields = out.split(|b| *b == 0).filter(|f| !f.is_empty());
    let mut files = Vec::new();
    while let (Some(meta), Some(path)) = (fields.next(), fields.next()) {
        let meta = String::from_utf8_lossy(meta);
        let parts: Vec<&str> = meta.trim_start_matches(':').split(' ').collect();
        if parts.len() < 4 || parts[1] == "160000" {
            continue;
        }
        files.push(StagedFile {
            path: String::from_utf8_lossy(path).into_owned(),
            blob: parts[3].to_string(),
            symlink: parts[1] == "120000",
        });
    }
    files
}

/// A running `git cat-file --batch`. Started before the staged files are
/// listed, so that its start-up overlaps the listing.
pub struct BlobReader {
    child: Child,
}

impl BlobReader {
    /// Starts `git cat-file --batch` in `root`.
    pub fn start(root: &Path) -> Result<BlobReader> {
        let child = git(root)
            .args(["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| Error::invalid(format!("cannot run git to read blobs: {e}")))?;
        Ok(BlobReader { child })
    }

    /// Reads blobs by id, skipping those larger than `max_size` (returned as
    /// `Err` with their size).
    pub fn read(
        mut self,
        ids: &[String],
        max_size: u64,
    ) -> Result<Vec<std::result::Result<Vec<u8>, u64>>> {
        let mut stdin = self.child.stdin.take().expect("piped");
        let request: Vec<u8> = ids
            .iter()
            .flat_map(|id| format!("{id}\n").into_bytes())
            .collect();
        let writer = std::thread::spawn(move || {
            let _ = stdin.write_all(&request);
        });
        let mut reader = BufReader::new(self.child.stdout.take().expect("piped"));
        let mut blobs = Vec::with_capacity(ids.len());
        let broken = || Error::Other("git cat-file ended early".into());
        for _ in ids {
            let mut header = String::new();
            reader.read_line(&mut header).map_err(|_| broken())?;
            let parts: Vec<&str> = header.split_whitespace().collect();
            if parts.len() != 3 {
                return Err(broken());
            }
            let size: u64 = parts[2].parse().map_err(|_| broken())?;
            if size > max_size {
                // Skipped: passed over, never held (a staged blob can be
                // gigabytes).
                let copied = std::io::copy(&mut (&mut reader).take(size), &mut std::io::sink())
                    .map_err(|_| broken())?;
                if copied != size {
                    return Err(broken());
                }
                blobs.push(Err(size));
            } else {
                let mut body = vec![0u8; size as usize];
                reader.read_exact(&mut body).map_err(|_| broken())?;
                blobs.push(Ok(body));
            }
            let mut newline = [0u8; 1];
            reader.read_exact(&mut newline).map_err(|_| broken())?;
        }
        let _ = writer.join();
        Ok(blobs)
    }
}

impl Drop for BlobReader {
    /// Ends the batch (closing its input) and reaps the process.
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.wait();
    }
}

/// Reads one line into `line`, keeping at most `cap` bytes of it (the rest
/// is read and dropped), and returns the bytes read and whether the line
/// was cut. A history can hold a text line of hundreds of megabytes.
fn read_line_capped(
    reader: &mut impl BufRead,
    line: &mut Vec<u8>,
    cap: usize,
) -> std::io::Result<(usize, bool)> {
    let (mut read, mut cut) = (0, false);
    loop {
        let (n, done) = {
            let buf = match reader.fill_buf() {
                Ok(buf) => buf,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if buf.is_empty() {
                return Ok((read, cut));
            }
            let (n, done) = match buf.iter().position(|b| *b == b'\n') {
                Some(i) => (i + 1, true),
                None => (buf.len(), false),
            };
            let room = cap.saturating_sub(line.len());
            cut |= n > room;
            line.extend_from_slice(&buf[..n.min(room)]);
            (n, done)
        };
        reader.consume(n);
        read += n;
        if done {
            return Ok((read, cut));
        }
    }
}

/// Runs `git log -p` over `range` (all refs when `None`) and calls `each`
/// with the lines every commit added to every file. A file to which a
/// commit added more than `max_bytes` comes with `too_large` set and the
/// text cut short.
pub fn added_lines(
    root: &Path,
    range: Option<&str>,
    max_bytes: u64,
    mut each: impl FnMut(AddedLines),
) -> Result<()> {
    let cap = usize::try_from(max_bytes.saturating_add(1)).unwrap_or(usize::MAX);
    if range.is_some_and(|r| r.starts_with('-')) {
        return Err(Error::invalid("a --history range cannot start with `-`"));
    }
    let mut cmd = git(root);
    cmd.args([
        "log",
        "-p",
        "-U0",
        "--no-color",
        "--no-ext-diff",
        "--no-textconv",
        "--no-renames",
        "--format=%x00commit %H",
    ]);
    match range {
        Some(r) => cmd.arg(r),
        None => cmd.arg("--all"),
    };
    cmd.arg("--");
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| Error::invalid(format!("cannot run git to read the history: {e}")))?;
    let mut reader = BufReader::new(child.stdout.take().expect("piped"));
    let mut current = AddedLines::default();
    let mut commit = String::new();
    let mut path: Option<String> = None;
    let (mut old_left, mut new_left, mut new_line) = (0usize, 0usize, 0usize);
    let mut line = Vec::new();
    let flush = |current: &mut AddedLines, each: &mut dyn FnMut(AddedLines)| {
        if !current.line_numbers.is_empty() {
            each(std::mem::take(current));
        }
    };
    loop {
        line.clear();
        let (n, cut) = read_line_capped(&mut reader, &mut line, cap)
            .map_err(|e| Error::Other(format!("cannot read git log: {e}")))?;
        if n == 0 {
            break;
        }
        if line.ends_with(b"\n") {
            line.pop();
        }
        if old_left > 0 || new_left > 0 {
            match line.first() {
                Some(b'+') => {
                    new_left = new_left.saturating_sub(1);
                    if path.is_some() {
                        if cut || current.text.len() + line.len() > cap {
                            current.too_large = true;
                        }
                        if !current.too_large {
                            if !current.line_numbers.is_empty() {
                                current.text.push(b'\n');
                            }
                            current.text.extend_from_slice(&line[1..]);
                            current.line_numbers.push(new_line);
                        } else if current.line_numbers.is_empty() {
                            current.line_numbers.push(new_line);
                        }
                    }
                    new_line += 1;
                }
                Some(b'-') => old_left = old_left.saturating_sub(1),
                Some(b'\\') => {}
                _ => {
                    old_left = 0;
                    new_left = 0;
                }
            }
            if old_left > 0 || new_left > 0 {
                continue;
            }
            if line.first() == Some(&b'+')
                || line.first() == Some(&b'-')
                || line.first() == Some(&b'\\')
            {
                continue;
            }
        }
        if let Some(rest) = line.strip_prefix(b"\0commit ") {
            flush(&mut current, &mut each);
            commit = String::from_utf8_lossy(rest).trim().to_string();
            path = None;
        } else if line.starts_with(b"diff --git ") {
            flush(&mut current, &mut each);
            path = None;
        } else if let Some(rest) = line.strip_prefix(b"+++ ") {
            flush(&mut current, &mut each);
            let full = unquote(&String::from_utf8_lossy(rest));
            path = full.strip_prefix("b/").map(str::to_string);
            if let Some(p) = &path {
                current.commit = commit.clone();
                current.path = p.clone();
            }
        } else if let Some(rest) = line.strip_prefix(b"@@ ") {
            // "@@ -a[,b] +c[,d] @@"
            let text = String::from_utf8_lossy(rest);
            let mut parts = text.split_whitespace();
            let old = parts.next().unwrap_or("-0");
            let new = parts.next().unwrap_or("+0");
            let count = |s: &str| -> (usize, usize) {
                let s = &s[1..];
                match s.split_once(',') {
                    Some((start, n)) => (start.parse().unwrap_or(0), n.parse().unwrap_or(0)),
                    None => (s.parse().unwrap_or(0), 1),
                }
            };
            old_left = count(old).1;
            let (start, n) = count(new);
            new_left = n;
            new_line = start;
        }
    }
    flush(&mut current, &mut each);
    let mut stderr = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = e.read_to_string(&mut stderr);
    }
    let status = child
        .wait()
        .map_err(|e| Error::Other(format!("git log failed: {e}")))?;
    if !status.success() {
        let first = stderr.lines().next().unwrap_or("").trim().to_string();
        return Err(Error::invalid(format!(
            "git failed to read the history: {first}"
        )));
    }
    Ok(())
}

/// Undoes git's C-style quoting of unusual paths (`"a\tb"`), loosely.
fn unquote(path: &str) -> String {
    match path.strip_prefix('"').and_then(|p| p.strip_suffix('"')) {
        Some(inner) => inner
            .replace("\\t", "\t")
            .replace("\\n", "\n")
            .replace("\\\"", "\"")
            .replace("\\\\", "\\"),
        None => path.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn find_root_walks_up_to_a_git_folder_or_gitdir_file() {
        if DISCOVERY_VARIABLES
            .iter()
            .any(|v| std::env::var_os(v).is_some())
        {
            return; // git decides then; covered by the integration tests
        }
        let tmp = tempfile::tempdir().unwrap();
        let top = tmp.path().canonicalize().unwrap();
        let repo = top.join("repo");
        std::fs::create_dir_all(repo.join(".git")).unwrap();
        std::fs::create_dir_all(repo.join("a/b")).unwrap();
        // A `.git` folder without HEAD is no repository: leave it to git.
        assert_eq!(find_root(&repo.join("a/b")), None);
        std::fs::write(repo.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
        assert_eq!(find_root(&repo.join("a/b")), Some(repo.clone()));
        assert_eq!(find_root(&repo), Some(repo.clone()));
        // Inside the git folder itself, git decides.
        assert_eq!(find_root(&repo.join(".git")), None);
        // A linked worktree's `.git` file.
        let linked = repo.join("a/linked");
        std::fs::create_dir_all(linked.join("src")).unwrap();
        std::fs::write(linked.join(".git"), "gitdir: /elsewhere/.git/worktrees/x\n").unwrap();
        assert_eq!(find_root(&linked.join("src")), Some(linked.clone()));
        std::fs::write(linked.join(".git"), "not a gitdir file\n").unwrap();
        assert_eq!(find_root(&linked.join("src")), None);
        assert_eq!(find_root(Path::new("relative/path")), None);
    }
}
