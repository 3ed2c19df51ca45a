//! The identity in a real OS keyring: the Secret Service (gnome-keyring) in
//! a private D-Bus session with its own HOME, never the user's keyring.

use crate::common::{TestEnv, have, sm_bin};

#[test]
fn identity_lives_in_a_real_secret_service_keyring() {
    let test = "identity_lives_in_a_real_secret_service_keyring";
    if !have("dbus-run-session", test) || !have("gnome-keyring-daemon", test) {
        return;
    }
    let env = TestEnv::bare();
    let store = env.path().join("ks");
    let script = format!(
        r#"set -e
printf 'test-keyring-password' | gnome-keyring-daemon --unlock --components=secrets >/dev/null
sm={sm}
$sm identity new --json > "$1/new.json"
$sm identity show --json > "$1/show.json"
$sm init "$1/ks" --name keyring-user
cd "$1/ks"
printf from-keyring | $sm put k --stdin
$sm get k > "$1/value"
$sm identity new 2> "$1/second.err" && exit 9 || true
"#,
        sm = sm_bin().display()
    );
    let mut cmd = env.std_cmd();
    cmd.env_remove("SM_NO_KEYRING")
        .env_remove("SM_IDENTITY_FILE");
    let out = std::process::Command::new("dbus-run-session")
        .args(["--", "sh", "-c", &script, "sh"])
        .arg(env.path())
        .envs(
            cmd.get_envs()
                .filter_map(|(k, v)| Some((k.to_owned(), v?.to_owned()))),
        )
        .env_remove("SM_NO_KEYRING")
        .env_remove("SM_IDENTITY_FILE")
        .current_dir(env.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "exit {:?}\n{}\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let new: serde_json::Value =
        serde_json::from_slice(&std::fs::read(env.path().join("new.json")).unwrap()).unwrap();
    let show: serde_json::Value =
        serde_json::from_slice(&std::fs::read(env.path().join("show.json")).unwrap()).unwrap();
    assert_eq!(new["location"], "the OS keyring");
    assert_eq!(new["recipient"], show["recipient"]);
    assert_eq!(
        std::fs::read(env.path().join("value")).unwrap(),
        b"from-keyring"
    );
    // No identity file was written: the key lives only in the keyring.
    assert!(!env.home.join(".config/sm/identity.txt").exists());
    assert!(store.join(".sm/store.toml").is_file());
    let second = std::fs::read_to_string(env.path().join("second.err")).unwrap();
    assert!(second.contains("will not overwrite"), "{second}");
}
