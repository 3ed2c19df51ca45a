//! The private scratch file `sm edit` hands to the editor: a 0700 folder
//! `sm-edit-<pid>-<uuid>` outside the store (in /dev/shm where it exists),
//! holding the plaintext in a 0600 file.
//!
//! The plaintext is overwritten with zeros and removed on every way out:
//! on drop; on SIGTERM or SIGHUP, by a watcher thread woken through a
//! self-pipe (the signal handler itself only writes one byte, which is
//! async-signal-safe), which then ends sm with the same signal; and after a
//! SIGKILL, by the next `sm edit` or `sm doctor`, which sweep the folders of
//! this user whose creating process is gone. While the editor runs, sm
//! ignores SIGINT and SIGQUIT (as git does when it launches an editor, and
//! `system(3)`): a Ctrl-C meant for the editor must not end sm and lose the
//! edit; the editor itself gets them as usual.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};

use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// The prefix of every scratch folder's name.
pub const PREFIX: &str = "sm-edit-";

/// The largest file read back from the editor: a value's limit with room
/// for an editor's additions is far below this.
const MAX_EDITED: u64 = 16 << 20;

/// Returns the folder scratch folders are created in: /dev/shm (memory,
/// never a disk) where it exists, else the temp folder.
pub fn base_dir() -> PathBuf {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        shm.to_path_buf()
    } else {
        std::env::temp_dir()
    }
}

/// A private folder holding a value being edited, wiped and removed on
/// drop, and on SIGTERM and SIGHUP while it exists.
pub struct Scratch {
    dir: PathBuf,
    file: PathBuf,
    guard: Option<SignalGuard>,
}

impl Scratch {
    /// Creates the folder and writes `value` to the file in it.
    pub fn create(value: &[u8]) -> Result<Scratch> {
        let dir = base_dir().join(format!(
            "{PREFIX}{}-{}",
            std::process::id(),
            uuid::Uuid::now_v7().simple()
        ));
        fs::DirBuilder::new()
            .mode(0o700)
            .create(&dir)
            .and_then(|()| fs::set_permissions(&dir, fs::Permissions::from_mode(0o700)))
            .map_err(|e| Error::io("cannot create", &dir, e))?;
        let file = dir.join("value");
        let mut scratch = Scratch {
            guard: None,
            file,
            dir,
        };
        // The handlers are in place before the plaintext exists.
        scratch.guard = Some(SignalGuard::install(&scratch.dir)?);
        let mut f = crate::userfiles::create_new_private(&scratch.file)
            .map_err(|e| Error::io("cannot create", &scratch.file, e))?;
        f.write_all(value)
            .map_err(|e| Error::io("cannot write", &scratch.file, e))?;
        Ok(scratch)
    }

    /// Returns the file the editor opens.
    pub fn path(&self) -> &Path {
        &self.file
    }

    /// Reads back what the editor saved.
    pub fn read(&self) -> Result<Zeroizing<Vec<u8>>> {
        use std::io::Read as _;
        wait_if_ending();
        let file =
            fs::File::open(&self.file).map_err(|e| Error::io("cannot read", &self.file, e))?;
        let mut bytes = Zeroizing::new(Vec::new());
        file.take(MAX_EDITED + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| Error::io("cannot read", &self.file, e))?;
        if bytes.len() as u64 > MAX_EDITED {
            return Err(Error::invalid(
                "the edited file is too large; nothing was saved",
            ));
        }
        Ok(bytes)
    }

    /// Runs the editor `command` and waits for it. sm ignores SIGINT and
    /// SIGQUIT meanwhile; the editor gets the dispositions sm started with.
    /// SIGTERM and SIGHUP are passed on to the editor after the file is
    /// wiped.
    pub fn run_editor(&self, mut command: Command) -> std::io::Result<ExitStatus> {
        let ignored = IgnoreInterrupts::install();
        let (int_ignored, quit_ignored) = (ignored.was_ignored(0), ignored.was_ignored(1));
        // SAFETY: the closure runs in the child between fork and exec and
        // only calls signal(2), which is async-signal-safe.
        unsafe {
            command.pre_exec(move || {
                let back = |ignored: bool| {
                    if ignored {
                        libc::SIG_IGN
                    } else {
                        libc::SIG_DFL
                    }
                };
                libc::signal(libc::SIGINT, back(int_ignored));
                libc::signal(libc::SIGQUIT, back(quit_ignored));
                Ok(())
            });
        }
        let mut child = command.spawn()?;
        EDITOR_PID.store(child.id() as i32, Ordering::SeqCst);
        let status = child.wait();
        EDITOR_PID.store(0, Ordering::SeqCst);
        wait_if_ending();
        drop(ignored);
        status
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        wipe_and_remove(&self.dir);
        drop(self.guard.take());
    }
}

/// Overwrites every regular file in `dir` (the value, and any swap or
/// backup file the editor left next to it) with zeros, then removes the
/// folder. Never follows a link.
fn wipe_and_remove(dir: &Path) {
    if let Ok(entries) = fs::read_dir(dir) {
        for entry in entries.flatten() {
            let Ok(meta) = entry.path().symlink_metadata() else {
                continue;
            };
            if !meta.is_file() {
                continue;
            }
            if let Ok(mut f) = OpenOptions::new()
                .write(true)
                .custom_flags(libc::O_NOFOLLOW)
                .open(entry.path())
            {
                let zeros = [0u8; 8192];
                let mut left = meta.len();
                while left > 0 {
                    let n = left.min(zeros.len() as u64) as usize;
                    if f.write_all(&zeros[..n]).is_err() {
                        break;
                    }
                    left -= n as u64;
                }
                let _ = f.sync_all();
            }
        }
    }
    let _ = fs::remove_dir_all(dir);
}

/// Removes the scratch folders of this user left by an `sm edit` that was
/// killed (SIGKILL, a crash, a power cut on a disk-backed temp folder):
/// folders named `sm-edit-<pid>-...`, owned by this user, whose creating
/// process no longer exists. Returns the folders removed.
pub fn sweep_stale() -> Vec<PathBuf> {
    sweep_stale_in(&base_dir())
}

fn sweep_stale_in(base: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(base) else {
        return Vec::new();
    };
    // SAFETY: geteuid has no preconditions and cannot fail.
    let me = unsafe { libc::geteuid() };
    let mut removed = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(PREFIX))
            .and_then(|rest| rest.split_once('-'))
            .and_then(|(pid, _)| pid.parse::<i32>().ok())
            .filter(|pid| *pid > 0)
        else {
            continue;
        };
        let path = entry.path();
        let Ok(meta) = path.symlink_metadata() else {
            continue;
        };
        if !meta.is_dir() || meta.uid() != me || pid as u32 == std::process::id() {
            continue;
        }
        if process_alive(pid) {
            continue;
        }
        wipe_and_remove(&path);
        if path.symlink_metadata().is_err() {
            removed.push(path);
        }
    }
    removed
}

/// Tells whether a process `pid` exists (one of another user counts).
fn process_alive(pid: i32) -> bool {
    // SAFETY: kill with signal 0 only checks that the process exists.
    let rc = unsafe { libc::kill(pid, 0) };
    rc == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
}

/// Set by the signal watcher before it wipes the file: sm is ending.
static ENDING: AtomicBool = AtomicBool::new(false);

/// Parks the calling thread for good once the watcher has begun to end sm
/// by a signal, so that nothing reads the (wiped) file and saves it.
fn wait_if_ending() {
    while ENDING.load(Ordering::SeqCst) {
        std::thread::park();
    }
}

/// The editor's pid while it runs (0 otherwise), for the signal watcher.
static EDITOR_PID: AtomicI32 = AtomicI32::new(0);
/// The write end of the self-pipe, or -1.
static PIPE_WRITE: AtomicI32 = AtomicI32::new(-1);

/// The signals that end sm with the scratch file wiped first.
const FATAL: [libc::c_int; 2] = [libc::SIGTERM, libc::SIGHUP];

extern "C" fn on_fatal_signal(signal: libc::c_int) {
    let fd = PIPE_WRITE.load(Ordering::SeqCst);
    if fd >= 0 {
        let byte = signal as u8;
        // SAFETY: write(2) is async-signal-safe; the byte outlives the call.
        unsafe {
            libc::write(fd, (&byte as *const u8).cast(), 1);
        }
    }
}

/// SIGTERM and SIGHUP handlers (those not ignored when sm started) and the
/// watcher thread that wipes the scratch folder before sm ends by them.
struct SignalGuard {
    previous: Vec<(libc::c_int, libc::sigaction)>,
    write_fd: libc::c_int,
    watcher: Option<std::thread::JoinHandle<()>>,
}

impl SignalGuard {
    fn install(dir: &Path) -> Result<SignalGuard> {
        let mut fds = [0 as libc::c_int; 2];
        // SAFETY: pipe2 writes two descriptors into the array it is given.
        if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
            return Err(Error::Other(format!(
                "cannot set up signal handling: {}",
                std::io::Error::last_os_error()
            )));
        }
        let (read_fd, write_fd) = (fds[0], fds[1]);
        let dir = dir.to_path_buf();
        let watcher = std::thread::spawn(move || {
            let mut byte = 0u8;
            // SAFETY: reads one byte into a local from a descriptor this
            // thread owns (closed below, after the loop).
            let n = loop {
                let n = unsafe { libc::read(read_fd, (&mut byte as *mut u8).cast(), 1) };
                if n < 0
                    && std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted
                {
                    continue;
                }
                break n;
            };
            if n != 1 || byte == 0 {
                // Disarmed. SAFETY: read_fd is this thread's, not used again.
                unsafe { libc::close(read_fd) };
                return;
            }
            // The read end stays open: a disarm byte written meanwhile by
            // the main thread must not raise SIGPIPE; and the main thread
            // waits in the guard's drop (joining this thread) until the
            // signal below ends the process.
            ENDING.store(true, Ordering::SeqCst);
            let signal = libc::c_int::from(byte);
            wipe_and_remove(&dir);
            let editor = EDITOR_PID.load(Ordering::SeqCst);
            // SAFETY: plain system calls on plain values: pass the signal on
            // to the editor, restore the default action and end sm with it.
            unsafe {
                if editor > 0 {
                    libc::kill(editor, signal);
                }
                libc::signal(signal, libc::SIG_DFL);
                libc::raise(signal);
                // The default action of both signals ends the process; this
                // is only reached if something blocked it.
                libc::_exit(128 + signal);
            }
        });
        PIPE_WRITE.store(write_fd, Ordering::SeqCst);
        let mut previous = Vec::new();
        for signal in FATAL {
            // SAFETY: sigaction reads and writes the structs it is given;
            // the handler only calls write(2).
            unsafe {
                let mut old: libc::sigaction = std::mem::zeroed();
                libc::sigaction(signal, std::ptr::null(), &mut old);
                if old.sa_sigaction == libc::SIG_IGN {
                    continue; // nohup: keep ignoring it
                }
                let mut action: libc::sigaction = std::mem::zeroed();
                action.sa_sigaction =
                    on_fatal_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
                action.sa_flags = libc::SA_RESTART;
                libc::sigemptyset(&mut action.sa_mask);
                libc::sigaction(signal, &action, std::ptr::null_mut());
                previous.push((signal, old));
            }
        }
        Ok(SignalGuard {
            previous,
            write_fd,
            watcher: Some(watcher),
        })
    }
}

impl Drop for SignalGuard {
    fn drop(&mut self) {
        for (signal, old) in &self.previous {
            // SAFETY: restores the action saved at install.
            unsafe {
                libc::sigaction(*signal, old, std::ptr::null_mut());
            }
        }
        PIPE_WRITE.store(-1, Ordering::SeqCst);
        let zero = 0u8;
        // SAFETY: writes the disarm byte and closes the pipe's write end,
        // which this guard owns.
        unsafe {
            libc::write(self.write_fd, (&zero as *const u8).cast(), 1);
            libc::close(self.write_fd);
        }
        if let Some(watcher) = self.watcher.take() {
            let _ = watcher.join();
        }
    }
}

/// SIGINT and SIGQUIT ignored while it lives, as they were before after.
struct IgnoreInterrupts {
    previous: [(libc::c_int, libc::sigaction); 2],
}

impl IgnoreInterrupts {
    fn install() -> IgnoreInterrupts {
        let mut previous = [libc::SIGINT, libc::SIGQUIT].map(|signal| {
            // SAFETY: a zeroed sigaction is a valid value to be filled in.
            (signal, unsafe { std::mem::zeroed::<libc::sigaction>() })
        });
        for (signal, old) in &mut previous {
            // SAFETY: sigaction reads and writes the structs it is given.
            unsafe {
                let mut action: libc::sigaction = std::mem::zeroed();
                action.sa_sigaction = libc::SIG_IGN;
                libc::sigemptyset(&mut action.sa_mask);
                libc::sigaction(*signal, &action, old);
            }
        }
        IgnoreInterrupts { previous }
    }

    /// Tells whether signal `index` (0: SIGINT, 1: SIGQUIT) was ignored
    /// before.
    fn was_ignored(&self, index: usize) -> bool {
        self.previous[index].1.sa_sigaction == libc::SIG_IGN
    }
}

impl Drop for IgnoreInterrupts {
    fn drop(&mut self) {
        for (signal, old) in &self.previous {
            // SAFETY: restores the action saved at install.
            unsafe {
                libc::sigaction(*signal, old, std::ptr::null_mut());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sweep_takes_only_dead_owned_scratch_folders() {
        let base = tempfile::tempdir().unwrap();
        // A pid that cannot exist (above the kernel's maximum).
        let dead = base.path().join(format!("{PREFIX}{}-abc", i32::MAX - 1));
        fs::create_dir(&dead).unwrap();
        fs::write(dead.join("value"), b"plaintext").unwrap();
        let mine = base
            .path()
            .join(format!("{PREFIX}{}-def", std::process::id()));
        fs::create_dir(&mine).unwrap();
        let other = base.path().join("sm-editor-1-x");
        fs::create_dir(&other).unwrap();
        let link = base.path().join(format!("{PREFIX}{}-lnk", i32::MAX - 2));
        std::os::unix::fs::symlink(&other, &link).unwrap();
        let removed = sweep_stale_in(base.path());
        assert_eq!(removed, vec![dead.clone()]);
        assert!(!dead.exists());
        assert!(mine.exists() && other.exists() && link.symlink_metadata().is_ok());
    }

    #[test]
    fn wipe_overwrites_before_removing() {
        use std::io::Read;
        let base = tempfile::tempdir().unwrap();
        let dir = base.path().join("d");
        fs::create_dir(&dir).unwrap();
        fs::write(dir.join("value"), b"hunter2").unwrap();
        let mut held = fs::File::open(dir.join("value")).unwrap();
        wipe_and_remove(&dir);
        assert!(!dir.exists());
        let mut after = Vec::new();
        held.read_to_end(&mut after).unwrap();
        assert_eq!(after, vec![0u8; 7]);
    }
}
