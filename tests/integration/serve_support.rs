//! Helpers of the `sm serve` tests: a running server (killed when the
//! guard drops), its ports parsed from its start line, raw HTTP, and
//! Python/boto3 scripts.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::common::TestEnv;

/// A running `sm serve`, killed on drop.
pub struct Server {
    child: Child,
    /// The API's port.
    pub api: u16,
    /// The agent API's port, if served.
    pub agent: Option<u16>,
    stderr: Arc<Mutex<String>>,
}

impl Server {
    /// Starts `sm serve --listen 127.0.0.1:0 --agent-listen 127.0.0.1:0`
    /// with `extra` arguments and environment variables.
    pub fn start(env: &TestEnv, extra: &[&str], vars: &[(&str, &str)]) -> Server {
        let mut args = vec!["--listen", "127.0.0.1:0", "--agent-listen", "127.0.0.1:0"];
        args.extend_from_slice(extra);
        Server::start_with(env, &args, vars)
    }

    /// Starts `sm serve` with exactly `args` (after `serve`); the ports
    /// are 0 where it listens on a Unix socket.
    pub fn start_with(env: &TestEnv, args: &[&str], vars: &[(&str, &str)]) -> Server {
        let mut cmd = env.std_cmd();
        cmd.arg("serve")
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        for (k, v) in vars {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().unwrap();
        let mut reader = BufReader::new(child.stderr.take().unwrap());
        let mut first = String::new();
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap() == 0 {
                let _ = child.kill();
                panic!("sm serve ended before listening: {first}");
            }
            first.push_str(&line);
            if line.starts_with("sm serve: API on") {
                break;
            }
        }
        let ports: Vec<u16> = first
            .split("http://127.0.0.1:")
            .skip(1)
            .map(|rest| {
                rest.chars()
                    .take_while(|c| c.is_ascii_digit())
                    .collect::<String>()
                    .parse()
                    .unwrap()
            })
            .collect();
        let stderr = Arc::new(Mutex::new(first));
        let sink = stderr.clone();
        std::thread::spawn(move || {
            let mut rest = String::new();
            let _ = reader.read_to_string(&mut rest);
            sink.lock().unwrap().push_str(&rest);
        });
        Server {
            child,
            api: ports.first().copied().unwrap_or(0),
            agent: ports.get(1).copied(),
            stderr,
        }
    }

    /// What it printed on stderr so far (its start line first).
    pub fn printed(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// The API's endpoint URL.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.api)
    }

    /// Stops the server with SIGTERM and returns its exit status and what
    /// it printed on stderr.
    pub fn stop(mut self) -> (std::process::ExitStatus, String) {
        // SAFETY: kill has no memory preconditions.
        unsafe {
            libc::kill(self.child.id() as i32, libc::SIGTERM);
        }
        let status = self.child.wait().unwrap();
        std::thread::sleep(Duration::from_millis(50));
        let text = self.stderr.lock().unwrap().clone();
        (status, text)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Sends a raw HTTP/1.1 request and returns the status and the body.
pub fn raw(port: u16, request: &[u8]) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    stream.write_all(request).unwrap();
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// A GET with `headers` (each `Name: value`), closing the connection.
pub fn get(port: u16, path: &str, headers: &[&str]) -> (u16, String) {
    let mut request =
        format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n");
    for h in headers {
        request.push_str(h);
        request.push_str("\r\n");
    }
    request.push_str("\r\n");
    raw(port, request.as_bytes())
}

/// Tells whether python3 with boto3 is there; else prints SKIPPED.
pub fn have_boto3(test: &str) -> bool {
    let ok = std::process::Command::new("python3")
        .args(["-c", "import boto3, botocore"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("SKIPPED {test}: python3 with boto3 is not installed");
        if std::env::var_os("SM_REQUIRE_ALL_TOOLS").is_some() {
            panic!("{test} needs boto3, and SM_REQUIRE_ALL_TOOLS is set");
        }
    }
    ok
}

/// Runs a Python script with `args`, in a clean environment plus `vars`;
/// returns its stdout, failing the test if it fails.
pub fn python(env: &TestEnv, script: &str, args: &[&str], vars: &[(&str, &str)]) -> String {
    let file = env.path().join(format!("script-{}.py", rand_suffix()));
    std::fs::write(&file, script).unwrap();
    let mut cmd = std::process::Command::new("python3");
    cmd.arg(&file)
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", &env.home)
        .env("AWS_CONFIG_FILE", env.path().join("no-aws-config"))
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            env.path().join("no-aws-credentials"),
        )
        .env("AWS_EC2_METADATA_DISABLED", "true");
    for (k, v) in vars {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "python failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn rand_suffix() -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    N.fetch_add(1, Ordering::Relaxed).to_string()
}

/// Adds a client and returns its access key id and secret key.
pub fn add_client(env: &TestEnv, name: &str, args: &[&str]) -> (String, String) {
    let mut all = vec!["serve", "client", "add", name, "--json"];
    all.extend_from_slice(args);
    let keys = env.sm(&all).success().json();
    (
        keys["access_key_id"].as_str().unwrap().to_string(),
        keys["secret_access_key"].as_str().unwrap().to_string(),
    )
}

/// Tells whether the service's operations are on this branch (they come
/// from another part of the work): GetSecretValue through `sm __api`
/// answers something other than UnknownOperationException.
pub fn have_operations(env: &TestEnv) -> bool {
    let out = env
        .cmd()
        .args(["__api", "GetSecretValue"])
        .write_stdin(r#"{"SecretId":"no/such/secret"}"#)
        .output()
        .unwrap();
    !String::from_utf8_lossy(&out.stdout).contains("UnknownOperationException")
}
