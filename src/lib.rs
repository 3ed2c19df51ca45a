//! sm: a local, git-native secrets manager.
//!
//! The crate is a library core with a thin command line:
//!
//! - [`store`]: the layout on disk, names, secrets, versions, labels, locks
//!   and atomic writes; opening a store verifies its chain of trust.
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
//! - [`team`]: [`team::access`], path rules and groups (who reads, who
//!   writes), which the store applies to recipients, writes and
//!   verification (`store::Store::rewrap` re-encrypts to what they name
//!   now); [`team::merge`], the three-way merge of `meta.toml` behind
//!   `sm merge-driver`. [`git`]: registering that driver. [`replica`]:
//!   read-only replicas.
//! - [`cli`]: clap types, printing, one file per command. Only this module
//!   knows about clap or prints.

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
pub mod team;
pub mod trust;
pub mod verify;

pub use error::{Error, Result};
/// The old paths of the team modules, kept while other branches still use them.
pub use team::{access, merge};
pub mod git;
pub mod hook;
pub mod replica;
pub mod rotate;
pub mod schedule;
