//! sm: a local, git-native secrets manager.
//!
//! The crate is a library core with a thin command line:
//!
//! - [`store`]: the layout on disk, names, secrets, versions, labels, locks
//!   and atomic writes; opening a store verifies its chain of trust.
//! - [`crypto`]: the one module that talks to `age` and signs;
//!   [`crypto::identity`]: finding, loading and creating the local identity.
//! - [`userfiles`]: the user's private files outside the store (config,
//!   trust and pin files, identity, personal store): created 0600/0700
//!   whatever the umask, refused when others may write (or read) them.
//! - [`scratch`]: the private scratch file of `sm edit`, wiped on every way
//!   out (signals included) and swept after a kill.
//! - [`audit`]: the signed, hash-chained access log.
//! - [`cache`]: the sealed local read cache that spares repeated reads
//!   their signature checks and decryption.
//! - [`trust`]: pinning each store's root key on first use.
//! - [`password`]: random passwords. [`dotenv`]: `.env` parsing.
//! - [`rotate`]: the four rotation steps, resume, cancel and `--due`;
//!   [`hook`]: running and trusting hooks; [`schedule`]: `--every`,
//!   `rate()`, `cron()` and windows.
//! - [`scan`]: `sm scan` and the pre-commit hook: plaintext secrets in
//!   files, staged blobs and git history.
//! - [`hardening`]: process-level protections (no core dumps).
//! - [`exec`]: secrets for programs: `-s` selections, env files, `sm://`
//!   references, parallel reads, dotenv/shell quoting, templates.
//! - [`access`]: path rules and groups (who reads, who writes); the store
//!   applies them to recipients, writes and verification, and
//!   `store::Store::rewrap` re-encrypts to what they name now.
//! - [`merge`]: the three-way merge of `meta.toml` behind `sm merge-driver`;
//!   [`git`]: registering that driver. [`replica`]: read-only replicas.
//! - [`cli`]: clap types, printing, one file per command. Only this module
//!   knows about clap or prints.

pub mod access;
pub mod audit;
pub mod cache;
pub mod cli;
pub mod crypto;
pub mod dotenv;
pub mod error;
pub mod exec;
pub mod hardening;
pub mod password;
pub mod scan;
pub mod scratch;
pub mod store;
pub mod trust;
pub mod userfiles;
pub mod verify;

/// The old path of [`crypto::identity`], kept while other branches merge.
pub use crypto::identity;
pub use error::{Error, Result};
pub mod git;
pub mod hook;
pub mod merge;
pub mod replica;
pub mod rotate;
pub mod schedule;
