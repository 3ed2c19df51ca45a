//! The hostile shapes of issue 13 as a systematic fuzz target: every file
//! and folder a store has is replaced, one at a time, by every shape a
//! cloned repository or another local user can put there (a link to a
//! file or folder outside, a link to `/dev/zero`, a dangling link, a FIFO,
//! a 3 GB sparse file, a folder where a file belongs), and the library's
//! whole surface runs over it: open, get, put, list, versions, log, verify,
//! doctor. No combination may panic, hang, allocate the file, or change a
//! byte outside the store.

use std::os::unix::fs::symlink;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use sm::crypto::Identity;
use sm::store::{GetRequest, PutRequest, Selector, Store};

/// The store paths replaced, `{id}` standing for the version id.
const PATHS: &[&str] = &[
    ".sm",
    ".sm/store.toml",
    ".sm/members.toml",
    ".sm/log",
    ".sm/log/alice",
    ".sm/log/alice/test.jsonl",
    ".sm/log/alice.jsonl",
    ".sm/locks",
    ".sm/locks/store.lock",
    "secrets",
    "secrets/db.secret",
    "secrets/db.secret/meta.toml",
    "secrets/db.secret/versions",
    "secrets/db.secret/versions/{id}.age",
    "secrets/db.secret/versions/{id}.toml",
];

#[derive(Clone, Copy, Debug)]
enum Shape {
    LinkToOutsideFile,
    LinkToOutsideDir,
    LinkToDevZero,
    DanglingLink,
    Fifo,
    Sparse3G,
    DirInstead,
}

const SHAPES: &[Shape] = &[
    Shape::LinkToOutsideFile,
    Shape::LinkToOutsideDir,
    Shape::LinkToDevZero,
    Shape::DanglingLink,
    Shape::Fifo,
    Shape::Sparse3G,
    Shape::DirInstead,
];

/// Everything under `dir` (not following links) with its bytes.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                todo.push(entry.path());
            } else {
                out.push((entry.path(), std::fs::read(entry.path()).unwrap()));
            }
        }
    }
    out.sort();
    out
}

fn replace(path: &Path, shape: Shape, outside: &Path) {
    if path.is_dir() && !path.is_symlink() {
        std::fs::remove_dir_all(path).unwrap();
    } else if path.symlink_metadata().is_ok() {
        std::fs::remove_file(path).unwrap();
    }
    match shape {
        Shape::LinkToOutsideFile => symlink(outside.join("notes.db"), path).unwrap(),
        Shape::LinkToOutsideDir => symlink(outside, path).unwrap(),
        Shape::LinkToDevZero => symlink("/dev/zero", path).unwrap(),
        Shape::DanglingLink => symlink(outside.join("created-by-sm"), path).unwrap(),
        Shape::Fifo => rustix::fs::mknodat(
            rustix::fs::CWD,
            path,
            rustix::fs::FileType::Fifo,
            rustix::fs::Mode::from_bits_truncate(0o644),
            0,
        )
        .unwrap(),
        Shape::Sparse3G => std::fs::File::create(path)
            .unwrap()
            .set_len(3_000_000_000)
            .unwrap(),
        Shape::DirInstead => std::fs::create_dir(path).unwrap(),
    }
}

/// Runs the library's surface over the store; returns a short outcome.
fn exercise(root: &Path, identity: &Identity, version: &str) -> String {
    let store = match Store::open(root) {
        Ok(s) => s,
        Err(e) => return format!("open: {}", e.exit_code()),
    };
    let mut codes = Vec::new();
    let mut note = |r: sm::Result<()>| codes.push(r.err().map(|e| e.exit_code()).unwrap_or(0));
    note(
        store
            .get(
                identity,
                &GetRequest {
                    name: "db",
                    selector: Selector::Version(version.to_string()),
                },
            )
            .map(|_| ()),
    );
    note(sm::audit::append(
        &store,
        identity,
        sm::audit::Target {
            member: "alice",
            device: "test",
            memory: None,
        },
        &[sm::audit::Event::ok("get", Some("db"))],
        false,
    ));
    note(
        store
            .put(
                identity,
                &PutRequest {
                    name: "db",
                    ..PutRequest::default()
                },
                b"new value",
            )
            .map(|_| ()),
    );
    note(store.list(|_| true).map(|_| ()));
    note(store.versions("db").map(|_| ()));
    note(sm::audit::read_all(&store).map(|_| ()));
    note(
        sm::verify::verify_store(root, |_| Ok(None)).and_then(|report| {
            match report.problems.first() {
                Some(p) => Err(sm::Error::integrity(&p.file, p.reason.clone())),
                None => Ok(()),
            }
        }),
    );
    note(store.doctor().map(|_| ()));
    format!("{codes:?}")
}

#[test]
fn hostile_shapes_never_escape_the_store() {
    let mut outcomes = Vec::new();
    for rel in PATHS {
        for shape in SHAPES {
            let dir = tempfile::tempdir().unwrap();
            let root = dir.path().join("store");
            let outside = dir.path().join("outside");
            std::fs::create_dir_all(&outside).unwrap();
            std::fs::write(outside.join("notes.db"), b"notes\nno newline").unwrap();
            std::fs::write(outside.join("old.age"), b"a backup").unwrap();
            let (identity, _) = Identity::generate();
            let store = Store::init(&root, &identity, "alice", &[]).unwrap();
            let put = store
                .put(
                    &identity,
                    &PutRequest {
                        name: "db",
                        ..PutRequest::default()
                    },
                    b"value",
                )
                .unwrap();
            sm::audit::append(
                &store,
                &identity,
                sm::audit::Target {
                    member: "alice",
                    device: "test",
                    memory: None,
                },
                &[sm::audit::Event::ok("put", Some("db"))],
                false,
            )
            .unwrap();
            drop(store);
            let before = snapshot(&outside);
            let path = root.join(rel.replace("{id}", &put.version_id));
            replace(&path, *shape, &outside);
            let started = Instant::now();
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                exercise(&root, &identity, &put.version_id)
            }));
            let took = started.elapsed();
            let outcome = outcome.unwrap_or_else(|_| panic!("{rel} as {shape:?}: sm panicked"));
            assert_eq!(
                snapshot(&outside),
                before,
                "{rel} as {shape:?}: a file outside the store changed"
            );
            assert!(
                took < Duration::from_secs(20),
                "{rel} as {shape:?}: took {took:?}"
            );
            // A link or FIFO on a path sm uses is refused with exit 5 by
            // at least one of the operations (verify and doctor walk all).
            let special = !matches!(shape, Shape::Sparse3G | Shape::DirInstead);
            assert!(
                !special || outcome.contains('5'),
                "{rel} as {shape:?}: nothing refused it ({outcome})"
            );
            outcomes.push(format!("{rel} {shape:?}: {outcome}"));
        }
    }
    eprintln!(
        "fuzz_shapes: {} combinations, outcomes (open, or get/append/put/list/versions/log/verify/doctor exit codes):\n{}",
        outcomes.len(),
        outcomes.join("\n")
    );
}
