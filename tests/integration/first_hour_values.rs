//! Issue 14, items 3 and 13: text from standard input or a pipe drops
//! exactly one trailing newline (a file and `--binary` keep the exact
//! bytes), `sm exec` hands the trimmed value, `sm scan` finds an old value
//! stored with its newline, and `sm import`'s rules: errors name the line,
//! empty values are refused or skipped, an unchanged value writes nothing,
//! and JSON on standard input is detected.

use crate::common::TestEnv;
use crate::scan::{findings, sm_at, write};

/// Runs `sh -c SCRIPT` with `$SM` the binary under test; returns stdout.
fn sh(env: &TestEnv, script: &str) -> std::process::Output {
    let out = env.shell(script).output().unwrap();
    assert!(
        out.status.success(),
        "{script}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn a_pipe_drops_exactly_one_trailing_newline() {
    let env = TestEnv::new();
    // The Quick start's first line: `sm put hello --stdin <<< 'world'`.
    env.sm_in(&["put", "hello", "--stdin"], b"world\n")
        .success();
    assert_eq!(env.get("hello"), b"world");
    // `echo pw | sm put db` (no --stdin: not a terminal, so standard input).
    sh(&env, "echo pw | \"$SM\" put db");
    assert_eq!(env.get("db"), b"pw");
    // A Windows line end goes as a whole.
    sh(&env, "printf 'pw\\r\\n' | \"$SM\" put crlf");
    assert_eq!(env.get("crlf"), b"pw");
    // Only one newline: a deliberate blank line stays.
    env.sm_in(&["put", "two", "--stdin"], b"a\nb\n\n").success();
    assert_eq!(env.get("two"), b"a\nb\n");
    // --binary keeps the exact bytes, even from a pipe.
    env.sm_in(&["put", "bin", "--stdin", "--binary"], b"raw\n")
        .success();
    assert_eq!(env.get("bin"), b"raw\n");
}

#[test]
fn a_file_keeps_its_final_newline() {
    let env = TestEnv::new();
    let file = env.path().join("value.txt");
    std::fs::write(&file, b"from-file\n").unwrap();
    env.sm(&["put", "file", "--file", file.to_str().unwrap()])
        .success();
    assert_eq!(env.get("file"), b"from-file\n");
    // `--file /dev/stdin` is the way to store a newline from a pipe.
    sh(&env, "echo kept | \"$SM\" put devstdin --file /dev/stdin");
    assert_eq!(env.get("devstdin"), b"kept\n");
}

#[test]
fn exec_hands_the_trimmed_value() {
    let env = TestEnv::new();
    sh(&env, "echo 's3cret-pw' | \"$SM\" put prod/pw");
    let out = env
        .sm(&[
            "exec",
            "-s",
            "prod/pw=PW",
            "--",
            "sh",
            "-c",
            "printf '[%s]' \"$PW\"",
        ])
        .success();
    assert_eq!(out.stdout(), "[s3cret-pw]");
}

#[test]
fn scan_finds_an_old_value_stored_with_a_newline_when_quoted_without_it() {
    let env = TestEnv::new();
    // Stored before the newline rule: the value ends in a newline.
    let file = env.path().join("old.txt");
    std::fs::write(&file, b"Old-Secret-Value-77\n").unwrap();
    env.sm(&["put", "prod/old", "--file", file.to_str().unwrap()])
        .success();
    let dir = env.path().join("tree");
    write(&dir, "config.py", "password = \"Old-Secret-Value-77\"\n");
    write(&dir, "clean.txt", "nothing to see\n");
    let run = sm_at(&env, &dir, &["scan", "--format", "json"]);
    assert_eq!(run.code(), 1, "{}", run.stderr());
    let got = findings(&run);
    assert!(
        got.contains(&("config.py".to_string(), "managed-secret".to_string())),
        "{got:?}"
    );
    assert!(!run.stdout().contains("Old-Secret-Value-77"));
}

#[test]
fn import_errors_name_the_line() {
    let env = TestEnv::new();
    // A name the store refuses, on line 3 of a .env file.
    write(env.path(), "bad.env", "A=1\n# comment\n..=x\n");
    env.sm(&["import", env.path().join("bad.env").to_str().unwrap()])
        .fails(2)
        .stderr_has("bad.env:3:");
    // And on line 3 of a JSON file.
    write(
        env.path(),
        "bad.json",
        "{\n  \"ok\": \"1\",\n  \"a//b\": \"2\"\n}\n",
    );
    env.sm(&["import", env.path().join("bad.json").to_str().unwrap()])
        .fails(2)
        .stderr_has("bad.json:3:");
    // Nothing was written.
    env.sm(&["get", "A"]).fails(3);
    env.sm(&["get", "ok"]).fails(3);
}

#[test]
fn import_refuses_an_empty_value_unless_skipped() {
    let env = TestEnv::new();
    let path = env.path().join("app.env");
    write(env.path(), "app.env", "A=one\nB=\nC=three\n");
    let p = path.to_str().unwrap();
    let run = env.sm(&["import", p]).fails(2).stderr_has("app.env:2:");
    assert!(run.stderr().contains("--skip-empty"), "{}", run.stderr());
    env.sm(&["get", "A"]).fails(3);
    let run = env
        .sm(&["import", p, "--skip-empty", "--json"])
        .success()
        .stderr_has("app.env:2:");
    let json = run.json();
    assert_eq!(json["imported"], 2);
    assert_eq!(json["skipped"], 1);
    assert_eq!(env.get("A"), b"one");
    assert_eq!(env.get("C"), b"three");
    env.sm(&["get", "B"]).fails(3);
}

#[test]
fn importing_an_unchanged_value_writes_no_version() {
    let env = TestEnv::new();
    let path = env.path().join("app.env");
    let p = path.to_str().unwrap();
    write(env.path(), "app.env", "A=first\nB=same\n");
    env.sm(&["import", p]).success();
    write(env.path(), "app.env", "A=second\nB=same\n");
    let json = env.sm(&["import", p, "--json"]).success().json();
    assert_eq!(json["imported"], 1);
    assert_eq!(json["unchanged"], 1);
    assert_eq!(env.version_ids("A").len(), 2);
    assert_eq!(env.version_ids("B").len(), 1);
    // Again: nothing changes, and `previous` still means the old value.
    let run = env.sm(&["import", p]).success();
    assert!(run.stderr().contains("2 unchanged"), "{}", run.stderr());
    assert_eq!(env.version_ids("A").len(), 2);
    let previous = env.sm(&["get", "A", "--label", "previous"]).success();
    assert_eq!(previous.0.stdout, b"first");
    assert_eq!(env.get("A"), b"second");
}

#[test]
fn json_on_standard_input_is_detected() {
    let env = TestEnv::new();
    env.sm_in(
        &["import", "-", "--prefix", "prod/app"],
        b"  \n{\"API_KEY\": \"k-123\", \"PORT\": 8080}\n",
    )
    .success();
    assert_eq!(env.get("prod/app/API_KEY"), b"k-123");
    assert_eq!(env.get("prod/app/PORT"), b"8080");
    // A .env on standard input still reads as one.
    env.sm_in(&["import", "-"], b"DOT=env-value\n").success();
    assert_eq!(env.get("DOT"), b"env-value");
}
