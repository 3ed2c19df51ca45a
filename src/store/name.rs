//! Secret names and labels: validation, and the mapping of a name to its
//! folder under `secrets/` (which can never leave the store).

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The longest accepted name, in bytes.
pub const MAX_NAME_LEN: usize = 512;

/// The longest segment: a folder name is the segment plus `.secret`, and
/// most file systems stop at 255 bytes.
pub const MAX_SEGMENT_LEN: usize = 255 - SECRET_DIR_SUFFIX.len();

/// The suffix of a secret's folder.
pub const SECRET_DIR_SUFFIX: &str = ".secret";

/// Checks a secret name against SPEC section 1 and returns it.
pub fn validate_name(name: &str) -> Result<&str> {
    let bad = |why: &str| {
        Error::invalid(format!("invalid secret name `{}`: {why}", printable(name))).with_hint(
            "names use A-Z a-z 0-9 and / _ + = . @ -, with segments separated by single slashes",
        )
    };
    if name.is_empty() {
        return Err(bad("it is empty"));
    }
    if name.len() > MAX_NAME_LEN {
        return Err(bad("it is longer than 512 characters"));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "/_+=.@-".contains(*c)))
    {
        return Err(bad(&format!("the character {c:?} is not allowed")));
    }
    if name.starts_with('/') || name.ends_with('/') {
        return Err(bad("it starts or ends with `/`"));
    }
    for segment in name.split('/') {
        if segment.is_empty() {
            return Err(bad("it has an empty segment (`//`)"));
        }
        if segment == "." || segment == ".." {
            return Err(bad("`.` and `..` segments are not allowed"));
        }
        if segment.ends_with(SECRET_DIR_SUFFIX) {
            return Err(bad(
                "a segment may not end in `.secret` (sm's folder suffix)",
            ));
        }
        if segment.len() > MAX_SEGMENT_LEN {
            return Err(bad("a segment is longer than 248 characters"));
        }
    }
    Ok(name)
}

/// Returns the folder of a (validated) secret name under `secrets_dir`.
pub fn secret_dir(secrets_dir: &Path, name: &str) -> PathBuf {
    let mut path = secrets_dir.to_path_buf();
    let mut segments = name.split('/').peekable();
    while let Some(segment) = segments.next() {
        if segments.peek().is_some() {
            path.push(segment);
        } else {
            path.push(format!("{segment}{SECRET_DIR_SUFFIX}"));
        }
    }
    path
}

/// The three staging labels, with their cloud aliases.
pub const CURRENT: &str = "current";
/// The label `put` moves to the version that was current.
pub const PREVIOUS: &str = "previous";
/// The label of a version being rotated in.
pub const PENDING: &str = "pending";

/// Normalizes a label (resolving the AWS aliases) and validates it.
pub fn validate_label(label: &str) -> Result<String> {
    let normalized = match label {
        "AWSCURRENT" => CURRENT,
        "AWSPREVIOUS" => PREVIOUS,
        "AWSPENDING" => PENDING,
        other => other,
    };
    let ok = !normalized.is_empty()
        && normalized.len() <= 256
        && normalized
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
    if !ok {
        return Err(Error::invalid(format!(
            "invalid label `{}`: labels are 1-256 characters of A-Z a-z 0-9 . _ -",
            printable(label)
        )));
    }
    Ok(normalized.to_string())
}

/// Member names become log file names, so they are short and plain.
pub fn validate_member_name(name: &str) -> Result<&str> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-@".contains(c));
    if ok {
        Ok(name)
    } else {
        Err(Error::invalid(format!(
            "invalid member name `{}`: use 1-64 characters of A-Z a-z 0-9 . _ - @, not starting with `.`",
            printable(name)
        )))
    }
}

/// The longest version id, in bytes.
pub const MAX_VERSION_ID_LEN: usize = 64;

/// Checks a version id. sm names versions with UUIDv7s; `--version-id` lets
/// a caller choose one, so an id read from disk meets the same rule as a
/// typed one: 1-64 characters of A-Z a-z 0-9 . _ -, not starting with `.`,
/// which also keeps `<id>.age` and `<id>.toml` plain file names.
pub fn validate_version_id(id: &str) -> Result<&str> {
    let ok = !id.is_empty()
        && id.len() <= MAX_VERSION_ID_LEN
        && !id.starts_with('.')
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
    if ok {
        Ok(id)
    } else {
        Err(Error::invalid(format!(
            "invalid version id `{}`: use 1-64 characters of A-Z a-z 0-9 . _ -",
            printable(id)
        )))
    }
}

/// The longest tag key, in bytes.
pub const MAX_TAG_KEY_LEN: usize = 128;

/// The longest tag value, in bytes.
pub const MAX_TAG_VALUE_LEN: usize = 256;

/// Checks a tag key: 1-128 characters of A-Z a-z 0-9 . _ - : / @ + =.
pub fn validate_tag_key(key: &str) -> Result<&str> {
    let ok = !key.is_empty()
        && key.len() <= MAX_TAG_KEY_LEN
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-:/@+=".contains(c));
    if ok {
        Ok(key)
    } else {
        Err(Error::invalid(format!(
            "invalid tag key `{}`: use 1-128 characters of A-Z a-z 0-9 . _ - : / @ + =",
            printable(key)
        )))
    }
}

/// Checks a tag value: at most 256 bytes, without control characters.
pub fn validate_tag_value(value: &str) -> Result<&str> {
    if value.len() > MAX_TAG_VALUE_LEN || value.chars().any(char::is_control) {
        return Err(Error::invalid(
            "tag values are at most 256 characters, without control characters",
        ));
    }
    Ok(value)
}

/// The word an access rule uses for every member.
pub const EVERYONE: &str = "*";

/// Checks a name an access rule or a group lists: `*` (every member) or a
/// member or group name, which follow the member-name rule.
pub fn validate_principal(name: &str) -> Result<&str> {
    if name == EVERYONE {
        return Ok(name);
    }
    validate_member_name(name)
}

/// Checks the names an audit log entry read from disk carries, as strictly
/// as typed input: the actor is a member name, the version a version id,
/// each label a label in its normal form, and the secret a secret name,
/// except in an entry whose outcome is `invalid`, which records the text
/// the user typed (the reason it failed). Returns which field is wrong.
pub fn validate_log_names(
    actor: &str,
    outcome: &str,
    secret: Option<&str>,
    version: Option<&str>,
    labels: &[String],
) -> Result<()> {
    let field = |name: &str, e: Error| Error::invalid(format!("the entry's {name}: {e}"));
    validate_member_name(actor).map_err(|e| field("actor", e))?;
    if let Some(secret) = secret
        && outcome != "invalid"
    {
        validate_name(secret).map_err(|e| field("secret", e))?;
    }
    if let Some(version) = version {
        validate_version_id(version).map_err(|e| field("version", e))?;
    }
    for label in labels {
        if validate_label(label).ok().as_deref() != Some(label.as_str()) {
            return Err(field(
                "labels",
                Error::invalid(format!("`{}` is not a label", printable(label))),
            ));
        }
    }
    Ok(())
}

/// Shortens and escapes user input for an error message.
pub fn printable(text: &str) -> String {
    let mut out: String = text
        .chars()
        .take(80)
        .flat_map(char::escape_default)
        .collect();
    if text.chars().count() > 80 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_names() {
        for name in [
            "a",
            "prod/db",
            "a.b/c_d+e=f@g-h",
            "x/y/z/1",
            &"a".repeat(248),
        ] {
            assert!(validate_name(name).is_ok(), "{name}");
        }
    }

    #[test]
    fn refuses_escapes_and_oddities() {
        for name in [
            "",
            "/a",
            "a/",
            "a//b",
            ".",
            "..",
            "a/../b",
            "./a",
            "a b",
            "a\0b",
            "ä",
            "a\\b",
            "x.secret",
            "a/b.secret/c",
            &"a".repeat(249),
            &"a/".repeat(300),
        ] {
            assert!(validate_name(name).is_err(), "{name:?}");
        }
    }

    #[test]
    fn dirs_stay_inside() {
        let dir = secret_dir(Path::new("/s/secrets"), "prod/db");
        assert_eq!(dir, Path::new("/s/secrets/prod/db.secret"));
    }

    #[test]
    fn version_ids_are_plain_file_names() {
        for id in [
            "01a207b4-c146-73e3-8638-22db4ccb56a1",
            "req-1",
            "a.b_c",
            &"x".repeat(64),
        ] {
            assert!(validate_version_id(id).is_ok(), "{id}");
        }
        for id in [
            "",
            ".",
            "..",
            ".hidden",
            "../x",
            "a/b",
            "a b",
            "a\0b",
            "ä",
            &"x".repeat(65),
        ] {
            assert!(validate_version_id(id).is_err(), "{id:?}");
        }
    }

    #[test]
    fn tags_keys_and_values() {
        assert!(validate_tag_key("team:owner/x@y+z=1").is_ok());
        assert!(validate_tag_key("").is_err());
        assert!(validate_tag_key("a b").is_err());
        assert!(validate_tag_key(&"k".repeat(129)).is_err());
        assert!(validate_tag_value("").is_ok());
        assert!(validate_tag_value("any text, even ü").is_ok());
        assert!(validate_tag_value("a\nb").is_err());
        assert!(validate_tag_value(&"v".repeat(257)).is_err());
    }

    #[test]
    fn principals_are_everyone_or_member_names() {
        assert!(validate_principal("*").is_ok());
        assert!(validate_principal("ops").is_ok());
        for bad in ["", "**", "../x", "a/b", ".hidden", "a b", &"m".repeat(65)] {
            assert!(validate_principal(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn log_entry_names() {
        let labels = vec!["current".to_string()];
        let ok = |actor, outcome, secret, version, labels: &[String]| {
            validate_log_names(actor, outcome, secret, version, labels)
        };
        assert!(ok("alice", "ok", Some("prod/db"), Some("req-1"), &labels).is_ok());
        assert!(ok("alice", "ok", None, None, &[]).is_ok());
        let err = ok("../../x", "ok", None, None, &[]).unwrap_err();
        assert!(err.to_string().contains("actor"), "{err}");
        let err = ok("alice", "ok", Some("../etc"), None, &[]).unwrap_err();
        assert!(err.to_string().contains("secret"), "{err}");
        // A refused name is what the user typed; the entry records it.
        assert!(ok("alice", "invalid", Some("../etc"), None, &[]).is_ok());
        let err = ok("alice", "ok", None, Some("a/b"), &[]).unwrap_err();
        assert!(err.to_string().contains("version"), "{err}");
        let err = ok("alice", "ok", None, None, &["AWSCURRENT".into()]).unwrap_err();
        assert!(err.to_string().contains("labels"), "{err}");
        assert!(ok("alice", "ok", None, None, &["a/b".into()]).is_err());
    }

    #[test]
    fn labels_and_aliases() {
        assert_eq!(validate_label("AWSCURRENT").unwrap(), "current");
        assert_eq!(validate_label("AWSPENDING").unwrap(), "pending");
        assert_eq!(validate_label("blue-green_1.0").unwrap(), "blue-green_1.0");
        assert!(validate_label("").is_err());
        assert!(validate_label("a/b").is_err());
        assert!(validate_label(&"x".repeat(257)).is_err());
    }
}

/// Property tests: whatever a name is, an accepted one maps to a folder
/// inside `secrets/`, and different names never share a folder.
#[cfg(test)]
mod properties {
    use std::path::Component;

    use proptest::prelude::*;

    use super::*;

    /// Names built from the allowed characters and the troublesome pieces.
    fn name_like() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop_oneof![
                "[A-Za-z0-9_+=.@-]{1,6}",
                Just("/".to_string()),
                Just("..".to_string()),
                Just(".".to_string()),
                Just(".secret".to_string()),
                Just("\\".to_string()),
                Just("\0".to_string()),
                ".{0,3}",
            ],
            0..10,
        )
        .prop_map(|parts| parts.concat())
    }

    proptest! {
        #[test]
        fn an_accepted_name_never_leaves_the_secrets_folder(name in name_like()) {
            let root = Path::new("/store/secrets");
            if validate_name(&name).is_ok() {
                let dir = secret_dir(root, &name);
                prop_assert!(dir.starts_with(root));
                let rest = dir.strip_prefix(root).unwrap();
                prop_assert!(rest.components().all(|c| matches!(c, Component::Normal(_))),
                    "{name:?} gives {dir:?}");
                prop_assert_eq!(rest.components().count(), name.split('/').count());
                prop_assert!(dir.to_string_lossy().ends_with(SECRET_DIR_SUFFIX));
            }
        }

        #[test]
        fn any_string_is_judged_without_panicking(name in any::<String>()) {
            let _ = validate_name(&name);
            let _ = validate_label(&name);
            let _ = validate_member_name(&name);
            let _ = validate_version_id(&name);
            let _ = validate_tag_key(&name);
            let _ = validate_tag_value(&name);
            let _ = validate_principal(&name);
            let _ = validate_log_names(&name, &name, Some(&name), Some(&name), std::slice::from_ref(&name));
        }

        #[test]
        fn an_accepted_version_id_is_one_plain_file_name(id in name_like()) {
            if validate_version_id(&id).is_ok() {
                let file = Path::new("/v").join(format!("{id}.toml"));
                prop_assert_eq!(file.parent(), Some(Path::new("/v")));
                prop_assert!(!id.starts_with('.'));
            }
        }

        #[test]
        fn different_names_get_different_folders(a in name_like(), b in name_like()) {
            if a != b && validate_name(&a).is_ok() && validate_name(&b).is_ok() {
                let root = Path::new("/s");
                prop_assert_ne!(secret_dir(root, &a), secret_dir(root, &b));
                // Nor does one secret's folder sit inside another's.
                prop_assert!(!secret_dir(root, &a).starts_with(secret_dir(root, &b)));
            }
        }
    }
}
