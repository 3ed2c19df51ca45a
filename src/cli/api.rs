//! `sm __api OPERATION` (hidden): runs one operation of the local API (see
//! `sm serve`) as the member, without HTTP or credentials: the JSON request
//! body on standard input, the JSON answer on standard output. For tests
//! and debugging; exit 0 when the operation succeeded, else 1.

use std::io::{Read, Write};

use clap::Args;

use super::{CmdResult, Context};
use crate::serve::{Backend, Client, api, backend::DEFAULT_ACCOUNT};

/// Run one operation of the local API (request on stdin, answer on stdout)
#[derive(Debug, Args)]
pub struct ApiArgs {
    /// The operation, e.g. GetSecretValue
    pub operation: String,
    /// The region shown in ARNs
    #[arg(long, default_value = "us-east-1")]
    pub region: String,
    /// The account id shown in ARNs
    #[arg(long, default_value = DEFAULT_ACCOUNT)]
    pub account_id: String,
    /// Act as a client limited to these name globs for reading (with
    /// --write: writing); without either, as the member's own client
    #[arg(long = "read", value_name = "GLOB")]
    pub read: Vec<String>,
    /// Act as a client that may write (and read) names matching GLOB
    #[arg(long = "write", value_name = "GLOB")]
    pub write: Vec<String>,
}

pub fn run(mut ctx: Context, args: ApiArgs) -> CmdResult {
    let (root, _) = ctx.store_root()?;
    let config_dir = ctx.config_dir()?;
    let identity = ctx.take_identity()?;
    let backend = Backend::new(&root, &config_dir, identity, &args.account_id)?;
    let mut body = zeroize::Zeroizing::new(Vec::new());
    std::io::stdin()
        .take(api::MAX_BODY as u64 + 1)
        .read_to_end(&mut body)?;
    let client = if args.read.is_empty() && args.write.is_empty() {
        Client::local()
    } else {
        Client::new("test", "", args.read.clone(), args.write.clone())?
    };
    let reply = api::handle(&backend, &client, &args.region, &args.operation, &body);
    let mut out = std::io::stdout().lock();
    out.write_all(&reply.body)?;
    out.write_all(b"\n")?;
    out.flush()?;
    Ok(if reply.status == 200 { 0 } else { 1 })
}
