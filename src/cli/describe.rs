//! `sm describe`: set a secret's description.

use clap::Args;

use super::{CmdResult, Context, output};
use crate::audit::Event;

/// Set a secret's description
#[derive(Debug, Args)]
pub struct DescribeArgs {
    /// The secret's name
    pub name: String,
    /// The description (empty to clear it)
    pub text: String,
}

pub fn run(ctx: &Context, args: DescribeArgs) -> CmdResult {
    crate::store::validate_description(&args.text)?;
    let store = ctx.open_store()?;
    let result = store.update_meta(ctx.identity()?, &args.name, false, |meta| {
        meta.description = args.text.clone();
        Ok(())
    });
    ctx.audited(
        &store,
        Event::ok("describe", Some(&args.name)),
        true,
        result,
        |_, e| e,
    )?;
    if ctx.global.json {
        output::SecretRecord::print(&store, &args.name)?;
    }
    Ok(0)
}
