//! Parsing `.env` files: `KEY=value` lines with comments, blank lines,
//! optional `export `, and single- or double-quoted values (double quotes
//! understand `\n`, `\t`, `\\`, `\"` and `\$`, and may span lines).

use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// One assignment of a `.env` file.
pub struct Assignment {
    /// The variable name.
    pub key: String,
    /// The value, wiped on drop.
    pub value: Zeroizing<String>,
    /// The 1-based line it starts on.
    pub line: usize,
}

/// Parses a `.env` file. `source` names it in errors (which never quote a
/// value).
pub fn parse(text: &str, source: &str) -> Result<Vec<Assignment>> {
    let mut out = Vec::new();
    let lines: Vec<&str> = text.split('\n').collect();
    let mut i = 0;
    while i < lines.len() {
        let line_no = i + 1;
        let line = lines[i].trim_end_matches('\r');
        i += 1;
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let body = trimmed
            .strip_prefix("export ")
            .map(str::trim_start)
            .unwrap_or(trimmed);
        let bad = |why: &str| Error::invalid(format!("{source}:{line_no}: {why}"));
        let (key, rest) = body
            .split_once('=')
            .ok_or_else(|| bad("expected KEY=value"))?;
        let key = key.trim();
        if key.is_empty()
            || !key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-')
            || key.starts_with(|c: char| c.is_ascii_digit())
        {
            return Err(bad("the variable name is not valid"));
        }
        let rest = rest.trim_start();
        let value = if let Some(after) = rest.strip_prefix('\'') {
            let (value, tail) = take_quoted(after, '\'', &lines, &mut i, false)
                .ok_or_else(|| bad("the single quote is not closed"))?;
            check_tail(&tail).map_err(|()| bad("unexpected text after the closing quote"))?;
            value
        } else if let Some(after) = rest.strip_prefix('"') {
            let (value, tail) = take_quoted(after, '"', &lines, &mut i, true)
                .ok_or_else(|| bad("the double quote is not closed"))?;
            check_tail(&tail).map_err(|()| bad("unexpected text after the closing quote"))?;
            value
        } else {
            let end = rest
                .find(" #")
                .or_else(|| rest.find("\t#"))
                .unwrap_or(rest.len());
            Zeroizing::new(rest[..end].trim_end().to_string())
        };
        out.push(Assignment {
            key: key.to_string(),
            value,
            line: line_no,
        });
    }
    Ok(out)
}

impl std::fmt::Debug for Assignment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Assignment")
            .field("key", &self.key)
            .field("value", &"<redacted>")
            .field("line", &self.line)
            .finish()
    }
}

fn check_tail(tail: &str) -> Result<(), ()> {
    let tail = tail.trim();
    if tail.is_empty() || tail.starts_with('#') {
        Ok(())
    } else {
        Err(())
    }
}

/// Reads a quoted value starting after the opening quote, continuing onto
/// following lines; returns the value and the text after the closing quote.
fn take_quoted(
    first: &str,
    quote: char,
    lines: &[&str],
    next: &mut usize,
    escapes: bool,
) -> Option<(Zeroizing<String>, String)> {
    let mut value = Zeroizing::new(String::new());
    let mut current = first.to_string();
    loop {
        let mut chars = current.char_indices();
        while let Some((pos, c)) = chars.next() {
            if c == quote {
                return Some((value, current[pos + 1..].to_string()));
            }
            if escapes && c == '\\' {
                match chars.next() {
                    Some((_, 'n')) => value.push('\n'),
                    Some((_, 't')) => value.push('\t'),
                    Some((_, 'r')) => value.push('\r'),
                    Some((_, e @ ('\\' | '"' | '$' | '`'))) => value.push(e),
                    Some((_, other)) => {
                        value.push('\\');
                        value.push(other);
                    }
                    None => value.push('\\'),
                }
            } else {
                value.push(c);
            }
        }
        if *next >= lines.len() {
            return None;
        }
        value.push('\n');
        current = lines[*next].trim_end_matches('\r').to_string();
        *next += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(text: &str) -> Vec<(String, String)> {
        parse(text, "t")
            .unwrap()
            .into_iter()
            .map(|a| (a.key, a.value.to_string()))
            .collect()
    }

    #[test]
    fn forms() {
        let text = "# c\n\nA=1\nexport B = two words # note\nC='a \"b\" $c'\nD=\"x\\ny\\\"z\"\nE=\"multi\nline\"\nF=\nG=a#b\n";
        assert_eq!(
            pairs(text),
            vec![
                ("A".into(), "1".into()),
                ("B".into(), "two words".into()),
                ("C".into(), "a \"b\" $c".into()),
                ("D".into(), "x\ny\"z".into()),
                ("E".into(), "multi\nline".into()),
                ("F".into(), "".into()),
                ("G".into(), "a#b".into()),
            ]
        );
    }

    #[test]
    fn errors_name_the_line_not_the_value() {
        let err = parse("A=1\nnot an assignment\n", "f.env").unwrap_err();
        assert!(err.to_string().starts_with("f.env:2:"));
        let err = parse("A='secret-value\n", "f.env").unwrap_err();
        assert!(!err.to_string().contains("secret-value"));
        assert!(parse("1A=x", "f").is_err());
        assert!(parse("A=\"x\" junk", "f").is_err());
    }
}

/// Property tests: the parser never panics, and every value
/// `exec::dotenv_quote` writes reads back exactly, alone or in a file of
/// many lines, with or without `export`.
#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;
    use crate::exec::dotenv_quote;

    /// Values rich in quotes, backslashes, dollars, newlines and comments.
    fn value_like() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop_oneof![
                "[a-zA-Z0-9 ]{0,4}",
                prop::sample::select(vec![
                    "'", "\"", "\\", "\\\\", "$", "${X}", "`", "#", " #", "\n", "\t", "=", "\\n",
                    "export ", "é", "😀",
                ])
                .prop_map(str::to_string),
            ],
            0..12,
        )
        .prop_map(|parts| parts.concat())
    }

    proptest! {
        #[test]
        fn any_text_parses_or_fails_without_panicking(text in any::<String>()) {
            let _ = parse(&text, "fuzz");
        }

        #[test]
        fn quoted_values_round_trip(
            values in prop::collection::vec(("[A-Z_][A-Z0-9_]{0,8}", value_like()), 1..6),
            export in any::<bool>(),
        ) {
            let mut file = String::new();
            for (key, value) in &values {
                if export {
                    file.push_str("export ");
                }
                file.push_str(key);
                file.push('=');
                file.push_str(std::str::from_utf8(&dotenv_quote(value.as_bytes())).unwrap());
                file.push_str("\n# a comment\n\n");
            }
            let parsed = parse(&file, "t").unwrap();
            prop_assert_eq!(parsed.len(), values.len());
            for (a, (key, value)) in parsed.iter().zip(&values) {
                prop_assert_eq!(&a.key, key);
                prop_assert_eq!(a.value.as_str(), value.as_str(), "file:\n{}", file);
            }
        }
    }
}
