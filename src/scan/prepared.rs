//! The scanner of a store's values, kept between scans: a staged scan runs
//! on every commit, and for a store of thousands of secrets building the
//! literal set (every value in every encoding, deduplicated, indexed) cost
//! more than the rest of the scan.
//!
//! The literal set, its prefix index and the names and labels of the
//! secrets the values came from are sealed as one record beside the
//! store's scan set (see `crate::store::Store::open_scan_record`: the same
//! key, store, root key and location binding), under the
//! `ScanListing::digest` of the store header and every secret's stamp they
//! were built under, and the fingerprint of this build's rules. A scan
//! lists and stamps the store (which it must do anyway) while it reads and
//! decodes the record, and when the digest and fingerprint are unchanged
//! takes the set as sealed: no value is decrypted, encoded or indexed, and
//! a secret's name is read only for a finding. Otherwise it reads the
//! values through the scan set, builds the scanner, and seals it for the
//! next scan, but only when every secret read cleanly (a damaged or
//! refused file is read again each time, so its note is never stale).

use std::collections::BTreeSet;

use super::engine::Scanner;
use super::literals::{Arena, put_bytes, put_u32};
use super::managed::{self, Loaded, Owners};
use super::rules;
use crate::cache::{Digest, Reader};
use crate::crypto::Identity;
use crate::error::Error;
use crate::store::Store;

/// The record's kind (its file name's start).
const KIND: &str = "scan-matcher";

/// The record's format. Bump it with any change to what a value's
/// literals are (see [`managed::ManagedValue::encode_into`]).
const FORMAT: u8 = 1;

/// What loading the store's values found, for `-v` and the notes.
pub struct Notes {
    /// Secrets (or fields) whose value is too short to match.
    pub too_short: Vec<String>,
    /// Secrets that could not be read, with the reason (never a value).
    pub unreadable: Vec<String>,
    /// Whether the scanner was the sealed one.
    pub reused: bool,
}

/// The head of a sealed record: what decides whether it still holds.
struct Head {
    /// The listing digest it was built under (`None`: built from reads
    /// newer than the stamps; it only carries `deep` to the next scan).
    digest: Option<Digest>,
    rules: Digest,
    /// The secrets whose `versions/` is stamped (they hold a version this
    /// identity cannot read: a rewrap may change that).
    deep: BTreeSet<String>,
}

/// Returns the scanner of `store`'s values as `identity` reads them, and
/// what loading them found (see the module documentation).
pub fn scanner(store: &Store, identity: &Identity) -> crate::Result<(Scanner, Notes)> {
    // The record is read and decoded while the store is listed (the usual
    // guess: no secret holds a version this identity cannot read); what
    // it holds is used only if the listing then matches.
    let rules = rules_fingerprint();
    let (kept, listing) = rayon::join(
        || {
            let sealed = store.open_scan_record(KIND)?;
            let mut r = Reader(sealed.as_slice());
            let head = read_head(&mut r)?;
            let found = (head.rules == rules && head.digest.is_some())
                .then(|| read_scanner(&mut r))
                .flatten();
            Some((head, found))
        },
        || store.scan_listing(&|_| false),
    );
    let (deep, kept) = match kept {
        Some((head, found)) => (head.deep, found.map(|f| (head.digest, f))),
        None => (BTreeSet::new(), None),
    };
    let listing = if deep.is_empty() {
        listing?
    } else {
        store.scan_listing(&|name| deep.contains(name))?
    };
    if let (Some((digest, found)), Some(now)) = (kept, listing.digest)
        && digest == Some(now)
    {
        return Ok(found);
    }

    let values = store.scan_values(identity, &listing)?;
    let mut clean = true;
    let mut no_access = BTreeSet::new();
    for secret in &values {
        match &secret.versions {
            Ok(versions) => {
                for v in versions {
                    match &v.value {
                        Ok(_) => {}
                        Err(Error::NoAccess { .. }) => {
                            no_access.insert(secret.name.clone());
                        }
                        Err(_) => clean = false,
                    }
                }
            }
            Err(_) => clean = false,
        }
    }
    let mut loaded = Loaded::default();
    for secret in values {
        managed::add_secret(&mut loaded, secret);
    }
    let notes = Notes {
        too_short: loaded.too_short,
        unreadable: loaded.unreadable,
        reused: false,
    };
    let scanner = Scanner::new(loaded.values);
    if clean {
        // Stamped with another set of `versions/` folders than the reads
        // call for: the digest is not the one the next scan computes.
        let digest = if no_access == deep {
            listing.digest
        } else {
            None
        };
        let head = Head {
            digest,
            rules,
            deep: no_access,
        };
        if let Some(plain) = encode(&head, &scanner, &notes) {
            store.seal_scan_record(KIND, plain.bytes());
        }
    }
    Ok((scanner, notes))
}

/// The digest of everything of this build that shapes a literal set: the
/// format, sm's version and every rule's id and keywords.
fn rules_fingerprint() -> Digest {
    let mut parts: Vec<&[u8]> = vec![&[FORMAT], env!("CARGO_PKG_VERSION").as_bytes()];
    for rule in rules::all() {
        parts.push(rule.id.as_bytes());
        parts.push(if rule.case_sensitive { b"1" } else { b"0" });
        parts.extend(rule.keywords.iter().map(|k| k.as_bytes()));
        parts.push(b"");
    }
    crate::cache::digest(&parts)
}

fn read_head(r: &mut Reader) -> Option<Head> {
    if r.take(1)? != [FORMAT] {
        return None;
    }
    let digest = match r.take(1)?[0] {
        0 => None,
        1 => Some(r.digest()?),
        _ => return None,
    };
    let rules = r.digest()?;
    let mut deep = BTreeSet::new();
    for _ in 0..r.count()? {
        deep.insert(r.string()?);
    }
    Some(Head {
        digest,
        rules,
        deep,
    })
}

/// Reads the notes, the managed values and the scanner after the head.
fn read_scanner(r: &mut Reader) -> Option<(Scanner, Notes)> {
    let strings =
        |r: &mut Reader| -> Option<Vec<String>> { (0..r.count()?).map(|_| r.string()).collect() };
    let too_short = strings(r)?;
    let unreadable = strings(r)?;
    let count = r.count()?;
    let owners = Owners::read(r, count)?;
    let scanner = Scanner::decode_matcher(r, owners)?;
    if !r.0.is_empty() {
        return None;
    }
    let notes = Notes {
        too_short,
        unreadable,
        reused: true,
    };
    Some((scanner, notes))
}

fn encode(head: &Head, scanner: &Scanner, notes: &Notes) -> Option<Arena> {
    let Owners::Built(managed) = scanner.owners() else {
        return None;
    };
    let room: usize = managed.iter().map(|m| 24 * m.value.len() + 512).sum();
    let mut out = Arena::with_capacity(256 * 1024 + room);
    out.extend(&[FORMAT]);
    match head.digest {
        Some(d) => {
            out.extend(&[1]);
            out.extend(&d);
        }
        None => out.extend(&[0]),
    }
    out.extend(&head.rules);
    let strings = |out: &mut Arena, items: &mut dyn ExactSizeIterator<Item = &String>| {
        put_u32(out, items.len() as u32);
        for s in items {
            put_bytes(out, s.as_bytes());
        }
    };
    strings(&mut out, &mut head.deep.iter());
    strings(&mut out, &mut notes.too_short.iter());
    strings(&mut out, &mut notes.unreadable.iter());
    put_u32(&mut out, managed.len() as u32);
    for m in managed {
        put_bytes(&mut out, m.name.as_bytes());
        put_bytes(&mut out, m.labels.join(",").as_bytes());
    }
    scanner.encode_matcher(&mut out)?;
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::managed::ManagedValue;
    use base64::Engine as _;
    use zeroize::Zeroizing;

    fn values(n: usize) -> Vec<ManagedValue> {
        (0..n)
            .map(|i| ManagedValue {
                name: format!("app/secret-{i}"),
                labels: vec!["current".into()],
                value: Zeroizing::new(format!("Value-{i}-xK9#mQ2!pL7").into_bytes()),
            })
            .collect()
    }

    fn hits(scanner: &Scanner, data: &[u8]) -> Vec<(usize, usize, String, Option<String>)> {
        scanner
            .find(data, Default::default())
            .into_iter()
            .map(|h| (h.start, h.end, h.rule, h.secret))
            .collect()
    }

    /// A sealed scanner finds exactly what the one it was made from finds,
    /// with few values (one automaton) and many (the small matchers), and
    /// a record cut anywhere is refused without a panic.
    #[test]
    fn a_scanner_round_trips_and_a_cut_record_is_refused() {
        for n in [3, 400] {
            let built = Scanner::new(values(n));
            let head = Head {
                digest: Some([7; 32]),
                rules: rules_fingerprint(),
                deep: BTreeSet::from(["app/x".to_string()]),
            };
            let notes = Notes {
                too_short: vec!["app/short".into()],
                unreadable: vec!["app/x: not encrypted to you".into()],
                reused: false,
            };
            let plain = encode(&head, &built, &notes).expect("encodes");
            let mut r = Reader(plain.bytes());
            let back = read_head(&mut r).expect("head");
            assert_eq!((back.digest, back.deep), (head.digest, head.deep));
            let (kept, notes) = read_scanner(&mut r).expect("scanner");
            assert!(notes.reused);
            assert_eq!(notes.too_short, ["app/short"]);
            assert_eq!(notes.unreadable, ["app/x: not encrypted to you"]);

            let last = format!("Value-{}-xK9#mQ2!pL7", n - 1);
            let data = format!(
                "a = \"Value-0-xK9#mQ2!pL7\"\nb = {}\nkey = AKIAIOSFODNN7EXAMPLE\nc = {}\n",
                base64::engine::general_purpose::STANDARD.encode(last.as_bytes()),
                hex::encode(b"Value-1-xK9#mQ2!pL7"),
            );
            let want = hits(&built, data.as_bytes());
            assert!(want.len() >= 3, "{want:?}");
            assert_eq!(hits(&kept, data.as_bytes()), want, "{n} values");

            let step = (plain.bytes().len() / 500).max(1);
            for cut in (0..plain.bytes().len()).step_by(step) {
                let mut r = Reader(&plain.bytes()[..cut]);
                assert!(
                    read_head(&mut r)
                        .and_then(|_| read_scanner(&mut r))
                        .is_none(),
                    "cut at {cut}"
                );
            }
        }
    }
}
