//! `sm hook`: install or remove the git pre-commit hook that runs
//! `sm scan --staged`.

use clap::{Args, Subcommand};

use super::{CmdResult, Context, output};
use crate::scan::hook::{self, Change};

/// Install or remove the git pre-commit hook that runs `sm scan --staged`
#[derive(Debug, Args)]
pub struct HookArgs {
    #[command(subcommand)]
    pub action: HookAction,
}

/// The hook actions.
#[derive(Debug, Subcommand)]
pub enum HookAction {
    /// Write .git/hooks/pre-commit running `sm scan --staged`
    Install {
        /// Replace a different existing hook (kept as pre-commit.sm-backup)
        #[arg(long)]
        force: bool,
    },
    /// Remove the pre-commit hook if sm installed it
    Uninstall,
}

pub fn run(ctx: &Context, args: HookArgs) -> CmdResult {
    let cwd = std::env::current_dir()?;
    let quiet = ctx.global.quiet;
    let change = match args.action {
        HookAction::Install { force } => {
            let exe = std::env::current_exe()?;
            hook::install(&cwd, &exe, force)?
        }
        HookAction::Uninstall => hook::uninstall(&cwd)?,
    };
    let text = match change {
        Change::Installed(p) => format!("sm: installed the pre-commit hook at {}", p.display()),
        Change::Updated(p) => format!("sm: updated the pre-commit hook at {}", p.display()),
        Change::Replaced(p, saved) => format!(
            "sm: installed the pre-commit hook at {} (the old hook is at {})",
            p.display(),
            saved.display()
        ),
        Change::Removed(p) => format!("sm: removed the pre-commit hook at {}", p.display()),
        Change::Absent(p) => format!("sm: no pre-commit hook at {}", p.display()),
    };
    output::note(quiet, text);
    Ok(0)
}
