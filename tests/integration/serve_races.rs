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
