//! The command-line definition itself: sound, and the committed completions
//! and man pages match it.

use std::path::Path;

use crate::common::{TestEnv, sm_bin};

#[test]
fn clap_definition_is_sound() {
    sm::cli::command().debug_assert();
}

#[test]
fn completions_are_up_to_date() {
    let env = TestEnv::bare();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    for (shell, file) in [
        ("bash", "sm.bash"),
        ("zsh", "_sm"),
        ("fish", "sm.fish"),
        ("elvish", "sm.elv"),
        ("powershell", "_sm.ps1"),
    ] {
        let out = env.sm(&["completions", shell]).success();
        let committed = std::fs::read(root.join(file)).unwrap_or_default();
        assert!(
            out.0.stdout == committed,
            "completions/{file} is stale: run `sm completions {shell} > completions/{file}` (or .ci/regenerate)"
        );
    }
}

#[test]
fn man_pages_are_up_to_date() {
    let env = TestEnv::bare();
    let out_dir = env.path().join("man");
    env.sm(&["man", out_dir.to_str().unwrap()]).success();
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("man");
    let mut generated: Vec<String> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    generated.sort();
    assert!(generated.contains(&"sm.1".to_string()));
    assert!(generated.contains(&"sm-put.1".to_string()));
    let mut existing: Vec<String> = std::fs::read_dir(&committed)
        .map(|d| {
            d.map(|e| e.unwrap().file_name().into_string().unwrap())
                .collect()
        })
        .unwrap_or_default();
    existing.sort();
    assert_eq!(
        generated, existing,
        "man/ has other pages than `sm man` writes: regenerate with .ci/regenerate"
    );
    for page in generated {
        let a = std::fs::read(out_dir.join(&page)).unwrap();
        let b = std::fs::read(committed.join(&page)).unwrap();
        assert!(
            a == b,
            "man/{page} is stale: regenerate with .ci/regenerate"
        );
    }
}

#[test]
fn help_and_version_exit_zero_and_usage_errors_exit_two() {
    let env = TestEnv::bare();
    env.sm(&["--help"]).success().stdout_has("secrets manager");
    env.sm(&["--version"])
        .success()
        .stdout_has(env!("CARGO_PKG_VERSION"));
    env.sm(&["put", "--help"]).success();
    env.sm(&["no-such-command"]).fails(2);
    env.sm(&["get"]).fails(2);
    env.sm(&["rm", "x", "--recovery-days", "3"]).fails(2);
    assert!(sm_bin().exists());
}
