//! ListSecrets (as `sm ls`, logged as one read with op `ls` and no secret)
//! and the filters it shares with
//! BatchGetSecretValue: `name`, `tag-key`, `tag-value` (prefix, case
//! sensitive), `description` (prefix or words, not case sensitive), `all` (words of
//! the value against words of every attribute, not case sensitive),
//! `primary-region` and `owning-service` (which no sm secret has); a value
//! starting with `!` negates. Values of one filter are alternatives; all
//! filters must hold. Paging tokens are opaque: the base64 of the last
//! entry's sort key and name.

use std::cmp::Ordering;

use base64::Engine;
use jiff::Timestamp;
use serde_json::{Map, Value, json};

use super::Call;
use super::call::Failure;
use super::describe::{self, Shape};
use super::input::Input;
use crate::serve::ApiError;
use crate::store::{Meta, Store, format_time};

/// The filter keys the service knows.
const KEYS: [&str; 7] = [
    "description",
    "name",
    "tag-key",
    "tag-value",
    "primary-region",
    "owning-service",
    "all",
];

/// One filter of a request.
#[derive(Clone, Debug)]
pub struct Filter {
    key: &'static str,
    /// Each value, with whether it is negated (`!`).
    values: Vec<(bool, String)>,
}

/// The service's answer for a token it did not issue.
pub fn bad_token() -> ApiError {
    ApiError::client(
        "InvalidNextTokenException",
        "The NextToken value is invalid.",
    )
}

/// Encodes a paging token: the last entry's sort key and name.
pub fn encode_token(key: &str, name: &str) -> String {
    let text = json!([key, name]).to_string();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(text)
}

/// Decodes a paging token into the last entry's sort key and name.
pub fn decode_token(token: &str) -> Result<(String, String), ApiError> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token)
        .map_err(|_| bad_token())?;
    let (key, name): (String, String) = serde_json::from_slice(&bytes).map_err(|_| bad_token())?;
    Ok((key, name))
}

/// Reads the optional `Filters` member.
pub fn filters(input: &Input<'_>) -> Result<Option<Vec<Filter>>, ApiError> {
    let Some(items) = input.list("Filters", 0, 10)? else {
        return Ok(None);
    };
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let Value::Object(map) = item else {
            return Err(ApiError::client(
                "SerializationException",
                "the member Filters must be a list of filters",
            ));
        };
        let filter = Input::new(map);
        let key = filter.str("Key", 1, 64)?.unwrap_or("");
        let Some(key) = KEYS.iter().find(|k| **k == key) else {
            return Err(ApiError::client(
                "ValidationException",
                format!(
                    "1 validation error detected: Value at 'filters.member.key' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
                    KEYS.join(", ")
                ),
            ));
        };
        let values = filter
            .strings("Values", (1, 10), (0, 512))?
            .unwrap_or_default();
        if values.is_empty() {
            return Err(ApiError::invalid_parameter(format!(
                "The filter {key} needs at least one value."
            )));
        }
        if let Some(bad) = values.iter().find(|v| !filter_value_ok(v)) {
            return Err(ApiError::client(
                "ValidationException",
                format!(
                    "1 validation error detected: Value '{bad}' at 'filters.member.values' failed to satisfy constraint: Member must satisfy regular expression pattern: ^\\!?[a-zA-Z0-9 :_@\\/\\+\\=\\.\\-\\!]*$"
                ),
            ));
        }
        let values = values
            .into_iter()
            .map(|v| match v.strip_prefix('!') {
                Some(rest) => (true, rest.to_string()),
                None => (false, v.to_string()),
            })
            .collect();
        out.push(Filter { key, values });
    }
    Ok(Some(out))
}

/// The service's pattern for a filter value: letters, digits, space and
/// `:_@/+=.-!`.
fn filter_value_ok(value: &str) -> bool {
    value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || " :_@/+=.-!".contains(c))
}

/// Splits text into lower-case words: a word ends at punctuation or space,
/// at a change from lower to upper case, and between letters and digits.
fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut last: Option<char> = None;
    for c in text.chars() {
        if !c.is_alphanumeric() {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            last = None;
            continue;
        }
        if let Some(p) = last {
            let case_up = p.is_lowercase() && c.is_uppercase();
            let kind_change = p.is_alphabetic() != c.is_alphabetic();
            if (case_up || kind_change) && !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
        }
        word.extend(c.to_lowercase());
        last = Some(c);
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

impl Filter {
    /// Tells whether one (non-negated) value matches the secret.
    fn matches_value(&self, name: &str, meta: &Meta, value: &str) -> bool {
        match self.key {
            "name" => name.starts_with(value),
            // The API reference says prefix match; the user guide shows
            // words matched anywhere ("My Description" finds "Description
            // of my secret"): the description's start, or every word of
            // the value at the start of one of its words.
            "description" => {
                let text = meta.description.to_lowercase();
                if text.starts_with(&value.to_lowercase()) {
                    return true;
                }
                let wanted = words(value);
                let have = words(&meta.description);
                !wanted.is_empty()
                    && wanted
                        .iter()
                        .all(|w| have.iter().any(|h| h.starts_with(w.as_str())))
            }
            "tag-key" => meta.tags.keys().any(|k| k.starts_with(value)),
            "tag-value" => meta.tags.values().any(|v| v.starts_with(value)),
            "all" => {
                let wanted = words(value);
                let mut have = words(name);
                have.extend(words(&meta.description));
                for (k, v) in &meta.tags {
                    have.extend(words(k));
                    have.extend(words(v));
                }
                wanted
                    .iter()
                    .any(|w| have.iter().any(|h| h.starts_with(w.as_str())))
            }
            // No sm secret has a primary region or an owning service.
            _ => false,
        }
    }

    /// Tells whether the secret passes the filter: one of its plain values
    /// matches (when it has any), and none of its negated values does.
    pub fn matches(&self, name: &str, meta: &Meta) -> bool {
        let mut plain = self.values.iter().filter(|(neg, _)| !neg).peekable();
        let any_plain = plain.peek().is_some();
        let plain_ok = !any_plain || plain.any(|(_, v)| self.matches_value(name, meta, v));
        let negated_ok = self
            .values
            .iter()
            .filter(|(neg, _)| *neg)
            .all(|(_, v)| !self.matches_value(name, meta, v));
        plain_ok && negated_ok
    }
}

/// The secrets the client may read that pass every filter, with their
/// metadata (read as `sm ls` reads it, without decrypting anything), and
/// those scheduled for deletion only with `include_deleted`.
pub fn select(
    call: &Call<'_>,
    store: &Store,
    filters: &[Filter],
    include_deleted: bool,
) -> Result<Vec<(String, Meta)>, ApiError> {
    let mut out = Vec::new();
    for summary in store.list(|n| call.client.may_read(n))? {
        let Ok(mut meta) = summary.meta else {
            continue;
        };
        meta.name = summary.name.clone();
        if meta.deletion.is_some() && !include_deleted {
            continue;
        }
        if filters.iter().all(|f| f.matches(&summary.name, &meta)) {
            out.push((summary.name, meta));
        }
    }
    Ok(out)
}

/// ListSecrets.
pub fn list_secrets(call: &Call<'_>) -> Result<Value, ApiError> {
    let input = call.input();
    let include_deleted = input.bool("IncludePlannedDeletion")?.unwrap_or(false);
    let (limit, token) = input.paging(100)?;
    let filters = filters(&input)?.unwrap_or_default();
    let sort_by = input.str("SortBy", 1, 64)?.unwrap_or("created-date");
    let order = input.str("SortOrder", 1, 16)?.unwrap_or("desc");
    let enum_error = |member: &str, set: &str| {
        ApiError::client(
            "ValidationException",
            format!(
                "1 validation error detected: Value at '{member}' failed to satisfy constraint: Member must satisfy enum value set: [{set}]"
            ),
        )
    };
    if ![
        "created-date",
        "last-accessed-date",
        "last-changed-date",
        "name",
    ]
    .contains(&sort_by)
    {
        return Err(enum_error(
            "sortBy",
            "created-date, last-accessed-date, last-changed-date, name",
        ));
    }
    let descending = match order {
        "asc" => false,
        "desc" => true,
        _ => return Err(enum_error("sortOrder", "asc, desc")),
    };
    let after = token.map(decode_token).transpose()?;
    let store = call.backend.open()?;
    let event = call.event("ls", None);
    let order = Order {
        sort_by,
        descending,
        limit,
        after,
    };
    let result = page(call, &store, &filters, include_deleted, &order).map_err(Failure::from);
    call.finish(&store, event, false, result)
}

/// How ListSecrets orders and pages its answer.
struct Order<'a> {
    sort_by: &'a str,
    descending: bool,
    limit: usize,
    /// The last entry's sort key and name from the request's `NextToken`.
    after: Option<(String, String)>,
}

/// One page of ListSecrets' answer.
fn page(
    call: &Call<'_>,
    store: &Store,
    filters: &[Filter],
    include_deleted: bool,
    order: &Order<'_>,
) -> Result<Value, ApiError> {
    let now = Timestamp::now();
    let reads = call.backend.last_reads(store);
    let (sort_by, descending, limit) = (order.sort_by, order.descending, order.limit);
    let mut keyed: Vec<(String, String, Meta)> = select(call, store, filters, include_deleted)?
        .into_iter()
        .map(|(name, meta)| {
            let key = match sort_by {
                "created-date" => meta.created.clone(),
                "last-changed-date" => describe::last_changed(&meta, &reads)
                    .map(format_time)
                    .unwrap_or_default(),
                // By day, as the service shows it; never read sorts first.
                "last-accessed-date" => reads
                    .get(&name)
                    .map(|t| format_time(describe::access_day(t)))
                    .unwrap_or_default(),
                _ => String::new(),
            };
            (key, name, meta)
        })
        .collect();
    let compare = |a: (&str, &str), b: (&str, &str)| {
        let o = a.0.cmp(b.0).then(a.1.cmp(b.1));
        if descending { o.reverse() } else { o }
    };
    keyed.sort_by(|a, b| compare((&a.0, &a.1), (&b.0, &b.1)));
    let start = match &order.after {
        Some((key, name)) => keyed
            .iter()
            .position(|(k, n, _)| compare((k, n), (key, name)) == Ordering::Greater)
            .unwrap_or(keyed.len()),
        None => 0,
    };
    let page = &keyed[start..keyed.len().min(start + limit)];
    let list: Vec<Value> = page
        .iter()
        .map(|(_, _, meta)| {
            Value::Object(describe::secret_entry(
                call,
                store,
                meta,
                now,
                &reads,
                Shape::ListEntry,
            ))
        })
        .collect();
    let mut out = Map::new();
    out.insert("SecretList".into(), Value::Array(list));
    if start + page.len() < keyed.len()
        && let Some((key, name, _)) = page.last()
    {
        out.insert("NextToken".into(), encode_token(key, name).into());
    }
    Ok(Value::Object(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(description: &str, tags: &[(&str, &str)]) -> Meta {
        Meta {
            description: description.into(),
            tags: tags
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ..Meta::default()
        }
    }

    fn filter(key: &'static str, values: &[&str]) -> Filter {
        Filter {
            key,
            values: values
                .iter()
                .map(|v| match v.strip_prefix('!') {
                    Some(r) => (true, r.to_string()),
                    None => (false, v.to_string()),
                })
                .collect(),
        }
    }

    #[test]
    fn filters_match_as_the_service_documents() {
        let m = meta("Database Password", &[("env", "prod")]);
        assert!(filter("name", &["prod/"]).matches("prod/db", &m));
        assert!(!filter("name", &["Prod/"]).matches("prod/db", &m));
        assert!(filter("name", &["dev/", "prod/"]).matches("prod/db", &m));
        assert!(!filter("name", &["!prod/"]).matches("prod/db", &m));
        assert!(filter("name", &["!dev/"]).matches("prod/db", &m));
        assert!(filter("description", &["database"]).matches("x", &m));
        assert!(filter("tag-key", &["en"]).matches("x", &m));
        assert!(!filter("tag-key", &["prod"]).matches("x", &m));
        assert!(filter("tag-value", &["pro"]).matches("x", &m));
        assert!(filter("all", &["PASSWORD"]).matches("x", &m));
        assert!(filter("all", &["myDb"]).matches("app/db", &m));
        assert!(!filter("all", &["nothing"]).matches("app/db", &m));
        assert!(!filter("primary-region", &["us"]).matches("x", &m));
        assert!(filter("primary-region", &["!us"]).matches("x", &m));
    }

    #[test]
    fn words_split_like_the_console() {
        assert_eq!(words("credsDatabase#892"), vec!["creds", "database", "892"]);
        assert_eq!(words("prod/my_app"), vec!["prod", "my", "app"]);
    }

    #[test]
    fn tokens_round_trip_and_reject_junk() {
        let t = encode_token("2026-01-01T00:00:00.000Z", "prod/db");
        assert_eq!(
            decode_token(&t).unwrap(),
            ("2026-01-01T00:00:00.000Z".into(), "prod/db".into())
        );
        assert_eq!(
            decode_token("junk!").unwrap_err().code,
            "InvalidNextTokenException"
        );
    }
}
