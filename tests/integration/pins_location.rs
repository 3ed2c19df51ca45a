//! Pins by location (SPEC section 3): a different store put at a folder or
//! behind a git remote this machine knows is refused with exit 5, whatever
//! id it claims, until `sm doctor --reset-trust` accepts it.

use std::path::Path;

use crate::common::{Run, TestEnv, have};

/// Runs sm in `dir` (found there as the nearest store).
fn sm_at(env: &TestEnv, dir: &Path, args: &[&str]) -> Run {
    Run(env.cmd().current_dir(dir).args(args).output().unwrap())
}

/// Another user's store, with their value for `db`.
fn attackers_store() -> TestEnv {
    let attacker = TestEnv::new();
    attacker.put("db", b"attacker-value");
    attacker
}

/// Makes `dir` a git repository with one commit and pushes it to a new
/// bare remote `name` under the environment's temp root.
fn push_to_remote(env: &TestEnv, dir: &Path, name: &str) -> std::path::PathBuf {
    env.git(dir, &["init", "-q", "-b", "main"]);
    env.git(dir, &["add", "-A"]);
    env.git(dir, &["commit", "-qm", "store"]);
    let remote = env.path().join(name);
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
    env.git(dir, &["remote", "add", "origin", remote.to_str().unwrap()]);
    env.git(dir, &["push", "-q", "origin", "main"]);
    remote
}

#[test]
fn a_store_swapped_at_a_known_folder_is_refused_until_reset() {
    let env = TestEnv::new();
    env.put("db", b"honest");
    assert_eq!(env.get("db"), b"honest");
    let attacker = attackers_store();
    std::fs::remove_dir_all(&env.store).unwrap();
    std::fs::rename(&attacker.store, &env.store).unwrap();

    let run = env.sm(&["get", "db"]).fails(5);
    let run = run.stderr_has("is a different store than the one first used here on ");
    assert!(!run.stdout().contains("attacker-value"));
    assert!(!run.stderr().contains("attacker-value"));
    run.stderr_has("store id ")
        .stderr_has("root key ed25519:")
        .stderr_has("sm doctor --reset-trust");
    // Every command that opens the store refuses it.
    env.sm(&["ls"]).fails(5).stderr_has("different store");

    env.sm(&["doctor", "--reset-trust"])
        .success()
        .stdout_has("re-pinned path ")
        .stdout_has("; now store id ");
    env.sm(&["ls"]).success().stdout_has("db");
    // Alice is no member of the attacker's store: she cannot read it.
    assert_ne!(env.sm(&["get", "db"]).code(), 5);
}

#[test]
fn a_pushed_commit_replacing_the_store_is_refused() {
    if !have("git", "a_pushed_commit_replacing_the_store_is_refused") {
        return;
    }
    let env = TestEnv::new();
    env.put("db", b"honest");
    let remote = push_to_remote(&env, &env.store, "remote.git");

    // The attacker clones, replaces .sm/ and secrets/ by a store they
    // made, and pushes.
    let attacker = attackers_store();
    let work = attacker.path().join("work");
    attacker.git(
        attacker.path(),
        &[
            "clone",
            "-q",
            remote.to_str().unwrap(),
            work.to_str().unwrap(),
        ],
    );
    for part in [".sm", "secrets"] {
        std::fs::remove_dir_all(work.join(part)).unwrap();
        std::fs::rename(attacker.store.join(part), work.join(part)).unwrap();
    }
    attacker.git(&work, &["add", "-A"]);
    attacker.git(&work, &["commit", "-qm", "routine update"]);
    attacker.git(&work, &["push", "-q", "origin", "main"]);

    env.git(&env.store, &["pull", "-q", "origin", "main"]);
    let run = env
        .sm(&["get", "db"])
        .fails(5)
        .stderr_has("different store");
    assert!(!run.stdout().contains("attacker-value"));
}

#[test]
fn a_clone_of_a_remote_pinned_to_another_store_is_refused() {
    if !have(
        "git",
        "a_clone_of_a_remote_pinned_to_another_store_is_refused",
    ) {
        return;
    }
    let env = TestEnv::new();
    env.put("db", b"honest");
    let remote = push_to_remote(&env, &env.store, "remote.git");
    // A first clone pins the remote to the store.
    let first = env.path().join("first");
    env.git(
        env.path(),
        &[
            "clone",
            "-q",
            remote.to_str().unwrap(),
            first.to_str().unwrap(),
        ],
    );
    sm_at(&env, &first, &["ls"])
        .success()
        .stderr_has("is now pinned at this location and its git remote ");
    // The same store cloned again elsewhere is fine.
    let second = env.path().join("second");
    env.git(
        env.path(),
        &[
            "clone",
            "-q",
            remote.to_str().unwrap(),
            second.to_str().unwrap(),
        ],
    );
    let run = sm_at(&env, &second, &["get", "db"]).success();
    assert_eq!(run.0.stdout, b"honest");

    // The remote's history is replaced by another store (a force push).
    let attacker = attackers_store();
    attacker.git(&attacker.store, &["init", "-q", "-b", "main"]);
    attacker.git(&attacker.store, &["add", "-A"]);
    attacker.git(&attacker.store, &["commit", "-qm", "store"]);
    attacker.git(
        &attacker.store,
        &["push", "-q", "--force", remote.to_str().unwrap(), "main"],
    );
    let third = env.path().join("third");
    env.git(
        env.path(),
        &[
            "clone",
            "-q",
            remote.to_str().unwrap(),
            third.to_str().unwrap(),
        ],
    );
    let run = sm_at(&env, &third, &["get", "db"])
        .fails(5)
        .stderr_has("is a different store than the one first cloned from ")
        .stderr_has(remote.to_str().unwrap());
    assert!(!run.stdout().contains("attacker-value"));
    // Refused without pinning the new folder: it stays refused.
    sm_at(&env, &third, &["ls"]).fails(5);
    // Accepting it deliberately re-pins the folder and the remote.
    sm_at(&env, &third, &["doctor", "--reset-trust"])
        .success()
        .stdout_has("pinned path ")
        .stdout_has("re-pinned remote ");
    sm_at(&env, &third, &["ls"]).success();
}

#[test]
fn init_over_a_pinned_folder_pins_the_new_store_and_says_so() {
    let env = TestEnv::new();
    std::fs::remove_dir_all(&env.store).unwrap();
    env.sm(&["init", env.store.to_str().unwrap(), "--name", "alice"])
        .success()
        .stderr_has("was pinned to another store");
    env.put("db", b"new");
    assert_eq!(env.get("db"), b"new");
}
