//! A read-only checkout (issue 14, item 7): reads work, logging to the
//! user's own log outside the store with one notice; writes fail with a
//! clear error (exit 4, never 1). Root bypasses file modes, so the store is
//! made read-only by a read-only bind mount (needs root; skipped otherwise).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::TestEnv;

/// Unmounts the read-only bind mount when the test ends, however it ends.
struct ReadOnlyMount(PathBuf);

impl ReadOnlyMount {
    fn new(dir: &Path) -> Option<ReadOnlyMount> {
        let ok = |args: &[&str]| {
            Command::new("mount")
                .args(args)
                .arg(dir)
                .arg(dir)
                .output()
                .is_ok_and(|o| o.status.success())
        };
        if !ok(&["--bind"]) {
            return None;
        }
        let guard = ReadOnlyMount(dir.to_path_buf());
        if !ok(&["-o", "remount,ro,bind"]) {
            return None;
        }
        Some(guard)
    }
}

impl Drop for ReadOnlyMount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_read_only_store_reads_logging_outside_and_refuses_writes() {
    let env = TestEnv::new();
    env.put("db/password", b"hunter2");
    let Some(_mount) = ReadOnlyMount::new(&env.store) else {
        eprintln!("SKIPPED: a read-only bind mount needs root");
        return;
    };
    // Really read-only, even to root.
    assert!(std::fs::write(env.store.join("probe"), b"x").is_err());

    let run = env.sm(&["get", "db/password"]).success();
    assert_eq!(run.stdout(), "hunter2");
    assert_eq!(run.stderr().matches("store is read-only").count(), 1);
    // -q silences the notice, not the read.
    let run = env.sm(&["-q", "get", "db/password"]).success();
    assert_eq!(run.stderr(), "");
    env.sm(&[
        "exec",
        "-s",
        "db/password=PW",
        "--",
        "sh",
        "-c",
        "test \"$PW\" = hunter2",
    ])
    .success()
    .stderr_has("store is read-only");

    // The entries are in the user's own log, chained line by line.
    let logs = env.home.join(".local/share/sm/logs");
    let files: Vec<PathBuf> = crate::common::walk(&logs)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let log = &files[0];
    assert!(log.ends_with("alice.jsonl"), "{}", log.display());
    use std::os::unix::fs::PermissionsExt as _;
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(log), 0o600);
    assert_eq!(mode(log.parent().unwrap()), 0o700);
    let text = std::fs::read_to_string(log).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    let mut prev = "0".repeat(64);
    for line in &lines {
        let entry: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(entry["prev"], prev.as_str(), "{text}");
        assert_eq!(entry["actor"], "alice");
        assert!(!entry["sig"].as_str().unwrap().is_empty());
        assert!(!line.contains("hunter2"));
        prev = sha256_hex(line.as_bytes());
    }
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(lines[2]).unwrap()["op"],
        "exec"
    );

    // A write needs the store: a clear error, exit 4, not 1.
    env.sm_in(&["put", "db/other", "--stdin"], b"x")
        .fails(4)
        .stderr_has("read-only");
}

fn sha256_hex(data: &[u8]) -> String {
    let out = Command::new("sha256sum")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write as _;
            child.stdin.take().unwrap().write_all(data)?;
            child.wait_with_output()
        })
        .unwrap();
    String::from_utf8(out.stdout).unwrap()[..64].to_string()
}

#[test]
fn a_read_only_store_and_data_folder_refuse_the_read_saying_why() {
    let env = TestEnv::new();
    env.put("db/password", b"hunter2");
    let data = env.home.join(".local/share");
    std::fs::create_dir_all(&data).unwrap();
    let Some(_data) = ReadOnlyMount::new(&data) else {
        eprintln!("SKIPPED: a read-only bind mount needs root");
        return;
    };
    let Some(_store) = ReadOnlyMount::new(&env.store) else {
        eprintln!("SKIPPED: a read-only bind mount needs root");
        return;
    };
    // Nowhere to log the read: refused (exit 4), naming both and the way
    // out, never claiming reads still work.
    let run = env.sm(&["get", "db/password"]).fails(4);
    assert_eq!(run.stdout(), "", "no value without its log entry");
    let err = run.stderr();
    assert!(err.contains("cannot log this read"), "{err}");
    assert!(err.contains("XDG_DATA_HOME"), "{err}");
    assert!(!err.contains("reads still work"), "{err}");
    assert!(!err.contains("hunter2"), "{err}");
}
