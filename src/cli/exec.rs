//! `sm exec`: run a program with secrets in its environment, and the
//! selection flags (`-s`, `--env-file`, `--override`) that `sm env` shares.

use std::ffi::{OsStr, OsString};
use std::io::IsTerminal;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};

use clap::Args;

use super::{CmdResult, Context};
use crate::Error;
use crate::audit;
use crate::exec::{self, EnvFile, EnvPolicy, Item, PendingChecks, Variable};
use crate::serve::{Backend, backend::DEFAULT_ACCOUNT, embedded};

/// Which secrets become which variables (shared by `sm exec` and `sm env`)
#[derive(Debug, Args, Clone)]
pub struct SelectionArgs {
    /// Add a secret: NAME (a JSON secret gives one variable per field, a
    /// plain one is named after its last path segment), NAME:PREFIX,
    /// NAME=VAR, NAME#field[=VAR], each optionally ending in ?label=L or
    /// ?version=ID; repeatable
    #[arg(
        short = 's',
        long = "secret",
        value_name = "NAME[#field][=VAR|:PREFIX]"
    )]
    pub secrets: Vec<String>,
    /// Read VAR=value and VAR=sm://NAME[#field][?label=L|?version=ID] lines
    /// from F (a .env file of at most 1 MiB; only sm:// values are read
    /// from the store); repeatable, read before the -s secrets
    #[arg(long = "env-file", value_name = "F")]
    pub env_files: Vec<PathBuf>,
    /// Let a later source win when two name the same variable (env files
    /// first, then -s, each in the order given), and let a variable named
    /// after a JSON field or the last path segment replace one the program
    /// would inherit, instead of failing
    #[arg(long = "override")]
    pub allow_override: bool,
    /// Let env files set variables that make the program load or run other
    /// code: LD_*, DYLD_*, glibc's unsecure variables (GCONV_PATH, TMPDIR,
    /// ...), BASH_ENV, ENV, PS4 and other shell variables, NODE_OPTIONS,
    /// PYTHONPATH and other runtime variables, a PATH with an empty or
    /// relative entry, or LANG/LC_* holding a /. Without it such a line
    /// exits 2 naming the file and line
    #[arg(long = "allow-unsafe-env")]
    pub allow_unsafe_env: bool,
}

/// What a selection asks for, parsed.
pub struct Selection {
    /// Every source, env files first, then the -s secrets.
    pub items: Vec<Item>,
    /// Env-file lines judged by a value that comes from the store.
    pub pending: PendingChecks,
}

impl SelectionArgs {
    /// Parses every source, failing with exit 2 on bad syntax or an unsafe
    /// env-file line before anything is read from the store.
    pub fn parse(&self) -> anyhow::Result<Selection> {
        let policy = if self.allow_unsafe_env {
            EnvPolicy::AllowUnsafe
        } else {
            EnvPolicy::Safe
        };
        let mut items = Vec::new();
        let mut pending = PendingChecks::default();
        for file in &self.env_files {
            let env_file = EnvFile::load(file, policy)?;
            items.extend(env_file.items);
            pending.extend(env_file.pending);
        }
        for spec in &self.secrets {
            items.push(exec::parse_selection(spec)?);
        }
        Ok(Selection { items, pending })
    }
}

/// Reads every secret of a selection and logs one entry per secret read.
/// Returns the variables, or the first failure (logged as such; a value an
/// env-file check refuses is logged as not delivered). An implicitly named
/// variable that would replace one of `inherited` fails (exit 2) unless
/// `allow_override`.
pub fn resolve(
    ctx: &Context,
    selection: Selection,
    allow_override: bool,
    op: &str,
    program: Option<&str>,
    inherited: &[String],
) -> anyhow::Result<Vec<Variable>> {
    let Selection { items, pending } = selection;
    if items.is_empty() {
        return Ok(Vec::new());
    }
    let store = ctx.open_store_cached()?;
    let identity = ctx.identity()?;
    // Each read's entry is signed as soon as the read completes, while the
    // other reads go on; the entries are written only if every read worked
    // (else they are logged again below, marked as not delivered).
    let writer = ctx.log_writer(&store).ok();
    let mut batch = writer
        .as_ref()
        .and_then(|writer| audit::Batch::open_read(&store, identity, writer.target()).ok());
    if let Some(batch) = &batch {
        ctx.note_fallback(batch);
    }
    let resolution = exec::resolve_with(&store, identity, items, allow_override, &mut |record| {
        if let Some(batch) = batch.as_mut() {
            batch.push(&record.event(op, program, false));
        }
    });
    let variables = resolution
        .variables
        .and_then(|variables| pending.check(&variables).map(|()| variables))
        .and_then(|variables| {
            if allow_override {
                return Ok(variables);
            }
            exec::check_inherited(&variables, inherited).map(|()| variables)
        });
    match variables {
        Ok(variables) => {
            match batch {
                Some(batch) => batch.commit(false)?,
                None => ctx.audit(&store, &resolution.reads.events(op, program, false), false)?,
            }
            Ok(variables)
        }
        Err(err) => {
            drop(batch);
            let _ = ctx.audit(&store, &resolution.reads.events(op, program, true), false);
            Err(err.into())
        }
    }
}

/// Run a program with secrets as environment variables
///
/// Every secret is read (in parallel) before the program starts; any
/// failure (a missing secret or field: 3, no access: 4, tampered data: 5, two
/// sources naming one variable: 2) exits with its code and the program never
/// runs. A variable named after a JSON field or the last path segment never
/// replaces one the program would inherit (exit 2 naming it) unless
/// --override; NAME=VAR and env-file lines replace what they name. The program then replaces sm: its input, output, signals and exit
/// status are its own. Values go only into its environment, never into any
/// process's arguments. CMD is looked up in sm's PATH; a CMD that is not
/// found exits 127, one that cannot be run 126, as in a shell.
#[derive(Debug, Args)]
pub struct ExecArgs {
    #[command(flatten)]
    pub selection: SelectionArgs,
    /// Start the program with an empty environment: only the secrets, the
    /// env files' variables and the --keep variables
    #[arg(long)]
    pub clean_env: bool,
    /// Keep VAR from sm's environment with --clean-env; repeatable
    #[arg(long, value_name = "VAR", requires = "clean_env")]
    pub keep: Vec<String>,
    /// Give the program a private endpoint of the cloud service's API (see
    /// `sm serve`) for exactly its lifetime: a random loopback port and
    /// keys made for this run, held in memory only, in
    /// AWS_ENDPOINT_URL_SECRETS_MANAGER, AWS_ACCESS_KEY_ID,
    /// AWS_SECRET_ACCESS_KEY, AWS_REGION and AWS_DEFAULT_REGION (a region
    /// already set is kept; AWS_PROFILE and session tokens are removed).
    /// Its calls act as you and are logged as client `exec`. The program
    /// then runs as sm's child: signals sent to sm pass on to it, and sm
    /// exits with its status
    #[arg(long)]
    pub serve: bool,
    /// The program to run and its arguments (after --)
    #[arg(last = true, required = true, value_name = "CMD")]
    pub command: Vec<OsString>,
}

/// After a usage error of `sm exec` whose command line has no `--`, says
/// that the program goes after `--` (as in `sm exec -s x ls -l`, where clap
/// reads `ls` and `-l` as sm's own arguments).
pub fn hint_dashes(err: &clap::Error) {
    use clap::error::ErrorKind;
    if !matches!(
        err.kind(),
        ErrorKind::UnknownArgument | ErrorKind::MissingRequiredArgument | ErrorKind::InvalidValue
    ) {
        return;
    }
    if std::env::args_os().any(|a| a == "--") || !err.render().to_string().contains("sm exec") {
        return;
    }
    eprintln!("hint: put the program and its arguments after `--`: sm exec -s NAME -- CMD [ARGS]");
}

/// Finds CMD as a shell would: a name with a `/` as it is, else the first
/// executable file of that name in PATH (a non-executable one if that is
/// all there is, so the exec fails with "permission denied").
fn find_program(cmd: &OsStr) -> Option<PathBuf> {
    if cmd.as_bytes().contains(&b'/') {
        return Some(PathBuf::from(cmd));
    }
    if cmd.is_empty() {
        return None;
    }
    let path = std::env::var_os("PATH").unwrap_or_else(|| "/usr/local/bin:/usr/bin:/bin".into());
    let mut fallback = None;
    for dir in std::env::split_paths(&path) {
        let dir = if dir.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            dir
        };
        let candidate = dir.join(cmd);
        let Ok(meta) = std::fs::metadata(&candidate) else {
            continue;
        };
        if !meta.is_file() {
            continue;
        }
        if std::os::unix::fs::PermissionsExt::mode(&meta.permissions()) & 0o111 != 0 {
            return Some(candidate);
        }
        fallback.get_or_insert(candidate);
    }
    fallback
}

/// The base name of CMD, as the log records it (never its arguments).
fn program_name(cmd: &OsStr) -> String {
    Path::new(cmd)
        .file_name()
        .unwrap_or(cmd)
        .to_string_lossy()
        .into_owned()
}

/// A program ready to run: the command with its environment, and how to
/// name it in messages.
struct Prepared {
    command: std::process::Command,
    shown: String,
    path: PathBuf,
}

/// Reads the secrets and builds the program's command (`Err(code)`: the
/// program cannot be found).
fn prepare(ctx: &Context, args: &ExecArgs) -> anyhow::Result<Result<Prepared, i32>> {
    let selection = args.selection.parse()?;
    for var in &args.keep {
        if var.is_empty() || var.contains('=') {
            return Err(Error::invalid(format!("--keep `{var}` is not a variable name")).into());
        }
    }
    let cmd = &args.command[0];
    let shown = cmd.to_string_lossy().into_owned();
    let Some(path) = find_program(cmd) else {
        eprintln!("error: command not found: {shown}");
        return Ok(Err(127));
    };
    let program = program_name(cmd);
    // The variables the program would inherit from sm: with --clean-env
    // only the kept ones; SM_IDENTITY never passes on.
    let inherited: Vec<String> = if args.clean_env {
        args.keep
            .iter()
            .filter(|var| std::env::var_os(var).is_some())
            .cloned()
            .collect()
    } else {
        std::env::vars_os()
            .filter_map(|(name, _)| name.into_string().ok())
            .filter(|name| name != "SM_IDENTITY")
            .collect()
    };
    let variables = resolve(
        ctx,
        selection,
        args.selection.allow_override,
        "exec",
        Some(&program),
        &inherited,
    )?;

    let mut command = std::process::Command::new(&path);
    command.arg0(cmd).args(&args.command[1..]);
    if args.clean_env {
        command.env_clear();
        for var in &args.keep {
            if let Some(value) = std::env::var_os(var) {
                command.env(var, value);
            }
        }
    } else {
        // The identity key itself never passes on to the program: it is
        // the key to every secret, not one of the secrets asked for.
        command.env_remove("SM_IDENTITY");
    }
    for var in &variables {
        command.env(&var.name, OsStr::from_bytes(&var.value));
    }
    Ok(Ok(Prepared {
        command,
        shown,
        path,
    }))
}

/// Says why the program could not be run and returns the shell's code.
fn cannot_run(err: &std::io::Error, shown: &str, path: &Path) -> i32 {
    let code = match err.kind() {
        std::io::ErrorKind::NotFound => 127,
        _ => 126,
    };
    if code == 127 {
        eprintln!("error: command not found: {shown}");
    } else {
        eprintln!("error: cannot run {shown}: {err}");
    }
    if std::io::stderr().is_terminal() && code == 126 {
        eprintln!(
            "hint: check that {} is an executable program",
            path.display()
        );
    }
    code
}

pub fn run(ctx: &Context, args: ExecArgs) -> CmdResult {
    let mut prepared = match prepare(ctx, &args)? {
        Ok(prepared) => prepared,
        Err(code) => return Ok(code),
    };
    crate::hardening::restore_for_exec();
    let err = prepared.command.exec();
    Ok(cannot_run(&err, &prepared.shown, &prepared.path))
}

/// The variables of other AWS credentials, which would take precedence
/// over the endpoint's keys or be sent along with them.
const FOREIGN_AWS: [&str; 4] = [
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
];

/// `sm exec --serve`: the program runs as a child, with a private endpoint
/// that lives as long as it does.
pub fn run_serving(mut ctx: Context, args: ExecArgs) -> CmdResult {
    let mut prepared = match prepare(&ctx, &args)? {
        Ok(prepared) => prepared,
        Err(code) => return Ok(code),
    };
    let (root, _) = ctx.store_root()?;
    let config_dir = ctx.config_dir()?;
    let identity = ctx.take_identity()?;
    let backend = Backend::new(&root, &config_dir, identity, DEFAULT_ACCOUNT)?;
    // A region the program would see anyway is kept.
    let visible = |var: &str| {
        (!args.clean_env || args.keep.iter().any(|k| k == var))
            .then(|| std::env::var(var).ok())
            .flatten()
            .filter(|v| !v.is_empty())
    };
    let region = visible("AWS_REGION")
        .or_else(|| visible("AWS_DEFAULT_REGION"))
        .unwrap_or_else(|| "us-east-1".to_string());
    let endpoint = embedded::start(backend, &region)?;
    for var in FOREIGN_AWS {
        prepared.command.env_remove(var);
    }
    for (name, value) in &endpoint.env {
        prepared.command.env(name, value.as_str());
    }
    let status = crate::exec::child::run(&mut prepared.command);
    let stopped = endpoint.stop();
    let status = match status {
        Ok(status) => status,
        Err(err) => return Ok(cannot_run(&err, &prepared.shown, &prepared.path)),
    };
    if let Err(err) = stopped {
        eprintln!("error: {err}");
    }
    Ok(crate::exec::child::exit_code(status))
}
