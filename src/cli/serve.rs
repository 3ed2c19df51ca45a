//! `sm serve`: the cloud service's API and its caching agent's API for
//! applications, and `sm serve client add/ls/rm`, the credentials they
//! sign with.

use std::sync::Arc;

use clap::{Args, Subcommand};
use serde::Serialize;

use super::{CmdResult, Context, output};
use crate::Error;
use crate::serve::credentials::Clients;
use crate::serve::http::{AgentSettings, Service};
use crate::serve::keys::Keys;
use crate::serve::listen::{self, Address, Bound};
use crate::serve::{Backend, Client, agent, backend::DEFAULT_ACCOUNT, server};

/// Serve the cloud service's API and its caching agent's API to applications
///
/// The API speaks the service's wire protocol (JSON 1.1, `X-Amz-Target:
/// secretsmanager.<Operation>`, SigV4) so boto3, aws-cli and the AWS SDKs
/// work against this store with AWS_ENDPOINT_URL_SECRETS_MANAGER set to its
/// address; requests are signed with the keys of `sm serve client add`.
/// The agent API (`GET /secretsmanager/get?secretId=..`, `/v1/<id>`,
/// `/ping`) follows the caching agent's SSRF rules: its token is the first
/// of AWS_TOKEN, AWS_SESSION_TOKEN, AWS_CONTAINER_AUTHORIZATION_TOKEN (or
/// the file a `file://PATH` value names), and it is off when none is set.
/// Unlike the agent it caches nothing: the next request after a rotation or
/// a `git pull` sees the new `current`. The server acts as you: it reads
/// what you may read, signs writes as you, and logs every call naming the
/// client. Both listen on loopback only unless --allow-remote, or on a Unix
/// socket (`unix:PATH`, which only you may connect to: mode 0600, in a
/// folder only you can write such as $XDG_RUNTIME_DIR, and connections from
/// other uids refused; a stale socket is replaced, a live one refused, and
/// the file removed at stop). SIGINT or SIGTERM stop it.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ServeArgs {
    #[command(subcommand)]
    pub command: Option<ServeCommand>,
    /// The API's address: IP:PORT (port 0: a free port, printed at start)
    /// or unix:PATH, a Unix socket only you may connect to
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:7780")]
    pub listen: Address,
    /// The agent API's address: IP:PORT (default: the agent's own port) or
    /// unix:PATH
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:2773")]
    pub agent_listen: Address,
    /// Do not serve the agent API
    #[arg(long)]
    pub no_agent: bool,
    /// The names the agent API may read (default: all you may read);
    /// repeatable
    #[arg(long, value_name = "GLOB")]
    pub agent_read: Vec<String>,
    /// The account id shown in ARNs
    #[arg(long, value_name = "ID", default_value = DEFAULT_ACCOUNT)]
    pub account_id: String,
    /// Allow listening on an address other than loopback
    #[arg(long)]
    pub allow_remote: bool,
}

#[derive(Debug, Subcommand)]
pub enum ServeCommand {
    /// Manage the API's clients (their keys are kept in your config folder)
    Client {
        #[command(subcommand)]
        command: ClientCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum ClientCommand {
    /// Make a client and print its keys (the secret key is shown only now;
    /// --json prints {access_key_id, secret_access_key}). With neither
    /// --read nor --write it may read every name; --write implies read
    Add {
        /// The client's name (letters, digits, `-`, `_`, `.`)
        name: String,
        /// A glob of names it may read (`*` within a path segment, `**`
        /// across them); repeatable
        #[arg(long, value_name = "GLOB")]
        read: Vec<String>,
        /// A glob of names it may write (and read); repeatable
        #[arg(long, value_name = "GLOB")]
        write: Vec<String>,
    },
    /// List this store's clients (never their secret keys)
    Ls,
    /// Remove a client: its keys stop working at its next request
    Rm {
        /// The client's name
        name: String,
    },
}

#[derive(Serialize)]
struct Listed<'a> {
    name: &'a str,
    access_key_id: &'a str,
    read: &'a [String],
    write: &'a [String],
    created: &'a str,
}

#[derive(Serialize)]
struct Keys2<'a> {
    access_key_id: &'a str,
    secret_access_key: &'a str,
}

pub fn run(ctx: Context, args: ServeArgs) -> CmdResult {
    match args.command {
        Some(ServeCommand::Client { command }) => client(&ctx, command),
        None => serve(ctx, args),
    }
}

fn client(ctx: &Context, command: ClientCommand) -> CmdResult {
    let store = ctx.open_store()?;
    let config_dir = ctx.config_dir()?;
    let mut clients = Clients::load(&config_dir)?;
    match command {
        ClientCommand::Add { name, read, write } => {
            let read = if read.is_empty() && write.is_empty() {
                vec!["**".to_string()]
            } else {
                read
            };
            let issued = clients.add(store.id(), &name, read, write)?;
            if ctx.global.json {
                output::json(&Keys2 {
                    access_key_id: &issued.access_key_id,
                    secret_access_key: &issued.secret_access_key,
                })?;
            } else {
                println!("access_key_id     {}", issued.access_key_id);
                println!("secret_access_key {}", issued.secret_access_key.as_str());
                output::note(
                    ctx.global.quiet,
                    format!(
                        "client {name} added; its secret key is shown only now (kept in {})",
                        clients.path().display()
                    ),
                );
            }
        }
        ClientCommand::Ls => {
            let listed: Vec<Listed<'_>> = clients
                .for_store(store.id())
                .map(|c| Listed {
                    name: &c.name,
                    access_key_id: &c.access_key_id,
                    read: &c.read,
                    write: &c.write,
                    created: &c.created,
                })
                .collect();
            if ctx.global.json {
                output::json(&listed)?;
            } else {
                let rows: Vec<Vec<String>> = listed
                    .iter()
                    .map(|c| {
                        vec![
                            c.name.to_string(),
                            c.access_key_id.to_string(),
                            c.read.join(","),
                            c.write.join(","),
                            c.created.to_string(),
                        ]
                    })
                    .collect();
                output::table(
                    &["NAME", "ACCESS KEY ID", "READ", "WRITE", "CREATED"],
                    &rows,
                )?;
            }
        }
        ClientCommand::Rm { name } => {
            clients.remove(store.id(), &name)?;
            output::note(ctx.global.quiet, format!("client {name} removed"));
        }
    }
    Ok(0)
}

/// Refuses a TCP address other than loopback unless allowed.
fn check_address(addr: &Address, flag: &str, allow_remote: bool) -> anyhow::Result<()> {
    let Address::Tcp(ip) = addr else {
        return Ok(());
    };
    if ip.ip().is_loopback() || allow_remote {
        return Ok(());
    }
    Err(Error::invalid(format!(
        "{flag} {addr} is not a loopback address: the API would be reachable from other machines"
    ))
    .with_hint("pass --allow-remote to listen there anyway")
    .into())
}

fn bind(addr: &Address, what: &str) -> anyhow::Result<Bound> {
    match addr {
        Address::Tcp(addr) => crate::serve::http::bind(*addr).map(Bound::Tcp).map_err(|e| {
            Error::invalid(format!("cannot listen on {addr} for the {what}: {e}"))
                .with_hint(
                    "choose another address with --listen / --agent-listen (port 0 picks a free one)",
                )
                .into()
        }),
        Address::Unix(path) => Ok(listen::bind_unix(path, what)?),
    }
}

fn serve(mut ctx: Context, args: ServeArgs) -> CmdResult {
    check_address(&args.listen, "--listen", args.allow_remote)?;
    check_address(&args.agent_listen, "--agent-listen", args.allow_remote)?;
    let agent_read = if args.agent_read.is_empty() {
        vec!["**".to_string()]
    } else {
        args.agent_read.clone()
    };
    let agent_client = Client::new("agent", "", agent_read, Vec::new())?;
    let token = if args.no_agent {
        None
    } else {
        agent::token_from_env()?
    };
    let (root, _) = ctx.store_root()?;
    let config_dir = ctx.config_dir()?;
    let identity = ctx.take_identity()?;
    let backend = Backend::new(&root, &config_dir, identity, &args.account_id)?;
    let store_id = backend.open()?.id().to_string();
    let keys = Keys::from_file(&config_dir, &store_id)?;
    let api = bind(&args.listen, "API")?;
    let agent_listener = match &token {
        Some(_) => Some(bind(&args.agent_listen, "agent API")?),
        None => None,
    };
    let region = std::env::var("AWS_REGION")
        .or_else(|_| std::env::var("AWS_DEFAULT_REGION"))
        .ok()
        .filter(|r| !r.is_empty())
        .unwrap_or_else(|| "us-east-1".to_string());
    let agent = token.map(|token| AgentSettings {
        token,
        client: Arc::new(agent_client),
        region,
    });
    let no_clients = keys.is_empty();
    let service = Service::new(Arc::new(backend), keys, agent);
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get().min(4));
    let running = server::start(service, api, agent_listener, threads)?;
    let agent_text = match &running.agent {
        Some(addr) => format!("agent API on {}", addr.shown()),
        None if args.no_agent => "agent API off".to_string(),
        None => "agent API off (set AWS_TOKEN to serve it)".to_string(),
    };
    eprintln!("sm serve: API on {}, {agent_text}", running.api.shown());
    if no_clients && !ctx.global.quiet {
        eprintln!("sm serve: no clients yet: add one with `sm serve client add NAME`");
    }
    running.wait_for_signal()?;
    running.stop()?;
    output::note(ctx.global.quiet, "sm serve: stopped");
    Ok(0)
}
