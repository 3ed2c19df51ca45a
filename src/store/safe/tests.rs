//! Unit tests of the safe path layer, run through `openat2` and through the
//! `openat` walk that replaces it on kernels without it.

use std::os::unix::fs::symlink;

use super::*;
use crate::store::fsio::Durability;

/// A store folder, an outside folder with a file in it, and the two ways
/// to open the store.
struct Fixture {
    _dir: tempfile::TempDir,
    root: PathBuf,
    outside: PathBuf,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("store");
    let outside = dir.path().join("outside");
    std::fs::create_dir_all(root.join("secrets/a.secret/versions")).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("notes.db"), b"precious").unwrap();
    std::fs::write(root.join("secrets/a.secret/meta.toml"), b"meta").unwrap();
    Fixture {
        _dir: dir,
        root,
        outside,
    }
}

/// Both resolvers: `openat2` (where the kernel has it) and the walk.
fn both(root: &Path) -> [StoreFs; 2] {
    let fs = StoreFs::open(root).unwrap();
    let mut walk = fs.clone();
    walk.openat2 = false;
    [fs, walk]
}

fn integrity_file(e: Error) -> (PathBuf, String) {
    match e {
        Error::Integrity { file, reason, .. } => (file, reason),
        other => panic!("expected an integrity error, got {other:?}"),
    }
}

#[test]
fn reads_a_regular_file_and_reports_a_missing_one() {
    let f = fixture();
    for fs in both(&f.root) {
        let meta = f.root.join("secrets/a.secret/meta.toml");
        assert_eq!(fs.read(&meta, 100).unwrap().unwrap(), b"meta");
        assert_eq!(
            fs.read(Path::new("secrets/a.secret/meta.toml"), 100)
                .unwrap()
                .unwrap(),
            b"meta"
        );
        assert!(
            fs.read(&f.root.join("secrets/none/meta.toml"), 100)
                .unwrap()
                .is_none()
        );
    }
}

#[test]
fn a_link_anywhere_on_the_path_is_refused_and_named() {
    let f = fixture();
    symlink(&f.outside, f.root.join("secrets/prod")).unwrap();
    symlink(
        f.outside.join("notes.db"),
        f.root.join("secrets/a.secret/versions/x.age"),
    )
    .unwrap();
    for fs in both(&f.root) {
        let (file, reason) = integrity_file(
            fs.read(&f.root.join("secrets/prod/notes.db"), 100)
                .unwrap_err(),
        );
        assert_eq!(file, f.root.join("secrets/prod"));
        assert!(reason.contains("symbolic link"), "{reason}");
        let (file, _) = integrity_file(
            fs.read(&f.root.join("secrets/a.secret/versions/x.age"), 100)
                .unwrap_err(),
        );
        assert_eq!(file, f.root.join("secrets/a.secret/versions/x.age"));
    }
}

#[test]
fn writes_never_go_through_a_link() {
    let f = fixture();
    symlink(&f.outside, f.root.join("secrets/prod")).unwrap();
    for fs in both(&f.root) {
        let err = fs
            .create_dir_all(&f.root.join("secrets/prod/key.secret/versions"))
            .unwrap_err();
        assert_eq!(integrity_file(err).0, f.root.join("secrets/prod"));
        let err = fs
            .write_atomic(
                &f.root.join("secrets/prod/x"),
                b"attack",
                Durability::Deferred,
            )
            .unwrap_err();
        assert_eq!(integrity_file(err).0, f.root.join("secrets/prod"));
    }
    let outside: Vec<_> = std::fs::read_dir(&f.outside).unwrap().collect();
    assert_eq!(outside.len(), 1, "something was written outside the store");
    assert_eq!(
        std::fs::read(f.outside.join("notes.db")).unwrap(),
        b"precious"
    );
}

#[test]
fn a_linked_lock_or_log_is_neither_created_nor_touched() {
    let f = fixture();
    std::fs::create_dir_all(f.root.join(".sm/locks")).unwrap();
    std::fs::create_dir_all(f.root.join(".sm/log")).unwrap();
    let target = f.outside.join("created-by-lock");
    symlink(&target, f.root.join(".sm/locks/x.lock")).unwrap();
    symlink(
        f.outside.join("notes.db"),
        f.root.join(".sm/log/alice.jsonl"),
    )
    .unwrap();
    for fs in both(&f.root) {
        let err = fs.open_lock(&f.root.join(".sm/locks/x.lock")).unwrap_err();
        assert_eq!(integrity_file(err).0, f.root.join(".sm/locks/x.lock"));
        let err = fs
            .open_append(&f.root.join(".sm/log/alice.jsonl"))
            .unwrap_err();
        assert_eq!(integrity_file(err).0, f.root.join(".sm/log/alice.jsonl"));
    }
    assert!(!target.exists());
    assert_eq!(
        std::fs::read(f.outside.join("notes.db")).unwrap(),
        b"precious"
    );
}

#[test]
fn a_fifo_is_refused_without_hanging() {
    let f = fixture();
    let fifo = f.root.join("secrets/a.secret/versions/v.age");
    rustix::fs::mknodat(
        rustix::fs::CWD,
        &fifo,
        FileType::Fifo,
        Mode::from_bits_truncate(0o644),
        0,
    )
    .unwrap();
    for fs in both(&f.root) {
        let (file, reason) = integrity_file(fs.read(&fifo, 100).unwrap_err());
        assert_eq!(file, fifo);
        assert!(reason.contains("FIFO"), "{reason}");
        let err = fs.open_append(&fifo).unwrap_err();
        assert_eq!(integrity_file(err).0, fifo);
    }
}

#[test]
fn files_over_the_cap_are_refused_before_reading() {
    let f = fixture();
    let big = f.root.join("secrets/a.secret/versions/big.age");
    let file = std::fs::File::create(&big).unwrap();
    // Sparse: 3 GB on paper, nothing on disk; reading it would take long.
    file.set_len(3_000_000_000).unwrap();
    for fs in both(&f.root) {
        let started = std::time::Instant::now();
        let (file, reason) = integrity_file(fs.read(&big, MAX_CIPHERTEXT_LEN).unwrap_err());
        assert_eq!(file, big);
        assert!(reason.contains("3000000000 bytes"), "{reason}");
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
    }
}

#[test]
fn paths_leading_outside_are_refused() {
    let f = fixture();
    for fs in both(&f.root) {
        for bad in [
            "../outside/notes.db",
            "secrets/../../outside/notes.db",
            "/etc/passwd",
        ] {
            let err = fs.read(Path::new(bad), 100).unwrap_err();
            assert!(
                integrity_file(err).1.contains("outside the store"),
                "{bad} was not refused"
            );
        }
    }
}

#[test]
fn special_files_are_all_listed_and_remove_tree_refuses_them() {
    let f = fixture();
    symlink(&f.outside, f.root.join("secrets/a.secret/versions")).unwrap_or_else(|_| {
        std::fs::remove_dir(f.root.join("secrets/a.secret/versions")).unwrap();
        symlink(&f.outside, f.root.join("secrets/a.secret/versions")).unwrap();
    });
    symlink("/dev/zero", f.root.join("secrets/a.secret/zero")).unwrap();
    for fs in both(&f.root) {
        let found = fs.special_files(&f.root.join("secrets")).unwrap();
        let paths: Vec<_> = found.iter().map(|(p, _)| p.clone()).collect();
        assert_eq!(
            paths,
            vec![
                f.root.join("secrets/a.secret/versions"),
                f.root.join("secrets/a.secret/zero"),
            ]
        );
        assert!(found.iter().all(|(_, k)| *k == Kind::Symlink));
        let err = fs
            .remove_tree(&f.root.join("secrets/a.secret"))
            .unwrap_err();
        integrity_file(err);
        assert!(f.root.join("secrets/a.secret/meta.toml").exists());
    }
    assert_eq!(
        std::fs::read(f.outside.join("notes.db")).unwrap(),
        b"precious"
    );
}

#[test]
fn remove_tree_removes_a_plain_tree() {
    let f = fixture();
    std::fs::write(f.root.join("secrets/a.secret/versions/1.age"), b"x").unwrap();
    let fs = StoreFs::open(&f.root).unwrap();
    fs.remove_tree(&f.root.join("secrets/a.secret")).unwrap();
    assert!(!f.root.join("secrets/a.secret").exists());
    assert!(f.root.join("secrets").is_dir());
}

#[test]
fn atomic_write_replaces_a_link_instead_of_writing_through_it() {
    let f = fixture();
    let meta = f.root.join("secrets/a.secret/meta.toml");
    std::fs::remove_file(&meta).unwrap();
    symlink(f.outside.join("notes.db"), &meta).unwrap();
    let fs = StoreFs::open(&f.root).unwrap();
    fs.write_atomic(&meta, b"new", Durability::Sync).unwrap();
    assert_eq!(
        std::fs::read(f.outside.join("notes.db")).unwrap(),
        b"precious"
    );
    assert!(std::fs::symlink_metadata(&meta).unwrap().is_file());
    assert_eq!(fs.read(&meta, 10).unwrap().unwrap(), b"new");
}

#[test]
fn a_log_hard_linked_to_a_file_outside_takes_no_append() {
    let f = fixture();
    std::fs::create_dir_all(f.root.join(".sm/log")).unwrap();
    let log = f.root.join(".sm/log/alice.jsonl");
    std::fs::hard_link(f.outside.join("notes.db"), &log).unwrap();
    for fs in both(&f.root) {
        let (file, reason) = integrity_file(fs.open_append(&log).unwrap_err());
        assert_eq!(file, log);
        assert!(reason.contains("hard links"), "{reason}");
    }
    assert_eq!(
        std::fs::read(f.outside.join("notes.db")).unwrap(),
        b"precious"
    );
}

#[test]
fn stamp_all_stamps_the_inner_files_and_sees_an_edit_in_place() {
    let f = fixture();
    std::fs::write(f.root.join("secrets/a.secret/meta.toml"), "v = 1\n").unwrap();
    std::fs::write(f.root.join("secrets/plain"), "x").unwrap();
    for fs in both(&f.root) {
        let secrets = f.root.join("secrets");
        let names = [
            Some(OsStr::new("a.secret")),
            None,
            Some(OsStr::new("plain")),
            Some(OsStr::new("gone.secret")),
        ];
        let inner: &[&str] = &["meta.toml", "versions"];
        let all = fs.stamp_all(&secrets, &names, |_| inner).unwrap();
        let a = all[0].as_ref().expect("a folder is stamped");
        assert_eq!(a.kinds(), [Some(Kind::File), Some(Kind::Dir)]);
        assert!(all[1].is_none(), "passed over");
        assert!(all[2].is_none(), "a file, not a folder");
        let gone = all[3].as_ref().expect("absent files are stamped as such");
        assert_eq!(gone.kinds(), [None, None]);
        // Rewritten in place (same inode, same folder): the stamp changes.
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(f.root.join("secrets/a.secret/meta.toml"), "v = 2\n").unwrap();
        let again = fs.stamp_all(&secrets, &names, |_| inner).unwrap();
        assert_ne!(again[0].as_ref().unwrap().bytes(), a.bytes());
    }
}
