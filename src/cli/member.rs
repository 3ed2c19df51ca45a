//! `sm member`: team access.

use clap::{Args, Subcommand};

use super::{CmdResult, Context, output};
use crate::store::NewMember;

/// Manage the store's members (who can read, whose signatures count)
#[derive(Debug, Args)]
pub struct MemberArgs {
    #[command(subcommand)]
    pub command: MemberCommand,
}

#[derive(Debug, Subcommand)]
pub enum MemberCommand {
    /// Add a member, from their member card (`sm identity show --card`) or
    /// their recipient and --signing-key (`sm identity show`)
    ///
    /// Then re-encrypts (as `sm rewrap` does) the labelled versions of
    /// every secret the rules let them read, with progress on stderr, so
    /// they can read as soon as you commit and push. Secrets you cannot
    /// read yourself are listed as skipped (exit 4): a member who can read
    /// them runs `sm rewrap`. With --json: {"added", "admin", "secrets",
    /// "rewrap"} ("rewrap" is null with --no-rewrap).
    Add {
        /// Their member name
        name: String,
        /// Their member card (sm-card:v1:…), or their age recipient (age1…
        /// or an SSH public key) with --signing-key
        #[arg(value_name = "CARD|RECIPIENT")]
        recipient: String,
        /// Their signing key (ed25519:…), when RECIPIENT is not a card
        #[arg(long, value_name = "KEY")]
        signing_key: Option<String>,
        /// Make them an admin (may change members and settings)
        #[arg(long)]
        admin: bool,
        /// Do not re-encrypt existing versions to them now (`sm rewrap`
        /// does it later); by default what the rules let them read is
        /// re-encrypted at once
        #[arg(long)]
        no_rewrap: bool,
    },
    /// List the members, and the store's extra recipients (keys from
    /// `sm init --recipient` that can decrypt every value)
    ///
    /// With --json, each entry has a "kind": "member", or "extra_recipient"
    /// (then only "recipient" is set).
    Ls,
    /// Make a member an admin (may change members, groups and rules)
    Admin {
        /// The member
        name: String,
    },
    /// Remove a member, re-encrypt what they could read, and list the
    /// secrets to rotate
    ///
    /// Their entry stays (marked removed) so their log still verifies, but
    /// they read, write and sign nothing from now on. Every labelled version
    /// they could read is re-encrypted without them (as `sm rewrap` does);
    /// since they may have copied values already, only rotation truly
    /// revokes, so the secrets whose current value they could read are
    /// printed (`--json`: listed under "rotate").
    Rm {
        /// The member
        name: String,
        /// Also rotate those secrets now (the ones with a rotation set up)
        #[arg(long)]
        rotate: bool,
    },
}

pub fn run(ctx: &Context, args: MemberArgs) -> CmdResult {
    match args.command {
        MemberCommand::Add {
            name,
            recipient,
            signing_key,
            admin,
            no_rewrap,
        } => {
            let (recipient, signing_key) = match (super::identity::is_card(&recipient), signing_key)
            {
                (true, None) => super::identity::parse_card(&recipient)?,
                (true, Some(_)) => {
                    return Err(crate::Error::invalid(
                        "a member card holds the signing key already; drop --signing-key",
                    )
                    .into());
                }
                (false, Some(key)) => (recipient, key),
                (false, None) if !recipient.starts_with("age1") => {
                    return Err(crate::Error::invalid(
                        "that is neither a member card (sm-card:v1:…) nor an age recipient (age1…)",
                    )
                    .with_hint("the new member prints their card with `sm identity show --card`")
                    .into());
                }
                (false, None) => {
                    return Err(crate::Error::invalid(
                        "a recipient needs its --signing-key (or pass the member card instead)",
                    )
                    .with_hint("the new member prints their card with `sm identity show --card`")
                    .into());
                }
            };
            let new = NewMember {
                name,
                recipient,
                signing_key,
                admin,
            };
            add(ctx, new, no_rewrap)
        }
        MemberCommand::Admin { name } => {
            let mut store = ctx.open_store()?;
            store.make_admin(ctx.identity()?, &name)?;
            let mut event = crate::audit::Event::ok("member-admin", None);
            event.detail = Some(format!("member {name}"));
            ctx.audit(&store, &[event], true)?;
            if ctx.global.json {
                if let Some(m) = store.members().iter().find(|m| m.name == name) {
                    output::json(&output::MemberRecord::member(m))?;
                }
                return Ok(0);
            }
            output::note(ctx.global.quiet, format!("{name} is an admin now."));
            Ok(0)
        }
        MemberCommand::Rm { name, rotate } => remove(ctx, &name, rotate),
        MemberCommand::Ls => {
            let store = ctx.open_store()?;
            if ctx.global.json {
                let list: Vec<_> = store
                    .members()
                    .iter()
                    .map(output::MemberRecord::member)
                    .chain(
                        store
                            .extra_recipients()
                            .iter()
                            .map(|r| output::MemberRecord::extra(r)),
                    )
                    .collect();
                output::json(&list)?;
            } else {
                let rows: Vec<Vec<String>> = store
                    .members()
                    .iter()
                    .map(|m| {
                        vec![
                            m.name.clone(),
                            if m.removed.is_some() {
                                "removed".into()
                            } else if m.admin {
                                "admin".into()
                            } else {
                                "member".into()
                            },
                            m.recipient.clone(),
                        ]
                    })
                    .chain(
                        store
                            .extra_recipients()
                            .iter()
                            .map(|r| vec!["-".into(), "extra recipient".into(), r.clone()]),
                    )
                    .collect();
                output::table(&["NAME", "ROLE", "RECIPIENT"], &rows)?;
            }
            Ok(0)
        }
    }
}

/// Adds a member and, unless `no_rewrap`, re-encrypts what they may read.
fn add(ctx: &Context, new: NewMember, no_rewrap: bool) -> CmdResult {
    let mut store = ctx.open_store()?;
    let before = crate::store::Store::open(store.root())?;
    let member = store.add_member(ctx.identity()?, new)?;
    let mut event = crate::audit::Event::ok("member-add", None);
    event.detail = Some(format!("member {}", member.name));
    ctx.audit(&store, &[event], true)?;
    let changed: Vec<String> = store
        .list_names()?
        .into_iter()
        .filter(|n| before.recipient_strings_for(n) != store.recipient_strings_for(n))
        .collect();
    let report = if no_rewrap || changed.is_empty() {
        None
    } else {
        Some(super::rewrap::rewrap_names_with_progress(
            ctx,
            &store,
            &changed,
            &format!("member add {}", member.name),
        )?)
    };
    if ctx.global.json {
        // The member in the same record shape `member ls` prints.
        output::json(&serde_json::json!({
            "member": output::MemberRecord::member(&member),
            "secrets": changed,
            "rewrap": report,
        }))?;
    } else {
        if let Some(report) = &report {
            super::rewrap::print_report(ctx, report);
        }
        let them = &member.name;
        let what = match (&report, changed.len()) {
            (_, 0) => format!("Added {them}. The rules let them read no secret yet."),
            (None, n) => format!(
                "Added {them}. The rules let them read {n} secret(s), re-encrypted to them when written again, or all at once by `sm rewrap`."
            ),
            (Some(r), n) if r.skipped.is_empty() => format!(
                "Added {them}. The {n} secret(s) the rules let them read are re-encrypted to them."
            ),
            (Some(_), n) => format!(
                "Added {them}. Of the {n} secret(s) the rules let them read, the skipped ones need `sm rewrap` by a member who can read them."
            ),
        };
        output::note(ctx.global.quiet, what);
        output::note(
            ctx.global.quiet,
            format!(
                "Next: commit and push .sm and secrets (git add .sm secrets && git commit && git push); {them} then clones or pulls and runs `sm doctor`."
            ),
        );
    }
    Ok(match report {
        Some(r) if !r.skipped.is_empty() => 4,
        _ => 0,
    })
}

fn remove(ctx: &Context, name: &str, rotate: bool) -> CmdResult {
    let mut store = ctx.open_store()?;
    let removed = store.remove_member(ctx.identity()?, name)?;
    let mut event = crate::audit::Event::ok("member-rm", None);
    event.detail = Some(format!("member {name}"));
    ctx.audit(&store, &[event], true)?;
    let report = super::rewrap::rewrap_with_progress(ctx, &store, None)?;
    let mut rotations = Vec::new();
    if rotate {
        for secret in &removed.readable {
            let configured = store
                .read_meta(secret)
                .map(|m| m.rotation.is_some_and(|r| r.hook.is_some() || r.generate))
                .unwrap_or(false);
            let outcome = if configured {
                let mut child = std::process::Command::new(std::env::current_exe()?);
                // sm itself is the child: hand it the SM_IDENTITY that was
                // taken out of this process's environment at start.
                if let Some(key) = crate::crypto::identity::env_key() {
                    child.env(crate::crypto::identity::ENV_KEY, &*key);
                }
                let status = child
                    .args(
                        ctx.global
                            .store
                            .iter()
                            .flat_map(|s| [std::ffi::OsStr::new("--store"), s.as_os_str()]),
                    )
                    .args(
                        ctx.global
                            .identity
                            .iter()
                            .flat_map(|s| [std::ffi::OsStr::new("--identity"), s.as_os_str()]),
                    )
                    .args(["--quiet", "rotate", secret.as_str()])
                    .current_dir(std::env::current_dir()?)
                    .status()?;
                if status.success() {
                    "rotated"
                } else {
                    "rotation failed"
                }
            } else {
                "no rotation set up: put a new value by hand"
            };
            rotations.push((secret.clone(), outcome));
        }
    }
    if ctx.global.json {
        /// `member rm --json`.
        #[derive(serde::Serialize)]
        struct Removed<'a> {
            removed: &'a str,
            rotate: &'a [String],
            rotations: Vec<serde_json::Value>,
            rewrap: &'a crate::store::RewrapReport,
        }
        output::json(&Removed {
            removed: &removed.name,
            rotate: &removed.readable,
            rotations: rotations
                .iter()
                .map(|(s, o)| serde_json::json!({"name": s, "outcome": o}))
                .collect(),
            rewrap: &report,
        })?;
    } else {
        super::rewrap::print_report(ctx, &report);
        output::note(ctx.global.quiet, format!("Removed {name}."));
        if !removed.readable.is_empty() {
            output::note(
                ctx.global.quiet,
                format!(
                    "{name} could read the current value of these {} secret(s); rotate them, since only rotation truly revokes:",
                    removed.readable.len()
                ),
            );
            for secret in &removed.readable {
                match rotations.iter().find(|(s, _)| s == secret) {
                    Some((_, outcome)) => println!("{secret}\t{outcome}"),
                    None => println!("{secret}"),
                }
            }
        }
    }
    let failed = rotations.iter().any(|(_, o)| *o == "rotation failed");
    Ok(if failed {
        7
    } else if report.skipped.is_empty() {
        0
    } else {
        4
    })
}
