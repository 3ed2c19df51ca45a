//! `sm restore`: cancel a scheduled deletion.

use clap::Args;

use super::{CmdResult, Context, output};
use crate::audit::Event;

/// Cancel a secret's scheduled deletion
#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The secret's name
    pub name: String,
}

pub fn run(ctx: &Context, args: RestoreArgs) -> CmdResult {
    let store = ctx.open_store()?;
    let result = store.restore(ctx.identity()?, &args.name);
    ctx.audited(
        &store,
        Event::ok("restore", Some(&args.name)),
        true,
        result,
        |_, e| e,
    )?;
    if ctx.global.json {
        output::SecretRecord::print(&store, &args.name)?;
    } else {
        output::note(ctx.global.quiet, format!("{} is restored", args.name));
    }
    Ok(0)
}
