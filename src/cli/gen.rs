//! `sm gen`: print a random password.

use clap::Args;

use super::{CmdResult, Context, output};
use crate::password::{PasswordSpec, generate};

/// Print a random password from the OS CSPRNG
///
/// By default 32 characters with at least one lowercase letter, uppercase
/// letter, digit and punctuation character.
#[derive(Debug, Args)]
pub struct GenArgs {
    /// Length, 1 to 4096
    #[arg(long, default_value_t = 32, value_name = "N")]
    pub length: usize,
    /// Never use these characters
    #[arg(long, value_name = "CHARS", default_value = "")]
    pub exclude_chars: String,
    /// No digits
    #[arg(long)]
    pub no_numbers: bool,
    /// No punctuation (!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~)
    #[arg(long)]
    pub no_punctuation: bool,
    /// No uppercase letters
    #[arg(long)]
    pub no_uppercase: bool,
    /// No lowercase letters
    #[arg(long)]
    pub no_lowercase: bool,
    /// Allow the space character
    #[arg(long)]
    pub include_space: bool,
    /// Do not require one character of each included class
    #[arg(long)]
    pub no_require_each: bool,
}

impl GenArgs {
    /// Turns the flags into a password spec.
    pub fn spec(&self) -> PasswordSpec {
        PasswordSpec {
            length: self.length,
            exclude: self.exclude_chars.clone(),
            numbers: !self.no_numbers,
            punctuation: !self.no_punctuation,
            uppercase: !self.no_uppercase,
            lowercase: !self.no_lowercase,
            space: self.include_space,
            require_each: !self.no_require_each,
        }
    }
}

pub fn run(_ctx: &Context, args: GenArgs) -> CmdResult {
    let password = generate(&args.spec())?;
    output::value(password.as_bytes())?;
    Ok(0)
}
