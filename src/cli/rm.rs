//! `sm rm`: schedule a secret's deletion, or delete it now.

use clap::Args;

use super::{CmdResult, Context, output};
use crate::audit::Event;

/// Schedule a secret's deletion (reads fail meanwhile), or delete it now
#[derive(Debug, Args)]
pub struct RmArgs {
    /// The secret's name
    pub name: String,
    /// Days before `sm purge` may remove it (7 to 30)
    #[arg(long, value_name = "DAYS", default_value_t = 30, value_parser = clap::value_parser!(u32).range(7..=30))]
    pub recovery_days: u32,
    /// Delete every version now, without a recovery window
    #[arg(long, conflicts_with = "recovery_days")]
    pub force: bool,
}

pub fn run(ctx: &Context, args: RmArgs) -> CmdResult {
    let store = ctx.open_store()?;
    let result = store.remove(ctx.identity()?, &args.name, args.recovery_days, args.force);
    let mut event = Event::ok("rm", Some(&args.name));
    if args.force {
        event.detail = Some("forced".into());
    }
    let when = ctx.audited(&store, event, true, result, |_, e| e)?;
    if ctx.global.json {
        if when.is_some() {
            output::SecretRecord::print(&store, &args.name)?;
        } else {
            ctx.prune_cache(&store);
            output::json(&output::Purged {
                name: args.name.clone(),
                purged: true,
            })?;
        }
        return Ok(0);
    }
    match when {
        Some(when) => output::note(
            ctx.global.quiet,
            format!(
                "{} is scheduled for deletion after {when}; `sm restore {}` keeps it",
                args.name, args.name
            ),
        ),
        None => {
            ctx.prune_cache(&store);
            output::note(
                ctx.global.quiet,
                format!("{} and all its versions are deleted", args.name),
            )
        }
    }
    Ok(0)
}
