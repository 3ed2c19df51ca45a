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

/// Runs a rewrap with a progress bar on a terminal and logs it.
pub fn rewrap_with_progress(
    ctx: &Context,
    store: &Store,
    prefix: Option<&str>,
) -> anyhow::Result<RewrapReport> {
    let bar = (std::io::stderr().is_terminal() && !ctx.global.quiet).then(|| {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template("rewrap {bar:30} {pos}/{len} secrets {eta}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let report = store.rewrap(ctx.identity()?, prefix, &|done, total| {
        if let Some(bar) = &bar {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        }
    })?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let mut event = Event::ok("rewrap", None);
    event.detail = Some(format!(
        "prefix {}: {} rewrapped, {} re-signed, {} skipped",
        prefix.unwrap_or(""),
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
