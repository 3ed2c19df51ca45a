//! The store's own values as scan literals: every labelled version of every
//! secret (and each string field of a JSON secret), from the store's scan
//! set or decrypted in parallel, and the encoded forms a leak usually takes
//! (base64 at every alignment, base64url, hex, URL-encoding).

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use zeroize::Zeroizing;

use crate::crypto::Identity;
use crate::store::{SecretValues, Store};

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

/// One encoded form of a managed value.
pub struct Encoded {
    /// The encoding's name as shown in rule ids (`plain`, `base64`, ...).
    pub encoding: &'static str,
    /// The literal to find.
    pub text: Zeroizing<Vec<u8>>,
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

/// Returns every labelled version of every secret in `store`: from the
/// store's scan set when nothing changed since the last scan (see
/// `crate::store::Store::scan_values`), else decrypted in parallel.
pub fn load(store: &Store, identity: &Identity) -> crate::Result<Loaded> {
    let mut loaded = Loaded::default();
    for secret in store.scan_values(identity)? {
        add_secret(&mut loaded, secret);
    }
    Ok(loaded)
}

fn add_secret(loaded: &mut Loaded, secret: SecretValues) {
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
        let mut candidates = vec![(name.to_string(), Zeroizing::new(value.to_vec()))];
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

impl ManagedValue {
    /// Returns the literals this value can appear as.
    pub fn encodings(&self) -> Vec<Encoded> {
        let v = self.value.as_slice();
        let mut out = vec![Encoded {
            encoding: "plain",
            text: Zeroizing::new(v.to_vec()),
            case_sensitive: true,
        }];
        let mut push = |encoding: &'static str, text: Zeroizing<Vec<u8>>, case_sensitive| {
            if text.len() >= MIN_VALUE_LEN && !out.iter().any(|e| e.text == text) {
                out.push(Encoded {
                    encoding,
                    text,
                    case_sensitive,
                });
            }
        };
        for shift in 0..3 {
            push("base64", base64_core(v, shift, &STANDARD_NO_PAD), true);
            push("base64url", base64_core(v, shift, &URL_SAFE_NO_PAD), true);
        }
        push("hex", Zeroizing::new(hex::encode(v).into_bytes()), false);
        let url: String =
            percent_encoding::percent_encode(v, percent_encoding::NON_ALPHANUMERIC).collect();
        push("url", Zeroizing::new(url.into_bytes()), true);
        // Form encoding and minimal URL-encoding keep the unreserved marks.
        const MINIMAL: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
            .remove(b'-')
            .remove(b'_')
            .remove(b'.')
            .remove(b'~');
        let url: String = percent_encoding::percent_encode(v, MINIMAL).collect();
        push("url", Zeroizing::new(url.into_bytes()), true);
        out
    }
}

/// Returns the base64 characters that depend only on `value` when it sits
/// `shift` bytes into a larger encoded buffer (so `user:password` encoded
/// as a whole still shows the password's core).
fn base64_core(
    value: &[u8],
    shift: usize,
    engine: &base64::engine::GeneralPurpose,
) -> Zeroizing<Vec<u8>> {
    let mut buf = Zeroizing::new(vec![0u8; shift]);
    buf.extend_from_slice(value);
    let encoded = Zeroizing::new(engine.encode(buf.as_slice()).into_bytes());
    // Characters touching the filler bytes at the start, or the unknown
    // bytes after the value at the end, vary with the surroundings.
    let skip = match shift {
        0 => 0,
        1 => 2,
        _ => 3,
    };
    let total_bits = buf.len() * 8;
    let full_chars = total_bits / 6;
    if full_chars <= skip {
        return Zeroizing::new(Vec::new());
    }
    Zeroizing::new(encoded[skip..full_chars].to_vec())
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
            assert!(
                m.encodings()
                    .iter()
                    .filter(|e| e.encoding == "base64")
                    .any(|e| encoded
                        .as_bytes()
                        .windows(e.text.len())
                        .any(|w| w == e.text.as_slice())),
                "prefix {prefix:?}"
            );
        }
    }
}
