//! Issue 14, items 6 and 19: `sm hook install` honours `--store`/`SM_STORE`
//! (the hook checks the store it was installed for, says which, and warns
//! when no store is in scope), and `sm scan --staged` with nothing staged
//! returns before opening the store.

use std::path::Path;

use crate::common::{Run, TestEnv, sm_bin};
use crate::scan::{git, repo, sealed, write};

/// Runs the sm under test in `dir` as a user of an app repository would:
/// no `SM_STORE` in the environment.
fn sm_in(env: &TestEnv, dir: &Path, args: &[&str]) -> Run {
    let mut cmd = sealed(env, sm_bin().to_str().unwrap(), dir);
    cmd.env_remove("SM_STORE").args(args);
    Run(cmd.output().unwrap())
}

/// Runs git in `dir` with no `SM_STORE`, so the hook sees only what it
/// was installed with.
fn git_plain(env: &TestEnv, dir: &Path, args: &[&str]) -> Run {
    let mut cmd = sealed(env, "git", dir);
    cmd.env_remove("SM_STORE").args(args);
    Run(cmd.output().unwrap())
}

/// An app repository and a team store elsewhere (a path needing quotes),
/// a personal store holding other values: `sm --store TEAM hook install`
/// pins the team store, so committing a team value is blocked even though
/// the commit's environment names no store.
#[test]
fn a_hook_installed_for_a_team_store_checks_that_store() {
    let env = TestEnv::new();
    // The personal store (what a bare `sm` finds from the app repository).
    let app = repo(&env, "app");
    let mut put = sealed(&env, sm_bin().to_str().unwrap(), &app);
    put.env_remove("SM_STORE")
        .args(["put", "personal/key", "Zx9personal-only-value"]);
    Run(put.output().unwrap()).success();

    let team = env.path().join("team's store");
    let team_s = team.to_str().unwrap();
    env.sm(&["init", team_s, "--name", "alice"]).success();
    env.sm_in(
        &["--store", team_s, "put", "prod/db", "--stdin"],
        b"Tm4vLx2Nc4RtW7-team-value",
    )
    .success();

    let install = sm_in(&env, &app, &["--store", team_s, "hook", "install"]).success();
    let canon = std::fs::canonicalize(&team).unwrap();
    let said = install.stderr();
    assert!(
        said.contains(&format!(
            "checks the values of the store at {}",
            canon.display()
        )),
        "{said}"
    );
    assert!(!said.contains("warning"), "{said}");

    write(&app, "config.txt", "password = Tm4vLx2Nc4RtW7-team-value\n");
    git(&env, &app, &["add", "config.txt"]).success();
    let blocked = git_plain(&env, &app, &["commit", "-qm", "leak"]);
    let out = format!("{}{}", blocked.stdout(), blocked.stderr());
    assert_ne!(blocked.code(), 0, "the team value was committed: {out}");
    assert!(
        out.contains("config.txt:1:12: managed-secret: Tm4v****"),
        "{out}"
    );

    // `sm scan -v` names the store whose values it matched.
    let scan = sm_in(&env, &app, &["--store", team_s, "scan", "--staged", "-v"]).fails(1);
    assert!(
        scan.stderr()
            .contains(&format!("value(s) from the store at {}", canon.display())),
        "{}",
        scan.stderr()
    );

    // A clean commit still goes through the pinned hook.
    git(&env, &app, &["rm", "-q", "--cached", "config.txt"]).success();
    write(&app, "ok.txt", "nothing to see\n");
    git(&env, &app, &["add", "ok.txt"]).success();
    git_plain(&env, &app, &["commit", "-qm", "clean"]).success();
}

/// With no store in scope (no `--store`, no `SM_STORE`, no store above the
/// repository, no personal store), install says values will not be checked.
#[test]
fn hook_install_warns_when_no_store_is_in_scope() {
    let env = TestEnv::bare();
    let app = repo(&env, "app");
    let install = sm_in(&env, &app, &["hook", "install"]).success();
    let said = install.stderr();
    assert!(said.contains("installed the pre-commit hook"), "{said}");
    assert!(
        said.contains("warning: no store in scope")
            && said.contains("credential patterns only, not secret values"),
        "{said}"
    );
    let hook = std::fs::read_to_string(app.join(".git/hooks/pre-commit")).unwrap();
    assert!(!hook.contains("SM_STORE"), "{hook}");

    // A store named that does not exist is refused, not pinned.
    let missing = env.path().join("nowhere");
    sm_in(
        &env,
        &app,
        &["--store", missing.to_str().unwrap(), "hook", "install"],
    )
    .fails(3)
    .stderr_has("no sm store at");
}

/// `sm scan --staged` with nothing staged returns before opening the store:
/// it succeeds quietly even when the identity cannot be read, and decrypts
/// nothing (`-v` names no store values).
#[test]
fn scan_staged_with_nothing_staged_does_not_open_the_store() {
    let env = TestEnv::new();
    env.put("prod/db", b"Qm8vLx2Nc4RtW7-managed");
    let app = repo(&env, "app");

    let verbose = Run(sealed(&env, sm_bin().to_str().unwrap(), &app)
        .args(["scan", "--staged", "-v"])
        .output()
        .unwrap())
    .success();
    assert!(
        !verbose.stderr().contains("value(s) from the store"),
        "{}",
        verbose.stderr()
    );

    // No identity at hand: nothing to say, since nothing was to be checked.
    let mut cmd = sealed(&env, sm_bin().to_str().unwrap(), &app);
    cmd.env("SM_IDENTITY_FILE", env.path().join("missing-identity.txt"))
        .args(["scan", "--staged"]);
    let run = Run(cmd.output().unwrap()).success();
    assert_eq!(run.stderr(), "", "the store was opened");

    // The control: with a file staged, the same scan does reach the store.
    write(&app, "ok.txt", "nothing to see\n");
    git(&env, &app, &["add", "ok.txt"]).success();
    let mut cmd = sealed(&env, sm_bin().to_str().unwrap(), &app);
    cmd.env("SM_IDENTITY_FILE", env.path().join("missing-identity.txt"))
        .args(["scan", "--staged"]);
    Run(cmd.output().unwrap())
        .success()
        .stderr_has("only credential patterns were checked");
}
