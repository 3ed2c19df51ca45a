//! `sm rollback`: make `previous` current again.

use clap::Args;

use super::{CmdResult, Context, output};
use crate::audit::Event;

/// Make the `previous` version current again (the current one becomes previous)
#[derive(Debug, Args)]
pub struct RollbackArgs {
    /// The secret's name
    pub name: String,
}

pub fn run(ctx: &Context, args: RollbackArgs) -> CmdResult {
    let store = ctx.open_store()?;
    let result = store.rollback(ctx.identity()?, &args.name);
    let id = ctx.audited(
        &store,
        Event::ok("rollback", Some(&args.name)),
        true,
        result,
        |id, e| e.version(id, &["current".to_string()]),
    )?;
    if ctx.global.json {
        output::json(&output::SecretVersion::read(&store, &args.name, &id))?;
    } else {
        output::note(ctx.global.quiet, format!("{}: current -> {id}", args.name));
    }
    Ok(0)
}
