//! Signatures, tampering, members, the pinned root, the access log and
//! `sm verify`.

use std::path::Path;

use crate::common::{TestEnv, have};
use crate::teams::copy_dir;

fn only_file(dir: &Path, ext: &str) -> std::path::PathBuf {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == ext))
        .unwrap()
}

fn versions_dir(env: &TestEnv, name: &str) -> std::path::PathBuf {
    env.secret_dir(name).join("versions")
}

#[test]
fn untouched_store_verifies_clean_without_an_identity() {
    let env = TestEnv::new();
    env.put("a", b"1");
    env.put("a", b"2");
    env.put("b/c", b"3");
    env.get("a");
    let mut cmd = env.cmd();
    cmd.env_remove("SM_IDENTITY_FILE")
        .args(["verify", "--json"]);
    let out = cmd.output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["ok"], true);
    assert_eq!(report["secrets"], 2);
    assert_eq!(report["versions"], 3);
    assert_eq!(report["log_entries"], 4);
}

#[test]
fn replaced_ciphertext_is_caught() {
    let env = TestEnv::new();
    env.put("db", b"real");
    env.put("other", b"x");
    let age = only_file(&versions_dir(&env, "db"), "age");
    // Anyone can encrypt to a member's recipient; the hash check catches it.
    if have("age", "replaced_ciphertext_is_caught") {
        let recipient = env.sm(&["identity", "show", "--json"]).success().json()["recipient"]
            .as_str()
            .unwrap()
            .to_string();
        let forged = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!(
                "printf forged | age -a -r {recipient} -o {}",
                age.display()
            ))
            .status()
            .unwrap();
        assert!(forged.success());
        env.sm(&["get", "db"])
            .fails(5)
            .stderr_has(&age.display().to_string());
    }
    // Truncated and garbage ciphertexts too.
    std::fs::write(&age, b"-----BEGIN AGE ENCRYPTED FILE-----\n").unwrap();
    env.sm(&["get", "db"]).fails(5).stderr_has(".age");
    let verify = env.sm(&["verify"]).fails(5);
    assert!(verify.stderr().contains(&age.display().to_string()));
    // Other secrets still read.
    assert_eq!(env.get("other"), b"x");
}

#[test]
fn versions_swapped_between_secrets_or_ids_are_caught() {
    let env = TestEnv::new();
    env.put("low", b"low value");
    env.put("high", b"high value");
    let low = versions_dir(&env, "low");
    let high = versions_dir(&env, "high");
    let low_id = env.version_ids("low")[0].clone();
    let high_id = env.version_ids("high")[0].clone();
    // Copy high's version files over low's (same id slot, other secret).
    for ext in ["age", "toml"] {
        std::fs::copy(
            high.join(format!("{high_id}.{ext}")),
            low.join(format!("{low_id}.{ext}")),
        )
        .unwrap();
    }
    env.sm(&["get", "low"])
        .fails(5)
        .stderr_has(&format!("{low_id}.toml"));

    // Within one secret: rename the previous version onto the current id.
    let env = TestEnv::new();
    env.put("s", b"old");
    env.put("s", b"new");
    let dir = versions_dir(&env, "s");
    let ids = env.version_ids("s");
    for ext in ["age", "toml"] {
        std::fs::copy(
            dir.join(format!("{}.{ext}", ids[0])),
            dir.join(format!("{}.{ext}", ids[1])),
        )
        .unwrap();
    }
    env.sm(&["get", "s"]).fails(5);
    env.sm(&["verify"]).fails(5);
}

#[test]
fn hand_edited_labels_and_metadata_are_caught() {
    let env = TestEnv::new();
    env.put("s", b"old");
    env.put("s", b"new");
    let meta_path = env.secret_dir("s").join("meta.toml");
    let meta = std::fs::read_to_string(&meta_path).unwrap();
    let ids = env.version_ids("s");
    // Roll back by swapping the labels by hand.
    let edited = meta
        .replace(&ids[1], "TMP")
        .replace(&ids[0], &ids[1])
        .replace("TMP", &ids[0]);
    assert_ne!(edited, meta);
    std::fs::write(&meta_path, edited).unwrap();
    env.sm(&["get", "s"]).fails(5).stderr_has("meta.toml");
    env.sm(&["verify"]).fails(5).stderr_has("meta.toml");
    // A description edit is caught as well; garbage gives exit 5, no panic.
    std::fs::write(
        &meta_path,
        meta.replace("name = \"s\"", "name = \"s\"\ndescription = \"x\""),
    )
    .unwrap();
    env.sm(&["get", "s"]).fails(5);
    std::fs::write(&meta_path, "\u{0}\u{1}garbage[[[").unwrap();
    env.sm(&["get", "s"]).fails(5);
    std::fs::write(&meta_path, "").unwrap();
    env.sm(&["get", "s"]).fails(5);
    // Restoring the original makes it readable again.
    std::fs::write(&meta_path, &meta).unwrap();
    assert_eq!(env.get("s"), b"new");
}

#[test]
fn a_version_forged_by_a_non_member_is_caught() {
    // Mallory makes her own store with a secret of the same name and copies
    // her signed files into alice's store.
    let alice = TestEnv::new();
    alice.put("prod/key", b"real");
    let mallory = TestEnv::new();
    // Encrypted to alice, so decryption would succeed if signatures were not checked.
    let alice_recipient = alice.sm(&["identity", "show", "--json"]).success().json()["recipient"]
        .as_str()
        .unwrap()
        .to_string();
    let mallory_store = mallory.store.to_str().unwrap().to_string();
    mallory
        .sm(&[
            "member",
            "add",
            "bob",
            &alice_recipient,
            "--signing-key",
            "ed25519:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        ])
        .fails(2);
    mallory.put("prod/key", b"forged");
    let _ = mallory_store;
    let from = versions_dir(&mallory, "prod/key");
    let to = versions_dir(&alice, "prod/key");
    let id = mallory.version_ids("prod/key")[0].clone();
    for ext in ["age", "toml"] {
        std::fs::copy(
            from.join(format!("{id}.{ext}")),
            to.join(format!("{id}.{ext}")),
        )
        .unwrap();
    }
    alice
        .sm(&["get", "prod/key", "--version", &id])
        .fails(5)
        .stderr_has(&format!("{id}.toml"));
    // Her meta.toml (pointing current at her version) fails as well.
    std::fs::copy(
        mallory.secret_dir("prod/key").join("meta.toml"),
        alice.secret_dir("prod/key").join("meta.toml"),
    )
    .unwrap();
    alice
        .sm(&["get", "prod/key"])
        .fails(5)
        .stderr_has("meta.toml");
    alice.sm(&["verify"]).fails(5);
}

#[test]
fn members_file_and_store_settings_cannot_be_edited_by_hand() {
    let env = TestEnv::new();
    env.put("s", b"v");
    let members_path = env.store.join(".sm/members.toml");
    let members = std::fs::read_to_string(&members_path).unwrap();
    // Mallory appends herself as an admin.
    let mallory = TestEnv::new();
    let show = mallory.sm(&["identity", "show", "--json"]).success().json();
    let forged = format!(
        "{members}\n[[member]]\nname = \"mallory\"\nrecipient = \"{}\"\nsigning_key = \"{}\"\nadmin = true\nadded_by = \"alice\"\nendorsement = \"AAAA\"\n",
        show["recipient"].as_str().unwrap(),
        show["signing_key"].as_str().unwrap()
    );
    // Keep the [signature] table last so the file still parses.
    let (head, sig) = members.split_at(members.find("[signature]").unwrap());
    let forged_members = forged.replacen(&members, head, 1) + sig;
    std::fs::write(&members_path, forged_members).unwrap();
    env.sm(&["get", "s"]).fails(5).stderr_has("members.toml");
    env.sm(&["verify"]).fails(5).stderr_has("members.toml");
    std::fs::write(&members_path, &members).unwrap();
    assert_eq!(env.get("s"), b"v");

    // Adding an extra recipient to store.toml by hand is caught.
    let store_path = env.store.join(".sm/store.toml");
    let store = std::fs::read_to_string(&store_path).unwrap();
    let edited = store.replace(
        "recipients = []",
        &format!("recipients = [\"{}\"]", show["recipient"].as_str().unwrap()),
    );
    assert_ne!(edited, store);
    std::fs::write(&store_path, edited).unwrap();
    env.sm(&["put", "s", "new"])
        .fails(5)
        .stderr_has("store.toml");
    std::fs::write(&store_path, &store).unwrap();
    env.sm(&["verify"]).success();
}

#[test]
fn a_replaced_trust_root_is_refused_by_the_pin() {
    let env = TestEnv::new();
    env.put("s", b"v");
    // Mallory builds a self-consistent store with alice's store id and her
    // own root key, signed with her own identity.
    let store_toml = std::fs::read_to_string(env.store.join(".sm/store.toml")).unwrap();
    let id = store_toml
        .lines()
        .find_map(|l| l.strip_prefix("id = \""))
        .unwrap()
        .trim_end_matches('"')
        .to_string();
    let mallory = TestEnv::bare();
    mallory
        .sm(&[
            "identity",
            "new",
            "--file",
            mallory.identity.to_str().unwrap(),
        ])
        .success();
    let text = std::fs::read_to_string(&mallory.identity).unwrap();
    let identity = sm::crypto::Identity::parse(&text, "test").unwrap();
    use sm::store::files::{Member, MembersFile, SignedFile, StoreFile};
    let mut member = Member {
        name: "alice".into(),
        recipient: identity.recipient().into(),
        signing_key: identity.signing_key(),
        admin: true,
        added_by: "alice".into(),
        endorsement: String::new(),
        removed: None,
    };
    member.endorsement = identity.sign(&member.endorsed_bytes(&id));
    let mut members = MembersFile {
        seq: 0,
        members: vec![member],
        signature: None,
    };
    members.sign(&id, &identity, "alice");
    let mut config = StoreFile {
        format: 1,
        id: id.clone(),
        seq: 0,
        root_key: identity.signing_key(),
        max_versions: 100,
        recipients: vec![],
        primary: None,
        signature: None,
    };
    config.sign(&id, &identity, "alice");
    std::fs::write(
        env.store.join(".sm/members.toml"),
        sm::store::files::to_toml(&members),
    )
    .unwrap();
    std::fs::write(
        env.store.join(".sm/store.toml"),
        sm::store::files::to_toml(&config),
    )
    .unwrap();
    // A format-1 store has no signed header.
    std::fs::remove_file(env.store.join(".sm/header.toml")).unwrap();
    // The files are self-consistent, but this machine pinned alice's root.
    env.sm(&["get", "s"]).fails(5).stderr_has("pinned");
    env.sm(&["verify"]).fails(5).stderr_has("pinned");
}

#[test]
fn second_member_reads_are_attributed_and_logged() {
    let alice = TestEnv::new();
    // Bob has his own identity; he shares alice's store folder.
    let bob_identity = alice.path().join("bob.txt");
    alice
        .sm(&["identity", "new", "--file", bob_identity.to_str().unwrap()])
        .success();
    let mut bob_env = alice.std_cmd();
    bob_env
        .env("SM_IDENTITY_FILE", &bob_identity)
        .args(["identity", "show", "--json"]);
    let show: serde_json::Value =
        serde_json::from_slice(&bob_env.output().unwrap().stdout).unwrap();
    alice.put("before", b"only alice");
    alice
        .sm(&[
            "member",
            "add",
            "bob",
            show["recipient"].as_str().unwrap(),
            "--signing-key",
            show["signing_key"].as_str().unwrap(),
            "--no-rewrap",
        ])
        .success();
    alice
        .sm(&[
            "member",
            "add",
            "bob",
            show["recipient"].as_str().unwrap(),
            "--signing-key",
            show["signing_key"].as_str().unwrap(),
        ])
        .fails(6);
    alice.put("after", b"for both");
    let bob = |args: &[&str]| {
        let mut c = alice.std_cmd();
        c.env("SM_IDENTITY_FILE", &bob_identity).args(args);
        c.output().unwrap()
    };
    let out = bob(&["get", "after"]);
    assert_eq!(
        out.stdout,
        b"for both",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Versions written before bob joined with --no-rewrap are not
    // encrypted to him.
    assert_eq!(bob(&["get", "before"]).status.code(), Some(4));
    // Bob is not an admin.
    assert_eq!(
        bob(&[
            "member",
            "add",
            "eve",
            show["recipient"].as_str().unwrap(),
            "--signing-key",
            show["signing_key"].as_str().unwrap()
        ])
        .status
        .code(),
        Some(4)
    );
    let log = alice
        .sm(&["log", "--actor", "bob", "--json"])
        .success()
        .json();
    let entries = log.as_array().unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["op"], "get");
    assert_eq!(entries[0]["secret"], "after");
    assert_eq!(entries[0]["outcome"], "ok");
    assert_eq!(entries[1]["outcome"], "no_access");
    assert_eq!(alice.log_files("bob").len(), 1);
    alice.sm(&["log", "verify"]).success();
    let members = alice.sm(&["member", "ls", "--json"]).success().json();
    assert_eq!(members.as_array().unwrap().len(), 2);
    assert_eq!(members[1]["added_by"], "alice");
}

#[test]
fn the_log_of_a_scripted_session_is_exact_and_holds_no_values() {
    let env = TestEnv::new();
    env.put("app/pw", b"VALUE-ONE-4f1d");
    env.put("app/pw", b"VALUE-TWO-9c2e");
    env.get("app/pw");
    env.sm(&["get", "app/missing"]).fails(3);
    let ids = env.version_ids("app/pw");
    env.sm(&["label", "app/pw", "current", "--to", &ids[0]])
        .success();
    env.sm(&["rollback", "app/pw"]).success();
    env.sm(&["tag", "app/pw", "env=prod"]).success();
    env.sm(&["rm", "app/pw"]).success();
    env.sm(&["get", "app/pw"]).fails(3);
    env.sm(&["restore", "app/pw"]).success();
    let log = env.sm(&["log", "--json"]).success().json();
    let ops: Vec<(String, String)> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["op"].as_str().unwrap().to_string(),
                e["outcome"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected: Vec<(String, String)> = [
        ("put", "ok"),
        ("put", "ok"),
        ("get", "ok"),
        ("get", "not_found"),
        ("label", "ok"),
        ("rollback", "ok"),
        ("tag", "ok"),
        ("rm", "ok"),
        ("get", "not_found"),
        ("restore", "ok"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(ops, expected);
    for e in log.as_array().unwrap() {
        assert_eq!(e["actor"], "alice");
        assert!(e["time"].as_str().unwrap().ends_with('Z'));
        assert_eq!(e["prev"].as_str().unwrap().len(), 64);
    }
    assert_eq!(log[2]["version"], ids[1].as_str());
    let raw = std::fs::read_to_string(env.log_file("alice")).unwrap();
    assert!(!raw.contains("VALUE-ONE") && !raw.contains("VALUE-TWO"));
    env.sm(&["log", "verify"]).success();
    env.sm(&["log", "app/pw", "--op", "get"])
        .success()
        .stdout_has("not_found");
    env.sm(&["log", "--since", "1h", "--json"]).success();
    env.sm(&["log", "--since", "yesterday-ish"]).fails(2);
    env.sm(&["show", "app/pw"])
        .success()
        .stdout_has("last access:  20")
        .stdout_has("by alice (get)");
}

#[test]
fn log_edits_deletions_reorders_and_insertions_are_caught() {
    let env = TestEnv::new();
    for i in 0..5 {
        env.put(&format!("s{i}"), b"v");
    }
    let path = env.log_file("alice");
    let original = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = original.lines().collect();
    assert_eq!(lines.len(), 5);
    let check = |content: String, bad_line: usize| {
        std::fs::write(&path, content).unwrap();
        let out = env.sm(&["log", "verify"]).fails(5);
        assert!(
            out.stderr().contains(&format!(".jsonl:{bad_line}:")),
            "{}",
            out.stderr()
        );
        env.sm(&["verify"]).fails(5).stderr_has(".sm/log/alice/");
    };
    // Edited: the secret's name in line 3.
    check(original.replacen("\"s2\"", "\"sX\"", 1), 3);
    // Deleted: line 2 removed, line 3 no longer chains.
    check(format!("{}\n{}\n", lines[0], lines[2..].join("\n")), 2);
    // Reordered: lines 4 and 5 swapped.
    check(
        format!("{}\n{}\n{}\n", lines[..3].join("\n"), lines[4], lines[3]),
        4,
    );
    // Inserted: a copy of line 1 after it.
    check(format!("{}\n{}\n", lines[0], lines.join("\n")), 2);
    // The first line deleted (the chain must start at genesis).
    check(format!("{}\n", lines[1..].join("\n")), 1);
    std::fs::write(&path, &original).unwrap();
    env.sm(&["log", "verify"]).success();
}

#[test]
fn concurrent_log_appends_stay_whole_and_chained() {
    let env = TestEnv::new();
    env.put("r", b"v");
    let children: Vec<_> = (0..6)
        .map(|_| {
            env.shell("for i in 1 2 3 4 5 6 7 8 9 10; do \"$SM\" get r >/dev/null || exit 1; done")
                .spawn()
                .unwrap()
        })
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    let out = env.sm(&["log", "verify", "--json"]).success().json();
    assert_eq!(out["entries"], 61);
}

#[test]
fn golden_fixture_store_still_reads_and_verifies() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/golden");
    let env = TestEnv::bare();
    // Work on a copy: reads append to the log.
    let copy = env.path().join("golden");
    copy_dir(&fixture.join("store"), &copy);
    let mut env = env;
    // A private copy of the key: git checks files out 0644, and sm refuses
    // an identity file others may read.
    env.identity = env.path().join("identity.txt");
    std::fs::copy(fixture.join("identity.txt"), &env.identity).unwrap();
    let private = <std::fs::Permissions as std::os::unix::fs::PermissionsExt>::from_mode(0o600);
    std::fs::set_permissions(&env.identity, private).unwrap();
    env.store = copy.clone();
    env.sm(&["verify"]).success();
    env.sm(&["log", "verify"]).success();
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture.join("expected.json")).unwrap())
            .unwrap();
    for (name, value) in expected["current"].as_object().unwrap() {
        assert_eq!(env.get(name), value.as_str().unwrap().as_bytes(), "{name}");
    }
    assert_eq!(
        env.sm(&["get", "db/password", "--label", "previous"])
            .success()
            .0
            .stdout,
        expected["previous_db_password"]
            .as_str()
            .unwrap()
            .as_bytes()
    );
    if have("age", "golden_fixture_store_still_reads_and_verifies") {
        let dir = copy.join("secrets/db/password.secret/versions");
        let age = only_file(&dir, "age");
        let out = std::process::Command::new("age")
            .arg("-d")
            .arg("-i")
            .arg(&env.identity)
            .arg(&age)
            .output()
            .unwrap();
        assert!(out.status.success());
    }
    env.sm(&["verify"]).success();
}
