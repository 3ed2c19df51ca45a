//! DescribeSecret and ListSecretVersionIds: a secret's metadata and its
//! versions in the service's shapes (`sm show` and `sm versions`), each
//! call logged as a read (op `show`, `versions`) naming the client.

use jiff::Timestamp;
use serde_json::{Map, Value, json};

use super::Call;
use super::call::{Access, Failure};
use super::list;
use super::shapes::{self, epoch, epoch_of};
use crate::rotation::schedule::{self, Schedule};
use crate::serve::ApiError;
use crate::serve::backend::Reads;
use crate::store::{Meta, Store};

/// Which name a secret entry gives its version-to-labels map: the service
/// calls it `VersionIdsToStages` in DescribeSecret and
/// `SecretVersionsToStages` in ListSecrets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// DescribeSecret's answer.
    Describe,
    /// One entry of ListSecrets.
    ListEntry,
}

/// A secret's metadata in the service's shape. `activity` holds when its
/// value was last read and when it last changed, from the logs (see
/// [`crate::serve::backend::LastReads`]): `LastAccessedDate` is the day of
/// the last read, as the service gives it, and left out for a secret never
/// read; `LastChangedDate` see [`last_changed`].
pub fn secret_entry(
    call: &Call<'_>,
    store: &Store,
    meta: &Meta,
    now: Timestamp,
    activity: &Reads,
    shape: Shape,
) -> Map<String, Value> {
    let last_read = activity.get(&meta.name);
    let name = meta.name.as_str();
    let mut out = Map::new();
    out.insert("ARN".into(), call.arn(store, name, &meta.created).into());
    out.insert("Name".into(), name.into());
    if !meta.description.is_empty() {
        out.insert("Description".into(), meta.description.clone().into());
    }
    if let Some(r) = &meta.rotation {
        out.insert("RotationEnabled".into(), r.schedule.is_some().into());
        if let Some(rules) = rotation_rules(r.schedule.as_deref(), r.window.as_deref()) {
            out.insert("RotationRules".into(), rules);
        }
        if let Some(t) = r.last_rotated.as_deref().and_then(epoch) {
            out.insert("LastRotatedDate".into(), t);
        }
        if let Ok(Some(status)) = crate::rotation::schedule_status(meta, now)
            && let Some(t) = epoch_of(status.next)
        {
            out.insert("NextRotationDate".into(), t);
        }
    }
    if let Some(t) = last_changed(meta, activity).and_then(epoch_of) {
        out.insert("LastChangedDate".into(), t);
    }
    if let Some(t) = last_read.map(access_day).and_then(epoch_of) {
        out.insert("LastAccessedDate".into(), t);
    }
    if let Some(t) = meta.deletion.as_ref().and_then(|d| epoch(&d.requested)) {
        out.insert("DeletedDate".into(), t);
    }
    if !meta.tags.is_empty() {
        let tags: Vec<Value> = meta
            .tags
            .iter()
            .map(|(k, v)| json!({"Key": k, "Value": v}))
            .collect();
        out.insert("Tags".into(), Value::Array(tags));
    }
    let mut stages: Map<String, Value> = Map::new();
    for (label, version) in &meta.labels {
        let entry = stages
            .entry(version.clone())
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(list) = entry {
            list.push(shapes::stage(label).into());
        }
    }
    let key = match shape {
        Shape::Describe => "VersionIdsToStages",
        Shape::ListEntry => "SecretVersionsToStages",
    };
    out.insert(key.into(), Value::Object(stages));
    if let Some(t) = epoch(&meta.created) {
        out.insert("CreatedDate".into(), t);
    }
    out
}

/// sm's schedule and window as the service's `RotationRules`: whole days
/// as `AutomaticallyAfterDays` (with the `rate()` expression when one was
/// given), hours and `cron()` as `ScheduleExpression`, the window as
/// `Duration` in hours.
pub fn rotation_rules(schedule: Option<&str>, window: Option<&str>) -> Option<Value> {
    let text = schedule?;
    let mut rules = Map::new();
    let days = |d: jiff::SignedDuration| {
        let hours = d.as_hours();
        (hours % 24 == 0).then_some(hours / 24)
    };
    match Schedule::parse(text).ok()? {
        Schedule::Every(d) => match days(d) {
            Some(n) => {
                rules.insert("AutomaticallyAfterDays".into(), n.into());
            }
            None => {
                rules.insert(
                    "ScheduleExpression".into(),
                    format!("rate({} hours)", d.as_hours()).into(),
                );
            }
        },
        Schedule::Rate(d) => {
            if let Some(n) = days(d) {
                rules.insert("AutomaticallyAfterDays".into(), n.into());
            }
            rules.insert("ScheduleExpression".into(), text.trim().into());
        }
        Schedule::Cron(_) => {
            rules.insert("ScheduleExpression".into(), text.trim().into());
        }
    }
    if let Some(w) = window.and_then(|w| schedule::parse_window(w).ok()) {
        rules.insert("Duration".into(), format!("{}h", w.as_hours()).into());
    }
    Some(Value::Object(rules))
}

/// The day (its start, UTC) of a read: the service's `LastAccessedDate`
/// is a date, not a time.
pub fn access_day(t: Timestamp) -> Timestamp {
    let second = t.as_second();
    Timestamp::from_second(second - second.rem_euclid(86_400)).unwrap_or(t)
}

/// The last time the secret changed: the latest of its last logged change
/// (a value, description, tags, labels, rotation, deletion, restore, by
/// the API or any member's command; see
/// [`crate::audit::Entry::changes_secret`]) and what its metadata tells
/// (creation, newest time-ordered version id, last rotation, scheduled
/// deletion), so a change whose log has not arrived yet still counts.
pub fn last_changed(meta: &Meta, activity: &Reads) -> Option<Timestamp> {
    let mut times: Vec<Timestamp> = Vec::new();
    let mut push = |text: &str| {
        if let Ok(t) = text.parse::<Timestamp>() {
            times.push(t);
        }
    };
    push(&meta.created);
    if let Some(r) = &meta.rotation
        && let Some(t) = &r.last_rotated
    {
        push(t);
    }
    if let Some(d) = &meta.deletion {
        push(&d.requested);
    }
    for id in meta.versions.iter().flatten() {
        if let Ok(uuid) = uuid::Uuid::parse_str(id)
            && uuid.get_version_num() == 7
            && let Some(ts) = uuid.get_timestamp()
        {
            let (secs, nanos) = ts.to_unix();
            if let Ok(t) = Timestamp::new(secs as i64, nanos as i32) {
                times.push(t);
            }
        }
    }
    times.extend(activity.changed(&meta.name));
    times.into_iter().max()
}

/// DescribeSecret.
pub fn describe_secret(call: &Call<'_>) -> Result<Value, ApiError> {
    let id = call.input().secret_id()?;
    let store = call.backend.open()?;
    let mut event = call.event("show", Some(id));
    let result = (|| -> Result<Value, Failure> {
        let resolved = call.resolve(&store, id, Access::Read)?;
        event.secret = Some(resolved.name.clone());
        let meta = call.meta(&store, &resolved)?;
        let activity = call.backend.last_reads(&store);
        Ok(Value::Object(secret_entry(
            call,
            &store,
            &meta,
            Timestamp::now(),
            &activity,
            Shape::Describe,
        )))
    })();
    call.finish(&store, event, false, result)
}

/// ListSecretVersionIds: the versions newest first, only the labelled ones
/// unless `IncludeDeprecated`, paged.
pub fn list_secret_version_ids(call: &Call<'_>) -> Result<Value, ApiError> {
    let input = call.input();
    let id = input.secret_id()?;
    let (limit, token) = input.paging(100)?;
    let deprecated = input.bool("IncludeDeprecated")?.unwrap_or(false);
    let store = call.backend.open()?;
    let mut event = call.event("versions", Some(id));
    let result = (|| -> Result<Value, Failure> {
        let resolved = call.resolve(&store, id, Access::Read)?;
        event.secret = Some(resolved.name.clone());
        let meta = call.meta(&store, &resolved)?;
        version_page(
            call,
            &store,
            &resolved.name,
            &meta,
            limit,
            token,
            deprecated,
        )
    })();
    call.finish(&store, event, false, result)
}

/// One page of a secret's versions.
fn version_page(
    call: &Call<'_>,
    store: &Store,
    name: &str,
    meta: &Meta,
    limit: usize,
    token: Option<&str>,
    deprecated: bool,
) -> Result<Value, Failure> {
    let versions: Vec<_> = store
        .versions(name)?
        .into_iter()
        .filter(|v| deprecated || !v.labels.is_empty())
        .collect();
    let start = match token {
        Some(t) => {
            let (_, after) = list::decode_token(t)?;
            versions
                .iter()
                .position(|v| v.version_id == after)
                .map(|i| i + 1)
                .ok_or_else(list::bad_token)?
        }
        None => 0,
    };
    let reads = call.backend.last_reads(store);
    let page: Vec<Value> = versions
        .iter()
        .skip(start)
        .take(limit)
        .map(|v| {
            let mut entry = Map::new();
            entry.insert("VersionId".into(), v.version_id.clone().into());
            // The service leaves out a version's stages when it has none.
            if !v.labels.is_empty() {
                entry.insert("VersionStages".into(), json!(shapes::stages(&v.labels)));
            }
            if let Some(t) = reads
                .version(name, &v.version_id)
                .map(access_day)
                .and_then(epoch_of)
            {
                entry.insert("LastAccessedDate".into(), t);
            }
            if let Some(t) = epoch(&v.created) {
                entry.insert("CreatedDate".into(), t);
            }
            Value::Object(entry)
        })
        .collect();
    let mut out = Map::new();
    if start + page.len() < versions.len()
        && let Some(last) = versions.get(start + page.len() - 1)
    {
        out.insert(
            "NextToken".into(),
            list::encode_token("", &last.version_id).into(),
        );
    }
    out.insert("Versions".into(), Value::Array(page));
    out.insert("ARN".into(), call.arn(store, name, &meta.created).into());
    out.insert("Name".into(), name.into());
    Ok(Value::Object(out))
}
