//! `sm group`: named sets of members for access rules.

use clap::{Args, Subcommand};

use super::access::{readers_changed, rewrap_note};
use super::{CmdResult, Context, output};
use crate::audit::Event;
use crate::store::Store;

/// Manage groups of members for access rules (admins only; signed)
#[derive(Debug, Args)]
pub struct GroupArgs {
    #[command(subcommand)]
    pub command: GroupCommand,
}

#[derive(Debug, Subcommand)]
pub enum GroupCommand {
    /// Add members to group G, creating it if needed
    Add {
        /// The group
        group: String,
        /// Members to add
        #[arg(required = true)]
        members: Vec<String>,
    },
    /// Remove members from group G, or the group itself when none are named
    Rm {
        /// The group
        group: String,
        /// Members to remove (none: remove the group)
        members: Vec<String>,
    },
    /// List the groups
    Ls,
}

pub fn run(ctx: &Context, args: GroupArgs) -> CmdResult {
    let mut store = ctx.open_store()?;
    let before = Store::open(store.root())?;
    let (op, detail) = match &args.command {
        GroupCommand::Add { group, members } => {
            store.group_add(ctx.identity()?, group, members)?;
            ("group-add", format!("group {group}: {}", members.join(",")))
        }
        GroupCommand::Rm { group, members } => {
            store.group_rm(ctx.identity()?, group, members)?;
            ("group-rm", format!("group {group}: {}", members.join(",")))
        }
        GroupCommand::Ls => {
            let groups = &store.access().file().groups;
            if ctx.global.json {
                output::json(groups)?;
            } else {
                let rows: Vec<Vec<String>> = groups
                    .iter()
                    .map(|g| vec![g.name.clone(), g.members.join(", ")])
                    .collect();
                output::table(&["GROUP", "MEMBERS"], &rows)?;
            }
            return Ok(0);
        }
    };
    let mut event = Event::ok(op, None);
    event.detail = Some(detail);
    ctx.audit(&store, &[event], true)?;
    if ctx.global.json {
        output::json(&store.access().file().groups)?;
    } else {
        output::note(ctx.global.quiet, "Groups updated.");
    }
    rewrap_note(ctx, readers_changed(&before, &store)?);
    Ok(0)
}
