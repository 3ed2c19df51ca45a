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
    /// The repository's `info/attributes`, when the driver's line was
    /// added there (a clone whose `.gitattributes` lacks it).
    pub info_attributes_written: Option<std::path::PathBuf>,
}

/// Returns the driver command git should run, for the sm binary at `exe`:
/// by command name (`sm merge-driver ...`) when `sm` on PATH is this very
/// binary, so moving or reinstalling it does not break merges; else by its
/// absolute path.
pub fn driver_command(exe: &Path) -> String {
    let program = if on_path_is(exe) {
        "sm".to_string()
    } else {
        shell_words::quote(&exe.to_string_lossy()).into_owned()
    };
    format!("{program} merge-driver %O %A %B %P")
}

/// Tells whether the first `sm` on PATH is the binary at `exe`.
fn on_path_is(exe: &Path) -> bool {
    let Some(paths) = std::env::var_os("PATH") else {
        return false;
    };
    let Ok(exe) = exe.canonicalize() else {
        return false;
    };
    std::env::split_paths(&paths)
        .filter(|dir| dir.is_absolute())
        .map(|dir| dir.join("sm"))
        .find(|candidate| is_executable(candidate))
        .and_then(|found| found.canonicalize().ok())
        .is_some_and(|found| found == exe)
}

fn is_executable(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        std::fs::metadata(path).is_ok_and(|m| m.is_file())
    }
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

/// Makes sure git routes metadata to the driver and, when the store is in
/// a git work tree, that the repository's config defines it.
///
/// `write_attributes` (for `sm init`, which creates the store and so the
/// file) writes the line into the store's `.gitattributes`. Otherwise (for
/// `sm doctor`) a `.gitattributes` is never created or changed: a clone's
/// own copy would make the pull of a committed one fail ("untracked
/// working tree file would be overwritten"). When git does not apply the
/// driver yet, the line goes into the repository's `info/attributes`
/// instead, which is never committed and so never conflicts.
pub fn ensure_merge_driver(root: &Path, exe: &Path, write_attributes: bool) -> Result<GitSetup> {
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
    let has_line = existing.lines().any(|l| l.trim() == ATTRIBUTES_LINE);
    if !has_line && write_attributes {
        fs.write_atomic(
            &attributes,
            with_line(existing, ATTRIBUTES_LINE).as_bytes(),
            Durability::Sync,
        )?;
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
    if !has_line && !write_attributes && !git_applies_driver(root) {
        setup.info_attributes_written = Some(write_info_attributes(root)?);
    }
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

/// Returns `text` with sm's commented attribute `line` appended.
fn with_line(mut text: String, line: &str) -> String {
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str("# sm merges concurrent changes to a secret's metadata\n");
    text.push_str(line);
    text.push('\n');
    text
}

/// Tells whether git already gives a store's metadata the `merge=sm`
/// attribute (from any `.gitattributes` or `info/attributes`).
fn git_applies_driver(root: &Path) -> bool {
    git(root)
        .args(["check-attr", "merge", "--", "secrets/a/b.secret/meta.toml"])
        .output()
        .is_ok_and(|o| o.status.success() && o.stdout.ends_with(b": merge: sm\n"))
}

/// Appends the driver's line, anchored at the store's folder, to the
/// repository's `info/attributes`; returns that file.
fn write_info_attributes(root: &Path) -> Result<std::path::PathBuf> {
    let ask = |args: &[&str]| -> Result<String> {
        let out = git(root)
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .ok_or_else(|| {
                Error::Other(format!(
                    "git {} failed in {}",
                    args.join(" "),
                    root.display()
                ))
            })?;
        let text = String::from_utf8(out.stdout)
            .map_err(|_| Error::Other(format!("git {} printed no text", args.join(" "))))?;
        Ok(text.trim_end_matches(['\n', '\r']).to_string())
    };
    let prefix = ask(&["rev-parse", "--show-prefix"])?;
    let file = root.join(ask(&["rev-parse", "--git-path", "info/attributes"])?);
    // C-style quoting (git 2.x reads it) keeps a folder name with spaces
    // or quotes one pattern.
    let pattern = format!("/{prefix}secrets/**/meta.toml");
    let pattern = if pattern.contains([' ', '\t', '"', '\\']) {
        format!(
            "\"{}\"",
            pattern
                .replace('\\', "\\\\")
                .replace('"', "\\\"")
                .replace('\t', "\\t")
        )
    } else {
        pattern
    };
    let existing = match std::fs::symlink_metadata(&file) {
        Ok(m) if !m.is_file() => {
            return Err(Error::invalid(format!(
                "{} is not a regular file; sm writes its merge attribute there",
                file.display()
            )));
        }
        Ok(_) => std::fs::read_to_string(&file).map_err(|e| Error::io("cannot read", &file, e))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(Error::io("cannot read", &file, e)),
    };
    let text = with_line(existing, &format!("{pattern} merge=sm"));
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io("cannot create folder", dir, e))?;
    }
    let tmp = file.with_extension("sm-tmp");
    std::fs::write(&tmp, text).map_err(|e| Error::io("cannot write", &tmp, e))?;
    std::fs::rename(&tmp, &file).map_err(|e| Error::io("cannot write", &file, e))?;
    Ok(file)
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
