//! Passphrase-protected identities: the passphrase is asked on the
//! controlling terminal even when standard input is a pipe or a file (three
//! tries), and `sm agent` holds the unlocked identity so later commands
//! neither ask nor pay scrypt. Terminals come from `script` (util-linux);
//! "no terminal" from `setsid`.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};

use crate::common::{TestEnv, have, sm_bin};

const PW: &str = "c0rrect-h0rse";

/// A store whose member's identity file is protected by [`PW`].
fn protected_env(test: &str) -> Option<TestEnv> {
    if !have("script", test) || !have("setsid", test) {
        return None;
    }
    let env = TestEnv::new();
    env.put("seed", b"s").success();
    let (code, text) = crate::terminal::on_terminal(&env, "identity passphrase", &[PW, PW]);
    assert_eq!(code, 0, "{text}");
    assert!(
        std::fs::read(&env.identity)
            .unwrap()
            .starts_with(b"-----BEGIN AGE ENCRYPTED FILE-----")
    );
    Some(env)
}

/// Runs `sh -c SCRIPT` (with `$SM` the binary) under a pseudo-terminal,
/// typing each answer after its pause; returns the exit code and what the
/// terminal showed.
fn shell_on_terminal(env: &TestEnv, script: &str, answers: &[(f32, &str)]) -> (i32, String) {
    let file = env.path().join("on-terminal.sh");
    std::fs::write(&file, script).unwrap();
    let mut typed = String::new();
    for (pause, a) in answers {
        typed.push_str(&format!("sleep {pause}; printf '%s\\n' '{a}'; "));
    }
    let wrapper = format!(
        "({typed} sleep 1) | timeout 40 script -qec \"sh {}\" /dev/null",
        file.display()
    );
    let out = env
        .shell(&wrapper)
        .current_dir(&env.store)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(!text.contains("panicked"), "{text}");
    (out.status.code().unwrap_or(-1), text)
}

/// Runs `sm ARGS` with no controlling terminal (its own session), `stdin`
/// as its standard input.
fn detached(env: &TestEnv, args: &[&str], stdin: &[u8]) -> Output {
    use std::io::Write;
    let cmd = env.std_cmd();
    let mut setsid = std::process::Command::new("setsid");
    setsid.arg("-w").arg(sm_bin()).args(args).env_clear();
    for (k, v) in cmd.get_envs().filter_map(|(k, v)| Some((k, v?))) {
        setsid.env(k, v);
    }
    let mut child = setsid
        .current_dir(&env.store)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn socket(env: &TestEnv) -> PathBuf {
    env.path().join("run/sm/agent.sock")
}

/// Stops the test's agent however the test ends.
struct Agent<'a>(&'a TestEnv);

impl Drop for Agent<'_> {
    fn drop(&mut self) {
        let _ = detached(self.0, &["agent", "stop"], b"");
    }
}

fn start_agent<'a>(env: &'a TestEnv, timeout: &str) -> Agent<'a> {
    let (code, out) =
        crate::terminal::on_terminal(env, &format!("agent start --timeout {timeout}"), &[PW]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("holds your identity"), "{out}");
    Agent(env)
}

fn status(env: &TestEnv) -> serde_json::Value {
    let out = detached(env, &["agent", "status", "--json"], b"");
    serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("{}", text(&out)))
}

#[test]
fn passphrase_is_asked_on_the_terminal_when_stdin_is_redirected() {
    let Some(env) = protected_env("passphrase_is_asked_on_the_terminal_when_stdin_is_redirected")
    else {
        return;
    };
    // A pipe into put, and a file into import: the prompt reaches the tty.
    let (code, out) = shell_on_terminal(&env, "echo piped | \"$SM\" put x", &[(0.6, PW)]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Passphrase for your sm identity"), "{out}");
    assert!(!out.contains(PW), "the passphrase was echoed: {out}");
    std::fs::write(env.path().join("in.env"), "A=1\n").unwrap();
    let script = format!("\"$SM\" import - < {}", env.path().join("in.env").display());
    let (code, out) = shell_on_terminal(&env, &script, &[(0.6, PW)]);
    assert_eq!(code, 0, "{out}");
    let (code, out) = shell_on_terminal(&env, "\"$SM\" get x > got.txt", &[(0.6, PW)]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(std::fs::read(env.store.join("got.txt")).unwrap(), b"piped");
    // Three wrong answers: exit 4 after the third, saying so.
    let (code, out) = shell_on_terminal(
        &env,
        "echo v | \"$SM\" put y",
        &[(0.6, "bad1"), (3.0, "bad2"), (3.0, "bad3")],
    );
    assert_eq!(code, 4, "{out}");
    assert_eq!(
        out.matches("wrong passphrase, try again").count(),
        2,
        "{out}"
    );
    assert!(out.contains("3 times"), "{out}");
    // A wrong answer, then the right one: works.
    let (code, out) = shell_on_terminal(
        &env,
        "echo second | \"$SM\" put y",
        &[(0.6, "bad1"), (3.0, PW)],
    );
    assert_eq!(code, 0, "{out}");
    // No terminal at all: exit 4 at once, and the hint never says to put
    // the unprotected key in the environment.
    let out = detached(&env, &["get", "x"], b"");
    assert_eq!(out.status.code(), Some(4), "{}", text(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no terminal to ask"), "{err}");
    assert!(err.contains("sm agent start"), "{err}");
    assert!(!err.contains("SM_IDENTITY "), "{err}");
    assert!(!err.contains("key itself"), "{err}");
}

#[test]
fn agent_serves_commands_without_a_prompt_until_locked_or_stopped() {
    let Some(env) = protected_env("agent_serves_commands_without_a_prompt_until_locked_or_stopped")
    else {
        return;
    };
    let agent = start_agent(&env, "10m");
    // The socket is 0600 in a 0700 folder.
    let sock = socket(&env);
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&sock), 0o600);
    assert_eq!(mode(sock.parent().unwrap()), 0o700);
    let before = status(&env);
    assert_eq!(before["running"], true);
    assert_eq!(before["unlocked"], true, "{before}");
    // No terminal, stdin a pipe: put and get work through the agent.
    let started = Instant::now();
    let out = detached(&env, &["put", "x"], b"through-agent\n");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let out = detached(&env, &["get", "x"], b"");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(out.stdout, b"through-agent");
    let elapsed = started.elapsed();
    let after = status(&env);
    assert!(
        after["requests"].as_u64().unwrap() > before["requests"].as_u64().unwrap(),
        "the agent did the key operations: {before} then {after}"
    );
    eprintln!("put+get through the agent: {elapsed:?}");
    // Lock: the agent runs on, the identity is forgotten, and commands ask
    // again (or fail without a terminal).
    let out = detached(&env, &["agent", "lock"], b"");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let locked = status(&env);
    assert_eq!(locked["running"], true);
    assert_eq!(locked["unlocked"], false, "{locked}");
    let out = detached(&env, &["get", "x"], b"");
    assert_eq!(out.status.code(), Some(4), "{}", text(&out));
    let (code, out) = crate::terminal::on_terminal(&env, "get x", &[PW]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Passphrase for your sm identity"), "{out}");
    // Start unlocks the running agent again; stop ends it and its socket.
    let (code, out) = crate::terminal::on_terminal(&env, "agent start", &[PW]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(detached(&env, &["get", "x"], b"").stdout, b"through-agent");
    let out = detached(&env, &["agent", "stop"], b"");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(!sock.exists(), "the socket is gone after stop");
    let out = detached(&env, &["agent", "status"], b"");
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    assert!(text(&out).contains("not running"));
    drop(agent);
}

#[test]
fn agent_ends_after_its_idle_timeout() {
    let Some(env) = protected_env("agent_ends_after_its_idle_timeout") else {
        return;
    };
    let _agent = start_agent(&env, "2s");
    assert_eq!(status(&env)["timeout_secs"], 2);
    let deadline = Instant::now() + Duration::from_secs(10);
    while socket(&env).exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(!socket(&env).exists(), "the agent outlived its timeout");
    let out = detached(&env, &["get", "seed"], b"");
    assert_eq!(out.status.code(), Some(4), "{}", text(&out));
    // An agent folder others may enter is never used.
    let dir = socket(&env).parent().unwrap().to_path_buf();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = detached(&env, &["agent", "status"], b"");
    assert_eq!(out.status.code(), Some(4), "{}", text(&out));
    assert!(text(&out).contains("will not use the agent folder"));
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
    // A bad timeout is refused.
    let out = detached(&env, &["agent", "start", "--timeout", "9h"], b"");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
}

#[test]
fn agent_refuses_another_user() {
    let test = "agent_refuses_another_user";
    if !crate::discovery::can_switch_users(test) {
        return;
    }
    let python = Path::new("/usr/bin/python3");
    if !python.exists() {
        eprintln!("SKIPPED {test}: needs /usr/bin/python3 to connect as another user");
        return;
    }
    let Some(env) = protected_env(test) else {
        return;
    };
    let _agent = start_agent(&env, "10m");
    let sock = socket(&env);
    // Let the other user reach the socket, so only the agent's own check
    // (SO_PEERCRED) stands between them.
    for dir in [env.path(), &env.path().join("run"), sock.parent().unwrap()] {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o711)).unwrap();
    }
    std::fs::set_permissions(&sock, std::fs::Permissions::from_mode(0o666)).unwrap();
    let (uid, gid) = crate::discovery::attacker_ids();
    let client = format!(
        "import socket\ns = socket.socket(socket.AF_UNIX)\ns.connect({:?})\n\
         s.sendall(b'{{\"op\":\"derive\",\"info\":\"eA==\"}}\\n')\nprint(s.recv(4096).decode())\n",
        sock.display().to_string()
    );
    let out = std::process::Command::new("setpriv")
        .arg(format!("--reuid={uid}"))
        .arg(format!("--regid={gid}"))
        .arg("--init-groups")
        .arg("--")
        .arg(python)
        .arg("-c")
        .arg(&client)
        .env_clear()
        .output()
        .unwrap();
    let answer = String::from_utf8_lossy(&out.stdout);
    assert!(
        answer.contains("refused"),
        "another user was served: {answer}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!answer.contains("\"ok\":true"), "{answer}");
}
