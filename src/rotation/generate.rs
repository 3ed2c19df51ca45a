//! New values for `sm rotate --generate`: a random password, or for a
//! JSON object secret the same object with one field replaced (the old
//! strings wiped).

use zeroize::{Zeroize, Zeroizing};

use crate::error::{Error, Result};
use crate::password::{self, PasswordSpec};

/// Makes a new value: a password, or for a JSON object secret the same
/// object with `field` set to a new password.
pub fn generate_value(current: Option<&[u8]>, field: &str) -> Result<Zeroizing<Vec<u8>>> {
    let password = password::generate(&PasswordSpec::default())?;
    let object = current.and_then(|c| serde_json::from_slice::<serde_json::Value>(c).ok());
    match object {
        Some(serde_json::Value::Object(mut map)) => {
            if let Some(serde_json::Value::String(mut old)) = map.insert(
                field.to_string(),
                serde_json::Value::String(password.to_string()),
            ) {
                old.zeroize();
            }
            let mut value = serde_json::Value::Object(map);
            let out = Zeroizing::new(
                serde_json::to_vec(&value)
                    .map_err(|e| Error::Other(format!("cannot encode the JSON value: {e}")))?,
            );
            wipe(&mut value);
            Ok(out)
        }
        other => {
            if let Some(mut v) = other {
                wipe(&mut v);
            }
            Ok(Zeroizing::new(password.as_bytes().to_vec()))
        }
    }
}

/// Overwrites every string held in a parsed JSON value.
fn wipe(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::String(s) => s.zeroize(),
        serde_json::Value::Array(items) => items.iter_mut().for_each(wipe),
        serde_json::Value::Object(map) => map.values_mut().for_each(wipe),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_json_changes_only_the_field() {
        let current = br#"{"host":"db","password":"old","username":"app"}"#;
        let out = generate_value(Some(current), "password").unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["host"], "db");
        assert_eq!(v["username"], "app");
        assert_ne!(v["password"], "old");
        assert_eq!(v["password"].as_str().unwrap().len(), 32);
        let out = generate_value(Some(b"plain"), "password").unwrap();
        assert_eq!(out.len(), 32);
    }
}
