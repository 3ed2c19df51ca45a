//! The identity in the first hour: the member card (`sm identity show
//! --card`, printed by `sm identity new`, accepted by `sm member add NAME
//! CARD`) and `sm identity export` for backups.

use std::os::unix::fs::PermissionsExt;

use crate::common::{Run, TestEnv, have};
use crate::teams::{Other, sm_as};

/// Creates bob's identity file and returns it with the card `identity new`
/// printed.
fn new_bob(env: &TestEnv) -> (Other, String) {
    let identity = env.path().join("bob.txt");
    let out = env
        .sm(&["identity", "new", "--file", identity.to_str().unwrap()])
        .success();
    let card = out
        .stderr()
        .lines()
        .find(|l| l.starts_with("sm-card:"))
        .unwrap_or_else(|| panic!("no card printed: {}", out.stderr()))
        .to_string();
    (Other { identity }, card)
}

#[test]
fn a_member_card_adds_a_member_who_reads_after_a_rewrap() {
    let env = TestEnv::new();
    env.put("db/pw", b"s3cret").success();
    let (bob, printed) = new_bob(&env);
    let card = sm_as(&env, &bob, &["identity", "show", "--card"])
        .success()
        .stdout();
    let card = card.trim_end_matches('\n');
    assert_eq!(card, printed, "identity new prints the same card");
    assert!(card.starts_with("sm-card:v1:age1"), "{card}");
    assert!(!card.contains(char::is_whitespace), "{card}");
    let keys = sm_as(&env, &bob, &["--json", "identity", "show"])
        .success()
        .json();
    env.sm(&["member", "add", "bob", card]).success();
    let members = env.sm(&["--json", "member", "ls"]).success().json();
    let entry = members
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "bob")
        .expect("bob is a member");
    assert_eq!(entry["recipient"], keys["recipient"]);
    assert_eq!(entry["signing_key"], keys["signing_key"]);
    env.sm(&["rewrap"]).success();
    let got = sm_as(&env, &bob, &["get", "db/pw"]).success();
    assert_eq!(got.0.stdout, b"s3cret");
}

#[test]
fn a_malformed_card_is_refused_with_exit_2() {
    let env = TestEnv::new();
    let (bob, card) = new_bob(&env);
    let _ = bob;
    let truncated = &card[..card.len() - 5];
    let other_version = card.replacen("sm-card:v1:", "sm-card:v9:", 1);
    let no_key = card.rsplit_once(":ed25519:").unwrap().0.to_string();
    for bad in [truncated, other_version.as_str(), no_key.as_str()] {
        env.sm(&["member", "add", "bob", bad])
            .fails(2)
            .stderr_has("member card");
    }
    // A card together with --signing-key, or a recipient without one.
    let recipient = card.split(':').nth(2).unwrap().to_string();
    env.sm(&["member", "add", "bob", &card, "--signing-key", "ed25519:x"])
        .fails(2);
    env.sm(&["member", "add", "bob", &recipient]).fails(2);
    let members = env.sm(&["--json", "member", "ls"]).success().json();
    assert_eq!(members.as_array().unwrap().len(), 1, "bob was not added");
}

#[test]
fn export_writes_a_new_private_file_that_age_can_use() {
    let env = TestEnv::new();
    let out = env.path().join("backup.key");
    env.sm(&["identity", "export", "--file", out.to_str().unwrap()])
        .success()
        .stderr_has("0600");
    let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("AGE-SECRET-KEY-1"));
    // Never over an existing file, which stays as it was.
    env.sm(&["identity", "export", "--file", out.to_str().unwrap()])
        .fails(6);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), text);
    // The exported key decrypts what age encrypts to the identity.
    if have("age", "export_writes_a_new_private_file_that_age_can_use") {
        let recipient = env.sm(&["--json", "identity", "show"]).success().json()["recipient"]
            .as_str()
            .unwrap()
            .to_string();
        let sealed = env.path().join("msg.age");
        let enc = std::process::Command::new("age")
            .args(["-r", &recipient, "-o", sealed.to_str().unwrap()])
            .stdin(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut c| {
                use std::io::Write;
                c.stdin.take().unwrap().write_all(b"hello")?;
                c.wait()
            })
            .unwrap();
        assert!(enc.success());
        let dec = std::process::Command::new("age")
            .args(["-d", "-i", out.to_str().unwrap(), sealed.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(
            dec.status.success(),
            "{}",
            String::from_utf8_lossy(&dec.stderr)
        );
        assert_eq!(dec.stdout, b"hello");
    }
}

#[test]
fn export_refuses_a_pipe_and_prints_to_a_terminal_with_a_warning() {
    let env = TestEnv::new();
    let run: Run = env.sm(&["identity", "export"]);
    assert!(run.0.stdout.is_empty(), "nothing went to the pipe");
    run.fails(2).stderr_has("--file");
    if !have("script", "export_refuses_a_pipe_and_prints_to_a_terminal") {
        return;
    }
    let key = std::fs::read_to_string(&env.identity).unwrap();
    let key = key
        .lines()
        .find(|l| l.starts_with("AGE-SECRET-KEY-1"))
        .unwrap()
        .to_string();
    let (code, text) = crate::terminal::on_terminal(&env, "identity export", &[]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("WARNING"), "{text}");
    assert!(text.contains(&key), "{text}");
}

#[test]
fn passphrase_is_added_then_changed_on_a_terminal() {
    let env = TestEnv::new();
    if !have("script", "passphrase_is_added_then_changed_on_a_terminal") {
        return;
    }
    env.put("k", b"v").success();
    let is_wrapped = |env: &TestEnv| {
        std::fs::read(&env.identity)
            .unwrap()
            .starts_with(b"-----BEGIN AGE ENCRYPTED FILE-----")
    };
    // Add one (asked twice); an empty one is asked again, saying why.
    let (code, text) =
        crate::terminal::on_terminal(&env, "identity passphrase", &["", "", "pw1", "pw1"]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("the passphrase is empty"), "{text}");
    assert!(is_wrapped(&env));
    let mode = std::fs::metadata(&env.identity)
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600);
    // Without a terminal the protected identity cannot be used.
    env.sm(&["get", "k"]).fails(4);
    // Change it: the old one first, then the new one twice.
    let (code, text) = crate::terminal::on_terminal_paced(
        &env,
        "identity passphrase",
        &[(0.6, "pw1"), (4.0, "pw2"), (0.6, "pw2")],
    );
    assert_eq!(code, 0, "{text}");
    let (code, text) = crate::terminal::on_terminal(&env, "get k", &["pw1"]);
    assert_ne!(code, 0, "the old passphrase no longer works: {text}");
    let (code, text) = crate::terminal::on_terminal(&env, "get k", &["pw2"]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains('v'), "{text}");
}

#[test]
fn passphrase_explains_what_to_do_for_a_key_in_the_environment() {
    let env = TestEnv::new();
    if !have(
        "script",
        "passphrase_explains_what_to_do_for_a_key_in_the_environment",
    ) {
        return;
    }
    // SM_IDENTITY (not a file) on a terminal: told to export to a file.
    let script = format!(
        "unset SM_IDENTITY_FILE; SM_IDENTITY=\"$(cat '{}')\" timeout 30 script -qec \"$SM identity passphrase\" /dev/null",
        env.identity.display()
    );
    let out = env.shell(&script).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(text.contains("export --file"), "{text}");
}
