//! The selection syntax: `-s NAME[#field][=VAR|:PREFIX][?label=L|?version=ID]`
//! and `sm://NAME[#field][?...]` references, JSON fields, and the variable
//! names a secret, a path segment or a field gives.

use zeroize::Zeroizing;

use super::{Item, Naming, Reference, SCHEME};
use crate::crypto::SecretBytes;
use crate::error::{Error, Result};
use crate::store::Selector;
use crate::store::name::{validate_label, validate_name};

/// Splits `NAME#field`.
pub fn split_field(reference: &str) -> (&str, Option<&str>) {
    match reference.split_once('#') {
        Some((name, field)) => (name, Some(field)),
        None => (reference, None),
    }
}

/// Extracts a top-level field of a JSON object value: strings as their
/// text, anything else as compact JSON.
pub fn json_field(name: &str, value: &[u8], field: &str) -> Result<SecretBytes> {
    let not_object = || {
        Error::invalid(format!(
            "secret `{name}` is not a JSON object, so it has no field `{field}`"
        ))
    };
    let parsed: serde_json::Value = serde_json::from_slice(value).map_err(|_| not_object())?;
    let serde_json::Value::Object(map) = parsed else {
        return Err(not_object());
    };
    match map.get(field) {
        Some(value) => Ok(json_text(value)),
        None => Err(Error::not_found(format!(
            "secret `{name}` has no field `{field}`"
        ))),
    }
}

/// A JSON value as a variable holds it: a string's text, anything else as
/// compact JSON (`42`, `true`, `{"a":1}`).
pub(super) fn json_text(value: &serde_json::Value) -> SecretBytes {
    match value {
        serde_json::Value::String(s) => Zeroizing::new(s.as_bytes().to_vec()),
        other => Zeroizing::new(other.to_string().into_bytes()),
    }
}

/// Turns a secret name, path segment or field into a variable name:
/// upper-cased ASCII letters and digits, everything else `_`, and a `_` in
/// front when it would start with a digit.
pub fn variable_name(text: &str) -> String {
    let mut out: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

/// Tells whether `name` is a portable variable name: `[A-Za-z_][A-Za-z0-9_]*`.
pub fn is_variable_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn label_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')
}

/// Takes `?label=L` or `?version=ID` out of `text`, returning the rest and
/// the selector. With `anywhere`, text may follow the query (`-s` accepts
/// `NAME?label=L=VAR` as well as `NAME=VAR?label=L`).
fn take_query<'a>(text: &'a str, anywhere: bool, whole: &str) -> Result<(String, Selector)> {
    let Some((before, query)) = text.split_once('?') else {
        return Ok((text.to_string(), Selector::Current));
    };
    let bad = |why: &str| Error::invalid(format!("`{whole}`: {why}"));
    let (key, value) = query
        .split_once('=')
        .ok_or_else(|| bad("expected ?label=L or ?version=ID"))?;
    let end = value.find(|c| !label_char(c)).unwrap_or(value.len());
    let (value, tail): (&'a str, &'a str) = value.split_at(end);
    if (!anywhere && !tail.is_empty()) || tail.contains('?') {
        return Err(bad("expected ?label=L or ?version=ID at the end"));
    }
    if value.is_empty() {
        return Err(bad("the label or version after ? is empty"));
    }
    let selector = match key {
        "label" => Selector::Label(validate_label(value)?),
        "version" => Selector::Version(value.to_string()),
        _ => return Err(bad("expected ?label=L or ?version=ID")),
    };
    Ok((format!("{before}{tail}"), selector))
}

fn parse_name_field(text: &str, whole: &str) -> Result<(String, Option<String>)> {
    let (name, field) = split_field(text);
    validate_name(name)?;
    if field.is_some_and(str::is_empty) {
        return Err(Error::invalid(format!(
            "`{whole}`: the field after # is empty"
        )));
    }
    Ok((name.to_string(), field.map(str::to_string)))
}

impl Reference {
    /// Parses `NAME[#field][?label=L|?version=ID]`.
    pub fn parse(text: &str) -> Result<Reference> {
        let (rest, selector) = take_query(text, false, text)?;
        let (name, field) = parse_name_field(&rest, text)?;
        Ok(Reference {
            name,
            field,
            selector,
        })
    }

    /// Parses `sm://NAME[#field][?...]`, or returns None when `text` is not
    /// a reference.
    pub fn parse_url(text: &str) -> Option<Result<Reference>> {
        text.strip_prefix(SCHEME).map(Reference::parse)
    }
}

/// Parses one `-s` argument:
/// `NAME[#field][=VAR|:PREFIX][?label=L|?version=ID]`.
///
/// Names may hold `=`, so `=VAR` is taken from the last `=` and only when
/// what follows is a variable name; `NAME=VAR` of a secret whose name ends
/// in `=X` is written `NAME=X=VAR`.
pub fn parse_selection(spec: &str) -> Result<Item> {
    let origin = format!("-s {spec}");
    let (rest, selector) = take_query(spec, true, spec)?;
    let (reference_text, naming) = if let Some((r, prefix)) = rest.rsplit_once(':') {
        if !prefix
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            return Err(Error::invalid(format!(
                "`{spec}`: the prefix `{prefix}` may hold only letters, digits and _"
            )));
        }
        (
            r,
            Naming::Auto {
                prefix: prefix.to_string(),
            },
        )
    } else {
        match rest.rsplit_once('=') {
            Some((r, var)) if is_variable_name(var) => (r, Naming::Var(var.to_string())),
            _ => (
                rest.as_str(),
                Naming::Auto {
                    prefix: String::new(),
                },
            ),
        }
    };
    let (name, field) = parse_name_field(reference_text, spec)?;
    Ok(Item::Secret {
        reference: Reference {
            name,
            field,
            selector,
        },
        naming,
        origin,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret(item: Item) -> (Reference, Naming) {
        match item {
            Item::Secret {
                reference, naming, ..
            } => (reference, naming),
            Item::Literal { .. } => panic!("expected a secret"),
        }
    }

    fn auto(prefix: &str) -> Naming {
        Naming::Auto {
            prefix: prefix.into(),
        }
    }

    #[test]
    fn selection_forms() {
        let (r, n) = secret(parse_selection("prod/db").unwrap());
        assert_eq!(
            (r.name.as_str(), r.field, r.selector),
            ("prod/db", None, Selector::Current)
        );
        assert_eq!(n, auto(""));
        let (r, n) = secret(parse_selection("prod/db:DB_").unwrap());
        assert_eq!(r.name, "prod/db");
        assert_eq!(n, auto("DB_"));
        let (r, n) = secret(parse_selection("prod/db#password=PGPASSWORD").unwrap());
        assert_eq!(r.field.as_deref(), Some("password"));
        assert_eq!(n, Naming::Var("PGPASSWORD".into()));
        let (r, n) = secret(parse_selection("k=TOKEN?label=previous").unwrap());
        assert_eq!(r.name, "k");
        assert_eq!(r.selector, Selector::Label("previous".into()));
        assert_eq!(n, Naming::Var("TOKEN".into()));
        let (r, n) = secret(parse_selection("k?version=0190-ab=TOKEN").unwrap());
        assert_eq!(r.selector, Selector::Version("0190-ab".into()));
        assert_eq!(n, Naming::Var("TOKEN".into()));
        // A name holding `=` whose tail is not a variable name stays whole.
        let (r, _) = secret(parse_selection("a=b-c").unwrap());
        assert_eq!(r.name, "a=b-c");
        assert!(parse_selection("k?colour=red").is_err());
        assert!(parse_selection("k:bad-prefix").is_err());
        assert!(parse_selection("../x").is_err());
        assert!(parse_selection("k#").is_err());
    }

    #[test]
    fn references() {
        let r = Reference::parse_url("sm://a/b#f?label=staging")
            .unwrap()
            .unwrap();
        assert_eq!(r.name, "a/b");
        assert_eq!(r.field.as_deref(), Some("f"));
        assert_eq!(r.selector, Selector::Label("staging".into()));
        assert!(Reference::parse_url("postgres://x").is_none());
        assert!(Reference::parse_url("sm://a?label=x y").unwrap().is_err());
    }
}

/// Property tests: the reference and selection parsers never panic on any
/// input.
#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn reference_and_selection_parsers_never_panic(text in any::<String>()) {
            let _ = Reference::parse(&text);
            let _ = Reference::parse_url(&text);
            let _ = parse_selection(&text);
            let _ = split_field(&text);
            let _ = variable_name(&text);
            let _ = json_field("t", text.as_bytes(), "f");
        }
    }
}
