//! Rotation hooks as subprocesses (SPEC section 5): resolving a hook
//! command to the files it runs, trusting it on this machine by content
//! hash, and running one step with its environment, its JSON input on
//! stdin, a timeout that kills the hook's whole process group, and its
//! stdout captured (only at `create`) into a wiped buffer.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::crypto;
use crate::error::{Error, Result};
use crate::store::MAX_VALUE_LEN;
use crate::store::fsio;

/// The file, in the user's config folder, recording trusted hooks.
pub const TRUSTED_HOOKS: &str = "trusted_hooks.toml";

/// The default step timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(300);

/// A hook command split into words, with its program resolved.
#[derive(Clone, Debug)]
pub struct Hook {
    /// The command as configured (e.g. `examples/rotation/postgres`).
    pub command: String,
    /// The program, as an absolute path.
    pub program: PathBuf,
    /// The arguments after the program.
    pub args: Vec<String>,
    /// The SHA-256 over the program's content and every argument that names
    /// a file in the store (so `python3 hook.py` pins `hook.py` too).
    pub sha256: String,
}

impl Hook {
    /// Resolves `command` against the store root (words with a `/`) or PATH.
    pub fn resolve(command: &str, store_root: &Path) -> Result<Hook> {
        let words = shell_words::split(command).map_err(|_| {
            Error::invalid(format!(
                "the hook command `{command}` has unbalanced quotes"
            ))
        })?;
        let Some((first, args)) = words.split_first() else {
            return Err(Error::invalid("the hook command is empty"));
        };
        let program = find_program(first, store_root).ok_or_else(|| {
            Error::not_found(format!("hook program `{first}` not found"))
                .with_hint("name an executable in the store (e.g. hooks/rotate) or on PATH")
        })?;
        let mut hasher_input = Vec::new();
        let mut add_file = |path: &Path| -> Result<()> {
            let bytes = fsio::read(path)?;
            hasher_input.extend_from_slice(path.to_string_lossy().as_bytes());
            hasher_input.push(0);
            hasher_input.extend_from_slice(crypto::sha256_hex(&bytes).as_bytes());
            hasher_input.push(0);
            Ok(())
        };
        add_file(&program)?;
        for arg in args {
            let path = store_root.join(arg);
            if !arg.starts_with('-') && path.is_file() {
                add_file(&path)?;
            }
        }
        Ok(Hook {
            command: command.to_string(),
            program,
            args: args.to_vec(),
            sha256: crypto::sha256_hex(&hasher_input),
        })
    }
}

fn find_program(word: &str, store_root: &Path) -> Option<PathBuf> {
    let is_file = |p: &Path| p.is_file();
    if word.contains('/') {
        let path = store_root.join(word);
        return is_file(&path).then(|| std::path::absolute(&path).unwrap_or(path));
    }
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(word))
        .find(|p| is_file(p) && p.is_absolute())
}

/// One trusted hook in [`TRUSTED_HOOKS`].
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct TrustedHook {
    /// The command as configured.
    pub command: String,
    /// The resolved program.
    pub program: String,
    /// The content hash trusted.
    pub sha256: String,
    /// When it was trusted.
    pub trusted: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TrustFile {
    #[serde(default, rename = "hook")]
    hooks: Vec<TrustedHook>,
}

/// Reads the trust file; one other users may write is refused (exit 5,
/// see [`crate::userfiles::read_trusted_config`]).
fn read_trust(path: &Path) -> Result<TrustFile> {
    match crate::userfiles::read_trusted_config(path)? {
        Some(bytes) => std::str::from_utf8(&bytes)
            .ok()
            .and_then(|text| toml::from_str(text).ok())
            .ok_or_else(|| {
                Error::invalid(format!("{} cannot be parsed", path.display())).with_hint(
                    "fix or remove the file; it only lists trusted hook commands and hashes",
                )
            }),
        None => Ok(TrustFile::default()),
    }
}

/// Records `hook` as trusted on this machine (in `config_dir`).
pub fn trust(config_dir: &Path, hook: &Hook) -> Result<()> {
    let _lock = crate::userfiles::lock(
        &config_dir.join(".trusted_hooks.lock"),
        "the trusted hooks file",
    )?;
    let path = config_dir.join(TRUSTED_HOOKS);
    let mut file = read_trust(&path)?;
    let program = hook.program.to_string_lossy().into_owned();
    file.hooks
        .retain(|h| !(h.command == hook.command && h.program == program));
    file.hooks.push(TrustedHook {
        command: hook.command.clone(),
        program,
        sha256: hook.sha256.clone(),
        trusted: crate::store::now_string(),
    });
    let text = format!(
        "# Rotation hooks you trust to run on this machine (sm rotate --trust-hook).\n{}",
        toml::to_string(&file).expect("the trust file serializes")
    );
    crate::userfiles::write_private(&path, text.as_bytes())
}

/// Fails with exit 4 unless `hook`, as it is now, was trusted on this machine.
pub fn check_trusted(config_dir: &Path, hook: &Hook, secret: &str) -> Result<()> {
    let file = read_trust(&config_dir.join(TRUSTED_HOOKS))?;
    let program = hook.program.to_string_lossy();
    let known = file
        .hooks
        .iter()
        .find(|h| h.command == hook.command && h.program == program);
    let hint = format!(
        "read {} first; if you trust it, run `sm rotate {secret} --trust-hook`",
        hook.program.display()
    );
    match known {
        Some(h) if h.sha256 == hook.sha256 => Ok(()),
        Some(_) => Err(Error::no_access(format!(
            "the rotation hook `{}` changed since you trusted it, so sm will not run it",
            hook.command
        ))
        .with_hint(hint)),
        None => Err(Error::no_access(format!(
            "the rotation hook `{}` is not trusted on this machine, so sm will not run it",
            hook.command
        ))
        .with_hint(hint)),
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

/// Runs one step of `hook`. Returns the captured stdout (empty unless
/// `capture_stdout`), or a rotation-failed error that never holds a value.
pub fn run_step(hook: &Hook, call: &StepCall<'_>) -> Result<Zeroizing<Vec<u8>>> {
    use std::os::unix::process::CommandExt;

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
    let mut child = Command::new(&hook.program)
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
        .process_group(0)
        .spawn()
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
