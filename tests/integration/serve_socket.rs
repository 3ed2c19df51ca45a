//! `sm serve --listen unix:PATH --agent-listen unix:PATH`: both APIs over
//! Unix sockets (driven with `curl --unix-socket`), the socket's mode, what
//! is refused at PATH (a file, a symbolic link, a live server, a folder
//! others can write), a stale socket replaced, and the files removed at
//! SIGTERM.

use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{TestEnv, have};
use crate::serve_support::{Server, add_client, have_operations};

const TOKEN: &str = "agent-token-for-socket-tests";

/// Signs a GetSecretValue with botocore's SigV4 for `http://localhost/`
/// (the Host curl sends over a socket) and prints the headers as JSON.
const SIGN: &str = r#"
import json, sys
import botocore.auth, botocore.awsrequest, botocore.credentials
key, secret, body = sys.argv[1], sys.argv[2], sys.argv[3].encode()
req = botocore.awsrequest.AWSRequest(method='POST', url='http://localhost/', data=body, headers={
    'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'secretsmanager.GetSecretValue'})
botocore.auth.SigV4Auth(botocore.credentials.Credentials(key, secret), 'secretsmanager', 'eu-west-1').add_auth(req)
print(json.dumps(dict(req.prepare().headers)))
"#;

/// A folder only this user can write, for the sockets.
fn run_dir(env: &TestEnv) -> PathBuf {
    let dir = env.path().join("run");
    std::fs::create_dir(&dir).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
    dir
}

fn unix(path: &Path) -> String {
    format!("unix:{}", path.display())
}

/// `curl --unix-socket SOCKET http://localhost<path>` with `args`: the
/// status and the body.
fn curl(socket: &Path, path: &str, args: &[&str]) -> (u16, String) {
    let out = Command::new("curl")
        .args([
            "-s",
            "--max-time",
            "20",
            "-w",
            "\n%{http_code}",
            "--unix-socket",
        ])
        .arg(socket)
        .args(args)
        .arg(format!("http://localhost{path}"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let (body, status) = text.rsplit_once('\n').unwrap_or(("", "0"));
    (status.trim().parse().unwrap_or(0), body.to_string())
}

/// Runs `sm serve ARGS` that is expected to refuse to start: its exit code
/// and stderr (a server that starts instead is killed and fails the test).
fn refused(env: &TestEnv, args: &[&str]) -> (i32, String) {
    let mut child = env
        .std_cmd()
        .arg("serve")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            panic!("sm serve {args:?} started instead of refusing");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn mode(path: &Path) -> u32 {
    std::fs::symlink_metadata(path)
        .unwrap()
        .permissions()
        .mode()
        & 0o777
}

fn have_botocore(test: &str) -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import botocore.auth"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("SKIPPED {test}: python3 with botocore is not installed");
    }
    ok
}

#[test]
fn both_apis_over_unix_sockets_removed_at_sigterm() {
    if !have("curl", "both_apis_over_unix_sockets_removed_at_sigterm") {
        return;
    }
    let env = TestEnv::new();
    env.put("prod/db", b"socket-value-1").success();
    let (key, secret) = add_client(&env, "app", &[]);
    let dir = run_dir(&env);
    let (api, agent) = (dir.join("api.sock"), dir.join("agent.sock"));
    let server = Server::start_with(
        &env,
        &["--listen", &unix(&api), "--agent-listen", &unix(&agent)],
        &[("AWS_TOKEN", TOKEN)],
    );
    let printed = server.printed();
    assert!(
        printed.contains(&format!(
            "API on {}, agent API on {}",
            unix(&api),
            unix(&agent)
        )),
        "{printed}"
    );
    for socket in [&api, &agent] {
        assert!(
            std::fs::symlink_metadata(socket)
                .unwrap()
                .file_type()
                .is_socket()
        );
        assert_eq!(mode(socket), 0o600, "{}", socket.display());
    }

    // The agent API.
    assert_eq!(curl(&agent, "/ping", &[]), (200, "healthy".to_string()));
    let path = "/secretsmanager/get?secretId=prod%2Fdb";
    assert_eq!(curl(&agent, path, &[]).0, 403);
    let header = format!("X-Aws-Parameters-Secrets-Token: {TOKEN}");
    let (status, body) = curl(&agent, path, &["-H", &header]);
    if have_operations(&env) {
        assert_eq!(status, 200, "{body}");
        let answer: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(answer["SecretString"], "socket-value-1");
    } else {
        assert_eq!(status, 400, "{body}");
    }

    // The API: unsigned is refused, SigV4 is still verified.
    let (status, body) = curl(
        &api,
        "/",
        &[
            "-H",
            "X-Amz-Target: secretsmanager.GetSecretValue",
            "-d",
            "{}",
        ],
    );
    assert_eq!(status, 400, "{body}");
    assert!(!body.contains("SecretString"), "{body}");
    if have_botocore("both_apis_over_unix_sockets_removed_at_sigterm (API part)") {
        let body = r#"{"SecretId": "prod/db"}"#;
        let signed = |secret: &str| -> Vec<String> {
            let out = Command::new("python3")
                .args(["-c", SIGN, &key, secret, body])
                .output()
                .unwrap();
            assert!(out.status.success(), "{out:?}");
            let headers: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            let mut args = Vec::new();
            for (name, value) in headers.as_object().unwrap() {
                args.push("-H".to_string());
                args.push(format!("{name}: {}", value.as_str().unwrap()));
            }
            args.push("--data-binary".to_string());
            args.push(body.to_string());
            args
        };
        let good = signed(&secret);
        let good: Vec<&str> = good.iter().map(String::as_str).collect();
        let (status, answer) = curl(&api, "/", &good);
        if have_operations(&env) {
            assert_eq!(status, 200, "{answer}");
            let answer: serde_json::Value = serde_json::from_str(&answer).unwrap();
            assert_eq!(answer["SecretString"], "socket-value-1");
        } else {
            assert!(answer.contains("UnknownOperationException"), "{answer}");
        }
        let bad = signed(&"x".repeat(40));
        let bad: Vec<&str> = bad.iter().map(String::as_str).collect();
        let (status, answer) = curl(&api, "/", &bad);
        assert_eq!(status, 400, "{answer}");
        assert!(answer.contains("InvalidSignatureException"), "{answer}");
    }

    let (status, stderr) = server.stop();
    assert!(status.success(), "{stderr}");
    assert!(!stderr.contains("socket-value-1"), "{stderr}");
    assert!(!api.exists() && !agent.exists(), "the sockets are removed");
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
}

#[test]
fn a_file_or_symbolic_link_at_the_path_is_refused_and_left_alone() {
    let env = TestEnv::new();
    let dir = run_dir(&env);
    let file = dir.join("api.sock");
    std::fs::write(&file, "keep me").unwrap();
    let (code, stderr) = refused(&env, &["--listen", &unix(&file), "--no-agent"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("is not a socket"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep me");

    // A link to a file and a dangling link: neither followed nor removed.
    let target = env.path().join("target");
    std::fs::write(&target, "target").unwrap();
    for (link, to) in [
        (dir.join("link.sock"), target.clone()),
        (dir.join("dangling.sock"), env.path().join("nowhere.sock")),
    ] {
        std::os::unix::fs::symlink(&to, &link).unwrap();
        let (code, stderr) = refused(&env, &["--listen", &unix(&link), "--no-agent"]);
        assert_eq!(code, 2, "{stderr}");
        assert!(stderr.contains("symbolic link"), "{stderr}");
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
    }
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "target");
    assert!(!env.path().join("nowhere.sock").exists());
}

#[test]
fn a_stale_socket_is_replaced_and_a_live_one_refused() {
    if !have("curl", "a_stale_socket_is_replaced_and_a_live_one_refused") {
        return;
    }
    let env = TestEnv::new();
    let dir = run_dir(&env);
    let socket = dir.join("api.sock");
    // A server that died without removing its socket.
    drop(std::os::unix::net::UnixListener::bind(&socket).unwrap());
    assert!(std::fs::symlink_metadata(&socket).is_ok());
    let args = ["--listen", &unix(&socket), "--no-agent"];
    let server = Server::start_with(&env, &args, &[]);
    assert_eq!(mode(&socket), 0o600);
    let (status, body) = curl(&socket, "/", &["-d", "{}"]);
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("__type"), "{body}");

    let (code, stderr) = refused(&env, &args);
    assert_eq!(code, 6, "{stderr}");
    assert!(stderr.contains("already listening"), "{stderr}");
    // The refused server left the live one's socket alone.
    assert_eq!(curl(&socket, "/", &["-d", "{}"]).0, 400);

    let (status, stderr) = server.stop();
    assert!(status.success(), "{stderr}");
    assert!(std::fs::symlink_metadata(&socket).is_err());
}

#[test]
fn a_folder_others_can_write_is_refused() {
    let env = TestEnv::new();
    let dir = env.path().join("shared");
    std::fs::create_dir(&dir).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).unwrap();
    let socket = dir.join("api.sock");
    let (code, stderr) = refused(&env, &["--listen", &unix(&socket), "--no-agent"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("writable by other users"), "{stderr}");
    assert!(stderr.contains("XDG_RUNTIME_DIR"), "{stderr}");
    assert!(std::fs::symlink_metadata(&socket).is_err());
}
