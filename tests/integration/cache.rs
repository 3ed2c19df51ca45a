//! The local read cache: sealed and private, used by get/exec/scan, and
//! never able to hide a change to the store.

use std::os::unix::fs::PermissionsExt as _;
use std::path::PathBuf;

use crate::common::{TestEnv, walk};

const VALUE: &[u8] = b"cache-probe-value-0123456789";

fn cache_dir(env: &TestEnv) -> PathBuf {
    env.path().join("home/.cache/sm")
}

/// The per-secret entry files of the store's cache (not the header mark,
/// not the identity's public parts).
fn entries(env: &TestEnv) -> Vec<PathBuf> {
    let dir = cache_dir(env);
    if !dir.exists() {
        return Vec::new();
    }
    walk(&dir)
        .into_iter()
        .filter(|p| !p.components().any(|c| c.as_os_str() == "identities"))
        .filter(|p| p.file_name().is_some_and(|n| n != "header"))
        .collect()
}

#[test]
fn cache_is_private_sealed_and_answers_repeated_reads() {
    let env = TestEnv::new();
    env.put("app/db", VALUE).success();
    assert_eq!(env.get("app/db"), VALUE);
    let files = walk(&cache_dir(&env));
    assert!(files.len() >= 3, "header, identity and entry: {files:?}");
    for file in &files {
        let mode = std::fs::metadata(file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", file.display());
        let bytes = std::fs::read(file).unwrap();
        assert!(
            !bytes.windows(16).any(|w| w == &VALUE[..16]),
            "plaintext in {}",
            file.display()
        );
        let mut dir = file.parent().unwrap();
        while dir != cache_dir(&env).parent().unwrap() {
            let mode = std::fs::metadata(dir).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o700, "{}", dir.display());
            dir = dir.parent().unwrap();
        }
    }
    let entry = entries(&env);
    assert_eq!(entry.len(), 1, "{entry:?}");
    let sealed = std::fs::read(&entry[0]).unwrap();

    // A hit leaves the entry as it is; a damaged entry is a miss that reads
    // the store again and seals a fresh entry.
    assert_eq!(env.get("app/db"), VALUE);
    assert_eq!(
        std::fs::read(&entry[0]).unwrap(),
        sealed,
        "a hit rewrote the entry"
    );
    let mut damaged = sealed.clone();
    let last = damaged.len() - 1;
    damaged[last] ^= 0x55;
    std::fs::write(&entry[0], &damaged).unwrap();
    assert_eq!(env.get("app/db"), VALUE);
    let resealed = std::fs::read(&entry[0]).unwrap();
    assert_ne!(resealed, damaged);
    assert_ne!(resealed, sealed, "fresh nonce");

    // JSON output and fields come through the cache the same way.
    env.put(
        "app/json",
        br#"{"user":"u","password":"cache-probe-field-value"}"#,
    )
    .success();
    env.sm(&["get", "app/json#password"]).success();
    let out = env.sm(&["get", "app/json#password"]).success();
    assert_eq!(out.stdout(), "cache-probe-field-value");
    let json = env.sm(&["get", "--json", "app/db"]).success().json();
    assert_eq!(json["value"], String::from_utf8(VALUE.to_vec()).unwrap());
}

#[test]
fn cache_never_hides_a_change_to_the_store() {
    let env = TestEnv::new();
    env.put("db", b"first-value-123").success();
    env.put("db", b"second-value-456").success();
    env.put("other", b"other-value-789").success();
    // Fill the cache with both labelled versions and the header.
    assert_eq!(env.get("db"), b"second-value-456");
    env.sm(&["get", "db", "--label", "previous"]).success();
    env.get("other");

    let meta = env.secret_dir("db").join("meta.toml");
    let meta_text = std::fs::read_to_string(&meta).unwrap();
    let ids = env.version_ids("db");
    assert_eq!(ids.len(), 2);

    // A label moved by hand: the signature over meta.toml breaks.
    let current = env.sm(&["get", "--json", "db"]).success().json()["version_id"]
        .as_str()
        .unwrap()
        .to_string();
    let previous = ids.iter().find(|id| **id != current).unwrap().clone();
    let edited = meta_text.replace(
        &format!("current = \"{current}\""),
        &format!("current = \"{previous}\""),
    );
    assert_ne!(edited, meta_text);
    std::fs::write(&meta, edited).unwrap();
    env.sm(&["get", "db"]).fails(5).stderr_has("meta.toml");
    std::fs::write(&meta, &meta_text).unwrap();
    assert_eq!(env.get("db"), b"second-value-456");

    // A ciphertext swapped for another valid one: the signed hash breaks.
    let versions = env.secret_dir("db").join("versions");
    let cur_age = versions.join(format!("{current}.age"));
    let prev_age = versions.join(format!("{previous}.age"));
    let saved = std::fs::read(&cur_age).unwrap();
    std::fs::copy(&prev_age, &cur_age).unwrap();
    env.sm(&["get", "db"]).fails(5).stderr_has(".age");
    std::fs::write(&cur_age, &saved).unwrap();

    // A record edited by hand.
    let record = versions.join(format!("{current}.toml"));
    let record_text = std::fs::read_to_string(&record).unwrap();
    std::fs::write(
        &record,
        record_text.replacen("created = \"", "created = \"1", 1),
    )
    .unwrap();
    env.sm(&["get", "db"]).fails(5);
    std::fs::write(&record, &record_text).unwrap();

    // members.toml edited by hand: the whole header is checked again.
    let members = env.store.join(".sm/members.toml");
    let members_text = std::fs::read_to_string(&members).unwrap();
    std::fs::write(
        &members,
        members_text.replace("admin = true", "admin = false"),
    )
    .unwrap();
    env.sm(&["get", "other"])
        .fails(5)
        .stderr_has("members.toml");
    std::fs::write(&members, &members_text).unwrap();

    // A deleted secret is not served from the cache.
    env.sm(&["rm", "other"]).success();
    env.sm(&["get", "other"]).fails(3);

    assert_eq!(env.get("db"), b"second-value-456");
    env.sm(&["verify"]).success();
}

#[test]
fn exec_and_scan_read_through_the_cache() {
    let env = TestEnv::new();
    env.put("app/token", VALUE).success();
    let run = env
        .sm(&[
            "exec",
            "-s",
            "app/token=TOKEN",
            "--",
            "sh",
            "-c",
            "printf %s \"$TOKEN\"",
        ])
        .success();
    assert_eq!(run.stdout().as_bytes(), VALUE);
    assert_eq!(entries(&env).len(), 1);
    let leak = env.path().join("leak.txt");
    std::fs::write(&leak, [b"token = ".as_slice(), VALUE].concat()).unwrap();
    for _ in 0..2 {
        env.sm(&["scan", leak.to_str().unwrap()])
            .fails(1)
            .stdout_has("app/token");
    }
}

#[test]
fn no_cache_writes_nothing() {
    let mut env = TestEnv::new();
    env.vars.push(("SM_NO_CACHE".into(), "1".into()));
    let _ = std::fs::remove_dir_all(cache_dir(&env));
    env.put("a", VALUE).success();
    assert_eq!(env.get("a"), VALUE);
    env.sm(&["exec", "-s", "a", "--", "true"]).success();
    assert!(!cache_dir(&env).exists(), "SM_NO_CACHE=1 wrote a cache");
}

#[test]
fn deletions_drop_their_cache_entries() {
    let env = TestEnv::new();
    env.put("a", b"value-a-123456").success();
    env.put("b", b"value-b-123456").success();
    env.get("a");
    env.get("b");
    assert_eq!(entries(&env).len(), 2);
    env.sm(&["rm", "--force", "a"]).success();
    assert_eq!(entries(&env).len(), 1, "rm --force keeps a's entry");
    env.sm(&["rm", "--recovery-days", "7", "b"]).success();
    let mut purge = env.cmd();
    purge.env("SM_NOW", "2099-01-01T00:00:00Z").arg("purge");
    assert!(purge.output().unwrap().status.success());
    assert_eq!(entries(&env).len(), 0, "purge keeps b's entry");
}

#[test]
fn put_caches_what_it_signed_so_the_next_get_is_a_hit() {
    let env = TestEnv::new();
    env.put("svc/key", VALUE).success();
    let entry = entries(&env);
    assert_eq!(entry.len(), 1, "put left no entry: {entry:?}");
    let sealed = std::fs::read(&entry[0]).unwrap();
    assert_eq!(env.get("svc/key"), VALUE);
    assert_eq!(
        std::fs::read(&entry[0]).unwrap(),
        sealed,
        "the get after a put missed the cache"
    );
    // A second put replaces the entry with the new version; the old one is
    // still labelled previous and reads back (verified) too.
    env.put("svc/key", b"second-cache-probe-value").success();
    assert_eq!(env.get("svc/key"), b"second-cache-probe-value");
    let previous = env.sm(&["get", "svc/key", "--label", "previous"]).success();
    assert_eq!(previous.stdout().as_bytes(), VALUE);
}
