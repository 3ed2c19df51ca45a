//! `sm agent`: a background process that holds an unlocked
//! (passphrase-protected) identity in memory for a limited time, so that
//! the passphrase and its scrypt are paid once, as ssh-agent and gpg-agent
//! do.
//!
//! The agent never hands the key to its clients: it unwraps age file keys,
//! signs and derives keys on their behalf ([`client::AgentKey`] implements
//! [`crate::crypto::RemoteKey`]). It listens on a Unix socket
//! (`$XDG_RUNTIME_DIR/sm/agent.sock`, else `/tmp/sm-<uid>/agent.sock`) in a
//! 0700 folder of the user's, the socket 0600; it refuses any peer whose
//! uid is not its own (SO_PEERCRED); it ends after an idle timeout and a
//! maximum lifetime, forgets the key on `lock`, and is non-dumpable (see
//! [`crate::hardening`]). The key is never written to disk.
//!
//! The protocol is one JSON object per line each way on one connection,
//! see [`Request`] and [`Response`].

pub mod client;
pub mod server;

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The default idle timeout.
pub const DEFAULT_IDLE: Duration = Duration::from_secs(15 * 60);
/// The maximum lifetime of an agent, whatever its idle timeout.
pub const MAX_LIFETIME: Duration = Duration::from_secs(8 * 60 * 60);

/// A request from a client.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Request {
    /// Asks for the public halves of the held identity if it is the one
    /// whose passphrase-protected file has SHA-256 `wrapped`.
    Hello {
        /// The hex SHA-256 of the protected identity file's bytes.
        wrapped: String,
    },
    /// Unwraps an age file key from a header's stanzas.
    Unwrap {
        /// The stanzas.
        stanzas: Vec<WireStanza>,
    },
    /// Signs a message (base64).
    Sign {
        /// The message, base64.
        message: String,
    },
    /// Derives a key for `info` (base64).
    Derive {
        /// The HKDF info, base64.
        info: String,
    },
    /// Hands the agent an unlocked identity (`sm agent start`).
    Load {
        /// The identity's key text.
        identity: String,
        /// The hex SHA-256 of the protected file it came from.
        wrapped: String,
        /// Where it came from, for `status`.
        source: String,
        /// The idle timeout in seconds from now on.
        idle_secs: u64,
    },
    /// Asks for the agent's state.
    Status,
    /// Forgets the identity; the agent keeps running.
    Lock,
    /// Ends the agent.
    Stop,
}

/// An age recipient stanza on the wire.
#[derive(Debug, Serialize, Deserialize)]
pub struct WireStanza {
    /// The stanza's tag.
    pub tag: String,
    /// Its arguments.
    pub args: Vec<String>,
    /// Its body, base64.
    pub body: String,
}

/// A response to one request.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Response {
    /// Whether the request succeeded.
    pub ok: bool,
    /// Why it failed (`locked`, `other identity`, `refused`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The age recipient (hello).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recipient: Option<String>,
    /// Base64 data: the verifying key (hello), the file key (unwrap, absent
    /// when no stanza matched), the signature (sign), the derived key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<String>,
    /// The agent's state (status).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
}

impl Response {
    /// A failure with a reason.
    pub fn fail(reason: &str) -> Response {
        Response {
            error: Some(reason.to_string()),
            ..Response::default()
        }
    }

    /// A success carrying base64 data.
    pub fn data(data: String) -> Response {
        Response {
            ok: true,
            data: Some(data),
            ..Response::default()
        }
    }
}

/// What `sm agent status` shows.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Status {
    /// The agent's process id.
    pub pid: u32,
    /// Whether it holds an identity.
    pub unlocked: bool,
    /// Where the held identity came from.
    pub source: Option<String>,
    /// Seconds since the last request that used the identity.
    pub idle_secs: u64,
    /// The idle timeout, seconds.
    pub timeout_secs: u64,
    /// Seconds until the maximum lifetime ends it.
    pub remaining_lifetime_secs: u64,
    /// How many key operations (unwrap, sign, derive) it has done.
    pub requests: u64,
}

/// Returns the folder of the agent's socket: `$XDG_RUNTIME_DIR/sm`, else
/// `/tmp/sm-<uid>`.
pub fn socket_dir() -> PathBuf {
    match std::env::var_os("XDG_RUNTIME_DIR").filter(|v| !v.is_empty()) {
        Some(dir) => PathBuf::from(dir).join("sm"),
        None => std::env::temp_dir().join(format!("sm-{}", current_uid())),
    }
}

/// Returns the agent's socket path.
pub fn socket_path() -> PathBuf {
    socket_dir().join("agent.sock")
}

/// Returns this process's real uid.
pub fn current_uid() -> u32 {
    // SAFETY: getuid has no preconditions.
    unsafe { libc::getuid() }
}

/// Creates the socket folder (0700) if missing, and checks that it is a
/// real folder owned by this user that no one else may enter.
pub fn prepare_dir(dir: &Path) -> Result<()> {
    crate::userfiles::create_private_dir_all(dir)?;
    check_dir(dir)
}

/// Checks that `dir` is a folder (not a link) owned by this user, mode
/// 0700 or stricter: an agent socket anywhere else may be someone else's.
pub fn check_dir(dir: &Path) -> Result<()> {
    let meta = std::fs::symlink_metadata(dir).map_err(|e| Error::io("cannot inspect", dir, e))?;
    if !meta.is_dir() || meta.uid() != current_uid() || meta.permissions().mode() & 0o077 != 0 {
        return Err(Error::no_access(format!(
            "sm will not use the agent folder {}: it must be a folder of yours that only you can enter (0700)",
            dir.display()
        ))
        .with_hint(format!(
            "remove it or fix its owner and mode (chmod 700 {})",
            dir.display()
        )));
    }
    Ok(())
}

/// Parses a timeout: a number of seconds, or a number with `s`, `m` or
/// `h`.
pub fn parse_timeout(text: &str) -> Result<Duration> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let bad = || {
        Error::invalid(format!(
            "`{text}` is not a timeout (e.g. 90s, 15m, 2h; at most 8h)"
        ))
    };
    let n: u64 = number.parse().map_err(|_| bad())?;
    let secs = match unit.trim() {
        "" | "s" => n,
        "m" => n.saturating_mul(60),
        "h" => n.saturating_mul(3600),
        _ => return Err(bad()),
    };
    if secs == 0 || secs > MAX_LIFETIME.as_secs() {
        return Err(bad());
    }
    Ok(Duration::from_secs(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeouts_parse() {
        assert_eq!(parse_timeout("2s").unwrap(), Duration::from_secs(2));
        assert_eq!(parse_timeout("90").unwrap(), Duration::from_secs(90));
        assert_eq!(parse_timeout("15m").unwrap(), Duration::from_secs(900));
        assert_eq!(parse_timeout("8h").unwrap(), MAX_LIFETIME);
        assert!(parse_timeout("9h").is_err());
        assert!(parse_timeout("0").is_err());
        assert!(parse_timeout("5d").is_err());
        assert!(parse_timeout("").is_err());
    }

    #[test]
    fn requests_round_trip() {
        let text = serde_json::to_string(&Request::Sign {
            message: "aGk=".into(),
        })
        .unwrap();
        assert_eq!(text, r#"{"op":"sign","message":"aGk="}"#);
        assert!(matches!(
            serde_json::from_str::<Request>(r#"{"op":"status"}"#).unwrap(),
            Request::Status
        ));
    }
}
