//! `sm serve` driven by boto3 as applications use it: the `get_secret()`
//! function of the service's documentation (text and binary secrets), the
//! API's writes (signed, logged naming the client, `sm verify` clean), the
//! documented errors with their codes and HTTP status as boto3 sees them,
//! and `sm exec --serve` giving a program with no configuration of its own
//! an endpoint for its lifetime.

use crate::common::TestEnv;
use crate::serve_clients::{
    Creds, Server, add_client, age_decrypt, clean_aws_env, current_id, have_boto3, python,
    script_file,
};

/// The service documentation's sample, as written there (the names and
/// region filled in by the caller), returning instead of only parsing.
const GET_SECRET: &str = r#"
import base64
import json
import sys

import boto3
from botocore.exceptions import ClientError


def get_secret(secret_name, region_name):
    # Create a Secrets Manager client
    session = boto3.session.Session()
    client = session.client(
        service_name='secretsmanager',
        region_name=region_name
    )

    try:
        get_secret_value_response = client.get_secret_value(
            SecretId=secret_name
        )
    except ClientError as e:
        # For a list of exceptions thrown, see
        # https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html
        raise e

    # Decrypts secret using the associated KMS key.
    # Depending on whether the secret is a string or binary, one of these fields will be populated.
    if 'SecretString' in get_secret_value_response:
        secret = get_secret_value_response['SecretString']
        return json.loads(secret)
    else:
        decoded_binary_secret = base64.b64decode(get_secret_value_response['SecretBinary'])
        return decoded_binary_secret
"#;

const MYSQL: &str = r#"{"username":"admin","password":"EXAMPLE-PASSWORD-0q8!"}"#;

#[test]
fn get_secret_as_documented_reads_text_and_binary_secrets() {
    let test = "get_secret_as_documented_reads_text_and_binary_secrets";
    if !have_boto3(test) {
        return;
    }
    let env = TestEnv::new();
    env.put("prod/myapp/mysql", MYSQL.as_bytes());
    // A binary secret as the documentation's readers store one: the
    // base64 text of the bytes, which its sample decodes.
    let raw: Vec<u8> = (0..=255u8).rev().collect();
    let b64 = base64_encode(&raw);
    env.sm_in(
        &["put", "prod/myapp/cert-b64", "--stdin", "--binary"],
        b64.as_bytes(),
    )
    .success();
    // And raw bytes that are not UTF-8, read as SecretBinary.
    env.sm_in(&["put", "prod/myapp/blob", "--stdin", "--binary"], &raw)
        .success();
    let server = Server::start(&env);
    let app = add_client(&env, "app", &[]);
    let script = format!(
        r#"{GET_SECRET}
mysql = get_secret('prod/myapp/mysql', 'eu-west-1')
cert = get_secret('prod/myapp/cert-b64', 'eu-west-1')
client = boto3.session.Session().client(service_name='secretsmanager', region_name='eu-west-1')
blob = client.get_secret_value(SecretId='prod/myapp/blob')
text = client.get_secret_value(SecretId='prod/myapp/mysql')
print(json.dumps({{
    'mysql': mysql,
    'cert': cert.hex(),
    'blob': blob['SecretBinary'].hex(),
    'blob_has_string': 'SecretString' in blob,
    'text_string': text['SecretString'],
    'text_has_binary': 'SecretBinary' in text,
    'name': text['Name'],
    'arn': text['ARN'],
    'version': text['VersionId'],
    'stages': text['VersionStages'],
    'created': text['CreatedDate'].timestamp(),
}}))
"#
    );
    let out = python(&env, &server, &app, &script);
    let got: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(got["mysql"]["username"], "admin");
    assert_eq!(got["mysql"]["password"], "EXAMPLE-PASSWORD-0q8!");
    assert_eq!(got["cert"], hex(&raw), "the sample's base64 decoding");
    assert_eq!(got["blob"], hex(&raw), "SecretBinary holds the exact bytes");
    assert_eq!(got["blob_has_string"], false);
    assert_eq!(got["text_has_binary"], false);
    assert_eq!(got["name"], "prod/myapp/mysql");
    let arn = got["arn"].as_str().unwrap();
    assert!(
        arn.starts_with("arn:aws:secretsmanager:eu-west-1:000000000000:secret:prod/myapp/mysql-"),
        "{arn}"
    );
    assert_eq!(
        arn.len() - arn.rfind('-').unwrap(),
        7,
        "a 6-character suffix: {arn}"
    );
    assert_eq!(got["stages"], serde_json::json!(["AWSCURRENT"]));
    assert!(got["created"].as_f64().unwrap() > 1.6e9);
    // The same bytes through the API, `sm get` and `age -d`.
    let id = current_id(&env, "prod/myapp/mysql");
    assert_eq!(got["version"], id.as_str(), "the version id is sm's");
    assert_eq!(
        got["text_string"].as_str().unwrap().as_bytes(),
        MYSQL.as_bytes()
    );
    assert_eq!(env.get("prod/myapp/mysql"), MYSQL.as_bytes());
    if let Some(plain) = age_decrypt(&env, "prod/myapp/mysql", &id, test) {
        assert_eq!(plain, MYSQL.as_bytes());
    }
    assert_eq!(env.get("prod/myapp/blob"), raw);
    let blob_id = current_id(&env, "prod/myapp/blob");
    if let Some(plain) = age_decrypt(&env, "prod/myapp/blob", &blob_id, test) {
        assert_eq!(plain, raw);
    }
    // Reads are logged naming the client; the server printed no value.
    let log = env.sm(&["log"]).success().stdout();
    assert!(log.contains("client app"), "{log}");
    let said = server.stderr();
    assert!(!said.contains("EXAMPLE-PASSWORD"), "{said}");
}

#[test]
fn writes_through_boto3_are_signed_logged_and_verify() {
    let test = "writes_through_boto3_are_signed_logged_and_verify";
    if !have_boto3(test) {
        return;
    }
    let env = TestEnv::new();
    let server = Server::start(&env);
    let app = add_client(&env, "app", &["--write", "**"]);
    let script = r#"
import json
import boto3
c = boto3.session.Session().client(service_name='secretsmanager', region_name='eu-west-1')
made = c.create_secret(Name='prod/app/db', SecretString='first-value',
                       Description='main database', Tags=[{'Key': 'env', 'Value': 'prod'}])
token = 'a' * 8 + '-' + 'b' * 4 + '-' + 'c' * 4 + '-' + 'd' * 4 + '-' + 'e' * 12
put = c.put_secret_value(SecretId='prod/app/db', SecretString='second-value', ClientRequestToken=token)
again = c.put_secret_value(SecretId='prod/app/db', SecretString='second-value', ClientRequestToken=token)
c.update_secret(SecretId=made['ARN'], Description='the main database')
c.tag_resource(SecretId='prod/app/db', Tags=[{'Key': 'team', 'Value': 'core'}])
c.create_secret(Name='prod/app/bin', SecretBinary=bytes(range(255, -1, -1)))
d = c.describe_secret(SecretId='prod/app/db')
v = c.list_secret_version_ids(SecretId='prod/app/db')
old = c.get_secret_value(SecretId='prod/app/db', VersionStage='AWSPREVIOUS')
print(json.dumps({
    'made_version': made['VersionId'], 'put_version': put['VersionId'],
    'again_version': again['VersionId'], 'token': token,
    'description': d.get('Description'), 'tags': sorted((t['Key'], t['Value']) for t in d.get('Tags', [])),
    'versions': sorted((x['VersionId'], sorted(x['VersionStages'])) for x in v['Versions']),
    'previous': old['SecretString'],
}))
"#;
    let out = python(&env, &server, &app, script);
    let got: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let token = got["token"].as_str().unwrap();
    assert_eq!(
        got["put_version"], token,
        "ClientRequestToken is the version id"
    );
    assert_eq!(
        got["again_version"], token,
        "the same token and value: a no-op"
    );
    assert_eq!(got["description"], "the main database");
    assert_eq!(
        got["tags"],
        serde_json::json!([["env", "prod"], ["team", "core"]])
    );
    assert_eq!(got["previous"], "first-value");
    assert_eq!(
        got["versions"].as_array().unwrap().len(),
        2,
        "{}",
        got["versions"]
    );
    // What the API wrote is what the CLI reads, byte for byte.
    assert_eq!(env.get("prod/app/db"), b"second-value");
    assert_eq!(env.version_ids("prod/app/db").len(), 2);
    assert!(env.version_ids("prod/app/db").contains(&token.to_string()));
    let raw: Vec<u8> = (0..=255u8).rev().collect();
    assert_eq!(env.get("prod/app/bin"), raw);
    let id = current_id(&env, "prod/app/db");
    if let Some(plain) = age_decrypt(&env, "prod/app/db", &id, test) {
        assert_eq!(plain, b"second-value");
    }
    let shown = env.sm(&["show", "prod/app/db", "--json"]).success().json();
    assert_eq!(shown["description"], "the main database");
    assert_eq!(shown["tags"]["team"], "core");
    // Signed like the CLI's writes, and logged naming the client.
    env.sm(&["verify"]).success();
    env.sm(&["log", "verify"]).success();
    let log = env.sm(&["log", "prod/app/db"]).success().stdout();
    assert!(log.contains("client app"), "{log}");
    let raw_log = std::fs::read_to_string(env.log_file("alice")).unwrap();
    assert!(!raw_log.contains("second-value") && !raw_log.contains("first-value"));
    assert!(!server.stderr().contains("second-value"));
}

/// The error codes and status boto3 sees, one line per provoked error.
#[test]
fn last_accessed_date_follows_reads_while_the_server_runs() {
    let test = "last_accessed_date_follows_reads_while_the_server_runs";
    if !have_boto3(test) {
        return;
    }
    let env = TestEnv::new();
    env.put("prod/app/db", b"accessed-value").success();
    env.put("prod/app/other", b"other-value").success();
    let server = Server::start(&env);
    let app = add_client(&env, "app", &[]);
    let describe = r#"
import json, sys
import boto3
c = boto3.session.Session().client(service_name='secretsmanager', region_name='eu-west-1')
if len(sys.argv) > 1:
    c.get_secret_value(SecretId=sys.argv[1])
out = {}
for name in ['prod/app/db', 'prod/app/other']:
    d = c.describe_secret(SecretId=name)
    out[name] = int(d['LastAccessedDate'].timestamp()) if 'LastAccessedDate' in d else None
print(json.dumps(out))
"#;
    let file = script_file(&env, describe);
    let run = |args: &[&str]| -> serde_json::Value {
        let out = crate::serve_clients::aws_client(&env, &server, &app, "python3")
            .arg(&file)
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let today = now - now % 86_400;
    let first = run(&[]);
    assert_eq!(
        first,
        serde_json::json!({"prod/app/db": null, "prod/app/other": null})
    );
    // A read by the command line while the server runs shows at the next
    // call, as does the API's own read.
    env.get("prod/app/db");
    let second = run(&["prod/app/other"]);
    for name in ["prod/app/db", "prod/app/other"] {
        let day = second[name]
            .as_i64()
            .unwrap_or_else(|| panic!("{name}: {second}"));
        assert!(
            day == today || day == today + 86_400,
            "{name}: {day}, today {today}"
        );
    }
}

#[test]
fn errors_reach_boto3_with_the_service_codes() {
    let test = "errors_reach_boto3_with_the_service_codes";
    if !have_boto3(test) {
        return;
    }
    let env = TestEnv::new();
    env.put("prod/app/db", b"v1");
    env.put("prod/app/gone", b"v1");
    env.put("prod/app/db2", b"v1");
    let server = Server::start(&env);
    let app = add_client(&env, "app", &["--write", "**"]);
    let ro = add_client(&env, "ro", &["--read", "prod/**"]);
    let narrow = add_client(&env, "narrow", &["--read", "prod/app/db"]);
    let script = r#"
import json, sys
import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

def client():
    return boto3.session.Session().client(service_name='secretsmanager', region_name='eu-west-1',
                                          config=Config(retries={'max_attempts': 1}))

def attempt(what, call):
    try:
        call()
        print(json.dumps([what, 'ok', 200, '']))
    except ClientError as e:
        print(json.dumps([what, e.response['Error']['Code'],
                          e.response['ResponseMetadata']['HTTPStatusCode'],
                          e.response['Error'].get('Message', '')]))

c = client()
mode = sys.argv[1]
if mode == 'app':
    attempt('missing', lambda: c.get_secret_value(SecretId='prod/app/missing'))
    attempt('exists', lambda: c.create_secret(Name='prod/app/db', SecretString='x'))
    attempt('both-values', lambda: c.create_secret(Name='prod/app/new', SecretString='x', SecretBinary=b'y'))
    attempt('window', lambda: c.delete_secret(SecretId='prod/app/db', RecoveryWindowInDays=3))
    attempt('force-and-window', lambda: c.delete_secret(SecretId='prod/app/db', RecoveryWindowInDays=7,
                                                        ForceDeleteWithoutRecovery=True))
    attempt('lambda', lambda: c.rotate_secret(SecretId='prod/app/db',
        RotationLambdaARN='arn:aws:lambda:eu-west-1:000000000000:function:rotate'))
    attempt('missing-version', lambda: c.get_secret_value(SecretId='prod/app/db',
                                                          VersionId='f' * 32))
    attempt('delete', lambda: c.delete_secret(SecretId='prod/app/gone', RecoveryWindowInDays=7))
    attempt('deleted-read', lambda: c.get_secret_value(SecretId='prod/app/gone'))
    attempt('deleted-put', lambda: c.put_secret_value(SecretId='prod/app/gone', SecretString='v2'))
    attempt('replicate', lambda: c.replicate_secret_to_regions(SecretId='prod/app/db',
                                                               AddReplicaRegions=[{'Region': 'us-east-1'}]))
    attempt('policy', lambda: c.put_resource_policy(SecretId='prod/app/db', ResourcePolicy='{}'))
    attempt('read', lambda: c.get_secret_value(SecretId='prod/app/db'))
else:
    attempt('read', lambda: c.get_secret_value(SecretId='prod/app/db'))
    attempt('other', lambda: c.get_secret_value(SecretId='prod/app/db2'))
    attempt('write', lambda: c.put_secret_value(SecretId='prod/app/db', SecretString='v9'))
    attempt('create', lambda: c.create_secret(Name='prod/app/other', SecretString='v9'))
"#;
    let file = script_file(&env, script);
    let run = |creds: &Creds, mode: &str| -> Vec<(String, String, u16, String)> {
        let out = crate::serve_clients::aws_client(&env, &server, creds, "python3")
            .arg(&file)
            .arg(mode)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}\n{}",
            String::from_utf8_lossy(&out.stderr),
            server.stderr()
        );
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).unwrap();
                (
                    v[0].as_str().unwrap().to_string(),
                    v[1].as_str().unwrap().to_string(),
                    v[2].as_u64().unwrap() as u16,
                    v[3].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let check = |rows: &[(String, String, u16, String)], what: &str, code: &str| {
        let row = rows
            .iter()
            .find(|r| r.0 == what)
            .unwrap_or_else(|| panic!("no {what} in {rows:?}"));
        assert_eq!(row.1, code, "{what}: {row:?}");
        let status = if code == "ok" { 200 } else { 400 };
        assert_eq!(row.2, status, "{what}: {row:?}");
        if code != "ok" {
            assert!(!row.3.is_empty(), "{what} has a message: {row:?}");
            assert!(!row.3.contains("v1"), "{what}: no value in a message");
        }
    };
    let rows = run(&app, "app");
    check(&rows, "missing", "ResourceNotFoundException");
    check(&rows, "exists", "ResourceExistsException");
    check(&rows, "both-values", "InvalidParameterException");
    check(&rows, "window", "InvalidParameterException");
    check(&rows, "force-and-window", "InvalidParameterException");
    check(&rows, "lambda", "InvalidParameterException");
    check(&rows, "missing-version", "ResourceNotFoundException");
    check(&rows, "delete", "ok");
    check(&rows, "deleted-read", "InvalidRequestException");
    check(&rows, "deleted-put", "InvalidRequestException");
    check(&rows, "read", "ok");
    // Operations sm does not support answer with an error, never a hang.
    for what in ["replicate", "policy"] {
        let row = rows.iter().find(|r| r.0 == what).unwrap();
        assert_ne!(row.1, "ok", "{row:?}");
        assert!(row.2 >= 400 && row.2 < 500, "{row:?}");
    }
    // A read-only client reads and is refused writes.
    let rows = run(&ro, "ro");
    check(&rows, "read", "ok");
    check(&rows, "other", "ok");
    check(&rows, "write", "AccessDeniedException");
    check(&rows, "create", "AccessDeniedException");
    // A client added with neither --read nor --write reads every name and
    // writes none.
    let reader = add_client(&env, "reader", &[]);
    let rows = run(&reader, "ro");
    check(&rows, "read", "ok");
    check(&rows, "other", "ok");
    check(&rows, "write", "AccessDeniedException");
    // A client limited to one name sees nothing else.
    let rows = run(&narrow, "ro");
    check(&rows, "read", "ok");
    check(&rows, "other", "AccessDeniedException");
    check(&rows, "write", "AccessDeniedException");
    // A wrong secret key: the signature does not match.
    let wrong = Creds {
        access_key_id: app.access_key_id.clone(),
        secret_access_key: "x".repeat(app.secret_access_key.len().max(40)),
    };
    let rows = run(&wrong, "ro");
    check(&rows, "read", "InvalidSignatureException");
    // An access key the server never issued.
    let unknown = Creds {
        access_key_id: "AKIAEXAMPLEUNKNOWN00".into(),
        secret_access_key: app.secret_access_key.clone(),
    };
    let rows = run(&unknown, "ro");
    check(&rows, "read", "UnrecognizedClientException");
    // The refused write changed nothing; a removed client is unknown.
    assert_eq!(env.get("prod/app/db"), b"v1");
    env.sm(&["serve", "client", "rm", "ro"]).success();
    let rows = run(&ro, "ro");
    check(&rows, "read", "UnrecognizedClientException");
    env.sm(&["verify"]).success();
}

#[test]
fn exec_serve_gives_boto3_an_endpoint_for_its_lifetime() {
    let test = "exec_serve_gives_boto3_an_endpoint_for_its_lifetime";
    if !have_boto3(test) {
        return;
    }
    let env = TestEnv::new();
    env.put("prod/myapp/mysql", MYSQL.as_bytes());
    // app.py has no endpoint, credentials or region of its own.
    let app = r#"
import json, os, sys
import boto3
client = boto3.client('secretsmanager')
value = client.get_secret_value(SecretId='prod/myapp/mysql')['SecretString']
print(json.loads(value)['username'])
print(os.environ['AWS_ENDPOINT_URL_SECRETS_MANAGER'])
print(sys.stdin.read().strip())
sys.exit(7)
"#;
    let file = env.path().join("app.py");
    std::fs::write(&file, app).unwrap();
    let mut cmd = env.std_cmd();
    clean_aws_env(&env, &mut cmd);
    // clean_aws_env cleared sm's sealed variables: put them back.
    for (k, v) in env.std_cmd().get_envs() {
        if let Some(v) = v {
            cmd.env(k, v);
        }
    }
    cmd.current_dir(&env.store)
        .args(["exec", "--serve", "--", "python3"])
        .arg(&file)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(b"from-stdin\n").unwrap();
    }
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(7),
        "CMD's exit status is its own\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.first(), Some(&"admin"), "{stdout}");
    let endpoint = lines.get(1).copied().unwrap_or_default();
    assert!(endpoint.starts_with("http://127.0.0.1:"), "{stdout}");
    assert_eq!(lines.get(2), Some(&"from-stdin"), "CMD's stdin is its own");
    // The endpoint lived exactly as long as the program.
    let probe = std::net::TcpStream::connect(endpoint.trim_start_matches("http://"));
    assert!(probe.is_err(), "the endpoint outlived the program");
    // The read was logged like the others.
    let log = env.sm(&["log", "prod/myapp/mysql"]).success().stdout();
    assert!(log.contains("GetSecretValue"), "{log}");
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn base64_encode(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}
