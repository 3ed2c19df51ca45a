//! Issue 13 item 8: the user's private files. Under `umask 000` the config
//! folder (identity, store pins, trusted hooks, their locks), the read cache
//! and the personal store's folder are still 0600 files in 0700 folders. A
//! pin or trust file other users may write is refused (exit 5) and left as
//! it is; an identity file others may read is refused (exit 4), as ssh
//! refuses an unprotected private key file.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use crate::common::{TestEnv, walk};

fn mode(path: &Path) -> u32 {
    std::fs::symlink_metadata(path)
        .unwrap()
        .permissions()
        .mode()
        & 0o7777
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// Every folder under `dir` (itself included).
fn folders(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = vec![dir.to_path_buf()];
    let mut i = 0;
    while i < out.len() {
        for e in std::fs::read_dir(&out[i]).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                out.push(p);
            }
        }
        i += 1;
    }
    out
}

#[test]
fn under_umask_000_private_files_are_0600_and_their_folders_0700() {
    let env = TestEnv::bare();
    let hook = env.path().join("hook.sh");
    std::fs::write(
        &hook,
        "#!/bin/sh\ncat >/dev/null\n[ \"$1\" = create ] && printf v2\nexit 0\n",
    )
    .unwrap();
    chmod(&hook, 0o755);
    // No identity anywhere: the first put creates one in the config folder
    // and the personal store; get fills the cache; rotate trusts a hook.
    let mut sh = env.shell(&format!(
        "umask 000 && printf v1 | \"$SM\" put app/token --stdin \
         && \"$SM\" get app/token && \"$SM\" get app/token \
         && \"$SM\" rotate app/token --hook '{}' --trust-hook && \"$SM\" get app/token",
        hook.display()
    ));
    sh.env_remove("SM_IDENTITY_FILE");
    let out = sh.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "v1v1v2");
    // The shell really ran under umask 000.
    let probe = env.path().join("probe");
    let mut sh = env.shell(&format!("umask 000 && : > '{}'", probe.display()));
    assert!(sh.status().unwrap().success());
    assert_eq!(mode(&probe), 0o666);

    let config = env.home.join(".config/sm");
    let cache = env.home.join(".cache/sm");
    let names: Vec<String> = walk(&config)
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    for expected in ["identity.txt", "known_stores.toml", "trusted_hooks.toml"] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} in {names:?}"
        );
    }
    assert!(!walk(&cache).is_empty(), "the cache holds entries");
    for root in [&config, &cache] {
        for file in walk(root) {
            assert_eq!(mode(&file), 0o600, "{}", file.display());
        }
        for dir in folders(root) {
            assert_eq!(mode(&dir), 0o700, "{}", dir.display());
        }
    }
    // The personal store's folder, and sm's data folder holding it: no
    // other user reaches any file inside.
    let data = env.home.join(".local/share/sm");
    assert_eq!(mode(&data), 0o700);
    assert_eq!(mode(&data.join("store")), 0o700);
}

#[test]
fn a_pin_file_others_may_write_is_refused_and_left_alone() {
    let env = TestEnv::new();
    env.put("api", b"v1");
    let pins = env.home.join(".config/sm/known_stores.toml");
    assert_eq!(mode(&pins), 0o600);
    // Another local user could now re-pin the store to their root key.
    chmod(&pins, 0o666);
    let before = std::fs::read(&pins).unwrap();
    let run = env.sm(&["get", "api"]).fails(5);
    assert!(run.stdout().is_empty());
    run.stderr_has(&pins.display().to_string())
        .stderr_has("0666")
        .stderr_has(&format!("chmod 600 {}", pins.display()));
    env.sm_in(&["put", "api", "--stdin"], b"v2").fails(5);
    assert_eq!(std::fs::read(&pins).unwrap(), before);
    assert_eq!(mode(&pins), 0o666, "sm does not fix it silently");
    assert_eq!(env.version_ids("api").len(), 1);
    // A folder others may write is the same danger (they replace the file).
    chmod(&pins, 0o600);
    chmod(pins.parent().unwrap(), 0o777);
    env.sm(&["get", "api"])
        .fails(5)
        .stderr_has(&format!("chmod 700 {}", pins.parent().unwrap().display()));
    chmod(pins.parent().unwrap(), 0o700);
    assert_eq!(env.get("api"), b"v1");
}

#[test]
fn a_trust_file_others_may_write_is_refused_and_the_hook_does_not_run() {
    let env = TestEnv::new();
    env.put("api", b"v1");
    let ran = env.path().join("hook-ran");
    std::fs::create_dir_all(env.store.join("hooks")).unwrap();
    let hook = env.store.join("hooks/rot");
    std::fs::write(
        &hook,
        format!(
            "#!/bin/sh\necho \"$1\" >> '{}'\ncat >/dev/null\n[ \"$1\" = create ] && printf v2\nexit 0\n",
            ran.display()
        ),
    )
    .unwrap();
    chmod(&hook, 0o755);
    env.sm(&[
        "rotate",
        "api",
        "--hook",
        "hooks/rot",
        "--trust-hook",
        "--no-rotate-now",
    ])
    .success();
    let trust = env.home.join(".config/sm/trusted_hooks.toml");
    assert_eq!(mode(&trust), 0o600);
    // Another local user could now trust any hook for this user.
    chmod(&trust, 0o646);
    let before = std::fs::read(&trust).unwrap();
    env.sm(&["rotate", "api"])
        .fails(5)
        .stderr_has(&trust.display().to_string())
        .stderr_has(&format!("chmod 600 {}", trust.display()));
    assert!(!ran.exists(), "the hook ran");
    assert_eq!(std::fs::read(&trust).unwrap(), before);
    assert_eq!(env.get("api"), b"v1");
    chmod(&trust, 0o600);
    env.sm(&["rotate", "api"]).success();
    assert_eq!(env.get("api"), b"v2");
}

#[test]
fn an_identity_file_others_may_read_is_refused_like_an_unprotected_ssh_key() {
    let env = TestEnv::new();
    env.put("api", b"v1");
    assert_eq!(mode(&env.identity), 0o600);
    for loose in [0o644, 0o640, 0o604] {
        chmod(&env.identity, loose);
        let run = env.sm(&["get", "api"]).fails(4);
        assert!(run.stdout().is_empty());
        run.stderr_has("UNPROTECTED PRIVATE KEY FILE")
            .stderr_has(&env.identity.display().to_string())
            .stderr_has(&format!("{loose:04o}"))
            .stderr_has(&format!("chmod 600 {}", env.identity.display()));
    }
    chmod(&env.identity, 0o400);
    assert_eq!(env.get("api"), b"v1");
}
