//! Attack 6 (issue 12): substitute the store. carol makes a store of her
//! own with the real sm (herself its root, alice and bob added from their
//! public keys so everything decrypts for them), swaps it in for `.sm/` and
//! `secrets/` and pushes. Every signature in it is genuine; only the
//! location pins of bob's machine can tell.

use crate::attack_setup::{
    ATTACKER_VALUE, Member, Team, age_files, nothing_new_for, readable_by, refused,
};

/// carol's own store, made elsewhere with alice and bob as members and
/// `prod/db` holding the attacker's value.
fn carols_store(team: &Team) -> std::path::PathBuf {
    let Team {
        alice, bob, carol, ..
    } = team;
    let evil = carol.env.path().join("evil");
    carol
        .sm(&["init", evil.to_str().unwrap(), "--name", "carol"])
        .success();
    carol.add_member_at(&evil, alice, true);
    carol.add_member_at(&evil, bob, false);
    carol
        .sm_at(
            &evil,
            &["put", "prod/db", "--stdin"],
            ATTACKER_VALUE.as_bytes(),
        )
        .success();
    evil
}

/// carol swaps her store in for the team's and pushes.
fn substituted(team: &Team) {
    let Team {
        alice, bob, carol, ..
    } = team;
    alice.put("prod/db", "db-v1");
    alice.publish("prod/db");
    bob.pull();
    assert_eq!(bob.get("prod/db"), "db-v1");
    bob.observe();
    carol.pull();
    let evil = carols_store(team);
    carol.git(&["rm", "-r", "-q", ".sm", "secrets"]);
    for dir in [".sm", "secrets"] {
        crate::teams::copy_dir(&evil.join(dir), &carol.clone_dir().join(dir));
    }
    carol.push_attack("swap");
    bob.pull();
}

#[test]
fn a_substituted_store_is_refused_as_a_different_store() {
    let Some(team) = Team::new("a_substituted_store_is_refused_as_a_different_store") else {
        return;
    };
    substituted(&team);
    let Team { bob, .. } = &team;
    let what = &["different store"];
    let run = refused(bob.sm(&["get", "prod/db"]), "store", what, ATTACKER_VALUE);
    assert!(
        run.stderr().contains("--reset-trust") || run.stderr().contains("reset-trust"),
        "no way to accept deliberately: {}",
        run.stderr()
    );
    refused(bob.sm(&["ls"]), "store", what, ATTACKER_VALUE);
    refused(bob.sm(&["verify"]), "store", what, ATTACKER_VALUE);
    refused(
        bob.sm(&["env", "-s", "prod/db"]),
        "store",
        what,
        ATTACKER_VALUE,
    );
    refused(
        bob.sm(&["exec", "-s", "prod/db", "--", "printenv", "PROD_DB"]),
        "store",
        what,
        ATTACKER_VALUE,
    );
    refused(
        bob.sm_in(&["inject"], b"db={{ sm://prod/db }}"),
        "store",
        what,
        ATTACKER_VALUE,
    );
}

#[test]
fn a_victims_put_into_a_substituted_store_writes_nothing() {
    let Some(team) = Team::new("a_victims_put_into_a_substituted_store_writes_nothing") else {
        return;
    };
    substituted(&team);
    let Team { bob, carol, .. } = &team;
    let before_files = age_files(bob.clone_dir());
    let before = readable_by(bob.clone_dir(), carol);
    refused(
        bob.sm_in(&["put", "prod/api", "--stdin"], b"bob-api-key"),
        "store",
        &["different store"],
        ATTACKER_VALUE,
    );
    refused(
        bob.sm_in(&["put", "prod/db", "--stdin"], b"db-v2"),
        "store",
        &["different store"],
        ATTACKER_VALUE,
    );
    nothing_new_for(bob.clone_dir(), carol, &before);
    assert_eq!(age_files(bob.clone_dir()), before_files, "bob's put wrote");
}

#[test]
fn a_substituted_store_is_refused_on_a_new_clone_at_a_known_remote() {
    let Some(team) = Team::new("a_substituted_store_is_refused_on_a_new_clone_at_a_known_remote")
    else {
        return;
    };
    substituted(&team);
    let Team { bob, .. } = &team;
    // A second clone on bob's machine (a new path, the same remote URL).
    let second = bob.env.path().join("second");
    let out = bob
        .git_cmd_in(bob.env.path())
        .args([
            "clone",
            "-q",
            team.remote.to_str().unwrap(),
            second.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let mut env = crate::common::TestEnv::bare();
    std::fs::remove_dir_all(&env.home).unwrap();
    env.home = bob.env.home.clone();
    std::fs::copy(&bob.env.identity, &env.identity).unwrap();
    env.store = second;
    let at_second = Member { name: "bob", env };
    refused(
        at_second.sm(&["get", "prod/db"]),
        "store",
        &["different store"],
        ATTACKER_VALUE,
    );
}
