//! Teams: access rules and groups, forged writes caught by `sm verify`,
//! `sm rewrap`, `sm member rm`, and concurrent work merged through git.

use std::path::{Path, PathBuf};

use crate::common::{Run, TestEnv, have};

/// A second member of `env`'s store with their own identity file.
pub struct Other {
    pub identity: PathBuf,
}

/// Creates an identity for `name` and has alice add them.
pub fn add_member(env: &TestEnv, name: &str, admin: bool) -> Other {
    add_member_with(env, name, if admin { &["--admin"] } else { &[] })
}

/// Like [`add_member`], with `extra` arguments to `sm member add`.
pub fn add_member_with(env: &TestEnv, name: &str, extra: &[&str]) -> Other {
    let identity = env.path().join(format!("{name}.txt"));
    env.sm(&["identity", "new", "--file", identity.to_str().unwrap()])
        .success();
    let keys = Run(env
        .cmd()
        .env("SM_IDENTITY_FILE", &identity)
        .args(["identity", "show", "--json"])
        .output()
        .unwrap())
    .success()
    .json();
    let mut args = vec![
        "member",
        "add",
        name,
        keys["recipient"].as_str().unwrap(),
        "--signing-key",
        keys["signing_key"].as_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    env.sm(&args).success();
    Other { identity }
}

/// Runs sm as `who`.
pub fn sm_as(env: &TestEnv, who: &Other, args: &[&str]) -> Run {
    Run(env
        .cmd()
        .env("SM_IDENTITY_FILE", &who.identity)
        .args(args)
        .output()
        .unwrap())
}

/// Runs sm as `who` with stdin.
pub fn sm_as_in(env: &TestEnv, who: &Other, args: &[&str], stdin: &[u8]) -> Run {
    Run(env
        .cmd()
        .env("SM_IDENTITY_FILE", &who.identity)
        .args(args)
        .write_stdin(stdin.to_vec())
        .output()
        .unwrap())
}

fn labelled_age_files(env: &TestEnv, name: &str) -> Vec<PathBuf> {
    let meta: toml::Value =
        toml::from_str(&std::fs::read_to_string(env.secret_dir(name).join("meta.toml")).unwrap())
            .unwrap();
    let mut ids: Vec<String> = meta["labels"]
        .as_table()
        .unwrap()
        .values()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids.dedup();
    ids.iter()
        .map(|id| {
            env.secret_dir(name)
                .join("versions")
                .join(format!("{id}.age"))
        })
        .collect()
}

#[test]
fn access_rules_read_write_groups_and_most_specific_wins() {
    let env = TestEnv::new();
    let bob = add_member(&env, "bob", false);
    let carol = add_member(&env, "carol", false);
    // A store with no rules gives every member everything.
    env.put("dev/x", b"dx");
    assert_eq!(
        sm_as(&env, &carol, &["get", "dev/x"]).success().0.stdout,
        b"dx"
    );
    sm_as_in(&env, &carol, &["put", "dev/x", "--stdin"], b"dx2").success();

    env.sm(&["group", "add", "ops", "bob"]).success();
    env.sm(&[
        "access",
        "set",
        "prod/**",
        "--read",
        "ops,alice",
        "--write",
        "ops",
    ])
    .success();
    env.sm(&[
        "access",
        "set",
        "prod/shared",
        "--read",
        "*",
        "--write",
        "alice",
    ])
    .success();
    // Only admins change rules.
    sm_as(
        &env,
        &bob,
        &["access", "set", "**", "--read", "bob", "--write", "bob"],
    )
    .fails(4);
    sm_as(&env, &bob, &["group", "add", "ops", "carol"]).fails(4);
    // Unknown members or groups are refused.
    env.sm(&[
        "access", "set", "x/**", "--read", "nobody", "--write", "alice",
    ])
    .fails(2);

    // Writers write; others get exit 4.
    sm_as_in(&env, &bob, &["put", "prod/db", "--stdin"], b"pw").success();
    env.sm_in(&["put", "prod/db", "--stdin"], b"nope")
        .fails(4)
        .stderr_has("prod/**");
    sm_as_in(&env, &carol, &["put", "prod/db", "--stdin"], b"nope").fails(4);
    // Readers read; others cannot decrypt.
    assert_eq!(env.get("prod/db"), b"pw");
    assert_eq!(
        sm_as(&env, &bob, &["get", "prod/db"]).success().0.stdout,
        b"pw"
    );
    sm_as(&env, &carol, &["get", "prod/db"]).fails(4);
    // Label changes need write access too.
    sm_as(&env, &carol, &["tag", "prod/db", "k=v"]).fails(4);

    // The most specific rule wins: everyone reads prod/shared, only alice writes.
    env.put("prod/shared", b"s");
    assert_eq!(
        sm_as(&env, &carol, &["get", "prod/shared"])
            .success()
            .0
            .stdout,
        b"s"
    );
    sm_as_in(&env, &bob, &["put", "prod/shared", "--stdin"], b"x").fails(4);

    let shown = env.sm(&["--json", "access", "prod/db"]).success().json();
    assert_eq!(
        shown["read"]["members"],
        serde_json::json!(["alice", "bob"])
    );
    assert_eq!(shown["read"]["rule"], "prod/**");
    assert_eq!(shown["write"]["members"], serde_json::json!(["bob"]));
    env.sm(&["access", "prod/shared"])
        .success()
        .stdout_has("rule `prod/shared`");
    let carol_can = env
        .sm(&["--json", "access", "--member", "carol"])
        .success()
        .json();
    let names: Vec<&str> = carol_can
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["dev/x", "prod/shared"]);

    // Removing bob from ops takes his access away.
    env.sm(&["group", "rm", "ops", "bob"])
        .success()
        .stderr_has("lost a writer");
    sm_as_in(&env, &bob, &["put", "prod/db", "--stdin"], b"x").fails(4);
    // What bob wrote there is no longer vouched for by an allowed writer.
    env.sm(&["get", "prod/db"]).fails(5);
    env.sm(&["verify"]).fails(5).stderr_has("who may not write");
    // A group a rule names cannot be removed.
    env.sm(&["group", "rm", "ops"]).fails(6);
    env.sm(&["access", "rm", "prod/**"]).success();
    env.sm(&["access", "rm", "prod/**"]).fails(3);
    env.sm(&["verify"]).success();
}

#[test]
fn hand_edited_rules_fail_verification_and_are_not_obeyed() {
    let env = TestEnv::new();
    let bob = add_member(&env, "bob", false);
    env.put("prod/db", b"pw");
    env.sm(&[
        "access", "set", "prod/**", "--read", "alice", "--write", "alice",
    ])
    .success();
    let path = env.store.join(".sm/access.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("prod/**"));
    std::fs::write(
        &path,
        text.replace("read = [\"alice\"]", "read = [\"alice\", \"bob\"]"),
    )
    .unwrap();
    env.sm(&["verify"]).fails(5).stderr_has("access.toml");
    sm_as(&env, &bob, &["get", "prod/db"]).fails(5);
    // Signed by a non-admin: refused as well.
    std::fs::write(&path, text.replace("by = \"alice\"", "by = \"bob\"")).unwrap();
    env.sm(&["verify"]).fails(5).stderr_has("not an admin");
}

#[test]
fn a_forged_write_by_a_member_not_allowed_to_write_is_caught() {
    let env = TestEnv::new();
    let bob = add_member(&env, "bob", false);
    env.put("prod/db", b"pw");
    // Bob keeps a copy of the store from before the rule (the signed header
    // makes dropping the rules from a copy fail), writes there, and copies
    // the new files back by hand after the rule took his write access.
    let copy = env.path().join("copy");
    copy_dir(&env.store, &copy);
    env.sm(&[
        "access",
        "set",
        "prod/**",
        "--read",
        "alice,bob",
        "--write",
        "alice",
    ])
    .success();
    Run(env
        .cmd()
        .env("SM_IDENTITY_FILE", &bob.identity)
        .env("SM_STORE", &copy)
        .args(["put", "prod/db", "--stdin"])
        .write_stdin(b"evil".to_vec())
        .output()
        .unwrap())
    .success();
    let rel = "secrets/prod/db.secret";
    copy_dir(&copy.join(rel), &env.store.join(rel));
    env.sm(&["verify"])
        .fails(5)
        .stderr_has("who may not write `prod/db`");
    env.sm(&["get", "prod/db"]).fails(5);
}

#[test]
fn rewrap_after_a_rule_change_and_verify_reports_stale_versions() {
    let env = TestEnv::new();
    let carol = add_member(&env, "carol", false);
    env.put("prod/db", b"one");
    env.put("prod/db", b"two");
    env.put("dev/x", b"dev");
    assert_eq!(
        sm_as(&env, &carol, &["get", "prod/db"]).success().0.stdout,
        b"two"
    );
    env.sm(&[
        "access", "set", "prod/**", "--read", "alice", "--write", "alice",
    ])
    .success()
    .stderr_has("sm rewrap");
    // Old ciphertexts still name carol until the rewrap; verify says so.
    let report = env.sm(&["--json", "verify"]).success().json();
    assert_eq!(report["stale"].as_array().unwrap().len(), 2);
    env.sm(&["verify"]).success().stderr_has("warning:");
    let out = env.sm(&["--json", "rewrap"]).success().json();
    assert_eq!(out["rewrapped"], 2);
    sm_as(&env, &carol, &["get", "prod/db"]).fails(4);
    sm_as(&env, &carol, &["get", "prod/db", "--label", "previous"]).fails(4);
    assert_eq!(
        sm_as(&env, &carol, &["get", "dev/x"]).success().0.stdout,
        b"dev"
    );
    assert_eq!(env.get("prod/db"), b"two");
    let report = env.sm(&["--json", "verify"]).success().json();
    assert_eq!(report["stale"].as_array().unwrap().len(), 0);
    // Nothing left to do: a rerun (or a resumed run) changes nothing.
    let again = env.sm(&["--json", "rewrap"]).success().json();
    assert_eq!(again["rewrapped"], 0);
    assert_eq!(again["up_to_date"], 3);
    // Author and time stay; the rewrapper is recorded.
    let versions = env.sm(&["--json", "versions", "prod/db"]).success().json();
    assert_eq!(versions[0]["author"], "alice");
    let id = versions[0]["version_id"].as_str().unwrap();
    let record = env.read(&format!("secrets/prod/db.secret/versions/{id}.toml"));
    assert!(record.contains("rewrapped_by = \"alice\""), "{record}");
    if have(
        "age",
        "rewrap_after_a_rule_change_and_verify_reports_stale_versions",
    ) {
        for file in labelled_age_files(&env, "prod/db") {
            let out = std::process::Command::new("age")
                .args(["-d", "-i"])
                .arg(&carol.identity)
                .arg(&file)
                .output()
                .unwrap();
            assert!(!out.status.success(), "carol decrypted {}", file.display());
        }
    }
}

#[test]
fn member_rm_rewraps_lists_rotations_and_locks_the_member_out() {
    let env = TestEnv::new();
    let bob = add_member(&env, "bob", false);
    env.sm(&[
        "access", "set", "hr/**", "--read", "alice", "--write", "alice",
    ])
    .success();
    env.put("app/a", b"a1");
    env.put("app/a", b"a2");
    env.put("hr/salaries", b"secret");
    sm_as_in(&env, &bob, &["put", "app/b", "--stdin"], b"b1").success();
    env.put("gone", b"g");
    env.sm(&["rm", "gone", "--force"]).success();
    let out = env.sm(&["--json", "member", "rm", "bob"]).success().json();
    assert_eq!(out["removed"], "bob");
    assert_eq!(out["rotate"], serde_json::json!(["app/a", "app/b"]));
    assert_eq!(out["rewrap"]["skipped"], serde_json::json!([]));
    // Bob is no longer a member: he cannot read or write.
    sm_as(&env, &bob, &["get", "app/a"]).fails(4);
    sm_as_in(&env, &bob, &["put", "app/c", "--stdin"], b"x").fails(4);
    // His signatures were replaced, his log still verifies.
    env.sm(&["verify"]).success();
    let report = env.sm(&["--json", "verify"]).success().json();
    assert_eq!(report["stale"], serde_json::json!([]));
    assert_eq!(env.get("app/b"), b"b1");
    let versions = env.sm(&["--json", "versions", "app/b"]).success().json();
    assert_eq!(versions[0]["author"], "bob");
    env.sm(&["member", "ls"]).success().stdout_has("removed");
    // Removing twice, or yourself, is refused.
    env.sm(&["member", "rm", "bob"]).fails(3);
    env.sm(&["member", "rm", "alice"]).fails(2);
    // Text output lists what to rotate.
    if have(
        "age",
        "member_rm_rewraps_lists_rotations_and_locks_the_member_out",
    ) {
        for name in ["app/a", "app/b", "hr/salaries"] {
            for file in labelled_age_files(&env, name) {
                let out = std::process::Command::new("age")
                    .args(["-d", "-i"])
                    .arg(&bob.identity)
                    .arg(&file)
                    .output()
                    .unwrap();
                assert!(!out.status.success(), "bob decrypted {}", file.display());
            }
        }
    }
}

#[test]
fn member_rm_text_output_and_admins() {
    let env = TestEnv::new();
    let bob = add_member(&env, "bob", false);
    let carol = add_member(&env, "carol", false);
    env.put("a", b"1");
    // Only admins remove members or make admins.
    sm_as(&env, &bob, &["member", "rm", "carol"]).fails(4);
    env.sm(&["member", "admin", "bob"]).success();
    sm_as(&env, &bob, &["member", "rm", "carol"])
        .success()
        .stdout_has("a\n")
        .stderr_has("rotate");
    sm_as(&env, &carol, &["get", "a"]).fails(4);
    env.sm(&["verify"]).success();
}

/// Copies a folder tree (no symlinks).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Runs git in `dir` with the sealed environment (so the merge driver it
/// starts finds the same identity and config).
pub fn git_in(env: &TestEnv, dir: &Path, identity: &Path, args: &[&str]) -> std::process::Output {
    let sm = env.std_cmd();
    let mut cmd = std::process::Command::new("git");
    for (k, v) in sm.get_envs() {
        if let Some(v) = v {
            cmd.env(k, v);
        }
    }
    let out = cmd
        .env("SM_IDENTITY_FILE", identity)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

pub fn sm_at(env: &TestEnv, dir: &Path, identity: &Path, args: &[&str]) -> Run {
    Run(env
        .cmd()
        .current_dir(dir)
        .env("SM_IDENTITY_FILE", identity)
        .args(args)
        .output()
        .unwrap())
}

pub fn sm_at_in(env: &TestEnv, dir: &Path, identity: &Path, args: &[&str], stdin: &[u8]) -> Run {
    Run(env
        .cmd()
        .current_dir(dir)
        .env("SM_IDENTITY_FILE", identity)
        .args(args)
        .write_stdin(stdin.to_vec())
        .output()
        .unwrap())
}

fn tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut std::collections::BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let rel = entry
                .path()
                .strip_prefix(base)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if rel == ".git" || rel == ".sm/locks" {
                continue;
            }
            if entry.file_type().unwrap().is_dir() {
                walk(base, &entry.path(), out);
            } else {
                out.insert(rel, std::fs::read(entry.path()).unwrap());
            }
        }
    }
    let mut out = std::collections::BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

#[test]
fn two_clones_merge_concurrent_work_through_a_bare_remote() {
    if !have(
        "git",
        "two_clones_merge_concurrent_work_through_a_bare_remote",
    ) {
        return;
    }
    let env = TestEnv::new();
    let bob = add_member(&env, "bob", false);
    let alice_id = env.identity.clone();
    let a = env.store.clone();
    assert!(env.read(".gitattributes").contains("meta.toml merge=sm"));
    env.put("shared", b"v1");
    env.put("alice-only", b"ao");
    env.put("to-delete", b"d");
    env.put("both-rotate", b"r0");
    git_in(&env, &a, &alice_id, &["init", "-q", "-b", "main"]);
    env.sm(&["doctor"])
        .success()
        .stdout_has("registered merge.sm.driver");
    git_in(&env, &a, &alice_id, &["add", "-A"]);
    git_in(&env, &a, &alice_id, &["commit", "-qm", "start"]);
    let remote = env.path().join("remote.git");
    git_in(
        &env,
        env.path(),
        &alice_id,
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
        &env,
        &a,
        &alice_id,
        &["remote", "add", "origin", remote.to_str().unwrap()],
    );
    git_in(&env, &a, &alice_id, &["push", "-q", "origin", "main"]);
    let b = env.path().join("bob-clone");
    git_in(
        &env,
        env.path(),
        &bob.identity,
        &["clone", "-q", remote.to_str().unwrap(), b.to_str().unwrap()],
    );
    // A clone does not carry git config: doctor registers the driver.
    sm_at(&env, &b, &bob.identity, &["doctor"])
        .success()
        .stdout_has("registered merge.sm.driver");

    // Concurrent work: both change `shared`, each adds and rotates its own.
    let v1 = sm_at(&env, &a, &alice_id, &["--json", "get", "shared"])
        .success()
        .json()["version_id"]
        .as_str()
        .unwrap()
        .to_string();
    sm_at_in(
        &env,
        &a,
        &alice_id,
        &["put", "shared", "--stdin"],
        b"alice-v2",
    )
    .success();
    sm_at(
        &env,
        &a,
        &alice_id,
        &["label", "shared", "blue", "--to", &v1],
    )
    .success();
    sm_at_in(&env, &a, &alice_id, &["put", "alice/x", "--stdin"], b"ax").success();
    sm_at(&env, &a, &alice_id, &["rotate", "alice-only", "--generate"]).success();
    sm_at(&env, &a, &alice_id, &["rm", "to-delete"]).success();
    sm_at_in(
        &env,
        &b,
        &bob.identity,
        &["put", "shared", "--stdin"],
        b"bob-v3",
    )
    .success();
    sm_at(&env, &b, &bob.identity, &["tag", "shared", "team=ops"]).success();
    sm_at_in(&env, &b, &bob.identity, &["put", "bob/y", "--stdin"], b"by").success();
    sm_at(&env, &b, &bob.identity, &["rotate", "bob/y", "--generate"]).success();
    sm_at(
        &env,
        &b,
        &bob.identity,
        &["describe", "alice-only", "owned by alice"],
    )
    .success();
    sm_at(
        &env,
        &a,
        &alice_id,
        &["rotate", "both-rotate", "--generate"],
    )
    .success();
    let alice_rotated = sm_at(&env, &a, &alice_id, &["get", "both-rotate"])
        .success()
        .0
        .stdout;
    sm_at(
        &env,
        &b,
        &bob.identity,
        &["rotate", "both-rotate", "--generate"],
    )
    .success();
    let bob_rotated = sm_at(&env, &b, &bob.identity, &["get", "both-rotate"])
        .success()
        .0
        .stdout;
    for (dir, id) in [(&a, &alice_id), (&b, &bob.identity)] {
        git_in(&env, dir, id, &["add", "-A"]);
        git_in(&env, dir, id, &["commit", "-qm", "work"]);
    }
    git_in(&env, &a, &alice_id, &["push", "-q", "origin", "main"]);
    // Bob merges with plain git: no conflict, no hand-editing.
    git_in(
        &env,
        &b,
        &bob.identity,
        &["pull", "-q", "--no-rebase", "--no-edit", "origin", "main"],
    );
    // The driver logged each merge to bob's log: commit that too.
    git_in(&env, &b, &bob.identity, &["add", "-A"]);
    git_in(&env, &b, &bob.identity, &["commit", "-qm", "merge log"]);
    git_in(&env, &b, &bob.identity, &["push", "-q", "origin", "main"]);
    git_in(
        &env,
        &a,
        &alice_id,
        &["pull", "-q", "--no-rebase", "--no-edit", "origin", "main"],
    );

    assert_eq!(tree(&a), tree(&b), "the clones differ");
    for (dir, id) in [(&a, &alice_id), (&b, &bob.identity)] {
        sm_at(&env, dir, id, &["verify"]).success();
        // Bob's put was the newer one: it is current and alice's is previous.
        assert_eq!(
            sm_at(&env, dir, id, &["get", "shared"]).success().0.stdout,
            b"bob-v3"
        );
        assert_eq!(
            sm_at(&env, dir, id, &["get", "shared", "--label", "previous"])
                .success()
                .0
                .stdout,
            b"alice-v2"
        );
        assert_eq!(
            sm_at(&env, dir, id, &["get", "shared", "--label", "blue"])
                .success()
                .0
                .stdout,
            b"v1"
        );
        let show = sm_at(&env, dir, id, &["--json", "show", "shared"])
            .success()
            .json();
        assert_eq!(show["tags"]["team"], "ops", "{show}");
        let show = sm_at(&env, dir, id, &["--json", "show", "alice-only"])
            .success()
            .json();
        assert_eq!(show["description"], "owned by alice", "{show}");
        assert_eq!(
            sm_at(&env, dir, id, &["get", "alice/x"]).success().0.stdout,
            b"ax"
        );
        assert_eq!(
            sm_at(&env, dir, id, &["get", "bob/y"])
                .success()
                .0
                .stdout
                .len(),
            32
        );
        sm_at(&env, dir, id, &["get", "to-delete"]).fails(3);
        // Both rotated the same secret: the later rotation is current, the
        // earlier one previous.
        assert_eq!(
            sm_at(&env, dir, id, &["get", "both-rotate"])
                .success()
                .0
                .stdout,
            bob_rotated
        );
        assert_eq!(
            sm_at(
                &env,
                dir,
                id,
                &["get", "both-rotate", "--label", "previous"]
            )
            .success()
            .0
            .stdout,
            alice_rotated
        );
        sm_at(&env, dir, id, &["log", "verify"]).success();
    }
    let log = git_in(
        &env,
        &b,
        &bob.identity,
        &["log", "-1", "--format=%P", "HEAD^"],
    );
    assert_eq!(
        String::from_utf8_lossy(&log.stdout)
            .split_whitespace()
            .count(),
        2,
        "not a merge"
    );
}

#[test]
fn replica_sync_is_readable_by_its_members_and_refuses_writes() {
    let env = TestEnv::new();
    let bob = add_member(&env, "bob", false);
    let carol = add_member(&env, "carol", false);
    env.put("prod/db", b"p1");
    env.put("prod/db", b"p2");
    env.put("prod/db", b"p3");
    env.put("dev/x", b"dx");
    let dr = env.path().join("dr");
    env.sm(&[
        "replica",
        "add",
        dr.to_str().unwrap(),
        "--members",
        "bob",
        "--prefix",
        "prod/",
    ])
    .success();
    // Nothing synced yet: status shows what is behind.
    let behind = env.sm(&["--json", "replica", "status"]).fails(1).json();
    assert_eq!(behind[0]["name"], "prod/db");
    let out = env.sm(&["--json", "replica", "sync"]).success().json();
    assert_eq!(out[0]["copied"], 2);
    env.sm(&["replica", "status"]).success();
    // A rerun copies nothing.
    let out = env.sm(&["--json", "replica", "sync"]).success().json();
    assert_eq!(out[0]["copied"], 0);

    let in_dr = |who: &Path, args: &[&str]| sm_at(&env, &dr, who, args);
    assert_eq!(
        in_dr(&bob.identity, &["get", "prod/db"]).success().0.stdout,
        b"p3"
    );
    assert_eq!(
        in_dr(&bob.identity, &["get", "prod/db", "--label", "previous"])
            .success()
            .0
            .stdout,
        b"p2"
    );
    // Only current and previous travel, only the chosen prefixes, only to
    // the replica's members.
    assert_eq!(
        in_dr(&bob.identity, &["--json", "versions", "prod/db"])
            .success()
            .json()
            .as_array()
            .unwrap()
            .len(),
        2
    );
    in_dr(&bob.identity, &["get", "dev/x"]).fails(3);
    in_dr(&carol.identity, &["get", "prod/db"]).fails(4);
    // Read-only: writes are refused, naming the primary.
    sm_at_in(
        &env,
        &dr,
        &bob.identity,
        &["put", "prod/db", "--stdin"],
        b"x",
    )
    .fails(4)
    .stderr_has("read-only replica of")
    .stderr_has(env.store.to_str().unwrap());
    in_dr(&env.identity, &["label", "prod/db", "previous", "--remove"]).fails(4);
    in_dr(&bob.identity, &["verify"]).success();

    // A new version on the primary: the replica is behind until the next sync.
    env.put("prod/db", b"p4");
    env.sm(&["replica", "status"])
        .fails(1)
        .stdout_has("prod/db");
    env.sm(&["replica", "sync"]).success();
    assert_eq!(
        in_dr(&bob.identity, &["get", "prod/db"]).success().0.stdout,
        b"p4"
    );
    assert_eq!(
        in_dr(&bob.identity, &["get", "prod/db", "--label", "previous"])
            .success()
            .0
            .stdout,
        b"p3"
    );
    in_dr(&bob.identity, &["verify"]).success();
}

#[test]
fn an_interrupted_rewrap_stays_readable_and_resumes() {
    let env = TestEnv::new();
    let carol = add_member(&env, "carol", false);
    env.put("a", b"one");
    env.put("b", b"two");
    env.sm(&["access", "set", "**", "--read", "alice", "--write", "alice"])
        .success();
    // The state a crash leaves between a rewrap's writes: the new record
    // beside the old one, and the new ciphertext in place. Made by rewrapping
    // a copy and bringing back those two files.
    let copy = env.path().join("copy");
    copy_dir(&env.store, &copy);
    sm_at(&env, &copy, &env.identity, &["rewrap"]).success();
    let id = env.version_ids("a").pop().unwrap();
    let rel = format!("secrets/a.secret/versions/{id}");
    std::fs::copy(
        copy.join(format!("{rel}.age")),
        env.store.join(format!("{rel}.age")),
    )
    .unwrap();
    std::fs::copy(
        copy.join(format!("{rel}.toml")),
        env.store.join(format!("{rel}.rewrap")),
    )
    .unwrap();
    assert_eq!(env.get("a"), b"one");
    env.sm(&["verify"]).success();
    let out = env.sm(&["--json", "rewrap"]).success().json();
    assert_eq!(out["rewrapped"], 1, "{out}");
    assert!(!env.store.join(format!("{rel}.rewrap")).exists());
    assert_eq!(
        env.read(&format!("{rel}.toml")),
        std::fs::read_to_string(copy.join(format!("{rel}.toml"))).unwrap()
    );
    sm_as(&env, &carol, &["get", "a"]).fails(4);
    sm_as(&env, &carol, &["get", "b"]).fails(4);
    let report = env.sm(&["--json", "verify"]).success().json();
    assert_eq!(report["stale"], serde_json::json!([]));
}

#[test]
fn removing_an_admin_who_signed_the_rules_keeps_the_store_open() {
    let env = TestEnv::new();
    let bob = add_member(&env, "bob", true);
    sm_as(
        &env,
        &bob,
        &[
            "access",
            "set",
            "ops/**",
            "--read",
            "bob,alice",
            "--write",
            "bob",
        ],
    )
    .success();
    sm_as_in(&env, &bob, &["put", "ops/key", "--stdin"], b"k").success();
    assert!(env.read(".sm/access.toml").contains("by = \"bob\""));
    // alice may not write ops/**, so she cannot re-sign bob's version there.
    env.sm(&["member", "rm", "bob"])
        .fails(4)
        .stderr_has("skipped ops/key");
    env.sm(&["access"]).success().stdout_has("ops/**");
    env.sm(&[
        "access", "set", "ops/**", "--read", "alice", "--write", "alice",
    ])
    .success();
    env.sm(&["rewrap"]).success();
    env.sm(&["verify"]).success();
    assert_eq!(env.get("ops/key"), b"k");
}
