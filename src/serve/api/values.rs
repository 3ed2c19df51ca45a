//! GetSecretValue and BatchGetSecretValue: a version's value with its id,
//! staging labels and creation time, read as `sm get` reads it (verified,
//! through the read cache) and logged as `sm get` logs it.

use base64::Engine;
use serde_json::{Map, Value, json};

use super::Call;
use super::call::{Access, Failure};
use super::shapes;
use super::{list, wipe};
use crate::audit::Event;
use crate::serve::ApiError;
use crate::store::{Encoding, GetRequest, Got, Selector, Store, name};

/// GetSecretValue.
pub fn get_secret_value(call: &Call<'_>) -> Result<Value, ApiError> {
    let input = call.input();
    let id = input.secret_id()?;
    let version_id = input.str("VersionId", 32, 64)?;
    let stage = input.str("VersionStage", 1, 256)?;
    let store = call.backend.open()?;
    let mut event = call.event("get", Some(id));
    let result = read_one(call, &store, id, version_id, stage, &mut event);
    call.finish(&store, event, false, result)
}

/// Reads one secret's version for a call, filling in the log entry.
fn read_one(
    call: &Call<'_>,
    store: &Store,
    id: &str,
    version_id: Option<&str>,
    stage: Option<&str>,
    event: &mut Event,
) -> Result<Value, Failure> {
    let resolved = call.resolve(store, id, Access::Read)?;
    event.secret = Some(resolved.name.clone());
    let selector = match (version_id, stage) {
        (Some(v), _) => Selector::Version(v.to_string()),
        (None, Some(s)) => Selector::Label(s.to_string()),
        (None, None) => Selector::Current,
    };
    let request = GetRequest {
        name: &resolved.name,
        selector,
    };
    let got = match call.backend.get(store, &request) {
        Ok(got) => got,
        Err(e @ (crate::Error::NotFound { .. } | crate::Error::InvalidInput { .. })) => {
            return Err(why_missing(call, store, &resolved, version_id, stage, e));
        }
        Err(e) => return Err(e.into()),
    };
    call.check_suffix(store, &resolved, &got.secret_created)?;
    if let (Some(_), Some(s)) = (version_id, stage) {
        let wanted = name::validate_label(s).unwrap_or_default();
        if !got.labels.contains(&wanted) {
            return Err(ApiError::not_found(
                "You provided a VersionStage that is not associated to the provided VersionId.",
            )
            .into());
        }
    }
    event.version = Some(got.version_id.clone());
    event.labels = got.labels.clone();
    Ok(value_entry(call, store, &resolved.name, &got))
}

/// Tells, as the service does, why a read found nothing: no secret, a
/// secret scheduled for deletion, or no such version or label.
fn why_missing(
    call: &Call<'_>,
    store: &Store,
    resolved: &super::call::Resolved,
    version_id: Option<&str>,
    stage: Option<&str>,
    error: crate::Error,
) -> Failure {
    if let Err(failure) = call.live_meta(store, resolved) {
        return failure;
    }
    let what = match (version_id, stage) {
        (Some(v), _) => format!("VersionId: {v}"),
        (None, Some(s)) => format!("staging label: {s}"),
        (None, None) => "staging label: AWSCURRENT".to_string(),
    };
    match error {
        crate::Error::NotFound { .. } | crate::Error::InvalidInput { .. } => Failure {
            error: ApiError::not_found(format!(
                "Secrets Manager can't find the specified secret value for {what}"
            )),
            outcome: "not_found",
        },
        other => other.into(),
    }
}

/// The answer for one value: `SecretString` for a text version,
/// `SecretBinary` (base64) for a binary one.
fn value_entry(call: &Call<'_>, store: &Store, name: &str, got: &Got) -> Value {
    let mut out = Map::new();
    out.insert(
        "ARN".into(),
        call.arn(store, name, &got.secret_created).into(),
    );
    out.insert("Name".into(), name.into());
    out.insert("VersionId".into(), got.version_id.clone().into());
    let text = match got.record.encoding {
        Encoding::Text => std::str::from_utf8(&got.value).ok(),
        Encoding::Binary => None,
    };
    match text {
        Some(text) => {
            out.insert("SecretString".into(), Value::String(text.to_string()));
        }
        None => {
            let engine = base64::engine::general_purpose::STANDARD;
            let mut encoded =
                String::with_capacity(base64::encoded_len(got.value.len(), true).unwrap_or(0));
            engine.encode_string(&got.value[..], &mut encoded);
            out.insert("SecretBinary".into(), Value::String(encoded));
        }
    }
    // The service leaves out a version's stages when it has none.
    if !got.labels.is_empty() {
        out.insert("VersionStages".into(), json!(shapes::stages(&got.labels)));
    }
    if let Some(t) = shapes::epoch(&got.record.created) {
        out.insert("CreatedDate".into(), t);
    }
    Value::Object(out)
}

/// BatchGetSecretValue: up to 20 secrets by id, or the secrets the
/// filters select (paged by name); a secret that cannot be read is an
/// entry of `Errors`, not a failed call.
pub fn batch_get_secret_value(call: &Call<'_>) -> Result<Value, ApiError> {
    let input = call.input();
    let ids = input.strings("SecretIdList", (1, 20), (1, 2048))?;
    let filters = list::filters(&input)?;
    let (limit, token) = input.paging(20)?;
    let store = call.backend.open()?;
    let (ids, next): (Vec<String>, Option<String>) = match (ids, filters) {
        (Some(ids), None) => {
            if token.is_some() {
                return Err(ApiError::invalid_parameter(
                    "NextToken applies to a call with Filters, not to one with SecretIdList.",
                ));
            }
            (ids.into_iter().map(str::to_string).collect(), None)
        }
        (None, Some(filters)) => {
            let mut selected = list::select(call, &store, &filters, false)?;
            selected.sort_by(|a, b| a.0.cmp(&b.0));
            let start = match token {
                Some(t) => {
                    let after = list::decode_token(t)?;
                    selected.partition_point(|(n, _)| *n <= after.1)
                }
                None => 0,
            };
            let page: Vec<String> = selected
                .iter()
                .skip(start)
                .take(limit)
                .map(|(n, _)| n.clone())
                .collect();
            let next = (start + page.len() < selected.len())
                .then(|| page.last().map(|n| list::encode_token("", n)))
                .flatten();
            (page, next)
        }
        _ => {
            return Err(ApiError::invalid_parameter(
                "You must include Filters or SecretIdList, but not both.",
            ));
        }
    };
    let mut found = Vec::new();
    let mut errors = Vec::new();
    let mut events = Vec::new();
    for id in &ids {
        let mut event = call.event("get", Some(id));
        match read_one(call, &store, id, None, None, &mut event) {
            Ok(entry) => found.push(entry),
            Err(failure) => {
                event.outcome = failure.outcome.to_string();
                errors.push(json!({
                    "SecretId": id,
                    "ErrorCode": failure.error.code,
                    "Message": failure.error.message,
                }));
            }
        }
        events.push(event);
    }
    let mut out = Map::new();
    out.insert("SecretValues".into(), Value::Array(found));
    out.insert("Errors".into(), Value::Array(errors));
    if let Some(next) = next {
        out.insert("NextToken".into(), next.into());
    }
    let mut out = Value::Object(out);
    if let Err(e) = call.log(&store, &events, false) {
        wipe(&mut out);
        return Err(e.into());
    }
    Ok(out)
}
