//! `sm ls`: list secrets.

use clap::Args;

use super::{CmdResult, Context, output};
use crate::store::{Meta, parse_tag};

/// List secrets with their current version time, labels and rotation
///
/// Reads metadata only; nothing is decrypted.
#[derive(Debug, Args)]
pub struct LsArgs {
    /// Only these names: a prefix of whole segments (`prod/db` lists
    /// `prod/db` and `prod/db/x`, not `prod/db-old`), or a glob as in access
    /// rules (`prod/*` one segment, `prod/**` any depth)
    #[arg(value_name = "PREFIX|GLOB")]
    pub prefix: Option<String>,
    /// Only secrets with this tag; repeatable (all must match)
    #[arg(long = "tag", value_name = "K=V")]
    pub tags: Vec<String>,
    /// List secrets scheduled for deletion (instead of the live ones)
    #[arg(long)]
    pub deleted: bool,
}

/// Which names `sm ls` lists: all, a prefix of whole segments, or a glob.
pub enum Selection {
    /// Every name.
    All,
    /// The name itself and the names beneath it.
    Prefix(String),
    /// The names an access-rule glob matches.
    Glob(globset::GlobMatcher),
}

impl Selection {
    /// Reads the argument: a glob when it holds `*`, `?`, `[` or `{`, else
    /// a prefix (a trailing `/` is allowed; an empty one selects all).
    pub fn new(arg: Option<&str>) -> crate::Result<Selection> {
        let Some(arg) = arg else {
            return Ok(Selection::All);
        };
        if arg.contains(['*', '?', '[', '{']) {
            return Ok(Selection::Glob(crate::team::access::compile_glob(arg)?));
        }
        let prefix = arg.trim_end_matches('/');
        Ok(if prefix.is_empty() {
            Selection::All
        } else {
            Selection::Prefix(prefix.to_string())
        })
    }

    /// Tells whether `name` is selected.
    pub fn matches(&self, name: &str) -> bool {
        match self {
            Selection::All => true,
            Selection::Prefix(p) => name
                .strip_prefix(p.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/')),
            Selection::Glob(g) => g.is_match(name),
        }
    }
}

/// Returns the creation time of a UUIDv7 version id, without reading files.
pub fn time_of_version(id: &str) -> Option<String> {
    let uuid = uuid::Uuid::parse_str(id).ok()?;
    let (secs, nanos) = uuid.get_timestamp()?.to_unix();
    let ts = jiff::Timestamp::new(secs as i64, nanos as i32).ok()?;
    Some(crate::store::format_time(ts))
}

pub fn run(ctx: &Context, args: LsArgs) -> CmdResult {
    let tags = args
        .tags
        .iter()
        .map(|t| parse_tag(t))
        .collect::<crate::Result<Vec<_>>>()?;
    let select = Selection::new(args.prefix.as_deref())?;
    let (root, personal) = ctx.store_root()?;
    if personal && !crate::store::is_store(&root) {
        if ctx.global.json {
            output::json(&Vec::<()>::new())?;
        }
        return Ok(0);
    }
    let store = ctx.open_store()?;
    let now = super::context::clock()?;
    let mut rows = Vec::new();
    let mut records = Vec::new();
    let mut unreadable = 0;
    let summaries = store.list(|n| select.matches(n))?;
    // A secret this machine saw that is gone, or rolled back, fails the
    // listing (exit 5) rather than quietly dropping out of it.
    let listed: Vec<(String, u64)> = summaries
        .iter()
        .map(|s| (s.name.clone(), s.meta.as_ref().map_or(u64::MAX, |m| m.seq)))
        .collect();
    store.check_listing(&listed, |n| select.matches(n))?;
    for summary in summaries {
        let meta: Meta = match summary.meta {
            Ok(m) => m,
            Err(e) => {
                eprintln!("warning: {e}");
                unreadable += 1;
                continue;
            }
        };
        if meta.deletion.is_some() != args.deleted {
            continue;
        }
        if !tags.iter().all(|(k, v)| meta.tags.get(k) == Some(v)) {
            continue;
        }
        let current = meta.label(crate::store::name::CURRENT).map(str::to_string);
        let updated = current.as_deref().and_then(time_of_version);
        let labels: Vec<&String> = meta.labels.keys().collect();
        let rotation = meta.rotation.as_ref().and_then(|r| r.schedule.clone());
        let schedule = crate::rotation::schedule_status(&meta, now).ok().flatten();
        let failed = meta
            .rotation
            .as_ref()
            .and_then(|r| r.pending.as_ref())
            .is_some_and(|p| p.error.is_some());
        if ctx.global.json {
            let mut record = output::SecretRecord::new(&meta, now);
            record.name = summary.name;
            records.push(record);
        } else {
            rows.push(vec![
                summary.name,
                updated.unwrap_or_else(|| "-".into()),
                labels
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(","),
                if args.deleted {
                    meta.deletion
                        .map(|d| format!("purge after {}", d.purge_after))
                        .unwrap_or_default()
                } else {
                    rotation_cell(rotation, schedule.as_ref(), failed)
                },
            ]);
        }
    }
    if ctx.global.json {
        output::json(&records)?;
    } else if !rows.is_empty() {
        output::table(
            &[
                "NAME",
                "UPDATED",
                "LABELS",
                if args.deleted { "DELETION" } else { "ROTATION" },
            ],
            &rows,
        )?;
    }
    // The readable secrets are listed; a damaged one still fails the run.
    if unreadable > 0 {
        eprintln!("error: {unreadable} secret(s) could not be listed");
        return Ok(5);
    }
    Ok(0)
}

/// Describes a rotation in one cell: schedule, next time, overdue, failed.
fn rotation_cell(
    schedule_text: Option<String>,
    status: Option<&crate::rotation::schedule::Status>,
    failed: bool,
) -> String {
    let mut cell = match (schedule_text, status) {
        (Some(text), Some(s)) => format!(
            "{text}, next {}{}",
            crate::store::format_time(s.next),
            if s.due { " OVERDUE" } else { "" }
        ),
        (Some(text), None) => text,
        _ => "-".into(),
    };
    if failed {
        cell.push_str(" FAILED");
    }
    cell
}
