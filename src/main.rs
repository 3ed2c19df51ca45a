//! The `sm` binary: parse the command line, run it, and turn an error into
//! one line on stderr and the exit code of SPEC section 8.

fn main() {
    // SAFETY: this is the first thing the process does: no thread but this
    // one exists yet, so nothing else reads the environment while
    // SM_IDENTITY is taken out of it (no child sm starts may inherit it).
    unsafe { sm::crypto::identity::capture_env_key() };
    sm::hardening::protect_process();
    std::process::exit(sm::cli::main());
}
