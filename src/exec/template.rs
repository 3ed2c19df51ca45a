//! `{{ sm://NAME[#field][?...] }}` templates for `sm inject`: parsing,
//! rendering once every reference is read, and writing the result to a
//! private file.

use std::path::Path;

use zeroize::Zeroizing;

use super::resolution::{Reads, read_all};
use super::{Reference, SCHEME};
use crate::crypto::Identity;
use crate::error::{Error, Result};
use crate::store::Store;

/// One piece of a template.
#[derive(Debug)]
pub enum Piece {
    /// Bytes copied as they are.
    Text(std::ops::Range<usize>),
    /// A `{{ sm://... }}` to replace.
    Reference(Reference),
}

/// Splits a template into text and `{{ sm://NAME[#field][?...] }}`
/// references (spaces inside the braces optional). A `{{` not followed by
/// `sm://` is left alone, so templates of other tools pass through.
pub fn parse_template(template: &[u8], source: &str) -> Result<Vec<Piece>> {
    let mut pieces = Vec::new();
    let mut text_start = 0;
    let mut pos = 0;
    while let Some(found) = find(&template[pos..], b"{{") {
        let open = pos + found;
        let mut inner = open + 2;
        while template
            .get(inner)
            .is_some_and(|b| *b == b' ' || *b == b'\t')
        {
            inner += 1;
        }
        if !template[inner..].starts_with(SCHEME.as_bytes()) {
            pos = open + 2;
            continue;
        }
        let line = 1 + template[..open].iter().filter(|b| **b == b'\n').count();
        let close = find(&template[inner..], b"}}")
            .map(|c| inner + c)
            .ok_or_else(|| {
                Error::invalid(format!("{source}:{line}: `{{{{` is not closed by `}}}}`"))
            })?;
        let text = std::str::from_utf8(&template[inner..close])
            .map_err(|_| Error::invalid(format!("{source}:{line}: the reference is not UTF-8")))?
            .trim_end_matches([' ', '\t']);
        let reference = Reference::parse_url(text)
            .expect("starts with the scheme")
            .map_err(|e| Error::invalid(format!("{source}:{line}: {e}")))?;
        pieces.push(Piece::Text(text_start..open));
        pieces.push(Piece::Reference(reference));
        pos = close + 2;
        text_start = pos;
    }
    pieces.push(Piece::Text(text_start..template.len()));
    Ok(pieces)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Reads every reference of a parsed template and renders it, or returns
/// the first failure (nothing rendered), its message starting with
/// `SOURCE:LINE` of the reference at fault.
pub fn render_template(
    store: &Store,
    identity: &Identity,
    template: &[u8],
    pieces: &[Piece],
    source: &str,
) -> (Reads, Result<Zeroizing<Vec<u8>>>) {
    // A reference starts where the text piece before it ends.
    let mut lines = Vec::new();
    let mut text_end = 0;
    for piece in pieces {
        match piece {
            Piece::Text(range) => text_end = range.end,
            Piece::Reference(_) => {
                lines.push(1 + template[..text_end].iter().filter(|b| **b == b'\n').count())
            }
        }
    }
    let at = |i: usize| format!("{source}:{}", lines.get(i).copied().unwrap_or(0));
    let references: Vec<&Reference> = pieces
        .iter()
        .filter_map(|p| match p {
            Piece::Reference(r) => Some(r),
            Piece::Text(_) => None,
        })
        .collect();
    let mut reads = read_all(store, identity, &references);
    if let Some(i) = reads.first_failure() {
        let err = reads.take_error().expect("a read failed");
        return (reads, Err(err.located(&at(i))));
    }
    let mut out = Zeroizing::new(Vec::with_capacity(template.len()));
    let mut i = 0;
    for piece in pieces {
        match piece {
            Piece::Text(range) => out.extend_from_slice(&template[range.clone()]),
            Piece::Reference(r) => {
                match reads.value(i, r) {
                    Ok(value) => out.extend_from_slice(&value),
                    Err(err) => return (reads, Err(err.located(&at(i)))),
                }
                i += 1;
            }
        }
    }
    (reads, Ok(out))
}

/// Writes `data` to `path` readable by its owner only (0600), through a
/// temp file in the same folder renamed over the target, so a reader never
/// sees half a file and an older file's looser mode does not survive.
pub fn write_private(path: &Path, data: &[u8]) -> Result<()> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let file_name = path
        .file_name()
        .ok_or_else(|| Error::invalid(format!("{} is not a file name", path.display())))?
        .to_string_lossy()
        .into_owned();
    let temp = dir.join(format!(".{file_name}.sm-tmp-{}", std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let result = (|| {
        let mut file = options
            .open(&temp)
            .map_err(|e| Error::io("cannot create", &temp, e))?;
        file.write_all(data)
            .map_err(|e| Error::io("cannot write", &temp, e))?;
        file.sync_all()
            .map_err(|e| Error::io("cannot sync", &temp, e))?;
        std::fs::rename(&temp, path).map_err(|e| Error::io("cannot replace", path, e))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Selector;

    #[test]
    fn templates() {
        let t = b"user={{ sm://db#user }}\npass={{sm://db#pass?label=previous}}\nhelm={{ .Values.x }}\n";
        let pieces = parse_template(t, "t").unwrap();
        let refs: Vec<&Reference> = pieces
            .iter()
            .filter_map(|p| match p {
                Piece::Reference(r) => Some(r),
                Piece::Text(_) => None,
            })
            .collect();
        assert_eq!(refs.len(), 2);
        assert_eq!(refs[1].selector, Selector::Label("previous".into()));
        let err = parse_template(b"a\n{{ sm://x", "t").unwrap_err();
        assert!(err.to_string().starts_with("t:2:"));
    }
}

/// Property tests: the template parser never panics on any input.
#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn templates_never_panic(
            parts in prop::collection::vec(
                prop_oneof![
                    any::<String>(),
                    prop::sample::select(vec![
                        "sm://a#b", "?label=", "?version=", "{{", "}}", "{{ sm://x }}", "{{sm://",
                        "\n", "#", "\"", "'", " ",
                    ]).prop_map(str::to_string),
                ],
                0..10,
            )
        ) {
            let _ = parse_template(parts.concat().as_bytes(), "t");
        }
    }
}
