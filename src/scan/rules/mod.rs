//! The credential formats `sm scan` knows: each rule names the literals that
//! make it worth running (matched in the engine's one Aho-Corasick pass), a
//! regex with a `secret` group, and a check that keeps known non-secrets
//! (documented examples, placeholders, reads from the environment, hashes)
//! quiet. Regexes compile on first use, so a file without any trigger costs
//! no regex work at all.

use std::sync::OnceLock;

use regex::bytes::Regex;

mod builtin;
#[macro_use]
mod shape;
mod comms;
mod payments;
mod saas;

/// Extra validation a rule's match must pass.
#[derive(Clone, Copy, Debug)]
pub enum Check {
    /// Any match counts, except documented example values.
    Format,
    /// A password in a URL: not a placeholder or a variable reference.
    UrlPassword,
    /// A value assigned to a secret-sounding name: high entropy, not a
    /// placeholder, reference, identifier or hash.
    Assignment,
    /// A provider format with its own validation of the matched value (a
    /// checksum, a decoded structure); documented examples are refused
    /// before it runs.
    Verify(fn(&str) -> bool),
}

/// One credential format.
#[derive(Clone, Debug)]
pub struct Rule {
    /// The stable rule id shown in reports.
    pub id: &'static str,
    /// What the rule finds (one line, as SARIF's short description).
    pub description: &'static str,
    /// What the credential is and how to revoke it (SARIF's help text).
    pub help: &'static str,
    /// Literals (ASCII case-insensitive unless `case_sensitive`) whose
    /// presence makes the regex worth running.
    pub keywords: &'static [&'static str],
    /// Whether the keywords must match case-sensitively.
    pub case_sensitive: bool,
    /// The regex; its `secret` group (or the whole match) is the value.
    pub pattern: &'static str,
    /// The extra validation.
    pub check: Check,
}

/// Every rule, most specific first (an overlapping generic match loses):
/// the provider formats, then the generic rules.
pub fn all() -> &'static [Rule] {
    static ALL: OnceLock<Vec<Rule>> = OnceLock::new();
    ALL.get_or_init(|| {
        let families: &[&[Rule]] = &[
            builtin::PROVIDERS,
            comms::RULES,
            payments::RULES,
            saas::RULES,
            builtin::GENERIC,
        ];
        families.iter().flat_map(|f| f.iter().cloned()).collect()
    })
}

static COMPILED: OnceLock<Vec<OnceLock<Regex>>> = OnceLock::new();

/// Returns rule `index`'s compiled regex, compiling it on first use.
pub fn regex(index: usize) -> &'static Regex {
    let slots = COMPILED.get_or_init(|| all().iter().map(|_| OnceLock::new()).collect());
    slots[index].get_or_init(|| Regex::new(all()[index].pattern).expect("rule regexes are valid"))
}

/// Returns the index of the rule with `id`.
pub fn index_of(id: &str) -> Option<usize> {
    all().iter().position(|r| r.id == id)
}

/// Tells whether a match passes its rule's check. `name` is the assigned
/// name for [`Check::Assignment`], `quoted` whether the value was quoted.
pub fn accept(check: Check, secret: &[u8], name: &[u8], quoted: bool) -> bool {
    let Ok(text) = std::str::from_utf8(secret) else {
        return matches!(check, Check::Format);
    };
    if is_documented_example(text) {
        return false;
    }
    match check {
        Check::Format => true,
        Check::Verify(verify) => verify(text),
        Check::UrlPassword => !is_placeholder(text) && !is_reference(text),
        Check::Assignment => accept_assignment(text, &String::from_utf8_lossy(name), quoted),
    }
}

/// The documented example credentials (AWS's `...EXAMPLE` keys and the like).
fn is_documented_example(text: &str) -> bool {
    text.contains("EXAMPLE")
}

/// Words and shapes that stand for a value rather than being one.
fn is_placeholder(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    const EXACT: &[&str] = &[
        "pass",
        "password",
        "passwd",
        "pwd",
        "secret",
        "token",
        "changeme",
        "change_me",
        "changeit",
        "xxx",
        "none",
        "null",
        "nil",
        "empty",
        "redacted",
        "hidden",
        "masked",
    ];
    const CONTAINS: &[&str] = &[
        "changeme",
        "change_me",
        "change-me",
        "changethis",
        "placeholder",
        "example",
        "your_",
        "your-",
        "yourpass",
        "yoursecret",
        "yourtoken",
        "xxxx",
        "****",
        "....",
        "dummy",
        "redacted",
        "replace",
        "insert",
        "<",
        ">",
        "...",
    ];
    EXACT.contains(&lower.as_str())
        || CONTAINS.iter().any(|c| lower.contains(c))
        || text
            .chars()
            .all(|c| c == text.chars().next().unwrap_or('x'))
}

/// Variable references, templates and reads from the environment or a
/// secret manager.
fn is_reference(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    text.starts_with('$')
        || text.starts_with('%')
        || text.starts_with('@')
        || text.starts_with('{')
        || text.contains("${")
        || text.contains("{{")
        || text.contains("#{")
        || text.contains("$(")
        || [
            "environ",
            "getenv",
            "process.env",
            "env::var",
            "env(",
            "env[",
            "env.",
            "sm://",
            "vault:",
            "secrets.",
            "secretkeyref",
            "valuefrom",
        ]
        .iter()
        .any(|r| lower.contains(r))
}

/// A code identifier, a member access or a call (`self.password`,
/// `get_token()`, `config::SECRET`).
fn is_identifier_expression(text: &str) -> bool {
    let ident = |s: &str| {
        let mut chars = s.chars();
        chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    let head = text.split(['(', '[']).next().unwrap_or(text);
    let calls = head.len() < text.len();
    let parts: Vec<&str> = head.split(['.', ':']).filter(|p| !p.is_empty()).collect();
    !parts.is_empty() && parts.iter().all(|p| ident(p)) && (calls || parts.len() > 1)
}

/// An unquoted value that reads as code rather than data: a reference or
/// pointer (`&Self::Token`, `*alias`), a macro or call (`Token![let]`), a
/// type or variable name without digits (`RsaPrivateKey`), or a constant or
/// snake_case name (`WIN32_ERROR`, `_bindgen_ty_7`).
fn is_code_expression(text: &str) -> bool {
    if text.starts_with('&') || text.starts_with('*') {
        return true;
    }
    let lead_len = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
        .unwrap_or(text.len());
    let (lead, rest) = text.split_at(lead_len);
    if lead.is_empty() || !(rest.is_empty() || rest.starts_with(['!', '(', '[', '<', '{'])) {
        return false;
    }
    let named = |class: fn(&u8) -> bool| lead.bytes().all(|c| class(&c) || c == b'_' || c == b':');
    !rest.is_empty()
        || !lead.bytes().any(|c| c.is_ascii_digit())
        || (lead.contains('_')
            && (named(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
                || named(|c| c.is_ascii_lowercase() || c.is_ascii_digit())))
}

fn is_uuid(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

fn accept_assignment(text: &str, name: &str, quoted: bool) -> bool {
    let name = name.to_ascii_lowercase();
    if !quoted && is_code_expression(text.trim_end_matches([')', ']', '}', '{', '>'])) {
        return false;
    }
    if text.contains("\\x") || text.contains("\\u") {
        // Escaped bytes: test vectors and binary data in source code.
        return false;
    }
    if text.len() > 256 {
        // Minified code and data blobs, not a password.
        return false;
    }
    if is_placeholder(text) || is_reference(text) || is_identifier_expression(text) {
        return false;
    }
    if is_uuid(text) {
        return false;
    }
    let hex = text.bytes().all(|c| c.is_ascii_hexdigit());
    let hash_name = [
        "sha",
        "hash",
        "checksum",
        "digest",
        "commit",
        "rev",
        "integrity",
    ]
    .iter()
    .any(|h| name.contains(h));
    if hex && (text.len() == 40 || hash_name) {
        return false;
    }
    if hash_name
        && text.contains('-')
        && text.split('-').next().is_some_and(|a| a.starts_with("sha"))
    {
        return false;
    }
    let classes = [
        text.bytes().any(|c| c.is_ascii_lowercase()),
        text.bytes().any(|c| c.is_ascii_uppercase()),
        text.bytes().any(|c| c.is_ascii_digit()),
    ]
    .iter()
    .filter(|x| **x)
    .count();
    classes >= 2 && shannon_entropy(text.as_bytes()) >= 3.0
}

/// Returns the Shannon entropy of `data` in bits per byte.
pub fn shannon_entropy(data: &[u8]) -> f64 {
    if data.is_empty() {
        return 0.0;
    }
    let mut counts = [0usize; 256];
    for b in data {
        counts[*b as usize] += 1;
    }
    let len = data.len() as f64;
    counts
        .iter()
        .filter(|c| **c > 0)
        .map(|c| {
            let p = *c as f64 / len;
            -p * p.log2()
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_compiles() {
        for i in 0..all().len() {
            regex(i);
        }
    }

    #[test]
    fn assignment_checks() {
        assert!(accept_assignment("Xk9mQ2vL8pZr4w", "password", false));
        assert!(!accept_assignment("changeme", "password", true));
        assert!(!accept_assignment("${DB_PASSWORD}", "password", true));
        assert!(!accept_assignment("os.environ[", "password", true));
        assert!(!accept_assignment("self.password", "password", true));
        assert!(!accept_assignment("get_token()", "token", true));
        assert!(!accept_assignment(
            "123e4567-e89b-12d3-a456-426614174000",
            "token",
            true
        ));
        assert!(!accept_assignment(
            "3f786850e387550fdab836ed7e6dc881de23001b",
            "token",
            true
        ));
        assert!(!accept_assignment("my-app-secrets", "secret_name", true));
        assert!(!accept_assignment("&Self::Token", "token", false));
        assert!(!accept_assignment("RsaPrivateKey", "private_key", false));
        assert!(accept_assignment("RsaPrivateKey9", "private_key", false));
        assert!(!accept_assignment("RsaPrivateKey)", "private_key", false));
        assert!(!accept_assignment("Token![let](span)", "let_token", false));
        assert!(!accept_assignment("WIN32_ERROR", "ERROR_PASSWORD", false));
        assert!(!accept_assignment("_bindgen_ty_7", "TOKEN", false));
        assert!(accept_assignment("Qm8vLx2Nc4RtW7", "password", false));
    }

    #[test]
    fn entropy() {
        assert!(shannon_entropy(b"aaaaaaaa") < 0.01);
        assert!((shannon_entropy(b"abcdefgh") - 3.0).abs() < 1e-9);
    }
}
