//! Process-level protections: a secret held in memory must not end up in a
//! core dump, and other processes of the same user must not read it through
//! ptrace or /proc/PID/mem.

use std::sync::OnceLock;

static ORIGINAL_CORE_LIMIT: OnceLock<(u64, u64)> = OnceLock::new();

/// Disables core dumps and (on Linux) marks the process non-dumpable.
pub fn protect_process() {
    #[cfg(unix)]
    // SAFETY: getrlimit/setrlimit/prctl only read and write the plain
    // structs passed to them.
    unsafe {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        if libc::getrlimit(libc::RLIMIT_CORE, &mut limit) == 0 {
            let _ = ORIGINAL_CORE_LIMIT.set((limit.rlim_cur, limit.rlim_max));
            let off = libc::rlimit {
                rlim_cur: 0,
                rlim_max: limit.rlim_max,
            };
            libc::setrlimit(libc::RLIMIT_CORE, &off);
        }
        #[cfg(target_os = "linux")]
        libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0);
    }
}

/// The core-dump limit sm started with (soft, hard), if it was read.
pub fn original_core_limit() -> Option<(u64, u64)> {
    ORIGINAL_CORE_LIMIT.get().copied()
}

/// Restores the core-dump limit sm started with, so that a program run by
/// `sm exec` gets the limit its user set (the dumpable flag resets on exec
/// by itself).
pub fn restore_for_exec() {
    #[cfg(unix)]
    if let Some((cur, max)) = ORIGINAL_CORE_LIMIT.get() {
        let limit = libc::rlimit {
            rlim_cur: *cur as libc::rlim_t,
            rlim_max: *max as libc::rlim_t,
        };
        // SAFETY: setrlimit reads the struct passed to it.
        unsafe {
            libc::setrlimit(libc::RLIMIT_CORE, &limit);
        }
    }
}
