//! The credential formats `sm scan` knows: each rule names the literals that
//! make it worth running (matched in the engine's one Aho-Corasick pass), a
//! regex with a `secret` group, and a check that keeps known non-secrets
//! (documented examples, placeholders, reads from the environment, hashes)
//! quiet. Regexes compile on first use, so a file without any trigger costs
//! no regex work at all.

use std::sync::OnceLock;

use regex::bytes::Regex;

#[macro_use]
mod shape;
mod ai;
pub mod assign;
mod builtin;
pub mod checksum;
mod cloud;
mod comms;
mod devconfig;
mod devtools;
mod hosting;
pub mod noise;
mod observe;
mod parts;
mod payments;
mod saas;

/// Extra validation a rule's match must pass.
#[derive(Clone, Copy, Debug)]
pub enum Check {
    /// Any match counts, except documented example values.
    Format,
    /// A password in a URL: not a placeholder or a variable reference.
    UrlPassword,
    /// A value assigned to a secret-sounding name, read by [`assign`] (the
    /// regex is not run): high entropy, not a placeholder, reference,
    /// identifier, path, or a digest under a digest's name.
    Assignment,
    /// A provider format with its own validation of the matched value (a
    /// checksum, a decoded structure); documented examples are refused
    /// before it runs.
    Verify(fn(&str) -> bool),
    /// A value bound to its name (`AWS_SECRET_ACCESS_KEY = ...`): the
    /// rule's keywords locate the name, [`assign`] reads the value assigned
    /// to it in any syntax (the regex is not run), and the function decides
    /// from the name and the value. Placeholders and references are refused
    /// before it runs.
    Named(fn(&str, &str) -> bool),
}

impl Check {
    /// Tells whether matches come from the assignment parser rather than
    /// the rule's regex.
    pub fn parses_assignments(self) -> bool {
        matches!(self, Check::Assignment | Check::Named(_))
    }
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
            ai::RULES,
            cloud::RULES,
            hosting::RULES,
            devtools::RULES,
            observe::RULES,
            devconfig::RULES,
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
/// name for [`Check::Assignment`] and [`Check::Named`] (the user for
/// [`Check::UrlPassword`]), `quoted` whether the value was quoted.
///
/// Every check first refuses published documentation examples, and every
/// check but [`Check::Verify`] (whose checksum says more) placeholders in
/// the shape of a token (`glpat-xxxx...`, `AKIA1234...`, masked values, a
/// repeated chunk).
pub fn accept(check: Check, secret: &[u8], name: &[u8], quoted: bool) -> bool {
    let Ok(text) = std::str::from_utf8(secret) else {
        return matches!(check, Check::Format);
    };
    if noise::is_documented_example(text) {
        return false;
    }
    let name = String::from_utf8_lossy(name);
    match check {
        // A valid checksum is no placeholder (and random characters would
        // now and then look like one).
        Check::Verify(verify) => verify(text),
        _ if noise::is_placeholder_token(text) => false,
        Check::Format => true,
        Check::UrlPassword => {
            !noise::is_placeholder(text) && !noise::is_reference(text) && text != name
        }
        Check::Assignment => accept_assignment(text, &name, quoted),
        Check::Named(decide) => {
            !noise::is_placeholder(text) && !noise::is_reference(text) && decide(&name, text)
        }
    }
}

/// Splits a name into lowercased words at `_ . - :` and camelCase
/// boundaries, without trailing digits (`access_token1` → access, token;
/// `APIKey` → api, key; `PASSWORD_SHA256` → password, sha).
pub fn name_words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            words.push(std::mem::take(&mut word));
            continue;
        }
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        let boundary = c.is_ascii_uppercase()
            && prev.is_some_and(|p| {
                p.is_ascii_lowercase()
                    || p.is_ascii_digit()
                    || (p.is_ascii_uppercase() && next.is_some_and(|n| n.is_ascii_lowercase()))
            });
        if boundary {
            words.push(std::mem::take(&mut word));
        }
        word.push(c.to_ascii_lowercase());
    }
    words.push(word);
    words
        .into_iter()
        .map(|w| w.trim_end_matches(|c: char| c.is_ascii_digit()).to_string())
        .filter(|w| !w.is_empty())
        .collect()
}

/// Words that make a name a credential's when a word ends with them
/// (`password`, `dbpassword`, `accesstoken`).
const CREDENTIAL_SUFFIXES: &[&str] = &[
    "password",
    "passwd",
    "passphrase",
    "secret",
    "secrets",
    "token",
    "apikey",
    "accesskey",
    "privatekey",
    "secretkey",
    "signingkey",
    "accountkey",
    "credential",
    "credentials",
    "connstr",
    "connectionstring",
];

/// Short words that make a name a credential's only as its last word
/// (`NPM_AUTH`, `DB_PWD`, but not `SN_auth_gost01`).
const CREDENTIAL_WORDS: &[&str] = &["pwd", "auth", "bearer", "creds"];

/// Word pairs that make a name a credential's (`api_key`, `signing_key`).
const CREDENTIAL_PAIRS: &[(&str, &str)] = &[
    ("api", "key"),
    ("access", "key"),
    ("private", "key"),
    ("secret", "key"),
    ("signing", "key"),
    ("account", "key"),
    ("conn", "str"),
    ("connection", "string"),
];

/// A last word that makes the name describe a credential rather than hold
/// one (`token_id`, `password_hash`, `secret_name`, `api_key_file`).
const DESCRIBING_WORDS: &[&str] = &[
    "id",
    "ids",
    "uuid",
    "guid",
    "sha",
    "hash",
    "hashed",
    "digest",
    "checksum",
    "commit",
    "rev",
    "revision",
    "version",
    "name",
    "names",
    "file",
    "filename",
    "path",
    "dir",
    "url",
    "uri",
    "type",
    "kind",
    "len",
    "length",
    "size",
    "count",
    "field",
    "header",
    "prefix",
    "suffix",
    "label",
    "env",
    "ref",
    "hint",
    "pattern",
    "regex",
    "format",
    "mode",
    "enabled",
    "required",
    "ttl",
    "timeout",
    "expiry",
    "expires",
    "expiration",
    "endpoint",
    "host",
    "port",
    "user",
    "username",
    "email",
    "policy",
    "scope",
    "scopes",
    "algorithm",
    "alg",
    "salt",
    "nonce",
    "integrity",
    "fingerprint",
    "template",
    "description",
    "text",
    "message",
    "msg",
    "error",
    "help",
    "title",
    "placeholder",
    "validator",
    "input",
    "column",
    "index",
    "param",
    "params",
    "provider",
    "manager",
    "service",
    "class",
    "method",
    "handler",
    "factory",
    "builder",
    "encoder",
    "encoding",
    "hasher",
    "strategy",
    "source",
    "status",
    "state",
    "location",
    "lifetime",
    "interval",
    "rotation",
    "policy",
    "store",
    "cache",
    "reset",
    "arn",
    "var",
];

/// Words of a name that say its value is a digest or a revision.
const HASH_WORDS: &[&str] = &[
    "sha",
    "hash",
    "checksum",
    "digest",
    "commit",
    "rev",
    "integrity",
];

/// Tells whether a name holds a credential: one of its words is a
/// credential word and its last word does not describe one (`token_id`).
pub fn is_credential_name(name: &str) -> bool {
    let words = name_words(name);
    let Some(last) = words.last() else {
        return false;
    };
    if DESCRIBING_WORDS.contains(&last.as_str()) {
        return false;
    }
    CREDENTIAL_WORDS.contains(&last.as_str())
        || words
            .iter()
            .any(|w| CREDENTIAL_SUFFIXES.iter().any(|s| w.ends_with(s)))
        || words.windows(2).any(|p| {
            CREDENTIAL_PAIRS
                .iter()
                .any(|(a, b)| p[0].ends_with(a) && p[1] == *b)
        })
}

fn accept_assignment(text: &str, name: &str, quoted: bool) -> bool {
    if !is_credential_name(name) {
        return false;
    }
    if !quoted && noise::is_code_expression(text.trim_end_matches([')', ']', '}', '{', '>'])) {
        return false;
    }
    if [
        "\\x", "\\u", "\\r", "\\n", "\\t", "\\0", "\\d", "\\s", "\\w",
    ]
    .iter()
    .any(|e| text.contains(e))
        || text.starts_with(['(', '['])
    {
        // Escapes and regexes: test vectors, protocol samples and patterns
        // in source code; a group or list is code.
        return false;
    }
    if text.len() > 256 {
        // Minified code and data blobs, not a password.
        return false;
    }
    if noise::is_placeholder(text)
        || noise::is_reference(text)
        || noise::is_identifier_expression(text)
        || noise::is_constant_name(text)
        || noise::is_path(text)
        || noise::is_nested_assignment(text)
        || noise::is_wordy(text)
    {
        return false;
    }
    // A UUID, 40 hex digits or a dotted value is a credential when the
    // name says so (`heroku_api_key`, `api_token`), not under a digest or
    // revision name.
    let hash_name = name_words(name)
        .iter()
        .any(|w| HASH_WORDS.contains(&w.as_str()));
    let hex = text.bytes().all(|c| c.is_ascii_hexdigit());
    if hash_name && (hex || noise::is_uuid(text)) {
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
        assert!(!accept(
            Check::Assignment,
            b"123e4567-e89b-12d3-a456-426614174000",
            b"token",
            true
        ));
        // 40 hex digits: a credential under a token's name, a revision
        // under a digest's or revision's.
        assert!(accept_assignment(
            "3f786850e387550fdab836ed7e6dc881de23001b",
            "api_token",
            true
        ));
        assert!(!accept_assignment(
            "3f786850e387550fdab836ed7e6dc881de23001b",
            "token_sha",
            true
        ));
        assert!(!accept_assignment(
            "3f786850e387550fdab836ed7e6dc881de23001b",
            "secret_commit",
            true
        ));
        assert!(accept_assignment(
            "fccb8189-3e9a-48ed-ba50-2e20411484c8",
            "heroku_api_key",
            true
        ));
        assert!(!accept_assignment(
            "fccb8189-3e9a-48ed-ba50-2e20411484c8",
            "token_id",
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
        // Published examples (the Azurite key, Telegram's docs token) are
        // refused by the generic rule too.
        for (value, name) in [
            (
                "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
                "AccountKey",
            ),
            (
                "110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw",
                "TELEGRAM_BOT_TOKEN",
            ),
        ] {
            assert!(accept_assignment(value, name, true), "{name}");
            assert!(!accept(
                Check::Assignment,
                value.as_bytes(),
                name.as_bytes(),
                true
            ));
        }
    }

    #[test]
    fn credential_names() {
        assert_eq!(name_words("access_token1"), ["access", "token"]);
        assert_eq!(name_words("APIKey"), ["api", "key"]);
        assert_eq!(name_words("PASSWORD_SHA256"), ["password", "sha"]);
        for n in [
            "password2",
            "dbPassword",
            "HEROKU_API_KEY",
            "client_secret",
            "NPM_AUTH",
            "signing_key",
            "conn_str",
            "spring.datasource.password",
        ] {
            assert!(is_credential_name(n), "{n}");
        }
        for n in [
            "token_id",
            "password_hash",
            "secret_name",
            "author",
            "oauth",
            "tokenizer",
        ] {
            assert!(!is_credential_name(n), "{n}");
        }
    }

    #[test]
    fn entropy() {
        assert!(shannon_entropy(b"aaaaaaaa") < 0.01);
        assert!((shannon_entropy(b"abcdefgh") - 3.0).abs() < 1e-9);
    }
}
