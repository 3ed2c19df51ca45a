//! Issue 14 item 9: the completion scripts complete secret names, labels,
//! members and groups from the store's metadata (no identity needed), in a
//! real bash, zsh and fish.

use crate::common::{TestEnv, have, sm_bin};
use crate::teams::add_member;

/// A store with a few names, a label, a member and a group; the identity
/// is then removed, so completing cannot decrypt anything.
fn store() -> TestEnv {
    let env = TestEnv::new();
    for name in ["prod/db", "prod/api", "staging/db"] {
        env.put(name, b"v");
    }
    let first = env.version_ids("prod/db")[0].clone();
    env.sm(&["label", "prod/db", "blue", "--to", &first])
        .success();
    add_member(&env, "bob", false);
    env.sm(&["group", "add", "ops", "bob"]).success();
    std::fs::remove_file(&env.identity).unwrap();
    env
}

/// Runs `shell -c script` with the sealed environment, sm first on PATH and
/// the completion script for `shell` in $SCRIPT.
fn run_shell(env: &TestEnv, shell: &str, script: &str) -> String {
    let file = env.path().join(format!("sm.{shell}"));
    let text = env.sm(&["completions", shell]).success().0.stdout;
    std::fs::write(&file, text).unwrap();
    let bin_dir = sm_bin().parent().unwrap().to_path_buf();
    let mut cmd = std::process::Command::new(shell);
    let sealed = env.std_cmd();
    cmd.env_clear();
    for (k, v) in sealed.get_envs() {
        if let Some(v) = v {
            cmd.env(k, v);
        }
    }
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    cmd.env("PATH", path)
        .env("SCRIPT", &file)
        .current_dir(sealed.get_current_dir().unwrap());
    let out = cmd.arg("-c").arg(script).output().unwrap();
    assert!(
        out.status.success(),
        "{shell}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Completes `line` (the last word is the one completed) in bash.
fn bash(env: &TestEnv, line: &str) -> Vec<String> {
    let script = format!(
        r#"source "$SCRIPT"
COMP_WORDS=({line}); COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))
[[ "{line}" == *" " ]] && {{ COMP_WORDS+=(""); COMP_CWORD=$(( COMP_CWORD + 1 )); }}
COMP_LINE="{line}"; COMP_POINT=${{#COMP_LINE}}
__sm_dynamic sm "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]}}"
printf '%s\n' "${{COMPREPLY[@]}}""#
    );
    let mut got: Vec<String> = run_shell(env, "bash", &script)
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    got.sort();
    got
}

#[test]
fn bash_completes_names_labels_members_and_groups() {
    let env = store();
    assert_eq!(bash(&env, "sm get pr"), ["prod/api", "prod/db"]);
    assert_eq!(
        bash(&env, "sm show "),
        ["prod/api", "prod/db", "staging/db"]
    );
    assert_eq!(bash(&env, "sm exec -s st"), ["staging/db"]);
    assert_eq!(bash(&env, "sm label prod/db "), ["blue", "current"]);
    assert_eq!(bash(&env, "sm get --label c"), ["current"]);
    assert_eq!(bash(&env, "sm member rm b"), ["bob"]);
    assert_eq!(bash(&env, "sm group rm "), ["ops"]);
    // Not a name: the generated completion answers (subcommands, options).
    assert!(bash(&env, "sm ver").contains(&"versions".to_string()));
    assert!(bash(&env, "sm get --l").contains(&"--label".to_string()));
    // --store on the command line is the store completed from.
    let elsewhere = env.store.to_str().unwrap().to_string();
    let other = TestEnv::bare();
    assert_eq!(
        bash(&other, &format!("sm --store {elsewhere} get staging/")),
        ["staging/db"]
    );
}

#[test]
fn completing_is_as_fast_as_ls() {
    let env = store();
    let time = |args: &[&str]| {
        let start = std::time::Instant::now();
        for _ in 0..5 {
            env.sm(args);
        }
        start.elapsed()
    };
    let ls = time(&["ls"]);
    let complete = time(&["__complete", "2", "--", "sm", "get", "p"]);
    println!("ls {ls:?}, __complete {complete:?} (5 runs each)");
    assert!(complete < ls * 3, "ls {ls:?}, __complete {complete:?}");
}

#[test]
fn zsh_completes_names() {
    if !have("zsh", "zsh_completes_names") {
        return;
    }
    let env = store();
    // Stub the completion system: record what would be offered.
    let script = r#"compadd() { while [[ $1 == -* ]]; do [[ $1 == -- ]] && { shift; break; }; shift; done; print -l -- "$@"; }
_arguments() { return 1; }
source "$SCRIPT" 2>/dev/null
words=(sm get pr); CURRENT=3
_sm"#;
    let out = run_shell(&env, "zsh", script);
    assert!(out.contains("prod/db") && out.contains("prod/api"), "{out}");
    assert!(!out.contains("staging/db"), "{out}");
}

#[test]
fn fish_completes_names() {
    if !have("fish", "fish_completes_names") {
        return;
    }
    let env = store();
    let script = r#"source $SCRIPT; complete -C 'sm get pr'"#;
    let out = run_shell(&env, "fish", script);
    assert!(out.contains("prod/db") && out.contains("prod/api"), "{out}");
    // Option values too: fish asks only the option's own completions.
    let script = r#"source $SCRIPT; complete -C 'sm exec -s pro'"#;
    let out = run_shell(&env, "fish", script);
    assert!(out.contains("prod/db") && out.contains("prod/api"), "{out}");
    assert!(!out.contains("staging/db"), "{out}");
    let script = r#"source $SCRIPT; complete -C 'sm get prod/db --label '"#;
    let out = run_shell(&env, "fish", script);
    assert!(out.contains("current"), "{out}");
    // Not a file of the working folder.
    assert!(!out.contains(".sm"), "{out}");
}
