//! Messages that say what happened and what to do: a piped value that
//! was only a newline, a member card that is neither card nor recipient,
//! the name of a removed member, a value over the size limit, and
//! `sm doctor -q`.

use crate::common::TestEnv;
use crate::teams::add_member;

#[test]
fn a_value_that_was_only_a_newline_says_the_newline_was_dropped() {
    let env = TestEnv::new();
    let err = env.sm_in(&["put", "e", "--stdin"], b"\n").fails(2).stderr();
    assert!(err.contains("held only a newline"), "{err}");
    assert!(err.contains("--file /dev/stdin"), "{err}");
    // Nothing at all is the plain empty-value error.
    let err = env.sm_in(&["put", "e", "--stdin"], b"").fails(2).stderr();
    assert!(err.contains("the value is empty"), "{err}");
    assert!(!err.contains("newline"), "{err}");
}

#[test]
fn a_malformed_card_is_called_that() {
    let env = TestEnv::new();
    let err = env
        .sm(&["member", "add", "bob", "garbage"])
        .fails(2)
        .stderr();
    assert!(err.contains("neither a member card"), "{err}");
    assert!(err.contains("sm identity show --card"), "{err}");
    // An age recipient alone still asks for its signing key.
    let keys = env.sm(&["identity", "show", "--json"]).success().json();
    let recipient = keys["recipient"].as_str().unwrap();
    let err = env
        .sm(&["member", "add", "bob", recipient])
        .fails(2)
        .stderr();
    assert!(err.contains("--signing-key"), "{err}");
}

#[test]
fn a_removed_members_name_is_not_said_to_exist() {
    let env = TestEnv::new();
    add_member(&env, "bob", false);
    env.sm(&["member", "rm", "bob"]).success();
    let identity = env.path().join("bob2.txt");
    env.sm(&["identity", "new", "--file", identity.to_str().unwrap()])
        .success();
    let card = env
        .cmd()
        .env("SM_IDENTITY_FILE", &identity)
        .args(["identity", "show", "--card"])
        .output()
        .unwrap();
    let card = String::from_utf8(card.stdout).unwrap();
    let err = env
        .sm(&["member", "add", "bob", card.trim()])
        .fails(6)
        .stderr();
    assert!(err.contains("was removed"), "{err}");
    assert!(!err.contains("exists already"), "{err}");
    env.sm(&["member", "add", "bob2", card.trim(), "--no-rewrap"])
        .success();
}

#[test]
fn a_value_over_the_limit_is_not_given_a_size_it_does_not_have() {
    let env = TestEnv::new();
    let err = env
        .sm(&["put", "big", "--file", "/dev/zero"])
        .fails(2)
        .stderr();
    assert!(err.contains("larger than the limit"), "{err}");
    assert!(!err.contains("65537"), "{err}");
}

#[test]
fn doctor_quiet_prints_nothing_routine() {
    let env = TestEnv::new();
    env.git(&env.store, &["init", "-q"]);
    // A fresh clone's doctor registers the merge driver; -q keeps it quiet.
    let run = env.sm(&["-q", "doctor"]).success();
    assert_eq!(run.stdout(), "", "{}", run.stderr());
    assert_eq!(run.stderr(), "");
    env.git(&env.store, &["config", "--unset", "merge.sm.driver"]);
    env.sm(&["doctor"])
        .success()
        .stdout_has("registered merge.sm.driver");
}
