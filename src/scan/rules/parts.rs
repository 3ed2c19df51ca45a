//! Regex parts and value checks shared by the provider families (ai,
//! cloud, devtools): the boundary after a token, the "provider name near
//! the value" context for formats that are only credentials in context,
//! and the decoders behind the structural checks (base64 JSON payloads).

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};

/// The end of a token whose alphabet is `[A-Za-z0-9_-]`.
macro_rules! end {
    () => {
        r"(?:[^A-Za-z0-9_-]|$)"
    };
}
pub(super) use end;

/// The end of a base64 token (`[A-Za-z0-9+/=]`).
macro_rules! end_b64 {
    () => {
        r"(?:[^A-Za-z0-9+/=]|$)"
    };
}
pub(super) use end_b64;

/// What lies between a name and its value in the common syntaxes: `=`,
/// `:`, `:=`, `?=`, `=>`, quotes, `>` (XML), `', '` (PHP `define`), a type
/// (`string`, `&str`) or Compose's `value:` on the next line.
macro_rules! sep {
    () => {
        r#"(?:[\s"'`:=>,(&?]|(?i:string|str|value)){1,16}"#
    };
}
pub(super) use sep;

/// A name that contains the provider (`$p`, a regex alternation) and a
/// credential word (`HEROKU_API_KEY`, `snyk.token`, `herokuAuth`), then
/// the separator to its value.
macro_rules! named {
    ($p:literal) => {
        concat!(
            r"(?i:",
            $p,
            r")[\w.-]{0,30}?(?i:key|token|secret|auth|pass|cred|pat)[\w.-]{0,20}?",
            $crate::scan::rules::parts::sep!()
        )
    };
}
pub(super) use named;

/// A UUID (lower or upper case hex).
macro_rules! uuid {
    () => {
        r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
    };
}
pub(super) use uuid;

/// Published example credentials of the providers in these families that
/// a format check alone cannot tell from real ones: the Azurite / Storage
/// Emulator account key (devstoreaccount1), NuGet.config's documented
/// `ClearTextPassword` values, and the values of the Secret in the
/// Kubernetes documentation (`admin` / `1f2d1e2e67df`, base64). Every
/// rule, the generic ones included, refuses them through
/// [`super::noise::is_documented_example`].
pub(super) const DOCUMENTED_EXAMPLES: &[&str] = &[
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
    "33f!!lloppa",
    "hal+9ooo_da!sY",
    "YWRtaW4=",
    "MWYyZDFlMmU2N2Rm",
];

/// Tells whether `text` is one of [`DOCUMENTED_EXAMPLES`].
pub(super) fn documented(text: &str) -> bool {
    DOCUMENTED_EXAMPLES.contains(&text)
}

/// Tells whether a matched token body looks generated rather than typed:
/// no long run of one character, no long ascending run (`123456`,
/// `abcdef`), and enough distinct characters. Format rules use it to keep
/// placeholders and masks (`xxxx`, `0000`, `1234...`) quiet.
pub(super) fn plausible(text: &str) -> bool {
    let b = text.as_bytes();
    if b.is_empty() {
        return false;
    }
    let runs = super::shape::runs(b);
    let lower = text.to_ascii_lowercase();
    runs.same < 5
        && runs.up < 5
        && super::shape::distinct(b) * 6 >= b.len().min(64)
        && ![
            "xxxx", "****", "####", "example", "sample", "dummy", "redacted",
        ]
        .iter()
        .any(|w| lower.contains(w))
}

/// Tells whether `text` (an alphanumeric token body) mixes at least two
/// of lower case, upper case and digits, as generated tokens do.
pub(super) fn mixed(text: &str) -> bool {
    let b = text.as_bytes();
    [
        b.iter().any(|c| c.is_ascii_lowercase()),
        b.iter().any(|c| c.is_ascii_uppercase()),
        b.iter().any(|c| c.is_ascii_digit()),
    ]
    .iter()
    .filter(|x| **x)
    .count()
        >= 2
}

/// Decodes base64 in either alphabet, with or without padding.
pub(super) fn decode_b64(text: &str) -> Option<Vec<u8>> {
    let trimmed = text.trim_end_matches('=');
    if trimmed.contains(['-', '_']) {
        URL_SAFE_NO_PAD.decode(trimmed).ok()
    } else {
        STANDARD_NO_PAD.decode(trimmed).ok()
    }
}

/// Decodes the payload (second part) of a JWT to JSON.
pub(super) fn jwt_payload(token: &str) -> Option<serde_json::Value> {
    let payload = token.split('.').nth(1)?;
    serde_json::from_slice(&decode_b64(payload)?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plausible_refuses_placeholders() {
        assert!(plausible("q8Zr2LmX0vTn4KcW9pYs"));
        assert!(plausible("3f9a2c7e1b8d4f6a0c5e9b2d7a1f4c8e"));
        assert!(!plausible("xxxxxxxxxxxxxxxxxxxx"));
        assert!(!plausible("00000000-0000-0000-0000-000000000000"));
        assert!(!plausible("1234567890abcdef1234"));
        assert!(!plausible("abababababababababab"));
        assert!(!plausible("MyExampleTokenValue9"));
    }

    #[test]
    fn decodes_jwt_payload() {
        let token = "eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIn0.c2ln";
        let payload = jwt_payload(token).expect("decodes");
        assert_eq!(payload["role"], "service_role");
        assert!(jwt_payload("a.b").is_none());
    }
}
