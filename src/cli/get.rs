//! `sm get`: print a secret's value.

use base64::Engine;
use clap::Args;

use super::{CmdResult, Context, output};
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

pub use crate::exec::{json_field, split_field};

pub fn run(ctx: &Context, args: GetArgs) -> CmdResult {
    let (name, field) = split_field(&args.name);
    crate::store::name::validate_name(name)?;
    let selector = match (&args.version, &args.label) {
        (Some(v), _) => Selector::Version(v.clone()),
        (None, Some(l)) => Selector::Label(l.clone()),
        (None, None) => Selector::Current,
    };
    let store = ctx.open_store_cached()?;
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
        let mut record = output::SecretVersion::new(name, &got.version_id, got.labels.clone());
        record.created = Some(got.record.created.clone());
        match (got.record.encoding, std::str::from_utf8(&value)) {
            (Encoding::Text, Ok(text)) => record.value = Some(text.to_string()),
            _ => {
                record.value_base64 =
                    Some(base64::engine::general_purpose::STANDARD.encode(&value[..]))
            }
        }
        output::json(&record)?;
        if let Some(v) = record.value.as_mut() {
            zeroize::Zeroize::zeroize(v);
        }
        if let Some(v) = record.value_base64.as_mut() {
            zeroize::Zeroize::zeroize(v);
        }
    } else {
        output::value(&value)?;
    }
    Ok(0)
}
