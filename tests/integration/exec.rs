//! `sm exec`, `sm env` and `sm inject`: every selection form, env files,
//! duplicates, the program replacing sm (exit status, stdin, signals),
//! failures that stop the program from starting, `--clean-env`, values
//! kept out of argv, the export formats round-tripping through `sh`, and
//! the log entries.

use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::ExitStatusExt;
use std::process::Stdio;

use crate::common::{Run, TestEnv, have};

/// A value with every character a shell or a dotenv parser might trip on.
const TRICKY: &str = "it's \"quoted\" $HOME ${HOME} `id` $(id) # not a comment\n\
second line\twith tab \\ back\\\\slash \\n literal, ünïcode, trailing space ";

fn db_env() -> TestEnv {
    let env = TestEnv::new();
    env.put(
        "prod/db",
        br#"{"username":"admin","password":"p@ss w0rd","port":5432,"tls":true,"opts":{"a":[1,2]},"host-name":"db.local"}"#,
    );
    env.put("prod/api-key", b"key-one");
    env.put("prod/api-key", b"key-two");
    env
}

/// Runs `sm ARGS -- sh -c SCRIPT` and returns the result.
fn exec_sh(env: &TestEnv, args: &[&str], script: &str) -> Run {
    let mut all = vec!["exec"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--", "sh", "-c", script]);
    env.sm(&all)
}

/// Starts sm in the sealed environment with stdout piped, without waiting.
fn spawn_sm(env: &TestEnv, args: &[&str]) -> std::process::Child {
    let sealed = env.cmd();
    let mut cmd = std::process::Command::new(sealed.get_program());
    cmd.env_clear();
    for (key, value) in sealed.get_envs() {
        if let Some(value) = value {
            cmd.env(key, value);
        }
    }
    if let Some(dir) = sealed.get_current_dir() {
        cmd.current_dir(dir);
    }
    cmd.args(args)
        .stdout(Stdio::piped())
        .stdin(Stdio::null())
        .spawn()
        .unwrap()
}

#[test]
fn json_secret_gives_one_variable_per_field() {
    let env = db_env();
    let run = exec_sh(
        &env,
        &["-s", "prod/db"],
        r#"printf '%s|%s|%s|%s|%s|%s' "$USERNAME" "$PASSWORD" "$PORT" "$TLS" "$OPTS" "$HOST_NAME""#,
    )
    .success();
    assert_eq!(
        run.stdout(),
        r#"admin|p@ss w0rd|5432|true|{"a":[1,2]}|db.local"#
    );
    let run = exec_sh(
        &env,
        &["-s", "prod/db:DB_"],
        r#"printf '%s|%s|%s' "$DB_USERNAME" "$DB_PORT" "${USERNAME-unset}""#,
    )
    .success();
    assert_eq!(run.stdout(), "admin|5432|unset");
}

#[test]
fn plain_secret_and_named_forms() {
    let env = db_env();
    let run = exec_sh(
        &env,
        &[
            "-s",
            "prod/api-key",
            "-s",
            "prod/api-key=TOKEN",
            "-s",
            "prod/db#password=PGPASSWORD",
            "-s",
            "prod/db#username",
            "-s",
            "prod/db=DB_JSON",
        ],
        r#"printf '%s|%s|%s|%s|%s' "$API_KEY" "$TOKEN" "$PGPASSWORD" "$USERNAME" "$DB_JSON""#,
    )
    .success();
    let out = run.stdout();
    let parts: Vec<&str> = out.splitn(5, '|').collect();
    assert_eq!(parts[..4], ["key-two", "key-two", "p@ss w0rd", "admin"]);
    let whole: serde_json::Value = serde_json::from_str(parts[4]).unwrap();
    assert_eq!(whole["port"], 5432);
}

#[test]
fn label_and_version_pick_a_version() {
    let env = db_env();
    let first = env.version_ids("prod/api-key")[0].clone();
    let by_version = format!("prod/api-key=V?version={first}");
    let run = exec_sh(
        &env,
        &["-s", "prod/api-key=P?label=previous", "-s", &by_version],
        r#"printf '%s|%s' "$P" "$V""#,
    )
    .success();
    assert_eq!(run.stdout(), "key-one|key-one");
    exec_sh(&env, &["-s", "prod/api-key?label=nosuch"], "true")
        .fails(3)
        .stderr_has("nosuch");
}

#[test]
fn env_file_literals_and_references() {
    let env = db_env();
    let first = env.version_ids("prod/api-key")[0].clone();
    let file = env.path().join("app.env");
    std::fs::write(
        &file,
        format!(
            "# settings\n\nexport MODE=production # inline comment\nGREETING='hello $USER'\n\
             DB_PASS=sm://prod/db#password\nTOKEN=\"sm://prod/api-key\"\n\
             OLD_TOKEN=sm://prod/api-key?label=previous\nFIRST=sm://prod/api-key?version={first}\n"
        ),
    )
    .unwrap();
    let run = exec_sh(
        &env,
        &["--env-file", file.to_str().unwrap()],
        r#"printf '%s|%s|%s|%s|%s|%s' "$MODE" "$GREETING" "$DB_PASS" "$TOKEN" "$OLD_TOKEN" "$FIRST""#,
    )
    .success();
    assert_eq!(
        run.stdout(),
        "production|hello $USER|p@ss w0rd|key-two|key-one|key-one"
    );
    // A malformed line is invalid input, naming the file and line.
    std::fs::write(&file, "A=1\nnot an assignment\n").unwrap();
    exec_sh(&env, &["--env-file", file.to_str().unwrap()], "true")
        .fails(2)
        .stderr_has("app.env:2");
}

#[test]
fn duplicate_variables_fail_unless_override() {
    let env = db_env();
    let file = env.path().join("dup.env");
    std::fs::write(&file, "API_KEY=literal\n").unwrap();
    let marker = env.path().join("ran");
    let touch = format!("touch {}; printf %s \"$API_KEY\"", marker.display());
    exec_sh(
        &env,
        &["--env-file", file.to_str().unwrap(), "-s", "prod/api-key"],
        &touch,
    )
    .fails(2)
    .stderr_has("API_KEY")
    .stderr_has("--override");
    assert!(!marker.exists());
    // Two -s naming one variable, and a JSON field colliding with a name.
    exec_sh(
        &env,
        &["-s", "prod/db", "-s", "prod/api-key=USERNAME"],
        "true",
    )
    .fails(2);
    let run = exec_sh(
        &env,
        &[
            "--override",
            "--env-file",
            file.to_str().unwrap(),
            "-s",
            "prod/api-key",
        ],
        &touch,
    )
    .success();
    assert_eq!(run.stdout(), "key-two");
}

#[test]
fn exit_status_and_stdin_are_the_programs() {
    let env = db_env();
    exec_sh(&env, &["-s", "prod/api-key"], "exit 42").fails(42);
    let run = Run(env
        .cmd()
        .args(["exec", "-s", "prod/api-key", "--", "cat"])
        .write_stdin(b"piped input\x00\xff".to_vec())
        .output()
        .unwrap());
    assert_eq!(run.code(), 0);
    assert_eq!(run.0.stdout, b"piped input\x00\xff");
    // Killed by a signal: the status says so, as it would without sm.
    let status = env
        .cmd()
        .args(["exec", "--", "sh", "-c", "kill -KILL $$"])
        .output()
        .unwrap()
        .status;
    assert_eq!(status.signal(), Some(9));
}

#[test]
fn sigterm_reaches_the_program_which_replaced_sm() {
    let env = db_env();
    let mut child = spawn_sm(
        &env,
        &[
            "exec",
            "-s",
            "prod/api-key",
            "--",
            "sh",
            "-c",
            "trap 'echo \"got TERM $API_KEY\"; exit 7' TERM; echo \"ready $$\"; while :; do sleep 0.05; done",
        ],
    );
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let ready = lines.next().unwrap().unwrap();
    // The program runs under sm's own pid: sm exec'd it.
    assert_eq!(ready, format!("ready {}", child.id()));
    // SAFETY: kill sends a signal to the child we spawned.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGTERM);
    }
    let got = lines.next().unwrap().unwrap();
    assert_eq!(got, "got TERM key-two");
    assert_eq!(child.wait().unwrap().code(), Some(7));
}

#[test]
fn a_failing_reference_stops_the_program_from_starting() {
    let env = db_env();
    let marker = env.path().join("marker");
    let touch = format!("touch {}", marker.display());
    // Missing secret: 3.
    exec_sh(&env, &["-s", "prod/api-key", "-s", "prod/nope"], &touch)
        .fails(3)
        .stderr_has("prod/nope");
    // Missing field: 3.
    exec_sh(&env, &["-s", "prod/db#nofield=X"], &touch)
        .fails(3)
        .stderr_has("nofield");
    // A reference in an env file: 3.
    let file = env.path().join("bad.env");
    std::fs::write(&file, "OK=literal\nX=sm://prod/missing\n").unwrap();
    exec_sh(&env, &["--env-file", file.to_str().unwrap()], &touch).fails(3);
    // Bad syntax: 2, before the store is touched.
    exec_sh(&env, &["-s", "../escape"], &touch).fails(2);
    // Tampered ciphertext: 5.
    let id = env.version_ids("prod/api-key")[1].clone();
    let age = env
        .secret_dir("prod/api-key")
        .join("versions")
        .join(format!("{id}.age"));
    let other = env.version_ids("prod/api-key")[0].clone();
    std::fs::copy(
        env.secret_dir("prod/api-key")
            .join("versions")
            .join(format!("{other}.age")),
        &age,
    )
    .unwrap();
    exec_sh(&env, &["-s", "prod/db", "-s", "prod/api-key"], &touch).fails(5);
    // No access: an identity that is not a member (4).
    let stranger = env.path().join("stranger.txt");
    env.sm(&["identity", "new", "--file", stranger.to_str().unwrap()])
        .success();
    let run = Run(env
        .cmd()
        .env("SM_IDENTITY_FILE", &stranger)
        .args(["exec", "-s", "prod/db", "--", "sh", "-c", &touch])
        .output()
        .unwrap());
    run.fails(4);
    assert!(!marker.exists(), "the program ran despite a failure");
    // The same program does run when every reference resolves.
    exec_sh(&env, &["-s", "prod/db"], &touch).success();
    assert!(marker.exists());
}

#[test]
fn command_not_found_is_127_and_not_executable_is_126() {
    let env = db_env();
    env.sm(&["exec", "-s", "prod/api-key", "--", "no-such-program-xyz"])
        .fails(127)
        .stderr_has("not found");
    let script = env.path().join("noexec.sh");
    std::fs::write(&script, "#!/bin/sh\necho hi\n").unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o644)).unwrap();
    env.sm(&["exec", "--", script.to_str().unwrap()]).fails(126);
    // A CMD is required.
    env.sm(&["exec", "-s", "prod/api-key"]).fails(2);
}

#[test]
fn clean_env_keeps_only_secrets_and_kept_variables() {
    let env = db_env();
    let run = Run(env
        .cmd()
        .env("KEEP_ME", "kept")
        .env("DROP_ME", "dropped")
        .args([
            "exec",
            "--clean-env",
            "--keep",
            "KEEP_ME",
            "-s",
            "prod/api-key",
            "--",
            "env",
        ])
        .output()
        .unwrap());
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let mut lines: Vec<String> = run.stdout().lines().map(str::to_string).collect();
    lines.sort();
    assert_eq!(lines, ["API_KEY=key-two", "KEEP_ME=kept"]);
    // Without --clean-env the environment is inherited.
    let run = Run(env
        .cmd()
        .env("DROP_ME", "inherited")
        .args(["exec", "-s", "prod/api-key", "--", "env"])
        .output()
        .unwrap());
    assert!(run.stdout().contains("DROP_ME=inherited"));
}

#[test]
fn values_never_appear_in_any_cmdline() {
    let env = TestEnv::new();
    let value = "cmdline-canary-7f3a9c";
    env.put("canary", value.as_bytes());
    let mut child = spawn_sm(
        &env,
        &[
            "exec",
            "-s",
            "canary=CANARY",
            "--",
            "sh",
            "-c",
            "echo ready; sleep 30",
        ],
    );
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    assert_eq!(lines.next().unwrap().unwrap(), "ready");
    let mut checked = 0;
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        if let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) {
            checked += 1;
            assert!(
                !cmdline.windows(value.len()).any(|w| w == value.as_bytes()),
                "the value is in the argv of {:?}",
                entry.path()
            );
        }
    }
    assert!(checked > 2);
    // It is in the program's environment, which proves the check looked at
    // the right moment.
    let environ = std::fs::read(format!("/proc/{}/environ", child.id())).unwrap();
    assert!(
        environ
            .split(|b| *b == 0)
            .any(|kv| kv == format!("CANARY={value}").as_bytes())
    );
    child.kill().unwrap();
    child.wait().unwrap();
}

fn tricky_env() -> TestEnv {
    let env = TestEnv::new();
    env.put("app/tricky", TRICKY.as_bytes());
    env.put("app/quote", b"'");
    env.put("app/backslash-end", b"ends with \\");
    // A final newline is kept only from a file (a pipe drops one).
    let file = env.path().join("newline-end.txt");
    std::fs::write(&file, b"ends with newline\n").unwrap();
    env.sm(&["put", "app/newline-end", "--file", file.to_str().unwrap()])
        .success();
    env.put("app/empty-ish", b" ");
    env.put("app/no-dollar", NO_DOLLAR.as_bytes());
    env.put("app/no-quote", NO_QUOTE.as_bytes());
    env
}

/// Tricky, but without `$` or a backtick: python-dotenv reads it exactly.
const NO_DOLLAR: &str = "it's \"q\" \\ back\\\\slash # x\nline2 \\ end";
/// Tricky, but without `'` or `\\`: python-dotenv reads it exactly.
const NO_QUOTE: &str = "$HOME `id` $(id) \"dq\" # c\nl2 \\ single-back";

const TRICKY_VARS: [(&str, &str); 7] = [
    ("NO_DOLLAR", NO_DOLLAR),
    ("NO_QUOTE", NO_QUOTE),
    ("TRICKY", TRICKY),
    ("QUOTE", "'"),
    ("BACKSLASH_END", "ends with \\"),
    ("NEWLINE_END", "ends with newline\n"),
    ("EMPTY_ISH", " "),
];

fn tricky_selection() -> Vec<&'static str> {
    vec![
        "-s",
        "app/tricky",
        "-s",
        "app/quote",
        "-s",
        "app/backslash-end",
        "-s",
        "app/newline-end",
        "-s",
        "app/empty-ish",
        "-s",
        "app/no-dollar",
        "-s",
        "app/no-quote",
    ]
}

/// Runs `sh -c SCRIPT` in `dir` and returns stdout's bytes.
fn sh(dir: &std::path::Path, script: &str, var: &str) -> Vec<u8> {
    let out = std::process::Command::new("sh")
        .current_dir(dir)
        .env_clear()
        .env("VAR", var)
        .args(["-c", script])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
fn dotenv_format_round_trips_through_sh_and_sm() {
    let env = tricky_env();
    let mut args = vec!["env", "--format", "dotenv"];
    args.extend(tricky_selection());
    let run = env.sm(&args).success();
    let stderr = run.stderr();
    let warned: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("warning"))
        .map(|l| l.split('`').nth(1).unwrap_or(""))
        .collect();
    assert_eq!(warned, ["TRICKY", "BACKSLASH_END"], "{stderr}");
    let file = env.path().join("out.env");
    std::fs::write(&file, &run.0.stdout).unwrap();
    for (var, value) in TRICKY_VARS {
        let got = sh(
            env.path(),
            "set -a; . ./out.env; set +a; eval \"printf %s \\\"\\$$VAR\\\"\"",
            var,
        );
        assert_eq!(String::from_utf8(got).unwrap(), value, "{var} through sh");
    }
    // sm's own env-file reader reads it back too.
    let run = env
        .sm(&[
            "exec",
            "--env-file",
            file.to_str().unwrap(),
            "--",
            "sh",
            "-c",
            "printf %s \"$TRICKY\"",
        ])
        .success();
    assert_eq!(run.stdout(), TRICKY);
}

#[test]
fn dotenv_format_round_trips_through_python_dotenv() {
    if !have("python3", "dotenv_format_round_trips_through_python_dotenv") {
        return;
    }
    let probe = std::process::Command::new("python3")
        .args(["-c", "import dotenv"])
        .output()
        .unwrap();
    if !probe.status.success() {
        eprintln!("SKIPPED dotenv_format_round_trips_through_python_dotenv: no python dotenv");
        assert!(
            std::env::var_os("SM_REQUIRE_ALL_TOOLS").is_none(),
            "python3-dotenv is required in CI"
        );
        return;
    }
    let env = tricky_env();
    // A value holding both `'` (or `\\`) and `$` (or a backtick) has no
    // spelling that both a shell and python-dotenv read exactly, nor one
    // ending in a backslash (python-dotenv then reads on into the next
    // lines); sm writes those for the shell and warns (see `sm env --help`),
    // so they are left out here.
    let unportable = ["app/tricky", "app/backslash-end"];
    let mut args = vec!["env"];
    for name in tricky_selection().into_iter().filter(|a| *a != "-s") {
        if !unportable.contains(&name) {
            args.extend(["-s", name]);
        }
    }
    let run = env.sm(&args).success();
    let file = env.path().join("py.env");
    std::fs::write(&file, &run.0.stdout).unwrap();
    let out = std::process::Command::new("python3")
        .args([
            "-c",
            "import json, sys, dotenv; print(json.dumps(dotenv.dotenv_values(sys.argv[1])))",
            file.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let parsed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let skipped = ["TRICKY", "BACKSLASH_END"];
    for (var, value) in TRICKY_VARS.iter().filter(|(v, _)| !skipped.contains(v)) {
        assert_eq!(parsed[var], *value, "{var} through python-dotenv");
    }
}

#[test]
fn shell_format_round_trips_through_eval() {
    let env = tricky_env();
    let mut args = vec!["env", "--format", "shell"];
    args.extend(tricky_selection());
    let run = env.sm(&args).success();
    assert!(run.stdout().starts_with("export "));
    std::fs::write(env.path().join("out.sh"), &run.0.stdout).unwrap();
    for (var, value) in TRICKY_VARS {
        let got = sh(
            env.path(),
            "eval \"$(cat out.sh)\"; eval \"printf %s \\\"\\$$VAR\\\"\"",
            var,
        );
        assert_eq!(String::from_utf8(got).unwrap(), value, "{var} through eval");
    }
    // Exported: a child process sees them.
    let got = sh(env.path(), ". ./out.sh; sh -c 'printf %s \"$QUOTE\"'", "");
    assert_eq!(got, b"'");
}

#[test]
fn json_format_is_an_object_of_name_to_value() {
    let env = tricky_env();
    let mut args = vec!["env", "--format", "json"];
    args.extend(tricky_selection());
    let json = env.sm(&args).success().json();
    for (var, value) in TRICKY_VARS {
        assert_eq!(json[var], value);
    }
    let mut args = vec!["--json", "env"];
    args.extend(tricky_selection());
    assert_eq!(env.sm(&args).success().json()["QUOTE"], "'");
    // A failing reference prints nothing.
    let run = env
        .sm(&["env", "-s", "app/quote", "-s", "app/missing"])
        .fails(3);
    assert!(run.0.stdout.is_empty());
}

#[test]
fn inject_renders_a_template_into_a_private_file() {
    let env = db_env();
    let template = env.path().join("config.tmpl");
    std::fs::write(
        &template,
        "user = {{ sm://prod/db#username }}\npassword = \"{{sm://prod/db#password}}\"\n\
         old = {{ sm://prod/api-key?label=previous }}\nhelm = {{ .Values.keep }}\n",
    )
    .unwrap();
    let out = env.path().join("config.ini");
    env.sm(&[
        "inject",
        "-i",
        template.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ])
    .success();
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "user = admin\npassword = \"p@ss w0rd\"\nold = key-one\nhelm = {{ .Values.keep }}\n"
    );
    let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    // Standard input to standard output.
    let run = env
        .sm_in(&["inject"], b"k={{ sm://prod/api-key }}")
        .success();
    assert_eq!(run.stdout(), "k=key-two");
    // An unresolved reference writes nothing.
    let failed_out = env.path().join("never.ini");
    std::fs::write(
        &template,
        "a={{ sm://prod/db#username }}\nb={{ sm://prod/gone }}\n",
    )
    .unwrap();
    env.sm(&[
        "inject",
        "-i",
        template.to_str().unwrap(),
        "-o",
        failed_out.to_str().unwrap(),
    ])
    .fails(3)
    .stderr_has("prod/gone");
    assert!(!failed_out.exists());
    // Nor inside the store's own folders.
    let inside = env.store.join("secrets").join("rendered.txt");
    env.sm_in(
        &["inject", "-o", inside.to_str().unwrap()],
        b"{{ sm://prod/api-key }}",
    )
    .fails(2);
    assert!(!inside.exists());
}

fn log_entries(env: &TestEnv) -> Vec<serde_json::Value> {
    std::fs::read_to_string(env.log_file("alice"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn each_read_is_logged_with_the_program_and_versions() {
    let env = db_env();
    let api_ids = env.version_ids("prod/api-key");
    let before = log_entries(&env).len();
    exec_sh(
        &env,
        &[
            "-s",
            "prod/db#username",
            "-s",
            "prod/db#password=P",
            "-s",
            "prod/api-key",
        ],
        "exit 0 # --secret-arg",
    )
    .success();
    let log = std::fs::read_to_string(env.log_file("alice")).unwrap();
    assert!(!log.contains("p@ss w0rd") && !log.contains("key-two"));
    assert!(!log.contains("secret-arg"), "the log holds CMD's arguments");
    let entries = log_entries(&env);
    let new = &entries[before..];
    assert_eq!(new.len(), 2, "one entry per secret read: {new:?}");
    assert_eq!(new[0]["op"], "exec");
    assert_eq!(new[0]["secret"], "prod/db");
    assert_eq!(new[0]["program"], "sh");
    assert_eq!(new[0]["outcome"], "ok");
    assert_eq!(new[0]["detail"], "fields username,password");
    assert_eq!(new[1]["secret"], "prod/api-key");
    assert_eq!(new[1]["version"], api_ids[1].as_str());
    assert_eq!(new[1]["labels"][0], "current");

    // A failure is logged too.
    exec_sh(&env, &["-s", "prod/missing"], "true").fails(3);
    let entries = log_entries(&env);
    let last = entries.last().unwrap();
    assert_eq!(last["secret"], "prod/missing");
    assert_eq!(last["outcome"], "not_found");

    // env and inject log under their own names, without a program.
    env.sm(&["env", "-s", "prod/api-key"]).success();
    let entries = log_entries(&env);
    assert_eq!(entries.last().unwrap()["op"], "env");
    assert!(entries.last().unwrap().get("program").is_none());
    env.sm_in(&["inject"], b"{{ sm://prod/api-key?label=previous }}")
        .success();
    let entries = log_entries(&env);
    let last = entries.last().unwrap();
    assert_eq!(last["op"], "inject");
    assert_eq!(last["version"], api_ids[0].as_str());
    assert_eq!(last["labels"][0], "previous");
    env.sm(&["log", "verify"]).success();
}

#[test]
fn the_identity_key_in_sm_identity_is_not_passed_to_the_program() {
    let env = db_env();
    let key = std::fs::read_to_string(&env.identity).unwrap();
    let mut cmd = env.cmd();
    cmd.env_remove("SM_IDENTITY_FILE")
        .env("SM_IDENTITY", &key)
        .args([
            "exec",
            "-s",
            "prod/db",
            "--",
            "sh",
            "-c",
            "printf '%s|%s' \"${SM_IDENTITY:-unset}\" \"$USERNAME\"",
        ]);
    let out = cmd.output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "unset|admin",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
