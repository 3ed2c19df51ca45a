//! `.gitleaks.toml` compatibility: custom rules found (and described in
//! SARIF), each allowlist kind suppressing, `gitleaks:allow` comments, a
//! regex sm cannot compile as a one-line exit 2, hostile configurations
//! failing cleanly and fast, and this store's values found whatever the
//! file allows.
//!
//! Test credentials are assembled at run time so this file holds none.

use std::time::{Duration, Instant};

use crate::common::TestEnv;
use crate::scan::{fill, findings, git, repo, sm_at, validate_sarif_schema, write};

/// A value of the custom rule's format.
fn acme(tail: &str) -> String {
    format!("{}{}", "ACMEx", fill(tail, 20))
}

/// An AWS access key id (one of sm's own rules).
fn aws() -> String {
    format!("{}{}", "AKIA", "Z7XQ4MNB2KDL3PWA")
}

const RULE: &str = r#"
[[rules]]
id = "acme-key"
description = "ACME deploy key"
regex = '''(?:deploy=)?\b(ACMEx[0-9A-Z]{20})\b'''
keywords = ["acmex"]
"#;

/// The rules of a JSON report as (path, rule) pairs, sorted.
fn found(env: &TestEnv, dir: &std::path::Path, args: &[&str]) -> Vec<(String, String)> {
    let mut all = vec!["scan", "--no-store", "--format", "json"];
    all.extend_from_slice(args);
    let run = sm_at(env, dir, &all);
    assert!(matches!(run.code(), 0 | 1), "{}", run.stderr());
    let mut list = findings(&run);
    list.sort();
    list
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = list
        .iter()
        .map(|(p, r)| (p.to_string(), r.to_string()))
        .collect();
    v.sort();
    v
}

#[test]
fn custom_rule_is_found_and_described_in_sarif() {
    let env = TestEnv::new();
    let dir = repo(&env, "proj");
    write(&dir, ".gitleaks.toml", RULE);
    write(
        &dir,
        "src/deploy.txt",
        format!("ref {}\n", acme("K7Q2M9X4B8")),
    );
    write(&dir, "src/gh.txt", format!("{}\n", aws()));
    write(&dir, "src/near.txt", "ref ACMEx12345\n");
    assert_eq!(
        found(&env, &dir, &[]),
        pairs(&[
            ("src/deploy.txt", "acme-key"),
            ("src/gh.txt", "aws-access-key-id")
        ])
    );
    // From a subfolder, the repository root's file still applies.
    let sub = dir.join("src");
    let run = sm_at(&env, &sub, &["scan", "--no-store", "--format", "json", "."]);
    assert!(
        findings(&run).iter().any(|(_, r)| r == "acme-key"),
        "{}",
        run.stdout()
    );
    // SARIF describes the custom rule beside sm's own, and stays valid.
    let run = sm_at(&env, &dir, &["scan", "--no-store", "--format", "sarif"]);
    assert_eq!(run.code(), 1, "{}", run.stderr());
    let sarif = run.json();
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let custom = rules.iter().find(|r| r["id"] == "acme-key").unwrap();
    assert_eq!(custom["shortDescription"]["text"], "ACME deploy key");
    assert!(
        custom["help"]["text"]
            .as_str()
            .unwrap()
            .contains(".gitleaks.toml")
    );
    assert_eq!(
        custom["properties"]["tags"],
        serde_json::json!(["security", "secret"])
    );
    let result = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "acme-key")
        .unwrap()
        .clone();
    let index = result["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(rules[index]["id"], "acme-key");
    let file = env.path().join("custom.sarif");
    std::fs::write(&file, &run.0.stdout).unwrap();
    validate_sarif_schema(&file);
}

#[test]
fn each_allowlist_kind_suppresses() {
    let env = TestEnv::new();
    let dir = repo(&env, "proj");
    let config = format!(
        r#"{RULE}
[[rules.allowlists]]
description = "the match, not only the secret"
regexTarget = "match"
regexes = ['''^deploy=''']

[[rules]]
id = "aws-access-key-id"
[[rules.allowlists]]
description = "extends sm's own rule"
paths = ['''^ext/''']

[[allowlists]]
description = "paths"
paths = ['''^vendor/''', '''(?:^|/)fixtures/''']

[[allowlists]]
description = "the secret"
regexes = ['''K7Q2M9X4B8QQ''']

[[allowlists]]
description = "the line"
regexTarget = "line"
regexes = ['''(?i)\bnot[ _-]?secret\b''']

[[allowlists]]
description = "stopwords"
stopwords = ["zzdemo"]

[[allowlists]]
description = "only for sm's rule"
targetRules = ["aws-access-key-id"]
paths = ['''^gh-only/''']

[[allowlists]]
description = "both conditions"
condition = "AND"
paths = ['''^both/''']
regexes = ['''PPPP''']
"#
    );
    write(&dir, ".gitleaks.toml", config);
    let gh = aws();
    let files: &[(&str, String)] = &[
        ("kept/a.txt", format!("k {}\n", acme("A7Q2M9X4B8"))),
        ("kept/gh.txt", format!("{gh}\n")),
        ("vendor/a.txt", format!("k {}\n", acme("A7Q2M9X4B8"))),
        ("x/fixtures/gh.txt", format!("{gh}\n")),
        ("secret/a.txt", format!("k {}\n", acme("K7Q2M9X4B8QQ"))),
        (
            "line/a.txt",
            format!("k {} # not secret\n", acme("A7Q2M9X4B8")),
        ),
        ("stop/a.txt", format!("k {}\n", "ACMEx8ZZDEMO8ABCDEF123456")),
        ("match/a.txt", format!("deploy={}\n", acme("A7Q2M9X4B8"))),
        ("ext/gh.txt", format!("{gh}\n")),
        ("ext/a.txt", format!("k {}\n", acme("A7Q2M9X4B8"))),
        ("gh-only/gh.txt", format!("{gh}\n")),
        ("gh-only/a.txt", format!("k {}\n", acme("A7Q2M9X4B8"))),
        ("both/a.txt", format!("k {}\n", acme("PPPPM9X4B8"))),
        ("both/b.txt", format!("k {}\n", acme("A7Q2M9X4B8"))),
        ("other/a.txt", format!("k {}\n", acme("PPPPM9X4B8"))),
    ];
    for (path, text) in files {
        write(&dir, path, text);
    }
    assert_eq!(
        found(&env, &dir, &[]),
        pairs(&[
            ("both/b.txt", "acme-key"),
            ("ext/a.txt", "acme-key"),
            ("gh-only/a.txt", "acme-key"),
            ("kept/a.txt", "acme-key"),
            ("kept/gh.txt", "aws-access-key-id"),
            ("other/a.txt", "acme-key"),
        ])
    );
    // The same allowlists apply to the staged blobs.
    git(&env, &dir, &["add", "-A"]).success();
    let staged = found(&env, &dir, &["--staged"]);
    assert_eq!(staged.len(), 6, "{staged:?}");
}

#[test]
fn commits_allowlist_applies_to_history() {
    let env = TestEnv::new();
    let dir = repo(&env, "proj");
    write(&dir, "a.txt", format!("k {}\n", acme("A7Q2M9X4B8")));
    git(&env, &dir, &["add", "-A"]).success();
    git(&env, &dir, &["commit", "-qm", "one"]).success();
    let first = git(&env, &dir, &["rev-parse", "HEAD"])
        .stdout()
        .trim()
        .to_string();
    write(&dir, "b.txt", format!("k {}\n", acme("B7Q2M9X4B8")));
    git(&env, &dir, &["add", "-A"]).success();
    git(&env, &dir, &["commit", "-qm", "two"]).success();
    write(
        &dir,
        ".gitleaks.toml",
        format!("{RULE}\n[allowlist]\ncommits = [\"{first}\"]\n"),
    );
    assert_eq!(
        found(&env, &dir, &["--history"]),
        pairs(&[("b.txt", "acme-key")])
    );
}

#[test]
fn gitleaks_allow_comment_allows_its_line() {
    let env = TestEnv::new();
    let dir = env.path().join("tree");
    let gh = aws();
    write(
        &dir,
        "app.py",
        format!("A = \"{gh}\"  # gitleaks:allow\nB = \"{gh}\"\n"),
    );
    let run = sm_at(&env, &dir, &["scan", "--no-store", "--format", "json"]);
    let list = run.json()["findings"].as_array().unwrap().clone();
    assert_eq!(list.len(), 1, "{}", run.stdout());
    assert_eq!(list[0]["line"], 2);
}

#[test]
fn a_regex_sm_cannot_compile_is_a_one_line_exit_2() {
    let env = TestEnv::new();
    let dir = repo(&env, "proj");
    write(&dir, "a.txt", "nothing\n");
    for (config, needle) in [
        (
            "[[rules]]\nid = \"lookahead\"\nregex = '''key(?=[0-9])'''\n",
            "rule `lookahead`",
        ),
        (
            "[[allowlists]]\nregexes = ['''(unclosed''']\n",
            "[[allowlists]] allowlist",
        ),
        ("[[rules]]\nid = \"x\"\nregex = \"a\"\n[[rules\n", "line 4"),
    ] {
        write(&dir, ".gitleaks.toml", config);
        let run = sm_at(&env, &dir, &["scan", "--no-store"]);
        assert_eq!(run.code(), 2, "{config}: {}", run.stderr());
        let stderr = run.stderr();
        let lines: Vec<&str> = stderr.lines().filter(|l| !l.is_empty()).collect();
        assert_eq!(lines.len(), 1, "{stderr:?}");
        assert!(lines[0].contains(".gitleaks.toml"), "{}", lines[0]);
        assert!(lines[0].contains(needle), "{}", lines[0]);
    }
}

#[test]
fn hostile_configs_fail_cleanly_and_fast() {
    let env = TestEnv::new();
    let dir = repo(&env, "proj");
    // One long line of text for rules that match everywhere.
    write(&dir, "big.txt", fill("ab c ", 512 * 1024));
    let deep_regex = format!("{}a{}", "(".repeat(5000), ")".repeat(5000));
    let deep_toml = format!("x = {}1{}\n", "[".repeat(100_000), "]".repeat(100_000));
    let many = (0..3000)
        .map(|i| format!("[[rules]]\nid = \"r{i}\"\nregex = 'a{i}'\n"))
        .collect::<String>();
    let cases: Vec<(String, i32)> = vec![
        (
            "[[rules]]\nid = \"huge\"\nregex = '''(?:\\w{1000}){1000}'''\n".into(),
            2,
        ),
        (
            format!("[[rules]]\nid = \"deep\"\nregex = '''{deep_regex}'''\n"),
            2,
        ),
        (deep_toml, 2),
        (many, 2),
        (
            "[[rules]]\nid = \"managed-secret\"\nregex = 'x'\n".into(),
            2,
        ),
        // Rules that match (nearly) everything: bounded, and reported
        // through the per-file cap.
        ("[[rules]]\nid = \"dot\"\nregex = '''.'''\n".into(), 1),
        ("[[rules]]\nid = \"empty\"\nregex = '''a*'''\n".into(), 1),
        ("[[rules]]\nid = \"pathonly\"\npath = '''.*'''\n".into(), 1),
    ];
    for (config, code) in cases {
        write(&dir, ".gitleaks.toml", &config);
        let started = Instant::now();
        let run = sm_at(&env, &dir, &["scan", "--no-store"]);
        let took = started.elapsed();
        let head: String = config.chars().take(60).collect();
        assert_eq!(run.code(), code, "{head}: {}", run.stderr());
        assert!(took < Duration::from_secs(20), "{head}: took {took:?}");
        if code == 2 {
            let stderr = run.stderr();
            let lines: Vec<&str> = stderr.lines().filter(|l| !l.is_empty()).collect();
            assert_eq!(lines.len(), 1, "{head}: {stderr:?}");
        }
    }
    // A .gitleaks.toml that leads elsewhere is not read (the scan goes on,
    // with sm's own rules) and -v says so.
    std::fs::remove_file(dir.join(".gitleaks.toml")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", dir.join(".gitleaks.toml")).unwrap();
    write(&dir, "gh.txt", format!("{}\n", aws()));
    let run = sm_at(&env, &dir, &["scan", "--no-store", "-v"]);
    assert_eq!(run.code(), 1, "{}", run.stderr());
    assert!(
        run.stdout().contains("aws-access-key-id"),
        "{}",
        run.stdout()
    );
    assert!(
        run.stderr().contains("skipped .gitleaks.toml: not read"),
        "{}",
        run.stderr()
    );
}

#[test]
fn allowlists_never_hide_this_stores_values() {
    let env = TestEnv::new();
    let managed = "Managed-Secret-Value-4242";
    env.put("svc/key", managed.as_bytes());
    let dir = repo(&env, "proj");
    write(
        &dir,
        ".gitleaks.toml",
        r#"
[[rules]]
id = "value-like"
regex = '''Managed-Secret-Value-[0-9]+'''

[[allowlists]]
paths = ['''.*''']
regexes = ['''.*''']
stopwords = ["managed"]

[[allowlists]]
targetRules = ["managed-secret", "managed-secret-base64"]
regexTarget = "line"
regexes = ['''.*''']

[[rules]]
id = "managed-secret"
"#,
    );
    write(&dir, "config.txt", format!("v {managed}\ngh {}\n", aws()));
    let run = sm_at(&env, &dir, &["scan", "--format", "json"]);
    // The reserved id is refused outright.
    assert_eq!(run.code(), 2, "{}", run.stderr());
    let text = std::fs::read_to_string(dir.join(".gitleaks.toml")).unwrap();
    let fixed = text.replace("[[rules]]\nid = \"managed-secret\"\n", "");
    write(&dir, ".gitleaks.toml", fixed);
    let run = sm_at(&env, &dir, &["scan", "--format", "json"]);
    assert_eq!(run.code(), 1, "{}", run.stderr());
    assert_eq!(
        findings(&run),
        vec![("config.txt".to_string(), "managed-secret".to_string())],
        "{}",
        run.stdout()
    );
    assert!(!run.stdout().contains(managed));
}
