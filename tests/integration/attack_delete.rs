//! Attack 4 (issue 12): delete behind sm's back. carol removes with git a
//! whole secret bob had read, one old version that `meta.toml` still
//! lists, or a member's whole log file.

use crate::attack_setup::{ATTACKER_VALUE, Team, file_name, refused, secret_dir};

#[test]
fn deleting_a_whole_secret_a_victim_had_read_is_refused() {
    let Some(team) = Team::new("deleting_a_whole_secret_a_victim_had_read_is_refused") else {
        return;
    };
    let Team {
        alice, bob, carol, ..
    } = &team;
    alice.put("prod/db", "db-v1");
    alice.put("prod/other", "other");
    alice.publish("secrets");
    bob.pull();
    assert_eq!(bob.get("prod/db"), "db-v1");
    bob.observe();
    carol.pull();
    carol.git(&["rm", "-r", "-q", &secret_dir("prod/db")]);
    carol.push_attack("gone");
    bob.pull();
    let what = &["missing"];
    // Not "no such secret" (exit 3): bob saw it.
    refused(bob.sm(&["get", "prod/db"]), "prod/db", what, ATTACKER_VALUE);
    refused(bob.sm(&["ls"]), "prod/db", what, ATTACKER_VALUE);
    refused(bob.sm(&["verify"]), "prod/db", what, ATTACKER_VALUE);
    refused(
        bob.sm(&["env", "-s", "prod/db"]),
        "prod/db",
        what,
        ATTACKER_VALUE,
    );
}

/// alice puts three versions of `prod/db` (the first is left with no
/// label but listed in `meta.toml`); bob reads. Returns the first id.
fn three_versions(team: &Team) -> String {
    let Team {
        alice, bob, carol, ..
    } = team;
    for v in ["v1", "v2", "v3"] {
        alice.put("prod/db", v);
    }
    alice.publish("three versions");
    bob.pull();
    bob.observe();
    carol.pull();
    let versions = bob.sm(&["--json", "versions", "prod/db"]).success().json();
    let versions = versions.as_array().unwrap();
    assert_eq!(versions.len(), 3);
    let oldest = &versions[2];
    assert_eq!(
        oldest["labels"].as_array().map(Vec::len),
        Some(0),
        "{oldest}"
    );
    oldest["version_id"].as_str().unwrap().to_string()
}

#[test]
fn deleting_an_unlabelled_version_listed_in_meta_toml_is_refused() {
    let Some(team) = Team::new("deleting_an_unlabelled_version_listed_in_meta_toml_is_refused")
    else {
        return;
    };
    let first = three_versions(&team);
    let Team { bob, carol, .. } = &team;
    let dir = secret_dir("prod/db");
    carol.git(&[
        "rm",
        "-q",
        &format!("{dir}/versions/{first}.age"),
        &format!("{dir}/versions/{first}.toml"),
    ]);
    carol.push_attack("prune");
    bob.pull();
    let what = &["missing", "deleted"];
    refused(bob.sm(&["verify"]), &first, what, ATTACKER_VALUE);
    refused(
        bob.sm(&["versions", "prod/db"]),
        &first,
        what,
        ATTACKER_VALUE,
    );
    refused(
        bob.sm(&["get", "prod/db", "--version", &first]),
        &first,
        what,
        ATTACKER_VALUE,
    );
}

#[test]
fn deleting_only_the_ciphertext_of_a_listed_version_is_refused() {
    let Some(team) = Team::new("deleting_only_the_ciphertext_of_a_listed_version_is_refused")
    else {
        return;
    };
    let first = three_versions(&team);
    let Team { bob, carol, .. } = &team;
    let dir = secret_dir("prod/db");
    carol.git(&["rm", "-q", &format!("{dir}/versions/{first}.age")]);
    carol.push_attack("prune");
    bob.pull();
    refused(
        bob.sm(&["verify"]),
        &first,
        &["missing", "deleted"],
        ATTACKER_VALUE,
    );
}

#[test]
fn deleting_a_members_whole_log_file_is_refused() {
    let Some(team) = Team::new("deleting_a_members_whole_log_file_is_refused") else {
        return;
    };
    let Team {
        alice, bob, carol, ..
    } = &team;
    alice.put("prod/db", "db-v1");
    alice.get("prod/db");
    alice.publish("work");
    bob.pull();
    bob.observe();
    carol.pull();
    let logs = carol.log_files_of("alice");
    assert!(!logs.is_empty(), "alice has no log file");
    for log in &logs {
        carol.git(&["rm", "-q", log]);
    }
    carol.push_attack("no log");
    bob.pull();
    let file = file_name(&logs[0]);
    refused(
        bob.sm(&["log", "verify"]),
        file,
        &["missing"],
        ATTACKER_VALUE,
    );
    refused(bob.sm(&["verify"]), file, &["missing"], ATTACKER_VALUE);
}
