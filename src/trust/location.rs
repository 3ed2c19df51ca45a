//! Pins by location: which store this machine first met at each folder and
//! behind each git remote, so a different store put in place of a known one
//! (a folder swapped, or a pushed commit replacing `.sm/` and `secrets/`
//! with a store someone else made) is refused, whatever id it claims.
//!
//! The file `known_locations.toml` in sm's config folder (private, see
//! [`crate::userfiles`]) holds `[path."<canonical root>"]` and
//! `[remote."<url>"]` tables, each with the store's `id`, `root_key` and
//! `first_seen`. Checking a known folder costs one small file read; at a
//! new folder sm asks git once for the remotes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::store::Store;
use crate::userfiles;

/// The file, in the user's config folder, holding the location pins.
pub const KNOWN_LOCATIONS: &str = "known_locations.toml";

/// The store pinned at one location.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct LocationPin {
    /// The store id.
    pub id: String,
    /// The store's root signing key (`ed25519:…`).
    pub root_key: String,
    /// When this machine first met the store there (RFC 3339).
    pub first_seen: String,
}

impl LocationPin {
    fn of(store: &Store) -> LocationPin {
        LocationPin {
            id: store.id().to_string(),
            root_key: store.root_key().to_string(),
            first_seen: jiff::Timestamp::now()
                .strftime("%Y-%m-%dT%H:%M:%SZ")
                .to_string(),
        }
    }

    fn matches(&self, store: &Store) -> bool {
        self.id == store.id() && self.root_key == store.root_key()
    }

    /// Describes the pinned store: `store id A, root key K…`.
    pub fn describe(&self) -> String {
        format!(
            "store id {}, root key {}",
            self.id,
            short_key(&self.root_key)
        )
    }
}

/// The contents of [`KNOWN_LOCATIONS`].
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct KnownLocations {
    #[serde(default)]
    path: BTreeMap<String, LocationPin>,
    #[serde(default)]
    remote: BTreeMap<String, LocationPin>,
}

/// What [`check_location`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Located {
    /// This folder was pinned to this store already.
    Known,
    /// This folder was new: it is pinned now, with these remotes (the ones
    /// pinned before to this store included).
    New {
        /// The remotes (keys of `[remote]`) found for the folder.
        remotes: Vec<String>,
    },
}

/// One location re-pinned by [`repin`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Repinned {
    /// `path` or `remote`.
    pub kind: &'static str,
    /// The folder or remote URL.
    pub location: String,
    /// The store pinned there before (`None`: it was not pinned).
    pub old: Option<LocationPin>,
    /// The store pinned there now.
    pub new: LocationPin,
}

/// Checks that the store is the one this machine first met at its folder
/// (and, at a new folder, behind its git remotes); pins a new folder and
/// its remotes. A different store is exit 5.
pub fn check_location(config_dir: &Path, store: &Store) -> Result<Located> {
    let path = config_dir.join(KNOWN_LOCATIONS);
    let root = root_key(store);
    if let Some(pin) = read(&path)?.path.get(&root) {
        return if pin.matches(store) {
            Ok(Located::Known)
        } else {
            Err(different(store, pin, None))
        };
    }
    let remotes = remotes(store.root());
    let _lock = userfiles::lock(
        &config_dir.join(".known_locations.lock"),
        "the known locations file",
    )?;
    let mut known = read(&path)?;
    if let Some(pin) = known.path.get(&root) {
        return if pin.matches(store) {
            Ok(Located::Known)
        } else {
            Err(different(store, pin, None))
        };
    }
    for url in &remotes {
        if let Some(pin) = known.remote.get(url)
            && !pin.matches(store)
        {
            return Err(different(store, pin, Some(url)));
        }
    }
    let pin = LocationPin::of(store);
    known.path.insert(root, pin.clone());
    for url in &remotes {
        known
            .remote
            .entry(url.clone())
            .or_insert_with(|| pin.clone());
    }
    write(&path, &known)?;
    Ok(Located::New { remotes })
}

/// Pins the store's folder and remotes to the store as it is now, whatever
/// was pinned there (`sm doctor --reset-trust`, and `sm init`, which makes a
/// new store). Returns every location whose pin changed.
pub fn repin(config_dir: &Path, store: &Store) -> Result<Vec<Repinned>> {
    let path = config_dir.join(KNOWN_LOCATIONS);
    let remotes = remotes(store.root());
    let _lock = userfiles::lock(
        &config_dir.join(".known_locations.lock"),
        "the known locations file",
    )?;
    let mut known = read(&path)?;
    let pin = LocationPin::of(store);
    let mut changed = Vec::new();
    let mut set = |kind: &'static str, map: &mut BTreeMap<String, LocationPin>, key: String| {
        let old = map.get(&key).cloned();
        if old.as_ref().is_some_and(|old| old.matches(store)) {
            return;
        }
        map.insert(key.clone(), pin.clone());
        changed.push(Repinned {
            kind,
            location: key,
            old,
            new: pin.clone(),
        });
    };
    set("path", &mut known.path, root_key(store));
    for url in remotes {
        set("remote", &mut known.remote, url);
    }
    if !changed.is_empty() {
        write(&path, &known)?;
    }
    Ok(changed)
}

/// Returns the pin of the store's folder, if any (for `sm doctor
/// --reset-trust`, to forget the old store's seen state).
pub fn pinned_at(config_dir: &Path, store: &Store) -> Result<Option<LocationPin>> {
    Ok(read(&config_dir.join(KNOWN_LOCATIONS))?
        .path
        .get(&root_key(store))
        .cloned())
}

/// Returns the canonical root of the store.
pub fn canonical_root(store: &Store) -> PathBuf {
    store.canonical_root().to_path_buf()
}

fn root_key(store: &Store) -> String {
    canonical_root(store).to_string_lossy().into_owned()
}

/// Shortens a root key for messages: its first 12 characters after the
/// algorithm, then `…`.
fn short_key(key: &str) -> String {
    let (algo, rest) = key.split_once(':').unwrap_or(("", key));
    let short: String = rest.chars().take(12).collect();
    if algo.is_empty() {
        format!("{short}…")
    } else {
        format!("{algo}:{short}…")
    }
}

fn different(store: &Store, pin: &LocationPin, remote: Option<&str>) -> Error {
    let first = match remote {
        Some(url) => format!("first cloned from {url}"),
        None => "first used here".to_string(),
    };
    let reason = if pin.id == store.id() {
        // The same id with another root key: the trust root was replaced.
        format!(
            "the store at {} has another root key than the one this machine pinned when it was {first} on {} (store id {}, root key {}; now root key {})",
            store.root().display(),
            pin.first_seen,
            pin.id,
            short_key(&pin.root_key),
            short_key(store.root_key()),
        )
    } else {
        format!(
            "the store at {} is a different store than the one {first} on {} ({}; now id {}, root key {})",
            store.root().display(),
            pin.first_seen,
            pin.describe(),
            store.id(),
            short_key(store.root_key()),
        )
    };
    Error::integrity(store.root().join(".sm").join("store.toml"), reason).with_hint(
        "someone may have replaced the store this machine pinned here; if it was deliberately re-created, `sm doctor --reset-trust` accepts it",
    )
}

fn read(path: &Path) -> Result<KnownLocations> {
    let hint = "the file only holds which store this machine met where: fix its mode, or remove it to pin every store again on next use";
    let Some(bytes) = userfiles::read_trusted_config(path).map_err(|e| e.with_hint(hint))? else {
        return Ok(KnownLocations::default());
    };
    std::str::from_utf8(&bytes)
        .ok()
        .and_then(|text| toml::from_str(text).ok())
        .ok_or_else(|| Error::integrity(path, "the file cannot be parsed").with_hint(hint))
}

fn write(path: &Path, known: &KnownLocations) -> Result<()> {
    let text = format!(
        "# The sm store this machine first met at each folder and git remote.\n{}",
        toml::to_string(known).map_err(|e| Error::Other(e.to_string()))?
    );
    userfiles::write_private(path, text.as_bytes())
}

/// Returns the keys of the store's git remotes: each remote's URL (without
/// any user or password), followed by `#<folder>` when the store is in a
/// folder of the repository rather than at its top. No git, or not in a
/// repository: none.
pub fn remotes(root: &Path) -> Vec<String> {
    let run = |args: &[&str]| -> Option<String> {
        let out = crate::git::command(root)
            .args(args)
            .stdin(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .output()
            .ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let Some(prefix) = run(&["rev-parse", "--show-prefix"]) else {
        return Vec::new();
    };
    let prefix = prefix.trim().trim_end_matches('/');
    let Some(config) = run(&["config", "--get-regexp", r"^remote\..*\.url$"]) else {
        return Vec::new();
    };
    let mut urls: Vec<String> = config
        .lines()
        .filter_map(|line| line.split_once(' ').map(|(_, url)| url))
        .map(|url| normalize_url(url, root))
        .filter(|url| !url.is_empty())
        .map(|url| {
            if prefix.is_empty() {
                url
            } else {
                format!("{url}#{prefix}")
            }
        })
        .collect();
    urls.sort();
    urls.dedup();
    urls
}

/// Normalizes a remote URL: without a user or password (`https://token@…`),
/// without a trailing `/`, and a local folder made absolute and canonical.
pub fn normalize_url(url: &str, root: &Path) -> String {
    let url = url.trim().trim_end_matches('/');
    if let Some((scheme, rest)) = url.split_once("://") {
        let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        return format!("{scheme}://{host}{path}");
    }
    // `host:path` (scp-like) when a `:` comes before any `/`.
    let scp_like = url
        .find(':')
        .is_some_and(|colon| url.find('/').is_none_or(|slash| colon < slash));
    if scp_like {
        return url.to_string();
    }
    let folder = root.join(url);
    std::fs::canonicalize(&folder)
        .unwrap_or(folder)
        .to_string_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_lose_credentials_and_local_folders_become_absolute() {
        let root = Path::new("/nonexistent/store");
        assert_eq!(
            normalize_url("https://user:tok@example.com/a/b.git/", root),
            "https://example.com/a/b.git"
        );
        assert_eq!(
            normalize_url("git@github.com:a/b.git", root),
            "git@github.com:a/b.git"
        );
        assert_eq!(
            normalize_url("../remote.git", root),
            "/nonexistent/store/../remote.git"
        );
        let tmp = tempfile::tempdir().unwrap();
        let real = std::fs::canonicalize(tmp.path()).unwrap();
        assert_eq!(
            normalize_url(".", tmp.path()),
            real.to_string_lossy().into_owned()
        );
    }

    #[test]
    fn short_keys() {
        assert_eq!(
            short_key("ed25519:ABCDEFGHIJKLMNOP"),
            "ed25519:ABCDEFGHIJKL…"
        );
        assert_eq!(short_key("xyz"), "xyz…");
    }
}
