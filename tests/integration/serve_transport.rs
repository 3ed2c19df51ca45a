//! `sm serve`'s transport: SigV4 as boto3 signs it, the service's
//! authentication errors, body limits, the clients file and its commands.

use crate::common::TestEnv;
use crate::serve_support::{Server, add_client, have_boto3, have_operations, python, raw};

/// Calls the API through boto3 and botocore's signer, printing one JSON
/// line per case: the error code, or the value read.
const CASES: &str = r#"
import datetime, json, sys, urllib.request, urllib.error
from unittest import mock
import boto3, botocore, botocore.auth, botocore.awsrequest, botocore.credentials
url, key, secret = sys.argv[1], sys.argv[2], sys.argv[3]
cfg = botocore.config.Config(retries={'max_attempts': 1})
def client(k=key, s=secret):
    return boto3.client('secretsmanager', endpoint_url=url, region_name='eu-west-1',
                        aws_access_key_id=k, aws_secret_access_key=s, config=cfg)
def call(name, fn):
    try:
        out = fn()
        print(json.dumps({'case': name, 'value': out.get('SecretString'), 'arn': out.get('ARN')}))
    except botocore.exceptions.ClientError as e:
        print(json.dumps({'case': name, 'code': e.response['Error']['Code'],
                          'message': e.response['Error']['Message'],
                          'status': e.response['ResponseMetadata']['HTTPStatusCode']}))
def raw(name, target, body, when=None):
    req = botocore.awsrequest.AWSRequest(method='POST', url=url + '/', data=body, headers={
        'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': target})
    creds = botocore.credentials.Credentials(key, secret)
    signer = botocore.auth.SigV4Auth(creds, 'secretsmanager', 'eu-west-1')
    if when is None:
        signer.add_auth(req)
    else:
        with mock.patch('botocore.auth.get_current_datetime', return_value=when):
            signer.add_auth(req)
    prepared = req.prepare()
    r = urllib.request.Request(prepared.url, data=body, headers=dict(prepared.headers), method='POST')
    try:
        with urllib.request.urlopen(r) as resp:
            status, text = resp.status, resp.read()
    except urllib.error.HTTPError as e:
        status, text = e.code, e.read()
    out = json.loads(text)
    print(json.dumps({'case': name, 'code': out.get('__type'), 'message': out.get('Message'), 'status': status}))
call('good', lambda: client().get_secret_value(SecretId='prod/db'))
call('wrong-secret', lambda: client(s='x' * 40).get_secret_value(SecretId='prod/db'))
call('unknown-key', lambda: client(k='SMAKAAAAAAAAAAAAAAAA').get_secret_value(SecretId='prod/db'))
old = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) - datetime.timedelta(minutes=10)
raw('old-date', 'secretsmanager.GetSecretValue', b'{"SecretId": "prod/db"}', when=old)
raw('malformed', 'secretsmanager.GetSecretValue', b'{"SecretId": ')
raw('no-such-operation', 'secretsmanager.NoSuchOperation', b'{}')
raw('other-service', 'kms.Decrypt', b'{}')
"#;

fn cases(out: &str) -> std::collections::HashMap<String, serde_json::Value> {
    out.lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (v["case"].as_str().unwrap().to_string(), v)
        })
        .collect()
}

#[test]
fn boto3_signs_and_the_service_errors_come_back() {
    if !have_boto3("boto3_signs_and_the_service_errors_come_back") {
        return;
    }
    let env = TestEnv::new();
    env.put("prod/db", b"hunter2-value").success();
    let (key, secret) = add_client(&env, "app", &[]);
    let server = Server::start(&env, &[], &[]);
    let out = python(&env, CASES, &[&server.url(), &key, &secret], &[]);
    let got = cases(&out);
    let good = &got["good"];
    if have_operations(&env) {
        assert_eq!(good["value"], "hunter2-value", "{out}");
        assert!(
            good["arn"]
                .as_str()
                .unwrap()
                .starts_with("arn:aws:secretsmanager:eu-west-1:")
        );
    } else {
        eprintln!("SKIPPED the value check: the operations are not on this branch");
        assert_eq!(good["code"], "UnknownOperationException", "{out}");
    }
    assert_eq!(got["wrong-secret"]["code"], "InvalidSignatureException");
    assert!(
        got["wrong-secret"]["message"]
            .as_str()
            .unwrap()
            .starts_with("The request signature we calculated does not match")
    );
    assert_eq!(got["unknown-key"]["code"], "UnrecognizedClientException");
    assert_eq!(
        got["unknown-key"]["message"],
        "The security token included in the request is invalid."
    );
    assert_eq!(got["old-date"]["code"], "InvalidSignatureException");
    assert!(
        got["old-date"]["message"]
            .as_str()
            .unwrap()
            .starts_with("Signature expired: ")
    );
    assert_eq!(got["old-date"]["status"], 400);
    assert_eq!(got["malformed"]["code"], "SerializationException", "{out}");
    assert_eq!(
        got["no-such-operation"]["code"],
        "UnknownOperationException"
    );
    assert_eq!(got["other-service"]["code"], "UnknownOperationException");
    let (status, stderr) = server.stop();
    assert!(status.success(), "{stderr}");
    assert!(!stderr.contains("hunter2-value"), "{stderr}");
    assert!(stderr.contains("sm serve: stopped"), "{stderr}");
}

#[test]
fn unsigned_and_oversized_requests_are_refused() {
    let env = TestEnv::new();
    add_client(&env, "app", &[]);
    let server = Server::start(&env, &[], &[]);
    let (status, body) = raw(
        server.api,
        b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: secretsmanager.GetSecretValue\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}",
    );
    assert_eq!(status, 400, "{body}");
    assert!(
        body.contains("MissingAuthenticationTokenException"),
        "{body}"
    );
    // A declared length over the cap is refused before the body is read.
    let (status, body) = raw(
        server.api,
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5000000\r\nConnection: close\r\n\r\n{",
    );
    assert_eq!(status, 413, "{body}");
    // So is a chunked body that grows past it.
    let mut request =
        b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            .to_vec();
    let chunk = vec![b'a'; 256 * 1024];
    for _ in 0..5 {
        request.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        request.extend_from_slice(&chunk);
        request.extend_from_slice(b"\r\n");
    }
    request.extend_from_slice(b"0\r\n\r\n");
    let (status, body) = raw(server.api, &request);
    assert_eq!(status, 413, "{body}");
}

#[test]
fn a_removed_client_is_refused_at_its_next_request() {
    if !have_boto3("a_removed_client_is_refused_at_its_next_request") {
        return;
    }
    let env = TestEnv::new();
    let server = Server::start(&env, &[], &[]);
    // Added after the start: the server reads the clients file again.
    let (key, secret) = add_client(&env, "late", &[]);
    let out = python(&env, CASES, &[&server.url(), &key, &secret], &[]);
    assert_ne!(
        cases(&out)["no-such-operation"]["code"],
        "UnrecognizedClientException"
    );
    assert_eq!(
        cases(&out)["no-such-operation"]["code"],
        "UnknownOperationException"
    );
    env.sm(&["serve", "client", "rm", "late"]).success();
    let out = python(&env, CASES, &[&server.url(), &key, &secret], &[]);
    assert_eq!(
        cases(&out)["no-such-operation"]["code"],
        "UnrecognizedClientException"
    );
}

#[test]
fn client_commands_and_the_clients_file() {
    use std::os::unix::fs::PermissionsExt;
    let env = TestEnv::new();
    let (key, secret) = add_client(&env, "app", &["--read", "prod/app/**"]);
    assert!(key.starts_with("SMAK") && key.len() == 20, "{key}");
    assert!(
        key[4..]
            .chars()
            .all(|c| c.is_ascii_uppercase() || ('2'..='7').contains(&c))
    );
    assert_eq!(secret.len(), 40);
    add_client(&env, "writer", &["--write", "dev/*"]);
    add_client(&env, "all", &[]);
    let listed = env
        .sm(&["serve", "client", "ls", "--json"])
        .success()
        .json();
    let listed = listed.as_array().unwrap();
    assert_eq!(listed.len(), 3);
    assert_eq!(listed[0]["name"], "app");
    assert_eq!(listed[0]["access_key_id"], key.as_str());
    assert_eq!(listed[0]["read"], serde_json::json!(["prod/app/**"]));
    assert_eq!(listed[0]["write"], serde_json::json!([]));
    assert_eq!(listed[1]["write"], serde_json::json!(["dev/*"]));
    assert_eq!(listed[2]["read"], serde_json::json!(["**"]));
    let text = env.sm(&["serve", "client", "ls"]).success().stdout();
    assert!(text.contains("app") && text.contains(&key));
    // The secret key is shown once, never by ls.
    assert!(!text.contains(&secret));
    assert!(!serde_json::to_string(&listed).unwrap().contains(&secret));
    let file = env.home.join(".config/sm/serve-clients.toml");
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    // A duplicate name or a bad glob is invalid input.
    assert_eq!(env.sm(&["serve", "client", "add", "app"]).code(), 2);
    assert_eq!(
        env.sm(&["serve", "client", "add", "x", "--read", "a["])
            .code(),
        2
    );
    env.sm(&["serve", "client", "rm", "writer"]).success();
    assert_eq!(env.sm(&["serve", "client", "rm", "writer"]).code(), 3);
    let listed = env
        .sm(&["serve", "client", "ls", "--json"])
        .success()
        .json();
    assert_eq!(listed.as_array().unwrap().len(), 2);
    // A file others may read is refused, by the commands and the server.
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let run = env.sm(&["serve", "client", "ls"]);
    assert_eq!(run.code(), 4, "{}", run.stderr());
    assert!(run.stderr().contains("chmod 600"));
    let serve = env.sm(&["serve", "--listen", "127.0.0.1:0"]);
    assert_eq!(serve.code(), 4);
}

#[test]
fn a_remote_address_needs_allow_remote() {
    let env = TestEnv::new();
    let run = env.sm(&["serve", "--listen", "0.0.0.0:0"]);
    assert_eq!(run.code(), 2, "{}", run.stderr());
    assert!(run.stderr().contains("--allow-remote"));
}

#[test]
fn a_read_only_client_is_denied_a_write() {
    if !have_boto3("a_read_only_client_is_denied_a_write") {
        return;
    }
    let env = TestEnv::new();
    if !have_operations(&env) {
        eprintln!(
            "SKIPPED a_read_only_client_is_denied_a_write: the operations are not on this branch"
        );
        return;
    }
    env.put("prod/app/db", b"v1").success();
    let (key, secret) = add_client(&env, "reader", &["--read", "prod/app/**"]);
    let server = Server::start(&env, &[], &[]);
    let script = r#"
import sys, boto3, botocore
c = boto3.client('secretsmanager', endpoint_url=sys.argv[1], region_name='us-east-1',
                 aws_access_key_id=sys.argv[2], aws_secret_access_key=sys.argv[3])
print(c.get_secret_value(SecretId='prod/app/db')['SecretString'])
try:
    c.put_secret_value(SecretId='prod/app/db', SecretString='v2')
    print('written')
except botocore.exceptions.ClientError as e:
    print(e.response['Error']['Code'])
"#;
    let out = python(&env, script, &[&server.url(), &key, &secret], &[]);
    assert_eq!(out, "v1\nAccessDeniedException\n");
    assert_eq!(env.get("prod/app/db"), b"v1");
}
