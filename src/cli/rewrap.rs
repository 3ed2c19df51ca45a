//! `sm rewrap`: re-encrypt versions to the recipients the rules name now.

use std::io::IsTerminal;

use clap::Args;

use super::{CmdResult, Context, output};
use crate::audit::Event;
use crate::store::{RewrapReport, Store};

/// Re-encrypt labelled versions to the recipients the access rules name now
///
/// Run it after changing rules, groups or members. Each labelled version
/// whose recipients differ is decrypted with your identity and encrypted
/// again (so you must be able to read it and allowed to write it), keeping
/// its author and time and recording you as its rewrapper; versions and
/// metadata signed by someone no longer allowed to write are re-signed.
/// Work runs in parallel, and a rerun skips what is done, so an interrupted
/// rewrap simply resumes. Exit 4 if something could not be rewrapped.
#[derive(Debug, Args)]
pub struct RewrapArgs {
    /// Only secrets whose names start with PREFIX
    pub prefix: Option<String>,
}

/// Off a terminal, a run of at least this many secrets prints a progress
/// line every this many secrets (a log or CI job shows it is alive).
const PROGRESS_EVERY: usize = 100;

/// Runs a rewrap with progress on stderr and logs it.
pub fn rewrap_with_progress(
    ctx: &Context,
    store: &Store,
    prefix: Option<&str>,
) -> anyhow::Result<RewrapReport> {
    let names: Vec<String> = store
        .list_names()?
        .into_iter()
        .filter(|n| prefix.is_none_or(|p| n.starts_with(p)))
        .collect();
    rewrap_names_with_progress(
        ctx,
        store,
        &names,
        &format!("prefix {}", prefix.unwrap_or("")),
    )
}

/// Rewraps `names` with progress on stderr (a bar on a terminal; off one,
/// a line "re-encrypting N/TOTAL" every [`PROGRESS_EVERY`] secrets of a
/// long run; nothing with `-q`) and logs it, `scope` saying what was asked.
pub fn rewrap_names_with_progress(
    ctx: &Context,
    store: &Store,
    names: &[String],
    scope: &str,
) -> anyhow::Result<RewrapReport> {
    let terminal = std::io::stderr().is_terminal();
    let bar = (terminal && !ctx.global.quiet).then(|| {
        let bar = indicatif::ProgressBar::new(names.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("re-encrypting {pos}/{len} {bar:30} {eta}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let lines = !terminal && !ctx.global.quiet && names.len() >= PROGRESS_EVERY;
    let report = store.rewrap_names(ctx.identity()?, names, &|done, total| {
        if let Some(bar) = &bar {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        } else if lines && (done % PROGRESS_EVERY == 0 || done == total) {
            eprintln!("re-encrypting {done}/{total}");
        }
    })?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let mut event = Event::ok("rewrap", None);
    event.detail = Some(format!(
        "{scope}: {} rewrapped, {} re-signed, {} skipped",
        report.rewrapped,
        report.resigned,
        report.skipped.len()
    ));
    ctx.audit(store, &[event], true)?;
    Ok(report)
}

/// Prints a rewrap's summary and skipped items (text mode).
pub fn print_report(ctx: &Context, report: &RewrapReport) {
    for s in &report.skipped {
        match &s.version_id {
            Some(v) => eprintln!("skipped {} version {v}: {}", s.name, s.reason),
            None => eprintln!("skipped {}: {}", s.name, s.reason),
        }
    }
    output::note(
        ctx.global.quiet,
        format!(
            "rewrap: {} secrets, {} versions re-encrypted, {} re-signed, {} up to date, {} skipped",
            report.secrets,
            report.rewrapped,
            report.resigned,
            report.up_to_date,
            report.skipped.len()
        ),
    );
}

pub fn run(ctx: &Context, args: RewrapArgs) -> CmdResult {
    let store = ctx.open_store()?;
    let report = rewrap_with_progress(ctx, &store, args.prefix.as_deref())?;
    if ctx.global.json {
        output::json(&report)?;
    } else {
        print_report(ctx, &report);
    }
    Ok(if report.skipped.is_empty() { 0 } else { 4 })
}
