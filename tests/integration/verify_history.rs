//! `sm verify --history`: a fresh clone that never saw the store catches a
//! replay or deletion committed on top of honest history. The store sits in
//! a folder of its repository (`store/`), as it may in a real project.

use std::path::{Path, PathBuf};

use crate::common::{Run, TestEnv, have};
use crate::teams::{Other, add_member, copy_dir};

/// Runs git in `dir` with the sealed environment and `identity` (so the
/// merge driver git starts signs as that member).
fn git(env: &TestEnv, dir: &Path, identity: &Path, args: &[&str]) -> String {
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
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Runs sm in `dir` as `identity`.
fn sm_at(env: &TestEnv, dir: &Path, identity: &Path, args: &[&str]) -> Run {
    Run(env
        .cmd()
        .current_dir(dir)
        .env("SM_IDENTITY_FILE", identity)
        .args(args)
        .output()
        .unwrap())
}

fn put_at(env: &TestEnv, dir: &Path, identity: &Path, name: &str, value: &str) {
    Run(env
        .cmd()
        .current_dir(dir)
        .env("SM_IDENTITY_FILE", identity)
        .args(["put", name, "--stdin"])
        .write_stdin(value.as_bytes().to_vec())
        .output()
        .unwrap())
    .success();
}

/// Commits everything in `repo` and returns the commit id.
fn commit(env: &TestEnv, repo: &Path, message: &str) -> String {
    git(env, repo, &env.identity, &["add", "-A"]);
    git(
        env,
        repo,
        &env.identity,
        &["commit", "-q", "--allow-empty", "-m", message],
    );
    git(env, repo, &env.identity, &["rev-parse", "HEAD"])
}

/// `sm verify --history` in a fresh clone of `repo` (its own HOME: no
/// memory of the store).
fn fresh_verify(repo: &Path, json: bool) -> Run {
    let fresh = TestEnv::bare();
    let clone = fresh.path().join("clone");
    git(
        &fresh,
        fresh.path(),
        &fresh.identity,
        &[
            "clone",
            "-q",
            repo.to_str().unwrap(),
            clone.to_str().unwrap(),
        ],
    );
    let mut args = vec!["verify", "--history"];
    if json {
        args.insert(0, "--json");
    }
    sm_at(&fresh, &clone.join("store"), &fresh.identity, &args)
}

/// The honest history: puts, a label move, a member added and removed, a
/// deletion with a tombstone and a put after it, a prune, an access rule,
/// and a merge of two clones. Returns the environment, the repository (the
/// temp root: the store is its `store/` folder), the remote, carol's
/// identity and a copy of the store made while carol was still an admin.
struct Honest {
    env: TestEnv,
    repo: PathBuf,
    /// Commit ids by step name.
    steps: Vec<(&'static str, String)>,
    carol: Other,
    doctored: PathBuf,
}

impl Honest {
    fn step(&self, name: &str) -> &str {
        &self.steps.iter().find(|(n, _)| *n == name).unwrap().1
    }
}

fn honest(test: &str) -> Option<Honest> {
    if !have("git", test) {
        return None;
    }
    let env = TestEnv::new();
    let repo = env.path().to_path_buf();
    let alice = env.identity.clone();
    std::fs::write(repo.join(".gitignore"), "/*\n!/store/\n!/.gitignore\n").unwrap();
    git(&env, &repo, &alice, &["init", "-q", "-b", "main"]);
    env.sm(&["doctor"]).success();
    let mut steps = Vec::new();
    steps.push(("init", commit(&env, &repo, "init")));
    env.put("app/db", b"db1");
    env.put("app/api", b"api1");
    env.put("tmp", b"t1");
    env.put("many", b"m0");
    steps.push(("puts", commit(&env, &repo, "puts")));
    let v1 = env.version_ids("app/db")[0].clone();
    env.put("app/db", b"db2");
    env.sm(&["label", "app/db", "blue", "--to", &v1]).success();
    steps.push(("label", commit(&env, &repo, "label")));
    let bob = add_member(&env, "bob", false);
    let carol = add_member(&env, "carol", true);
    steps.push(("members", commit(&env, &repo, "add bob and carol")));
    env.sm(&["rm", "tmp", "--force"]).success();
    steps.push(("rm", commit(&env, &repo, "rm tmp")));
    env.put("tmp", b"t2");
    steps.push(("put-again", commit(&env, &repo, "tmp again")));
    // Past the default 100 versions: the oldest is pruned.
    let script = "for i in $(seq 1 101); do printf 'm%s' $i | $SM put many --stdin >/dev/null || exit 1; done";
    let out = env.shell(script).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(env.version_ids("many").len(), 100);
    steps.push(("prune", commit(&env, &repo, "prune")));
    env.sm(&[
        "access",
        "set",
        "app/**",
        "--read",
        "alice,bob",
        "--write",
        "alice,bob",
    ])
    .success();
    steps.push(("access", commit(&env, &repo, "access")));

    // Two clones through a bare remote; each changes its own secrets.
    let remote = env.path().join("remote.git");
    git(
        &env,
        &repo,
        &alice,
        &[
            "init",
            "-q",
            "--bare",
            "-b",
            "main",
            remote.to_str().unwrap(),
        ],
    );
    git(
        &env,
        &repo,
        &alice,
        &["remote", "add", "origin", remote.to_str().unwrap()],
    );
    git(&env, &repo, &alice, &["push", "-q", "origin", "main"]);
    let b = env.path().join("bob-clone");
    git(
        &env,
        &repo,
        &bob.identity,
        &["clone", "-q", remote.to_str().unwrap(), b.to_str().unwrap()],
    );
    let b_store = b.join("store");
    sm_at(&env, &b_store, &bob.identity, &["doctor"]).success();
    put_at(&env, &b_store, &bob.identity, "app/api", "api2");
    git(&env, &b, &bob.identity, &["add", "-A"]);
    git(&env, &b, &bob.identity, &["commit", "-qm", "bob's api"]);
    git(&env, &b, &bob.identity, &["push", "-q", "origin", "main"]);
    env.put("app/db", b"db3");
    steps.push(("alice-db", commit(&env, &repo, "alice's db")));
    git(
        &env,
        &repo,
        &alice,
        &["pull", "-q", "--no-rebase", "--no-edit", "origin", "main"],
    );
    steps.push(("merge", git(&env, &repo, &alice, &["rev-parse", "HEAD"])));
    let parents = git(&env, &repo, &alice, &["log", "-1", "--format=%P"]);
    assert_eq!(parents.split_whitespace().count(), 2, "not a merge");

    // A copy while carol is an admin, for the removed-admin attack.
    let doctored = env.path().join("doctored");
    copy_dir(&env.store, &doctored);
    env.sm(&["member", "rm", "carol"]).success();
    steps.push(("carol-removed", commit(&env, &repo, "remove carol")));
    Some(Honest {
        env,
        repo,
        steps,
        carol,
        doctored,
    })
}

/// Commits an attack on top of the honest history, checks that a fresh
/// clone's `sm verify --history` exits 5 naming `file`, `what` and the
/// attack's commit, then drops the attack.
fn caught(h: &Honest, subject: &str, file: &str, what: &str) {
    let attack = commit(&h.env, &h.repo, subject);
    let run = fresh_verify(&h.repo, false).fails(5);
    let err = run.stderr();
    let short = &attack[..7];
    assert!(
        err.lines().any(|l| l.contains(file)
            && l.contains(what)
            && l.contains(short)
            && l.contains(subject)),
        "no line names {file:?}, {what:?} and commit {short} ({subject}):\n{err}"
    );
    git(
        &h.env,
        &h.repo,
        &h.env.identity,
        &["reset", "-q", "--hard", "HEAD~1"],
    );
}

/// Writes the file `rel` of the store as it was at `commit`.
fn replay(h: &Honest, commit: &str, rel: &str) {
    let bytes = std::process::Command::new("git")
        .current_dir(&h.repo)
        .args(["show", &format!("{commit}:store/{rel}")])
        .output()
        .unwrap();
    assert!(bytes.status.success());
    std::fs::write(h.env.store.join(rel), bytes.stdout).unwrap();
}

#[test]
fn verify_history_passes_honest_history_and_catches_each_attack() {
    let Some(h) = honest("verify_history_passes_honest_history_and_catches_each_attack") else {
        return;
    };
    let env = &h.env;
    env.sm(&["verify", "--history"])
        .success()
        .stderr_has("history: ");
    let run = fresh_verify(&h.repo, true).success();
    let json = run.json();
    assert_eq!(json["ok"], true, "{json}");
    let history = &json["history"];
    assert_eq!(history["problems"].as_array().unwrap().len(), 0, "{json}");
    assert!(history["commits"].as_u64().unwrap() >= 12, "{json}");
    assert!(history["files"].as_u64().unwrap() > 100, "{json}");

    // A genuinely signed older meta.toml, replayed.
    replay(&h, h.step("puts"), "secrets/app/db.secret/meta.toml");
    caught(
        &h,
        "replay db",
        "secrets/app/db.secret/meta.toml",
        "rolled back from sequence",
    );

    // A secret's folder removed by hand.
    git(
        env,
        &h.repo,
        &env.identity,
        &["rm", "-r", "-q", "store/secrets/app/api.secret"],
    );
    caught(
        &h,
        "drop api",
        "secrets/app/api.secret/meta.toml",
        "without a signed tombstone",
    );

    // The metadata from before a deletion, replayed over the put after it.
    replay(&h, h.step("members"), "secrets/tmp.secret/meta.toml");
    caught(
        &h,
        "replay tmp",
        "secrets/tmp.secret/meta.toml",
        "rolled back",
    );

    // The team files before carol's removal, replayed together.
    replay(&h, h.step("merge"), ".sm/members.toml");
    replay(&h, h.step("merge"), ".sm/header.toml");
    if h.env.store.join(".sm/store.toml").exists() {
        replay(&h, h.step("merge"), ".sm/store.toml");
    }
    caught(
        &h,
        "readmit carol",
        ".sm/header.toml",
        "rolled back from sequence",
    );

    // A log file cut short (alice's longest, whatever the log layout).
    let log = crate::common::walk(&env.store.join(".sm/log"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .max_by_key(|p| std::fs::read(p).unwrap().len())
        .unwrap();
    let rel = log
        .strip_prefix(&env.store)
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let text = std::fs::read_to_string(&log).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.len() > 4, "{text}");
    std::fs::write(&log, lines[..lines.len() / 2].join("\n") + "\n").unwrap();
    caught(&h, "cut log", &rel, "cut: had");

    // A log file deleted.
    std::fs::remove_file(&log).unwrap();
    caught(&h, "drop log", &rel, "missing");

    // A version the metadata lists, deleted.
    let ids = env.version_ids("app/db");
    let victim = env
        .secret_dir("app/db")
        .join("versions")
        .join(format!("{}.age", ids[0]));
    std::fs::remove_file(&victim).unwrap();
    caught(
        &h,
        "drop version",
        &format!("versions/{}.age", ids[0]),
        "still lists it",
    );

    // The header deleted.
    std::fs::remove_file(env.store.join(".sm/header.toml")).unwrap();
    caught(&h, "drop header", ".sm/header.toml", "missing");

    // carol, removed, signs newer team files in a copy made while she was
    // an admin (the real binary, her own key) and commits them.
    for glob in ["x/*", "y/*", "z/*", "w/*"] {
        sm_at(
            env,
            &h.doctored,
            &h.carol.identity,
            &["access", "set", glob, "--read", "carol", "--write", "carol"],
        )
        .success();
    }
    for file in ["header.toml", "members.toml", "access.toml", "store.toml"] {
        std::fs::copy(
            h.doctored.join(".sm").join(file),
            env.store.join(".sm").join(file),
        )
        .unwrap();
    }
    caught(
        &h,
        "carol's header",
        ".sm/header.toml",
        "who was not an admin before this change",
    );

    // After every attack was dropped, the history is clean again.
    fresh_verify(&h.repo, false).success();
}

#[test]
fn verify_history_outside_git_exits_2() {
    let env = TestEnv::new();
    env.sm(&["verify", "--history"])
        .fails(2)
        .stderr_has("not in a git repository");
}

#[test]
fn verify_history_in_a_shallow_clone_says_how_far_back_it_checked() {
    let Some(h) = honest("verify_history_in_a_shallow_clone_says_how_far_back_it_checked") else {
        return;
    };
    let fresh = TestEnv::bare();
    let clone = fresh.path().join("clone");
    let url = format!("file://{}", h.repo.display());
    git(
        &fresh,
        fresh.path(),
        &fresh.identity,
        &["clone", "-q", "--depth", "3", &url, clone.to_str().unwrap()],
    );
    sm_at(
        &fresh,
        &clone.join("store"),
        &fresh.identity,
        &["verify", "--history"],
    )
    .success()
    .stderr_has("shallow clone: history checked back to commit");
}
