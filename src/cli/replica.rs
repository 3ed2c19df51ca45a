//! `sm replica`: read-only copies of a store for other sites.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::{CmdResult, Context, output};
use crate::audit::Event;
use crate::team::replica;

/// Keep read-only replicas of this store, re-encrypted to their own members
///
/// A replica (another repository for another region, a disaster-recovery
/// site) is an sm store that receives the `current` and `previous` versions
/// of chosen prefixes, encrypted to its own members. Writing to it is
/// refused (exit 4) with a message naming the primary. Syncing decrypts with
/// your identity, so you must be able to read what it copies. The replica
/// list is signed by an admin and pins each replica's store id and root
/// key (exit 5 when they differ); each replica carries this store's read
/// rules, so its members read only what they may read here; a version the
/// replica holds under a copied id with another value is reported as forged
/// (exit 5) and replaced.
#[derive(Debug, Args)]
pub struct ReplicaArgs {
    #[command(subcommand)]
    pub command: ReplicaCommand,
}

#[derive(Debug, Subcommand)]
pub enum ReplicaCommand {
    /// Create a replica in DIR (or adopt the one there) for these members
    Add {
        /// The replica's folder
        dir: PathBuf,
        /// Members of this store who become its members (you always are)
        #[arg(long, num_args = 1.., value_delimiter = ',', value_name = "M")]
        members: Vec<String>,
        /// Only secrets whose names start with P (repeatable; default: all)
        #[arg(long = "prefix", value_name = "P")]
        prefixes: Vec<String>,
    },
    /// Copy what changed to every replica
    Sync,
    /// Show what each replica is behind on (exit 1 if anything is)
    Status,
}

pub fn run(ctx: &Context, args: ReplicaArgs) -> CmdResult {
    let mut store = ctx.open_store()?;
    match args.command {
        ReplicaCommand::Add {
            dir,
            members,
            prefixes,
        } => {
            let entry = replica::add(&mut store, ctx.identity()?, &dir, &members, &prefixes)?;
            let mut event = Event::ok("replica-add", None);
            event.detail = Some(format!("replica {}", entry.path.display()));
            ctx.audit(&store, &[event], true)?;
            if ctx.global.json {
                output::json(&entry)?;
            } else {
                output::note(
                    ctx.global.quiet,
                    format!(
                        "Added the replica at {}. Run `sm replica sync` to fill it.",
                        entry.path.display()
                    ),
                );
            }
            Ok(0)
        }
        ReplicaCommand::Sync => {
            let reports = replica::sync(&store, ctx.identity()?)?;
            let mut event = Event::ok("replica-sync", None);
            event.detail = Some(format!(
                "{} replica(s), {} version(s) copied",
                reports.len(),
                reports.iter().map(|r| r.copied).sum::<usize>()
            ));
            ctx.audit(&store, &[event], true)?;
            let skipped = reports.iter().any(|r| !r.skipped.is_empty());
            let forged = reports.iter().any(|r| !r.forged.is_empty());
            if ctx.global.json {
                output::json(&reports)?;
            } else {
                for r in &reports {
                    for (name, why) in &r.skipped {
                        eprintln!("{}: skipped {name}: {why}", r.path.display());
                    }
                    output::note(
                        ctx.global.quiet,
                        format!(
                            "{}: {} version(s) copied, {} secret(s) updated, {} up to date",
                            r.path.display(),
                            r.copied,
                            r.updated,
                            r.up_to_date
                        ),
                    );
                }
            }
            // A forged version is an integrity failure even once replaced:
            // someone wrote into the replica behind the sync.
            for path in reports.iter().flat_map(|r| &r.forged) {
                eprintln!(
                    "error: integrity check failed for {}: a forged replica version (another value than the primary's under the same id); replaced by the primary's",
                    path.display()
                );
            }
            Ok(if forged {
                5
            } else if skipped {
                4
            } else {
                0
            })
        }
        ReplicaCommand::Status => {
            let behind = replica::status(&store)?;
            if ctx.global.json {
                output::json(&behind)?;
            } else if behind.is_empty() {
                output::note(ctx.global.quiet, "Every replica is up to date.");
            } else {
                let rows: Vec<Vec<String>> = behind
                    .iter()
                    .map(|b| {
                        vec![
                            b.path.display().to_string(),
                            b.name.clone(),
                            b.labels.join(","),
                        ]
                    })
                    .collect();
                output::table(&["REPLICA", "SECRET", "BEHIND"], &rows)?;
            }
            Ok(if behind.is_empty() { 0 } else { 1 })
        }
    }
}
