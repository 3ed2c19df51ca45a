//! SigV4 verification: a request is re-signed with the client's secret key
//! at the request's own time, region and service (the `aws-sigv4` crate
//! does the canonicalization, with the settings botocore and the SDKs use)
//! and the signatures are compared in constant time. Errors are the
//! service's, with its codes and messages.

use std::time::{Duration, SystemTime};

use aws_sigv4::http_request::{
    self, PercentEncodingMode, SignableBody, SignableRequest, SigningSettings,
};
use aws_sigv4::sign::v4;
use http::HeaderMap;

use super::ApiError;

/// The signing algorithm the service accepts.
const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// The service name a request's credential scope must name.
pub const SERVICE: &str = "secretsmanager";

/// How far a request's time may be from the server's (as the service).
pub const MAX_SKEW: Duration = Duration::from_secs(5 * 60);

/// What the `Authorization` header says.
#[derive(Debug, PartialEq, Eq)]
pub struct Authorization<'a> {
    /// The access key id that signed.
    pub access_key_id: &'a str,
    /// The scope's date (`YYYYMMDD`).
    pub date: &'a str,
    /// The scope's region.
    pub region: &'a str,
    /// The scope's service.
    pub service: &'a str,
    /// The signed headers, lower case, in the order given.
    pub signed_headers: Vec<&'a str>,
    /// The signature, hex.
    pub signature: &'a str,
}

/// A request as the verifier needs it.
pub struct Request<'a> {
    /// The HTTP method.
    pub method: &'a str,
    /// The path and query as sent.
    pub path_and_query: &'a str,
    /// Every header.
    pub headers: &'a HeaderMap,
    /// The whole body.
    pub body: &'a [u8],
}

/// A request that verified: who signed it and the region of its scope.
#[derive(Debug)]
pub struct Verified<T> {
    /// What the lookup returned for the access key id.
    pub client: T,
    /// The region of the credential scope.
    pub region: String,
}

/// The service's error for a request without credentials.
pub fn missing_token() -> ApiError {
    ApiError::client(
        "MissingAuthenticationTokenException",
        "Missing Authentication Token",
    )
}

fn incomplete(message: impl Into<String>) -> ApiError {
    ApiError::client("IncompleteSignatureException", message)
}

fn invalid_signature(message: impl Into<String>) -> ApiError {
    ApiError::client("InvalidSignatureException", message)
}

/// The service's error for a signature that does not match.
pub fn mismatch() -> ApiError {
    invalid_signature(
        "The request signature we calculated does not match the signature you provided. \
Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
    )
}

/// The service's error for an access key id it does not know.
pub fn unrecognized() -> ApiError {
    ApiError::client(
        "UnrecognizedClientException",
        "The security token included in the request is invalid.",
    )
}

/// Parses an `Authorization` header's value.
pub fn parse_authorization(value: &str) -> Result<Authorization<'_>, ApiError> {
    let Some(rest) = value.strip_prefix(ALGORITHM).filter(|r| r.starts_with(' ')) else {
        return Err(incomplete(format!(
            "Authorization header requires the {ALGORITHM} algorithm."
        )));
    };
    let (mut credential, mut signed, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let part = part.trim();
        if let Some(v) = part.strip_prefix("Credential=") {
            credential = Some(v);
        } else if let Some(v) = part.strip_prefix("SignedHeaders=") {
            signed = Some(v);
        } else if let Some(v) = part.strip_prefix("Signature=") {
            signature = Some(v);
        }
    }
    let credential = require(credential, "Credential")?;
    let signed = require(signed, "SignedHeaders")?;
    let signature = require(signature, "Signature")?;
    let scope: Vec<&str> = credential.split('/').collect();
    let [access_key_id, date, region, service, terminator] = scope[..] else {
        return Err(incomplete(format!(
            "Credential should be scoped to a valid region, not '{}'.",
            scope.get(2).copied().unwrap_or("")
        )));
    };
    if terminator != "aws4_request" {
        return Err(incomplete(
            "Credential should be scoped with a valid terminator: 'aws4_request'.",
        ));
    }
    if access_key_id.is_empty() || region.is_empty() {
        return Err(incomplete(
            "Credential should name an access key and a region.",
        ));
    }
    Ok(Authorization {
        access_key_id,
        date,
        region,
        service,
        signed_headers: signed.split(';').collect(),
        signature,
    })
}

fn require<'a>(v: Option<&'a str>, name: &str) -> Result<&'a str, ApiError> {
    v.filter(|v| !v.is_empty()).ok_or_else(|| {
        incomplete(format!(
            "Authorization header requires '{name}' parameter. Authorization={ALGORITHM} ..."
        ))
    })
}

/// Parses an `X-Amz-Date` value (`YYYYMMDDTHHMMSSZ`).
pub fn parse_amz_date(value: &str) -> Option<SystemTime> {
    if value.len() != 16 || !value.ends_with('Z') {
        return None;
    }
    let civil = jiff::civil::DateTime::strptime("%Y%m%dT%H%M%SZ", value).ok()?;
    let ts = civil.to_zoned(jiff::tz::TimeZone::UTC).ok()?.timestamp();
    Some(SystemTime::from(ts))
}

fn format_amz_date(time: SystemTime) -> String {
    jiff::Timestamp::try_from(time)
        .map(|t| t.strftime("%Y%m%dT%H%M%SZ").to_string())
        .unwrap_or_default()
}

/// Checks that `time` is within [`MAX_SKEW`] of `now`, with the service's
/// messages.
fn check_skew(stamp: &str, time: SystemTime, now: SystemTime) -> Result<(), ApiError> {
    let now_s = format_amz_date(now);
    if time + MAX_SKEW < now {
        return Err(invalid_signature(format!(
            "Signature expired: {stamp} is now earlier than {} ({now_s} - 5 min.)",
            format_amz_date(now - MAX_SKEW)
        )));
    }
    if time > now + MAX_SKEW {
        return Err(invalid_signature(format!(
            "Signature not yet current: {stamp} is still later than {} ({now_s} + 5 min.)",
            format_amz_date(now + MAX_SKEW)
        )));
    }
    Ok(())
}

/// Verifies `request`: `lookup` finds the client and its secret key by
/// access key id. Returns the client and the scope's region.
pub fn verify<T>(
    request: &Request<'_>,
    now: SystemTime,
    lookup: impl FnOnce(&str) -> Option<(T, zeroize::Zeroizing<String>)>,
) -> Result<Verified<T>, ApiError> {
    let Some(header) = request.headers.get(http::header::AUTHORIZATION) else {
        return Err(missing_token());
    };
    let header = header
        .to_str()
        .map_err(|_| incomplete("The Authorization header is not valid text."))?;
    let auth = parse_authorization(header)?;
    let Some(stamp) = request
        .headers
        .get("x-amz-date")
        .and_then(|v| v.to_str().ok())
    else {
        return Err(incomplete(
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
        ));
    };
    let Some(time) = parse_amz_date(stamp) else {
        return Err(incomplete(format!(
            "Date must be in ISO-8601 'basic format'. Got '{stamp}'. See http://en.wikipedia.org/wiki/ISO_8601"
        )));
    };
    check_skew(stamp, time, now)?;
    if auth.service != SERVICE {
        return Err(invalid_signature(format!(
            "Credential should be scoped to correct service: '{SERVICE}'."
        )));
    }
    if !stamp.starts_with(auth.date) || auth.date.len() != 8 {
        return Err(invalid_signature(format!(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{}' != '{}', from '{stamp}'.",
            auth.date,
            &stamp[..8]
        )));
    }
    if !auth.signed_headers.contains(&"host") {
        return Err(invalid_signature(
            "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
        ));
    }
    let Some((client, secret)) = lookup(auth.access_key_id) else {
        return Err(unrecognized());
    };
    let expected = signature(request, &auth, time, &secret)?;
    if !constant_time_eq(expected.as_bytes(), auth.signature.as_bytes()) {
        return Err(mismatch());
    }
    Ok(Verified {
        client,
        region: auth.region.to_string(),
    })
}

/// Computes the signature of `request` as the client would have, signing
/// exactly the headers it says it signed.
fn signature(
    request: &Request<'_>,
    auth: &Authorization<'_>,
    time: SystemTime,
    secret: &str,
) -> Result<String, ApiError> {
    let mut headers = Vec::new();
    for name in &auth.signed_headers {
        let mut found = false;
        for value in request.headers.get_all(*name) {
            let value = value.to_str().map_err(|_| mismatch())?;
            headers.push((*name, value));
            found = true;
        }
        if !found {
            // A header said to be signed but not sent cannot verify (and
            // `host` must be there for the signer).
            return Err(mismatch());
        }
    }
    let mut settings = SigningSettings::default();
    settings.percent_encoding_mode = PercentEncodingMode::Double;
    // The client said what it signed; sign all of that and nothing else.
    settings.excluded_headers = Some(Vec::new());
    let credentials =
        aws_credential_types::Credentials::new(auth.access_key_id, secret, None, None, "sm-serve");
    let identity = credentials.into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(auth.region)
        .name(auth.service)
        .time(time)
        .settings(settings)
        .build()
        .map_err(|_| mismatch())?
        .into();
    let signable = SignableRequest::new(
        request.method,
        request.path_and_query,
        headers.into_iter(),
        SignableBody::Bytes(request.body),
    )
    .map_err(|_| mismatch())?;
    let (_, signature) = http_request::sign(signable, &params)
        .map_err(|_| mismatch())?
        .into_parts();
    Ok(signature)
}

/// Compares two byte strings in time that depends only on their lengths.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(diff) == 0
}

#[cfg(test)]
mod tests;
