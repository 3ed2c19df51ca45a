//! Reading a request's JSON members with the service model's types and
//! constraints: a member of the wrong JSON type is the service's
//! `SerializationException`, a value outside its constraints (length,
//! range, a missing required member) its `ValidationException`, worded as
//! the service words them. No message ever repeats a member's value.

use serde_json::{Map, Value};

use crate::serve::ApiError;

/// A request's members.
#[derive(Clone, Copy)]
pub struct Input<'a> {
    map: &'a Map<String, Value>,
}

/// The service's message for one failed constraint on `member`.
fn constraint(member: &str, what: &str) -> ApiError {
    ApiError::client(
        "ValidationException",
        format!(
            "1 validation error detected: Value at '{}' failed to satisfy constraint: {what}",
            camel(member)
        ),
    )
}

/// The member's name as the service's validation messages spell it
/// (`SecretId` -> `secretId`).
fn camel(member: &str) -> String {
    let mut chars = member.chars();
    match chars.next() {
        Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

/// The answer for a member of the wrong JSON type.
fn wrong_type(member: &str, expected: &str) -> ApiError {
    ApiError::client(
        "SerializationException",
        format!("the member {member} must be {expected}"),
    )
}

/// Checks a string's length in characters against the model's bounds.
pub fn check_len(member: &str, text: &str, min: usize, max: usize) -> Result<(), ApiError> {
    let n = text.chars().count();
    if n < min {
        return Err(constraint(
            member,
            &format!("Member must have length greater than or equal to {min}"),
        ));
    }
    if n > max {
        return Err(constraint(
            member,
            &format!("Member must have length less than or equal to {max}"),
        ));
    }
    Ok(())
}

impl<'a> Input<'a> {
    /// Wraps a request's JSON object.
    pub fn new(map: &'a Map<String, Value>) -> Input<'a> {
        Input { map }
    }

    /// The member's JSON value; JSON `null` counts as absent, as the
    /// service reads it.
    pub fn raw(&self, member: &str) -> Option<&'a Value> {
        self.map.get(member).filter(|v| !v.is_null())
    }

    /// Tells whether the member is present.
    pub fn has(&self, member: &str) -> bool {
        self.raw(member).is_some()
    }

    /// An optional string member of `min..=max` characters.
    pub fn str(&self, member: &str, min: usize, max: usize) -> Result<Option<&'a str>, ApiError> {
        match self.raw(member) {
            None => Ok(None),
            Some(Value::String(s)) => {
                check_len(member, s, min, max)?;
                Ok(Some(s.as_str()))
            }
            Some(_) => Err(wrong_type(member, "a string")),
        }
    }

    /// A required string member.
    pub fn required_str(&self, member: &str, min: usize, max: usize) -> Result<&'a str, ApiError> {
        self.str(member, min, max)?
            .ok_or_else(|| constraint(member, "Member must not be null"))
    }

    /// The `SecretId` member every per-secret operation takes.
    pub fn secret_id(&self) -> Result<&'a str, ApiError> {
        self.required_str("SecretId", 1, 2048)
    }

    /// An optional boolean member.
    pub fn bool(&self, member: &str) -> Result<Option<bool>, ApiError> {
        match self.raw(member) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(wrong_type(member, "a boolean")),
        }
    }

    /// An optional integer member within `min..=max`.
    pub fn int(&self, member: &str, min: i64, max: i64) -> Result<Option<i64>, ApiError> {
        match self.raw(member) {
            None => Ok(None),
            Some(Value::Number(n)) => {
                let Some(v) = n.as_i64() else {
                    return Err(wrong_type(member, "an integer"));
                };
                if v < min {
                    return Err(constraint(
                        member,
                        &format!("Member must have value greater than or equal to {min}"),
                    ));
                }
                if v > max {
                    return Err(constraint(
                        member,
                        &format!("Member must have value less than or equal to {max}"),
                    ));
                }
                Ok(Some(v))
            }
            Some(_) => Err(wrong_type(member, "an integer")),
        }
    }

    /// An optional list member of `min..=max` items.
    pub fn list(
        &self,
        member: &str,
        min: usize,
        max: usize,
    ) -> Result<Option<&'a [Value]>, ApiError> {
        match self.raw(member) {
            None => Ok(None),
            Some(Value::Array(items)) => {
                if items.len() < min {
                    return Err(constraint(
                        member,
                        &format!("Member must have length greater than or equal to {min}"),
                    ));
                }
                if items.len() > max {
                    return Err(constraint(
                        member,
                        &format!("Member must have length less than or equal to {max}"),
                    ));
                }
                Ok(Some(items))
            }
            Some(_) => Err(wrong_type(member, "a list")),
        }
    }

    /// An optional list of strings, each of `min..=max` characters.
    pub fn strings(
        &self,
        member: &str,
        count: (usize, usize),
        len: (usize, usize),
    ) -> Result<Option<Vec<&'a str>>, ApiError> {
        let Some(items) = self.list(member, count.0, count.1)? else {
            return Ok(None);
        };
        items
            .iter()
            .map(|item| match item {
                Value::String(s) => {
                    check_len(member, s, len.0, len.1)?;
                    Ok(s.as_str())
                }
                _ => Err(wrong_type(member, "a list of strings")),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    }

    /// An optional structure member.
    pub fn object(&self, member: &str) -> Result<Option<Input<'a>>, ApiError> {
        match self.raw(member) {
            None => Ok(None),
            Some(Value::Object(map)) => Ok(Some(Input::new(map))),
            Some(_) => Err(wrong_type(member, "a structure")),
        }
    }

    /// The optional `Tags` member: a list of `{Key, Value}`.
    pub fn tags(&self) -> Result<Option<Vec<(String, String)>>, ApiError> {
        let Some(items) = self.list("Tags", 0, 50)? else {
            return Ok(None);
        };
        let mut tags = Vec::with_capacity(items.len());
        for item in items {
            let Value::Object(map) = item else {
                return Err(wrong_type("Tags", "a list of tags"));
            };
            let tag = Input::new(map);
            let key = tag.required_str("Key", 1, 128)?;
            let value = tag.str("Value", 0, 256)?.unwrap_or("");
            reserved_tag(key)?;
            reserved_tag(value)?;
            if tags.iter().any(|(k, _): &(String, String)| k == key) {
                return Err(ApiError::invalid_parameter(format!(
                    "The tag key {key} appears more than once in the request."
                )));
            }
            tags.push((key.to_string(), value.to_string()));
        }
        Ok(Some(tags))
    }

    /// The optional `MaxResults` and `NextToken` members of a paged call.
    pub fn paging(&self, max: i64) -> Result<(usize, Option<&'a str>), ApiError> {
        let limit = self.int("MaxResults", 1, max)?.unwrap_or(max) as usize;
        let token = self.str("NextToken", 1, 4096)?;
        Ok((limit, token))
    }
}

/// Refuses a tag key or value in the `aws:` prefix, which the service
/// reserves for its own use (not case sensitive, as the service reads it).
pub fn reserved_tag(text: &str) -> Result<(), ApiError> {
    if text
        .get(..4)
        .is_some_and(|p| p.eq_ignore_ascii_case("aws:"))
    {
        return Err(ApiError::invalid_parameter(
            "Tag keys and values that start with aws: are reserved for AWS use.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn members_are_typed_and_bounded() {
        let v = json!({"SecretId": "a", "N": 3, "B": true, "L": ["x"], "Null": null, "Short": "x"});
        let Value::Object(map) = v else { panic!() };
        let input = Input::new(&map);
        assert_eq!(input.secret_id().unwrap(), "a");
        assert_eq!(input.int("N", 1, 5).unwrap(), Some(3));
        assert_eq!(
            input.int("N", 4, 5).unwrap_err().code,
            "ValidationException"
        );
        assert_eq!(input.bool("B").unwrap(), Some(true));
        assert_eq!(input.bool("N").unwrap_err().code, "SerializationException");
        assert_eq!(input.str("Null", 1, 2).unwrap(), None);
        let short = input.str("Short", 32, 64).unwrap_err();
        assert_eq!(short.code, "ValidationException");
        assert!(short.message.contains("'short'"), "{}", short.message);
        assert_eq!(
            input.required_str("Missing", 1, 2).unwrap_err().message,
            "1 validation error detected: Value at 'missing' failed to satisfy constraint: Member must not be null"
        );
        assert_eq!(input.strings("L", (1, 2), (1, 5)).unwrap(), Some(vec!["x"]));
    }
}
