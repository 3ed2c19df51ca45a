//! The store: round trips, labels, pruning, limits, deletion, idempotent
//! version ids, import, gen, the personal store and the files on disk.

use crate::common::{TestEnv, have, walk};

#[test]
fn text_round_trip_is_exact_and_has_no_added_newline() {
    let env = TestEnv::new();
    env.put("app/token", b"s3cr3t value\twith tab");
    assert_eq!(env.get("app/token"), b"s3cr3t value\twith tab");
    // From standard input, exactly one final newline is dropped.
    env.put("app/multi", b"line1\nline2\n\n");
    assert_eq!(env.get("app/multi"), b"line1\nline2\n");
    // The value as an argument and from a file.
    env.sm(&["put", "arg", "from-arg"]).success();
    assert_eq!(env.get("arg"), b"from-arg");
    let file = env.path().join("value.txt");
    std::fs::write(&file, b"from-file").unwrap();
    env.sm(&["put", "file", "--file", file.to_str().unwrap()])
        .success();
    assert_eq!(env.get("file"), b"from-file");
}

#[test]
fn binary_round_trip_and_json_output() {
    let env = TestEnv::new();
    let bytes: Vec<u8> = (0..=255u8).chain([0, 0, 255]).collect();
    env.sm_in(&["put", "bin", "--stdin", "--binary"], &bytes)
        .success();
    assert_eq!(env.get("bin"), bytes);
    let json = env.sm(&["get", "bin", "--json"]).success().json();
    use base64::Engine;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(json["value_base64"].as_str().unwrap())
        .unwrap();
    assert_eq!(decoded, bytes);
    assert!(json.get("value").is_none());
    env.put("text", b"plain");
    let json = env.sm(&["get", "text", "--json"]).success().json();
    assert_eq!(json["value"], "plain");
    assert_eq!(json["name"], "text");
    assert_eq!(json["labels"], serde_json::json!(["current"]));
    assert!(json["version_id"].as_str().unwrap().len() >= 32);
    assert!(json["created"].as_str().unwrap().ends_with('Z'));
}

#[test]
fn json_secret_fields() {
    let env = TestEnv::new();
    env.put(
        "prod/db",
        br#"{"username":"app","password":"p@ss","port":5432,"opts":{"ssl":true}}"#,
    );
    assert_eq!(env.get("prod/db#username"), b"app");
    assert_eq!(env.get("prod/db#password"), b"p@ss");
    assert_eq!(env.get("prod/db#port"), b"5432");
    assert_eq!(env.get("prod/db#opts"), br#"{"ssl":true}"#);
    env.sm(&["get", "prod/db#missing"])
        .fails(3)
        .stderr_has("no field");
    env.put("plain", b"not json");
    env.sm(&["get", "plain#field"]).fails(2);
}

#[test]
fn labels_follow_the_staging_rules() {
    let env = TestEnv::new();
    env.put("s", b"v1");
    env.put("s", b"v2");
    env.put("s", b"v3");
    let ids = env.version_ids("s");
    assert_eq!(ids.len(), 3);
    assert_eq!(env.get("s"), b"v3");
    assert_eq!(
        env.sm(&["get", "s", "--label", "previous"])
            .success()
            .0
            .stdout,
        b"v2"
    );
    assert_eq!(
        env.sm(&["get", "s", "--label", "AWSPREVIOUS"])
            .success()
            .0
            .stdout,
        b"v2"
    );
    assert_eq!(
        env.sm(&["get", "s", "--version", &ids[0]])
            .success()
            .0
            .stdout,
        b"v1"
    );

    // Moving current by hand moves previous to the old current.
    env.sm(&["label", "s", "AWSCURRENT", "--to", &ids[0]])
        .success();
    assert_eq!(env.get("s"), b"v1");
    assert_eq!(
        env.sm(&["get", "s", "--label", "previous"])
            .success()
            .0
            .stdout,
        b"v3"
    );

    // Rollback makes previous current again.
    env.sm(&["rollback", "s"]).success();
    assert_eq!(env.get("s"), b"v3");
    assert_eq!(
        env.sm(&["get", "s", "--label", "previous"])
            .success()
            .0
            .stdout,
        b"v1"
    );

    // Custom labels; a version may carry several.
    env.sm(&["label", "s", "blue.v2_x-1", "--to", &ids[1]])
        .success();
    assert_eq!(
        env.sm(&["get", "s", "--label", "blue.v2_x-1"])
            .success()
            .0
            .stdout,
        b"v2"
    );
    let versions = env.sm(&["versions", "s", "--json"]).success().json();
    let arr = versions.as_array().unwrap();
    assert_eq!(arr.len(), 3);
    assert_eq!(arr[0]["version_id"], ids[2].as_str(), "newest first");
    assert_eq!(arr[0]["labels"], serde_json::json!(["current"]));
    assert_eq!(arr[0]["author"], "alice");
    env.sm(&["label", "s", "blue.v2_x-1", "--remove"]).success();
    env.sm(&["get", "s", "--label", "blue.v2_x-1"]).fails(3);

    // current can be moved, not removed; bad labels and unknown versions.
    env.sm(&["label", "s", "current", "--remove"]).fails(2);
    env.sm(&["label", "s", "bad/label", "--to", &ids[0]])
        .fails(2);
    env.sm(&["label", "s", &"x".repeat(257), "--to", &ids[0]])
        .fails(2);
    env.sm(&["label", "s", "x", "--to", "no-such-version"])
        .fails(3);

    // put --label pending stages a version without moving current.
    env.sm_in(&["put", "s", "--stdin", "--label", "AWSPENDING"], b"v4")
        .success();
    assert_eq!(env.get("s"), b"v3");
    assert_eq!(
        env.sm(&["get", "s", "--label", "pending"])
            .success()
            .0
            .stdout,
        b"v4"
    );
}

#[test]
fn unlabelled_versions_are_pruned_oldest_first_and_labelled_ones_kept() {
    let env = TestEnv::new();
    // Lower max_versions is a signed store setting; test the default of 100
    // with a pinned label on the very first version.
    env.put("p", b"first");
    let first = env.version_ids("p")[0].clone();
    env.sm(&["label", "p", "keep", "--to", &first]).success();
    for i in 0..104 {
        env.sm(&["put", "p", &format!("v{i}")]).success();
    }
    let ids = env.version_ids("p");
    assert_eq!(ids.len(), 100, "kept exactly max_versions");
    assert!(ids.contains(&first), "a labelled version is never pruned");
    assert_eq!(env.get("p"), b"v103");
    assert_eq!(
        env.sm(&["get", "p", "--label", "previous"])
            .success()
            .0
            .stdout,
        b"v102"
    );
    env.sm(&["verify"]).success();
}

#[test]
fn names_and_sizes_are_validated() {
    let env = TestEnv::new();
    for bad in [
        "/abs",
        "trailing/",
        "a//b",
        "../escape",
        "a/../../b",
        "./x",
        "sp ace",
        "semi;colon",
        "x.secret",
        "",
    ] {
        env.sm(&["put", bad, "v"])
            .fails(2)
            .stderr_has("invalid secret name");
    }
    env.sm(&["put", &"n".repeat(513), "v"]).fails(2);
    env.sm(&["get", "../../etc/passwd"]).fails(2);
    // Allowed characters.
    env.sm(&["put", "a-Z_0.9/+=@x", "v"]).success();
    // Size limit: exactly 65536 bytes fits, one more does not.
    env.sm_in(&["put", "big", "--stdin"], &vec![b'a'; 65_536])
        .success();
    env.sm_in(&["put", "big", "--stdin"], &vec![b'a'; 65_537])
        .fails(2)
        .stderr_has("65536");
    env.sm_in(&["put", "empty", "--stdin"], b"").fails(2);
    // Nothing escaped the store.
    assert!(!env.path().join("escape.secret").exists());
}

#[test]
fn not_found_cases_exit_3() {
    let env = TestEnv::new();
    env.sm(&["get", "nope"])
        .fails(3)
        .stderr_has("no secret named `nope`")
        .stderr_has("hint:");
    env.put("x", b"1");
    env.sm(&["get", "x", "--label", "previous"]).fails(3);
    env.sm(&[
        "get",
        "x",
        "--version",
        "0190aaaa-0000-7000-8000-000000000000",
    ])
    .fails(3);
    env.sm(&["rollback", "x"]).fails(3);
    env.sm(&["versions", "nope"]).fails(3);
    env.sm(&["show", "nope"]).fails(3);
}

#[test]
fn version_id_is_idempotent() {
    let env = TestEnv::new();
    env.sm_in(&["put", "k", "--stdin", "--version-id", "req-1"], b"one")
        .success();
    let again = env
        .sm_in(
            &["put", "k", "--stdin", "--version-id", "req-1", "--json"],
            b"one",
        )
        .success()
        .json();
    assert_eq!(again["unchanged"], true);
    assert_eq!(env.version_ids("k"), vec!["req-1".to_string()]);
    env.sm_in(&["put", "k", "--stdin", "--version-id", "req-1"], b"two")
        .fails(6);
    assert_eq!(env.get("k"), b"one");
    env.sm_in(&["put", "k", "--stdin", "--version-id", "../x"], b"two")
        .fails(2);
}

#[test]
fn deletion_window_restore_force_and_purge() {
    let env = TestEnv::new();
    env.put("gone", b"1");
    env.put("kept", b"2");
    env.sm(&["rm", "gone", "--recovery-days", "7"]).success();
    env.sm(&["get", "gone"])
        .fails(3)
        .stderr_has("scheduled for deletion")
        .stderr_has("sm restore gone");
    env.sm(&["put", "gone", "x"]).fails(3);
    let ls = env.sm(&["ls", "--json"]).success().json();
    let names: Vec<&str> = ls
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["kept"]);
    env.sm(&["ls", "--deleted"]).success().stdout_has("gone");
    env.sm(&["restore", "gone"]).success();
    assert_eq!(env.get("gone"), b"1");
    env.sm(&["rm", "gone", "--recovery-days", "31"]).fails(2);
    env.sm(&["rm", "gone", "--recovery-days", "6"]).fails(2);

    // purge removes only what is past its window (SM_NOW moves the clock).
    env.sm(&["rm", "gone"]).success();
    env.sm(&["purge"]).success();
    assert!(
        env.secret_dir("gone").exists(),
        "still inside the 30-day window"
    );
    let mut later = TestEnv {
        vars: vec![("SM_NOW".into(), "2999-01-01T00:00:00Z".into())],
        ..env
    };
    later.sm(&["purge"]).success().stdout_has("gone");
    // A purge leaves only a signed tombstone (a deletion every clone can
    // tell from a folder removed by hand).
    let left: Vec<_> = std::fs::read_dir(later.secret_dir("gone"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(left, ["tombstone.toml"]);
    later
        .sm(&["get", "gone"])
        .fails(3)
        .stderr_has("was deleted");
    later.vars.clear();
    later.sm(&["restore", "gone"]).fails(3);

    later.put("now", b"1");
    later.sm(&["rm", "now", "--force"]).success();
    assert!(!later.secret_dir("now").join("meta.toml").exists());
    assert!(!later.secret_dir("now").join("versions").exists());
    later.sm(&["get", "now"]).fails(3).stderr_has("was deleted");
    // A name deleted before is created again, its sequence continuing the
    // tombstone's.
    later.put("now", b"again");
    assert_eq!(later.get("now"), b"again");
    assert!(!later.secret_dir("now").join("tombstone.toml").exists());
    assert!(
        later
            .read("secrets/now.secret/meta.toml")
            .contains("seq = 3")
    );
    assert_eq!(later.get("kept"), b"2");
}

#[test]
fn metadata_commands_and_listing() {
    let env = TestEnv::new();
    env.sm(&[
        "put",
        "prod/api-key",
        "k1",
        "--description",
        "Payment API",
        "--tag",
        "env=prod",
        "--tag",
        "team=pay",
    ])
    .success();
    env.sm(&["put", "dev/api-key", "k2", "--tag", "env=dev"])
        .success();
    env.sm(&["tag", "dev/api-key", "owner=me"]).success();
    env.sm(&["untag", "dev/api-key", "env"]).success();
    env.sm(&["describe", "dev/api-key", "Dev key"]).success();
    let show = env.sm(&["show", "dev/api-key", "--json"]).success().json();
    assert_eq!(show["description"], "Dev key");
    assert_eq!(show["tags"], serde_json::json!({"owner": "me"}));
    let ls = env
        .sm(&["ls", "--tag", "env=prod", "--json"])
        .success()
        .json();
    assert_eq!(ls.as_array().unwrap().len(), 1);
    assert_eq!(ls[0]["name"], "prod/api-key");
    assert_eq!(ls[0]["description"], "Payment API");
    let ls = env.sm(&["ls", "dev/", "--json"]).success().json();
    assert_eq!(ls.as_array().unwrap().len(), 1);
    let text = env.sm(&["ls"]).success().stdout();
    assert!(text.starts_with("NAME"), "{text}");
    assert!(text.contains("dev/api-key") && text.contains("prod/api-key"));
    env.sm(&["show", "prod/api-key"])
        .success()
        .stdout_has("Payment API")
        .stdout_has("tag:          env=prod");
    env.sm(&["tag", "prod/api-key", "no-equals"]).fails(2);
    // `sm ls | head -1` ends quietly.
    let out = env.shell("\"$SM\" ls | head -c 1").output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}

#[test]
fn gen_follows_the_rules() {
    let env = TestEnv::bare();
    let pw = env.sm(&["gen"]).success().0.stdout;
    assert_eq!(pw.len(), 32, "no newline off a terminal");
    let pw = String::from_utf8(
        env.sm(&[
            "gen",
            "--length",
            "64",
            "--no-punctuation",
            "--exclude-chars",
            "abcABC012",
        ])
        .success()
        .0
        .stdout,
    )
    .unwrap();
    assert_eq!(pw.len(), 64);
    assert!(
        pw.chars()
            .all(|c| c.is_ascii_alphanumeric() && !"abcABC012".contains(c))
    );
    let digits = String::from_utf8(
        env.sm(&[
            "gen",
            "--length",
            "20",
            "--no-uppercase",
            "--no-lowercase",
            "--no-punctuation",
        ])
        .success()
        .0
        .stdout,
    )
    .unwrap();
    assert!(digits.chars().all(|c| c.is_ascii_digit()));
    let spaced = String::from_utf8(
        env.sm(&[
            "gen",
            "--length",
            "5",
            "--include-space",
            "--no-numbers",
            "--no-punctuation",
            "--no-uppercase",
        ])
        .success()
        .0
        .stdout,
    )
    .unwrap();
    assert!(spaced.contains(' '));
    env.sm(&["gen", "--length", "0"]).fails(2);
    env.sm(&["gen", "--length", "4097"]).fails(2);
    env.sm(&["gen", "--length", "3"]).fails(2);
    env.sm(&["gen", "--length", "1", "--no-require-each"])
        .success();
    env.sm(&[
        "gen",
        "--no-numbers",
        "--no-punctuation",
        "--no-uppercase",
        "--no-lowercase",
    ])
    .fails(2);
    let a = env.sm(&["gen"]).success().0.stdout;
    let b = env.sm(&["gen"]).success().0.stdout;
    assert_ne!(a, b);
}

#[test]
fn import_dotenv_and_json() {
    let env = TestEnv::new();
    let dotenv = env.path().join("app.env");
    std::fs::write(
        &dotenv,
        "# app\nDB_URL=postgres://u:p@h/db\nexport API_KEY='k e y'\nMULTI=\"a\\nb\"\n",
    )
    .unwrap();
    env.sm(&["import", dotenv.to_str().unwrap(), "--prefix", "app"])
        .success();
    assert_eq!(env.get("app/DB_URL"), b"postgres://u:p@h/db");
    assert_eq!(env.get("app/API_KEY"), b"k e y");
    assert_eq!(env.get("app/MULTI"), b"a\nb");
    let json = env.path().join("s.json");
    std::fs::write(&json, r#"{"svc/a": "1", "svc/b": {"user": "x"}}"#).unwrap();
    env.sm(&["import", json.to_str().unwrap()]).success();
    assert_eq!(env.get("svc/a"), b"1");
    assert_eq!(env.get("svc/b#user"), b"x");
    // Validation happens before anything is written.
    let bad = env.path().join("bad.env");
    std::fs::write(&bad, "GOOD=1\nBAD NAME=2\n").unwrap();
    env.sm(&["import", bad.to_str().unwrap(), "--prefix", "bad"])
        .fails(2)
        .stderr_has("bad.env:2");
    env.sm(&["get", "bad/GOOD"]).fails(3);
    let log = env
        .sm(&["log", "--op", "import", "--json"])
        .success()
        .json();
    assert_eq!(log.as_array().unwrap().len(), 5);
    env.sm(&["verify"]).success();
}

#[test]
fn files_on_disk_are_deterministic_encrypted_and_age_readable() {
    let env = TestEnv::new();
    env.put("team/pw", b"correct horse battery staple");
    let dir = env.secret_dir("team/pw");
    let id = env.version_ids("team/pw")[0].clone();
    let age_file = dir.join("versions").join(format!("{id}.age"));
    let armored = std::fs::read_to_string(&age_file).unwrap();
    assert!(armored.starts_with("-----BEGIN AGE ENCRYPTED FILE-----"));
    // No plaintext anywhere under the store.
    for entry in walk(&env.store) {
        let bytes = std::fs::read(&entry).unwrap();
        assert!(
            !contains(&bytes, b"correct horse"),
            "plaintext in {}",
            entry.display()
        );
    }
    // The standard age tool decrypts it to exactly the value.
    if have(
        "age",
        "files_on_disk_are_deterministic_encrypted_and_age_readable",
    ) {
        let out = std::process::Command::new("age")
            .args(["-d", "-i"])
            .arg(&env.identity)
            .arg(&age_file)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(out.stdout, b"correct horse battery staple");
    }
    // A put changes only that secret's folder and the log.
    let before = snapshot(&env.store);
    env.put("other", b"x");
    let after = snapshot(&env.store);
    for (path, content) in &before {
        if !path.contains("/.sm/log/") && !path.contains("/.sm/locks/") {
            assert_eq!(after.get(path), Some(content), "{path} changed");
        }
    }
    let meta = env.read("secrets/team/pw.secret/meta.toml");
    assert!(meta.starts_with("name = \"team/pw\"\n"), "{meta}");
}

#[test]
fn personal_store_is_created_on_first_write() {
    let env = TestEnv::bare();
    // No identity and no store: reading says what to do.
    let mut env = env;
    env.identity = env.path().join("missing-identity.txt");
    env.sm(&["get", "x"]).fails(3).stderr_has("sm put NAME");
    // A write creates an identity (in the config folder, since the flag file
    // is missing we drop the variable) and the personal store.
    let mut cmd = env.cmd();
    cmd.env_remove("SM_IDENTITY_FILE")
        .args(["put", "hello", "world"]);
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("created your personal store"), "{stderr}");
    let store = env.home.join(".local/share/sm/store");
    assert!(store.join(".sm/store.toml").is_file());
    let identity = env.home.join(".config/sm/identity.txt");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&identity).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let mut cmd = env.cmd();
    let out = cmd
        .env_remove("SM_IDENTITY_FILE")
        .args(["get", "hello"])
        .output()
        .unwrap();
    assert_eq!(out.stdout, b"world");
}

#[test]
fn concurrent_writers_lose_nothing() {
    let env = TestEnv::new();
    env.put("shared", b"seed");
    let mut children = Vec::new();
    for w in 0..8 {
        // A shell loop per writer: 10 puts each, values on stdin.
        let script = format!(
            "for i in 0 1 2 3 4 5 6 7 8 9; do printf 'w{w}-%s' $i | \"$SM\" --quiet put shared --stdin || exit 1; done"
        );
        children.push(env.shell(&script).spawn().unwrap());
    }
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    let ids = env.version_ids("shared");
    assert_eq!(ids.len(), 81, "8 writers x 10 versions + the seed");
    let versions = env.sm(&["versions", "shared", "--json"]).success().json();
    let labelled: Vec<_> = versions
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| !v["labels"].as_array().unwrap().is_empty())
        .collect();
    assert_eq!(labelled.len(), 2, "exactly one current and one previous");
    env.sm(&["verify"]).success();
    env.sm(&["log", "verify"]).success();
    let puts = env
        .sm(&["log", "shared", "--op", "put", "--json"])
        .success()
        .json();
    assert_eq!(puts.as_array().unwrap().len(), 81);
}

#[test]
fn kill_9_leaves_a_readable_store_and_doctor_cleans_up() {
    let env = TestEnv::new();
    env.put("crash", b"initial");
    for i in 0..25u64 {
        let mut cmd = env.std_cmd();
        cmd.args(["--quiet", "put", "crash", &format!("value-{i}")]);
        let mut child = cmd.spawn().unwrap();
        std::thread::sleep(std::time::Duration::from_micros(500 + (i * 997) % 6000));
        let _ = child.kill();
        let _ = child.wait();
        let value = env.get("crash");
        assert!(
            value == b"initial" || value.starts_with(b"value-"),
            "unreadable after kill {i}"
        );
    }
    env.sm(&["doctor"]).success();
    env.sm(&["verify"]).success();
    // No temp files remain anywhere after doctor.
    for entry in walk(&env.store) {
        assert!(
            !entry.to_string_lossy().contains(".tmp-"),
            "leftover {}",
            entry.display()
        );
    }
}

#[test]
fn identity_show_and_new() {
    let env = TestEnv::new();
    let show = env.sm(&["identity", "show", "--json"]).success().json();
    assert!(show["recipient"].as_str().unwrap().starts_with("age1"));
    assert!(
        show["signing_key"]
            .as_str()
            .unwrap()
            .starts_with("ed25519:")
    );
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&env.identity)
            .unwrap()
            .permissions()
            .mode()
            & 0o777,
        0o600
    );
    // Never overwrite an identity.
    env.sm(&["identity", "new", "--file", env.identity.to_str().unwrap()])
        .fails(6);
    // SM_IDENTITY holds the key text itself (for CI).
    let key = std::fs::read_to_string(&env.identity).unwrap();
    let mut cmd = env.cmd();
    cmd.env_remove("SM_IDENTITY_FILE")
        .env("SM_IDENTITY", key)
        .args(["identity", "show", "--json"]);
    let out = cmd.output().unwrap();
    let again: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(again, show);
    // A passphrase-protected identity off a terminal fails with exit 4.
    let protected = env.path().join("protected.age");
    std::fs::write(
        &protected,
        "-----BEGIN AGE ENCRYPTED FILE-----\nYWdl\n-----END AGE ENCRYPTED FILE-----\n",
    )
    .unwrap();
    // Private, as sm requires of an identity file (see perms.rs).
    std::fs::set_permissions(&protected, std::fs::Permissions::from_mode(0o600)).unwrap();
    env.sm(&[
        "--identity",
        protected.to_str().unwrap(),
        "identity",
        "show",
    ])
    .fails(4)
    .stderr_has("sm agent start");
    // Garbage and missing identities are exit 4.
    let junk = env.path().join("junk.txt");
    std::fs::write(&junk, "not a key").unwrap();
    env.sm(&["--identity", junk.to_str().unwrap(), "get", "x"])
        .fails(4);
    env.sm(&["--identity", "/nonexistent/key", "get", "x"])
        .fails(4);
}

#[test]
fn ssh_keys_work_as_identity_and_recipient() {
    if !have("ssh-keygen", "ssh_keys_work_as_identity_and_recipient") {
        return;
    }
    let env = TestEnv::bare();
    let key = env.path().join("id_ed25519");
    let st = std::process::Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-f"])
        .arg(&key)
        .status()
        .unwrap();
    assert!(st.success());
    let mut env = env;
    env.identity = key.clone();
    env.sm(&["init", env.store.to_str().unwrap(), "--name", "sshuser"])
        .success();
    env.put("k", b"via ssh");
    assert_eq!(env.get("k"), b"via ssh");
    let show = env.sm(&["identity", "show", "--json"]).success().json();
    assert!(
        show["recipient"]
            .as_str()
            .unwrap()
            .starts_with("ssh-ed25519 ")
    );
}

#[test]
fn store_discovery_and_flags() {
    let env = TestEnv::new();
    env.put("found", b"1");
    // From a subfolder, the nearest parent holding .sm/ is used.
    let sub = env.store.join("deep/er");
    std::fs::create_dir_all(&sub).unwrap();
    let out = env
        .cmd()
        .current_dir(&sub)
        .args(["get", "found"])
        .output()
        .unwrap();
    assert_eq!(out.stdout, b"1");
    // --store and SM_STORE point elsewhere.
    let other = env.path().join("other");
    env.sm(&["init", other.to_str().unwrap(), "--name", "alice"])
        .success();
    env.sm(&["--store", other.to_str().unwrap(), "get", "found"])
        .fails(3);
    let out = env
        .cmd()
        .env("SM_STORE", &other)
        .args(["get", "found"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    env.sm(&["init", other.to_str().unwrap()]).fails(6);
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn snapshot(dir: &std::path::Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walk(dir)
        .into_iter()
        .map(|p| (p.to_string_lossy().into_owned(), std::fs::read(&p).unwrap()))
        .collect()
}

#[test]
fn doctor_removes_a_torn_log_line_and_the_chain_verifies_again() {
    let env = TestEnv::new();
    env.put("a", b"1");
    env.put("b", b"2");
    let log = env.log_file("alice");
    let mut content = std::fs::read(&log).unwrap();
    // A writer killed mid-append leaves half a line.
    content.extend_from_slice(b"{\"time\":\"2026-");
    std::fs::write(&log, &content).unwrap();
    env.sm(&["log", "verify"]).fails(5).stderr_has("incomplete");
    env.sm(&["doctor"]).success().stdout_has("repaired");
    env.sm(&["log", "verify"]).success();
    // The next append after a torn line leaves it in place (reads never
    // cut a log) and continues the chain from the last whole entry; doctor
    // then removes the torn line and the chain verifies again.
    std::fs::write(&log, &content).unwrap();
    env.put("c", b"3");
    assert!(std::fs::read(&log).unwrap().starts_with(&content));
    env.sm(&["log", "verify"]).fails(5).stderr_has("line");
    env.sm(&["doctor"]).success().stdout_has("repaired");
    env.sm(&["log", "verify"]).success();
}

#[test]
fn edit_uses_a_private_file_outside_the_store_and_removes_it() {
    let env = TestEnv::new();
    env.put("e", b"old value");
    let record = env.path().join("editor-saw.txt");
    let editor = env.path().join("editor.sh");
    std::fs::write(
        &editor,
        format!(
            "#!/bin/sh\nprintf '%s %s %s\\n' \"$1\" \"$(stat -c %a \"$1\")\" \"$(cat \"$1\")\" > {}\nprintf 'new value\\n' > \"$1\"\n",
            record.display()
        ),
    )
    .unwrap();
    let mut cmd = env.cmd();
    cmd.env("EDITOR", format!("sh {}", editor.display()))
        .args(["edit", "e"]);
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let saw = std::fs::read_to_string(&record).unwrap();
    let mut parts = saw.splitn(3, ' ');
    let path = std::path::PathBuf::from(parts.next().unwrap());
    assert_eq!(parts.next().unwrap(), "600");
    assert_eq!(parts.next().unwrap().trim_end(), "old value");
    assert!(
        !path.starts_with(&env.store),
        "edited inside the store: {}",
        path.display()
    );
    assert!(!path.exists(), "the scratch file was left behind");
    assert!(
        !path.parent().unwrap().exists(),
        "the scratch folder was left behind"
    );
    // The newline the editor added is dropped, as the old value had none.
    assert_eq!(env.get("e"), b"new value");
    assert_eq!(env.version_ids("e").len(), 2);

    // An editor that changes nothing saves nothing; a failing editor saves
    // nothing and still removes the file.
    let mut cmd = env.cmd();
    cmd.env("EDITOR", "true").args(["edit", "e"]);
    assert!(cmd.output().unwrap().status.success());
    assert_eq!(env.version_ids("e").len(), 2);
    let mut cmd = env.cmd();
    cmd.env(
        "EDITOR",
        format!("sh -c 'echo \"$1\" > {}; exit 3' sh", record.display()),
    )
    .args(["edit", "e"]);
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let path = std::fs::read_to_string(&record).unwrap();
    assert!(!std::path::Path::new(path.trim()).exists());
    assert_eq!(env.version_ids("e").len(), 2);
}
