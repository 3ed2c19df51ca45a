//! Positions in a scanned buffer: the table of line starts, built once per
//! buffer with hits, then binary-searched for each hit, and columns counted
//! from the previous hit on the same line rather than from the line's
//! start. Together they keep a buffer's positions linear in its size
//! however many hits it has (a megabyte of tokens on one line used to cost
//! seconds per file: each hit rescanned the buffer up to itself).

use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

use super::engine::ALLOW_MARK;

/// A hit's position: 1-based line, 1-based column in characters, and
/// whether its line allows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    /// 1-based line number within the buffer.
    pub line: usize,
    /// 1-based column in Unicode code points (as `String::from_utf8_lossy`
    /// decodes the line: an invalid sequence is one character).
    pub column: usize,
    /// Whether the line carries an `sm:allow` (or `gitleaks:allow`) comment.
    pub allowed: bool,
}

/// Returns a memchr-backed finder for one literal (the crate's own
/// dependency `aho-corasick` picks memchr/memmem for a single pattern).
fn finder(literal: &'static [u8], slot: &'static OnceLock<AhoCorasick>) -> &'static AhoCorasick {
    slot.get_or_init(|| AhoCorasick::new([literal]).expect("one literal builds"))
}

static NEWLINE: OnceLock<AhoCorasick> = OnceLock::new();
static ALLOW: OnceLock<AhoCorasick> = OnceLock::new();

/// gitleaks' inline comment, honoured like [`ALLOW_MARK`] so a repository
/// moving from gitleaks keeps its allowed lines.
pub const GITLEAKS_ALLOW_MARK: &[u8] = b"gitleaks:allow";

/// The automaton of both allow marks.
fn allow_marks() -> &'static AhoCorasick {
    ALLOW.get_or_init(|| {
        AhoCorasick::new([ALLOW_MARK, GITLEAKS_ALLOW_MARK]).expect("two literals build")
    })
}

/// The line table of one buffer, with a cursor for columns.
pub struct Lines<'a> {
    data: &'a [u8],
    /// The byte offset of every `\n`, ascending.
    newlines: Vec<usize>,
    /// The 0-based lines holding [`ALLOW_MARK`] or
    /// [`GITLEAKS_ALLOW_MARK`], ascending.
    allowed: Vec<usize>,
    /// A decoding boundary on a line whose column is known:
    /// (line index, byte offset, 1-based column).
    cursor: Option<(usize, usize, usize)>,
}

impl<'a> Lines<'a> {
    /// Builds the table: one pass for the newlines, one for the allow marks.
    pub fn new(data: &'a [u8]) -> Lines<'a> {
        let newlines: Vec<usize> = finder(b"\n", &NEWLINE)
            .find_iter(data)
            .map(|m| m.start())
            .collect();
        let mut allowed: Vec<usize> = Vec::new();
        for m in allow_marks().find_iter(data) {
            // The mark holds no newline, so it lies on the line it starts on.
            let line = newlines.partition_point(|n| *n < m.start());
            if allowed.last() != Some(&line) {
                allowed.push(line);
            }
        }
        Lines {
            data,
            newlines,
            allowed,
            cursor: None,
        }
    }

    /// Returns where `offset` is. Cheapest when called with ascending
    /// offsets (as hits come): the column then continues from the previous
    /// call on the same line.
    pub fn position(&mut self, offset: usize) -> Position {
        let offset = offset.min(self.data.len());
        let index = self.newlines.partition_point(|n| *n < offset);
        let line_start = if index == 0 {
            0
        } else {
            self.newlines[index - 1] + 1
        };
        let (from, base) = match self.cursor {
            Some((line, at, column)) if line == index && at <= offset => (at, column),
            _ => (line_start, 1),
        };
        let (count, last) = lossy_chars(&self.data[from..offset]);
        if count > 0 {
            // Every character before the last one in `from..offset` decodes
            // the same in the whole line, so the last one starts on a
            // boundary of the line's decoding (the last one itself may be cut
            // by `offset`).
            self.cursor = Some((index, from + last, base + count - 1));
        } else if self.cursor.is_none_or(|(line, _, _)| line != index) {
            self.cursor = Some((index, line_start, 1));
        }
        Position {
            line: index + 1,
            column: base + count,
            allowed: self.allowed.binary_search(&index).is_ok(),
        }
    }
}

/// Counts the characters `String::from_utf8_lossy` makes of `bytes` (each
/// invalid sequence is one U+FFFD), and returns where the last one starts.
fn lossy_chars(bytes: &[u8]) -> (usize, usize) {
    let (mut count, mut last, mut at) = (0, 0, 0);
    for chunk in bytes.utf8_chunks() {
        let valid = chunk.valid();
        if let Some((i, _)) = valid.char_indices().next_back() {
            last = at + i;
        }
        count += valid.chars().count();
        at += valid.len();
        if !chunk.invalid().is_empty() {
            last = at;
            count += 1;
            at += chunk.invalid().len();
        }
    }
    (count, last)
}

/// Computes where `offset` is in `data` (builds a table for one lookup: use
/// [`Lines`] for several).
pub fn position(data: &[u8], offset: usize) -> Position {
    Lines::new(data).position(offset)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The definition: what the scanner computed per hit before the table
    /// (quadratic over many hits, kept here as the reference).
    fn reference(data: &[u8], offset: usize) -> Position {
        let line_start = data[..offset]
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |i| i + 1);
        let line_end = data[offset..]
            .iter()
            .position(|b| *b == b'\n')
            .map_or(data.len(), |i| offset + i);
        let line = 1 + data[..line_start].iter().filter(|b| **b == b'\n').count();
        let column = 1 + String::from_utf8_lossy(&data[line_start..offset])
            .chars()
            .count();
        let allowed = [ALLOW_MARK, GITLEAKS_ALLOW_MARK].iter().any(|mark| {
            data[line_start..line_end]
                .windows(mark.len())
                .any(|w| w == *mark)
        });
        Position {
            line,
            column,
            allowed,
        }
    }

    #[test]
    fn counts_lines_and_characters() {
        let data = "one\nzwei é x\n".as_bytes();
        let p = position(data, data.iter().position(|b| *b == b'x').unwrap());
        assert_eq!((p.line, p.column, p.allowed), (2, 8, false));
    }

    #[test]
    fn allow_mark_applies_to_its_line_only() {
        let data = b"a = 1 # sm:allow\nb = 2\nc # sm:al\nlow\n";
        let mut lines = Lines::new(data);
        assert!(lines.position(0).allowed);
        assert!(lines.position(10).allowed);
        assert!(!lines.position(17).allowed);
        assert!(!lines.position(23).allowed);
        assert!(!lines.position(data.len()).allowed);
        let data = b"k = 1 // gitleaks:allow\nk = 2\n";
        let mut lines = Lines::new(data);
        assert!(lines.position(4).allowed);
        assert!(!lines.position(28).allowed);
    }

    #[test]
    fn cursor_continues_across_invalid_and_cut_characters() {
        // A lone continuation byte, a cut three-byte character, é, then
        // ASCII; offsets in and between every one of them.
        let data = b"ab\x80c\xe2\x82d\xc3\xa9ef\xe2\x82\xac\xffg\nxy\xc3";
        let mut lines = Lines::new(data);
        for offset in 0..=data.len() {
            assert_eq!(lines.position(offset), reference(data, offset), "{offset}");
        }
    }

    #[test]
    fn columns_on_one_long_line() {
        // 4 MB on one line, a hit every 41 bytes (10^5 hits): with per-hit
        // rescans this took minutes in a debug build; with the table and
        // the cursor it is one pass.
        let token = b"ghp_0123456789abcdefghijklmnopqrstuvwxyz ";
        let data: Vec<u8> = token.iter().copied().cycle().take(4 << 20).collect();
        let mut lines = Lines::new(&data);
        for offset in (0..data.len()).step_by(token.len()) {
            let p = lines.position(offset);
            assert_eq!((p.line, p.column, p.allowed), (1, offset + 1, false));
        }
    }

    fn buffer() -> impl Strategy<Value = Vec<u8>> {
        // Few distinct bytes, so that newlines, marks and UTF-8 pieces meet.
        let piece = prop_oneof![
            Just(b"\n".to_vec()),
            Just(b"a".to_vec()),
            Just(b"sm:allow".to_vec()),
            Just(b"gitleaks:allow".to_vec()),
            Just("é".as_bytes().to_vec()),
            Just("€".as_bytes().to_vec()),
            Just(b"\xe2\x82".to_vec()),
            Just(b"\x80".to_vec()),
            Just(b"\xff".to_vec()),
            Just(b"\xf0\x9f".to_vec()),
        ];
        proptest::collection::vec(piece, 0..40).prop_map(|p| p.concat())
    }

    proptest! {
        #[test]
        fn table_matches_the_definition(data in buffer(), picks in proptest::collection::vec(any::<prop::sample::Index>(), 1..20)) {
            let mut offsets: Vec<usize> = picks.iter().map(|i| i.index(data.len() + 1)).collect();
            offsets.sort_unstable();
            let mut lines = Lines::new(&data);
            for &offset in &offsets {
                prop_assert_eq!(lines.position(offset), reference(&data, offset));
            }
            // Out of order too (a fresh line or an earlier offset restarts).
            let mut lines = Lines::new(&data);
            for &offset in offsets.iter().rev() {
                prop_assert_eq!(lines.position(offset), reference(&data, offset));
            }
        }
    }
}
