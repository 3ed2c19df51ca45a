//! sm: a local, git-native secrets manager.
//!
//! The crate is a library core with a thin command line:
//!
//! - [`store`]: the layout on disk, names, secrets, versions, labels, locks
//!   and atomic writes; opening a store verifies its chain of trust, and
//!   [`store::safe`] reaches every file beneath the store root without
//!   following links, with a size cap per kind of file.
//! - [`crypto`]: the one module that talks to `age` and signs;
//!   [`crypto::identity`]: finding, loading and creating the local identity.
//! - [`userfiles`]: the user's private files outside the store (config,
//!   trust and pin files, identity, personal store): created 0600/0700
//!   whatever the umask, refused when others may write (or read) them.
//! - [`scratch`]: the private scratch file of `sm edit`, wiped on every way
//!   out (signals included) and swept after a kill.
//! - [`agent`]: `sm agent`, which holds an unlocked identity in memory
//!   and does its key operations for same-uid clients.
//! - [`audit`]: the signed, hash-chained access log.
//! - [`cache`]: the sealed local read cache that spares repeated reads
//!   their signature checks and decryption.
//! - [`trust`]: pinning each store's root key on first use.
//! - [`config`]: the user's own settings file (`safe_stores`, the stores
//!   folder discovery may use although another user could have planted
//!   them; see [`store::discovery`]).
//! - [`password`]: random passwords.
//! - [`rotation`]: the four rotation steps, resume, cancel and `--due`;
//!   hooks, which run only as trusted on this machine and from a private
//!   copy of exactly the files that were hashed; schedules.
//! - [`scan`]: `sm scan` and the pre-commit hook: plaintext secrets in
//!   files, staged blobs and git history.
//! - [`hardening`]: process-level protections (no core dumps).
//! - [`exec`]: secrets for programs: `-s` selections, `.env` parsing, env
//!   files (and the loader and shell variables they may not set),
//!   `sm://` references, parallel reads, dotenv/shell quoting, templates.
//! - [`team`]: [`team::access`], path rules and groups (who reads, who
//!   writes), which the store applies to recipients, writes and
//!   verification (`store::Store::rewrap` re-encrypts to what they name
//!   now); [`team::merge`], the three-way merge of `meta.toml` behind
//!   `sm merge-driver`; [`team::replica`]:
//!   read-only replicas. [`git`]: sm's git processes and the merge driver.
//! - [`cli`]: clap types, printing, one file per command. Only this module
//!   knows about clap or prints.

pub mod agent;
pub mod audit;
pub mod cache;
pub mod cli;
pub mod config;
pub mod crypto;
pub mod error;
pub mod exec;
pub mod hardening;
pub mod password;
pub mod scan;
pub mod scratch;
pub mod serve;
pub mod store;
pub mod team;
pub mod trust;
pub mod userfiles;
pub mod verify;

pub use error::{Error, Result};
pub mod git;
pub mod rotation;
