//! Running a resolved hook: the private copy of exactly the bytes that
//! were hashed, and one step run from it as a subprocess with its
//! environment, its JSON input on stdin, a timeout that kills the hook's
//! whole process group, and its stdout captured (only at `create`) into a
//! wiped buffer.
//!
//! The copy lives in a fresh 0700 folder (in `$XDG_RUNTIME_DIR` when it is
//! private, else the temp folder; never on a `noexec` file system) with
//! the store-relative layout of the trusted folders, so `$0`, `__file__`
//! and a Python hook's sibling imports all resolve inside the copy. It is
//! written once per rotation, serves all four steps, and is removed
//! afterwards. The working directory stays the store root (SPEC section
//! 5): a file a hook opens by a path relative to the working directory is
//! read from the live store, not from the trusted copy.

use std::ffi::OsString;
use std::io::{Read, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::store::MAX_VALUE_LEN;

use super::hook::{Hook, Word, hash_outside};

/// The default step timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(300);

/// A hook ready to run: its private copy, and the command that runs it.
pub struct Prepared {
    /// The copy (removed on drop); `None` when no store file is part of it.
    dir: Option<tempfile::TempDir>,
    /// The program to start: a file of the copy, or outside the store.
    pub program: PathBuf,
    /// Its arguments, before the step.
    pub args: Vec<OsString>,
    /// Files outside the store and their trusted hashes, checked again
    /// before each step.
    outside: Vec<(PathBuf, String)>,
}

impl Prepared {
    /// Writes the hook's store files to a new private folder and builds
    /// the command that runs them from there.
    pub fn new(hook: &Hook) -> Result<Prepared> {
        let dir = if hook.files.is_empty() {
            None
        } else {
            let dir = private_dir()?;
            for file in &hook.files {
                write_private(dir.path(), &file.path, file.executable, &file.bytes)?;
            }
            Some(dir)
        };
        let mut argv = hook.argv.iter().map(|w| match w {
            Word::Store(rel) => dir
                .as_ref()
                .expect("a store word comes with store files")
                .path()
                .join(rel)
                .into_os_string(),
            Word::Outside(p) => p.clone().into_os_string(),
            Word::Arg(a) => OsString::from(a),
        });
        let program = PathBuf::from(argv.next().expect("a hook has a program"));
        let args = argv.collect();
        Ok(Prepared {
            dir,
            program,
            args,
            outside: hook
                .outside
                .iter()
                .map(|f| (f.path.clone(), f.sha256.clone()))
                .collect(),
        })
    }

    /// The private copy's folder, if any.
    pub fn copy_dir(&self) -> Option<&Path> {
        self.dir.as_ref().map(|d| d.path())
    }

    /// Fails with exit 4 when a file outside the store changed since it
    /// was hashed (the store's files run from the copy and cannot).
    fn check_outside(&self, step: &str) -> Result<()> {
        for (path, sha) in &self.outside {
            if &hash_outside(path)?.0 != sha {
                return Err(Error::no_access(format!(
                    "the rotation hook file {} changed during the rotation, so sm did not run step {step}",
                    path.display()
                ))
                .with_hint("read it; if you trust it, run `sm rotate NAME --trust-hook`"));
            }
        }
        Ok(())
    }
}

/// Creates a fresh 0700 folder for a hook's copy, on a file system that
/// allows running programs: `$XDG_RUNTIME_DIR` when it is the user's own
/// private folder, else the temp folder, else the user's cache folder.
fn private_dir() -> Result<tempfile::TempDir> {
    let mut bases = Vec::new();
    if let Some(run) = std::env::var_os("XDG_RUNTIME_DIR").map(PathBuf::from)
        && run.is_absolute()
        && owned_and_private(&run)
    {
        bases.push(run);
    }
    bases.push(std::env::temp_dir());
    if let Some(dirs) = directories::BaseDirs::new() {
        let cache = dirs.cache_dir().join("sm").join("hooks");
        if std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&cache)
            .is_ok()
        {
            bases.push(cache);
        }
    }
    let mut last = None;
    for base in &bases {
        if noexec(base) {
            continue;
        }
        match tempfile::Builder::new()
            .prefix("sm-hook-")
            .permissions(std::fs::Permissions::from_mode(0o700))
            .tempdir_in(base)
        {
            Ok(dir) => return Ok(dir),
            Err(e) => last = Some((base.clone(), e)),
        }
    }
    Err(match last {
        Some((base, e)) => Error::io("cannot create a private folder in", base, e),
        None => Error::Other(
            "no folder to copy the hook to allows running programs (all are mounted noexec)".into(),
        ),
    }
    .with_hint("set TMPDIR to a folder of yours on a file system that allows running programs"))
}

fn owned_and_private(dir: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match std::fs::symlink_metadata(dir) {
        // SAFETY: geteuid has no preconditions.
        Ok(m) => m.is_dir() && m.uid() == unsafe { libc::geteuid() } && m.mode() & 0o077 == 0,
        Err(_) => false,
    }
}

fn noexec(dir: &Path) -> bool {
    rustix::fs::statvfs(dir)
        .map(|s| s.f_flag.contains(rustix::fs::StatVfsMountFlags::NOEXEC))
        .unwrap_or(false)
}

/// Writes one file of the copy (0700 if executable, else 0600; its folders
/// 0700), refusing to overwrite anything.
fn write_private(base: &Path, rel: &str, executable: bool, bytes: &[u8]) -> Result<()> {
    let path = base.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(parent)
            .map_err(|e| Error::io("cannot create", parent, e))?;
    }
    let mode = if executable { 0o700 } else { 0o600 };
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .custom_flags(libc::O_NOFOLLOW)
        .open(&path)
        .map_err(|e| Error::io("cannot create", &path, e))?;
    file.write_all(bytes)
        .map_err(|e| Error::io("cannot write", &path, e))
}

/// PATH without relative entries: the hook runs in the store root, where
/// a relative entry would find the store's files.
fn absolute_path_var() -> Option<OsString> {
    let path = std::env::var_os("PATH")?;
    std::env::join_paths(std::env::split_paths(&path).filter(|p| p.is_absolute())).ok()
}

/// Starts `command`, retrying briefly while the copy just written is still
/// open for writing in a child another thread forked (ETXTBSY).
fn spawn(command: &mut Command) -> std::io::Result<Child> {
    let mut tries = 0;
    loop {
        match command.spawn() {
            Err(e) if e.raw_os_error() == Some(libc::ETXTBSY) && tries < 50 => {
                tries += 1;
                std::thread::sleep(Duration::from_millis(10));
            }
            other => return other,
        }
    }
}

/// The environment and input of one step.
pub struct StepCall<'a> {
    /// The step: `create`, `set`, `test` or `finish`.
    pub step: &'a str,
    /// The secret's name.
    pub secret: &'a str,
    /// The pending version id.
    pub version_id: &'a str,
    /// The store root (also the working directory).
    pub store_root: &'a Path,
    /// The JSON object given on stdin (holds values; wiped on drop).
    pub input: &'a [u8],
    /// Whether stdout is the step's output (only `create`).
    pub capture_stdout: bool,
    /// How long the step may run.
    pub timeout: Duration,
}

/// Runs one step of the prepared hook. Returns the captured stdout (empty
/// unless `capture_stdout`), or a rotation-failed error that never holds a
/// value.
pub fn run_step(hook: &Prepared, call: &StepCall<'_>) -> Result<Zeroizing<Vec<u8>>> {
    use std::os::unix::process::CommandExt;

    hook.check_outside(call.step)?;
    let fail = |why: String| Error::RotationFailed {
        message: format!(
            "rotation of `{}` failed at step {}: {why}",
            call.secret, call.step
        ),
        hint: None,
    };
    // A hook that exits without reading its input closes the pipe: that
    // must be an EPIPE for the writer thread, not a SIGPIPE killing sm.
    // (sm's own stdout then reports a broken pipe as an error, which the
    // command line ends quietly.)
    // SAFETY: setting a signal's disposition to ignore is always sound.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_IGN);
    }
    let stdout = if call.capture_stdout {
        Stdio::piped()
    } else {
        // Messages a hook prints at other steps go to the user, not to
        // sm's own stdout (which scripts read).
        match stderr_handle() {
            Some(fd) => Stdio::from(fd),
            None => Stdio::null(),
        }
    };
    let mut command = Command::new(&hook.program);
    command
        .args(&hook.args)
        .arg(call.step)
        .current_dir(call.store_root)
        .env("SM_STEP", call.step)
        .env("SM_SECRET", call.secret)
        .env("SM_VERSION_ID", call.version_id)
        .env("SM_STORE", call.store_root)
        .stdin(Stdio::piped())
        .stdout(stdout)
        .stderr(Stdio::inherit())
        .process_group(0);
    match absolute_path_var() {
        Some(path) => command.env("PATH", path),
        None => command.env_remove("PATH"),
    };
    let mut child = spawn(&mut command)
        .map_err(|e| fail(format!("cannot start {}: {e}", hook.program.display())))?;
    let group = child.id() as i32;
    let started = Instant::now();

    // Feed stdin from a thread: a hook that does not read it must not block
    // sm, and one that exits early must not kill sm with SIGPIPE.
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let input = Zeroizing::new(call.input.to_vec());
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let (tx, rx) = mpsc::channel();
    if let Some(mut out) = child.stdout.take() {
        std::thread::spawn(move || {
            let mut buf = Zeroizing::new(Vec::with_capacity(MAX_VALUE_LEN + 2));
            let mut chunk = Zeroizing::new([0u8; 8192]);
            let result = loop {
                match out.read(&mut chunk[..]) {
                    Ok(0) => break Ok(()),
                    Ok(n) if buf.len() + n > MAX_VALUE_LEN + 1 => break Err(()),
                    Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(_) => break Ok(()),
                }
            };
            let _ = tx.send(result.map(|()| buf));
        });
    } else {
        let _ = tx.send(Ok(Zeroizing::new(Vec::new())));
    }

    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) => {}
            Err(e) => return Err(fail(format!("cannot wait for the hook: {e}"))),
        }
        if started.elapsed() >= call.timeout {
            kill_group(group, &mut child);
            return Err(fail(format!(
                "the hook ran longer than {} s and was stopped",
                call.timeout.as_secs()
            ))
            .with_hint("raise --timeout, or make the hook faster"));
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let _ = writer.join();
    let remaining = call.timeout.saturating_sub(started.elapsed()) + Duration::from_millis(200);
    let output = match rx.recv_timeout(remaining) {
        Ok(Ok(out)) => out,
        Ok(Err(())) => {
            kill_group(group, &mut child);
            return Err(fail(format!(
                "the hook printed more than the {MAX_VALUE_LEN}-byte value limit"
            )));
        }
        Err(_) => {
            // A background process of the hook still holds its stdout.
            kill_group(group, &mut child);
            return Err(fail(
                "the hook exited but a process it started kept its output open".into(),
            ));
        }
    };
    if !status.success() {
        let why = match status.code() {
            Some(code) => format!("the hook exited with status {code}"),
            None => "the hook was killed by a signal".into(),
        };
        return Err(fail(why));
    }
    Ok(output)
}

fn stderr_handle() -> Option<std::os::fd::OwnedFd> {
    use std::os::fd::AsFd;
    std::io::stderr().as_fd().try_clone_to_owned().ok()
}

/// Stops the hook's whole process group: SIGTERM, then SIGKILL after a
/// short grace period.
fn kill_group(group: i32, child: &mut std::process::Child) {
    // SAFETY: kill only sends a signal to the process group sm created.
    unsafe {
        libc::kill(-group, libc::SIGTERM);
    }
    let deadline = Instant::now() + Duration::from_secs(2);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    // SAFETY: as above; the group may hold children that ignored SIGTERM.
    unsafe {
        libc::kill(-group, libc::SIGKILL);
    }
    let _ = child.wait();
}
