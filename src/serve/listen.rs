//! Where a server listens: a TCP address or a Unix socket (`unix:PATH`),
//! and how each is bound and accepted from.
//!
//! A Unix socket is made for its owner alone, against a hostile user on the
//! same machine: its folder must be the user's and writable by nobody else
//! (so nobody can swap the file between the checks and the bind), the
//! socket is created under umask 077 and set to 0600 before the first
//! accept, a path that exists and is not a socket (a file, a symbolic link)
//! is refused and left alone, a stale socket (nothing answers) is replaced,
//! a live one is refused, and each connection's peer uid (SO_PEERCRED) must
//! be the server's own. The file is removed when the server stops.

use std::fmt;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use tokio::io::{AsyncRead, AsyncWrite};

use crate::Error;

/// The prefix of a Unix socket address.
const UNIX: &str = "unix:";

/// An address to listen on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Address {
    /// A TCP address.
    Tcp(SocketAddr),
    /// A Unix socket's path.
    Unix(PathBuf),
}

impl FromStr for Address {
    type Err = String;

    fn from_str(text: &str) -> Result<Address, String> {
        if let Some(path) = text.strip_prefix(UNIX) {
            if path.is_empty() {
                return Err("`unix:` needs a path, as in unix:/run/user/1000/sm.sock".into());
            }
            return Ok(Address::Unix(PathBuf::from(path)));
        }
        text.parse::<SocketAddr>().map(Address::Tcp).map_err(|_| {
            format!("`{text}` is neither IP:PORT (127.0.0.1:7780, [::1]:7780) nor unix:PATH")
        })
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Address::Tcp(addr) => write!(f, "{addr}"),
            Address::Unix(path) => write!(f, "{UNIX}{}", path.display()),
        }
    }
}

impl Address {
    /// How a start line shows it: `http://IP:PORT` or `unix:PATH`.
    pub fn shown(&self) -> String {
        match self {
            Address::Tcp(addr) => format!("http://{addr}"),
            Address::Unix(_) => self.to_string(),
        }
    }
}

/// A bound listener, not yet on a runtime (so a bad address fails before
/// any runtime exists).
pub enum Bound {
    /// A TCP listener (non-blocking).
    Tcp(std::net::TcpListener),
    /// A Unix socket (non-blocking) and its file, removed on drop.
    Unix(std::os::unix::net::UnixListener, SocketFile),
}

impl Bound {
    /// The address it listens on (the port a port 0 got, the socket's
    /// absolute path).
    pub fn address(&self) -> io::Result<Address> {
        match self {
            Bound::Tcp(listener) => listener.local_addr().map(Address::Tcp),
            Bound::Unix(_, file) => Ok(Address::Unix(file.path.clone())),
        }
    }
}

/// A socket file this process made: removed on drop if it is still the
/// same file (not one a later server put there).
pub struct SocketFile {
    path: PathBuf,
    dev: u64,
    ino: u64,
}

impl Drop for SocketFile {
    fn drop(&mut self) {
        if let Ok(meta) = std::fs::symlink_metadata(&self.path)
            && meta.file_type().is_socket()
            && meta.dev() == self.dev
            && meta.ino() == self.ino
        {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// The effective uid of this process.
pub fn euid() -> u32 {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() }
}

/// Binds a Unix socket at `path` for this user only (see the module
/// comment); `what` names the listener in errors.
pub fn bind_unix(path: &Path, what: &str) -> crate::Result<Bound> {
    let path = std::path::absolute(path).map_err(|e| Error::io("cannot resolve", path, e))?;
    let shown = path.display();
    let parent = path.parent().unwrap_or(Path::new("/"));
    check_folder(parent, &path)?;
    match std::fs::symlink_metadata(&path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(Error::io("cannot inspect", &path, e)),
        Ok(meta) if meta.file_type().is_symlink() => {
            return Err(Error::invalid(format!(
                "{shown} is a symbolic link: the {what} will not follow it"
            ))
            .with_hint("remove it or choose another unix:PATH"));
        }
        Ok(meta) if !meta.file_type().is_socket() => {
            return Err(Error::invalid(format!(
                "{shown} exists and is not a socket: the {what} will not replace it"
            ))
            .with_hint("choose another unix:PATH"));
        }
        Ok(meta) if meta.uid() != euid() => {
            return Err(Error::invalid(format!(
                "{shown} is a socket owned by uid {}, not by you",
                meta.uid()
            ))
            .with_hint("choose another unix:PATH"));
        }
        Ok(_) => match std::os::unix::net::UnixStream::connect(&path) {
            Err(e) if e.kind() == io::ErrorKind::ConnectionRefused => {
                // Stale: its server is gone. The folder is ours alone, so
                // nobody swapped it since the check above.
                std::fs::remove_file(&path).map_err(|e| Error::io("cannot remove", &path, e))?;
            }
            Ok(_) => {
                return Err(
                    Error::conflict(format!("a server is already listening on {shown}"))
                        .with_hint("stop it, or choose another unix:PATH"),
                );
            }
            Err(e) => return Err(Error::io("cannot check the socket", &path, e)),
        },
    }
    let listener = {
        // SAFETY: umask has no preconditions; the previous mask is restored
        // right after the bind.
        let old = unsafe { libc::umask(0o077) };
        let bound = std::os::unix::net::UnixListener::bind(&path);
        // SAFETY: as above.
        unsafe { libc::umask(old) };
        bound.map_err(|e| {
            Error::invalid(format!(
                "cannot listen on {UNIX}{shown} for the {what}: {e}"
            ))
            .with_hint("choose another unix:PATH (at most 107 bytes)")
        })?
    };
    let meta =
        std::fs::symlink_metadata(&path).map_err(|e| Error::io("cannot inspect", &path, e))?;
    let file = SocketFile {
        path: path.clone(),
        dev: meta.dev(),
        ino: meta.ino(),
    };
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))
        .map_err(|e| Error::io("cannot restrict", &path, e))?;
    listener
        .set_nonblocking(true)
        .map_err(|e| Error::io("cannot listen on", &path, e))?;
    Ok(Bound::Unix(listener, file))
}

/// Refuses a folder another user could change: not the user's own, or
/// writable by its group or everyone.
fn check_folder(folder: &Path, socket: &Path) -> crate::Result<()> {
    let meta = std::fs::metadata(folder).map_err(|e| Error::io("cannot inspect", folder, e))?;
    let why = if !meta.is_dir() {
        Some("is not a folder".to_string())
    } else if meta.uid() != euid() {
        Some(format!("is owned by uid {}, not by you", meta.uid()))
    } else if meta.permissions().mode() & 0o022 != 0 {
        Some(format!(
            "is writable by other users (mode {:o})",
            meta.permissions().mode() & 0o7777
        ))
    } else {
        None
    };
    match why {
        None => Ok(()),
        Some(why) => {
            let runtime = std::env::var_os("XDG_RUNTIME_DIR")
                .map(|d| format!(" ({})", Path::new(&d).display()))
                .unwrap_or_default();
            Err(Error::invalid(format!(
                "cannot put the socket {} in {}: the folder {why}, so another user could replace the socket",
                socket.display(),
                folder.display()
            ))
            .with_hint(format!(
                "use a folder only you can write, such as $XDG_RUNTIME_DIR{runtime}"
            )))
        }
    }
}

/// A listener on a runtime that hands out connections.
pub trait Accept: Send + 'static {
    /// A connection.
    type Stream: AsyncRead + AsyncWrite + Unpin + Send + 'static;

    /// Waits for the next connection: `Ok(None)` for one refused here.
    fn accept(&self) -> impl Future<Output = io::Result<Option<Self::Stream>>> + Send;
}

impl Accept for tokio::net::TcpListener {
    type Stream = tokio::net::TcpStream;

    async fn accept(&self) -> io::Result<Option<tokio::net::TcpStream>> {
        let (stream, _) = tokio::net::TcpListener::accept(self).await?;
        let _ = stream.set_nodelay(true);
        Ok(Some(stream))
    }
}

/// A Unix socket on a runtime that accepts only this process's uid.
pub struct UnixAccept {
    listener: tokio::net::UnixListener,
    uid: u32,
}

impl UnixAccept {
    /// Moves `listener` onto the current runtime.
    pub fn new(listener: std::os::unix::net::UnixListener) -> io::Result<UnixAccept> {
        Ok(UnixAccept {
            listener: tokio::net::UnixListener::from_std(listener)?,
            uid: euid(),
        })
    }
}

impl Accept for UnixAccept {
    type Stream = tokio::net::UnixStream;

    async fn accept(&self) -> io::Result<Option<tokio::net::UnixStream>> {
        let (stream, _) = self.listener.accept().await?;
        // Defence in depth behind the 0600 mode: a peer of another uid (or
        // one whose uid cannot be read) is dropped unanswered.
        match stream.peer_cred() {
            Ok(cred) if cred.uid() == self.uid => Ok(Some(stream)),
            _ => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_parse() {
        assert_eq!(
            "127.0.0.1:7780".parse::<Address>(),
            Ok(Address::Tcp("127.0.0.1:7780".parse().unwrap()))
        );
        assert_eq!(
            "unix:/run/x.sock".parse::<Address>(),
            Ok(Address::Unix("/run/x.sock".into()))
        );
        assert!("unix:".parse::<Address>().is_err());
        assert!("localhost".parse::<Address>().is_err());
        assert_eq!(
            Address::Unix("/run/x.sock".into()).shown(),
            "unix:/run/x.sock"
        );
        assert_eq!(
            Address::Tcp("127.0.0.1:1".parse().unwrap()).shown(),
            "http://127.0.0.1:1"
        );
    }
}
