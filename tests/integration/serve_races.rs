//! Concurrency and retries through the local API: two concurrent
//! CreateSecret calls of one name give exactly one success, and
//! RotateSecret's ClientRequestToken names the rotation's new version.

use std::io::Write;
use std::process::Stdio;

use serde_json::{Value, json};

use crate::common::TestEnv;
use crate::serve_ops::{err, ok};

#[test]
fn concurrent_creates_of_one_name_give_one_success_and_one_exists() {
    let env = TestEnv::new();
    for round in 0..5 {
        let name = format!("race/{round}");
        let children: Vec<_> = ["one", "two"]
            .iter()
            .map(|value| {
                let child = env
                    .std_cmd()
                    .args(["__api", "CreateSecret"])
                    .stdin(Stdio::piped())
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap();
                (child, json!({"Name": name, "SecretString": value}))
            })
            .collect();
        // Both are running before either gets its request.
        let children: Vec<_> = children
            .into_iter()
            .map(|(mut child, body)| {
                let mut stdin = child.stdin.take().unwrap();
                stdin.write_all(body.to_string().as_bytes()).unwrap();
                drop(stdin);
                child
            })
            .collect();
        let mut codes = Vec::new();
        for child in children {
            let out = child.wait_with_output().unwrap();
            let answer: Value = serde_json::from_slice(&out.stdout)
                .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
            codes.push(match out.status.code() {
                Some(0) => "ok".to_string(),
                _ => answer["__type"].as_str().unwrap_or("?").to_string(),
            });
        }
        codes.sort();
        assert_eq!(
            codes,
            vec!["ResourceExistsException".to_string(), "ok".to_string()],
            "round {round}"
        );
        // One version: the loser wrote nothing.
        let versions = ok(
            &env,
            "ListSecretVersionIds",
            json!({"SecretId": name, "IncludeDeprecated": true}),
        );
        assert_eq!(versions["Versions"].as_array().unwrap().len(), 1);
    }
    env.sm(&["verify"]).success();
}

/// A secret `r` with a trusted hook that fails its test step while the
/// returned file exists.
fn rotatable(env: &TestEnv) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let flag = env.store.join("..").join("fail-test-step");
    let hooks = env.store.join("hooks");
    std::fs::create_dir_all(&hooks).unwrap();
    let hook = hooks.join("new");
    std::fs::write(
        &hook,
        format!(
            "#!/bin/sh\nif [ \"$1\" = create ]; then echo \"rotated-$SM_VERSION_ID\"; fi\nif [ \"$1\" = test ] && [ -f '{}' ]; then exit 1; fi\nexit 0\n",
            flag.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    ok(
        env,
        "CreateSecret",
        json!({"Name": "r", "SecretString": "old"}),
    );
    env.sm(&[
        "rotate",
        "r",
        "--hook",
        "hooks/new",
        "--trust-hook",
        "--no-rotate-now",
    ])
    .success();
    flag
}

fn version_count(env: &TestEnv) -> usize {
    let v = ok(
        env,
        "ListSecretVersionIds",
        json!({"SecretId": "r", "IncludeDeprecated": true}),
    );
    v["Versions"].as_array().unwrap().len()
}

#[test]
fn rotate_secret_names_the_new_version_after_its_token_and_retries_are_no_ops() {
    let env = TestEnv::new();
    let flag = rotatable(&env);
    let t1 = "11111111-aaaa-4bbb-8ccc-000000000001";
    let rotated = ok(
        &env,
        "RotateSecret",
        json!({"SecretId": "r", "ClientRequestToken": t1}),
    );
    assert_eq!(rotated["VersionId"], t1);
    let got = ok(&env, "GetSecretValue", json!({"SecretId": "r"}));
    assert_eq!(got["VersionId"], t1);
    assert_eq!(got["SecretString"], format!("rotated-{t1}"));
    assert_eq!(version_count(&env), 2);

    // The same token again: a retry of a rotation that finished.
    let again = ok(
        &env,
        "RotateSecret",
        json!({"SecretId": "r", "ClientRequestToken": t1}),
    );
    assert_eq!(again["VersionId"], t1);
    assert_eq!(version_count(&env), 2);
    let got = ok(&env, "GetSecretValue", json!({"SecretId": "r"}));
    assert_eq!(got["VersionId"], t1);

    // A token that is not a version id changes nothing.
    let message = err(
        &env,
        "RotateSecret",
        json!({"SecretId": "r", "ClientRequestToken": "bad/token/bad/token/bad/token/bad/token"}),
        "InvalidParameterException",
    );
    assert!(message.contains("version id"), "{message}");
    assert_eq!(version_count(&env), 2);

    // A failed rotation stays pending with its token's id; the next call
    // (with another token, as an SDK sends) resumes it under that id.
    let t2 = "22222222-aaaa-4bbb-8ccc-000000000002";
    let t3 = "33333333-aaaa-4bbb-8ccc-000000000003";
    std::fs::write(&flag, "").unwrap();
    err(
        &env,
        "RotateSecret",
        json!({"SecretId": "r", "ClientRequestToken": t2}),
        "InvalidRequestException",
    );
    let d = ok(&env, "DescribeSecret", json!({"SecretId": "r"}));
    assert_eq!(d["VersionIdsToStages"][t2], json!(["AWSPENDING"]));
    std::fs::remove_file(&flag).unwrap();
    let resumed = ok(
        &env,
        "RotateSecret",
        json!({"SecretId": "r", "ClientRequestToken": t3}),
    );
    assert_eq!(resumed["VersionId"], t2);
    let got = ok(&env, "GetSecretValue", json!({"SecretId": "r"}));
    assert_eq!(got["VersionId"], t2);
    assert_eq!(got["SecretString"], format!("rotated-{t2}"));
    env.sm(&["verify"]).success();
}
