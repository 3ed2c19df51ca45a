//! A secret's rotation settings (hook, generation, timeout, schedule and
//! window) and the evaluation of schedules for `sm rotate --due`.

use jiff::Timestamp;

use crate::crypto::Identity;
use crate::error::{Error, Result};
use crate::store::files::Rotation;
use crate::store::{Meta, Store, format_time};

use super::schedule::{self, Schedule, Status};
/// Changes to a secret's rotation settings; `None` keeps what is set.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    /// The hook command.
    pub hook: Option<String>,
    /// Generate the value when the hook prints none.
    pub generate: Option<bool>,
    /// The JSON field a generated value replaces.
    pub field: Option<String>,
    /// What a generated password may contain.
    pub password: Option<crate::password::PasswordSpec>,
    /// The step timeout in seconds.
    pub timeout: Option<u64>,
    /// `--every DUR` or a `rate()`/`cron()` expression.
    pub schedule: Option<String>,
    /// The window after a scheduled time.
    pub window: Option<String>,
}

impl Settings {
    /// Tells whether nothing would change.
    pub fn is_empty(&self) -> bool {
        self.hook.is_none()
            && self.generate.is_none()
            && self.field.is_none()
            && self.password.is_none()
            && self.timeout.is_none()
            && self.schedule.is_none()
            && self.window.is_none()
    }

    /// Validates the settings (bad schedules and windows are exit 2).
    pub fn validate(&self, existing: Option<&Rotation>) -> Result<()> {
        if let Some(t) = self.timeout
            && !(1..=86_400).contains(&t)
        {
            return Err(Error::invalid("--timeout is 1 to 86400 seconds"));
        }
        if let Some(f) = &self.field
            && f.is_empty()
        {
            return Err(Error::invalid("--field names a JSON field"));
        }
        if let Some(p) = &self.password {
            // A spec no password satisfies fails now, not at the rotation.
            crate::password::generate(p)?;
        }
        if let Some(h) = &self.hook
            && h.trim().is_empty()
        {
            return Err(Error::invalid("--hook names a command"));
        }
        let schedule = self
            .schedule
            .as_deref()
            .or(existing.and_then(|r| r.schedule.as_deref()));
        let window = self
            .window
            .as_deref()
            .or(existing.and_then(|r| r.window.as_deref()));
        let parsed = schedule.map(Schedule::parse).transpose()?;
        if let Some(w) = window {
            let w = schedule::parse_window(w)?;
            match &parsed {
                Some(s) => s.check_window(w)?,
                None => {
                    return Err(Error::invalid("--window needs a schedule")
                        .with_hint("add --schedule 'rate(30 days)' or --schedule 'cron(...)'"));
                }
            }
        }
        Ok(())
    }
}

/// Applies `settings` to a secret's rotation settings. `now` anchors a new
/// schedule. Returns the resulting settings.
pub fn configure(
    store: &Store,
    identity: &Identity,
    name: &str,
    settings: &Settings,
    now: Timestamp,
) -> Result<Rotation> {
    let existing = store.read_live_meta(name)?.rotation;
    settings.validate(existing.as_ref())?;
    store.update_meta(identity, name, false, |meta| {
        let r = meta.rotation.get_or_insert_with(Rotation::default);
        if let Some(h) = &settings.hook {
            r.hook = Some(h.clone());
        }
        if let Some(g) = settings.generate {
            r.generate = g;
        }
        if let Some(f) = &settings.field {
            r.field = Some(f.clone());
        }
        if let Some(p) = &settings.password {
            r.password = Some(p.clone());
        }
        if let Some(t) = settings.timeout {
            r.timeout = Some(t);
        }
        if let Some(s) = &settings.schedule
            && r.schedule.as_deref() != Some(s.as_str())
        {
            r.schedule = Some(s.clone());
            r.configured = Some(format_time(now));
        }
        if let Some(w) = &settings.window {
            r.window = Some(w.clone());
        }
        Ok(r.clone())
    })
}

/// Evaluates a secret's schedule at `now`; `None` without a schedule.
pub fn schedule_status(meta: &Meta, now: Timestamp) -> Result<Option<Status>> {
    let Some(rotation) = &meta.rotation else {
        return Ok(None);
    };
    let Some(text) = &rotation.schedule else {
        return Ok(None);
    };
    let schedule = Schedule::parse(text)?;
    let window = rotation
        .window
        .as_deref()
        .map(schedule::parse_window)
        .transpose()?;
    let anchor = rotation
        .last_rotated
        .as_deref()
        .or(rotation.configured.as_deref())
        .unwrap_or(meta.created.as_str());
    let anchor: Timestamp = anchor.parse().map_err(|_| {
        Error::invalid(format!(
            "the rotation time `{anchor}` of `{}` is not an RFC 3339 time",
            meta.name
        ))
    })?;
    schedule.status(anchor, window, now).map(Some)
}

/// One secret with a schedule, as `sm rotate --due` sees it.
#[derive(Clone, Debug)]
pub struct DueEntry {
    /// The secret.
    pub name: String,
    /// Its status, or why it cannot be evaluated.
    pub status: Result<Status, String>,
}

/// Lists every live secret with a schedule and its status at `now`.
pub fn scheduled(store: &Store, now: Timestamp) -> Result<Vec<DueEntry>> {
    let mut out = Vec::new();
    for name in store.list_names()? {
        let meta = match store.read_meta(&name) {
            Ok(m) => m,
            Err(e) => {
                out.push(DueEntry {
                    name,
                    status: Err(e.to_string()),
                });
                continue;
            }
        };
        if meta.deletion.is_some() {
            continue;
        }
        match schedule_status(&meta, now) {
            Ok(Some(status)) => out.push(DueEntry {
                name,
                status: Ok(status),
            }),
            Ok(None) => {}
            Err(e) => out.push(DueEntry {
                name,
                status: Err(e.to_string()),
            }),
        }
    }
    Ok(out)
}
