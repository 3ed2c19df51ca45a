//! sm: a local, git-native secrets manager.
//!
//! The crate is a library core with a thin command line:
//!
//! - [`store`]: the layout on disk, names, secrets, versions, labels, locks
//!   and atomic writes; opening a store verifies its chain of trust, and
//!   [`store::safe`] reaches every file beneath the store root without
//!   following links, with a size cap per kind of file.
//! - [`crypto`]: the one module that talks to `age` and signs.
//! - [`identity`]: finding, loading and creating the local identity.
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
pub mod identity;
pub mod password;
pub mod scan;
pub mod store;
pub mod trust;
pub mod verify;

pub use error::{Error, Result};
pub mod git;
pub mod hook;
pub mod merge;
pub mod replica;
pub mod rotate;
pub mod schedule;
