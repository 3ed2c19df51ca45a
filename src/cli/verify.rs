//! `sm verify`: check the whole store (and, with `--history`, its git
//! history).

use clap::Args;

use super::{CmdResult, Context, output};
use crate::verify::history::HistoryReport;

/// Check the whole store: signatures, hashes, labels and log chains (exit 5
/// on any problem); needs no identity
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Also check the store's git history, commit by commit: every signed
    /// file's sequence only rose, no secret vanished without a signed
    /// tombstone, no listed version or log entry was deleted, and each
    /// header change was signed by an admin of the header before it. Needs
    /// no memory of the store, so a fresh clone (a CI job) catches a replay
    /// or deletion committed on top of honest history
    #[arg(long)]
    pub history: bool,
}

pub fn run(ctx: &Context, args: VerifyArgs) -> CmdResult {
    let (root, _) = ctx.store_root()?;
    let report = crate::verify::verify_store(&root, |store| {
        let prepared = ctx.pin(store).and_then(|()| {
            let memory: Box<dyn crate::audit::HeadMemory> = Box::new(ctx.log_memory(store)?);
            Ok(Some(memory))
        });
        prepared.map_err(|e| match e.downcast::<crate::error::Error>() {
            Ok(e) => e,
            Err(e) => crate::error::Error::Other(e.to_string()),
        })
    })?;
    let history = if args.history {
        Some(crate::verify::history::verify_history(&root)?)
    } else {
        None
    };
    let ok = report.problems.is_empty() && history.as_ref().is_none_or(|h| h.problems.is_empty());
    if ctx.global.json {
        let mut value = serde_json::json!({
            "ok": ok,
            "secrets": report.secrets,
            "versions": report.versions,
            "log_entries": report.log_entries,
            "problems": report.problems,
            "stale": report.stale,
        });
        if let Some(h) = &history {
            value["history"] = serde_json::to_value(h)?;
        }
        output::json(&value)?;
    } else {
        for p in &report.problems {
            eprintln!("{}: {}", p.file.display(), p.reason);
        }
        if report
            .problems
            .iter()
            .any(|p| crate::audit::heads::is_freshness(&p.reason))
        {
            eprintln!("hint: {}", crate::audit::heads::HINT);
        }
        for p in &report.stale {
            eprintln!("warning: {}: {}", p.file.display(), p.reason);
        }
        if let Some(h) = &history {
            print_history(ctx, h);
        }
        let problems = report.problems.len() + history.as_ref().map_or(0, |h| h.problems.len());
        if problems == 0 {
            output::note(
                ctx.global.quiet,
                format!(
                    "verified {} secrets, {} versions, {} log entries: all good",
                    report.secrets, report.versions, report.log_entries
                ),
            );
        } else {
            eprintln!("error: {problems} problem(s) found");
        }
    }
    Ok(if ok { 0 } else { 5 })
}

fn print_history(ctx: &Context, h: &HistoryReport) {
    for p in &h.problems {
        let subject = if p.subject.is_empty() {
            String::new()
        } else {
            format!(" ({:?})", p.subject)
        };
        eprintln!(
            "{}: {} in commit {}{subject}",
            p.file.display(),
            p.reason,
            p.commit
        );
    }
    if !h.problems.is_empty() {
        eprintln!(
            "hint: `git show COMMIT --stat` shows what the commit changed; `git revert COMMIT` undoes it"
        );
    }
    if let Some(from) = &h.shallow_from {
        output::note(
            ctx.global.quiet,
            format!(
                "shallow clone: history checked back to commit {from} only (`git fetch --unshallow` to check all of it)"
            ),
        );
    }
    output::note(
        ctx.global.quiet,
        format!(
            "history: {} commits, {} changed files checked in {:.2}s",
            h.commits,
            h.files,
            h.millis as f64 / 1000.0
        ),
    );
}
