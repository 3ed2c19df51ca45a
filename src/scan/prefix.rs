//! A matcher for many long literals over little data: each literal is
//! indexed by its first eight bytes, and every position of the buffer is
//! looked up (a bit-table probe, then a binary search for the few that
//! pass). Building it for 50,000 literals takes a few milliseconds, where
//! an Aho-Corasick automaton takes hundreds, so a staged commit of a few
//! files against a store of thousands of secrets does not pay for an
//! automaton it would use for a few hundred kilobytes. Its cost per byte is
//! higher than an automaton's, so [`super::engine`] moves to one once a
//! scan has read enough.

use zeroize::{Zeroize, Zeroizing};

/// Literals by id.
pub trait LiteralSet {
    /// The literal `id`.
    fn literal(&self, id: usize) -> &[u8];
}

impl LiteralSet for [Zeroizing<Vec<u8>>] {
    fn literal(&self, id: usize) -> &[u8] {
        &self[id]
    }
}

/// The indexed prefix length; every literal must be at least this long.
pub const WIDTH: usize = 8;

/// log2 of the probe table's size in bits (128 KiB).
const TABLE_BITS: u32 = 20;

/// The literals' prefixes, sorted, with the literal each belongs to.
pub struct PrefixIndex {
    /// Sorted prefixes (wiped on drop: they are the start of secret values).
    keys: Zeroizing<Vec<u64>>,
    /// `keys[i]` belongs to literal `ids[i]`.
    ids: Vec<u32>,
    /// One bit per hashed prefix, so most positions cost one probe.
    table: Zeroizing<Vec<u64>>,
}

/// Reads the eight bytes of the scanned data at `at` as one key (the data
/// is a file being scanned, not a secret: no copy to wipe).
fn data_key(data: &[u8], at: usize) -> u64 {
    let mut bytes = [0u8; WIDTH];
    bytes.copy_from_slice(&data[at..at + WIDTH]);
    u64::from_le_bytes(bytes)
}

/// Reads the eight bytes at `at` of a literal as one key, wiping the copy.
fn key_at(data: &[u8], at: usize) -> u64 {
    let mut bytes = [0u8; WIDTH];
    bytes.copy_from_slice(&data[at..at + WIDTH]);
    let key = u64::from_le_bytes(bytes);
    bytes.zeroize();
    key
}

fn slot(key: u64) -> (usize, u64) {
    let hash = key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - TABLE_BITS);
    ((hash >> 6) as usize, 1u64 << (hash & 63))
}

impl PrefixIndex {
    /// Indexes `literals[id]` for each of `ids`; `None` if one is shorter
    /// than [`WIDTH`] or an id does not fit in 32 bits.
    pub fn new<L: LiteralSet + ?Sized>(literals: &L, ids: &[usize]) -> Option<PrefixIndex> {
        if ids
            .iter()
            .any(|id| literals.literal(*id).len() < WIDTH || *id > u32::MAX as usize)
        {
            return None;
        }
        let mut pairs: Zeroizing<Vec<(u64, u32)>> = Zeroizing::new(
            ids.iter()
                .map(|id| (key_at(literals.literal(*id), 0), *id as u32))
                .collect(),
        );
        pairs.sort_unstable();
        let mut table = Zeroizing::new(vec![0u64; 1 << (TABLE_BITS - 6)]);
        for (key, _) in pairs.iter() {
            let (word, bit) = slot(*key);
            table[word] |= bit;
        }
        let keys = Zeroizing::new(pairs.iter().map(|(k, _)| *k).collect());
        let ids = pairs.iter().map(|(_, i)| *i).collect();
        Some(PrefixIndex { keys, ids, table })
    }

    /// Appends the index to `out` (see [`PrefixIndex::decode`]): the
    /// literal ids in key order (the keys are the literals' own prefixes).
    pub fn encode(&self, out: &mut super::literals::Arena) {
        super::literals::put_u32(out, self.ids.len() as u32);
        for id in &self.ids {
            super::literals::put_u32(out, *id);
        }
    }

    /// Reads an index written by [`PrefixIndex::encode`] over `literals`
    /// (`count` of them); `None` when an id is no literal, a literal is
    /// too short, or the keys are out of order.
    pub fn decode<L: LiteralSet + ?Sized>(
        r: &mut crate::cache::Reader,
        literals: &L,
        count: usize,
    ) -> Option<PrefixIndex> {
        let ids = super::literals::read_u32s(r)?;
        let mut keys = Zeroizing::new(Vec::with_capacity(ids.len()));
        for id in &ids {
            if *id as usize >= count || literals.literal(*id as usize).len() < WIDTH {
                return None;
            }
            keys.push(key_at(literals.literal(*id as usize), 0));
        }
        if keys.windows(2).any(|w| w[0] > w[1]) {
            return None;
        }
        let mut table = Zeroizing::new(vec![0u64; 1 << (TABLE_BITS - 6)]);
        for key in keys.iter() {
            let (word, bit) = slot(*key);
            table[word] |= bit;
        }
        Some(PrefixIndex { keys, ids, table })
    }

    /// Calls `found(start, literal)` for every occurrence of every literal
    /// in `data`, overlapping ones included, in order of position.
    pub fn find<L: LiteralSet + ?Sized>(
        &self,
        data: &[u8],
        literals: &L,
        mut found: impl FnMut(usize, usize),
    ) {
        if data.len() < WIDTH {
            return;
        }
        for at in 0..=data.len() - WIDTH {
            let key = data_key(data, at);
            let (word, bit) = slot(key);
            if self.table[word] & bit == 0 {
                continue;
            }
            let first = self.keys.partition_point(|k| *k < key);
            for i in first..self.keys.len() {
                if self.keys[i] != key {
                    break;
                }
                let id = self.ids[i] as usize;
                if data[at..].starts_with(literals.literal(id)) {
                    found(at, id);
                }
            }
        }
    }
}

/// The distinct eight-byte prefixes of a set of literals, without the
/// literals: tells whether a buffer may hold one of them. Every occurrence
/// of a literal starts with its prefix, so a buffer with no prefix in it
/// holds no literal, and a staged scan need not read the literals at all.
pub struct KeyGate {
    /// Sorted, distinct (wiped on drop: they are the start of secret values).
    keys: Zeroizing<Vec<u64>>,
    table: Zeroizing<Vec<u64>>,
}

impl KeyGate {
    /// The gate of `literals[id]` for each of `ids` (each at least
    /// [`WIDTH`] bytes long, as for [`PrefixIndex::new`]).
    pub fn new<L: LiteralSet + ?Sized>(literals: &L, ids: &[usize]) -> Option<KeyGate> {
        let mut keys = Zeroizing::new(Vec::with_capacity(ids.len()));
        for id in ids {
            let literal = literals.literal(*id);
            if literal.len() < WIDTH {
                return None;
            }
            keys.push(key_at(literal, 0));
        }
        keys.sort_unstable();
        keys.dedup();
        Some(KeyGate::of_sorted(keys))
    }

    fn of_sorted(keys: Zeroizing<Vec<u64>>) -> KeyGate {
        let mut table = Zeroizing::new(vec![0u64; 1 << (TABLE_BITS - 6)]);
        for key in keys.iter() {
            let (word, bit) = slot(*key);
            table[word] |= bit;
        }
        KeyGate { keys, table }
    }

    /// Appends the gate to `out`.
    pub fn encode(&self, out: &mut super::literals::Arena) {
        super::literals::put_u32(out, self.keys.len() as u32);
        for key in self.keys.iter() {
            out.extend(&key.to_le_bytes());
        }
    }

    /// Reads a gate written by [`KeyGate::encode`]; `None` when the keys
    /// are cut short or out of order.
    pub fn decode(r: &mut crate::cache::Reader) -> Option<KeyGate> {
        let n = r.count()?;
        let raw = r.take(n.checked_mul(WIDTH)?)?;
        let keys: Zeroizing<Vec<u64>> = Zeroizing::new(
            raw.chunks_exact(WIDTH)
                .map(|c| u64::from_le_bytes(c.try_into().expect("eight bytes")))
                .collect(),
        );
        if keys.windows(2).any(|w| w[0] >= w[1]) {
            return None;
        }
        Some(KeyGate::of_sorted(keys))
    }

    /// Whether `data` (ASCII-lowercased, as the literals' patterns are)
    /// holds one of the prefixes anywhere.
    pub fn admits(&self, data: &[u8]) -> bool {
        if data.len() < WIDTH {
            return false;
        }
        (0..=data.len() - WIDTH).any(|at| {
            let key = data_key(data, at);
            let (word, bit) = slot(key);
            self.table[word] & bit != 0 && self.keys.binary_search(&key).is_ok()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lits(items: &[&str]) -> Vec<Zeroizing<Vec<u8>>> {
        items
            .iter()
            .map(|s| Zeroizing::new(s.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn finds_every_occurrence_like_a_naive_search() {
        let literals = lits(&[
            "password123",
            "password1234",
            "abcdefgh",
            "bcdefghi",
            "zzzzzzzzzz",
        ]);
        let index = PrefixIndex::new(literals.as_slice(), &[0, 1, 2, 3, 4]).unwrap();
        let data = b"xx password1234 abcdefghi abcdefgh zzzzzzzzzzz";
        let mut got = Vec::new();
        index.find(data, literals.as_slice(), |at, id| got.push((at, id)));
        let mut want = Vec::new();
        for at in 0..data.len() {
            for (id, l) in literals.iter().enumerate() {
                if data[at..].starts_with(l) {
                    want.push((at, id));
                }
            }
        }
        got.sort();
        want.sort();
        assert_eq!(got, want);
        assert!(got.contains(&(3, 0)) && got.contains(&(3, 1)) && got.contains(&(17, 3)));
    }

    #[test]
    fn a_gate_admits_exactly_the_buffers_holding_a_prefix() {
        let literals = lits(&["password123", "abcdefgh", "abcdefgh-longer"]);
        let gate = KeyGate::new(literals.as_slice(), &[0, 1, 2]).unwrap();
        assert!(gate.admits(b"xx password1 yy"));
        assert!(gate.admits(b"abcdefgh"));
        assert!(!gate.admits(b"passwor d123 abcdefg"));
        assert!(!gate.admits(b"short"));
        let mut out = super::super::literals::Arena::default();
        gate.encode(&mut out);
        let back = KeyGate::decode(&mut crate::cache::Reader(out.bytes())).unwrap();
        assert!(back.admits(b"..abcdefgh.."));
        assert!(!back.admits(b"nothing here at all"));
        let cut = &out.bytes()[..out.bytes().len() - 1];
        assert!(KeyGate::decode(&mut crate::cache::Reader(cut)).is_none());
    }

    #[test]
    fn short_literals_are_refused_and_short_data_is_fine() {
        assert!(PrefixIndex::new(lits(&["short"]).as_slice(), &[0]).is_none());
        let literals = lits(&["abcdefgh", "x"]);
        let index = PrefixIndex::new(literals.as_slice(), &[0]).unwrap();
        index.find(b"abc", literals.as_slice(), |_, _| {
            panic!("nothing to find")
        });
    }
}
