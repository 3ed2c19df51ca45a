//! `sm rotate`: the four steps and their inputs, generated values, failure
//! and resume at each step, cancel, timeouts, concurrent rotations,
//! schedules evaluated with SM_NOW, and hook trust.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::common::TestEnv;

/// A hook that records every call in `rec/` and fails at step S while
/// `rec/fail-S` exists; at create it prints `rec/print` if present.
fn recording_hook(env: &TestEnv) -> PathBuf {
    let rec = env.path().join("rec");
    std::fs::create_dir_all(&rec).unwrap();
    let hooks = env.store.join("hooks");
    std::fs::create_dir_all(&hooks).unwrap();
    let script = format!(
        r#"#!/bin/sh
rec='{}'
step="$1"
echo "$step" >> "$rec/calls"
printf '%s|%s|%s|%s|%s\n' "$SM_STEP" "$SM_SECRET" "$SM_VERSION_ID" "$SM_STORE" "$(pwd)" > "$rec/env-$step"
cat > "$rec/stdin-$step"
if [ -e "$rec/fail-$step" ]; then echo "hook: told to fail at $step" >&2; exit 3; fi
if [ "$step" = create ] && [ -e "$rec/print" ]; then cat "$rec/print"; fi
exit 0
"#,
        rec.display()
    );
    write_exec(&hooks.join("rec"), &script);
    rec
}

fn write_exec(path: &Path, text: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

fn calls(rec: &Path) -> Vec<String> {
    std::fs::read_to_string(rec.join("calls"))
        .unwrap_or_default()
        .lines()
        .map(str::to_string)
        .collect()
}

fn stdin_of(rec: &Path, step: &str) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(rec.join(format!("stdin-{step}"))).unwrap()).unwrap()
}

fn show(env: &TestEnv, name: &str) -> serde_json::Value {
    env.sm(&["show", name, "--json"]).success().json()
}

fn label(env: &TestEnv, name: &str, label: &str) -> Option<String> {
    labelled(&show(env, name), label)
}

/// The version carrying `label` in `sm show --json` output (labels are an
/// array of names there; each version lists its own).
fn labelled(shown: &serde_json::Value, label: &str) -> Option<String> {
    shown["versions"]
        .as_array()?
        .iter()
        .find(|v| {
            v["labels"]
                .as_array()
                .is_some_and(|l| l.iter().any(|x| x == label))
        })
        .and_then(|v| v["version_id"].as_str())
        .map(str::to_string)
}

fn log_text(env: &TestEnv) -> String {
    std::fs::read_to_string(env.log_file("alice")).unwrap()
}

/// A store with secret `api` = `v1` and the recording hook configured and
/// trusted (without rotating).
fn with_hook() -> (TestEnv, PathBuf) {
    let env = TestEnv::new();
    let rec = recording_hook(&env);
    env.put("api", b"v1");
    env.sm(&[
        "rotate",
        "api",
        "--hook",
        "hooks/rec",
        "--trust-hook",
        "--no-rotate-now",
    ])
    .success();
    (env, rec)
}

#[test]
fn steps_run_in_order_with_their_inputs() {
    let (env, rec) = with_hook();
    std::fs::write(rec.join("print"), "new-secret-value\n").unwrap();
    let old = label(&env, "api", "current").unwrap();
    let out = env.sm(&["rotate", "api", "--json"]).success().json();
    let id = out["version_id"].as_str().unwrap().to_string();
    assert_eq!(calls(&rec), ["create", "set", "test", "finish"]);
    assert_eq!(
        out["steps"],
        serde_json::json!(["create", "set", "test", "finish"])
    );
    // Exactly the printed value, without echo's newline.
    assert_eq!(env.get("api"), b"new-secret-value");
    let store = std::fs::canonicalize(&env.store).unwrap();
    for step in ["create", "set", "test", "finish"] {
        let line = std::fs::read_to_string(rec.join(format!("env-{step}"))).unwrap();
        let parts: Vec<&str> = line.trim_end().split('|').collect();
        assert_eq!(parts[0], step);
        assert_eq!(parts[1], "api");
        assert_eq!(parts[2], id, "SM_VERSION_ID is the pending version");
        assert_eq!(std::fs::canonicalize(parts[3]).unwrap(), store, "SM_STORE");
        assert_eq!(std::fs::canonicalize(parts[4]).unwrap(), store, "cwd");
        let input = stdin_of(&rec, step);
        assert_eq!(input["secret"], "api");
        assert_eq!(input["step"], step);
        assert_eq!(input["version_id"], id.as_str());
    }
    assert_eq!(stdin_of(&rec, "create")["current"], "v1");
    assert_eq!(stdin_of(&rec, "create")["pending"], serde_json::Value::Null);
    for step in ["set", "test"] {
        assert_eq!(stdin_of(&rec, step)["current"], "v1");
        assert_eq!(stdin_of(&rec, step)["pending"], "new-secret-value");
    }
    // The hook hears of finish after the move.
    assert_eq!(stdin_of(&rec, "finish")["current"], "new-secret-value");
    assert_eq!(stdin_of(&rec, "finish")["previous"], "v1");
    let shown = show(&env, "api");
    assert_eq!(labelled(&shown, "current").unwrap_or_default(), id.as_str());
    assert_eq!(
        labelled(&shown, "previous").unwrap_or_default(),
        old.as_str()
    );
    assert!(labelled(&shown, "pending").is_none());
    assert!(shown["rotation"]["last_rotated"].is_string());
    assert!(shown["rotation"].get("pending").is_none());
    // The log has one entry per step, and never a value.
    let log = log_text(&env);
    for step in ["create", "set", "test", "finish"] {
        assert!(
            log.contains(&format!("\"detail\":\"step {step}\"")),
            "{log}"
        );
    }
    assert!(!log.contains("new-secret-value") && !log.contains("\"v1\""));
    // Stdout is only read at create: `--json` output stays clean JSON.
    env.sm(&["verify"]).success();
}

#[test]
fn generate_without_a_hook_rotates_a_plain_and_a_json_secret() {
    let env = TestEnv::new();
    env.put("token", b"old-token");
    env.sm(&["rotate", "token", "--generate"]).success();
    let new = env.get("token");
    assert_eq!(new.len(), 32);
    assert_ne!(new, b"old-token");
    assert_eq!(
        env.sm(&["get", "token", "--label", "previous"])
            .success()
            .0
            .stdout,
        b"old-token"
    );

    env.put("db", br#"{"host":"h","pw":"old","password":"keep"}"#);
    env.sm(&["rotate", "db", "--generate", "--field", "pw"])
        .success();
    let v: serde_json::Value = serde_json::from_slice(&env.get("db")).unwrap();
    assert_eq!(v["host"], "h");
    assert_eq!(v["password"], "keep");
    assert_ne!(v["pw"], "old");
    assert_eq!(v["pw"].as_str().unwrap().len(), 32);
    // The setting sticks: the next rotation changes `pw` again.
    let before = v["pw"].clone();
    env.sm(&["rotate", "db"]).success();
    let v: serde_json::Value = serde_json::from_slice(&env.get("db")).unwrap();
    assert_ne!(v["pw"], before);
    assert_eq!(v["password"], "keep");
}

#[test]
fn hook_printing_nothing_without_generate_fails_at_create() {
    let (env, rec) = with_hook();
    env.sm(&["rotate", "api"])
        .fails(7)
        .stderr_has("step create")
        .stderr_has("printed no value");
    assert_eq!(calls(&rec), ["create"]);
    assert_eq!(env.get("api"), b"v1");
    // With --generate the same hook's silence means "generate it".
    env.sm(&["rotate", "api", "--generate"]).success();
    assert_eq!(env.get("api").len(), 32);
}

#[test]
fn a_failed_step_stops_with_exit_7_and_resumes_with_the_same_version() {
    for step in ["create", "set", "test", "finish"] {
        let (env, rec) = with_hook();
        std::fs::write(rec.join("print"), "rotated-value").unwrap();
        let before = label(&env, "api", "current").unwrap();
        std::fs::write(rec.join(format!("fail-{step}")), "").unwrap();
        let run = env
            .sm(&["rotate", "api"])
            .fails(7)
            .stderr_has(&format!("step {step}"))
            .stderr_has("hook: told to fail");
        assert!(!run.stderr().contains("rotated-value"));
        let shown = show(&env, "api");
        let pending = &shown["rotation"]["pending"];
        assert_eq!(pending["step"], step, "{shown}");
        assert!(pending["error"].as_str().unwrap().contains("status 3"));
        let id = pending["version_id"].as_str().unwrap().to_string();
        if step == "finish" {
            // The move happened before the hook was told.
            assert_eq!(labelled(&shown, "current").unwrap_or_default(), id.as_str());
        } else {
            assert_eq!(
                labelled(&shown, "current").unwrap_or_default(),
                before.as_str(),
                "current untouched"
            );
            assert_eq!(env.get("api"), b"v1");
        }
        if step != "create" && step != "finish" {
            assert_eq!(labelled(&shown, "pending").unwrap_or_default(), id.as_str());
            assert_eq!(
                env.sm(&["get", "api", "--label", "pending"])
                    .success()
                    .0
                    .stdout,
                b"rotated-value"
            );
        }
        env.sm(&["show", "api"])
            .success()
            .stdout_has(&format!("rotation failed at step {step}"));
        assert!(log_text(&env).contains("rotation_failed"));

        // Still failing: the same step again, the same version id.
        env.sm(&["rotate", "api"]).fails(7);
        assert_eq!(
            show(&env, "api")["rotation"]["pending"]["version_id"],
            id.as_str()
        );

        std::fs::remove_file(rec.join(format!("fail-{step}"))).unwrap();
        let out = env.sm(&["rotate", "api", "--json"]).success().json();
        assert_eq!(
            out["version_id"],
            id.as_str(),
            "resumed with the same version id"
        );
        assert_eq!(out["resumed_at"], step);
        let all = calls(&rec);
        let creates = all.iter().filter(|c| *c == "create").count();
        let expected_creates = if step == "create" { 3 } else { 1 };
        assert_eq!(
            creates, expected_creates,
            "create is not run again: {all:?}"
        );
        assert_eq!(all.last().unwrap(), "finish");
        let shown = show(&env, "api");
        assert_eq!(labelled(&shown, "current").unwrap_or_default(), id.as_str());
        assert_eq!(
            labelled(&shown, "previous").unwrap_or_default(),
            before.as_str()
        );
        assert!(shown["rotation"].get("pending").is_none());
        assert_eq!(env.get("api"), b"rotated-value");
        env.sm(&["verify"]).success();
    }
}

#[test]
fn cancel_drops_the_pending_rotation() {
    let (env, rec) = with_hook();
    std::fs::write(rec.join("print"), "never-current").unwrap();
    std::fs::write(rec.join("fail-set"), "").unwrap();
    env.sm(&["rotate", "api"]).fails(7);
    let id = show(&env, "api")["rotation"]["pending"]["version_id"]
        .as_str()
        .unwrap()
        .to_string();
    env.sm(&["rotate", "api", "--cancel"]).success();
    let shown = show(&env, "api");
    assert!(shown["rotation"].get("pending").is_none());
    assert!(labelled(&shown, "pending").is_none());
    assert_eq!(env.get("api"), b"v1");
    env.sm(&["rotate", "api", "--cancel"])
        .fails(3)
        .stderr_has("no rotation in progress");
    // A new rotation starts over with a new version id.
    std::fs::remove_file(rec.join("fail-set")).unwrap();
    let out = env.sm(&["rotate", "api", "--json"]).success().json();
    assert_ne!(out["version_id"], id.as_str());
    assert!(log_text(&env).contains("\"detail\":\"cancel\""));
}

#[test]
fn a_step_that_runs_too_long_is_killed_with_its_process_group() {
    let env = TestEnv::new();
    env.put("slow", b"v1");
    let pidfile = env.path().join("bg.pid");
    std::fs::create_dir_all(env.store.join("hooks")).unwrap();
    write_exec(
        &env.store.join("hooks/slow"),
        &format!(
            "#!/bin/sh\n[ \"$1\" = set ] || exit 0\nsleep 120 &\necho $! > '{}'\nsleep 120\n",
            pidfile.display()
        ),
    );
    env.sm(&[
        "rotate",
        "slow",
        "--hook",
        "hooks/slow",
        "--trust-hook",
        "--generate",
        "--timeout",
        "1",
    ])
    .fails(7)
    .stderr_has("longer than 1 s");
    let started = Instant::now();
    env.sm(&["rotate", "slow"]).fails(7).stderr_has("step set");
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "the timeout stopped it"
    );
    let pid = std::fs::read_to_string(&pidfile).unwrap();
    // Dead, or a zombie waiting for a container's init to reap it.
    let alive = std::fs::read_to_string(format!("/proc/{}/stat", pid.trim()))
        .map(|stat| {
            let state = stat.rsplit(')').next().unwrap_or("").trim_start();
            !state.starts_with('Z') && !state.starts_with('X')
        })
        .unwrap_or(false);
    assert!(!alive, "the hook's background child was killed too");
    assert_eq!(show(&env, "slow")["rotation"]["pending"]["step"], "set");
    assert_eq!(env.get("slow"), b"v1");
}

#[test]
fn a_second_rotation_of_the_same_secret_gets_exit_6_and_other_writes_go_on() {
    let env = TestEnv::new();
    env.put("busy", b"v1");
    env.put("other", b"o1");
    let gate = env.path().join("gate");
    std::fs::create_dir_all(&gate).unwrap();
    std::fs::create_dir_all(env.store.join("hooks")).unwrap();
    write_exec(
        &env.store.join("hooks/wait"),
        &format!(
            "#!/bin/sh\n[ \"$1\" = set ] || exit 0\ntouch '{g}/started'\ni=0\nwhile [ ! -e '{g}/release' ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done\n",
            g = gate.display()
        ),
    );
    env.sm(&[
        "rotate",
        "busy",
        "--hook",
        "hooks/wait",
        "--trust-hook",
        "--generate",
        "--no-rotate-now",
    ])
    .success();
    let mut first = env
        .std_cmd()
        .args(["rotate", "busy"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while !gate.join("started").exists() {
        assert!(
            Instant::now() < deadline,
            "the first rotation never reached set"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    env.sm(&["rotate", "busy"])
        .fails(6)
        .stderr_has("being rotated by another sm process");
    env.sm(&["rotate", "busy", "--cancel"]).fails(6);
    // Writes to other secrets (and this one) are not blocked.
    env.put("other", b"o2");
    assert_eq!(env.get("other"), b"o2");
    env.sm_in(&["put", "busy", "--stdin", "--label", "blue"], b"side")
        .success();
    std::fs::write(gate.join("release"), "").unwrap();
    assert!(first.wait().unwrap().success());
    assert_eq!(env.get("busy").len(), 32);
}

/// Runs `sm` with SM_NOW set.
fn at(env: &TestEnv, now: &str, args: &[&str]) -> crate::common::Run {
    crate::common::Run(env.cmd().env("SM_NOW", now).args(args).output().unwrap())
}

#[test]
fn every_schedule_runs_when_due_with_dry_run_and_overdue_flags() {
    let env = TestEnv::new();
    env.put("s", b"v1");
    at(
        &env,
        "2030-01-01T00:00:00Z",
        &[
            "rotate",
            "s",
            "--generate",
            "--every",
            "30d",
            "--no-rotate-now",
        ],
    )
    .success();
    assert_eq!(env.get("s"), b"v1", "--no-rotate-now");
    let shown = at(&env, "2030-01-10T00:00:00Z", &["show", "s", "--json"])
        .success()
        .json();
    assert_eq!(shown["next_rotation"], "2030-01-31T00:00:00.000Z");
    assert_eq!(shown["rotation_due"], false);

    at(&env, "2030-01-10T00:00:00Z", &["rotate", "--due"])
        .success()
        .stdout_has("not due    s: next at 2030-01-31T00:00:00.000Z")
        .stdout_has("rotated 0, failed 0, not due 1");
    assert_eq!(env.get("s"), b"v1");

    // Overdue: flagged by ls and show; a dry run changes nothing.
    at(&env, "2030-03-01T00:00:00Z", &["ls"])
        .success()
        .stdout_has("OVERDUE");
    at(&env, "2030-03-01T00:00:00Z", &["show", "s"])
        .success()
        .stdout_has("(overdue)");
    at(
        &env,
        "2030-03-01T00:00:00Z",
        &["rotate", "--due", "--dry-run"],
    )
    .success()
    .stdout_has("would rotate s");
    assert_eq!(env.get("s"), b"v1");

    at(&env, "2030-03-01T00:00:00Z", &["rotate", "--due"])
        .success()
        .stdout_has("rotated    s");
    assert_eq!(env.get("s").len(), 32);
    // The rotation time is the schedule clock: not due again until April.
    at(&env, "2030-03-01T00:00:00Z", &["rotate", "--due"])
        .success()
        .stdout_has("next at 2030-03-31T00:00:00.000Z");
    let shown = at(&env, "2030-03-02T00:00:00Z", &["show", "s", "--json"])
        .success()
        .json();
    assert_eq!(
        shown["rotation"]["last_rotated"],
        "2030-03-01T00:00:00.000Z"
    );

    // Configuring a schedule without --no-rotate-now rotates at once.
    let before = env.get("s");
    env.sm(&["rotate", "s", "--every", "12h"]).success();
    assert_ne!(env.get("s"), before);
}

#[test]
fn rate_and_cron_schedules_honour_their_window() {
    let env = TestEnv::new();
    env.put("r", b"v1");
    env.put("c", b"v1");
    let t0 = "2030-01-01T00:00:00Z";
    at(
        &env,
        t0,
        &[
            "rotate",
            "r",
            "--generate",
            "--schedule",
            "rate(10 days)",
            "--window",
            "2h",
            "--no-rotate-now",
        ],
    )
    .success();
    at(
        &env,
        t0,
        &[
            "rotate",
            "c",
            "--generate",
            "--schedule",
            "cron(0 16 1,15 * ? *)",
            "--window",
            "3h",
            "--no-rotate-now",
        ],
    )
    .success();

    // 2030-01-11T03:00: r's window (00:00-02:00) was missed; c is not due.
    let run = at(&env, "2030-01-11T03:00:00Z", &["rotate", "--due"]).success();
    // c's first time (Jan 1, 16:00) passed unnoticed, so its window is gone.
    run.stdout_has("not due    c: missed the window after 2030-01-01T16:00:00.000Z; next at 2030-01-15T16:00:00.000Z")
        .stdout_has("not due    r: missed the window after 2030-01-11T00:00:00.000Z; next at 2030-01-21T00:00:00.000Z");
    at(&env, "2030-01-11T03:00:00Z", &["show", "r"])
        .success()
        .stdout_has("window after 2030-01-11T00:00:00.000Z was missed");
    assert_eq!(env.get("r"), b"v1");

    // 2030-01-15T17:00: inside c's window; r still waits.
    at(&env, "2030-01-15T17:00:00Z", &["rotate", "--due"])
        .success()
        .stdout_has("rotated    c")
        .stdout_has("not due    r");
    assert_eq!(env.get("c").len(), 32);
    assert_eq!(env.get("r"), b"v1");

    // 2030-01-21T01:00: inside r's next window.
    at(&env, "2030-01-21T01:00:00Z", &["rotate", "--due", "--json"]).success();
    assert_eq!(env.get("r").len(), 32);
    let shown = at(&env, "2030-01-21T01:00:00Z", &["show", "c", "--json"])
        .success()
        .json();
    assert_eq!(shown["next_rotation"], "2030-02-01T16:00:00.000Z");
}

#[test]
fn bad_schedules_are_exit_2() {
    let env = TestEnv::new();
    env.put("s", b"v1");
    for args in [
        &["--every", "0d"][..],
        &["--every", "1001d"],
        &["--every", "3h"],
        &["--every", "soon"],
        &["--schedule", "rate(3 hours)"],
        &["--schedule", "rate(2 weeks)"],
        &["--schedule", "cron(0 16 1,15 * * *)"],
        &["--schedule", "cron(*/5 * * * ? *)"],
        &["--schedule", "cron(0 16 * *)"],
        &["--schedule", "every tuesday"],
        &["--every", "30d", "--window", "2h"],
        &["--schedule", "rate(1 day)", "--window", "2d"],
        &["--window", "2h"],
    ] {
        let mut all = vec!["rotate", "s", "--generate"];
        all.extend_from_slice(args);
        env.sm(&all).fails(2);
    }
    assert!(show(&env, "s")["rotation"].is_null(), "nothing was stored");
    assert_eq!(env.get("s"), b"v1");
    env.cmd()
        .env("SM_NOW", "yesterday")
        .args(["rotate", "--due"])
        .assert()
        .code(2);
}

#[test]
fn due_reports_failures_with_a_summary_and_a_nonzero_exit() {
    let (env, rec) = with_hook();
    std::fs::write(rec.join("fail-test"), "").unwrap();
    env.put("ok", b"v1");
    at(
        &env,
        "2030-01-01T00:00:00Z",
        &[
            "rotate",
            "ok",
            "--generate",
            "--every",
            "1d",
            "--no-rotate-now",
        ],
    )
    .success();
    at(
        &env,
        "2030-01-01T00:00:00Z",
        &[
            "rotate",
            "api",
            "--generate",
            "--every",
            "1d",
            "--no-rotate-now",
        ],
    )
    .success();
    at(&env, "2030-01-05T00:00:00Z", &["rotate", "--due"])
        .fails(7)
        .stdout_has("failed     api")
        .stdout_has("rotated    ok")
        .stdout_has("rotated 1, failed 1, not due 0");
    // The overdue, failed one resumes on the next run.
    std::fs::remove_file(rec.join("fail-test")).unwrap();
    at(&env, "2030-01-05T01:00:00Z", &["rotate", "--due"])
        .success()
        .stdout_has("rotated    api");
}

#[test]
fn hooks_run_only_when_trusted_and_unchanged() {
    let env = TestEnv::new();
    let rec = recording_hook(&env);
    env.put("api", b"v1");
    env.sm(&["rotate", "api", "--hook", "hooks/rec", "--generate"])
        .fails(4)
        .stderr_has("not trusted")
        .stderr_has("--trust-hook");
    assert!(calls(&rec).is_empty(), "nothing ran");
    let shown = show(&env, "api");
    assert!(shown["rotation"].get("pending").is_none());
    assert_eq!(shown["versions"].as_array().unwrap().len(), 1);

    env.sm(&["rotate", "api", "--trust-hook"]).success();
    assert_eq!(calls(&rec).len(), 4);
    let trusted = std::fs::read_to_string(env.home.join(".config/sm/trusted_hooks.toml")).unwrap();
    assert!(trusted.contains("hooks/rec") && trusted.contains("sha256"));

    // A changed hook is refused until trusted again.
    let path = env.store.join("hooks/rec");
    let text = std::fs::read_to_string(&path).unwrap();
    write_exec(&path, &text.replace("exit 0", "echo changed >&2\nexit 0"));
    env.sm(&["rotate", "api"])
        .fails(4)
        .stderr_has("changed since you trusted it");
    assert_eq!(calls(&rec).len(), 4, "nothing ran");
    env.sm(&["rotate", "api", "--trust-hook"]).success();
    assert_eq!(calls(&rec).len(), 8);

    // A script given to an interpreter is pinned too.
    write_exec(&env.store.join("hooks/inner.sh"), "exit 0\n");
    env.sm(&[
        "rotate",
        "api",
        "--hook",
        "sh hooks/inner.sh",
        "--trust-hook",
    ])
    .success();
    write_exec(&env.store.join("hooks/inner.sh"), "echo evil >&2\nexit 0\n");
    env.sm(&["rotate", "api"]).fails(4);
}

/// A tiny key-issuing HTTP API for the `http-api-key` example.
const FAKE_API: &str = r#"
import http.server, sys
keys = {"key-0"}
count = [0]
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def key(self):
        k = self.headers.get("Authorization", "")[len("Bearer "):]
        return k if k in keys else None
    def reply(self, code, body=b""):
        self.send_response(code); self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
    def do_POST(self):
        if not self.key(): return self.reply(401)
        count[0] += 1; k = "key-%d" % count[0]; keys.add(k)
        self.reply(200, ('{"key": "%s"}' % k).encode())
    def do_GET(self):
        if self.path == "/valid":
            return self.reply(200, ",".join(sorted(keys)).encode())
        self.reply(200 if self.key() else 401)
    def do_DELETE(self):
        k = self.key()
        if not k: return self.reply(401)
        keys.discard(k); self.reply(204)
s = http.server.HTTPServer(("127.0.0.1", 0), H)
print(s.server_address[1], flush=True)
s.serve_forever()
"#;

#[test]
fn http_api_key_example_issues_tests_and_revokes() {
    if !crate::common::have("python3", "http_api_key_example_issues_tests_and_revokes") {
        return;
    }
    use std::io::BufRead;
    let env = TestEnv::new();
    let mut server = std::process::Command::new("python3")
        .args(["-c", FAKE_API])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut port = String::new();
    std::io::BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut port)
        .unwrap();
    let base = format!("http://127.0.0.1:{}", port.trim());
    let valid = || -> String {
        let out = std::process::Command::new("python3")
            .args(["-c", &format!("import urllib.request;print(urllib.request.urlopen('{base}/valid').read().decode())")])
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    env.put("api-key", b"key-0");
    let hook = format!(
        "'{}' {base}",
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples/rotation/http-api-key")
            .display()
    );
    env.sm(&["rotate", "api-key", "--hook", &hook, "--trust-hook"])
        .success();
    assert_eq!(env.get("api-key"), b"key-1");
    assert_eq!(valid(), "key-1", "the old key was revoked at finish");
    env.sm(&["rotate", "api-key"]).success();
    assert_eq!(env.get("api-key"), b"key-2");
    assert_eq!(valid(), "key-2");
    let _ = server.kill();
    let _ = server.wait();
}
