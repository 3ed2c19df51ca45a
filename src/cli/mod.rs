//! The command line: clap types, printing, and one file per command. A
//! command turns its arguments into a request to the core and prints the
//! result; nothing outside this module knows about clap or prints.

mod access;
mod agent;
mod api;
mod complete;
mod completions;
mod context;
mod describe;
mod doctor;
mod edit;
mod env;
mod exec;
mod r#gen;
mod get;
mod group;
mod help;
mod hook;
mod identity;
mod import;
mod init;
mod inject;
mod label;
mod log;
mod ls;
mod man;
mod man_examples;
mod man_text;
mod member;
mod merge_driver;
mod output;
mod purge;
mod put;
mod replica;
mod restore;
mod rewrap;
mod rm;
mod rollback;
mod rotate;
mod scan;
mod serve;
mod show;
mod suggest;
mod tag;
mod tty;
mod untag;
mod verify;
mod versions;

use std::path::PathBuf;

use clap::{Args, CommandFactory, FromArgMatches as _, Parser, Subcommand};

pub use context::Context;

/// A local, git-native secrets manager: age-encrypted, versioned, labelled,
/// rotated and audited secrets in a folder you share through git
#[derive(Debug, Parser)]
#[command(name = "sm", version, max_term_width = 100)]
#[command(
    long_about = "A local, git-native secrets manager: age-encrypted, versioned, labelled, \
rotated and audited secrets in a folder you share through git.

The store is --store DIR, else $SM_STORE, else the nearest parent folder holding .sm/, else \
your personal store in the user data folder (created on the first write). A store found in a \
parent folder is used only if you own it and every world-writable folder above it is sticky \
and owned by you or root (else another user may have planted it): else exit 4, unless \
safe_stores in <config dir>/sm/config.toml lists it (\"*\" allows all). The search never \
enters a folder of $SM_CEILING_DIRECTORIES (colon-separated, as GIT_CEILING_DIRECTORIES). A \
write to any store but the personal one names it; the first use of a store on this machine \
shows who can decrypt what is written there. The identity is \
--identity FILE, else $SM_IDENTITY_FILE, else $SM_IDENTITY (the key text), else the OS keyring \
unless SM_NO_KEYRING=1, else <config dir>/sm/identity.txt.

Choices where the specification is silent: empty values are refused; a value that is not \
UTF-8 is stored as binary; `put` with no value source off a terminal reads standard input; \
only members act on a store (every action is signed and logged); `ls` lists metadata without \
verifying signatures, while get, versions, show and verify verify; a read fails if its log \
entry cannot be written; writers wait up to $SM_LOCK_TIMEOUT seconds (default 30) for a lock, \
then exit 6; reads keep a cache in the user cache folder, sealed under a key derived from \
the identity, that spares repeated reads their signature checks and decryption while any \
change to the store's bytes is verified again (SM_NO_CACHE=1 turns it off). See the README \
for the full list and the threat model."
)]
#[command(
    after_help = "Exit codes: 0 ok, 1 findings or unexpected error, 2 invalid input, 3 not found, \
4 no access, 5 integrity failure, 6 conflict, 7 rotation step failed."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Flags every command takes. They are listed after each command's own
/// (`display_order`), which are defined later (deferred).
#[derive(Debug, Args, Clone)]
pub struct GlobalArgs {
    /// Use the store in DIR (else $SM_STORE, else the nearest parent holding
    /// .sm/, else your personal store)
    #[arg(
        long,
        global = true,
        display_order = 900,
        value_name = "DIR",
        env = "SM_STORE",
        hide_env_values = true
    )]
    pub store: Option<PathBuf>,
    /// Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the
    /// OS keyring, <config dir>/sm/identity.txt)
    #[arg(
        long,
        global = true,
        display_order = 901,
        value_name = "FILE",
        env = "SM_IDENTITY_FILE",
        hide_env_values = true
    )]
    pub identity: Option<PathBuf>,
    /// Print records as JSON
    #[arg(long, global = true, display_order = 902)]
    pub json: bool,
    /// Print nothing but what was asked for
    #[arg(short, long, global = true, display_order = 903)]
    pub quiet: bool,
    /// Do not color output (also NO_COLOR)
    #[arg(long, global = true, display_order = 904)]
    pub no_color: bool,
}

/// The commands. Each one's arguments are defined only when it runs (or
/// when completions, man pages or help need them all): a short command
/// does not pay for building the other thirty.
#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum Command {
    Init(init::InitArgs),
    Identity(identity::IdentityArgs),
    Agent(agent::AgentArgs),
    Put(put::PutArgs),
    Get(get::GetArgs),
    #[command(visible_alias = "list")]
    Ls(ls::LsArgs),
    Show(show::ShowArgs),
    #[command(visible_alias = "history")]
    Versions(versions::VersionsArgs),
    Label(label::LabelArgs),
    Rollback(rollback::RollbackArgs),
    Edit(edit::EditArgs),
    Tag(tag::TagArgs),
    Untag(untag::UntagArgs),
    Describe(describe::DescribeArgs),
    #[command(visible_alias = "delete", visible_alias = "remove")]
    Rm(rm::RmArgs),
    Restore(restore::RestoreArgs),
    Purge(purge::PurgeArgs),
    #[command(visible_alias = "generate")]
    Gen(r#gen::GenArgs),
    Import(import::ImportArgs),
    Log(log::LogArgs),
    Verify(verify::VerifyArgs),
    Member(member::MemberArgs),
    Doctor(doctor::DoctorArgs),
    Completions(completions::CompletionsArgs),
    Man(man::ManArgs),
    Exec(exec::ExecArgs),
    Env(env::EnvArgs),
    Inject(inject::InjectArgs),
    Rotate(rotate::RotateArgs),
    Scan(scan::ScanArgs),
    Hook(hook::HookArgs),
    Access(access::AccessArgs),
    Group(group::GroupArgs),
    Rewrap(rewrap::RewrapArgs),
    MergeDriver(merge_driver::MergeDriverArgs),
    Replica(replica::ReplicaArgs),
    Serve(serve::ServeArgs),
    #[command(name = "__api", hide = true)]
    Api(api::ApiArgs),
}

/// The result of a command: its exit code on success.
pub type CmdResult = anyhow::Result<i32>;

/// Returns the clap definition (for completions, man pages and tests).
pub fn command() -> clap::Command {
    Cli::command().help_template(help::template())
}

/// Tells whether the arguments may ask for the top-level help: none at all,
/// or `-h`, `--help` or `help` anywhere.
fn may_show_help(args: impl Iterator<Item = std::ffi::OsString>) -> bool {
    let mut rest = args.skip(1).peekable();
    if rest.peek().is_none() {
        return true;
    }
    rest.any(|a| a == "-h" || a == "--help" || a == "help")
}

/// Runs sm with the process's arguments and returns the exit code.
pub fn main() -> i32 {
    reset_sigpipe();
    // The completion scripts' helper is not a clap subcommand, so the
    // generated scripts and help never offer it.
    let mut args = std::env::args_os();
    if args.nth(1).is_some_and(|a| a == complete::COMMAND) {
        return complete::main(args);
    }
    // The grouped help layout is built only when help may be shown, so the
    // commands that run on every program start (`get`, `exec`) pay nothing.
    let mut definition = if may_show_help(std::env::args_os()) {
        command()
    } else {
        Cli::command()
    };
    if asks_no_color(std::env::args_os()) {
        definition = definition.color(clap::ColorChoice::Never);
    }
    let parsed = definition
        .try_get_matches_from_mut(std::env::args_os())
        .and_then(|mut matches| Cli::from_arg_matches_mut(&mut matches))
        .map_err(|err| {
            let mut err = err.format(&mut definition);
            suggest::command(&mut err, &mut definition);
            err
        });
    // Dropping clap's tree of every command's definition costs more than
    // parsing did; the process is about to end anyway.
    std::mem::forget(definition);
    let cli = match parsed {
        Ok(cli) => cli,
        Err(err) => {
            let code = if err.use_stderr() { 2 } else { 0 };
            let _ = err.print();
            if code == 2 {
                exec::hint_dashes(&err);
            }
            return code;
        }
    };
    let color = output::stderr_color(cli.global.no_color);
    let ctx = Context::new(cli.global);
    let command = match cli.command {
        // The local API's entry point holds the identity itself.
        Command::Api(a) => return api::run(ctx, a).unwrap_or_else(|err| report(&err, color)),
        Command::Exec(a) if a.serve => {
            return exec::run_serving(ctx, a).unwrap_or_else(|err| report(&err, color));
        }
        // The server holds the identity for its whole life.
        Command::Serve(a) => return serve::run(ctx, a).unwrap_or_else(|err| report(&err, color)),
        other => other,
    };
    let result = match command {
        Command::Api(_) | Command::Serve(_) => unreachable!("handled above"),
        Command::Init(a) => init::run(&ctx, a),
        Command::Identity(a) => identity::run(&ctx, a),
        Command::Agent(a) => agent::run(&ctx, a),
        Command::Put(a) => put::run(&ctx, a),
        Command::Get(a) => get::run(&ctx, a),
        Command::Ls(a) => ls::run(&ctx, a),
        Command::Show(a) => show::run(&ctx, a),
        Command::Versions(a) => versions::run(&ctx, a),
        Command::Label(a) => label::run(&ctx, a),
        Command::Rollback(a) => rollback::run(&ctx, a),
        Command::Edit(a) => edit::run(&ctx, a),
        Command::Tag(a) => tag::run(&ctx, a),
        Command::Untag(a) => untag::run(&ctx, a),
        Command::Describe(a) => describe::run(&ctx, a),
        Command::Rm(a) => rm::run(&ctx, a),
        Command::Restore(a) => restore::run(&ctx, a),
        Command::Purge(a) => purge::run(&ctx, a),
        Command::Gen(a) => r#gen::run(&ctx, a),
        Command::Import(a) => import::run(&ctx, a),
        Command::Log(a) => log::run(&ctx, a),
        Command::Verify(a) => verify::run(&ctx, a),
        Command::Member(a) => member::run(&ctx, a),
        Command::Doctor(a) => doctor::run(&ctx, a),
        Command::Completions(a) => completions::run(&ctx, a),
        Command::Man(a) => man::run(&ctx, a),
        Command::Exec(a) => exec::run(&ctx, a),
        Command::Env(a) => env::run(&ctx, a),
        Command::Inject(a) => inject::run(&ctx, a),
        Command::Rotate(a) => rotate::run(&ctx, a),
        Command::Scan(a) => scan::run(&ctx, a),
        Command::Hook(a) => hook::run(&ctx, a),
        Command::Access(a) => access::run(&ctx, a),
        Command::Group(a) => group::run(&ctx, a),
        Command::Rewrap(a) => rewrap::run(&ctx, a),
        Command::MergeDriver(a) => merge_driver::run(&ctx, a),
        Command::Replica(a) => replica::run(&ctx, a),
    };
    ctx.report_writes();
    match result {
        Ok(code) => code,
        Err(err) => {
            let near = suggest::secret_names(&ctx, &err);
            report_with(&err, color, near)
        }
    }
}

/// Prints an error as one line (plus a hint) and returns its exit code.
fn report(err: &anyhow::Error, color: bool) -> i32 {
    report_with(err, color, None)
}

/// [`report`], with `hint` in place of the error's own when given.
fn report_with(err: &anyhow::Error, color: bool, hint: Option<String>) -> i32 {
    if let Some(io) = err.downcast_ref::<std::io::Error>()
        && io.kind() == std::io::ErrorKind::BrokenPipe
    {
        return 0;
    }
    let typed = err.chain().find_map(|e| e.downcast_ref::<crate::Error>());
    let styles = clap::builder::Styles::default();
    let (bad, tip) = if color {
        (styles.get_error(), styles.get_valid())
    } else {
        (
            &clap::builder::styling::Style::new(),
            &clap::builder::styling::Style::new(),
        )
    };
    eprintln!("{bad}error:{bad:#} {err:#}");
    if let Some(hint) = hint
        .as_deref()
        .or_else(|| typed.and_then(crate::Error::hint))
    {
        eprintln!("{tip}hint:{tip:#} {hint}");
    }
    typed.map_or(1, crate::Error::exit_code)
}

/// True if the arguments hold `--no-color` before any `--` (clap's own
/// messages must know before parsing).
fn asks_no_color(args: impl Iterator<Item = std::ffi::OsString>) -> bool {
    args.take_while(|a| a != "--").any(|a| a == "--no-color")
}

/// Restores the default SIGPIPE action so `sm ls | head` ends quietly.
fn reset_sigpipe() {
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to its default is always sound.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
