//! The local API's documented errors, each provoked as a client would and
//! checked for its `__type` code, its message and a failed exit (the HTTP
//! status 400 of a client error): through `sm __api OP`.

use serde_json::json;

use crate::common::TestEnv;
use crate::serve_ops::{api, err, ok};

/// A store with `s` = `v` (one version) for the error cases.
fn with_secret() -> (TestEnv, String) {
    let env = TestEnv::new();
    let id = ok(
        &env,
        "CreateSecret",
        json!({"Name": "s", "SecretString": "v"}),
    )["VersionId"]
        .as_str()
        .unwrap()
        .to_string();
    (env, id)
}

const NOT_FOUND: &str = "Secrets Manager can't find the specified secret.";
const DELETED: &str =
    "You can't perform this operation on the secret because it was marked for deletion.";

#[test]
fn requests_that_are_not_the_service_shape() {
    let (env, _) = with_secret();
    let run = env.sm_in(&["__api", "GetSecretValue"], b"{not json");
    assert_eq!(run.code(), 1);
    assert_eq!(run.json()["__type"], "SerializationException");
    let run = env.sm_in(&["__api", "GetSecretValue"], b"[1]");
    assert_eq!(run.json()["__type"], "SerializationException");
    err(
        &env,
        "GetSecretValue",
        json!({"SecretId": 5}),
        "SerializationException",
    );
    let m = err(&env, "GetSecretValue", json!({}), "ValidationException");
    assert_eq!(
        m,
        "1 validation error detected: Value at 'secretId' failed to satisfy constraint: Member must not be null"
    );
    let m = err(
        &env,
        "GetSecretValue",
        json!({"SecretId": "s", "VersionId": "short"}),
        "ValidationException",
    );
    assert!(m.contains("'versionId'") && m.contains("32"), "{m}");
    err(&env, "NoSuchThing", json!({}), "UnknownOperationException");
}

#[test]
fn get_secret_value_errors() {
    let (env, id) = with_secret();
    assert_eq!(
        err(
            &env,
            "GetSecretValue",
            json!({"SecretId": "nope"}),
            "ResourceNotFoundException"
        ),
        NOT_FOUND
    );
    // A name sm could never hold is simply not there.
    assert_eq!(
        err(
            &env,
            "GetSecretValue",
            json!({"SecretId": "bad name"}),
            "ResourceNotFoundException"
        ),
        NOT_FOUND
    );
    let m = err(
        &env,
        "GetSecretValue",
        json!({"SecretId": "s", "VersionId": "00000000-0000-0000-0000-000000000000"}),
        "ResourceNotFoundException",
    );
    assert_eq!(
        m,
        "Secrets Manager can't find the specified secret value for VersionId: 00000000-0000-0000-0000-000000000000"
    );
    let m = err(
        &env,
        "GetSecretValue",
        json!({"SecretId": "s", "VersionStage": "AWSPENDING"}),
        "ResourceNotFoundException",
    );
    assert_eq!(
        m,
        "Secrets Manager can't find the specified secret value for staging label: AWSPENDING"
    );
    err(
        &env,
        "GetSecretValue",
        json!({"SecretId": "s", "VersionId": id, "VersionStage": "AWSPREVIOUS"}),
        "ResourceNotFoundException",
    );
    // A full ARN whose suffix is not this secret's.
    let arn = ok(&env, "DescribeSecret", json!({"SecretId": "s"}))["ARN"]
        .as_str()
        .unwrap()
        .to_string();
    let wrong = format!("{}zzzzzz", &arn[..arn.len() - 6]);
    err(
        &env,
        "GetSecretValue",
        json!({"SecretId": wrong}),
        "ResourceNotFoundException",
    );
    ok(&env, "DeleteSecret", json!({"SecretId": "s"}));
    assert_eq!(
        err(
            &env,
            "GetSecretValue",
            json!({"SecretId": "s"}),
            "InvalidRequestException"
        ),
        DELETED
    );
}

#[test]
fn create_secret_errors() {
    let (env, _) = with_secret();
    assert_eq!(
        err(
            &env,
            "CreateSecret",
            json!({"Name": "s", "SecretString": "w"}),
            "ResourceExistsException"
        ),
        "The operation failed because the secret s already exists."
    );
    err(
        &env,
        "CreateSecret",
        json!({"Name": "s", "SecretString": "w", "ClientRequestToken": "00000000-0000-0000-0000-000000000001"}),
        "ResourceExistsException",
    );
    assert_eq!(
        err(
            &env,
            "CreateSecret",
            json!({"Name": "x", "SecretString": "a", "SecretBinary": "YQ=="}),
            "InvalidParameterException"
        ),
        "You can't specify both a binary secret value and a string secret value in the same secret."
    );
    err(
        &env,
        "CreateSecret",
        json!({"Name": "bad name", "SecretString": "a"}),
        "InvalidParameterException",
    );
    err(
        &env,
        "CreateSecret",
        json!({"Name": "x", "SecretString": "a", "KmsKeyId": "alias/mine"}),
        "InvalidParameterException",
    );
    err(
        &env,
        "CreateSecret",
        json!({"Name": "x", "SecretString": "a", "AddReplicaRegions": [{"Region": "eu-west-1"}]}),
        "InvalidRequestException",
    );
    err(
        &env,
        "CreateSecret",
        json!({"Name": "x", "SecretString": "a", "Tags": [{"Key": "bad key!", "Value": "v"}]}),
        "InvalidParameterException",
    );
    err(
        &env,
        "CreateSecret",
        json!({"Name": "x", "SecretBinary": "***"}),
        "SerializationException",
    );
    ok(&env, "DeleteSecret", json!({"SecretId": "s"}));
    let m = err(
        &env,
        "CreateSecret",
        json!({"Name": "s", "SecretString": "w"}),
        "InvalidRequestException",
    );
    assert!(m.contains("scheduled for deletion"), "{m}");
    // Nothing was created by the refused calls.
    assert_eq!(ok(&env, "ListSecrets", json!({}))["SecretList"], json!([]));
}

#[test]
fn put_and_update_errors() {
    let (env, id) = with_secret();
    err(
        &env,
        "PutSecretValue",
        json!({"SecretId": "nope", "SecretString": "w"}),
        "ResourceNotFoundException",
    );
    err(
        &env,
        "PutSecretValue",
        json!({"SecretId": "s"}),
        "InvalidParameterException",
    );
    err(
        &env,
        "PutSecretValue",
        json!({"SecretId": "s", "SecretString": "other", "ClientRequestToken": id}),
        "ResourceExistsException",
    );
    err(
        &env,
        "PutSecretValue",
        json!({"SecretId": "s", "SecretString": "w", "VersionStages": ["bad label!"]}),
        "InvalidParameterException",
    );
    err(
        &env,
        "UpdateSecret",
        json!({"SecretId": "s", "SecretString": "w", "KmsKeyId": "alias/other"}),
        "InvalidParameterException",
    );
    ok(&env, "DeleteSecret", json!({"SecretId": "s"}));
    assert_eq!(
        err(
            &env,
            "PutSecretValue",
            json!({"SecretId": "s", "SecretString": "w"}),
            "InvalidRequestException"
        ),
        DELETED
    );
    assert_eq!(
        err(
            &env,
            "UpdateSecret",
            json!({"SecretId": "s", "Description": "d"}),
            "InvalidRequestException"
        ),
        DELETED
    );
    err(
        &env,
        "TagResource",
        json!({"SecretId": "s", "Tags": [{"Key": "a", "Value": "b"}]}),
        "InvalidRequestException",
    );
}

#[test]
fn update_secret_version_stage_errors() {
    let (env, v1) = with_secret();
    let v2 = ok(
        &env,
        "PutSecretValue",
        json!({"SecretId": "s", "SecretString": "w"}),
    )["VersionId"]
        .as_str()
        .unwrap()
        .to_string();
    let m = err(
        &env,
        "UpdateSecretVersionStage",
        json!({"SecretId": "s", "VersionStage": "AWSCURRENT", "MoveToVersionId": v1}),
        "InvalidParameterException",
    );
    assert_eq!(
        m,
        format!(
            "The parameter RemoveFromVersionId can't be empty. Staging label AWSCURRENT is currently attached to version {v2}, so you must explicitly reference that version in RemoveFromVersionId."
        )
    );
    err(
        &env,
        "UpdateSecretVersionStage",
        json!({"SecretId": "s", "VersionStage": "AWSCURRENT", "MoveToVersionId": v1, "RemoveFromVersionId": v1}),
        "InvalidParameterException",
    );
    err(
        &env,
        "UpdateSecretVersionStage",
        json!({"SecretId": "s", "VersionStage": "AWSCURRENT", "RemoveFromVersionId": v2}),
        "InvalidParameterException",
    );
    err(
        &env,
        "UpdateSecretVersionStage",
        json!({"SecretId": "s", "VersionStage": "blue", "MoveToVersionId": "00000000-0000-0000-0000-000000000000"}),
        "InvalidParameterException",
    );
    err(
        &env,
        "UpdateSecretVersionStage",
        json!({"SecretId": "nope", "VersionStage": "blue", "MoveToVersionId": v1}),
        "ResourceNotFoundException",
    );
    // Nothing moved.
    assert_eq!(env.get("s"), b"w");
}

#[test]
fn delete_and_restore_errors() {
    let (env, _) = with_secret();
    for days in [6, 31] {
        assert_eq!(
            err(
                &env,
                "DeleteSecret",
                json!({"SecretId": "s", "RecoveryWindowInDays": days}),
                "InvalidParameterException"
            ),
            "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive)."
        );
    }
    assert_eq!(
        err(
            &env,
            "DeleteSecret",
            json!({"SecretId": "s", "RecoveryWindowInDays": 7, "ForceDeleteWithoutRecovery": true}),
            "InvalidParameterException"
        ),
        "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays."
    );
    err(
        &env,
        "DeleteSecret",
        json!({"SecretId": "nope"}),
        "ResourceNotFoundException",
    );
    err(
        &env,
        "RestoreSecret",
        json!({"SecretId": "nope"}),
        "ResourceNotFoundException",
    );
    ok(&env, "DeleteSecret", json!({"SecretId": "s"}));
    err(
        &env,
        "DeleteSecret",
        json!({"SecretId": "s"}),
        "InvalidRequestException",
    );
    assert_eq!(env.get_or_fail("s"), 3);
}

#[test]
fn listing_errors() {
    let (env, _) = with_secret();
    let m = err(
        &env,
        "ListSecrets",
        json!({"Filters": [{"Key": "colour", "Values": ["x"]}]}),
        "ValidationException",
    );
    assert!(m.contains("enum value set"), "{m}");
    assert_eq!(
        err(
            &env,
            "ListSecrets",
            json!({"NextToken": "garbage"}),
            "InvalidNextTokenException"
        ),
        "The NextToken value is invalid."
    );
    err(
        &env,
        "ListSecrets",
        json!({"SortOrder": "up"}),
        "ValidationException",
    );
    err(
        &env,
        "ListSecrets",
        json!({"SortBy": "size"}),
        "ValidationException",
    );
    err(
        &env,
        "ListSecrets",
        json!({"MaxResults": 0}),
        "ValidationException",
    );
    err(
        &env,
        "ListSecrets",
        json!({"MaxResults": 101}),
        "ValidationException",
    );
    err(
        &env,
        "ListSecretVersionIds",
        json!({"SecretId": "s", "NextToken": "garbage"}),
        "InvalidNextTokenException",
    );
    err(
        &env,
        "ListSecretVersionIds",
        json!({"SecretId": "nope"}),
        "ResourceNotFoundException",
    );
    err(
        &env,
        "DescribeSecret",
        json!({"SecretId": "nope"}),
        "ResourceNotFoundException",
    );
    err(
        &env,
        "BatchGetSecretValue",
        json!({}),
        "InvalidParameterException",
    );
    err(
        &env,
        "BatchGetSecretValue",
        json!({"SecretIdList": ["s"], "Filters": [{"Key": "name", "Values": ["s"]}]}),
        "InvalidParameterException",
    );
}

#[test]
fn rotation_and_password_errors() {
    let (env, _) = with_secret();
    let m = err(
        &env,
        "RotateSecret",
        json!({"SecretId": "s", "RotationLambdaARN": "arn:aws:lambda:us-east-1:000000000000:function:rot"}),
        "InvalidParameterException",
    );
    assert!(m.contains("sm runs rotation hooks"), "{m}");
    let m = err(
        &env,
        "RotateSecret",
        json!({"SecretId": "s"}),
        "InvalidRequestException",
    );
    assert!(m.contains("No rotation hook"), "{m}");
    err(
        &env,
        "RotateSecret",
        json!({"SecretId": "s", "RotationRules": {"AutomaticallyAfterDays": 3, "ScheduleExpression": "rate(3 days)"}}),
        "InvalidParameterException",
    );
    err(
        &env,
        "RotateSecret",
        json!({"SecretId": "s", "RotationRules": {"ScheduleExpression": "every tuesday"}}),
        "InvalidParameterException",
    );
    err(
        &env,
        "RotateSecret",
        json!({"SecretId": "nope"}),
        "ResourceNotFoundException",
    );
    err(
        &env,
        "CancelRotateSecret",
        json!({"SecretId": "s"}),
        "InvalidRequestException",
    );
    err(
        &env,
        "GetRandomPassword",
        json!({"ExcludeNumbers": true, "ExcludePunctuation": true, "ExcludeUppercase": true, "ExcludeLowercase": true}),
        "InvalidParameterException",
    );
    err(
        &env,
        "GetRandomPassword",
        json!({"PasswordLength": 0}),
        "ValidationException",
    );
}

#[test]
fn unsupported_operations_answer_with_the_service_error() {
    let (env, _) = with_secret();
    for op in [
        "ReplicateSecretToRegions",
        "RemoveRegionsFromReplication",
        "StopReplicationToReplica",
        "GetResourcePolicy",
        "PutResourcePolicy",
        "DeleteResourcePolicy",
        "ValidateResourcePolicy",
    ] {
        let (code, answer) = api(&env, op, json!({"SecretId": "s"}));
        assert_eq!(code, 1);
        assert_eq!(answer["__type"], "InvalidRequestException", "{op}");
        assert!(
            answer["Message"]
                .as_str()
                .unwrap()
                .starts_with("sm does not support"),
            "{answer}"
        );
    }
}

impl TestEnv {
    /// The exit code of `sm get NAME`.
    fn get_or_fail(&self, name: &str) -> i32 {
        self.sm(&["get", name]).code()
    }
}

/// Runs one operation as a client limited to `read` / `write` globs.
fn as_client(
    env: &TestEnv,
    read: &[&str],
    write: &[&str],
    op: &str,
    body: serde_json::Value,
) -> (i32, serde_json::Value) {
    let mut args = vec!["__api", op];
    for g in read {
        args.extend(["--read", g]);
    }
    for g in write {
        args.extend(["--write", g]);
    }
    let run = env.sm_in(&args, body.to_string().as_bytes());
    (run.code(), run.json())
}

#[test]
fn client_globs_limit_every_operation() {
    let env = TestEnv::new();
    for name in ["prod/app/db", "prod/other"] {
        ok(
            &env,
            "CreateSecret",
            json!({"Name": name, "SecretString": "v"}),
        );
    }
    let read = ["prod/app/**"];
    let (code, got) = as_client(
        &env,
        &read,
        &[],
        "GetSecretValue",
        json!({"SecretId": "prod/app/db"}),
    );
    assert_eq!((code, got["SecretString"].as_str()), (0, Some("v")));
    for (op, body) in [
        ("GetSecretValue", json!({"SecretId": "prod/other"})),
        // A name outside the globs is refused before the store is asked.
        ("GetSecretValue", json!({"SecretId": "prod/missing"})),
        ("DescribeSecret", json!({"SecretId": "prod/other"})),
        (
            "PutSecretValue",
            json!({"SecretId": "prod/app/db", "SecretString": "w"}),
        ),
        (
            "CreateSecret",
            json!({"Name": "prod/app/new", "SecretString": "w"}),
        ),
        ("DeleteSecret", json!({"SecretId": "prod/app/db"})),
        (
            "TagResource",
            json!({"SecretId": "prod/app/db", "Tags": []}),
        ),
    ] {
        let (code, answer) = as_client(&env, &read, &[], op, body.clone());
        assert_eq!(code, 1, "{op} {body}: {answer}");
        assert_eq!(answer["__type"], "AccessDeniedException", "{op} {body}");
        assert!(
            answer["Message"]
                .as_str()
                .unwrap()
                .contains("not authorized")
        );
    }
    let (_, listed) = as_client(&env, &read, &[], "ListSecrets", json!({}));
    let names: Vec<&str> = listed["SecretList"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["Name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["prod/app/db"]);
    let (_, batch) = as_client(
        &env,
        &read,
        &[],
        "BatchGetSecretValue",
        json!({"SecretIdList": ["prod/app/db", "prod/other"]}),
    );
    assert_eq!(batch["SecretValues"].as_array().unwrap().len(), 1);
    assert_eq!(batch["Errors"][0]["ErrorCode"], "AccessDeniedException");
    // A writer writes (and reads) inside its globs only.
    let (code, _) = as_client(
        &env,
        &[],
        &["prod/app/*"],
        "PutSecretValue",
        json!({"SecretId": "prod/app/db", "SecretString": "w"}),
    );
    assert_eq!(code, 0);
    assert_eq!(env.get("prod/app/db"), b"w");
    assert_eq!(env.get("prod/other"), b"v");
    // The refusals are logged as such.
    let log = env.sm(&["log", "--json"]).success().json();
    assert!(
        log.as_array()
            .unwrap()
            .iter()
            .any(|e| e["outcome"] == "no_access"
                && e["secret"] == "prod/other"
                && e["detail"] == "api GetSecretValue client test")
    );
}
