//! Issue 13 (items 5, 7 and the git half of 10): what sm hands the processes
//! it starts. With the identity given only as `SM_IDENTITY`, a rotation
//! hook, the editor of `sm edit`, every git process and the program of
//! `sm exec` dump their environment: none holds the variable or any key
//! text. A repository's `.git/config` that names programs (`core.fsmonitor`,
//! `gpg.program` through `log.showSignature`) gets none of them run by sm's
//! git calls. `sm edit` killed by SIGTERM, SIGHUP or SIGKILL leaves no
//! plaintext behind, and Ctrl-C while the editor runs goes to the editor,
//! not to sm.

use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{Run, TestEnv, have};

/// A store whose only identity is the key text returned: the identity file
/// is gone, so a command works only if sm read `SM_IDENTITY`.
fn key_only_env() -> (TestEnv, String) {
    let env = TestEnv::new();
    let key = std::fs::read_to_string(&env.identity).unwrap();
    std::fs::remove_file(&env.identity).unwrap();
    (env, key)
}

/// `env.cmd()` with the identity given only as `SM_IDENTITY`.
fn keyed(env: &TestEnv, key: &str) -> Command {
    let mut cmd = env.std_cmd();
    cmd.env_remove("SM_IDENTITY_FILE").env("SM_IDENTITY", key);
    cmd
}

/// Runs sm with `args` and `stdin`, the identity given only as `SM_IDENTITY`.
fn sm_keyed(env: &TestEnv, key: &str, args: &[&str], stdin: &[u8]) -> Run {
    let mut cmd = keyed(env, key);
    cmd.args(args);
    run(cmd, stdin)
}

fn run(mut cmd: Command, stdin: &[u8]) -> Run {
    use std::io::Write;
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    Run(child.wait_with_output().unwrap())
}

fn write_exec(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// Asserts that an environment dump is real (holds `expect`) and holds
/// neither `SM_IDENTITY` nor any age secret key.
fn assert_clean_dump(path: &Path, expect: &str) {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("no environment dump at {}: {e}", path.display()));
    assert!(text.contains(expect), "{} lacks {expect:?}", path.display());
    assert!(
        !text.contains("SM_IDENTITY="),
        "{} holds SM_IDENTITY:\n{text}",
        path.display()
    );
    assert!(
        !text.contains("AGE-SECRET-KEY-"),
        "{} holds key material",
        path.display()
    );
}

#[test]
fn a_trusted_rotation_hook_never_sees_sm_identity() {
    let (env, key) = key_only_env();
    let dumps = env.path().join("dumps");
    std::fs::create_dir_all(&dumps).unwrap();
    std::fs::create_dir_all(env.store.join("hooks")).unwrap();
    write_exec(
        &env.store.join("hooks/dump"),
        &format!(
            "#!/bin/sh\nenv > '{}'/\"hook-$1\"\ncat > /dev/null\n[ \"$1\" = create ] && printf rotated-value\nexit 0\n",
            dumps.display()
        ),
    );
    sm_keyed(&env, &key, &["put", "api", "--stdin"], b"v1").success();
    let mut rotate = keyed(&env, &key);
    rotate.args(["rotate", "api", "--hook", "hooks/dump", "--trust-hook"]);
    run(rotate, b"").success();
    for step in ["create", "set", "test", "finish"] {
        assert_clean_dump(&dumps.join(format!("hook-{step}")), "SM_STEP=");
    }
    let mut get = keyed(&env, &key);
    get.args(["get", "api"]);
    assert_eq!(run(get, b"").success().stdout(), "rotated-value");
}

#[test]
fn the_editor_never_sees_sm_identity() {
    let (env, key) = key_only_env();
    sm_keyed(&env, &key, &["put", "e", "--stdin"], b"old").success();
    let dump = env.path().join("editor-env");
    let editor = env.path().join("editor.sh");
    write_exec(
        &editor,
        &format!(
            "#!/bin/sh\nenv > '{}'\nprintf edited > \"$1\"\n",
            dump.display()
        ),
    );
    let mut edit = keyed(&env, &key);
    edit.env("EDITOR", &editor).args(["edit", "e"]);
    run(edit, b"").success();
    assert_clean_dump(&dump, "HOME=");
    let mut get = keyed(&env, &key);
    get.args(["get", "e"]);
    assert_eq!(run(get, b"").success().stdout(), "edited");
}

#[test]
fn the_program_of_sm_exec_never_sees_sm_identity() {
    let (env, key) = key_only_env();
    sm_keyed(&env, &key, &["put", "api", "--stdin"], b"v1").success();
    let mut exec = keyed(&env, &key);
    exec.args(["exec", "-s", "api", "--", "env"]);
    let out = run(exec, b"").success().stdout();
    assert!(out.contains("=v1"), "the secret reached the program: {out}");
    assert!(!out.contains("SM_IDENTITY=") && !out.contains("AGE-SECRET-KEY-"));
    // Asking for it by name with --keep finds nothing to keep.
    let mut exec = keyed(&env, &key);
    exec.args([
        "exec",
        "-s",
        "api",
        "--clean-env",
        "--keep",
        "SM_IDENTITY",
        "--",
        "env",
    ]);
    let out = run(exec, b"").success().stdout();
    assert!(!out.contains("SM_IDENTITY=") && !out.contains("AGE-SECRET-KEY-"));
}

/// Runs the test's own git calls (sealed like sm's), without asserting.
fn git(env: &TestEnv, dir: &Path, args: &[&str]) -> Run {
    Run(env.git_cmd(dir).args(args).output().unwrap())
}

/// Finds the real git on PATH.
fn real_git() -> PathBuf {
    std::env::split_paths(&std::env::var_os("PATH").unwrap())
        .map(|p| p.join("git"))
        .find(|p| p.is_file())
        .unwrap()
}

#[test]
fn sm_git_calls_run_no_repository_configured_program_and_get_no_identity() {
    if !have(
        "git",
        "sm_git_calls_run_no_repository_configured_program_and_get_no_identity",
    ) {
        return;
    }
    let (env, key) = key_only_env();
    let repo = env.path().join("repo");
    std::fs::create_dir_all(&repo).unwrap();
    git(&env, &repo, &["init", "-q", "-b", "main"]).success();
    std::fs::write(repo.join("README.md"), "hello\n").unwrap();
    git(&env, &repo, &["add", "README.md"]).success();
    git(&env, &repo, &["commit", "-q", "-m", "base"]).success();
    // A commit carrying a (fake) signature: `git log` with
    // log.showSignature runs gpg.program on it.
    let tree = git(&env, &repo, &["rev-parse", "HEAD^{tree}"])
        .success()
        .stdout();
    let head = git(&env, &repo, &["rev-parse", "HEAD"]).success().stdout();
    let commit = format!(
        "tree {}\nparent {}\nauthor t <t@example.com> 1700000000 +0000\ncommitter t <t@example.com> 1700000000 +0000\ngpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEE\n -----END PGP SIGNATURE-----\n\nsigned\n",
        tree.trim(),
        head.trim()
    );
    std::fs::write(env.path().join("commit.txt"), commit).unwrap();
    let signed = git(
        &env,
        &repo,
        &[
            "hash-object",
            "-t",
            "commit",
            "-w",
            env.path().join("commit.txt").to_str().unwrap(),
        ],
    )
    .success()
    .stdout();
    git(
        &env,
        &repo,
        &["update-ref", "refs/heads/signed", signed.trim()],
    )
    .success();
    std::fs::write(repo.join("config.env"), "DB_PASSWORD=Qm8vLx2Nc4RtW7\n").unwrap();
    git(&env, &repo, &["add", "config.env"]).success();

    // What whoever prepared the folder put in .git/config.
    let marker = env.path().join("attacker-ran");
    let program = env.path().join("attacker.sh");
    write_exec(
        &program,
        &format!(
            "#!/bin/sh\necho \"$0 $*\" >> '{}'\nenv >> '{}'\nexit 1\n",
            marker.display(),
            marker.display()
        ),
    );
    let program = program.to_str().unwrap();
    git(&env, &repo, &["config", "core.fsmonitor", program]).success();
    git(&env, &repo, &["config", "log.showSignature", "true"]).success();
    git(&env, &repo, &["config", "gpg.program", program]).success();
    // The planted config is live: plain git runs it.
    git(&env, &repo, &["diff-index", "--cached", "HEAD", "--"]).success();
    assert!(
        marker.exists(),
        "the planted core.fsmonitor did not run under plain git"
    );
    std::fs::remove_file(&marker).unwrap();
    git(&env, &repo, &["log", "-p", "--all", "--"]).success();
    assert!(
        marker.exists(),
        "the planted gpg.program did not run under plain git"
    );
    std::fs::remove_file(&marker).unwrap();

    // Every git process sm starts goes through a `git` on PATH that dumps
    // its environment first.
    let bin = env.path().join("bin");
    let dumps = env.path().join("git-dumps");
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::create_dir_all(&dumps).unwrap();
    write_exec(
        &bin.join("git"),
        &format!(
            "#!/bin/sh\nenv > '{}'/\"git-$$\"\nexec '{}' \"$@\"\n",
            dumps.display(),
            real_git().display()
        ),
    );
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let sm_in_repo = |args: &[&str]| {
        let mut cmd = keyed(&env, &key);
        cmd.env("PATH", &path).current_dir(&repo).args(args);
        run(cmd, b"")
    };
    // init registers the merge driver through git config.
    sm_in_repo(&["init", "vault", "--name", "alice"]).success();
    let driver = git(&env, &repo, &["config", "--get", "merge.sm.driver"])
        .success()
        .stdout();
    assert!(driver.contains("merge-driver"), "{driver}");
    // The staged scan reads the index (and finds the staged password); the
    // history scan walks every commit, the signed one included.
    sm_in_repo(&["scan", "--staged"])
        .fails(1)
        .stdout_has("config.env");
    sm_in_repo(&["scan", "--history"]).success();

    assert!(
        !marker.exists(),
        "a program named in .git/config ran: {}",
        std::fs::read_to_string(&marker).unwrap_or_default()
    );
    let dumped: Vec<_> = std::fs::read_dir(&dumps).unwrap().flatten().collect();
    assert!(dumped.len() >= 4, "git ran {} times", dumped.len());
    for entry in dumped {
        assert_clean_dump(&entry.path(), "PATH=");
    }
}

/// Waits until `path` exists, failing (after killing `child`) past 30 s.
fn wait_for(path: &Path, child: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !path.exists() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("timed out waiting for {}", path.display());
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("sm ended early ({status}) before {}", path.display());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Waits for `child` to end, killing it past 30 s.
fn wait_end(child: &mut Child) -> std::process::ExitStatus {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("sm did not end");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn signal(pid: i32, sig: i32) {
    // SAFETY: kill sends a signal; the pid is a child of this test.
    assert_eq!(unsafe { libc::kill(pid, sig) }, 0);
}

/// A store with `e` = "old value", a work folder `w`, and `sm edit e`
/// started (in its own process group) with `editor` as $EDITOR, once the
/// editor has written `w/ready`.
fn start_edit(editor_body: &str) -> (TestEnv, PathBuf, Child) {
    let env = TestEnv::new();
    env.put("e", b"old value");
    let w = env.path().join("w");
    std::fs::create_dir_all(&w).unwrap();
    let editor = env.path().join("editor.sh");
    write_exec(
        &editor,
        &format!("#!/bin/sh\nW='{}'\n{editor_body}", w.display()),
    );
    let mut cmd = env.std_cmd();
    cmd.env("EDITOR", &editor)
        .args(["edit", "e"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .process_group(0);
    // sm keeps ignoring a SIGHUP it inherited as ignored (as under nohup):
    // give it the default, whatever the test runner inherited.
    // SAFETY: signal(2) is async-signal-safe, as pre_exec requires.
    unsafe {
        cmd.pre_exec(|| {
            libc::signal(libc::SIGHUP, libc::SIG_DFL);
            Ok(())
        });
    }
    let mut child = cmd.spawn().unwrap();
    wait_for(&w.join("ready"), &mut child);
    (env, w, child)
}

/// An editor that keeps the scratch file open, reports its path, and when
/// told (`w/go`) copies what the open file then holds to `w/after`. It
/// ignores the signal sm passes on, so that it outlives sm.
const HOLDING_EDITOR: &str = r#"trap '' TERM HUP
exec 3< "$1"
printf '%s' "$1" > "$W/path"
echo $$ > "$W/pid"
: > "$W/ready"
while [ ! -e "$W/go" ]; do sleep 0.05; done
cat <&3 > "$W/after.tmp"
mv "$W/after.tmp" "$W/after"
"#;

fn edit_killed_by(sig: i32) {
    let (env, w, mut child) = start_edit(HOLDING_EDITOR);
    let scratch = PathBuf::from(std::fs::read_to_string(w.join("path")).unwrap());
    assert!(scratch.exists(), "the editor's file exists while it runs");
    signal(child.id() as i32, sig);
    let status = wait_end(&mut child);
    assert_eq!(
        status.signal(),
        Some(sig),
        "sm ends by the signal: {status}"
    );
    assert!(
        !scratch.parent().unwrap().exists(),
        "the scratch folder {} was left behind",
        scratch.parent().unwrap().display()
    );
    // What the open file held after sm ended: zeros, not the value.
    std::fs::write(w.join("go"), "").unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while !w.join("after").exists() {
        assert!(Instant::now() < deadline, "the editor never reported");
        std::thread::sleep(Duration::from_millis(20));
    }
    let after = std::fs::read(w.join("after")).unwrap();
    assert_eq!(
        after,
        vec![0u8; b"old value".len()],
        "the file was not wiped"
    );
    assert_eq!(env.get("e"), b"old value");
    assert_eq!(env.version_ids("e").len(), 1);
}

#[test]
fn sm_edit_killed_by_sigterm_wipes_and_removes_the_scratch_file() {
    edit_killed_by(libc::SIGTERM);
}

#[test]
fn sm_edit_killed_by_sighup_wipes_and_removes_the_scratch_file() {
    edit_killed_by(libc::SIGHUP);
}

#[test]
fn ctrl_c_while_the_editor_runs_reaches_the_editor_and_sm_saves() {
    // The editor traps SIGINT (which a shell cannot do for a signal it
    // inherited as ignored), saves a new value when it gets one, and ends.
    let (env, w, mut child) = start_edit(
        r#"trap 'printf int > "$W/got-int"' INT
: > "$W/ready"
while [ ! -e "$W/got-int" ]; do sleep 0.05; done
printf 'after ctrl-c' > "$1"
"#,
    );
    let pid = child.id() as i32;
    // SIGQUIT to sm alone, then Ctrl-C as a terminal sends it: to the
    // whole foreground process group, sm and the editor.
    signal(pid, libc::SIGQUIT);
    signal(pid, libc::SIGINT);
    std::thread::sleep(Duration::from_millis(200));
    assert!(
        child.try_wait().unwrap().is_none(),
        "sm ended on SIGINT/SIGQUIT"
    );
    signal(-pid, libc::SIGINT);
    let status = wait_end(&mut child);
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    assert!(status.success(), "{status}: {err}");
    assert!(w.join("got-int").exists());
    assert_eq!(env.get("e"), b"after ctrl-c");
    assert_eq!(env.version_ids("e").len(), 2);
}

#[test]
fn a_scratch_folder_left_by_sigkill_is_swept_by_the_next_edit_and_by_doctor() {
    for sweeper in ["doctor", "edit"] {
        let (env, w, mut child) = start_edit(HOLDING_EDITOR);
        let scratch = PathBuf::from(std::fs::read_to_string(w.join("path")).unwrap());
        let editor_pid: i32 = std::fs::read_to_string(w.join("pid"))
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        signal(child.id() as i32, libc::SIGKILL);
        assert_eq!(wait_end(&mut child).signal(), Some(libc::SIGKILL));
        signal(editor_pid, libc::SIGKILL);
        let folder = scratch.parent().unwrap().to_path_buf();
        assert!(
            folder.exists(),
            "SIGKILL leaves the folder (nothing can run)"
        );
        let run = if sweeper == "doctor" {
            env.sm(&["doctor"])
                .success()
                .stdout_has(&folder.display().to_string())
        } else {
            let mut cmd = env.cmd();
            cmd.env("EDITOR", "true").args(["edit", "e"]);
            Run(cmd.output().unwrap())
                .success()
                .stderr_has(&folder.display().to_string())
        };
        assert!(
            !folder.exists(),
            "`sm {sweeper}` left {}: {}",
            folder.display(),
            run.stderr()
        );
        assert_eq!(env.get("e"), b"old value");
    }
}
