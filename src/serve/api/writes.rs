//! CreateSecret, PutSecretValue, UpdateSecret and UpdateSecretVersionStage:
//! `sm put`, `sm describe` and `sm label` with the service's rules. The
//! `ClientRequestToken` is the version id, so a retry with the same token
//! and value changes nothing, and the same token with another value is the
//! service's `ResourceExistsException`. Every write is answered only after
//! its version, metadata and log entry are on disk.

use base64::Engine;
use serde_json::{Map, Value, json};
use zeroize::Zeroizing;

use super::Call;
use super::call::{Access, Failure, note};
use super::input::Input;
use super::shapes;
use crate::audit::Event;
use crate::serve::ApiError;
use crate::store::name::{self, CURRENT};
use crate::store::{GetRequest, MAX_VALUE_LEN, PutOutcome, PutRequest, Selector, Store};

/// A value from a request: the text of `SecretString` or the decoded bytes
/// of `SecretBinary`.
pub struct RequestValue<'a> {
    /// The bytes.
    pub bytes: ValueBytes<'a>,
    /// Whether it came as `SecretBinary`.
    pub binary: bool,
}

/// The bytes of a [`RequestValue`]: borrowed from the request (wiped with
/// it) or decoded into a wiped buffer.
pub enum ValueBytes<'a> {
    /// `SecretString`'s text.
    Text(&'a str),
    /// `SecretBinary`, decoded.
    Decoded(Zeroizing<Vec<u8>>),
}

impl RequestValue<'_> {
    /// The value's bytes.
    pub fn bytes(&self) -> &[u8] {
        match &self.bytes {
            ValueBytes::Text(t) => t.as_bytes(),
            ValueBytes::Decoded(b) => b,
        }
    }
}

/// Reads `SecretString` or `SecretBinary` (not both).
pub fn request_value<'a>(input: &Input<'a>) -> Result<Option<RequestValue<'a>>, ApiError> {
    let text = input.str("SecretString", 1, MAX_VALUE_LEN)?;
    let binary = match input.raw("SecretBinary") {
        None => None,
        Some(Value::String(b64)) => Some(b64.as_str()),
        Some(_) => {
            return Err(ApiError::client(
                "SerializationException",
                "the member SecretBinary must be a base64 string",
            ));
        }
    };
    match (text, binary) {
        (Some(_), Some(_)) => Err(ApiError::invalid_parameter(
            "You can't specify both a binary secret value and a string secret value in the same secret.",
        )),
        (Some(t), None) => Ok(Some(RequestValue {
            bytes: ValueBytes::Text(t),
            binary: false,
        })),
        (None, Some(b64)) => {
            let mut buf = Zeroizing::new(Vec::with_capacity(b64.len() / 4 * 3 + 3));
            base64::engine::general_purpose::STANDARD
                .decode_vec(b64, &mut buf)
                .map_err(|_| {
                    ApiError::client(
                        "SerializationException",
                        "the member SecretBinary is not valid base64",
                    )
                })?;
            if buf.is_empty() || buf.len() > MAX_VALUE_LEN {
                return Err(ApiError::client(
                    "ValidationException",
                    format!(
                        "1 validation error detected: Value at 'secretBinary' failed to satisfy constraint: Member must have length between 1 and {MAX_VALUE_LEN}"
                    ),
                ));
            }
            Ok(Some(RequestValue {
                bytes: ValueBytes::Decoded(buf),
                binary: true,
            }))
        }
        (None, None) => Ok(None),
    }
}

/// Checks `KmsKeyId`: sm encrypts to the store's members with age, so only
/// the service's default key (or none) is accepted.
fn check_kms(input: &Input<'_>) -> Result<(), ApiError> {
    match input.str("KmsKeyId", 0, 2048)? {
        None | Some("") | Some("alias/aws/secretsmanager") => Ok(()),
        Some(_) => Err(ApiError::invalid_parameter(
            "sm encrypts every secret with age to the store's members, not with a KMS key: leave KmsKeyId out",
        )),
    }
}

/// The service's answer for a token reused with another value.
fn token_reused() -> ApiError {
    ApiError::exists(
        "A version with this ClientRequestToken already exists with a different value; you can't modify an existing version, you can only create a new one.",
    )
}

/// Stores a new version, mapping a reused token to the service's error.
fn put(
    call: &Call<'_>,
    store: &Store,
    request: &PutRequest<'_>,
    value: &[u8],
    event: &mut Event,
) -> Result<PutOutcome, Failure> {
    let reused = request
        .version_id
        .as_ref()
        .is_some_and(|id| store.read_version(request.name, id).is_ok());
    let outcome = store
        .put(call.backend.identity(), request, value)
        .map_err(|e| match e {
            crate::Error::Conflict { .. } if reused => Failure {
                error: token_reused(),
                outcome: "conflict",
            },
            other => other.into(),
        })?;
    event.version = Some(outcome.version_id.clone());
    event.labels = outcome.labels.clone();
    if outcome.unchanged {
        note(event, "unchanged");
    }
    Ok(outcome)
}

/// The `{ARN, Name, VersionId}` answer of a write.
fn written(
    call: &Call<'_>,
    store: &Store,
    name: &str,
    version: Option<&str>,
) -> Result<Map<String, Value>, Failure> {
    let meta = store.read_meta(name)?;
    let mut out = Map::new();
    out.insert("ARN".into(), call.arn(store, name, &meta.created).into());
    out.insert("Name".into(), name.into());
    if let Some(v) = version {
        out.insert("VersionId".into(), v.into());
    }
    Ok(out)
}

/// CreateSecret.
pub fn create_secret(call: &Call<'_>) -> Result<Value, ApiError> {
    let input = call.input();
    let name = input.required_str("Name", 1, 512)?;
    let token = input.str("ClientRequestToken", 32, 64)?;
    let description = input.str("Description", 0, 2048)?;
    check_kms(&input)?;
    let tags = input.tags()?.unwrap_or_default();
    if input.has("AddReplicaRegions") {
        return Err(ApiError::invalid_request(
            "sm does not support replica regions: a store is replicated with git (`sm replica add`)",
        ));
    }
    let value = request_value(&input)?;
    name::validate_name(name).map_err(ApiError::from)?;
    if !call.client.may_write(name) {
        return Err(shapes::not_authorized(
            &call.client.name,
            call.operation,
            name,
        ));
    }
    let store = call.backend.open()?;
    let mut event = call.event("put", Some(name));
    let result = (|| -> Result<Value, Failure> {
        // The store checks that the name is free under the secret's lock,
        // so of two concurrent creates exactly one succeeds.
        let Some(value) = &value else {
            // No value: the secret with no version (the service answers
            // with no VersionId, and ignores the token).
            return match store.create_empty(call.backend.identity(), name, description, &tags) {
                Ok(()) => Ok(Value::Object(written(call, &store, name, None)?)),
                Err(crate::Error::Conflict { .. }) if store.exists(name)? => {
                    existing(call, &store, name, None, &[], &mut event)
                }
                Err(e) => Err(e.into()),
            };
        };
        let request = PutRequest {
            name,
            version_id: token.map(str::to_string),
            description: description.map(str::to_string),
            tags: tags.clone(),
            binary: value.binary,
            create_only: true,
            ..PutRequest::default()
        };
        match put(call, &store, &request, value.bytes(), &mut event) {
            Ok(outcome) => Ok(Value::Object(written(
                call,
                &store,
                name,
                Some(&outcome.version_id),
            )?)),
            Err(failure) if failure.outcome == "conflict" && store.exists(name)? => {
                existing(call, &store, name, token, value.bytes(), &mut event)
            }
            Err(failure) => Err(failure),
        }
    })();
    call.finish(&store, event, true, result)
}

/// CreateSecret for a name that exists: a retry of a create that
/// succeeded (the same token and value) answers as the create did; a name
/// scheduled for deletion or in use is the service's error.
fn existing(
    call: &Call<'_>,
    store: &Store,
    name: &str,
    token: Option<&str>,
    value: &[u8],
    event: &mut crate::audit::Event,
) -> Result<Value, Failure> {
    let meta = store.read_meta(name)?;
    if meta.deletion.is_some() {
        return Err(ApiError::invalid_request(
            "You can't create this secret because a secret with this name is already scheduled for deletion.",
        )
        .into());
    }
    if let Some(token) = token
        && let Ok(got) = store.get(
            call.backend.identity(),
            &GetRequest {
                name,
                selector: Selector::Version(token.to_string()),
            },
        )
        && got.value.as_slice() == value
    {
        event.version = Some(got.version_id.clone());
        event.labels = got.labels.clone();
        note(event, "unchanged");
        return Ok(Value::Object(written(call, store, name, Some(token))?));
    }
    Err(ApiError::exists(format!(
        "The operation failed because the secret {name} already exists."
    ))
    .into())
}

/// PutSecretValue.
pub fn put_secret_value(call: &Call<'_>) -> Result<Value, ApiError> {
    let input = call.input();
    let id = input.secret_id()?;
    let token = input.str("ClientRequestToken", 32, 64)?;
    let stages = input.strings("VersionStages", (1, 20), (1, 256))?;
    input.str("RotationToken", 36, 256)?;
    let value = request_value(&input)?.ok_or_else(|| {
        ApiError::invalid_parameter("You must provide either SecretString or SecretBinary.")
    })?;
    let store = call.backend.open()?;
    let mut event = call.event("put", Some(id));
    let result = (|| -> Result<Value, Failure> {
        let resolved = call.resolve(&store, id, Access::Write)?;
        event.secret = Some(resolved.name.clone());
        let meta = call.live_meta(&store, &resolved)?;
        let labels = stages
            .unwrap_or_default()
            .iter()
            .map(|s| name::validate_label(s))
            .collect::<crate::Result<Vec<_>>>()?;
        let request = PutRequest {
            name: &resolved.name,
            version_id: token.map(str::to_string),
            labels,
            binary: value.binary,
            ..PutRequest::default()
        };
        let outcome = put(call, &store, &request, value.bytes(), &mut event)?;
        let mut out = Map::new();
        out.insert(
            "ARN".into(),
            call.arn(&store, &resolved.name, &meta.created).into(),
        );
        out.insert("Name".into(), resolved.name.clone().into());
        out.insert("VersionId".into(), outcome.version_id.clone().into());
        out.insert(
            "VersionStages".into(),
            json!(shapes::stages(&outcome.labels)),
        );
        Ok(Value::Object(out))
    })();
    call.finish(&store, event, true, result)
}

/// UpdateSecret: a new description, a new value (made `AWSCURRENT`), or
/// both.
pub fn update_secret(call: &Call<'_>) -> Result<Value, ApiError> {
    let input = call.input();
    let id = input.secret_id()?;
    let token = input.str("ClientRequestToken", 32, 64)?;
    let description = input.str("Description", 0, 2048)?;
    check_kms(&input)?;
    let value = request_value(&input)?;
    let store = call.backend.open()?;
    let op = if value.is_some() { "put" } else { "describe" };
    let mut event = call.event(op, Some(id));
    let result = (|| -> Result<Value, Failure> {
        let resolved = call.resolve(&store, id, Access::Write)?;
        event.secret = Some(resolved.name.clone());
        let meta = call.live_meta(&store, &resolved)?;
        let name = resolved.name.as_str();
        let mut version = None;
        match &value {
            Some(value) => {
                let request = PutRequest {
                    name,
                    version_id: token.map(str::to_string),
                    description: description.map(str::to_string),
                    binary: value.binary,
                    ..PutRequest::default()
                };
                let outcome = put(call, &store, &request, value.bytes(), &mut event)?;
                version = Some(outcome.version_id);
            }
            None => {
                if let Some(text) = description {
                    crate::store::validate_description(text)?;
                    store.update_meta(call.backend.identity(), name, false, |m| {
                        m.description = text.to_string();
                        Ok(())
                    })?;
                }
            }
        }
        let mut out = Map::new();
        out.insert("ARN".into(), call.arn(&store, name, &meta.created).into());
        out.insert("Name".into(), name.into());
        if let Some(v) = version {
            out.insert("VersionId".into(), v.into());
        }
        Ok(Value::Object(out))
    })();
    call.finish(&store, event, true, result)
}

/// UpdateSecretVersionStage: moves a staging label to a version
/// (`MoveToVersionId`) and/or removes it from one (`RemoveFromVersionId`),
/// with the service's rules: a label attached elsewhere moves only when
/// `RemoveFromVersionId` names that version; moving `AWSCURRENT` moves
/// `AWSPREVIOUS` to the version it left.
pub fn update_secret_version_stage(call: &Call<'_>) -> Result<Value, ApiError> {
    let input = call.input();
    let id = input.secret_id()?;
    let stage = input.required_str("VersionStage", 1, 256)?;
    let remove_from = input.str("RemoveFromVersionId", 32, 64)?;
    let move_to = input.str("MoveToVersionId", 32, 64)?;
    let label = name::validate_label(stage).map_err(ApiError::from)?;
    let store = call.backend.open()?;
    let mut event = call.event("label", Some(id));
    let result = (|| -> Result<Value, Failure> {
        let resolved = call.resolve(&store, id, Access::Write)?;
        event.secret = Some(resolved.name.clone());
        let meta = call.live_meta(&store, &resolved)?;
        let name = resolved.name.as_str();
        let known = store.version_ids(name)?;
        for v in [remove_from, move_to].into_iter().flatten() {
            if !known.iter().any(|k| k == v) {
                return Err(
                    ApiError::invalid_parameter(format!("Not a valid version: {v}")).into(),
                );
            }
        }
        if let Some(to) = move_to {
            // The target must be a real, verified version.
            store.read_version(name, to)?;
        }
        store.update_meta(call.backend.identity(), name, false, |m| {
            stage_change(m, &label, stage, remove_from, move_to)
        })?;
        event.version = move_to.or(remove_from).map(str::to_string);
        event.labels = vec![label.clone()];
        let mut out = Map::new();
        out.insert("ARN".into(), call.arn(&store, name, &meta.created).into());
        out.insert("Name".into(), name.into());
        Ok(Value::Object(out))
    })();
    call.finish(&store, event, true, result)
}

/// Applies UpdateSecretVersionStage's rules to a secret's labels.
fn stage_change(
    meta: &mut crate::store::Meta,
    label: &str,
    stage: &str,
    remove_from: Option<&str>,
    move_to: Option<&str>,
) -> crate::Result<()> {
    let invalid = |m: String| crate::Error::invalid(m);
    let attached = meta.label(label).map(str::to_string);
    if let Some(from) = remove_from
        && attached.as_deref() != Some(from)
    {
        return Err(invalid(format!(
            "The staging label {stage} is not attached to version {from}, so it can't be removed from it."
        )));
    }
    match move_to {
        Some(to) => {
            if let Some(on) = &attached
                && on != to
                && remove_from != Some(on.as_str())
            {
                return Err(invalid(format!(
                    "The parameter RemoveFromVersionId can't be empty. Staging label {stage} is currently attached to version {on}, so you must explicitly reference that version in RemoveFromVersionId."
                )));
            }
            crate::store::move_label(&mut meta.labels, label, to);
            if let Some(list) = &mut meta.versions
                && !list.iter().any(|v| v == to)
            {
                list.push(to.to_string());
            }
        }
        None => {
            if remove_from.is_none() {
                return Err(invalid(
                    "Specify MoveToVersionId, RemoveFromVersionId, or both.".to_string(),
                ));
            }
            if label == CURRENT {
                return Err(invalid(
                    "You can't remove the staging label AWSCURRENT without moving it to another version with MoveToVersionId.".to_string(),
                ));
            }
            meta.labels.remove(label);
        }
    }
    Ok(())
}
