//! `sm untag`: remove tags from a secret.

use clap::Args;

use super::{CmdResult, Context, output};
use crate::audit::Event;

/// Remove tags from a secret
#[derive(Debug, Args)]
pub struct UntagArgs {
    /// The secret's name
    pub name: String,
    /// Tag keys to remove
    #[arg(value_name = "K", required = true)]
    pub keys: Vec<String>,
}

pub fn run(ctx: &Context, args: UntagArgs) -> CmdResult {
    let store = ctx.open_store()?;
    let result = store.update_meta(ctx.identity()?, &args.name, false, |meta| {
        for key in &args.keys {
            meta.tags.remove(key);
        }
        Ok(())
    });
    ctx.audited(
        &store,
        Event::ok("untag", Some(&args.name)),
        true,
        result,
        |_, e| e,
    )?;
    if ctx.global.json {
        output::SecretRecord::print(&store, &args.name)?;
    }
    Ok(0)
}
