//! `sm edit`: edit the current value in `$EDITOR`.

use clap::Args;

use super::{CmdResult, Context, output};
use crate::Error;
use crate::audit::Event;
use crate::scratch::Scratch;
use crate::store::{GetRequest, PutRequest, Selector};

/// Edit a secret's current value in $VISUAL or $EDITOR; saved as a new version
///
/// The value is written to a private 0600 file outside the store (in
/// /dev/shm where it exists), which is overwritten and removed on every way
/// out, SIGTERM and SIGHUP included; sm ignores SIGINT and SIGQUIT while the
/// editor runs. A scratch folder left by a killed run is removed by the next
/// `sm edit` or `sm doctor`. A version is saved only if the text changed.
/// When the value had no trailing newline and the editor added one, it is
/// dropped again.
#[derive(Debug, Args)]
pub struct EditArgs {
    /// The secret's name
    pub name: String,
}

pub fn run(ctx: &Context, args: EditArgs) -> CmdResult {
    // Scratch folders left by an `sm edit` that was killed outright.
    for dir in crate::scratch::sweep_stale() {
        output::note(
            ctx.global.quiet,
            format!(
                "sm: removed the scratch folder {} left by a killed `sm edit`",
                dir.display()
            ),
        );
    }
    let store = ctx.open_store()?;
    let identity = ctx.identity()?;
    let result = store.get(
        identity,
        &GetRequest {
            name: &args.name,
            selector: Selector::Current,
        },
    );
    let got = ctx.audited(
        &store,
        Event::ok("get", Some(&args.name)),
        false,
        result,
        |g, e| {
            let mut e = e.version(&g.version_id, &g.labels);
            e.detail = Some("edit".into());
            e
        },
    )?;
    if got.record.encoding == crate::store::Encoding::Binary {
        return Err(Error::invalid(format!(
            "`{}` holds binary data, which sm does not open in an editor",
            args.name
        ))
        .with_hint("use `sm put NAME --file F --binary`")
        .into());
    }
    let scratch = Scratch::create(&got.value)?;
    let editor = std::env::var("VISUAL")
        .ok()
        .filter(|v| !v.is_empty())
        .or_else(|| std::env::var("EDITOR").ok().filter(|v| !v.is_empty()))
        .unwrap_or_else(|| "vi".to_string());
    // The editor command may carry arguments (`code --wait`), so a shell
    // splits it; the file path is passed as "$1", never interpolated.
    // A simple command is exec'd by the shell, so that the editor itself is
    // sm's child: a Ctrl-C reaches it instead of ending a waiting shell.
    let simple = !editor.contains(['|', '&', ';', '<', '>', '(', ')', '$', '`', '\\', '\n'])
        && !editor.split_whitespace().next().unwrap_or("").contains('=');
    let exec = if simple { "exec " } else { "" };
    let mut command = std::process::Command::new("sh");
    command
        .arg("-c")
        .arg(format!("{exec}{editor} \"$1\""))
        .arg("sm-edit")
        .arg(scratch.path());
    // sm ignores SIGINT/SIGQUIT while the editor runs; SIGTERM/SIGHUP wipe
    // the scratch file before sm ends (see `crate::scratch`).
    let status = scratch
        .run_editor(command)
        .map_err(|e| Error::Other(format!("cannot start the editor `{editor}`: {e}")))?;
    if !status.success() {
        return Err(Error::Other(format!(
            "the editor `{editor}` failed ({status}); nothing was saved"
        ))
        .into());
    }
    let mut edited = scratch.read()?;
    drop(scratch);
    if !got.value.ends_with(b"\n") && edited.ends_with(b"\n") && !edited.ends_with(b"\n\n") {
        edited.pop();
    }
    if edited.as_slice() == got.value.as_slice() {
        if ctx.global.json {
            let mut record =
                output::SecretVersion::new(&args.name, &got.version_id, got.labels.clone());
            record.unchanged = Some(true);
            output::json(&record)?;
            return Ok(0);
        }
        output::note(
            ctx.global.quiet,
            format!("{}: unchanged, nothing saved", args.name),
        );
        return Ok(0);
    }
    if edited.is_empty() {
        return Err(Error::invalid("the edited value is empty; nothing was saved").into());
    }
    let request = PutRequest {
        name: &args.name,
        ..PutRequest::default()
    };
    let result = store.put(identity, &request, &edited);
    let outcome = ctx.audited(
        &store,
        Event::ok("edit", Some(&args.name)),
        true,
        result,
        |o, e| e.version(&o.version_id, &o.labels),
    )?;
    if ctx.global.json {
        let mut record =
            output::SecretVersion::new(&args.name, &outcome.version_id, outcome.labels.clone());
        record.unchanged = Some(outcome.unchanged);
        output::json(&record)?;
        return Ok(0);
    }
    output::note(
        ctx.global.quiet,
        format!(
            "Updated {} version {} [{}]",
            args.name,
            outcome.version_id,
            outcome.labels.join(", ")
        ),
    );
    Ok(0)
}
