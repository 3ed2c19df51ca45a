//! Env files as untrusted input (issue 13): a cloned repository's env file
//! that sets a loader, libc, shell or runtime variable, or a PATH with a
//! relative entry, is refused with exit 2 naming the file, line and
//! variable, by `sm exec` and `sm env`, before the store is read and
//! before any program runs; `--allow-unsafe-env` lets it through; ordinary
//! env files keep working; an env file that never ends is cut off.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use crate::common::{Run, TestEnv, have};

fn store_with_token() -> TestEnv {
    let env = TestEnv::new();
    env.put("prod/api-key", b"tok-3f9a-secret");
    env
}

fn log_bytes(env: &TestEnv) -> Vec<u8> {
    std::fs::read(env.log_file("alice")).unwrap()
}

/// Runs `sm exec ARGS -- sh -c SCRIPT` from `dir` with the store named by
/// SM_STORE.
fn exec_in(env: &TestEnv, dir: &Path, args: &[&str], script: &str) -> Run {
    let mut cmd = env.cmd();
    cmd.current_dir(dir).env("SM_STORE", &env.store).arg("exec");
    cmd.args(args).args(["--", "sh", "-c", script]);
    Run(cmd.output().unwrap())
}

/// Runs `sm env ARGS` from `dir`.
fn env_in(env: &TestEnv, dir: &Path, args: &[&str]) -> Run {
    let mut cmd = env.cmd();
    cmd.current_dir(dir).env("SM_STORE", &env.store).arg("env");
    Run(cmd.args(args).output().unwrap())
}

/// A git command in the sealed environment.
fn git(env: &TestEnv, dir: &Path, args: &[&str]) -> Run {
    Run(std::process::Command::new("git")
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", &env.home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Mallory")
        .env("GIT_AUTHOR_EMAIL", "mallory@example.com")
        .env("GIT_COMMITTER_NAME", "Mallory")
        .env("GIT_COMMITTER_EMAIL", "mallory@example.com")
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap())
}

/// An attacker's repository with `files` (path, text, executable)
/// committed, cloned by the user; returns the clone.
fn cloned(env: &TestEnv, files: &[(&str, &str, bool)]) -> PathBuf {
    let upstream = env.path().join("upstream");
    std::fs::create_dir_all(&upstream).unwrap();
    git(env, &upstream, &["init", "-q", "-b", "main"]).success();
    for (rel, text, executable) in files {
        let path = upstream.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        if *executable {
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
    }
    git(env, &upstream, &["add", "-A"]).success();
    git(env, &upstream, &["commit", "-q", "-m", "app settings"]).success();
    let clone = env.path().join("clone");
    git(
        env,
        env.path(),
        &[
            "clone",
            "-q",
            upstream.to_str().unwrap(),
            clone.to_str().unwrap(),
        ],
    )
    .success();
    clone
}

/// Each class of variable, as one line of an env file after two harmless
/// lines, so the refusal must name line 3.
const UNSAFE_LINES: &[(&str, &str)] = &[
    ("LD_PRELOAD", "LD_PRELOAD=/tmp/x-evil.so"),
    ("LD_AUDIT", "export LD_AUDIT=/tmp/x-evil.so"),
    ("LD_LIBRARY_PATH", "LD_LIBRARY_PATH=x-evil-lib"),
    (
        "DYLD_INSERT_LIBRARIES",
        "DYLD_INSERT_LIBRARIES=/tmp/x-evil.dylib",
    ),
    ("GCONV_PATH", "GCONV_PATH=./x-evil-gconv"),
    ("GLIBC_TUNABLES", "GLIBC_TUNABLES=glibc.x-evil=1"),
    ("BASH_ENV", "BASH_ENV=./x-evil.sh"),
    ("ENV", "ENV='./x-evil.sh'"),
    ("PS4", "PS4='$(x-evil)'"),
    ("SHELLOPTS", "SHELLOPTS=xtrace"),
    ("BASH_FUNC_ls", "BASH_FUNC_ls=x-evil"),
    ("NODE_OPTIONS", "NODE_OPTIONS=\"--require ./x-evil.js\""),
    ("PYTHONPATH", "PYTHONPATH=x-evil"),
    ("PERL5OPT", "PERL5OPT=-Mx-evil"),
    (
        "JAVA_TOOL_OPTIONS",
        "JAVA_TOOL_OPTIONS=-javaagent:x-evil.jar",
    ),
    ("PATH", "PATH=.:/usr/bin:/bin # x-evil"),
    ("PATH", "PATH=/usr/bin::/bin"),
    ("PATH", "PATH=x-evil/bin:/usr/bin"),
    ("LANGUAGE", "LANGUAGE=../../x-evil"),
    // A reference is judged by the variable it sets, before any read.
    ("LD_PRELOAD", "LD_PRELOAD=sm://prod/api-key"),
    ("BASH_ENV", "BASH_ENV=\"sm://prod/api-key\""),
];

#[test]
fn every_unsafe_variable_class_is_refused_naming_the_line_and_nothing_runs() {
    let env = store_with_token();
    let dir = env.path().join("work");
    std::fs::create_dir_all(&dir).unwrap();
    let marker = env.path().join("ran");
    let script = format!("touch {}", marker.display());
    let file = dir.join("app.env");
    let log_before = log_bytes(&env);
    for (var, line) in UNSAFE_LINES {
        std::fs::write(
            &file,
            format!("MODE=prod\nTOKEN=sm://prod/api-key\n{line}\n"),
        )
        .unwrap();
        let run = exec_in(&env, &dir, &["--env-file", "app.env"], &script)
            .fails(2)
            .stderr_has("app.env:3: ")
            .stderr_has(&format!("`{var}`"))
            .stderr_has("--allow-unsafe-env");
        assert!(
            !run.stderr().contains("x-evil") && !run.stderr().contains("tok-3f9a"),
            "the error quotes a value: {}",
            run.stderr()
        );
        assert!(!marker.exists(), "the program ran despite {line}");
        // sm env refuses the same line and prints nothing.
        let run = env_in(&env, &dir, &["--env-file", "app.env"])
            .fails(2)
            .stderr_has("app.env:3: ")
            .stderr_has(&format!("`{var}`"));
        assert!(run.0.stdout.is_empty(), "sm env printed: {}", run.stdout());
    }
    // Refused before the store was read: not one entry was logged.
    assert_eq!(
        log_bytes(&env),
        log_before,
        "a refused env file read the store"
    );
}

#[test]
fn the_flag_lets_the_same_lines_through_and_sets_the_variables() {
    let env = store_with_token();
    let dir = env.path().join("work");
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("startup.sh");
    std::fs::write(&script, "STARTUP_RAN=yes\n").unwrap();
    std::fs::write(
        dir.join("app.env"),
        format!(
            "BASH_ENV={}\nNODE_OPTIONS=--no-warnings\nPATH=/usr/bin:/bin:.\nLD_BIND_NOW=1\n\
             GCONV_PATH=/nonexistent\nTOKEN=sm://prod/api-key\n",
            script.display()
        ),
    )
    .unwrap();
    let run = exec_in(
        &env,
        &dir,
        &["--env-file", "app.env", "--allow-unsafe-env"],
        "printf '%s|%s|%s|%s|%s|%s' \"$BASH_ENV\" \"$NODE_OPTIONS\" \"$PATH\" \"$LD_BIND_NOW\" \
         \"$GCONV_PATH\" \"$TOKEN\"",
    )
    .success();
    assert_eq!(
        run.stdout(),
        format!(
            "{}|--no-warnings|/usr/bin:/bin:.|1|/nonexistent|tok-3f9a-secret",
            script.display()
        )
    );
    let run = env_in(
        &env,
        &dir,
        &[
            "--env-file",
            "app.env",
            "--allow-unsafe-env",
            "--format",
            "shell",
        ],
    )
    .success();
    assert!(
        run.stdout().contains("export LD_BIND_NOW='1'\n"),
        "{}",
        run.stdout()
    );
    assert!(run.stdout().contains("export PATH='/usr/bin:/bin:.'\n"));
}

#[test]
fn ordinary_env_files_and_absolute_paths_still_work() {
    let env = store_with_token();
    let dir = env.path().join("work");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("app.env"),
        "# settings\nMODE=production\nENVIRONMENT=staging\nOLD_PRELOAD=x\nld_preload=lower\n\
         PATH=/opt/tool/bin:/usr/local/bin:/usr/bin:/bin\nLANG=C.UTF-8\nNODE_ENV=production\n\
         PYTHONUNBUFFERED=1\nTOKEN=sm://prod/api-key\n",
    )
    .unwrap();
    let run = exec_in(
        &env,
        &dir,
        &["--env-file", "app.env"],
        "printf '%s|%s|%s|%s|%s|%s|%s' \"$MODE\" \"$ENVIRONMENT\" \"$ld_preload\" \"$PATH\" \
         \"$LANG\" \"$NODE_ENV\" \"$TOKEN\"",
    )
    .success();
    assert_eq!(
        run.stdout(),
        "production|staging|lower|/opt/tool/bin:/usr/local/bin:/usr/bin:/bin|C.UTF-8|production|\
         tok-3f9a-secret"
    );
    env_in(&env, &dir, &["--env-file", "app.env"])
        .success()
        .stdout_has("PATH='/opt/tool/bin:/usr/local/bin:/usr/bin:/bin'");
}

/// A committed `.env` sets BASH_ENV to a committed script that copies the
/// environment (with the secrets sm put there) to a file the attacker
/// collects; the user runs an ordinary bash command through sm.
#[test]
fn a_cloned_env_file_with_bash_env_does_not_get_to_run_its_script() {
    let env = store_with_token();
    if !have(
        "git",
        "a_cloned_env_file_with_bash_env_does_not_get_to_run_its_script",
    ) || !have(
        "bash",
        "a_cloned_env_file_with_bash_env_does_not_get_to_run_its_script",
    ) {
        return;
    }
    let loot = env.path().join("loot.txt");
    let clone = cloned(
        &env,
        &[
            (
                ".env",
                "APP_MODE=dev\nAPI_TOKEN=sm://prod/api-key\nBASH_ENV=./.ci/setup.sh\n",
                false,
            ),
            (".ci/setup.sh", &format!("env > {}\n", loot.display()), true),
        ],
    );
    let outside = env.path().join("notes.txt");
    std::fs::write(&outside, "the user's own notes\n").unwrap();
    let mut cmd = env.cmd();
    cmd.current_dir(&clone).env("SM_STORE", &env.store).args([
        "exec",
        "--env-file",
        ".env",
        "--",
        "bash",
        "-c",
        "echo built",
    ]);
    let run = Run(cmd.output().unwrap())
        .fails(2)
        .stderr_has(".env:3: ")
        .stderr_has("`BASH_ENV`");
    assert!(run.stdout().is_empty());
    assert!(
        !loot.exists(),
        "the attacker's script ran and collected the environment"
    );
    assert_eq!(std::fs::read(&outside).unwrap(), b"the user's own notes\n");

    // The attack is real: with the flag, bash does run the committed
    // script, which sees the secret.
    let mut cmd = env.cmd();
    cmd.current_dir(&clone).env("SM_STORE", &env.store).args([
        "exec",
        "--env-file",
        ".env",
        "--allow-unsafe-env",
        "--",
        "bash",
        "-c",
        "echo built",
    ]);
    Run(cmd.output().unwrap()).success().stdout_has("built");
    let stolen = std::fs::read_to_string(&loot).unwrap();
    assert!(stolen.contains("API_TOKEN=tok-3f9a-secret"));
}

/// A committed `.env` puts `.` first in PATH and commits a trojan `ls`;
/// the user's script calls `ls`.
#[test]
fn a_cloned_env_file_with_a_relative_path_entry_does_not_run_the_trojan() {
    let env = store_with_token();
    if !have(
        "git",
        "a_cloned_env_file_with_a_relative_path_entry_does_not_run_the_trojan",
    ) {
        return;
    }
    let loot = env.path().join("loot.txt");
    let path = std::env::var("PATH").unwrap();
    let clone = cloned(
        &env,
        &[
            (
                ".env",
                &format!("PATH=.:{path}\nAPI_TOKEN=sm://prod/api-key\n"),
                false,
            ),
            (
                "ls",
                &format!("#!/bin/sh\necho \"$API_TOKEN\" > {}\n", loot.display()),
                true,
            ),
        ],
    );
    exec_in(&env, &clone, &["--env-file", ".env"], "ls >/dev/null")
        .fails(2)
        .stderr_has(".env:1: ")
        .stderr_has("`PATH`")
        .stderr_has("relative");
    assert!(!loot.exists(), "the trojan ls ran");
    // With the flag the trojan does run (the attack is real).
    exec_in(
        &env,
        &clone,
        &["--env-file", ".env", "--allow-unsafe-env"],
        "ls >/dev/null",
    )
    .success();
    assert_eq!(std::fs::read_to_string(&loot).unwrap(), "tok-3f9a-secret\n");
}

/// A committed `.env` preloads a library built from the repository, which
/// copies the secret out of every program it is loaded into.
#[test]
fn a_cloned_env_file_with_ld_preload_does_not_load_the_library() {
    let env = store_with_token();
    let name = "a_cloned_env_file_with_ld_preload_does_not_load_the_library";
    if !have("git", name) || !have("cc", name) {
        return;
    }
    let loot = env.path().join("loot.txt");
    let source = env.path().join("evil.c");
    std::fs::write(
        &source,
        format!(
            "#include <stdio.h>\n#include <stdlib.h>\n\
             __attribute__((constructor)) static void grab(void) {{\n\
             const char *t = getenv(\"API_TOKEN\");\n\
             FILE *f = fopen(\"{}\", \"a\");\n\
             if (f) {{ fprintf(f, \"%s\\n\", t ? t : \"(none)\"); fclose(f); }}\n}}\n",
            loot.display()
        ),
    )
    .unwrap();
    let lib = env.path().join("libevil.so");
    let built = std::process::Command::new("cc")
        .args(["-shared", "-fPIC", "-o"])
        .arg(&lib)
        .arg(&source)
        .output()
        .unwrap();
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let clone = cloned(
        &env,
        &[(
            ".env",
            &format!(
                "API_TOKEN=sm://prod/api-key\nLD_PRELOAD={}\n",
                lib.display()
            ),
            false,
        )],
    );
    exec_in(&env, &clone, &["--env-file", ".env"], "true")
        .fails(2)
        .stderr_has(".env:2: ")
        .stderr_has("`LD_PRELOAD`")
        .stderr_has("dynamic loader");
    assert!(!loot.exists(), "the preloaded library ran");
    exec_in(
        &env,
        &clone,
        &["--env-file", ".env", "--allow-unsafe-env"],
        "true",
    )
    .success();
    let stolen = std::fs::read_to_string(&loot).unwrap();
    assert!(stolen.contains("tok-3f9a-secret"), "{stolen}");
}

/// `PATH=sm://...`: the value comes from the store, so it is judged once
/// read, before the program starts, and the read is logged as not
/// delivered.
#[test]
fn a_path_read_from_the_store_is_checked_before_the_program_starts() {
    let env = store_with_token();
    env.put("tools/path", b"/usr/bin:.:/bin");
    let dir = env.path().join("work");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("app.env"), "MODE=x\nPATH=sm://tools/path\n").unwrap();
    let marker = env.path().join("ran");
    let run = exec_in(
        &env,
        &dir,
        &["--env-file", "app.env"],
        &format!("touch {}", marker.display()),
    )
    .fails(2)
    .stderr_has("app.env:2: ")
    .stderr_has("`PATH`");
    assert!(!run.stderr().contains("/usr/bin:.:/bin"));
    assert!(!marker.exists(), "the program ran with a relative PATH");
    let log = String::from_utf8(log_bytes(&env)).unwrap();
    let last: serde_json::Value = serde_json::from_str(log.lines().last().unwrap()).unwrap();
    assert_eq!(last["secret"], "tools/path");
    assert!(
        last["detail"]
            .as_str()
            .unwrap_or("")
            .contains("not delivered"),
        "{last}"
    );
    // An absolute PATH from the store is delivered.
    env.put("tools/path", b"/usr/bin:/bin");
    exec_in(
        &env,
        &dir,
        &["--env-file", "app.env"],
        "printf %s \"$PATH\"",
    )
    .success()
    .stdout_has("/usr/bin:/bin");
}

/// A committed `.env` that is a symlink to /dev/zero (or a pipe that never
/// ends) is cut off at the size limit instead of exhausting memory.
#[test]
fn an_endless_env_file_is_refused_at_the_size_limit() {
    let env = store_with_token();
    if !have("git", "an_endless_env_file_is_refused_at_the_size_limit") {
        return;
    }
    let upstream = env.path().join("upstream");
    std::fs::create_dir_all(&upstream).unwrap();
    git(&env, &upstream, &["init", "-q", "-b", "main"]).success();
    std::os::unix::fs::symlink("/dev/zero", upstream.join(".env")).unwrap();
    git(&env, &upstream, &["add", "-A"]).success();
    git(&env, &upstream, &["commit", "-q", "-m", "env"]).success();
    let clone = env.path().join("clone");
    git(
        &env,
        env.path(),
        &[
            "clone",
            "-q",
            upstream.to_str().unwrap(),
            clone.to_str().unwrap(),
        ],
    )
    .success();
    assert!(clone.join(".env").is_symlink());
    let marker = env.path().join("ran");
    let started = std::time::Instant::now();
    exec_in(
        &env,
        &clone,
        &["--env-file", ".env"],
        &format!("touch {}", marker.display()),
    )
    .fails(2)
    .stderr_has(".env")
    .stderr_has("more than 1024 KiB");
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    assert!(!marker.exists());
    // A large ordinary file under the limit still works.
    let big = env.path().join("big.env");
    let mut text = String::new();
    for i in 0..5000 {
        text.push_str(&format!("VAR_{i}={}\n", "v".repeat(100)));
    }
    std::fs::write(&big, &text).unwrap();
    exec_in(
        &env,
        &clone,
        &["--env-file", big.to_str().unwrap()],
        "printf %s \"$VAR_4999\"",
    )
    .success()
    .stdout_has(&"v".repeat(100));
}
