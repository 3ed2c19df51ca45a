//! The caching agent's API of `sm serve`: its SSRF rules (token header,
//! `X-Forwarded-For`), `/ping`, both request styles, the token file, and
//! a rotation's new value served at the very next request.

use crate::common::TestEnv;
use crate::serve_support::{Server, get, have_operations};

const TOKEN: &str = "agent-token-for-tests";

fn header() -> String {
    format!("X-Aws-Parameters-Secrets-Token: {TOKEN}")
}

#[test]
fn the_agents_ssrf_rules() {
    let env = TestEnv::new();
    env.put("prod/db", b"agent-value-1").success();
    let server = Server::start(&env, &[], &[("AWS_TOKEN", TOKEN)]);
    let port = server
        .agent
        .expect("the agent API is served when AWS_TOKEN is set");
    assert_eq!(get(port, "/ping", &[]), (200, "healthy".to_string()));
    let path = "/secretsmanager/get?secretId=prod%2Fdb";
    assert_eq!(get(port, path, &[]), (403, "Bad Token".to_string()));
    assert_eq!(
        get(port, path, &["X-Aws-Parameters-Secrets-Token: wrong"]),
        (403, "Bad Token".to_string())
    );
    assert_eq!(
        get(port, path, &[&header(), "X-Forwarded-For: 10.0.0.1"]),
        (400, "Forwarded".to_string())
    );
    assert_eq!(get(port, "/elsewhere", &[&header()]).0, 404);
    assert_eq!(
        get(port, "/secretsmanager/get?secretId=a&bogus=1", &[&header()]),
        (400, "unknown parameter: bogus".to_string())
    );
    let (status, body) = get(port, path, &[&header()]);
    if have_operations(&env) {
        assert_eq!(status, 200, "{body}");
        let answer: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(answer["SecretString"], "agent-value-1");
        assert_eq!(answer["Name"], "prod/db");
        let (status, body) = get(port, "/v1/prod/db", &[&header()]);
        assert_eq!(status, 200, "{body}");
        // A rotation (here a new version made current) is served at once.
        env.put("prod/db", b"agent-value-2").success();
        let (_, body) = get(port, path, &[&header()]);
        let answer: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(answer["SecretString"], "agent-value-2");
        let (_, body) = get(port, "/v1/prod/db?versionStage=AWSPREVIOUS", &[&header()]);
        let answer: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(answer["SecretString"], "agent-value-1");
    } else {
        eprintln!("SKIPPED the value checks: the operations are not on this branch");
        assert_eq!(status, 400, "{body}");
        assert!(body.contains("UnknownOperationException"), "{body}");
    }
    let (status, stderr) = server.stop();
    assert!(status.success());
    assert!(!stderr.contains("agent-value"), "{stderr}");
    assert!(!stderr.contains(TOKEN), "{stderr}");
}

#[test]
fn the_token_from_a_file_and_the_agent_read_globs() {
    let env = TestEnv::new();
    env.put("prod/db", b"v").success();
    env.put("other/x", b"w").success();
    let file = env.path().join("token");
    std::fs::write(&file, format!("{TOKEN}\n")).unwrap();
    let url = format!("file://{}", file.display());
    let server = Server::start(
        &env,
        &["--agent-read", "prod/**"],
        &[("AWS_SESSION_TOKEN", &url)],
    );
    let port = server.agent.unwrap();
    let (status, _) = get(port, "/v1/prod/db", &[&header()]);
    assert_ne!(status, 403);
    if have_operations(&env) {
        assert_eq!(status, 200);
        let (status, body) = get(port, "/v1/other/x", &[&header()]);
        assert_eq!(status, 400, "{body}");
        assert!(body.contains("AccessDeniedException"), "{body}");
    }
}

#[test]
fn no_token_no_agent_api() {
    let env = TestEnv::new();
    let server = Server::start(&env, &[], &[]);
    assert!(server.agent.is_none());
    let (_, stderr) = server.stop();
    assert!(stderr.contains("agent API off"), "{stderr}");
}

#[test]
fn a_ciphertext_changed_after_a_read_is_verified_again() {
    let env = TestEnv::new();
    env.put("prod/db", b"kept-value").success();
    let server = Server::start(&env, &[], &[("AWS_TOKEN", TOKEN)]);
    let port = server.agent.unwrap();
    if !have_operations(&env) {
        eprintln!("SKIPPED: the operations are not on this branch");
        return;
    }
    // Read twice: the second answer comes from the server's memory.
    for _ in 0..2 {
        let (status, body) = get(port, "/v1/prod/db", &[&header()]);
        assert_eq!(status, 200, "{body}");
    }
    let versions = env.store.join("secrets/prod/db.secret/versions");
    let age = std::fs::read_dir(&versions)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "age"))
        .unwrap();
    let mut bytes = std::fs::read(&age).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(&age, &bytes).unwrap();
    let (status, body) = get(port, "/v1/prod/db", &[&header()]);
    assert_ne!(status, 200, "a changed ciphertext was served: {body}");
    assert!(!body.contains("kept-value"), "{body}");
    server.stop();
}
