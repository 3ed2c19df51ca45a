//! The matcher: one Aho-Corasick pass over a buffer finds every literal at
//! once (managed values in all their encodings, token prefixes, keywords),
//! then only the rules a literal triggered run their regex, and where hits
//! overlap the most specific one is kept. Hits are turned into positions by
//! [`super::lines`] and redacted here.
//!
//! The pass runs over an ASCII-lowercased copy of the buffer with lowercased
//! literals, and case-sensitive literals are then checked against the
//! original bytes: the same matches as a case-insensitive automaton, but a
//! plain one builds faster and scans faster. Small literal sets get a DFA at
//! once; larger ones start with an NFA (built in about a millisecond, right
//! for a staged commit) and switch to a DFA (about three times faster, but
//! some milliseconds to build) once a scan has read enough bytes to pay for
//! it. A store of thousands of secrets gives tens of thousands of literals,
//! whose automaton takes hundreds of milliseconds to build: such a scan
//! starts with an automaton of the rules' keywords only and a
//! [`PrefixIndex`] of the values (built in milliseconds, slower per byte),
//! and builds the whole automaton only once it has read enough bytes.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use super::literals::{Arena, Literals, Target};
use super::managed::{ManagedValue, Owners};
use super::prefix::{KeyGate, PrefixIndex};
use super::rules::{self, assign};
use crate::cache::Reader;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

/// The rule id prefix of managed-value findings.
pub const MANAGED_RULE: &str = "managed-secret";

/// The inline comment that allows a finding on its line.
pub const ALLOW_MARK: &[u8] = b"sm:allow";

/// Past this many bytes scanned, a large literal set is worth a DFA: for a
/// few hundred literals the DFA takes about 8 ms to build and saves about
/// 6 ns a byte.
const DFA_AFTER_BYTES: u64 = 1024 * 1024;

/// Literal sets larger than this keep the NFA: the DFA's memory grows with
/// the literals (a few megabytes for a few hundred).
const DFA_MAX_PATTERNS: usize = 4096;

/// With at least this many literals of managed values, a scan starts with
/// [`Small`] matchers.
const SMALL_MIN_VALUES: usize = 1024;

/// A scan that starts with [`Small`] matchers builds the whole automaton
/// after this many bytes.
const SMALL_SCAN_BYTES: u64 = 4 * 1024 * 1024;

/// The matchers a scan of little data against many values starts with.
struct Small {
    /// The automaton over the slots holding a rule keyword.
    keywords: AhoCorasick,
    /// `keywords`' pattern ids to slots.
    keyword_slots: Vec<usize>,
    /// The index of the slots holding a managed value.
    values: PrefixIndex,
}

/// The compiled matcher for one scan.
pub struct Scanner {
    /// The literals and what each means (the lowercased ones are kept to
    /// build the automaton and the DFA from).
    literals: Literals,
    /// The automaton over every literal (a DFA for small literal sets):
    /// built at once, or when a scan outgrows `small`.
    automaton: OnceLock<AhoCorasick>,
    /// The matchers used first when there are many values.
    small: Option<Small>,
    /// The DFA that replaces an NFA `automaton` on large scans.
    dfa: OnceLock<AhoCorasick>,
    /// Whether a thread has started building `dfa` (the others keep using
    /// the NFA meanwhile rather than wait).
    dfa_started: AtomicBool,
    /// Bytes scanned so far, to decide when to build `dfa`.
    scanned: AtomicU64,
    owners: Owners,
}

impl Small {
    /// Builds the small matchers when there are many value literals.
    fn new(literals: &Literals) -> Option<Small> {
        let value_slots = literals.slots_with(|t| matches!(t, Target::Managed { .. }));
        if value_slots.len() < SMALL_MIN_VALUES {
            return None;
        }
        let values = PrefixIndex::new(literals, &value_slots)?;
        Some(Small::with_values(literals, values))
    }

    /// The small matchers around an index of the value slots.
    fn with_values(literals: &Literals, values: PrefixIndex) -> Small {
        let keyword_slots = literals.slots_with(|t| matches!(t, Target::Keyword { .. }));
        let keywords = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .prefilter(false)
            .build(keyword_slots.iter().map(|s| literals.pattern(*s)))
            .expect("the keywords build an automaton");
        Small {
            keywords,
            keyword_slots,
            values,
        }
    }
}

/// Builds an automaton over lowercased literals, matched against a
/// lowercased buffer. Prefilters are off: on lowercased source code the
/// literals' first bytes are so common that a prefilter only adds work.
fn build_automaton(literals: &Literals, kind: Option<AhoCorasickKind>) -> AhoCorasick {
    AhoCorasickBuilder::new()
        .match_kind(MatchKind::Standard)
        .prefilter(false)
        .kind(kind)
        .build((0..literals.len()).map(|s| literals.pattern(s)))
        .expect("the literals build an automaton")
}

thread_local! {
    /// Each thread's lowercased copy of the buffer it scans, reused (like
    /// the buffer itself, it is not wiped: it holds file contents, not the
    /// store's values).
    static FOLDED: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// One match in a buffer, before positions are computed.
#[derive(Clone, Debug)]
pub struct Hit {
    /// Byte range of the secret in the buffer.
    pub start: usize,
    /// End of the range.
    pub end: usize,
    /// The rule id (`managed-secret` or a rule of [`rules::all`]).
    pub rule: String,
    /// A human description.
    pub description: String,
    /// For managed values: the secret's name (with `#field` for a JSON field).
    pub secret: Option<String>,
    /// 0 for managed values, then the rule order.
    priority: usize,
}

impl Hit {
    /// A rule hit found outside the engine (a `.gitleaks.toml` rule's),
    /// ranked after every rule of sm's.
    pub(crate) fn new(start: usize, end: usize, rule: String, description: String) -> Hit {
        Hit {
            start,
            end,
            rule,
            description,
            secret: None,
            priority: usize::MAX,
        }
    }
}

/// How a buffer is treated.
#[derive(Clone, Copy, Debug, Default)]
pub struct BufferKind {
    /// Lock files: hashes, not secrets; only managed values are matched.
    pub lock_file: bool,
}

impl Scanner {
    /// Builds the matcher from the rules and the managed values.
    pub fn new(managed: Vec<ManagedValue>) -> Scanner {
        let literals = Literals::new(&managed).unwrap_or_else(|| {
            // Past 4 GiB of literals: the rules alone.
            Literals::new(&[]).expect("the rules' keywords fit")
        });
        let small = Small::new(&literals);
        Scanner::assemble(literals, small, Owners::Built(managed))
    }

    /// Appends what [`Scanner::decode_matcher`] needs to rebuild this
    /// scanner without building its literal set and index again (the
    /// managed values are the caller's to keep); `None` if it cannot.
    pub fn encode_matcher(&self, out: &mut Arena) -> Option<()> {
        self.literals.encode(out)?;
        match &self.small {
            Some(small) => {
                out.extend(&[1]);
                small.values.encode(out);
            }
            None => out.extend(&[0]),
        }
        Some(())
    }

    /// The gate of this scanner's value literals: a buffer it does not
    /// admit holds no managed value (`None` when a value literal is shorter
    /// than the gate's width, which the managed values never are).
    pub fn value_gate(&self) -> Option<KeyGate> {
        let slots = self
            .literals
            .slots_with(|t| matches!(t, Target::Managed { .. }));
        KeyGate::new(&self.literals, &slots)
    }

    /// Rebuilds a scanner from [`Scanner::encode_matcher`]'s bytes, made
    /// by this build of sm, and the owners of the values it was built from.
    pub fn decode_matcher(r: &mut Reader, owners: Owners) -> Option<Scanner> {
        let literals = Literals::decode(r, owners.len())?;
        let small = match r.take(1)?[0] {
            0 => None,
            1 => {
                let values = PrefixIndex::decode(r, &literals, literals.len())?;
                Some(Small::with_values(&literals, values))
            }
            _ => return None,
        };
        Some(Scanner::assemble(literals, small, owners))
    }

    fn assemble(literals: Literals, small: Option<Small>, owners: Owners) -> Scanner {
        let automaton = OnceLock::new();
        if small.is_none() {
            let _ = automaton.set(build_automaton(&literals, None));
        }
        Scanner {
            small,
            dfa: OnceLock::new(),
            dfa_started: AtomicBool::new(false),
            scanned: AtomicU64::new(0),
            automaton,
            literals,
            owners,
        }
    }

    /// Returns the automaton to use for a buffer of `len` bytes, or `None`
    /// for the [`Small`] matchers.
    fn automaton_for(&self, len: usize) -> Option<&AhoCorasick> {
        let before = self.scanned.fetch_add(len as u64, Ordering::Relaxed);
        let total = before + len as u64;
        if self.small.is_some() && self.automaton.get().is_none() && total < SMALL_SCAN_BYTES {
            return None;
        }
        let automaton = self
            .automaton
            .get_or_init(|| build_automaton(&self.literals, None));
        if automaton.kind() == AhoCorasickKind::DFA || self.literals.len() > DFA_MAX_PATTERNS {
            return Some(automaton);
        }
        if let Some(dfa) = self.dfa.get() {
            return Some(dfa);
        }
        if total < DFA_AFTER_BYTES || self.dfa_started.swap(true, Ordering::AcqRel) {
            return Some(automaton);
        }
        Some(
            self.dfa
                .get_or_init(|| build_automaton(&self.literals, Some(AhoCorasickKind::DFA))),
        )
    }

    /// Returns the owners of the managed values this scanner matches.
    pub fn owners(&self) -> &Owners {
        &self.owners
    }

    /// Finds every secret in `data`, most specific first where they overlap,
    /// sorted by position.
    pub fn find(&self, data: &[u8], kind: BufferKind) -> Vec<Hit> {
        let automaton = self.automaton_for(data.len());
        let mut triggered = vec![false; rules::all().len()];
        // Keyword positions of the rules that parse assignments.
        let mut spots: Vec<(usize, usize, usize)> = Vec::new();
        let mut hits = Vec::new();
        // Each match as (start, end, slot, whether it came from a matcher of
        // one kind of target only: keywords (false) or values (true)).
        let matches: Vec<(usize, usize, usize, Option<bool>)> = FOLDED.with(|folded| {
            let mut folded = folded.borrow_mut();
            folded.clear();
            folded.extend_from_slice(data);
            folded.make_ascii_lowercase();
            let whole = |m: aho_corasick::Match| (m.start(), m.end(), m.pattern().as_usize());
            match (automaton, &self.small) {
                (Some(automaton), _) => automaton
                    .find_overlapping_iter(folded.as_slice())
                    .map(|m| {
                        let (s, e, slot) = whole(m);
                        (s, e, slot, None)
                    })
                    .collect(),
                // `automaton_for` gives no automaton only with small matchers.
                (None, None) => Vec::new(),
                (None, Some(small)) => {
                    let mut found: Vec<_> = small
                        .keywords
                        .find_overlapping_iter(folded.as_slice())
                        .map(|m| {
                            (
                                m.start(),
                                m.end(),
                                small.keyword_slots[m.pattern().as_usize()],
                                Some(false),
                            )
                        })
                        .collect();
                    small
                        .values
                        .find(folded.as_slice(), &self.literals, |at, slot| {
                            let end = at + self.literals.pattern(slot).len();
                            found.push((at, end, slot, Some(true)));
                        });
                    found
                }
            }
        });
        for (start, end, slot, only) in matches {
            let found = &data[start..end];
            for target in self.literals.targets(slot) {
                let is_value = matches!(target, Target::Managed { .. });
                if only.is_some_and(|values| values != is_value) {
                    continue;
                }
                match target {
                    Target::Keyword { rule, exact } => {
                        if exact.is_none_or(|e| e.as_bytes() == found) {
                            triggered[*rule] = true;
                            if rules::all()[*rule].check.parses_assignments() && !kind.lock_file {
                                spots.push((*rule, start, end));
                            }
                        }
                    }
                    Target::Managed {
                        value,
                        encoding,
                        text,
                        case_sensitive,
                    } => {
                        if !case_sensitive || found == self.literals.text(*text) {
                            let (name, labels) = self.owners.get(*value as usize);
                            hits.push(Hit {
                                start,
                                end,
                                rule: if *encoding == "plain" {
                                    MANAGED_RULE.to_string()
                                } else {
                                    format!("{MANAGED_RULE}-{encoding}")
                                },
                                description: format!(
                                    "value of secret `{}` ({}){}",
                                    name,
                                    labels,
                                    if *encoding == "plain" {
                                        String::new()
                                    } else {
                                        format!(", {encoding}-encoded")
                                    }
                                ),
                                secret: Some(name.to_string()),
                                priority: 0,
                            });
                        }
                    }
                }
            }
        }
        if !kind.lock_file {
            for (rule_index, rule) in rules::all().iter().enumerate() {
                if !triggered[rule_index] || rule.check.parses_assignments() {
                    continue;
                }
                for caps in rules::regex(rule_index).captures_iter(data) {
                    let whole = caps.get(0).expect("group 0 exists");
                    let secret = caps.name("secret").unwrap_or(whole);
                    let name = caps.name("name").map_or(&b""[..], |n| n.as_bytes());
                    let quoted = caps.name("quote").is_some();
                    if !rules::accept(rule.check, secret.as_bytes(), name, quoted) {
                        continue;
                    }
                    hits.push(Hit {
                        start: secret.start(),
                        end: secret.end(),
                        rule: rule.id.to_string(),
                        description: rule.description.to_string(),
                        secret: None,
                        priority: 1 + rule_index,
                    });
                }
            }
            hits.extend(assignments(data, spots));
        }
        most_specific(hits)
    }
}

/// The hits of the rules that parse assignments, from their keywords'
/// positions: each name is parsed once per rule (a name holds several
/// keywords: `secret_access_key`).
fn assignments(data: &[u8], mut spots: Vec<(usize, usize, usize)>) -> Vec<Hit> {
    spots.sort_unstable();
    let mut hits = Vec::new();
    // The rule and name end of the last assignment parsed.
    let mut last: Option<(usize, usize)> = None;
    for (rule_index, start, end) in spots {
        if last.is_some_and(|(r, name_end)| r == rule_index && start < name_end) {
            continue;
        }
        let Some(a) = assign::parse(data, start, end) else {
            continue;
        };
        last = Some((rule_index, a.name.1));
        if assign::is_public_badge_parameter(data, a.name.0) {
            continue;
        }
        let rule = &rules::all()[rule_index];
        let (name, secret) = (&data[a.name.0..a.name.1], &data[a.value.0..a.value.1]);
        if !rules::accept(rule.check, secret, name, a.quoted) {
            continue;
        }
        hits.push(Hit {
            start: a.value.0,
            end: a.value.1,
            rule: rule.id.to_string(),
            description: rule.description.to_string(),
            secret: None,
            priority: 1 + rule_index,
        });
    }
    hits
}

/// Keeps the most specific hit where hits overlap: hits are taken in order
/// of priority, then position (longest first), and one is kept unless it
/// overlaps a hit already kept. Returns the kept hits by position.
///
/// The kept hits never overlap, so they are ordered by end as well as by
/// start, and the only one a new hit can overlap is the last kept one
/// starting before the new hit ends: one ordered-map lookup per hit, where
/// comparing with every kept hit was quadratic (a megabyte of tokens made
/// 25,000 hits per file).
fn most_specific(mut hits: Vec<Hit>) -> Vec<Hit> {
    hits.sort_by_key(|h| (h.priority, h.start, std::cmp::Reverse(h.end)));
    // The kept hits as (start, end, index in `hits`).
    let mut kept: BTreeSet<(usize, usize, usize)> = BTreeSet::new();
    for (i, hit) in hits.iter().enumerate() {
        let overlaps = kept
            .range(..(hit.end, 0, 0))
            .next_back()
            .is_some_and(|&(start, end, _)| hit.start < end && start < hit.end);
        if !overlaps {
            kept.insert((hit.start, hit.end, i));
        }
    }
    let mut keep = vec![false; hits.len()];
    for (_, _, i) in kept {
        keep[i] = true;
    }
    let mut out: Vec<Hit> = hits
        .into_iter()
        .zip(keep)
        .filter_map(|(h, k)| k.then_some(h))
        .collect();
    out.sort_by_key(|h| (h.start, h.end));
    out
}

/// Redacts a secret: at most its first 4 characters (fewer for short
/// values), then `****`.
pub fn redact(secret: &[u8]) -> String {
    let text = String::from_utf8_lossy(secret);
    let count = text.chars().count();
    let keep = (count / 4).min(4);
    let shown: String = text
        .chars()
        .take(keep)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    format!("{shown}****")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_keeps_at_most_four_characters() {
        assert_eq!(redact(b"ghp_abcdefghijklmnop"), "ghp_****");
        assert_eq!(redact(b"abcdefgh"), "ab****");
        assert_eq!(redact(b"abc"), "****");
    }

    #[test]
    fn finds_rule_and_near_miss() {
        let s = Scanner::new(Vec::new());
        let hits = s.find(
            b"key = AKIAZ7XQ4MNB2KDL3PWA\nexample = AKIAIOSFODNN7EXAMPLE\n",
            BufferKind::default(),
        );
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].rule, "aws-access-key-id");
    }

    fn hit(start: usize, end: usize, priority: usize) -> Hit {
        Hit {
            start,
            end,
            rule: format!("r{priority}"),
            description: String::new(),
            secret: None,
            priority,
        }
    }

    /// The definition: each hit, in order, against every hit kept so far
    /// (what the engine did before the sweep; quadratic).
    fn most_specific_reference(mut hits: Vec<Hit>) -> Vec<(usize, usize, usize)> {
        hits.sort_by_key(|h| (h.priority, h.start, std::cmp::Reverse(h.end)));
        let mut kept: Vec<Hit> = Vec::new();
        for hit in hits {
            if !kept.iter().any(|k| hit.start < k.end && k.start < hit.end) {
                kept.push(hit);
            }
        }
        kept.sort_by_key(|h| (h.start, h.end));
        kept.iter().map(|h| (h.start, h.end, h.priority)).collect()
    }

    fn triples(hits: &[Hit]) -> Vec<(usize, usize, usize)> {
        hits.iter().map(|h| (h.start, h.end, h.priority)).collect()
    }

    #[test]
    fn sweep_keeps_the_most_specific_of_overlapping_hits() {
        let hits = vec![
            hit(10, 50, 14), // a generic assignment around a token
            hit(20, 60, 4),  // the token: more specific, wins
            hit(55, 70, 14), // overlaps the token only: dropped
            hit(70, 80, 14), // touches it: kept
            hit(0, 10, 0),   // a managed value: kept
            hit(5, 8, 1),    // inside the managed value: dropped
        ];
        let got = triples(&most_specific(hits.clone()));
        assert_eq!(got, vec![(0, 10, 0), (20, 60, 4), (70, 80, 14)]);
        assert_eq!(got, most_specific_reference(hits));
    }

    #[test]
    fn sweep_handles_many_hits_on_one_line() {
        // 10^5 disjoint tokens, each also inside a generic match: the
        // quadratic loop compared 5 * 10^9 pairs here.
        let mut hits = Vec::new();
        for i in 0..100_000 {
            hits.push(hit(i * 41, i * 41 + 40, 4));
            hits.push(hit(i * 41 + 2, i * 41 + 45, 14));
        }
        let kept = most_specific(hits);
        assert_eq!(kept.len(), 100_000);
        assert!(kept.iter().all(|h| h.priority == 4));
    }

    proptest::proptest! {
        #[test]
        fn sweep_matches_the_definition(spans in proptest::collection::vec((0usize..60, 0usize..12, 0usize..4), 0..40)) {
            let hits: Vec<Hit> = spans.iter().map(|&(s, len, p)| hit(s, s + len, p)).collect();
            proptest::prop_assert_eq!(triples(&most_specific(hits.clone())), most_specific_reference(hits));
        }
    }
}
