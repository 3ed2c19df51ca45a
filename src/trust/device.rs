//! This machine's device id for a store: the name of the file its
//! members' log entries go to here (`.sm/log/<member>/<device>.jsonl`, see
//! [`crate::audit`]). Chosen once per machine and store checkout as
//! `<hostname>-<4 random hex>` (only `[a-z0-9-]`, at most
//! [`MAX_DEVICE_LEN`] characters) and kept in the store's seen folder
//! (`seen/<key>/device`, private), so two checkouts, or two machines with
//! one identity, never append to one file.

use std::path::Path;

use crate::error::{Error, Result};
use crate::store::Store;
use crate::userfiles;

/// The file, in a store's seen folder, holding the device id.
pub const DEVICE_FILE: &str = "device";

/// The longest device id.
pub const MAX_DEVICE_LEN: usize = 40;

/// Returns this machine's device id for `store`, choosing and keeping one
/// the first time.
pub fn device_id(config_dir: &Path, store: &Store) -> Result<String> {
    device_id_in(&super::seen_dir(config_dir, store))
}

/// Returns the device id kept in the seen folder `dir` (see
/// [`super::seen_dir`]), choosing and keeping one the first time.
pub fn device_id_in(dir: &Path) -> Result<String> {
    let path = dir.join(DEVICE_FILE);
    if let Some(id) = read(&path)? {
        return Ok(id);
    }
    // Two first commands at once must agree on one id.
    let _lock = userfiles::lock(&dir.join(".device.lock"), "the device id file")?;
    if let Some(id) = read(&path)? {
        return Ok(id);
    }
    let id = new_id(&hostname(), rand::random::<u16>());
    userfiles::write_private(&path, format!("{id}\n").as_bytes())?;
    Ok(id)
}

/// Reads and checks the kept id (`None` when there is none yet).
fn read(path: &Path) -> Result<Option<String>> {
    let Some(bytes) = userfiles::read_trusted_config(path)? else {
        return Ok(None);
    };
    let id = std::str::from_utf8(&bytes)
        .ok()
        .map(str::trim_end)
        .filter(|id| is_valid(id))
        .ok_or_else(|| {
            Error::integrity(
                path,
                "the file is not a device id (letters a-z, digits and `-`, at most 40); remove it and sm chooses a new one",
            )
        })?;
    Ok(Some(id.to_string()))
}

/// Tells whether `id` may name a device: 1 to [`MAX_DEVICE_LEN`] of
/// `[a-z0-9-]`, not starting with `-`.
pub fn is_valid(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_DEVICE_LEN
        && !id.starts_with('-')
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Builds a device id from a host name and a random number: the host name
/// lowercased, every other character a `-` (runs of them one), cut to
/// leave room for the `-xxxx` suffix.
fn new_id(hostname: &str, random: u16) -> String {
    let mut host = String::new();
    for c in hostname.chars() {
        let c = c.to_ascii_lowercase();
        let c = if c.is_ascii_lowercase() || c.is_ascii_digit() {
            c
        } else {
            '-'
        };
        if c == '-' && (host.is_empty() || host.ends_with('-')) {
            continue;
        }
        host.push(c);
    }
    host.truncate(MAX_DEVICE_LEN - 5);
    let host = host.trim_end_matches('-');
    let host = if host.is_empty() { "device" } else { host };
    format!("{host}-{random:04x}")
}

/// The machine's host name (empty when it cannot be read).
fn hostname() -> String {
    let mut buf = [0u8; 256];
    // SAFETY: the buffer is valid for its length; gethostname writes at
    // most that many bytes.
    let rc = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
    if rc != 0 {
        return String::new();
    }
    let end = buf.iter().position(|b| *b == 0).unwrap_or(buf.len());
    String::from_utf8_lossy(&buf[..end]).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_host_name_becomes_a_safe_device_id() {
        assert_eq!(new_id("Laptop.local", 0x1a2b), "laptop-local-1a2b");
        assert_eq!(new_id("", 7), "device-0007");
        assert_eq!(new_id("--ci__runner--", 0xffff), "ci-runner-ffff");
        assert_eq!(new_id("ünï", 1), "n-0001");
        let long = new_id(&"x".repeat(100), 1);
        assert!(long.len() <= MAX_DEVICE_LEN, "{long}");
        assert!(is_valid(&long));
    }

    #[test]
    fn device_ids_are_checked() {
        assert!(is_valid("laptop-1a2b"));
        assert!(!is_valid(""));
        assert!(!is_valid("-x"));
        assert!(!is_valid("Laptop"));
        assert!(!is_valid("a/b"));
        assert!(!is_valid("../x"));
        assert!(!is_valid(&"a".repeat(41)));
    }
}
