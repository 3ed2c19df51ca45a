//! Attack 1 (issue 12): undo an offboarding. alice removes carol; carol
//! keeps push access to the remote and puts back the members list from
//! before her removal (alone, or with the header of that time), so the next
//! write by anyone would be encrypted to her again.

use crate::attack_setup::{ATTACKER_VALUE, Team, nothing_new_for, readable_by, refused};

/// alice puts `prod/db`, removes carol and publishes; bob pulls and reads.
/// Returns the commit before the removal.
fn carol_offboarded(team: &Team) -> String {
    let Team {
        alice, bob, carol, ..
    } = team;
    alice.put("prod/db", "db-v1");
    let before = alice.publish("prod/db");
    bob.pull();
    bob.observe();
    carol.pull();
    alice.sm(&["member", "rm", "carol"]).success();
    alice.publish("offboard carol");
    bob.pull();
    assert_eq!(bob.get("prod/db"), "db-v1");
    bob.observe();
    carol.pull();
    before
}

/// The victim's reads and writes after the replay: every one refused,
/// naming `file`, and nothing new encrypted to carol.
fn bob_refuses_everything(team: &Team, file: &str, what: &[&str]) {
    let Team { bob, carol, .. } = team;
    bob.pull();
    let before = readable_by(bob.clone_dir(), carol);
    refused(bob.sm(&["get", "prod/db"]), file, what, ATTACKER_VALUE);
    refused(bob.sm(&["ls"]), file, what, ATTACKER_VALUE);
    refused(bob.sm(&["verify"]), file, what, ATTACKER_VALUE);
    refused(
        bob.sm_in(&["put", "prod/new", "--stdin"], b"bob-new"),
        file,
        what,
        ATTACKER_VALUE,
    );
    refused(
        bob.sm_in(&["put", "prod/db", "--stdin"], b"db-v2"),
        file,
        what,
        ATTACKER_VALUE,
    );
    nothing_new_for(bob.clone_dir(), carol, &before);
    assert!(
        !bob.clone_dir().join("secrets/prod/new.secret").exists(),
        "bob's put wrote a secret after the replay"
    );
}

#[test]
fn replaying_members_toml_from_before_a_removal_is_refused() {
    let Some(team) = Team::new("replaying_members_toml_from_before_a_removal_is_refused") else {
        return;
    };
    let before = carol_offboarded(&team);
    team.carol.replay(&before, ".sm/members.toml");
    team.carol.push_attack("members");
    bob_refuses_everything(&team, "members.toml", &[]);
}

#[test]
fn replaying_members_toml_with_its_old_header_is_a_rollback() {
    let Some(team) = Team::new("replaying_members_toml_with_its_old_header_is_a_rollback") else {
        return;
    };
    let before = carol_offboarded(&team);
    team.carol.replay(&before, ".sm/members.toml");
    team.carol.replay(&before, ".sm/header.toml");
    team.carol.push_attack("members");
    bob_refuses_everything(&team, "header.toml", &["rolled back"]);
}

#[test]
fn replaying_the_whole_old_sm_folder_is_a_rollback() {
    let Some(team) = Team::new("replaying_the_whole_old_sm_folder_is_a_rollback") else {
        return;
    };
    let before = carol_offboarded(&team);
    for file in ["members.toml", "header.toml", "store.toml"] {
        team.carol.replay(&before, &format!(".sm/{file}"));
    }
    team.carol.push_attack("team files");
    bob_refuses_everything(&team, "header.toml", &["rolled back"]);
}

#[test]
fn a_replayed_member_writing_with_the_real_sm_is_not_believed() {
    let Some(team) = Team::new("a_replayed_member_writing_with_the_real_sm_is_not_believed") else {
        return;
    };
    let before = carol_offboarded(&team);
    let Team { bob, carol, .. } = &team;
    carol.replay(&before, ".sm/members.toml");
    carol.replay(&before, ".sm/header.toml");
    // carol's own machine remembers the removal; a fresh one does not, so
    // she writes there with the real sm, signed with her own key.
    let forger = carol.on_a_fresh_machine();
    forger
        .sm_in(&["put", "prod/db", "--stdin"], ATTACKER_VALUE.as_bytes())
        .success();
    carol.push_attack("prod/db");
    bob.pull();
    refused(
        bob.sm(&["get", "prod/db"]),
        "header.toml",
        &["rolled back"],
        ATTACKER_VALUE,
    );
    let exec = bob.sm(&["exec", "-s", "prod/db", "--", "printenv", "PROD_DB"]);
    refused(exec, "header.toml", &["rolled back"], ATTACKER_VALUE);
}
