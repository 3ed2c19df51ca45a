//! The merge driver and freshness (SPEC section 3): concurrent changes to
//! one secret merge with a higher sequence and both versions listed; a
//! genuinely signed older `meta.toml` pushed as a "change" is refused as a
//! replay; a side whose writer the merged rules revoke is refused; nothing
//! is signed for a refused merge.

use std::path::{Path, PathBuf};

use crate::common::{TestEnv, have};
use crate::teams::{Other, add_member, git_in, sm_at, sm_at_in};

/// Alice's store in git with a bare remote, and bob's clone with the merge
/// driver registered. Returns (alice's dir, bob, bob's dir).
fn two_clones(env: &TestEnv) -> (PathBuf, Other, PathBuf) {
    let bob = add_member(env, "bob", false);
    let a = env.store.clone();
    env.put("shared", b"v1");
    git_in(env, &a, &env.identity, &["init", "-q", "-b", "main"]);
    env.sm(&["doctor"]).success();
    commit(env, &a, &env.identity, "start");
    let remote = env.path().join("remote.git");
    git_in(
        env,
        env.path(),
        &env.identity,
        &[
            "init",
            "-q",
            "--bare",
            "-b",
            "main",
            remote.to_str().unwrap(),
        ],
    );
    git_in(
        env,
        &a,
        &env.identity,
        &["remote", "add", "origin", remote.to_str().unwrap()],
    );
    git_in(env, &a, &env.identity, &["push", "-q", "origin", "main"]);
    let b = clone(env, &bob.identity, "bob-clone");
    (a, bob, b)
}

fn clone(env: &TestEnv, identity: &Path, name: &str) -> PathBuf {
    let dir = env.path().join(name);
    let remote = env.path().join("remote.git");
    git_in(
        env,
        env.path(),
        identity,
        &[
            "clone",
            "-q",
            remote.to_str().unwrap(),
            dir.to_str().unwrap(),
        ],
    );
    sm_at(env, &dir, identity, &["doctor"])
        .success()
        .stdout_has("registered merge.sm.driver");
    dir
}

fn commit(env: &TestEnv, dir: &Path, identity: &Path, message: &str) {
    git_in(env, dir, identity, &["add", "-A"]);
    git_in(env, dir, identity, &["commit", "-qm", message]);
}

/// `git pull` that may fail (with the driver's environment).
fn pull(env: &TestEnv, dir: &Path, identity: &Path) -> std::process::Output {
    let sm = env.std_cmd();
    let mut cmd = std::process::Command::new("git");
    for (k, v) in sm.get_envs() {
        if let Some(v) = v {
            cmd.env(k, v);
        }
    }
    cmd.env("SM_IDENTITY_FILE", identity)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .arg("-C")
        .arg(dir)
        .args(["pull", "-q", "--no-rebase", "--no-edit", "origin", "main"])
        .output()
        .unwrap()
}

fn meta(dir: &Path, name: &str) -> toml::Value {
    let text =
        std::fs::read_to_string(dir.join(format!("secrets/{name}.secret/meta.toml"))).unwrap();
    toml::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

fn seq(dir: &Path, name: &str) -> i64 {
    meta(dir, name)["seq"].as_integer().unwrap()
}

fn version_id(env: &TestEnv, dir: &Path, identity: &Path, name: &str) -> String {
    sm_at(env, dir, identity, &["--json", "get", name])
        .success()
        .json()["version_id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Files git left unmerged.
fn unmerged(env: &TestEnv, dir: &Path) -> String {
    let out = env.git(dir, &["diff", "--name-only", "--diff-filter=U"]);
    out.stdout()
}

/// The merge entries in a clone's logs.
fn merge_entries(dir: &Path) -> usize {
    crate::common::walk(&dir.join(".sm/log"))
        .iter()
        .map(|p| {
            std::fs::read_to_string(p)
                .unwrap_or_default()
                .lines()
                .filter(|l| l.contains("\"op\":\"merge\""))
                .count()
        })
        .sum()
}

#[test]
fn concurrent_puts_merge_with_a_higher_sequence_and_both_versions() {
    if !have(
        "git",
        "concurrent_puts_merge_with_a_higher_sequence_and_both_versions",
    ) {
        return;
    }
    let env = TestEnv::new();
    let (a, bob, b) = two_clones(&env);
    let alice = env.identity.clone();
    sm_at_in(&env, &a, &alice, &["put", "shared", "--stdin"], b"alice-v2").success();
    sm_at_in(
        &env,
        &b,
        &bob.identity,
        &["put", "shared", "--stdin"],
        b"bob-v3",
    )
    .success();
    let (ours_seq, theirs_seq) = (seq(&a, "shared"), seq(&b, "shared"));
    let alice_v = version_id(&env, &a, &alice, "shared");
    let bob_v = version_id(&env, &b, &bob.identity, "shared");
    commit(&env, &a, &alice, "alice");
    commit(&env, &b, &bob.identity, "bob");
    git_in(&env, &b, &bob.identity, &["push", "-q", "origin", "main"]);
    let out = pull(&env, &a, &alice);
    assert!(
        out.status.success(),
        "the merge failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(unmerged(&env, &a), "");
    assert_eq!(seq(&a, "shared"), ours_seq.max(theirs_seq) + 1);
    let listed: Vec<String> = meta(&a, "shared")["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    assert!(
        listed.contains(&alice_v) && listed.contains(&bob_v),
        "{listed:?}"
    );
    assert_eq!(
        meta(&a, "shared")["signature"]["by"].as_str(),
        Some("alice")
    );
    sm_at(&env, &a, &alice, &["verify"]).success();
    assert_eq!(
        sm_at(&env, &a, &alice, &["get", "shared"])
            .success()
            .0
            .stdout,
        b"bob-v3"
    );
    // The merge is in the merging member's log.
    assert_eq!(merge_entries(&a), 1);
    let log = sm_at(&env, &a, &alice, &["--json", "log", "shared"])
        .success()
        .stdout();
    assert!(
        log.contains(&format!("merged sequences {ours_seq} and {theirs_seq}")),
        "{log}"
    );
}

#[test]
fn a_replayed_older_meta_is_refused_and_nothing_is_signed() {
    if !have(
        "git",
        "a_replayed_older_meta_is_refused_and_nothing_is_signed",
    ) {
        return;
    }
    let env = TestEnv::new();
    let (a, bob, b) = two_clones(&env);
    let alice = env.identity.clone();
    let path = "secrets/shared.secret/meta.toml";
    let old = env
        .git(&a, &["rev-parse", "HEAD"])
        .stdout()
        .trim()
        .to_string();
    // Alice moves on (seq rises), and bob sees it.
    sm_at_in(&env, &a, &alice, &["put", "shared", "--stdin"], b"v2").success();
    commit(&env, &a, &alice, "v2");
    git_in(&env, &a, &alice, &["push", "-q", "origin", "main"]);
    git_in(
        &env,
        &b,
        &bob.identity,
        &["pull", "-q", "--no-rebase", "origin", "main"],
    );
    // Concurrently: alice changes the secret again; bob (a writer) pushes
    // the genuinely signed older metadata back as if it were a change.
    sm_at_in(&env, &a, &alice, &["put", "shared", "--stdin"], b"v3").success();
    commit(&env, &a, &alice, "v3");
    let replay = env.git(&b, &["show", &format!("{old}:{path}")]).0.stdout;
    std::fs::write(b.join(path), &replay).unwrap();
    commit(&env, &b, &bob.identity, "innocent");
    git_in(&env, &b, &bob.identity, &["push", "-q", "origin", "main"]);

    let ours = std::fs::read(a.join(path)).unwrap();
    let before = merge_entries(&a);
    let out = pull(&env, &a, &alice);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "the replay merged: {stderr}");
    assert!(
        stderr.contains(
            "their side is older than the merge base (sequence 1 < 2): a replay; not merged"
        ) && stderr.contains("meta.toml"),
        "{stderr}"
    );
    assert!(unmerged(&env, &a).contains(path), "no conflict left");
    // git's conflict holds our file as it was: nothing was signed.
    assert_eq!(std::fs::read(a.join(path)).unwrap(), ours);
    assert_eq!(merge_entries(&a), before);
}

#[test]
fn a_side_whose_writer_the_merged_rules_revoke_is_refused() {
    if !have(
        "git",
        "a_side_whose_writer_the_merged_rules_revoke_is_refused",
    ) {
        return;
    }
    let env = TestEnv::new();
    let (a, bob, b) = two_clones(&env);
    let alice = env.identity.clone();
    let path = "secrets/shared.secret/meta.toml";
    // Theirs: bob changes the secret, then an admin (alice, in another
    // checkout) takes bob's write access away.
    sm_at(&env, &b, &bob.identity, &["tag", "shared", "by=bob"]).success();
    commit(&env, &b, &bob.identity, "bob");
    git_in(&env, &b, &bob.identity, &["push", "-q", "origin", "main"]);
    let c = clone(&env, &alice, "alice-other");
    sm_at(
        &env,
        &c,
        &alice,
        &[
            "access",
            "set",
            "shared",
            "--read",
            "alice,bob",
            "--write",
            "alice",
        ],
    )
    .success();
    commit(&env, &c, &alice, "rules");
    git_in(&env, &c, &alice, &["push", "-q", "origin", "main"]);
    // Ours: alice changes the same secret concurrently.
    sm_at(&env, &a, &alice, &["describe", "shared", "mine"]).success();
    commit(&env, &a, &alice, "alice");
    let ours = std::fs::read(a.join(path)).unwrap();
    let out = pull(&env, &a, &alice);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "merged: {stderr}");
    assert!(
        stderr.contains("`bob`, who may not write `shared`"),
        "{stderr}"
    );
    assert!(unmerged(&env, &a).contains(path), "no conflict left");
    assert_eq!(std::fs::read(a.join(path)).unwrap(), ours);
    assert_eq!(merge_entries(&a), 0);
}
