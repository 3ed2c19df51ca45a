//! Replicas and freshness (SPEC section 3): the replica list is an admin's
//! signed team file, a replica carries the primary's read rules, and a sync
//! compares the values of the versions both sides hold.

use crate::common::TestEnv;
use crate::teams::{add_member, sm_at};

#[test]
fn a_tampered_replica_list_is_refused_before_anything_is_copied() {
    let env = TestEnv::new();
    add_member(&env, "bob", false);
    env.put("prod/db", b"p1");
    let dr = env.path().join("dr");
    env.sm(&["replica", "add", dr.to_str().unwrap(), "--members", "bob"])
        .success();
    let list = env.read(".sm/replicas.toml");
    assert!(list.contains("[signature]"), "{list}");
    assert!(list.contains("root_key = "), "{list}");
    // The attacker adds a replica of their own by hand (unsigned).
    let evil = env.path().join("evil");
    env.sm(&["init", evil.to_str().unwrap(), "--name", "alice"])
        .success();
    let entry = |dir: &std::path::Path| {
        let store = std::fs::read_to_string(dir.join(".sm/store.toml")).unwrap();
        let field = |k: &str| {
            store
                .lines()
                .find_map(|l| l.strip_prefix(&format!("{k} = ")))
                .unwrap()
                .to_string()
        };
        format!(
            "\n[[replica]]\npath = \"{}\"\nid = {}\nroot_key = {}\nmembers = []\n",
            dir.display(),
            field("id"),
            field("root_key")
        )
    };
    let head = list.split("[signature]").next().unwrap().to_string();
    std::fs::write(env.store.join(".sm/replicas.toml"), head + &entry(&evil)).unwrap();
    env.sm(&["replica", "sync"])
        .fails(5)
        .stderr_has("replicas.toml");
    assert!(
        !evil.join("secrets/prod").exists(),
        "copied to the attacker"
    );
    assert!(!dr.join("secrets/prod").exists(), "copied before the check");
}

#[test]
fn a_replica_folder_holding_another_store_is_refused() {
    let env = TestEnv::new();
    env.put("prod/db", b"p1");
    let dr = env.path().join("dr");
    env.sm(&["replica", "add", dr.to_str().unwrap()]).success();
    // The folder is swapped for another replica store.
    std::fs::remove_dir_all(&dr).unwrap();
    env.sm(&[
        "init",
        env.path().join("p2").to_str().unwrap(),
        "--name",
        "alice",
    ])
    .success();
    env.sm(&[
        "--store",
        env.path().join("p2").to_str().unwrap(),
        "replica",
        "add",
        dr.to_str().unwrap(),
    ])
    .success();
    env.sm(&["replica", "sync"])
        .fails(5)
        .stderr_has("a different store");
    env.sm(&["replica", "status"])
        .fails(5)
        .stderr_has("a different store");
    assert!(!dr.join("secrets/prod").exists());
}

#[test]
fn a_replica_member_reads_only_what_the_primary_lets_them_read() {
    let env = TestEnv::new();
    let bob = add_member(&env, "bob", false);
    let carol = add_member(&env, "carol", false);
    env.sm(&[
        "access",
        "set",
        "prod/**",
        "--read",
        "alice,carol",
        "--write",
        "alice",
    ])
    .success();
    env.put("prod/db", b"p1");
    env.put("dev/x", b"dx");
    let dr = env.path().join("dr");
    env.sm(&[
        "replica",
        "add",
        dr.to_str().unwrap(),
        "--members",
        "bob,carol",
    ])
    .success();
    env.sm(&["replica", "sync"]).success();
    assert_eq!(
        sm_at(&env, &dr, &carol.identity, &["get", "prod/db"])
            .success()
            .0
            .stdout,
        b"p1"
    );
    // Bob is a replica member, but the primary does not let him read it.
    sm_at(&env, &dr, &bob.identity, &["get", "prod/db"]).fails(4);
    assert_eq!(
        sm_at(&env, &dr, &bob.identity, &["get", "dev/x"])
            .success()
            .0
            .stdout,
        b"dx"
    );
    sm_at(&env, &dr, &carol.identity, &["verify"]).success();
    // Writes stay refused there, whoever tries.
    let id = sm_at(&env, &dr, &carol.identity, &["--json", "get", "prod/db"])
        .success()
        .json()["version_id"]
        .as_str()
        .unwrap()
        .to_string();
    for args in [
        &["label", "prod/db", "blue", "--to", &id][..],
        &["rm", "dev/x"][..],
        &["tag", "dev/x", "k=v"][..],
    ] {
        sm_at(&env, &dr, &env.identity, args).fails(4);
    }
    // The primary's rules change: the next sync carries them over.
    env.sm(&[
        "access",
        "set",
        "prod/**",
        "--read",
        "alice,bob",
        "--write",
        "alice",
    ])
    .success();
    env.sm(&["replica", "sync"]).success();
    assert_eq!(
        sm_at(&env, &dr, &bob.identity, &["get", "prod/db"])
            .success()
            .0
            .stdout,
        b"p1"
    );
    sm_at(&env, &dr, &carol.identity, &["get", "prod/db"]).fails(4);
}

#[test]
fn a_planted_version_under_a_copied_id_is_reported_and_replaced() {
    let env = TestEnv::new();
    let bob = add_member(&env, "bob", false);
    env.put("prod/db", b"genuine");
    let id = env.sm(&["--json", "get", "prod/db"]).success().json()["version_id"]
        .as_str()
        .unwrap()
        .to_string();
    let dr = env.path().join("dr");
    env.sm(&["replica", "add", dr.to_str().unwrap(), "--members", "bob"])
        .success();
    // Before the first sync, a validly signed version with another value
    // is planted in the replica under the id the primary will copy (here
    // through a second primary that adopts the same replica).
    let p2 = env.path().join("p2");
    let p2s = p2.to_str().unwrap();
    env.sm(&["init", p2s, "--name", "alice"]).success();
    env.sm_in(
        &[
            "--store",
            p2s,
            "put",
            "prod/db",
            "--stdin",
            "--version-id",
            &id,
        ],
        b"forged",
    )
    .success();
    env.sm(&["--store", p2s, "replica", "add", dr.to_str().unwrap()])
        .success();
    env.sm(&["--store", p2s, "replica", "sync"]).success();
    assert_eq!(
        sm_at(&env, &dr, &bob.identity, &["get", "prod/db"])
            .success()
            .0
            .stdout,
        b"forged"
    );

    env.sm(&["replica", "sync"])
        .fails(5)
        .stderr_has("forged replica version")
        .stderr_has(&format!("{id}.toml"));
    // Not kept: the replica now holds the primary's value under that id.
    assert_eq!(
        sm_at(&env, &dr, &bob.identity, &["get", "prod/db"])
            .success()
            .0
            .stdout,
        b"genuine"
    );
    sm_at(&env, &dr, &bob.identity, &["verify"]).success();
    env.sm(&["replica", "sync"]).success();
}

#[test]
fn an_unsigned_replica_list_is_refused_even_without_a_header() {
    // A format-1 store has no header to bind the list: its own signature
    // must hold.
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/golden");
    let mut env = TestEnv::bare();
    let copy = env.path().join("golden");
    crate::teams::copy_dir(&fixture.join("store"), &copy);
    env.identity = env.path().join("identity.txt");
    std::fs::copy(fixture.join("identity.txt"), &env.identity).unwrap();
    let private = <std::fs::Permissions as std::os::unix::fs::PermissionsExt>::from_mode(0o600);
    std::fs::set_permissions(&env.identity, private).unwrap();
    env.store = copy.clone();
    let evil = env.path().join("evil");
    env.sm(&["init", evil.to_str().unwrap(), "--name", "mallory"])
        .success();
    let store = std::fs::read_to_string(evil.join(".sm/store.toml")).unwrap();
    let field = |k: &str| {
        store
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{k} = ")))
            .unwrap()
            .to_string()
    };
    std::fs::write(
        copy.join(".sm/replicas.toml"),
        format!(
            "[[replica]]\npath = \"{}\"\nid = {}\nroot_key = {}\nmembers = []\n",
            evil.display(),
            field("id"),
            field("root_key")
        ),
    )
    .unwrap();
    env.sm(&["replica", "sync"])
        .fails(5)
        .stderr_has("replicas.toml")
        .stderr_has("not signed");
    env.sm(&["replica", "status"]).fails(5);
    assert!(
        evil.join("secrets").read_dir().unwrap().next().is_none(),
        "copied"
    );
}
