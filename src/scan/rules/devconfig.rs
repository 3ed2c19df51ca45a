//! Credentials that are recognisable by the file or command around them
//! rather than by a token prefix: Kubernetes `Secret` manifests, `curl -u`,
//! Bundler and Sidekiq `BUNDLE_*` credentials, NuGet's
//! `ClearTextPassword`, Docker's `config.json` auths, `.npmrc` auth
//! tokens, and base64-encoded JWTs.

use super::parts::{decode_b64, documented, end_b64, plausible};
use super::{Check, Rule};

/// Values that stand for a credential rather than being one.
fn placeholder(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    const WORDS: &[&str] = &[
        "pass", "password", "passwd", "pwd", "secret", "token", "changeme", "changeit", "admin",
        "test", "user", "username", "apikey", "api_key", "none", "null",
    ];
    WORDS.contains(&lower.trim_matches(['"', '\''])) || !plausible(text)
}

/// A reference to a value kept elsewhere: shell, Make, MSBuild and
/// template variables.
fn reference(text: &str) -> bool {
    text.contains(['$', '%', '{', '<', '`'])
}

/// A `data:` value of a Kubernetes Secret: base64 of something that is
/// not a placeholder.
fn k8s_value(value: &str) -> bool {
    if documented(value) {
        return false;
    }
    decode_b64(value).is_some_and(|d| {
        d.len() >= 4 && std::str::from_utf8(&d).map_or(true, |s| !placeholder(s.trim()))
    })
}

/// A password given to curl or Bundler, not a variable or placeholder.
fn password(text: &str) -> bool {
    !reference(text) && !placeholder(text)
}

/// A NuGet `ClearTextPassword`.
fn nuget(text: &str) -> bool {
    !documented(text) && password(text)
}

/// The example token of jwt.io, published everywhere.
const JWT_IO_EXAMPLE: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

/// Base64 that decodes to a signed JWT (header and payload JSON).
fn jwt_base64(text: &str) -> bool {
    let Some(decoded) = decode_b64(text) else {
        return false;
    };
    let Ok(jwt) = std::str::from_utf8(&decoded) else {
        return false;
    };
    let jwt = jwt.trim();
    let parts: Vec<&str> = jwt.split('.').collect();
    jwt != JWT_IO_EXAMPLE
        && parts.len() == 3
        && parts[2].len() >= 16
        && parts[..2].iter().all(|p| {
            decode_b64(p)
                .and_then(|d| serde_json::from_slice::<serde_json::Value>(&d).ok())
                .is_some_and(|v| v.is_object())
        })
}

/// A Docker `auths` entry: base64 of `user:password`.
fn docker_auth(text: &str) -> bool {
    decode_b64(text)
        .and_then(|d| String::from_utf8(d).ok())
        .is_some_and(|s| {
            s.split_once(':')
                .is_some_and(|(user, pass)| !user.is_empty() && pass.len() >= 4 && password(pass))
        })
}

/// An `.npmrc` `_authToken`: generated, not a reference.
fn npm_auth(text: &str) -> bool {
    !reference(text) && plausible(text)
}

/// The start of a Secret's `data:` block and its first entry's value.
macro_rules! k8s_data {
    () => {
        r#"\ndata:[ \t]*\r?\n(?:[ \t]*(?:#[^\n]*)?\r?\n)*[ \t]+["']?[\w.-]+["']?:[ \t]*["']?(?P<secret>[A-Za-z0-9+/]{6,}={0,2})["']?[ \t]*(?:\r?\n|$)"#
    };
}

/// File- and command-bound formats.
pub static RULES: &[Rule] = &[
    Rule {
        id: "kubernetes-secret-yaml",
        description: "Kubernetes Secret manifest with data",
        help: "A Kubernetes Secret manifest with base64 data: base64 is an encoding, not encryption, so every value in it is in plain text. Rotate the values, delete the manifest from the repository (and its history), and keep Secrets out of git (Sealed Secrets, SOPS, External Secrets, or `sm`).",
        keywords: &["kind: secret", "kind: \"secret\"", "kind: 'secret'"],
        case_sensitive: false,
        pattern: concat!(
            r#"(?s-u)\bkind:[ \t]*["']?Secret["']?[ \t]*\r?(?:\n.{0,800}?)?"#,
            k8s_data!()
        ),
        check: Check::Verify(k8s_value),
    },
    Rule {
        id: "kubernetes-secret-yaml-data-first",
        description: "Kubernetes Secret manifest with data (data before kind)",
        help: "A Kubernetes Secret manifest with base64 data, as `kubectl get secret -o yaml` writes it (data before kind): every value in it is in plain text. Rotate the values, delete the manifest from the repository (and its history), and keep Secrets out of git (Sealed Secrets, SOPS, External Secrets, or `sm`).",
        keywords: &["kind: secret", "kind: \"secret\"", "kind: 'secret'"],
        case_sensitive: false,
        pattern: concat!(
            "(?s-u)",
            k8s_data!(),
            r#"(?:.{0,1500}?\n)?kind:[ \t]*["']?Secret["']?[ \t]*(?:\r?\n|$)"#
        ),
        check: Check::Verify(k8s_value),
    },
    Rule {
        id: "curl-auth-user",
        description: "Password in a curl -u / --user option",
        help: "A user name and password passed to curl with -u or --user: they authenticate to the server (HTTP basic auth) and stay in shell history and process lists. Change the password on the server and pass it with `--netrc-file`, `-u user` (prompted) or `sm exec`.",
        keywords: &["curl"],
        case_sensitive: true,
        pattern: r#"(?-u)\bcurl\b(?:\\\r?\n|[^\n]){0,300}?[ \t](?:-u[ \t]*|--user(?:=|[ \t]+))["']?[^\s:"'$]{1,64}:(?P<secret>[^\s"'<]{4,128})"#,
        check: Check::Verify(password),
    },
    Rule {
        id: "sidekiq-secret",
        description: "Sidekiq Pro/Enterprise gem server credentials",
        help: "Sidekiq Pro or Enterprise gem server credentials (BUNDLE_GEMS__CONTRIBSYS__COM or BUNDLE_ENTERPRISE__CONTRIBSYS__COM = user:password): they download the licensed gems. Ask Contributed Systems (support@contribsys.com) to rotate the credentials and set them as an environment variable, never in the Gemfile or .bundle/config in git.",
        keywords: &["contribsys"],
        case_sensitive: false,
        pattern: concat!(
            r"(?-u)(?i:bundle[_.](?:gems|enterprise)[_.]{2}contribsys[_.]{2}com)",
            super::parts::sep!(),
            r"[0-9a-f]{8}:(?P<secret>[0-9a-f]{8})\b"
        ),
        check: Check::Verify(password),
    },
    Rule {
        id: "sidekiq-sensitive-url",
        description: "Sidekiq Pro/Enterprise gem server URL with credentials",
        help: "A Sidekiq Pro or Enterprise gem source URL with its credentials (https://user:password@gems.contribsys.com): they download the licensed gems. Ask Contributed Systems to rotate the credentials and configure them with `bundle config` outside the repository.",
        keywords: &["gems.contribsys.com", "enterprise.contribsys.com"],
        case_sensitive: false,
        pattern: r"(?-u)\bhttps?://[0-9a-f]{8}:(?P<secret>[0-9a-f]{8})@(?:gems|enterprise)\.contribsys\.com",
        check: Check::Verify(password),
    },
    Rule {
        id: "bundler-credentials",
        description: "Bundler gem source credentials",
        help: "Credentials for a private gem source in a Bundler setting (BUNDLE_<HOST>=user:password, as in .bundle/config or the environment): they read, and often publish, the source's gems. Rotate the token at the gem host and set it with `bundle config set --global` or an environment variable outside the repository.",
        keywords: &["bundle_", "bundle."],
        case_sensitive: false,
        pattern: concat!(
            r"(?-u)(?i:\bbundle[_.][a-z0-9_.]*?[a-z0-9][_.]{2}[a-z0-9_.]*[a-z0-9])",
            super::parts::sep!(),
            r#"[^\s:"'$<]{1,64}:(?P<secret>[^\s"'@<]{6,128})"#
        ),
        check: Check::Verify(password),
    },
    Rule {
        id: "nuget-config-password",
        description: "NuGet.config ClearTextPassword",
        help: "A package source password kept in clear text in NuGet.config (<add key=\"ClearTextPassword\" ...>): it reads and often pushes the feed's packages. Revoke the token or password at the feed, and use `dotnet nuget update source --store-password-in-clear-text` only outside the repository, or a credential provider.",
        keywords: &["cleartextpassword"],
        case_sensitive: false,
        pattern: r#"(?-u)(?i:<add\s+key\s*=\s*["']ClearTextPassword["']\s+value\s*=\s*)["'](?P<secret>[^"']{4,256})["']"#,
        check: Check::Verify(nuget),
    },
    Rule {
        id: "docker-config-auth",
        description: "Docker config.json registry credentials",
        help: "Registry credentials in a Docker config.json (\"auths\": {...: {\"auth\": base64(user:password)}}): they pull and push the registry's images. Revoke the password or token at the registry, run `docker logout`, and use a credential helper (credsStore) instead.",
        keywords: &["\"auths\""],
        case_sensitive: true,
        pattern: r#"(?s-u)"auths"\s*:\s*\{.{0,1000}?"auth"\s*:\s*"(?P<secret>[A-Za-z0-9+/]{8,}={0,2})""#,
        check: Check::Verify(docker_auth),
    },
    Rule {
        id: "npmrc-auth-token",
        description: ".npmrc registry auth token",
        help: "A registry auth token in an .npmrc (//registry/:_authToken=...): it installs, and often publishes, the registry's packages as its user. Revoke it at the registry (`npm token revoke` for npmjs.com) and keep it in the environment (`_authToken=${NPM_TOKEN}`).",
        keywords: &[":_authtoken="],
        case_sensitive: false,
        pattern: r#"(?-u):_authToken=["']?(?P<secret>[^\s"'$<]{16,256})"#,
        check: Check::Verify(npm_auth),
    },
    Rule {
        id: "jwt-base64",
        description: "Base64-encoded JSON Web Token",
        help: "A JSON Web Token encoded once more in base64 (ZXlK...), as in Kubernetes Secrets and some config files: a bearer credential valid until it expires. Revoke the session or rotate the signing key that issued it.",
        keywords: &["ZXlK"],
        case_sensitive: true,
        pattern: concat!(
            r"(?-u)\b(?P<secret>ZXlK[A-Za-z0-9+/]{60,}={0,2})",
            end_b64!()
        ),
        check: Check::Verify(jwt_base64),
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;

    #[test]
    fn checks() {
        assert!(k8s_value("cTdSMm1MeDBWdE40a0N3OQ=="));
        assert!(!k8s_value("MWYyZDFlMmU2N2Rm"));
        assert!(!k8s_value(&STANDARD.encode("changeme")));
        assert!(password("Zq8rL2vX9mTw"));
        assert!(!password("$API_TOKEN"));
        assert!(!password("password"));
        assert!(!nuget("33f!!lloppa"));
        assert!(!nuget("%NUGET_PASSWORD%"));
        assert!(docker_auth(&STANDARD.encode("deploy:Zq8rL2vX9mTw")));
        assert!(!docker_auth(&STANDARD.encode("deploy:")));
        assert!(npm_auth("Zq8rL2vX9mTwK4cN7pYb"));
        assert!(!npm_auth("${NPM_TOKEN}"));
    }

    #[test]
    fn jwt_in_base64() {
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJxN3IyIiwiaWF0IjoxNzEwMDAwMDAwfQ.Zq8rL2vX9mTwK4cN7pYbH3jD";
        assert!(jwt_base64(&STANDARD.encode(jwt)));
        assert!(!jwt_base64(&STANDARD.encode(JWT_IO_EXAMPLE)));
        assert!(!jwt_base64(&STANDARD.encode("eyJub3QiOiJhIGp3dCJ9")));
    }
}
