//! Fuzz targets that run on the stable toolchain: a seeded mutation loop
//! (bit flips, byte edits, dictionary tokens, splices, truncation) over a
//! corpus of real files, for every parser that reads what a stranger could
//! hand you: store.toml, members.toml, access.toml, meta.toml, version
//! records, age files, log lines, env files, templates, schedules, rotation hooks and
//! their trust file, and scan input. The store files are seeded with the hostile shapes of issue 13
//! (paths as names, giant strings, NULs, bad ids, 20,000 labels, deep
//! nesting, wrong types), each run once as it is before the mutations.
//!
//! Inputs that reach a new outcome (a different error, or success) join the
//! corpus, a cheap stand-in for coverage feedback. A panic is a finding: the
//! input is saved under `target/fuzz-findings/` and the test fails.
//! Each target runs `SM_FUZZ_SECS` seconds (default 1; `.ci/reliability`
//! runs longer) and prints its executions, rate and outcomes.

use std::collections::HashSet;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use sm::crypto::Identity;
use sm::store::{GetRequest, PutRequest, Selector, Store};

/// How long each target runs.
fn budget() -> Duration {
    let secs: f64 = std::env::var("SM_FUZZ_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1.0);
    Duration::from_secs_f64(secs)
}

/// Tokens that steer mutations into the formats' syntax.
const DICT: &[&[u8]] = &[
    b"\n",
    b"\r\n",
    b"=",
    b"\"",
    b"'",
    b"[",
    b"]",
    b"[[",
    b"]]",
    b"{",
    b"}",
    b",",
    b":",
    b"#",
    b"\\",
    b"\\u0000",
    b"\\uD800",
    b"\0",
    b"\xff",
    b"\xc3",
    b"true",
    b"null",
    b"[]",
    b"{}",
    b"-1",
    b"0",
    b"18446744073709551616",
    b"1e999",
    b"\"\"\"",
    b"'''",
    b"format = 2",
    b"[signature]",
    b"by = \"alice\"",
    b"ed25519:",
    b"age1",
    b"current",
    b"pending",
    b"-----BEGIN AGE ENCRYPTED FILE-----",
    b"-----END AGE ENCRYPTED FILE-----",
    b"age-encryption.org/v1",
    b"-> X25519 ",
    b"---",
    b"sm://",
    b"{{",
    b"}}",
    b"?label=",
    b"export ",
    b"cron(",
    b"rate(",
    b"days",
    b"*",
    b"?",
    b"AKIA",
    b"ghp_",
    b"password=",
    b"eyJ",
    b"postgres://u:p@h/db",
    b"sm:allow",
    b"AGE-SECRET-KEY-1",
];

/// Applies one to eight random mutations to `data`.
fn mutate(rng: &mut StdRng, data: &mut Vec<u8>, corpus: &[Vec<u8>]) {
    for _ in 0..rng.gen_range(1..=8) {
        let len = data.len();
        match rng.gen_range(0..9) {
            0 if len > 0 => {
                let i = rng.gen_range(0..len);
                data[i] ^= 1 << rng.gen_range(0..8);
            }
            1 if len > 0 => {
                let i = rng.gen_range(0..len);
                data[i] = rng.r#gen();
            }
            2 => {
                let i = rng.gen_range(0..=len);
                let token = DICT[rng.gen_range(0..DICT.len())];
                data.splice(i..i, token.iter().copied());
            }
            3 if len > 0 => {
                let a = rng.gen_range(0..len);
                let b = (a + rng.gen_range(1..=16.min(len - a))).min(len);
                data.drain(a..b);
            }
            4 if len > 0 => {
                let a = rng.gen_range(0..len);
                let b = (a + rng.gen_range(1..=32)).min(len);
                let copy = data[a..b].to_vec();
                let at = rng.gen_range(0..=len);
                data.splice(at..at, copy);
            }
            5 if len > 0 => data.truncate(rng.gen_range(0..len)),
            6 if !corpus.is_empty() => {
                let other = &corpus[rng.gen_range(0..corpus.len())];
                if !other.is_empty() {
                    let a = rng.gen_range(0..other.len());
                    let at = rng.gen_range(0..=len);
                    data.truncate(at);
                    data.extend_from_slice(&other[a..]);
                }
            }
            7 => {
                let i = rng.gen_range(0..=len);
                let n = rng.gen_range(1..8);
                let bytes: Vec<u8> = (0..n).map(|_| rng.gen_range(b' '..=b'~')).collect();
                data.splice(i..i, bytes);
            }
            _ if len > 0 => {
                // Replace a number-looking byte with an extreme digit run.
                let i = rng.gen_range(0..len);
                data.splice(i..i, b"99999999999999999999".iter().copied());
            }
            _ => data.push(rng.r#gen()),
        }
    }
    data.truncate(256 * 1024);
}

/// Runs one target: `run` returns a short outcome label (e.g. the error's
/// first words); a new label adds the input to the corpus.
fn fuzz(target: &str, seeds: Vec<Vec<u8>>, mut run: impl FnMut(&[u8]) -> String) {
    let seed: u64 = std::env::var("SM_RELIABILITY_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| rand::thread_rng().r#gen());
    let mut rng = StdRng::seed_from_u64(seed);
    let mut outcomes = HashSet::new();
    // Every seed runs once as it is (the hostile shapes are whole files),
    // then the loop mutates them.
    for (i, input) in seeds.iter().enumerate() {
        if let Err(panic) = catch_unwind(AssertUnwindSafe(|| run(input))) {
            finding(target, seed, &format!("seed{i}"), input, panic);
        }
    }
    let mut corpus = seeds;
    // Silence the default hook's report while catching; a finding is
    // reported below with its input.
    let deadline = Instant::now() + budget();
    let started = Instant::now();
    let mut execs = 0u64;
    while Instant::now() < deadline {
        let mut input = corpus[rng.gen_range(0..corpus.len())].clone();
        mutate(&mut rng, &mut input, &corpus);
        execs += 1;
        match catch_unwind(AssertUnwindSafe(|| run(&input))) {
            Ok(outcome) => {
                if outcomes.insert(outcome) && corpus.len() < 2000 {
                    corpus.push(input);
                }
            }
            Err(panic) => finding(target, seed, &execs.to_string(), &input, panic),
        }
    }
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "fuzz {target}: {execs} executions in {secs:.1}s ({:.0}/s), {} distinct outcomes, corpus {}, 0 findings (SM_RELIABILITY_SEED={seed})",
        execs as f64 / secs,
        outcomes.len(),
        corpus.len()
    );
}

/// Saves an input that panicked under `target/fuzz-findings/` and fails.
fn finding(
    target: &str,
    seed: u64,
    at: &str,
    input: &[u8],
    panic: Box<dyn std::any::Any + Send>,
) -> ! {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-findings");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("{target}-{seed}-{at}"));
    std::fs::write(&file, input).unwrap();
    let why = panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default();
    panic!(
        "fuzz {target}: panic at {at} (SM_RELIABILITY_SEED={seed}): {why}; input saved to {}",
        file.display()
    );
}

/// Hostile shapes of a store file, made from a real one (issue 13): every
/// member name, signer and version id replaced by a path, a giant string or
/// a NUL; deep nesting; wrong types; and `extra` (e.g. 20,000 labels).
fn hostile_seeds(original: &[u8], names: &[&str], extra: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    let text = String::from_utf8_lossy(original).into_owned();
    let mut out = vec![original.to_vec()];
    let giant = "a".repeat(200_000);
    for name in names {
        for evil in [
            "../../../../x",
            "a/b",
            "..",
            ".hidden",
            "",
            "x\\u0000y",
            "not-a-uuid/..",
            "01A207B4-C124-728F-AA91-7A763DDED3C2",
            giant.as_str(),
        ] {
            out.push(text.replace(name, evil).into_bytes());
        }
        // A raw NUL byte after the value, and one inside it.
        out.push(text.replace(name, &format!("{name}\0")).into_bytes());
        let mut raw = text.clone().into_bytes();
        if let Some(at) = text.find(name) {
            raw.insert(at + 1, 0);
        }
        out.push(raw);
    }
    let nest = |open: &str, close: &str, n: usize| {
        format!("{text}\ndeep = {}1{}\n", open.repeat(n), close.repeat(n)).into_bytes()
    };
    out.push(nest("[", "]", 5_000));
    out.push(nest("{a=", "}", 5_000));
    out.push(format!("{text}\n[{}]\nb = 1\n", vec!["a"; 5_000].join(".")).into_bytes());
    // Wrong types: strings become numbers, arrays and tables.
    out.push(text.replacen("= \"", "= 5 #\"", 3).into_bytes());
    out.push(
        text.replacen("= \"", "= [\"", 1)
            .replacen("\"\n", "\"]\n", 1)
            .into_bytes(),
    );
    out.push(
        text.replacen("= \"", "= { a = \"", 1)
            .replacen("\"\n", "\" }\n", 1)
            .into_bytes(),
    );
    out.extend(extra);
    out
}

/// The first words of an error: enough to tell outcomes apart without
/// counting every file path or line number as new.
fn label<T>(result: &sm::Result<T>) -> String {
    match result {
        Ok(_) => "ok".into(),
        Err(e) => {
            let kind = format!("{e:?}");
            let kind = kind.split([' ', '{', '(']).next().unwrap_or("").to_string();
            // An integrity error's reason, with its quoted parts (fields,
            // names) blanked: a new kind of refusal counts, a new value not.
            let text = match e {
                sm::Error::Integrity { reason, .. } => reason
                    .split('`')
                    .enumerate()
                    .map(|(i, part)| if i % 2 == 1 { "_" } else { part })
                    .collect(),
                _ => e.to_string(),
            };
            let words: Vec<&str> = text
                .split(|c: char| c.is_whitespace())
                .filter(|w| !w.contains('/') && !w.chars().any(|c| c.is_ascii_digit()))
                .take_while(|w| !w.contains(['`', '"', '\'']))
                .take(6)
                .collect();
            format!("{kind}: {}", words.join(" "))
        }
    }
}

/// A real store with one secret, its identity, and the paths of its files.
struct Fixture {
    _dir: tempfile::TempDir,
    root: PathBuf,
    identity: Identity,
    version: String,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("store");
        let (identity, _) = Identity::generate();
        let store = Store::init(&root, &identity, "alice", &[]).unwrap();
        let put = store
            .put(
                &identity,
                &PutRequest {
                    name: "db",
                    ..PutRequest::default()
                },
                br#"{"user":"app","password":"hunter2-hunter2"}"#,
            )
            .unwrap();
        let event = sm::audit::Event::ok("put", Some("db")).version(&put.version_id, &put.labels);
        let target = sm::audit::Target {
            member: "alice",
            device: "test",
            memory: None,
        };
        sm::audit::append(&store, &identity, target, &[event.clone(), event], false).unwrap();
        Fixture {
            _dir: dir,
            root,
            identity,
            version: put.version_id,
        }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel.replace("{id}", &self.version))
    }

    /// Fuzzes the store file at `rel` (restored after each run) through
    /// `check`, from the file and its hostile shapes (see [`hostile_seeds`]:
    /// `names` are the texts in it to replace, `extra` more whole files).
    fn fuzz_file(
        &self,
        target: &str,
        rel: &str,
        names: &[&str],
        extra: Vec<Vec<u8>>,
        check: impl Fn(&Path, &Identity) -> String,
    ) {
        let path = self.path(rel);
        let original = std::fs::read(&path).unwrap();
        let names: Vec<&str> = names
            .iter()
            .map(|n| {
                if *n == "{id}" {
                    self.version.as_str()
                } else {
                    n
                }
            })
            .collect();
        fuzz(target, hostile_seeds(&original, &names, extra), |input| {
            std::fs::write(&path, input).unwrap();
            check(&self.root, &self.identity)
        });
        std::fs::write(&path, original).unwrap();
        // The fixture is whole again.
        let store = Store::open(&self.root).unwrap();
        get(&store, &self.identity, Selector::Current).unwrap();
    }
}

fn get(store: &Store, identity: &Identity, selector: Selector) -> sm::Result<sm::store::Got> {
    store.get(
        identity,
        &GetRequest {
            name: "db",
            selector,
        },
    )
}

fn open_and_get(root: &Path, identity: &Identity) -> String {
    let result = Store::open(root).and_then(|store| get(&store, identity, Selector::Current));
    label(&result)
}

#[test]
fn fuzz_store_toml() {
    let fixture = Fixture::new();
    let id = Store::open(&fixture.root).unwrap().id().to_string();
    fixture.fuzz_file(
        "store.toml",
        ".sm/store.toml",
        &[&id, "alice", "recipients = []"],
        Vec::new(),
        open_and_get,
    );
}

#[test]
fn fuzz_members_toml() {
    Fixture::new().fuzz_file(
        "members.toml",
        ".sm/members.toml",
        &["alice", "admin = true"],
        Vec::new(),
        open_and_get,
    );
}

#[test]
fn fuzz_meta_toml() {
    let fixture = Fixture::new();
    // 20,000 labels (0.9 MB, unsigned): `sm ls` panicked on it.
    let mut labels = format!(
        "name = \"db\"\ncreated = \"2026-11-23T09:20:16.199Z\"\n\n[labels]\ncurrent = \"{}\"\n",
        fixture.version
    );
    for i in 0..20_000 {
        labels.push_str(&format!("l{i:05} = \"{}\"\n", fixture.version));
    }
    let rotation = "name = \"db\"\ncreated = \"2026-11-23T09:20:16.199Z\"\n\n[rotation]\nhook = \"./h\"\ntimeout = 18446744073709551615\n\n[rotation.pending]\nversion_id = \"../x\"\nstep = \"set\"\nstarted = \"x\"\n".to_string();
    let extra = vec![labels.into_bytes(), rotation.into_bytes()];
    fixture.fuzz_file(
        "meta.toml",
        "secrets/db.secret/meta.toml",
        &["db", "{id}", "alice", "current"],
        extra,
        |root, id| {
            let store = Store::open(root).unwrap();
            let _ = store.read_meta("db");
            let _ = store.list(|_| true);
            label(
                &get(&store, id, Selector::Label("previous".into())).and(get(
                    &store,
                    id,
                    Selector::Current,
                )),
            )
        },
    );
}

#[test]
fn fuzz_version_record() {
    let fixture = Fixture::new();
    let version = fixture.version.clone();
    fixture.fuzz_file(
        "version.toml",
        "secrets/db.secret/versions/{id}.toml",
        &["alice", "text"],
        Vec::new(),
        move |root, id| {
            let store = Store::open(root).unwrap();
            label(&get(&store, id, Selector::Version(version.clone())))
        },
    );
}

#[test]
fn fuzz_age_file() {
    let fixture = Fixture::new();
    let version = fixture.version.clone();
    fixture.fuzz_file(
        "version.age",
        "secrets/db.secret/versions/{id}.age",
        &[],
        Vec::new(),
        move |root, id| {
            let store = Store::open(root).unwrap();
            // Past the hash check a stranger's bytes reach the age reader;
            // call it directly too.
            let path = root.join(format!("secrets/db.secret/versions/{version}.age"));
            let bytes = std::fs::read(path).unwrap();
            let direct = match sm::crypto::decrypt(&bytes, id) {
                Ok(_) => "decrypted".to_string(),
                Err(e) => format!("{e:?}").chars().take(40).collect(),
            };
            format!(
                "{direct} {}",
                label(&get(&store, id, Selector::Version(version.clone())))
            )
        },
    );
}

#[test]
fn fuzz_log_file() {
    Fixture::new().fuzz_file(
        "log",
        ".sm/log/alice/test.jsonl",
        &["alice", "{id}", "\"db\""],
        Vec::new(),
        |root, _| {
            let store = Store::open(root).unwrap();
            let _ = sm::audit::read_all(&store);
            match sm::audit::verify(&store, None) {
                Ok((n, problems)) => format!(
                    "{} {}",
                    n.min(3),
                    problems
                        .first()
                        .map(|p| p.reason.split('`').next().unwrap_or("").to_string())
                        .unwrap_or_default()
                ),
                Err(e) => label::<()>(&Err(e)),
            }
        },
    );
}

#[test]
fn fuzz_access_toml() {
    let fixture = Fixture::new();
    let mut store = Store::open(&fixture.root).unwrap();
    store
        .change_access(&fixture.identity, |file, _| {
            file.groups.push(sm::store::files::Group {
                name: "ops".into(),
                members: vec!["alice".into()],
            });
            file.rules.push(sm::store::files::Rule {
                glob: "d*".into(),
                read: vec!["ops".into(), "*".into()],
                write: vec!["alice".into()],
            });
            Ok(())
        })
        .unwrap();
    let mut many_rules = String::new();
    for i in 0..1_001 {
        many_rules.push_str(&format!("[[rule]]\nglob = \"p{i}/**\"\nread = [\"*\"]\n"));
    }
    fixture.fuzz_file(
        "access.toml",
        ".sm/access.toml",
        &["ops", "alice", "d*", "\"*\""],
        vec![many_rules.into_bytes()],
        open_and_get,
    );
}

/// Seeds for the text formats.
fn text_seeds(texts: &[&str]) -> Vec<Vec<u8>> {
    texts.iter().map(|t| t.as_bytes().to_vec()).collect()
}

#[test]
fn fuzz_env_files() {
    let seeds = text_seeds(&[
        "A=1\nexport B='two'\n# c\nC=\"three\\n$X\"\nD=sm://db#password\nE=sm://db?label=previous\n",
        "MULTI=\"line one\nline two\"\nQ='it''s'\n",
        // Hostile shapes (issue 13): loader, shell and runtime variables, a
        // relative PATH, a locale path, a reference for each.
        "LD_PRELOAD=/tmp/x.so\nexport BASH_ENV=./x.sh\nPATH=.:/usr/bin\nPATH=/a::/b\n",
        "NODE_OPTIONS='--require ./x.js'\nLANGUAGE=../../x\nBASH_FUNC_ls=x\nDYLD_X=1\n",
        "PATH=sm://tools/path\nLD_AUDIT=\"sm://x\"\nGLIBC_TUNABLES=glibc.x=1\n",
    ]);
    fuzz("env-file", seeds, |input| {
        let text = String::from_utf8_lossy(input);
        let a = sm::exec::dotenv::parse(&text, "fuzz").map(|v| v.len());
        let b = sm::exec::parse_env_file(&text, "fuzz").map(|v| v.len());
        let c = sm::exec::EnvFile::read(&text, "fuzz", sm::exec::EnvPolicy::Safe)
            .map(|f| f.items.len());
        format!("{} {} {}", label(&a), label(&b), label(&c))
    });
}

#[test]
fn fuzz_templates() {
    let fixture = Fixture::new();
    let store = Store::open(&fixture.root).unwrap();
    let seeds = text_seeds(&[
        "host=db\nuser={{ sm://db#user }}\npass={{sm://db#password}}\n",
        "{{ sm://db?label=current }} {{ sm://missing }} {{ not a ref }} }} {{",
    ]);
    fuzz("template", seeds, |input| {
        let pieces = sm::exec::parse_template(input, "fuzz");
        let rendered = match &pieces {
            Ok(p) => {
                label(&sm::exec::render_template(&store, &fixture.identity, input, p, "<fuzz>").1)
            }
            Err(_) => String::new(),
        };
        format!("{} {rendered}", label(&pieces))
    });
}

#[test]
fn fuzz_schedules() {
    let seeds = text_seeds(&[
        "cron(0 16 1,15 * ? *)",
        "rate(30 days)",
        "rate(1 hour)",
        "30d",
        "12h",
        "cron(0/5 * L * ? 2030)",
        "cron(0 0 ? * 6#3 *)",
    ]);
    fuzz("schedule", seeds, |input| {
        let text = String::from_utf8_lossy(input);
        let schedule = sm::rotation::schedule::Schedule::parse(&text);
        let _ = sm::rotation::schedule::parse_duration(&text);
        let _ = sm::rotation::schedule::parse_window(&text);
        label(&schedule)
    });
}

/// A store's hook files, hook commands and the trust file are cloned
/// input: the hook file's `#!` line (interpreters in and out of the store,
/// `env`, loops, overlong lines), the command as words, and
/// `trusted_hooks.toml` are all fuzzed from one input.
#[test]
fn fuzz_hooks() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("store");
    let config = dir.path().join("config");
    std::fs::create_dir_all(root.join("hooks/lib")).unwrap();
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(root.join("hooks/run"), "#!/bin/sh\nexec /bin/sh \"$@\"\n").unwrap();
    std::fs::write(root.join("hooks/lib/m.py"), "x = 1\n").unwrap();
    std::fs::write(root.join("top"), "#!hooks/run\n").unwrap();
    let long = format!("#!{}\n", "hooks/".repeat(60));
    let seeds = text_seeds(&[
        "#!hooks/run -x\necho\n",
        "#!./hooks/run\n",
        "#!../outside\n",
        "#!/usr/bin/env -S A=1 ./hooks/run\n",
        "#!/usr/bin/env python3\nimport m\n",
        "#!hooks/h\n",
        "#!/bin/sh\n",
        &long,
        "hooks/h --flag 'a b' hooks/lib/m.py",
        "sh hooks/h ../x /etc/hostname",
        "'unbalanced",
        "./top",
        "[[hook]]\ncommand = \"hooks/h\"\nprogram = \"/x\"\nsha256 = \"0\"\ntrusted = \"t\"\n[[hook.files]]\npath = \"hooks/h\"\nsha256 = \"1\"\n",
    ]);
    fuzz("hooks", seeds, |input| {
        let hook = root.join("hooks/h");
        std::fs::write(&hook, input).unwrap();
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::write(config.join("trusted_hooks.toml"), input).unwrap();
        let text = String::from_utf8_lossy(input);
        let as_file = sm::rotation::hook::Hook::resolve("hooks/h", &root);
        let as_command = sm::rotation::hook::Hook::resolve(&text, &root);
        let trusted = match &as_file {
            Ok(h) => label(&sm::rotation::trust::check_trusted(&config, h, "x")),
            Err(_) => String::new(),
        };
        format!("{} {} {trusted}", label(&as_file), label(&as_command))
    });
}

#[test]
fn fuzz_scan_input() {
    let managed = vec![sm::scan::managed::ManagedValue {
        name: "db".into(),
        labels: vec!["current".into()],
        value: zeroize::Zeroizing::new(b"hunter2-hunter2-hunter2".to_vec()),
    }];
    let scanner = sm::scan::Scanner::new(managed);
    let seeds = text_seeds(&[
        "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\npassword = \"hunter2-hunter2-hunter2\"\n",
        "token: ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789\n// sm:allow\nDATABASE_URL=postgres://app:s3cr3tP4ss@db/prod\n",
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n",
        "jwt = eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ\nsecret_key = 'Zx8#kQ2!vL9@pR4$'\n",
    ]);
    // Hostile shapes (issue 13): a long line of back-to-back tokens (many
    // hits on one line: positions and the overlap sweep), and invalid UTF-8
    // around hits and allow marks (columns count lossy characters).
    let mut seeds = seeds;
    seeds.push(
        (0..1000)
            .map(|i| format!("{}{:036} ", "ghp_", i))
            .collect::<String>()
            .into_bytes(),
    );
    seeds.push(
        b"\x80\xe2\x82 token = \"Zx81kq0PlmVtQw3E\" \xff\nhunter2-hunter2-hunter2\xc3 sm:allow\n\xf0\x9f AKIAZ7XQ4MNB2KDL3PWA\xed\xa0\x80"
            .to_vec(),
    );
    let store_file = PathBuf::from("/repo/.sm/store.toml");
    fuzz("scan", seeds, |input| {
        let findings = sm::scan::scan_buffer(&scanner, "fuzz.txt", None, input, None, None);
        let in_store = sm::scan::scan_buffer(
            &scanner,
            ".sm/store.toml",
            Some(&store_file),
            input,
            None,
            None,
        );
        format!(
            "{} {}",
            findings
                .iter()
                .map(|f| f.rule.as_str())
                .collect::<Vec<_>>()
                .join(","),
            in_store.len()
        )
    });
}
