//! The store's own values as scan literals: every labelled version of every
//! secret (and each string field of a JSON secret), from the store's scan
//! set or decrypted in parallel, and the encoded forms a leak usually takes
//! (base64 at every alignment, base64url, hex, URL-encoding).

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use zeroize::Zeroizing;

use super::literals::Arena;
use crate::cache::Reader;
use crate::store::SecretValues;

/// Values shorter than this many bytes are not matched (too many false hits).
pub const MIN_VALUE_LEN: usize = 8;

/// One value to look for.
pub struct ManagedValue {
    /// The secret's name, with `#field` for a JSON secret's field.
    pub name: String,
    /// The labels of the version it came from.
    pub labels: Vec<String>,
    /// The value, wiped on drop.
    pub value: Zeroizing<Vec<u8>>,
}

/// One encoded form of a managed value: a span of the [`Arena`] it was
/// written to.
pub struct Form {
    /// The encoding's name as shown in rule ids (`plain`, `base64`, ...).
    pub encoding: &'static str,
    /// Where the literal starts in the arena.
    pub start: usize,
    /// Where it ends.
    pub end: usize,
    /// Whether it must match case-sensitively (hex need not).
    pub case_sensitive: bool,
}

/// What loading the store's values found.
#[derive(Default)]
pub struct Loaded {
    /// The values to match.
    pub values: Vec<ManagedValue>,
    /// Secrets (or fields) whose value is too short to match.
    pub too_short: Vec<String>,
    /// Secrets that could not be read, with the reason (never a value).
    pub unreadable: Vec<String>,
}

/// Adds a secret's labelled values (and each string field of a JSON
/// value) to `loaded`.
pub(super) fn add_secret(loaded: &mut Loaded, secret: SecretValues) {
    let name = secret.name;
    let versions = match secret.versions {
        Ok(v) => v,
        Err(e) => {
            loaded.unreadable.push(format!("{name}: {e}"));
            return;
        }
    };
    for version in versions {
        let labels = version.labels;
        let value = match version.value {
            Ok(v) => v,
            Err(e) => {
                loaded.unreadable.push(format!("{name}: {e}"));
                continue;
            }
        };
        let mut candidates = Vec::with_capacity(1);
        // A value stored from a pipe before the newline rule ends in a
        // newline that its quoted uses do not have.
        let trimmed = crate::store::without_final_newline(&value);
        if trimmed.len() < value.len() && trimmed.len() >= MIN_VALUE_LEN {
            candidates.push((name.to_string(), Zeroizing::new(trimmed.to_vec())));
        }
        // Only what may be a JSON object is parsed.
        if value.trim_ascii_start().first() == Some(&b'{')
            && let Ok(serde_json::Value::Object(fields)) = serde_json::from_slice(&value)
        {
            for (field, v) in fields {
                if let serde_json::Value::String(s) = v {
                    candidates.push((format!("{name}#{field}"), Zeroizing::new(s.into_bytes())));
                }
            }
        }
        // The value itself first, moved rather than copied.
        candidates.insert(0, (name.to_string(), value));
        for (display, bytes) in candidates {
            if bytes.len() < MIN_VALUE_LEN {
                loaded.too_short.push(display);
            } else {
                loaded.values.push(ManagedValue {
                    name: display,
                    labels: labels.clone(),
                    value: bytes,
                });
            }
        }
    }
}

/// The secret each managed value came from, as a finding names it: the
/// values themselves after a build, or the names and labels read from a
/// kept literal set, each read only when a finding needs it (a clean
/// commit needs none).
pub enum Owners {
    /// The values the scanner was built from.
    Built(Vec<ManagedValue>),
    /// Each value's secret name and comma-separated labels, as two
    /// length-prefixed texts starting at `starts[i]` of `text`.
    Listed { text: Vec<u8>, starts: Vec<u32> },
}

impl Owners {
    /// Reads `count` (name, labels) entries from `r` (see [`Owners::Listed`]);
    /// `None` when they are cut short or not UTF-8.
    pub fn read(r: &mut Reader, count: usize) -> Option<Owners> {
        let all = r.0;
        let mut starts = Vec::with_capacity(count.min(all.len()));
        for _ in 0..count {
            starts.push(u32::try_from(all.len() - r.0.len()).ok()?);
            for _ in 0..2 {
                std::str::from_utf8(r.bytes()?).ok()?;
            }
        }
        let text = all[..all.len() - r.0.len()].to_vec();
        Some(Owners::Listed { text, starts })
    }

    /// How many values there are.
    pub fn len(&self) -> usize {
        match self {
            Owners::Built(values) => values.len(),
            Owners::Listed { starts, .. } => starts.len(),
        }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Value `i`'s secret name and labels (joined with commas).
    pub(super) fn get(&self, i: usize) -> (&str, std::borrow::Cow<'_, str>) {
        match self {
            Owners::Built(values) => {
                let m = &values[i];
                (&m.name, m.labels.join(",").into())
            }
            Owners::Listed { text, starts } => {
                let mut r = Reader(&text[starts[i] as usize..]);
                let mut next = || {
                    r.bytes()
                        .and_then(|b| std::str::from_utf8(b).ok())
                        .expect("checked when read")
                };
                let name = next();
                (name, next().into())
            }
        }
    }
}

impl ManagedValue {
    /// Appends the literals this value can appear as to `arena`, each
    /// once, and their spans to `forms`.
    pub fn encode_into(&self, arena: &mut Arena, forms: &mut Vec<Form>) {
        let v = self.value.as_slice();
        // Every form fits in this much room: no growth (and copy) midway.
        arena.reserve(18 * v.len() + 32);
        let start = arena.bytes().len();
        arena.extend(v);
        forms.push(Form {
            encoding: "plain",
            start,
            end: arena.bytes().len(),
            case_sensitive: true,
        });
        // Keeps the literal written since `start` unless it is short or
        // repeats one of this value's forms.
        let keep = |arena: &mut Arena, forms: &mut Vec<Form>, start, encoding, case_sensitive| {
            let end = arena.bytes().len();
            let text = &arena.bytes()[start..end];
            if text.len() < MIN_VALUE_LEN
                || forms.iter().any(|f| &arena.bytes()[f.start..f.end] == text)
            {
                arena.truncate(start);
            } else {
                forms.push(Form {
                    encoding,
                    start,
                    end,
                    case_sensitive,
                });
            }
        };
        let mut shifted = Zeroizing::new(Vec::with_capacity(v.len() + 2));
        for shift in 0..3 {
            shifted.clear();
            shifted.resize(shift, 0);
            shifted.extend_from_slice(v);
            for (encoding, engine) in [
                ("base64", &STANDARD_NO_PAD),
                ("base64url", &URL_SAFE_NO_PAD),
            ] {
                let start = arena.bytes().len();
                base64_core(&shifted, shift, engine, arena);
                keep(arena, forms, start, encoding, true);
            }
        }
        let start = arena.bytes().len();
        const HEX: &[u8; 16] = b"0123456789abcdef";
        for (pair, byte) in arena.grow(2 * v.len()).chunks_exact_mut(2).zip(v) {
            pair[0] = HEX[(byte >> 4) as usize];
            pair[1] = HEX[(byte & 15) as usize];
        }
        keep(arena, forms, start, "hex", false);
        // Form encoding and minimal URL-encoding keep the unreserved marks.
        const MINIMAL: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
            .remove(b'-')
            .remove(b'_')
            .remove(b'.')
            .remove(b'~');
        for set in [percent_encoding::NON_ALPHANUMERIC, MINIMAL] {
            let start = arena.bytes().len();
            for chunk in percent_encoding::percent_encode(v, set) {
                arena.extend(chunk.as_bytes());
            }
            keep(arena, forms, start, "url", true);
        }
    }
}

/// Appends the base64 characters of `shifted` (a value after `shift`
/// filler bytes) that depend only on the value when it sits `shift` bytes
/// into a larger encoded buffer (so `user:password` encoded as a whole
/// still shows the password's core).
fn base64_core(
    shifted: &[u8],
    shift: usize,
    engine: &base64::engine::GeneralPurpose,
    arena: &mut Arena,
) {
    // Characters touching the filler bytes at the start, or the unknown
    // bytes after the value at the end, vary with the surroundings.
    let skip = match shift {
        0 => 0,
        1 => 2,
        _ => 3,
    };
    let full_chars = shifted.len() * 8 / 6;
    if full_chars <= skip {
        return;
    }
    let start = arena.bytes().len();
    let encoded_len = shifted.len().div_ceil(3) * 4;
    let out = arena.grow(encoded_len);
    let written = engine.encode_slice(shifted, out).unwrap_or(0);
    if written < full_chars {
        arena.truncate(start);
        return;
    }
    arena
        .bytes_mut()
        .copy_within(start + skip..start + full_chars, start);
    arena.truncate(start + full_chars - skip);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_cores_appear_in_larger_encodings() {
        let value = b"S3cr3t-Value-42!";
        for prefix in ["", "a", "ab", "user:", "admin:"] {
            let mut whole = prefix.as_bytes().to_vec();
            whole.extend_from_slice(value);
            whole.extend_from_slice(b"tail");
            let encoded = STANDARD_NO_PAD.encode(&whole);
            let m = ManagedValue {
                name: "x".into(),
                labels: vec![],
                value: Zeroizing::new(value.to_vec()),
            };
            let (mut arena, mut forms) = (Arena::default(), Vec::new());
            m.encode_into(&mut arena, &mut forms);
            assert!(
                forms
                    .iter()
                    .filter(|f| f.encoding == "base64")
                    .map(|f| &arena.bytes()[f.start..f.end])
                    .any(|text| encoded.as_bytes().windows(text.len()).any(|w| w == text)),
                "prefix {prefix:?}"
            );
        }
    }
}
