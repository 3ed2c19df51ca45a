//! Attack 3 (issue 12): roll a secret back. carol puts back an older,
//! genuinely signed `meta.toml`: `current` returns to an old value (a
//! password that leaked, say), a deletion is cancelled, or a cancelled
//! deletion is scheduled again.

use crate::attack_setup::{Team, meta_of, refused};

const OLD: &str = "db-old-leaked";
const NEW: &str = "db-new";

/// alice puts the old value, then the new one; bob reads the new one.
/// Returns the commit where the old value was current.
fn rotated(team: &Team) -> String {
    let Team {
        alice, bob, carol, ..
    } = team;
    alice.put("prod/db", OLD);
    let old = alice.publish("old");
    alice.put("prod/db", NEW);
    alice.publish("new");
    bob.pull();
    assert_eq!(bob.get("prod/db"), NEW);
    bob.observe();
    carol.pull();
    old
}

#[test]
fn replaying_an_older_meta_toml_is_refused_by_every_read() {
    let Some(team) = Team::new("replaying_an_older_meta_toml_is_refused_by_every_read") else {
        return;
    };
    let old = rotated(&team);
    let Team { bob, carol, .. } = &team;
    carol.replay(&old, &meta_of("prod/db"));
    carol.push_attack("prod/db");
    bob.pull();
    let what = &["rolled back"];
    let file = "prod/db";
    refused(bob.sm(&["get", "prod/db"]), file, what, OLD);
    refused(bob.sm(&["--json", "get", "prod/db"]), file, what, OLD);
    refused(bob.sm(&["env", "-s", "prod/db"]), file, what, OLD);
    refused(
        bob.sm(&["exec", "-s", "prod/db", "--", "printenv", "PROD_DB"]),
        file,
        what,
        OLD,
    );
    refused(
        bob.sm_in(&["inject"], b"db={{ sm://prod/db }}"),
        file,
        what,
        OLD,
    );
    refused(bob.sm(&["ls"]), file, what, OLD);
    refused(bob.sm(&["verify"]), file, what, OLD);
    // A write on top of the replayed file would sign the rollback.
    refused(bob.sm(&["tag", "prod/db", "team=ops"]), file, what, OLD);
}

#[test]
fn replaying_meta_toml_to_cancel_a_deletion_is_refused() {
    let Some(team) = Team::new("replaying_meta_toml_to_cancel_a_deletion_is_refused") else {
        return;
    };
    let Team {
        alice, bob, carol, ..
    } = &team;
    alice.put("prod/old", OLD);
    let live = alice.publish("prod/old");
    alice.sm(&["rm", "prod/old"]).success();
    alice.publish("schedule deletion");
    bob.pull();
    bob.sm(&["get", "prod/old"]).fails(3);
    bob.observe();
    carol.pull();
    carol.replay(&live, &meta_of("prod/old"));
    carol.push_attack("prod/old");
    bob.pull();
    refused(
        bob.sm(&["get", "prod/old"]),
        "prod/old",
        &["rolled back"],
        OLD,
    );
    refused(bob.sm(&["ls"]), "prod/old", &["rolled back"], OLD);
}

#[test]
fn replaying_meta_toml_to_reschedule_a_cancelled_deletion_is_refused() {
    let Some(team) = Team::new("replaying_meta_toml_to_reschedule_a_cancelled_deletion_is_refused")
    else {
        return;
    };
    let Team {
        alice, bob, carol, ..
    } = &team;
    alice.put("prod/keep", "keep-me");
    alice.sm(&["rm", "prod/keep"]).success();
    let scheduled = alice.publish("schedule deletion");
    alice.sm(&["restore", "prod/keep"]).success();
    alice.publish("restore");
    bob.pull();
    assert_eq!(bob.get("prod/keep"), "keep-me");
    bob.observe();
    carol.pull();
    carol.replay(&scheduled, &meta_of("prod/keep"));
    carol.push_attack("prod/keep");
    bob.pull();
    // Not "scheduled for deletion" (exit 3): the deletion is a replay.
    refused(
        bob.sm(&["get", "prod/keep"]),
        "prod/keep",
        &["rolled back"],
        "keep-me",
    );
    // bob's nightly purge, once the replayed deletion date has passed,
    // must not carry it out, and must say why it did not.
    let later = crate::common::Run(
        bob.env
            .cmd()
            .env("SM_NOW", days_from_now(40))
            .arg("purge")
            .output()
            .unwrap(),
    );
    assert!(
        bob.clone_dir().join(meta_of("prod/keep")).exists(),
        "the replayed deletion was carried out"
    );
    refused(later, "prod/keep", &["rolled back"], "keep-me");
}

/// An RFC 3339 UTC time `days` from now (for `SM_NOW`).
fn days_from_now(days: u64) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    rfc3339(now + days * 86_400)
}

/// Formats seconds since the Unix epoch as RFC 3339 UTC.
fn rfc3339(secs: u64) -> String {
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = (secs / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let rem = secs % 86_400;
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3_600,
        rem % 3_600 / 60,
        rem % 60
    )
}

#[test]
fn rfc3339_formats_known_times() {
    assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
    assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
    assert_eq!(rfc3339(1_700_000_000), "2023-11-14T22:13:20Z");
}
