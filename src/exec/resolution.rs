//! Reading every secret a selection names (in parallel, each distinct
//! version once) and turning the values into named variables, with the
//! records the log needs.

use std::collections::HashMap;

use rayon::prelude::*;
use zeroize::Zeroizing;

use super::selection::{json_field, json_text, variable_name};
use super::{Item, Naming, Reference, Variable};
use crate::audit::{self, Event};
use crate::crypto::{Identity, SecretBytes};
use crate::error::{Error, Result};
use crate::store::{GetRequest, Selector, Store};

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
    pub(super) fn value(&self, i: usize, reference: &Reference) -> Result<SecretBytes> {
        let value = self.values[self.index[i]]
            .as_ref()
            .map_err(|_| Error::Other("a read failed".into()))?;
        match &reference.field {
            Some(field) => json_field(&reference.name, value, field),
            None => Ok(value.clone()),
        }
    }

    /// The position, among the references given to [`read_all`], of the
    /// first one whose read failed (the one [`Reads::take_error`] reports).
    pub(super) fn first_failure(&self) -> Option<usize> {
        self.index.iter().position(|&at| self.values[at].is_err())
    }

    /// Takes the first failed read's error, in the order the references
    /// were given.
    pub(super) fn take_error(&mut self) -> Option<Error> {
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
    /// another reference failed or a check refused a value, so the value was
    /// not delivered.
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
            notes.push("not delivered: the selection failed".to_string());
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
                implicit: None,
            })?,
            Item::Secret {
                reference,
                naming,
                origin,
            } => {
                let value = reads.value(i, reference)?;
                i += 1;
                let implicit = match naming {
                    Naming::Auto { .. } => Some(reference.name.clone()),
                    Naming::Var(_) => None,
                };
                for (name, value) in names_for(reference, naming, value)? {
                    add(Variable {
                        name,
                        value,
                        origin: origin.clone(),
                        implicit: implicit.clone(),
                    })?;
                }
            }
        }
    }
    Ok(out)
}

/// Fails (exit 2) when a variable named implicitly (after a JSON field or
/// the last path segment) would replace one of `inherited`, the variables
/// the program would otherwise inherit. Explicit names (`=VAR`, env-file
/// lines) replace what they name.
pub fn check_inherited(variables: &[Variable], inherited: &[String]) -> Result<()> {
    for var in variables {
        let Some(secret) = &var.implicit else {
            continue;
        };
        if inherited.contains(&var.name) {
            return Err(Error::invalid(format!(
                "secret `{secret}` (`{}`) would replace the inherited variable `{}`",
                var.origin, var.name
            ))
            .with_hint(format!(
                "name its variables with -s {secret}:PREFIX or -s {secret}#field=VAR, \
                 or pass --override to replace `{}`",
                var.name
            )));
        }
    }
    Ok(())
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
        // By field name, whatever the document's order.
        let mut fields: Vec<_> = map.iter().collect();
        fields.sort_by(|a, b| a.0.cmp(b.0));
        return fields
            .into_iter()
            .map(|(key, field)| Ok((named(key)?, json_text(field))))
            .collect();
    }
    let last = reference.name.rsplit('/').next().unwrap_or(&reference.name);
    Ok(vec![(named(last)?, value)])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auto(prefix: &str) -> Naming {
        Naming::Auto {
            prefix: prefix.into(),
        }
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
}
