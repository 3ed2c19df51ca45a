//! Issue 14, the first hour with `sm exec`, `sm put` and `sm inject`: a
//! variable named implicitly (a JSON field, the last path segment) never
//! replaces an inherited one without `--override`, while `=VAR` and
//! env-file lines replace what they name; `--clean-env` inherits only the
//! kept variables. And the hints: `--` for the program, the shell history
//! for `sm put NAME VALUE`, the template line for `sm inject`.

use crate::common::{Run, TestEnv};

/// A store with a JSON secret holding a `path` field and a plain secret
/// whose last segment is `home`.
fn env() -> TestEnv {
    let env = TestEnv::new();
    env.put("prod/svc", br#"{"path":"/evil","token":"t0k"}"#);
    env.put("prod/home", b"/elsewhere");
    env
}

/// Runs `sm exec ARGS -- /bin/sh -c SCRIPT` (sh by its full path, so the
/// program starts whatever PATH it is given).
fn exec_sh(env: &TestEnv, args: &[&str], script: &str) -> Run {
    let mut all = vec!["exec"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--", "/bin/sh", "-c", script]);
    env.sm(&all)
}

/// Tells whether the program ran (it writes a marker with a shell builtin).
fn ran(env: &TestEnv) -> bool {
    env.path().join("ran").exists()
}

fn marker(env: &TestEnv) -> String {
    format!("echo x > '{}'; ", env.path().join("ran").display())
}

#[test]
fn a_json_field_never_replaces_an_inherited_path() {
    let env = env();
    let script = marker(&env) + "ls / >/dev/null";
    let run = exec_sh(&env, &["-s", "prod/svc"], &script)
        .fails(2)
        .stderr_has("`PATH`")
        .stderr_has("prod/svc")
        .stderr_has("--override");
    assert!(!run.stderr().contains("/evil"), "{}", run.stderr());
    assert!(!ran(&env), "the program ran");
    // A field named on its own is still named implicitly.
    exec_sh(&env, &["-s", "prod/svc#path"], &script)
        .fails(2)
        .stderr_has("`PATH`");
    // The last path segment: prod/home would replace HOME.
    exec_sh(&env, &["-s", "prod/home"], &script)
        .fails(2)
        .stderr_has("`HOME`")
        .stderr_has("prod/home");
    assert!(!ran(&env), "the program ran");
    // A prefix keeps the names clear of the inherited ones.
    exec_sh(
        &env,
        &["-s", "prod/svc:SVC_"],
        r#"printf '%s|%s' "$SVC_PATH" "$PATH""#,
    )
    .success()
    .stdout_has("/evil|/");
}

#[test]
fn override_lets_an_implicit_name_replace() {
    let env = env();
    let run = exec_sh(
        &env,
        &["-s", "prod/svc", "--override"],
        r#"printf '%s|%s' "$PATH" "$TOKEN""#,
    )
    .success();
    assert_eq!(run.stdout(), "/evil|t0k");
}

#[test]
fn explicit_names_replace_as_asked() {
    let env = env();
    let run = exec_sh(
        &env,
        &["-s", "prod/home=HOME", "-s", "prod/svc#path=PATH"],
        r#"printf '%s|%s' "$HOME" "$PATH""#,
    )
    .success();
    assert_eq!(run.stdout(), "/elsewhere|/evil");
    std::fs::write(
        env.path().join("app.env"),
        "HOME=sm://prod/home\nUSER=bob\n",
    )
    .unwrap();
    let file = env.path().join("app.env");
    let run = exec_sh(
        &env,
        &["--env-file", file.to_str().unwrap()],
        r#"printf '%s|%s' "$HOME" "$USER""#,
    )
    .success();
    assert_eq!(run.stdout(), "/elsewhere|bob");
}

#[test]
fn clean_env_counts_only_the_kept_variables_as_inherited() {
    let env = env();
    let run = exec_sh(
        &env,
        &["--clean-env", "-s", "prod/svc"],
        r#"printf '%s|%s' "$PATH" "$TOKEN""#,
    )
    .success();
    assert_eq!(run.stdout(), "/evil|t0k");
    let script = marker(&env);
    exec_sh(
        &env,
        &["--clean-env", "--keep", "PATH", "-s", "prod/svc"],
        &script,
    )
    .fails(2)
    .stderr_has("`PATH`");
    assert!(!ran(&env), "the program ran");
}

#[test]
fn exec_without_dashes_hints_at_them() {
    let env = env();
    for args in [
        &["exec", "-s", "prod/svc", "ls", "-l"][..],
        &["exec", "-s", "prod/svc", "ls"][..],
        &["exec", "-s", "prod/svc"][..],
    ] {
        env.sm(args)
            .fails(2)
            .stderr_has("hint: put the program")
            .stderr_has("-- CMD");
    }
    // Other usage errors say nothing about it.
    let run = env.sm(&["get"]).fails(2);
    assert!(
        !run.stderr().contains("hint: put the program"),
        "{}",
        run.stderr()
    );
}

#[test]
fn put_with_the_value_as_an_argument_warns_of_the_shell_history() {
    let env = TestEnv::new();
    env.sm(&["put", "prod/pw", "hunter2-value"])
        .success()
        .stderr_has("shell history")
        .stderr_has("--stdin");
    assert_eq!(env.get("prod/pw"), b"hunter2-value");
    let run = env.sm_in(&["put", "prod/pw2", "--stdin"], b"v");
    let run = run.success();
    assert!(!run.stderr().contains("shell history"), "{}", run.stderr());
}

#[test]
fn inject_errors_name_the_template_line() {
    let env = env();
    let template = env.path().join("app.tpl");
    std::fs::write(
        &template,
        "a={{ sm://prod/home }}\n\nb={{ sm://prod/missing }}\n",
    )
    .unwrap();
    let shown = template.display().to_string();
    env.sm(&["inject", "-i", &shown])
        .fails(3)
        .stderr_has(&format!("{shown}:3: "));
    std::fs::write(
        &template,
        "a={{ sm://prod/home }}\nb={{ sm://prod/svc#nope }}\n",
    )
    .unwrap();
    env.sm(&["inject", "-i", &shown])
        .fails(3)
        .stderr_has(&format!("{shown}:2: "))
        .stderr_has("nope");
    env.sm_in(&["inject"], b"x\n{{ sm://prod/svc#nope }}")
        .fails(3)
        .stderr_has("<stdin>:2: ");
}
