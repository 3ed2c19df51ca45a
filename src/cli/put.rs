//! `sm put`: create a secret or add a version.

use std::io::Read;
use std::path::PathBuf;

use clap::Args;

use super::context::can_prompt;
use super::{CmdResult, Context, output};
use crate::Error;
use crate::audit::Event;
use crate::store::{MAX_VALUE_LEN, PutRequest, parse_tag, value_buffer};

/// Create a secret or add a new version of it
///
/// The value comes from --file, --stdin, the VALUE argument (visible in your
/// shell history and process list: prefer the others), --generate (a random
/// password, never printed; `sm gen`'s options shape it), or a prompt without
/// echo on a terminal. Text from standard input drops one trailing newline;
/// --file and --binary keep the exact bytes. The new version becomes `current` and the old current
/// becomes `previous`, unless --label names other labels.
#[derive(Debug, Args)]
pub struct PutArgs {
    /// The secret's name, e.g. prod/db
    pub name: String,
    /// The value (prefer --stdin or the prompt)
    #[arg(conflicts_with_all = ["file", "stdin", "generate"])]
    pub value: Option<String>,
    /// Read the value from FILE
    #[arg(long, value_name = "FILE", conflicts_with_all = ["stdin", "generate"])]
    pub file: Option<PathBuf>,
    /// Read the value from standard input
    #[arg(long, conflicts_with = "generate")]
    pub stdin: bool,
    /// Store a generated password (never printed; shaped by the options below)
    #[arg(long, conflicts_with = "binary")]
    pub generate: bool,
    // `sm gen`'s options, with --generate.
    #[command(flatten)]
    pub password: super::r#gen::PasswordArgs,
    /// Set the description
    #[arg(long, value_name = "TEXT")]
    pub description: Option<String>,
    /// Set a tag; repeatable
    #[arg(long = "tag", value_name = "K=V")]
    pub tags: Vec<String>,
    /// Store the value as binary (printed as base64 in --json)
    #[arg(long)]
    pub binary: bool,
    /// Use this version id; retrying with the same id and value is a no-op
    #[arg(long, value_name = "ID")]
    pub version_id: Option<String>,
    /// Give the new version this label instead of `current`; repeatable
    #[arg(long = "label", value_name = "LABEL")]
    pub labels: Vec<String>,
}

pub fn run(ctx: &Context, args: PutArgs) -> CmdResult {
    crate::store::name::validate_name(&args.name)?;
    let tags = args
        .tags
        .iter()
        .map(|t| parse_tag(t))
        .collect::<crate::Result<Vec<_>>>()?;
    args.password.check_needs_generate(args.generate)?;
    let value = if args.generate {
        let password = crate::password::generate(&args.password.spec())?;
        let mut buf = value_buffer();
        buf.extend_from_slice(password.as_bytes());
        buf
    } else {
        read_value(&args)?
    };
    if args.value.is_some() {
        output::note(
            ctx.global.quiet,
            "sm: warning: the value given as an argument is now in your shell history \
             (and was visible to other processes)\n\
             hint: pass it with --stdin, or run `sm put NAME` to be asked for it without echo",
        );
    }
    let store = ctx.open_store_for_write()?;
    let identity = ctx.identity()?;
    let request = PutRequest {
        name: &args.name,
        version_id: args.version_id.clone(),
        labels: args.labels.clone(),
        description: args.description.clone(),
        tags,
        binary: args.binary,
        create_only: false,
        durability: None,
    };
    let result = store.put(identity, &request, &value);
    let outcome = ctx.audited(
        &store,
        Event::ok("put", Some(&args.name)),
        true,
        result,
        |o, e| {
            let mut e = e.version(&o.version_id, &o.labels);
            if o.unchanged {
                e.detail = Some("unchanged".into());
            }
            e
        },
    )?;
    if ctx.global.json {
        let mut record =
            output::SecretVersion::new(&args.name, &outcome.version_id, outcome.labels.clone());
        record.unchanged = Some(outcome.unchanged);
        output::json(&record)?;
    } else if outcome.unchanged {
        output::note(
            ctx.global.quiet,
            format!(
                "{} version {} exists with this value; nothing changed",
                args.name, outcome.version_id
            ),
        );
    } else {
        output::note(
            ctx.global.quiet,
            format!(
                "{} {} version {} [{}]",
                if outcome.created_secret {
                    "Created"
                } else {
                    "Updated"
                },
                args.name,
                outcome.version_id,
                outcome.labels.join(", ")
            ),
        );
    }
    Ok(0)
}

fn read_value(args: &PutArgs) -> anyhow::Result<zeroize::Zeroizing<Vec<u8>>> {
    let mut buf = value_buffer();
    if let Some(v) = &args.value {
        buf.extend_from_slice(v.as_bytes());
    } else if let Some(path) = &args.file {
        let file = std::fs::File::open(path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                Error::invalid(format!("{} does not exist", path.display()))
            } else {
                Error::io("cannot read", path, e)
            }
        })?;
        read_limited(file, &mut buf)?;
    } else if args.stdin || !can_prompt() {
        read_limited(std::io::stdin().lock(), &mut buf)?;
        if !args.binary {
            // Text from a pipe drops one trailing newline, as `$(...)` does.
            let keep = crate::store::without_final_newline(&buf).len();
            if keep == 0 && !buf.is_empty() {
                return Err(Error::invalid(
                    "the value is empty: standard input held only a newline, which sm drops",
                )
                .with_hint("to store a newline, pass it with --file /dev/stdin or --binary")
                .into());
            }
            buf.truncate(keep);
        }
    } else {
        let text = prompt_value(&args.name)?;
        buf.extend_from_slice(text.as_bytes());
    }
    crate::store::check_value_size(&buf)?;
    if buf.is_empty() {
        return Err(Error::invalid("the value is empty")
            .with_hint("pass it with --stdin, --file or as an argument")
            .into());
    }
    Ok(buf)
}

/// How many times the value prompt asks before it gives up.
const PROMPT_TRIES: usize = 3;

/// Asks for a value twice without echo, saying why when it asks again
/// (an empty answer, two answers that differ).
fn prompt_value(name: &str) -> anyhow::Result<zeroize::Zeroizing<String>> {
    let ask = |prompt: &str| {
        dialoguer::Password::new()
            .with_prompt(prompt)
            .allow_empty_password(true)
            .interact()
            .map(zeroize::Zeroizing::new)
            .map_err(|_| Error::invalid("no value was entered"))
    };
    for attempt in 1..=PROMPT_TRIES {
        let again = if attempt < PROMPT_TRIES {
            "; asking again (Ctrl-C stops)"
        } else {
            ""
        };
        let value = ask(&format!("Value for {name}"))?;
        if value.is_empty() {
            eprintln!("sm: the answer was empty, and sm stores no empty value{again}");
            continue;
        }
        let repeated = ask("Repeat the value")?;
        if *repeated != *value {
            eprintln!("sm: the two answers differ{again}");
            continue;
        }
        return Ok(value);
    }
    Err(
        Error::invalid(format!("no value was entered after {PROMPT_TRIES} tries"))
            .with_hint("type the value twice at the prompts, or pass it with --stdin or --file")
            .into(),
    )
}

/// Reads at most one byte more than the limit, so an oversized value is
/// refused without reading it all.
fn read_limited(reader: impl Read, buf: &mut Vec<u8>) -> anyhow::Result<()> {
    reader
        .take(MAX_VALUE_LEN as u64 + 1)
        .read_to_end(buf)
        .map_err(|e| Error::invalid(format!("cannot read the value: {e}")))?;
    Ok(())
}
