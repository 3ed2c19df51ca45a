//! The agent process (`sm agent serve`, started detached by `sm agent
//! start`): accepts same-uid clients on the socket and does the key
//! operations for them until its idle timeout or maximum lifetime.

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use age::secrecy::ExposeSecret;
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use zeroize::Zeroizing;

use super::{MAX_LIFETIME, Request, Response, Status, WireStanza};
use crate::crypto::Identity;
use crate::error::{Error, Result};

/// The longest request line accepted (a header of many stanzas fits).
const MAX_LINE: usize = 1 << 20;

/// The identity the agent holds.
struct Held {
    identity: Identity,
    wrapped: String,
    source: String,
}

/// The agent's shared state.
struct State {
    key: Option<Arc<Held>>,
    idle: Duration,
    last_used: Instant,
    started: Instant,
    requests: u64,
    stop: bool,
}

impl State {
    fn expired(&self) -> bool {
        self.stop || self.last_used.elapsed() >= self.idle || self.started.elapsed() >= MAX_LIFETIME
    }

    fn status(&self) -> Status {
        Status {
            pid: std::process::id(),
            unlocked: self.key.is_some(),
            source: self.key.as_ref().map(|k| k.source.clone()),
            idle_secs: self.last_used.elapsed().as_secs(),
            timeout_secs: self.idle.as_secs(),
            remaining_lifetime_secs: MAX_LIFETIME
                .saturating_sub(self.started.elapsed())
                .as_secs(),
            requests: self.requests,
        }
    }
}

/// Removes the socket file when the agent ends.
struct SocketFile(PathBuf);

impl Drop for SocketFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Runs the agent on `socket` until it expires or is stopped. Fails
/// (exit 6) when another agent answers there already.
pub fn serve(socket: &Path, idle: Duration) -> Result<()> {
    let dir = socket.parent().unwrap_or(Path::new("/"));
    super::prepare_dir(dir)?;
    if UnixStream::connect(socket).is_ok() {
        return Err(Error::conflict("an sm agent is running already"));
    }
    // A socket left by an agent that was killed.
    let _ = std::fs::remove_file(socket);
    let listener =
        UnixListener::bind(socket).map_err(|e| Error::io("cannot listen on", socket, e))?;
    let _cleanup = SocketFile(socket.to_path_buf());
    std::fs::set_permissions(socket, std::fs::Permissions::from_mode(0o600))
        .map_err(|e| Error::io("cannot set the mode of", socket, e))?;
    listener
        .set_nonblocking(true)
        .map_err(|e| Error::io("cannot listen on", socket, e))?;
    let state = Arc::new(Mutex::new(State {
        key: None,
        idle,
        last_used: Instant::now(),
        started: Instant::now(),
        requests: 0,
        stop: false,
    }));
    loop {
        if lock(&state).expired() {
            // Forget the key before the socket goes.
            lock(&state).key = None;
            return Ok(());
        }
        match listener.accept() {
            Ok((stream, _)) => {
                let state = state.clone();
                std::thread::spawn(move || handle(stream, &state));
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(_) => std::thread::sleep(Duration::from_millis(50)),
        }
        // The socket removed (or replaced) by someone: end.
        if std::fs::symlink_metadata(socket).is_err() {
            lock(&state).stop = true;
        }
    }
}

fn lock(state: &Mutex<State>) -> std::sync::MutexGuard<'_, State> {
    state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Returns the uid of the process at the other end of `stream`.
fn peer_uid(stream: &UnixStream) -> Option<u32> {
    use std::os::fd::AsRawFd;
    let mut cred = libc::ucred {
        pid: 0,
        uid: 0,
        gid: 0,
    };
    let mut len = std::mem::size_of::<libc::ucred>() as libc::socklen_t;
    // SAFETY: getsockopt writes at most `len` bytes into `cred`, a plain
    // struct of that size.
    let rc = unsafe {
        libc::getsockopt(
            stream.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_PEERCRED,
            (&mut cred as *mut libc::ucred).cast(),
            &mut len,
        )
    };
    (rc == 0).then_some(cred.uid)
}

/// Serves one client connection until it closes.
fn handle(stream: UnixStream, state: &Mutex<State>) {
    let _ = stream.set_nonblocking(false);
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    if peer_uid(&stream) != Some(super::current_uid()) {
        let _ = send(&mut writer, &Response::fail("refused: another user"));
        return;
    }
    let mut reader = BufReader::new(stream);
    loop {
        let mut line = Zeroizing::new(String::new());
        match (&mut reader).take(MAX_LINE as u64).read_line(&mut line) {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let response = match serde_json::from_str::<Request>(&line) {
            Ok(request) => answer(request, state),
            Err(_) => Response::fail("bad request"),
        };
        if send(&mut writer, &response).is_err() {
            return;
        }
    }
}

fn send(writer: &mut UnixStream, response: &Response) -> std::io::Result<()> {
    // It may carry a file key or a derived key: wiped once sent.
    let mut text = Zeroizing::new(serde_json::to_string(response).map_err(std::io::Error::other)?);
    text.push('\n');
    writer.write_all(text.as_bytes())
}

/// Answers one request.
fn answer(request: Request, state: &Mutex<State>) -> Response {
    let held = {
        let mut state = lock(state);
        match &request {
            Request::Status => {
                return Response {
                    ok: true,
                    status: Some(state.status()),
                    ..Response::default()
                };
            }
            Request::Lock => {
                state.key = None;
                return Response::data(String::new());
            }
            Request::Stop => {
                state.key = None;
                state.stop = true;
                return Response::data(String::new());
            }
            Request::Load {
                identity,
                wrapped,
                source,
                idle_secs,
            } => {
                let Ok(parsed) = Identity::parse(identity, source) else {
                    return Response::fail("not an identity");
                };
                state.key = Some(Arc::new(Held {
                    identity: parsed,
                    wrapped: wrapped.clone(),
                    source: source.clone(),
                }));
                state.idle = Duration::from_secs(*idle_secs).min(MAX_LIFETIME);
                state.last_used = Instant::now();
                return Response::data(String::new());
            }
            _ => {}
        }
        let Some(held) = state.key.clone() else {
            return Response::fail("locked");
        };
        state.last_used = Instant::now();
        if !matches!(request, Request::Hello { .. }) {
            state.requests += 1;
        }
        held
    };
    let identity = &held.identity;
    match request {
        Request::Hello { wrapped } => {
            if wrapped != held.wrapped {
                return Response::fail("other identity");
            }
            let (recipient, verifying) = identity.public_parts();
            Response {
                ok: true,
                recipient: Some(recipient),
                data: Some(B64.encode(verifying)),
                ..Response::default()
            }
        }
        Request::Unwrap { stanzas } => {
            let Some(stanzas) = decode_stanzas(stanzas) else {
                return Response::fail("bad request");
            };
            match identity.unwrap_stanzas(&stanzas) {
                None => Response {
                    ok: true,
                    ..Response::default()
                },
                Some(Ok(key)) => Response::data(B64.encode(key.expose_secret())),
                Some(Err(_)) => Response::fail("cannot unwrap"),
            }
        }
        Request::Sign { message } => match B64.decode(message) {
            Ok(message) => Response::data(B64.encode(identity.sign_bytes(&message))),
            Err(_) => Response::fail("bad request"),
        },
        Request::Derive { info } => match B64.decode(info) {
            Ok(info) => Response::data(B64.encode(identity.derive_key(&info).as_slice())),
            Err(_) => Response::fail("bad request"),
        },
        _ => Response::fail("bad request"),
    }
}

fn decode_stanzas(stanzas: Vec<WireStanza>) -> Option<Vec<age_core::format::Stanza>> {
    stanzas
        .into_iter()
        .map(|s| {
            Some(age_core::format::Stanza {
                tag: s.tag,
                args: s.args,
                body: B64.decode(s.body).ok()?,
            })
        })
        .collect()
}
