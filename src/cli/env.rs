//! `sm env`: print the variables `sm exec` would set, for tools that want a
//! `.env` file, an `eval` or JSON.

use std::io::{IsTerminal, Write};

use clap::{Args, ValueEnum};

use super::exec::{SelectionArgs, resolve};
use super::{CmdResult, Context, output};
use crate::exec::{self, Format};

/// Print secrets as variables: a .env file, shell exports or JSON
///
/// Takes the same selection as `sm exec`. dotenv and shell output quote
/// every value so that any bytes a secret holds (quotes, $, backticks,
/// newlines, #) come back exactly from `set -a; . FILE` or
/// `eval "$(sm env --format shell)"`. dotenv output is also read back
/// exactly by `sm exec --env-file` and by python-dotenv, except values that
/// hold ' or \\ together with $ or a backtick, hold ${, end in a backslash,
/// or hold a carriage return (sm warns; use shell or json for those). json is an object of
/// name to value (UTF-8 values only). Values are printed: mind where the
/// output goes.
#[derive(Debug, Args)]
pub struct EnvArgs {
    #[command(flatten)]
    pub selection: SelectionArgs,
    /// The output format (--json means json)
    #[arg(long, value_enum, default_value = "dotenv")]
    pub format: EnvFormat,
}

/// The output formats of `sm env`.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum EnvFormat {
    /// VAR='value' lines
    Dotenv,
    /// export VAR='value' lines, for eval
    Shell,
    /// {"VAR": "value", ...}
    Json,
}

pub fn run(ctx: &Context, args: EnvArgs) -> CmdResult {
    let format = match (ctx.global.json, args.format) {
        (true, _) | (_, EnvFormat::Json) => Format::Json,
        (_, EnvFormat::Shell) => Format::Shell,
        (_, EnvFormat::Dotenv) => Format::Dotenv,
    };
    let selection = args.selection.parse()?;
    let variables = resolve(
        ctx,
        selection,
        args.selection.allow_override,
        "env",
        None,
        &[],
    )?;
    let text = exec::render_env(&variables, format)?;
    if format == Format::Dotenv {
        for var in variables
            .iter()
            .filter(|v| !exec::dotenv_portable(&v.value))
        {
            output::note(
                ctx.global.quiet,
                format!(
                    "sm: warning: `{}` is written for a shell; other .env readers may change it \
                     (see `sm env --help`); \
                     --format shell or json keeps it exact",
                    var.name
                ),
            );
        }
    }
    let stdout = std::io::stdout();
    if stdout.is_terminal() && !variables.is_empty() {
        output::note(
            ctx.global.quiet,
            "sm: warning: printing secret values to the terminal",
        );
    }
    let mut out = stdout.lock();
    out.write_all(&text)?;
    out.flush()?;
    Ok(0)
}
