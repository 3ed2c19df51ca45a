//! The service's operations over the store. A request is an operation name
//! (from `X-Amz-Target: secretsmanager.<Operation>`) and a JSON body; the
//! answer is a JSON body and an HTTP status, exactly as the API reference
//! documents them. The transport (HTTP, SigV4) is elsewhere: the same
//! entry point serves `sm serve` and the hidden `sm __api` command.
//!
//! - [`input`]: members with the model's types and constraints.
//! - [`shapes`]: ARNs, staging labels, epoch times, the common errors.
//! - [`call`]: resolving a `SecretId` under the client's globs, logging.
//! - [`values`]: GetSecretValue, BatchGetSecretValue.
//! - [`writes`]: CreateSecret, PutSecretValue, UpdateSecret,
//!   UpdateSecretVersionStage.
//! - [`describe`]: DescribeSecret, ListSecretVersionIds.
//! - [`list`]: ListSecrets and the filters BatchGetSecretValue shares.
//! - [`lifecycle`]: DeleteSecret, RestoreSecret, TagResource,
//!   UntagResource.
//! - [`rotate`]: RotateSecret, CancelRotateSecret, GetRandomPassword.

pub mod call;
pub mod describe;
pub mod input;
pub mod lifecycle;
pub mod list;
pub mod rotate;
pub mod shapes;
pub mod values;
pub mod writes;

use std::cell::{Cell, RefCell};

use serde_json::{Map, Value};
use zeroize::{Zeroize, Zeroizing};

use super::backend::Pending;
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
    /// The operation's name, e.g. `GetSecretValue` (logged).
    pub operation: &'a str,
    /// The request's JSON object.
    pub input: &'a Map<String, Value>,
    /// Whether the call's log entry was written (or attempted); a call
    /// that ends without one gets one from [`handle`].
    pub logged: Cell<bool>,
    /// Whether reads' entries are handed to the log writer without waiting
    /// (the caller waits for [`Call::deferred`] before it answers).
    pub defer: bool,
    /// Reads' entries handed to the log writer, not yet known written.
    pub deferred: RefCell<Vec<Pending>>,
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

    /// The answer once the call's deferred log entries are written: this
    /// one, or the error of a failed append (this answer, which may hold a
    /// value, is wiped: no read goes unlogged).
    pub fn logged(self, written: crate::Result<()>) -> Reply {
        match written {
            Ok(()) => self,
            Err(error) => Reply::error(&error.into()),
        }
    }
}

/// Serves one operation: parses the body, runs the operation, logs it
/// (every call, also one refused before it reached the store), and builds
/// the answer.
pub fn handle(
    backend: &Backend,
    client: &Client,
    region: &str,
    operation: &str,
    body: &[u8],
) -> Reply {
    let (reply, pending) = handle_deferred(backend, client, region, operation, body, false);
    debug_assert!(pending.is_empty());
    reply
}

/// Serves one operation as [`handle`] does, but hands reads' log entries
/// to the log writer without waiting: the answer may be sent only once
/// every returned [`Pending`] is done, and must be replaced by an error if
/// one failed (see [`Reply::logged`]).
pub fn handle_deferred(
    backend: &Backend,
    client: &Client,
    region: &str,
    operation: &str,
    body: &[u8],
    defer: bool,
) -> (Reply, Vec<Pending>) {
    let empty = Map::new();
    let (mut input, early) = parse(body);
    let call = Call {
        backend,
        client,
        region,
        operation,
        input: input.as_ref().unwrap_or(&empty),
        logged: Cell::new(false),
        defer,
        deferred: RefCell::new(Vec::new()),
    };
    let result = match early {
        Some(error) => Err(error),
        None => dispatch(operation, &call),
    };
    if !call.logged.get() {
        call.log_unlogged(&result);
    }
    let deferred = call.deferred.into_inner();
    // The request may hold a value (SecretString, SecretBinary).
    if let Some(input) = input.as_mut() {
        for value in input.values_mut() {
            wipe(value);
        }
    }
    let reply = match result {
        Ok(mut output) => {
            let reply = encode(&output);
            wipe(&mut output);
            reply
        }
        Err(error) => Reply::error(&error),
    };
    (reply, deferred)
}

/// Parses a request body into its JSON object, or the service's error for
/// a body too large, not JSON, or not an object.
fn parse(body: &[u8]) -> (Option<Map<String, Value>>, Option<ApiError>) {
    if body.len() > MAX_BODY {
        return (
            None,
            Some(ApiError::client(
                "ValidationException",
                format!("the request body is larger than {MAX_BODY} bytes"),
            )),
        );
    }
    if body.is_empty() {
        return (Some(Map::new()), None);
    }
    match serde_json::from_slice(body) {
        Ok(Value::Object(input)) => (Some(input), None),
        Ok(mut other) => {
            wipe(&mut other);
            (
                None,
                Some(ApiError::client(
                    "SerializationException",
                    "the request body is not a JSON object",
                )),
            )
        }
        Err(_) => (
            None,
            Some(ApiError::client(
                "SerializationException",
                "the request body is not valid JSON",
            )),
        ),
    }
}

/// Serializes an answer into a buffer of exactly its size, so no
/// reallocation leaves an unwiped copy of a value behind.
fn encode(output: &Value) -> Reply {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    if serde_json::to_writer(&mut count, output).is_err() {
        return Reply::error(&ApiError::internal("cannot encode the answer"));
    }
    let mut body = Zeroizing::new(Vec::with_capacity(count.0));
    if serde_json::to_writer(&mut *body, output).is_err() {
        return Reply::error(&ApiError::internal("cannot encode the answer"));
    }
    Reply { status: 200, body }
}

/// Wipes every string in a JSON value (answers and requests that held a
/// secret value).
pub fn wipe(value: &mut Value) {
    match value {
        Value::String(s) => s.zeroize(),
        Value::Array(items) => items.iter_mut().for_each(wipe),
        Value::Object(map) => map.values_mut().for_each(wipe),
        _ => {}
    }
}

/// The operations sm does not support, with why.
const UNSUPPORTED: [(&str, &str); 7] = [
    (
        "ReplicateSecretToRegions",
        "sm does not support replicating secrets to regions: a store is replicated with git (`sm replica add`)",
    ),
    (
        "RemoveRegionsFromReplication",
        "sm does not support replica regions: a store is replicated with git (`sm replica`)",
    ),
    (
        "StopReplicationToReplica",
        "sm does not support replica regions: a store is replicated with git (`sm replica`)",
    ),
    (
        "GetResourcePolicy",
        "sm does not support resource policies: access is set with `sm access` and client globs",
    ),
    (
        "PutResourcePolicy",
        "sm does not support resource policies: access is set with `sm access` and client globs",
    ),
    (
        "DeleteResourcePolicy",
        "sm does not support resource policies: access is set with `sm access` and client globs",
    ),
    (
        "ValidateResourcePolicy",
        "sm does not support resource policies: access is set with `sm access` and client globs",
    ),
];

/// Runs `operation`.
fn dispatch(operation: &str, call: &Call<'_>) -> Result<Value, ApiError> {
    match operation {
        "GetSecretValue" => values::get_secret_value(call),
        "BatchGetSecretValue" => values::batch_get_secret_value(call),
        "CreateSecret" => writes::create_secret(call),
        "PutSecretValue" => writes::put_secret_value(call),
        "UpdateSecret" => writes::update_secret(call),
        "UpdateSecretVersionStage" => writes::update_secret_version_stage(call),
        "DescribeSecret" => describe::describe_secret(call),
        "ListSecretVersionIds" => describe::list_secret_version_ids(call),
        "ListSecrets" => list::list_secrets(call),
        "DeleteSecret" => lifecycle::delete_secret(call),
        "RestoreSecret" => lifecycle::restore_secret(call),
        "TagResource" => lifecycle::tag_resource(call),
        "UntagResource" => lifecycle::untag_resource(call),
        "GetRandomPassword" => rotate::get_random_password(call),
        "RotateSecret" => rotate::rotate_secret(call),
        "CancelRotateSecret" => rotate::cancel_rotate_secret(call),
        other => match UNSUPPORTED.iter().find(|(name, _)| *name == other) {
            Some((_, why)) => Err(ApiError::invalid_request(*why)),
            None => Err(ApiError::client(
                "UnknownOperationException",
                format!("unknown operation {}", printable(other)),
            )),
        },
    }
}

/// An operation name as it may be echoed: printable ASCII, at most 64
/// characters.
fn printable(text: &str) -> String {
    text.chars()
        .take(64)
        .map(|c| if c.is_ascii_graphic() { c } else { '?' })
        .collect()
}
