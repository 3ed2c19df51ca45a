//! Handing secrets to programs (SPEC section 6). The area owns:
//!
//! - [`selection`]: the syntax of `-s` and of `sm://` references, and the
//!   names of the variables they give;
//! - [`dotenv`]: the `.env` parser (also behind `sm import`);
//! - [`env_file`]: env files as sources of variables, and the refusal of
//!   lines that would make the program load or run other code, by the
//!   rules of [`unsafe_vars`];
//! - [`resolution`]: reading every referenced secret in parallel and naming
//!   the variables;
//! - [`formats`]: dotenv, shell and JSON output for `sm env`;
//! - [`template`]: `{{ sm://... }}` templates for `sm inject`.
//!
//! The core never runs the program: `sm exec` (in the command line) builds
//! the environment from [`Resolution::variables`] and replaces itself.

pub mod child;
pub mod dotenv;
pub mod env_file;
pub mod formats;
pub mod resolution;
pub mod selection;
pub mod template;
pub mod unsafe_vars;

use zeroize::Zeroizing;

use crate::crypto::SecretBytes;
use crate::store::Selector;

pub use env_file::{EnvFile, EnvPolicy, PendingChecks, parse_env_file};
pub use formats::{Format, dotenv_portable, dotenv_quote, render_env, shell_quote};
pub use resolution::{
    ReadRecord, Reads, Resolution, check_inherited, read_all, read_all_with, resolve, resolve_with,
};
pub use selection::{is_variable_name, json_field, parse_selection, split_field, variable_name};
pub use template::{Piece, parse_template, render_template, write_private};

/// The scheme of a reference inside an env file or a template.
pub const SCHEME: &str = "sm://";

/// A reference to a secret's value: `NAME[#field][?label=L|?version=ID]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    /// The secret's name.
    pub name: String,
    /// A top-level field of a JSON secret.
    pub field: Option<String>,
    /// Which version.
    pub selector: Selector,
}

/// How a secret's value becomes variables.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Naming {
    /// Names derived from the secret: one per field of a JSON secret, else
    /// the last path segment (or the field, for `NAME#field`), each after
    /// the prefix.
    Auto {
        /// Prepended to every derived name (`-s NAME:PREFIX`).
        prefix: String,
    },
    /// Exactly one variable with this name (`-s NAME=VAR`, `VAR=sm://NAME`).
    Var(String),
}

/// One source of variables, in the order given.
#[derive(Debug)]
pub enum Item {
    /// A literal `VAR=value` line of an env file.
    Literal {
        /// The variable.
        var: String,
        /// Its value.
        value: Zeroizing<String>,
        /// Where it came from (`FILE:LINE`), for error messages.
        origin: String,
    },
    /// A secret to read.
    Secret {
        /// What to read.
        reference: Reference,
        /// How to name what it gives.
        naming: Naming,
        /// Where it came from (`-s SPEC` or `FILE:LINE`).
        origin: String,
    },
}

/// One environment variable to set.
pub struct Variable {
    /// Its name.
    pub name: String,
    /// Its value (any bytes but NUL), wiped on drop.
    pub value: SecretBytes,
    /// Where it came from, for error messages.
    pub origin: String,
    /// The secret it was named after (a JSON field or the last path
    /// segment), when nobody named it explicitly (`=VAR`, an env-file line).
    pub implicit: Option<String>,
}

impl std::fmt::Debug for Variable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Variable")
            .field("name", &self.name)
            .field("value", &"<redacted>")
            .field("origin", &self.origin)
            .field("implicit", &self.implicit)
            .finish()
    }
}
