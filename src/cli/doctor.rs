//! `sm doctor`: repair the leftovers of interrupted writes; with
//! `--reset-trust`, accept the store as it is now at this location.

use clap::Args;

use super::{CmdResult, Context, output};
use crate::store::Store;
use crate::trust::location;

/// Find and remove the leftovers of interrupted writes (temp files, orphan
/// ciphertexts, unfinished rewraps, torn log lines) and of killed `sm edit`
/// runs (their scratch folders), and register sm's git merge driver;
/// changes nothing in a store holding links or special files
///
/// The driver goes into the repository's git config and, unless a
/// `.gitattributes` already applies it, into `.git/info/attributes`:
/// doctor never creates or edits a `.gitattributes`, so pulling a
/// committed one never conflicts.
#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Accept the store as it is now: pin this folder and its git remotes
    /// to it and forget the sequences this machine trusted there (after a
    /// deliberate re-creation or rewind of the store)
    #[arg(long)]
    pub reset_trust: bool,
    /// Move a format-1 store to the current format (a signed header,
    /// sequences and tombstones, so replays and deletions are caught);
    /// admins only. Any admin write does it too
    #[arg(long)]
    pub upgrade: bool,
}

pub fn run(ctx: &Context, args: DoctorArgs) -> CmdResult {
    // Not the store's, so swept even when the store cannot be opened.
    let scratch = crate::scratch::sweep_stale();
    let reset = if args.reset_trust {
        Some(reset_trust(ctx)?)
    } else {
        None
    };
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
    let git = crate::git::ensure_merge_driver(store.root(), &std::env::current_exe()?, false)?;
    if ctx.global.json {
        let mut value = serde_json::to_value(&report)?;
        value["git"] = serde_json::to_value(&git)?;
        value["upgraded"] = upgraded.into();
        value["finished_team_change"] = finished.into();
        value["scratch_removed"] = serde_json::to_value(&scratch)?;
        if let Some(reset) = &reset {
            value["trust_reset"] = reset.clone();
        }
        output::json(&value)?;
    } else {
        // Routine git settings: left out with -q.
        if let Some(file) = git
            .info_attributes_written
            .as_ref()
            .filter(|_| !ctx.global.quiet)
        {
            println!(
                "registered the merge driver for meta.toml in {} (this clone only; a committed .gitattributes from `sm init` shares it)",
                file.display()
            );
        }
        if git.config_written && !ctx.global.quiet {
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

/// Re-pins the store's location and remotes to the store as it is now and
/// removes this location's seen state, printing what changed (on stdout,
/// even with `-q`: trust never changes silently). Returns it as JSON.
fn reset_trust(ctx: &Context) -> anyhow::Result<serde_json::Value> {
    let (root, _) = ctx.store_root()?;
    let store = Store::open(&root)?;
    let config_dir = ctx.config_dir()?;
    let old = location::pinned_at(&config_dir, &store)?;
    let changes = location::repin(&config_dir, &store)?;
    let mut json_changes = Vec::new();
    for change in &changes {
        let line = match &change.old {
            Some(old) => format!(
                "re-pinned {} {}: was {}; now {}",
                change.kind,
                change.location,
                old.describe(),
                change.new.describe()
            ),
            None => format!(
                "pinned {} {} to {}",
                change.kind,
                change.location,
                change.new.describe()
            ),
        };
        if !ctx.global.json {
            println!("{line}");
        }
        json_changes.push(serde_json::json!({
            "kind": change.kind,
            "location": change.location,
            "old": change.old.as_ref().map(|p| serde_json::json!({"id": p.id, "root_key": p.root_key})),
            "new": {"id": change.new.id, "root_key": change.new.root_key},
        }));
    }
    // The seen state of the store as it is now and of the one pinned
    // here before (its key names the old id).
    let canonical = location::canonical_root(&store);
    let mut dirs = vec![crate::trust::seen_dir(&config_dir, &store)];
    if let Some(old) = old.filter(|old| old.id != store.id()) {
        dirs.push(
            config_dir
                .join(crate::trust::SEEN_DIR)
                .join(crate::trust::seen_key(&old.id, &canonical)),
        );
    }
    let mut forgotten = Vec::new();
    for dir in dirs {
        match std::fs::remove_dir_all(&dir) {
            Ok(()) => forgotten.push(dir),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(crate::Error::io("cannot remove", &dir, e).into()),
        }
    }
    if !ctx.global.json {
        if changes.is_empty() {
            println!(
                "this location was already pinned to the store at {} ({})",
                store.root().display(),
                location::LocationPin {
                    id: store.id().to_string(),
                    root_key: store.root_key().to_string(),
                    first_seen: String::new(),
                }
                .describe()
            );
        }
        for dir in &forgotten {
            println!(
                "forgot the sequences this machine trusted in the store at {} (removed {})",
                store.root().display(),
                dir.display()
            );
        }
    }
    Ok(serde_json::json!({"changes": json_changes, "seen_removed": forgotten}))
}
