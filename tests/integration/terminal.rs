//! What happens on a terminal: no-echo prompts for values and passphrases,
//! and the newline `get` adds only there. `script` (util-linux) gives the
//! command a pseudo-terminal; answers are typed after short pauses.

use crate::common::{TestEnv, have, sm_bin};

/// Runs `sm ARGS` under a pseudo-terminal, typing each answer in turn.
pub(crate) fn on_terminal(env: &TestEnv, args: &str, answers: &[&str]) -> (i32, String) {
    let paced: Vec<(f32, &str)> = answers.iter().map(|a| (0.6, *a)).collect();
    on_terminal_paced(env, args, &paced)
}

/// [`on_terminal`] with a pause (seconds) before each answer, for prompts
/// that follow slow work (a passphrase's scrypt).
pub(crate) fn on_terminal_paced(
    env: &TestEnv,
    args: &str,
    answers: &[(f32, &str)],
) -> (i32, String) {
    let mut typed = String::new();
    for (pause, a) in answers {
        typed.push_str(&format!("sleep {pause}; printf '%s\\n' '{a}'; "));
    }
    let script = format!(
        "({typed} sleep 1) | timeout 30 script -qec \"{} {args}\" /dev/null",
        sm_bin().display()
    );
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(script)
        .envs(
            env.std_cmd()
                .get_envs()
                .filter_map(|(k, v)| Some((k.to_owned(), v?.to_owned()))),
        )
        .current_dir(if env.store.exists() {
            env.store.clone()
        } else {
            env.path().to_path_buf()
        })
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let code = out.status.code().unwrap_or(-1);
    assert!(!text.contains("panicked"), "{text}");
    (code, text)
}

#[test]
fn passphrase_protected_identity_prompts_on_a_terminal() {
    if !have(
        "script",
        "passphrase_protected_identity_prompts_on_a_terminal",
    ) {
        return;
    }
    let env = TestEnv::bare();
    let file = env.path().join("protected.txt");
    let (code, out) = on_terminal(
        &env,
        &format!("identity new --file {} --passphrase", file.display()),
        &["tr0ub4dor", "tr0ub4dor"],
    );
    assert_eq!(code, 0, "{out}");
    let content = std::fs::read_to_string(&file).unwrap();
    assert!(content.starts_with("-----BEGIN AGE ENCRYPTED FILE-----"));
    assert!(!content.contains("AGE-SECRET-KEY"));
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let id = format!("--identity {}", file.display());
    let (code, out) = on_terminal(&env, &format!("{id} identity show"), &["tr0ub4dor"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("recipient:   age1"), "{out}");
    let (code, out) = on_terminal(&env, &format!("{id} identity show"), &["wrong"]);
    assert_eq!(code, 4, "{out}");
    assert!(out.contains("wrong passphrase"), "{out}");
    // Off a terminal it fails at once with a hint, never hangs.
    env.sm(&["--identity", file.to_str().unwrap(), "identity", "show"])
        .fails(4)
        .stderr_has("sm agent start");
}

#[test]
fn put_prompts_twice_without_echo_and_get_adds_a_newline_on_a_terminal() {
    if !have(
        "script",
        "put_prompts_twice_without_echo_and_get_adds_a_newline_on_a_terminal",
    ) {
        return;
    }
    let env = TestEnv::new();
    let (code, out) = on_terminal(&env, "put typed", &["hunter2-typed", "hunter2-typed"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        !out.contains("hunter2-typed"),
        "the value was echoed: {out}"
    );
    assert_eq!(
        env.get("typed"),
        b"hunter2-typed",
        "off a terminal: exact bytes, no newline"
    );
    let (code, out) = on_terminal(&env, "get typed", &[]);
    assert_eq!(code, 0);
    assert!(out.ends_with("hunter2-typed\r\n"), "{out:?}");
    // Two different answers: sm says so and asks again.
    let (code, out) = on_terminal(&env, "put other", &["one", "two", "three", "three"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("the two answers differ; asking again"),
        "{out}"
    );
    assert_eq!(env.get("other"), b"three");
    // An empty answer: sm says why it asks again.
    let (code, out) = on_terminal(&env, "put empty", &["", "filled", "filled"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("the answer was empty, and sm stores no empty value; asking again"),
        "{out}"
    );
    assert_eq!(env.get("empty"), b"filled");
}
