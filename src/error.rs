//! Typed errors of the core, each mapped to one exit code of SPEC section 8.
//!
//! No variant ever holds a secret value: messages name secrets, files and
//! versions, never their contents.

use std::path::PathBuf;

/// The result type of the core library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything the core can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The caller gave something sm cannot accept (exit 2).
    #[error("{message}")]
    InvalidInput {
        message: String,
        hint: Option<String>,
    },
    /// A secret, version or label does not exist (exit 3).
    #[error("{message}")]
    NotFound {
        message: String,
        hint: Option<String>,
    },
    /// No identity, a wrong passphrase, or not a recipient (exit 4).
    #[error("{message}")]
    NoAccess {
        message: String,
        hint: Option<String>,
    },
    /// Tampered, forged or corrupt data (exit 5).
    #[error("integrity check failed for {}: {reason}", file.display())]
    Integrity {
        file: PathBuf,
        reason: String,
        hint: Option<String>,
    },
    /// A lock was not obtained, a rotation is running, or a version id was
    /// reused with another value (exit 6).
    #[error("{message}")]
    Conflict {
        message: String,
        hint: Option<String>,
    },
    /// A rotation step failed (exit 7).
    #[error("{message}")]
    RotationFailed {
        message: String,
        hint: Option<String>,
    },
    /// An operating-system error on a file (exit 1).
    // The OS error is part of the message and deliberately not a `source`:
    // the command line prints the whole chain, which would say it twice.
    #[error("{action} {}: {cause}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        cause: std::io::Error,
    },
    /// Anything else that should not happen (exit 1).
    #[error("{0}")]
    Other(String),
}

impl Error {
    /// Builds an invalid-input error.
    pub fn invalid(message: impl Into<String>) -> Self {
        Error::InvalidInput {
            message: message.into(),
            hint: None,
        }
    }

    /// Builds a not-found error.
    pub fn not_found(message: impl Into<String>) -> Self {
        Error::NotFound {
            message: message.into(),
            hint: None,
        }
    }

    /// Builds a no-access error.
    pub fn no_access(message: impl Into<String>) -> Self {
        Error::NoAccess {
            message: message.into(),
            hint: None,
        }
    }

    /// Builds a conflict error.
    pub fn conflict(message: impl Into<String>) -> Self {
        Error::Conflict {
            message: message.into(),
            hint: None,
        }
    }

    /// Builds an integrity error naming the file at fault.
    pub fn integrity(file: impl Into<PathBuf>, reason: impl Into<String>) -> Self {
        Error::Integrity {
            file: file.into(),
            reason: reason.into(),
            hint: None,
        }
    }

    /// Wraps an I/O error with what was being done and to which path.
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            action,
            path: path.into(),
            cause: source,
        }
    }

    /// Attaches a hint (what to do next) to errors that carry one.
    pub fn with_hint(mut self, text: impl Into<String>) -> Self {
        match &mut self {
            Error::InvalidInput { hint, .. }
            | Error::NotFound { hint, .. }
            | Error::NoAccess { hint, .. }
            | Error::Conflict { hint, .. }
            | Error::Integrity { hint, .. }
            | Error::RotationFailed { hint, .. } => *hint = Some(text.into()),
            _ => {}
        }
        self
    }

    /// Puts where the error comes from (`FILE:LINE`) in front of its
    /// message, for the errors that carry one.
    pub fn located(mut self, place: &str) -> Self {
        match &mut self {
            Error::InvalidInput { message, .. }
            | Error::NotFound { message, .. }
            | Error::NoAccess { message, .. }
            | Error::Conflict { message, .. }
            | Error::RotationFailed { message, .. } => *message = format!("{place}: {message}"),
            _ => {}
        }
        self
    }

    /// Returns the hint, if any.
    pub fn hint(&self) -> Option<&str> {
        match self {
            Error::InvalidInput { hint, .. }
            | Error::NotFound { hint, .. }
            | Error::NoAccess { hint, .. }
            | Error::Conflict { hint, .. }
            | Error::RotationFailed { hint, .. } => hint.as_deref(),
            Error::Integrity { hint: Some(h), .. } => Some(h),
            Error::Integrity { .. } => Some(
                "run `sm verify` to list every problem; restore the file from git if it was changed by hand",
            ),
            Error::Io { cause, .. } if read_only(cause) => Some(
                "the store (or this file) is read-only here: reads still work and log to your own log; writes need a writable checkout",
            ),
            _ => None,
        }
    }

    /// Returns the process exit code of SPEC section 8.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::InvalidInput { .. } => 2,
            Error::NotFound { .. } => 3,
            Error::NoAccess { .. } => 4,
            Error::Integrity { .. } => 5,
            Error::Conflict { .. } => 6,
            Error::RotationFailed { .. } => 7,
            // Not writable here (a read-only store on a write): no access.
            Error::Io { cause, .. } if read_only(cause) => 4,
            Error::Io { .. } | Error::Other(_) => 1,
        }
    }
}

/// Tells whether an OS error means the file or its file system is not
/// writable by this user.
fn read_only(cause: &std::io::Error) -> bool {
    crate::audit::fallback::is_read_only_io(cause)
}
