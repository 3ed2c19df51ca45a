//! Where the local API follows the service's reference closely enough
//! for infrastructure code: a secret created with no value (declared
//! first, its value written after), `LastChangedDate` moved by every
//! change (from the logs, as `LastAccessedDate`), ARNs of another account or region not found, the reserved
//! `aws:` tag prefix and repeated tag keys refused, filter values checked
//! against the service's pattern, RotateSecret with nothing to rotate
//! refused before any schedule is set, client globs that match no name
//! refused, and the agent API's ARNs in the requested ARN's region.

use serde_json::{Value, json};

use crate::common::TestEnv;
use crate::serve_ops::{api, err, ok};
use crate::serve_support::{Server, get};

#[test]
fn a_secret_created_without_a_value_is_declared_and_filled_later() {
    let env = TestEnv::new();
    let created = ok(
        &env,
        "CreateSecret",
        json!({"Name": "tf/db", "Description": "declared by terraform", "Tags": [{"Key": "team", "Value": "core"}]}),
    );
    assert_eq!(created["Name"], "tf/db");
    assert!(created["ARN"].is_string());
    assert!(created.get("VersionId").is_none(), "{created}");
    // Declared twice: the service's answer for a name that exists.
    assert_eq!(
        err(
            &env,
            "CreateSecret",
            json!({"Name": "tf/db"}),
            "ResourceExistsException"
        ),
        "The operation failed because the secret tf/db already exists."
    );
    assert_eq!(
        err(
            &env,
            "GetSecretValue",
            json!({"SecretId": "tf/db"}),
            "ResourceNotFoundException"
        ),
        "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT"
    );
    let described = ok(&env, "DescribeSecret", json!({"SecretId": "tf/db"}));
    assert_eq!(described["Description"], "declared by terraform");
    assert_eq!(described["VersionIdsToStages"], json!({}));
    let versions = ok(&env, "ListSecretVersionIds", json!({"SecretId": "tf/db"}));
    assert_eq!(versions["Versions"], json!([]));
    // The command line says why there is nothing to read, and what to do.
    let run = env.sm(&["get", "tf/db"]);
    assert_eq!(run.code(), 3, "{}", run.stderr());
    assert!(run.stderr().contains("no value yet"), "{}", run.stderr());
    assert!(run.stderr().contains("sm put tf/db"), "{}", run.stderr());
    let listed = env.sm(&["ls", "--json"]).success().json();
    assert_eq!(listed[0]["name"], "tf/db");
    assert_eq!(listed[0]["labels"], json!([]));
    // The value written afterwards is the secret's first version.
    let put = ok(
        &env,
        "PutSecretValue",
        json!({"SecretId": "tf/db", "SecretString": "first-value"}),
    );
    assert_eq!(put["VersionStages"], json!(["AWSCURRENT"]));
    let got = ok(&env, "GetSecretValue", json!({"SecretId": "tf/db"}));
    assert_eq!(got["SecretString"], "first-value");
    assert_eq!(env.sm(&["get", "tf/db"]).success().stdout(), "first-value");
    env.sm(&["verify"]).success();
}

#[test]
fn last_changed_date_moves_with_every_change() {
    let env = TestEnv::new();
    ok(
        &env,
        "CreateSecret",
        json!({"Name": "c", "SecretString": "v1", "ClientRequestToken": "00000000-0000-4000-8000-000000000001"}),
    );
    let changed = || -> f64 {
        let d = ok(&env, "DescribeSecret", json!({"SecretId": "c"}));
        d["LastChangedDate"].as_f64().expect("LastChangedDate")
    };
    let mut last = changed();
    let steps: [(&str, Value); 4] = [
        // A client-chosen version id carries no time of its own.
        (
            "PutSecretValue",
            json!({"SecretId": "c", "SecretString": "v2", "ClientRequestToken": "00000000-0000-4000-8000-000000000002"}),
        ),
        (
            "UpdateSecret",
            json!({"SecretId": "c", "Description": "now described"}),
        ),
        (
            "TagResource",
            json!({"SecretId": "c", "Tags": [{"Key": "k", "Value": "v"}]}),
        ),
        ("UntagResource", json!({"SecretId": "c", "TagKeys": ["k"]})),
    ];
    for (op, body) in steps {
        std::thread::sleep(std::time::Duration::from_millis(30));
        ok(&env, op, body);
        let now = changed();
        assert!(now > last, "{op} left LastChangedDate at {last}");
        last = now;
    }
    // A change from the command line counts too (its log entry).
    std::thread::sleep(std::time::Duration::from_millis(30));
    env.sm(&["describe", "c", "described at the shell"])
        .success();
    let now = changed();
    assert!(now > last, "sm describe left LastChangedDate at {last}");
    last = now;
    // A read changes nothing.
    ok(&env, "GetSecretValue", json!({"SecretId": "c"}));
    env.sm(&["get", "c"]).success();
    assert_eq!(changed(), last);
    // Nothing new in meta.toml: earlier sm versions still read it.
    let meta = std::fs::read_to_string(env.store.join("secrets/c.secret/meta.toml")).unwrap();
    assert!(!meta.contains("changed"), "{meta}");
}

#[test]
fn an_arn_of_another_account_or_region_is_not_found() {
    let env = TestEnv::new();
    ok(
        &env,
        "CreateSecret",
        json!({"Name": "a/b", "SecretString": "v"}),
    );
    let arn = ok(&env, "DescribeSecret", json!({"SecretId": "a/b"}))["ARN"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        ok(&env, "GetSecretValue", json!({"SecretId": arn}))["SecretString"],
        "v"
    );
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let (region, account) = (parts[3], parts[4]);
    for other in [
        arn.replacen(&format!(":{region}:"), ":ap-south-9:", 1),
        arn.replacen(&format!(":{account}:"), ":999999999999:", 1),
    ] {
        assert_eq!(
            err(
                &env,
                "GetSecretValue",
                json!({"SecretId": other}),
                "ResourceNotFoundException"
            ),
            "Secrets Manager can't find the specified secret.",
            "{other}"
        );
    }
}

#[test]
fn reserved_and_repeated_tags_and_bad_filter_values_are_refused() {
    let env = TestEnv::new();
    ok(
        &env,
        "CreateSecret",
        json!({"Name": "t", "SecretString": "v"}),
    );
    for tags in [
        json!([{"Key": "aws:cloudformation:stack-name", "Value": "x"}]),
        json!([{"Key": "owner", "Value": "AWS:x"}]),
        json!([{"Key": "k", "Value": "1"}, {"Key": "k", "Value": "2"}]),
    ] {
        err(
            &env,
            "TagResource",
            json!({"SecretId": "t", "Tags": tags}),
            "InvalidParameterException",
        );
        err(
            &env,
            "CreateSecret",
            json!({"Name": "t2", "SecretString": "v", "Tags": tags}),
            "InvalidParameterException",
        );
    }
    err(
        &env,
        "UntagResource",
        json!({"SecretId": "t", "TagKeys": ["aws:x"]}),
        "InvalidParameterException",
    );
    let d = ok(&env, "DescribeSecret", json!({"SecretId": "t"}));
    assert!(d.get("Tags").is_none(), "nothing was tagged: {d}");
    let message = err(
        &env,
        "ListSecrets",
        json!({"Filters": [{"Key": "name", "Values": ["pr#od"]}]}),
        "ValidationException",
    );
    assert!(message.contains("regular expression pattern"), "{message}");
    // Every character of the pattern passes, `!` included.
    ok(
        &env,
        "ListSecrets",
        json!({"Filters": [{"Key": "name", "Values": ["!a-z A:_@/+=.b"]}]}),
    );
}

#[test]
fn rotate_secret_with_nothing_to_rotate_sets_no_schedule() {
    let env = TestEnv::new();
    ok(
        &env,
        "CreateSecret",
        json!({"Name": "r", "SecretString": "v"}),
    );
    let (code, answer) = api(
        &env,
        "RotateSecret",
        json!({"SecretId": "r", "RotateImmediately": false, "RotationRules": {"AutomaticallyAfterDays": 30}}),
    );
    assert_eq!(code, 1, "{answer}");
    assert_eq!(answer["__type"], "InvalidRequestException");
    let d = ok(&env, "DescribeSecret", json!({"SecretId": "r"}));
    assert!(
        d.get("RotationEnabled").is_none(),
        "no schedule was kept: {d}"
    );
    // With a way to rotate, the same call keeps the schedule.
    env.sm(&["rotate", "r", "--generate", "--no-rotate-now"])
        .success();
    ok(
        &env,
        "RotateSecret",
        json!({"SecretId": "r", "RotateImmediately": false, "RotationRules": {"AutomaticallyAfterDays": 30}}),
    );
    let d = ok(&env, "DescribeSecret", json!({"SecretId": "r"}));
    assert_eq!(d["RotationEnabled"], true);
    assert_eq!(d["RotationRules"]["AutomaticallyAfterDays"], 30);
}

#[test]
fn client_globs_that_match_no_name_are_refused() {
    let env = TestEnv::new();
    for glob in ["", "/abs/**", "prod//x", "prod/"] {
        let run = env.sm(&["serve", "client", "add", "c", "--read", glob]);
        assert_eq!(run.code(), 2, "{glob:?}: {}", run.stderr());
        assert!(
            run.stderr().contains("matches no secret name"),
            "{}",
            run.stderr()
        );
        let run = env.sm(&["serve", "client", "add", "c", "--write", glob]);
        assert_eq!(run.code(), 2, "{glob:?}: {}", run.stderr());
    }
    let listed = env
        .sm(&["serve", "client", "ls", "--json"])
        .success()
        .json();
    assert_eq!(listed, json!([]), "no client was added");
    env.sm(&["serve", "client", "add", "c", "--read", "prod/**"])
        .success();
}

#[test]
fn the_agent_gives_an_arn_in_the_region_the_request_names() {
    let env = TestEnv::new();
    env.put("prod/db", b"agent-region-value").success();
    let token = "agent-token-for-region-test";
    // No AWS_REGION for the server: its own region is the default.
    let server = Server::start(&env, &[], &[("AWS_TOKEN", token)]);
    let port = server.agent.unwrap();
    let header = format!("X-Aws-Parameters-Secrets-Token: {token}");
    let read = |id: &str| -> Value {
        let (status, body) = get(
            port,
            &format!("/secretsmanager/get?secretId={id}"),
            &[&header],
        );
        assert_eq!(status, 200, "{body}");
        serde_json::from_str(&body).unwrap()
    };
    let plain = read("prod%2Fdb");
    let arn = plain["ARN"].as_str().unwrap();
    assert!(arn.contains(":us-east-1:"), "{arn}");
    let elsewhere = arn.replacen(":us-east-1:", ":eu-west-1:", 1);
    let by_arn = read(&elsewhere.replace('/', "%2F").replace(':', "%3A"));
    assert_eq!(by_arn["ARN"], elsewhere.as_str());
    assert_eq!(by_arn["SecretString"], "agent-region-value");
    let (status, stderr) = server.stop();
    assert!(status.success(), "{stderr}");
}

/// The dates come from log files a clone may hold anything in: junk lines,
/// a line past the length cap, a log that is a link (here to /dev/zero,
/// which would never end). The answer still comes, the link is not
/// followed, and the dates are left out rather than made up or failed on.
#[test]
fn hostile_logs_never_break_or_hang_the_dates() {
    let env = TestEnv::new();
    ok(
        &env,
        "CreateSecret",
        json!({"Name": "h", "SecretString": "v"}),
    );
    ok(&env, "GetSecretValue", json!({"SecretId": "h"}));
    // Another log file (as a clone may bring): junk, a forged line cut
    // short, a line past the cap. (Alice's own log stays whole: sm refuses
    // to append after a torn tail.)
    let log = env.log_file("alice");
    let other = log.parent().unwrap().parent().unwrap().join("mallory");
    std::fs::create_dir_all(&other).unwrap();
    let mut text = b"not json at all\n{\"time\":\"2099-01-01T00:00:00Z\"\n".to_vec();
    text.extend_from_slice(&vec![b'x'; 2 << 20]);
    text.push(b'\n');
    std::fs::write(other.join("dev.jsonl"), &text).unwrap();
    let d = ok(&env, "DescribeSecret", json!({"SecretId": "h"}));
    assert!(
        d["LastAccessedDate"].is_number(),
        "the good lines count: {d}"
    );
    // A log that is a link.
    std::os::unix::fs::symlink("/dev/zero", other.join("zz-link.jsonl")).unwrap();
    let started = std::time::Instant::now();
    let d = ok(&env, "DescribeSecret", json!({"SecretId": "h"}));
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    assert!(d.get("LastAccessedDate").is_none(), "{d}");
    assert!(d["LastChangedDate"].is_number(), "{d}");
    assert_eq!(d["Name"], "h");
}
