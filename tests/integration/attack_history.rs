//! Replays committed on top of honest history, seen by machines that have
//! no memory to compare with (issue 12): a fresh clone, or a machine that
//! never saw the newer files, runs `sm verify --history`. And the TUF root
//! rule: a removed admin cannot sign a newer header.

use crate::attack_setup::{ATTACKER_VALUE, Member, Team, meta_of, refused};

/// Asserts that `verify --history` in `who`'s clone fails naming `file`
/// and the commit `attack`.
fn history_refuses(who: &Member, file: &str, attack: &str) {
    let run = refused(who.sm(&["verify", "--history"]), file, &[], ATTACKER_VALUE);
    assert!(
        run.stderr().contains(&attack[..7]),
        "the report does not name the commit {attack}: {}",
        run.stderr()
    );
}

/// alice puts `prod/db`, removes carol, publishes. Returns the commit
/// before the removal.
fn carol_removed(team: &Team) -> String {
    let Team { alice, carol, .. } = team;
    alice.put("prod/db", "db-v1");
    let before = alice.publish("prod/db");
    alice.sm(&["member", "rm", "carol"]).success();
    alice.publish("offboard carol");
    carol.pull();
    before
}

#[test]
fn honest_history_passes_verify_history_in_a_fresh_clone() {
    let Some(team) = Team::new("honest_history_passes_verify_history_in_a_fresh_clone") else {
        return;
    };
    let Team { alice, bob, .. } = &team;
    alice.put("prod/db", "db-v1");
    alice.put("prod/tmp", "t");
    alice.publish("secrets");
    bob.pull();
    bob.put("prod/db", "db-v2");
    bob.get("prod/db");
    bob.publish("bob's work");
    // Concurrent work on one secret, merged by the driver.
    alice.sm(&["tag", "prod/db", "team=ops"]).success();
    alice.commit_all("tag");
    bob.sm(&["describe", "prod/db", "the database"]).success();
    bob.publish("describe");
    alice.publish("merge");
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
    alice.sm(&["rm", "prod/tmp", "--force"]).success();
    alice.sm(&["member", "rm", "carol"]).success();
    alice.put("prod/tmp", "t2");
    alice.publish("team changes");
    bob.pull();
    bob.sm(&["verify", "--history"]).success();
    let fresh_bob = team.fresh_clone(bob);
    fresh_bob.sm(&["verify", "--history"]).success();
    fresh_bob.sm(&["verify"]).success();
}

#[test]
fn a_fresh_clone_catches_a_committed_team_replay_with_verify_history() {
    let Some(team) = Team::new("a_fresh_clone_catches_a_committed_team_replay_with_verify_history")
    else {
        return;
    };
    let before = carol_removed(&team);
    let carol = &team.carol;
    carol.replay(&before, ".sm/members.toml");
    carol.replay(&before, ".sm/header.toml");
    let attack = carol.push_attack("members");
    let fresh = team.fresh_clone(&team.bob);
    history_refuses(&fresh, "header.toml", &attack);
}

#[test]
fn a_fresh_clone_catches_a_committed_meta_replay_with_verify_history() {
    let Some(team) = Team::new("a_fresh_clone_catches_a_committed_meta_replay_with_verify_history")
    else {
        return;
    };
    let Team { alice, carol, .. } = &team;
    alice.put("prod/db", "db-old");
    let old = alice.publish("old");
    alice.put("prod/db", "db-new");
    alice.publish("new");
    carol.pull();
    carol.replay(&old, &meta_of("prod/db"));
    let attack = carol.push_attack("prod/db");
    let fresh = team.fresh_clone(&team.bob);
    history_refuses(&fresh, "prod/db", &attack);
}

#[test]
fn a_fresh_clone_catches_a_deleted_secret_with_verify_history() {
    let Some(team) = Team::new("a_fresh_clone_catches_a_deleted_secret_with_verify_history") else {
        return;
    };
    let Team { alice, carol, .. } = &team;
    alice.put("prod/db", "db-v1");
    alice.publish("prod/db");
    carol.pull();
    carol.git(&["rm", "-r", "-q", "secrets/prod/db.secret"]);
    let attack = carol.push_attack("gone");
    let fresh = team.fresh_clone(&team.bob);
    history_refuses(&fresh, "prod/db", &attack);
}

#[test]
fn a_header_replay_the_machine_never_saw_past_is_caught_by_verify_history() {
    let Some(team) =
        Team::new("a_header_replay_the_machine_never_saw_past_is_caught_by_verify_history")
    else {
        return;
    };
    let Team { alice, bob, .. } = &team;
    alice.put("prod/db", "db-v1");
    alice.publish("prod/db");
    bob.pull();
    bob.observe();
    // bob does not pull while alice removes carol and carol replays: the
    // header he remembers is the one carol puts back.
    let before = carol_removed(&team);
    let carol = &team.carol;
    carol.replay(&before, ".sm/members.toml");
    carol.replay(&before, ".sm/header.toml");
    let attack = carol.push_attack("members");
    bob.pull();
    history_refuses(bob, "header.toml", &attack);
}

#[test]
fn a_removed_admin_cannot_sign_a_newer_header() {
    let Some(team) = Team::new("a_removed_admin_cannot_sign_a_newer_header") else {
        return;
    };
    let Team { alice, bob, .. } = &team;
    let dave = team.join("dave", true);
    alice.put("prod/db", "db-v1");
    alice.publish("prod/db");
    dave.pull();
    let before = dave.head();
    bob.pull();
    bob.observe();
    alice.sm(&["member", "rm", "dave"]).success();
    alice.publish("offboard dave");
    bob.pull();
    bob.observe();
    // dave puts back the files that made him an admin and, on a machine
    // with no memory, signs enough team changes to pass bob's sequence.
    dave.pull();
    dave.replay(&before, ".sm/members.toml");
    dave.replay(&before, ".sm/header.toml");
    let forger = dave.on_a_fresh_machine();
    for i in 0..6 {
        forger
            .sm(&["group", "add", &format!("g{i}"), "dave"])
            .success();
    }
    forger
        .sm_in(&["put", "prod/db", "--stdin"], ATTACKER_VALUE.as_bytes())
        .success();
    dave.push_attack("dave is back");
    bob.pull();
    refused(
        bob.sm(&["get", "prod/db"]),
        "header.toml",
        &["admin"],
        ATTACKER_VALUE,
    );
}

/// The honest counterpart of the removed-admin attack: an admin added while
/// bob was away changes the rules; bob's machine, which trusted a header
/// from before that admin existed, follows the chain through git history
/// and accepts the new header.
#[test]
fn an_admin_added_while_away_is_trusted_through_history() {
    let Some(team) = Team::new("an_admin_added_while_away_is_trusted_through_history") else {
        return;
    };
    let Team { alice, bob, .. } = &team;
    alice.put("prod/db", "db-v1");
    alice.publish("prod/db");
    bob.pull();
    bob.observe();
    // While bob is away: alice adds dave as an admin, dave changes groups.
    let dave = team.join("dave", true);
    dave.sm(&["group", "add", "ops", "bob"]).success();
    dave.publish("dave: ops group");
    bob.pull();
    assert_eq!(bob.get("prod/db"), "db-v1");
    bob.sm(&["verify"]).success();
}
