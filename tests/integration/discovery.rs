//! Safe store discovery (issue 13, items 2 and 9): a `.sm/` another local
//! user planted in a shared folder is refused, `SM_CEILING_DIRECTORIES`
//! stops the search, writes name the store they went to, and the first use
//! of a store shows who can decrypt what is written there.
//!
//! The attacks need a second Unix user: those tests create `smattacker` as
//! root and print SKIPPED when not root (CI runs as root).

use std::collections::BTreeMap;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::common::{Run, TestEnv, have, sm_bin, walk};

pub(crate) const ATTACKER: &str = "smattacker";

pub(crate) fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// Tells whether the test can run as root with `setpriv`; otherwise prints
/// why it is skipped (and fails when CI demands every test).
pub(crate) fn can_switch_users(test: &str) -> bool {
    if !is_root() {
        eprintln!("SKIPPED {test}: needs root to create a second user");
        if std::env::var_os("SM_REQUIRE_ALL_TOOLS").is_some() {
            panic!("{test} needs root, and SM_REQUIRE_ALL_TOOLS is set (CI runs as root)");
        }
        return false;
    }
    have("setpriv", test) && have("useradd", test)
}

/// The second user's ids, creating the user once (idempotent).
pub(crate) fn attacker_ids() -> (u32, u32) {
    static IDS: OnceLock<(u32, u32)> = OnceLock::new();
    *IDS.get_or_init(|| {
        let lookup = || -> Option<(u32, u32)> {
            let id = |flag: &str| -> Option<u32> {
                let out = Command::new("id").args([flag, ATTACKER]).output().ok()?;
                String::from_utf8(out.stdout).ok()?.trim().parse().ok()
            };
            Some((id("-u")?, id("-g")?))
        };
        for _ in 0..20 {
            if let Some(ids) = lookup() {
                return ids;
            }
            // Another test process may hold the passwd lock: try again.
            let _ = Command::new("useradd")
                .args(["-m", "-s", "/bin/sh", ATTACKER])
                .output();
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
        panic!("cannot create the user {ATTACKER}");
    })
}

fn set_mode(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn chown(path: &Path, uid: u32, gid: u32) {
    std::os::unix::fs::chown(path, Some(uid), Some(gid)).unwrap();
}

/// The sm binary at a path the second user can run: the built one when every
/// folder above it lets others through, else a link or copy in `dir`.
fn runnable_binary(dir: &Path) -> PathBuf {
    let bin = sm_bin();
    let open = bin
        .ancestors()
        .skip(1)
        .all(|d| std::fs::metadata(d).is_ok_and(|m| m.mode() & 0o001 != 0))
        && std::fs::metadata(&bin).is_ok_and(|m| m.mode() & 0o005 == 0o005);
    if open {
        return bin;
    }
    let copy = dir.join("sm");
    if std::fs::hard_link(&bin, &copy).is_err() {
        std::fs::copy(&bin, &copy).unwrap();
    }
    set_mode(&copy, 0o755);
    copy
}

/// A local attacker: the second user with their own home and identity.
struct Attacker {
    uid: u32,
    gid: u32,
    home: PathBuf,
    bin: PathBuf,
}

impl Attacker {
    /// Sets up the attacker's home inside `base` (a folder others may enter).
    fn new(base: &Path) -> Attacker {
        let (uid, gid) = attacker_ids();
        let home = base.join("attacker");
        std::fs::create_dir(&home).unwrap();
        chown(&home, uid, gid);
        set_mode(&home, 0o700);
        let attacker = Attacker {
            uid,
            gid,
            home,
            bin: runnable_binary(base),
        };
        let id = attacker.identity();
        attacker
            .sm(base, &["identity", "new", "--file", id.to_str().unwrap()])
            .success();
        attacker
    }

    fn identity(&self) -> PathBuf {
        self.home.join("identity.txt")
    }

    /// Runs the real sm as the second user, from `cwd`.
    fn sm(&self, cwd: &Path, args: &[&str]) -> Run {
        let out = Command::new("setpriv")
            .arg(format!("--reuid={}", self.uid))
            .arg(format!("--regid={}", self.gid))
            .arg("--init-groups")
            .arg("--")
            .arg(&self.bin)
            .args(args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", &self.home)
            .env("XDG_CONFIG_HOME", self.home.join(".config"))
            .env("XDG_DATA_HOME", self.home.join(".local/share"))
            .env("XDG_CACHE_HOME", self.home.join(".cache"))
            .env("SM_NO_KEYRING", "1")
            .env("SM_IDENTITY_FILE", self.identity())
            .env("USER", "mallory")
            .env("LC_ALL", "C")
            .current_dir(cwd)
            .output()
            .unwrap();
        Run(out)
    }
}

/// A folder under /tmp that the second user can enter (tempdirs are 0700).
fn open_base() -> tempfile::TempDir {
    let base = tempfile::Builder::new()
        .prefix("sm-discovery-")
        .tempdir()
        .unwrap();
    set_mode(base.path(), 0o755);
    base
}

/// A victim: the sealed environment (root here) with an identity, and its
/// keys as `sm identity show --json` prints them.
fn victim() -> (TestEnv, serde_json::Value) {
    let env = TestEnv::bare();
    env.sm(&["identity", "new", "--file", env.identity.to_str().unwrap()])
        .success();
    let keys = env.sm(&["identity", "show", "--json"]).success().json();
    (env, keys)
}

/// Runs sm in the victim's sealed environment from `cwd`.
fn sm_from(env: &TestEnv, cwd: &Path, args: &[&str]) -> Run {
    let mut cmd = env.std_cmd();
    cmd.current_dir(cwd).args(args);
    Run(cmd.output().unwrap())
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walk(dir)
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap_or_default();
            (p, bytes)
        })
        .collect()
}

/// Asserts that no file under `dir` holds `needle`.
fn nowhere_in(dir: &Path, needle: &[u8]) {
    for path in walk(dir) {
        let bytes = std::fs::read(&path).unwrap_or_default();
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle),
            "{} holds the value",
            path.display()
        );
    }
}

/// The victim's pin file, as text (empty when missing).
fn pins(env: &TestEnv) -> String {
    std::fs::read_to_string(env.home.join(".config/sm/known_stores.toml")).unwrap_or_default()
}

fn store_id(root: &Path) -> String {
    let text = std::fs::read_to_string(root.join(".sm/store.toml")).unwrap();
    let value: toml::Value = toml::from_str(&text).unwrap();
    value["id"].as_str().unwrap().to_string()
}

/// The attacker plants a store in a shared sticky folder above the victim's
/// project, makes the victim a member from their public keys, adds an extra
/// recipient and a value. Returns the shared folder and the extra recipient.
fn plant(base: &Path, attacker: &Attacker, victim_keys: &serde_json::Value) -> (PathBuf, String) {
    let shared = base.join("shared");
    std::fs::create_dir(&shared).unwrap();
    set_mode(&shared, 0o1777);
    let extra_id = attacker.home.join("extra.txt");
    attacker
        .sm(
            base,
            &["identity", "new", "--file", extra_id.to_str().unwrap()],
        )
        .success();
    let extra = attacker
        .sm(
            base,
            &[
                "--identity",
                extra_id.to_str().unwrap(),
                "identity",
                "show",
                "--json",
            ],
        )
        .success()
        .json()["recipient"]
        .as_str()
        .unwrap()
        .to_string();
    let s = shared.to_str().unwrap();
    attacker
        .sm(
            base,
            &["init", s, "--name", "mallory", "--recipient", &extra],
        )
        .success();
    attacker
        .sm(
            base,
            &[
                "--store",
                s,
                "member",
                "add",
                "victim",
                victim_keys["recipient"].as_str().unwrap(),
                "--signing-key",
                victim_keys["signing_key"].as_str().unwrap(),
            ],
        )
        .success();
    attacker
        .sm(
            base,
            &["--store", s, "put", "app/key", "ATTACKER-CHOSEN-VALUE"],
        )
        .success();
    assert_eq!(
        std::fs::metadata(shared.join(".sm")).unwrap().uid(),
        attacker.uid
    );
    (shared, extra)
}

#[test]
fn a_store_planted_by_another_user_in_a_shared_folder_is_refused() {
    let test = "a_store_planted_by_another_user_in_a_shared_folder_is_refused";
    if !can_switch_users(test) {
        return;
    }
    let base = open_base();
    let attacker = Attacker::new(base.path());
    let (env, keys) = victim();
    let (shared, extra) = plant(base.path(), &attacker, &keys);
    let project = shared.join("victim/project");
    std::fs::create_dir_all(&project).unwrap();
    let before = snapshot(&shared);
    let attacker_home = snapshot(&attacker.home);
    let value = "ghp_VICTIM-TOKEN-4c1e9a";

    let run = sm_from(&env, &project, &["put", "github/token", value]).fails(4);
    let err = run.stderr();
    let planted = shared.display().to_string();
    assert!(err.contains(&format!("store found at {planted}")), "{err}");
    assert!(
        err.contains(&format!("{planted}/.sm belongs to user {ATTACKER}")),
        "{err}"
    );
    assert!(err.contains("safe_stores"), "{err}");
    assert!(err.contains("config.toml"), "{err}");
    assert!(err.contains(&format!("--store {planted}")), "{err}");
    assert!(err.contains("SM_STORE"), "{err}");
    assert!(!err.contains(value), "{err}");

    // The victim's reads are refused too: no attacker values for programs.
    sm_from(&env, &project, &["get", "app/key"]).fails(4);
    let exec = sm_from(&env, &project, &["exec", "-s", "app/key", "--", "env"]).fails(4);
    assert!(!exec.stdout().contains("ATTACKER-CHOSEN-VALUE"));
    sm_from(&env, &project, &["ls"]).fails(4);

    // Nothing was written there, the value is nowhere, nothing was pinned,
    // and no personal store was made in its place.
    assert_eq!(snapshot(&shared), before);
    assert_eq!(snapshot(&attacker.home), attacker_home);
    nowhere_in(base.path(), value.as_bytes());
    nowhere_in(env.path(), value.as_bytes());
    assert!(!pins(&env).contains(&store_id(&shared)), "{}", pins(&env));
    assert!(!env.home.join(".local/share/sm/store").exists());

    // A victim who trusts the store says so in their config; then it is
    // used, and the first use shows who can decrypt what they write there.
    let config = env.home.join(".config/sm/config.toml");
    std::fs::create_dir_all(config.parent().unwrap()).unwrap();
    std::fs::write(&config, format!("safe_stores = [\"{planted}\"]\n")).unwrap();
    set_mode(&config, 0o600);
    let run = sm_from(&env, &project, &["put", "github/token", value]).success();
    let err = run.stderr();
    assert!(
        err.contains(&format!(
            "first use of the store at {planted} (found in a parent"
        )),
        "{err}"
    );
    assert!(err.contains("member mallory (admin)"), "{err}");
    assert!(err.contains("member victim"), "{err}");
    assert!(err.contains(&format!("extra recipient {extra}")), "{err}");
    assert!(
        err.contains(&format!("sm: wrote github/token to the store at {planted}")),
        "{err}"
    );
    assert!(pins(&env).contains(&store_id(&shared)));
    assert_eq!(
        sm_from(&env, &project, &["get", "github/token"])
            .success()
            .stdout(),
        value
    );
}

#[test]
fn naming_a_planted_store_with_store_or_sm_store_is_the_users_choice() {
    let test = "naming_a_planted_store_with_store_or_sm_store_is_the_users_choice";
    if !can_switch_users(test) {
        return;
    }
    let base = open_base();
    let attacker = Attacker::new(base.path());
    let (env, keys) = victim();
    let (shared, extra) = plant(base.path(), &attacker, &keys);
    let planted = shared.display().to_string();
    let mut cmd = env.std_cmd();
    cmd.env("SM_STORE", &shared).args(["get", "app/key"]);
    let run = Run(cmd.output().unwrap()).success();
    assert_eq!(run.stdout(), "ATTACKER-CHOSEN-VALUE");
    let err = run.stderr();
    assert!(
        err.contains(&format!(
            "first use of the store at {planted} (named by --store or SM_STORE)"
        )),
        "{err}"
    );
    assert!(err.contains(&format!("extra recipient {extra}")), "{err}");
    // Pinned once: the next run says nothing about it.
    let again = env.sm(&["--store", &planted, "get", "app/key"]).success();
    assert!(!again.stderr().contains("first use"), "{}", again.stderr());
}

#[test]
fn a_store_of_the_user_under_a_folder_another_user_owns_and_all_may_write_is_refused() {
    let test = "a_store_of_the_user_under_a_folder_another_user_owns_and_all_may_write_is_refused";
    if !can_switch_users(test) {
        return;
    }
    let base = open_base();
    let attacker = Attacker::new(base.path());
    let (env, _) = victim();
    // The attacker's own sticky shared folder: its owner may rename entries
    // in it, so a folder of theirs could take the place of the victim's.
    let shared = base.path().join("theirs");
    std::fs::create_dir(&shared).unwrap();
    chown(&shared, attacker.uid, attacker.gid);
    set_mode(&shared, 0o1777);
    let store = shared.join("project");
    env.sm(&["init", store.to_str().unwrap(), "--name", "victim"])
        .success();
    let sub = store.join("src");
    std::fs::create_dir(&sub).unwrap();
    let before = snapshot(&store);
    let run = sm_from(&env, &sub, &["put", "db/pw", "VICTIM-DB-PW-77"]).fails(4);
    let err = run.stderr();
    assert!(
        err.contains(&format!(
            "it sits under {}, which every user may write to and which belongs to user {ATTACKER}",
            shared.display()
        )),
        "{err}"
    );
    assert_eq!(snapshot(&store), before);
    nowhere_in(base.path(), b"VICTIM-DB-PW-77");
    // Named explicitly, it is the user's choice.
    env.sm(&[
        "--store",
        store.to_str().unwrap(),
        "put",
        "db/pw",
        "VICTIM-DB-PW-77",
    ])
    .success();
}

#[test]
fn a_store_under_a_folder_anyone_may_rename_in_is_refused_until_allowed() {
    let env = TestEnv::new();
    // A world-writable folder without the sticky bit (ours, but anyone may
    // move our folders in it).
    let shared = env.path().join("open");
    std::fs::create_dir(&shared).unwrap();
    set_mode(&shared, 0o777);
    let store = shared.join("team");
    env.sm(&["init", store.to_str().unwrap(), "--name", "alice"])
        .success();
    let before = snapshot(&store);
    let run = sm_from(&env, &store, &["put", "k", "OPEN-FOLDER-VALUE"]).fails(4);
    let err = run.stderr();
    assert!(
        err.contains(&format!(
            "it sits under {}, which every user may write to and which lacks the sticky bit",
            shared.display()
        )),
        "{err}"
    );
    assert!(err.contains("safe_stores"), "{err}");
    assert_eq!(snapshot(&store), before);
    nowhere_in(env.path(), b"OPEN-FOLDER-VALUE");

    // An allow-list others may change is no allow-list.
    let config = env.home.join(".config/sm/config.toml");
    std::fs::write(&config, "safe_stores = [\"*\"]\n").unwrap();
    set_mode(&config, 0o666);
    let err = sm_from(&env, &store, &["put", "k", "OPEN-FOLDER-VALUE"])
        .fails(4)
        .stderr();
    assert!(err.contains(&config.display().to_string()), "{err}");
    assert!(err.contains("chmod go-w"), "{err}");
    assert_eq!(snapshot(&store), before);

    // `*` in a private config allows every store, as in git.
    set_mode(&config, 0o600);
    sm_from(&env, &store, &["put", "k", "OPEN-FOLDER-VALUE"]).success();
    // The sticky bit makes the folder safe again without the allow-list.
    std::fs::remove_file(&config).unwrap();
    set_mode(&shared, 0o1777);
    assert_eq!(
        sm_from(&env, &store, &["get", "k"]).success().stdout(),
        "OPEN-FOLDER-VALUE"
    );
}

#[test]
fn the_users_own_store_is_found_and_every_write_names_it() {
    let env = TestEnv::new();
    let sub = env.store.join("deploy/app");
    std::fs::create_dir_all(&sub).unwrap();
    let run = sm_from(&env, &sub, &["put", "prod/db", "OWN-STORE-VALUE"]).success();
    let err = run.stderr();
    assert!(
        err.contains(&format!(
            "sm: wrote prod/db to the store at {}",
            env.store.display()
        )),
        "{err}"
    );
    assert!(!err.contains("first use"), "{err}");
    assert!(env.secret_dir("prod/db").join("meta.toml").is_file());
    // Several writes in one command are one line; reads name nothing.
    let err = env
        .sm_in(&["import", "-"], b"A=1\nB=2\nC=3\nD=4\n")
        .success()
        .stderr();
    assert!(
        err.contains("sm: wrote A, B, C and 1 more to the store at"),
        "{err}"
    );
    let err = env.sm(&["get", "prod/db"]).success().stderr();
    assert!(!err.contains("sm: wrote"), "{err}");
    // -q keeps stderr quiet.
    let run = env
        .sm(&["-q", "put", "prod/db", "OWN-STORE-VALUE-2"])
        .success();
    assert_eq!(run.stderr(), "");
}

#[test]
fn writes_to_the_personal_store_name_no_store() {
    let env = TestEnv::bare();
    env.sm(&["identity", "new", "--file", env.identity.to_str().unwrap()])
        .success();
    env.put("mine", b"PERSONAL-VALUE");
    let err = env
        .sm(&["put", "mine", "PERSONAL-VALUE-2"])
        .success()
        .stderr();
    assert!(!err.contains("sm: wrote"), "{err}");
    assert!(!err.contains("first use"), "{err}");
}

#[test]
fn sm_ceiling_directories_stops_the_search() {
    let env = TestEnv::new();
    let deep = env.store.join("a/b");
    std::fs::create_dir_all(&deep).unwrap();
    let personal = env.home.join(".local/share/sm/store");
    for ceiling in [env.store.join("a"), env.store.clone()] {
        let mut cmd = env.std_cmd();
        cmd.current_dir(&deep)
            .env(
                "SM_CEILING_DIRECTORIES",
                format!("relative:{}", ceiling.display()),
            )
            .args(["put", "ceiling/test", "PERSONAL-NOT-TEAM"]);
        let err = Run(cmd.output().unwrap()).success().stderr();
        assert!(
            err.contains("created your personal store") || personal.is_dir(),
            "{err}"
        );
        assert!(!err.contains("sm: wrote"), "{err}");
        assert!(!env.secret_dir("ceiling/test").exists());
    }
    assert!(personal.join(".sm/store.toml").is_file());
    // A ceiling equal to the current folder is ignored, as in git; one
    // above the store does not matter.
    for ceiling in [deep.clone(), env.path().to_path_buf()] {
        let mut cmd = env.std_cmd();
        cmd.current_dir(&deep)
            .env("SM_CEILING_DIRECTORIES", &ceiling)
            .args(["put", "ceiling/team", "TEAM-VALUE"]);
        Run(cmd.output().unwrap()).success();
        assert!(env.secret_dir("ceiling/team").is_dir());
    }
}

/// An age recipient from a fresh identity file in `env`.
fn fresh_recipient(env: &TestEnv, file: &str) -> String {
    let path = env.path().join(file);
    env.sm(&["identity", "new", "--file", path.to_str().unwrap()])
        .success();
    env.sm(&[
        "--identity",
        path.to_str().unwrap(),
        "identity",
        "show",
        "--json",
    ])
    .success()
    .json()["recipient"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn member_ls_and_init_show_the_extra_recipients() {
    let env = TestEnv::bare();
    env.sm(&["identity", "new", "--file", env.identity.to_str().unwrap()])
        .success();
    let extra = fresh_recipient(&env, "backup.txt");
    let init = env
        .sm(&[
            "init",
            env.store.to_str().unwrap(),
            "--name",
            "alice",
            "--recipient",
            &extra,
        ])
        .success();
    assert!(
        init.stderr()
            .contains(&format!("also encrypted to the extra recipient {extra}")),
        "{}",
        init.stderr()
    );
    let text = env.sm(&["member", "ls"]).success().stdout();
    let line = text
        .lines()
        .find(|l| l.contains(&extra))
        .unwrap_or_else(|| panic!("no extra recipient in {text}"));
    assert!(line.contains("extra recipient"), "{text}");
    let json = env.sm(&["member", "ls", "--json"]).success().json();
    let list = json.as_array().unwrap();
    assert_eq!(list.len(), 2, "{json}");
    assert_eq!(list[0]["kind"], "member");
    assert_eq!(list[0]["name"], "alice");
    assert_eq!(list[0]["admin"], true);
    assert!(
        list[0]["signing_key"]
            .as_str()
            .unwrap()
            .starts_with("ed25519:")
    );
    assert_eq!(list[1]["kind"], "extra_recipient");
    assert_eq!(list[1]["recipient"], extra.as_str());
    assert_eq!(list[1]["name"], serde_json::Value::Null);
}

#[test]
fn the_first_use_of_a_store_shows_who_can_decrypt() {
    let env = TestEnv::bare();
    env.sm(&["identity", "new", "--file", env.identity.to_str().unwrap()])
        .success();
    let extra = fresh_recipient(&env, "backup.txt");
    env.sm(&[
        "init",
        env.store.to_str().unwrap(),
        "--name",
        "alice",
        "--recipient",
        &extra,
    ])
    .success();
    let bob = crate::teams::add_member(&env, "bob", false);
    env.put("shared/key", b"TEAM-VALUE");
    // Bob on another machine: his own config folder, nothing pinned yet.
    let machine = env.path().join("bob-home");
    let bob_cmd = |args: &[&str]| -> Run {
        Run(env
            .cmd()
            .env("HOME", &machine)
            .env("XDG_CONFIG_HOME", machine.join(".config"))
            .env("XDG_DATA_HOME", machine.join(".local/share"))
            .env("XDG_CACHE_HOME", machine.join(".cache"))
            .env("SM_IDENTITY_FILE", &bob.identity)
            .args(args)
            .output()
            .unwrap())
    };
    let first = bob_cmd(&["get", "shared/key"]).success();
    assert_eq!(first.stdout(), "TEAM-VALUE");
    let err = first.stderr();
    assert!(
        err.contains(&format!(
            "first use of the store at {} (found in a parent of the current folder)",
            env.store.display()
        )),
        "{err}"
    );
    assert!(err.contains("known_stores.toml"), "{err}");
    assert!(err.contains("member alice (admin)"), "{err}");
    assert!(err.contains("member bob\n"), "{err}");
    assert!(err.contains(&format!("extra recipient {extra}")), "{err}");
    assert!(
        std::fs::read_to_string(machine.join(".config/sm/known_stores.toml"))
            .unwrap()
            .contains(&store_id(&env.store))
    );
    let again = bob_cmd(&["get", "shared/key"]).success();
    assert!(!again.stderr().contains("first use"), "{}", again.stderr());
}
