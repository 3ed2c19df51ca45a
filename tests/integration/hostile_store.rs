//! A cloned store is untrusted input (issue 13, items 1 and 6): links,
//! FIFOs and oversized files committed to or planted in a store. Each test
//! reproduces the attack as it happened, mostly through real git
//! repositories (the attacker commits, the victim clones or pulls), and
//! checks the exit code, that the message names the file, that the files
//! outside the store are byte-identical afterwards and that the attacker
//! got nothing.

use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::common::{Run, TestEnv, have};

/// Runs git in `dir` with a fixed author, asserting success.
fn git(env: &TestEnv, dir: &Path, args: &[&str]) {
    env.git(dir, args);
}

/// The victim's store, with one secret, committed to git.
fn store_in_git(test: &str) -> Option<TestEnv> {
    if !have("git", test) {
        return None;
    }
    let env = TestEnv::new();
    env.put("app/db", b"hunter2-value");
    git(&env, &env.store, &["init", "-q", "-b", "main"]);
    git(&env, &env.store, &["add", "-A"]);
    git(&env, &env.store, &["commit", "-q", "-m", "store"]);
    Some(env)
}

/// The attacker clones the victim's repository, changes it with `plant`,
/// commits everything (also what .gitignore hides), and the victim pulls.
fn pull_attack(env: &TestEnv, plant: impl FnOnce(&Path)) {
    let attacker = env.path().join("attacker");
    git(
        env,
        env.path(),
        &["clone", "-q", env.store.to_str().unwrap(), "attacker"],
    );
    plant(&attacker);
    git(env, &attacker, &["add", "-A", "-f"]);
    git(env, &attacker, &["commit", "-q", "-m", "innocent change"]);
    git(
        env,
        &env.store,
        &[
            "pull",
            "-q",
            "--ff-only",
            attacker.to_str().unwrap(),
            "main",
        ],
    );
}

/// Every file under `dir` with its bytes (links are not followed).
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let entry = entry.unwrap();
            let kind = entry.file_type().unwrap();
            if kind.is_dir() {
                todo.push(entry.path());
            } else {
                out.push((entry.path(), std::fs::read(entry.path()).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// The path of alice's device log relative to the store root (committed,
/// so an attacker's clone holds it too).
fn device_log(env: &TestEnv) -> String {
    let log = env.log_file("alice");
    log.strip_prefix(&env.store)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string()
}

#[test]
fn a_log_linked_to_a_file_outside_is_refused_and_the_file_is_untouched() {
    let Some(env) = store_in_git("a_log_linked_to_a_file_outside") else {
        return;
    };
    // The user's notes, whose last line has no newline: the old log open
    // cut everything after the last newline, then appended.
    let notes = env.path().join("notes.db");
    let original = b"first note\nsecond note, not yet ended".to_vec();
    std::fs::write(&notes, &original).unwrap();
    let rel = device_log(&env);
    pull_attack(&env, |repo| {
        let log = repo.join(&rel);
        std::fs::remove_file(&log).unwrap();
        symlink("../../../../notes.db", &log).unwrap();
    });
    let run = env
        .sm(&["get", "app/db"])
        .fails(5)
        .stderr_has(&rel)
        .stderr_has("symbolic link");
    assert!(
        !run.stdout().contains("hunter2"),
        "the value was printed although its read could not be logged"
    );
    // A fresh clone is another device: it logs to a file of its own and
    // never touches the link.
    let clone = env.path().join("clone");
    git(
        &env,
        env.path(),
        &["clone", "-q", env.store.to_str().unwrap(), "clone"],
    );
    Run(env
        .cmd()
        .current_dir(&clone)
        .args(["get", "app/db"])
        .output()
        .unwrap())
    .success();
    assert_eq!(crate::common::log_files_in(&clone, "alice").len(), 2);
    assert_eq!(std::fs::read(&notes).unwrap(), original);
    // A write is refused the same way.
    env.sm_in(&["put", "app/other", "--stdin"], b"x")
        .fails(5)
        .stderr_has(&rel);
    assert_eq!(std::fs::read(&notes).unwrap(), original);
}

#[test]
fn doctor_and_verify_never_write_or_delete_through_committed_links() {
    let Some(env) = store_in_git("doctor_and_verify_never_write_or_delete") else {
        return;
    };
    // The user's backups and password vault, outside the store.
    let backups = env.path().join("backups");
    std::fs::create_dir_all(&backups).unwrap();
    std::fs::write(backups.join("2025.age"), b"backup of 2025").unwrap();
    std::fs::write(backups.join("2026.age"), b"backup of 2026").unwrap();
    std::fs::write(env.path().join("vault.kdbx"), b"vault\npartial").unwrap();
    let before_backups = snapshot(&backups);
    let before_vault = std::fs::read(env.path().join("vault.kdbx")).unwrap();
    let rel = device_log(&env);
    pull_attack(&env, |repo| {
        let versions = repo.join("secrets/app/db.secret/versions");
        std::fs::remove_dir_all(&versions).unwrap();
        symlink("../../../../backups", &versions).unwrap();
        let log = repo.join(&rel);
        std::fs::remove_file(&log).unwrap();
        symlink("../../../../vault.kdbx", &log).unwrap();
    });
    // A user who is not a member runs doctor, as the README advises after
    // cloning; then a member does.
    let stranger = env.path().join("stranger.txt");
    env.sm(&["identity", "new", "--file", stranger.to_str().unwrap()])
        .success();
    Run(env
        .cmd()
        .env("SM_IDENTITY_FILE", &stranger)
        .arg("doctor")
        .output()
        .unwrap())
    .fails(5)
    .stderr_has("symbolic link");
    env.sm(&["doctor"])
        .fails(5)
        .stderr_has(".sm/log/alice/")
        .stderr_has("2 found");
    // Verify lists every link, not just the first.
    env.sm(&["verify"])
        .fails(5)
        .stderr_has("secrets/app/db.secret/versions: it is a symbolic link")
        .stderr_has(&format!("{rel}: it is a symbolic link"));
    env.sm(&["get", "app/db"]).fails(5);
    assert_eq!(snapshot(&backups), before_backups);
    assert_eq!(
        std::fs::read(env.path().join("vault.kdbx")).unwrap(),
        before_vault
    );
}

#[test]
fn a_committed_lock_link_neither_creates_nor_touches_its_target() {
    let Some(env) = store_in_git("a_committed_lock_link") else {
        return;
    };
    use sha2::Digest as _;
    let digest = hex::encode(sha2::Sha256::digest(b"app/db"));
    let lock_name = format!("{}.lock", &digest[..32]);
    let existing = env.path().join("existing.txt");
    std::fs::write(&existing, b"keep me").unwrap();
    pull_attack(&env, |repo| {
        let locks = repo.join(".sm/locks");
        std::fs::create_dir_all(&locks).unwrap();
        // The secret's lock points at a file that does not exist yet; the
        // member list's lock at one that does.
        symlink("../../../created-by-sm", locks.join(&lock_name)).unwrap();
        symlink("../../../existing.txt", locks.join("store.lock")).unwrap();
    });
    let before = std::fs::metadata(&existing).unwrap().modified().unwrap();
    env.sm_in(&["put", "app/db", "--stdin"], b"new value")
        .fails(5)
        .stderr_has(&lock_name)
        .stderr_has("symbolic link");
    let bob = env.path().join("bob.txt");
    env.sm(&["identity", "new", "--file", bob.to_str().unwrap()])
        .success();
    let show = Run(env
        .cmd()
        .env("SM_IDENTITY_FILE", &bob)
        .args(["--json", "identity", "show"])
        .output()
        .unwrap())
    .success()
    .json();
    env.sm(&[
        "member",
        "add",
        "bob",
        show["recipient"].as_str().unwrap(),
        "--signing-key",
        show["signing_key"].as_str().unwrap(),
    ])
    .fails(5)
    .stderr_has("store.lock");
    assert!(!env.path().join("created-by-sm").exists());
    assert_eq!(std::fs::read(&existing).unwrap(), b"keep me");
    assert_eq!(
        std::fs::metadata(&existing).unwrap().modified().unwrap(),
        before
    );
    // The value did not change.
    assert_eq!(env.get("app/db"), b"hunter2-value");
}

#[test]
fn a_prefix_folder_linked_to_projects_takes_no_put() {
    let Some(env) = store_in_git("a_prefix_folder_linked_to_projects") else {
        return;
    };
    let projects = env.home.join("projects");
    std::fs::create_dir_all(projects.join("site")).unwrap();
    std::fs::write(projects.join("site/index.html"), b"<h1>mine</h1>").unwrap();
    let before = snapshot(&projects);
    pull_attack(&env, |repo| {
        symlink("../../home/projects", repo.join("secrets/prod")).unwrap();
    });
    env.sm_in(&["put", "prod/key", "--stdin"], b"token-value")
        .fails(5)
        .stderr_has("secrets/prod")
        .stderr_has("symbolic link");
    env.sm(&["get", "prod/key"])
        .fails(5)
        .stderr_has("secrets/prod");
    env.sm(&["ls"]).fails(5).stderr_has("secrets/prod");
    assert_eq!(
        snapshot(&projects),
        before,
        "something was written in ~/projects"
    );
}

#[test]
fn a_ciphertext_linked_to_dev_zero_fails_fast_and_verify_lists_every_special_file() {
    let Some(env) = store_in_git("a_ciphertext_linked_to_dev_zero") else {
        return;
    };
    env.put("other", b"o");
    git(&env, &env.store, &["add", "-A"]);
    git(&env, &env.store, &["commit", "-q", "-m", "other"]);
    let id = env.version_ids("app/db").pop().unwrap();
    pull_attack(&env, |repo| {
        let age = repo.join(format!("secrets/app/db.secret/versions/{id}.age"));
        std::fs::remove_file(&age).unwrap();
        symlink("/dev/zero", &age).unwrap();
        let meta = repo.join("secrets/other.secret/meta.toml");
        std::fs::remove_file(&meta).unwrap();
        symlink("/etc/hostname", &meta).unwrap();
    });
    let started = Instant::now();
    env.sm(&["get", "app/db"])
        .fails(5)
        .stderr_has(&format!("{id}.age"))
        .stderr_has("symbolic link");
    let run = env.sm(&["verify"]).fails(5);
    let took = started.elapsed();
    let err = run.stderr();
    assert!(
        err.contains(&format!("{id}.age: it is a symbolic link")),
        "{err}"
    );
    assert!(
        err.contains("other.secret/meta.toml: it is a symbolic link"),
        "{err}"
    );
    assert!(
        took < Duration::from_secs(10),
        "get and verify took {took:?}"
    );
}

#[test]
fn an_oversized_ciphertext_is_refused_before_it_is_read() {
    let env = TestEnv::new();
    env.put("big", b"small value");
    let id = env.version_ids("big").pop().unwrap();
    let age = env.secret_dir("big").join(format!("versions/{id}.age"));
    // 3 GB on paper (sparse): reading it whole used to abort sm.
    std::fs::File::options()
        .write(true)
        .open(&age)
        .unwrap()
        .set_len(3_000_000_000)
        .unwrap();
    let started = Instant::now();
    env.sm(&["get", "big"])
        .fails(5)
        .stderr_has(&format!("{id}.age"))
        .stderr_has("3000000000 bytes");
    env.sm(&["verify"])
        .fails(5)
        .stderr_has(&format!("{id}.age"));
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn an_oversized_meta_toml_is_refused() {
    let Some(env) = store_in_git("an_oversized_meta_toml") else {
        return;
    };
    pull_attack(&env, |repo| {
        let meta = repo.join("secrets/app/db.secret/meta.toml");
        let mut text = std::fs::read_to_string(&meta).unwrap();
        text.push_str("\n# padding\n");
        text.push_str(&"# x\n".repeat(600_000));
        std::fs::write(&meta, text).unwrap();
    });
    env.sm(&["get", "app/db"])
        .fails(5)
        .stderr_has("db.secret/meta.toml")
        .stderr_has("bytes");
    env.sm(&["verify"])
        .fails(5)
        .stderr_has("db.secret/meta.toml");
    // ls names it and goes on; nothing panics.
    env.sm(&["ls"]).stderr_has("db.secret/meta.toml");
}

#[test]
fn a_fifo_in_the_store_does_not_hang_sm() {
    if !have("mkfifo", "a_fifo_in_the_store_does_not_hang_sm") {
        return;
    }
    let env = TestEnv::new();
    env.put("piped", b"value");
    let id = env.version_ids("piped").pop().unwrap();
    let age = env.secret_dir("piped").join(format!("versions/{id}.age"));
    std::fs::remove_file(&age).unwrap();
    let status = std::process::Command::new("mkfifo")
        .arg(&age)
        .status()
        .unwrap();
    assert!(status.success());
    for args in [&["get", "piped"][..], &["verify"][..]] {
        let mut child = env
            .std_cmd()
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                panic!("sm {args:?} hangs on a FIFO in the store");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let mut err = String::new();
        std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
        assert_eq!(status.code(), Some(5), "sm {args:?}: {err}");
        assert!(
            err.contains(&format!("{id}.age")) && err.contains("FIFO"),
            "{err}"
        );
    }
}

#[test]
fn reads_never_cut_a_torn_log_line_and_doctor_removes_it() {
    let env = TestEnv::new();
    env.put("a", b"1");
    let log = env.log_file("alice");
    let mut torn = std::fs::read(&log).unwrap();
    torn.extend_from_slice(b"{\"time\":\"2026-");
    std::fs::write(&log, &torn).unwrap();
    // A read appends after the torn line and keeps every byte before it.
    assert_eq!(env.get("a"), b"1");
    let after = std::fs::read(&log).unwrap();
    assert!(after.starts_with(&torn), "the read cut the log");
    assert!(after.len() > torn.len());
    env.sm(&["log", "verify"])
        .fails(5)
        .stderr_has("not a whole log entry");
    env.sm(&["doctor"]).success().stdout_has("repaired");
    env.sm(&["log", "verify"]).success();
    env.sm(&["verify"]).success();
    // Every entry survived the repair: the read's entry is there.
    let text = std::fs::read_to_string(&log).unwrap();
    assert_eq!(
        text.lines()
            .filter(|l| l.contains("\"op\":\"get\""))
            .count(),
        1
    );
}

#[test]
fn a_gitattributes_linked_to_dev_zero_does_not_exhaust_doctor() {
    let Some(env) = store_in_git("a_gitattributes_linked_to_dev_zero") else {
        return;
    };
    pull_attack(&env, |repo| {
        let attributes = repo.join(".gitattributes");
        let _ = std::fs::remove_file(&attributes);
        symlink("/dev/zero", &attributes).unwrap();
    });
    let started = Instant::now();
    env.sm(&["doctor"])
        .fails(5)
        .stderr_has(".gitattributes")
        .stderr_has("symbolic link");
    assert!(started.elapsed() < Duration::from_secs(10));
    // The link is still a link: doctor replaced nothing.
    assert!(
        std::fs::symlink_metadata(env.store.join(".gitattributes"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn a_committed_rotation_lock_link_is_refused() {
    let Some(env) = store_in_git("a_committed_rotation_lock_link") else {
        return;
    };
    use sha2::Digest as _;
    let digest = hex::encode(sha2::Sha256::digest(b"app/db"));
    let lock_name = format!("rotate-{}.lock", &digest[..32]);
    pull_attack(&env, |repo| {
        let locks = repo.join(".sm/locks");
        std::fs::create_dir_all(&locks).unwrap();
        symlink("../../../created-by-rotate", locks.join(&lock_name)).unwrap();
    });
    env.sm(&["rotate", "app/db", "--generate"])
        .fails(5)
        .stderr_has(&lock_name)
        .stderr_has("symbolic link");
    assert!(!env.path().join("created-by-rotate").exists());
}

/// Doctor replaces a log it repairs while readers keep appending to it:
/// every reader's entry must survive, in one unbroken chain.
#[test]
fn doctor_repairing_a_log_loses_no_concurrent_entry() {
    let env = TestEnv::new();
    env.put("a", b"1");
    let log = env.log_file("alice");
    let gets_before = |text: &str| {
        text.lines()
            .filter(|l| l.contains("\"op\":\"get\""))
            .count()
    };
    let readers: Vec<_> = (0..4)
        .map(|_| {
            env.shell("for i in $(seq 1 25); do \"$SM\" -q get a >/dev/null || exit 1; done")
                .spawn()
                .unwrap()
        })
        .collect();
    for _ in 0..12 {
        // A writer killed mid-append (it held the log's lock, as sm's
        // writers do), then doctor, while the readers append.
        let mut f = std::fs::OpenOptions::new().append(true).open(&log).unwrap();
        f.lock().unwrap();
        std::io::Write::write_all(&mut f, b"{\"time\":\"20").unwrap();
        drop(f);
        env.sm(&["doctor"]).success();
    }
    for mut r in readers {
        assert!(r.wait().unwrap().success(), "a reader failed");
    }
    env.sm(&["doctor"]).success();
    env.sm(&["log", "verify"]).success();
    let text = std::fs::read_to_string(&log).unwrap();
    assert_eq!(gets_before(&text), 100, "a reader's entry was lost");
}
