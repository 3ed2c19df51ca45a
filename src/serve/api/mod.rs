//! The service's operations over the store. A request is an operation name
//! (from `X-Amz-Target: secretsmanager.<Operation>`) and a JSON body; the
//! answer is a JSON body and an HTTP status, exactly as the API reference
//! documents them. The transport (HTTP, SigV4) is elsewhere: the same
//! entry point serves `sm serve` and the hidden `sm __api` command.

use serde_json::{Map, Value};
use zeroize::Zeroizing;

use super::{ApiError, Backend, Client};

/// The largest request body accepted (the service's own cap on a secret
/// value is 64 KiB; a batch or a base64 binary value needs more).
pub const MAX_BODY: usize = 1024 * 1024;

/// One call being served.
pub struct Call<'a> {
    /// The store and the acting member.
    pub backend: &'a Backend,
    /// The authenticated client.
    pub client: &'a Client,
    /// The region of the request's signing scope (for ARNs).
    pub region: &'a str,
    /// The request's JSON object.
    pub input: &'a Map<String, Value>,
}

/// An answer: HTTP status and JSON body (which may hold a secret value, so
/// it is wiped on drop).
pub struct Reply {
    /// The HTTP status.
    pub status: u16,
    /// The JSON body.
    pub body: Zeroizing<Vec<u8>>,
}

impl Reply {
    /// The answer for an error.
    pub fn error(error: &ApiError) -> Reply {
        Reply {
            status: error.status,
            body: Zeroizing::new(error.body()),
        }
    }
}

/// Serves one operation: parses the body, runs the operation, and builds
/// the answer.
pub fn handle(
    backend: &Backend,
    client: &Client,
    region: &str,
    operation: &str,
    body: &[u8],
) -> Reply {
    if body.len() > MAX_BODY {
        return Reply::error(&ApiError::client(
            "ValidationException",
            format!("the request body is larger than {MAX_BODY} bytes"),
        ));
    }
    let parsed: Value = if body.is_empty() {
        Value::Object(Map::new())
    } else {
        match serde_json::from_slice(body) {
            Ok(v) => v,
            Err(_) => {
                return Reply::error(&ApiError::client(
                    "SerializationException",
                    "the request body is not valid JSON",
                ));
            }
        }
    };
    let Value::Object(input) = parsed else {
        return Reply::error(&ApiError::client(
            "SerializationException",
            "the request body is not a JSON object",
        ));
    };
    let call = Call {
        backend,
        client,
        region,
        input: &input,
    };
    match dispatch(operation, &call) {
        Ok(output) => {
            let mut body = Zeroizing::new(Vec::new());
            if serde_json::to_writer(&mut *body, &output).is_err() {
                return Reply::error(&ApiError::internal("cannot encode the answer"));
            }
            Reply { status: 200, body }
        }
        Err(error) => Reply::error(&error),
    }
}

/// Runs `operation`.
fn dispatch(operation: &str, _call: &Call<'_>) -> Result<Value, ApiError> {
    Err(ApiError::client(
        "UnknownOperationException",
        format!("unknown operation {operation}"),
    ))
}
