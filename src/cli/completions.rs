//! `sm completions`: print shell completions.

use clap::Args;
use clap_complete::Shell;

use super::{CmdResult, Context};

/// Print shell completions (bash, zsh, fish, elvish, powershell)
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: Shell,
}

pub fn run(_ctx: &Context, args: CompletionsArgs) -> CmdResult {
    let mut cmd = super::command();
    clap_complete::generate(args.shell, &mut cmd, "sm", &mut std::io::stdout());
    Ok(0)
}
