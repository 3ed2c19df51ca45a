//! Printing helpers shared by the commands.

use std::io::{IsTerminal, Write};

use serde::Serialize;

/// Prints a value as pretty JSON on stdout.
pub fn json<T: Serialize>(value: &T) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    out.write_all(b"\n")?;
    Ok(())
}

/// Writes exact bytes to stdout, adding a newline only on a terminal.
pub fn value(bytes: &[u8]) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let tty = stdout.is_terminal();
    let mut out = stdout.lock();
    out.write_all(bytes)?;
    if tty && !bytes.ends_with(b"\n") {
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}

/// Prints a note on stderr unless quiet.
pub fn note(quiet: bool, text: impl std::fmt::Display) {
    if !quiet {
        eprintln!("{text}");
    }
}

/// Prints rows as aligned columns.
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> anyhow::Result<()> {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.len()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let mut out = std::io::stdout().lock();
    let mut line = |cells: &mut dyn Iterator<Item = &str>| -> std::io::Result<()> {
        let cells: Vec<&str> = cells.collect();
        let mut text = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i + 1 == cells.len() {
                text.push_str(cell);
            } else {
                // Padded by hand: `{:<width$}` panics past 65,535, and a
                // cell's width comes from store content.
                text.push_str(cell);
                let pad = widths[i].saturating_sub(cell.chars().count()) + 2;
                text.extend(std::iter::repeat_n(' ', pad));
            }
        }
        writeln!(out, "{}", text.trim_end())
    };
    line(&mut headers.iter().copied())?;
    for row in rows {
        line(&mut row.iter().map(String::as_str))?;
    }
    Ok(())
}

/// Whether sm's own `error:`/`hint:` labels on stderr are coloured, as
/// clap decides for its own: never with `--no-color` or a non-empty
/// NO_COLOR, always with CLICOLOR_FORCE (not "0"), else on a terminal.
pub fn stderr_color(no_color: bool) -> bool {
    let set = |name| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    if no_color || set("NO_COLOR") {
        return false;
    }
    if set("CLICOLOR_FORCE") && std::env::var_os("CLICOLOR_FORCE").is_some_and(|v| v != "0") {
        return true;
    }
    std::io::stderr().is_terminal()
}

/// `{name, version_id, labels, created?, unchanged?, value? | value_base64?}`:
/// one version of a secret, as `get`, `put`, `edit`, `label`, `rollback`
/// and `rotate` print it with `--json` (labels: the names on that version
/// now). Absent optional keys are left out.
#[derive(Debug, Serialize)]
pub struct SecretVersion {
    /// The secret.
    pub name: String,
    /// The version.
    pub version_id: String,
    /// The labels on the version, sorted.
    pub labels: Vec<String>,
    /// When the version was created (`get`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    /// Whether the write found the same value already there (`put`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unchanged: Option<bool>,
    /// The value as text (`get`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The value of a binary secret, base64 (`get`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_base64: Option<String>,
}

impl SecretVersion {
    /// A version with its labels.
    pub fn new(name: &str, version_id: &str, labels: Vec<String>) -> SecretVersion {
        SecretVersion {
            name: name.to_string(),
            version_id: version_id.to_string(),
            labels,
            created: None,
            unchanged: None,
            value: None,
            value_base64: None,
        }
    }

    /// A version with the labels the secret's metadata gives it now
    /// (metadata only; none if it cannot be read).
    pub fn read(store: &crate::store::Store, name: &str, version_id: &str) -> SecretVersion {
        let labels = store
            .read_meta(name)
            .map(|m| m.labels_of(version_id))
            .unwrap_or_default();
        SecretVersion::new(name, version_id, labels)
    }
}

/// `{name, description, tags, labels, current_version, created, updated,
/// rotation, next_rotation, rotation_due, rotation_missed_window,
/// rotation_failed, purge_after}`: a secret, as `ls` lists it and `show`,
/// `tag`, `untag`, `describe`, `rm`, `restore` and `rotate --no-rotate-now`
/// print it with `--json`.
#[derive(Debug, Serialize)]
pub struct SecretRecord {
    /// The name.
    pub name: String,
    /// The description ("" when none).
    pub description: String,
    /// The tags.
    pub tags: std::collections::BTreeMap<String, String>,
    /// The label names in use, sorted.
    pub labels: Vec<String>,
    /// The version labelled `current`.
    pub current_version: Option<String>,
    /// When the secret was created.
    pub created: String,
    /// When the current version was created.
    pub updated: Option<String>,
    /// The rotation settings and any rotation under way.
    pub rotation: Option<crate::store::files::Rotation>,
    /// The next scheduled rotation.
    pub next_rotation: Option<String>,
    /// Whether a scheduled rotation is due.
    pub rotation_due: Option<bool>,
    /// The scheduled time whose window was missed.
    pub rotation_missed_window: Option<String>,
    /// Whether the last rotation failed at a step.
    pub rotation_failed: bool,
    /// When a scheduled deletion may purge the secret.
    pub purge_after: Option<String>,
}

impl SecretRecord {
    /// Builds the record from verified metadata at time `now`.
    pub fn new(meta: &crate::store::Meta, now: jiff::Timestamp) -> SecretRecord {
        let current = meta.label(crate::store::name::CURRENT).map(str::to_string);
        let schedule = crate::rotation::schedule_status(meta, now).ok().flatten();
        SecretRecord {
            name: meta.name.clone(),
            description: meta.description.clone(),
            tags: meta.tags.clone(),
            labels: meta.labels.keys().cloned().collect(),
            updated: current.as_deref().and_then(super::ls::time_of_version),
            current_version: current,
            created: meta.created.clone(),
            rotation: meta.rotation.clone(),
            next_rotation: schedule.as_ref().map(|s| crate::store::format_time(s.next)),
            rotation_due: schedule.as_ref().map(|s| s.due),
            rotation_missed_window: schedule
                .as_ref()
                .and_then(|s| s.missed.map(crate::store::format_time)),
            rotation_failed: meta
                .rotation
                .as_ref()
                .and_then(|r| r.pending.as_ref())
                .is_some_and(|p| p.error.is_some()),
            purge_after: meta.deletion.as_ref().map(|d| d.purge_after.clone()),
        }
    }

    /// Reads a secret's metadata and prints its record.
    pub fn print(store: &crate::store::Store, name: &str) -> anyhow::Result<()> {
        let meta = store.read_meta(name)?;
        json(&SecretRecord::new(&meta, super::context::clock()?))
    }
}

/// `{name, purged}`: a secret deleted for good (`rm --force`, `purge`).
#[derive(Debug, Serialize)]
pub struct Purged {
    /// The secret.
    pub name: String,
    /// Always true.
    pub purged: bool,
}

/// `{name, kind, recipient, signing_key, admin, added_by, removed}`: a
/// member (`kind` "member") or an extra recipient (`kind`
/// "extra_recipient", `name` null), as `member ls` lists them and
/// `member add` and `member admin` print them.
#[derive(Debug, Serialize)]
pub struct MemberRecord {
    /// The member's name.
    pub name: Option<String>,
    /// "member" or "extra_recipient".
    pub kind: &'static str,
    /// The age recipient.
    pub recipient: String,
    /// The signing key.
    pub signing_key: Option<String>,
    /// Whether the member is an admin.
    pub admin: bool,
    /// The admin who added the member.
    pub added_by: Option<String>,
    /// When the member was removed.
    pub removed: Option<String>,
}

impl MemberRecord {
    /// A member's record.
    pub fn member(m: &crate::store::Member) -> MemberRecord {
        MemberRecord {
            name: Some(m.name.clone()),
            kind: "member",
            recipient: m.recipient.clone(),
            signing_key: Some(m.signing_key.clone()),
            admin: m.admin,
            added_by: Some(m.added_by.clone()),
            removed: m.removed.clone(),
        }
    }

    /// An extra recipient's record.
    pub fn extra(recipient: &str) -> MemberRecord {
        MemberRecord {
            name: None,
            kind: "extra_recipient",
            recipient: recipient.to_string(),
            signing_key: None,
            admin: false,
            added_by: None,
            removed: None,
        }
    }
}
