//! The private endpoint of `sm exec --serve`: the API on a random loopback
//! port, with one client whose keys are made for this run, held in memory
//! only and handed to the program in its environment. It serves until the
//! program ends.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use zeroize::Zeroizing;

use super::credentials::fresh_keys;
use super::http::Service;
use super::keys::Keys;
use super::listen::Bound;
use super::server::{self, Running};
use super::{Backend, Client};
use crate::error::{Error, Result};

/// The name the program's calls are logged under.
pub const CLIENT_NAME: &str = "exec";

/// A running private endpoint.
pub struct Embedded {
    running: Running,
    /// The variables that point the program's SDK at it: the endpoint, the
    /// keys and the region.
    pub env: Vec<(&'static str, Zeroizing<String>)>,
}

/// Starts the endpoint for `backend`; `region` is the one the program's
/// SDK will sign for.
pub fn start(backend: Backend, region: &str) -> Result<Embedded> {
    let issued = fresh_keys();
    // The program acts for the member who runs it: it may do what the
    // member may do.
    let client = Client::new(
        CLIENT_NAME,
        &issued.access_key_id,
        vec!["**".into()],
        vec!["**".into()],
    )?;
    let keys = Keys::fixed(vec![(client, issued.secret_access_key.clone())]);
    let listener = super::http::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
        .map_err(|e| Error::Other(format!("cannot listen on a loopback port: {e}")))?;
    let service = Service::new(Arc::new(backend), keys, None);
    let running = server::start(service, Bound::Tcp(listener), None, 2)
        .map_err(|e| Error::Other(format!("cannot start the endpoint: {e}")))?;
    let env = vec![
        (
            "AWS_ENDPOINT_URL_SECRETS_MANAGER",
            Zeroizing::new(format!("http://{}", running.api)),
        ),
        ("AWS_ACCESS_KEY_ID", Zeroizing::new(issued.access_key_id)),
        ("AWS_SECRET_ACCESS_KEY", issued.secret_access_key),
        ("AWS_REGION", Zeroizing::new(region.to_string())),
        ("AWS_DEFAULT_REGION", Zeroizing::new(region.to_string())),
    ];
    Ok(Embedded { running, env })
}

impl Embedded {
    /// Stops the endpoint (its keys die with it).
    pub fn stop(self) -> Result<()> {
        self.running.stop()
    }
}
