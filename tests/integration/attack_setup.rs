//! The team the attack tests play with (issue 12): a bare git remote, an
//! admin `alice` and members `bob` and `carol`, each on their OWN machine
//! (a [`TestEnv`] with its own HOME, config and identity) with their own
//! clone of the remote. The attacker acts only through git in their own
//! clone (or through the real `sm` binary on a doctored copy), then pushes;
//! the victim pulls as usual and runs ordinary commands.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Output;

use tempfile::TempDir;

use crate::common::{Run, TestEnv, have, walk};

/// A value only an attacker would write; no victim output may hold it.
pub const ATTACKER_VALUE: &str = "attacker-chosen-value-7f3a";

/// One member: their own machine and their own clone (`env.store`).
pub struct Member {
    /// The member's name in the store.
    pub name: &'static str,
    /// Their machine: HOME, config, identity; `env.store` is their clone.
    pub env: TestEnv,
}

/// The age recipient and signing key of an identity.
pub struct Keys {
    pub recipient: String,
    pub signing_key: String,
}

impl Member {
    /// A member with a new identity and no clone yet.
    fn new(name: &'static str) -> Member {
        let env = TestEnv::bare();
        env.sm(&["identity", "new", "--file", env.identity.to_str().unwrap()])
            .success();
        Member { name, env }
    }

    /// Clones `remote` into this machine (`<temp>/clone`), makes it this
    /// member's store and runs `sm doctor` there (the merge driver).
    fn clone_from(&mut self, remote: &Path) {
        let dir = self.env.path().join("clone");
        let out = self
            .git_cmd_in(self.env.path())
            .args([
                "clone",
                "-q",
                remote.to_str().unwrap(),
                dir.to_str().unwrap(),
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}: git clone failed: {}",
            self.name,
            String::from_utf8_lossy(&out.stderr)
        );
        self.env.store = dir;
        self.sm(&["doctor"]).success();
    }

    /// This member's clone.
    pub fn clone_dir(&self) -> &Path {
        &self.env.store
    }

    /// Runs sm in this member's clone.
    pub fn sm(&self, args: &[&str]) -> Run {
        self.env.sm(args)
    }

    /// Runs sm in this member's clone with `stdin`.
    pub fn sm_in(&self, args: &[&str], stdin: &[u8]) -> Run {
        self.env.sm_in(args, stdin)
    }

    /// Runs sm in another folder on this machine (a store of the
    /// attacker's own, say) with `stdin`.
    pub fn sm_at(&self, dir: &Path, args: &[&str], stdin: &[u8]) -> Run {
        Run(self
            .env
            .cmd()
            .current_dir(dir)
            .args(args)
            .write_stdin(stdin.to_vec())
            .output()
            .unwrap())
    }

    /// Puts a text value, which must succeed.
    pub fn put(&self, name: &str, value: &str) {
        self.sm_in(&["put", name, "--stdin"], value.as_bytes())
            .success();
    }

    /// Gets a value, which must succeed.
    pub fn get(&self, name: &str) -> String {
        self.sm(&["get", name]).success().stdout()
    }

    /// The public keys of this member's identity.
    pub fn keys(&self) -> Keys {
        let keys = self.sm(&["identity", "show", "--json"]).success().json();
        Keys {
            recipient: keys["recipient"].as_str().unwrap().to_string(),
            signing_key: keys["signing_key"].as_str().unwrap().to_string(),
        }
    }

    /// Adds `who` to the store in this member's clone from their public
    /// keys (as an admin when `admin`), which must succeed.
    pub fn add_member(&self, who: &Member, admin: bool) {
        self.add_member_at(self.clone_dir(), who, admin);
    }

    /// [`Member::add_member`] in the store at `dir`.
    pub fn add_member_at(&self, dir: &Path, who: &Member, admin: bool) {
        let keys = who.keys();
        let mut args = vec![
            "member",
            "add",
            who.name,
            &keys.recipient,
            "--signing-key",
            &keys.signing_key,
        ];
        if admin {
            args.push("--admin");
        }
        self.sm_at(dir, &args, b"").success();
    }

    /// A git command in `dir` with this machine's sealed environment (so a
    /// merge driver git starts runs as this member, on this machine).
    pub fn git_cmd_in(&self, dir: &Path) -> std::process::Command {
        let sm = self.env.std_cmd();
        let mut cmd = std::process::Command::new("git");
        cmd.env_clear();
        for (k, v) in sm.get_envs() {
            if let Some(v) = v {
                cmd.env(k, v);
            }
        }
        cmd.env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", self.name)
            .env("GIT_AUTHOR_EMAIL", format!("{}@example.com", self.name))
            .env("GIT_COMMITTER_NAME", self.name)
            .env("GIT_COMMITTER_EMAIL", format!("{}@example.com", self.name))
            .current_dir(dir);
        cmd
    }

    /// Runs git in this member's clone, returning whatever happened.
    pub fn git_try(&self, args: &[&str]) -> Output {
        self.git_cmd_in(self.clone_dir())
            .args(args)
            .output()
            .unwrap()
    }

    /// Runs git in this member's clone, which must succeed; returns stdout.
    pub fn git(&self, args: &[&str]) -> String {
        let out = self.git_try(args);
        assert!(
            out.status.success(),
            "{}: git {args:?} failed: {}{}",
            self.name,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The commit checked out in this member's clone.
    pub fn head(&self) -> String {
        self.git(&["rev-parse", "HEAD"]).trim().to_string()
    }

    /// Pulls from the remote (a plain merge, as a member would).
    pub fn pull(&self) {
        self.git(&["pull", "-q", "--no-rebase", "--no-edit", "origin", "main"]);
    }

    /// Commits everything in the clone (sm's own log appends too) when
    /// anything changed.
    pub fn commit_all(&self, message: &str) {
        self.git(&["add", "-A"]);
        let staged = self.git_try(&["diff", "--cached", "--quiet"]);
        if !staged.status.success() {
            self.git(&["commit", "-q", "-m", message]);
        }
    }

    /// The honest routine: commit, pull, push. Returns the pushed commit.
    pub fn publish(&self, message: &str) -> String {
        self.commit_all(message);
        self.pull();
        self.git(&["push", "-q", "origin", "main"]);
        self.head()
    }

    /// Reads a file of the clone.
    pub fn read(&self, rel: &str) -> Vec<u8> {
        std::fs::read(self.clone_dir().join(rel))
            .unwrap_or_else(|e| panic!("{}: cannot read {rel}: {e}", self.name))
    }

    /// Writes a file of the clone.
    pub fn write(&self, rel: &str, bytes: &[u8]) {
        let path = self.clone_dir().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }

    /// The bytes of `rel` at commit `rev` (`git show REV:PATH`).
    pub fn show(&self, rev: &str, rel: &str) -> Vec<u8> {
        let spec = format!("{rev}:{rel}");
        let out = self.git_try(&["show", &spec]);
        assert!(
            out.status.success(),
            "{}: git show {spec} failed (does sm write that file yet?): {}",
            self.name,
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    }

    /// The attacker's replay: puts back `rel` as it was at commit `rev`.
    pub fn replay(&self, rev: &str, rel: &str) {
        let old = self.show(rev, rel);
        self.write(rel, &old);
    }

    /// The attacker's push: commits whatever they changed and pushes it
    /// (after pulling, so it lands on top of honest history).
    pub fn push_attack(&self, message: &str) -> String {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--allow-empty", "-m", message]);
        self.git(&["push", "-q", "origin", "main"]);
        self.head()
    }

    /// Everything a victim's machine should have seen before an attack:
    /// the secrets (ls, verify) and the log heads (log verify).
    pub fn observe(&self) {
        self.sm(&["ls"]).success();
        self.sm(&["verify"]).success();
        self.sm(&["log", "verify"]).success();
    }

    /// The same member on another machine (new HOME, no memory of this
    /// store, no pins) working in the same clone: what an attacker uses to
    /// run the real `sm` on a doctored copy without their own machine's
    /// freshness memory getting in the way.
    pub fn on_a_fresh_machine(&self) -> TestEnv {
        let mut env = TestEnv::bare();
        std::fs::copy(&self.env.identity, &env.identity).unwrap();
        env.store = self.clone_dir().to_path_buf();
        env
    }

    /// The member's committed log files (`.sm/log/<name>.jsonl` or
    /// `.sm/log/<name>/<device>.jsonl`), relative to the clone, longest
    /// first.
    pub fn log_files_of(&self, member: &str) -> Vec<String> {
        let log = self.clone_dir().join(".sm/log");
        let mut files: Vec<(usize, String)> = walk(&log)
            .into_iter()
            .filter_map(|p| {
                let rel = p.strip_prefix(&log).ok()?.to_string_lossy().into_owned();
                let mine = rel == format!("{member}.jsonl")
                    || (rel.starts_with(&format!("{member}/")) && rel.ends_with(".jsonl"));
                mine.then(|| {
                    let lines = std::fs::read_to_string(&p).unwrap().lines().count();
                    (lines, format!(".sm/log/{rel}"))
                })
            })
            .collect();
        files.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        files.into_iter().map(|(_, rel)| rel).collect()
    }
}

/// The last component of a relative path (how a message may name a log).
pub fn file_name(rel: &str) -> &str {
    rel.rsplit('/').next().unwrap_or(rel)
}

/// The relative path of a secret's folder (`secrets/a/b.secret`).
pub fn secret_dir(name: &str) -> String {
    let (parent, leaf) = match name.rsplit_once('/') {
        Some((parent, leaf)) => (format!("{parent}/"), leaf),
        None => (String::new(), name),
    };
    format!("secrets/{parent}{leaf}.secret")
}

/// The relative path of a secret's `meta.toml`.
pub fn meta_of(name: &str) -> String {
    format!("{}/meta.toml", secret_dir(name))
}

/// The team: a bare remote and three members, each with their own clone.
pub struct Team {
    /// Holds the bare remote.
    _remote_home: TempDir,
    /// The bare remote everyone pushes to.
    pub remote: PathBuf,
    /// The admin who created the store.
    pub alice: Member,
    /// A member, usually the victim.
    pub bob: Member,
    /// A member, usually the attacker (keeps push access to the remote).
    pub carol: Member,
}

impl Team {
    /// Sets up the team, or prints why not and returns `None` when git is
    /// missing. alice creates the store, adds bob and carol (not admins),
    /// and pushes; bob and carol clone and run `sm doctor` (the merge
    /// driver), and each machine opens the store once.
    pub fn new(test: &str) -> Option<Team> {
        if !have("git", test) {
            return None;
        }
        let remote_home = tempfile::Builder::new()
            .prefix("sm-remote-")
            .tempdir()
            .unwrap();
        let remote = remote_home.path().join("remote.git");

        let mut alice = Member::new("alice");
        alice.env.store = alice.env.path().join("clone");
        alice
            .env
            .sm(&["init", alice.env.store.to_str().unwrap(), "--name", "alice"])
            .success();
        let bob = Member::new("bob");
        let carol = Member::new("carol");
        for m in [&bob, &carol] {
            alice.add_member(m, false);
        }
        alice.git(&["init", "-q", "-b", "main"]);
        alice.sm(&["doctor"]).success();
        alice.commit_all("a store for the team");
        let out = alice
            .git_cmd_in(remote_home.path())
            .args([
                "init",
                "-q",
                "--bare",
                "-b",
                "main",
                remote.to_str().unwrap(),
            ])
            .output()
            .unwrap();
        assert!(out.status.success(), "git init --bare failed");
        alice.git(&["remote", "add", "origin", remote.to_str().unwrap()]);
        alice.git(&["push", "-q", "-u", "origin", "main"]);

        let mut team = Team {
            _remote_home: remote_home,
            remote,
            alice,
            bob,
            carol,
        };
        team.clone_for_bob_and_carol();
        Some(team)
    }

    fn clone_for_bob_and_carol(&mut self) {
        for m in [&mut self.bob, &mut self.carol] {
            m.clone_from(&self.remote);
        }
    }

    /// A new member `name` (an admin when `admin`) added by alice, who
    /// publishes; the new member clones and runs `sm doctor`.
    pub fn join(&self, name: &'static str, admin: bool) -> Member {
        let mut m = Member::new(name);
        self.alice.add_member(&m, admin);
        self.alice.publish(&format!("add {name}"));
        m.clone_from(&self.remote);
        m
    }

    /// A new machine of `who` (own HOME, no memory of the store) with a
    /// fresh clone of the remote: what a new laptop or CI sees.
    pub fn fresh_clone(&self, who: &Member) -> Member {
        let mut m = Member {
            name: who.name,
            env: TestEnv::bare(),
        };
        std::fs::copy(&who.env.identity, &m.env.identity).unwrap();
        m.clone_from(&self.remote);
        m
    }
}

/// Asserts that a victim's command was refused as tampering: exit 5, a
/// message naming `file`, saying loosely what happened (any of `what`,
/// case-insensitive), and no `leaked` text on stdout or stderr.
pub fn refused(run: Run, file: &str, what: &[&str], leaked: &str) -> Run {
    let run = run.fails(5);
    let err = run.stderr();
    // Shown with `--show-output`: what the victim was told.
    eprintln!("refused as expected: {}", err.trim_end());
    assert!(
        err.contains(file),
        "the refusal does not name {file:?}: {err}"
    );
    let lower = err.to_lowercase();
    assert!(
        what.is_empty() || what.iter().any(|w| lower.contains(&w.to_lowercase())),
        "the refusal says none of {what:?}: {err}"
    );
    assert!(
        !run.stdout().contains(leaked) && !err.contains(leaked),
        "the attacker's value {leaked:?} reached the victim: {}{err}",
        run.stdout()
    );
    run
}

/// Every `.age` file under `dir`'s `secrets/` (relative paths).
pub fn age_files(dir: &Path) -> BTreeSet<String> {
    let secrets = dir.join("secrets");
    if !secrets.is_dir() {
        return BTreeSet::new();
    }
    walk(&secrets)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "age"))
        .map(|p| p.strip_prefix(dir).unwrap().to_string_lossy().into_owned())
        .collect()
}

/// The `.age` files under `dir` that `who`'s identity can decrypt.
pub fn readable_by(dir: &Path, who: &Member) -> BTreeSet<String> {
    let text = std::fs::read_to_string(&who.env.identity).unwrap();
    let identity = sm::crypto::Identity::parse(&text, "test identity").unwrap();
    age_files(dir)
        .into_iter()
        .filter(|rel| {
            let bytes = std::fs::read(dir.join(rel)).unwrap();
            sm::crypto::decrypt(&bytes, &identity).is_ok()
        })
        .collect()
}

/// Asserts that nothing encrypted to `attacker` appeared in `dir` since
/// `before` (the set [`readable_by`] returned then).
pub fn nothing_new_for(dir: &Path, attacker: &Member, before: &BTreeSet<String>) {
    let now = readable_by(dir, attacker);
    let new: Vec<&String> = now.difference(before).collect();
    assert!(
        new.is_empty(),
        "the victim encrypted to {}: {new:?}",
        attacker.name
    );
}
