//! The seen state (SPEC section 3): this machine remembers the sequences it
//! trusted, so a replayed older `meta.toml` or a secret deleted behind sm's
//! back is exit 5 on the next read, and `sm doctor --reset-trust` forgets.

use crate::common::{TestEnv, have};

#[test]
fn a_replayed_meta_and_a_deleted_secret_are_refused() {
    if !have("git", "a_replayed_meta_and_a_deleted_secret_are_refused") {
        return;
    }
    let env = TestEnv::new();
    env.put("db", b"one");
    env.git(&env.store, &["init", "-q", "-b", "main"]);
    env.git(&env.store, &["add", "-A"]);
    env.git(&env.store, &["commit", "-qm", "one"]);
    env.put("db", b"two");
    assert_eq!(env.get("db"), b"two");
    let meta = env.secret_dir("db").join("meta.toml");
    let newer = std::fs::read(&meta).unwrap();

    // The older signed meta.toml comes back (a replay through git).
    env.git(
        &env.store,
        &["checkout", "HEAD", "--", "secrets/db.secret/meta.toml"],
    );
    let run = env
        .sm(&["get", "db"])
        .fails(5)
        .stderr_has("meta.toml")
        .stderr_has("rolled back from sequence ")
        .stderr_has("git log -p -- ");
    assert!(!run.stdout().contains("one"));
    std::fs::write(&meta, &newer).unwrap();
    assert_eq!(env.get("db"), b"two");

    // The secret's folder is deleted by hand: no tombstone says so.
    std::fs::remove_dir_all(env.secret_dir("db")).unwrap();
    env.sm(&["verify"])
        .fails(5)
        .stderr_has("missing: this machine saw secret `db` at sequence ");

    // Deliberately accepted: the marks are forgotten.
    env.sm(&["doctor", "--reset-trust"])
        .success()
        .stdout_has("forgot the sequences this machine trusted");
    env.sm(&["verify"]).success();
}
