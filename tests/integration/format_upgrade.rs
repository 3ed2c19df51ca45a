//! Format 1 stores (the golden fixture) still open, and move to format 2
//! (signed header, sequences, tombstones) on an admin's first write or
//! `sm doctor --upgrade`, saying so once; after that the header binds them.

use std::path::Path;

use crate::common::TestEnv;
use crate::teams::copy_dir;

/// A copy of the format-1 golden store with its identity, in a sealed env.
fn golden() -> TestEnv {
    fixture("golden")
}

/// A copy of the golden store `name` (under tests/fixtures) with its
/// identity, in a sealed env.
fn fixture(name: &str) -> TestEnv {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let mut env = TestEnv::bare();
    let copy = env.path().join("golden");
    copy_dir(&fixture.join("store"), &copy);
    env.identity = env.path().join("identity.txt");
    std::fs::copy(fixture.join("identity.txt"), &env.identity).unwrap();
    let private = <std::fs::Permissions as std::os::unix::fs::PermissionsExt>::from_mode(0o600);
    std::fs::set_permissions(&env.identity, private).unwrap();
    env.store = copy;
    env
}

#[test]
fn a_format_1_store_reads_and_says_an_admin_should_upgrade_it() {
    let env = golden();
    env.sm(&["verify"])
        .success()
        .stderr_has("format 1")
        .stderr_has("sm doctor --upgrade");
    assert_eq!(env.get("db/password"), b"second-db-password");
    assert!(
        !env.store.join(".sm/header.toml").exists(),
        "reads change no format"
    );
}

#[test]
fn doctor_upgrade_signs_a_header_and_the_store_stays_readable() {
    let env = golden();
    let old_store_toml = env.read(".sm/store.toml");
    env.sm(&["doctor", "--upgrade"])
        .success()
        .stdout_has("upgraded the store to format 2");
    assert!(env.read(".sm/store.toml").contains("format = 2"));
    let header = env.read(".sm/header.toml");
    assert!(header.contains("seq = 1") && header.contains("\"members.toml\""));
    let verified = env.sm(&["verify"]).success();
    assert!(
        !verified.stderr().contains("format 1"),
        "{}",
        verified.stderr()
    );
    assert_eq!(env.get("db/password"), b"second-db-password");
    env.sm(&["doctor", "--upgrade"])
        .success()
        .stderr_has("already at format 2");
    // The old, format-1 store.toml replayed over the upgraded one is
    // caught by the header: no downgrade.
    std::fs::write(env.store.join(".sm/store.toml"), old_store_toml).unwrap();
    env.sm(&["get", "db/password"])
        .fails(5)
        .stderr_has("store.toml")
        .stderr_has("signed header");
    env.sm(&["verify"]).fails(5);
}

#[test]
fn an_admins_first_write_upgrades_once_and_lists_versions_from_then_on() {
    let env = golden();
    env.put("new/one", b"1")
        .success()
        .stderr_has("upgraded the store");
    let second = env.put("new/two", b"2").success();
    assert!(!second.stderr().contains("upgraded"), "said once");
    // Metadata written since carries a sequence and its version list; the
    // old secrets' files keep format 1 until their next write.
    let meta = env.read("secrets/new/one.secret/meta.toml");
    assert!(
        meta.contains("seq = 1") && meta.contains("versions = ["),
        "{meta}"
    );
    env.put("db/password", b"third").success();
    let meta = env.read("secrets/db/password.secret/meta.toml");
    assert!(meta.contains("seq = 1"), "{meta}");
    let on_disk = env.version_ids("db/password");
    assert_eq!(on_disk.len(), 3);
    for id in &on_disk {
        assert!(meta.contains(id.as_str()), "{id} listed: {meta}");
    }
    env.sm(&["verify"]).success();
    // Deleting the header of an upgraded store is caught.
    std::fs::remove_file(env.store.join(".sm/header.toml")).unwrap();
    env.sm(&["get", "new/one"])
        .fails(5)
        .stderr_has("header.toml")
        .stderr_has("missing");
}

#[test]
fn golden_format_2_store_still_reads_and_verifies() {
    let env = fixture("golden2");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/golden2");
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture.join("expected.json")).unwrap())
            .unwrap();
    let verified = env.sm(&["verify"]).success();
    assert!(
        !verified.stderr().contains("format 1"),
        "{}",
        verified.stderr()
    );
    env.sm(&["log", "verify"]).success();
    for (name, value) in expected["current"].as_object().unwrap() {
        assert_eq!(env.get(name), value.as_str().unwrap().as_bytes(), "{name}");
    }
    let previous = env
        .sm(&["get", "db/password", "--label", "previous"])
        .success();
    assert_eq!(
        previous.0.stdout,
        expected["previous_db_password"]
            .as_str()
            .unwrap()
            .as_bytes()
    );
    let deleted = expected["deleted"].as_str().unwrap();
    env.sm(&["get", deleted]).fails(3).stderr_has("was deleted");
    // Writing continues the sequences; the store stays at format 2.
    env.put("db/password", b"third").success();
    assert!(
        env.read("secrets/db/password.secret/meta.toml")
            .contains("seq = 3")
    );
    env.sm(&["verify"]).success();
}
