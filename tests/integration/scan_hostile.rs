//! `sm scan` on hostile input (issue 13): a cloned store with a committed
//! `versions/<id>.age -> /dev/zero` link, links to the user's own files, a
//! named pipe, ignore files that lead to `/dev/zero`, a megabyte-scale line
//! of tokens, oversized blobs and history. Each scan ends (no hang, no
//! abort, no 4 GiB allocation), reads nothing through a link, leaves the
//! user's files byte-identical, and reports the findings it must, at most
//! 100 per file with the rest counted.
//!
//! Test credentials are assembled at run time so this file holds none.

use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use crate::common::{Run, TestEnv, have};
use crate::scan::{checksummed_token, findings, git, repo, sm_at, write};

/// A GitHub token (with a valid checksum), unique per `i`.
fn token(i: usize) -> String {
    checksummed_token("ghp_", i as u64)
}

fn mkfifo(path: &Path) {
    let c = CString::new(path.as_os_str().as_bytes()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0, "mkfifo");
}

fn symlink(target: impl AsRef<Path>, link: &Path) {
    std::fs::create_dir_all(link.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(target, link).unwrap();
}

/// The user's own file outside every store and repository, holding a
/// token: what a planted link points at.
fn victim_file(env: &TestEnv) -> (std::path::PathBuf, Vec<u8>) {
    let path = env.home.join("notes.txt");
    let bytes = format!("my personal token {}\n", token(7)).into_bytes();
    std::fs::write(&path, &bytes).unwrap();
    (path, bytes)
}

#[test]
fn scan_of_a_cloned_store_with_links_to_dev_zero_and_home_and_a_fifo_reports_them() {
    let env = TestEnv::new();
    if !have("git", "scan_of_a_cloned_store_with_links...") {
        return;
    }
    env.put("app/token", b"Vb7Nm2Qw9Er4Ty");
    let (victim, victim_bytes) = victim_file(&env);
    // The attacker's repository: the store, plus committed links in it.
    let upstream = env.path().join("upstream");
    std::fs::rename(&env.store, &upstream).unwrap();
    git(&env, &upstream, &["init", "-q", "-b", "main"]).success();
    let versions = "secrets/app/token.secret/versions";
    symlink(
        "/dev/zero",
        &upstream
            .join(versions)
            .join("0190aaaa-0000-7000-8000-000000000000.age"),
    );
    symlink(&victim, &upstream.join("secrets/app/notes.age"));
    symlink(env.home.as_path(), &upstream.join("secrets/prod"));
    git(&env, &upstream, &["add", "-A"]).success();
    git(&env, &upstream, &["commit", "-qm", "store"]).success();
    // The victim clones it; a pipe is planted in the checkout as well.
    let clone = env.path().join("clone");
    git(
        &env,
        env.path(),
        &[
            "clone",
            "-q",
            upstream.to_str().unwrap(),
            clone.to_str().unwrap(),
        ],
    )
    .success();
    mkfifo(&clone.join(".sm/pipe"));
    let run = sm_at(&env, &clone, &["scan", "--no-store", "--format", "json"]).fails(1);
    let mut got = findings(&run);
    got.sort();
    let special = |p: &str| (p.to_string(), "store-special-file".to_string());
    assert_eq!(
        got,
        vec![
            special(".sm/pipe"),
            special("secrets/app/notes.age"),
            special(&format!(
                "{versions}/0190aaaa-0000-7000-8000-000000000000.age"
            )),
            special("secrets/prod"),
        ],
        "{}",
        run.stderr()
    );
    let report = run.json();
    let notes = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "secrets/app/notes.age")
        .unwrap()
        .clone();
    assert!(
        notes["description"]
            .as_str()
            .unwrap()
            .starts_with("a symbolic link inside the store"),
        "{notes}"
    );
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["description"]
                .as_str()
                .unwrap()
                .starts_with("a named pipe")),
        "{report}"
    );
    // Nothing was read through a link: the victim's token is nowhere.
    let everything = format!("{}{}", run.stdout(), run.stderr());
    assert!(!everything.contains(&token(7)[..8]), "{everything}");
    assert_eq!(std::fs::read(&victim).unwrap(), victim_bytes);
    // With the clone named as the store, its values cannot be loaded (the
    // store refuses to list a folder that is a link: exit 5 for any read),
    // so the scan says it checked patterns only, naming the link, and the
    // text report still names each special file.
    let text = Run(env
        .cmd()
        .current_dir(&clone)
        .env("SM_STORE", &clone)
        .args(["scan", "-v"])
        .output()
        .unwrap())
    .fails(1);
    assert!(
        text.stderr().contains("cannot list the store")
            && text
                .stderr()
                .contains("secrets/prod: it is a symbolic link"),
        "{}",
        text.stderr()
    );
    assert!(
        text.stdout().contains(".sm/pipe:1:1: store-special-file"),
        "{}",
        text.stdout()
    );
    assert_eq!(text.stdout().lines().count(), 4, "{}", text.stdout());
    assert_eq!(std::fs::read(&victim).unwrap(), victim_bytes);
}

#[test]
fn scan_outside_a_store_skips_links_pipes_and_devices_and_reads_nothing_through_them() {
    let env = TestEnv::new();
    let (victim, victim_bytes) = victim_file(&env);
    let dir = env.path().join("proj");
    write(&dir, "README.md", "hello\n");
    symlink("/dev/zero", &dir.join("zero.txt"));
    symlink(&victim, &dir.join("leak.txt"));
    mkfifo(&dir.join("pipe.txt"));
    let run = sm_at(&env, &dir, &["scan", "-v", "--no-store"]).success();
    let err = run.stderr();
    for (path, reason) in [
        ("zero.txt", "a symbolic link (links are not followed)"),
        ("leak.txt", "a symbolic link (links are not followed)"),
        ("pipe.txt", "a named pipe (FIFO), not a regular file"),
    ] {
        assert!(
            err.contains(&format!("sm: skipped {path}: {reason}")),
            "{path}: {err}"
        );
    }
    assert!(err.contains("1 scanned, 3 skipped"), "{err}");
    // Named on the command line, a link is still not followed.
    let run = sm_at(
        &env,
        &dir,
        &[
            "scan",
            "-v",
            "--no-store",
            "leak.txt",
            "zero.txt",
            "pipe.txt",
        ],
    )
    .success();
    assert!(
        run.stderr().contains("0 scanned, 3 skipped"),
        "{}",
        run.stderr()
    );
    assert!(!run.stdout().contains("ghp_"), "{}", run.stdout());
    assert_eq!(std::fs::read(&victim).unwrap(), victim_bytes);
    // /dev/zero itself, named directly, is not a regular file either.
    let run = sm_at(&env, &dir, &["scan", "-v", "--no-store", "/dev/zero"]).success();
    assert!(
        run.stderr().contains("a device file, not a regular file"),
        "{}",
        run.stderr()
    );
}

#[test]
fn scan_does_not_let_an_ignore_file_lead_to_dev_zero_or_a_pipe() {
    let env = TestEnv::new();
    if !have("git", "scan_does_not_let_an_ignore_file_lead_to_dev_zero") {
        return;
    }
    let dir = repo(&env, "proj");
    write(&dir, "ok/config.env", format!("TOKEN={}\n", token(1)));
    write(&dir, "trap/config.env", format!("TOKEN={}\n", token(2)));
    symlink("/dev/zero", &dir.join("trap/.gitignore"));
    // A folder whose ignore file leads to /dev/zero is not entered.
    let run = sm_at(
        &env,
        &dir,
        &["scan", "-v", "--no-store", "--format", "json"],
    )
    .fails(1);
    assert_eq!(
        findings(&run),
        vec![("ok/config.env".to_string(), "github-token".to_string())]
    );
    assert!(
        run.stderr()
            .contains("skipped trap: not entered: its .gitignore is a link to a device file"),
        "{}",
        run.stderr()
    );
    // As the root of the scan it is refused, naming it (exit 2).
    let run = sm_at(&env, &dir.join("trap"), &["scan", "--no-store"]).fails(2);
    assert!(
        run.stderr()
            .contains("trap/.gitignore is a link to a device file"),
        "{}",
        run.stderr()
    );
    // A named pipe as the repository's .smignore: the pre-commit scan
    // reads the index without blocking on it.
    std::fs::remove_file(dir.join("trap/.gitignore")).unwrap();
    mkfifo(&dir.join(".smignore"));
    git(&env, &dir, &["add", "ok/config.env"]).success();
    let run = sm_at(&env, &dir, &["scan", "--staged", "-v", "--no-store"]).fails(1);
    assert!(
        run.stdout().starts_with("ok/config.env:1:7: github-token"),
        "{}",
        run.stdout()
    );
    assert!(
        run.stderr()
            .contains("skipped .smignore: not read: a named pipe (FIFO)"),
        "{}",
        run.stderr()
    );
}

/// `count` tokens on one line, separated by spaces.
fn token_line(count: usize) -> String {
    let mut line = String::with_capacity(count * 41);
    for i in 0..count {
        line.push_str(&token(i));
        line.push(' ');
    }
    line
}

#[test]
fn scan_of_four_megabytes_of_tokens_on_one_line_lists_100_and_counts_the_rest() {
    let env = TestEnv::new();
    let dir = env.path().join("dense");
    // 4 MiB: 102,300 tokens of 41 bytes. Before the line table this scan
    // rescanned the line for every token (minutes in a debug build); the
    // timing lives in benches/scan-dense, this test checks the results.
    let count = (4 << 20) / 41;
    write(&dir, "bundle.js", token_line(count));
    write(
        &dir,
        "small.env",
        format!("A={}\nB={}\n", token(1), token(2)),
    );
    let max = "--max-file-size=5000000";
    let run = sm_at(&env, &dir, &["scan", "--no-store", max, "--format", "json"]).fails(1);
    let report = run.json();
    let listed = report["findings"].as_array().unwrap();
    assert_eq!(listed.len(), 102);
    let bundle: Vec<_> = listed.iter().filter(|f| f["path"] == "bundle.js").collect();
    assert_eq!(bundle.len(), 100);
    // The first 100 by position, with exact columns.
    for (i, f) in bundle.iter().enumerate() {
        assert_eq!(
            (f["line"].as_u64(), f["column"].as_u64()),
            (Some(1), Some(1 + 41 * i as u64))
        );
        assert_eq!(f["rule"], "github-token");
    }
    assert_eq!(
        report["omitted"],
        serde_json::json!([{"path": "bundle.js", "listed": 100, "count": count - 100}])
    );
    assert!(
        run.stderr()
            .contains(&format!("sm scan: {} finding(s) in 2 file(s)", count + 2)),
        "{}",
        run.stderr()
    );
    // Text: the 100 lines, then one line for the rest, then small.env.
    let text = sm_at(&env, &dir, &["scan", "--no-store", max])
        .fails(1)
        .stdout();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 103, "{}", &text[..text.len().min(2000)]);
    assert!(lines[99].starts_with("bundle.js:1:4060: github-token: ghp_****"));
    assert_eq!(
        lines[100],
        format!(
            "bundle.js: {} more finding(s) not listed (the report lists at most 100 per file)",
            count - 100
        )
    );
    assert!(lines[101].starts_with("small.env:1:3: github-token"));
    // SARIF: 102 results and a tool notification for the rest.
    let sarif = sm_at(
        &env,
        &dir,
        &["scan", "--no-store", max, "--format", "sarif"],
    )
    .fails(1)
    .json();
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 102);
    let note = &sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"][0];
    assert_eq!(note["level"], "warning");
    assert!(
        note["message"]["text"]
            .as_str()
            .unwrap()
            .starts_with("bundle.js: ")
    );
    // No value in any format beyond its four-character preview.
    for out in [run.stdout(), text.clone(), sarif.to_string()] {
        assert!(!out.contains(&token(5)[..10]));
    }
}

#[test]
fn scan_baseline_applies_before_the_cap_so_it_never_hides_new_findings() {
    let env = TestEnv::new();
    let dir = env.path().join("proj");
    write(&dir, "many.txt", token_line(150));
    let run = sm_at(&env, &dir, &["scan", "--no-store", "--format", "json"]).fails(1);
    assert_eq!(run.json()["omitted"][0]["count"], 50);
    let baseline = env.path().join("baseline.json");
    std::fs::write(&baseline, &run.0.stdout).unwrap();
    // The baseline knows the 100 listed; the 50 it never saw are listed now.
    let run = sm_at(
        &env,
        &dir,
        &[
            "scan",
            "--no-store",
            "--format",
            "json",
            "--baseline",
            baseline.to_str().unwrap(),
        ],
    )
    .fails(1);
    let report = run.json();
    assert_eq!(report["findings"].as_array().unwrap().len(), 50);
    assert_eq!(report["baselined"], 100);
    assert!(report.get("omitted").is_none(), "{report}");
    assert_eq!(report["findings"][0]["column"], 1 + 41 * 100);
}

#[test]
fn scan_staged_flags_a_link_into_the_store_and_passes_over_a_huge_blob() {
    let env = TestEnv::new();
    if !have("git", "scan_staged_flags_a_link_into_the_store") {
        return;
    }
    let (victim, victim_bytes) = victim_file(&env);
    git(&env, &env.store, &["init", "-q", "-b", "main"]).success();
    git(&env, &env.store, &["add", "-A"]).success();
    git(&env, &env.store, &["commit", "-qm", "store"]).success();
    // Someone stages a link inside the store, and a 3 MB text file.
    symlink(&victim, &env.store.join("secrets/app/creds.age"));
    write(&env.store, "docs/big.txt", token_line(3_000_000 / 41));
    git(&env, &env.store, &["add", "-A"]).success();
    let run = sm_at(
        &env,
        &env.store,
        &["scan", "--staged", "-v", "--format", "json"],
    )
    .fails(1);
    assert_eq!(
        findings(&run),
        vec![(
            "secrets/app/creds.age".to_string(),
            "store-special-file".to_string()
        )]
    );
    assert!(
        run.stderr()
            .contains("skipped docs/big.txt: larger than 1048576 bytes"),
        "{}",
        run.stderr()
    );
    assert_eq!(std::fs::read(&victim).unwrap(), victim_bytes);
}

#[test]
fn scan_history_skips_a_commit_that_added_one_huge_line() {
    let env = TestEnv::new();
    if !have(
        "git",
        "scan_history_skips_a_commit_that_added_one_huge_line",
    ) {
        return;
    }
    let dir = repo(&env, "proj");
    write(&dir, "huge.txt", token_line(2_000_000 / 41));
    write(&dir, "app.env", format!("TOKEN={}\n", token(3)));
    git(&env, &dir, &["add", "-A"]).success();
    git(&env, &dir, &["commit", "-qm", "add"]).success();
    let run = sm_at(
        &env,
        &dir,
        &["scan", "--history", "-v", "--no-store", "--format", "json"],
    )
    .fails(1);
    assert_eq!(
        findings(&run),
        vec![("app.env".to_string(), "github-token".to_string())]
    );
    assert!(
        run.stderr()
            .contains(":huge.txt: added more than 1048576 bytes"),
        "{}",
        run.stderr()
    );
}
