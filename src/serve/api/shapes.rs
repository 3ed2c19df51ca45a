//! The service's names for sm's things: ARNs, staging labels, times as
//! epoch seconds, `SecretId` (a name, a full ARN or a partial one), and the
//! service's own wording of its common errors.

use crate::crypto;
use crate::serve::ApiError;
use crate::store::name::{CURRENT, PENDING, PREVIOUS};

/// The service's answer for a secret that does not exist.
pub fn secret_not_found() -> ApiError {
    ApiError::not_found("Secrets Manager can't find the specified secret.")
}

/// The service's answer for an operation on a secret scheduled for
/// deletion.
pub fn marked_for_deletion() -> ApiError {
    ApiError::invalid_request(
        "You can't perform this operation on the secret because it was marked for deletion.",
    )
}

/// The answer for a client whose globs do not cover the secret.
pub fn not_authorized(client: &str, operation: &str, name: &str) -> ApiError {
    ApiError::access_denied(format!(
        "User: client {client} is not authorized to perform: secretsmanager:{operation} on resource: {name}"
    ))
}

/// The six characters that end a secret's ARN: derived from the store,
/// the name and the secret's creation time, so they stay the same for the
/// secret's life and change when a deleted name is created again.
pub fn arn_suffix(store_id: &str, name: &str, created: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let digest = crypto::sha256_hex(format!("sm arn v1\n{store_id}\n{name}\n{created}").as_bytes());
    let mut n = u64::from_str_radix(&digest[..15], 16).unwrap_or(0);
    let mut out = String::with_capacity(6);
    for _ in 0..6 {
        out.push(ALPHABET[(n % 62) as usize] as char);
        n /= 62;
    }
    out
}

/// A secret's ARN.
pub fn arn(region: &str, account: &str, name: &str, suffix: &str) -> String {
    format!("arn:aws:secretsmanager:{region}:{account}:secret:{name}-{suffix}")
}

/// The region and account of a `SecretId` that is an ARN.
pub fn arn_place(secret_id: &str) -> Option<(&str, &str)> {
    let rest = secret_id.strip_prefix("arn:")?;
    let mut parts = rest.splitn(5, ':');
    let (_partition, _service) = (parts.next()?, parts.next()?);
    Some((parts.next()?, parts.next()?))
}

/// One way to read a `SecretId`: the secret's name and, for a full ARN,
/// the suffix it must carry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// The secret's name.
    pub name: String,
    /// The ARN's six-character suffix, when the id is a full ARN.
    pub suffix: Option<String>,
}

/// Reads a `SecretId`: a name, or an ARN of this service (`arn:<partition>:
/// secretsmanager:<region>:<account>:secret:<name>[-<6 chars>]`). An ARN
/// ending in `-` and six letters or digits is either a full ARN or a
/// partial one of a name that ends so; both readings are returned, the
/// full one first. `None`: an ARN of something else.
pub fn candidates(secret_id: &str) -> Option<Vec<Candidate>> {
    let Some(rest) = secret_id.strip_prefix("arn:") else {
        return Some(vec![Candidate {
            name: secret_id.to_string(),
            suffix: None,
        }]);
    };
    let parts: Vec<&str> = rest.splitn(6, ':').collect();
    let [_partition, service, _region, _account, kind, resource] = parts.as_slice() else {
        return None;
    };
    if *service != "secretsmanager" || *kind != "secret" || resource.is_empty() {
        return None;
    }
    let mut out = Vec::with_capacity(2);
    if let Some((name, suffix)) = resource.rsplit_once('-')
        && suffix.len() == 6
        && suffix.bytes().all(|b| b.is_ascii_alphanumeric())
        && !name.is_empty()
    {
        out.push(Candidate {
            name: name.to_string(),
            suffix: Some(suffix.to_string()),
        });
    }
    out.push(Candidate {
        name: resource.to_string(),
        suffix: None,
    });
    Some(out)
}

/// The service's name of an sm label (`current` is `AWSCURRENT`, ...).
pub fn stage(label: &str) -> String {
    match label {
        CURRENT => "AWSCURRENT".into(),
        PREVIOUS => "AWSPREVIOUS".into(),
        PENDING => "AWSPENDING".into(),
        other => other.to_string(),
    }
}

/// The service's names of sm labels.
pub fn stages(labels: &[String]) -> Vec<String> {
    labels.iter().map(|l| stage(l)).collect()
}

/// A stored time (RFC 3339) as the service's epoch seconds (a JSON number
/// with milliseconds); `None` for text that is not a time.
pub fn epoch(text: &str) -> Option<serde_json::Value> {
    let t: jiff::Timestamp = text.parse().ok()?;
    epoch_of(t)
}

/// A time as the service's epoch seconds.
pub fn epoch_of(t: jiff::Timestamp) -> Option<serde_json::Value> {
    let ms = t.as_millisecond();
    let value = if ms % 1000 == 0 {
        serde_json::Value::from(ms / 1000)
    } else {
        serde_json::Number::from_f64(ms as f64 / 1000.0)?.into()
    };
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes_are_stable_and_differ_per_creation() {
        let a = arn_suffix("store", "prod/db", "2026-01-01T00:00:00.000Z");
        assert_eq!(a.len(), 6);
        assert!(a.bytes().all(|b| b.is_ascii_alphanumeric()));
        assert_eq!(
            a,
            arn_suffix("store", "prod/db", "2026-01-01T00:00:00.000Z")
        );
        assert_ne!(
            a,
            arn_suffix("store", "prod/db", "2026-01-02T00:00:00.000Z")
        );
    }

    #[test]
    fn secret_ids_read_as_names_and_arns() {
        assert_eq!(
            candidates("prod/db").unwrap(),
            vec![Candidate {
                name: "prod/db".into(),
                suffix: None
            }]
        );
        let full =
            candidates("arn:aws:secretsmanager:us-east-1:000000000000:secret:prod/db-AbC123")
                .unwrap();
        assert_eq!(full[0].name, "prod/db");
        assert_eq!(full[0].suffix.as_deref(), Some("AbC123"));
        assert_eq!(full[1].name, "prod/db-AbC123");
        let partial =
            candidates("arn:aws:secretsmanager:us-east-1:000000000000:secret:prod/db").unwrap();
        assert_eq!(partial.len(), 1);
        assert_eq!(partial[0].name, "prod/db");
        assert!(candidates("arn:aws:s3:::bucket").is_none());
        assert!(candidates("arn:aws:secretsmanager:r:a:secret:").is_none());
    }

    #[test]
    fn times_are_epoch_seconds() {
        assert_eq!(
            epoch("2026-01-01T00:00:00.000Z").unwrap(),
            serde_json::json!(1767225600)
        );
        assert_eq!(
            epoch("2026-01-01T00:00:00.250Z").unwrap(),
            serde_json::json!(1767225600.25)
        );
        assert!(epoch("soon").is_none());
        assert_eq!(stage("current"), "AWSCURRENT");
        assert_eq!(stage("blue"), "blue");
    }
}
