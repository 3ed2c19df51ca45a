//! What a store file may hold, checked every time one is loaded.
//!
//! A cloned store is untrusted input: an admin, or anyone who can commit,
//! chooses every byte of it. So every name, id, time and count read from
//! disk meets the rules of typed input before sm builds a path, a loop or
//! an allocation from it, whether or not the file is signed (a signature
//! says who wrote it, not that it is sane). [`files::parse_toml`] calls
//! [`Checked::check`] on every file it parses; a bad value is exit 5 naming
//! the file and the field.
//!
//! The bounds are generous for real teams and small enough that a hostile
//! file costs little to refuse.

use std::path::Path;

use super::files::{
    AccessFile, Checked, Deletion, Member, MembersFile, Meta, PendingRotation, Rotation, Signature,
    StoreFile, Tombstone, VersionRecord,
};
use super::name::{self, MAX_NAME_LEN};
use crate::crypto::Recipient;
use crate::error::{Error, Result};

/// The most labels one secret's `meta.toml` may hold.
pub const MAX_LABELS: usize = 1_000;

/// The most tags one secret's `meta.toml` may hold.
pub const MAX_TAGS: usize = 1_000;

/// The most member entries `members.toml` may hold, removed ones included
/// (they stay so that their logs still verify).
pub const MAX_MEMBERS: usize = 10_000;

/// The most groups `access.toml` may hold.
pub const MAX_GROUPS: usize = 1_000;

/// The most rules `access.toml` may hold.
pub const MAX_RULES: usize = 1_000;

/// The most names one group, or one rule's `read` or `write` list, may hold.
pub const MAX_PRINCIPALS: usize = MAX_MEMBERS;

/// The most extra recipients `store.toml` may hold.
pub const MAX_RECIPIENTS: usize = 1_000;

/// The most version records one secret's `versions/` folder may hold
/// (sm keeps 100 by default, plus every labelled one).
pub const MAX_VERSION_FILES: usize = 10_000;

/// The longest key text: an age recipient, an ssh public key (an RSA key of
/// 16384 bits is under 3,000 characters) or a signing key.
pub const MAX_KEY_LEN: usize = 8_192;

/// The longest signature or endorsement text (an ed25519 signature is 88
/// base64 characters).
pub const MAX_SIGNATURE_LEN: usize = 128;

/// The longest time text (sm writes `2026-11-23T09:20:16.199Z`).
pub const MAX_TIME_LEN: usize = 64;

/// The longest free text other than a description: a hook command, a
/// schedule, a replica's primary, a rotation's last error.
pub const MAX_TEXT_LEN: usize = 4_096;

/// The longest rotation step timeout, in seconds (as `--timeout` accepts).
pub const MAX_HOOK_TIMEOUT_SECS: u64 = 86_400;

/// Turns a failed rule into exit 5 naming `file` and `field`.
fn field<T>(file: &Path, field: &str, result: Result<T>) -> Result<T> {
    result.map_err(|e| Error::integrity(file, format!("field `{field}`: {e}")))
}

/// Fails with exit 5 when `field` of `file` holds more than `max` entries.
pub fn check_count(file: &Path, field: &str, count: usize, max: usize) -> Result<()> {
    if count > max {
        return Err(Error::integrity(
            file,
            format!("field `{field}` has {count} entries; at most {max} are allowed"),
        ));
    }
    Ok(())
}

fn invalid(what: &str, text: &str) -> Error {
    Error::invalid(format!("`{}` is not {what}", name::printable(text)))
}

/// A member name, as `sm member add` accepts it.
fn member_name(file: &Path, at: &str, text: &str) -> Result<()> {
    field(file, at, name::validate_member_name(text).map(drop))
}

/// A time as sm writes it: RFC 3339.
fn time(file: &Path, at: &str, text: &str) -> Result<()> {
    let ok = text.len() <= MAX_TIME_LEN && text.parse::<jiff::Timestamp>().is_ok();
    field(
        file,
        at,
        ok.then_some(())
            .ok_or_else(|| invalid("an RFC 3339 time", text)),
    )
}

/// Free text of at most `max` bytes; `lines` allows newlines and tabs.
fn text(file: &Path, at: &str, value: &str, max: usize, lines: bool) -> Result<()> {
    let bad_char = value
        .chars()
        .any(|c| c.is_control() && !(lines && (c == '\n' || c == '\t')));
    if value.len() > max || bad_char {
        return Err(Error::integrity(
            file,
            format!(
                "field `{at}`: the text is longer than {max} bytes or holds control characters"
            ),
        ));
    }
    Ok(())
}

/// Base64 text (a signature or an endorsement).
fn base64(file: &Path, at: &str, value: &str) -> Result<()> {
    let ok = !value.is_empty()
        && value.len() <= MAX_SIGNATURE_LEN
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+/=".contains(c));
    field(
        file,
        at,
        ok.then_some(())
            .ok_or_else(|| invalid("a signature", value)),
    )
}

/// A SHA-256 in lowercase hex.
fn sha256(file: &Path, at: &str, value: &str) -> Result<()> {
    let ok = value.len() == 64
        && value
            .chars()
            .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c));
    field(
        file,
        at,
        ok.then_some(()).ok_or_else(|| invalid("a SHA-256", value)),
    )
}

fn signature(file: &Path, signature: Option<&Signature>) -> Result<()> {
    if let Some(s) = signature {
        member_name(file, "signature.by", &s.by)?;
        base64(file, "signature.value", &s.value)?;
    }
    Ok(())
}

fn key_text(file: &Path, at: &str, value: &str) -> Result<()> {
    text(file, at, value, MAX_KEY_LEN, false)
}

impl Checked for StoreFile {
    fn check(&self, file: &Path) -> Result<()> {
        // sm makes store ids with `Uuid::now_v7`; they name cache folders
        // and pins, so only that exact form is accepted.
        let canonical = uuid::Uuid::parse_str(&self.id)
            .map(|u| u.hyphenated().to_string() == self.id)
            .unwrap_or(false);
        field(
            file,
            "id",
            canonical
                .then_some(())
                .ok_or_else(|| invalid("a store id (a UUID)", &self.id)),
        )?;
        key_text(file, "root_key", &self.root_key)?;
        check_count(file, "recipients", self.recipients.len(), MAX_RECIPIENTS)?;
        for (i, r) in self.recipients.iter().enumerate() {
            let at = format!("recipients[{i}]");
            key_text(file, &at, r)?;
            field(file, &at, Recipient::parse(r).map(drop))?;
        }
        if let Some(primary) = &self.primary {
            text(file, "primary", primary, MAX_TEXT_LEN, false)?;
        }
        signature(file, self.signature.as_ref())
    }
}

impl Checked for MembersFile {
    fn check(&self, file: &Path) -> Result<()> {
        check_count(file, "member", self.members.len(), MAX_MEMBERS)?;
        for (i, m) in self.members.iter().enumerate() {
            m.check_at(file, &format!("member[{i}]"))?;
        }
        signature(file, self.signature.as_ref())
    }
}

impl Member {
    fn check_at(&self, file: &Path, at: &str) -> Result<()> {
        member_name(file, &format!("{at}.name"), &self.name)?;
        member_name(file, &format!("{at}.added_by"), &self.added_by)?;
        key_text(file, &format!("{at}.recipient"), &self.recipient)?;
        field(
            file,
            &format!("{at}.recipient"),
            Recipient::parse(&self.recipient).map(drop),
        )?;
        key_text(file, &format!("{at}.signing_key"), &self.signing_key)?;
        base64(file, &format!("{at}.endorsement"), &self.endorsement)?;
        if let Some(removed) = &self.removed {
            time(file, &format!("{at}.removed"), removed)?;
        }
        Ok(())
    }
}

impl Checked for Meta {
    fn check(&self, file: &Path) -> Result<()> {
        field(file, "name", name::validate_name(&self.name).map(drop))?;
        field(
            file,
            "description",
            super::validate_description(&self.description).map(drop),
        )?;
        time(file, "created", &self.created)?;
        check_count(file, "tags", self.tags.len(), MAX_TAGS)?;
        for (key, value) in &self.tags {
            field(file, "tags", name::validate_tag_key(key).map(drop))?;
            field(
                file,
                &format!("tags.{key}"),
                name::validate_tag_value(value).map(drop),
            )?;
        }
        check_count(file, "labels", self.labels.len(), MAX_LABELS)?;
        for (label, version) in &self.labels {
            // Labels are stored in their normal form (`current`, never
            // `AWSCURRENT`), so one label names one entry.
            if name::validate_label(label).ok().as_deref() != Some(label.as_str()) {
                return Err(Error::integrity(
                    file,
                    format!(
                        "field `labels`: `{}` is not a label",
                        name::printable(label)
                    ),
                ));
            }
            field(
                file,
                &format!("labels.{label}"),
                name::validate_version_id(version).map(drop),
            )?;
        }
        if let Some(rotation) = &self.rotation {
            rotation.check_in(file)?;
        }
        if let Some(deletion) = &self.deletion {
            deletion.check_in(file)?;
        }
        if let Some(versions) = &self.versions {
            check_count(file, "versions", versions.len(), MAX_VERSION_FILES)?;
            for v in versions {
                field(file, "versions", name::validate_version_id(v).map(drop))?;
            }
        }
        signature(file, self.signature.as_ref())
    }
}

impl Checked for Tombstone {
    fn check(&self, file: &Path) -> Result<()> {
        field(file, "name", name::validate_name(&self.name).map(drop))?;
        time(file, "deleted", &self.deleted)?;
        signature(file, self.signature.as_ref())
    }
}

impl Rotation {
    fn check_in(&self, file: &Path) -> Result<()> {
        if let Some(hook) = &self.hook {
            text(file, "rotation.hook", hook, MAX_TEXT_LEN, true)?;
            if hook.trim().is_empty() {
                return Err(Error::integrity(
                    file,
                    "field `rotation.hook`: the command is empty",
                ));
            }
        }
        if let Some(f) = &self.field {
            text(file, "rotation.field", f, MAX_NAME_LEN, false)?;
            if f.is_empty() {
                return Err(Error::integrity(file, "field `rotation.field` is empty"));
            }
        }
        if let Some(p) = &self.password {
            text(
                file,
                "rotation.password.exclude",
                &p.exclude,
                MAX_TEXT_LEN,
                true,
            )?;
            if !(1..=4096).contains(&p.length) {
                return Err(Error::integrity(
                    file,
                    format!(
                        "field `rotation.password.length`: {} is not 1 to 4096",
                        p.length
                    ),
                ));
            }
        }
        if let Some(s) = &self.schedule {
            text(file, "rotation.schedule", s, MAX_TEXT_LEN, false)?;
            field(
                file,
                "rotation.schedule",
                crate::rotation::schedule::Schedule::parse(s).map(drop),
            )?;
        }
        if let Some(w) = &self.window {
            text(file, "rotation.window", w, MAX_TEXT_LEN, false)?;
            field(
                file,
                "rotation.window",
                crate::rotation::schedule::parse_window(w).map(drop),
            )?;
        }
        if let Some(t) = self.timeout
            && !(1..=MAX_HOOK_TIMEOUT_SECS).contains(&t)
        {
            return Err(Error::integrity(
                file,
                format!(
                    "field `rotation.timeout`: {t} is not 1 to {MAX_HOOK_TIMEOUT_SECS} seconds"
                ),
            ));
        }
        if let Some(t) = &self.configured {
            time(file, "rotation.configured", t)?;
        }
        if let Some(t) = &self.last_rotated {
            time(file, "rotation.last_rotated", t)?;
        }
        if let Some(p) = &self.pending {
            p.check_in(file)?;
        }
        Ok(())
    }
}

impl PendingRotation {
    fn check_in(&self, file: &Path) -> Result<()> {
        field(
            file,
            "rotation.pending.version_id",
            name::validate_version_id(&self.version_id).map(drop),
        )?;
        // The step itself is matched against the four steps where a
        // rotation resumes; here it only has to be a short word.
        let word = !self.step.is_empty()
            && self.step.len() <= 16
            && self.step.chars().all(|c| c.is_ascii_lowercase());
        field(
            file,
            "rotation.pending.step",
            word.then_some(())
                .ok_or_else(|| invalid("a rotation step", &self.step)),
        )?;
        time(file, "rotation.pending.started", &self.started)?;
        if let Some(e) = &self.error {
            text(file, "rotation.pending.error", e, MAX_TEXT_LEN, true)?;
        }
        Ok(())
    }
}

impl Deletion {
    fn check_in(&self, file: &Path) -> Result<()> {
        time(file, "deletion.requested", &self.requested)?;
        time(file, "deletion.purge_after", &self.purge_after)
    }
}

impl Checked for VersionRecord {
    fn check(&self, file: &Path) -> Result<()> {
        time(file, "created", &self.created)?;
        member_name(file, "author", &self.author)?;
        sha256(file, "sha256", &self.sha256)?;
        if let Some(r) = &self.recipients {
            sha256(file, "recipients", r)?;
        }
        if let Some(by) = &self.rewrapped_by {
            member_name(file, "rewrapped_by", by)?;
        }
        base64(file, "signature", &self.signature)
    }
}

impl Checked for AccessFile {
    fn check(&self, file: &Path) -> Result<()> {
        check_count(file, "group", self.groups.len(), MAX_GROUPS)?;
        for (i, g) in self.groups.iter().enumerate() {
            member_name(file, &format!("group[{i}].name"), &g.name)?;
            let at = format!("group[{i}].members");
            check_count(file, &at, g.members.len(), MAX_PRINCIPALS)?;
            for m in &g.members {
                member_name(file, &at, m)?;
            }
        }
        check_count(file, "rule", self.rules.len(), MAX_RULES)?;
        for (i, r) in self.rules.iter().enumerate() {
            // The glob's syntax is checked where it is compiled (a bad one
            // is exit 5 naming this file as well).
            text(
                file,
                &format!("rule[{i}].glob"),
                &r.glob,
                MAX_NAME_LEN,
                false,
            )?;
            for (list, names) in [("read", &r.read), ("write", &r.write)] {
                let at = format!("rule[{i}].{list}");
                check_count(file, &at, names.len(), MAX_PRINCIPALS)?;
                for n in names {
                    field(file, &at, name::validate_principal(n).map(drop))?;
                }
            }
        }
        signature(file, self.signature.as_ref())
    }
}

/// Checks the version ids listed from a `versions/` folder (from the
/// names of its `<id>.toml` files): each one a valid id, and not too many.
pub fn check_version_ids(dir: &Path, ids: &[String]) -> Result<()> {
    if ids.len() > MAX_VERSION_FILES {
        return Err(Error::integrity(
            dir,
            format!(
                "the folder holds {} version records; at most {MAX_VERSION_FILES} are allowed",
                ids.len()
            ),
        ));
    }
    for id in ids {
        let file = dir.join(format!("{id}.toml"));
        name::validate_version_id(id).map_err(|e| {
            Error::integrity(&file, format!("the file name is not a version id: {e}"))
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
