//! The git side of a store: registering `sm merge-driver` for `meta.toml`
//! (`.gitattributes` in the store and `merge.sm.driver` in the repository's
//! config), as `sm init` does and `sm doctor` repairs; and [`command`],
//! the one way sm starts git.

use std::path::Path;
use std::process::Command;

use crate::error::{Error, Result};
use crate::store::fsio::Durability;
use crate::store::safe::{MAX_TOML_LEN, StoreFs};

/// The `.gitattributes` line that routes metadata to the merge driver.
pub const ATTRIBUTES_LINE: &str = "secrets/**/meta.toml merge=sm";

/// What [`ensure_merge_driver`] found and changed.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct GitSetup {
    /// True when `.gitattributes` was created or extended.
    pub attributes_written: bool,
    /// True when the store is inside a git work tree.
    pub in_git: bool,
    /// True when `merge.sm.driver` was set or corrected.
    pub config_written: bool,
}

/// Returns the driver command git should run, for the sm binary at `exe`.
pub fn driver_command(exe: &Path) -> String {
    format!(
        "{} merge-driver %O %A %B %P",
        shell_words::quote(&exe.to_string_lossy())
    )
}

/// The settings every git process sm starts runs with. A repository's own
/// config (`.git/config`, which a folder someone else prepared may hold)
/// can name programs git runs by itself; sm's calls need none of them:
///
/// - `core.fsmonitor=false`: the file-system monitor hook, a program git
///   runs whenever it looks at the work tree.
/// - `log.showSignature=false`: would run `gpg.program` for every commit
///   `git log` shows.
/// - `--no-pager` (not a setting): `core.pager` is a shell command; sm
///   reads git's output itself.
/// - `core.hooksPath=/dev/null` (in [`command`]): none of sm's calls needs
///   a hook; the pre-commit hook lookup uses [`command_with_hooks`].
///
/// Diff commands add `--no-ext-diff --no-textconv` themselves (external
/// diff and textconv drivers). Network settings (`core.sshCommand`,
/// credential helpers) are left alone: sm never fetches or pushes. The
/// system and global config stay: they are the user's (or root's), not
/// the repository's.
const SAFE_CONFIG: &[&str] = &["core.fsmonitor=false", "log.showSignature=false"];

/// Returns a `git` command run in `dir` with the repository-configured
/// programs it could start turned off (see [`SAFE_CONFIG`]), hooks
/// included, and without sm's identity in its environment.
pub fn command(dir: &Path) -> Command {
    let mut cmd = command_with_hooks(dir);
    cmd.args(["-c", "core.hooksPath=/dev/null"]);
    cmd
}

/// The same as [`command`] but leaving `core.hooksPath` as configured, for
/// the one call that must know where the repository's hooks live.
pub fn command_with_hooks(dir: &Path) -> Command {
    let mut cmd = Command::new("git");
    // SM_IDENTITY is out of sm's environment since start; removing it here
    // too keeps git free of it should sm run as a library.
    cmd.current_dir(dir)
        .env_remove(crate::crypto::identity::ENV_KEY)
        .arg("--no-pager");
    for setting in SAFE_CONFIG {
        cmd.args(["-c", setting]);
    }
    cmd
}

fn git(root: &Path) -> Command {
    command(root)
}

/// Makes sure `.gitattributes` names the driver and, when the store is in a
/// git work tree, that the repository's config defines it.
pub fn ensure_merge_driver(root: &Path, exe: &Path) -> Result<GitSetup> {
    let mut setup = GitSetup::default();
    let attributes = root.join(".gitattributes");
    // A committed `.gitattributes` is store input: read and replace it
    // beneath the root, never through a link, and with a size cap.
    let fs = StoreFs::open(root).map_err(|e| Error::io("cannot open", root, e))?;
    let existing = match fs.read(&attributes, MAX_TOML_LEN)? {
        Some(bytes) => String::from_utf8(bytes)
            .map_err(|_| Error::integrity(&attributes, "the file is not UTF-8 text"))?,
        None => String::new(),
    };
    if !existing.lines().any(|l| l.trim() == ATTRIBUTES_LINE) {
        let mut text = existing;
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str("# sm merges concurrent changes to a secret's metadata\n");
        text.push_str(ATTRIBUTES_LINE);
        text.push('\n');
        fs.write_atomic(&attributes, text.as_bytes(), Durability::Sync)?;
        setup.attributes_written = true;
    }
    let inside = git(root)
        .args(["rev-parse", "--is-inside-work-tree"])
        .output()
        .is_ok_and(|o| o.status.success() && o.stdout.starts_with(b"true"));
    if !inside {
        return Ok(setup);
    }
    setup.in_git = true;
    let want = driver_command(exe);
    let have = git(root)
        .args(["config", "--get", "merge.sm.driver"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    if have.as_deref() != Some(want.as_str()) {
        for (key, value) in [
            ("merge.sm.name", "sm: merge secret metadata"),
            ("merge.sm.driver", want.as_str()),
        ] {
            let ok = git(root)
                .args(["config", key, value])
                .status()
                .is_ok_and(|s| s.success());
            if !ok {
                return Err(Error::Other(format!(
                    "cannot set {key} in the git config of {}",
                    root.display()
                )));
            }
        }
        setup.config_written = true;
    }
    Ok(setup)
}

/// Returns the commit whose side git is merging in while it runs a merge
/// driver in `dir` (the driver's "theirs"): the one `GITHEAD_<sha>` in the
/// environment names (set by `git merge` and `git pull`), else
/// `MERGE_HEAD`, `CHERRY_PICK_HEAD` or `REBASE_HEAD`. None when git says
/// none of these.
pub fn merging_commit(dir: &Path) -> Option<String> {
    let from_env: Vec<String> = std::env::vars_os()
        .filter_map(|(k, _)| {
            let k = k.into_string().ok()?;
            let sha = k.strip_prefix("GITHEAD_")?;
            let hex = sha.len() >= 40 && sha.bytes().all(|b| b.is_ascii_hexdigit());
            hex.then(|| sha.to_ascii_lowercase())
        })
        .collect();
    if let [sha] = from_env.as_slice() {
        return Some(sha.clone());
    }
    ["MERGE_HEAD", "CHERRY_PICK_HEAD", "REBASE_HEAD"]
        .iter()
        .find_map(|head| {
            let out = command(dir)
                .args(["rev-parse", "-q", "--verify", &format!("{head}^{{commit}}")])
                .output()
                .ok()
                .filter(|o| o.status.success())?;
            let sha = String::from_utf8(out.stdout).ok()?.trim().to_string();
            (!sha.is_empty()).then_some(sha)
        })
}

/// Reads files as they are in commit `rev`: `paths` are relative to `dir`
/// (which may be a subfolder of the repository). Returns each file's bytes,
/// or None where the commit has no such file. Each is at most `max` bytes.
pub fn files_at(dir: &Path, rev: &str, paths: &[&str], max: u64) -> Result<Vec<Option<Vec<u8>>>> {
    use std::io::Write;
    let fail = |what: &str| Error::Other(format!("git {what} failed in {}", dir.display()));
    let prefix = command(dir)
        .args(["rev-parse", "--show-prefix"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .ok_or_else(|| fail("rev-parse --show-prefix"))?;
    let prefix = String::from_utf8(prefix.stdout).map_err(|_| fail("rev-parse --show-prefix"))?;
    let prefix = prefix.trim_end_matches(['\n', '\r']);
    let mut child = command(dir)
        .args(["cat-file", "--batch"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|_| fail("cat-file"))?;
    let mut input = String::new();
    for p in paths {
        input.push_str(&format!("{rev}:{prefix}{p}\n"));
    }
    if let Some(mut stdin) = child.stdin.take() {
        // A write error shows as missing output below.
        let _ = stdin.write_all(input.as_bytes());
    }
    let out = child.wait_with_output().map_err(|_| fail("cat-file"))?;
    if !out.status.success() {
        return Err(fail("cat-file"));
    }
    let mut rest = out.stdout.as_slice();
    let mut files = Vec::with_capacity(paths.len());
    for _ in paths {
        let end = rest
            .iter()
            .position(|b| *b == b'\n')
            .ok_or_else(|| fail("cat-file"))?;
        let line = String::from_utf8_lossy(&rest[..end]).into_owned();
        rest = &rest[end + 1..];
        let fields: Vec<&str> = line.split(' ').collect();
        match fields.as_slice() {
            [_, "blob", size] => {
                let size: u64 = size.parse().map_err(|_| fail("cat-file"))?;
                let size = usize::try_from(size)
                    .ok()
                    .filter(|s| *s as u64 <= max && rest.len() > *s)
                    .ok_or_else(|| {
                        Error::Other(format!(
                            "a file in commit {rev} is larger than sm reads ({size} bytes)"
                        ))
                    })?;
                files.push(Some(rest[..size].to_vec()));
                rest = &rest[size + 1..];
            }
            [.., "missing"] => files.push(None),
            _ => return Err(fail("cat-file")),
        }
    }
    Ok(files)
}
