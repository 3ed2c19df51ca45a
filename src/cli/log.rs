//! `sm log`: read and verify the access log.

use clap::{Args, Subcommand};

use super::{CmdResult, Context, output};
use crate::Error;

/// Read the access log (every member's file, merged in time order), or
/// verify it
///
/// Reading verifies first: an entry that fails verification (or follows a
/// bad line in its file) is still shown, marked `!` (`"verified": false`
/// with --json), and the run then exits 5.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct LogArgs {
    #[command(subcommand)]
    pub command: Option<LogCommand>,
    /// Only entries about this secret
    pub name: Option<String>,
    /// Only entries since T (RFC 3339, or an age such as 30m, 12h, 7d)
    #[arg(long, value_name = "T")]
    pub since: Option<String>,
    /// Only entries by this member
    #[arg(long, value_name = "A")]
    pub actor: Option<String>,
    /// Only this operation (get, put, label, ...)
    #[arg(long, value_name = "O")]
    pub op: Option<String>,
    /// Only the newest N entries (after the other filters)
    #[arg(short = 'n', value_name = "N")]
    pub count: Option<usize>,
    /// Newest first
    #[arg(long)]
    pub reverse: bool,
}

#[derive(Debug, Subcommand)]
pub enum LogCommand {
    /// Check every chain and signature; name the first bad line of each file
    Verify,
}

fn parse_since(text: &str) -> anyhow::Result<jiff::Timestamp> {
    if let Ok(t) = text.parse::<jiff::Timestamp>() {
        return Ok(t);
    }
    let bad = || {
        Error::invalid(format!(
            "--since `{text}` is neither an RFC 3339 time nor an age like 12h or 7d"
        ))
    };
    let split = text.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
    let (n, unit) = text.split_at(split);
    let n: i64 = n.parse().map_err(|_| bad())?;
    let secs = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        "w" => 604_800,
        _ => return Err(bad().into()),
    };
    let span = jiff::SignedDuration::from_secs(n.checked_mul(secs).ok_or_else(bad)?);
    Ok(crate::store::now().checked_sub(span).map_err(|_| bad())?)
}

pub fn run(ctx: &Context, args: LogArgs) -> CmdResult {
    let store = ctx.open_store()?;
    let memory = ctx.log_memory(&store)?;
    if let Some(LogCommand::Verify) = args.command {
        let (entries, problems) = crate::audit::verify(&store, Some(&memory))?;
        if ctx.global.json {
            output::json(
                &serde_json::json!({ "ok": problems.is_empty(), "entries": entries, "problems": problems }),
            )?;
        } else {
            print_problems(&problems);
            if problems.is_empty() {
                output::note(
                    ctx.global.quiet,
                    format!("verified {entries} log entries: all good"),
                );
            }
        }
        return Ok(if problems.is_empty() { 0 } else { 5 });
    }
    let since = args
        .since
        .as_deref()
        .map(parse_since)
        .transpose()?
        .map(crate::store::format_time);
    let (entries, problems) = crate::audit::read_marked(&store, Some(&memory))?;
    let mut entries: Vec<_> = entries
        .into_iter()
        .filter(|(e, _)| {
            args.name
                .as_deref()
                .is_none_or(|n| e.secret.as_deref() == Some(n))
        })
        .filter(|(e, _)| args.actor.as_deref().is_none_or(|a| e.actor == a))
        .filter(|(e, _)| args.op.as_deref().is_none_or(|o| e.op == o))
        .filter(|(e, _)| since.as_deref().is_none_or(|s| e.time.as_str() >= s))
        .collect();
    if let Some(n) = args.count {
        entries.drain(..entries.len().saturating_sub(n));
    }
    if args.reverse {
        entries.reverse();
    }
    // Unverified entries are shown, marked, and fail the run (exit 5), so
    // neither a reader nor a script takes them for verified ones.
    let unverified = entries.iter().filter(|(_, ok)| !ok).count();
    if ctx.global.json {
        let records = entries
            .into_iter()
            .map(|(e, ok)| {
                let mut record = serde_json::to_value(&e)?;
                record["verified"] = ok.into();
                Ok(record)
            })
            .collect::<serde_json::Result<Vec<_>>>()?;
        output::json(&records)?;
    } else {
        let rows: Vec<Vec<String>> = entries
            .into_iter()
            .map(|(e, ok)| {
                vec![
                    if ok { "" } else { "!" }.into(),
                    e.time,
                    e.actor,
                    e.op,
                    e.secret.unwrap_or_default(),
                    e.version.unwrap_or_default(),
                    match (&e.program, &e.detail) {
                        (Some(p), _) => format!("{} ({p})", e.outcome),
                        (None, Some(d)) => format!("{} ({d})", e.outcome),
                        _ => e.outcome,
                    },
                ]
            })
            .collect();
        if !rows.is_empty() {
            output::table(
                &["!", "TIME", "ACTOR", "OP", "SECRET", "VERSION", "OUTCOME"],
                &rows,
            )?;
        }
    }
    if !problems.is_empty() {
        // The files this machine saw longer or otherwise (their entries
        // are shown: each still verifies).
        print_problems(&problems);
    }
    if unverified > 0 {
        eprintln!(
            "error: {unverified} entr{} marked `!` failed verification (see `sm log verify`)",
            if unverified == 1 { "y" } else { "ies" }
        );
        return Ok(5);
    }
    Ok(if problems.is_empty() { 0 } else { 5 })
}

/// Prints each problem as `FILE:LINE: reason` (`FILE: reason` for a
/// problem of the whole file), and the way to recover when a log is not
/// what this machine saw.
fn print_problems(problems: &[crate::audit::LogProblem]) {
    for p in problems {
        match p.line {
            0 => eprintln!("{}: {}", p.file.display(), p.reason),
            line => eprintln!("{}:{line}: {}", p.file.display(), p.reason),
        }
    }
    if problems
        .iter()
        .any(|p| crate::audit::heads::is_freshness(&p.reason))
    {
        eprintln!("hint: {}", crate::audit::heads::HINT);
    }
}
