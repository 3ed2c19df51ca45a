//! The output formats of `sm env`: dotenv and shell quoting that read back
//! exactly, and a JSON object of name to value.

use zeroize::Zeroizing;

use super::Variable;
use crate::error::{Error, Result};

/// The formats of `sm env`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `VAR='value'` lines for `.env` readers and `set -a; . FILE`.
    Dotenv,
    /// `export VAR='value'` lines for `eval`.
    Shell,
    /// One JSON object of name to value.
    Json,
}

/// Quotes a value for a POSIX shell: single quotes, with `'` written as
/// `'\''`. Every byte but NUL round-trips.
pub fn shell_quote(value: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(value.len() + 2);
    out.push(b'\'');
    for &b in value {
        if b == b'\'' {
            out.extend_from_slice(b"'\\''");
        } else {
            out.push(b);
        }
    }
    out.push(b'\'');
    out
}

/// Quotes a value for a `.env` file that both a POSIX shell (`set -a; .
/// FILE`) and dotenv parsers read back exactly.
///
/// Single quotes are literal in a shell and in dotenv parsers (python-dotenv
/// decodes only `\\` and `\'` in them), so a value without `'`, without
/// `\\` and not ending in `\` is written in single quotes. Any other value
/// goes in double quotes with `\`, `"`, `$` and `` ` `` escaped by a
/// backslash, which a shell and sm's own reader undo exactly.
pub fn dotenv_quote(value: &[u8]) -> Vec<u8> {
    let single_safe = !value.contains(&b'\'')
        && !value.windows(2).any(|w| w == b"\\\\")
        && value.last() != Some(&b'\\');
    if single_safe {
        let mut out = Vec::with_capacity(value.len() + 2);
        out.push(b'\'');
        out.extend_from_slice(value);
        out.push(b'\'');
        return out;
    }
    let mut out = Vec::with_capacity(value.len() + 8);
    out.push(b'"');
    for &b in value {
        if matches!(b, b'\\' | b'"' | b'$' | b'`') {
            out.push(b'\\');
        }
        out.push(b);
    }
    out.push(b'"');
    out
}

/// Tells whether dotenv readers other than a shell read [`dotenv_quote`]'s
/// spelling of `value` exactly. A value holding `'` or `\\` must go in
/// double quotes, where a shell needs `$` and `` ` `` escaped and
/// python-dotenv keeps those backslashes (and expands `${..}`): no spelling
/// suits both when the value holds `$` or `` ` `` too. python-dotenv also
/// takes a trailing `\` before the closing quote for an escaped quote,
/// expands `${NAME}` inside any quotes, and turns carriage returns into
/// newlines.
pub fn dotenv_portable(value: &[u8]) -> bool {
    let needs_double = value.contains(&b'\'') || value.windows(2).any(|w| w == b"\\\\");
    let expands = value.contains(&b'$') || value.contains(&b'`');
    !(needs_double && expands
        || value.last() == Some(&b'\\')
        || value.contains(&b'\r')
        || value.windows(2).any(|w| w == b"${"))
}

/// Renders variables in a format for `sm env`. JSON needs UTF-8 values.
pub fn render_env(variables: &[Variable], format: Format) -> Result<Zeroizing<Vec<u8>>> {
    let mut out = Zeroizing::new(Vec::new());
    match format {
        Format::Dotenv | Format::Shell => {
            for var in variables {
                if format == Format::Shell {
                    out.extend_from_slice(b"export ");
                }
                out.extend_from_slice(var.name.as_bytes());
                out.push(b'=');
                let quoted = Zeroizing::new(if format == Format::Shell {
                    shell_quote(&var.value)
                } else {
                    dotenv_quote(&var.value)
                });
                out.extend_from_slice(&quoted);
                out.push(b'\n');
            }
        }
        Format::Json => {
            let mut map = serde_json::Map::new();
            // By variable name, as the other formats' callers expect.
            let mut sorted: Vec<_> = variables.iter().collect();
            sorted.sort_by(|a, b| a.name.cmp(&b.name));
            for var in sorted {
                let text = std::str::from_utf8(&var.value).map_err(|_| {
                    Error::invalid(format!(
                        "the value for `{}` is not UTF-8 text, which JSON cannot hold",
                        var.name
                    ))
                    .with_hint("use --format shell or dotenv")
                })?;
                map.insert(var.name.clone(), serde_json::Value::String(text.into()));
            }
            let value = serde_json::Value::Object(map);
            serde_json::to_writer_pretty(&mut *out, &value)
                .map_err(|e| Error::Other(format!("cannot write JSON: {e}")))?;
            out.push(b'\n');
            // serde_json's map holds copies of the values; wipe them.
            if let serde_json::Value::Object(map) = value {
                for (_, v) in map {
                    if let serde_json::Value::String(s) = v {
                        drop(Zeroizing::new(s));
                    }
                }
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(shell_quote(b"it's"), b"'it'\\''s'");
        assert_eq!(dotenv_quote(b"a $b `c` #d\ne"), b"'a $b `c` #d\ne'");
        assert_eq!(
            dotenv_quote(b"it's \"$x\" \\"),
            b"\"it's \\\"\\$x\\\" \\\\\""
        );
        // What dotenv_quote writes, sm's own reader reads back exactly.
        for value in [
            "plain",
            "it's",
            "a\\\\b",
            "ends\\",
            "$HOME `id` \"q\" 'q' # x\nline2\ttab",
            "",
        ] {
            let line = [b"V=".as_slice(), &dotenv_quote(value.as_bytes())].concat();
            let parsed =
                crate::exec::dotenv::parse(std::str::from_utf8(&line).unwrap(), "t").unwrap();
            assert_eq!(parsed[0].value.as_str(), value, "{value:?}");
        }
    }

    #[test]
    fn dotenv_portability() {
        assert!(dotenv_portable(b"$HOME `x` \"q\" # c\nl"));
        assert!(dotenv_portable(b"it's a \\ b"));
        assert!(!dotenv_portable(b"ends \\"));
        assert!(!dotenv_portable(b"${HOME}"));
        assert!(!dotenv_portable(b"it's $HOME"));
        assert!(!dotenv_portable(b"a\\\\b`x`"));
        assert!(!dotenv_portable(b"crlf\r\n"));
    }
}

/// Property tests: the shell quoting round-trips through a POSIX word
/// splitter.
#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn shell_quoted_values_split_back_to_one_exact_word(value in "[^\u{0}]{0,40}") {
            let quoted = String::from_utf8(shell_quote(value.as_bytes())).unwrap();
            let words = shell_words::split(&quoted).unwrap();
            prop_assert_eq!(words, vec![value]);
        }
    }
}
