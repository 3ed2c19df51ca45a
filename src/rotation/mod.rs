//! Rotation (SPEC section 5): a secret's rotation settings and schedules,
//! the four steps and their resume and cancel, and the hooks that run them.
//!
//! - [`settings`]: `--hook`, `--generate`, `--timeout`, schedules and
//!   windows as stored in `meta.toml`; what `sm rotate --due` finds due.
//! - [`steps`]: one rotation run: create, set, test, finish.
//! - [`generate`]: values for `--generate`.
//! - [`hook`]: a hook command resolved to the exact files it runs, read
//!   once and hashed (a store hook with its whole folder).
//! - [`runner`]: the private copy of those bytes, and one step run from it
//!   as a subprocess.
//! - [`snapshot`]: reading a hook's files beneath the store root without
//!   following links, and the `#!` interpreters they name.
//! - [`trust`]: trusting a hook on this machine by the digest of its files.
//! - [`schedule`]: `--every`, `rate()`, `cron()` and windows.
//!
//! Imports run one way: steps → trust, runner → hook → snapshot.

pub mod generate;
pub mod hook;
pub mod runner;
pub mod schedule;
pub mod settings;
pub mod snapshot;
pub mod steps;
pub mod trust;

pub use generate::generate_value;
pub use settings::{DueEntry, Settings, configure, schedule_status, scheduled};
pub use steps::{DEFAULT_FIELD, Outcome, RunOptions, STEPS, cancel, rotate, trust_hook};
