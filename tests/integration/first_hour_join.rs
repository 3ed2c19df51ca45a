//! Joining a team (issue 14 items 5 and 20): `sm member add` re-encrypts
//! what the new member may read, `sm doctor` never conflicts with a
//! committed `.gitattributes`, the merge driver is registered by command
//! name, and the hints a newcomer meets say the right thing.

use std::path::{Path, PathBuf};

use crate::common::{Run, TestEnv, have, sm_bin};

/// One person on their own machine: a sealed HOME, no SM_IDENTITY_FILE
/// (sm finds or creates `~/.config/sm/identity.txt`), `sm` on PATH as the
/// binary under test, and a git author.
pub(crate) struct Person {
    pub env: TestEnv,
    pub name: &'static str,
    bin: PathBuf,
}

impl Person {
    pub fn new(name: &'static str) -> Person {
        let env = TestEnv::bare();
        let bin = env.path().join("bin");
        std::fs::create_dir_all(&bin).unwrap();
        std::os::unix::fs::symlink(sm_bin(), bin.join("sm")).unwrap();
        Person { env, name, bin }
    }

    /// Their home folder.
    pub fn home(&self) -> &Path {
        &self.env.home
    }

    /// Runs `script` with bash in `dir` as this person, `stdin` on its
    /// standard input.
    pub fn bash(&self, dir: &Path, script: &str, stdin: &[u8]) -> Run {
        use std::io::Write;
        let sealed = self.env.std_cmd();
        let mut cmd = std::process::Command::new("bash");
        cmd.arg("-c").arg(script).env_clear();
        for (k, v) in sealed.get_envs() {
            if let Some(v) = v
                && k != "SM_IDENTITY_FILE"
            {
                cmd.env(k, v);
            }
        }
        let path = format!(
            "{}:{}",
            self.bin.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        cmd.env("PATH", path)
            .env("USER", self.name)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", self.name)
            .env("GIT_AUTHOR_EMAIL", format!("{}@example.com", self.name))
            .env("GIT_COMMITTER_NAME", self.name)
            .env("GIT_COMMITTER_EMAIL", format!("{}@example.com", self.name))
            .current_dir(dir)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        child.stdin.take().unwrap().write_all(stdin).unwrap();
        Run(child.wait_with_output().unwrap())
    }

    /// Their member card, creating their identity first.
    pub fn card(&self) -> String {
        let out = self
            .bash(
                self.home(),
                "sm identity new >/dev/null 2>&1; sm identity show --card",
                b"",
            )
            .success()
            .stdout();
        out.trim().to_string()
    }
}

/// alice with a store `team` in a git repository pushed to a bare remote
/// (`.sm` and `secrets` only, as the old Quick start committed them), with
/// `prod/api` and `ops/db`; returns alice, the store and the remote.
fn alice_with_a_pushed_store() -> (Person, PathBuf, PathBuf) {
    let alice = Person::new("alice");
    let remote = alice.env.path().join("remote.git");
    let team = alice.home().join("team");
    alice
        .bash(
            alice.home(),
            &format!(
                "set -e
                 git init -q --bare {remote}
                 mkdir team && cd team && git init -q
                 sm init --name alice
                 printf api-value | sm put prod/api --stdin
                 printf db-value | sm put ops/db --stdin
                 git add .sm secrets && git commit -qm start
                 git remote add origin {remote} && git push -qu origin HEAD",
                remote = remote.display()
            ),
            b"",
        )
        .success();
    (alice, team, remote)
}

#[test]
fn member_add_re_encrypts_what_the_new_member_may_read() {
    if !have("git", "member_add_re_encrypts_what_the_new_member_may_read") {
        return;
    }
    let (alice, team, remote) = alice_with_a_pushed_store();
    let bob = Person::new("bob");
    let card = bob.card();
    // A rule keeps ops/ from bob: only prod/api is his to read.
    alice
        .bash(
            &team,
            "sm access set 'ops/**' --read alice --write alice",
            b"",
        )
        .success();
    let out = alice
        .bash(&team, &format!("sm --json member add bob {card}"), b"")
        .success()
        .json();
    assert_eq!(out["member"]["name"], "bob");
    assert_eq!(out["member"]["admin"], false);
    assert_eq!(out["secrets"], serde_json::json!(["prod/api"]));
    assert_eq!(out["rewrap"]["rewrapped"], 1, "{out}");
    assert_eq!(out["rewrap"]["skipped"], serde_json::json!([]));
    alice
        .bash(
            &team,
            "git add .sm secrets && git commit -qm bob && git push -q",
            b"",
        )
        .success();
    let read = bob
        .bash(
            bob.home(),
            &format!(
                "git clone -q {} team && cd team && sm doctor >/dev/null && sm get prod/api",
                remote.display()
            ),
            b"",
        )
        .success();
    assert_eq!(read.stdout(), "api-value");
    // The rule that keeps him out is named.
    bob.bash(&bob.home().join("team"), "sm get ops/db", b"")
        .fails(4)
        .stderr_has("`bob` may not read `ops/db`")
        .stderr_has("rule `ops/**`");
}

#[test]
fn member_add_no_rewrap_says_how_and_long_runs_show_a_count() {
    let env = TestEnv::new();
    let mut file = String::new();
    for i in 0..120 {
        file.push_str(&format!("K{i}=value-{i}\n"));
    }
    std::fs::write(env.path().join("many.env"), file).unwrap();
    env.sm(&["import", env.path().join("many.env").to_str().unwrap()])
        .success();
    let bob = env.path().join("bob.txt");
    env.sm(&["identity", "new", "--file", bob.to_str().unwrap()])
        .success();
    let card = |path: &Path| {
        Run(env
            .cmd()
            .env("SM_IDENTITY_FILE", path)
            .args(["identity", "show", "--card"])
            .output()
            .unwrap())
        .success()
        .stdout()
        .trim()
        .to_string()
    };
    let bob_card = card(&bob);
    let as_bob = |args: &[&str]| {
        Run(env
            .cmd()
            .env("SM_IDENTITY_FILE", &bob)
            .args(args)
            .output()
            .unwrap())
    };
    // --no-rewrap: nothing re-encrypted, and the way to do it later named.
    env.sm(&["member", "add", "bob", &bob_card, "--no-rewrap"])
        .success()
        .stderr_has("120 secret(s)")
        .stderr_has("`sm rewrap`");
    as_bob(&["get", "K7"])
        .fails(4)
        .stderr_has("not re-encrypted to you")
        .stderr_has("sm rewrap");
    env.sm(&["member", "rm", "bob"]).success();

    // The default: everything re-encrypted, a count every 100 secrets
    // off a terminal.
    let carol = env.path().join("carol.txt");
    env.sm(&["identity", "new", "--file", carol.to_str().unwrap()])
        .success();
    let run = env
        .sm(&["member", "add", "carol", &card(&carol)])
        .success()
        .stderr_has("re-encrypting 100/120")
        .stderr_has("re-encrypting 120/120")
        .stderr_has("120 versions re-encrypted");
    assert!(
        !run.stderr().contains("re-encrypting 50/"),
        "{}",
        run.stderr()
    );
    let got = Run(env
        .cmd()
        .env("SM_IDENTITY_FILE", &carol)
        .args(["get", "K7"])
        .output()
        .unwrap())
    .success();
    assert_eq!(got.stdout(), "value-7");
    // -q: no progress at all.
    env.sm(&["member", "rm", "carol"]).success();
    let dave = env.path().join("dave.txt");
    env.sm(&["identity", "new", "--file", dave.to_str().unwrap()])
        .success();
    let quiet = env
        .sm(&["-q", "member", "add", "dave", &card(&dave)])
        .success();
    assert!(
        !quiet.stderr().contains("re-encrypting"),
        "{}",
        quiet.stderr()
    );
}

#[test]
fn a_clones_doctor_never_conflicts_with_a_committed_gitattributes() {
    if !have(
        "git",
        "a_clones_doctor_never_conflicts_with_a_committed_gitattributes",
    ) {
        return;
    }
    // alice committed .sm and secrets but not .gitattributes.
    let (alice, team, remote) = alice_with_a_pushed_store();
    let bob = Person::new("bob");
    bob.bash(
        bob.home(),
        &format!("git clone -q {} team", remote.display()),
        b"",
    )
    .success();
    let clone = bob.home().join("team");
    bob.bash(&clone, "sm doctor", b"")
        .success()
        .stdout_has(".git/info/attributes");
    assert!(!clone.join(".gitattributes").exists(), "doctor wrote one");
    let attr = bob
        .bash(
            &clone,
            "git check-attr merge -- secrets/prod/api.secret/meta.toml",
            b"",
        )
        .success();
    assert!(
        attr.stdout().ends_with(": merge: sm\n"),
        "{}",
        attr.stdout()
    );
    // alice commits hers now; bob's pull must not fail.
    let committed = b"# ours\r\nsecrets/**/meta.toml merge=sm\r\n*.bin binary".to_vec();
    std::fs::write(team.join(".gitattributes"), &committed).unwrap();
    alice
        .bash(
            &team,
            "git add .gitattributes && git commit -qm attrs && git push -q",
            b"",
        )
        .success();
    bob.bash(&clone, "git pull -q", b"").success();
    // Doctor, again and again, leaves the committed file byte for byte
    // alone and the work tree clean.
    for _ in 0..2 {
        let run = bob.bash(&clone, "sm doctor", b"").success();
        assert!(!run.stdout().contains("attributes"), "{}", run.stdout());
        assert_eq!(
            std::fs::read(clone.join(".gitattributes")).unwrap(),
            committed
        );
    }
    let status = bob
        .bash(&clone, "git status --porcelain -- .gitattributes", b"")
        .success();
    assert_eq!(status.stdout(), "");
    // On alice's side too.
    alice.bash(&team, "sm doctor", b"").success();
    assert_eq!(
        std::fs::read(team.join(".gitattributes")).unwrap(),
        committed
    );
}

#[test]
fn the_merge_driver_is_registered_by_name_when_sm_on_path_is_this_binary() {
    if !have(
        "git",
        "the_merge_driver_is_registered_by_name_when_sm_on_path_is_this_binary",
    ) {
        return;
    }
    let (alice, team, _) = alice_with_a_pushed_store();
    let driver = alice
        .bash(&team, "git config --get merge.sm.driver", b"")
        .success();
    assert_eq!(driver.stdout(), "sm merge-driver %O %A %B %P\n");
    // Moved to another folder on PATH: nothing to re-register.
    let moved = alice.env.path().join("elsewhere");
    std::fs::create_dir_all(&moved).unwrap();
    std::fs::rename(alice.env.path().join("bin/sm"), moved.join("sm")).unwrap();
    let run = alice
        .bash(
            &team,
            &format!("PATH={}:$PATH sm doctor", moved.display()),
            b"",
        )
        .success();
    assert!(
        !run.stdout().contains("merge.sm.driver"),
        "{}",
        run.stdout()
    );
    // Run by a path while `sm` on PATH is another program: the path.
    let other = alice.env.path().join("other");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(other.join("sm"), "#!/bin/sh\nexit 0\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(other.join("sm"), std::fs::Permissions::from_mode(0o755)).unwrap();
    alice
        .bash(
            &team,
            &format!(
                "PATH={}:$PATH {} doctor",
                other.display(),
                sm_bin().display()
            ),
            b"",
        )
        .success()
        .stdout_has("registered merge.sm.driver");
    let driver = alice
        .bash(&team, "git config --get merge.sm.driver", b"")
        .success()
        .stdout();
    assert!(driver.starts_with(sm_bin().to_str().unwrap()), "{driver}");
}

#[test]
fn a_non_member_is_told_how_to_join() {
    let env = TestEnv::new();
    env.put("prod/api", b"v");
    let carol = env.path().join("carol.txt");
    env.sm(&["identity", "new", "--file", carol.to_str().unwrap()])
        .success();
    for args in [&["get", "prod/api"][..], &["put", "x", "some-value"][..]] {
        Run(env
            .cmd()
            .env("SM_IDENTITY_FILE", &carol)
            .args(args)
            .output()
            .unwrap())
        .fails(4)
        .stderr_has("you are not a member of the store")
        .stderr_has("sm identity show --card")
        .stderr_has("sm member add NAME CARD");
    }
}

#[test]
fn show_after_a_failed_rotation_says_it_once_with_the_timeout() {
    let env = TestEnv::new();
    env.put("api", b"v1");
    std::fs::create_dir_all(env.store.join("hooks")).unwrap();
    let hook = env.store.join("hooks/fail");
    std::fs::write(
        &hook,
        "#!/bin/sh\n[ \"$1\" = set ] && { echo no >&2; exit 3; }\nexit 0\n",
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    env.sm(&[
        "rotate",
        "api",
        "--hook",
        "hooks/fail",
        "--trust-hook",
        "--generate",
        "--timeout",
        "42",
    ])
    .fails(7);
    let out = env.sm(&["show", "api"]).success().stdout();
    assert!(out.contains("timeout:      42 s per hook step"), "{out}");
    let line = out
        .lines()
        .find(|l| l.contains("rotation failed"))
        .unwrap_or_else(|| panic!("{out}"));
    assert_eq!(line.matches("failed at step set").count(), 1, "{line}");
    assert!(!line.contains("rotation of `api`"), "{line}");
    assert!(line.contains("the hook exited with status 3"), "{line}");
    assert_eq!(
        env.sm(&["--json", "show", "api"]).success().json()["rotation"]["timeout"],
        42
    );
    // Without a stored timeout a hook's default is shown.
    env.put("other", b"v1");
    env.sm(&[
        "rotate",
        "other",
        "--hook",
        "hooks/fail",
        "--trust-hook",
        "--no-rotate-now",
    ])
    .success();
    env.sm(&["show", "other"])
        .success()
        .stdout_has("timeout:      300 s per hook step (the default)");
}
