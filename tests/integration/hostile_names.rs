//! Names, ids and counts read from a cloned store are untrusted input
//! (issue 13, item 3 and the content half of item 6): a member renamed
//! `../../../notes` by a malicious admin, signer and group names with `/` or
//! `..`, version ids that are not ids, and a `meta.toml` with 20,000
//! labels. Each is exit 5 naming the file and the field; nothing outside
//! the store changes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sm::crypto::Identity;
use sm::store::files::{self, AccessFile, Group, MembersFile, Meta, SignedFile, StoreFile};

use crate::common::{Run, TestEnv, have};
use crate::teams::{add_member, sm_as};

/// Every file under `dir` with its bytes, `.git` folders left out (git
/// keeps its own bookkeeping); what a run must leave byte-identical.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            let kind = entry.file_type().unwrap();
            if kind.is_dir() {
                if entry.file_name() != ".git" {
                    stack.push(path);
                }
            } else {
                let bytes = if kind.is_symlink() {
                    std::fs::read_link(&path)
                        .unwrap()
                        .into_os_string()
                        .into_encoded_bytes()
                } else {
                    std::fs::read(&path).unwrap()
                };
                out.insert(path, bytes);
            }
        }
    }
    out
}

/// Asserts that nothing under `dir` was created, changed or removed.
fn assert_unchanged(before: &BTreeMap<PathBuf, Vec<u8>>, dir: &Path, what: &str) {
    let after = snapshot(dir);
    let created: Vec<_> = after.keys().filter(|p| !before.contains_key(*p)).collect();
    let removed: Vec<_> = before.keys().filter(|p| !after.contains_key(*p)).collect();
    let changed: Vec<_> = after
        .iter()
        .filter(|(p, b)| before.get(*p).is_some_and(|old| old != *b))
        .map(|(p, _)| p)
        .collect();
    assert!(
        created.is_empty() && removed.is_empty() && changed.is_empty(),
        "{what}: created {created:?}, removed {removed:?}, changed {changed:?}"
    );
}

/// Everything a run printed, on either stream.
fn said(run: &Run) -> String {
    format!("{}{}", run.stdout(), run.stderr())
}

fn identity_of(path: &Path) -> Identity {
    Identity::parse(&std::fs::read_to_string(path).unwrap(), "test").unwrap()
}

fn store_id(store: &Path) -> String {
    let bytes = std::fs::read(store.join(".sm/store.toml")).unwrap();
    files::parse_toml::<StoreFile>(&bytes, Path::new("store.toml"))
        .unwrap()
        .id
}

/// Parses a store file without the load-time checks (the attacker's view).
fn raw<T: serde::de::DeserializeOwned>(path: &Path) -> T {
    toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Runs git in `dir` with a fixed author, failing the test if git fails.
fn git(dir: &Path, args: &[&str]) {
    let out = std::process::Command::new("git")
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn sm_in_dir(env: &TestEnv, dir: &Path, who: &Path, args: &[&str], stdin: &[u8]) -> Run {
    Run(env
        .cmd()
        .current_dir(dir)
        .env("SM_IDENTITY_FILE", who)
        .args(args)
        .write_stdin(stdin.to_vec())
        .output()
        .unwrap())
}

/// A malicious admin renames a member `../../../notes` and signs it all
/// properly; the victim pulls. Before, the victim's next `sm get` opened
/// `.sm/log/../../../notes.jsonl`, cut it after its last newline and
/// appended a log entry to the victim's own file.
#[test]
fn a_member_renamed_to_a_path_is_refused_and_writes_nothing_outside() {
    let test = "a_member_renamed_to_a_path_is_refused_and_writes_nothing_outside";
    if !have("git", test) {
        return;
    }
    let env = TestEnv::new();
    let mallory = add_member(&env, "mallory", true);
    let bob = add_member(&env, "bob", false);
    env.put("app/token", b"t0ken");
    let origin = env.path().join("origin.git");
    git(&env.store, &["init", "-q", "-b", "main"]);
    git(&env.store, &["add", "-A"]);
    git(&env.store, &["commit", "-qm", "store"]);
    git(
        env.path(),
        &[
            "init",
            "-q",
            "--bare",
            "-b",
            "main",
            origin.to_str().unwrap(),
        ],
    );
    git(
        &env.store,
        &["push", "-q", origin.to_str().unwrap(), "main"],
    );
    let origin_s = origin.to_str().unwrap();

    // The victim's clone, used once, and a file of theirs beside it.
    let bob_home = env.path().join("bob");
    std::fs::create_dir_all(&bob_home).unwrap();
    let bob_store = bob_home.join("store");
    git(&bob_home, &["clone", "-q", origin_s, "store"]);
    sm_in_dir(&env, &bob_store, &bob.identity, &["get", "app/token"], b"").success();
    let notes = bob_home.join("notes.jsonl");
    std::fs::write(&notes, b"{\"my\":\"notes\"}\nhalf a line, no newline").unwrap();

    // The attacker's clone: bob becomes `../../../notes`, re-endorsed and
    // re-signed by mallory, a real admin, then pushed.
    let evil = env.path().join("mallory-clone");
    git(
        env.path(),
        &["clone", "-q", origin_s, evil.to_str().unwrap()],
    );
    let id = store_id(&evil);
    let key = identity_of(&mallory.identity);
    let members_path = evil.join(".sm/members.toml");
    let mut members: MembersFile = raw(&members_path);
    let victim = members
        .members
        .iter_mut()
        .find(|m| m.name == "bob")
        .unwrap();
    victim.name = "../../../notes".into();
    victim.added_by = "mallory".into();
    victim.endorsement = key.sign(&victim.endorsed_bytes(&id));
    members.sign(&id, &key, "mallory");
    std::fs::write(&members_path, files::to_toml(&members)).unwrap();
    git(&evil, &["commit", "-qam", "tidy members"]);
    git(&evil, &["push", "-q", "origin", "main"]);

    git(&bob_store, &["pull", "-q", "--ff-only", "origin", "main"]);
    let before = snapshot(env.path());
    let notes_before = std::fs::read(&notes).unwrap();
    for args in [
        &["get", "app/token"][..],
        &["put", "app/new", "--stdin"],
        &["ls"],
        &["doctor"],
        &["log"],
    ] {
        sm_in_dir(&env, &bob_store, &bob.identity, args, b"value")
            .fails(5)
            .stderr_has("members.toml")
            .stderr_has("field `member[2].name`")
            .stderr_has("../../../notes");
    }
    let verify = sm_in_dir(&env, &bob_store, &bob.identity, &["verify"], b"").fails(5);
    assert!(said(&verify).contains("members.toml"), "{}", said(&verify));
    assert_eq!(
        std::fs::read(&notes).unwrap(),
        notes_before,
        "notes.jsonl changed"
    );
    assert_unchanged(&before, env.path(), "bob's runs");
}

/// The same rename without git, by hand and unsigned: still exit 5 before
/// any signature is looked at, for every member including the root.
#[test]
fn hand_edited_names_in_members_toml_are_refused() {
    let env = TestEnv::new();
    let bob = add_member(&env, "bob", false);
    env.put("x", b"v");
    let path = env.store.join(".sm/members.toml");
    let good = std::fs::read_to_string(&path).unwrap();
    for (from, to, field) in [
        (
            "name = \"bob\"",
            "name = \"../../../../x\"",
            "member[1].name",
        ),
        ("name = \"bob\"", "name = \"a/b\"", "member[1].name"),
        (
            "added_by = \"alice\"\nendorsement",
            "added_by = \"..\"\nendorsement",
            "member[0].added_by",
        ),
        (
            "[signature]\nby = \"alice\"",
            "[signature]\nby = \"../alice\"",
            "signature.by",
        ),
    ] {
        assert!(good.contains(from), "{from}");
        std::fs::write(&path, good.replacen(from, to, 1)).unwrap();
        let before = snapshot(env.path());
        for args in [&["get", "x"][..], &["ls"], &["member", "ls"]] {
            sm_as(&env, &bob, args)
                .fails(5)
                .stderr_has("members.toml")
                .stderr_has(&format!("field `{field}`"));
        }
        assert_unchanged(&before, env.path(), to);
    }
    std::fs::write(&path, good).unwrap();
    assert_eq!(sm_as(&env, &bob, &["get", "x"]).success().0.stdout, b"v");
}

/// A `meta.toml` of 0.9 MB with 20,000 labels (unsigned, as a stranger can
/// commit it) made `sm ls` panic with exit 101. Now it is exit 5 naming the
/// file everywhere, and fast.
#[test]
fn twenty_thousand_labels_are_exit_5_everywhere_without_a_panic() {
    let env = TestEnv::new();
    env.put("db", b"v");
    env.put("other", b"fine");
    let id = env.version_ids("db").pop().unwrap();
    let mut text = format!(
        "name = \"db\"\ncreated = \"2026-11-23T09:20:16.199Z\"\n\n[labels]\ncurrent = \"{id}\"\n"
    );
    for i in 0..20_000 {
        text.push_str(&format!("l{i:05} = \"{id}\"\n"));
    }
    assert!(text.len() > 900_000);
    let meta = env.secret_dir("db").join("meta.toml");
    std::fs::write(&meta, &text).unwrap();
    // A refused read is still logged (as a failure): the log, and this
    // machine's memory of its head, are left out.
    let log = env.store.join(".sm/log");
    let seen = env.home.join(".config/sm/seen");
    let outside_log = |dir: &Path| {
        let mut all = snapshot(dir);
        all.retain(|p, _| !p.starts_with(&log) && !p.starts_with(&seen));
        all
    };
    let before = outside_log(env.path());
    for args in [
        &["ls"][..],
        &["ls", "--json"],
        &["show", "db"],
        &["get", "db"],
        &["versions", "db"],
        &["verify"],
    ] {
        let started = std::time::Instant::now();
        let run = env.sm(args).fails(5);
        let text = said(&run);
        assert!(text.contains("db.secret/meta.toml"), "{args:?}: {text}");
        assert!(
            text.contains("`labels` has 20001 entries; at most 1000"),
            "{args:?}: {text}"
        );
        assert!(
            started.elapsed().as_secs() < 20,
            "{args:?} took {:?}",
            started.elapsed()
        );
    }
    assert_eq!(
        outside_log(env.path()),
        before,
        "the refused reads changed files"
    );
    // The other secret still reads, and ls still lists it.
    assert_eq!(env.get("other"), b"fine");
    env.sm(&["ls"]).fails(5).stdout_has("other");
}

/// Within the bounds a label column can still be wider than the 65,535
/// columns `{:<width$}` accepts: `sm ls` prints it.
#[test]
fn ls_prints_a_label_column_wider_than_65535() {
    let env = TestEnv::new();
    env.put("db", b"v");
    let id = env.version_ids("db").pop().unwrap();
    let store = sm::store::Store::open(&env.store).unwrap();
    let me = identity_of(&env.identity);
    let mut meta: Meta = store.read_meta("db").unwrap();
    for i in 0..300 {
        meta.labels
            .insert(format!("{i:03}-{}", "x".repeat(250)), id.clone());
    }
    // A new signed file: its sequence rises (one machine remembers it).
    meta.seq += 1;
    let bytes = store.sign_meta(&me, &mut meta).unwrap();
    std::fs::write(env.secret_dir("db").join("meta.toml"), bytes).unwrap();
    let out = env.sm(&["ls"]).success();
    let row = out.stdout().lines().nth(1).unwrap().to_string();
    assert!(row.starts_with("db  "), "{row:.80}");
    assert!(row.len() > 75_000, "{}", row.len());
    env.sm(&["show", "db"]).success();
    assert_eq!(env.get("db"), b"v");
}

/// Group names from a properly signed `access.toml` follow the member-name
/// rule too, as do the names its rules list.
#[test]
fn group_and_rule_names_with_slashes_or_dots_are_refused() {
    let env = TestEnv::new();
    let bob = add_member(&env, "bob", false);
    env.put("prod/db", b"v");
    env.sm(&["group", "add", "ops", "bob"]).success();
    env.sm(&[
        "access", "set", "prod/**", "--read", "ops", "--write", "alice",
    ])
    .success();
    let id = store_id(&env.store);
    let key = identity_of(&env.identity);
    let path = env.store.join(".sm/access.toml");
    let good: AccessFile = raw(&path);
    type Edit = fn(&mut AccessFile);
    let cases: [(&str, Edit); 4] = [
        ("group[0].name", |f| f.groups[0].name = "../ops".into()),
        ("group[1].members", |f| {
            f.groups.push(Group {
                name: "dev".into(),
                members: vec!["bob/..".into()],
            })
        }),
        ("rule[0].read", |f| f.rules[0].read = vec!["..".into()]),
        ("rule[0].write", |f| f.rules[0].write = vec!["a/b".into()]),
    ];
    for (field, edit) in cases {
        let mut file = good.clone();
        edit(&mut file);
        file.sign(&id, &key, "alice");
        std::fs::write(&path, files::to_toml(&file)).unwrap();
        let before = snapshot(env.path());
        for args in [&["get", "prod/db"][..], &["access"], &["group", "ls"]] {
            sm_as(&env, &bob, args)
                .fails(5)
                .stderr_has("access.toml")
                .stderr_has(&format!("field `{field}`"));
        }
        assert_unchanged(&before, env.path(), field);
    }
    // A signer name with a slash is refused before any key is looked up.
    let mut file = good.clone();
    file.sign(&id, &key, "alice");
    file.signature.as_mut().unwrap().by = "../../alice".into();
    std::fs::write(&path, files::to_toml(&file)).unwrap();
    env.sm(&["get", "prod/db"])
        .fails(5)
        .stderr_has("access.toml")
        .stderr_has("field `signature.by`");
}

/// Signer names in a secret's files (meta and version records).
#[test]
fn signer_names_in_secret_files_are_refused() {
    let env = TestEnv::new();
    env.put("db", b"v");
    let dir = env.secret_dir("db");
    let id = env.version_ids("db").pop().unwrap();
    let meta = dir.join("meta.toml");
    let record = dir.join(format!("versions/{id}.toml"));
    for (file, from, to, field) in [
        (&meta, "by = \"alice\"", "by = \"../alice\"", "signature.by"),
        (
            &record,
            "author = \"alice\"",
            "author = \"al/ice\"",
            "author",
        ),
        (
            &record,
            "author = ",
            "rewrapped_by = \"..\"\nauthor = ",
            "rewrapped_by",
        ),
    ] {
        let good = std::fs::read_to_string(file).unwrap();
        assert!(good.contains(from), "{from}");
        std::fs::write(file, good.replacen(from, to, 1)).unwrap();
        env.sm(&["get", "db"])
            .fails(5)
            .stderr_has(file.file_name().unwrap().to_str().unwrap())
            .stderr_has(&format!("field `{field}`"));
        let verify = env.sm(&["verify"]).fails(5);
        assert!(
            said(&verify).contains(&format!("field `{field}`")),
            "{}",
            said(&verify)
        );
        std::fs::write(file, good).unwrap();
    }
    assert_eq!(env.get("db"), b"v");
}

/// Version ids that are not ids: in a record's file name and in the labels
/// and pending rotation of `meta.toml`.
#[test]
fn version_ids_that_are_not_ids_are_refused() {
    let env = TestEnv::new();
    env.put("db", b"v1");
    let dir = env.secret_dir("db");
    let id = env.version_ids("db").pop().unwrap();
    let versions = dir.join("versions");

    // A committed record named like no version.
    std::fs::copy(
        versions.join(format!("{id}.toml")),
        versions.join("not an id!.toml"),
    )
    .unwrap();
    env.sm(&["versions", "db"])
        .fails(5)
        .stderr_has("not an id!.toml")
        .stderr_has("not a version id");
    let verify = env.sm(&["verify"]).fails(5);
    assert!(
        said(&verify).contains("not an id!.toml"),
        "{}",
        said(&verify)
    );
    // A write is still sound, and leaves the foreign file alone.
    env.put("db", b"v2");
    assert!(versions.join("not an id!.toml").exists());
    assert_eq!(env.get("db"), b"v2");
    std::fs::remove_file(versions.join("not an id!.toml")).unwrap();

    // Label targets and a pending rotation's id in meta.toml.
    let meta = dir.join("meta.toml");
    let good = std::fs::read_to_string(&meta).unwrap();
    let current = format!("current = \"{}\"", env.version_ids("db").pop().unwrap());
    assert!(good.contains(&current));
    for (edited, field) in [
        (
            good.replacen(&current, "current = \"../../../x\"", 1),
            "labels.current",
        ),
        (
            good.replacen(&current, "current = \".hidden\"", 1),
            "labels.current",
        ),
        (
            good.replacen(&current, &format!("{current}\n\"a/b\" = \"{id}\""), 1),
            "labels",
        ),
        (
            format!(
                "{}\n[rotation.pending]\nversion_id = \"../x\"\nstep = \"set\"\nstarted = \"2026-11-23T09:20:16.199Z\"\n",
                good.split("\n[signature]").next().unwrap()
            ),
            "rotation.pending.version_id",
        ),
    ] {
        std::fs::write(&meta, edited).unwrap();
        for args in [&["get", "db"][..], &["show", "db"], &["ls"]] {
            env.sm(args)
                .fails(5)
                .stderr_has("meta.toml")
                .stderr_has(&format!("field `{field}`"));
        }
    }
    std::fs::write(&meta, good).unwrap();
    assert_eq!(env.get("db"), b"v2");
    // Typed ids keep their rule: exit 2.
    env.sm(&["get", "db", "--version", "../x"]).fails(2);
}

/// Store ids name cache folders and pins: only the UUID form sm writes.
#[test]
fn a_store_id_that_is_not_a_uuid_is_refused() {
    let env = TestEnv::new();
    env.put("db", b"v");
    let path = env.store.join(".sm/store.toml");
    let good = std::fs::read_to_string(&path).unwrap();
    let id = store_id(&env.store);
    std::fs::write(&path, good.replacen(&id, "../../../../cache-escape", 1)).unwrap();
    env.sm(&["get", "db"])
        .fails(5)
        .stderr_has("store.toml")
        .stderr_has("field `id`");
    std::fs::write(&path, good).unwrap();
    assert_eq!(env.get("db"), b"v");
}
