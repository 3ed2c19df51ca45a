//! Running a rotation (SPEC section 5): the four steps create, set, test
//! and finish, each run through the secret's hook; failure recorded in
//! `meta.toml` and resumed at the failed step with the same version id;
//! cancel.
//!
//! The hook is resolved, hashed and checked against this machine's trust
//! once per run, and that one snapshot (a private copy of the trusted
//! files) serves all four steps: a hook changed on disk during the run is
//! not what runs.
//!
//! A rotation holds a lock of its own (`.sm/locks/rotate-<hash>.lock`) for
//! its whole run, so a second rotation of the same secret fails at once
//! with exit 6, while the secret's write lock is taken only for each short
//! metadata update: writes to this and other secrets go on meanwhile.

use std::path::Path;
use std::time::Duration;

use base64::Engine;
use jiff::Timestamp;
use serde::Serialize;
use zeroize::Zeroizing;

use crate::audit::Event;
use crate::crypto::{self, Identity};
use crate::error::{Error, Result};
use crate::store::files::{PendingRotation, Rotation};
use crate::store::fsio::Lock;
use crate::store::name::{CURRENT, PENDING};
use crate::store::{Encoding, GetRequest, PutRequest, Selector, Store, format_time, move_label};

use super::generate::generate_value;
use super::hook::Hook;
use super::runner::{self, Prepared, StepCall};
use super::trust;

/// The steps, in order.
pub const STEPS: [&str; 4] = ["create", "set", "test", "finish"];

/// The JSON field `--generate` replaces in a JSON secret by default.
pub const DEFAULT_FIELD: &str = "password";

/// What a rotation run did.
#[derive(Clone, Debug, Serialize)]
pub struct Outcome {
    /// The secret.
    pub name: String,
    /// The new version, now `current`.
    pub version_id: String,
    /// The step it resumed at, when it continued an earlier rotation.
    pub resumed_at: Option<String>,
    /// The steps that ran.
    pub steps: Vec<String>,
}

/// Where to find trust, and which time to record.
pub struct RunOptions<'a> {
    /// The user's config folder (for trusted hooks).
    pub config_dir: &'a Path,
    /// The time recorded as the rotation time (the schedule clock).
    pub now: Timestamp,
    /// The id the new version gets (the API's `ClientRequestToken`); sm
    /// picks a time-ordered one when `None`. A rotation that resumes keeps
    /// the id it started with.
    pub version_id: Option<&'a str>,
}

fn rotation_lock(store: &Store, name: &str) -> Result<Lock> {
    let digest = crypto::sha256_hex(name.as_bytes());
    let path = store
        .sm_dir()
        .join("locks")
        .join(format!("rotate-{}.lock", &digest[..32]));
    Lock::try_acquire(&path)?.ok_or_else(|| {
        Error::conflict(format!(
            "secret `{name}` is being rotated by another sm process"
        ))
        .with_hint("wait for it to finish; `sm show NAME` tells how it went")
    })
}

/// Resolves the secret's hook, checks it against this machine's trust and
/// prepares the private copy every step runs, if it has a hook.
fn trusted_hook(
    store: &Store,
    name: &str,
    rotation: &Rotation,
    config_dir: &Path,
) -> Result<Option<Prepared>> {
    let Some(command) = &rotation.hook else {
        return Ok(None);
    };
    let hook = Hook::resolve(command, store.root())?;
    trust::check_trusted(config_dir, &hook, name)?;
    Prepared::new(&hook).map(Some)
}

/// Trusts the secret's hook (as configured) on this machine. The returned
/// hook says which files were hashed.
pub fn trust_hook(store: &Store, name: &str, config_dir: &Path) -> Result<Option<Hook>> {
    let meta = store.read_live_meta(name)?;
    let Some(command) = meta.rotation.as_ref().and_then(|r| r.hook.clone()) else {
        return Ok(None);
    };
    let hook = Hook::resolve(&command, store.root())?;
    trust::trust(config_dir, &hook)?;
    Ok(Some(hook))
}

/// Runs a rotation of `name`, or resumes the one that failed. Every step
/// run (and a failure) is appended to `events` for the log, also when an
/// error is returned.
pub fn rotate(
    store: &Store,
    identity: &Identity,
    name: &str,
    options: &RunOptions<'_>,
    events: &mut Vec<Event>,
) -> Result<Outcome> {
    let meta = store.read_live_meta(name)?;
    let rotation = meta.rotation.clone().unwrap_or_default();
    if rotation.hook.is_none() && !rotation.generate {
        return Err(Error::invalid(format!(
            "secret `{name}` has no rotation hook and no --generate"
        ))
        .with_hint(format!(
            "`sm rotate {name} --generate` rotates to a generated value; --hook CMD runs your hook"
        )));
    }
    // Trust first: an untrusted hook runs nothing and changes nothing.
    let hook = trusted_hook(store, name, &rotation, options.config_dir)?;
    let _lock = rotation_lock(store, name)?;

    // Re-read under the rotation lock: another rotation may have finished.
    let meta = store.read_live_meta(name)?;
    let rotation = meta.rotation.clone().unwrap_or_default();
    let timeout = Duration::from_secs(
        rotation
            .timeout
            .unwrap_or(runner::DEFAULT_TIMEOUT.as_secs()),
    );
    let (version_id, first_step, resumed) = match &rotation.pending {
        Some(p) => (p.version_id.clone(), p.step.clone(), true),
        None => {
            let id = match options.version_id {
                Some(id) => crate::store::name::validate_version_id(id)?.to_string(),
                None => uuid::Uuid::now_v7().to_string(),
            };
            if store.version_ids(name)?.contains(&id) {
                return Err(
                    Error::conflict(format!("version `{id}` of `{name}` exists already"))
                        .with_hint("a rotation makes a new version: give it a new id, or none"),
                );
            }
            store.update_meta(identity, name, false, |meta| {
                meta.rotation.get_or_insert_with(Rotation::default).pending =
                    Some(PendingRotation {
                        version_id: id.clone(),
                        step: "create".into(),
                        started: format_time(options.now),
                        error: None,
                    });
                Ok(())
            })?;
            (id, "create".to_string(), false)
        }
    };
    let start = STEPS.iter().position(|s| *s == first_step).ok_or_else(|| {
        Error::integrity(
            store.secret_dir(name).join("meta.toml"),
            format!("the pending rotation names an unknown step `{first_step}`"),
        )
    })?;
    // A create that stored its version but died before recording it is done.
    let start = if start == 0 && meta.label(PENDING) == Some(version_id.as_str()) {
        1
    } else {
        start
    };

    let mut outcome = Outcome {
        name: name.to_string(),
        version_id: version_id.clone(),
        resumed_at: resumed.then(|| STEPS[start].to_string()),
        steps: Vec::new(),
    };
    let ctx = StepContext {
        store,
        identity,
        name,
        version_id: &version_id,
        hook: hook.as_ref(),
        rotation: &rotation,
        timeout,
        now: options.now,
    };
    for step in &STEPS[start..] {
        let result = ctx.run(step);
        let event = Event::ok("rotate", Some(name)).version(&version_id, &[]);
        match result {
            Ok(()) => {
                let mut event = event;
                event.detail = Some(format!("step {step}"));
                events.push(event);
                outcome.steps.push(step.to_string());
                if *step != "finish" {
                    let next = next_step(step);
                    store.update_meta(identity, name, false, |meta| {
                        if let Some(p) = meta.rotation.as_mut().and_then(|r| r.pending.as_mut()) {
                            p.step = next.to_string();
                            p.error = None;
                        }
                        Ok(())
                    })?;
                }
            }
            Err(err) => {
                let why = err.to_string();
                let mut event = event.failed(&err);
                event.detail = Some(format!("step {step} failed"));
                events.push(event);
                let _ = store.update_meta(identity, name, false, |meta| {
                    if let Some(p) = meta.rotation.as_mut().and_then(|r| r.pending.as_mut()) {
                        p.step = step.to_string();
                        p.error = Some(why.clone());
                    }
                    Ok(())
                });
                let err = match err {
                    Error::RotationFailed { message, .. } => Error::RotationFailed {
                        message,
                        hint: Some(format!(
                            "fix the cause, then `sm rotate {name}` resumes at step {step} (or `sm rotate {name} --cancel`)"
                        )),
                    },
                    other => other,
                };
                return Err(err);
            }
        }
    }
    Ok(outcome)
}

fn next_step(step: &str) -> &'static str {
    let i = STEPS.iter().position(|s| *s == step).unwrap_or(0);
    STEPS[(i + 1).min(STEPS.len() - 1)]
}

struct StepContext<'a> {
    store: &'a Store,
    identity: &'a Identity,
    name: &'a str,
    version_id: &'a str,
    hook: Option<&'a Prepared>,
    rotation: &'a Rotation,
    timeout: Duration,
    now: Timestamp,
}

/// The JSON object a hook reads on stdin.
#[derive(Serialize)]
struct HookInput<'a> {
    secret: &'a str,
    step: &'a str,
    version_id: &'a str,
    current: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    current_base64: Option<&'a str>,
    pending: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pending_base64: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    previous: Option<Option<&'a str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    previous_base64: Option<&'a str>,
}

/// A value as a hook sees it: text, or base64 for binary.
struct Shown {
    text: Option<Zeroizing<String>>,
    base64: Option<Zeroizing<String>>,
}

fn shown(value: Option<(&[u8], Encoding)>) -> Shown {
    match value {
        None => Shown {
            text: None,
            base64: None,
        },
        Some((bytes, encoding)) => match (encoding, std::str::from_utf8(bytes)) {
            (Encoding::Text, Ok(s)) => Shown {
                text: Some(Zeroizing::new(s.to_string())),
                base64: None,
            },
            _ => Shown {
                text: None,
                base64: Some(Zeroizing::new(
                    base64::engine::general_purpose::STANDARD.encode(bytes),
                )),
            },
        },
    }
}

impl StepContext<'_> {
    fn read(&self, selector: Selector) -> Result<Option<crate::store::Got>> {
        match self.store.get(
            self.identity,
            &GetRequest {
                name: self.name,
                selector,
            },
        ) {
            Ok(got) => Ok(Some(got)),
            Err(Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn input(&self, step: &str, pending: Option<&crate::store::Got>) -> Result<Zeroizing<Vec<u8>>> {
        // At finish `current` is the new version already; the old one is
        // given as `previous` (e.g. to revoke an old API key).
        let current = self.read(Selector::Current)?;
        let current = shown(current.as_ref().map(|g| (&g.value[..], g.record.encoding)));
        let pending = shown(pending.map(|g| (&g.value[..], g.record.encoding)));
        let previous = if step == "finish" {
            self.read(Selector::Label(crate::store::name::PREVIOUS.into()))?
        } else {
            None
        };
        let previous = shown(previous.as_ref().map(|g| (&g.value[..], g.record.encoding)));
        let input = HookInput {
            secret: self.name,
            step,
            version_id: self.version_id,
            current: current.text.as_deref().map(String::as_str),
            current_base64: current.base64.as_deref().map(String::as_str),
            pending: pending.text.as_deref().map(String::as_str),
            pending_base64: pending.base64.as_deref().map(String::as_str),
            previous: (step == "finish").then(|| previous.text.as_deref().map(String::as_str)),
            previous_base64: previous.base64.as_deref().map(String::as_str),
        };
        let mut out = Zeroizing::new(Vec::with_capacity(4 * crate::store::MAX_VALUE_LEN));
        serde_json::to_writer(&mut *out, &input)
            .map_err(|e| Error::Other(format!("cannot encode the hook input: {e}")))?;
        Ok(out)
    }

    fn call(&self, step: &str, input: &[u8], capture: bool) -> Result<Zeroizing<Vec<u8>>> {
        let Some(hook) = self.hook else {
            return Ok(Zeroizing::new(Vec::new()));
        };
        runner::run_step(
            hook,
            &StepCall {
                step,
                secret: self.name,
                version_id: self.version_id,
                store_root: self.store.root(),
                input,
                capture_stdout: capture,
                timeout: self.timeout,
            },
        )
    }

    fn pending(&self) -> Result<crate::store::Got> {
        self.read(Selector::Version(self.version_id.to_string()))?
            .ok_or_else(|| {
                Error::not_found(format!(
                    "the pending version {} of `{}` is missing",
                    self.version_id, self.name
                ))
                .with_hint(format!("`sm rotate {} --cancel` starts over", self.name))
            })
    }

    fn run(&self, step: &str) -> Result<()> {
        match step {
            "create" => self.create(),
            "set" | "test" => {
                let pending = self.pending()?;
                let input = self.input(step, Some(&pending))?;
                self.call(step, &input, false)?;
                Ok(())
            }
            "finish" => self.finish(),
            _ => unreachable!("steps come from STEPS"),
        }
    }

    fn create(&self) -> Result<()> {
        // A create killed after its version was written but before `pending`
        // was set left that version behind: its value is decided, so label
        // it rather than create (or generate) a different value under the
        // same version id, which would be refused as a conflict forever.
        if self
            .read(Selector::Version(self.version_id.to_string()))?
            .is_some()
        {
            return self
                .store
                .set_label(self.identity, self.name, PENDING, self.version_id);
        }
        let input = self.input("create", None)?;
        let mut printed = self.call("create", &input, true)?;
        // One trailing newline is the hook's `echo`, not the value.
        if printed.ends_with(b"\n") {
            printed.pop();
            if printed.ends_with(b"\r") {
                printed.pop();
            }
        }
        let (value, binary) = if !printed.is_empty() {
            crate::store::check_value_size(&printed).map_err(|_| Error::RotationFailed {
                message: format!(
                    "rotation of `{}` failed at step create: the hook printed more than the value limit",
                    self.name
                ),
                hint: None,
            })?;
            (printed, false)
        } else if self.rotation.generate {
            let current = self.read(Selector::Current)?;
            let field = self.rotation.field.as_deref().unwrap_or(DEFAULT_FIELD);
            (
                generate_value(
                    current.as_ref().map(|g| &g.value[..]),
                    field,
                    &self.rotation.password.clone().unwrap_or_default(),
                )?,
                false,
            )
        } else {
            return Err(Error::RotationFailed {
                message: format!(
                    "rotation of `{}` failed at step create: the hook printed no value and --generate is not set",
                    self.name
                ),
                hint: None,
            });
        };
        self.store.put(
            self.identity,
            &PutRequest {
                name: self.name,
                version_id: Some(self.version_id.to_string()),
                labels: vec![PENDING.to_string()],
                binary,
                ..PutRequest::default()
            },
            &value,
        )?;
        Ok(())
    }

    fn finish(&self) -> Result<()> {
        // The move is idempotent, so a resumed finish only tells the hook.
        self.pending()?;
        let now = self.now;
        let version_id = self.version_id;
        self.store
            .update_meta(self.identity, self.name, false, |meta| {
                if meta.label(CURRENT) != Some(version_id) {
                    move_label(&mut meta.labels, CURRENT, version_id);
                    if let Some(r) = meta.rotation.as_mut() {
                        r.last_rotated = Some(format_time(now));
                    }
                }
                if meta.label(PENDING) == Some(version_id) {
                    meta.labels.remove(PENDING);
                }
                if let Some(p) = meta.rotation.as_mut().and_then(|r| r.pending.as_mut()) {
                    p.step = "finish".into();
                }
                Ok(())
            })?;
        let pending = self.pending()?;
        let input = self.input("finish", Some(&pending))?;
        self.call("finish", &input, false)?;
        self.store
            .update_meta(self.identity, self.name, false, |meta| {
                if let Some(r) = meta.rotation.as_mut() {
                    r.pending = None;
                }
                Ok(())
            })
    }
}

/// Drops a pending rotation: the pending version loses its label (it stays
/// as an unlabelled version, in case the target system already took it) and
/// the rotation state is cleared. Returns the dropped version id.
pub fn cancel(store: &Store, identity: &Identity, name: &str) -> Result<String> {
    let _lock = rotation_lock(store, name)?;
    store.update_meta(identity, name, false, |meta| {
        let pending = meta
            .rotation
            .as_mut()
            .and_then(|r| r.pending.take())
            .ok_or_else(|| {
                Error::not_found(format!("secret `{name}` has no rotation in progress"))
            })?;
        if meta.label(PENDING) == Some(pending.version_id.as_str()) {
            meta.labels.remove(PENDING);
        }
        Ok(pending.version_id)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression: a `sm rotate --generate` killed inside `create`, after the
    /// pending version was written but before `pending` pointed at it, left
    /// every later `sm rotate` failing with exit 6 ("exists already with a
    /// different value"), because resuming generated a second value for the
    /// same version id. Found by the reliability suite's SIGKILL loop.
    #[test]
    fn rotation_killed_after_create_wrote_its_version_resumes() {
        use crate::store::{GetRequest, PutRequest, Selector};
        let dir = tempfile::tempdir().unwrap();
        let (identity, _) = Identity::generate();
        let store = Store::init(dir.path(), &identity, "alice", &[]).unwrap();
        let put = |labels: Vec<String>, id: Option<String>, value: &[u8]| {
            store
                .put(
                    &identity,
                    &PutRequest {
                        name: "token",
                        version_id: id,
                        labels,
                        ..PutRequest::default()
                    },
                    value,
                )
                .unwrap()
        };
        put(vec![], None, b"old");
        // The state the kill leaves: the rotation is at `create`, its
        // version exists, and no label points at it.
        let id = uuid::Uuid::now_v7().to_string();
        store
            .update_meta(&identity, "token", false, |meta| {
                meta.rotation = Some(Rotation {
                    generate: true,
                    pending: Some(PendingRotation {
                        version_id: id.clone(),
                        step: "create".into(),
                        started: "2030-01-01T00:00:00Z".into(),
                        error: None,
                    }),
                    ..Rotation::default()
                });
                Ok(())
            })
            .unwrap();
        put(
            vec!["half".into()],
            Some(id.clone()),
            b"written-before-the-kill",
        );
        store.remove_label(&identity, "token", "half").unwrap();

        let options = RunOptions {
            config_dir: dir.path(),
            now: jiff::Timestamp::now(),
            version_id: None,
        };
        let outcome = rotate(&store, &identity, "token", &options, &mut Vec::new()).unwrap();
        assert_eq!(outcome.version_id, id);
        let got = store
            .get(
                &identity,
                &GetRequest {
                    name: "token",
                    selector: Selector::Current,
                },
            )
            .unwrap();
        assert_eq!(got.version_id, id);
        assert_eq!(&got.value[..], b"written-before-the-kill");
    }
}
