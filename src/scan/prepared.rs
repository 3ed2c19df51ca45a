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
//!
//! A staged scan reads less still: beside the set, a small record (the
//! gate) keeps the distinct eight-byte prefixes of the value literals (0.3
//! MB for 5,000 secrets, against 1.9 MB for the set). Every occurrence of a
//! literal starts with its prefix, so when no staged file holds any prefix
//! at any position, no value can be found and the set is not read at all;
//! when one does, the set sealed with the gate (same digest) is read.

use std::collections::BTreeSet;

use super::engine::Scanner;
use super::literals::{Arena, put_bytes, put_u32};
use super::managed::{self, Loaded, Owners};
use super::prefix::KeyGate;
use super::rules;
use crate::cache::{Digest, Reader};
use crate::crypto::Identity;
use crate::error::Error;
use crate::store::{ScanStamps, Store};

/// The records' kinds (their file names' start): the scanner, and the gate
/// of its value literals.
const KIND: &str = "scan-matcher";
const GATE_KIND: &str = "scan-gate";

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

/// What [`load`] found.
pub enum Kept {
    /// The scanner of the store's values.
    Scanner(Box<Scanner>, Notes),
    /// For a staged scan while nothing changed: the gate of the values'
    /// literals, and the notes. The scanner is read (see [`Gated::scanner`])
    /// only when a staged file passes the gate.
    Gate(Gated),
}

/// The kept gate of a store's value literals (see [`Kept::Gate`]).
pub struct Gated {
    /// The gate.
    pub gate: KeyGate,
    /// What loading the values found when the gate was sealed.
    pub notes: Notes,
    /// How many values there are.
    pub values: usize,
    /// The listing digest it was sealed under.
    digest: Digest,
}

impl Gated {
    /// The scanner sealed with the gate, or one built again if that record
    /// is gone or was replaced since.
    pub fn scanner(&self, store: &Store, identity: &Identity) -> crate::Result<(Scanner, Notes)> {
        let rules = rules_fingerprint();
        if let Some((head, Some(Kept::Scanner(scanner, notes)))) =
            open_kept(store, KIND, &rules, read_scanner)
            && head.digest == Some(self.digest)
        {
            return Ok((*scanner, notes));
        }
        match load(store, identity, false, None::<fn() -> Option<ScanStamps>>)? {
            Kept::Scanner(scanner, notes) => Ok((*scanner, notes)),
            Kept::Gate(_) => unreachable!("asked for the scanner"),
        }
    }
}

/// Opens the kept record `kind` and reads its head, then its body with
/// `body` when it was made by these rules under a listing digest.
fn open_kept(
    store: &Store,
    kind: &str,
    rules: &Digest,
    body: fn(&mut Reader) -> Option<Kept>,
) -> Option<(Head, Option<Kept>)> {
    let sealed = store.open_scan_record(kind)?;
    let mut r = Reader(sealed.as_slice());
    let head = read_head(&mut r)?;
    let found = (head.rules == *rules && head.digest.is_some())
        .then(|| body(&mut r))
        .flatten();
    Some((head, found))
}

/// Returns the scanner of `store`'s values as `identity` reads them, and
/// what loading them found (see the module documentation); with `gated`,
/// only the gate of the values' literals while nothing changed.
/// `early` waits for the stamps taken before the store was opened (see
/// [`ScanStamps`]), and is called once the kept record is open; without
/// them, or when they do not fit, the store is stamped here.
pub fn load(
    store: &Store,
    identity: &Identity,
    gated: bool,
    early: Option<impl FnOnce() -> Option<ScanStamps>>,
) -> crate::Result<Kept> {
    // The record is read and decoded while the store is listed (the usual
    // guess: no secret holds a version this identity cannot read); what
    // it holds is used only if the listing then matches.
    let rules = rules_fingerprint();
    let (kind, body): (&str, fn(&mut Reader) -> Option<Kept>) = if gated {
        (GATE_KIND, read_gate)
    } else {
        (KIND, read_scanner)
    };
    let open = || open_kept(store, kind, &rules, body);
    let list = || store.scan_listing(&|_, _| false);
    let (kept, listing) = match early {
        // Another thread is stamping: open the record meanwhile.
        Some(early) => {
            let kept = open();
            let listing = match early().and_then(|stamps| store.scan_listing_from(stamps)) {
                Some(listing) => listing,
                None => list(),
            };
            (kept, listing)
        }
        None => rayon::join(open, list),
    };
    let (deep, kept) = match kept {
        Some((head, found)) => (head.deep, found.map(|f| (head.digest, f))),
        None => (BTreeSet::new(), None),
    };
    let listing = if deep.is_empty() {
        listing?
    } else {
        store.scan_listing(&|prefix, rest| deep.contains(&format!("{prefix}{rest}")))?
    };
    if let (Some((Some(digest), found)), Some(now)) = (kept, listing.digest)
        && digest == now
    {
        return Ok(match found {
            Kept::Gate(mut gated) => {
                gated.digest = digest;
                Kept::Gate(gated)
            }
            scanner => scanner,
        });
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
        if let Some(plain) = encode(&head, &notes, |out| encode_scanner(&scanner, out)) {
            store.seal_scan_record(KIND, plain.bytes());
        }
        if let Some(gate) = scanner.value_gate() {
            let count = scanner.owners().len();
            if let Some(plain) = encode(&head, &notes, |out| {
                put_u32(out, count as u32);
                gate.encode(out);
                Some(())
            }) {
                store.seal_scan_record(GATE_KIND, plain.bytes());
            }
        }
    }
    Ok(Kept::Scanner(Box::new(scanner), notes))
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

/// Reads the notes after the head.
fn read_notes(r: &mut Reader) -> Option<Notes> {
    let strings =
        |r: &mut Reader| -> Option<Vec<String>> { (0..r.count()?).map(|_| r.string()).collect() };
    Some(Notes {
        too_short: strings(r)?,
        unreadable: strings(r)?,
        reused: true,
    })
}

/// Reads the notes, the values' owners and the scanner after the head.
fn read_scanner(r: &mut Reader) -> Option<Kept> {
    let notes = read_notes(r)?;
    let count = r.count()?;
    let owners = Owners::read(r, count)?;
    let scanner = Scanner::decode_matcher(r, owners)?;
    r.0.is_empty()
        .then_some(Kept::Scanner(Box::new(scanner), notes))
}

/// Reads the notes, the number of values and the gate after the head.
fn read_gate(r: &mut Reader) -> Option<Kept> {
    let notes = read_notes(r)?;
    let values = r.count()?;
    let gate = KeyGate::decode(r)?;
    r.0.is_empty().then_some(Kept::Gate(Gated {
        gate,
        notes,
        values,
        digest: [0; 32],
    }))
}

/// A kept record: the head, the notes, then what `body` writes.
fn encode(
    head: &Head,
    notes: &Notes,
    body: impl FnOnce(&mut Arena) -> Option<()>,
) -> Option<Arena> {
    let mut out = Arena::with_capacity(64 * 1024);
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
    body(&mut out)?;
    Some(out)
}

/// The values' owners and the scanner's literal set and index.
fn encode_scanner(scanner: &Scanner, out: &mut Arena) -> Option<()> {
    let Owners::Built(managed) = scanner.owners() else {
        return None;
    };
    let room: usize = managed.iter().map(|m| 24 * m.value.len() + 512).sum();
    out.reserve(256 * 1024 + room);
    put_u32(out, managed.len() as u32);
    for m in managed {
        put_bytes(out, m.name.as_bytes());
        put_bytes(out, m.labels.join(",").as_bytes());
    }
    scanner.encode_matcher(out)
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
            let plain = encode(&head, &notes, |out| encode_scanner(&built, out)).expect("encodes");
            let mut r = Reader(plain.bytes());
            let back = read_head(&mut r).expect("head");
            assert_eq!((back.digest, &back.deep), (head.digest, &head.deep));
            let Some(Kept::Scanner(kept, notes)) = read_scanner(&mut r) else {
                panic!("a scanner");
            };
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

            // The gate admits exactly the buffers holding a value's start.
            let gate = built.value_gate().expect("a gate");
            let sealed = encode(&head, &notes, |out| {
                put_u32(out, n as u32);
                gate.encode(out);
                Some(())
            })
            .expect("encodes");
            let mut r = Reader(sealed.bytes());
            read_head(&mut r).expect("head");
            let Some(Kept::Gate(gated)) = read_gate(&mut r) else {
                panic!("a gate");
            };
            assert_eq!(gated.values, n);
            assert!(gated.gate.admits(data.to_ascii_lowercase().as_bytes()));
            assert!(
                !gated
                    .gate
                    .admits(b"key = akiaiosfodnn7example\nnothing = \"else\"\n")
            );

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
