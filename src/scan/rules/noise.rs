//! What looks like a credential but is not one: published documentation
//! examples, placeholders (`xxxx`, `1234...`, masked `****`, a repeated
//! chunk), references to a value kept elsewhere (`${VAR}`, `os.environ`),
//! file paths, and code (`self.password`, `Option<Secret>`).

use base64::Engine as _;

/// Published example credentials, from the providers' documentation and
/// SDKs, that are not secret (AWS's `...EXAMPLE` keys are caught by their
/// suffix).
const DOCUMENTED: &[&str] = &[
    // Stripe API reference keys.
    "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
    "pk_test_TYooMQauvdEDq54NiTphI7jx",
    "sk_test_BQokikJOvBiI2HlWgH4olfQ2",
    "pk_test_6pRNASCoBOKtIshFeQd4XMUh",
    "sk_test_26PHem9AhJZvU623DfE1x4sd",
    "rk_test_26PHem9AhJZvU623DfE1x4sd",
    // GitHub documentation.
    "gho_16C7e42F292c6912E7710c838347Ae178B4a",
    "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
    "ghu_16C7e42F292c6912E7710c838347Ae178B4a",
    "ghs_16C7e42F292c6912E7710c838347Ae178B4a",
    "ghr_1B4a2e77838347a7E420ce178F2E7c6912E169246c34E1ccbF66C46812d16D5B1A9Dc86A1498",
    // The UUID of Wikipedia's and many tutorials' examples.
    "123e4567-e89b-12d3-a456-426614174000",
    // Slack documentation.
    "xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy",
    // Telegram Bot API documentation.
    "110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw",
    "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11",
    // X (Twitter) API documentation bearer token.
    "AAAAAAAAAAAAAAAAAAAAAMLheAAAAAAA0%2BuSeid%2BULvsea4JtiGRiSDSJSI%3DEUifiRBkKG5E2XzMDjRfl76ZC9Ub0wnz4XsNiRVBChTYbJcE3F",
];

/// Tells whether `text` is a documented example: AWS's `...EXAMPLE` keys,
/// a listed provider example (here or in the provider families' list,
/// [`super::parts::documented`]: the Azurite account key, NuGet's and
/// Kubernetes' documented passwords), or jwt.io's sample token. Every rule,
/// the generic ones included, refuses them.
pub fn is_documented_example(text: &str) -> bool {
    text.contains("EXAMPLE")
        || DOCUMENTED.contains(&text)
        || super::parts::documented(text)
        || is_jwt_io_example(text)
}

/// jwt.io's sample tokens: subject `1234567890`, name `John Doe`.
fn is_jwt_io_example(text: &str) -> bool {
    if !text.starts_with("eyJ") {
        return false;
    }
    let Some(payload) = text.split('.').nth(1) else {
        return false;
    };
    let Ok(json) = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload) else {
        return false;
    };
    let has = |s: &[u8]| json.windows(s.len()).any(|w| w == s);
    has(b"1234567890") && has(b"John Doe")
}

/// The longest run of ASCII letters and digits in `text`: the random part
/// of a token (`ghp_<this>`, `xoxb-1-2-<this>`).
fn body(text: &str) -> &str {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .max_by_key(|s| s.len())
        .unwrap_or("")
}

/// Tells whether `text` has an ascending run of at least 8 letters or
/// digits (`12345678`, `abcdefgh`, `ABCDEFGH`).
fn has_sequence(text: &str) -> bool {
    let b = text.as_bytes();
    let mut run = 1;
    for w in b.windows(2) {
        let (x, y) = (w[0].to_ascii_lowercase(), w[1].to_ascii_lowercase());
        if x.is_ascii_alphanumeric() && y == x + 1 && y.is_ascii_alphanumeric() {
            run += 1;
            if run >= 8 {
                return true;
            }
        } else {
            run = 1;
        }
    }
    false
}

/// Tells whether `body` is mostly one character, or a chunk of up to 16
/// characters repeated (`GFPYYSJZGFPYYSJZ...`, `0123ABCD4567EF89...`).
fn is_repetitive(body: &[u8]) -> bool {
    if body.len() < 12 {
        return false;
    }
    let mut counts = [0usize; 256];
    for &c in body {
        counts[c as usize] += 1;
    }
    if counts.iter().any(|&n| n * 2 >= body.len()) {
        return true;
    }
    (1..=16).any(|p| {
        let same = body.windows(p + 1).filter(|w| w[0] == w[p]).count();
        body.len() >= 3 * p && same * 10 >= (body.len() - p) * 9
    })
}

/// A placeholder in the shape of a token, for every rule: `xxxx`, masks
/// (`****`, `####`, `…`), an ascending run (`12345678`, `abcdefgh`), or a
/// body of one character or a repeated chunk.
pub fn is_placeholder_token(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    ["xxxx", "XXXX", "****", "####", "\u{2026}"]
        .iter()
        .any(|p| text.contains(p))
        || ["<your", "your_", "your-"]
            .iter()
            .any(|p| lower.contains(p))
        || has_sequence(text)
        || is_repetitive(body(text).as_bytes())
}

/// Words and shapes that stand for a value rather than being one (for
/// passwords and assigned values).
pub fn is_placeholder(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    const EXACT: &[&str] = &[
        "pass", "passwd", "pwd", "xxx", "none", "null", "nil", "empty", "redacted", "hidden",
        "masked", "guest", "default", "admin", "root", "todo", "tbd", "fixme",
    ];
    const CONTAINS: &[&str] = &[
        "changeme",
        "change_me",
        "change-me",
        "changethis",
        "changeit",
        "placeholder",
        "example",
        "yourpass",
        "yoursecret",
        "yourtoken",
        "dummy",
        "hunter",
        "redacted",
        "replace",
        "insert",
        "<",
        ">",
        "...",
        "....",
        // The name of a credential, not one.
        "password",
        "passwd",
        "secret",
        "token",
        "apikey",
        "api_key",
        "api-key",
        "passphrase",
        "credential",
        "bearer",
    ];
    EXACT.contains(&lower.as_str())
        || CONTAINS.iter().any(|c| lower.contains(c))
        || is_placeholder_token(text)
        || text
            .chars()
            .all(|c| c == text.chars().next().unwrap_or('x'))
}

/// Variable references, templates and reads from the environment or a
/// secret manager.
pub fn is_reference(text: &str) -> bool {
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

/// An environment variable's or constant's name (`GITHUB_TOKEN`,
/// `DB_PASSWORD`): the name of a secret, not its value.
pub fn is_constant_name(text: &str) -> bool {
    let b = text.as_bytes();
    b.first().is_some_and(u8::is_ascii_uppercase)
        && b.iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == b'_')
        && (text.contains('_') || !b.iter().any(u8::is_ascii_digit))
}

/// A file path: `/run/secrets/db`, `./secrets/key.pem`, `~/.ssh/id_rsa`,
/// `C:\keys\app.pem`, or a name ending in a key or config file extension.
pub fn is_path(text: &str) -> bool {
    let b = text.as_bytes();
    if text.starts_with("./")
        || text.starts_with("../")
        || text.starts_with("~/")
        || text.starts_with("\\\\")
        || (b.len() > 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && b[2] == b'\\')
    {
        return true;
    }
    if text.starts_with('/')
        && text.matches('/').count() >= 2
        && !text.contains(['+', '='])
        && text.split('/').all(|s| s.len() <= 32)
    {
        return true;
    }
    // `ANOTREAL/20150830/us-east-1/service/aws4_request`: a path of
    // lowercase words after its first part.
    let mut segments = text.split('/');
    segments.next();
    let rest: Vec<&str> = segments.collect();
    if rest.len() >= 2
        && rest.iter().all(|s| {
            !s.is_empty()
                && s.bytes().all(|c| {
                    c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b'_' | b'-' | b'.')
                })
        })
    {
        return true;
    }
    const EXTENSIONS: &[&str] = &[
        ".pem",
        ".key",
        ".json",
        ".txt",
        ".p12",
        ".pfx",
        ".crt",
        ".cer",
        ".jks",
        ".yaml",
        ".yml",
        ".env",
        ".gpg",
        ".asc",
        ".der",
        ".keystore",
        ".toml",
        ".ini",
        ".conf",
        ".cfg",
        ".xml",
        ".properties",
        ".pub",
        ".kdbx",
    ];
    let lower = text.to_ascii_lowercase();
    EXTENSIONS.iter().any(|e| lower.ends_with(e))
}

/// A value that is itself `key=value...` (a connection string's first
/// pair): its credential part, if any, is an assignment of its own
/// (`...;AccountKey=...`), parsed from its own name.
pub fn is_nested_assignment(text: &str) -> bool {
    let Some((key, rest)) = text.split_once('=') else {
        return false;
    };
    let mut chars = key.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == ' ')
        && rest.trim_start_matches('=').len() == rest.len()
        && !rest.is_empty()
}

/// Words rather than a secret: no digits, only letters and `-_.`, and
/// every word (split there and at camelCase) at least 2 letters long
/// (`PrivateKeyInfo`, `setct-AuthResBaggage`, `clientAuth`). Random
/// letters make short words at their case changes.
pub fn is_wordy(text: &str) -> bool {
    if !text
        .bytes()
        .all(|c| c.is_ascii_alphabetic() || matches!(c, b'-' | b'_' | b'.'))
    {
        return false;
    }
    let mut words: Vec<usize> = vec![0];
    let b = text.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        if !c.is_ascii_alphabetic() {
            words.push(0);
            continue;
        }
        let camel = c.is_ascii_uppercase()
            && i > 0
            && (b[i - 1].is_ascii_lowercase()
                || (b[i - 1].is_ascii_uppercase()
                    && b.get(i + 1).is_some_and(u8::is_ascii_lowercase)));
        if camel {
            words.push(0);
        }
        if let Some(last) = words.last_mut() {
            *last += 1;
        }
    }
    words.iter().filter(|&&n| n > 0).all(|&n| n >= 2)
}

/// Tells whether a dotted part looks random (a token's part, not a code
/// identifier): long, with letters and digits.
fn random_part(p: &str) -> bool {
    p.len() >= 12
        && p.bytes().any(|c| c.is_ascii_digit())
        && p.bytes().any(|c| c.is_ascii_alphabetic())
}

/// A code identifier, a member access or a call (`self.password`,
/// `get_token()`, `config::SECRET`), unless a part looks random
/// (`dp.st.prod.7IfDH5mMDdwin86T...`).
pub fn is_identifier_expression(text: &str) -> bool {
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
    !parts.is_empty()
        && parts.iter().all(|p| ident(p))
        && (calls || parts.len() > 1)
        && (calls || !parts.iter().any(|p| random_part(p)))
}

/// An unquoted value that reads as code rather than data: a reference or
/// pointer (`&Self::Token`, `*alias`), a macro or call (`Token![let]`), a
/// type or variable name without digits (`RsaPrivateKey`), or a constant or
/// snake_case name (`WIN32_ERROR`, `_bindgen_ty_7`).
pub fn is_code_expression(text: &str) -> bool {
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

/// Tells whether `text` is a UUID (8-4-4-4-12 hex digits).
pub fn is_uuid(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_in_token_shape() {
        for p in [
            "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "glpat-XXXXXXXXXXXXXXXXXXXX",
            "AKIAXXXXXXXXXXXXXXXX",
            "AKIAAAAAAAAAAAAAAAAA",
            "sk_live_1234567890abcdefghijklmn",
            "ghp_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij",
            "AKIA################",
            "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFP",
            "npm_000000000000000000000000000000000000",
            "EAAA0123ABCD4567EF890123ABCD4567EF890123ABCD4567EF890123ABCD4567",
        ] {
            assert!(is_placeholder_token(p), "{p}");
        }
        for real in [
            "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",
            "AKIAT7P6N4I7FGUD5F7D",
            "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW",
            "AGE-SECRET-KEY-105USSGCXXLA62H0E293H27URNHT7KUARWQJS40LXHZUKGJDYWR77F4QGYN",
        ] {
            assert!(!is_placeholder_token(real), "{real}");
        }
    }

    #[test]
    fn documented_examples() {
        assert!(is_documented_example("AKIAIOSFODNN7EXAMPLE"));
        assert!(is_documented_example("sk_test_4eC39HqLyjWDarjtT1zdp7dc"));
        assert!(is_documented_example(
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
        ));
        assert!(!is_documented_example("sk_test_7IfDH5mMDdwin86TkVYCM7l8"));
        // The provider families' list counts for every rule.
        assert!(is_documented_example(
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
        ));
        assert!(is_documented_example(
            "110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
        ));
    }

    #[test]
    fn paths_and_names() {
        for p in [
            "/run/secrets/db_password",
            "./secrets/key.pem",
            "~/.ssh/id_ed25519",
            "C:\\keys\\signing.pem",
            "credentials.json",
        ] {
            assert!(is_path(p), "{p}");
        }
        assert!(!is_path("vnyzv0Zz/yA0xIf+xU2z"));
        assert!(!is_path("/Rt8vQ2mLx9KpZ7wq"));
        assert!(is_path("ANOTREAL/20150830/us-east-1/service/aws4_request"));
        assert!(is_wordy("setct-AuthResBaggage"));
        assert!(is_wordy("PrivateKeyInfo"));
        assert!(is_wordy("pkInitClientAuth"));
        assert!(!is_wordy("yHRSIfNFmAUqwZ"));
        assert!(!is_wordy("Qm8vLx2Nc4RtW7"));
        assert!(is_constant_name("GITHUB_TOKEN"));
        assert!(is_constant_name("ACCESS_TOKEN1"));
        assert!(!is_constant_name("AKIAT7P6N4I7FGUD5F7D"));
    }
}
