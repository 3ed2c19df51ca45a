//! Freshness: what a machine remembers of a store between commands, so a
//! replayed older file, a deleted secret or a swapped header is refused
//! (SPEC section 3). The store calls a [`Freshness`] with every header and
//! secret file it verifies; the memory itself lives outside the store (see
//! `crate::trust::seen`), installed by the command context with
//! [`super::Store::set_freshness`]. A store opened without one (tests,
//! `sm verify` on a fresh clone) remembers nothing and checks nothing here.

use std::fmt::Debug;
use std::path::Path;

use crate::cache::Digest;
use crate::error::Result;

/// The signed header as verified at open.
#[derive(Clone, Debug)]
pub struct HeaderSeen<'a> {
    /// The store format (1: no header, then `seq` is 0).
    pub format: u32,
    /// The header's sequence (0: the store has no header).
    pub seq: u64,
    /// The SHA-256 of the header file's bytes (zero without one).
    pub digest: Digest,
    /// The signing key (`ed25519:…`) of the admin who signed it.
    pub signer_key: &'a str,
    /// The signing keys of the admins it names (active ones only).
    pub admin_keys: Vec<&'a str>,
    /// The header file, named in errors.
    pub file: &'a Path,
}

/// A machine's memory of one store at one location.
pub trait Freshness: Send + Sync + Debug {
    /// Checks a verified header against the one trusted here: an older
    /// sequence, the same sequence with other bytes, a missing header where
    /// one was seen, or a newer header signed by someone who was not an
    /// admin in the trusted one is an integrity error (exit 5). Remembers
    /// a newer one.
    fn header(&self, header: &HeaderSeen<'_>) -> Result<()>;

    /// Checks a secret's verified `meta.toml` or tombstone (sequence and
    /// SHA-256 of its bytes) against what was trusted here; remembers a
    /// newer one.
    fn secret(&self, name: &str, seq: u64, digest: &Digest, file: &Path) -> Result<()>;

    /// Called when secret `name` has neither `meta.toml` nor a tombstone:
    /// an integrity error if this machine saw it (it was deleted behind
    /// sm's back), else Ok (it never existed here).
    fn missing(&self, name: &str, file: &Path) -> Result<()>;

    /// The secrets this machine has seen, with the sequence it trusted.
    fn seen_secrets(&self) -> Vec<(String, u64)>;
}

/// The memory of a store opened without one: checks and remembers nothing.
#[derive(Debug, Default)]
pub struct Forgetful;

impl Freshness for Forgetful {
    fn header(&self, _: &HeaderSeen<'_>) -> Result<()> {
        Ok(())
    }
    fn secret(&self, _: &str, _: u64, _: &Digest, _: &Path) -> Result<()> {
        Ok(())
    }
    fn missing(&self, _: &str, _: &Path) -> Result<()> {
        Ok(())
    }
    fn seen_secrets(&self) -> Vec<(String, u64)> {
        Vec::new()
    }
}
