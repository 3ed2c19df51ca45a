//! The scan's literal set, built flat: every literal (rule keywords, and
//! managed values in all their encodings) written back to back into one
//! wiped buffer, equal literals (ignoring ASCII case) sharing one slot, and
//! each slot's targets in one array. A store of 5,000 secrets gives about
//! 45,000 literals: built this way that is a handful of allocations and one
//! cheap hash per literal, where a buffer, a map key and a target text per
//! literal cost more than the rest of a staged scan.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};

use zeroize::Zeroizing;

use super::managed::{Form, ManagedValue};
use super::rules;
use crate::cache::Reader;

/// A growable byte buffer that is wiped on drop and never leaves an
/// unwiped copy behind when it grows (a plain `Vec` frees its old buffer
/// as it is).
#[derive(Default)]
pub struct Arena(Zeroizing<Vec<u8>>);

impl Arena {
    /// An empty arena with room for `capacity` bytes.
    pub fn with_capacity(capacity: usize) -> Arena {
        Arena(Zeroizing::new(Vec::with_capacity(capacity)))
    }

    /// Makes room for `extra` more bytes, moving to a larger buffer (and
    /// wiping the old one) when needed.
    pub fn reserve(&mut self, extra: usize) {
        let len = self.0.len();
        if self.0.capacity() - len >= extra {
            return;
        }
        let mut bigger = Zeroizing::new(Vec::with_capacity((len + extra).max(2 * len)));
        bigger.extend_from_slice(&self.0);
        self.0 = bigger;
    }

    /// Appends `bytes`.
    pub fn extend(&mut self, bytes: &[u8]) {
        self.reserve(bytes.len());
        self.0.extend_from_slice(bytes);
    }

    /// Appends `n` zero bytes and returns them, to be written in place.
    pub fn grow(&mut self, n: usize) -> &mut [u8] {
        self.reserve(n);
        let start = self.0.len();
        self.0.resize(start + n, 0);
        &mut self.0[start..]
    }

    /// Drops the bytes from `len` on (they stay in the buffer's spare
    /// room, wiped with it).
    pub fn truncate(&mut self, len: usize) {
        self.0.truncate(len);
    }

    /// The bytes written so far.
    pub fn bytes(&self) -> &[u8] {
        &self.0
    }

    /// The bytes written so far, to edit in place.
    pub fn bytes_mut(&mut self) -> &mut [u8] {
        &mut self.0
    }
}

/// What a literal found in a buffer means.
pub enum Target {
    /// A rule keyword: run rule `rule`'s regex.
    Keyword {
        /// The rule's index in [`rules::all`].
        rule: usize,
        /// The keyword's exact case, for case-sensitive rules.
        exact: Option<&'static str>,
    },
    /// A managed value in one encoding.
    Managed {
        /// The value's index in the scanner's managed values.
        value: u32,
        /// The encoding's name (`plain`, `base64`, ...).
        encoding: &'static str,
        /// The literal as the value gives it (a span of `texts`).
        text: (u32, u32),
        /// Whether a match must have exactly `text`'s case.
        case_sensitive: bool,
    },
}

/// The literals of one scan.
pub struct Literals {
    /// Every literal as given, back to back.
    texts: Arena,
    /// The same, ASCII-lowercased (the automaton's patterns).
    lower: Arena,
    /// Each slot's pattern: a span of `lower`.
    spans: Vec<(u32, u32)>,
    /// Slot `s`'s targets are `targets[firsts[s]..firsts[s + 1]]`.
    firsts: Vec<u32>,
    targets: Vec<Target>,
}

impl Literals {
    /// Builds the literal set of the rules' keywords and `managed`'s
    /// encodings. `None` when it outgrows 32-bit offsets (4 GiB of
    /// literals, which no store holds).
    pub fn new(managed: &[ManagedValue]) -> Option<Literals> {
        let bound: usize = managed.iter().map(|m| 18 * m.value.len() + 32).sum();
        let mut texts = Arena::with_capacity(bound + 4096);
        // Each literal as (span of `texts`, target).
        let mut entries: Vec<((u32, u32), Target)> = Vec::with_capacity(512 + managed.len() * 10);
        let span = |start: usize, end: usize| -> Option<(u32, u32)> {
            Some((u32::try_from(start).ok()?, u32::try_from(end).ok()?))
        };
        for (rule, r) in rules::all().iter().enumerate() {
            for keyword in r.keywords {
                let start = texts.bytes().len();
                texts.extend(keyword.as_bytes());
                let exact = r.case_sensitive.then_some(*keyword);
                entries.push((
                    span(start, texts.bytes().len())?,
                    Target::Keyword { rule, exact },
                ));
            }
        }
        let mut forms: Vec<Form> = Vec::new();
        for (value, m) in managed.iter().enumerate() {
            forms.clear();
            m.encode_into(&mut texts, &mut forms);
            let value = u32::try_from(value).ok()?;
            for f in &forms {
                let text = span(f.start, f.end)?;
                entries.push((
                    text,
                    Target::Managed {
                        value,
                        encoding: f.encoding,
                        text,
                        case_sensitive: f.case_sensitive,
                    },
                ));
            }
        }
        let lower = lowered(&texts);

        // One slot per distinct lowercased literal, in order of first use.
        let mut slot_of: HashMap<&[u8], u32, Seeded> =
            HashMap::with_capacity_and_hasher(entries.len(), Seeded::new());
        let mut spans: Vec<(u32, u32)> = Vec::with_capacity(entries.len());
        let mut entry_slots: Vec<u32> = Vec::with_capacity(entries.len());
        let all = lower.bytes();
        for ((start, end), _) in &entries {
            let key = &all[*start as usize..*end as usize];
            let next = spans.len() as u32;
            let slot = *slot_of.entry(key).or_insert(next);
            if slot == next {
                spans.push((*start, *end));
            }
            entry_slots.push(slot);
        }
        drop(slot_of);

        // The targets grouped by slot, each slot's in order of first use.
        let mut firsts = vec![0u32; spans.len() + 1];
        for s in &entry_slots {
            firsts[*s as usize + 1] += 1;
        }
        for i in 1..firsts.len() {
            firsts[i] += firsts[i - 1];
        }
        let mut at: Vec<u32> = firsts[..spans.len()].to_vec();
        let mut placed: Vec<Option<Target>> = Vec::with_capacity(entries.len());
        placed.resize_with(entries.len(), || None);
        for ((_, target), s) in entries.into_iter().zip(entry_slots) {
            placed[at[s as usize] as usize] = Some(target);
            at[s as usize] += 1;
        }
        let targets = placed.into_iter().flatten().collect();
        Some(Literals {
            texts,
            lower,
            spans,
            firsts,
            targets,
        })
    }

    /// The number of slots (distinct literals).
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// Slot `slot`'s lowercased literal.
    pub fn pattern(&self, slot: usize) -> &[u8] {
        let (start, end) = self.spans[slot];
        &self.lower.bytes()[start as usize..end as usize]
    }

    /// Slot `slot`'s targets.
    pub fn targets(&self, slot: usize) -> &[Target] {
        &self.targets[self.firsts[slot] as usize..self.firsts[slot + 1] as usize]
    }

    /// A managed target's literal as given.
    pub fn text(&self, span: (u32, u32)) -> &[u8] {
        &self.texts.bytes()[span.0 as usize..span.1 as usize]
    }

    /// The slots holding at least one target that `keep` accepts.
    pub fn slots_with(&self, keep: impl Fn(&Target) -> bool) -> Vec<usize> {
        (0..self.len())
            .filter(|s| self.targets(*s).iter().any(&keep))
            .collect()
    }
}

/// The encodings' names, by their number in a sealed literal set.
const ENCODINGS: &[&str] = &["plain", "base64", "base64url", "hex", "url"];

impl Literals {
    /// Appends the set to `out` (see [`Literals::decode`]); `None` when an
    /// encoding is not one of [`ENCODINGS`].
    pub fn encode(&self, out: &mut Arena) -> Option<()> {
        put_bytes(out, self.texts.bytes());
        put_u32(out, self.spans.len() as u32 * 2);
        for (a, b) in &self.spans {
            put_u32(out, *a);
            put_u32(out, *b);
        }
        put_u32(out, self.firsts.len() as u32);
        for v in &self.firsts {
            put_u32(out, *v);
        }
        put_u32(out, self.targets.len() as u32);
        // A value's literal is nearly always its slot's own span (they
        // differ only where literals differing in case share a slot).
        for slot in 0..self.len() {
            for t in self.targets(slot) {
                match t {
                    Target::Keyword { rule, exact } => {
                        out.extend(&[0]);
                        put_u32(out, *rule as u32);
                        put_bytes(out, exact.unwrap_or("").as_bytes());
                    }
                    Target::Managed {
                        value,
                        encoding,
                        text,
                        case_sensitive,
                    } => {
                        let own = *text == self.spans[slot];
                        out.extend(&[if own { 2 } else { 1 }]);
                        put_u32(out, *value);
                        out.extend(&[ENCODINGS.iter().position(|e| e == encoding)? as u8]);
                        if !own {
                            put_u32(out, text.0);
                            put_u32(out, text.1);
                        }
                        out.extend(&[u8::from(*case_sensitive)]);
                    }
                }
            }
        }
        Some(())
    }

    /// Reads a set written by [`Literals::encode`] under the same rules,
    /// for `values` managed values; `None` when anything is out of place
    /// (so that no lookup can go out of bounds).
    pub fn decode(r: &mut Reader, values: usize) -> Option<Literals> {
        let mut texts = Arena::default();
        texts.extend(r.bytes()?);
        let len = texts.bytes().len();
        let in_texts = |a: u32, b: u32| a <= b && b as usize <= len;
        let flat = read_u32s(r)?;
        if flat.len() % 2 != 0 {
            return None;
        }
        let spans: Vec<(u32, u32)> = flat.chunks_exact(2).map(|p| (p[0], p[1])).collect();
        let firsts = read_u32s(r)?;
        let count = r.count()?;
        if spans.iter().any(|(a, b)| !in_texts(*a, *b))
            || firsts.len() != spans.len() + 1
            || firsts.first() != Some(&0)
            || firsts.windows(2).any(|w| w[0] > w[1])
            || firsts.last().copied() != Some(count as u32)
        {
            return None;
        }
        let all = rules::all();
        let mut targets = Vec::with_capacity(count.min(r.0.len()));
        let mut slot = 0;
        for i in 0..count {
            while firsts[slot + 1] as usize <= i {
                slot += 1;
            }
            let target = match r.take(1)?[0] {
                0 => {
                    let rule = r.count()?;
                    let exact = r.bytes()?;
                    let keywords = all.get(rule)?.keywords;
                    let exact = if exact.is_empty() {
                        None
                    } else {
                        Some(*keywords.iter().find(|k| k.as_bytes() == exact)?)
                    };
                    Target::Keyword { rule, exact }
                }
                tag @ (1 | 2) => {
                    let value = r.count()? as u32;
                    let encoding = *ENCODINGS.get(r.take(1)?[0] as usize)?;
                    let text = if tag == 2 {
                        spans[slot]
                    } else {
                        (r.count()? as u32, r.count()? as u32)
                    };
                    let case_sensitive = r.take(1)?[0] != 0;
                    if value as usize >= values || !in_texts(text.0, text.1) {
                        return None;
                    }
                    Target::Managed {
                        value,
                        encoding,
                        text,
                        case_sensitive,
                    }
                }
                _ => return None,
            };
            targets.push(target);
        }
        let lower = lowered(&texts);
        Some(Literals {
            texts,
            lower,
            spans,
            firsts,
            targets,
        })
    }
}

/// An ASCII-lowercased copy of `texts` (the automaton's patterns).
fn lowered(texts: &Arena) -> Arena {
    let mut lower = Arena::with_capacity(texts.bytes().len());
    lower.extend(texts.bytes());
    lower.bytes_mut().make_ascii_lowercase();
    lower
}

/// Appends a little-endian `u32`.
pub(super) fn put_u32(out: &mut Arena, v: u32) {
    out.extend(&v.to_le_bytes());
}

/// Appends `bytes` with their length.
pub(super) fn put_bytes(out: &mut Arena, bytes: &[u8]) {
    put_u32(out, bytes.len() as u32);
    out.extend(bytes);
}

/// Reads a counted array of little-endian `u32`s.
pub(super) fn read_u32s(r: &mut Reader) -> Option<Vec<u32>> {
    let n = r.count()?;
    let bytes = r.take(n.checked_mul(4)?)?;
    Some(
        bytes
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect(),
    )
}

impl super::prefix::LiteralSet for Literals {
    fn literal(&self, id: usize) -> &[u8] {
        self.pattern(id)
    }
}

/// A fast keyed hash for the literal map (SipHash cost more than building
/// the rest of the set). The key is random per process, so the store's
/// values cannot be chosen to collide.
#[derive(Clone, Copy)]
struct Seeded(u64);

impl Seeded {
    fn new() -> Seeded {
        Seeded(std::collections::hash_map::RandomState::new().hash_one(0x736d_u64) | 1)
    }
}

impl BuildHasher for Seeded {
    type Hasher = Fold;
    fn build_hasher(&self) -> Fold {
        Fold(self.0)
    }
}

/// Multiply-rotate over eight bytes at a time, finished with a mix.
struct Fold(u64);

const K: u64 = 0x9E37_79B9_7F4A_7C15;

impl Hasher for Fold {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.0 = (self.0.rotate_left(23) ^ u64::from_le_bytes(w)).wrapping_mul(K);
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.0 = (self.0.rotate_left(23) ^ u64::from_le_bytes(w)).wrapping_mul(K);
        }
    }

    fn write_usize(&mut self, n: usize) {
        self.0 = (self.0.rotate_left(23) ^ n as u64).wrapping_mul(K);
    }

    fn finish(&self) -> u64 {
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^ (h >> 33)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(name: &str, v: &str) -> ManagedValue {
        ManagedValue {
            name: name.into(),
            labels: vec!["current".into()],
            value: Zeroizing::new(v.as_bytes().to_vec()),
        }
    }

    #[test]
    fn equal_literals_share_a_slot_in_order() {
        let managed = vec![value("a", "Same-Value-123"), value("b", "same-value-123")];
        let set = Literals::new(&managed).expect("builds");
        let slot = (0..set.len())
            .find(|s| set.pattern(*s) == b"same-value-123")
            .expect("the value's slot");
        let owners: Vec<(u32, &[u8])> = set
            .targets(slot)
            .iter()
            .filter_map(|t| match t {
                Target::Managed {
                    value,
                    encoding: "plain",
                    text,
                    ..
                } => Some((*value, set.text(*text))),
                _ => None,
            })
            .collect();
        assert_eq!(
            owners,
            vec![(0, &b"Same-Value-123"[..]), (1, &b"same-value-123"[..])]
        );
        let distinct: std::collections::HashSet<&[u8]> =
            (0..set.len()).map(|s| set.pattern(s)).collect();
        assert_eq!(distinct.len(), set.len(), "one slot per literal");
    }

    #[test]
    fn arena_growth_keeps_contents() {
        let mut a = Arena::with_capacity(2);
        a.extend(b"abc");
        a.grow(3).copy_from_slice(b"def");
        a.extend(&[b'x'; 100]);
        assert_eq!(&a.bytes()[..6], b"abcdef");
        assert_eq!(a.bytes().len(), 106);
    }
}
