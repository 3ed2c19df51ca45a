//! The local API's operations through `sm __api OP` (the JSON request on
//! stdin, the answer on stdout, as a client of the service sends and reads
//! them): every operation's happy path with the service's field names and
//! types, the same bytes through the API, `sm get` and `age -d`, and
//! `sm verify` clean after the API's writes.

use base64::Engine;
use serde_json::{Value, json};

use crate::common::{TestEnv, have};

/// Runs one operation; returns the exit code and the JSON answer.
pub fn api(env: &TestEnv, op: &str, body: Value) -> (i32, Value) {
    let run = env.sm_in(&["__api", op], body.to_string().as_bytes());
    let answer = serde_json::from_slice(&run.0.stdout)
        .unwrap_or_else(|e| panic!("{op}: not JSON ({e}): {}\n{}", run.stdout(), run.stderr()));
    (run.code(), answer)
}

/// Runs one operation that must succeed.
pub fn ok(env: &TestEnv, op: &str, body: Value) -> Value {
    let (code, answer) = api(env, op, body);
    assert_eq!(code, 0, "{op} failed: {answer}");
    answer
}

/// Runs one operation that must fail with `code`; returns the message.
pub fn err(env: &TestEnv, op: &str, body: Value, code: &str) -> String {
    let (exit, answer) = api(env, op, body);
    assert_eq!(exit, 1, "{op} should fail: {answer}");
    assert_eq!(answer["__type"], code, "{op}: {answer}");
    answer["Message"].as_str().unwrap().to_string()
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn age_decrypt(env: &TestEnv, name: &str, id: &str, test: &str) -> Option<Vec<u8>> {
    if !have("age", test) {
        return None;
    }
    let file = env
        .secret_dir(name)
        .join("versions")
        .join(format!("{id}.age"));
    let out = std::process::Command::new("age")
        .args(["-d", "-i"])
        .arg(&env.identity)
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success());
    Some(out.stdout)
}

fn verify_clean(env: &TestEnv) {
    env.sm(&["verify"]).success();
    env.sm(&["log", "verify"]).success();
}

#[test]
fn create_then_get_gives_the_same_bytes_as_sm_get_and_age() {
    let env = TestEnv::new();
    let value = r#"{"username":"admin","password":"s3cr3t"}"#;
    let created = ok(
        &env,
        "CreateSecret",
        json!({"Name": "prod/myapp/mysql", "SecretString": value,
               "Description": "the app's database", "Tags": [{"Key": "env", "Value": "prod"}]}),
    );
    let arn = created["ARN"].as_str().unwrap();
    assert!(
        arn.starts_with("arn:aws:secretsmanager:us-east-1:000000000000:secret:prod/myapp/mysql-"),
        "{arn}"
    );
    assert_eq!(
        arn.len(),
        "arn:aws:secretsmanager:us-east-1:000000000000:secret:prod/myapp/mysql-".len() + 6
    );
    assert_eq!(created["Name"], "prod/myapp/mysql");
    let id = created["VersionId"].as_str().unwrap().to_string();

    let got = ok(
        &env,
        "GetSecretValue",
        json!({"SecretId": "prod/myapp/mysql"}),
    );
    assert_eq!(got["ARN"], arn);
    assert_eq!(got["Name"], "prod/myapp/mysql");
    assert_eq!(got["VersionId"], id.as_str());
    assert_eq!(got["SecretString"], value);
    assert!(got.get("SecretBinary").is_none());
    assert_eq!(got["VersionStages"], json!(["AWSCURRENT"]));
    assert!(got["CreatedDate"].is_number(), "{got}");
    assert_eq!(env.get("prod/myapp/mysql"), value.as_bytes());
    if let Some(bytes) = age_decrypt(&env, "prod/myapp/mysql", &id, "serve create_then_get") {
        assert_eq!(bytes, value.as_bytes());
    }
    // The full ARN and the partial one (without the suffix) name it too.
    let by_arn = ok(&env, "GetSecretValue", json!({"SecretId": arn}));
    assert_eq!(by_arn["SecretString"], value);
    let partial = &arn[..arn.len() - 7];
    let by_partial = ok(&env, "GetSecretValue", json!({"SecretId": partial}));
    assert_eq!(by_partial["VersionId"], id.as_str());
    // A region in the request shows in the ARN.
    let run = env.sm_in(
        &[
            "__api",
            "GetSecretValue",
            "--region",
            "eu-west-1",
            "--account-id",
            "123456789012",
        ],
        br#"{"SecretId":"prod/myapp/mysql"}"#,
    );
    let answer = run.success().json();
    assert!(
        answer["ARN"]
            .as_str()
            .unwrap()
            .starts_with("arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/myapp/mysql-")
    );
    verify_clean(&env);
}

#[test]
fn binary_values_travel_as_base64() {
    let env = TestEnv::new();
    let bytes: Vec<u8> = vec![0, 1, 2, 0xff, 0xfe, b'\n'];
    let created = ok(
        &env,
        "CreateSecret",
        json!({"Name": "bin", "SecretBinary": b64(&bytes)}),
    );
    let id = created["VersionId"].as_str().unwrap().to_string();
    let got = ok(&env, "GetSecretValue", json!({"SecretId": "bin"}));
    assert_eq!(got["SecretBinary"], b64(&bytes));
    assert!(got.get("SecretString").is_none());
    assert_eq!(env.get("bin"), bytes);
    if let Some(plain) = age_decrypt(&env, "bin", &id, "serve binary_values") {
        assert_eq!(plain, bytes);
    }
    // Valid UTF-8 sent as SecretBinary stays binary.
    ok(
        &env,
        "PutSecretValue",
        json!({"SecretId": "bin", "SecretBinary": b64(b"text")}),
    );
    let got = ok(&env, "GetSecretValue", json!({"SecretId": "bin"}));
    assert_eq!(got["SecretBinary"], b64(b"text"));
    verify_clean(&env);
}

#[test]
fn put_secret_value_moves_stages_as_the_service_does() {
    let env = TestEnv::new();
    let v1 = ok(
        &env,
        "CreateSecret",
        json!({"Name": "app", "SecretString": "one"}),
    )["VersionId"]
        .as_str()
        .unwrap()
        .to_string();
    let put = ok(
        &env,
        "PutSecretValue",
        json!({"SecretId": "app", "SecretString": "two"}),
    );
    let v2 = put["VersionId"].as_str().unwrap().to_string();
    assert_eq!(put["VersionStages"], json!(["AWSCURRENT"]));
    assert_eq!(put["Name"], "app");
    assert!(put["ARN"].is_string());
    let previous = ok(
        &env,
        "GetSecretValue",
        json!({"SecretId": "app", "VersionStage": "AWSPREVIOUS"}),
    );
    assert_eq!(previous["VersionId"], v1.as_str());
    assert_eq!(previous["SecretString"], "one");
    // A pending version leaves AWSCURRENT where it is.
    let pending = ok(
        &env,
        "PutSecretValue",
        json!({"SecretId": "app", "SecretString": "three", "VersionStages": ["AWSPENDING"]}),
    );
    let v3 = pending["VersionId"].as_str().unwrap().to_string();
    assert_eq!(pending["VersionStages"], json!(["AWSPENDING"]));
    assert_eq!(
        ok(&env, "GetSecretValue", json!({"SecretId": "app"}))["SecretString"],
        "two"
    );
    let by_id = ok(
        &env,
        "GetSecretValue",
        json!({"SecretId": "app", "VersionId": v3}),
    );
    assert_eq!(by_id["SecretString"], "three");
    assert_eq!(by_id["VersionStages"], json!(["AWSPENDING"]));
    let both = ok(
        &env,
        "GetSecretValue",
        json!({"SecretId": "app", "VersionId": v2, "VersionStage": "AWSCURRENT"}),
    );
    assert_eq!(both["SecretString"], "two");
    assert_eq!(env.get("app"), b"two");
    verify_clean(&env);
}

#[test]
fn client_request_tokens_are_version_ids_and_idempotent() {
    let env = TestEnv::new();
    let token = "11111111-2222-3333-4444-555555555555";
    let create = json!({"Name": "tok", "SecretString": "v", "ClientRequestToken": token});
    assert_eq!(ok(&env, "CreateSecret", create.clone())["VersionId"], token);
    // A retried create with the same token and value succeeds unchanged.
    assert_eq!(ok(&env, "CreateSecret", create)["VersionId"], token);
    let token2 = "22222222-2222-3333-4444-555555555555";
    let put = json!({"SecretId": "tok", "SecretString": "w", "ClientRequestToken": token2});
    assert_eq!(ok(&env, "PutSecretValue", put.clone())["VersionId"], token2);
    assert_eq!(ok(&env, "PutSecretValue", put)["VersionId"], token2);
    assert_eq!(env.version_ids("tok").len(), 2);
    // The same token with another value is refused.
    err(
        &env,
        "PutSecretValue",
        json!({"SecretId": "tok", "SecretString": "other", "ClientRequestToken": token2}),
        "ResourceExistsException",
    );
    assert_eq!(env.get("tok"), b"w");
    verify_clean(&env);
}

#[test]
fn update_secret_changes_the_description_and_or_the_value() {
    let env = TestEnv::new();
    ok(
        &env,
        "CreateSecret",
        json!({"Name": "u", "SecretString": "a"}),
    );
    let described = ok(
        &env,
        "UpdateSecret",
        json!({"SecretId": "u", "Description": "new text"}),
    );
    assert!(described.get("VersionId").is_none(), "{described}");
    assert_eq!(described["Name"], "u");
    let shown = env.sm(&["show", "u", "--json"]).success().json();
    assert_eq!(shown["description"], "new text");
    let valued = ok(
        &env,
        "UpdateSecret",
        json!({"SecretId": "u", "SecretString": "b"}),
    );
    let id = valued["VersionId"].as_str().unwrap();
    let got = ok(&env, "GetSecretValue", json!({"SecretId": "u"}));
    assert_eq!(got["VersionId"], id);
    assert_eq!(got["SecretString"], "b");
    verify_clean(&env);
}

#[test]
fn update_secret_version_stage_moves_and_removes_labels() {
    let env = TestEnv::new();
    let v1 = ok(
        &env,
        "CreateSecret",
        json!({"Name": "s", "SecretString": "one"}),
    )["VersionId"]
        .as_str()
        .unwrap()
        .to_string();
    let v2 = ok(
        &env,
        "PutSecretValue",
        json!({"SecretId": "s", "SecretString": "two"}),
    )["VersionId"]
        .as_str()
        .unwrap()
        .to_string();
    // Roll back: AWSCURRENT to v1, and AWSPREVIOUS follows to v2.
    let moved = ok(
        &env,
        "UpdateSecretVersionStage",
        json!({"SecretId": "s", "VersionStage": "AWSCURRENT", "MoveToVersionId": v1, "RemoveFromVersionId": v2}),
    );
    assert_eq!(moved["Name"], "s");
    assert!(moved["ARN"].is_string());
    assert_eq!(env.get("s"), b"one");
    let described = ok(&env, "DescribeSecret", json!({"SecretId": "s"}));
    assert_eq!(described["VersionIdsToStages"][&v1], json!(["AWSCURRENT"]));
    assert_eq!(described["VersionIdsToStages"][&v2], json!(["AWSPREVIOUS"]));
    // A custom label, attached then removed.
    ok(
        &env,
        "UpdateSecretVersionStage",
        json!({"SecretId": "s", "VersionStage": "blue", "MoveToVersionId": v2}),
    );
    let got = ok(
        &env,
        "GetSecretValue",
        json!({"SecretId": "s", "VersionStage": "blue"}),
    );
    assert_eq!(got["SecretString"], "two");
    ok(
        &env,
        "UpdateSecretVersionStage",
        json!({"SecretId": "s", "VersionStage": "blue", "RemoveFromVersionId": v2}),
    );
    err(
        &env,
        "GetSecretValue",
        json!({"SecretId": "s", "VersionStage": "blue"}),
        "ResourceNotFoundException",
    );
    verify_clean(&env);
}

#[test]
fn describe_secret_has_the_service_fields() {
    let env = TestEnv::new();
    ok(
        &env,
        "CreateSecret",
        json!({"Name": "d", "SecretString": "x", "Description": "desc", "Tags": [{"Key": "team", "Value": "core"}]}),
    );
    let d = ok(&env, "DescribeSecret", json!({"SecretId": "d"}));
    assert_eq!(d["Name"], "d");
    assert_eq!(d["Description"], "desc");
    assert_eq!(d["Tags"], json!([{"Key": "team", "Value": "core"}]));
    assert!(d["CreatedDate"].is_number());
    assert!(d["LastChangedDate"].is_number());
    assert!(d.get("DeletedDate").is_none());
    assert!(d.get("RotationEnabled").is_none(), "never configured: {d}");
    let stages = d["VersionIdsToStages"].as_object().unwrap();
    assert_eq!(stages.len(), 1);
    assert_eq!(stages.values().next().unwrap(), &json!(["AWSCURRENT"]));
    // Rotation rules configured without rotating now, for a secret with
    // something to rotate it (here a generated value).
    env.sm(&["rotate", "d", "--generate", "--no-rotate-now"])
        .success();
    ok(
        &env,
        "RotateSecret",
        json!({"SecretId": "d", "RotationRules": {"ScheduleExpression": "rate(10 days)", "Duration": "3h"}, "RotateImmediately": false}),
    );
    let d = ok(&env, "DescribeSecret", json!({"SecretId": "d"}));
    assert_eq!(d["RotationEnabled"], true);
    assert_eq!(
        d["RotationRules"],
        json!({"AutomaticallyAfterDays": 10, "ScheduleExpression": "rate(10 days)", "Duration": "3h"})
    );
    assert!(d["NextRotationDate"].is_number());
    // Deleted: DeletedDate shows, and DescribeSecret still answers.
    ok(
        &env,
        "DeleteSecret",
        json!({"SecretId": "d", "RecoveryWindowInDays": 7}),
    );
    let d = ok(&env, "DescribeSecret", json!({"SecretId": "d"}));
    assert!(d["DeletedDate"].is_number());
}

#[test]
fn list_secrets_filters_sorts_and_pages() {
    let env = TestEnv::new();
    for (name, desc, tag) in [
        ("prod/app/db", "Database password", "prod"),
        ("prod/app/api", "API key", "prod"),
        ("dev/app/db", "dev database", "dev"),
    ] {
        ok(
            &env,
            "CreateSecret",
            json!({"Name": name, "SecretString": "v", "Description": desc, "Tags": [{"Key": "env", "Value": tag}]}),
        );
    }
    let names = |answer: &Value| -> Vec<String> {
        answer["SecretList"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["Name"].as_str().unwrap().to_string())
            .collect()
    };
    let sorted = |body: Value| {
        let mut n = names(&ok(&env, "ListSecrets", body));
        n.sort();
        n
    };
    let all = ok(&env, "ListSecrets", json!({}));
    assert_eq!(names(&all).len(), 3);
    let entry = &all["SecretList"][0];
    assert!(entry["ARN"].is_string() && entry["CreatedDate"].is_number());
    assert!(entry["SecretVersionsToStages"].is_object(), "{entry}");
    assert_eq!(
        sorted(json!({"Filters": [{"Key": "name", "Values": ["prod/"]}]})),
        ["prod/app/api", "prod/app/db"]
    );
    assert_eq!(
        sorted(json!({"Filters": [{"Key": "name", "Values": ["!prod/"]}]})),
        ["dev/app/db"]
    );
    // The description's start or its words (the user guide's "My
    // Description" finds "Description of my secret"), not case sensitive.
    assert_eq!(
        sorted(json!({"Filters": [{"Key": "description", "Values": ["DATABASE"]}]})),
        ["dev/app/db", "prod/app/db"]
    );
    assert_eq!(
        sorted(json!({"Filters": [{"Key": "description", "Values": ["pass data"]}]})),
        ["prod/app/db"]
    );
    assert!(
        sorted(json!({"Filters": [{"Key": "description", "Values": ["base"]}]})).is_empty(),
        "a word matches from its start"
    );
    assert_eq!(
        sorted(json!({"Filters": [{"Key": "tag-value", "Values": ["dev"]}]})),
        ["dev/app/db"]
    );
    assert_eq!(
        sorted(
            json!({"Filters": [{"Key": "tag-key", "Values": ["env"]}, {"Key": "name", "Values": ["dev", "prod/app/a"]}]})
        ),
        ["dev/app/db", "prod/app/api"]
    );
    assert_eq!(
        sorted(json!({"Filters": [{"Key": "all", "Values": ["database"]}]})),
        ["dev/app/db", "prod/app/db"]
    );
    assert_eq!(
        names(&ok(
            &env,
            "ListSecrets",
            json!({"SortBy": "name", "SortOrder": "asc"})
        )),
        ["dev/app/db", "prod/app/api", "prod/app/db"]
    );
    assert_eq!(
        names(&ok(
            &env,
            "ListSecrets",
            json!({"SortBy": "name", "SortOrder": "desc"})
        )),
        ["prod/app/db", "prod/app/api", "dev/app/db"]
    );
    // Pages of one, through NextToken, give every secret once.
    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut body = json!({"MaxResults": 1, "SortBy": "created-date"});
        if let Some(t) = &token {
            body["NextToken"] = json!(t);
        }
        let page = ok(&env, "ListSecrets", body);
        seen.extend(names(&page));
        match page.get("NextToken").and_then(Value::as_str) {
            Some(t) => token = Some(t.to_string()),
            None => break,
        }
    }
    seen.sort();
    assert_eq!(seen, ["dev/app/db", "prod/app/api", "prod/app/db"]);
    // Deleted secrets only with IncludePlannedDeletion.
    ok(&env, "DeleteSecret", json!({"SecretId": "dev/app/db"}));
    assert_eq!(names(&ok(&env, "ListSecrets", json!({}))).len(), 2);
    let with = ok(&env, "ListSecrets", json!({"IncludePlannedDeletion": true}));
    assert_eq!(names(&with).len(), 3);
}

#[test]
fn list_secret_version_ids_pages_and_hides_deprecated() {
    let env = TestEnv::new();
    ok(
        &env,
        "CreateSecret",
        json!({"Name": "v", "SecretString": "1"}),
    );
    for value in ["2", "3", "4"] {
        ok(
            &env,
            "PutSecretValue",
            json!({"SecretId": "v", "SecretString": value}),
        );
    }
    let labelled = ok(&env, "ListSecretVersionIds", json!({"SecretId": "v"}));
    assert_eq!(labelled["Name"], "v");
    assert!(labelled["ARN"].is_string());
    let versions = labelled["Versions"].as_array().unwrap();
    assert_eq!(versions.len(), 2, "{labelled}");
    assert_eq!(versions[0]["VersionStages"], json!(["AWSCURRENT"]));
    assert!(versions[0]["CreatedDate"].is_number());
    let mut all = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut body = json!({"SecretId": "v", "IncludeDeprecated": true, "MaxResults": 3});
        if let Some(t) = &token {
            body["NextToken"] = json!(t);
        }
        let page = ok(&env, "ListSecretVersionIds", body);
        all.extend(page["Versions"].as_array().unwrap().iter().cloned());
        match page.get("NextToken").and_then(Value::as_str) {
            Some(t) => token = Some(t.to_string()),
            None => break,
        }
    }
    assert_eq!(all.len(), 4);
    // The service leaves out the stages of a version that has none.
    assert!(all[3].get("VersionStages").is_none(), "{}", all[3]);
    let id = all[3]["VersionId"].as_str().unwrap();
    let got = ok(
        &env,
        "GetSecretValue",
        json!({"SecretId": "v", "VersionId": id}),
    );
    assert!(got.get("VersionStages").is_none(), "{got}");
    // Each version's LastAccessedDate: the day of its last read, only for
    // the versions read.
    let page = ok(
        &env,
        "ListSecretVersionIds",
        json!({"SecretId": "v", "IncludeDeprecated": true}),
    );
    let versions = page["Versions"].as_array().unwrap();
    let read = versions.iter().find(|v| v["VersionId"] == id).unwrap();
    let day = read["LastAccessedDate"]
        .as_f64()
        .expect("the read version has a date");
    assert_eq!(day % 86_400.0, 0.0, "a date, not a time: {read}");
    let unread = versions
        .iter()
        .filter(|v| v.get("LastAccessedDate").is_none());
    assert_eq!(unread.count(), 3, "{page}");
}

#[test]
fn batch_get_secret_value_reports_each_secret() {
    let env = TestEnv::new();
    ok(
        &env,
        "CreateSecret",
        json!({"Name": "b/one", "SecretString": "1"}),
    );
    ok(
        &env,
        "CreateSecret",
        json!({"Name": "b/two", "SecretString": "2"}),
    );
    let answer = ok(
        &env,
        "BatchGetSecretValue",
        json!({"SecretIdList": ["b/one", "b/missing", "b/two"]}),
    );
    let values = answer["SecretValues"].as_array().unwrap();
    assert_eq!(values.len(), 2);
    assert_eq!(values[0]["SecretString"], "1");
    assert_eq!(values[1]["Name"], "b/two");
    assert_eq!(
        answer["Errors"],
        json!([{"SecretId": "b/missing", "ErrorCode": "ResourceNotFoundException",
                "Message": "Secrets Manager can't find the specified secret."}])
    );
    let filtered = ok(
        &env,
        "BatchGetSecretValue",
        json!({"Filters": [{"Key": "name", "Values": ["b/"]}], "MaxResults": 1}),
    );
    assert_eq!(filtered["SecretValues"].as_array().unwrap().len(), 1);
    let token = filtered["NextToken"].as_str().unwrap();
    let rest = ok(
        &env,
        "BatchGetSecretValue",
        json!({"Filters": [{"Key": "name", "Values": ["b/"]}], "MaxResults": 1, "NextToken": token}),
    );
    assert_eq!(rest["SecretValues"][0]["SecretString"], "2");
    assert!(rest.get("NextToken").is_none());
}

#[test]
fn delete_restore_and_force_delete() {
    let env = TestEnv::new();
    ok(
        &env,
        "CreateSecret",
        json!({"Name": "del", "SecretString": "x"}),
    );
    let deleted = ok(
        &env,
        "DeleteSecret",
        json!({"SecretId": "del", "RecoveryWindowInDays": 7}),
    );
    assert_eq!(deleted["Name"], "del");
    let when = deleted["DeletionDate"].as_f64().unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64();
    assert!(
        (when - (now + 7.0 * 86400.0)).abs() < 600.0,
        "{when} vs {now}"
    );
    err(
        &env,
        "GetSecretValue",
        json!({"SecretId": "del"}),
        "InvalidRequestException",
    );
    env.sm(&["get", "del"]).fails(3);
    let restored = ok(&env, "RestoreSecret", json!({"SecretId": "del"}));
    assert_eq!(restored["Name"], "del");
    assert_eq!(env.get("del"), b"x");
    let forced = ok(
        &env,
        "DeleteSecret",
        json!({"SecretId": "del", "ForceDeleteWithoutRecovery": true}),
    );
    assert!(forced["DeletionDate"].is_number());
    err(
        &env,
        "GetSecretValue",
        json!({"SecretId": "del"}),
        "ResourceNotFoundException",
    );
    // The name can be created again, with a new ARN.
    let again = ok(
        &env,
        "CreateSecret",
        json!({"Name": "del", "SecretString": "y"}),
    );
    assert_ne!(again["ARN"], deleted["ARN"]);
    err(
        &env,
        "GetSecretValue",
        json!({"SecretId": deleted["ARN"]}),
        "ResourceNotFoundException",
    );
    verify_clean(&env);
}

#[test]
fn tag_and_untag_resource() {
    let env = TestEnv::new();
    ok(
        &env,
        "CreateSecret",
        json!({"Name": "t", "SecretString": "x"}),
    );
    let tagged = ok(
        &env,
        "TagResource",
        json!({"SecretId": "t", "Tags": [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}]}),
    );
    assert_eq!(tagged, json!({}));
    let untagged = ok(
        &env,
        "UntagResource",
        json!({"SecretId": "t", "TagKeys": ["a"]}),
    );
    assert_eq!(untagged, json!({}));
    let d = ok(&env, "DescribeSecret", json!({"SecretId": "t"}));
    assert_eq!(d["Tags"], json!([{"Key": "b", "Value": "2"}]));
    verify_clean(&env);
}

#[test]
fn get_random_password_follows_the_parameters() {
    let env = TestEnv::new();
    let p = ok(&env, "GetRandomPassword", json!({}));
    assert_eq!(p["RandomPassword"].as_str().unwrap().chars().count(), 32);
    let p = ok(
        &env,
        "GetRandomPassword",
        json!({"PasswordLength": 50, "ExcludePunctuation": true, "ExcludeUppercase": true, "ExcludeCharacters": "abc"}),
    );
    let text = p["RandomPassword"].as_str().unwrap();
    assert_eq!(text.len(), 50);
    assert!(
        text.chars()
            .all(|c| (c.is_ascii_lowercase() || c.is_ascii_digit()) && !"abc".contains(c)),
        "{text}"
    );
}

#[test]
fn rotate_secret_runs_the_trusted_hook_and_cancel_turns_rotation_off() {
    let env = TestEnv::new();
    let hooks = env.store.join("hooks");
    std::fs::create_dir_all(&hooks).unwrap();
    let hook = hooks.join("new");
    std::fs::write(
        &hook,
        "#!/bin/sh\nif [ \"$1\" = create ]; then echo rotated-value; fi\nexit 0\n",
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    ok(
        &env,
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
    let rotated = ok(
        &env,
        "RotateSecret",
        json!({"SecretId": "r", "RotationRules": {"AutomaticallyAfterDays": 30}}),
    );
    let id = rotated["VersionId"].as_str().unwrap();
    let got = ok(&env, "GetSecretValue", json!({"SecretId": "r"}));
    assert_eq!(got["SecretString"], "rotated-value");
    assert_eq!(got["VersionId"], id);
    let d = ok(&env, "DescribeSecret", json!({"SecretId": "r"}));
    assert_eq!(d["RotationEnabled"], true);
    assert_eq!(d["RotationRules"], json!({"AutomaticallyAfterDays": 30}));
    assert!(d["LastRotatedDate"].is_number());
    let cancelled = ok(&env, "CancelRotateSecret", json!({"SecretId": "r"}));
    assert_eq!(cancelled["Name"], "r");
    let d = ok(&env, "DescribeSecret", json!({"SecretId": "r"}));
    assert_eq!(d["RotationEnabled"], false);
    assert!(d.get("NextRotationDate").is_none());
    verify_clean(&env);
}

#[test]
fn every_call_is_logged_as_the_command_line_logs_it_naming_the_client() {
    let env = TestEnv::new();
    ok(
        &env,
        "CreateSecret",
        json!({"Name": "l", "SecretString": "x"}),
    );
    ok(&env, "GetSecretValue", json!({"SecretId": "l"}));
    ok(
        &env,
        "TagResource",
        json!({"SecretId": "l", "Tags": [{"Key": "k", "Value": "v"}]}),
    );
    err(
        &env,
        "GetSecretValue",
        json!({"SecretId": "missing"}),
        "ResourceNotFoundException",
    );
    let log = env.sm(&["log", "--json"]).success().json();
    let entries: Vec<(String, String, String, String)> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["op"].as_str().unwrap_or("").to_string(),
                e["secret"].as_str().unwrap_or("").to_string(),
                e["outcome"].as_str().unwrap_or("").to_string(),
                e["detail"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let has = |op: &str, secret: &str, outcome: &str, detail: &str| {
        assert!(
            entries
                .iter()
                .any(|e| e.0 == op && e.1 == secret && e.2 == outcome && e.3 == detail),
            "no {op} {secret} {outcome} {detail:?} in {entries:?}"
        );
    };
    has("put", "l", "ok", "api CreateSecret client local");
    has("get", "l", "ok", "api GetSecretValue client local");
    has("tag", "l", "ok", "api TagResource client local");
    has(
        "get",
        "missing",
        "not_found",
        "api GetSecretValue client local",
    );
    // No value ever reaches the log.
    let text = std::fs::read_to_string(env.log_file("alice")).unwrap();
    assert!(!text.contains("\"x\""));
}
