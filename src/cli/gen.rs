//! `sm gen`: print a random password; its options are shared with
//! `sm put --generate` and `sm rotate --generate`.

use clap::Args;

use super::{CmdResult, Context, output};
use crate::password::{PasswordSpec, generate};

/// Print a random password from the OS CSPRNG
///
/// By default 32 characters with at least one lowercase letter, uppercase
/// letter, digit and punctuation character.
#[derive(Debug, Args)]
pub struct GenArgs {
    #[command(flatten)]
    pub password: PasswordArgs,
}

/// The password options of `sm gen`, `sm put --generate` and
/// `sm rotate --generate`.
#[derive(Debug, Args, Clone, Default)]
pub struct PasswordArgs {
    /// Password length, 1 to 4096 [default: 32]
    #[arg(long, value_name = "N")]
    pub length: Option<usize>,
    /// Never use these characters in the password
    #[arg(long, value_name = "CHARS")]
    pub exclude_chars: Option<String>,
    /// No digits in the password
    #[arg(long)]
    pub no_numbers: bool,
    /// No punctuation in the password (!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~)
    #[arg(long)]
    pub no_punctuation: bool,
    /// No uppercase letters in the password
    #[arg(long)]
    pub no_uppercase: bool,
    /// No lowercase letters in the password
    #[arg(long)]
    pub no_lowercase: bool,
    /// Allow the space character in the password
    #[arg(long)]
    pub include_space: bool,
    /// Do not require one character of each included class
    #[arg(long)]
    pub no_require_each: bool,
}

impl PasswordArgs {
    /// Turns the flags into a password spec.
    pub fn spec(&self) -> PasswordSpec {
        let default = PasswordSpec::default();
        PasswordSpec {
            length: self.length.unwrap_or(default.length),
            exclude: self.exclude_chars.clone().unwrap_or_default(),
            numbers: !self.no_numbers,
            punctuation: !self.no_punctuation,
            uppercase: !self.no_uppercase,
            lowercase: !self.no_lowercase,
            space: self.include_space,
            require_each: !self.no_require_each,
        }
    }

    /// Tells whether any option was given (they need `--generate` outside
    /// `sm gen`).
    pub fn given(&self) -> bool {
        self.length.is_some()
            || self.exclude_chars.is_some()
            || self.no_numbers
            || self.no_punctuation
            || self.no_uppercase
            || self.no_lowercase
            || self.include_space
            || self.no_require_each
    }

    /// Fails (exit 2) when an option was given without `--generate`.
    pub fn check_needs_generate(&self, generate: bool) -> crate::Result<()> {
        if self.given() && !generate {
            return Err(
                crate::Error::invalid("the password options need --generate")
                    .with_hint("add --generate, or drop --length, --exclude-chars and --no-*"),
            );
        }
        Ok(())
    }
}

pub fn run(_ctx: &Context, args: GenArgs) -> CmdResult {
    let password = generate(&args.password.spec())?;
    output::value(password.as_bytes())?;
    Ok(0)
}
