//! `sm identity new|show|export`: create, print and back up the local
//! identity.
//!
//! The member card (`sm identity show --card`) is the recipient and the
//! signing key in one copy-paste safe string:
//! `sm-card:v1:<recipient>:<signing key>`, where an SSH recipient's space
//! becomes `_` (neither an age recipient nor base64 holds `_` or `:`).

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
    Show {
        /// Print both as one "member card" string (sm-card:v1:…), which
        /// `sm member add NAME CARD` accepts
        #[arg(long)]
        card: bool,
    },
    /// Export the identity's secret key, for a backup
    ///
    /// Prints the key to a terminal (never to a pipe or a file through the
    /// shell), or writes it to a new file with mode 0600 (never replacing
    /// one). A passphrase-protected identity is exported unprotected.
    Export {
        /// Write the key to this new file (mode 0600) instead of the terminal
        #[arg(long, value_name = "FILE")]
        file: Option<PathBuf>,
    },
    /// Add or change the passphrase of your identity file (asked on the
    /// terminal twice; the old one first when it has one)
    ///
    /// An identity in the OS keyring or SM_IDENTITY has no passphrase:
    /// export it to a file first (`sm identity export --file F`).
    Passphrase,
}

/// The prefix of a member card.
const CARD_PREFIX: &str = "sm-card:v1:";

/// Formats the member card of a recipient and signing key.
pub fn card(recipient: &str, signing_key: &str) -> String {
    format!("{CARD_PREFIX}{}:{signing_key}", recipient.replace(' ', "_"))
}

/// Tells whether an argument looks like a member card (not a recipient).
pub fn is_card(text: &str) -> bool {
    text.starts_with("sm-card:")
}

/// Parses a member card into (recipient, signing key); both are checked.
pub fn parse_card(text: &str) -> crate::Result<(String, String)> {
    let bad = || {
        Error::invalid("that member card is malformed")
            .with_hint("copy the whole line `sm identity show --card` prints (sm-card:v1:…)")
    };
    let rest = text.trim().strip_prefix(CARD_PREFIX).ok_or_else(bad)?;
    let (recipient, signing_key) = rest.split_once(':').ok_or_else(bad)?;
    let recipient = recipient.replace('_', " ");
    crate::crypto::Recipient::parse(&recipient).map_err(|_| bad())?;
    crate::crypto::VerifyingKey::parse(signing_key).map_err(|_| bad())?;
    Ok((recipient, signing_key.to_string()))
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
                Some(SecretString::from(ask_new_passphrase(
                    "Passphrase for the new identity",
                )?))
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
                    "card": card(identity.recipient(), &identity.signing_key()),
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
                    "Back it up (`sm identity export --file F`): whoever loses it loses access to every secret encrypted to it.",
                );
                output::note(
                    ctx.global.quiet,
                    format!(
                        "Your member card, for a store admin's `sm member add NAME CARD`:\n{}",
                        card(identity.recipient(), &identity.signing_key())
                    ),
                );
            }
            Ok(0)
        }
        IdentityCommand::Export { file } => export(ctx, file),
        IdentityCommand::Passphrase => passphrase(ctx),
        IdentityCommand::Show { card: as_card } => {
            let identity = ctx.identity()?;
            if ctx.global.json {
                output::json(&serde_json::json!({
                    "recipient": identity.recipient(),
                    "signing_key": identity.signing_key(),
                    "card": card(identity.recipient(), &identity.signing_key()),
                }))?;
            } else if as_card {
                println!("{}", card(identity.recipient(), &identity.signing_key()));
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

/// `sm identity export`: the key text to a terminal or a new 0600 file.
fn export(ctx: &Context, file: Option<PathBuf>) -> CmdResult {
    use std::io::{IsTerminal, Write};
    if file.is_none() && !std::io::stdout().is_terminal() {
        return Err(Error::invalid(
            "sm will not print the secret key to a pipe or a file (it could end up in a log)",
        )
        .with_hint("write it to a new private file with `sm identity export --file FILE`")
        .into());
    }
    let (text, source) = ctx.identity_text()?;
    let text = if text.ends_with('\n') {
        text
    } else {
        zeroize::Zeroizing::new(format!("{}\n", text.as_str()))
    };
    match file {
        Some(path) => {
            let mut out = crate::userfiles::create_new_private(&path).map_err(|e| {
                if e.kind() == std::io::ErrorKind::AlreadyExists {
                    Error::conflict(format!(
                        "{} exists already; sm will not overwrite it",
                        path.display()
                    ))
                    .with_hint("choose a new file name")
                } else {
                    Error::io("cannot create the export file", &path, e)
                }
            })?;
            out.write_all(text.as_bytes())
                .and_then(|()| out.sync_all())
                .map_err(|e| Error::io("cannot write the export file", &path, e))?;
            output::note(
                ctx.global.quiet,
                format!(
                    "sm: wrote the secret key from {source} to {} (mode 0600, without a passphrase). Keep it offline; whoever has it reads every secret encrypted to you.",
                    path.display()
                ),
            );
        }
        None => {
            eprintln!(
                "sm: WARNING: this is your secret key (from {source}), without a passphrase. Whoever sees it reads every secret encrypted to you; clear the screen afterwards."
            );
            print!("{}", text.as_str());
            std::io::stdout().flush().ok();
        }
    }
    Ok(0)
}

/// `sm identity passphrase`: wraps the identity file with a new passphrase.
fn passphrase(ctx: &Context) -> CmdResult {
    if !can_prompt() {
        return Err(Error::invalid("`sm identity passphrase` needs a terminal to ask").into());
    }
    // Asks for the old passphrase when the file has one.
    let (text, source) = ctx.identity_text()?;
    let crate::crypto::identity::Source::File(path) = source else {
        return Err(Error::invalid(format!(
            "the identity in {source} cannot have a passphrase; only an identity file can"
        ))
        .with_hint(
            "export it to a file (`sm identity export --file F`), use that file (SM_IDENTITY_FILE=F), then run `sm identity passphrase`",
        )
        .into());
    };
    let new = ask_new_passphrase("New passphrase for your sm identity")?;
    let wrapped = zeroize::Zeroizing::new(crate::crypto::wrap_with_passphrase(
        &text,
        SecretString::from(new),
    )?);
    crate::userfiles::write_private(&path, &wrapped)?;
    output::note(
        ctx.global.quiet,
        format!("sm: {} is protected by the new passphrase.", path.display()),
    );
    Ok(0)
}

/// Asks for a new passphrase twice on the terminal; an empty answer is
/// asked again with the reason (dialoguer alone asks again silently), up
/// to three times.
fn ask_new_passphrase(prompt: &str) -> crate::Result<String> {
    for _ in 0..3 {
        let text = dialoguer::Password::new()
            .with_prompt(prompt)
            .with_confirmation("Repeat the passphrase", "The passphrases differ")
            .allow_empty_password(true)
            .interact()
            .map_err(|_| Error::invalid("no passphrase was entered"))?;
        if !text.is_empty() {
            return Ok(text);
        }
        eprintln!("sm: the passphrase is empty; type one (Ctrl-C stops)");
    }
    Err(Error::invalid("the passphrase is empty"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn card_round_trips_and_rejects_garbage() {
        let (id, _) = crate::crypto::Identity::generate();
        let c = card(id.recipient(), &id.signing_key());
        assert!(!c.contains(char::is_whitespace));
        let (r, k) = parse_card(&c).unwrap();
        assert_eq!(r, id.recipient());
        assert_eq!(k, id.signing_key());
        assert!(parse_card("sm-card:v1:age1xyz").is_err());
        assert!(parse_card(&c.replace("sm-card:v1:", "sm-card:v2:")).is_err());
        assert!(parse_card(&c[..c.len() - 4]).is_err());
    }
}
