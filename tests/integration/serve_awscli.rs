//! `sm serve` driven by aws-cli, running the seeds' own usage (create,
//! read, versions, update, tags, list, delete and restore), and its caching
//! agent API driven by curl (the token, `X-Forwarded-For`, `/ping`, and a
//! rotation whose new value the very next read returns).

use std::process::Command;

use crate::common::{TestEnv, have};
use crate::serve_clients::{
    AGENT_TOKEN, Creds, Server, add_client, age_decrypt, aws_client, current_id,
};

const MYSQL_V1: &str = r#"{"username":"admin","password":"EXAMPLE-PASSWORD-1"}"#;
const MYSQL_V2: &str = r#"{"username":"admin","password":"EXAMPLE-PASSWORD-2"}"#;

/// Runs `aws secretsmanager ARGS` as `creds`; returns (exit code, stdout
/// JSON or Null, stderr).
fn aws(
    env: &TestEnv,
    server: &Server,
    creds: &Creds,
    args: &[&str],
) -> (i32, serde_json::Value, String) {
    let out = aws_client(env, server, creds, "aws")
        .arg("secretsmanager")
        .args(args)
        .args(["--output", "json"])
        .output()
        .expect("aws runs");
    let json = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    (
        out.status.code().unwrap_or(-1),
        json,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The same, failing the test unless aws succeeds.
fn aws_ok(env: &TestEnv, server: &Server, creds: &Creds, args: &[&str]) -> serde_json::Value {
    let (code, json, err) = aws(env, server, creds, args);
    assert_eq!(
        code,
        0,
        "aws {args:?}: {err}\n--- server\n{}",
        server.stderr()
    );
    json
}

#[test]
fn aws_cli_runs_the_seeds_usage() {
    let test = "aws_cli_runs_the_seeds_usage";
    if !have("aws", test) {
        return;
    }
    let env = TestEnv::new();
    let server = Server::start(&env);
    let app = add_client(&env, "app", &["--write", "**"]);
    let name = "prod/myapp/mysql";
    let made = aws_ok(
        &env,
        &server,
        &app,
        &["create-secret", "--name", name, "--secret-string", MYSQL_V1],
    );
    assert_eq!(made["Name"], name);
    let arn = made["ARN"].as_str().unwrap().to_string();
    assert!(
        arn.starts_with(&format!(
            "arn:aws:secretsmanager:eu-west-1:000000000000:secret:{name}-"
        )),
        "{arn}"
    );
    let v1 = made["VersionId"].as_str().unwrap().to_string();
    let got = aws_ok(
        &env,
        &server,
        &app,
        &["get-secret-value", "--secret-id", name],
    );
    assert_eq!(got["SecretString"], MYSQL_V1);
    assert_eq!(got["VersionId"], v1.as_str());
    assert_eq!(got["VersionStages"], serde_json::json!(["AWSCURRENT"]));
    // By ARN, full and partial (without the suffix), as the service allows.
    let by_arn = aws_ok(
        &env,
        &server,
        &app,
        &["get-secret-value", "--secret-id", &arn],
    );
    assert_eq!(by_arn["SecretString"], MYSQL_V1);
    let partial = &arn[..arn.len() - 7];
    let by_partial = aws_ok(
        &env,
        &server,
        &app,
        &["get-secret-value", "--secret-id", partial],
    );
    assert_eq!(by_partial["Name"], name);
    // update-secret with a value makes a new current version.
    let updated = aws_ok(
        &env,
        &server,
        &app,
        &[
            "update-secret",
            "--secret-id",
            name,
            "--secret-string",
            MYSQL_V2,
        ],
    );
    let v2 = updated["VersionId"].as_str().unwrap().to_string();
    assert_ne!(v1, v2);
    let versions = aws_ok(
        &env,
        &server,
        &app,
        &["list-secret-version-ids", "--secret-id", name],
    );
    let list = versions["Versions"].as_array().unwrap();
    assert_eq!(list.len(), 2, "{versions}");
    let stages = |id: &str| -> serde_json::Value {
        list.iter().find(|v| v["VersionId"] == id).unwrap()["VersionStages"].clone()
    };
    assert_eq!(stages(&v1), serde_json::json!(["AWSPREVIOUS"]));
    assert_eq!(stages(&v2), serde_json::json!(["AWSCURRENT"]));
    let old = aws_ok(
        &env,
        &server,
        &app,
        &["get-secret-value", "--secret-id", name, "--version-id", &v1],
    );
    assert_eq!(old["SecretString"], MYSQL_V1);
    // Tags and descriptions.
    aws_ok(
        &env,
        &server,
        &app,
        &[
            "tag-resource",
            "--secret-id",
            name,
            "--tags",
            "Key=env,Value=prod",
            "Key=team,Value=core",
        ],
    );
    aws_ok(
        &env,
        &server,
        &app,
        &[
            "update-secret",
            "--secret-id",
            name,
            "--description",
            "main database",
        ],
    );
    aws_ok(
        &env,
        &server,
        &app,
        &[
            "create-secret",
            "--name",
            "dev/other",
            "--secret-string",
            "x",
        ],
    );
    let listed = aws_ok(&env, &server, &app, &["list-secrets"]);
    let secrets = listed["SecretList"].as_array().unwrap();
    let entry = secrets.iter().find(|s| s["Name"] == name).unwrap();
    assert_eq!(entry["Description"], "main database");
    assert_eq!(entry["ARN"], arn.as_str());
    let mut tags: Vec<(String, String)> = entry["Tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["Key"].as_str().unwrap().into(),
                t["Value"].as_str().unwrap().into(),
            )
        })
        .collect();
    tags.sort();
    assert_eq!(
        tags,
        [
            ("env".into(), "prod".into()),
            ("team".into(), "core".into())
        ]
    );
    let filtered = aws_ok(
        &env,
        &server,
        &app,
        &["list-secrets", "--filters", "Key=tag-key,Values=team"],
    );
    let names: Vec<&str> = filtered["SecretList"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["Name"].as_str())
        .collect();
    assert_eq!(names, [name]);
    // The same bytes through the API, `sm get` and `age -d`.
    assert_eq!(env.get(name), MYSQL_V2.as_bytes());
    let id = current_id(&env, name);
    assert_eq!(id, v2);
    if let Some(plain) = age_decrypt(&env, name, &id, test) {
        assert_eq!(plain, MYSQL_V2.as_bytes());
    }
    // delete-secret schedules the deletion; reads are refused until restore.
    let deleted = aws_ok(
        &env,
        &server,
        &app,
        &[
            "delete-secret",
            "--secret-id",
            name,
            "--recovery-window-in-days",
            "7",
        ],
    );
    assert_eq!(deleted["Name"], name);
    let seven_days = deleted["DeletionDate"].as_f64().unwrap() - now_secs();
    assert!(
        (6.9 * 86400.0..7.1 * 86400.0).contains(&seven_days),
        "{deleted}"
    );
    let (code, _, err) = aws(
        &env,
        &server,
        &app,
        &["get-secret-value", "--secret-id", name],
    );
    assert_ne!(code, 0);
    assert!(err.contains("InvalidRequestException"), "{err}");
    let listed = aws_ok(&env, &server, &app, &["list-secrets"]);
    assert!(!listed.to_string().contains(name), "{listed}");
    let planned = aws_ok(
        &env,
        &server,
        &app,
        &["list-secrets", "--include-planned-deletion"],
    );
    assert!(planned.to_string().contains(name), "{planned}");
    aws_ok(
        &env,
        &server,
        &app,
        &["restore-secret", "--secret-id", name],
    );
    let back = aws_ok(
        &env,
        &server,
        &app,
        &["get-secret-value", "--secret-id", name],
    );
    assert_eq!(back["SecretString"], MYSQL_V2);
    // A name that is not there: the service's error through the CLI.
    let (code, _, err) = aws(
        &env,
        &server,
        &app,
        &["get-secret-value", "--secret-id", "prod/none"],
    );
    assert_ne!(code, 0);
    assert!(err.contains("ResourceNotFoundException"), "{err}");
    // Every write verifies; the log names the client.
    env.sm(&["verify"]).success();
    env.sm(&["log", "verify"]).success();
    let log = env.sm(&["log", name]).success().stdout();
    assert!(log.contains("client app"), "{log}");
    assert!(!server.stderr().contains("EXAMPLE-PASSWORD"));
}

fn now_secs() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
}

/// `curl` of the agent API: (HTTP status, body).
fn curl(url: &str, headers: &[&str]) -> (u16, String) {
    let mut cmd = Command::new("curl");
    cmd.args(["-s", "-S", "--max-time", "10", "-w", "\n%{http_code}"]);
    for h in headers {
        cmd.args(["-H", h]);
    }
    let out = cmd.arg(url).output().expect("curl runs");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let (body, status) = text.rsplit_once('\n').unwrap_or(("", &text));
    (status.trim().parse().unwrap_or(0), body.to_string())
}

fn token_header() -> String {
    format!("X-Aws-Parameters-Secrets-Token: {AGENT_TOKEN}")
}

/// A rotation hook that prints the contents of `next` at create.
fn next_value_hook(env: &TestEnv) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let next = env.path().join("next");
    let hooks = env.store.join("hooks");
    std::fs::create_dir_all(&hooks).unwrap();
    let hook = hooks.join("next");
    std::fs::write(
        &hook,
        format!(
            "#!/bin/sh\ncat > /dev/null\nif [ \"$1\" = create ]; then cat '{}'; fi\nexit 0\n",
            next.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    next
}

fn agent_value(server: &Server, path: &str) -> serde_json::Value {
    let (status, body) = curl(&format!("{}{path}", server.agent_url()), &[&token_header()]);
    assert_eq!(status, 200, "{path}: {body}\n{}", server.stderr());
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: {e}: {body}"))
}

#[test]
fn agent_api_with_curl_guards_and_serves_fresh_values() {
    let test = "agent_api_with_curl_guards_and_serves_fresh_values";
    if !have("curl", test) {
        return;
    }
    let env = TestEnv::new();
    env.put("prod/api", b"v1");
    let next = next_value_hook(&env);
    env.sm(&[
        "rotate",
        "prod/api",
        "--hook",
        "hooks/next",
        "--trust-hook",
        "--no-rotate-now",
    ])
    .success();
    let server = Server::start(&env);
    let base = server.agent_url();
    let get = format!("{base}/secretsmanager/get?secretId=prod%2Fapi");
    // /ping needs no token.
    let (status, _) = curl(&format!("{base}/ping"), &[]);
    assert_eq!(status, 200);
    // No token, a wrong token: 403.
    let (status, body) = curl(&get, &[]);
    assert_eq!(status, 403, "{body}");
    assert!(!body.contains("v1"));
    let (status, body) = curl(&get, &["X-Aws-Parameters-Secrets-Token: wrong"]);
    assert_eq!(status, 403, "{body}");
    // A forwarded request (SSRF through a proxy): 400, even with the token.
    let (status, body) = curl(&get, &[&token_header(), "X-Forwarded-For: 10.0.0.1"]);
    assert_eq!(status, 400, "{body}");
    assert!(!body.contains("\"v1\""));
    // The right token reads, by query and by path.
    let first = agent_value(&server, "/secretsmanager/get?secretId=prod%2Fapi");
    assert_eq!(first["SecretString"], "v1");
    assert_eq!(first["Name"], "prod/api");
    assert_eq!(first["VersionStages"], serde_json::json!(["AWSCURRENT"]));
    let by_path = agent_value(&server, "/v1/prod%2Fapi");
    assert_eq!(by_path["SecretString"], "v1");
    let v1_id = first["VersionId"].as_str().unwrap().to_string();
    // A rotation by the CLI: the very next read returns the new value (the
    // service's agent would serve the old one up to its TTL).
    std::fs::write(&next, "rotated-value-2").unwrap();
    env.sm(&["rotate", "prod/api"]).success();
    let after = agent_value(&server, "/secretsmanager/get?secretId=prod%2Fapi");
    assert_eq!(after["SecretString"], "rotated-value-2");
    assert_eq!(env.get("prod/api"), b"rotated-value-2");
    // The old version by stage and by id.
    let previous = agent_value(
        &server,
        "/secretsmanager/get?secretId=prod%2Fapi&versionStage=AWSPREVIOUS",
    );
    assert_eq!(previous["SecretString"], "v1");
    let by_id = agent_value(
        &server,
        &format!("/secretsmanager/get?secretId=prod%2Fapi&versionId={v1_id}"),
    );
    assert_eq!(by_id["SecretString"], "v1");
    // A rotation through the API (RotateSecret runs the same hook).
    if have("aws", test) {
        let app = add_client(&env, "app", &["--write", "**"]);
        std::fs::write(&next, "rotated-value-3").unwrap();
        aws_ok(
            &env,
            &server,
            &app,
            &["rotate-secret", "--secret-id", "prod/api"],
        );
        let rotated = agent_value(&server, "/secretsmanager/get?secretId=prod%2Fapi");
        assert_eq!(rotated["SecretString"], "rotated-value-3");
    }
    // A name that is not there.
    let (status, _) = curl(
        &format!("{base}/secretsmanager/get?secretId=prod%2Fnone"),
        &[&token_header()],
    );
    assert!((400..500).contains(&status), "{status}");
    env.sm(&["verify"]).success();
    let said = server.stderr();
    assert!(!said.contains("rotated-value"), "{said}");
}
