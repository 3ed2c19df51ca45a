//! DeleteSecret, RestoreSecret, TagResource and UntagResource: `sm rm`,
//! `sm restore`, `sm tag` and `sm untag` with the service's rules and
//! answers, logged as those commands log.

use serde_json::{Map, Value};

use super::Call;
use super::call::{Access, Failure, note};
use super::shapes::{self, epoch};
use crate::serve::ApiError;
use crate::store::{format_time, name, now};

/// DeleteSecret: a recovery window of 7 to 30 days (30 by default), or
/// `ForceDeleteWithoutRecovery`, never both.
pub fn delete_secret(call: &Call<'_>) -> Result<Value, ApiError> {
    let input = call.input();
    let id = input.secret_id()?;
    let window = input.int("RecoveryWindowInDays", i64::MIN, i64::MAX)?;
    let force = input.bool("ForceDeleteWithoutRecovery")?.unwrap_or(false);
    if window.is_some() && force {
        return Err(ApiError::invalid_parameter(
            "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.",
        ));
    }
    let days = match window {
        None => 30,
        Some(d @ 7..=30) => d as u32,
        Some(_) => {
            return Err(ApiError::invalid_parameter(
                "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).",
            ));
        }
    };
    let store = call.backend.open()?;
    let mut event = call.event("rm", Some(id));
    if force {
        note(&mut event, "forced");
    }
    let result = (|| -> Result<Value, Failure> {
        let resolved = call.resolve(&store, id, Access::Write)?;
        event.secret = Some(resolved.name.clone());
        let meta = call.meta(&store, &resolved)?;
        if meta.deletion.is_some() && !force {
            return Err(Failure {
                error: shapes::marked_for_deletion(),
                outcome: "conflict",
            });
        }
        let name = resolved.name.as_str();
        let when = store.remove(call.backend.identity(), name, days, force)?;
        if when.is_none() {
            let _ = store.prune_cache(call.backend.identity());
        }
        let mut out = Map::new();
        out.insert("ARN".into(), call.arn(&store, name, &meta.created).into());
        out.insert("Name".into(), name.into());
        let date = when.unwrap_or_else(|| format_time(now()));
        if let Some(t) = epoch(&date) {
            out.insert("DeletionDate".into(), t);
        }
        Ok(Value::Object(out))
    })();
    call.finish(&store, event, true, result)
}

/// The `{ARN, Name}` answer.
fn named(call: &Call<'_>, store: &crate::store::Store, name: &str, created: &str) -> Value {
    let mut out = Map::new();
    out.insert("ARN".into(), call.arn(store, name, created).into());
    out.insert("Name".into(), name.into());
    Value::Object(out)
}

/// RestoreSecret: cancels a scheduled deletion (a secret not scheduled for
/// deletion is left as it is).
pub fn restore_secret(call: &Call<'_>) -> Result<Value, ApiError> {
    let id = call.input().secret_id()?;
    let store = call.backend.open()?;
    let mut event = call.event("restore", Some(id));
    let result = (|| -> Result<Value, Failure> {
        let resolved = call.resolve(&store, id, Access::Write)?;
        event.secret = Some(resolved.name.clone());
        let meta = call.meta(&store, &resolved)?;
        if meta.deletion.is_some() {
            store.restore(call.backend.identity(), &resolved.name)?;
        } else {
            note(&mut event, "not scheduled for deletion");
        }
        Ok(named(call, &store, &resolved.name, &meta.created))
    })();
    call.finish(&store, event, true, result)
}

/// TagResource: adds or replaces tags.
pub fn tag_resource(call: &Call<'_>) -> Result<Value, ApiError> {
    let input = call.input();
    let id = input.secret_id()?;
    let tags = input.tags()?.ok_or_else(|| {
        ApiError::client(
            "ValidationException",
            "1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must not be null",
        )
    })?;
    for (k, v) in &tags {
        name::validate_tag_key(k).map_err(ApiError::from)?;
        name::validate_tag_value(v).map_err(ApiError::from)?;
    }
    let store = call.backend.open()?;
    let mut event = call.event("tag", Some(id));
    let result = (|| -> Result<Value, Failure> {
        let resolved = call.resolve(&store, id, Access::Write)?;
        event.secret = Some(resolved.name.clone());
        call.live_meta(&store, &resolved)?;
        store.update_meta(call.backend.identity(), &resolved.name, false, |m| {
            m.tags.extend(tags);
            Ok(())
        })?;
        Ok(Value::Object(Map::new()))
    })();
    call.finish(&store, event, true, result)
}

/// UntagResource: removes tags by key.
pub fn untag_resource(call: &Call<'_>) -> Result<Value, ApiError> {
    let input = call.input();
    let id = input.secret_id()?;
    let keys = input
        .strings("TagKeys", (0, 200), (1, 128))?
        .ok_or_else(|| {
            ApiError::client(
                "ValidationException",
                "1 validation error detected: Value at 'tagKeys' failed to satisfy constraint: Member must not be null",
            )
        })?;
    for key in &keys {
        super::input::reserved_tag(key)?;
    }
    let store = call.backend.open()?;
    let mut event = call.event("untag", Some(id));
    let result = (|| -> Result<Value, Failure> {
        let resolved = call.resolve(&store, id, Access::Write)?;
        event.secret = Some(resolved.name.clone());
        call.live_meta(&store, &resolved)?;
        store.update_meta(call.backend.identity(), &resolved.name, false, |m| {
            for k in &keys {
                m.tags.remove(*k);
            }
            Ok(())
        })?;
        Ok(Value::Object(Map::new()))
    })();
    call.finish(&store, event, true, result)
}
