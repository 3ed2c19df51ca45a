//! `sm hook`: install or remove the git pre-commit hook that runs
//! `sm scan --staged`.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::context::StoreOrigin;
use super::{CmdResult, Context, output};
use crate::error::Error;
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
    ///
    /// With --store DIR or SM_STORE, the hook checks that store's values
    /// whatever the environment of the commit; else it checks the store sm
    /// finds from the repository (the nearest parent holding .sm/, else the
    /// personal store). With no store in scope, only credential patterns are
    /// checked, and install warns.
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
    let mut checks = None;
    let mut checked_store = None;
    let mut is_pinned = false;
    let change = match args.action {
        HookAction::Install { force } => {
            let exe = std::env::current_exe()?;
            let (scope, pinned, root) = store_in_scope(ctx)?;
            checks = Some(scope);
            is_pinned = pinned.is_some();
            checked_store = pinned.clone().or(root);
            hook::install(&cwd, &exe, pinned.as_deref(), force)?
        }
        HookAction::Uninstall => hook::uninstall(&cwd)?,
    };
    if ctx.global.json {
        let (action, path, backup) = match &change {
            Change::Installed(p) => ("installed", p, None),
            Change::Updated(p) => ("updated", p, None),
            Change::Replaced(p, saved) => ("replaced", p, Some(saved)),
            Change::Removed(p) => ("removed", p, None),
            Change::Absent(p) => ("absent", p, None),
        };
        output::json(&serde_json::json!({
            "action": action,
            "hook": path,
            "backup": backup,
            "store": checked_store,
            "pinned": is_pinned,
        }))?;
        return Ok(0);
    }
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
    match checks {
        Some(Some(text)) => output::note(quiet, text),
        Some(None) => output::note(
            quiet,
            "sm: warning: no store in scope, so the hook checks credential patterns only, not secret values; \
reinstall with `sm --store DIR hook install` (or SM_STORE) to check a store's values",
        ),
        None => {}
    }
    Ok(0)
}

/// Returns what the hook will check (a line for the user, or `None` when no
/// store is in scope) and the store to pin in the hook: the one named with
/// `--store`/`SM_STORE`, as an absolute path. A discovered or personal store
/// is found again by the hook the same way, so it is not pinned.
#[allow(clippy::type_complexity)]
fn store_in_scope(
    ctx: &Context,
) -> anyhow::Result<(Option<String>, Option<PathBuf>, Option<PathBuf>)> {
    let (root, origin) = ctx.store_location()?;
    if !crate::store::is_store(&root) {
        if origin == StoreOrigin::Named {
            return Err(
                Error::not_found(format!("no sm store at {}", root.display()))
                    .with_hint("name a folder holding .sm/ with --store DIR or SM_STORE")
                    .into(),
            );
        }
        return Ok((None, None, None));
    }
    let (line, pinned) = match origin {
        StoreOrigin::Named => {
            let abs =
                std::fs::canonicalize(&root).map_err(|e| Error::io("cannot resolve", &root, e))?;
            let line = format!(
                "sm: the hook checks the values of the store at {} (pinned in the hook)",
                abs.display()
            );
            (Some(line), Some(abs))
        }
        StoreOrigin::Discovered => (
            Some(format!(
                "sm: the hook checks the values of the store at {} (the nearest store at or above this folder)",
                root.display()
            )),
            None,
        ),
        StoreOrigin::Personal => (
            Some(format!(
                "sm: the hook checks the values of your personal store at {}; use `sm --store DIR hook install` for a team store",
                root.display()
            )),
            None,
        ),
    };
    Ok((line, pinned, Some(root)))
}
