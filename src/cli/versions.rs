//! `sm versions`: list a secret's versions.

use clap::Args;

use super::{CmdResult, Context, output};

/// List a secret's versions, newest first, with labels, author and time
#[derive(Debug, Args)]
pub struct VersionsArgs {
    /// The secret's name
    pub name: String,
}

pub fn run(ctx: &Context, args: VersionsArgs) -> CmdResult {
    let store = ctx.open_store()?;
    let versions = store.versions(&args.name)?;
    if ctx.global.json {
        output::json(&versions)?;
    } else {
        let rows: Vec<Vec<String>> = versions
            .into_iter()
            .map(|v| vec![v.version_id, v.created, v.author, v.labels.join(",")])
            .collect();
        output::table(&["VERSION", "CREATED", "AUTHOR", "LABELS"], &rows)?;
    }
    Ok(0)
}
