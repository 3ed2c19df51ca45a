//! Handing secrets to programs (SPEC section 6): the selection syntax of
//! `-s` and `sm://` references, env files, reading every referenced secret
//! in parallel, naming the variables, quoting them for dotenv and shell
//! output, and rendering `{{ sm://... }}` templates for `sm inject`.
//!
//! The core never runs the program: `sm exec` (in the command line) builds
//! the environment from [`Resolution::variables`] and replaces itself.

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;
use zeroize::Zeroizing;

use crate::audit::{self, Event};
use crate::crypto::{Identity, SecretBytes};
use crate::error::{Error, Result};
use crate::store::name::{validate_label, validate_name};
use crate::store::{GetRequest, Selector, Store};

/// The scheme of a reference inside an env file or a template.
pub const SCHEME: &str = "sm://";

/// A reference to a secret's value: `NAME[#field][?label=L|?version=ID]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    /// The secret's name.
    pub name: String,
    /// A top-level field of a JSON secret.
    pub field: Option<String>,
    /// Which version.
    pub selector: Selector,
}

/// How a secret's value becomes variables.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Naming {
    /// Names derived from the secret: one per field of a JSON secret, else
    /// the last path segment (or the field, for `NAME#field`), each after
    /// the prefix.
    Auto {
        /// Prepended to every derived name (`-s NAME:PREFIX`).
        prefix: String,
    },
    /// Exactly one variable with this name (`-s NAME=VAR`, `VAR=sm://NAME`).
    Var(String),
}

/// One source of variables, in the order given.
#[derive(Debug)]
pub enum Item {
    /// A literal `VAR=value` line of an env file.
    Literal {
        /// The variable.
        var: String,
        /// Its value.
        value: Zeroizing<String>,
        /// Where it came from (`FILE:LINE`), for error messages.
        origin: String,
    },
    /// A secret to read.
    Secret {
        /// What to read.
        reference: Reference,
        /// How to name what it gives.
        naming: Naming,
        /// Where it came from (`-s SPEC` or `FILE:LINE`).
        origin: String,
    },
}

/// One environment variable to set.
pub struct Variable {
    /// Its name.
    pub name: String,
    /// Its value (any bytes but NUL), wiped on drop.
    pub value: SecretBytes,
    /// Where it came from, for error messages.
    pub origin: String,
}

impl std::fmt::Debug for Variable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Variable")
            .field("name", &self.name)
            .field("value", &"<redacted>")
            .field("origin", &self.origin)
            .finish()
    }
}

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

/// Splits `NAME#field`.
pub fn split_field(reference: &str) -> (&str, Option<&str>) {
    match reference.split_once('#') {
        Some((name, field)) => (name, Some(field)),
        None => (reference, None),
    }
}

/// Extracts a top-level field of a JSON object value: strings as their
/// text, anything else as compact JSON.
pub fn json_field(name: &str, value: &[u8], field: &str) -> Result<SecretBytes> {
    let not_object = || {
        Error::invalid(format!(
            "secret `{name}` is not a JSON object, so it has no field `{field}`"
        ))
    };
    let parsed: serde_json::Value = serde_json::from_slice(value).map_err(|_| not_object())?;
    let serde_json::Value::Object(map) = parsed else {
        return Err(not_object());
    };
    match map.get(field) {
        Some(value) => Ok(json_text(value)),
        None => Err(Error::not_found(format!(
            "secret `{name}` has no field `{field}`"
        ))),
    }
}

/// A JSON value as a variable holds it: a string's text, anything else as
/// compact JSON (`42`, `true`, `{"a":1}`).
fn json_text(value: &serde_json::Value) -> SecretBytes {
    match value {
        serde_json::Value::String(s) => Zeroizing::new(s.as_bytes().to_vec()),
        other => Zeroizing::new(other.to_string().into_bytes()),
    }
}

/// Turns a secret name, path segment or field into a variable name:
/// upper-cased ASCII letters and digits, everything else `_`, and a `_` in
/// front when it would start with a digit.
pub fn variable_name(text: &str) -> String {
    let mut out: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

/// Tells whether `name` is a portable variable name: `[A-Za-z_][A-Za-z0-9_]*`.
pub fn is_variable_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn label_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')
}

/// Takes `?label=L` or `?version=ID` out of `text`, returning the rest and
/// the selector. With `anywhere`, text may follow the query (`-s` accepts
/// `NAME?label=L=VAR` as well as `NAME=VAR?label=L`).
fn take_query<'a>(text: &'a str, anywhere: bool, whole: &str) -> Result<(String, Selector)> {
    let Some((before, query)) = text.split_once('?') else {
        return Ok((text.to_string(), Selector::Current));
    };
    let bad = |why: &str| Error::invalid(format!("`{whole}`: {why}"));
    let (key, value) = query
        .split_once('=')
        .ok_or_else(|| bad("expected ?label=L or ?version=ID"))?;
    let end = value.find(|c| !label_char(c)).unwrap_or(value.len());
    let (value, tail): (&'a str, &'a str) = value.split_at(end);
    if (!anywhere && !tail.is_empty()) || tail.contains('?') {
        return Err(bad("expected ?label=L or ?version=ID at the end"));
    }
    if value.is_empty() {
        return Err(bad("the label or version after ? is empty"));
    }
    let selector = match key {
        "label" => Selector::Label(validate_label(value)?),
        "version" => Selector::Version(value.to_string()),
        _ => return Err(bad("expected ?label=L or ?version=ID")),
    };
    Ok((format!("{before}{tail}"), selector))
}

fn parse_name_field(text: &str, whole: &str) -> Result<(String, Option<String>)> {
    let (name, field) = split_field(text);
    validate_name(name)?;
    if field.is_some_and(str::is_empty) {
        return Err(Error::invalid(format!(
            "`{whole}`: the field after # is empty"
        )));
    }
    Ok((name.to_string(), field.map(str::to_string)))
}

impl Reference {
    /// Parses `NAME[#field][?label=L|?version=ID]`.
    pub fn parse(text: &str) -> Result<Reference> {
        let (rest, selector) = take_query(text, false, text)?;
        let (name, field) = parse_name_field(&rest, text)?;
        Ok(Reference {
            name,
            field,
            selector,
        })
    }

    /// Parses `sm://NAME[#field][?...]`, or returns None when `text` is not
    /// a reference.
    pub fn parse_url(text: &str) -> Option<Result<Reference>> {
        text.strip_prefix(SCHEME).map(Reference::parse)
    }
}

/// Parses one `-s` argument:
/// `NAME[#field][=VAR|:PREFIX][?label=L|?version=ID]`.
///
/// Names may hold `=`, so `=VAR` is taken from the last `=` and only when
/// what follows is a variable name; `NAME=VAR` of a secret whose name ends
/// in `=X` is written `NAME=X=VAR`.
pub fn parse_selection(spec: &str) -> Result<Item> {
    let origin = format!("-s {spec}");
    let (rest, selector) = take_query(spec, true, spec)?;
    let (reference_text, naming) = if let Some((r, prefix)) = rest.rsplit_once(':') {
        if !prefix
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            return Err(Error::invalid(format!(
                "`{spec}`: the prefix `{prefix}` may hold only letters, digits and _"
            )));
        }
        (
            r,
            Naming::Auto {
                prefix: prefix.to_string(),
            },
        )
    } else {
        match rest.rsplit_once('=') {
            Some((r, var)) if is_variable_name(var) => (r, Naming::Var(var.to_string())),
            _ => (
                rest.as_str(),
                Naming::Auto {
                    prefix: String::new(),
                },
            ),
        }
    };
    let (name, field) = parse_name_field(reference_text, spec)?;
    Ok(Item::Secret {
        reference: Reference {
            name,
            field,
            selector,
        },
        naming,
        origin,
    })
}

/// Parses an env file: `VAR=value` lines are literals, values starting
/// with `sm://` are references (quoted or not). `source` names the file in
/// errors, which never quote a value.
pub fn parse_env_file(text: &str, source: &str) -> Result<Vec<Item>> {
    let mut items = Vec::new();
    for assignment in crate::dotenv::parse(text, source)? {
        let origin = format!("{source}:{}", assignment.line);
        match Reference::parse_url(&assignment.value) {
            Some(reference) => {
                let reference = reference.map_err(|e| Error::invalid(format!("{origin}: {e}")))?;
                items.push(Item::Secret {
                    reference,
                    naming: Naming::Var(assignment.key),
                    origin,
                });
            }
            None => items.push(Item::Literal {
                var: assignment.key,
                value: assignment.value,
                origin,
            }),
        }
    }
    Ok(items)
}

/// What became of one secret read, for the log.
#[derive(Clone, Debug)]
pub struct ReadRecord {
    /// The secret.
    pub name: String,
    /// The version read and its labels, when the read succeeded.
    pub version: Option<(String, Vec<String>)>,
    /// The fields used, if only fields were.
    pub fields: Vec<String>,
    /// `ok` or the failure's kind ([`audit::outcome_of`]).
    pub outcome: &'static str,
}

/// Every value a set of references asks for, read in parallel.
pub struct Reads {
    /// One record per distinct (secret, version selector), first use first.
    pub records: Vec<ReadRecord>,
    values: Vec<Result<SecretBytes>>,
    index: Vec<usize>,
}

/// Reads every distinct secret version the references name, in parallel,
/// with one store and one identity. A secret named twice (two fields, say)
/// is read once.
pub fn read_all(store: &Store, identity: &Identity, references: &[&Reference]) -> Reads {
    read_all_with(store, identity, references, &mut |_| {})
}

/// Like [`read_all`], calling `on_read` with each record, in order, as soon
/// as it and those before it are read (so their log entries can be signed
/// while the other reads go on).
pub fn read_all_with(
    store: &Store,
    identity: &Identity,
    references: &[&Reference],
    on_read: &mut dyn FnMut(&ReadRecord),
) -> Reads {
    let mut keys: Vec<(&str, &Selector)> = Vec::new();
    let mut index = Vec::with_capacity(references.len());
    let mut fields: Vec<Vec<String>> = Vec::new();
    let mut whole: Vec<bool> = Vec::new();
    for r in references {
        let key = (r.name.as_str(), &r.selector);
        let at = match keys.iter().position(|k| *k == key) {
            Some(at) => at,
            None => {
                keys.push(key);
                fields.push(Vec::new());
                whole.push(false);
                keys.len() - 1
            }
        };
        match &r.field {
            Some(f) if !fields[at].contains(f) => fields[at].push(f.clone()),
            Some(_) => {}
            None => whole[at] = true,
        }
        index.push(at);
    }
    let used_fields: Vec<Vec<String>> = fields
        .into_iter()
        .zip(&whole)
        .map(|(f, whole)| if *whole { Vec::new() } else { f })
        .collect();
    let read = |(name, selector): &(&str, &Selector)| {
        store.get(
            identity,
            &GetRequest {
                name,
                selector: (*selector).clone(),
            },
        )
    };
    let record = |at: usize, result: &Result<crate::store::Got>| ReadRecord {
        name: keys[at].0.to_string(),
        version: result
            .as_ref()
            .ok()
            .map(|got| (got.version_id.clone(), got.labels.clone())),
        fields: used_fields[at].clone(),
        outcome: match result {
            Ok(_) => "ok",
            Err(err) => audit::outcome_of(err),
        },
    };
    let mut slots: Vec<Option<Result<crate::store::Got>>> = Vec::new();
    slots.resize_with(keys.len(), || None);
    let mut records = Vec::with_capacity(keys.len());
    if keys.len() < 2 {
        for (at, key) in keys.iter().enumerate() {
            let result = read(key);
            records.push(record(at, &result));
            on_read(&records[at]);
            slots[at] = Some(result);
        }
    } else {
        // The reads run on rayon's threads; this one takes them in order.
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::scope(|scope| {
            scope.spawn(|| {
                keys.par_iter()
                    .enumerate()
                    .for_each_with(tx, |tx, (at, key)| {
                        let _ = tx.send((at, read(key)));
                    });
            });
            for (at, result) in rx {
                slots[at] = Some(result);
                while let Some(Some(result)) = slots.get(records.len()) {
                    let next = record(records.len(), result);
                    on_read(&next);
                    records.push(next);
                }
            }
        });
    }
    let values = slots
        .into_iter()
        .map(|slot| slot.expect("every read reported").map(|got| got.value))
        .collect();
    Reads {
        records,
        values,
        index,
    }
}

impl Reads {
    /// Returns the value for the `i`-th reference given to [`read_all`],
    /// with its field applied, or the first error among all the reads.
    fn value(&self, i: usize, reference: &Reference) -> Result<SecretBytes> {
        let value = self.values[self.index[i]]
            .as_ref()
            .map_err(|_| Error::Other("a read failed".into()))?;
        match &reference.field {
            Some(field) => json_field(&reference.name, value, field),
            None => Ok(value.clone()),
        }
    }

    /// Takes the first failed read's error, in the order the references
    /// were given.
    fn take_error(&mut self) -> Option<Error> {
        let mut seen = Vec::new();
        for &at in &self.index {
            if seen.contains(&at) {
                continue;
            }
            seen.push(at);
            if self.values[at].is_err() {
                let failed = std::mem::replace(&mut self.values[at], Ok(Zeroizing::default()));
                return failed.err();
            }
        }
        None
    }

    /// Builds one log entry per secret read.
    pub fn events(&self, op: &str, program: Option<&str>, aborted: bool) -> Vec<Event> {
        self.records
            .iter()
            .map(|r| r.event(op, program, aborted))
            .collect()
    }
}

impl ReadRecord {
    /// The log entry of this read for command `op`; `aborted` notes that
    /// another reference failed, so the value was not delivered.
    pub fn event(&self, op: &str, program: Option<&str>, aborted: bool) -> Event {
        let mut event = Event::ok(op, Some(&self.name));
        if let Some((id, labels)) = &self.version {
            event = event.version(id, labels);
        }
        event.outcome = self.outcome.to_string();
        event.program = program.map(str::to_string);
        let mut notes = Vec::new();
        if !self.fields.is_empty() {
            notes.push(format!("fields {}", self.fields.join(",")));
        }
        if aborted && self.outcome == "ok" {
            notes.push("not delivered: another reference failed".to_string());
        }
        if !notes.is_empty() {
            event.detail = Some(notes.join("; "));
        }
        event
    }
}

/// The outcome of resolving a selection: what was read (for the log) and
/// the variables, or the first failure.
pub struct Resolution {
    /// What was read.
    pub reads: Reads,
    /// The variables in the order their sources were given, or the error
    /// that stops the program from starting.
    pub variables: Result<Vec<Variable>>,
}

/// Reads every secret the items name and turns them into variables.
/// Duplicate names are an error unless `allow_override` (the last wins).
pub fn resolve(
    store: &Store,
    identity: &Identity,
    items: Vec<Item>,
    allow_override: bool,
) -> Resolution {
    resolve_with(store, identity, items, allow_override, &mut |_| {})
}

/// Like [`resolve`], calling `on_read` with each read's record in order as
/// it completes (see [`read_all_with`]).
pub fn resolve_with(
    store: &Store,
    identity: &Identity,
    items: Vec<Item>,
    allow_override: bool,
    on_read: &mut dyn FnMut(&ReadRecord),
) -> Resolution {
    let references: Vec<&Reference> = items
        .iter()
        .filter_map(|item| match item {
            Item::Secret { reference, .. } => Some(reference),
            Item::Literal { .. } => None,
        })
        .collect();
    let mut reads = read_all_with(store, identity, &references, on_read);
    let variables = match reads.take_error() {
        Some(err) => Err(err),
        None => name_variables(&reads, &items, allow_override),
    };
    Resolution { reads, variables }
}

fn name_variables(reads: &Reads, items: &[Item], allow_override: bool) -> Result<Vec<Variable>> {
    let mut out: Vec<Variable> = Vec::new();
    let mut positions: HashMap<String, usize> = HashMap::new();
    let mut add = |var: Variable| -> Result<()> {
        if var.value.contains(&0) {
            return Err(Error::invalid(format!(
                "{}: the value for `{}` holds a NUL byte, which an environment variable cannot carry",
                var.origin, var.name
            ))
            .with_hint("read binary secrets with `sm get` or `sm inject` instead"));
        }
        match positions.get(&var.name) {
            Some(&at) if allow_override => out[at] = var,
            Some(&at) => {
                return Err(Error::invalid(format!(
                    "variable `{}` is set by both `{}` and `{}`",
                    var.name, out[at].origin, var.origin
                ))
                .with_hint("drop one of them, or pass --override to let the last one win"));
            }
            None => {
                positions.insert(var.name.clone(), out.len());
                out.push(var);
            }
        }
        Ok(())
    };
    let mut i = 0;
    for item in items {
        match item {
            Item::Literal { var, value, origin } => add(Variable {
                name: var.clone(),
                value: Zeroizing::new(value.as_bytes().to_vec()),
                origin: origin.clone(),
            })?,
            Item::Secret {
                reference,
                naming,
                origin,
            } => {
                let value = reads.value(i, reference)?;
                i += 1;
                for (name, value) in names_for(reference, naming, value)? {
                    add(Variable {
                        name,
                        value,
                        origin: origin.clone(),
                    })?;
                }
            }
        }
    }
    Ok(out)
}

/// Names the variables one secret gives.
fn names_for(
    reference: &Reference,
    naming: &Naming,
    value: SecretBytes,
) -> Result<Vec<(String, SecretBytes)>> {
    let prefix = match naming {
        Naming::Var(var) => return Ok(vec![(var.clone(), value)]),
        Naming::Auto { prefix } => prefix,
    };
    let named = |base: &str| -> Result<String> {
        let name = variable_name(&format!("{prefix}{base}"));
        if name.is_empty() {
            return Err(Error::invalid(format!(
                "cannot name a variable after `{}`",
                reference.name
            ))
            .with_hint("name it with -s NAME=VAR"));
        }
        Ok(name)
    };
    if let Some(field) = &reference.field {
        return Ok(vec![(named(field)?, value)]);
    }
    if let Ok(serde_json::Value::Object(map)) = serde_json::from_slice::<serde_json::Value>(&value)
    {
        return map
            .iter()
            .map(|(key, field)| Ok((named(key)?, json_text(field))))
            .collect();
    }
    let last = reference.name.rsplit('/').next().unwrap_or(&reference.name);
    Ok(vec![(named(last)?, value)])
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
            for var in variables {
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
/// the first failure (nothing rendered).
pub fn render_template(
    store: &Store,
    identity: &Identity,
    template: &[u8],
    pieces: &[Piece],
) -> (Reads, Result<Zeroizing<Vec<u8>>>) {
    let references: Vec<&Reference> = pieces
        .iter()
        .filter_map(|p| match p {
            Piece::Reference(r) => Some(r),
            Piece::Text(_) => None,
        })
        .collect();
    let mut reads = read_all(store, identity, &references);
    if let Some(err) = reads.take_error() {
        return (reads, Err(err));
    }
    let mut out = Zeroizing::new(Vec::with_capacity(template.len()));
    let mut i = 0;
    for piece in pieces {
        match piece {
            Piece::Text(range) => out.extend_from_slice(&template[range.clone()]),
            Piece::Reference(r) => {
                match reads.value(i, r) {
                    Ok(value) => out.extend_from_slice(&value),
                    Err(err) => return (reads, Err(err)),
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

    fn secret(item: Item) -> (Reference, Naming) {
        match item {
            Item::Secret {
                reference, naming, ..
            } => (reference, naming),
            Item::Literal { .. } => panic!("expected a secret"),
        }
    }

    fn auto(prefix: &str) -> Naming {
        Naming::Auto {
            prefix: prefix.into(),
        }
    }

    #[test]
    fn selection_forms() {
        let (r, n) = secret(parse_selection("prod/db").unwrap());
        assert_eq!(
            (r.name.as_str(), r.field, r.selector),
            ("prod/db", None, Selector::Current)
        );
        assert_eq!(n, auto(""));
        let (r, n) = secret(parse_selection("prod/db:DB_").unwrap());
        assert_eq!(r.name, "prod/db");
        assert_eq!(n, auto("DB_"));
        let (r, n) = secret(parse_selection("prod/db#password=PGPASSWORD").unwrap());
        assert_eq!(r.field.as_deref(), Some("password"));
        assert_eq!(n, Naming::Var("PGPASSWORD".into()));
        let (r, n) = secret(parse_selection("k=TOKEN?label=previous").unwrap());
        assert_eq!(r.name, "k");
        assert_eq!(r.selector, Selector::Label("previous".into()));
        assert_eq!(n, Naming::Var("TOKEN".into()));
        let (r, n) = secret(parse_selection("k?version=0190-ab=TOKEN").unwrap());
        assert_eq!(r.selector, Selector::Version("0190-ab".into()));
        assert_eq!(n, Naming::Var("TOKEN".into()));
        // A name holding `=` whose tail is not a variable name stays whole.
        let (r, _) = secret(parse_selection("a=b-c").unwrap());
        assert_eq!(r.name, "a=b-c");
        assert!(parse_selection("k?colour=red").is_err());
        assert!(parse_selection("k:bad-prefix").is_err());
        assert!(parse_selection("../x").is_err());
        assert!(parse_selection("k#").is_err());
    }

    #[test]
    fn references() {
        let r = Reference::parse_url("sm://a/b#f?label=staging")
            .unwrap()
            .unwrap();
        assert_eq!(r.name, "a/b");
        assert_eq!(r.field.as_deref(), Some("f"));
        assert_eq!(r.selector, Selector::Label("staging".into()));
        assert!(Reference::parse_url("postgres://x").is_none());
        assert!(Reference::parse_url("sm://a?label=x y").unwrap().is_err());
    }

    #[test]
    fn env_file_literals_and_references() {
        let text = "# c\nexport A=plain\nB=\"sm://x/y#f\"\nC='sm://z?version=v1'\n";
        let items = parse_env_file(text, "f.env").unwrap();
        assert_eq!(items.len(), 3);
        assert!(
            matches!(&items[0], Item::Literal { var, value, .. } if var == "A" && value.as_str() == "plain")
        );
        let Item::Secret {
            reference,
            naming,
            origin,
        } = &items[1]
        else {
            panic!()
        };
        assert_eq!(reference.name, "x/y");
        assert_eq!(naming, &Naming::Var("B".into()));
        assert_eq!(origin, "f.env:3");
        let err = parse_env_file("A=sm://../x\n", "f.env").unwrap_err();
        assert!(err.to_string().starts_with("f.env:1:"));
    }

    #[test]
    fn naming() {
        assert_eq!(variable_name("api-key"), "API_KEY");
        assert_eq!(variable_name("db.host name"), "DB_HOST_NAME");
        assert_eq!(variable_name("1st"), "_1ST");
        assert_eq!(variable_name("café"), "CAF_");
        let r = Reference::parse("prod/api-key").unwrap();
        let got = names_for(&r, &auto(""), Zeroizing::new(b"v".to_vec())).unwrap();
        assert_eq!(got[0].0, "API_KEY");
        let json = br#"{"user-name":"u","port":5432,"tls":true,"opts":{"a":[1,2]}}"#;
        let r = Reference::parse("prod/db").unwrap();
        let got = names_for(&r, &auto("DB_"), Zeroizing::new(json.to_vec())).unwrap();
        let pairs: Vec<(String, String)> = got
            .into_iter()
            .map(|(n, v)| (n, String::from_utf8(v.to_vec()).unwrap()))
            .collect();
        assert_eq!(
            pairs,
            vec![
                ("DB_OPTS".into(), r#"{"a":[1,2]}"#.into()),
                ("DB_PORT".into(), "5432".into()),
                ("DB_TLS".into(), "true".into()),
                ("DB_USER_NAME".into(), "u".into()),
            ]
        );
    }

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
            let parsed = crate::dotenv::parse(std::str::from_utf8(&line).unwrap(), "t").unwrap();
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

/// Property tests: the shell quoting round-trips through a POSIX word
/// splitter, and the reference, selection, env-file and template parsers
/// never panic on any input.
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

        #[test]
        fn reference_and_selection_parsers_never_panic(text in any::<String>()) {
            let _ = Reference::parse(&text);
            let _ = Reference::parse_url(&text);
            let _ = parse_selection(&text);
            let _ = split_field(&text);
            let _ = variable_name(&text);
            let _ = json_field("t", text.as_bytes(), "f");
        }

        #[test]
        fn env_files_and_templates_never_panic(
            parts in prop::collection::vec(
                prop_oneof![
                    any::<String>(),
                    prop::sample::select(vec![
                        "A=sm://", "sm://a#b", "?label=", "?version=", "{{", "}}", "{{ sm://x }}",
                        "\n", "=", "#", "\"", "'",
                    ]).prop_map(str::to_string),
                ],
                0..10,
            )
        ) {
            let text = parts.concat();
            let _ = parse_env_file(&text, "t");
            let _ = parse_template(text.as_bytes(), "t");
        }
    }
}
