//! Attack 5 (issue 12): cut the log. carol shortens alice's log (drops the
//! tail, or puts back an older copy) to hide what alice did; the chain that
//! is left is still valid, so only what each machine remembers of the log
//! heads catches it, even after alice appends again.

use std::path::Path;

use crate::attack_setup::{ATTACKER_VALUE, Member, Team, file_name, refused};
use crate::common::{TestEnv, walk};

/// alice writes and reads a few times and publishes; bob verifies the log.
fn alice_worked(team: &Team) {
    let Team {
        alice, bob, carol, ..
    } = team;
    alice.put("prod/db", "db-v1");
    for _ in 0..3 {
        alice.get("prod/db");
    }
    alice.publish("work");
    bob.pull();
    bob.observe();
    carol.pull();
}

#[test]
fn dropping_the_tail_of_a_log_is_refused() {
    let Some(team) = Team::new("dropping_the_tail_of_a_log_is_refused") else {
        return;
    };
    alice_worked(&team);
    let Team {
        alice, bob, carol, ..
    } = &team;
    let log = carol.log_files_of("alice")[0].clone();
    let text = String::from_utf8(carol.read(&log)).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.len() >= 4, "alice's log is too short: {text}");
    let kept = format!("{}\n", lines[..lines.len() - 2].join("\n"));
    carol.write(&log, kept.as_bytes());
    carol.push_attack("shorter log");
    bob.pull();
    let what = &["cut"];
    refused(
        bob.sm(&["log", "verify"]),
        file_name(&log),
        what,
        ATTACKER_VALUE,
    );
    refused(bob.sm(&["verify"]), file_name(&log), what, ATTACKER_VALUE);
    // alice's own machine appended those entries: it notices too.
    alice.pull();
    refused(
        alice.sm(&["get", "prod/db"]),
        file_name(&log),
        what,
        ATTACKER_VALUE,
    );
}

#[test]
fn an_older_copy_of_a_log_appended_to_again_is_refused() {
    let Some(team) = Team::new("an_older_copy_of_a_log_appended_to_again_is_refused") else {
        return;
    };
    let Team {
        alice, bob, carol, ..
    } = &team;
    alice.put("prod/db", "db-v1");
    alice.get("prod/db");
    let older = alice.publish("work");
    // alice's machine is backed up here...
    let config = alice.env.home.join(".config/sm");
    let backup = alice.env.path().join("config-backup");
    copy_private(&config, &backup);
    for _ in 0..2 {
        alice.get("prod/db");
    }
    alice.publish("more work");
    bob.pull();
    bob.observe();
    carol.pull();
    let log = carol.log_files_of("alice")[0].clone();
    carol.replay(&older, &log);
    carol.push_attack("older log");
    // ...and restored after the cut, so alice's machine agrees with it and
    // appends again: the file grows past what bob remembers.
    alice.pull();
    std::fs::remove_dir_all(&config).unwrap();
    copy_private(&backup, &config);
    for _ in 0..4 {
        alice.get("prod/db");
    }
    alice.publish("work after restore");
    bob.pull();
    refused(
        bob.sm(&["log", "verify"]),
        file_name(&log),
        &["cut", "rewritten"],
        ATTACKER_VALUE,
    );
}

#[test]
fn an_older_copy_of_a_log_is_caught_by_verify_history_in_a_fresh_clone() {
    let Some(team) =
        Team::new("an_older_copy_of_a_log_is_caught_by_verify_history_in_a_fresh_clone")
    else {
        return;
    };
    let Team { alice, carol, .. } = &team;
    alice.put("prod/db", "db-v1");
    let older = alice.publish("work");
    alice.get("prod/db");
    alice.get("prod/db");
    alice.publish("more work");
    carol.pull();
    let log = carol.log_files_of("alice")[0].clone();
    carol.replay(&older, &log);
    let attack = carol.push_attack("older log");
    let fresh: Member = team.fresh_clone(&team.bob);
    let run = refused(
        fresh.sm(&["verify", "--history"]),
        file_name(&log),
        &[],
        ATTACKER_VALUE,
    );
    assert!(
        run.stderr().contains(&attack[..7]),
        "the report does not name the commit {attack}: {}",
        run.stderr()
    );
}

/// Copies a folder tree keeping each file's and folder's permissions (a
/// backup and restore of the config folder, which sm keeps private).
fn copy_private(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    std::fs::set_permissions(to, std::fs::metadata(from).unwrap().permissions()).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_private(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// This machine's one log-head mark (`seen/<key>/logs/<key>`).
fn the_mark(env: &TestEnv) -> std::path::PathBuf {
    let marks: Vec<_> = walk(&env.home.join(".config/sm/seen"))
        .into_iter()
        .filter(|p| p.parent().and_then(|d| d.file_name()) == Some("logs".as_ref()))
        .collect();
    assert_eq!(marks.len(), 1, "log-head marks: {marks:?}");
    marks.into_iter().next().unwrap()
}

/// The mark's count and head, read as TOML (as any sm reads it).
fn read_mark(mark: &Path) -> (u64, String) {
    let text = std::fs::read_to_string(mark).unwrap();
    let value: toml::Value = toml::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text:?}"));
    (
        value["count"].as_integer().unwrap() as u64,
        value["head"].as_str().unwrap().to_string(),
    )
}

/// Rewrites the mark as other TOML of the same fields (keys in another
/// order, a comment), as another writer may leave it.
fn write_other_toml(mark: &Path) -> (u64, String) {
    let text = std::fs::read_to_string(mark).unwrap();
    let value: toml::Value = toml::from_str(&text).unwrap();
    let (count, head) = read_mark(mark);
    let other = format!(
        "# written elsewhere\nhead = '{head}'\ncount = {count}\npath = '{}'\n",
        value["path"].as_str().unwrap()
    );
    std::fs::write(mark, other).unwrap();
    (count, head)
}

#[test]
fn a_mark_in_other_toml_is_read_continued_and_still_catches_a_cut() {
    let env = TestEnv::new();
    env.put("prod/db", b"db-v1").success();
    for _ in 0..3 {
        assert_eq!(env.get("prod/db"), b"db-v1");
    }
    let mark = the_mark(&env);
    // The mark is TOML any sm reads (an older one beside a newer one).
    let (count, _) = read_mark(&mark);
    // A mark in other TOML is read, and the next append continues it.
    write_other_toml(&mark);
    assert_eq!(env.get("prod/db"), b"db-v1");
    let text = std::fs::read_to_string(&mark).unwrap();
    assert!(
        text.starts_with("path = \"") && read_mark(&mark).0 == count + 1,
        "the mark was not carried on: {text:?}"
    );
    // A log cut behind that mark's back is still reported.
    write_other_toml(&mark);
    let log = env.log_file("alice");
    let text = std::fs::read_to_string(&log).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    std::fs::write(&log, format!("{}\n", lines[..lines.len() - 2].join("\n"))).unwrap();
    env.sm(&["get", "prod/db"]).fails(5).stderr_has("cut");
    env.sm(&["log", "verify"]).fails(5).stderr_has("cut");
}
