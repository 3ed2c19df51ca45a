//! `sm access`: show and change the path rules (who reads, who writes).

use clap::{Args, Subcommand};

use super::{CmdResult, Context, output};
use crate::audit::Event;
use crate::store::Store;
use crate::store::files::Rule;

/// Show or change who may read and write secrets
///
/// Rules map name globs to members and groups: `*` matches within one path
/// segment, `**` across segments, and `*` as a member means every member.
/// The most specific matching rule decides alone (a glob without wildcards
/// first, then the one with more literal characters). A name no rule
/// matches, and every name in a store without rules, is open to every
/// member. New versions are encrypted only to the readers; a version or
/// label change signed by someone not allowed to write fails verification
/// (exit 5). Changing rules needs an admin and is signed; existing versions
/// keep their recipients until `sm rewrap`.
///
/// With no arguments, lists the groups and rules.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct AccessArgs {
    #[command(subcommand)]
    pub command: Option<AccessCommand>,
    /// Show who may read and write NAME, and which rule says so
    pub name: Option<String>,
    /// List what member M may read and write
    #[arg(long, value_name = "M", conflicts_with = "name")]
    pub member: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum AccessCommand {
    /// Add or replace the rule for GLOB
    Set {
        /// Secret names the rule covers, e.g. 'prod/**'
        glob: String,
        /// Members or groups that may read (comma-separated; `*` for everyone)
        #[arg(long, value_delimiter = ',', value_name = "M,G")]
        read: Vec<String>,
        /// Members or groups that may write (comma-separated; `*` for everyone)
        #[arg(long, value_delimiter = ',', value_name = "M,G")]
        write: Vec<String>,
    },
    /// Remove the rule for GLOB
    Rm {
        /// The rule's glob, exactly as set
        glob: String,
    },
}

/// Counts the secrets whose readers, and those whose writers, differ
/// between two views of a store.
pub fn readers_changed(before: &Store, after: &Store) -> anyhow::Result<(usize, usize)> {
    let names = after.list_names()?;
    let readers = names
        .iter()
        .filter(|n| before.recipient_strings_for(n) != after.recipient_strings_for(n))
        .count();
    let writers = names
        .iter()
        .filter(|n| {
            let (b, a) = (before.writers_of(n).members, after.writers_of(n).members);
            b.iter().any(|m| !a.contains(m))
        })
        .count();
    Ok((readers, writers))
}

/// Tells the user to rewrap when the readers of some secrets changed, or
/// someone lost write access (what they signed must be re-signed).
pub fn rewrap_note(ctx: &Context, (readers, writers): (usize, usize)) {
    if readers > 0 {
        output::note(
            ctx.global.quiet,
            format!(
                "{readers} secret(s) now have other readers: run `sm rewrap` to re-encrypt their existing versions."
            ),
        );
    }
    if writers > 0 {
        output::note(
            ctx.global.quiet,
            format!(
                "{writers} secret(s) lost a writer: what they signed fails verification until `sm rewrap` re-signs it."
            ),
        );
    }
}

pub fn run(ctx: &Context, args: AccessArgs) -> CmdResult {
    match args.command {
        Some(AccessCommand::Set { glob, read, write }) => {
            let mut store = ctx.open_store()?;
            let before = Store::open(store.root())?;
            let replaced = store.set_rule(
                ctx.identity()?,
                Rule {
                    glob: glob.clone(),
                    read: read.clone(),
                    write: write.clone(),
                },
            )?;
            let mut event = Event::ok("access-set", None);
            event.detail = Some(format!(
                "rule {glob}: read {} write {}",
                read.join(","),
                write.join(",")
            ));
            ctx.audit(&store, &[event], true)?;
            if ctx.global.json {
                show_rules(ctx, &store)?;
            } else {
                output::note(
                    ctx.global.quiet,
                    format!(
                        "{} the rule for `{glob}`.",
                        if replaced { "Replaced" } else { "Added" }
                    ),
                );
            }
            rewrap_note(ctx, readers_changed(&before, &store)?);
            Ok(0)
        }
        Some(AccessCommand::Rm { glob }) => {
            let mut store = ctx.open_store()?;
            let before = Store::open(store.root())?;
            store.remove_rule(ctx.identity()?, &glob)?;
            let mut event = Event::ok("access-rm", None);
            event.detail = Some(format!("rule {glob}"));
            ctx.audit(&store, &[event], true)?;
            if ctx.global.json {
                show_rules(ctx, &store)?;
            } else {
                output::note(ctx.global.quiet, format!("Removed the rule for `{glob}`."));
            }
            rewrap_note(ctx, readers_changed(&before, &store)?);
            Ok(0)
        }
        None => {
            let store = ctx.open_store()?;
            if let Some(name) = args.name {
                show_secret(ctx, &store, &name)
            } else if let Some(member) = args.member {
                show_member(ctx, &store, &member)
            } else {
                show_rules(ctx, &store)
            }
        }
    }
}

fn show_secret(ctx: &Context, store: &Store, name: &str) -> CmdResult {
    crate::store::name::validate_name(name)?;
    let read = store.readers_of(name);
    let write = store.writers_of(name);
    if ctx.global.json {
        output::json(&serde_json::json!({ "name": name, "read": read, "write": write }))?;
        return Ok(0);
    }
    let why = |rule: &Option<String>| match rule {
        Some(g) => format!("rule `{g}`"),
        None if store.access().has_rules() => "no rule matches: open to every member".into(),
        None => "no rules: open to every member".into(),
    };
    let list = |m: &[String]| {
        if m.is_empty() {
            "nobody".to_string()
        } else {
            m.join(", ")
        }
    };
    println!("{name}");
    println!("  read:  {}  ({})", list(&read.members), why(&read.rule));
    println!("  write: {}  ({})", list(&write.members), why(&write.rule));
    Ok(0)
}

fn show_member(ctx: &Context, store: &Store, member: &str) -> CmdResult {
    if !store.active_members().any(|m| m.name == member) {
        return Err(
            crate::Error::not_found(format!("there is no member `{member}`"))
                .with_hint("`sm member ls` lists the members")
                .into(),
        );
    }
    let mut rows = Vec::new();
    for name in store.list_names()? {
        let read = store.readers_of(&name);
        let write = store.writers_of(&name);
        let r = read.members.iter().any(|m| m == member);
        let w = write.members.iter().any(|m| m == member);
        if r || w {
            rows.push((name, r, w, read.rule));
        }
    }
    if ctx.global.json {
        let list: Vec<_> = rows
            .iter()
            .map(|(n, r, w, rule)| {
                serde_json::json!({ "name": n, "read": r, "write": w, "rule": rule })
            })
            .collect();
        output::json(&list)?;
    } else {
        let rows: Vec<Vec<String>> = rows
            .into_iter()
            .map(|(n, r, w, rule)| {
                let access = match (r, w) {
                    (true, true) => "read, write",
                    (true, false) => "read",
                    _ => "write",
                };
                vec![n, access.into(), rule.unwrap_or_else(|| "-".into())]
            })
            .collect();
        output::table(&["SECRET", "ACCESS", "RULE"], &rows)?;
    }
    Ok(0)
}

fn show_rules(ctx: &Context, store: &Store) -> CmdResult {
    let file = store.access().file();
    if ctx.global.json {
        output::json(&serde_json::json!({ "groups": file.groups, "rules": file.rules }))?;
        return Ok(0);
    }
    if file.rules.is_empty() && file.groups.is_empty() {
        output::note(
            ctx.global.quiet,
            "No access rules: every member may read and write every secret.",
        );
        return Ok(0);
    }
    let rows: Vec<Vec<String>> = file
        .rules
        .iter()
        .map(|r| vec![r.glob.clone(), r.read.join(","), r.write.join(",")])
        .collect();
    output::table(&["GLOB", "READ", "WRITE"], &rows)?;
    for g in &file.groups {
        println!("group {}: {}", g.name, g.members.join(", "));
    }
    Ok(0)
}
