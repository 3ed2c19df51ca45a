//! What the boto3 and aws-cli tests of `sm serve` share: a running server in a sealed
//! [`TestEnv`] (ports parsed from its standard error), client credentials
//! from `sm serve client add --json`, and the real clients (boto3, aws-cli,
//! curl) run with only the endpoint and those credentials as their AWS
//! configuration.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::common::{TestEnv, have};

/// The token the agent API expects (the server reads it from `AWS_TOKEN`,
/// as the service's agent does).
pub const AGENT_TOKEN: &str = "sm-test-agent-token-0123456789";

/// The region the clients sign for.
pub const REGION: &str = "eu-west-1";

/// A running `sm serve`, killed on drop.
pub struct Server {
    child: Child,
    /// The API's port.
    pub api: u16,
    /// The agent API's port.
    pub agent: u16,
    stderr: Arc<Mutex<Vec<String>>>,
}

impl Server {
    /// Starts `sm serve` on random loopback ports in `env`'s store and
    /// waits until it says where it listens.
    pub fn start(env: &TestEnv) -> Server {
        Server::start_with(env, &[])
    }

    /// The same as [`Server::start`], with extra arguments.
    pub fn start_with(env: &TestEnv, extra: &[&str]) -> Server {
        let mut cmd = env.std_cmd();
        cmd.args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--agent-listen",
            "127.0.0.1:0",
        ])
        .args(extra)
        .env("AWS_TOKEN", AGENT_TOKEN)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("sm serve starts");
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let pipe = child.stderr.take().expect("piped stderr");
        let lines = stderr.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines() {
                let Ok(line) = line else { break };
                lines.lock().unwrap().push(line);
            }
        });
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let (api, agent) = ports(&stderr.lock().unwrap());
            if let (Some(api), Some(agent)) = (api, agent) {
                return Server {
                    child,
                    api,
                    agent,
                    stderr,
                };
            }
            if let Ok(Some(status)) = child.try_wait() {
                panic!(
                    "sm serve exited ({status}) before listening:\n{}",
                    stderr.lock().unwrap().join("\n")
                );
            }
            assert!(
                Instant::now() < deadline,
                "sm serve did not say where it listens within 20 s:\n{}",
                stderr.lock().unwrap().join("\n")
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The API's endpoint URL.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.api)
    }

    /// The agent API's base URL.
    pub fn agent_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.agent)
    }

    /// What the server wrote on standard error so far.
    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().join("\n")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The API and agent ports named on the server's standard error
/// (`API on http://127.0.0.1:P, agent API on http://127.0.0.1:Q`): an
/// address right after words naming the agent is the agent's, any other
/// the API's.
fn ports(lines: &[String]) -> (Option<u16>, Option<u16>) {
    let mut api = None;
    let mut agent = None;
    for line in lines {
        let mut rest = line.as_str();
        let mut before = String::new();
        while let Some(at) = rest.find("127.0.0.1:") {
            before.push_str(&rest[..at]);
            let digits: String = rest[at + "127.0.0.1:".len()..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            rest = &rest[at + "127.0.0.1:".len() + digits.len()..];
            let Some(port) = digits.parse::<u16>().ok().filter(|p| *p != 0) else {
                continue;
            };
            // The words since the previous address name this one.
            let said = before.rsplit(',').next().unwrap_or("").to_ascii_lowercase();
            if said.contains("agent") {
                agent = agent.or(Some(port));
            } else {
                api = api.or(Some(port));
            }
            before.clear();
        }
    }
    (api, agent)
}

/// One client's credentials.
#[derive(Debug, Clone)]
pub struct Creds {
    pub access_key_id: String,
    pub secret_access_key: String,
}

/// Creates a client with `sm serve client add NAME [ARGS] --json`.
pub fn add_client(env: &TestEnv, name: &str, args: &[&str]) -> Creds {
    let mut all = vec!["serve", "client", "add", name];
    all.extend_from_slice(args);
    all.push("--json");
    let out = env.sm(&all).success().json();
    Creds {
        access_key_id: out["access_key_id"]
            .as_str()
            .expect("access_key_id")
            .to_string(),
        secret_access_key: out["secret_access_key"]
            .as_str()
            .expect("secret_access_key")
            .to_string(),
    }
}

/// A command for a real AWS client: a clean environment with PATH, a
/// HOME and AWS config files of its own (empty), instance metadata off,
/// and only the endpoint, the credentials and the region set.
pub fn aws_client(env: &TestEnv, server: &Server, creds: &Creds, program: &str) -> Command {
    let mut cmd = Command::new(program);
    clean_aws_env(env, &mut cmd);
    cmd.env("AWS_ENDPOINT_URL_SECRETS_MANAGER", server.url())
        .env("AWS_ACCESS_KEY_ID", &creds.access_key_id)
        .env("AWS_SECRET_ACCESS_KEY", &creds.secret_access_key)
        .env("AWS_DEFAULT_REGION", REGION);
    cmd
}

/// Clears `cmd`'s environment down to PATH, a HOME in the test folder and
/// empty AWS config and credential files, with instance metadata off.
pub fn clean_aws_env(env: &TestEnv, cmd: &mut Command) {
    let aws_dir = env.path().join("aws-config");
    std::fs::create_dir_all(&aws_dir).unwrap();
    let config = aws_dir.join("config");
    let credentials = aws_dir.join("credentials");
    for file in [&config, &credentials] {
        if !file.exists() {
            std::fs::write(file, "").unwrap();
        }
    }
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", &env.home)
        .env("LC_ALL", "C.UTF-8")
        .env("AWS_CONFIG_FILE", &config)
        .env("AWS_SHARED_CREDENTIALS_FILE", &credentials)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .current_dir(env.path());
}

/// Runs a Python script with boto3 as the client `creds`; the script's
/// standard output is returned (the test fails with its stderr if it
/// fails).
pub fn python(env: &TestEnv, server: &Server, creds: &Creds, script: &str) -> Output {
    let file = script_file(env, script);
    let out = aws_client(env, server, creds, "python3")
        .arg(&file)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "python failed ({}):\n--- stdout\n{}\n--- stderr\n{}\n--- server\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
        server.stderr()
    );
    out
}

/// Writes `script` to a fresh file in the test folder.
pub fn script_file(env: &TestEnv, script: &str) -> PathBuf {
    static COUNT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let file = env.path().join(format!("script-{n}.py"));
    std::fs::write(&file, script).unwrap();
    file
}

/// Tells whether python3 with boto3 is there; otherwise prints SKIPPED
/// (and fails when SM_REQUIRE_ALL_TOOLS is set).
pub fn have_boto3(test: &str) -> bool {
    if !have("python3", test) {
        return false;
    }
    have_module("boto3", test)
}

/// Tells whether python3 can import `module`; otherwise prints SKIPPED
/// (and fails when SM_REQUIRE_ALL_TOOLS is set).
pub fn have_module(module: &str, test: &str) -> bool {
    let ok = Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !ok {
        eprintln!("SKIPPED {test}: python3 cannot import {module} (pip install {module})");
        assert!(
            std::env::var_os("SM_REQUIRE_ALL_TOOLS").is_none(),
            "{test} needs the python module {module}, and SM_REQUIRE_ALL_TOOLS is set"
        );
    }
    ok
}

/// The same bytes through `age -d` of the version file `id` of `name`
/// (None when age is missing: the caller skips that comparison, noted).
pub fn age_decrypt(env: &TestEnv, name: &str, id: &str, test: &str) -> Option<Vec<u8>> {
    if !have("age", test) {
        return None;
    }
    let file = env
        .secret_dir(name)
        .join("versions")
        .join(format!("{id}.age"));
    let out = Command::new("age")
        .args(["-d", "-i"])
        .arg(&env.identity)
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "age -d {}: {}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    Some(out.stdout)
}

/// The version id labelled `current` of `name` (from `sm show --json`).
pub fn current_id(env: &TestEnv, name: &str) -> String {
    let shown = env.sm(&["show", name, "--json"]).success().json();
    shown["versions"]
        .as_array()
        .and_then(|vs| {
            vs.iter().find(|v| {
                v["labels"]
                    .as_array()
                    .is_some_and(|l| l.iter().any(|x| x == "current"))
            })
        })
        .and_then(|v| v["version_id"].as_str())
        .map(str::to_string)
        .unwrap_or_else(|| panic!("no current version of {name}: {shown}"))
}
