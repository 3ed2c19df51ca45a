//! `sm scan` and `sm hook`: every rule found and its near miss quiet,
//! managed values in each encoding, the store check, allow-lists, staged
//! and history sources, redaction in every format, SARIF, the git hook with
//! real commits, and the real pre-commit framework.
//!
//! Test credentials are assembled at run time so this file holds none.

use std::path::{Path, PathBuf};
use std::process::Command;

use base64::Engine as _;

use crate::common::{Run, TestEnv, have, sm_bin};

/// Repeats `chunk` until `len` characters.
pub(crate) fn fill(chunk: &str, len: usize) -> String {
    chunk.chars().cycle().take(len).collect()
}

/// A token in GitHub's and npm's classic format, unique per `seed`: the
/// prefix, 30 random-looking base62 characters and their CRC32 in 6 base62
/// digits (the checksum `sm scan` verifies, so look-alikes stay quiet).
pub(crate) fn checksummed_token(prefix: &str, seed: u64) -> String {
    const DIGITS: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut state = seed
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(0x2545_F491_4F6C_DD1D);
    let random: String = (0..30)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            DIGITS[(state % 62) as usize] as char
        })
        .collect();
    let mut crc = !0u32;
    for b in random.bytes() {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                0xEDB8_8320 ^ (crc >> 1)
            } else {
                crc >> 1
            };
        }
    }
    let mut n = u64::from(!crc);
    let mut check = vec![b'0'; 6];
    for slot in check.iter_mut().rev() {
        *slot = DIGITS[(n % 62) as usize];
        n /= 62;
    }
    format!("{prefix}{random}{}", String::from_utf8(check).unwrap())
}

/// A base64 body long enough to look like a key.
fn key_body() -> String {
    let line = fill(
        "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun",
        64,
    );
    format!("{line}\n{line}\n{line}\n")
}

/// (rule, text that must be found, realistic near miss that must not).
fn rule_cases() -> Vec<(&'static str, String, String)> {
    let alnum = "Xk9mQ2vL8pZr4wT7nB3cJ6hF1dS5gY0aEuWq";
    let bech = "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L";
    let jwt_head =
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let jwt_body = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(br#"{"sub":"1234567890","name":"x"}"#);
    let mut cases = vec![
        (
            "aws-access-key-id",
            format!("aws_access_key_id = {}{}\n", "AKIA", "Z7XQ4MNB2KDL3PWA"),
            format!("aws_access_key_id = {}{}\n", "AKIA", "IOSFODNN7EXAMPLE"),
        ),
        (
            "aws-access-key-id",
            format!("key: {}{}\n", "ASIA", "QW3RT5YU7IO2PA4S"),
            format!("key: {}{}\n", "ASIA", "short"),
        ),
        (
            "aws-secret-access-key",
            format!(
                "aws_secret_access_key = {}\n",
                fill("Zx81kq0PlmVt/Qw3+Er5Ty7Ui9Op1As2Df4Gh6Jk", 40)
            ),
            format!(
                "aws_secret_access_key = {}\n",
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
            ),
        ),
        (
            "gcp-api-key",
            format!(
                "key={}{}\n",
                "AIza",
                fill("SyCm1IynpTcaiG1pQ19WEzNu-xwXTjsdAs0", 35)
            ),
            format!("key={}{}\n", "AIza", "SyA-your-key"),
        ),
        (
            "github-token",
            format!("GH={}\n", checksummed_token("ghp_", 1)),
            format!("GH={}{}\n", "ghp_", "placeholder"),
        ),
        (
            "github-token",
            format!("t: {}\n", checksummed_token("gho_", 2)),
            format!("t: {}{}\n", "gho_", fill(alnum, 20)),
        ),
        (
            "github-token",
            format!("t: {}\n", checksummed_token("ghs_", 3)),
            format!("fn ghs_{}()\n", "helper"),
        ),
        (
            "github-token",
            format!("t: {}\n", checksummed_token("ghu_", 4)),
            format!("t: {}\n", "ghu_"),
        ),
        (
            "github-token",
            format!("t: {}\n", checksummed_token("ghr_", 5)),
            format!("t: {}{}\n", "ghr_", "1234"),
        ),
        (
            "github-token",
            format!(
                "t: {}{}_{}\n",
                "github_pat_",
                fill("11AZK3QKY0u0whpfFdtOp3", 22),
                fill(alnum, 59)
            ),
            format!("t: {}{}\n", "github_pat_", "xxx"),
        ),
        (
            "gitlab-token",
            format!("GITLAB={}{}\n", "glpat-", fill("Ab3De6Gh9Jk2Mn5Pq8St", 20)),
            format!("GITLAB={}{}\n", "glpat-", "xxxx"),
        ),
        (
            "slack-token",
            format!(
                "slack: {}81968610893-7557198241195-{}\n",
                "xoxb-",
                fill(alnum, 24)
            ),
            format!("slack: {}your-token-here\n", "xoxb-"),
        ),
        (
            "stripe-key",
            format!("STRIPE={}{}\n", "sk_live_", fill(alnum, 24)),
            format!("STRIPE={}{}\n", "sk_live_", "short"),
        ),
        (
            // Test-mode keys are a rule of their own (issue 16); Stripe's
            // documentation key is not a finding.
            "stripe-test-secret-key",
            format!("STRIPE={}{}\n", "sk_test_", fill(alnum, 24)),
            format!("STRIPE={}{}\n", "sk_test_", "4eC39HqLyjWDarjtT1zdp7dc"),
        ),
        (
            "stripe-key",
            format!("STRIPE={}{}\n", "rk_live_", fill(alnum, 24)),
            format!("STRIPE={}{}\n", "rk_live_", "short"),
        ),
        (
            "npm-token",
            format!(
                "//registry.npmjs.org/:_authToken={}\n",
                checksummed_token("npm_", 7)
            ),
            format!("{}config_registry=https://registry.npmjs.org/\n", "npm_"),
        ),
        (
            "pypi-token",
            format!("password = {}{}\n", "pypi-AgEIcHlwaS5vcmc", fill(alnum, 60)),
            format!("index = {}simple\n", "pypi-"),
        ),
        (
            "age-secret-key",
            format!("{}{}\n", "AGE-SECRET-KEY-1", fill(bech, 58)),
            format!("{}{}\n", "AGE-SECRET-KEY-1", "XXXXXXXXXX"),
        ),
        (
            "jwt",
            format!(
                "Authorization: Bearer {jwt_head}.{jwt_body}.{}\n",
                fill("SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c", 43)
            ),
            format!("header = \"{jwt_head}.{jwt_body}.\"\n"),
        ),
        (
            "url-password",
            "DATABASE_URL=postgres://app:Zx81kq0PlmVt@db.internal:5432/app\n".to_string(),
            "DATABASE_URL=postgres://app:${DB_PASSWORD}@db.internal:5432/app\n".to_string(),
        ),
        (
            "url-password",
            "redis: redis://:Qm8vLx2Nc4Rt@cache:6379/0\n".to_string(),
            "docs: https://user:password@example.com/\n".to_string(),
        ),
        (
            "secret-assignment",
            "API_KEY = \"Zx81kq0PlmVtQw3E\"\n".to_string(),
            "API_KEY = os.environ[\"API_KEY\"]\n".to_string(),
        ),
        (
            "secret-assignment",
            "database:\n  password: Qm8vLx2Nc4RtW7\n".to_string(),
            "database:\n  password: changeme\n".to_string(),
        ),
        (
            "secret-assignment",
            "{\"clientSecret\": \"Tz5Kw9Qm2Lp7Xv3R\"}\n".to_string(),
            "{\"clientSecret\": \"${CLIENT_SECRET}\"}\n".to_string(),
        ),
        (
            "secret-assignment",
            "[db]\npassword = \"Hn4Gt8Wq1Zm6Xc\"\n".to_string(),
            "[db]\npassword = \"{{ password }}\"\n".to_string(),
        ),
        (
            "secret-assignment",
            "SESSION_SECRET=Pv7Rb2Yn9Kd4Ws\n".to_string(),
            "SESSION_SECRET=$SESSION_SECRET_FROM_VAULT\n".to_string(),
        ),
        (
            "secret-assignment",
            "db.password=Lf3Hj8Nq5Tz1Vb\n".to_string(),
            "db.password=<your-password>\n".to_string(),
        ),
        (
            "secret-assignment",
            "let token = \"Cy6Ue1Io4Pa9Sd\";\n".to_string(),
            "let token = std::env::var(\"TOKEN\")?;\n".to_string(),
        ),
        (
            "secret-assignment",
            "Server=db;User Id=app;Password=Wx7Ed2Rc5Tv8Yb;\n".to_string(),
            "tokenizer = \"bert-base-uncased-v2\"\n".to_string(),
        ),
        (
            "secret-assignment",
            "client_secret: Hq2Wm7Zk4Rt9Lp\n".to_string(),
            "struct Keys { private_key: RsaPrivateKey, token: &Self::Token }\n".to_string(),
        ),
    ];
    for kind in ["RSA ", "EC ", "DSA ", "OPENSSH ", "ENCRYPTED ", ""] {
        cases.push((
            "private-key",
            format!(
                "-----BEGIN {kind}PRIVATE KEY-----\n{}-----END {kind}PRIVATE KEY-----\n",
                key_body()
            ),
            format!("const HEADER: &str = \"-----BEGIN {kind}PRIVATE KEY-----\";\n"),
        ));
    }
    cases.push((
        "private-key",
        format!(
            "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,3F17F5316E2BAC89\n\n{}-----END RSA PRIVATE KEY-----\n",
            key_body()
        ),
        format!("-----BEGIN PUBLIC KEY-----\n{}-----END PUBLIC KEY-----\n", key_body()),
    ));
    cases.push((
        "private-key",
        format!(
            "-----BEGIN PGP PRIVATE KEY BLOCK-----\nVersion: GnuPG v2\n\n{}-----END PGP PRIVATE KEY BLOCK-----\n",
            key_body()
        ),
        format!("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n{}-----END PGP PUBLIC KEY BLOCK-----\n", key_body()),
    ));
    cases
}

/// Runs sm in `dir` with the sealed environment and `SM_STORE` set.
pub(crate) fn sm_at(env: &TestEnv, dir: &Path, args: &[&str]) -> Run {
    Run(env
        .cmd()
        .current_dir(dir)
        .env("SM_STORE", &env.store)
        .args(args)
        .output()
        .unwrap())
}

/// A sealed process (same variables as `env.cmd()`) for git and friends.
pub(crate) fn sealed(env: &TestEnv, program: &str, dir: &Path) -> Command {
    let mut cmd = Command::new(program);
    let path = format!(
        "{}:{}",
        sm_bin().parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    cmd.env_clear()
        .env("PATH", path)
        .env("HOME", &env.home)
        .env("XDG_CONFIG_HOME", env.home.join(".config"))
        .env("XDG_DATA_HOME", env.home.join(".local/share"))
        .env("XDG_CACHE_HOME", env.home.join(".cache"))
        .env("SM_NO_KEYRING", "1")
        .env("SM_IDENTITY_FILE", &env.identity)
        .env("SM_STORE", &env.store)
        .env("USER", "alice")
        .env("LC_ALL", "C")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Alice")
        .env("GIT_AUTHOR_EMAIL", "alice@example.com")
        .env("GIT_COMMITTER_NAME", "Alice")
        .env("GIT_COMMITTER_EMAIL", "alice@example.com")
        .current_dir(dir);
    cmd
}

pub(crate) fn git(env: &TestEnv, dir: &Path, args: &[&str]) -> Run {
    Run(sealed(env, "git", dir).args(args).output().unwrap())
}

/// A fresh git repository under the test folder.
pub(crate) fn repo(env: &TestEnv, name: &str) -> PathBuf {
    let dir = env.path().join(name);
    std::fs::create_dir_all(&dir).unwrap();
    git(env, &dir, &["init", "-q", "-b", "main"]).success();
    dir
}

pub(crate) fn write(dir: &Path, rel: &str, text: impl AsRef<[u8]>) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// The findings of a JSON report as (path, rule) pairs.
pub(crate) fn findings(run: &Run) -> Vec<(String, String)> {
    run.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn scan_every_rule_is_found_and_its_near_miss_is_quiet() {
    let env = TestEnv::new();
    let dir = env.path().join("tree");
    let cases = rule_cases();
    for (i, (_, found, miss)) in cases.iter().enumerate() {
        write(&dir, &format!("found/{i}.txt"), found);
        write(&dir, &format!("miss/{i}.txt"), miss);
    }
    let run = sm_at(&env, &dir, &["scan", "--no-store", "--format", "json"]);
    assert_eq!(run.code(), 1, "{}", run.stderr());
    let got = findings(&run);
    for (i, (rule, found, miss)) in cases.iter().enumerate() {
        let at_found: Vec<&String> = got
            .iter()
            .filter(|(p, _)| *p == format!("found/{i}.txt"))
            .map(|(_, r)| r)
            .collect();
        assert_eq!(at_found, vec![rule], "case {i} ({rule}) in {found:?}");
        let at_miss: Vec<&String> = got
            .iter()
            .filter(|(p, _)| *p == format!("miss/{i}.txt"))
            .map(|(_, r)| r)
            .collect();
        assert!(
            at_miss.is_empty(),
            "near miss {i} ({rule}) flagged {at_miss:?} in {miss:?}"
        );
    }
}

#[test]
fn scan_is_quiet_on_hashes_ids_examples_placeholders_and_env_reads() {
    let env = TestEnv::new();
    let dir = env.path().join("tree");
    write(
        &dir,
        "Cargo.lock",
        "[[package]]\nname = \"aho-corasick\"\nversion = \"1.1.3\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"8e60d3430d3a69478ad0993f19238d2df97c507009a52b3c10addcd7f6bcb916\"\n",
    );
    write(
        &dir,
        "package-lock.json",
        "{\"packages\": {\"node_modules/x\": {\"resolved\": \"https://registry.npmjs.org/x/-/x-1.0.0.tgz\", \"integrity\": \"sha512-Zx81kq0PlmVtQw3Er5Ty7Ui9Op1As2Df4Gh6Jk+Lz8Xc5Vb7Nm==\", \"token\": \"sha512-Qm8vLx2Nc4RtW7Zx81kq0PlmVtQw3Er5Ty7Ui9==\"}}}\n",
    );
    write(
        &dir,
        "ids.yaml",
        "commit_token: 3f786850e387550fdab836ed7e6dc881de23001b\nsession_token_id: 123e4567-e89b-12d3-a456-426614174000\ntoken_sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\n",
    );
    write(
        &dir,
        "examples.md",
        format!(
            "AWS docs: {}{} / wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\npassword: changeme\npassword: ${{DB_PASSWORD}}\ntoken = process.env.API_TOKEN\nsecret = get_secret()\npassword = self.password\n",
            "AKIA", "IOSFODNN7EXAMPLE"
        ),
    );
    sm_at(&env, &dir, &["scan", "--no-store"]).success();
}

/// A managed value and files holding it in each encoding.
#[test]
fn scan_finds_managed_values_in_every_encoding() {
    let env = TestEnv::new();
    let value = "p@ss w0rd/Value+42???~~~";
    env.put("prod/db", value.as_bytes());
    env.put("prod/api", br#"{"user":"app","password":"Fj3Kl8Mn2Op5Qr"}"#);
    env.put("prod/pin", b"1234");
    let b64 = base64::engine::general_purpose::STANDARD.encode(value);
    let b64url = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(value);
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("admin:{value}"));
    let hex_upper = hex::encode_upper(value);
    let url: String = value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let dir = env.path().join("tree");
    write(&dir, "plain.txt", format!("x {value} y\n"));
    write(&dir, "b64.txt", format!("data: {b64}\n"));
    write(&dir, "b64url.txt", format!("data: {b64url}\n"));
    write(&dir, "basic.txt", format!("Authorization: Basic {basic}\n"));
    write(&dir, "hex.txt", format!("blob {} {hex_upper}\n", "x"));
    write(&dir, "url.txt", format!("https://h/?p={url}\n"));
    write(&dir, "field.txt", "conn pw Fj3Kl8Mn2Op5Qr\n");
    write(&dir, "pin.txt", "pin 1234 is too short to match\n");
    let run = sm_at(&env, &dir, &["scan", "--format", "json", "--verbose"]);
    assert_eq!(run.code(), 1, "{}", run.stderr());
    let got = findings(&run);
    for (path, rule) in [
        ("plain.txt", "managed-secret"),
        ("b64.txt", "managed-secret-base64"),
        ("b64url.txt", "managed-secret-base64url"),
        ("basic.txt", "managed-secret-base64"),
        ("hex.txt", "managed-secret-hex"),
        ("url.txt", "managed-secret-url"),
        ("field.txt", "managed-secret"),
    ] {
        assert!(
            got.contains(&(path.to_string(), rule.to_string())),
            "{path}: {rule} missing from {got:?}"
        );
    }
    assert!(!got.iter().any(|(p, _)| p == "pin.txt"), "{got:?}");
    let json = run.json();
    let field = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "field.txt")
        .unwrap()
        .clone();
    assert_eq!(field["secret"], "prod/api#password");
    let err = run.stderr();
    assert!(
        err.contains("prod/pin") && err.contains("shorter than 8 bytes"),
        "{err}"
    );
    assert!(!run.stdout().contains(value) && !err.contains(value));

    // Previous versions still carry a label and are still matched.
    env.put("prod/db", b"a-brand-new-value-99");
    let run = sm_at(&env, &dir, &["scan", "--format", "json"]);
    assert!(findings(&run).contains(&("plain.txt".to_string(), "managed-secret".to_string())));

    // Without an identity only patterns are checked, and sm says so once.
    let run = Run(env
        .cmd()
        .current_dir(&dir)
        .env("SM_STORE", &env.store)
        .env("SM_IDENTITY_FILE", env.path().join("missing.txt"))
        .args(["scan"])
        .output()
        .unwrap());
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert_eq!(
        run.stderr().matches("only credential patterns").count(),
        1,
        "{}",
        run.stderr()
    );
}

#[test]
fn scan_flags_plaintext_dropped_into_the_store() {
    let env = TestEnv::new();
    env.put("app/token", b"Vb7Nm2Qw9Er4Ty");
    env.put("app/token", b"Zx5Cv8Bn1Mq3Wp");
    // A store of sm's own files is clean (scanned from its root).
    env.sm(&["scan"]).success();
    write(&env.store, "secrets/app/notes.txt", "remember to rotate\n");
    write(
        &env.store,
        "secrets/app/token.secret/versions/dump.age",
        "not encrypted\n",
    );
    write(&env.store, ".sm/backup.txt", "hello\n");
    let run = env.sm(&["scan", "--format", "json"]);
    assert_eq!(run.code(), 1);
    let got = findings(&run);
    for p in [
        "secrets/app/notes.txt",
        "secrets/app/token.secret/versions/dump.age",
        ".sm/backup.txt",
    ] {
        assert!(
            got.contains(&(p.to_string(), "store-plaintext".to_string())),
            "{p} missing from {got:?}"
        );
    }
    assert_eq!(got.len(), 3, "{got:?}");
    // Also when scanning from inside the store's folders.
    let inner = sm_at(
        &env,
        &env.store.join("secrets/app"),
        &["scan", "--format", "json"],
    );
    assert_eq!(
        findings(&inner),
        vec![
            ("notes.txt".to_string(), "store-plaintext".to_string()),
            (
                "token.secret/versions/dump.age".to_string(),
                "store-plaintext".to_string()
            ),
        ]
    );
}

#[test]
fn scan_respects_gitignore_smignore_and_sm_allow() {
    let env = TestEnv::new();
    let dir = repo(&env, "proj");
    let token = checksummed_token("ghp_", 8);
    write(&dir, ".gitignore", "ignored.txt\n");
    write(&dir, "ignored.txt", &token);
    write(&dir, ".smignore", "fixtures/\n");
    write(&dir, "fixtures/token.txt", &token);
    write(
        &dir,
        "allowed.py",
        format!("TOKEN = \"{token}\"  # sm:allow test fixture\n"),
    );
    write(&dir, "src/.env", format!("TOKEN={token}\n"));
    let run = sm_at(&env, &dir, &["scan", "--format", "json"]);
    assert_eq!(run.code(), 1);
    assert_eq!(
        findings(&run),
        vec![("src/.env".to_string(), "github-token".to_string())]
    );
    std::fs::remove_file(dir.join("src/.env")).unwrap();
    sm_at(&env, &dir, &["scan"]).success();
}

#[test]
fn scan_baseline_reports_only_new_findings() {
    let env = TestEnv::new();
    let dir = env.path().join("old");
    write(&dir, "a.env", "API_TOKEN=Zx81kq0PlmVtQw3E\n");
    let run = sm_at(&env, &dir, &["scan", "--format", "json"]);
    assert_eq!(run.code(), 1);
    let baseline = env.path().join("baseline.json");
    std::fs::write(&baseline, &run.0.stdout).unwrap();
    let b = baseline.to_str().unwrap();
    // The same finding, moved down a line, is still known.
    write(&dir, "a.env", "# config\nAPI_TOKEN=Zx81kq0PlmVtQw3E\n");
    sm_at(&env, &dir, &["scan", "--baseline", b]).success();
    write(&dir, "b.env", "DB_PASSWORD=Qm8vLx2Nc4RtW7\n");
    let run = sm_at(&env, &dir, &["scan", "--baseline", b, "--format", "json"]);
    assert_eq!(run.code(), 1);
    assert_eq!(
        findings(&run),
        vec![("b.env".to_string(), "secret-assignment".to_string())]
    );
    assert_eq!(run.json()["baselined"], 1);
    std::fs::write(&baseline, "not json").unwrap();
    sm_at(&env, &dir, &["scan", "--baseline", b]).fails(2);
}

#[test]
fn scan_staged_reads_the_index_not_the_working_tree() {
    let env = TestEnv::new();
    let dir = repo(&env, "proj");
    let secret = "DB_PASSWORD=Qm8vLx2Nc4RtW7\n";
    // Staged clean, working tree dirty: the commit would be clean.
    write(&dir, "config.env", "DB_PASSWORD=${DB_PASSWORD}\n");
    git(&env, &dir, &["add", "config.env"]).success();
    write(&dir, "config.env", secret);
    sm_at(&env, &dir, &["scan", "--staged"]).success();
    sm_at(&env, &dir, &["scan"]).fails(1);
    // Staged dirty, working tree clean: the commit would leak.
    git(&env, &dir, &["add", "config.env"]).success();
    write(&dir, "config.env", "DB_PASSWORD=${DB_PASSWORD}\n");
    let run = sm_at(&env, &dir, &["scan", "--staged"]).fails(1);
    assert!(
        run.stdout()
            .starts_with("config.env:1:13: secret-assignment: Qm8****"),
        "{}",
        run.stdout()
    );
    sm_at(&env, &dir, &["scan"]).success();
    // Usage errors exit 2.
    sm_at(&env, &dir, &["scan", "--staged", "config.env"]).fails(2);
    sm_at(&env, env.path(), &["scan", "--staged"]).fails(2);
    sm_at(&env, &dir, &["scan", "missing-path"]).fails(2);
    sm_at(&env, &dir, &["scan", "--history=--output=x"]).fails(2);
    sm_at(&env, &dir, &["scan", "--format", "xml"]).fails(2);
}

/// A repository with one commit and `sub/dir/config.env` staged with a
/// secret while its working-tree copy is clean.
fn repo_with_staged_secret(env: &TestEnv, name: &str) -> PathBuf {
    let dir = repo(env, name);
    write(&dir, "README.md", "hello\n");
    git(env, &dir, &["add", "README.md"]).success();
    git(env, &dir, &["commit", "-q", "-m", "base"]).success();
    write(&dir, "sub/dir/config.env", "DB_PASSWORD=Qm8vLx2Nc4RtW7\n");
    git(env, &dir, &["add", "sub/dir/config.env"]).success();
    write(&dir, "sub/dir/config.env", "DB_PASSWORD=${DB_PASSWORD}\n");
    dir
}

#[test]
fn scan_staged_reads_loose_and_packed_blobs_alike() {
    let env = TestEnv::new();
    let dir = repo_with_staged_secret(&env, "proj");
    let id = git(&env, &dir, &["rev-parse", ":sub/dir/config.env"])
        .success()
        .stdout()
        .trim()
        .to_string();
    let object = dir.join(".git/objects").join(&id[..2]).join(&id[2..]);
    let expect = |run: &Run| {
        assert_eq!(
            findings(run),
            [(
                "sub/dir/config.env".to_string(),
                "secret-assignment".to_string()
            )]
        );
    };
    // `git add` left the blob loose: read without `git cat-file` (a git
    // on PATH that logs what it is asked shows only the listing).
    assert!(object.is_file(), "{}", object.display());
    let real = String::from_utf8(
        Command::new("sh")
            .args(["-c", "command -v git"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let bin = env.path().join("logging-git");
    let log = env.path().join("git-calls.log");
    std::fs::create_dir_all(&bin).unwrap();
    let wrapper = bin.join("git");
    std::fs::write(
        &wrapper,
        format!(
            "#!/bin/sh\necho \"$*\" >> '{}'\nexec '{}' \"$@\"\n",
            log.display(),
            real.trim()
        ),
    )
    .unwrap();
    std::fs::set_permissions(
        &wrapper,
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let run = Run(env
        .cmd()
        .current_dir(&dir)
        .env("SM_STORE", &env.store)
        .env("PATH", path)
        .args(["scan", "--staged", "--format", "json"])
        .output()
        .unwrap())
    .fails(1);
    expect(&run);
    let calls = std::fs::read_to_string(&log).unwrap();
    assert!(calls.contains("diff-index"), "{calls}");
    assert!(!calls.contains("cat-file"), "{calls}");
    // Packed (as after `git gc`): read through git.
    git(&env, &dir, &["gc", "-q", "--prune=now"]).success();
    assert!(!object.exists(), "the blob is packed now");
    expect(&sm_at(&env, &dir, &["scan", "--staged", "--format", "json"]).fails(1));
}

#[test]
fn scan_staged_from_a_subfolder_reports_paths_from_the_root() {
    let env = TestEnv::new();
    let dir = repo_with_staged_secret(&env, "proj");
    let sub = dir.join("sub/dir");
    let run = sm_at(&env, &sub, &["scan", "--staged", "--format", "json"]).fails(1);
    assert_eq!(
        findings(&run),
        [(
            "sub/dir/config.env".to_string(),
            "secret-assignment".to_string()
        )]
    );
    assert_eq!(run.json()["scanned"], 1);
    // The working tree is clean there: only the index holds the secret.
    sm_at(&env, &sub, &["scan"]).success();
}

#[test]
fn scan_staged_in_a_linked_worktree_reads_that_worktrees_index() {
    let env = TestEnv::new();
    let dir = repo_with_staged_secret(&env, "proj");
    let linked = env.path().join("linked");
    git(
        &env,
        &dir,
        &[
            "worktree",
            "add",
            "-q",
            "-b",
            "side",
            linked.to_str().unwrap(),
        ],
    )
    .success();
    // The linked worktree's index is its own: nothing staged there yet.
    sm_at(&env, &linked, &["scan", "--staged"]).success();
    write(&linked, "deep/app.env", "API_TOKEN=Xk9mQ2vL8pZr4w\n");
    git(&env, &linked, &["add", "deep/app.env"]).success();
    let run = sm_at(
        &env,
        &linked.join("deep"),
        &["scan", "--staged", "--format", "json"],
    )
    .fails(1);
    assert_eq!(
        findings(&run),
        [("deep/app.env".to_string(), "secret-assignment".to_string())]
    );
    // The main worktree still sees only its own staged file.
    let run = sm_at(&env, &dir, &["scan", "--staged", "--format", "json"]).fails(1);
    assert_eq!(
        findings(&run),
        [(
            "sub/dir/config.env".to_string(),
            "secret-assignment".to_string()
        )]
    );
}

#[test]
fn scan_staged_follows_git_dir_and_git_work_tree() {
    let env = TestEnv::new();
    let dir = repo_with_staged_secret(&env, "proj");
    // Run from outside the repository: only the variables lead to it.
    let run = Run(env
        .cmd()
        .current_dir(env.path())
        .env("SM_STORE", &env.store)
        .env("GIT_DIR", dir.join(".git"))
        .env("GIT_WORK_TREE", &dir)
        .args(["scan", "--staged", "--format", "json"])
        .output()
        .unwrap())
    .fails(1);
    assert_eq!(
        findings(&run),
        [(
            "sub/dir/config.env".to_string(),
            "secret-assignment".to_string()
        )]
    );
    // GIT_DIR alone, from inside the work tree, works as git does.
    let run = Run(env
        .cmd()
        .current_dir(&dir)
        .env("SM_STORE", &env.store)
        .env("GIT_DIR", dir.join(".git"))
        .args(["scan", "--staged", "--format", "json"])
        .output()
        .unwrap())
    .fails(1);
    assert_eq!(findings(&run).len(), 1);
}

#[test]
fn scan_history_names_the_commit_that_added_a_secret() {
    let env = TestEnv::new();
    let dir = repo(&env, "proj");
    write(&dir, "README", "hello\n");
    git(&env, &dir, &["add", "."]).success();
    git(&env, &dir, &["commit", "-qm", "first"]).success();
    write(&dir, "README", "hello\nmore\n");
    write(
        &dir,
        "app.toml",
        "[db]\nname = \"app\"\npassword = \"Hn4Gt8Wq1Zm6Xc\"\n",
    );
    git(&env, &dir, &["add", "."]).success();
    git(&env, &dir, &["commit", "-qm", "leak"]).success();
    let leak = git(&env, &dir, &["rev-parse", "HEAD"])
        .success()
        .stdout()
        .trim()
        .to_string();
    write(&dir, "app.toml", "[db]\nname = \"app\"\n");
    git(&env, &dir, &["commit", "-qam", "remove"]).success();
    sm_at(&env, &dir, &["scan"]).success();
    let run = sm_at(&env, &dir, &["scan", "--history", "--format", "json"]);
    assert_eq!(run.code(), 1, "{}", run.stderr());
    let json = run.json();
    let list = json["findings"].as_array().unwrap();
    assert_eq!(list.len(), 1, "{json}");
    assert_eq!(list[0]["commit"], leak.as_str());
    assert_eq!(list[0]["path"], "app.toml");
    assert_eq!(list[0]["line"], 3);
    let text = sm_at(&env, &dir, &["scan", "--history"]).fails(1);
    assert!(
        text.stdout().starts_with(&format!(
            "{}:app.toml:3:13: secret-assignment:",
            &leak[..12]
        )),
        "{}",
        text.stdout()
    );
    // A range that excludes the leak is clean.
    sm_at(&env, &dir, &["scan", "--history", "HEAD~1..HEAD"]).success();
}

#[test]
fn scan_redacts_values_in_every_format_and_writes_valid_sarif() {
    let env = TestEnv::new();
    // Its first 5 characters must appear nowhere in the output, every
    // rule's help text included: not an English word's start.
    let managed = "Mqz7v-Secret-Value-77";
    env.put("svc/key", managed.as_bytes());
    let token = format!("{}{}", "glpat-", "Ab3De6Gh9Jk2Mn5Pq8St");
    let dir = env.path().join("tree");
    write(
        &dir,
        "dir with space/app.yaml",
        format!("gitlab: {token}\nother: {managed}\n"),
    );
    let mut outputs = Vec::new();
    for format in ["text", "json", "sarif"] {
        let run = sm_at(&env, &dir, &["scan", "--format", format]);
        assert_eq!(run.code(), 1, "{format}: {}", run.stderr());
        for secret in [token.as_str(), managed, &token[..8], &managed[..5]] {
            assert!(
                !run.stdout().contains(secret),
                "{format} shows {secret:?}: {}",
                run.stdout()
            );
            assert!(!run.stderr().contains(secret), "{format} shows {secret:?}");
        }
        outputs.push(run);
    }
    assert!(
        outputs[0].stdout().contains("glpa****"),
        "{}",
        outputs[0].stdout()
    );
    assert!(
        outputs[0].stdout().contains("Mqz7****"),
        "{}",
        outputs[0].stdout()
    );
    for f in outputs[1].json()["findings"].as_array().unwrap() {
        let preview = f["preview"].as_str().unwrap();
        assert!(
            preview.trim_end_matches('*').chars().count() <= 4,
            "{preview}"
        );
    }
    // SARIF 2.1.0: the fields code-scanning dashboards require.
    let sarif = outputs[2].json();
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "sm");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    for r in results {
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], r["ruleId"]);
        assert!(r["message"]["text"].as_str().is_some());
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(
            loc["artifactLocation"]["uri"],
            "dir%20with%20space/app.yaml"
        );
        assert!(loc["region"]["startLine"].as_u64().unwrap() >= 1);
        assert!(loc["region"]["startColumn"].as_u64().unwrap() >= 1);
    }
    // Every rule carries what code-scanning UIs show: a stable id, a short
    // description, a help text (what the credential is, how to revoke it)
    // in text and markdown, and the security tags.
    let mut ids = std::collections::HashSet::new();
    for rule in rules {
        let id = rule["id"].as_str().unwrap();
        assert!(ids.insert(id.to_string()), "rule {id} listed twice");
        assert!(
            !rule["shortDescription"]["text"]
                .as_str()
                .unwrap()
                .is_empty()
        );
        let help = rule["help"]["text"].as_str().unwrap();
        assert!(help.len() > 40, "{id}: {help}");
        assert_eq!(rule["help"]["markdown"].as_str(), Some(help), "{id}");
        assert_eq!(rule["fullDescription"]["text"].as_str(), Some(help), "{id}");
        assert_eq!(
            rule["properties"]["tags"],
            serde_json::json!(["security", "secret"])
        );
    }
    for id in ["managed-secret", "gitlab-token", "store-plaintext"] {
        assert!(ids.contains(id), "{id} missing from the rules");
    }
    let file = env.path().join("out.sarif");
    std::fs::write(&file, &outputs[2].0.stdout).unwrap();
    validate_sarif_schema(&file);
    // And a SARIF object model accepts it, where installed.
    let python_ok = Command::new("python3")
        .args(["-c", "import sarif_pydantic"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !python_ok {
        eprintln!("SKIPPED SARIF model check: python3 module sarif_pydantic is not installed");
        assert!(std::env::var_os("SM_REQUIRE_ALL_TOOLS").is_none());
        return;
    }
    let check = Command::new("python3")
        .args([
            "-c",
            "import json,sys,sarif_pydantic; s=sarif_pydantic.Sarif.model_validate(json.load(open(sys.argv[1]))); assert s.version == '2.1.0' and len(s.runs[0].results) == 2",
            file.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}

/// Validates a SARIF file against the official SARIF 2.1.0 JSON schema
/// (vendored in tests/fixtures/sarif/) with python3's `jsonschema`, where
/// installed.
pub(crate) fn validate_sarif_schema(file: &Path) {
    let have_jsonschema = Command::new("python3")
        .args(["-c", "import jsonschema"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !have_jsonschema {
        eprintln!("SKIPPED SARIF schema check: python3 module jsonschema is not installed");
        assert!(std::env::var_os("SM_REQUIRE_ALL_TOOLS").is_none());
        return;
    }
    let schema =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sarif/sarif-schema-2.1.0.json");
    let check = Command::new("python3")
        .args([
            "-c",
            "import json,sys,jsonschema; jsonschema.Draft4Validator(json.load(open(sys.argv[1]))).validate(json.load(open(sys.argv[2])))",
            schema.to_str().unwrap(),
            file.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "the SARIF log does not validate: {}",
        String::from_utf8_lossy(&check.stderr)
    );
}

#[test]
fn hook_blocks_a_real_commit_and_lets_a_clean_one_pass() {
    let env = TestEnv::new();
    env.put("prod/db", b"Qm8vLx2Nc4RtW7-managed");
    let dir = repo(&env, "proj");
    let install = Run(sealed(&env, sm_bin().to_str().unwrap(), &dir)
        .args(["hook", "install"])
        .output()
        .unwrap())
    .success();
    assert!(install.stderr().contains("installed the pre-commit hook"));
    let hook = dir.join(".git/hooks/pre-commit");
    assert!(
        std::fs::read_to_string(&hook)
            .unwrap()
            .contains("scan --staged")
    );

    write(&dir, "ok.txt", "nothing to see\n");
    git(&env, &dir, &["add", "ok.txt"]).success();
    git(&env, &dir, &["commit", "-qm", "clean"]).success();

    write(
        &dir,
        "leak.txt",
        "the db password is Qm8vLx2Nc4RtW7-managed\n",
    );
    git(&env, &dir, &["add", "leak.txt"]).success();
    let blocked = git(&env, &dir, &["commit", "-qm", "leak"]);
    assert_ne!(blocked.code(), 0, "the commit went through");
    // git sends a hook's output to stderr.
    let said = format!("{}{}", blocked.stdout(), blocked.stderr());
    assert!(
        said.contains("leak.txt:1:20: managed-secret: Qm8v****"),
        "{said}"
    );
    assert_eq!(
        git(&env, &dir, &["rev-list", "--count", "HEAD"])
            .stdout()
            .trim(),
        "1"
    );

    // Installing again updates; uninstall removes only sm's hook.
    let sm = |args: &[&str]| {
        Run(sealed(&env, sm_bin().to_str().unwrap(), &dir)
            .args(args)
            .output()
            .unwrap())
    };
    sm(&["hook", "install"]).success().stderr_has("updated");
    sm(&["hook", "uninstall"]).success().stderr_has("removed");
    assert!(!hook.exists());
    git(&env, &dir, &["commit", "-qm", "now unguarded"]).success();

    std::fs::write(&hook, "#!/bin/sh\necho theirs\n").unwrap();
    sm(&["hook", "install"])
        .fails(6)
        .stderr_has("not sm's hook");
    sm(&["hook", "uninstall"]).fails(6);
    assert_eq!(
        std::fs::read_to_string(&hook).unwrap(),
        "#!/bin/sh\necho theirs\n"
    );
    sm(&["hook", "install", "--force"]).success();
    assert!(is_sm_hook(&hook));
    assert_eq!(
        std::fs::read_to_string(dir.join(".git/hooks/pre-commit.sm-backup")).unwrap(),
        "#!/bin/sh\necho theirs\n"
    );
}

/// Tells whether a hook file is sm's (reads its marker line).
pub fn is_sm_hook(path: &Path) -> bool {
    std::fs::read_to_string(path).is_ok_and(|t| t.contains("installed by `sm hook install`"))
}

#[test]
fn pre_commit_framework_runs_the_sm_scan_hook() {
    if !have("pre-commit", "pre_commit_framework_runs_the_sm_scan_hook") {
        return;
    }
    let env = TestEnv::new();
    // A local clone source holding this project's .pre-commit-hooks.yaml.
    let hooks = repo(&env, "hooks-repo");
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml");
    std::fs::copy(&manifest, hooks.join(".pre-commit-hooks.yaml")).unwrap();
    git(&env, &hooks, &["add", "."]).success();
    git(&env, &hooks, &["commit", "-qm", "hooks"]).success();
    let rev = git(&env, &hooks, &["rev-parse", "HEAD"])
        .success()
        .stdout()
        .trim()
        .to_string();

    let dir = repo(&env, "proj");
    write(
        &dir,
        ".pre-commit-config.yaml",
        format!(
            "repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: sm-scan\n",
            hooks.display()
        ),
    );
    write(&dir, "clean.txt", "hello\n");
    git(&env, &dir, &["add", "."]).success();
    let pre_commit = |dir: &Path| {
        Run(sealed(&env, "pre-commit", dir)
            .env("PRE_COMMIT_HOME", env.path().join("pre-commit-cache"))
            .args(["run"])
            .output()
            .unwrap())
    };
    let clean = pre_commit(&dir);
    assert_eq!(clean.code(), 0, "{}{}", clean.stdout(), clean.stderr());
    assert!(clean.stdout().contains("sm scan"), "{}", clean.stdout());

    write(
        &dir,
        "leak.env",
        format!("TOKEN={}\n", checksummed_token("ghp_", 9)),
    );
    git(&env, &dir, &["add", "leak.env"]).success();
    let blocked = pre_commit(&dir);
    assert_eq!(
        blocked.code(),
        1,
        "{}{}",
        blocked.stdout(),
        blocked.stderr()
    );
    assert!(
        blocked
            .stdout()
            .contains("leak.env:1:7: github-token: ghp_****"),
        "{}",
        blocked.stdout()
    );
}

/// Issue 14's blocker: in a repository that holds the store, `sm init`,
/// `sm hook install`, `sm import app.env --prefix prod/app` and reads, then
/// `git add .sm secrets && git commit` went through only with 14 findings in
/// the log, whose lines name secrets (`"secret":"prod/app/STRIPE_KEY"`).
/// sm's own files in their own format are never findings; a value dropped
/// into the log, or a foreign file in `.sm/`, still is.
#[test]
fn the_store_itself_commits_through_the_pre_commit_hook() {
    let env = TestEnv::new();
    let dir = repo(&env, "team");
    let sm = |args: &[&str], stdin: Option<&str>| {
        let mut cmd = sealed(&env, sm_bin().to_str().unwrap(), &dir);
        cmd.env_remove("SM_STORE").args(args);
        if stdin.is_some() {
            cmd.stdin(std::process::Stdio::piped());
        }
        let mut child = cmd
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        if let Some(text) = stdin {
            use std::io::Write as _;
            child
                .stdin
                .take()
                .unwrap()
                .write_all(text.as_bytes())
                .unwrap();
        }
        Run(child.wait_with_output().unwrap())
    };
    // The hook runs where the store is found from the repository, as for a
    // user without SM_STORE.
    let git = |_: &TestEnv, dir: &Path, args: &[&str]| {
        Run(sealed(&env, "git", dir)
            .env_remove("SM_STORE")
            .args(args)
            .output()
            .unwrap())
    };
    sm(&["init", "--name", "alice"], None).success();
    sm(&["hook", "install"], None).success();
    write(
        &dir,
        "app.env",
        "STRIPE_KEY=sk_live_4eC39HqLyjWDarjtT1zdp7dc\n\
         DB_PASSWORD=Xk9mP2vL8qR4tZ7wQ3\n\
         SECRET_TOKEN=ghp_R2dQx9LmT4vB7nK1pZ8wY3cF6hJ0sA5eU2iO\n",
    );
    sm(&["import", "app.env", "--prefix", "prod/app"], None).success();
    std::fs::remove_file(dir.join("app.env")).unwrap();
    for name in ["STRIPE_KEY", "DB_PASSWORD", "SECRET_TOKEN"] {
        sm(&["get", &format!("prod/app/{name}")], None).success();
    }
    git(&env, &dir, &["add", ".sm", "secrets"]).success();
    let commit = git(&env, &dir, &["commit", "-qm", "add secrets"]);
    assert_eq!(
        commit.code(),
        0,
        "the hook refused sm's own files: {}{}",
        commit.stdout(),
        commit.stderr()
    );
    // Later commits that touch the log pass too.
    sm(&["get", "prod/app/STRIPE_KEY"], None).success();
    git(&env, &dir, &["add", ".sm"]).success();
    git(&env, &dir, &["commit", "-qm", "more reads"]).success();

    // A value pasted into the log is no longer sm's format: blocked.
    let log = crate::common::log_files_in(&dir, "alice")
        .into_iter()
        .next()
        .expect("alice's device log");
    let mut text = std::fs::read_to_string(&log).unwrap();
    text.push_str("DB_PASSWORD=Xk9mP2vL8qR4tZ7wQ3\n");
    std::fs::write(&log, text).unwrap();
    git(&env, &dir, &["add", ".sm"]).success();
    let blocked = git(&env, &dir, &["commit", "-qm", "leak"]);
    assert_ne!(blocked.code(), 0, "a value in the log went through");
    let said = format!("{}{}", blocked.stdout(), blocked.stderr());
    assert!(said.contains("managed-secret"), "{said}");
    git(&env, &dir, &["checkout", "--", "."]).success();
    git(&env, &dir, &["reset", "-q", "--hard"]).success();

    // A file of another format under `.sm/` is still scanned.
    write(
        &dir,
        ".sm/notes.toml",
        "password = \"Xk9mP2vL8qR4tZ7wQ3\"\n",
    );
    git(&env, &dir, &["add", "-f", ".sm/notes.toml"]).success();
    let blocked = git(&env, &dir, &["commit", "-qm", "notes"]);
    assert_ne!(blocked.code(), 0, "a foreign file in .sm went through");
    assert_eq!(
        git(&env, &dir, &["rev-list", "--count", "HEAD"])
            .stdout()
            .trim(),
        "2"
    );
}
