//! Talking to the agent: one connection per sm command, and
//! [`AgentKey`], the [`RemoteKey`] whose operations the agent does.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use zeroize::Zeroizing;

use super::{Request, Response, WireStanza};
use crate::crypto::{Identity, RemoteKey};
use crate::error::{Error, Result};

/// How long a request may wait for the agent's answer.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(30);

/// An open connection to the agent.
pub struct Connection {
    reader: BufReader<UnixStream>,
    writer: UnixStream,
}

impl Connection {
    /// Connects to the agent at `socket`. `Ok(None)` when no agent listens
    /// there; an error when its folder is not safely the user's own.
    pub fn open(socket: &Path) -> Result<Option<Connection>> {
        let dir = socket.parent().unwrap_or(Path::new("/"));
        if std::fs::symlink_metadata(dir).is_err() {
            return Ok(None);
        }
        super::check_dir(dir)?;
        let Ok(stream) = UnixStream::connect(socket) else {
            return Ok(None);
        };
        let io = |e| Error::io("cannot talk to the agent at", socket, e);
        stream.set_read_timeout(Some(ANSWER_TIMEOUT)).map_err(io)?;
        let writer = stream.try_clone().map_err(io)?;
        Ok(Some(Connection {
            reader: BufReader::new(stream),
            writer,
        }))
    }

    /// Sends one request and reads its answer.
    pub fn call(&mut self, request: &Request) -> std::io::Result<Response> {
        let mut text =
            Zeroizing::new(serde_json::to_string(request).map_err(std::io::Error::other)?);
        text.push('\n');
        self.writer.write_all(text.as_bytes())?;
        let mut line = Zeroizing::new(String::new());
        if self.reader.read_line(&mut line)? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        serde_json::from_str(&line).map_err(std::io::Error::other)
    }
}

/// Returns the identity the agent holds if it is the one protected in
/// `wrapped` (the passphrase-protected file's bytes); `None` when no agent
/// runs, it is locked, or it holds another identity.
pub fn identity_for(socket: &Path, wrapped: &[u8]) -> Option<Identity> {
    let mut conn = Connection::open(socket).ok()??;
    let hello = conn
        .call(&Request::Hello {
            wrapped: crate::crypto::sha256_hex(wrapped),
        })
        .ok()?;
    if !hello.ok {
        return None;
    }
    let verifying: [u8; 32] = B64.decode(hello.data?).ok()?.try_into().ok()?;
    let key = Arc::new(AgentKey(Mutex::new(conn)));
    Identity::remote(key, hello.recipient?, &verifying)
}

/// The identity held by the agent, reached through one connection.
pub struct AgentKey(Mutex<Connection>);

impl AgentKey {
    fn call(&self, request: &Request) -> Option<Response> {
        let mut conn = self.0.lock().unwrap_or_else(|p| p.into_inner());
        conn.call(request).ok().filter(|r| r.ok)
    }

    /// A request whose answer the command cannot do without: when the
    /// agent stopped or was locked meanwhile, sm ends (exit 4) before
    /// writing anything unsigned.
    fn must<const N: usize>(&self, request: &Request) -> Zeroizing<[u8; N]> {
        let data = self
            .call(request)
            .and_then(|r| r.data)
            .and_then(|d| B64.decode(d).ok())
            .map(Zeroizing::new);
        match data
            .as_ref()
            .and_then(|d| <[u8; N]>::try_from(d.as_slice()).ok())
        {
            Some(bytes) => Zeroizing::new(bytes),
            None => {
                eprintln!("error: the sm agent stopped or forgot your identity during the command");
                eprintln!("hint: run the command again (`sm agent start` unlocks it again)");
                std::process::exit(4);
            }
        }
    }
}

impl RemoteKey for AgentKey {
    fn unwrap_stanzas(
        &self,
        stanzas: &[age_core::format::Stanza],
    ) -> Option<std::result::Result<age_core::format::FileKey, age::DecryptError>> {
        let request = Request::Unwrap {
            stanzas: stanzas
                .iter()
                .map(|s| WireStanza {
                    tag: s.tag.clone(),
                    args: s.args.clone(),
                    body: B64.encode(&s.body),
                })
                .collect(),
        };
        let Some(response) = self.call(&request) else {
            return Some(Err(age::DecryptError::KeyDecryptionFailed));
        };
        let data = Zeroizing::new(B64.decode(response.data?).ok()?);
        let key: [u8; 16] = data.as_slice().try_into().ok()?;
        Some(Ok(age_core::format::FileKey::new(Box::new(key))))
    }

    fn sign(&self, message: &[u8]) -> [u8; 64] {
        *self.must::<64>(&Request::Sign {
            message: B64.encode(message),
        })
    }

    fn derive_key(&self, info: &[u8]) -> Zeroizing<[u8; 32]> {
        self.must::<32>(&Request::Derive {
            info: B64.encode(info),
        })
    }
}
