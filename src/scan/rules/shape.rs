//! Shared building blocks of the provider families in comms.rs,
//! payments.rs and saas.rs: the `near!` pattern for values that are a
//! credential only next to their provider's name, and the checks that tell
//! a random token body from a placeholder or a documented example.

use super::shannon_entropy;

/// Builds a pattern for a value that is a credential only near its
/// provider's name: the name (any case), then within 48 bytes (the rest of
/// the variable name, quotes, `=`, `:`, a type, a newline and a `value:`
/// key) the value, not glued to a token byte on its left, and on its right
/// not followed by a byte of the class given as third argument (default:
/// word bytes).
macro_rules! near {
    ($name:literal, $value:expr) => {
        near!($name, $value, "A-Za-z0-9_")
    };
    ($name:literal, $value:expr, $tail:literal) => {
        concat!(
            r"(?-u)(?i:",
            $name,
            r")(?s:.{0,48}?)[^A-Za-z0-9_+/.-](?P<secret>",
            $value,
            r")(?:[^",
            $tail,
            r"]|$)"
        )
    };
}

/// Placeholder words that a real token body practically never contains.
const FILLER: &[&str] = &[
    "xxxx",
    "****",
    "####",
    "....",
    "example",
    "sample",
    "placeholder",
    "your",
    "dummy",
    "fake",
    "redacted",
    "changeme",
    "insert",
    "replace",
    "secret",
    "token",
];

/// Tells whether `body` (a token without its fixed prefix) looks random:
/// no placeholder words, no run of six identical or consecutive characters
/// (`000000`, `123456`, `abcdef`), no template syntax, and enough entropy
/// for its length.
pub fn random_body(body: &str) -> bool {
    let lower = body.to_ascii_lowercase();
    if FILLER.iter().any(|f| lower.contains(f)) || body.contains(['<', '>', '{', '}', '$']) {
        return false;
    }
    let bytes = body.as_bytes();
    let runs = runs(bytes);
    if runs.same >= 6 || runs.up >= 6 || runs.down >= 6 {
        return false;
    }
    let distinct = distinct(bytes);
    if bytes.len() >= 20 {
        shannon_entropy(bytes) >= 3.0
    } else {
        bytes.len() >= 6 && distinct * 2 >= bytes.len()
    }
}

/// The longest runs in a token body: of one byte (`0000`), of ascending
/// bytes (`1234`, `abcd`) and of descending ones (`9876`).
pub(super) struct Runs {
    pub same: usize,
    pub up: usize,
    pub down: usize,
}

/// Measures the longest [`Runs`] in `bytes` (each at least 1).
pub(super) fn runs(bytes: &[u8]) -> Runs {
    let (mut same, mut up, mut down) = (1, 1, 1);
    let mut max = Runs {
        same: 1,
        up: 1,
        down: 1,
    };
    for pair in bytes.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        same = if a == b { same + 1 } else { 1 };
        up = if b == a.wrapping_add(1) { up + 1 } else { 1 };
        down = if a == b.wrapping_add(1) { down + 1 } else { 1 };
        max.same = max.same.max(same);
        max.up = max.up.max(up);
        max.down = max.down.max(down);
    }
    max
}

/// Counts the distinct bytes of `bytes`.
pub(super) fn distinct(bytes: &[u8]) -> usize {
    let mut seen = [false; 256];
    bytes.iter().for_each(|b| seen[*b as usize] = true);
    seen.iter().filter(|s| **s).count()
}

/// [`random_body`] over the whole match (prefixes are short next to the
/// body and never repeat a character six times).
pub fn random(text: &str) -> bool {
    random_body(text)
}

/// [`random_body`] over the part after the last `_` or `-` of the fixed
/// prefix (`shpat_`, `FLWSECK_TEST-`), so words in the prefix do not count.
pub fn random_after_prefix(text: &str, prefix_len: usize) -> bool {
    text.get(prefix_len..).is_some_and(random_body)
}

/// Tells whether `text` mixes upper and lower case, as random base62
/// tokens practically always do (an upper-case hex constant, a lower-case
/// hex digest or a word in capitals does not). Digits are not required: a
/// random base62 string of 14 characters lacks them one time in twelve.
pub fn mixed_case(text: &str) -> bool {
    text.bytes().any(|c| c.is_ascii_lowercase()) && text.bytes().any(|c| c.is_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_bodies() {
        assert!(random_body("f3a91c07d2e84b6a9c5d18e7f02b4c6d"));
        assert!(random_body("Qm8vLx2Nc4RtW7pZ"));
        assert!(!random_body("00000000000000000000000000000000"));
        assert!(!random_body("0123456789abcdef0123456789abcdef"));
        assert!(!random_body("a1b2c3XXXXXXXXXXXXXXXXXXXXXXXXXX"));
        assert!(!random_body("your_api_key_here_please_123"));
        assert!(!random_body("${SLACK_WEBHOOK}"));
        assert!(!random_body("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
        assert!(!random_body("abab"));
    }

    #[test]
    fn mixed() {
        assert!(mixed_case("EAAAl9Kx2"));
        assert!(!mixed_case("EAAA0123ABCD"));
    }

    #[test]
    fn near_pattern_finds_the_value_after_the_name() {
        let re = regex::bytes::Regex::new(near!("twilio", "[0-9a-f]{32}")).expect("valid");
        let text = b"TWILIO_AUTH_TOKEN = \"f3a91c07d2e84b6a9c5d18e7f02b4c6d\"\n";
        let caps = re.captures(text).expect("a match");
        assert_eq!(
            &caps["secret"],
            b"f3a91c07d2e84b6a9c5d18e7f02b4c6d".as_slice()
        );
        assert!(
            re.captures(b"twilio f3a91c07d2e84b6a9c5d18e7f02b4c6d9")
                .is_none()
        );
        let yaml = b"- name: TWILIO_AUTH_TOKEN\n    value: \"f3a91c07d2e84b6a9c5d18e7f02b4c6d\"";
        assert!(re.captures(yaml).is_some());
    }
}
