//! A running server: the runtime, its listeners and the way to stop it.
//! `sm serve` runs one until SIGINT or SIGTERM; `sm exec --serve` runs one
//! for exactly its program's lifetime.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use super::http::{self, Kind, Service};
use super::listen::{Address, Bound, SocketFile, UnixAccept};

/// How long a stop waits for the requests in flight.
const DRAIN: Duration = Duration::from_secs(10);

/// A server that is accepting connections.
pub struct Running {
    runtime: tokio::runtime::Runtime,
    stop: watch::Sender<bool>,
    service: Arc<Service>,
    /// The API's address.
    pub api: Address,
    /// The agent API's address, if it is served.
    pub agent: Option<Address>,
    /// The socket files to remove when the server stops.
    _sockets: Vec<SocketFile>,
}

/// Starts serving `api` (and `agent`, if given) with `threads` workers.
pub fn start(
    service: Service,
    api: Bound,
    agent: Option<Bound>,
    threads: usize,
) -> std::io::Result<Running> {
    let runtime = http::runtime(threads)?;
    let service = Arc::new(service);
    let (stop, stopped) = watch::channel(false);
    let api_addr = api.address()?;
    let agent_addr = agent.as_ref().map(Bound::address).transpose()?;
    let mut sockets = Vec::new();
    {
        let _entered = runtime.enter();
        let listeners = std::iter::once((api, Kind::Api)).chain(agent.map(|a| (a, Kind::Agent)));
        for (bound, kind) in listeners {
            let (service, stopped) = (service.clone(), stopped.clone());
            match bound {
                Bound::Tcp(listener) => {
                    let listener = tokio::net::TcpListener::from_std(listener)?;
                    runtime.spawn(http::accept_loop(listener, service, kind, stopped));
                }
                Bound::Unix(listener, file) => {
                    sockets.push(file);
                    let listener = UnixAccept::new(listener)?;
                    runtime.spawn(http::accept_loop(listener, service, kind, stopped));
                }
            }
        }
    }
    Ok(Running {
        runtime,
        stop,
        service,
        api: api_addr,
        agent: agent_addr,
        _sockets: sockets,
    })
}

impl Running {
    /// Blocks until SIGINT or SIGTERM.
    pub fn wait_for_signal(&self) -> std::io::Result<()> {
        self.runtime.block_on(async {
            use tokio::signal::unix::{SignalKind, signal};
            let mut term = signal(SignalKind::terminate())?;
            let mut int = signal(SignalKind::interrupt())?;
            tokio::select! {
                _ = term.recv() => {},
                _ = int.recv() => {},
            }
            Ok(())
        })
    }

    /// Stops accepting, lets the requests in flight finish (a while at
    /// most), writes the log entries not yet written, ends the runtime and
    /// removes its socket files.
    pub fn stop(self) -> crate::Result<()> {
        let _ = self.stop.send(true);
        self.runtime.block_on(http::drain(&self.service, DRAIN));
        let flushed = self.service.backend.flush();
        self.runtime.shutdown_timeout(Duration::from_secs(2));
        flushed
    }
}
