//! Issue 13 item 4, "hooks run exactly what was trusted": a hook swapped on
//! disk between steps, a `#!` interpreter and a Python helper module in the
//! store changed by a real `git pull` after `--trust-hook`, what
//! `--trust-hook` says it hashed, and links in a hook's folder. Each test
//! checks that the attacker's code never ran, got no value, and that files
//! outside the store are byte-identical afterwards.

use std::path::{Path, PathBuf};

use crate::common::{Run, TestEnv, have};

fn write(path: &Path, text: &str, exec: bool) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
    let mode = if exec { 0o755 } else { 0o644 };
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// A folder outside the store holding the user's own files, and the
/// folder where hooks record what ran.
struct Outside {
    rec: PathBuf,
    notes: PathBuf,
}

const NOTES: &[u8] = b"the user's own notes, which no hook may touch\n";

fn outside(env: &TestEnv) -> Outside {
    let rec = env.path().join("rec");
    std::fs::create_dir_all(&rec).unwrap();
    let notes = env.path().join("notes.txt");
    std::fs::write(&notes, NOTES).unwrap();
    Outside { rec, notes }
}

impl Outside {
    fn lines(&self, file: &str) -> Vec<String> {
        std::fs::read_to_string(self.rec.join(file))
            .unwrap_or_default()
            .lines()
            .map(str::to_string)
            .collect()
    }

    /// The user's file is untouched and no dump of any hook input exists.
    fn attacker_got_nothing(&self) {
        assert_eq!(std::fs::read(&self.notes).unwrap(), NOTES);
        let dumps: Vec<_> = std::fs::read_dir(&self.rec)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("dump") || n.starts_with("pwned"))
            .collect();
        assert!(dumps.is_empty(), "the attacker's code ran: {dumps:?}");
    }
}

fn git(env: &TestEnv, dir: &Path, args: &[&str]) {
    env.git(dir, args);
}

fn sm_at(env: &TestEnv, dir: &Path, args: &[&str]) -> Run {
    Run(env.cmd().current_dir(dir).args(args).output().unwrap())
}

/// Commits the store, pushes it to a bare remote and clones it; returns
/// the clone (the victim's working copy).
fn publish_and_clone(env: &TestEnv) -> PathBuf {
    let a = &env.store;
    git(env, a, &["init", "-q", "-b", "main"]);
    git(env, a, &["add", "-A"]);
    git(env, a, &["commit", "-qm", "store with a hook"]);
    let remote = env.path().join("remote.git");
    git(
        env,
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
    git(
        env,
        a,
        &["remote", "add", "origin", remote.to_str().unwrap()],
    );
    git(env, a, &["push", "-q", "origin", "main"]);
    let b = env.path().join("clone");
    git(
        env,
        env.path(),
        &["clone", "-q", remote.to_str().unwrap(), b.to_str().unwrap()],
    );
    b
}

/// The attacker's commit: `change` edits the origin, which is pushed; the
/// victim pulls it into the clone `b`.
fn attacker_pushes_and_victim_pulls(env: &TestEnv, b: &Path, change: impl FnOnce(&Path)) {
    change(&env.store);
    git(env, &env.store, &["add", "-A"]);
    git(env, &env.store, &["commit", "-qm", "harmless update"]);
    git(env, &env.store, &["push", "-q", "origin", "main"]);
    git(
        env,
        b,
        &["pull", "-q", "--no-rebase", "--no-edit", "origin", "main"],
    );
}

#[test]
fn a_hook_swapped_after_create_does_not_run_at_set_test_or_finish() {
    let env = TestEnv::new();
    let out = outside(&env);
    let rec = out.rec.display().to_string();
    // The create step itself replaces the hook in the store with one that
    // dumps its input (current and pending values) outside the store.
    let hook = format!(
        r#"#!/bin/sh
step="$1"
echo "trusted $step $0" >> '{rec}/calls'
cat > /dev/null
if [ "$step" = create ]; then
  printf '#!/bin/sh\ncat > "%s/dump-$1"\necho "evil $1" >> "%s/calls"\n' '{rec}' '{rec}' > "$SM_STORE/hooks/rot"
  echo new-value
fi
exit 0
"#
    );
    write(&env.store.join("hooks/rot"), &hook, true);
    env.put("api", b"old-value");
    env.sm(&[
        "rotate",
        "api",
        "--hook",
        "hooks/rot",
        "--trust-hook",
        "--no-rotate-now",
    ])
    .success();
    env.sm(&["rotate", "api"]).success();

    let calls = out.lines("calls");
    let steps: Vec<&str> = calls
        .iter()
        .map(|l| l.split(' ').take(2).last().unwrap())
        .collect();
    assert_eq!(steps, ["create", "set", "test", "finish"], "{calls:?}");
    assert!(calls.iter().all(|l| l.starts_with("trusted ")), "{calls:?}");
    // The swap happened in the store, and still only the trusted bytes ran.
    let swapped = std::fs::read_to_string(env.store.join("hooks/rot")).unwrap();
    assert!(swapped.contains("dump-"), "{swapped}");
    out.attacker_got_nothing();
    assert_eq!(env.get("api"), b"new-value");
    // Every step ran the same private copy, outside the store, removed after.
    let ran: Vec<&str> = calls.iter().map(|l| l.split(' ').nth(2).unwrap()).collect();
    assert!(ran.iter().all(|p| *p == ran[0]), "{ran:?}");
    let copy = Path::new(ran[0]);
    assert!(
        !copy.starts_with(&env.store),
        "ran from the store: {copy:?}"
    );
    assert!(copy.ends_with("hooks/rot"));
    assert!(!copy.exists(), "the private copy is removed afterwards");

    // The next rotation sees the changed hook and runs nothing.
    env.sm(&["rotate", "api"])
        .fails(4)
        .stderr_has("changed since you trusted it")
        .stderr_has("hooks/rot changed");
    assert_eq!(out.lines("calls").len(), 4);
    out.attacker_got_nothing();
    assert_eq!(env.get("api"), b"new-value");
}

#[test]
fn an_interpreter_in_the_store_changed_by_a_pull_is_refused() {
    if !have(
        "git",
        "an_interpreter_in_the_store_changed_by_a_pull_is_refused",
    ) {
        return;
    }
    let env = TestEnv::new();
    let out = outside(&env);
    let rec = out.rec.display().to_string();
    write(
        &env.store.join("hooks/run"),
        &format!("#!/bin/sh\necho \"run-v1 $2\" >> '{rec}/interp'\nexec /bin/sh \"$@\"\n"),
        true,
    );
    write(
        &env.store.join("hooks/rotate"),
        &format!(
            "#!hooks/run\necho \"$1\" >> '{rec}/calls'\ncat > /dev/null\n[ \"$1\" = create ] && echo rotated-by-hook\nexit 0\n"
        ),
        true,
    );
    env.put("api", b"v1");
    env.sm(&["rotate", "api", "--hook", "hooks/rotate", "--no-rotate-now"])
        .success();
    let b = publish_and_clone(&env);

    let trusted = sm_at(&env, &b, &["rotate", "api", "--trust-hook"]).success();
    let said = trusted.stderr();
    assert!(
        said.contains("hooks/rotate") && said.contains("hooks/run"),
        "{said}"
    );
    assert_eq!(out.lines("calls"), ["create", "set", "test", "finish"]);
    // The trusted interpreter ran at every step, from the copy.
    let interp = out.lines("interp");
    assert_eq!(interp.len(), 4, "{interp:?}");
    assert!(interp.iter().all(|l| l.starts_with("run-v1 ")));
    assert_eq!(
        sm_at(&env, &b, &["get", "api"]).success().0.stdout,
        b"rotated-by-hook"
    );

    // The attacker changes only the interpreter, which the hook file names.
    attacker_pushes_and_victim_pulls(&env, &b, |a| {
        write(
            &a.join("hooks/run"),
            &format!(
                "#!/bin/sh\ncat > '{rec}/dump-interp'\necho pwned > '{rec}/pwned'\nexec /bin/sh \"$@\"\n"
            ),
            true,
        );
    });
    assert!(
        std::fs::read_to_string(b.join("hooks/run"))
            .unwrap()
            .contains("pwned")
    );
    sm_at(&env, &b, &["rotate", "api"])
        .fails(4)
        .stderr_has("changed since you trusted it")
        .stderr_has("hooks/run changed");
    assert_eq!(out.lines("calls").len(), 4, "nothing ran");
    assert_eq!(out.lines("interp").len(), 4);
    out.attacker_got_nothing();
    assert_eq!(
        sm_at(&env, &b, &["get", "api"]).success().0.stdout,
        b"rotated-by-hook"
    );
}

#[test]
fn an_interpreter_named_by_a_relative_path_outside_the_store_is_refused() {
    let env = TestEnv::new();
    let out = outside(&env);
    let rec = out.rec.display().to_string();
    // `#!../interp` is resolved by the kernel from the store root.
    write(
        &env.path().join("interp"),
        &format!("#!/bin/sh\ncat > '{rec}/dump'\n"),
        true,
    );
    write(
        &env.store.join("hooks/rotate"),
        "#!../interp\nexit 0\n",
        true,
    );
    env.put("api", b"v1");
    env.sm(&[
        "rotate",
        "api",
        "--hook",
        "hooks/rotate",
        "--generate",
        "--trust-hook",
    ])
    .fails(4)
    .stderr_has("`../interp` by a relative path outside the store");
    out.attacker_got_nothing();
    assert_eq!(env.get("api"), b"v1");
    assert!(!env.home.join(".config/sm/trusted_hooks.toml").exists());
}

#[test]
fn a_python_hook_imports_its_trusted_sibling_and_a_changed_one_is_refused() {
    if !have("python3", "a_python_hook_imports_its_trusted_sibling")
        || !have("git", "a_python_hook_imports_its_trusted_sibling")
    {
        return;
    }
    let env = TestEnv::new();
    let out = outside(&env);
    let rec = out.rec.display().to_string();
    write(
        &env.store.join("hooks/rot.py"),
        "#!/usr/bin/env python3\nimport json, sys\nimport helper\nstep = sys.argv[1]\njson.load(sys.stdin)\nhelper.record(step)\nif step == 'create':\n    print('py-value')\n",
        true,
    );
    write(
        &env.store.join("hooks/helper.py"),
        &format!(
            "def record(step):\n    with open('{rec}/helper', 'a') as f:\n        f.write('helper-v1 %s %s\\n' % (step, __file__))\n"
        ),
        false,
    );
    env.put("db", b"old");
    env.sm(&["rotate", "db", "--hook", "hooks/rot.py", "--no-rotate-now"])
        .success();
    let b = publish_and_clone(&env);

    sm_at(&env, &b, &["rotate", "db", "--trust-hook"])
        .success()
        .stderr_has("hooks/helper.py")
        .stderr_has("hooks/rot.py");
    let lines = out.lines("helper");
    assert_eq!(lines.len(), 4, "{lines:?}");
    let b_canon = std::fs::canonicalize(&b).unwrap();
    for line in &lines {
        let file = Path::new(line.split(' ').nth(2).unwrap());
        assert!(line.starts_with("helper-v1 "));
        assert!(file.ends_with("hooks/helper.py"));
        assert!(
            !file.starts_with(&b) && !file.starts_with(&b_canon),
            "the module was imported from the store: {line}"
        );
    }
    assert_eq!(
        sm_at(&env, &b, &["get", "db"]).success().0.stdout,
        b"py-value"
    );

    // The attacker changes only the imported module.
    attacker_pushes_and_victim_pulls(&env, &b, |a| {
        write(
            &a.join("hooks/helper.py"),
            &format!(
                "import sys\ndef record(step):\n    open('{rec}/pwned', 'w').write('helper-evil')\n"
            ),
            false,
        );
    });
    sm_at(&env, &b, &["rotate", "db"])
        .fails(4)
        .stderr_has("hooks/helper.py changed");
    assert_eq!(out.lines("helper").len(), 4, "nothing ran");
    out.attacker_got_nothing();
    assert_eq!(
        sm_at(&env, &b, &["get", "db"]).success().0.stdout,
        b"py-value"
    );
}

#[test]
fn trust_hook_names_the_files_it_hashed_and_any_file_added_or_removed_needs_trust() {
    let env = TestEnv::new();
    let out = outside(&env);
    let rec = out.rec.display().to_string();
    write(
        &env.store.join("hooks/rec"),
        "#!/bin/sh\n. \"$(dirname \"$0\")/lib/util.sh\"\nrecord \"$1\"\ncat > /dev/null\nexit 0\n",
        true,
    );
    write(
        &env.store.join("hooks/lib/util.sh"),
        &format!("record() {{ echo \"$1\" >> '{rec}/calls'; }}\n"),
        false,
    );
    write(
        &env.store.join("hooks/README"),
        "how the hook works\n",
        false,
    );
    // Python's bytecode cache is neither hashed nor copied.
    write(&env.store.join("hooks/__pycache__/x.pyc"), "cache", false);
    env.put("api", b"v1");
    let run = env
        .sm(&[
            "rotate",
            "api",
            "--hook",
            "hooks/rec",
            "--generate",
            "--trust-hook",
        ])
        .success();
    let said = run.stderr();
    assert!(
        said.contains("hashed 3 files (the whole folder hooks/)"),
        "{said}"
    );
    for file in ["hooks/README", "hooks/lib/util.sh", "hooks/rec"] {
        assert!(said.contains(&format!("\n  {file}")), "{said}");
    }
    assert!(!said.contains("__pycache__"), "{said}");
    assert_eq!(out.lines("calls"), ["create", "set", "test", "finish"]);
    let trusted = std::fs::read_to_string(env.home.join(".config/sm/trusted_hooks.toml")).unwrap();
    assert!(trusted.contains("hooks/lib/util.sh"), "{trusted}");

    // A file the hook never names is still part of what was trusted.
    write(&env.store.join("hooks/lib/extra.sh"), "echo hi\n", false);
    std::fs::remove_file(env.store.join("hooks/README")).unwrap();
    env.sm(&["rotate", "api"])
        .fails(4)
        .stderr_has("hooks/README removed")
        .stderr_has("hooks/lib/extra.sh added");
    assert_eq!(out.lines("calls").len(), 4);
    env.sm(&["rotate", "api", "--trust-hook"])
        .success()
        .stderr_has("hooks/lib/extra.sh");
    assert_eq!(out.lines("calls").len(), 8);

    // A hook outside the store keeps per-file trust, and lists that file.
    let sh = "/bin/sh";
    env.sm(&[
        "rotate",
        "api",
        "--hook",
        &format!("{sh} hooks/rec"),
        "--trust-hook",
    ])
    .success()
    .stderr_has("\n  /bin/sh")
    .stderr_has("\n  hooks/rec");
    out.attacker_got_nothing();
}

#[test]
fn links_in_a_hooks_folder_are_refused_and_nothing_runs() {
    let env = TestEnv::new();
    let out = outside(&env);
    let rec = out.rec.display().to_string();
    let evil = env.path().join("evil.sh");
    write(
        &evil,
        &format!("#!/bin/sh\ncat > '{rec}/dump'\necho pwned > '{rec}/pwned'\n"),
        true,
    );
    env.put("api", b"v1");

    // The hook itself is a link out of the store.
    std::fs::create_dir_all(env.store.join("hooks")).unwrap();
    std::os::unix::fs::symlink(&evil, env.store.join("hooks/rot")).unwrap();
    env.sm(&[
        "rotate",
        "api",
        "--hook",
        "hooks/rot",
        "--generate",
        "--trust-hook",
    ])
    .fails(5)
    .stderr_has("hooks/rot")
    .stderr_has("symbolic link");
    out.attacker_got_nothing();
    assert!(!env.home.join(".config/sm/trusted_hooks.toml").exists());
    std::fs::remove_file(env.store.join("hooks/rot")).unwrap();

    // A regular hook whose folder holds a link to the user's file.
    write(
        &env.store.join("hooks/rot"),
        "#!/bin/sh\ncat > /dev/null\nexit 0\n",
        true,
    );
    std::os::unix::fs::symlink(&out.notes, env.store.join("hooks/notes.txt")).unwrap();
    env.sm(&["rotate", "api", "--trust-hook"])
        .fails(5)
        .stderr_has("hooks/notes.txt");
    std::fs::remove_file(env.store.join("hooks/notes.txt")).unwrap();

    // The whole folder is a link out of the store.
    std::fs::remove_dir_all(env.store.join("hooks")).unwrap();
    let elsewhere = env.path().join("elsewhere");
    write(
        &elsewhere.join("rot"),
        "#!/bin/sh\ncat > /dev/null\nexit 0\n",
        true,
    );
    std::os::unix::fs::symlink(&elsewhere, env.store.join("hooks")).unwrap();
    env.sm(&["rotate", "api", "--trust-hook"])
        .fails(5)
        .stderr_has("hooks")
        .stderr_has("symbolic link");
    out.attacker_got_nothing();
    assert_eq!(env.get("api"), b"v1");
}

#[test]
fn a_hook_committed_as_a_link_is_refused_in_a_clone() {
    if !have("git", "a_hook_committed_as_a_link_is_refused_in_a_clone") {
        return;
    }
    let env = TestEnv::new();
    let out = outside(&env);
    let rec = out.rec.display().to_string();
    // The attacker's script sits next to the clone; the repository commits
    // a relative link to it as the hook.
    write(
        &env.path().join("evil.sh"),
        &format!("#!/bin/sh\ncat > '{rec}/dump'\necho pwned > '{rec}/pwned'\n"),
        true,
    );
    std::fs::create_dir_all(env.store.join("hooks")).unwrap();
    std::os::unix::fs::symlink("../../evil.sh", env.store.join("hooks/rot")).unwrap();
    env.put("api", b"v1");
    env.sm(&[
        "rotate",
        "api",
        "--hook",
        "hooks/rot",
        "--generate",
        "--no-rotate-now",
    ])
    .success();
    let b = publish_and_clone(&env);
    assert!(
        std::fs::symlink_metadata(b.join("hooks/rot"))
            .unwrap()
            .is_symlink()
    );
    sm_at(&env, &b, &["rotate", "api", "--trust-hook"])
        .fails(5)
        .stderr_has("hooks/rot")
        .stderr_has("symbolic link");
    sm_at(&env, &b, &["rotate", "api"])
        .fails(5)
        .stderr_has("hooks/rot");
    out.attacker_got_nothing();
    assert!(!env.home.join(".config/sm/trusted_hooks.toml").exists());
    assert_eq!(sm_at(&env, &b, &["get", "api"]).success().0.stdout, b"v1");
}
