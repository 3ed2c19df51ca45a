//! `sm identity new|show`: create and print the local identity.

use std::path::PathBuf;

use age::secrecy::SecretString;
use clap::{Args, Subcommand};

use super::context::can_prompt;
use super::{CmdResult, Context, output};
use crate::Error;

/// Create or show your identity (age key and signing key)
#[derive(Debug, Args)]
pub struct IdentityArgs {
    #[command(subcommand)]
    pub command: IdentityCommand,
}

#[derive(Debug, Subcommand)]
pub enum IdentityCommand {
    /// Create an identity (in the OS keyring unless --file or SM_NO_KEYRING=1)
    New {
        /// Write the identity to FILE (mode 0600) instead of the keyring
        #[arg(long, value_name = "FILE")]
        file: Option<PathBuf>,
        /// Protect the identity file with a passphrase (asked twice)
        #[arg(long)]
        passphrase: bool,
    },
    /// Print your age recipient and signing key, for `sm member add`
    Show,
}

pub fn run(ctx: &Context, args: IdentityArgs) -> CmdResult {
    match args.command {
        IdentityCommand::New { file, passphrase } => {
            let passphrase = if passphrase {
                if !can_prompt() {
                    return Err(Error::invalid(
                        "--passphrase needs a terminal to ask for the passphrase",
                    )
                    .into());
                }
                let text = dialoguer::Password::new()
                    .with_prompt("Passphrase for the new identity")
                    .with_confirmation("Repeat the passphrase", "The passphrases differ")
                    .interact()
                    .map_err(|_| Error::invalid("no passphrase was entered"))?;
                if text.is_empty() {
                    return Err(Error::invalid("the passphrase is empty").into());
                }
                Some(SecretString::from(text))
            } else {
                None
            };
            let file = match (&file, passphrase.is_some()) {
                (Some(f), _) => Some(f.clone()),
                (None, true) => Some(ctx.default_identity_file()?),
                (None, false) => None,
            };
            let (identity, source) = ctx.create_identity(file.as_deref(), passphrase)?;
            if ctx.global.json {
                output::json(&serde_json::json!({
                    "recipient": identity.recipient(),
                    "signing_key": identity.signing_key(),
                    "location": source.to_string(),
                }))?;
            } else {
                println!("{}", identity.recipient());
                output::note(
                    ctx.global.quiet,
                    format!("sm: created a new identity in {source}"),
                );
                output::note(
                    ctx.global.quiet,
                    "Back it up: whoever loses it loses access to every secret encrypted to it.",
                );
            }
            Ok(0)
        }
        IdentityCommand::Show => {
            let identity = ctx.identity()?;
            if ctx.global.json {
                output::json(&serde_json::json!({
                    "recipient": identity.recipient(),
                    "signing_key": identity.signing_key(),
                }))?;
            } else {
                println!("recipient:   {}", identity.recipient());
                println!("signing key: {}", identity.signing_key());
                output::note(
                    ctx.global.quiet,
                    format!("(from {})", ctx.identity_source()?),
                );
            }
            Ok(0)
        }
    }
}
