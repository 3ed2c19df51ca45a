//! Running a program as sm's child rather than in sm's place (`sm exec
//! --serve`, whose endpoint must outlive nothing but the program): its
//! standard streams are sm's, the signals sent to sm (INT, TERM, HUP,
//! QUIT, USR1, USR2) are passed on, and its exit status becomes sm's, a
//! signal that killed it being raised again in sm.
//!
//! A signal the terminal sends (Ctrl-C, Ctrl-\) already reaches the
//! program, which is in sm's process group, so only signals sent to sm by
//! another process (`kill`) are passed on: none is delivered twice.

use std::io::Read;
use std::os::fd::FromRawFd;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Command, ExitStatus};
use std::sync::atomic::{AtomicI32, Ordering};

/// The signals passed on to the program.
pub const FORWARDED: [libc::c_int; 6] = [
    libc::SIGINT,
    libc::SIGTERM,
    libc::SIGHUP,
    libc::SIGQUIT,
    libc::SIGUSR1,
    libc::SIGUSR2,
];

/// The write end of the pipe the handler reports signals through.
static PIPE: AtomicI32 = AtomicI32::new(-1);
/// The program's pid while it runs (0 otherwise).
static CHILD: AtomicI32 = AtomicI32::new(0);

extern "C" fn on_signal(sig: libc::c_int, info: *mut libc::siginfo_t, _: *mut libc::c_void) {
    // SAFETY: the kernel passes a valid siginfo to an SA_SIGINFO handler.
    let code = if info.is_null() {
        0
    } else {
        unsafe { (*info).si_code }
    };
    let message = [sig as u8, u8::from(code == libc::SI_KERNEL)];
    let fd = PIPE.load(Ordering::Relaxed);
    if fd >= 0 {
        // SAFETY: write(2) is async-signal-safe; the buffer is valid.
        unsafe {
            libc::write(fd, message.as_ptr().cast(), message.len());
        }
    }
}

/// Installs the handlers and the thread that passes signals on.
fn install() -> std::io::Result<()> {
    let mut fds = [0; 2];
    // SAFETY: pipe2 writes two descriptors into the array.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: the read end is ours alone from here on.
    let mut reader = unsafe { std::fs::File::from_raw_fd(fds[0]) };
    PIPE.store(fds[1], Ordering::Relaxed);
    std::thread::Builder::new()
        .name("sm-signals".into())
        .spawn(move || {
            let mut message = [0u8; 2];
            while reader.read_exact(&mut message).is_ok() {
                let pid = CHILD.load(Ordering::SeqCst);
                if pid > 0 && message[1] == 0 {
                    // SAFETY: kill has no memory preconditions.
                    unsafe {
                        libc::kill(pid, libc::c_int::from(message[0]));
                    }
                }
            }
        })?;
    for sig in FORWARDED {
        // SAFETY: the action struct is fully initialised; the handler only
        // calls async-signal-safe functions.
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_signal as *const () as usize;
            action.sa_flags = libc::SA_SIGINFO | libc::SA_RESTART;
            libc::sigemptyset(&mut action.sa_mask);
            if libc::sigaction(sig, &action, std::ptr::null_mut()) != 0 {
                return Err(std::io::Error::last_os_error());
            }
        }
    }
    Ok(())
}

/// Spawns `command` and waits for it, passing signals on. The program
/// gets back the core-dump limit sm started with.
pub fn run(command: &mut Command) -> std::io::Result<ExitStatus> {
    install()?;
    let limit = crate::hardening::original_core_limit();
    // SAFETY: the closure runs in the child between fork and exec and only
    // calls setrlimit, which is async-signal-safe.
    unsafe {
        command.pre_exec(move || {
            if let Some((cur, max)) = limit {
                let limit = libc::rlimit {
                    rlim_cur: cur as libc::rlim_t,
                    rlim_max: max as libc::rlim_t,
                };
                libc::setrlimit(libc::RLIMIT_CORE, &limit);
            }
            Ok(())
        });
    }
    let mut child = command.spawn()?;
    CHILD.store(child.id() as i32, Ordering::SeqCst);
    let status = child.wait();
    CHILD.store(0, Ordering::SeqCst);
    status
}

/// Ends sm as the program ended: its exit code, or the signal that killed
/// it raised again (falling back to 128 + the signal's number).
pub fn exit_code(status: ExitStatus) -> i32 {
    if let Some(code) = status.code() {
        return code;
    }
    let Some(sig) = status.signal() else {
        return 1;
    };
    // SAFETY: resetting a disposition and raising a signal have no memory
    // preconditions.
    unsafe {
        libc::signal(sig, libc::SIG_DFL);
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, sig);
        libc::pthread_sigmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut());
        libc::raise(sig);
    }
    128 + sig
}
