//! `sm exec --serve -- CMD`: a private endpoint for CMD's lifetime, the
//! variables that point an SDK at it, and CMD's exit status, signals and
//! standard streams kept its own.

use std::os::unix::process::ExitStatusExt;
use std::time::Duration;

use crate::common::TestEnv;
use crate::serve_support::{have_boto3, have_operations};

/// A program written for the cloud service, with no configuration of its
/// own: everything comes from the environment sm exec --serve sets.
const APP: &str = r#"
import json, os, boto3, botocore
names = sorted(k for k in os.environ if k.startswith('AWS_'))
client = boto3.client('secretsmanager')
try:
    got = client.get_secret_value(SecretId='prod/myapp/mysql')
    result = json.loads(got['SecretString'])['password']
except botocore.exceptions.ClientError as e:
    result = e.response['Error']['Code']
print(json.dumps({'names': names, 'region': client.meta.region_name, 'result': result,
                  'endpoint': os.environ['AWS_ENDPOINT_URL_SECRETS_MANAGER']}))
"#;

#[test]
fn a_boto3_program_with_no_configuration_reads_through_the_endpoint() {
    if !have_boto3("a_boto3_program_with_no_configuration_reads_through_the_endpoint") {
        return;
    }
    let env = TestEnv::new();
    env.put(
        "prod/myapp/mysql",
        br#"{"username":"app","password":"s3cr3t-pw"}"#,
    )
    .success();
    let app = env.path().join("app.py");
    std::fs::write(&app, APP).unwrap();
    let out = env
        .cmd()
        .args(["exec", "--serve", "--", "python3"])
        .arg(&app)
        .env("AWS_PROFILE", "someone-else")
        .env("AWS_CONFIG_FILE", env.path().join("none"))
        .env("AWS_SHARED_CREDENTIALS_FILE", env.path().join("none"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    for name in [
        "AWS_ACCESS_KEY_ID",
        "AWS_DEFAULT_REGION",
        "AWS_ENDPOINT_URL_SECRETS_MANAGER",
        "AWS_REGION",
        "AWS_SECRET_ACCESS_KEY",
    ] {
        assert!(
            got["names"].as_array().unwrap().iter().any(|n| n == name),
            "{got}"
        );
    }
    assert!(
        !got["names"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n == "AWS_PROFILE")
    );
    assert_eq!(got["region"], "us-east-1");
    assert!(
        got["endpoint"]
            .as_str()
            .unwrap()
            .starts_with("http://127.0.0.1:")
    );
    if have_operations(&env) {
        assert_eq!(got["result"], "s3cr3t-pw", "{got}");
    } else {
        eprintln!("SKIPPED the value check: the operations are not on this branch");
        assert_eq!(got["result"], "UnknownOperationException", "{got}");
    }
    // The endpoint lived only as long as the program.
    let port: u16 = got["endpoint"]
        .as_str()
        .unwrap()
        .rsplit(':')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_err());
    // A region the user set is kept.
    let out = env
        .cmd()
        .args(["exec", "--serve", "--", "python3"])
        .arg(&app)
        .env("AWS_REGION", "eu-central-1")
        .output()
        .unwrap();
    let got: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(got["region"], "eu-central-1");
}

#[test]
fn exit_status_and_secrets_pass_through() {
    let env = TestEnv::new();
    env.put("db", b"from-the-store").success();
    let out = env
        .cmd()
        .args(["exec", "--serve", "-s", "db", "--", "sh", "-c"])
        .arg("printf %s \"$DB\"; read line; printf %s \"$line\"; exit 7")
        .write_stdin("from-stdin\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(7));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "from-the-storefrom-stdin"
    );
    let out = env
        .cmd()
        .args(["exec", "--serve", "--", "no-such-program-xyz"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(127));
}

#[test]
fn a_signal_that_kills_the_program_ends_sm_the_same_way() {
    let env = TestEnv::new();
    let status = env
        .std_cmd()
        .args(["exec", "--serve", "--", "sh", "-c", "kill -TERM $$"])
        .status()
        .unwrap();
    assert_eq!(status.signal(), Some(libc::SIGTERM), "{status:?}");
}

#[test]
fn signals_sent_to_sm_reach_the_program() {
    let env = TestEnv::new();
    let ready = env.path().join("ready");
    let script = format!(
        "trap 'echo got-usr1; exit 3' USR1; touch {}; while :; do sleep 0.1; done",
        ready.display()
    );
    let child = env
        .std_cmd()
        .args(["exec", "--serve", "--", "sh", "-c", &script])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while !ready.exists() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the program never started"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // SAFETY: kill has no memory preconditions.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGUSR1);
    }
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "got-usr1\n");
}
