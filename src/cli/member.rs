//! `sm member`: team access.

use clap::{Args, Subcommand};

use super::{CmdResult, Context, output};
use crate::store::NewMember;

/// Manage the store's members (who can read, whose signatures count)
#[derive(Debug, Args)]
pub struct MemberArgs {
    #[command(subcommand)]
    pub command: MemberCommand,
}

#[derive(Debug, Subcommand)]
pub enum MemberCommand {
    /// Add a member; both keys come from their `sm identity show`
    Add {
        /// Their member name
        name: String,
        /// Their age recipient (age1… or an SSH public key)
        recipient: String,
        /// Their signing key (ed25519:…)
        #[arg(long, value_name = "KEY")]
        signing_key: String,
        /// Make them an admin (may change members and settings)
        #[arg(long)]
        admin: bool,
    },
    /// List the members
    Ls,
}

pub fn run(ctx: &Context, args: MemberArgs) -> CmdResult {
    match args.command {
        MemberCommand::Add {
            name,
            recipient,
            signing_key,
            admin,
        } => {
            let mut store = ctx.open_store()?;
            let member = store.add_member(
                ctx.identity()?,
                NewMember {
                    name,
                    recipient,
                    signing_key,
                    admin,
                },
            )?;
            let mut event = crate::audit::Event::ok("member-add", None);
            event.detail = Some(format!("member {}", member.name));
            ctx.audit(&store, &[event], true)?;
            output::note(
                ctx.global.quiet,
                format!(
                    "Added {}. New versions are encrypted to them; existing versions are not until they are written again.",
                    member.name
                ),
            );
            Ok(0)
        }
        MemberCommand::Ls => {
            let store = ctx.open_store()?;
            if ctx.global.json {
                let list: Vec<_> = store
                    .members()
                    .iter()
                    .map(|m| {
                        serde_json::json!({
                            "name": m.name,
                            "recipient": m.recipient,
                            "signing_key": m.signing_key,
                            "admin": m.admin,
                            "added_by": m.added_by,
                        })
                    })
                    .collect();
                output::json(&list)?;
            } else {
                let rows: Vec<Vec<String>> = store
                    .members()
                    .iter()
                    .map(|m| {
                        vec![
                            m.name.clone(),
                            if m.admin {
                                "admin".into()
                            } else {
                                "member".into()
                            },
                            m.recipient.clone(),
                        ]
                    })
                    .collect();
                output::table(&["NAME", "ROLE", "RECIPIENT"], &rows)?;
            }
            Ok(0)
        }
    }
}
