//! The formats sm has always known: cloud keys, VCS and registry tokens,
//! private keys, and the generic rules (JWTs, passwords in URLs, values
//! assigned to secret-sounding names).

use super::{Check, Rule, checksum};

/// An AWS secret access key: 40 base64 characters assigned to a name
/// that says AWS secret (access) key.
fn aws_secret_access_key(name: &str, value: &str) -> bool {
    let squashed: String = name
        .bytes()
        .filter(u8::is_ascii_alphanumeric)
        .map(|b| b.to_ascii_lowercase() as char)
        .collect();
    (squashed.contains("awssecret") || squashed.contains("secretaccesskey"))
        && value.len() == 40
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'/' || b == b'+')
        && value.bytes().any(|b| b.is_ascii_digit())
        && value.bytes().any(|b| b.is_ascii_uppercase())
        && value.bytes().any(|b| b.is_ascii_lowercase())
}

/// Provider formats.
pub static PROVIDERS: &[Rule] = &[
    Rule {
        id: "aws-access-key-id",
        description: "AWS access key id",
        help: "An AWS access key id (AKIA for long-term IAM user keys, ASIA for temporary STS credentials); with its secret key it signs API calls as that IAM identity. Deactivate and delete it in IAM (Users > Security credentials) or with `aws iam delete-access-key`, then check CloudTrail for its use.",
        keywords: &["AKIA", "ASIA"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>(?:AKIA|ASIA)[A-Z2-7]{16})\b",
        check: Check::Format,
    },
    Rule {
        id: "aws-secret-access-key",
        description: "AWS secret access key",
        help: "An AWS secret access key: it signs API requests as the IAM identity of its access key id. Delete the access key in IAM (`aws iam delete-access-key`), create a new one if needed, and review CloudTrail for its use.",
        keywords: &[
            "aws_secret",
            "aws-secret",
            "aws.secret",
            "awssecret",
            "secret_access_key",
            "secret-access-key",
            "secret.access.key",
            "secretaccesskey",
        ],
        case_sensitive: false,
        pattern: r#"(?-u)(?i)(?:aws_?secret_?(?:access_?)?key|secret_?access_?key)["']?\s*(?::=|=>|=|:)\s*["']?(?P<secret>[A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+]|$)"#,
        check: Check::Named(aws_secret_access_key),
    },
    Rule {
        id: "gcp-api-key",
        description: "Google API key",
        help: "A Google Cloud API key (AIza...): it bills and authorises calls to the APIs it is allowed. Delete or regenerate it in the Cloud console under APIs & Services > Credentials, and restrict the new key.",
        keywords: &["AIza"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>AIza[0-9A-Za-z_-]{35})(?:[^0-9A-Za-z_-]|$)",
        check: Check::Format,
    },
    Rule {
        id: "github-token",
        description: "GitHub token",
        help: "A GitHub token (ghp_ personal, gho_ OAuth, ghu_/ghs_ app, ghr_ refresh, github_pat_ fine-grained): it acts as the user or app that owns it. Revoke it under Settings > Developer settings (or the app's settings); GitHub's secret scanning may already have revoked a public one.",
        keywords: &["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{50,})\b",
        check: Check::Verify(checksum::github_token),
    },
    Rule {
        id: "gitlab-token",
        description: "GitLab personal access token",
        help: "A GitLab personal, project or group access token (glpat-): it calls the API and git as its owner. Revoke it under User settings > Access tokens (or the project's or group's settings).",
        keywords: &["glpat-"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>glpat-[A-Za-z0-9_-]{20,})(?:[^A-Za-z0-9_-]|$)",
        check: Check::Format,
    },
    Rule {
        id: "slack-token",
        description: "Slack token",
        help: "A Slack API token (xoxb- bot, xoxp- user, xoxa-/xoxr- app and refresh, xoxe- rotating): it reads and posts as its app or user. Revoke it with the `auth.revoke` API or by reinstalling the app under api.slack.com/apps.",
        keywords: &[
            "xoxa-", "xoxb-", "xoxp-", "xoxo-", "xoxr-", "xoxs-", "xoxe-",
        ],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>xox[abposre]-[0-9]{6,}-[0-9A-Za-z-]{10,})",
        check: Check::Format,
    },
    Rule {
        id: "stripe-key",
        description: "Stripe live secret or restricted key",
        help: "A Stripe live secret or restricted key: it moves real money on the account. Roll it in the Dashboard under Developers > API keys; rolling expires the old key.",
        keywords: &["sk_live_", "rk_live_"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>[sr]k_live_[0-9A-Za-z]{20,})\b",
        check: Check::Format,
    },
    Rule {
        id: "npm-token",
        description: "npm access token",
        help: "An npm access token (npm_): it publishes packages as its owner. Revoke it with `npm token revoke` or on npmjs.com under Access Tokens.",
        keywords: &["npm_"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>npm_[A-Za-z0-9]{36})\b",
        check: Check::Verify(checksum::npm_token),
    },
    Rule {
        id: "pypi-token",
        description: "PyPI API token",
        help: "A PyPI API token (pypi-AgE...): it uploads releases to the projects it is scoped to. Remove it on pypi.org under Account settings > API tokens.",
        keywords: &["pypi-AgE"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>pypi-AgE[A-Za-z0-9_-]{50,})",
        check: Check::Format,
    },
    Rule {
        id: "private-key",
        description: "private key block",
        help: "A private key block (RSA, EC, DSA, OpenSSH, PGP or PKCS#8): whoever holds it can impersonate the server, sign or decrypt as its owner. Replace the key pair, remove the public key from everywhere it is trusted, and re-issue certificates.",
        keywords: &["PRIVATE KEY"],
        case_sensitive: true,
        pattern: r"(?-u)-----BEGIN (?:(?:RSA|EC|DSA|OPENSSH|ENCRYPTED|PGP) )?PRIVATE KEY(?: BLOCK)?-----\r?\n(?:[A-Za-z-]+: [^\r\n]*\r?\n)*\s*(?P<secret>[A-Za-z0-9+/=\r\n]{64,})",
        check: Check::Format,
    },
    Rule {
        id: "age-secret-key",
        description: "age secret key",
        help: "An age secret key: it decrypts everything encrypted to its recipient, including sm stores. Create a new identity, re-encrypt (`sm member rm` and `sm rewrap`) and rotate what the old key could read.",
        keywords: &["AGE-SECRET-KEY-1"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})\b",
        check: Check::Format,
    },
];

/// The generic rules, tried after every provider format.
pub static GENERIC: &[Rule] = &[
    Rule {
        id: "jwt",
        description: "JSON Web Token",
        help: "A JSON Web Token: a signed bearer credential that is valid until it expires. Revoke the session or rotate the signing key that issued it if it has not expired.",
        keywords: &["eyJ"],
        case_sensitive: true,
        pattern: r"(?-u)\b(?P<secret>eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{16,})",
        check: Check::Format,
    },
    Rule {
        id: "url-password",
        description: "URL or connection string with a password",
        help: "A URL or connection string with a password in it (database, broker, proxy or HTTP basic authentication). Change the password on the server and read it from the environment or `sm exec` instead.",
        keywords: &["://"],
        case_sensitive: true,
        pattern: r#"(?-u)(?i)\b[a-z][a-z0-9+.-]+://(?P<name>[^\s:@/'"<>]*):(?P<secret>[^\s@/'"<>]+)@[a-z0-9\[\]_-]"#,
        check: Check::UrlPassword,
    },
    Rule {
        id: "secret-assignment",
        description: "high-entropy value assigned to a secret-sounding name",
        help: "A high-entropy value assigned to a name like password, secret, token or api_key. If it is a real credential, revoke it where it was issued and read it at run time (`sm exec`) instead of committing it.",
        keywords: &[
            "password",
            "passwd",
            "pwd",
            "passphrase",
            "secret",
            "token",
            "apikey",
            "api_key",
            "api-key",
            "api.key",
            "accesskey",
            "access_key",
            "access-key",
            "access.key",
            "privatekey",
            "private_key",
            "private-key",
            "private.key",
            "signingkey",
            "signing_key",
            "signing-key",
            "signing.key",
            "accountkey",
            "account_key",
            "credential",
            "creds",
            "auth",
            "bearer",
            "connstr",
            "conn_str",
            "connectionstring",
            "connection_string",
        ],
        case_sensitive: false,
        pattern: r#"(?-u)(?i)(?P<name>[a-z0-9_.-]*(?:password|passwd|pwd|secret[_.-]?key|secret|token|api[_.-]?key|access[_.-]?key|private[_.-]?key)(?:[_.-][a-z0-9_.-]*)?)["']?[ \t]*(?::=|=>|=|:)[ \t]*(?P<quote>["'`]|[a-z]?["'])?(?P<secret>[^\s"'`,;:][^\s"'`,;]{7,})"#,
        check: Check::Assignment,
    },
];
