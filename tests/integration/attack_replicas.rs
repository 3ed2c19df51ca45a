//! Attack 8 (issue 12): add a replica for the attacker. carol, who may not
//! read `prod/**`, makes a replica store of her own with the real sm and
//! lists it in the team's `.sm/replicas.toml` by hand (unsigned); the next
//! `sm replica sync` by alice must refuse before it copies anything.

use crate::attack_setup::{ATTACKER_VALUE, Team, age_files, readable_by, refused};

#[test]
fn an_unsigned_replica_for_the_attacker_is_refused_before_any_sync() {
    let Some(team) = Team::new("an_unsigned_replica_for_the_attacker_is_refused_before_any_sync")
    else {
        return;
    };
    replica_for_carol(&team, false);
}

#[test]
fn an_attackers_replica_added_to_an_honest_list_is_refused_before_any_sync() {
    let Some(team) =
        Team::new("an_attackers_replica_added_to_an_honest_list_is_refused_before_any_sync")
    else {
        return;
    };
    replica_for_carol(&team, true);
}

/// The attack; with `honest_replica`, alice already keeps a replica for bob
/// (so `replicas.toml` exists and is signed) and carol appends hers.
fn replica_for_carol(team: &Team, honest_replica: bool) {
    let Team {
        alice, bob, carol, ..
    } = team;
    alice
        .sm(&[
            "access",
            "set",
            "prod/**",
            "--read",
            "alice,bob",
            "--write",
            "alice",
        ])
        .success();
    alice.put("prod/db", "db-secret");
    if honest_replica {
        let dr = alice.env.path().join("dr");
        alice
            .sm(&["replica", "add", dr.to_str().unwrap(), "--members", "bob"])
            .success();
        alice.sm(&["replica", "sync"]).success();
    }
    alice.publish("prod/db");
    alice.observe();
    bob.pull();
    bob.observe();
    carol.pull();
    carol.sm(&["get", "prod/db"]).fails(4);

    // carol's replica: made by the real sm from a scratch store of hers,
    // so its members.toml is genuinely signed. alice is a member too, so
    // that alice's sync can write there; carol reads whatever arrives.
    let scratch = carol.env.path().join("scratch");
    let evil = carol.env.path().join("evil-replica");
    carol
        .sm(&["init", scratch.to_str().unwrap(), "--name", "carol"])
        .success();
    carol.add_member_at(&scratch, alice, false);
    carol
        .sm_at(
            &scratch,
            &[
                "replica",
                "add",
                evil.to_str().unwrap(),
                "--members",
                "carol,alice",
            ],
            b"",
        )
        .success();
    let evil = evil.canonicalize().unwrap();

    // The hand edit: one more [[replica]] in the team's list.
    assert_eq!(
        carol.clone_dir().join(".sm/replicas.toml").exists(),
        honest_replica
    );
    let mut list =
        std::fs::read_to_string(carol.clone_dir().join(".sm/replicas.toml")).unwrap_or_default();
    list.push_str(&format!(
        "\n[[replica]]\npath = {:?}\nprefixes = []\nmembers = [\"alice\", \"carol\"]\n",
        evil.to_str().unwrap()
    ));
    carol.write(".sm/replicas.toml", list.as_bytes());
    carol.push_attack("replica");

    alice.pull();
    let before = age_files(&evil);
    refused(
        alice.sm(&["replica", "sync"]),
        "replicas.toml",
        &[],
        "db-secret",
    );
    refused(
        alice.sm(&["replica", "status"]),
        "replicas.toml",
        &[],
        "db-secret",
    );
    refused(
        alice.sm(&["get", "prod/db"]),
        "replicas.toml",
        &[],
        ATTACKER_VALUE,
    );
    assert_eq!(age_files(&evil), before, "the sync copied into the replica");
    assert!(
        readable_by(&evil, carol).is_empty(),
        "carol reads a copy of the team's secrets"
    );
    assert!(
        !evil.join("secrets/prod/db.secret").exists(),
        "prod/db reached carol's replica"
    );
}
