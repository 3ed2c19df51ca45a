//! `sm man`: write man pages.

use std::path::{Path, PathBuf};

use clap::Args;

use super::{CmdResult, Context, output};
use crate::Error;

/// Write man pages (sm.1 and one per subcommand) into DIR
#[derive(Debug, Args)]
pub struct ManArgs {
    /// The folder to write into
    pub dir: PathBuf,
}

fn render(cmd: clap::Command, dir: &Path, written: &mut usize) -> anyhow::Result<()> {
    let name = cmd.get_name().to_string();
    let path = dir.join(format!("{name}.1"));
    let mut buf = Vec::new();
    clap_mangen::Man::new(cmd.clone()).render(&mut buf)?;
    std::fs::write(&path, buf).map_err(|e| Error::io("cannot write", &path, e))?;
    *written += 1;
    for sub in cmd.get_subcommands() {
        if sub.get_name() == "help" {
            continue;
        }
        let sub = sub
            .clone()
            .name(format!("{name}-{}", sub.get_name()).leak() as &str);
        render(sub, dir, written)?;
    }
    Ok(())
}

pub fn run(ctx: &Context, args: ManArgs) -> CmdResult {
    std::fs::create_dir_all(&args.dir)
        .map_err(|e| Error::io("cannot create folder", &args.dir, e))?;
    let mut written = 0;
    let mut cmd = super::command();
    cmd.build();
    render(cmd, &args.dir, &mut written)?;
    output::note(
        ctx.global.quiet,
        format!("wrote {written} man pages to {}", args.dir.display()),
    );
    Ok(0)
}
