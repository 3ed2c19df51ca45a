//! `sm purge`: remove secrets whose recovery window has passed.

use clap::Args;

use super::{CmdResult, Context, output};
use crate::audit::Event;

/// Remove the secrets whose deletion recovery window has passed
#[derive(Debug, Args)]
pub struct PurgeArgs {}

pub fn run(ctx: &Context, _args: PurgeArgs) -> CmdResult {
    let store = ctx.open_store()?;
    let at = super::context::clock()?;
    let purged = store.purge(ctx.identity()?, at)?;
    let events: Vec<Event> = purged.iter().map(|n| Event::ok("purge", Some(n))).collect();
    ctx.audit(&store, &events, true)?;
    ctx.prune_cache(&store);
    if ctx.global.json {
        let records: Vec<output::Purged> = purged
            .iter()
            .map(|name| output::Purged {
                name: name.clone(),
                purged: true,
            })
            .collect();
        output::json(&records)?;
    } else {
        for name in &purged {
            println!("{name}");
        }
        output::note(
            ctx.global.quiet,
            format!("purged {} secret(s)", purged.len()),
        );
    }
    Ok(0)
}
