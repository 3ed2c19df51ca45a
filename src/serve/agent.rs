//! The caching agent's API, as the service's Secrets Manager Agent serves
//! it: `GET /secretsmanager/get?secretId=..&versionId=..&versionStage=..`,
//! `GET /v1/<secretId>` and `GET /ping`, with the agent's SSRF rules: every
//! request but `/ping` carries the token in `X-Aws-Parameters-Secrets-Token`
//! (or `X-Vault-Token`), a request with `X-Forwarded-For` is refused (400),
//! a missing or wrong token is 403, and connections past the limit get 429.
//! The token comes from the first of `AWS_TOKEN`, `AWS_SESSION_TOKEN`,
//! `AWS_CONTAINER_AUTHORIZATION_TOKEN` that is set; a value `file://PATH`
//! names a file holding it (trimmed), as the agent reads it.
//!
//! Answers are GetSecretValue's, made by the same operation as the API's,
//! as a client named `agent`. Unlike the agent, nothing is cached with a
//! TTL: each request reads the store (through its read cache), so the new
//! `current` of a rotation is served at the very next request.

use http::{HeaderMap, Method};
use percent_encoding::percent_decode_str;
use serde_json::{Map, Value};
use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// The headers the token may come in.
pub const TOKEN_HEADERS: [&str; 2] = ["x-aws-parameters-secrets-token", "x-vault-token"];

/// The environment variables the token is read from, first set wins.
pub const TOKEN_VARIABLES: [&str; 3] = [
    "AWS_TOKEN",
    "AWS_SESSION_TOKEN",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
];

/// The path prefix of path-style requests.
pub const PATH_PREFIX: &str = "/v1/";

/// The agent's default connection limit.
pub const MAX_CONNECTIONS: usize = 800;

/// The body of the answer to connections past the limit (status 429).
pub const TOO_MANY: &str = "Connection limit exceeded";

/// Reads the SSRF token as the agent does: `None` when no variable is set.
pub fn token_from_env() -> Result<Option<Zeroizing<String>>> {
    token_from(|name| std::env::var(name).ok())
}

/// Reads the token through `var` (for tests).
pub fn token_from(var: impl Fn(&str) -> Option<String>) -> Result<Option<Zeroizing<String>>> {
    let Some(value) = TOKEN_VARIABLES.iter().find_map(|n| var(n)) else {
        return Ok(None);
    };
    let value = Zeroizing::new(value);
    let token = match value.strip_prefix("file://") {
        None => value,
        Some(path) => {
            let bytes = std::fs::read(path).map_err(|e| {
                Error::io(
                    "cannot read the agent token file",
                    std::path::Path::new(path),
                    e,
                )
            })?;
            let bytes = Zeroizing::new(bytes);
            let text = std::str::from_utf8(&bytes)
                .map_err(|_| Error::invalid(format!("the agent token file {path} is not UTF-8")))?;
            Zeroizing::new(text.trim().to_string())
        }
    };
    if token.is_empty() {
        return Err(Error::invalid("the agent token is empty"));
    }
    Ok(Some(token))
}

/// What a request asks for.
#[derive(Debug, PartialEq, Eq)]
pub enum Route {
    /// `/ping`: answer `healthy`.
    Ping,
    /// A secret's value: the GetSecretValue request body.
    Get(GetRequest),
}

/// One GetSecretValue request.
#[derive(Debug, PartialEq, Eq, Default)]
pub struct GetRequest {
    /// The secret's name or ARN.
    pub secret_id: String,
    /// A version id.
    pub version_id: Option<String>,
    /// A staging label.
    pub version_stage: Option<String>,
}

impl GetRequest {
    /// The operation's JSON body.
    pub fn body(&self) -> Vec<u8> {
        let mut map = Map::new();
        map.insert("SecretId".into(), Value::String(self.secret_id.clone()));
        if let Some(v) = &self.version_id {
            map.insert("VersionId".into(), Value::String(v.clone()));
        }
        if let Some(v) = &self.version_stage {
            map.insert("VersionStage".into(), Value::String(v.clone()));
        }
        serde_json::to_vec(&Value::Object(map)).unwrap_or_default()
    }
}

/// An answer other than a secret: a status and a plain-text body.
pub type Refusal = (u16, String);

fn refuse(status: u16, body: &str) -> Refusal {
    (status, body.to_string())
}

/// Checks a request against the agent's rules and finds what it asks.
pub fn route(
    method: &Method,
    path_and_query: &str,
    headers: &HeaderMap,
    token: &str,
) -> std::result::Result<Route, Refusal> {
    let (path, query) = path_and_query
        .split_once('?')
        .unwrap_or((path_and_query, ""));
    if path != "/ping" {
        if headers.contains_key("x-forwarded-for") {
            return Err(refuse(400, "Forwarded"));
        }
        let good = TOKEN_HEADERS.iter().any(|name| {
            headers
                .get_all(*name)
                .iter()
                .any(|v| super::sigv4::constant_time_eq(v.as_bytes(), token.as_bytes()))
        });
        if !good {
            return Err(refuse(403, "Bad Token"));
        }
    }
    if method != Method::GET {
        return Err(refuse(405, "Not allowed"));
    }
    if path == "/ping" {
        return Ok(Route::Ping);
    }
    let mut request = GetRequest::default();
    let path_style = if path == "/secretsmanager/get" {
        false
    } else if let Some(id) = path.strip_prefix(PATH_PREFIX) {
        request.secret_id = decode(id, false).ok_or_else(|| refuse(400, "missing secret ID"))?;
        if request.secret_id.is_empty() {
            return Err(refuse(400, "missing secret ID"));
        }
        true
    } else {
        return Err(refuse(404, "Not found"));
    };
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let key = decode(key, true).unwrap_or_default();
        let value = decode(value, true).ok_or_else(|| refuse(400, "invalid parameter value"))?;
        match key.as_str() {
            "secretId" if !path_style => request.secret_id = value,
            "versionId" => request.version_id = Some(value),
            "versionStage" => request.version_stage = Some(value),
            "refreshNow" => match value.to_lowercase().as_str() {
                // There is no TTL cache to refresh: every read is fresh.
                "true" | "1" | "false" | "0" => {}
                _ => return Err(refuse(400, "invalid refreshNow value")),
            },
            other => return Err((400, format!("unknown parameter: {other}"))),
        }
    }
    if request.secret_id.is_empty() {
        return Err(refuse(400, "missing parameter secretId"));
    }
    Ok(Route::Get(request))
}

/// Decodes a URL component (`+` is a space in a query); `None` when it is
/// not UTF-8.
fn decode(text: &str, form: bool) -> Option<String> {
    let text = if form {
        std::borrow::Cow::Owned(text.replace('+', " "))
    } else {
        std::borrow::Cow::Borrowed(text)
    };
    percent_decode_str(&text)
        .decode_utf8()
        .ok()
        .map(|s| s.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn with_token(token: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            "X-Aws-Parameters-Secrets-Token",
            HeaderValue::from_str(token).unwrap(),
        );
        h
    }

    #[test]
    fn ssrf_rules() {
        let get = Method::GET;
        assert_eq!(
            route(&get, "/ping", &HeaderMap::new(), "t"),
            Ok(Route::Ping)
        );
        let q = "/secretsmanager/get?secretId=a";
        assert_eq!(route(&get, q, &HeaderMap::new(), "t").unwrap_err().0, 403);
        assert_eq!(
            route(&get, q, &with_token("u"), "t").unwrap_err(),
            (403, "Bad Token".into())
        );
        let mut h = with_token("t");
        h.insert("x-forwarded-for", HeaderValue::from_static("1.2.3.4"));
        assert_eq!(
            route(&get, q, &h, "t").unwrap_err(),
            (400, "Forwarded".into())
        );
        assert_eq!(
            route(&Method::POST, q, &with_token("t"), "t")
                .unwrap_err()
                .0,
            405
        );
        assert_eq!(
            route(&get, "/other", &with_token("t"), "t").unwrap_err().0,
            404
        );
    }

    #[test]
    fn both_request_styles() {
        let h = with_token("t");
        let Ok(Route::Get(r)) = route(
            &Method::GET,
            "/secretsmanager/get?secretId=prod%2Fdb&versionStage=AWSPREVIOUS",
            &h,
            "t",
        ) else {
            panic!()
        };
        assert_eq!(r.secret_id, "prod/db");
        assert_eq!(r.version_stage.as_deref(), Some("AWSPREVIOUS"));
        let Ok(Route::Get(r)) = route(&Method::GET, "/v1/prod/db?versionId=v1", &h, "t") else {
            panic!()
        };
        assert_eq!(r.secret_id, "prod/db");
        assert_eq!(r.version_id.as_deref(), Some("v1"));
        assert_eq!(
            route(&Method::GET, "/secretsmanager/get?x=1", &h, "t").unwrap_err(),
            (400, "unknown parameter: x".into())
        );
        assert_eq!(route(&Method::GET, "/v1/", &h, "t").unwrap_err().0, 400);
        assert_eq!(
            route(&Method::GET, "/secretsmanager/get", &h, "t")
                .unwrap_err()
                .0,
            400
        );
    }

    #[test]
    fn token_sources() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("t");
        std::fs::write(&file, "  from-file\n").unwrap();
        let url = format!("file://{}", file.display());
        let t = token_from(|n| (n == "AWS_SESSION_TOKEN").then(|| url.clone())).unwrap();
        assert_eq!(t.as_deref().map(|s| s.as_str()), Some("from-file"));
        let t = token_from(|n| Some(n.to_string())).unwrap();
        assert_eq!(t.as_deref().map(|s| s.as_str()), Some("AWS_TOKEN"));
        assert!(token_from(|_| None).unwrap().is_none());
    }
}
