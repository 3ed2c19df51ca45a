//! `sm doctor`: repair the leftovers of interrupted writes.

use clap::Args;

use super::{CmdResult, Context, output};

/// Find and remove the leftovers of interrupted writes (temp files, orphan
/// ciphertexts, a torn last log line)
#[derive(Debug, Args)]
pub struct DoctorArgs {}

pub fn run(ctx: &Context, _args: DoctorArgs) -> CmdResult {
    let store = ctx.open_store()?;
    let report = store.doctor()?;
    if ctx.global.json {
        output::json(&report)?;
    } else {
        for path in &report.removed {
            println!("removed {}", path.display());
        }
        for path in &report.repaired {
            println!("repaired {} (cut a torn last line)", path.display());
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
