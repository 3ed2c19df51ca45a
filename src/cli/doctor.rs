//! `sm doctor`: repair the leftovers of interrupted writes.

use clap::Args;

use super::{CmdResult, Context, output};

/// Find and remove the leftovers of interrupted writes (temp files, orphan
/// ciphertexts, unfinished rewraps, torn log lines) and of killed `sm edit`
/// runs (their scratch folders), and register sm's git merge driver;
/// changes nothing in a store holding links or special files
#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Move a format-1 store to the current format (a signed header,
    /// sequences and tombstones, so replays and deletions are caught);
    /// admins only. Any admin write does it too
    #[arg(long)]
    pub upgrade: bool,
}

pub fn run(ctx: &Context, args: DoctorArgs) -> CmdResult {
    // Not the store's, so swept even when the store cannot be opened.
    let scratch = crate::scratch::sweep_stale();
    // An admin change interrupted between its files and its header.
    let (root, _) = ctx.store_root()?;
    let finished = crate::store::is_store(&root) && crate::store::Store::finish_team_change(&root)?;
    let mut store = ctx.open_store()?;
    let upgraded = args.upgrade && store.upgrade(ctx.identity()?)?;
    if args.upgrade && !upgraded {
        output::note(
            ctx.global.quiet,
            format!(
                "the store is already at format {}",
                crate::store::files::FORMAT
            ),
        );
    }
    let report = store.doctor()?;
    let git = crate::git::ensure_merge_driver(store.root(), &std::env::current_exe()?)?;
    if ctx.global.json {
        let mut value = serde_json::to_value(&report)?;
        value["git"] = serde_json::to_value(&git)?;
        value["upgraded"] = upgraded.into();
        value["finished_team_change"] = finished.into();
        value["scratch_removed"] = serde_json::to_value(&scratch)?;
        output::json(&value)?;
    } else {
        if git.attributes_written {
            println!("wrote .gitattributes (merge driver for meta.toml)");
        }
        if git.config_written {
            println!("registered merge.sm.driver in the git config");
        }
        if finished {
            println!("finished an interrupted admin change (installed its signed header)");
        }
        if upgraded {
            println!(
                "upgraded the store to format {}: a signed header, sequences and tombstones; commit .sm/",
                crate::store::files::FORMAT
            );
        }
        for path in &report.removed {
            println!("removed {}", path.display());
        }
        for path in &scratch {
            println!(
                "removed {} (scratch folder of a killed `sm edit`)",
                path.display()
            );
        }
        for path in &report.repaired {
            println!("repaired {} (removed torn lines)", path.display());
        }
        output::note(
            ctx.global.quiet,
            format!(
                "doctor: {} leftover(s) removed, {} log file(s) repaired",
                report.removed.len(),
                report.repaired.len()
            ),
        );
    }
    Ok(0)
}
