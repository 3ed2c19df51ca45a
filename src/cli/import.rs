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
/// values are stored as their JSON text. Everything is validated before
/// anything is written.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The file to import (- for standard input)
    pub file: PathBuf,
    /// The file's format (default: json for *.json, else dotenv)
    #[arg(long, value_enum)]
    pub format: Option<ImportFormat>,
    /// Put every secret under PREFIX/
    #[arg(long, value_name = "P")]
    pub prefix: Option<String>,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ImportFormat {
    Dotenv,
    Json,
}

pub fn run(ctx: &Context, args: ImportArgs) -> CmdResult {
    let text = read_input(&args.file)?;
    let source = args.file.display().to_string();
    let format = args.format.unwrap_or(if source.ends_with(".json") {
        ImportFormat::Json
    } else {
        ImportFormat::Dotenv
    });
    let pairs: Vec<(String, Zeroizing<String>)> = match format {
        ImportFormat::Dotenv => crate::exec::dotenv::parse(&text, &source)?
            .into_iter()
            .map(|a| (a.key, a.value))
            .collect(),
        ImportFormat::Json => {
            let map: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&text)
                .map_err(|e| {
                    Error::invalid(format!(
                        "{source} is not a JSON object of name to value (line {})",
                        e.line()
                    ))
                })?;
            map.into_iter()
                .map(|(k, v)| {
                    let value = match v {
                        serde_json::Value::String(s) => s,
                        other => other.to_string(),
                    };
                    (k, Zeroizing::new(value))
                })
                .collect()
        }
    };
    let prefix = args.prefix.as_deref().map(|p| p.trim_end_matches('/'));
    let mut items = Vec::with_capacity(pairs.len());
    let mut seen = std::collections::HashSet::new();
    for (key, value) in pairs {
        let name = match prefix {
            Some(p) => format!("{p}/{key}"),
            None => key,
        };
        crate::store::name::validate_name(&name)?;
        crate::store::check_value_size(value.as_bytes())?;
        if value.is_empty() {
            return Err(Error::invalid(format!("{source}: the value of `{name}` is empty")).into());
        }
        if !seen.insert(name.clone()) {
            return Err(Error::invalid(format!("{source}: `{name}` appears twice")).into());
        }
        items.push((name, value));
    }
    let store = ctx.open_store_for_write()?;
    let identity = ctx.identity()?;
    let recipients = store.recipients()?;
    let progress = std::io::stderr().is_terminal() && !ctx.global.quiet && items.len() >= 200;
    let done = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<(String, crate::Result<crate::store::PutOutcome>)> = items
        .par_iter()
        .map(|(name, value)| {
            let request = PutRequest {
                name,
                durability: Some(Durability::Deferred),
                ..PutRequest::default()
            };
            let r = store.put_with(identity, &recipients, &request, value.as_bytes());
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
    let mut imported = 0;
    for (name, result) in &results {
        let event = Event::ok("import", Some(name));
        match result {
            Ok(o) => {
                imported += 1;
                events.push(event.version(&o.version_id, &o.labels));
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
        output::json(
            &serde_json::json!({ "imported": imported, "failed": results.len() - imported }),
        )?;
    } else {
        output::note(ctx.global.quiet, format!("imported {imported} secret(s)"));
    }
    if let Some(e) = first_error {
        let failed = results.iter().filter(|(_, r)| r.is_err()).count();
        return Err(anyhow::anyhow!(
            "{failed} secret(s) were not imported; the first: {e}"
        ));
    }
    Ok(0)
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
