//! The identity half of the command context: finding and loading the
//! identity once per command (through the agent when it holds a
//! passphrase-protected one, else asking the passphrase on the controlling
//! terminal, three tries), and creating one.

use std::path::{Path, PathBuf};

use age::secrecy::SecretString;
use zeroize::Zeroizing;

use super::Context;
use crate::cli::tty::Tty;
use crate::crypto::Identity;
use crate::crypto::identity::{self, Lookup, OsKeyring, Source};
use crate::error::Error;

impl Context {
    /// Returns the default identity file.
    pub fn default_identity_file(&self) -> anyhow::Result<PathBuf> {
        Ok(self.config_dir()?.join("identity.txt"))
    }

    fn keyring_enabled() -> bool {
        std::env::var_os("SM_NO_KEYRING").is_none_or(|v| v.is_empty() || v == "0")
    }

    /// Loads the identity (once).
    pub fn identity(&self) -> anyhow::Result<&Identity> {
        if let Some((identity, _)) = self.identity.get() {
            return Ok(identity);
        }
        let loaded = self.lookup_identity()?;
        crate::cache::preload_identity(&loaded.0);
        Ok(&self.identity.get_or_init(|| loaded).0)
    }

    /// Loads the identity and hands it over, for a long-lived holder (the
    /// API server); the context no longer has it afterwards.
    pub fn take_identity(&mut self) -> anyhow::Result<Identity> {
        self.identity()?;
        Ok(self.identity.take().expect("loaded above").0)
    }

    /// Returns where the identity came from.
    pub fn identity_source(&self) -> anyhow::Result<&Source> {
        self.identity()?;
        Ok(&self.identity.get().expect("loaded above").1)
    }

    fn lookup_identity(&self) -> anyhow::Result<(Identity, Source)> {
        self.with_lookup(|l| l.load())
    }

    /// Finds the identity and returns its key text (unwrapped), for
    /// `sm identity export`.
    pub fn identity_text(&self) -> anyhow::Result<(Zeroizing<String>, Source)> {
        self.with_lookup(|l| l.load_text())
    }

    /// Finds a passphrase-protected identity and unlocks it (asking the
    /// passphrase), for `sm agent start`: returns the file's content as
    /// stored, the key text and where it was found. An identity without a
    /// passphrase is exit 2: sm uses it without asking.
    pub fn identity_to_unlock(
        &self,
    ) -> anyhow::Result<(Zeroizing<Vec<u8>>, Zeroizing<String>, Source)> {
        self.with_lookup(|l| {
            let (bytes, source) = l.find()?;
            if !crate::crypto::is_age_file(&bytes) {
                return Err(Error::invalid(format!(
                    "your identity ({source}) has no passphrase, so sm uses it without asking and the agent has nothing to hold"
                ))
                .with_hint("`sm identity passphrase` adds one to an identity file"));
            }
            let text = l.unlock(&bytes, &source)?;
            Ok((bytes, text, source))
        })
    }

    fn with_lookup<T>(&self, f: impl FnOnce(&Lookup<'_>) -> crate::Result<T>) -> anyhow::Result<T> {
        let keyring = OsKeyring;
        let tty = std::cell::RefCell::new(Tty::open());
        let ask = |prompt: &str| -> crate::Result<SecretString> {
            let mut tty = tty.borrow_mut();
            let tty = tty.as_mut().ok_or_else(no_terminal)?;
            let text = tty
                .read_secret(prompt)
                .ok_or_else(|| Error::no_access("no passphrase was entered"))?;
            Ok(SecretString::from(text.to_string()))
        };
        let socket = crate::agent::socket_path();
        let agent = |wrapped: &[u8]| crate::agent::client::identity_for(&socket, wrapped);
        let has_tty = tty.borrow().is_some();
        let lookup = Lookup {
            flag: self.global.identity.as_deref(),
            env_file: None,
            // Captured (and removed from the environment) at start.
            env_key: identity::env_key(),
            keyring: Self::keyring_enabled().then_some(&keyring as &dyn identity::KeyStore),
            default_file: self.default_identity_file().ok(),
            ask_passphrase: has_tty.then_some(&ask as &dyn Fn(&str) -> crate::Result<SecretString>),
            agent: Some(&agent),
        };
        Ok(f(&lookup)?)
    }

    /// Loads the identity, creating one (keyring, else the default file) if
    /// none exists anywhere.
    pub fn identity_or_create(&self) -> anyhow::Result<&Identity> {
        match self.identity() {
            Ok(id) => return Ok(id),
            Err(e) => {
                let missing = e
                    .downcast_ref::<Error>()
                    .is_some_and(|e| matches!(e, Error::NoAccess { message, .. } if message == "no identity found"));
                if !missing {
                    return Err(e);
                }
            }
        }
        let (identity, source) = self.create_identity(None, None)?;
        crate::cli::output::note(
            self.global.quiet,
            format!("sm: created a new identity in {source}"),
        );
        Ok(&self.identity.get_or_init(|| (identity, source)).0)
    }

    /// Creates a new identity in `file`, or in the keyring (falling back to
    /// the default file when there is no keyring).
    pub fn create_identity(
        &self,
        file: Option<&Path>,
        passphrase: Option<SecretString>,
    ) -> anyhow::Result<(Identity, Source)> {
        let (identity, key_text) = Identity::generate();
        let text = identity::identity_file_text(&identity, &key_text);
        let write_file = |path: &Path| -> anyhow::Result<()> {
            let data: Zeroizing<Vec<u8>> = match &passphrase {
                Some(p) => Zeroizing::new(crate::crypto::wrap_with_passphrase(&text, p.clone())?),
                None => Zeroizing::new(text.as_bytes().to_vec()),
            };
            identity::write_identity_file(path, &data)?;
            Ok(())
        };
        if let Some(path) = file {
            write_file(path)?;
            return Ok((identity, Source::File(path.to_path_buf())));
        }
        if passphrase.is_none() && Self::keyring_enabled() {
            let keyring = OsKeyring;
            if identity::KeyStore::get(&keyring).is_some() {
                return Err(Error::conflict(
                    "the OS keyring holds an sm identity already; sm will not overwrite it",
                )
                .with_hint("`sm identity show` prints it; use --file F to create another")
                .into());
            }
            match identity::KeyStore::set(&keyring, &key_text) {
                Ok(()) => return Ok((identity, Source::Keyring)),
                Err(e) => crate::cli::output::note(
                    self.global.quiet,
                    format!("sm: {e}; keeping the identity in a file instead"),
                ),
            }
        }
        let path = self.default_identity_file()?;
        write_file(&path)?;
        Ok((identity, Source::File(path)))
    }
}

/// The error when a passphrase is needed and there is no terminal.
fn no_terminal() -> Error {
    Error::no_access("there is no terminal to ask for the passphrase")
}
