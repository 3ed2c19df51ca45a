//! Every call of the local API leaves a signed log entry naming the client:
//! reads (`show`, `ls`, `versions`, `gen`), writes, and calls refused
//! before they reached the store (malformed JSON, a missing parameter, an
//! unsupported operation).

use serde_json::{Value, json};

use crate::common::TestEnv;
use crate::serve_ops::{api, err, ok};

/// The log as `(op, secret, outcome, detail)`.
fn entries(env: &TestEnv) -> Vec<(String, String, String, String)> {
    let log = env.sm(&["log", "--json"]).success().json();
    log.as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let field = |k: &str| e[k].as_str().unwrap_or("").to_string();
            (
                field("op"),
                field("secret"),
                field("outcome"),
                field("detail"),
            )
        })
        .collect()
}

#[test]
fn every_call_reads_and_failures_included_is_logged_naming_the_client() {
    let env = TestEnv::new();
    ok(
        &env,
        "CreateSecret",
        json!({"Name": "a", "SecretString": "value-a"}),
    );
    ok(&env, "DescribeSecret", json!({"SecretId": "a"}));
    ok(&env, "ListSecrets", json!({}));
    ok(&env, "ListSecretVersionIds", json!({"SecretId": "a"}));
    let password = ok(&env, "GetRandomPassword", json!({"PasswordLength": 40}));
    let password = password["RandomPassword"].as_str().unwrap().to_string();
    err(
        &env,
        "DescribeSecret",
        json!({"SecretId": "missing"}),
        "ResourceNotFoundException",
    );
    let (code, _) = api(&env, "GetSecretValue", json!({}));
    assert_eq!(code, 1);
    let run = env.sm_in(&["__api", "ListSecrets"], b"{not json");
    assert_eq!(run.code(), 1);
    let (code, _) = api(&env, "GetResourcePolicy", json!({"SecretId": "a"}));
    assert_eq!(code, 1);
    err(
        &env,
        "CreateSecret",
        json!({"Name": "a", "SecretString": "other"}),
        "ResourceExistsException",
    );
    // UpdateSecret with nothing to change is a call too.
    ok(&env, "UpdateSecret", json!({"SecretId": "a"}));

    let entries = entries(&env);
    let has = |op: &str, secret: &str, outcome: &str, operation: &str| {
        let detail = format!("api {operation} client local");
        assert!(
            entries
                .iter()
                .any(|e| e.0 == op && e.1 == secret && e.2 == outcome && e.3 == detail),
            "no {op} {secret:?} {outcome} {detail:?} in {entries:#?}"
        );
    };
    has("put", "a", "ok", "CreateSecret");
    has("show", "a", "ok", "DescribeSecret");
    has("ls", "", "ok", "ListSecrets");
    has("versions", "a", "ok", "ListSecretVersionIds");
    has("gen", "", "ok", "GetRandomPassword");
    has("show", "missing", "not_found", "DescribeSecret");
    has("get", "", "invalid", "GetSecretValue");
    has("ls", "", "invalid", "ListSecrets");
    has("api", "a", "invalid", "GetResourcePolicy");
    has("put", "a", "conflict", "CreateSecret");
    has("describe", "a", "ok", "UpdateSecret");
    // One entry per ListSecrets call, naming no secret.
    assert_eq!(
        entries
            .iter()
            .filter(|e| e.3 == "api ListSecrets client local")
            .count(),
        2
    );
    // Every entry is signed, and no value reaches the log.
    env.sm(&["log", "verify"]).success();
    let text = std::fs::read_to_string(env.log_file("alice")).unwrap();
    assert!(!text.contains("value-a"));
    assert!(!text.contains(&password));
}

#[test]
fn a_limited_client_is_named_in_the_log_also_when_refused() {
    let env = TestEnv::new();
    ok(
        &env,
        "CreateSecret",
        json!({"Name": "prod/x", "SecretString": "v"}),
    );
    let run = env.sm_in(
        &["__api", "DescribeSecret", "--read", "dev/**"],
        json!({"SecretId": "prod/x"}).to_string().as_bytes(),
    );
    assert_eq!(run.code(), 1);
    let answer: Value = serde_json::from_slice(&run.0.stdout).unwrap();
    assert_eq!(answer["__type"], "AccessDeniedException");
    let entries = entries(&env);
    assert!(
        entries.iter().any(|e| e.0 == "show"
            && e.1 == "prod/x"
            && e.2 == "no_access"
            && e.3 == "api DescribeSecret client test"),
        "{entries:#?}"
    );
}

/// The start of today (UTC) in epoch seconds, as the service gives a date.
fn today() -> i64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    now - now % 86_400
}

#[test]
fn last_accessed_date_is_the_day_of_the_last_read_by_the_api_or_the_cli() {
    let env = TestEnv::new();
    for name in ["b", "c", "a", "d"] {
        ok(
            &env,
            "CreateSecret",
            json!({"Name": name, "SecretString": "v"}),
        );
    }
    let before = today();
    // Read through the API, through `sm get`, and only described.
    ok(&env, "GetSecretValue", json!({"SecretId": "c"}));
    env.sm(&["get", "a"]).success();
    ok(&env, "DescribeSecret", json!({"SecretId": "b"}));
    // A failed read is no access.
    env.sm(&["get", "d", "--label", "pending"]).fails(3);
    let after = today();
    let day = |d: &Value| d.get("LastAccessedDate").and_then(Value::as_i64);
    for name in ["a", "c"] {
        let d = ok(&env, "DescribeSecret", json!({"SecretId": name}));
        let got = day(&d).unwrap_or_else(|| panic!("no LastAccessedDate for {name}: {d}"));
        assert!(
            got == before || got == after,
            "{name}: {got}, today {before}"
        );
    }
    for name in ["b", "d"] {
        let d = ok(&env, "DescribeSecret", json!({"SecretId": name}));
        assert!(d.get("LastAccessedDate").is_none(), "{name}: {d}");
    }
    let names = |order: &str| -> Vec<String> {
        let l = ok(
            &env,
            "ListSecrets",
            json!({"SortBy": "last-accessed-date", "SortOrder": order}),
        );
        l["SecretList"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                let name = e["Name"].as_str().unwrap().to_string();
                assert_eq!(
                    e.get("LastAccessedDate").is_some(),
                    name == "a" || name == "c",
                    "{e}"
                );
                name
            })
            .collect()
    };
    // Never read first; one day's reads by name.
    assert_eq!(names("asc"), ["b", "d", "a", "c"]);
    assert_eq!(names("desc"), ["c", "a", "d", "b"]);
}
