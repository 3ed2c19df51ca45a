//! What every per-secret operation does around its work: resolving the
//! `SecretId` under the client's globs (before the store is asked anything,
//! so a client learns nothing about names outside them), reading the
//! secret's metadata with the service's errors, and logging the call as the
//! command line logs its equivalent, naming the client.

use serde_json::Value;

use super::Call;
use super::input::Input;
use super::shapes::{self, Candidate};
use crate::audit::{self, Event};
use crate::serve::ApiError;
use crate::store::{Meta, Store, name};

/// What a call needs of a secret.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// To read its value or metadata.
    Read,
    /// To change it.
    Write,
}

/// A `SecretId` resolved to a secret's name.
#[derive(Clone, Debug)]
pub struct Resolved {
    /// The secret's name.
    pub name: String,
    /// The ARN suffix the id carried, checked against the secret's.
    pub suffix: Option<String>,
}

/// A failed call: the service's error and the outcome logged for it.
#[derive(Debug)]
pub struct Failure {
    /// The answer.
    pub error: ApiError,
    /// The log entry's outcome (`not_found`, `no_access`, ...).
    pub outcome: &'static str,
}

impl From<crate::Error> for Failure {
    fn from(error: crate::Error) -> Failure {
        Failure {
            outcome: audit::outcome_of(&error),
            error: error.into(),
        }
    }
}

impl From<ApiError> for Failure {
    fn from(error: ApiError) -> Failure {
        let outcome = match error.code {
            "ResourceNotFoundException" => "not_found",
            "AccessDeniedException" => "no_access",
            "ResourceExistsException" => "conflict",
            "InternalServiceError" => "failed",
            _ => "invalid",
        };
        Failure { error, outcome }
    }
}

impl Call<'_> {
    /// The request's members.
    pub fn input(&self) -> Input<'_> {
        Input::new(self.input)
    }

    /// A log entry for `op` (the command line's name for what the call
    /// does) on `secret`, naming the operation and the client. Text that is
    /// not a secret name (an ARN, or anything a client sent) is not logged
    /// until it resolves to a name.
    pub fn event(&self, op: &str, secret: Option<&str>) -> Event {
        let secret = secret.filter(|s| name::validate_name(s).is_ok());
        let mut event = Event::ok(op, secret);
        event.detail = Some(format!(
            "api {} client {}",
            super::printable(self.operation),
            self.client.name
        ));
        event
    }

    /// Appends `events` to the log (durable for writes) and marks the call
    /// logged. A read's entries in a deferring call are handed to the log
    /// writer and waited for before the answer goes out (see
    /// [`super::handle_deferred`]).
    pub fn log(&self, store: &Store, events: &[Event], durable: bool) -> crate::Result<()> {
        self.logged.set(true);
        if self.defer && !durable {
            if let Some(pending) = self.backend.log_deferred(store, events, false)? {
                self.deferred.borrow_mut().push(pending);
            }
            return Ok(());
        }
        self.backend.log(store, events, durable)
    }

    /// Logs a call that ended without its own entry: one refused before it
    /// reached the store (a malformed request, a bad parameter, an
    /// unsupported operation) or one with nothing to name. The secret is
    /// the request's `SecretId` or `Name` when that is a valid name. When
    /// the store cannot be opened there is no log to write to.
    pub fn log_unlogged(&self, result: &Result<Value, ApiError>) {
        let (op, durable) = op_of(self.operation);
        let secret = ["SecretId", "Name"]
            .iter()
            .find_map(|k| self.input.get(*k).and_then(Value::as_str));
        let mut event = self.event(op, secret);
        if let Err(error) = result {
            event.outcome = Failure::from(error.clone()).outcome.to_string();
        }
        if let Ok(store) = self.backend.open() {
            let _ = self.log(&store, &[event], durable);
        }
    }

    /// Resolves a `SecretId` (a name, a full or partial ARN) for `access`.
    /// A name outside the client's globs is refused before the store is
    /// asked whether it exists.
    pub fn resolve(
        &self,
        store: &Store,
        secret_id: &str,
        access: Access,
    ) -> Result<Resolved, ApiError> {
        let valid: Vec<Candidate> = shapes::candidates(secret_id)
            .unwrap_or_default()
            .into_iter()
            .filter(|c| name::validate_name(&c.name).is_ok())
            .collect();
        let Some(first) = valid.first() else {
            return Err(shapes::secret_not_found());
        };
        // An ARN of another account or region names a secret this server
        // does not hold, whatever its name.
        if let Some((region, account)) = shapes::arn_place(secret_id)
            && (region != self.region || account != self.backend.account())
        {
            return Err(shapes::secret_not_found());
        }
        let allowed: Vec<&Candidate> = valid
            .iter()
            .filter(|c| match access {
                Access::Read => self.client.may_read(&c.name),
                Access::Write => self.client.may_write(&c.name),
            })
            .collect();
        let chosen = match allowed.as_slice() {
            [] => {
                return Err(shapes::not_authorized(
                    &self.client.name,
                    self.operation,
                    &first.name,
                ));
            }
            [only] => *only,
            several => several
                .iter()
                .find(|c| store.exists(&c.name).unwrap_or(false))
                .copied()
                .unwrap_or(several[0]),
        };
        Ok(Resolved {
            name: chosen.name.clone(),
            suffix: chosen.suffix.clone(),
        })
    }

    /// The secret's ARN.
    pub fn arn(&self, store: &Store, name: &str, created: &str) -> String {
        let suffix = shapes::arn_suffix(store.id(), name, created);
        shapes::arn(self.region, self.backend.account(), name, &suffix)
    }

    /// Fails as the service does when a full ARN's suffix is not the
    /// secret's (an ARN of a deleted secret of the same name).
    pub fn check_suffix(
        &self,
        store: &Store,
        resolved: &Resolved,
        created: &str,
    ) -> Result<(), ApiError> {
        match &resolved.suffix {
            Some(s) if *s != shapes::arn_suffix(store.id(), &resolved.name, created) => {
                Err(shapes::secret_not_found())
            }
            _ => Ok(()),
        }
    }

    /// Reads a secret's verified metadata (deleted or not): a missing
    /// secret is the service's `ResourceNotFoundException`.
    pub fn meta(&self, store: &Store, resolved: &Resolved) -> Result<Meta, Failure> {
        let meta = store.read_meta(&resolved.name).map_err(|e| match e {
            crate::Error::NotFound { .. } => Failure::from(shapes::secret_not_found()),
            other => Failure::from(other),
        })?;
        self.check_suffix(store, resolved, &meta.created)?;
        Ok(meta)
    }

    /// Like [`Call::meta`], failing as the service does for a secret
    /// scheduled for deletion.
    pub fn live_meta(&self, store: &Store, resolved: &Resolved) -> Result<Meta, Failure> {
        let meta = self.meta(store, resolved)?;
        if meta.deletion.is_some() {
            return Err(Failure {
                error: shapes::marked_for_deletion(),
                outcome: "not_found",
            });
        }
        Ok(meta)
    }

    /// Logs the call's entry (failed with the failure's outcome) and
    /// returns its answer. Writes pass `durable`: the answer waits for the
    /// entry on disk. An answer holding a value is wiped when the entry
    /// cannot be written.
    pub fn finish(
        &self,
        store: &Store,
        mut event: Event,
        durable: bool,
        result: Result<Value, Failure>,
    ) -> Result<Value, ApiError> {
        match result {
            Ok(mut answer) => {
                if let Err(e) = self.log(store, &[event], durable) {
                    super::wipe(&mut answer);
                    return Err(e.into());
                }
                Ok(answer)
            }
            Err(failure) => {
                event.outcome = failure.outcome.to_string();
                let _ = self.log(store, &[event], durable);
                Err(failure.error)
            }
        }
    }
}

/// The command line's name for what an operation does, and whether it
/// writes (its entry is then durable before the answer).
pub fn op_of(operation: &str) -> (&'static str, bool) {
    match operation {
        "GetSecretValue" | "BatchGetSecretValue" => ("get", false),
        "DescribeSecret" => ("show", false),
        "ListSecrets" => ("ls", false),
        "ListSecretVersionIds" => ("versions", false),
        "GetRandomPassword" => ("gen", false),
        "CreateSecret" | "PutSecretValue" | "UpdateSecret" => ("put", true),
        "UpdateSecretVersionStage" => ("label", true),
        "DeleteSecret" => ("rm", true),
        "RestoreSecret" => ("restore", true),
        "TagResource" => ("tag", true),
        "UntagResource" => ("untag", true),
        "RotateSecret" | "CancelRotateSecret" => ("rotate", true),
        // Unsupported and unknown operations: refused, changing nothing.
        _ => ("api", false),
    }
}

/// Adds a note before the call's detail (`unchanged; api ...`).
pub fn note(event: &mut Event, text: &str) {
    event.detail = Some(match event.detail.take() {
        Some(d) => format!("{text}; {d}"),
        None => text.to_string(),
    });
}
