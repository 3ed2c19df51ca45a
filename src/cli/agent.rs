//! `sm agent start|stop|lock|status`: the process that holds a
//! passphrase-protected identity unlocked for a while (see
//! [`crate::agent`]).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use clap::{Args, Subcommand};

use super::{CmdResult, Context, output};
use crate::Error;
use crate::agent::client::Connection;
use crate::agent::{self, Request, Status};

/// Hold your unlocked identity in memory for a while, so the passphrase is asked once
#[derive(Debug, Args)]
pub struct AgentArgs {
    #[command(subcommand)]
    pub command: AgentCommand,
}

#[derive(Debug, Subcommand)]
pub enum AgentCommand {
    /// Start the agent (if needed) and unlock your identity in it; the
    /// passphrase is asked once, on the terminal
    ///
    /// The agent does the decryption and signing for your sm commands and
    /// never hands the key out. It ends after --timeout without use, and
    /// after 8 hours in any case.
    Start {
        /// End after this long without use: 90s, 15m, 2h (at most 8h)
        #[arg(long, value_name = "DUR", default_value = "15m")]
        timeout: String,
    },
    /// End the agent (it forgets the identity)
    Stop,
    /// Make the agent forget the identity; it keeps running, and `sm agent
    /// start` unlocks it again
    Lock,
    /// Say whether the agent runs, holds the identity, and how long it has
    /// been idle (exit 3 when it does not run)
    Status,
    /// Run the agent in this process (what `start` launches, detached)
    #[command(hide = true)]
    Serve {
        /// The socket to listen on
        #[arg(long, value_name = "PATH")]
        socket: PathBuf,
        /// The idle timeout
        #[arg(long, value_name = "DUR")]
        timeout: String,
    },
}

pub fn run(ctx: &Context, args: AgentArgs) -> CmdResult {
    let socket = agent::socket_path();
    match args.command {
        AgentCommand::Start { timeout } => start(ctx, &socket, &timeout),
        AgentCommand::Stop => stop(ctx, &socket),
        AgentCommand::Lock => lock(ctx, &socket),
        AgentCommand::Status => status(ctx, &socket),
        AgentCommand::Serve { socket, timeout } => {
            agent::server::serve(&socket, agent::parse_timeout(&timeout)?)?;
            Ok(0)
        }
    }
}

/// Sends a request that must succeed.
fn call(
    conn: &mut Connection,
    socket: &Path,
    request: &Request,
) -> anyhow::Result<agent::Response> {
    let response = conn
        .call(request)
        .map_err(|e| Error::io("cannot talk to the agent at", socket, e))?;
    if !response.ok {
        return Err(Error::no_access(format!(
            "the agent at {} refused: {}",
            socket.display(),
            response.error.as_deref().unwrap_or("no reason given")
        ))
        .into());
    }
    Ok(response)
}

fn start(ctx: &Context, socket: &Path, timeout: &str) -> CmdResult {
    let idle = agent::parse_timeout(timeout)?;
    let (wrapped, text, source) = ctx.identity_to_unlock()?;
    // Check the key before any agent holds it.
    crate::crypto::Identity::parse(&text, &source.to_string())?;
    let mut conn = match Connection::open(socket)? {
        Some(conn) => conn,
        None => launch(socket, idle)?,
    };
    call(
        &mut conn,
        socket,
        &Request::Load {
            identity: text.to_string(),
            wrapped: crate::crypto::sha256_hex(&wrapped),
            source: source.to_string(),
            idle_secs: idle.as_secs(),
        },
    )?;
    let status = call(&mut conn, socket, &Request::Status)?.status;
    let pid = status.map(|s| s.pid).unwrap_or_default();
    output::note(
        ctx.global.quiet,
        format!(
            "sm: the agent (pid {pid}) holds your identity from {source}; it forgets it after {} without use, or 8h, or `sm agent lock`",
            human(idle.as_secs())
        ),
    );
    Ok(0)
}

/// Starts `sm agent serve` detached (its own session, no terminal, no
/// inherited descriptors) and waits for its socket.
fn launch(socket: &Path, idle: Duration) -> anyhow::Result<Connection> {
    use std::os::unix::process::CommandExt;
    let dir = socket.parent().unwrap_or(Path::new("/"));
    agent::prepare_dir(dir)?;
    let exe = std::env::current_exe().map_err(|e| Error::Other(format!("cannot find sm: {e}")))?;
    let mut cmd = std::process::Command::new(exe);
    cmd.arg("agent")
        .arg("serve")
        .arg("--socket")
        .arg(socket)
        .arg("--timeout")
        .arg(idle.as_secs().to_string())
        .current_dir("/")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    // SAFETY: setsid is async-signal-safe and touches no memory of the
    // parent; it detaches the agent from the terminal and process group.
    unsafe {
        cmd.pre_exec(|| {
            libc::setsid();
            Ok(())
        });
    }
    cmd.spawn()
        .map_err(|e| Error::Other(format!("cannot start the agent: {e}")))?;
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if let Some(conn) = Connection::open(socket)? {
            return Ok(conn);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Err(Error::Other(format!(
        "the agent did not start listening on {}",
        socket.display()
    ))
    .into())
}

fn stop(ctx: &Context, socket: &Path) -> CmdResult {
    let Some(mut conn) = Connection::open(socket)? else {
        output::note(ctx.global.quiet, "sm: no agent is running");
        return Ok(0);
    };
    call(&mut conn, socket, &Request::Stop)?;
    let deadline = Instant::now() + Duration::from_secs(5);
    while socket.exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    output::note(ctx.global.quiet, "sm: the agent stopped");
    Ok(0)
}

fn lock(ctx: &Context, socket: &Path) -> CmdResult {
    let Some(mut conn) = Connection::open(socket)? else {
        output::note(ctx.global.quiet, "sm: no agent is running");
        return Ok(0);
    };
    call(&mut conn, socket, &Request::Lock)?;
    output::note(
        ctx.global.quiet,
        "sm: the agent forgot your identity; `sm agent start` unlocks it again",
    );
    Ok(0)
}

fn status(ctx: &Context, socket: &Path) -> CmdResult {
    let status = match Connection::open(socket)? {
        Some(mut conn) => call(&mut conn, socket, &Request::Status)?.status,
        None => None,
    };
    if ctx.global.json {
        output::json(&StatusJson {
            running: status.is_some(),
            socket: socket.display().to_string(),
            agent: status.clone(),
        })?;
    } else {
        match &status {
            None => println!("agent: not running ({})", socket.display()),
            Some(s) => print_status(s, socket),
        }
    }
    Ok(if status.is_some() { 0 } else { 3 })
}

#[derive(serde::Serialize)]
struct StatusJson {
    running: bool,
    socket: String,
    #[serde(flatten)]
    agent: Option<Status>,
}

fn print_status(s: &Status, socket: &Path) {
    let held = match (&s.source, s.unlocked) {
        (Some(source), true) => format!("unlocked (your identity from {source})"),
        _ => "locked (`sm agent start` unlocks it)".to_string(),
    };
    println!("agent:    running (pid {}), {held}", s.pid);
    println!(
        "idle:     {} (ends after {} idle; at most {} more)",
        human(s.idle_secs),
        human(s.timeout_secs),
        human(s.remaining_lifetime_secs)
    );
    println!("requests: {}", s.requests);
    println!("socket:   {}", socket.display());
}

/// Formats seconds as `1h2m`, `15m`, `42s`.
fn human(secs: u64) -> String {
    let (h, m, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
    let mut text = String::new();
    if h > 0 {
        text.push_str(&format!("{h}h"));
    }
    if m > 0 {
        text.push_str(&format!("{m}m"));
    }
    if s > 0 || text.is_empty() {
        text.push_str(&format!("{s}s"));
    }
    text
}
