//! Random passwords from the OS CSPRNG, following the cloud service's
//! GetRandomPassword rules.

use rand::Rng;
use rand::rngs::OsRng;
use rand::seq::SliceRandom;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// The punctuation class.
pub const PUNCTUATION: &str = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

/// What a password may contain. Stored with a secret's rotation settings
/// (`sm rotate --generate --exclude-chars ...`), so every field has a default.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PasswordSpec {
    /// Length, 1 to 4096.
    pub length: usize,
    /// Characters never used.
    pub exclude: String,
    /// Use 0-9.
    pub numbers: bool,
    /// Use the punctuation class.
    pub punctuation: bool,
    /// Use A-Z.
    pub uppercase: bool,
    /// Use a-z.
    pub lowercase: bool,
    /// Use the space character.
    pub space: bool,
    /// Include at least one character of every class in use.
    pub require_each: bool,
}

impl Default for PasswordSpec {
    fn default() -> Self {
        PasswordSpec {
            length: 32,
            exclude: String::new(),
            numbers: true,
            punctuation: true,
            uppercase: true,
            lowercase: true,
            space: false,
            require_each: true,
        }
    }
}

/// Generates a password.
pub fn generate(spec: &PasswordSpec) -> Result<Zeroizing<String>> {
    if !(1..=4096).contains(&spec.length) {
        return Err(Error::invalid("the password length must be 1 to 4096"));
    }
    let mut classes: Vec<Vec<char>> = Vec::new();
    let mut add = |on: bool, chars: &str| {
        if on {
            let class: Vec<char> = chars
                .chars()
                .filter(|c| !spec.exclude.contains(*c))
                .collect();
            if !class.is_empty() {
                classes.push(class);
            }
        }
    };
    add(spec.lowercase, "abcdefghijklmnopqrstuvwxyz");
    add(spec.uppercase, "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
    add(spec.numbers, "0123456789");
    add(spec.punctuation, PUNCTUATION);
    add(spec.space, " ");
    if classes.is_empty() {
        return Err(
            Error::invalid("no characters are left to make a password from")
                .with_hint("allow more character classes or exclude fewer characters"),
        );
    }
    if spec.require_each && classes.len() > spec.length {
        return Err(Error::invalid(format!(
            "a password of length {} cannot hold one of each of {} character classes",
            spec.length,
            classes.len()
        )));
    }
    let all: Vec<char> = classes.iter().flatten().copied().collect();
    let mut rng = OsRng;
    let mut chars: Zeroizing<Vec<char>> = Zeroizing::new(Vec::with_capacity(spec.length));
    if spec.require_each {
        for class in &classes {
            chars.push(class[rng.gen_range(0..class.len())]);
        }
    }
    while chars.len() < spec.length {
        chars.push(all[rng.gen_range(0..all.len())]);
    }
    chars.shuffle(&mut rng);
    let mut out = Zeroizing::new(String::with_capacity(spec.length));
    out.extend(chars.iter());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_has_every_class() {
        for _ in 0..50 {
            let p = generate(&PasswordSpec::default()).unwrap();
            assert_eq!(p.chars().count(), 32);
            assert!(p.chars().any(|c| c.is_ascii_lowercase()));
            assert!(p.chars().any(|c| c.is_ascii_uppercase()));
            assert!(p.chars().any(|c| c.is_ascii_digit()));
            assert!(p.chars().any(|c| PUNCTUATION.contains(c)));
            assert!(!p.contains(' '));
        }
    }

    #[test]
    fn exclusions_and_limits() {
        let spec = PasswordSpec {
            length: 200,
            exclude: "abc0123".into(),
            punctuation: false,
            ..PasswordSpec::default()
        };
        let p = generate(&spec).unwrap();
        assert!(
            !p.chars()
                .any(|c| "abc0123".contains(c) || PUNCTUATION.contains(c))
        );
        let none = PasswordSpec {
            numbers: false,
            punctuation: false,
            uppercase: false,
            lowercase: false,
            ..PasswordSpec::default()
        };
        assert_eq!(generate(&none).unwrap_err().exit_code(), 2);
        let short = PasswordSpec {
            length: 3,
            ..PasswordSpec::default()
        };
        assert_eq!(generate(&short).unwrap_err().exit_code(), 2);
        let tiny = PasswordSpec {
            length: 1,
            require_each: false,
            ..PasswordSpec::default()
        };
        assert_eq!(generate(&tiny).unwrap().len(), 1);
        assert!(
            generate(&PasswordSpec {
                length: 4097,
                ..PasswordSpec::default()
            })
            .is_err()
        );
    }
}
