//! Issue 14, the first hour: `sm ls` selects by whole segments or by the
//! access rules' globs, `sm log` takes `-n`/`--reverse` and marks lines that
//! fail verification, and a mistyped secret name suggests the nearest names.

use crate::common::TestEnv;

fn listed(env: &TestEnv, args: &[&str]) -> Vec<String> {
    let mut full = vec!["ls", "--json"];
    full.extend_from_slice(args);
    env.sm(&full)
        .success()
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn ls_prefix_matches_whole_segments_and_globs_match_like_rules() {
    let env = TestEnv::new();
    for name in [
        "prod/db",
        "prod/db/replica",
        "prod/db-plain",
        "prod/api/key",
        "staging/db",
    ] {
        env.put(name, b"v");
    }
    // A plain prefix is whole segments: not `prod/db-plain`.
    assert_eq!(listed(&env, &["prod/db"]), ["prod/db", "prod/db/replica"]);
    assert_eq!(
        listed(&env, &["prod/"]),
        [
            "prod/api/key",
            "prod/db",
            "prod/db-plain",
            "prod/db/replica"
        ]
    );
    assert_eq!(listed(&env, &["pro"]), Vec::<String>::new());
    // `*` stays within one segment, `**` crosses any depth.
    assert_eq!(listed(&env, &["prod/*"]), ["prod/db", "prod/db-plain"]);
    assert_eq!(
        listed(&env, &["prod/**"]),
        [
            "prod/api/key",
            "prod/db",
            "prod/db-plain",
            "prod/db/replica"
        ]
    );
    assert_eq!(listed(&env, &["*/db"]), ["prod/db", "staging/db"]);
    // The table form selects the same way.
    let out = env.sm(&["ls", "prod/db"]).success().stdout();
    assert!(
        out.contains("prod/db/replica") && !out.contains("db-plain"),
        "{out}"
    );
    // A broken glob is exit 2 naming it.
    env.sm(&["ls", "prod/["]).fails(2).stderr_has("prod/[");
}

fn logged(env: &TestEnv, args: &[&str]) -> Vec<(String, bool)> {
    let mut full = vec!["log", "--json"];
    full.extend_from_slice(args);
    env.sm(&full)
        .success()
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["secret"].as_str().unwrap_or_default().to_string(),
                e["verified"].as_bool().unwrap(),
            )
        })
        .collect()
}

#[test]
fn log_takes_newest_n_after_filters_and_reverse() {
    let env = TestEnv::new();
    for i in 0..5 {
        env.put(&format!("s{i}"), b"v");
    }
    env.get("s1");
    let names = |v: Vec<(String, bool)>| v.into_iter().map(|(n, _)| n).collect::<Vec<_>>();
    assert_eq!(
        names(logged(&env, &[])),
        ["s0", "s1", "s2", "s3", "s4", "s1"]
    );
    assert_eq!(names(logged(&env, &["-n", "2"])), ["s4", "s1"]);
    // -n applies after the other filters.
    assert_eq!(
        names(logged(&env, &["--op", "put", "-n", "2"])),
        ["s3", "s4"]
    );
    assert_eq!(
        names(logged(&env, &["--op", "put", "-n", "3", "--reverse"])),
        ["s4", "s3", "s2"]
    );
    assert_eq!(names(logged(&env, &["--reverse"]))[0], "s1");
    assert!(logged(&env, &[]).iter().all(|(_, ok)| *ok));
    // The text form has the newest first with --reverse.
    let out = env
        .sm(&["log", "-n", "1", "--op", "put"])
        .success()
        .stdout();
    assert!(out.contains("s4") && !out.contains("s3"), "{out}");
}

#[test]
fn log_marks_lines_that_fail_verification_and_exits_5() {
    let env = TestEnv::new();
    for i in 0..4 {
        env.put(&format!("s{i}"), b"v");
    }
    let path = env.log_file("alice");
    let original = std::fs::read_to_string(&path).unwrap();
    // Line 3 edited: its signature fails, and nothing after it is vouched for.
    std::fs::write(&path, original.replacen("\"s2\"", "\"sX\"", 1)).unwrap();
    let out = env.sm(&["log", "--json"]).fails(5);
    let marks: Vec<(String, bool)> = out
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["secret"].as_str().unwrap().to_string(),
                e["verified"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        marks,
        [
            ("s0".to_string(), true),
            ("s1".to_string(), true),
            ("sX".to_string(), false),
            ("s3".to_string(), false)
        ]
    );
    let out = env.sm(&["log"]).fails(5).stderr_has("failed verification");
    let text = out.stdout();
    for line in text.lines().skip(1) {
        let bad = line.contains("sX") || line.contains("s3");
        assert_eq!(line.starts_with('!'), bad, "{text}");
    }
    // Only verified lines selected: exit 0.
    env.sm(&["log", "s0"]).success();
}

#[test]
fn a_mistyped_secret_name_suggests_the_nearest_names() {
    let env = TestEnv::new();
    for name in [
        "prod/db",
        "prod/dc",
        "prod/api",
        "staging/db",
        "other/thing",
    ] {
        env.put(name, b"v");
    }
    let out = env.sm(&["get", "prod/dbb"]).fails(3);
    let err = out.stderr();
    assert!(err.contains("did you mean `prod/db`"), "{err}");
    assert!(!err.contains("other/thing"), "{err}");
    // Nothing near: no suggestion, the usual hint.
    let out = env.sm(&["get", "zzzzzzzzzzzz"]).fails(3);
    assert!(!out.stderr().contains("did you mean"), "{}", out.stderr());
    // Every command that names a secret suggests, a swap counting as one
    // edit.
    for args in [
        &["show", "prod/bd"][..],
        &["versions", "prod/dbb"],
        &["rm", "prod/dbb"],
        &["exec", "-s", "prod/dbb", "--", "true"],
    ] {
        let err = env.sm(args).fails(3).stderr();
        assert!(err.contains("did you mean `prod/db`"), "{args:?}: {err}");
    }
    let out = env.sm_in(&["inject"], b"{{ sm://prod/dbb }}\n").fails(3);
    assert!(
        out.stderr().contains("did you mean `prod/db`"),
        "{}",
        out.stderr()
    );
}
