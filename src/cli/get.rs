//! `sm get`: print a secret's value.

use base64::Engine;
use clap::Args;

use super::{CmdResult, Context, output};
use crate::Error;
use crate::audit::Event;
use crate::store::{Encoding, GetRequest, Selector};

/// Print a secret's value (exact bytes; a newline is added only on a terminal)
#[derive(Debug, Args)]
pub struct GetArgs {
    /// The secret, or NAME#field for one field of a JSON secret
    pub name: String,
    /// Read this version id
    #[arg(long, value_name = "ID", conflicts_with = "label")]
    pub version: Option<String>,
    /// Read the version carrying LABEL (current, previous, pending, ...)
    #[arg(long, value_name = "LABEL")]
    pub label: Option<String>,
}

/// Splits `NAME#field`.
pub fn split_field(reference: &str) -> (&str, Option<&str>) {
    match reference.split_once('#') {
        Some((name, field)) => (name, Some(field)),
        None => (reference, None),
    }
}

/// Extracts a top-level field of a JSON object value: strings as their
/// text, anything else as compact JSON.
pub fn json_field(
    name: &str,
    value: &[u8],
    field: &str,
) -> crate::Result<zeroize::Zeroizing<Vec<u8>>> {
    let parsed: serde_json::Value = serde_json::from_slice(value).map_err(|_| {
        Error::invalid(format!(
            "secret `{name}` is not a JSON object, so it has no field `{field}`"
        ))
    })?;
    let serde_json::Value::Object(map) = parsed else {
        return Err(Error::invalid(format!(
            "secret `{name}` is not a JSON object, so it has no field `{field}`"
        )));
    };
    match map.get(field) {
        Some(serde_json::Value::String(s)) => Ok(zeroize::Zeroizing::new(s.as_bytes().to_vec())),
        Some(other) => Ok(zeroize::Zeroizing::new(other.to_string().into_bytes())),
        None => Err(Error::not_found(format!(
            "secret `{name}` has no field `{field}`"
        ))),
    }
}

pub fn run(ctx: &Context, args: GetArgs) -> CmdResult {
    let (name, field) = split_field(&args.name);
    crate::store::name::validate_name(name)?;
    let selector = match (&args.version, &args.label) {
        (Some(v), _) => Selector::Version(v.clone()),
        (None, Some(l)) => Selector::Label(l.clone()),
        (None, None) => Selector::Current,
    };
    let store = ctx.open_store()?;
    let identity = ctx.identity()?;
    let result = store
        .get(identity, &GetRequest { name, selector })
        .and_then(|got| {
            let value = match field {
                Some(f) => json_field(name, &got.value, f)?,
                None => got.value.clone(),
            };
            Ok((got, value))
        });
    let mut event = Event::ok("get", Some(name));
    event.detail = field.map(|f| format!("field {f}"));
    let (got, value) = ctx.audited(&store, event, false, result, |(got, _), e| {
        e.version(&got.version_id, &got.labels)
    })?;
    if ctx.global.json {
        let mut record = serde_json::json!({
            "name": name,
            "version_id": got.version_id,
            "labels": got.labels,
            "created": got.record.created,
        });
        match (got.record.encoding, std::str::from_utf8(&value)) {
            (Encoding::Text, Ok(text)) => record["value"] = text.into(),
            _ => {
                record["value_base64"] = base64::engine::general_purpose::STANDARD
                    .encode(&value[..])
                    .into()
            }
        }
        output::json(&record)?;
    } else {
        output::value(&value)?;
    }
    Ok(0)
}
