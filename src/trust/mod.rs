//! What this machine trusts about the stores it uses, kept in the user's
//! config folder (private: 0600 files, 0700 folders; see
//! [`crate::userfiles`]):
//!
//! - [`pins`]: each store's root key, pinned on first use like ssh's
//!   known_hosts.
//! - [`location`]: which store this machine first met at each folder and
//!   git remote, so a different store at a known location is refused.
//! - the seen state (`seen/<key>/`, see [`seen_dir`]): the highest signed
//!   sequence, the secrets and the log heads this machine has trusted in a
//!   store, so a replayed older file, a deleted secret or a shortened log
//!   is caught (as TUF clients remember the metadata versions they saw);
//!   [`seen::Seen`] keeps the header and secret marks.
//! - [`device`]: this machine's device id for a store's per-device log.
//! - [`log_heads`]: the log heads of the seen state.
//! - [`location`]: pins by location (store path and git remote).

pub mod device;
pub mod header_chain;
pub mod location;
pub mod log_heads;
pub mod pins;
pub mod seen;

use std::path::{Path, PathBuf};

pub use pins::{KNOWN_STORES, Pin, check_pin};

use crate::store::Store;

/// The folder, under sm's config folder, holding one seen-state folder per
/// store and location.
pub const SEEN_DIR: &str = "seen";

/// Returns the seen-state folder of `store` as opened at its root: keyed
/// by the store id and the root's real path, so two checkouts of one store
/// (each at its own point of history) keep their own marks.
pub fn seen_dir(config_dir: &Path, store: &Store) -> PathBuf {
    config_dir
        .join(SEEN_DIR)
        .join(seen_key(store.id(), store.canonical_root()))
}

/// Returns the seen-state key of a store id at a root path: 32 hex digits
/// of SHA-256 over both.
pub fn seen_key(store_id: &str, root: &Path) -> String {
    use std::os::unix::ffi::OsStrExt as _;
    let digest = crate::cache::digest(&[store_id.as_bytes(), root.as_os_str().as_bytes()]);
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}
