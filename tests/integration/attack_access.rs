//! Attack 2 (issue 12): undo access rules. alice narrows who reads
//! `prod/**` (carol loses it); carol puts back the older, wider rules, or
//! deletes `access.toml` so that every member reads everything again.

use crate::attack_setup::{ATTACKER_VALUE, Team, nothing_new_for, readable_by, refused};

/// alice lets everyone read `prod/**`, then narrows it to alice and bob;
/// bob pulls and reads. Returns the commit with the wide rule.
fn rules_narrowed(team: &Team) -> String {
    let Team {
        alice, bob, carol, ..
    } = team;
    alice
        .sm(&[
            "access",
            "set",
            "prod/**",
            "--read",
            "alice,bob,carol",
            "--write",
            "alice,bob",
        ])
        .success();
    alice.put("prod/db", "db-v1");
    let wide = alice.publish("wide rules");
    alice
        .sm(&[
            "access",
            "set",
            "prod/**",
            "--read",
            "alice,bob",
            "--write",
            "alice,bob",
        ])
        .success();
    alice.sm(&["rewrap"]).success();
    alice.publish("narrow rules");
    bob.pull();
    assert_eq!(bob.get("prod/db"), "db-v1");
    bob.observe();
    carol.pull();
    wide
}

/// bob's reads and writes after the attack are refused naming
/// `access.toml`, and nothing new is encrypted to carol.
fn bob_refuses(team: &Team, what: &[&str]) {
    let Team { bob, carol, .. } = team;
    bob.pull();
    let before = readable_by(bob.clone_dir(), carol);
    refused(
        bob.sm(&["get", "prod/db"]),
        "access.toml",
        what,
        ATTACKER_VALUE,
    );
    refused(bob.sm(&["verify"]), "access.toml", what, ATTACKER_VALUE);
    refused(
        bob.sm_in(&["put", "prod/db", "--stdin"], b"db-v2"),
        "access.toml",
        what,
        ATTACKER_VALUE,
    );
    refused(
        bob.sm_in(&["put", "prod/other", "--stdin"], b"other"),
        "access.toml",
        what,
        ATTACKER_VALUE,
    );
    nothing_new_for(bob.clone_dir(), carol, &before);
}

#[test]
fn replaying_older_access_rules_is_refused() {
    let Some(team) = Team::new("replaying_older_access_rules_is_refused") else {
        return;
    };
    let wide = rules_narrowed(&team);
    team.carol.replay(&wide, ".sm/access.toml");
    team.carol.push_attack("rules");
    bob_refuses(&team, &[]);
}

#[test]
fn replaying_older_access_rules_with_their_header_is_a_rollback() {
    let Some(team) = Team::new("replaying_older_access_rules_with_their_header_is_a_rollback")
    else {
        return;
    };
    let wide = rules_narrowed(&team);
    team.carol.replay(&wide, ".sm/access.toml");
    team.carol.replay(&wide, ".sm/header.toml");
    team.carol.push_attack("rules");
    let Team { bob, .. } = &team;
    bob.pull();
    refused(
        bob.sm(&["get", "prod/db"]),
        "header.toml",
        &["rolled back"],
        ATTACKER_VALUE,
    );
    refused(
        bob.sm_in(&["put", "prod/db", "--stdin"], b"db-v2"),
        "header.toml",
        &["rolled back"],
        ATTACKER_VALUE,
    );
}

#[test]
fn deleting_access_toml_is_refused() {
    let Some(team) = Team::new("deleting_access_toml_is_refused") else {
        return;
    };
    rules_narrowed(&team);
    team.carol.git(&["rm", "-q", ".sm/access.toml"]);
    team.carol.push_attack("no rules");
    bob_refuses(&team, &["missing", "header", "not listed", "deleted"]);
}
