//! Issue 14 item 10: `--json` on every command that changes or lists
//! something, one shape per concept with its keys in the documented order
//! (the JSON OUTPUT section of sm(1)).

use crate::common::{Run, TestEnv};
use crate::teams::add_member;

const SECRET: &[&str] = &[
    "name",
    "description",
    "tags",
    "labels",
    "current_version",
    "created",
    "updated",
    "rotation",
    "next_rotation",
    "rotation_due",
    "rotation_missed_window",
    "rotation_failed",
    "purge_after",
];
const VERSION: &[&str] = &["version_id", "labels", "created", "author"];
const SECRET_VERSION: &[&str] = &["name", "version_id", "labels"];
const MEMBER: &[&str] = &[
    "name",
    "kind",
    "recipient",
    "signing_key",
    "admin",
    "added_by",
    "removed",
];

/// The top-level keys of one pretty-printed JSON object, in their order.
fn keys_in_order(text: &str, indent: usize) -> Vec<String> {
    let lead = format!("\n{}\"", " ".repeat(indent));
    text.match_indices(&lead)
        .filter_map(|(at, _)| {
            let rest = &text[at + lead.len()..];
            let end = rest.find("\":")?;
            Some(rest[..end].to_string())
        })
        .collect()
}

/// Asserts stdout is one object with exactly `keys`, in that order.
fn object(run: Run, keys: &[&str]) -> serde_json::Value {
    let text = run.stdout();
    let value = run.json();
    assert!(value.is_object(), "{text}");
    assert_eq!(keys_in_order(&text, 2), keys, "{text}");
    value
}

/// Asserts stdout is an array of objects with exactly `keys`, in order.
fn array(run: Run, keys: &[&str]) -> serde_json::Value {
    let text = run.stdout();
    let value = run.json();
    let items = value.as_array().expect("an array");
    assert!(!items.is_empty(), "{text}");
    let found = keys_in_order(&text, 4);
    assert_eq!(found.len(), keys.len() * items.len(), "{text}");
    for chunk in found.chunks(keys.len()) {
        assert_eq!(chunk, keys, "{text}");
    }
    value
}

fn labels(v: &serde_json::Value) -> Vec<&str> {
    v["labels"]
        .as_array()
        .expect("labels are an array")
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect()
}

#[test]
fn secrets_and_versions_have_one_shape_each() {
    let env = TestEnv::new();
    let put = env
        .sm_in(&["--json", "put", "db", "--stdin"], b"one\n")
        .success();
    let put = object(put, &["name", "version_id", "labels", "unchanged"]);
    assert_eq!(labels(&put), ["current"]);
    let first = put["version_id"].as_str().unwrap().to_string();
    let second = object(
        env.sm_in(&["--json", "put", "db", "--stdin"], b"two")
            .success(),
        &["name", "version_id", "labels", "unchanged"],
    );
    let second = second["version_id"].as_str().unwrap().to_string();

    let got = object(
        env.sm(&["--json", "get", "db"]).success(),
        &["name", "version_id", "labels", "created", "value"],
    );
    assert_eq!(got["value"], "two");
    array(env.sm(&["--json", "versions", "db"]).success(), VERSION);
    let listed = array(env.sm(&["--json", "ls"]).success(), SECRET);
    assert_eq!(labels(&listed[0]), ["current", "previous"]);
    assert_eq!(listed[0]["current_version"], second.as_str());

    // show: the secret, then its versions and last access.
    let mut shown_keys = SECRET.to_vec();
    shown_keys.extend(["versions", "last_access"]);
    let shown = object(env.sm(&["--json", "show", "db"]).success(), &shown_keys);
    assert_eq!(labels(&shown), ["current", "previous"]);

    let tagged = object(
        env.sm(&["--json", "tag", "db", "env=prod"]).success(),
        SECRET,
    );
    assert_eq!(tagged["tags"]["env"], "prod");
    let untagged = object(env.sm(&["--json", "untag", "db", "env"]).success(), SECRET);
    assert!(untagged["tags"].as_object().unwrap().is_empty());
    let described = object(
        env.sm(&["--json", "describe", "db", "the database"])
            .success(),
        SECRET,
    );
    assert_eq!(described["description"], "the database");

    let labelled = object(
        env.sm(&["--json", "label", "db", "stable", "--to", &first])
            .success(),
        SECRET_VERSION,
    );
    assert_eq!(labelled["version_id"], first.as_str());
    assert_eq!(labels(&labelled), ["previous", "stable"]);
    let unlabelled = object(
        env.sm(&["--json", "label", "db", "stable", "--remove"])
            .success(),
        SECRET_VERSION,
    );
    assert_eq!(labels(&unlabelled), ["previous"]);
    let rolled = object(
        env.sm(&["--json", "rollback", "db"]).success(),
        SECRET_VERSION,
    );
    assert_eq!(rolled["version_id"], first.as_str());
    assert_eq!(labels(&rolled), ["current"]);

    let removed = object(env.sm(&["--json", "rm", "db"]).success(), SECRET);
    assert!(removed["purge_after"].is_string());
    let restored = object(env.sm(&["--json", "restore", "db"]).success(), SECRET);
    assert!(restored["purge_after"].is_null());

    env.put("gone", b"x");
    let forced = object(
        env.sm(&["--json", "rm", "gone", "--force"]).success(),
        &["name", "purged"],
    );
    assert_eq!(forced["purged"], true);
    env.put("old", b"x");
    env.sm(&["rm", "old", "--recovery-days", "7"]).success();
    let mut purge = env.cmd();
    purge.env("SM_NOW", "2099-01-01T00:00:00Z");
    let purged = array(
        Run(purge.args(["--json", "purge"]).output().unwrap()).success(),
        &["name", "purged"],
    );
    assert_eq!(purged[0]["name"], "old");
}

#[test]
fn rotations_print_the_new_version_and_settings_print_the_secret() {
    let env = TestEnv::new();
    env.put("api", b"v1");
    let settings = object(
        env.sm(&["--json", "rotate", "api", "--generate", "--no-rotate-now"])
            .success(),
        SECRET,
    );
    assert_eq!(settings["rotation"]["generate"], true);
    let mut rotated_keys = SECRET_VERSION.to_vec();
    rotated_keys.extend(["steps", "resumed_at"]);
    let rotated = object(
        env.sm(&["--json", "rotate", "api"]).success(),
        &rotated_keys,
    );
    assert_eq!(labels(&rotated), ["current"]);
}

#[test]
fn members_groups_and_rules_print_their_records() {
    let env = TestEnv::new();
    add_member(&env, "bob", false);
    let members = array(env.sm(&["--json", "member", "ls"]).success(), MEMBER);
    assert_eq!(members.as_array().unwrap().len(), 2);
    let admin = object(
        env.sm(&["--json", "member", "admin", "bob"]).success(),
        MEMBER,
    );
    assert_eq!(admin["admin"], true);

    let groups = array(
        env.sm(&["--json", "group", "add", "ops", "bob"]).success(),
        &["name", "members"],
    );
    assert_eq!(groups[0]["members"], serde_json::json!(["bob"]));
    array(
        env.sm(&["--json", "group", "ls"]).success(),
        &["name", "members"],
    );

    let rules = object(
        env.sm(&[
            "--json", "access", "set", "prod/**", "--read", "ops", "--write", "alice",
        ])
        .success(),
        &["groups", "rules"],
    );
    assert_eq!(rules["rules"][0]["glob"], "prod/**");
    object(
        env.sm(&["--json", "access"]).success(),
        &["groups", "rules"],
    );
    let after = object(
        env.sm(&["--json", "access", "rm", "prod/**"]).success(),
        &["groups", "rules"],
    );
    assert!(after["rules"].as_array().unwrap().is_empty());
    let emptied = env.sm(&["--json", "group", "rm", "ops"]).success().json();
    assert!(emptied.as_array().unwrap().is_empty());

    // The reports parse too.
    env.put("k", b"v");
    env.sm(&["--json", "rewrap"]).success().json();
    assert_eq!(env.sm(&["--json", "verify"]).success().json()["ok"], true);
    env.sm(&["--json", "doctor"]).success().json();
}

const REWRAP: &[&str] = &["secrets", "rewrapped", "resigned", "up_to_date", "skipped"];

/// Records inside records keep the documented order too (a record built
/// into a larger answer is not re-sorted by key).
#[test]
fn nested_records_and_reports_keep_their_documented_order() {
    let env = TestEnv::new();
    env.put("k", b"v");
    let identity = env.path().join("bob.txt");
    env.sm(&["identity", "new", "--file", identity.to_str().unwrap()])
        .success();
    let shown = Run(env
        .cmd()
        .env("SM_IDENTITY_FILE", &identity)
        .args(["--json", "identity", "show", "--card"])
        .output()
        .unwrap());
    let card = object(shown, &["recipient", "signing_key", "card"]);
    let card = card["card"].as_str().unwrap().to_string();
    assert!(card.starts_with("sm-card:v1:"), "{card}");

    let run = env.sm(&["--json", "member", "add", "bob", &card]).success();
    let text = run.stdout();
    assert_eq!(
        keys_in_order(&text, 2),
        ["member", "secrets", "rewrap"],
        "{text}"
    );
    let inner: Vec<String> = MEMBER.iter().chain(REWRAP).map(|k| k.to_string()).collect();
    // (the secrets array's strings sit at the same indent: not keys)
    let found: Vec<String> = keys_in_order(&text, 4)
        .into_iter()
        .filter(|k| !k.contains('\n'))
        .collect();
    assert_eq!(found, inner, "{text}");

    env.sm(&["group", "add", "ops", "bob"]).success();
    let run = env.sm(&["--json", "access"]).success();
    let text = run.stdout();
    assert_eq!(keys_in_order(&text, 6), ["name", "members"], "{text}");

    object(
        env.sm(&["--json", "verify"]).success(),
        &[
            "ok",
            "secrets",
            "versions",
            "log_entries",
            "problems",
            "stale",
        ],
    );
    object(
        env.sm(&["--json", "log", "verify"]).success(),
        &["ok", "entries", "problems"],
    );
    object(env.sm(&["--json", "rewrap"]).success(), REWRAP);
}

#[test]
fn hook_install_and_uninstall_print_json() {
    let env = TestEnv::new();
    let repo = env.path().join("app");
    std::fs::create_dir_all(&repo).unwrap();
    env.git(&repo, &["init", "-q"]);
    let run = |args: &[&str]| Run(env.cmd().current_dir(&repo).args(args).output().unwrap());
    let store = env.store.to_str().unwrap();
    let keys = &["action", "hook", "backup", "store", "pinned"];
    let installed = object(
        run(&["--json", "--store", store, "hook", "install"]).success(),
        keys,
    );
    assert_eq!(installed["action"], "installed");
    assert!(installed["hook"].as_str().unwrap().ends_with("pre-commit"));
    assert_eq!(installed["pinned"], true);
    let pinned = std::fs::canonicalize(&env.store).unwrap();
    assert_eq!(installed["store"], pinned.to_str().unwrap());
    let removed = object(run(&["--json", "hook", "uninstall"]).success(), keys);
    assert_eq!(removed["action"], "removed");
    assert_eq!(removed["store"], serde_json::Value::Null);
}
