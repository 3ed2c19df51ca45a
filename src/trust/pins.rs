//! Pinning each store's root key on first use, like ssh's known_hosts: a
//! store whose root key changes afterwards is refused. The pin file is
//! private (0600, see [`crate::userfiles`]): one that other users may write
//! is refused, since they could re-pin a store.

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::{Error, Result};
use crate::store::Store;
use crate::userfiles;

/// The file, in the user's config folder, holding pinned root keys.
pub const KNOWN_STORES: &str = "known_stores.toml";

/// What [`check_pin`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pin {
    /// The store was pinned already, with this root key.
    Known,
    /// This machine had not seen the store: its root key is pinned now (the
    /// command line shows who can decrypt what is written there).
    New,
}

/// Checks the store's root key against the pin in `config_dir`, pinning it
/// when this machine has not seen the store before.
pub fn check_pin(config_dir: &Path, store: &Store) -> Result<Pin> {
    let path = config_dir.join(KNOWN_STORES);
    let read = |path: &Path| -> Result<BTreeMap<String, String>> {
        // A damaged pin file is corrupt data (exit 5), like a damaged store
        // file: garbage bytes as well as bad TOML.
        match userfiles::read_trusted_config(path)? {
            Some(bytes) => std::str::from_utf8(&bytes)
                .ok()
                .and_then(|text| toml::from_str(text).ok())
                .ok_or_else(|| {
                    Error::integrity(path, "the file cannot be parsed")
                        .with_hint("fix or remove the file; it only holds store ids and root keys")
                }),
            None => Ok(BTreeMap::new()),
        }
    };
    let check = |pins: &BTreeMap<String, String>| -> Result<bool> {
        match pins.get(store.id()) {
            Some(pinned) if pinned == store.root_key() => Ok(true),
            Some(_) => Err(Error::integrity(
                store.root().join(".sm").join("store.toml"),
                format!(
                    "the store's root key is not the one this machine pinned (in {}); someone may have replaced the store's trust root",
                    path.display()
                ),
            )),
            None => Ok(false),
        }
    };
    if check(&read(&path)?)? {
        return Ok(Pin::Known);
    }
    let _lock = userfiles::lock(
        &config_dir.join(".known_stores.lock"),
        "the known stores file",
    )?;
    let mut pins = read(&path)?;
    if check(&pins)? {
        return Ok(Pin::Known);
    }
    pins.insert(store.id().to_string(), store.root_key().to_string());
    let text = format!(
        "# Root keys of the sm stores this machine has used (store id = root signing key).\n{}",
        toml::to_string(&pins).expect("a map of strings serializes")
    );
    userfiles::write_private(&path, text.as_bytes())?;
    Ok(Pin::New)
}
