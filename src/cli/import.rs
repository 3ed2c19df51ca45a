//! `sm import`: create secrets from a `.env` file or a JSON object.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use rayon::prelude::*;
use zeroize::Zeroizing;

use super::{CmdResult, Context, output};
use crate::Error;
use crate::audit::Event;
use crate::store::PutRequest;
use crate::store::fsio::{self, Durability};

/// Create secrets from a .env file or a JSON object of name to value, in one run
///
/// Each variable VAR of a .env file becomes the secret PREFIX/VAR (or VAR
/// without --prefix). A JSON file holds {"name": "value", ...}; non-string
/// values are stored as their JSON text; input whose first non-space byte
/// is `{` is read as JSON. Everything is validated before anything is
/// written, and an error names the entry's FILE:LINE. An empty value is
/// refused unless --skip-empty; a value equal to the secret's current one
/// writes no new version (reported as unchanged).
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The file to import (- for standard input)
    pub file: PathBuf,
    /// The file's format (default: json for *.json or input starting with `{`, else dotenv)
    #[arg(long, value_enum)]
    pub format: Option<ImportFormat>,
    /// Put every secret under PREFIX/
    #[arg(long, value_name = "P")]
    pub prefix: Option<String>,
    /// Skip entries with an empty value (with a note) instead of refusing
    #[arg(long)]
    pub skip_empty: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ImportFormat {
    Dotenv,
    Json,
}

pub fn run(ctx: &Context, args: ImportArgs) -> CmdResult {
    let text = read_input(&args.file)?;
    let stdin = args.file.as_os_str() == "-";
    let source = if stdin {
        "<stdin>".to_string()
    } else {
        args.file.display().to_string()
    };
    let format = args
        .format
        .unwrap_or_else(|| detect_format(&args.file, &text));
    // (name, value, line) for every entry.
    let entries: Vec<(String, Zeroizing<String>, usize)> = match format {
        ImportFormat::Dotenv => crate::exec::dotenv::parse(&text, &source)?
            .into_iter()
            .map(|a| (a.key, a.value, a.line))
            .collect(),
        ImportFormat::Json => parse_json(&text, &source)?,
    };
    let prefix = args.prefix.as_deref().map(|p| p.trim_end_matches('/'));
    let mut items = Vec::with_capacity(entries.len());
    let mut seen = std::collections::HashSet::new();
    let mut skipped = 0;
    for (key, value, line) in entries {
        let name = match prefix {
            Some(p) => format!("{p}/{key}"),
            None => key,
        };
        let at = |e: Error| at_line(e, &source, line);
        crate::store::name::validate_name(&name).map_err(at)?;
        crate::store::check_value_size(value.as_bytes()).map_err(at)?;
        if value.is_empty() {
            if args.skip_empty {
                output::note(
                    ctx.global.quiet,
                    format!("{source}:{line}: `{name}` is empty; skipped"),
                );
                skipped += 1;
                continue;
            }
            return Err(
                Error::invalid(format!("{source}:{line}: the value of `{name}` is empty"))
                    .with_hint("--skip-empty skips empty values")
                    .into(),
            );
        }
        if !seen.insert(name.clone()) {
            return Err(Error::invalid(format!("{source}:{line}: `{name}` appears twice")).into());
        }
        items.push((name, value));
    }
    let store = ctx.open_store_for_write()?;
    let identity = ctx.identity()?;
    let recipients = store.recipients()?;
    let progress = std::io::stderr().is_terminal() && !ctx.global.quiet && items.len() >= 200;
    let done = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<(String, crate::Result<Imported>)> = items
        .par_iter()
        .map(|(name, value)| {
            let request = PutRequest {
                name,
                durability: Some(Durability::Deferred),
                ..PutRequest::default()
            };
            let r = match current_if_same(&store, identity, name, value.as_bytes()) {
                Some(got) => Ok(Imported::Unchanged(got.version_id, got.labels)),
                None => store
                    .put_with(identity, &recipients, &request, value.as_bytes())
                    .map(Imported::Put),
            };
            let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            if progress && n.is_multiple_of(100) {
                eprint!("\rimported {n}/{}", items.len());
            }
            (name.clone(), r)
        })
        .collect();
    if progress {
        eprintln!("\rimported {}/{}", items.len(), items.len());
    }
    // One file-system sync for the whole batch instead of one per file.
    fsio::sync_filesystem(store.root())?;
    let mut events = Vec::with_capacity(results.len());
    let mut first_error = None;
    let (mut imported, mut unchanged) = (0, 0);
    for (name, result) in &results {
        let event = Event::ok("import", Some(name));
        match result {
            Ok(Imported::Put(o)) => {
                imported += 1;
                events.push(event.version(&o.version_id, &o.labels));
            }
            Ok(Imported::Unchanged(id, labels)) => {
                unchanged += 1;
                let mut e = event.version(id, labels);
                e.detail = Some("unchanged".into());
                events.push(e);
            }
            Err(e) => {
                events.push(event.failed(e));
                if first_error.is_none() {
                    first_error = Some(format!("{name}: {e}"));
                }
            }
        }
    }
    ctx.audit(&store, &events, true)?;
    if ctx.global.json {
        /// `import --json`: counts, in this order.
        #[derive(serde::Serialize)]
        struct Imported {
            imported: usize,
            unchanged: usize,
            skipped: usize,
            failed: usize,
        }
        output::json(&Imported {
            imported,
            unchanged,
            skipped,
            failed: results.len() - imported - unchanged,
        })?;
    } else {
        let mut text = format!("imported {imported} secret(s)");
        if unchanged > 0 {
            text.push_str(&format!(", {unchanged} unchanged"));
        }
        if skipped > 0 {
            text.push_str(&format!(", {skipped} empty skipped"));
        }
        output::note(ctx.global.quiet, text);
    }
    if let Some(e) = first_error {
        let failed = results.iter().filter(|(_, r)| r.is_err()).count();
        return Err(anyhow::anyhow!(
            "{failed} secret(s) were not imported; the first: {e}"
        ));
    }
    Ok(0)
}

/// What importing one entry did.
enum Imported {
    /// A new version was written.
    Put(crate::store::PutOutcome),
    /// The current version already holds the value (its id and labels).
    Unchanged(String, Vec<String>),
}

/// The secret's current version when it already holds `value` (so the
/// import writes nothing and `previous` keeps its meaning).
fn current_if_same(
    store: &crate::store::Store,
    identity: &crate::crypto::Identity,
    name: &str,
    value: &[u8],
) -> Option<crate::store::Got> {
    if !store.exists(name).unwrap_or(false) {
        return None;
    }
    let request = crate::store::GetRequest {
        name,
        selector: crate::store::Selector::Current,
    };
    let got = store.get(identity, &request).ok()?;
    (got.value.as_slice() == value).then_some(got)
}

fn read_input(path: &PathBuf) -> anyhow::Result<Zeroizing<String>> {
    let bytes = if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut buf)?;
        buf
    } else {
        std::fs::read(path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                Error::invalid(format!("{} does not exist", path.display()))
            } else {
                Error::io("cannot read", path, e)
            }
        })?
    };
    let bytes = Zeroizing::new(bytes);
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| Error::invalid(format!("{} is not UTF-8 text", path.display())))?;
    Ok(Zeroizing::new(text.to_string()))
}

/// JSON for a `*.json` file or input whose first non-space byte is `{`
/// (a `.env` line cannot start with it), else dotenv.
fn detect_format(path: &std::path::Path, text: &str) -> ImportFormat {
    let json_name = path.extension().is_some_and(|e| e == "json");
    if json_name || text.trim_start().starts_with('{') {
        ImportFormat::Json
    } else {
        ImportFormat::Dotenv
    }
}

/// Parses a JSON object of name to value; each entry carries the line its
/// key is on. Non-string values are stored as their JSON text.
fn parse_json(text: &str, source: &str) -> anyhow::Result<Vec<(String, Zeroizing<String>, usize)>> {
    let map: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(text).map_err(|e| {
            Error::invalid(format!(
                "{source}:{}: not a JSON object of name to value",
                e.line()
            ))
        })?;
    Ok(map
        .into_iter()
        .map(|(k, v)| {
            let line = json_key_line(text, &k);
            let value = match v {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            };
            (k, Zeroizing::new(value), line)
        })
        .collect())
}

/// The 1-based line of the last `"key":` in `text` (the one a JSON parser
/// keeps), or 1 when the key is written with escapes.
fn json_key_line(text: &str, key: &str) -> usize {
    let quoted = serde_json::to_string(key).unwrap_or_default();
    let at = text
        .match_indices(&quoted)
        .filter(|(i, _)| text[i + quoted.len()..].trim_start().starts_with(':'))
        .map(|(i, _)| i)
        .last();
    at.map_or(1, |i| text[..i].matches('\n').count() + 1)
}

/// Names the entry's line in an input error (other errors pass unchanged).
fn at_line(e: Error, source: &str, line: usize) -> Error {
    match e {
        Error::InvalidInput { message, hint } => Error::InvalidInput {
            message: format!("{source}:{line}: {message}"),
            hint,
        },
        other => other,
    }
}
