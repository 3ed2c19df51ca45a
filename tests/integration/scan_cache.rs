//! The scan set (issue 14, item 19): a staged scan takes the store's values
//! from one sealed record while nothing changed, picks up every change at
//! once, keeps the record private and sealed, and still refuses a replayed
//! `meta.toml`.

use std::io::Write as _;
use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};
use std::path::{Path, PathBuf};

use crate::common::{Run, TestEnv, walk};
use crate::scan::{git, repo, sm_at, write};
use crate::teams::add_member_with;

const DB: &str = "scan-set-db-value-0123456789";
const API: &str = "scan-set-api-value-abcdefghij";

/// Stamps younger than this are not trusted (`SETTLE_SECS` in
/// src/store/secret/scan_set.rs), so tests wait that long after a change
/// before they expect the record to answer.
fn settle() {
    std::thread::sleep(std::time::Duration::from_millis(2100));
}

/// The scan records of the store's cache: the scan set, and the literal set
/// and its gate kept beside it.
fn records(env: &TestEnv) -> Vec<PathBuf> {
    let dir = env.path().join("home/.cache/sm");
    if !dir.exists() {
        return Vec::new();
    }
    walk(&dir)
        .into_iter()
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("scan-"))
        })
        .collect()
}

/// Every version file (`versions/<id>.age` and `.toml`) of the store.
fn version_files(env: &TestEnv) -> Vec<PathBuf> {
    walk(&env.store.join("secrets"))
        .into_iter()
        .filter(|p| p.parent().is_some_and(|d| d.ends_with("versions")))
        .collect()
}

/// A repository with `leak.env` staged, holding `values`.
fn stage(env: &TestEnv, dir: &Path, values: &[&str]) {
    let text: String = values.iter().map(|v| format!("x = \"{v}\"\n")).collect();
    write(dir, "leak.env", text);
    git(env, dir, &["add", "leak.env"]).success();
}

/// The secrets a staged scan names (sorted, deduplicated).
fn found(env: &TestEnv, dir: &Path) -> Vec<String> {
    let run = sm_at(env, dir, &["scan", "--staged", "--format", "json"]);
    let mut names: Vec<String> = run.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["secret"].as_str().map(str::to_string))
        .collect();
    names.sort();
    names.dedup();
    names
}

#[test]
fn second_staged_scan_reads_no_version_file_and_changes_show_at_once() {
    let env = TestEnv::new();
    env.put("app/db", DB.as_bytes()).success();
    env.put("app/api", API.as_bytes()).success();
    let dir = repo(&env, "proj");
    stage(&env, &dir, &[DB, API]);
    settle();
    assert_eq!(found(&env, &dir), ["app/api", "app/db"]);
    assert_eq!(
        records(&env).len(),
        3,
        "one sealed scan set, one kept literal set, one gate"
    );

    // With every ciphertext overwritten in place (same inode, same
    // size: the folders' stamps do not change), a full read refuses the
    // values, yet the scan still finds them: it read, verified and
    // decrypted no version file.
    let files: Vec<PathBuf> = version_files(&env)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "age"))
        .collect();
    assert_eq!(files.len(), 2);
    let originals: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).unwrap()).collect();
    for (file, bytes) in files.iter().zip(&originals) {
        let mut out = std::fs::OpenOptions::new().write(true).open(file).unwrap();
        out.write_all(&vec![b'x'; bytes.len()]).unwrap();
    }
    let run = sm_at(&env, &dir, &["scan", "--staged", "--format", "json"]);
    assert!(
        !run.stderr().contains("not matching"),
        "the scan read the store: {}",
        run.stderr()
    );
    assert_eq!(
        run.json()["findings"].as_array().unwrap().len(),
        2,
        "{}",
        run.stdout()
    );
    let full = Run(env
        .cmd()
        .current_dir(&dir)
        .env("SM_STORE", &env.store)
        .env("SM_NO_CACHE", "1")
        .args(["scan", "--staged"])
        .output()
        .unwrap());
    assert!(full.stderr().contains("not matching"), "{}", full.stderr());
    for (file, bytes) in files.iter().zip(&originals) {
        std::fs::write(file, bytes).unwrap();
    }
    assert_eq!(found(&env, &dir), ["app/api", "app/db"]);

    // A new version is picked up at once: the new value is found, the old
    // one still (it keeps the `previous` label).
    let new = "scan-set-db-value-NEW-987654";
    env.put("app/db", new.as_bytes()).success();
    stage(&env, &dir, &[new]);
    assert_eq!(found(&env, &dir), ["app/db"]);
    stage(&env, &dir, &[DB]);
    assert_eq!(found(&env, &dir), ["app/db"]);

    // A label moved off the old version: it is no longer matched.
    let ids = env.version_ids("app/db");
    env.sm(&["label", "app/db", "previous", "--to", &ids[1]])
        .success();
    assert_eq!(found(&env, &dir), Vec::<String>::new(), "unlabelled value");

    // A removed secret is no longer matched.
    stage(&env, &dir, &[API]);
    assert_eq!(found(&env, &dir), ["app/api"]);
    env.sm(&["rm", "app/api", "--force"]).success();
    assert_eq!(found(&env, &dir), Vec::<String>::new(), "removed secret");
}

#[test]
fn scan_set_is_private_and_sealed() {
    let env = TestEnv::new();
    env.put("app/db", DB.as_bytes()).success();
    let dir = repo(&env, "proj");
    stage(&env, &dir, &[DB]);
    settle();
    assert_eq!(found(&env, &dir), ["app/db"]);
    let records = records(&env);
    assert_eq!(records.len(), 3, "{records:?}");
    let mut damaged = Vec::new();
    for record in &records {
        let mode = std::fs::metadata(record).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert!(!record.starts_with(&env.store), "never inside the store");
        let bytes = std::fs::read(record).unwrap();
        for needle in [DB.as_bytes(), b"app/db".as_slice(), b"current".as_slice()] {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle),
                "{:?} in plaintext",
                String::from_utf8_lossy(needle)
            );
        }
        // A damaged record is a miss, never an error, and is sealed again.
        let mut bytes = bytes;
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(record, &bytes).unwrap();
        damaged.push(bytes);
    }
    assert_eq!(found(&env, &dir), ["app/db"]);
    for (record, bytes) in records.iter().zip(&damaged) {
        assert_ne!(&std::fs::read(record).unwrap(), bytes);
    }
}

#[test]
fn a_replayed_meta_toml_is_still_refused_by_the_scan() {
    let env = TestEnv::new();
    env.put("app/db", DB.as_bytes()).success();
    let meta = env.secret_dir("app/db").join("meta.toml");
    let old = std::fs::read(&meta).unwrap();
    let new = "scan-set-db-value-NEW-987654";
    env.put("app/db", new.as_bytes()).success();
    let dir = repo(&env, "proj");
    stage(&env, &dir, &[DB, new]);
    settle();
    assert_eq!(found(&env, &dir), ["app/db"]);
    assert_eq!(found(&env, &dir), ["app/db"], "from the record");

    // The older, genuinely signed meta.toml put back: refused as before,
    // whatever the record holds.
    std::fs::write(&meta, &old).unwrap();
    settle();
    let run = sm_at(&env, &dir, &["scan", "--staged", "--format", "json"]);
    assert!(
        run.stderr().contains("rolled back"),
        "the replay went unnoticed: {}",
        run.stderr()
    );
    env.sm(&["get", "app/db"]).fails(5);
}

/// How many findings a staged scan reports, and whether it took the literal
/// set kept from the last scan (`-v` says so).
fn scan_kept(env: &TestEnv, dir: &Path) -> (usize, bool) {
    let run = sm_at(env, dir, &["scan", "--staged", "-v", "--format", "json"]);
    let findings = run.json()["findings"].as_array().unwrap().len();
    (findings, run.stderr().contains("kept from the last scan"))
}

/// The literal set kept between scans answers while nothing changes, and
/// gives way to the first change, including a `meta.toml` written in place
/// (as `cp -r` over a checkout does: no folder's time changes, so only the
/// file's own stamp tells).
#[test]
fn the_kept_literal_set_gives_way_to_a_meta_toml_written_in_place() {
    let env = TestEnv::new();
    env.put("app/db", DB.as_bytes()).success();
    let dir = repo(&env, "proj");
    let new = "scan-set-db-value-NEW-987654";
    stage(&env, &dir, &[DB, new]);
    settle();
    assert_eq!(scan_kept(&env, &dir), (1, false), "built, one value");
    assert_eq!(scan_kept(&env, &dir), (1, true), "kept, the same value");

    // The same store advanced in a copy, then copied back over it.
    let copy = env.path().join("copy");
    let status = std::process::Command::new("cp")
        .arg("-a")
        .arg(&env.store)
        .arg(&copy)
        .status()
        .unwrap();
    assert!(status.success());
    Run(env
        .cmd()
        .env("SM_STORE", &copy)
        .args(["put", "app/db", "--stdin"])
        .write_stdin(new.as_bytes().to_vec())
        .output()
        .unwrap())
    .success();
    let meta = env.secret_dir("app/db").join("meta.toml");
    let inode = std::fs::metadata(&meta).unwrap().ino();
    let status = std::process::Command::new("cp")
        .arg("-r")
        .arg(format!("{}/.", copy.display()))
        .arg(&env.store)
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(
        std::fs::metadata(&meta).unwrap().ino(),
        inode,
        "cp wrote meta.toml in place"
    );
    settle();
    assert_eq!(
        scan_kept(&env, &dir),
        (2, false),
        "rebuilt: the new value and the previous one"
    );
    assert_eq!(scan_kept(&env, &dir), (2, true), "kept again");
    assert_eq!(env.get("app/db"), new.as_bytes());
}

/// A version this identity cannot read is watched more closely: a rewrap
/// that re-encrypts it to this identity changes only files in `versions/`
/// (not `meta.toml`, the member list or the rules), and the next scan
/// matches the value rather than keep the literal set without it.
#[test]
fn a_rewrap_that_lets_this_identity_read_a_version_is_seen() {
    let env = TestEnv::new();
    env.put("app/db", DB.as_bytes()).success();
    let bob = add_member_with(&env, "bob", &["--no-rewrap"]).identity;
    let dir = repo(&env, "proj");
    stage(&env, &dir, &[DB]);
    let as_bob = || {
        Run(env
            .cmd()
            .current_dir(&dir)
            .env("SM_STORE", &env.store)
            .env("SM_IDENTITY_FILE", &bob)
            .args(["scan", "--staged", "-v", "--format", "json"])
            .output()
            .unwrap())
    };
    settle();
    for pass in ["built", "kept"] {
        let run = as_bob();
        assert_eq!(
            run.json()["findings"].as_array().unwrap().len(),
            0,
            "{pass}"
        );
        assert!(
            run.stderr().contains("not matching app/db"),
            "{pass}: {}",
            run.stderr()
        );
    }
    assert!(as_bob().stderr().contains("kept from the last scan"));

    let meta = env.secret_dir("app/db").join("meta.toml");
    let before = std::fs::read(&meta).unwrap();
    env.sm(&["rewrap"]).success();
    assert_eq!(std::fs::read(&meta).unwrap(), before, "meta.toml unchanged");
    settle();
    let run = as_bob();
    assert_eq!(
        run.json()["findings"].as_array().unwrap().len(),
        1,
        "{}",
        run.stderr()
    );
}

/// While nothing changed, a staged scan in which no file holds the start
/// of any value's literal reads only the kept gate: the credential rules
/// still run. A staged value, in any encoding, passes the gate and is
/// matched by the kept literal set.
#[test]
fn the_gate_spares_the_literal_set_and_never_a_value() {
    let env = TestEnv::new();
    env.put("app/db", DB.as_bytes()).success();
    let dir = repo(&env, "proj");
    let key = format!("aws_access_key_id = {}{}\n", "AKIA", "Z7XQ4MNB2KDL3PWA");
    write(&dir, "creds.ini", &key);
    git(&env, &dir, &["add", "creds.ini"]).success();
    settle();
    let scan = || sm_at(&env, &dir, &["scan", "--staged", "-v", "--format", "json"]);
    scan();
    let run = scan();
    let rules: Vec<String> = run.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(rules.len(), 1, "{rules:?}");
    assert!(rules[0].contains("aws"), "{rules:?}");
    assert!(
        run.stderr()
            .contains("no staged file holds the start of one"),
        "{}",
        run.stderr()
    );

    use base64::Engine as _;
    let encoded = base64::engine::general_purpose::STANDARD.encode(DB);
    write(&dir, "leak.txt", format!("token: {encoded}\n"));
    git(&env, &dir, &["add", "leak.txt"]).success();
    let run = scan();
    assert!(
        run.stderr()
            .contains("kept from the last scan: nothing changed"),
        "{}",
        run.stderr()
    );
    let report = run.json();
    let secrets: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["secret"].as_str())
        .collect();
    assert_eq!(secrets, ["app/db"], "{}", run.stdout());
}

/// A hostile clone: a secret folder that is a link out of the store (to a
/// folder holding a `meta.toml` of its own) is refused by the stamping
/// that runs before the store is opened, as by every other listing; the
/// scan names it, matches no value through it, and the kept records are
/// not used.
#[test]
fn a_linked_secret_folder_is_refused_by_the_early_stamping() {
    let env = TestEnv::new();
    env.put("app/db", DB.as_bytes()).success();
    let dir = repo(&env, "proj");
    stage(&env, &dir, &[DB]);
    settle();
    assert_eq!(found(&env, &dir), ["app/db"]);

    let outside = env.path().join("outside/x.secret");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::copy(
        env.secret_dir("app/db").join("meta.toml"),
        outside.join("meta.toml"),
    )
    .unwrap();
    std::os::unix::fs::symlink(&outside, env.store.join("secrets/app/evil.secret")).unwrap();
    settle();
    let run = sm_at(&env, &dir, &["scan", "--staged", "-v", "--format", "json"]);
    assert!(run.stderr().contains("evil.secret"), "{}", run.stderr());
    assert!(
        !run.stderr().contains("kept from the last scan"),
        "{}",
        run.stderr()
    );
    assert_eq!(run.json()["findings"].as_array().unwrap().len(), 0);
}
