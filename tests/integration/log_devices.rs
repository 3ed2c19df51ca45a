//! Issue 12 (logs): one log file per member and device, and each machine's
//! memory of the log heads it saw. Two checkouts of one store (each its own
//! device) write, push and pull through a bare remote without conflict; a
//! log cut back to an older commit's copy, or deleted, is exit 5 naming the
//! file on the machine that saw it longer; a store from before devices
//! still verifies and takes new entries in a device file.

use std::path::{Path, PathBuf};

use crate::common::{TestEnv, have, log_files_in};

/// Two checkouts of one store with a bare remote between them: `env.store`
/// (the first) and the returned clone.
fn two_checkouts(env: &TestEnv) -> PathBuf {
    let remote = env.path().join("remote.git");
    env.git(
        env.path(),
        &[
            "init",
            "-q",
            "--bare",
            "-b",
            "main",
            remote.to_str().unwrap(),
        ],
    );
    env.git(&env.store, &["init", "-q", "-b", "main"]);
    env.git(&env.store, &["add", "-A"]);
    env.git(&env.store, &["commit", "-qm", "store"]);
    env.git(
        &env.store,
        &["remote", "add", "origin", remote.to_str().unwrap()],
    );
    env.git(&env.store, &["push", "-q", "-u", "origin", "main"]);
    let clone = env.path().join("clone");
    env.git(
        env.path(),
        &[
            "clone",
            "-q",
            remote.to_str().unwrap(),
            clone.to_str().unwrap(),
        ],
    );
    clone
}

/// Runs sm on the store at `root`.
fn sm_at(env: &TestEnv, root: &Path, args: &[&str]) -> crate::common::Run {
    let mut all = vec!["--store", root.to_str().unwrap()];
    all.extend_from_slice(args);
    env.sm(&all)
}

/// Commits everything in `root` and pushes (pulling first, merging).
fn sync(env: &TestEnv, root: &Path, message: &str) {
    env.git(root, &["add", "-A"]);
    let staged = env
        .git_cmd(root)
        .args(["diff", "--cached", "--quiet"])
        .status()
        .unwrap();
    if !staged.success() {
        env.git(root, &["commit", "-qm", message]);
    }
    env.git(
        root,
        &["pull", "-q", "--no-rebase", "--no-edit", "origin", "main"],
    );
    env.git(root, &["push", "-q", "origin", "main"]);
}

fn lines(path: &Path) -> usize {
    std::fs::read_to_string(path).unwrap().lines().count()
}

#[test]
fn two_checkouts_of_one_member_log_to_their_own_files_and_merge_cleanly() {
    if !have(
        "git",
        "two_checkouts_of_one_member_log_to_their_own_files_and_merge_cleanly",
    ) {
        return;
    }
    let env = TestEnv::new();
    let clone = two_checkouts(&env);
    env.put("app/pw", b"v1");
    sync(&env, &env.store, "first");
    env.git(&clone, &["pull", "-q", "--no-rebase", "origin", "main"]);
    sm_at(&env, &clone, &["get", "app/pw"]).success();
    // Each checkout is its own device: one file each for alice.
    let here = env.log_file("alice");
    let there = log_files_in(&clone, "alice");
    assert_eq!(there.len(), 2, "{there:?}");
    assert!(there.iter().any(|p| p.file_name() != here.file_name()));
    // Nothing goes to the old layout.
    assert!(!env.store.join(".sm/log/alice.jsonl").exists());
    // Both write, push and pull, interleaved: git merges without conflict.
    for round in 0..2 {
        sm_at(&env, &clone, &["get", "app/pw"]).success();
        sync(&env, &clone, &format!("clone {round}"));
        env.get("app/pw");
        sync(&env, &env.store, &format!("first {round}"));
    }
    sync(&env, &clone, "clone last");
    for root in [&env.store, &clone] {
        let files = log_files_in(root, "alice");
        assert_eq!(files.len(), 2, "{files:?}");
        let names = |files: Vec<PathBuf>| -> Vec<_> {
            files
                .iter()
                .map(|p| p.file_name().unwrap().to_owned())
                .collect()
        };
        assert_eq!(names(files), names(log_files_in(&env.store, "alice")));
        let out = sm_at(&env, root, &["log", "verify", "--json"])
            .success()
            .json();
        assert_eq!(out["ok"], true);
        sm_at(&env, root, &["verify"]).success();
        // Every entry of both devices is read back, verified.
        let log = sm_at(&env, root, &["log", "--json"]).success().json();
        let gets = log
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["op"] == "get" && e["verified"] == true)
            .count();
        assert_eq!(gets, 5, "{log}");
    }
}

#[test]
fn a_cut_or_deleted_device_log_is_caught_by_the_machine_that_saw_it() {
    if !have(
        "git",
        "a_cut_or_deleted_device_log_is_caught_by_the_machine_that_saw_it",
    ) {
        return;
    }
    let env = TestEnv::new();
    let clone = two_checkouts(&env);
    env.put("app/pw", b"v1");
    env.get("app/pw");
    sync(&env, &env.store, "two entries");
    let old = env
        .git(&env.store, &["rev-parse", "HEAD"])
        .stdout()
        .trim()
        .to_string();
    let victim = env.log_file("alice");
    let rel = victim
        .strip_prefix(&env.store)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(lines(&victim), 2);
    env.get("app/pw");
    env.get("app/pw");
    sync(&env, &env.store, "four entries");
    env.sm(&["log", "verify"]).success();

    // Someone with push access puts the older copy back.
    env.git(&clone, &["pull", "-q", "--no-rebase", "origin", "main"]);
    let older = env.git(&clone, &["show", &format!("{old}:{rel}")]).0.stdout;
    std::fs::write(clone.join(&rel), older).unwrap();
    env.git(&clone, &["commit", "-qam", "cut"]);
    env.git(&clone, &["push", "-q", "origin", "main"]);
    env.git(&env.store, &["pull", "-q", "--no-rebase", "origin", "main"]);
    assert_eq!(lines(&victim), 2);

    let said = "cut: this machine saw 4 entries, now 2";
    env.sm(&["log", "verify"])
        .fails(5)
        .stderr_has(&rel)
        .stderr_has(said);
    env.sm(&["verify"])
        .fails(5)
        .stderr_has(&rel)
        .stderr_has(said);
    env.sm(&["log"]).fails(5).stderr_has(said);
    // An append refuses to chain over the cut, and writes nothing.
    env.sm(&["get", "app/pw"]).fails(5).stderr_has(said);
    assert_eq!(lines(&victim), 2);
    // The other checkout never saw more: the cut chain is whole to it.
    sm_at(&env, &clone, &["log", "verify"]).success();

    // Deleting the whole file is caught as well.
    env.git(&clone, &["rm", "-q", &rel]);
    env.git(&clone, &["commit", "-qm", "gone"]);
    env.git(&clone, &["push", "-q", "origin", "main"]);
    env.git(&env.store, &["pull", "-q", "--no-rebase", "origin", "main"]);
    assert!(!victim.exists());
    let said = "missing: this machine saw 4 entries";
    env.sm(&["log", "verify"])
        .fails(5)
        .stderr_has(&rel)
        .stderr_has(said);
    env.sm(&["verify"]).fails(5).stderr_has(said);
    env.sm(&["get", "app/pw"]).fails(5).stderr_has(said);
    assert!(!victim.exists(), "the refused append left a file behind");
}

#[test]
fn a_rewritten_device_log_is_caught_even_at_the_same_length() {
    let env = TestEnv::new();
    env.put("app/pw", b"v1");
    env.get("app/pw");
    let log = env.log_file("alice");
    let saved = std::fs::read(&log).unwrap();
    env.sm(&["log", "verify"]).success();
    // Another member's valid history is not this one: a fresh file of the
    // same length, written by the same member from scratch.
    std::fs::remove_file(&log).unwrap();
    let seen = env.home.join(".config/sm/seen");
    let backup = env.path().join("seen-backup");
    std::fs::rename(&seen, &backup).unwrap();
    env.put("other", b"x");
    env.get("other");
    let rewritten_at = env.log_files("alice");
    assert_eq!(rewritten_at.len(), 1);
    let fresh = std::fs::read(&rewritten_at[0]).unwrap();
    std::fs::remove_dir_all(&seen).unwrap();
    std::fs::rename(&backup, &seen).unwrap();
    std::fs::remove_file(&rewritten_at[0]).unwrap();
    std::fs::write(&log, &fresh).unwrap();
    assert_ne!(fresh, saved);
    env.sm(&["log", "verify"])
        .fails(5)
        .stderr_has("rewritten: entry 2 is not the one this machine saw");
    env.sm(&["get", "app/pw"])
        .fails(5)
        .stderr_has("rewritten: entry 2");
}

#[test]
fn an_old_layout_store_still_verifies_and_new_entries_go_to_a_device_file() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/golden");
    let mut env = TestEnv::bare();
    let copy = env.path().join("golden");
    let cp = std::process::Command::new("cp")
        .arg("-R")
        .arg(fixture.join("store"))
        .arg(&copy)
        .status()
        .unwrap();
    assert!(cp.success());
    env.identity = env.path().join("identity.txt");
    std::fs::copy(fixture.join("identity.txt"), &env.identity).unwrap();
    let private = <std::fs::Permissions as std::os::unix::fs::PermissionsExt>::from_mode(0o600);
    std::fs::set_permissions(&env.identity, private).unwrap();
    env.store = copy.clone();
    let old = copy.join(".sm/log/golden.jsonl");
    let before = std::fs::read(&old).unwrap();
    let old_entries = env.sm(&["log", "verify", "--json"]).success().json()["entries"]
        .as_u64()
        .unwrap();
    assert!(old_entries > 0);
    env.sm(&["get", "db/password"]).success();
    assert_eq!(
        std::fs::read(&old).unwrap(),
        before,
        "the old log was appended to"
    );
    let device = env.log_file("golden");
    assert_eq!(lines(&device), 1);
    let out = env.sm(&["log", "verify", "--json"]).success().json();
    assert_eq!(out["entries"].as_u64().unwrap(), old_entries + 1);
    env.sm(&["verify"]).success();
    // Both files are read.
    let log = env.sm(&["log", "--json"]).success().json();
    assert_eq!(log.as_array().unwrap().len() as u64, old_entries + 1);
    // The old file is remembered too: cutting it is caught.
    let text = String::from_utf8(before).unwrap();
    let first: String = text.lines().next().unwrap().to_string() + "\n";
    std::fs::write(&old, first).unwrap();
    env.sm(&["log", "verify"])
        .fails(5)
        .stderr_has("golden.jsonl")
        .stderr_has(&format!(
            "cut: this machine saw {old_entries} entries, now 1"
        ));
}

#[test]
fn a_folder_entry_in_a_member_folder_is_refused_like_before() {
    let env = TestEnv::new();
    env.put("app/pw", b"v1");
    let dir = env.store.join(".sm/log/alice");
    std::os::unix::fs::symlink("/dev/null", dir.join("evil.jsonl")).unwrap();
    env.sm(&["verify"])
        .fails(5)
        .stderr_has("evil.jsonl: it is a symbolic link");
    // An entry by another member in alice's folder is refused.
    std::fs::remove_file(dir.join("evil.jsonl")).unwrap();
    let mine = env.log_file("alice");
    let bob_dir = env.store.join(".sm/log/bob");
    std::fs::create_dir_all(&bob_dir).unwrap();
    std::fs::copy(&mine, bob_dir.join("x.jsonl")).unwrap();
    env.sm(&["log", "verify"])
        .fails(5)
        .stderr_has("`bob` is not a member of this store");
}
