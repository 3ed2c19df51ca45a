//! Attack 7 (issue 12): abuse the merge driver. carol pushes a genuinely
//! signed but older `meta.toml` while bob has his own change to the same
//! secret; bob's plain `git pull` runs sm's merge driver, which must leave a
//! conflict (or refuse), never sign the older side as a fresh merge.

use crate::attack_setup::{Team, meta_of};

const OLD: &str = "db-old-leaked";
const NEW: &str = "db-new";

#[test]
fn the_merge_driver_never_signs_a_replayed_older_meta_toml() {
    let Some(team) = Team::new("the_merge_driver_never_signs_a_replayed_older_meta_toml") else {
        return;
    };
    let Team {
        alice, bob, carol, ..
    } = &team;
    alice.put("prod/db", OLD);
    let old = alice.publish("old");
    alice.put("prod/db", NEW);
    alice.publish("new");
    bob.pull();
    bob.observe();
    carol.pull();
    // bob changes the secret's metadata and commits, not yet pushed.
    bob.sm(&["tag", "prod/db", "team=ops"]).success();
    bob.commit_all("tag prod/db");
    // carol replays the older meta.toml on top of the shared history.
    let meta = meta_of("prod/db");
    carol.replay(&old, &meta);
    carol.push_attack("prod/db");

    let pull = bob.git_try(&["pull", "-q", "--no-rebase", "--no-edit", "origin", "main"]);
    let unmerged = bob.git(&["diff", "--name-only", "--diff-filter=U"]);
    assert!(
        !pull.status.success() && unmerged.lines().any(|l| l == meta),
        "the pull did not stop at a conflict on {meta}: exit {:?}, unmerged {unmerged:?}, {}{}",
        pull.status.code(),
        String::from_utf8_lossy(&pull.stdout),
        String::from_utf8_lossy(&pull.stderr)
    );
    // Whatever is in the working tree now, it never reads as the old value.
    let get = bob.sm(&["get", "prod/db"]);
    assert!(
        !get.stdout().contains(OLD),
        "the merge made the old value current: {}",
        get.stdout()
    );
}

#[test]
fn the_merge_driver_refuses_when_run_on_an_older_side_directly() {
    let Some(team) = Team::new("the_merge_driver_refuses_when_run_on_an_older_side_directly")
    else {
        return;
    };
    let Team { alice, bob, .. } = &team;
    alice.put("prod/db", OLD);
    let old = alice.publish("old");
    alice.put("prod/db", NEW);
    let base = alice.publish("new");
    bob.pull();
    bob.observe();
    bob.sm(&["tag", "prod/db", "team=ops"]).success();
    // The three files git would hand the driver: base, ours (bob's), theirs
    // (the replayed older file).
    let meta = meta_of("prod/db");
    let dir = bob.env.path().join("merge");
    std::fs::create_dir_all(&dir).unwrap();
    let (o, a, b) = (dir.join("base"), dir.join("ours"), dir.join("theirs"));
    std::fs::write(&o, bob.show(&base, &meta)).unwrap();
    std::fs::write(&a, bob.read(&meta)).unwrap();
    std::fs::write(&b, bob.show(&old, &meta)).unwrap();
    let ours_before = std::fs::read(&a).unwrap();
    let run = bob.sm(&[
        "merge-driver",
        o.to_str().unwrap(),
        a.to_str().unwrap(),
        b.to_str().unwrap(),
    ]);
    assert_ne!(run.code(), 0, "the driver merged an older side");
    assert!(
        !run.stderr().contains("panicked"),
        "the driver panicked: {}",
        run.stderr()
    );
    let lower = run.stderr().to_lowercase();
    assert!(
        lower.contains("older") || lower.contains("rolled back"),
        "the driver does not say the other side is older: {}",
        run.stderr()
    );
    let ours_after = std::fs::read(&a).unwrap();
    // Refusing leaves ours as it was, or conflict markers for a human.
    assert!(
        ours_after == ours_before || String::from_utf8_lossy(&ours_after).contains("<<<<<<<"),
        "the driver wrote a merge of an older side: {}",
        String::from_utf8_lossy(&ours_after)
    );
}
