//! RotateSecret and CancelRotateSecret run sm's own rotation (`sm rotate`):
//! the four steps through the hook configured for the secret and trusted on
//! this machine; a Lambda function is refused. `RotationRules` map onto sm's
//! schedules: `AutomaticallyAfterDays` is `--every Nd`, `ScheduleExpression`
//! is `rate()`/`cron()`, `Duration` the window. GetRandomPassword is
//! `sm gen`.

use serde_json::{Map, Value};

use super::Call;
use super::call::{Access, Failure, note};
use crate::audit::Event;
use crate::password::PasswordSpec;
use crate::rotation::{self, RunOptions, Settings};
use crate::serve::ApiError;

/// GetRandomPassword.
pub fn get_random_password(call: &Call<'_>) -> Result<Value, ApiError> {
    let input = call.input();
    let length = input.int("PasswordLength", 1, 4096)?.unwrap_or(32) as usize;
    let exclude = input.str("ExcludeCharacters", 0, 4096)?.unwrap_or("");
    let flag = |member: &str, default: bool| -> Result<bool, ApiError> {
        Ok(input.bool(member)?.unwrap_or(default))
    };
    let spec = PasswordSpec {
        length,
        exclude: exclude.to_string(),
        numbers: !flag("ExcludeNumbers", false)?,
        punctuation: !flag("ExcludePunctuation", false)?,
        uppercase: !flag("ExcludeUppercase", false)?,
        lowercase: !flag("ExcludeLowercase", false)?,
        space: flag("IncludeSpace", false)?,
        require_each: flag("RequireEachIncludedType", true)?,
    };
    let password =
        crate::password::generate(&spec).map_err(|e| ApiError::invalid_parameter(e.to_string()))?;
    let mut out = Map::new();
    out.insert("RandomPassword".into(), Value::String(password.to_string()));
    // Logged as `sm gen` (no secret, never the password).
    let store = call.backend.open()?;
    call.finish(
        &store,
        call.event("gen", None),
        false,
        Ok(Value::Object(out)),
    )
}

/// The schedule and window `RotationRules` ask for.
fn rules(call: &Call<'_>) -> Result<Settings, ApiError> {
    let mut settings = Settings::default();
    let Some(rules) = call.input().object("RotationRules")? else {
        return Ok(settings);
    };
    let days = rules.int("AutomaticallyAfterDays", 1, 1000)?;
    let expression = rules.str("ScheduleExpression", 1, 256)?;
    let duration = rules.str("Duration", 2, 3)?;
    settings.schedule = match (days, expression) {
        (Some(_), Some(_)) => {
            return Err(ApiError::invalid_parameter(
                "You can't specify both AutomaticallyAfterDays and ScheduleExpression.",
            ));
        }
        (Some(d), None) => Some(format!("{d}d")),
        (None, Some(e)) => Some(e.to_string()),
        (None, None) => None,
    };
    if let Some(d) = duration {
        if !d.ends_with('h') {
            return Err(ApiError::invalid_parameter(
                "Duration is a number of hours, e.g. 3h.",
            ));
        }
        settings.window = Some(d.to_string());
    }
    settings
        .validate(None)
        .map_err(|e| ApiError::invalid_parameter(e.to_string()))?;
    Ok(settings)
}

/// Names the client in every event of a rotation run.
fn with_client(call: &Call<'_>, mut events: Vec<Event>) -> Vec<Event> {
    let api = call.event("rotate", None).detail.unwrap_or_default();
    for e in &mut events {
        e.detail = Some(match e.detail.take() {
            Some(d) if !d.is_empty() => format!("{d}; {api}"),
            _ => api.clone(),
        });
    }
    events
}

/// RotateSecret.
///
/// sm's RotateSecret is synchronous: it returns when the four steps
/// (create, set, test, finish) have run through the secret's trusted hook
/// and the new version is `AWSCURRENT`, so the next GetSecretValue already
/// reads it. The service instead returns as soon as the rotation has
/// started and its Lambda function runs the steps afterwards. A step that
/// fails is answered with `InvalidRequestException` naming the step, and
/// the rotation stays pending, as `sm rotate` leaves it: the next
/// RotateSecret resumes it at that step, with its version id.
///
/// `ClientRequestToken` is the id of the new version (the SDKs send a fresh
/// UUID with every call). A token that names an existing version of the
/// secret, with no rotation pending, is a retry of a rotation that
/// finished: nothing runs and the answer names that version. A rotation
/// already pending keeps the id it started with, whatever the token.
/// The service documents no `ResourceExistsException` for RotateSecret
/// (there is no value in the request to differ), so none is answered.
pub fn rotate_secret(call: &Call<'_>) -> Result<Value, ApiError> {
    let input = call.input();
    let id = input.secret_id()?;
    let token = input.str("ClientRequestToken", 32, 64)?;
    if let Some(t) = token {
        crate::store::name::validate_version_id(t).map_err(ApiError::from)?;
    }
    if input
        .str("RotationLambdaARN", 0, 2048)?
        .is_some_and(|a| !a.is_empty())
        || input.has("ExternalSecretRotationMetadata")
        || input.has("ExternalSecretRotationRoleArn")
    {
        return Err(ApiError::invalid_parameter(
            "sm runs rotation hooks, not Lambda functions or external rotation: configure the secret's hook with `sm rotate NAME --hook CMD --trust-hook` and leave RotationLambdaARN out",
        ));
    }
    let settings = rules(call)?;
    let immediately = input.bool("RotateImmediately")?.unwrap_or(true);
    let store = call.backend.open()?;
    let identity = call.backend.identity();
    let resolved = match call.resolve(&store, id, Access::Write) {
        Ok(r) => r,
        Err(error) => {
            let failure = Failure::from(error);
            let event = call.event("rotate", Some(id));
            return call.finish(&store, event, true, Err(failure));
        }
    };
    let name = resolved.name.as_str();
    let meta = match call.live_meta(&store, &resolved) {
        Ok(m) => m,
        Err(f) => return call.finish(&store, call.event("rotate", Some(name)), true, Err(f)),
    };
    // Checked before the schedule is set: a schedule with nothing to run
    // it would report rotation enabled for a secret that never rotates.
    let configured = meta
        .rotation
        .as_ref()
        .is_some_and(|r| r.hook.is_some() || r.generate);
    if !configured {
        let error = ApiError::invalid_request(format!(
            "No rotation hook is configured for this secret: configure one with `sm rotate {name} --hook CMD --trust-hook` (or --generate)"
        ));
        return call.finish(
            &store,
            call.event("rotate", Some(name)),
            true,
            Err(error.into()),
        );
    }
    let now = jiff::Timestamp::now();
    if !settings.is_empty() {
        let mut event = call.event("rotate", Some(name));
        note(&mut event, "configure");
        let result = rotation::configure(&store, identity, name, &settings, now)
            .map(|_| Value::Null)
            .map_err(Failure::from);
        call.finish(&store, event, true, result)?;
    }
    let mut out = Map::new();
    out.insert("ARN".into(), call.arn(&store, name, &meta.created).into());
    out.insert("Name".into(), name.into());
    if !immediately {
        return Ok(Value::Object(out));
    }
    let pending = meta.rotation.as_ref().and_then(|r| r.pending.as_ref());
    if let Some(t) = token
        && pending.is_none()
        && store.version_ids(name)?.iter().any(|v| v == t)
    {
        // A retry of a rotation that finished: its version exists, so
        // nothing runs again and the answer is the first one's.
        let mut event = call.event("rotate", Some(name));
        event.version = Some(t.to_string());
        note(&mut event, "unchanged");
        out.insert("VersionId".into(), t.into());
        return call.finish(&store, event, true, Ok(Value::Object(out)));
    }
    let mut events = Vec::new();
    let result = rotation::rotate(
        &store,
        identity,
        name,
        &RunOptions {
            config_dir: call.backend.config_dir(),
            now,
            version_id: token,
        },
        &mut events,
    );
    if let Err(err) = &result
        && !events.iter().any(|e| e.outcome != "ok")
    {
        events.push(Event::ok("rotate", Some(name)).failed(err));
    }
    let events = with_client(call, events);
    let logged = call.log(&store, &events, true);
    let outcome = result?;
    logged?;
    out.insert("VersionId".into(), outcome.version_id.into());
    Ok(Value::Object(out))
}

/// CancelRotateSecret: turns automatic rotation off (the schedule and
/// window are removed; the hook stays) and drops a rotation in progress.
pub fn cancel_rotate_secret(call: &Call<'_>) -> Result<Value, ApiError> {
    let id = call.input().secret_id()?;
    let store = call.backend.open()?;
    let mut event = call.event("rotate", Some(id));
    note(&mut event, "cancel");
    let result = (|| -> Result<Value, Failure> {
        let resolved = call.resolve(&store, id, Access::Write)?;
        event.secret = Some(resolved.name.clone());
        let meta = call.live_meta(&store, &resolved)?;
        let name = resolved.name.as_str();
        let Some(rotation) = &meta.rotation else {
            return Err(ApiError::invalid_request(
                "The secret has no rotation configured, so there is no rotation to cancel.",
            )
            .into());
        };
        let identity = call.backend.identity();
        let dropped = match &rotation.pending {
            Some(_) => Some(rotation::cancel(&store, identity, name)?),
            None => None,
        };
        store.update_meta(identity, name, false, |m| {
            if let Some(r) = m.rotation.as_mut() {
                r.schedule = None;
                r.window = None;
            }
            Ok(())
        })?;
        let mut out = Map::new();
        out.insert("ARN".into(), call.arn(&store, name, &meta.created).into());
        out.insert("Name".into(), name.into());
        if let Some(v) = dropped {
            event.version = Some(v.clone());
            out.insert("VersionId".into(), v.into());
        }
        Ok(Value::Object(out))
    })();
    call.finish(&store, event, true, result)
}
