//! The `sm` binary: parse the command line, run it, and turn an error into
//! one line on stderr and the exit code of SPEC section 8.

fn main() {
    sm::hardening::protect_process();
    std::process::exit(sm::cli::main());
}
