//! The sealed test environment: a temp folder with its own HOME and XDG
//! folders, `SM_NO_KEYRING=1`, a test identity and a store. Tests never see
//! the user's keyring, config or stores.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use tempfile::TempDir;

/// Returns the path of the `sm` binary under test.
pub fn sm_bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("sm")
}

/// A sealed environment.
pub struct TestEnv {
    pub dir: TempDir,
    pub home: PathBuf,
    pub store: PathBuf,
    pub identity: PathBuf,
    /// Extra environment variables for every command.
    pub vars: Vec<(String, String)>,
}

impl TestEnv {
    /// An environment with an identity file and no store.
    pub fn bare() -> TestEnv {
        let dir = tempfile::Builder::new()
            .prefix("sm-test-")
            .tempdir()
            .unwrap();
        let home = dir.path().join("home");
        std::fs::create_dir_all(&home).unwrap();
        let store = dir.path().join("store");
        let identity = dir.path().join("identity.txt");
        TestEnv {
            dir,
            home,
            store,
            identity,
            vars: Vec::new(),
        }
    }

    /// An environment with an identity (member `alice`) and an initialized store.
    pub fn new() -> TestEnv {
        let env = TestEnv::bare();
        env.sm(&["identity", "new", "--file", env.identity.to_str().unwrap()])
            .success();
        env.sm(&["init", env.store.to_str().unwrap(), "--name", "alice"])
            .success();
        env
    }

    /// A git command in `dir`, sealed like sm's (only PATH, this
    /// environment's HOME, no system config) with a fixed author.
    pub fn git_cmd(&self, dir: &Path) -> std::process::Command {
        let mut cmd = std::process::Command::new("git");
        cmd.current_dir(dir)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", &self.home)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com");
        cmd
    }

    /// Runs git in `dir` (see [`TestEnv::git_cmd`]), failing the test if
    /// git fails.
    pub fn git(&self, dir: &Path, args: &[&str]) -> Run {
        let out = self.git_cmd(dir).args(args).output().unwrap();
        assert!(
            out.status.success(),
            "git {args:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        Run(out)
    }

    /// Returns the temp root.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// A command with the sealed environment, run from the store folder
    /// (or the temp root when there is no store yet).
    pub fn cmd(&self) -> Command {
        Command::from_std(self.std_cmd())
    }

    /// The same as [`TestEnv::cmd`], as a plain `std::process::Command`
    /// (for spawning, killing and shell pipelines).
    pub fn std_cmd(&self) -> std::process::Command {
        let mut cmd = std::process::Command::new(sm_bin());
        cmd.env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", &self.home)
            .env("XDG_CONFIG_HOME", self.home.join(".config"))
            .env("XDG_DATA_HOME", self.home.join(".local/share"))
            .env("XDG_CACHE_HOME", self.home.join(".cache"))
            .env("XDG_RUNTIME_DIR", self.path().join("run"))
            .env("SM_NO_KEYRING", "1")
            .env("SM_IDENTITY_FILE", &self.identity)
            .env("USER", "alice")
            .env("LC_ALL", "C");
        for (k, v) in &self.vars {
            cmd.env(k, v);
        }
        let cwd = if self.store.join(".sm").is_dir() {
            self.store.clone()
        } else {
            self.path().to_path_buf()
        };
        cmd.current_dir(cwd);
        cmd
    }

    /// A `sh -c SCRIPT` command with the sealed environment, run where sm
    /// would run; `$SM` names the sm binary under test.
    pub fn shell(&self, script: &str) -> std::process::Command {
        let sealed = self.std_cmd();
        let mut sh = std::process::Command::new("sh");
        sh.arg("-c").arg(script).env_clear().env("SM", sm_bin());
        for (k, v) in sealed.get_envs() {
            if let Some(v) = v {
                sh.env(k, v);
            }
        }
        if let Some(dir) = sealed.get_current_dir() {
            sh.current_dir(dir);
        }
        sh
    }

    /// Runs sm with `args` and returns an assertable result.
    pub fn sm(&self, args: &[&str]) -> Run {
        Run(self.cmd().args(args).output().unwrap())
    }

    /// Runs sm with `args` and `stdin`.
    pub fn sm_in(&self, args: &[&str], stdin: &[u8]) -> Run {
        Run(self
            .cmd()
            .args(args)
            .write_stdin(stdin.to_vec())
            .output()
            .unwrap())
    }

    /// Returns `member`'s log files in the store (`.sm/log/<member>/*.jsonl`,
    /// one per device that wrote there), sorted.
    pub fn log_files(&self, member: &str) -> Vec<PathBuf> {
        log_files_in(&self.store, member)
    }

    /// Returns `member`'s one log file in the store (this machine's
    /// device file); fails the test unless there is exactly one.
    pub fn log_file(&self, member: &str) -> PathBuf {
        let files = self.log_files(member);
        assert_eq!(files.len(), 1, "{member}'s log files: {files:?}");
        files.into_iter().next().unwrap()
    }

    /// Puts a value via stdin.
    pub fn put(&self, name: &str, value: &[u8]) -> Run {
        self.sm_in(&["put", name, "--stdin"], value).success()
    }

    /// Gets a value's exact bytes.
    pub fn get(&self, name: &str) -> Vec<u8> {
        self.sm(&["get", name]).success().0.stdout
    }

    /// Reads a file of the store.
    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.store.join(rel)).unwrap()
    }

    /// The folder of a secret.
    pub fn secret_dir(&self, name: &str) -> PathBuf {
        let mut p = self.store.join("secrets");
        let parts: Vec<&str> = name.split('/').collect();
        for (i, part) in parts.iter().enumerate() {
            if i + 1 == parts.len() {
                p.push(format!("{part}.secret"));
            } else {
                p.push(part);
            }
        }
        p
    }

    /// The version ids of a secret, oldest first.
    pub fn version_ids(&self, name: &str) -> Vec<String> {
        let mut ids: Vec<String> = std::fs::read_dir(self.secret_dir(name).join("versions"))
            .unwrap()
            .filter_map(|e| {
                e.ok()?
                    .file_name()
                    .into_string()
                    .ok()?
                    .strip_suffix(".toml")
                    .map(str::to_string)
            })
            .collect();
        ids.sort();
        ids
    }
}

/// Returns `member`'s per-device log files in the store at `root`, sorted.
pub fn log_files_in(root: &Path, member: &str) -> Vec<PathBuf> {
    let dir = root.join(".sm/log").join(member);
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
            .collect(),
        Err(_) => Vec::new(),
    };
    files.sort();
    files
}

/// The output of one run, with assertions that print everything on failure.
pub struct Run(pub Output);

impl Run {
    pub fn code(&self) -> i32 {
        self.0.status.code().unwrap_or(-1)
    }

    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.0.stdout).into_owned()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.0.stderr).into_owned()
    }

    fn describe(&self) -> String {
        format!(
            "exit {}\n--- stdout\n{}\n--- stderr\n{}",
            self.code(),
            self.stdout(),
            self.stderr()
        )
    }

    /// Asserts exit 0.
    pub fn success(self) -> Run {
        assert_eq!(self.code(), 0, "expected success; {}", self.describe());
        self
    }

    /// Asserts an exit code, a one-line error (plus optional hint) and no panic.
    pub fn fails(self, code: i32) -> Run {
        assert_eq!(
            self.code(),
            code,
            "expected exit {code}; {}",
            self.describe()
        );
        let err = self.stderr();
        assert!(!err.contains("panicked"), "panic: {}", self.describe());
        assert!(
            !err.contains("RUST_BACKTRACE"),
            "backtrace: {}",
            self.describe()
        );
        self
    }

    /// Asserts stderr contains `text`.
    pub fn stderr_has(self, text: &str) -> Run {
        assert!(
            self.stderr().contains(text),
            "stderr lacks {text:?}; {}",
            self.describe()
        );
        self
    }

    /// Asserts stdout contains `text`.
    pub fn stdout_has(self, text: &str) -> Run {
        assert!(
            self.stdout().contains(text),
            "stdout lacks {text:?}; {}",
            self.describe()
        );
        self
    }

    /// Parses stdout as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.0.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}); {}", self.describe()))
    }
}

/// Tells whether a program is on PATH; otherwise prints a skip notice.
pub fn have(program: &str, test: &str) -> bool {
    let found = std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).any(|p| p.join(program).is_file()))
        .unwrap_or(false);
    if !found {
        eprintln!("SKIPPED {test}: `{program}` is not installed");
        if std::env::var_os("SM_REQUIRE_ALL_TOOLS").is_some() {
            panic!(
                "{test} needs `{program}`, and SM_REQUIRE_ALL_TOOLS is set (CI installs every tool)"
            );
        }
    }
    found
}

/// Every file under `dir`.
pub fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out
}
