//! In-process cost of one `sm get`, split into its parts: opening the store
//! (verifying the member chain), the verified read (signatures of meta.toml
//! and the version record, the ciphertext hash, decryption), a bare
//! decryption without any verification, the same through the read cache,
//! and signing one log entry (what every read adds). Run with
//! `cargo bench --bench get_cost`; it makes its own store in a temp folder.

use std::time::Instant;

use sm::crypto::Identity;
use sm::store::{GetRequest, PutRequest, Selector, Store};

fn time<T>(label: &str, runs: u32, mut f: impl FnMut() -> T) -> f64 {
    for _ in 0..runs / 10 {
        std::hint::black_box(f());
    }
    let start = Instant::now();
    for _ in 0..runs {
        std::hint::black_box(f());
    }
    let micros = start.elapsed().as_secs_f64() * 1e6 / f64::from(runs);
    println!("{label:<52} {micros:>9.1} µs");
    micros
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let (identity, _) = Identity::generate();
    let store = Store::init(dir.path(), &identity, "bench", &[]).unwrap();
    let request = PutRequest {
        name: "bench/secret",
        ..PutRequest::default()
    };
    store
        .put(
            &identity,
            &request,
            b"a-forty-byte-secret-value-for-the-bench",
        )
        .unwrap();
    let id = store.read_meta("bench/secret").unwrap().labels["current"].clone();
    let age_path = store
        .secret_dir("bench/secret")
        .join("versions")
        .join(format!("{id}.age"));
    let runs = 2000;
    println!("sm get, in process (mean of {runs} runs each):");
    let open = time("open store (store.toml, members.toml, chain)", runs, || {
        Store::open(dir.path()).unwrap()
    });
    let get = time(
        "verified get (meta + record signatures, hash, decrypt)",
        runs,
        || {
            store
                .get(
                    &identity,
                    &GetRequest {
                        name: "bench/secret",
                        selector: Selector::Current,
                    },
                )
                .unwrap()
        },
    );
    let bare = time(
        "bare decrypt of the .age file (no verification)",
        runs,
        || {
            let bytes = std::fs::read(&age_path).unwrap();
            sm::crypto::decrypt(&bytes, &identity).ok().unwrap()
        },
    );
    println!(
        "verification adds {:.1} µs per get ({:.1} µs with opening the store)",
        get - bare,
        get + open - bare
    );
    // The read cache lives under $XDG_CACHE_HOME; keep it in the temp folder.
    // SAFETY: single-threaded here, before any thread reads the environment.
    unsafe { std::env::set_var("XDG_CACHE_HOME", dir.path().join("cache")) };
    let cached_store = Store::open_cached(dir.path(), &identity).unwrap();
    let request = GetRequest {
        name: "bench/secret",
        selector: Selector::Current,
    };
    cached_store.get(&identity, &request).unwrap();
    time("open store through the read cache", runs, || {
        Store::open_cached(dir.path(), &identity).unwrap()
    });
    time("get through the read cache (files unchanged)", runs, || {
        cached_store.get(&identity, &request).unwrap()
    });
    let entry = vec![b'x'; 300];
    time("sign one 300-byte log entry (ed25519)", runs, || {
        identity.sign(&entry)
    });
}
