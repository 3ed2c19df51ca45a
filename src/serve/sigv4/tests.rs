//! Vectors produced with botocore 1.43 (`SigV4Auth(...).add_auth` at a fixed
//! time): the verifier must accept exactly what botocore signs.

use super::*;
use http::HeaderValue;
use zeroize::Zeroizing;

const AKID: &str = "SMAKABCDEFGHIJKLMNOP";
const SECRET: &str = "wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY12";
const BODY: &[u8] = br#"{"SecretId": "prod/app/db"}"#;
const AUTH: &str = "AWS4-HMAC-SHA256 Credential=SMAKABCDEFGHIJKLMNOP/20261201/eu-west-1/secretsmanager/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=ba940ce2814a7f7bd73fb6348c7b40e2083204a7bf7efd3f46b69ad84dffb105";

fn headers(auth: &str, date: &str) -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert("host", HeaderValue::from_static("127.0.0.1:7780"));
    h.insert(
        "content-type",
        HeaderValue::from_static("application/x-amz-json-1.1"),
    );
    h.insert(
        "x-amz-target",
        HeaderValue::from_static("secretsmanager.GetSecretValue"),
    );
    h.insert("x-amz-date", HeaderValue::from_str(date).unwrap());
    h.insert("authorization", HeaderValue::from_str(auth).unwrap());
    h.insert("user-agent", HeaderValue::from_static("Boto3/1.43"));
    h.insert("content-length", HeaderValue::from_static("27"));
    h
}

fn at(stamp: &str) -> SystemTime {
    parse_amz_date(stamp).unwrap()
}

fn run(
    h: &HeaderMap,
    body: &[u8],
    now: SystemTime,
    secret: &str,
) -> Result<Verified<u8>, ApiError> {
    let request = Request {
        method: "POST",
        path_and_query: "/",
        headers: h,
        body,
    };
    verify(&request, now, |id| {
        (id == AKID).then(|| (7u8, Zeroizing::new(secret.to_string())))
    })
}

#[test]
fn accepts_what_botocore_signs() {
    let h = headers(AUTH, "20261201T134500Z");
    let ok = run(&h, BODY, at("20261201T134700Z"), SECRET).unwrap();
    assert_eq!(ok.client, 7);
    assert_eq!(ok.region, "eu-west-1");
}

#[test]
fn a_path_with_a_query_and_spaces_in_a_header() {
    let mut h = HeaderMap::new();
    h.insert("host", HeaderValue::from_static("localhost:8080"));
    h.insert("x-amz-meta", HeaderValue::from_static("  a   b  "));
    h.insert("x-amz-date", HeaderValue::from_static("20261201T134500Z"));
    h.insert("authorization", HeaderValue::from_static("AWS4-HMAC-SHA256 Credential=SMAKABCDEFGHIJKLMNOP/20261201/us-east-1/secretsmanager/aws4_request, SignedHeaders=host;x-amz-date;x-amz-meta, Signature=59f01962af34b21dcfd662f503f4676f78bd2b0b4ca4efc8f8c6fdb6acaf6d25"));
    let request = Request {
        method: "GET",
        path_and_query: "/some%20path/x?b=2&a=1&c=x%2Fy",
        headers: &h,
        body: b"",
    };
    let ok = verify(&request, at("20261201T134500Z"), |_| {
        Some(((), Zeroizing::new(SECRET.to_string())))
    })
    .unwrap();
    assert_eq!(ok.region, "us-east-1");
}

#[test]
fn a_wrong_secret_or_body_does_not_match() {
    let h = headers(AUTH, "20261201T134500Z");
    let now = at("20261201T134500Z");
    let err = run(&h, BODY, now, "wrong").unwrap_err();
    assert_eq!(err.code, "InvalidSignatureException");
    assert!(
        err.message
            .starts_with("The request signature we calculated")
    );
    let err = run(&h, br#"{"SecretId": "prod/app/dc"}"#, now, SECRET).unwrap_err();
    assert_eq!(err.code, "InvalidSignatureException");
    let mut tampered = h.clone();
    tampered.insert(
        "x-amz-target",
        HeaderValue::from_static("secretsmanager.DeleteSecret"),
    );
    assert!(run(&tampered, BODY, now, SECRET).is_err());
}

#[test]
fn unknown_key_and_missing_header() {
    let h = headers(
        &AUTH.replace("SMAKABCDEFGHIJKLMNOP", "SMAKZZZZZZZZZZZZZZZZ"),
        "20261201T134500Z",
    );
    let err = run(&h, BODY, at("20261201T134500Z"), SECRET).unwrap_err();
    assert_eq!(err.code, "UnrecognizedClientException");
    assert_eq!(
        err.message,
        "The security token included in the request is invalid."
    );
    let mut h = headers(AUTH, "20261201T134500Z");
    h.remove("authorization");
    let err = run(&h, BODY, at("20261201T134500Z"), SECRET).unwrap_err();
    assert_eq!(err.code, "MissingAuthenticationTokenException");
}

#[test]
fn clock_skew_is_refused_both_ways() {
    let h = headers(AUTH, "20261201T134500Z");
    let err = run(&h, BODY, at("20261201T135001Z"), SECRET).unwrap_err();
    assert_eq!(err.code, "InvalidSignatureException");
    assert_eq!(
        err.message,
        "Signature expired: 20261201T134500Z is now earlier than 20261201T134501Z (20261201T135001Z - 5 min.)"
    );
    let err = run(&h, BODY, at("20261201T133959Z"), SECRET).unwrap_err();
    assert!(err.message.starts_with("Signature not yet current"));
    assert!(run(&h, BODY, at("20261201T135000Z"), SECRET).is_ok());
}

#[test]
fn the_scope_must_name_the_service() {
    let h = headers(
        &AUTH.replace("/secretsmanager/", "/s3/"),
        "20261201T134500Z",
    );
    let err = run(&h, BODY, at("20261201T134500Z"), SECRET).unwrap_err();
    assert_eq!(err.code, "InvalidSignatureException");
    assert!(err.message.contains("secretsmanager"));
}

#[test]
fn malformed_headers_are_incomplete() {
    for bad in [
        "AWS4-HMAC-SHA256",
        "Basic abc",
        "AWS4-HMAC-SHA256 Credential=a/b/c, SignedHeaders=host, Signature=00",
        "AWS4-HMAC-SHA256 Credential=SMAK/20261201/r/secretsmanager/aws4_request, Signature=00",
    ] {
        let h = headers(bad, "20261201T134500Z");
        let err = run(&h, BODY, at("20261201T134500Z"), SECRET).unwrap_err();
        assert_eq!(err.code, "IncompleteSignatureException", "{bad}");
    }
    let h = headers(AUTH, "yesterday");
    let err = run(&h, BODY, at("20261201T134500Z"), SECRET).unwrap_err();
    assert_eq!(err.code, "IncompleteSignatureException");
}

#[test]
fn constant_time_eq_compares() {
    assert!(constant_time_eq(b"abc", b"abc"));
    assert!(!constant_time_eq(b"abc", b"abd"));
    assert!(!constant_time_eq(b"abc", b"ab"));
}
