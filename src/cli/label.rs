//! `sm label`: move or remove a label.

use clap::Args;

use super::{CmdResult, Context, output};
use crate::audit::Event;

/// Move a label to a version, or remove it
///
/// Moving `current` also moves `previous` to the version that was current.
/// AWSCURRENT, AWSPREVIOUS and AWSPENDING are aliases of the staging labels.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("action").required(true).args(["to", "remove"])))]
pub struct LabelArgs {
    /// The secret's name
    pub name: String,
    /// The label (current, previous, pending, or 1-256 of A-Z a-z 0-9 . _ -)
    pub label: String,
    /// Point the label at version ID
    #[arg(long, value_name = "ID")]
    pub to: Option<String>,
    /// Remove the label
    #[arg(long)]
    pub remove: bool,
}

pub fn run(ctx: &Context, args: LabelArgs) -> CmdResult {
    let store = ctx.open_store()?;
    let identity = ctx.identity()?;
    let label = crate::store::name::validate_label(&args.label)?;
    let event = Event::ok("label", Some(&args.name));
    match &args.to {
        Some(to) => {
            let result = store.set_label(identity, &args.name, &label, to);
            ctx.audited(&store, event, true, result, |_, e| {
                e.version(to, std::slice::from_ref(&label))
            })?;
            if ctx.global.json {
                output::json(&output::SecretVersion::read(&store, &args.name, to))?;
            } else {
                output::note(ctx.global.quiet, format!("{}: {label} -> {to}", args.name));
            }
        }
        None => {
            let result = store.remove_label(identity, &args.name, &label);
            let from = ctx.audited(&store, event, true, result, |from, mut e| {
                e.detail = Some("removed".into());
                e.version(from, std::slice::from_ref(&label))
            })?;
            if ctx.global.json {
                output::json(&output::SecretVersion::read(&store, &args.name, &from))?;
            } else {
                output::note(
                    ctx.global.quiet,
                    format!("{}: removed {label} from {from}", args.name),
                );
            }
        }
    }
    Ok(0)
}
