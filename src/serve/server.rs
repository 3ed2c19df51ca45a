//! A running server: the runtime, its listeners and the way to stop it.
//! `sm serve` runs one until SIGINT or SIGTERM; `sm exec --serve` runs one
//! for exactly its program's lifetime.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use super::http::{self, Kind, Service};

/// How long a stop waits for the requests in flight.
const DRAIN: Duration = Duration::from_secs(10);

/// A server that is accepting connections.
pub struct Running {
    runtime: tokio::runtime::Runtime,
    stop: watch::Sender<bool>,
    service: Arc<Service>,
    /// The API's address.
    pub api: SocketAddr,
    /// The agent API's address, if it is served.
    pub agent: Option<SocketAddr>,
}

/// Starts serving `api` (and `agent`, if given) with `threads` workers.
pub fn start(
    service: Service,
    api: std::net::TcpListener,
    agent: Option<std::net::TcpListener>,
    threads: usize,
) -> std::io::Result<Running> {
    let runtime = http::runtime(threads)?;
    let service = Arc::new(service);
    let (stop, stopped) = watch::channel(false);
    let api_addr = api.local_addr()?;
    let agent_addr = agent.as_ref().map(|l| l.local_addr()).transpose()?;
    {
        let _entered = runtime.enter();
        let api = tokio::net::TcpListener::from_std(api)?;
        runtime.spawn(http::accept_loop(
            api,
            service.clone(),
            Kind::Api,
            stopped.clone(),
        ));
        if let Some(agent) = agent {
            let agent = tokio::net::TcpListener::from_std(agent)?;
            runtime.spawn(http::accept_loop(
                agent,
                service.clone(),
                Kind::Agent,
                stopped,
            ));
        }
    }
    Ok(Running {
        runtime,
        stop,
        service,
        api: api_addr,
        agent: agent_addr,
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
    /// most), writes the log entries not yet written, and ends the runtime.
    pub fn stop(self) -> crate::Result<()> {
        let _ = self.stop.send(true);
        self.runtime.block_on(http::drain(&self.service, DRAIN));
        let flushed = self.service.backend.flush();
        self.runtime.shutdown_timeout(Duration::from_secs(2));
        flushed
    }
}
