//! Issue 14 item 14: `sm put NAME --generate` stores a generated password
//! it never prints, and `sm rotate --generate` takes `sm gen`'s options and
//! keeps a JSON secret's key order.

use crate::common::TestEnv;

#[test]
fn put_generate_stores_a_password_it_never_prints() {
    let env = TestEnv::new();
    let run = env
        .sm(&[
            "put",
            "db",
            "--generate",
            "--length",
            "40",
            "--no-punctuation",
        ])
        .success();
    let value = String::from_utf8(env.get("db")).unwrap();
    assert_eq!(value.len(), 40);
    assert!(value.chars().all(|c| c.is_ascii_alphanumeric()), "{value}");
    assert!(!run.stdout().contains(&value) && !run.stderr().contains(&value));
    // Again: a new version with another password, still not printed.
    let run = env.sm(&["--json", "put", "db", "--generate"]).success();
    let again = String::from_utf8(env.get("db")).unwrap();
    assert_eq!(again.len(), 32);
    assert_ne!(again, value);
    assert!(!run.stdout().contains(&again) && !run.stderr().contains(&again));
    let log = std::fs::read_to_string(env.log_file("alice")).unwrap();
    assert!(!log.contains(&again) && !log.contains(&value));
    // Options need --generate; --generate takes no other value source.
    env.sm(&["put", "x", "v", "--length", "8"]).fails(2);
    env.sm(&["put", "x", "v", "--generate"]).fails(2);
    env.sm_in(&["put", "x", "--stdin", "--generate"], b"v")
        .fails(2);
}

#[test]
fn rotate_generate_keeps_the_key_order_and_excludes_characters() {
    let env = TestEnv::new();
    let doc = br#"{"username":"app","password":"old","host":"db.internal","port":5432}"#;
    env.put("prod/db", doc);
    env.sm(&[
        "rotate",
        "prod/db",
        "--generate",
        "--exclude-chars",
        "@:/?#%",
        "--length",
        "64",
    ])
    .success();
    let text = String::from_utf8(env.get("prod/db")).unwrap();
    let at = |k: &str| text.find(&format!("\"{k}\"")).unwrap();
    assert!(
        at("username") < at("password") && at("password") < at("host") && at("host") < at("port"),
        "{text}"
    );
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let pw = v["password"].as_str().unwrap();
    assert_eq!(pw.len(), 64);
    assert!(!pw.contains(['@', ':', '/', '?', '#', '%']), "{pw}");
    assert_eq!(v["port"], 5432);
    // The options are kept with the settings: the next rotation obeys them.
    env.sm(&["rotate", "prod/db"]).success();
    let v: serde_json::Value = serde_json::from_slice(&env.get("prod/db")).unwrap();
    let next = v["password"].as_str().unwrap();
    assert_eq!(next.len(), 64);
    assert_ne!(next, pw);
    assert!(!next.contains(['@', ':', '/', '?', '#', '%']), "{next}");
    // Options without --generate, or that leave nothing to use, are exit 2.
    env.sm(&["rotate", "prod/db", "--exclude-chars", "x"])
        .fails(2);
    env.sm(&[
        "rotate",
        "prod/db",
        "--generate",
        "--no-numbers",
        "--no-punctuation",
        "--no-uppercase",
        "--no-lowercase",
    ])
    .fails(2);
}
