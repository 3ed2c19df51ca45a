//! `sm rotate`: configure and run rotations, resume or cancel one, and run
//! every rotation that is due.

use clap::Args;

use super::context::clock;
use super::{CmdResult, Context, output};
use crate::Error;
use crate::audit::Event;
use crate::rotation::{self, RunOptions, Settings};
use crate::store::format_time;

/// Rotate a secret through its hook, configure its schedule, or run every
/// rotation that is due
///
/// A rotation runs four steps, each as `HOOK STEP` in the store's root
/// folder: create, set, test, finish. `create` stores a new version labelled
/// `pending` (the value the hook prints, or with --generate a generated
/// password); `set` applies it to the target system; `test` proves it works;
/// `finish` moves `current` to it (the old version becomes `previous`),
/// removes `pending`, then tells the hook. Without --hook, --generate rotates
/// a value only programs reading from sm use. --generate takes `sm gen`'s
/// options (--length, --exclude-chars, --no-punctuation, ...), kept with the
/// rotation settings, so characters that break a connection string can be
/// left out; in a JSON secret only the field (--field, default `password`)
/// changes, and the other fields keep their order and text.
///
/// HOOK PROTOCOL. The hook is run as `HOOK STEP` (the command is split like a
/// shell would, without a shell) with SM_STEP, SM_SECRET, SM_VERSION_ID (the
/// pending version, the same on every retry) and SM_STORE in its
/// environment, and one JSON object on stdin: {"secret", "step",
/// "version_id", "current", "pending"}, the values as strings or null, as
/// "current_base64"/"pending_base64" when binary; at `finish`, "current" is
/// the new value and "previous" the old one. At `create` sm reads stdout as
/// the new value (one trailing newline removed; nothing printed means
/// generate it with --generate); at other steps stdout goes to stderr. The
/// hook's stderr goes to yours. Values never appear in argv. Exit 0 is
/// success; anything else, or running longer than --timeout, fails the
/// rotation with exit 7: `current` is untouched, `pending` stays, the failed
/// step is recorded and shown by `sm show`. `sm rotate NAME` again resumes at
/// the failed step with the same version id, so steps must be idempotent
/// (e.g. `set` tries the current password, then the pending one).
/// `--cancel` drops the pending rotation.
///
/// TRUST. A hook named in a store runs code on your machine, so sm runs it
/// only after you trust it here with --trust-hook, which hashes every file
/// the hook runs and records the digest in your config folder
/// (trusted_hooks.toml): for a hook in the store its whole folder,
/// recursively (so its helper modules too), and a `#!` interpreter in the
/// store; for a program outside the store, that file. It lists the files
/// it hashed. sm then runs the hook, at every step, from a private copy of
/// exactly those bytes (working directory: the store root). A file
/// changed, added or removed must be trusted again; until then sm refuses
/// the hook (exit 4) and runs nothing. A link or special file among them
/// is refused (exit 5), and so is a `#!` interpreter named by a relative
/// path outside the store.
///
/// SCHEDULES. --every 30d (or 12h), --schedule 'rate(30 days)' or
/// 'cron(0 16 1,15 * ? *)' (the cloud service's syntax: minutes hours
/// day-of-month month day-of-week year, one of the day fields `?`, UTC), no
/// more often than every 4 hours. A schedule counts from the last rotation.
/// --window 3h lets a rate()/cron() rotation start only within 3 hours after
/// a scheduled time; a missed window waits for the next one. Configuring a
/// schedule rotates at once unless --no-rotate-now. `sm rotate --due` (from
/// cron or a systemd timer) runs every rotation whose time has come; SM_NOW
/// (RFC 3339) sets the time schedules are evaluated at (and recorded as the
/// rotation time), for tests and dry runs. A crontab line that checks every
/// 15 minutes: `*/15 * * * * sm --store /srv/secrets rotate --due`.
///
/// Examples of hooks: examples/rotation/postgres (a PostgreSQL role's
/// password in a JSON secret) and examples/rotation/http-api-key.
#[derive(Debug, Args)]
pub struct RotateArgs {
    /// The secret to rotate
    #[arg(required_unless_present = "due", conflicts_with = "due")]
    pub name: Option<String>,
    /// Set the hook command, run as `CMD STEP`
    #[arg(long, value_name = "CMD")]
    pub hook: Option<String>,
    /// Trust the secret's hook, as it is now, on this machine
    #[arg(long)]
    pub trust_hook: bool,
    /// Rotate every DUR days or hours (30d, 12h)
    #[arg(long, value_name = "DUR", conflicts_with = "schedule")]
    pub every: Option<String>,
    /// Rotate on a schedule: 'rate(N days|hours)' or 'cron(M H DOM MON DOW Y)'
    #[arg(long, value_name = "EXPR")]
    pub schedule: Option<String>,
    /// Start a scheduled rotation only within DUR after its time (3h, 1d)
    #[arg(long, value_name = "DUR")]
    pub window: Option<String>,
    /// Save the settings without rotating now
    #[arg(long)]
    pub no_rotate_now: bool,
    /// Generate the new value when the hook prints none
    #[arg(long)]
    pub generate: bool,
    /// The field of a JSON secret a generated value replaces [default: password]
    #[arg(long, value_name = "F", requires = "generate")]
    pub field: Option<String>,
    // With --generate: what the password may contain (as `sm gen`; kept
    // with the rotation settings).
    #[command(flatten)]
    pub password: super::r#gen::PasswordArgs,
    /// Stop a step after SECS seconds [default: 300]
    #[arg(long, value_name = "SECS")]
    pub timeout: Option<u64>,
    /// Drop the rotation in progress
    #[arg(long, conflicts_with_all = ["hook", "trust_hook", "every", "schedule", "window", "no_rotate_now", "generate", "timeout"])]
    pub cancel: bool,
    /// Run every rotation that is due
    #[arg(long, conflicts_with_all = ["hook", "trust_hook", "every", "schedule", "window", "no_rotate_now", "generate", "timeout", "cancel"])]
    pub due: bool,
    /// With --due: list what would rotate, and rotate nothing
    #[arg(long, requires = "due")]
    pub dry_run: bool,
}

pub fn run(ctx: &Context, args: RotateArgs) -> CmdResult {
    if args.due {
        return run_due(ctx, args.dry_run);
    }
    let name = args.name.clone().expect("clap requires NAME without --due");
    crate::store::name::validate_name(&name)?;
    args.password.check_needs_generate(args.generate)?;
    let settings = Settings {
        hook: args.hook.clone(),
        generate: args.generate.then_some(true),
        field: args.field.clone(),
        password: args.password.given().then(|| args.password.spec()),
        timeout: args.timeout,
        schedule: args.every.clone().or(args.schedule.clone()),
        window: args.window.clone(),
    };
    // Bad flags fail before anything is opened (a lone --window is checked
    // against the stored schedule by `configure`).
    if settings.window.is_none() || settings.schedule.is_some() {
        settings.validate(None)?;
    }
    let store = ctx.open_store()?;
    let identity = ctx.identity()?;
    let now = clock()?;

    if args.cancel {
        let result = rotation::cancel(&store, identity, &name);
        let mut event = Event::ok("rotate", Some(&name));
        event.detail = Some("cancel".into());
        let dropped = ctx.audited(&store, event, true, result, |id, e| e.version(id, &[]))?;
        if ctx.global.json {
            output::json(&output::SecretVersion::read(&store, &name, &dropped))?;
            return Ok(0);
        }
        output::note(
            ctx.global.quiet,
            format!(
                "sm: cancelled the rotation of `{name}`; version {dropped} is no longer pending"
            ),
        );
        return Ok(0);
    }

    if !settings.is_empty() {
        let result = rotation::configure(&store, identity, &name, &settings, now);
        let mut event = Event::ok("rotate", Some(&name));
        event.detail = Some("configure".into());
        ctx.audited(&store, event, true, result, |_, e| e)?;
    }
    if args.trust_hook {
        let config_dir = ctx.config_dir()?;
        match rotation::trust_hook(&store, &name, &config_dir)? {
            Some(hook) => output::note(ctx.global.quiet, trusted_note(&hook)),
            None => {
                return Err(
                    Error::invalid(format!("secret `{name}` has no hook to trust"))
                        .with_hint("add --hook CMD")
                        .into(),
                );
            }
        }
    }
    if args.no_rotate_now {
        if ctx.global.json {
            output::SecretRecord::print(&store, &name)?;
        }
        return Ok(0);
    }
    let outcome = run_one(ctx, &store, &name, now)?;
    if ctx.global.json {
        /// `rotate --json`: the new current version and the steps that ran.
        #[derive(serde::Serialize)]
        struct Rotated<'a> {
            #[serde(flatten)]
            version: output::SecretVersion,
            steps: &'a [String],
            resumed_at: Option<&'a str>,
        }
        output::json(&Rotated {
            version: output::SecretVersion::read(&store, &name, &outcome.version_id),
            steps: &outcome.steps,
            resumed_at: outcome.resumed_at.as_deref(),
        })?;
        return Ok(0);
    }
    output::note(
        ctx.global.quiet,
        format!(
            "sm: rotated `{name}`: current is now version {}",
            outcome.version_id
        ),
    );
    Ok(0)
}

/// What `--trust-hook` tells: the hook, the folders trusted whole, and
/// every file hashed (the first 50).
fn trusted_note(hook: &crate::rotation::hook::Hook) -> String {
    const SHOWN: usize = 50;
    let files = hook.hashed();
    let whole = match hook.folders.as_slice() {
        [] => String::new(),
        folders => format!(
            " (the whole folder {})",
            folders
                .iter()
                .map(|f| format!("{f}/"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let mut text = format!(
        "sm: trusted the hook `{}` on this machine; hashed {} file{}{whole}:",
        hook.command,
        files.len(),
        if files.len() == 1 { "" } else { "s" }
    );
    for file in files.iter().take(SHOWN) {
        text.push_str(&format!("\n  {}", file.path));
    }
    if files.len() > SHOWN {
        text.push_str(&format!("\n  ... and {} more", files.len() - SHOWN));
    }
    text
}

/// Runs (or resumes) one rotation and logs what happened.
fn run_one(
    ctx: &Context,
    store: &crate::store::Store,
    name: &str,
    now: jiff::Timestamp,
) -> anyhow::Result<rotation::Outcome> {
    let identity = ctx.identity()?;
    let config_dir = ctx.config_dir()?;
    let mut events = Vec::new();
    let result = rotation::rotate(
        store,
        identity,
        name,
        &RunOptions {
            config_dir: &config_dir,
            now,
            version_id: None,
        },
        &mut events,
    );
    if let Err(err) = &result
        && !events.iter().any(|e| e.outcome != "ok")
    {
        events.push(Event::ok("rotate", Some(name)).failed(err));
    }
    let logged = ctx.audit(store, &events, true);
    let outcome = result?;
    logged?;
    Ok(outcome)
}

fn run_due(ctx: &Context, dry_run: bool) -> CmdResult {
    let store = ctx.open_store()?;
    let now = clock()?;
    let mut records = Vec::new();
    let mut lines = Vec::new();
    let (mut rotated, mut failed, mut waiting) = (0, 0, 0);
    let mut code = 0;
    for entry in rotation::scheduled(&store, now)? {
        let name = entry.name;
        let status = match entry.status {
            Ok(s) => s,
            Err(e) => {
                failed += 1;
                code = code.max(1);
                lines.push(format!("failed     {name}: {e}"));
                records.push(serde_json::json!({"name": name, "action": "failed", "error": e}));
                continue;
            }
        };
        let next = format_time(status.next);
        if !status.due {
            waiting += 1;
            let note = match status.missed {
                Some(m) => format!("missed the window after {}; next at {next}", format_time(m)),
                None => format!("next at {next}"),
            };
            lines.push(format!("not due    {name}: {note}"));
            records.push(serde_json::json!({"name": name, "action": "not_due", "next_rotation": next, "missed": status.missed.map(format_time)}));
            continue;
        }
        if dry_run {
            rotated += 1;
            lines.push(format!("would rotate {name} (due since {next})"));
            records.push(
                serde_json::json!({"name": name, "action": "would_rotate", "due_since": next}),
            );
            continue;
        }
        match run_one(ctx, &store, &name, now) {
            Ok(outcome) => {
                rotated += 1;
                lines.push(format!(
                    "rotated    {name}: current is now version {}",
                    outcome.version_id
                ));
                records.push(serde_json::json!({"name": name, "action": "rotated", "version_id": outcome.version_id}));
            }
            Err(err) => {
                let typed = err.chain().find_map(|e| e.downcast_ref::<Error>());
                if let Some(Error::Conflict { .. }) = typed {
                    waiting += 1;
                    lines.push(format!(
                        "skipped    {name}: being rotated by another sm process"
                    ));
                    records.push(serde_json::json!({"name": name, "action": "in_progress"}));
                    continue;
                }
                failed += 1;
                let c = typed.map_or(1, Error::exit_code);
                // A failed step (7) wins over other failures in the exit code.
                code = if c == 7 || code == 7 { 7 } else { code.max(c) };
                lines.push(format!("failed     {name}: {err:#}"));
                records.push(serde_json::json!({"name": name, "action": "failed", "error": format!("{err:#}")}));
            }
        }
    }
    if ctx.global.json {
        output::json(&records)?;
    } else {
        for line in &lines {
            println!("{line}");
        }
        let verb = if dry_run { "would rotate" } else { "rotated" };
        println!("{verb} {rotated}, failed {failed}, not due {waiting}");
    }
    if failed > 0 {
        eprintln!("error: {failed} rotation(s) failed; `sm show NAME` tells where each stopped");
    }
    Ok(code)
}
