//! `sm tag`: set tags on a secret.

use clap::Args;

use super::{CmdResult, Context, output};
use crate::audit::Event;
use crate::store::parse_tag;

/// Set tags on a secret
#[derive(Debug, Args)]
pub struct TagArgs {
    /// The secret's name
    pub name: String,
    /// Tags to set
    #[arg(value_name = "K=V", required = true)]
    pub tags: Vec<String>,
}

pub fn run(ctx: &Context, args: TagArgs) -> CmdResult {
    let tags = args
        .tags
        .iter()
        .map(|t| parse_tag(t))
        .collect::<crate::Result<Vec<_>>>()?;
    let store = ctx.open_store()?;
    let result = store.update_meta(ctx.identity()?, &args.name, false, |meta| {
        meta.tags.extend(tags);
        Ok(())
    });
    ctx.audited(
        &store,
        Event::ok("tag", Some(&args.name)),
        true,
        result,
        |_, e| e,
    )?;
    if ctx.global.json {
        output::SecretRecord::print(&store, &args.name)?;
    }
    Ok(0)
}
