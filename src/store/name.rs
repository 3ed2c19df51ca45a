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
