//! `sm show`: describe one secret.

use clap::Args;

use super::{CmdResult, Context, output};

/// Describe a secret: description, tags, versions and labels, rotation,
/// deletion, last access
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The secret's name
    pub name: String,
}

pub fn run(ctx: &Context, args: ShowArgs) -> CmdResult {
    let store = ctx.open_store()?;
    let meta = store.read_meta(&args.name)?;
    let versions = store.versions(&args.name)?;
    let last_access = crate::audit::read_all(&store)?
        .into_iter()
        .rev()
        .find(|e| e.secret.as_deref() == Some(args.name.as_str()) && e.reads_value())
        .map(|e| (e.time, e.actor, e.op));
    let schedule = crate::rotation::schedule_status(&meta, super::context::clock()?)?;
    if ctx.global.json {
        /// `show --json`: the secret's record, its versions, its last read.
        #[derive(serde::Serialize)]
        struct Shown<'a> {
            #[serde(flatten)]
            secret: output::SecretRecord,
            versions: &'a [crate::store::VersionInfo],
            last_access: Option<serde_json::Value>,
        }
        let mut secret = output::SecretRecord::new(&meta, super::context::clock()?);
        secret.name = args.name.clone();
        output::json(&Shown {
            secret,
            versions: &versions,
            last_access: last_access
                .as_ref()
                .map(|(t, a, o)| serde_json::json!({"time": t, "actor": a, "op": o})),
        })?;
        return Ok(0);
    }
    println!("name:         {}", args.name);
    if !meta.description.is_empty() {
        println!("description:  {}", meta.description);
    }
    println!("created:      {}", meta.created);
    for (k, v) in &meta.tags {
        println!("tag:          {k}={v}");
    }
    if let Some(d) = &meta.deletion {
        println!(
            "deletion:     scheduled; purged after {} (`sm restore {}` keeps it)",
            d.purge_after, args.name
        );
    }
    match &meta.rotation {
        Some(r) => {
            println!(
                "rotation:     {}",
                r.schedule.as_deref().unwrap_or("on demand")
            );
            if let Some(h) = &r.hook {
                println!("hook:         {h}");
            }
            match (r.timeout, &r.hook) {
                (Some(t), _) => println!("timeout:      {t} s per hook step"),
                (None, Some(_)) => println!(
                    "timeout:      {} s per hook step (the default)",
                    crate::rotation::runner::DEFAULT_TIMEOUT.as_secs()
                ),
                (None, None) => {}
            }
            if let Some(w) = &r.window {
                println!("window:       {w} after each scheduled time");
            }
            if let Some(t) = &r.last_rotated {
                println!("last rotated: {t}");
            }
            if let Some(s) = &schedule {
                let next = crate::store::format_time(s.next);
                let state = match (s.due, s.window_closes, s.missed) {
                    (true, Some(closes), _) => format!(
                        "{next} (due; window open until {})",
                        crate::store::format_time(closes)
                    ),
                    (true, None, _) => format!("{next} (overdue)"),
                    (false, _, Some(missed)) => format!(
                        "{next} (the window after {} was missed; waiting for the next scheduled time)",
                        crate::store::format_time(missed)
                    ),
                    (false, _, None) => next,
                };
                println!("next rotation: {state}");
            }
            if let Some(p) = &r.pending {
                match &p.error {
                    Some(e) => println!(
                        "rotation failed at step {} (pending version {}): {}; `sm rotate {}` resumes, `--cancel` drops it",
                        p.step,
                        p.version_id,
                        failure_reason(e, &args.name, &p.step),
                        args.name
                    ),
                    None => println!("in progress:  version {} at step {}", p.version_id, p.step),
                }
            }
        }
        None => println!("rotation:     not configured"),
    }
    match &last_access {
        Some((time, actor, op)) => println!("last access:  {time} by {actor} ({op})"),
        None => println!("last access:  never"),
    }
    println!("versions:");
    for v in &versions {
        let labels = if v.labels.is_empty() {
            String::new()
        } else {
            format!("  [{}]", v.labels.join(", "))
        };
        println!("  {}  {}  {}{labels}", v.version_id, v.created, v.author);
    }
    Ok(0)
}

/// The stored error of a failed rotation step without the "rotation of
/// `NAME` failed at step STEP: " that `sm show` already says.
fn failure_reason<'a>(error: &'a str, name: &str, step: &str) -> &'a str {
    error
        .strip_prefix(&format!("rotation of `{name}` failed at step {step}: "))
        .unwrap_or(error)
}
