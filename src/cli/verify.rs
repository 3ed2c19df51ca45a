//! `sm verify`: check the whole store.

use clap::Args;

use super::{CmdResult, Context, output};

/// Check the whole store: signatures, hashes, labels and log chains (exit 5
/// on any problem); needs no identity
#[derive(Debug, Args)]
pub struct VerifyArgs {}

pub fn run(ctx: &Context, _args: VerifyArgs) -> CmdResult {
    let (root, _) = ctx.store_root()?;
    let report = crate::verify::verify_store(&root, |store| {
        ctx.pin(store)
            .map_err(|e| match e.downcast::<crate::error::Error>() {
                Ok(e) => e,
                Err(e) => crate::error::Error::Other(e.to_string()),
            })
    })?;
    if ctx.global.json {
        output::json(&serde_json::json!({
            "ok": report.problems.is_empty(),
            "secrets": report.secrets,
            "versions": report.versions,
            "log_entries": report.log_entries,
            "problems": report.problems,
            "stale": report.stale,
        }))?;
    } else {
        for p in &report.problems {
            eprintln!("{}: {}", p.file.display(), p.reason);
        }
        for p in &report.stale {
            eprintln!("warning: {}: {}", p.file.display(), p.reason);
        }
        if report.problems.is_empty() {
            output::note(
                ctx.global.quiet,
                format!(
                    "verified {} secrets, {} versions, {} log entries: all good",
                    report.secrets, report.versions, report.log_entries
                ),
            );
        } else {
            eprintln!("error: {} problem(s) found", report.problems.len());
        }
    }
    Ok(if report.problems.is_empty() { 0 } else { 5 })
}
