//! New values for `sm rotate --generate`: a random password, or for a
//! JSON object secret the same object, in the same key order, with one
//! field replaced (the old text wiped).

use std::fmt;

use serde::Deserialize;
use serde::de::{MapAccess, Visitor};
use serde_json::value::RawValue;
use zeroize::{Zeroize, Zeroizing};

use crate::error::{Error, Result};
use crate::password::{self, PasswordSpec};

/// Makes a new value from `spec`: a password, or for a JSON object secret
/// the same object with `field` set to a new password. The other fields
/// keep their order and their exact text; a missing field is appended.
pub fn generate_value(
    current: Option<&[u8]>,
    field: &str,
    spec: &PasswordSpec,
) -> Result<Zeroizing<Vec<u8>>> {
    let password = password::generate(spec)?;
    let Some(Fields(fields)) = current.and_then(|c| serde_json::from_slice::<Fields>(c).ok())
    else {
        return Ok(Zeroizing::new(password.as_bytes().to_vec()));
    };
    let encode = |e: serde_json::Error| Error::Other(format!("cannot encode the JSON value: {e}"));
    let quoted = Zeroizing::new(serde_json::to_string(password.as_str()).map_err(encode)?);
    let size: usize = fields
        .iter()
        .map(|(k, v)| k.len() + v.get().len() + 4)
        .sum();
    let mut out = Zeroizing::new(Vec::with_capacity(size + quoted.len() + field.len() + 8));
    out.push(b'{');
    let mut replaced = false;
    for (i, (key, raw)) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(serde_json::to_string(&key).map_err(encode)?.as_bytes());
        out.push(b':');
        if key == field {
            out.extend_from_slice(quoted.as_bytes());
            replaced = true;
        } else {
            out.extend_from_slice(raw.get().as_bytes());
        }
        let mut text: Box<str> = raw.into();
        text.zeroize();
    }
    if !replaced {
        if out.len() > 1 {
            out.push(b',');
        }
        out.extend_from_slice(serde_json::to_string(field).map_err(encode)?.as_bytes());
        out.push(b':');
        out.extend_from_slice(quoted.as_bytes());
    }
    out.push(b'}');
    Ok(out)
}

/// A JSON object's fields in their order, each value as its exact text.
struct Fields(Vec<(String, Box<RawValue>)>);

impl<'de> Deserialize<'de> for Fields {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct Ordered;
        impl<'de> Visitor<'de> for Ordered {
            type Value = Fields;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Fields, A::Error> {
                let mut fields = Vec::new();
                while let Some(entry) = map.next_entry::<String, Box<RawValue>>()? {
                    fields.push(entry);
                }
                Ok(Fields(fields))
            }
        }
        d.deserialize_map(Ordered)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_json_changes_only_the_field_and_keeps_the_order() {
        let current = br#"{"username":"app","password":"old","host":"db","port":5432}"#;
        let spec = PasswordSpec::default();
        let out = generate_value(Some(current), "password", &spec).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["host"], "db");
        assert_eq!(v["username"], "app");
        assert_eq!(v["port"], 5432);
        assert_ne!(v["password"], "old");
        assert_eq!(v["password"].as_str().unwrap().len(), 32);
        let text = std::str::from_utf8(&out).unwrap();
        let at = |k: &str| text.find(&format!("\"{k}\"")).unwrap();
        assert!(at("username") < at("password") && at("password") < at("host"));
        assert!(text.ends_with(r#""port":5432}"#), "{text}");
        let out = generate_value(Some(b"plain"), "password", &spec).unwrap();
        assert_eq!(out.len(), 32);
    }

    #[test]
    fn a_missing_field_is_appended_and_options_apply() {
        let spec = PasswordSpec {
            exclude: "@:/?#%".into(),
            length: 200,
            ..PasswordSpec::default()
        };
        let out = generate_value(Some(br#"{"user":"u"}"#), "pw", &spec).unwrap();
        let text = std::str::from_utf8(&out).unwrap();
        assert!(text.starts_with(r#"{"user":"u","pw":""#), "{text}");
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert!(
            !v["pw"]
                .as_str()
                .unwrap()
                .contains(['@', ':', '/', '?', '#', '%'])
        );
    }
}
