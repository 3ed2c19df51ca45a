use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};

use super::*;

const ALICE: &str = "ed25519:alice";
const BOB: &str = "ed25519:bob";

fn seen() -> (tempfile::TempDir, Seen) {
    let tmp = tempfile::tempdir().unwrap();
    fs::set_permissions(tmp.path(), fs::Permissions::from_mode(0o700)).unwrap();
    let seen = Seen::at(tmp.path().join("seen").join("k"));
    (tmp, seen)
}

fn header<'a>(seq: u64, byte: u8, signer: &'a str, admins: &[&'a str]) -> HeaderSeen<'a> {
    HeaderSeen {
        format: if seq == 0 { 1 } else { 2 },
        seq,
        digest: if seq == 0 { [0; 32] } else { [byte; 32] },
        signer_key: signer,
        admin_keys: admins.to_vec(),
        file: Path::new("/store/.sm/header.toml"),
    }
}

/// A fresh memory over the same folder (as the next command builds).
fn reopen(seen: &Seen) -> Seen {
    Seen::at(seen.dir().to_path_buf())
}

fn message(err: Error) -> String {
    assert_eq!(err.exit_code(), 5, "{err}");
    assert!(err.hint().is_some());
    err.to_string()
}

#[test]
fn header_is_remembered_and_rollback_is_refused() {
    let (_tmp, seen) = seen();
    seen.header(&header(3, 1, ALICE, &[ALICE])).unwrap();
    let file = seen.dir().join(HEADER);
    assert_eq!(fs::metadata(&file).unwrap().mode() & 0o777, 0o600);
    assert_eq!(fs::metadata(seen.dir()).unwrap().mode() & 0o777, 0o700);
    let seen = reopen(&seen);
    // The same header again: nothing is written.
    let before = fs::metadata(&file).unwrap().ino();
    seen.header(&header(3, 1, ALICE, &[ALICE])).unwrap();
    assert_eq!(fs::metadata(&file).unwrap().ino(), before);
    let err = reopen(&seen)
        .header(&header(2, 1, ALICE, &[ALICE]))
        .unwrap_err();
    let text = message(err);
    assert!(text.contains("header.toml"), "{text}");
    assert!(
        text.contains("rolled back from sequence 3 to 2 (this machine trusted sequence 3 on "),
        "{text}"
    );
}

#[test]
fn header_replaced_at_the_same_sequence_is_refused() {
    let (_tmp, seen) = seen();
    seen.header(&header(3, 1, ALICE, &[ALICE])).unwrap();
    let err = reopen(&seen)
        .header(&header(3, 2, ALICE, &[ALICE]))
        .unwrap_err();
    let text = message(err);
    assert!(
        text.contains("replaced: sequence 3 has other content than the one this machine trusted"),
        "{text}"
    );
    let hint = reopen(&seen)
        .header(&header(3, 2, ALICE, &[ALICE]))
        .unwrap_err()
        .hint()
        .unwrap()
        .to_string();
    assert!(
        hint.contains("git log -p -- /store/.sm/header.toml"),
        "{hint}"
    );
    assert!(hint.contains("sm doctor --reset-trust"), "{hint}");
}

#[test]
fn missing_header_is_refused_once_one_was_trusted() {
    let (_tmp, seen) = seen();
    // A format-1 store (no header) with nothing trusted: fine, nothing kept.
    seen.header(&header(0, 0, "", &[])).unwrap();
    assert!(!seen.dir().join(HEADER).exists());
    seen.header(&header(1, 1, ALICE, &[ALICE])).unwrap();
    let text = message(reopen(&seen).header(&header(0, 0, "", &[])).unwrap_err());
    assert!(
        text.contains("the signed header is missing; this machine trusted header sequence 1"),
        "{text}"
    );
}

#[test]
fn newer_header_must_be_signed_by_a_trusted_admin() {
    let (_tmp, seen) = seen();
    seen.header(&header(1, 1, ALICE, &[ALICE])).unwrap();
    // Bob is not an admin in sequence 1, though he names himself one.
    let text = message(
        reopen(&seen)
            .header(&header(2, 2, BOB, &[ALICE, BOB]))
            .unwrap_err(),
    );
    assert!(
        text.contains("header sequence 2 is signed by a key that was not an admin in the header this machine trusted (sequence 1)"),
        "{text}"
    );
    // Alice makes Bob an admin; then Bob's headers are accepted.
    let seen = reopen(&seen);
    seen.header(&header(2, 2, ALICE, &[ALICE, BOB])).unwrap();
    reopen(&seen).header(&header(3, 3, BOB, &[BOB])).unwrap();
    // Alice was removed in sequence 3: she cannot re-admit herself.
    let text = message(
        reopen(&seen)
            .header(&header(4, 4, ALICE, &[ALICE, BOB]))
            .unwrap_err(),
    );
    assert!(text.contains("(sequence 3)"), "{text}");
}

#[test]
fn secrets_rise_and_rollback_replace_and_missing_are_refused() {
    let (_tmp, seen) = seen();
    let file = Path::new("/store/secrets/db.secret/meta.toml");
    seen.secret("db", 4, &[1; 32], file).unwrap();
    seen.secret("db", 4, &[1; 32], file).unwrap();
    let text = message(seen.secret("db", 3, &[9; 32], file).unwrap_err());
    assert!(text.contains("meta.toml"), "{text}");
    assert!(text.contains("rolled back from sequence 4 to 3"), "{text}");
    let text = message(seen.secret("db", 4, &[2; 32], file).unwrap_err());
    assert!(text.contains("replaced: sequence 4"), "{text}");
    seen.secret("db", 5, &[2; 32], file).unwrap();
    let text = message(reopen(&seen).secret("db", 4, &[1; 32], file).unwrap_err());
    assert!(text.contains("rolled back from sequence 5 to 4"), "{text}");

    let text = message(seen.missing("db", file).unwrap_err());
    assert!(
        text.contains("missing: this machine saw secret `db` at sequence 5, and no signed tombstone says it was deleted"),
        "{text}"
    );
    // Never seen here: it never existed as far as this machine knows.
    seen.missing("other", file).unwrap();
    // A tombstone rises above the metadata it replaces.
    seen.secret("db", 6, &[3; 32], file).unwrap();
    seen.secret("api/key", 1, &[4; 32], file).unwrap();
    assert_eq!(
        reopen(&seen).seen_secrets(),
        vec![("api/key".to_string(), 1), ("db".to_string(), 6)]
    );
    let mark = seen.secret_file("db");
    assert_eq!(mark.file_name().unwrap().len(), 24);
    assert_eq!(fs::metadata(&mark).unwrap().mode() & 0o777, 0o600);
    assert_eq!(
        fs::metadata(mark.parent().unwrap()).unwrap().mode() & 0o777,
        0o700
    );
}

#[test]
fn a_remembered_sequence_never_goes_down() {
    let (_tmp, seen) = seen();
    let path = seen.secret_file("db");
    let mark = |seq| SecretMark {
        name: "db".into(),
        seq,
        digest: hex::encode([seq as u8; 32]),
        trusted: now(),
    };
    seen.remember(&path, &mark(5), |m| m.seq).unwrap();
    // Another sm that read the store earlier writes later: ignored.
    seen.remember(&path, &mark(3), |m| m.seq).unwrap();
    assert_eq!(read_mark::<SecretMark>(&path).unwrap().unwrap().seq, 5);
}

#[test]
fn damaged_or_unprotected_seen_files_are_refused() {
    let (_tmp, seen) = seen();
    let file = Path::new("/store/secrets/db.secret/meta.toml");
    seen.secret("db", 1, &[1; 32], file).unwrap();
    let mark = seen.secret_file("db");
    fs::write(&mark, "not = [toml").unwrap();
    let err = seen.secret("db", 1, &[1; 32], file).unwrap_err();
    assert_eq!(err.exit_code(), 5);
    assert!(err.to_string().contains(&*mark.to_string_lossy()), "{err}");
    assert!(err.hint().unwrap().contains("--reset-trust"));

    seen.secret("x", 1, &[1; 32], file).unwrap();
    let mark = seen.secret_file("x");
    fs::set_permissions(&mark, fs::Permissions::from_mode(0o666)).unwrap();
    let err = seen.missing("x", file).unwrap_err();
    assert_eq!(err.exit_code(), 5);
    assert!(err.to_string().contains("other users may write"), "{err}");
    assert!(err.hint().unwrap().contains("--reset-trust"));

    seen.header(&header(1, 1, ALICE, &[ALICE])).unwrap();
    fs::write(seen.dir().join(HEADER), "seq = 'x'\n").unwrap();
    let err = reopen(&seen)
        .header(&header(1, 1, ALICE, &[ALICE]))
        .unwrap_err();
    assert_eq!(err.exit_code(), 5);
    assert!(
        err.to_string().contains("seen-state file is damaged"),
        "{err}"
    );
}

#[test]
fn a_file_rewritten_since_it_was_read_is_a_race_not_a_rollback() {
    let (tmp, seen) = seen();
    let file = tmp.path().join("meta.toml");
    fs::write(&file, b"seq 5").unwrap();
    seen.secret("db", 5, &crate::cache::digest(&[b"seq 5"]), &file)
        .unwrap();
    // Another sm read seq 4 just before seq 5 was written: not refused,
    // and the memory keeps 5.
    seen.secret("db", 4, &crate::cache::digest(&[b"seq 4"]), &file)
        .unwrap();
    assert_eq!(seen.seen_secrets(), vec![("db".to_string(), 5)]);
    // The same older bytes actually on disk: a replay.
    fs::write(&file, b"seq 4").unwrap();
    let err = seen
        .secret("db", 4, &crate::cache::digest(&[b"seq 4"]), &file)
        .unwrap_err();
    assert!(err.to_string().contains("rolled back from sequence 5 to 4"));
}
