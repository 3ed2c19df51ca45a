//! Finding, loading and creating the local identity (SPEC section 4):
//! `--identity FILE`, then `SM_IDENTITY_FILE`, then `SM_IDENTITY` (the key
//! text itself), then the OS keyring unless `SM_NO_KEYRING=1`, then
//! `<config dir>/sm/identity.txt`.
//!
//! `SM_IDENTITY` is read once, first thing in `main`, and taken out of the
//! process environment ([`capture_env_key`]), so that no child sm starts (a
//! hook, the editor, git, the program of `sm exec`) inherits the key to
//! every store. An identity file others may read is refused, as ssh refuses
//! an unprotected private key file.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use age::secrecy::SecretString;
use zeroize::Zeroizing;

use crate::crypto::{self, Identity};
use crate::error::{Error, Result};

/// The keyring service under which the identity is kept.
pub const KEYRING_SERVICE: &str = "sm";
/// The keyring account name of the identity.
pub const KEYRING_USER: &str = "identity";

/// The variable that may hold the identity's key text itself (for CI).
pub const ENV_KEY: &str = "SM_IDENTITY";

/// `SM_IDENTITY` as it was when sm started, once [`capture_env_key`] ran.
static CAPTURED_ENV_KEY: OnceLock<Option<Zeroizing<String>>> = OnceLock::new();

/// Reads `SM_IDENTITY` into a wiped-on-drop buffer and removes it from the
/// process environment, so that no child process inherits it. An empty or
/// non-UTF-8 value counts as unset (and is removed too).
///
/// # Safety
///
/// It changes the process environment: call it while the process has a
/// single thread, before anything reads the environment (the first thing
/// in `main`).
pub unsafe fn capture_env_key() {
    let text = std::env::var_os(ENV_KEY).and_then(|value| {
        use std::os::unix::ffi::OsStringExt;
        match String::from_utf8(value.into_vec()) {
            Ok(text) => Some(Zeroizing::new(text)).filter(|t| !t.is_empty()),
            Err(e) => {
                zeroize::Zeroize::zeroize(&mut e.into_bytes());
                None
            }
        }
    });
    // SAFETY: the caller guarantees that no other thread exists, so nothing
    // reads the environment while it changes.
    unsafe { std::env::remove_var(ENV_KEY) };
    let _ = CAPTURED_ENV_KEY.set(text);
}

/// Returns the key text `SM_IDENTITY` held when sm started. Without
/// [`capture_env_key`] (sm used as a library), reads the variable now.
pub fn env_key() -> Option<Zeroizing<String>> {
    match CAPTURED_ENV_KEY.get() {
        Some(captured) => captured.clone(),
        None => std::env::var(ENV_KEY)
            .ok()
            .filter(|v| !v.is_empty())
            .map(Zeroizing::new),
    }
}

/// Where an identity was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// A file (from the flag, `SM_IDENTITY_FILE` or the default path).
    File(PathBuf),
    /// The `SM_IDENTITY` variable.
    Env,
    /// The OS keyring.
    Keyring,
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::File(p) => write!(f, "{}", p.display()),
            Source::Env => f.write_str("SM_IDENTITY"),
            Source::Keyring => f.write_str("the OS keyring"),
        }
    }
}

/// A place that can hold the identity text: the OS keyring in production, a
/// map in unit tests.
pub trait KeyStore {
    /// Reads the identity text, `None` when there is none (or no keyring).
    fn get(&self) -> Option<Zeroizing<String>>;
    /// Stores the identity text.
    fn set(&self, text: &str) -> Result<()>;
}

/// The OS keyring through the `keyring` crate.
pub struct OsKeyring;

impl KeyStore for OsKeyring {
    fn get(&self) -> Option<Zeroizing<String>> {
        let entry = keyring::Entry::new(KEYRING_SERVICE, KEYRING_USER).ok()?;
        entry.get_password().ok().map(Zeroizing::new)
    }

    fn set(&self, text: &str) -> Result<()> {
        let entry = keyring::Entry::new(KEYRING_SERVICE, KEYRING_USER)
            .map_err(|e| Error::Other(format!("the OS keyring is unavailable: {e}")))?;
        entry
            .set_password(text)
            .map_err(|e| Error::Other(format!("the OS keyring is unavailable: {e}")))
    }
}

/// How to look for the identity.
pub struct Lookup<'a> {
    /// `--identity FILE`.
    pub flag: Option<&'a Path>,
    /// The value of `SM_IDENTITY_FILE`.
    pub env_file: Option<PathBuf>,
    /// The value of `SM_IDENTITY`.
    pub env_key: Option<Zeroizing<String>>,
    /// The keyring, unless `SM_NO_KEYRING=1`.
    pub keyring: Option<&'a dyn KeyStore>,
    /// The default identity file.
    pub default_file: Option<PathBuf>,
    /// Asks for a passphrase with the prompt given, when the identity is
    /// protected (None: no terminal, fail instead).
    pub ask_passphrase: Option<AskPassphrase<'a>>,
    /// Returns the identity an agent holds unlocked for the given
    /// passphrase-protected file content, if one does (see
    /// [`crate::agent`]).
    pub agent: Option<AgentLookup<'a>>,
}

/// Asks for a passphrase with the prompt given.
pub type AskPassphrase<'a> = &'a dyn Fn(&str) -> Result<SecretString>;

/// Returns the identity an agent holds for protected file content.
pub type AgentLookup<'a> = &'a dyn Fn(&[u8]) -> Option<Identity>;

/// How many times a wrong passphrase may be entered.
pub const PASSPHRASE_TRIES: usize = 3;

impl Lookup<'_> {
    /// Finds and loads the identity: through the agent when it holds this
    /// passphrase-protected identity unlocked, else asking the passphrase.
    pub fn load(&self) -> Result<(Identity, Source)> {
        let (bytes, source) = self.find()?;
        if crypto::is_age_file(&bytes)
            && let Some(agent) = self.agent
            && let Some(identity) = agent(&bytes)
        {
            return Ok((identity, source));
        }
        let name = source_name(&source);
        let text = self.unwrap(&bytes, &name)?;
        Ok((Identity::parse(&text, &name)?, source))
    }

    /// Finds the identity and returns its key text (unwrapped when it is
    /// protected by a passphrase), for `sm identity export` and `sm agent
    /// start`.
    pub fn load_text(&self) -> Result<(Zeroizing<String>, Source)> {
        let (bytes, source) = self.find()?;
        Ok((self.unwrap(&bytes, &source_name(&source))?, source))
    }

    /// Finds the identity and returns its content as stored (wrapped when
    /// it is protected by a passphrase).
    pub fn find(&self) -> Result<(Zeroizing<Vec<u8>>, Source)> {
        if let Some(path) = self
            .flag
            .map(Path::to_path_buf)
            .or_else(|| self.env_file.clone())
        {
            let bytes = crate::userfiles::read_secret_file(&path, "identity file")?;
            return Ok((bytes, Source::File(path)));
        }
        if let Some(text) = &self.env_key {
            return Ok((Zeroizing::new(text.as_bytes().to_vec()), Source::Env));
        }
        if let Some(keyring) = self.keyring
            && let Some(text) = keyring.get()
        {
            return Ok((Zeroizing::new(text.as_bytes().to_vec()), Source::Keyring));
        }
        if let Some(path) = &self.default_file
            && path.exists()
        {
            let bytes = crate::userfiles::read_secret_file(path, "identity file")?;
            return Ok((bytes, Source::File(path.clone())));
        }
        Err(Error::no_access("no identity found").with_hint(
            "create one with `sm identity new`, or point SM_IDENTITY_FILE at an age key file",
        ))
    }

    /// Returns the text of an identity [`Lookup::find`] found, asking for
    /// the passphrase if it is wrapped.
    pub fn unlock(&self, bytes: &[u8], source: &Source) -> Result<Zeroizing<String>> {
        self.unwrap(bytes, &source_name(source))
    }

    /// Returns the identity text, asking for the passphrase if it is
    /// wrapped (three tries).
    fn unwrap(&self, bytes: &[u8], source: &str) -> Result<Zeroizing<String>> {
        if crypto::is_age_file(bytes) {
            let ask = self
                .ask_passphrase
                .ok_or_else(|| no_terminal_error(source))?;
            let mut prompt = format!("Passphrase for your sm identity ({source}): ");
            for _ in 0..PASSPHRASE_TRIES {
                match crypto::unwrap_with_passphrase(bytes, ask(&prompt)?) {
                    Err(e) if is_wrong_passphrase(&e) => {
                        prompt = "wrong passphrase, try again: ".to_string();
                    }
                    other => return other,
                }
            }
            return Err(Error::no_access(format!(
                "wrong passphrase for the identity in {source}, {PASSPHRASE_TRIES} times"
            ))
            .with_hint("`sm identity passphrase` changes it once you know it; without it, the identity cannot be recovered"));
        }
        let text = std::str::from_utf8(bytes)
            .map_err(|_| Error::no_access(format!("the identity in {source} is not text")))?;
        Ok(Zeroizing::new(text.to_string()))
    }
}

/// Names where an identity came from, for messages.
fn source_name(source: &Source) -> String {
    match source {
        Source::File(p) => p.display().to_string(),
        other => other.to_string(),
    }
}

fn is_wrong_passphrase(e: &Error) -> bool {
    matches!(e, Error::NoAccess { message, .. } if message.starts_with("wrong passphrase"))
}

/// The error when a protected identity is needed and no terminal can ask
/// for its passphrase. It never suggests putting the unprotected key in an
/// environment variable.
fn no_terminal_error(source: &str) -> Error {
    Error::no_access(format!(
        "the identity in {source} is protected by a passphrase and there is no terminal to ask for it"
    ))
    .with_hint(
        "run `sm agent start` in a terminal first (it holds the identity unlocked for a while); for CI, use an identity without a passphrase kept in the OS keyring or a 0600 file (SM_IDENTITY_FILE)",
    )
}

/// Writes identity text to a new file with mode 0600 (its folder 0700 when
/// sm creates it), whatever the umask. Refuses to replace an existing file.
pub fn write_identity_file(path: &Path, data: &[u8]) -> Result<()> {
    if let Some(parent) = path.parent()
        && !parent.as_os_str().is_empty()
    {
        crate::userfiles::create_private_dir_all(parent)?;
    }
    let mut file = crate::userfiles::create_new_private(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            Error::conflict(format!(
                "{} exists already; sm will not overwrite an identity",
                path.display()
            ))
            .with_hint(
                "choose another --file, or move the old file away if you are sure it is not needed",
            )
        } else {
            Error::io("cannot create the identity file", path, e)
        }
    })?;
    file.write_all(data)
        .and_then(|()| file.sync_all())
        .map_err(|e| Error::io("cannot write the identity file", path, e))
}

/// Formats a new identity's file content (the age-keygen layout).
pub fn identity_file_text(identity: &Identity, key_text: &str) -> Zeroizing<String> {
    Zeroizing::new(format!(
        "# created: {}\n# public key: {}\n{key_text}\n",
        crate::store::now_string(),
        identity.recipient()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;

    struct MemoryKeyring(RefCell<Option<String>>);

    impl KeyStore for MemoryKeyring {
        fn get(&self) -> Option<Zeroizing<String>> {
            self.0.borrow().clone().map(Zeroizing::new)
        }
        fn set(&self, text: &str) -> Result<()> {
            *self.0.borrow_mut() = Some(text.to_string());
            Ok(())
        }
    }

    fn lookup<'a>(keyring: Option<&'a dyn KeyStore>) -> Lookup<'a> {
        Lookup {
            flag: None,
            env_file: None,
            env_key: None,
            keyring,
            default_file: None,
            ask_passphrase: None,
            agent: None,
        }
    }

    #[test]
    fn env_key_wins_over_keyring() {
        let (a, a_text) = Identity::generate();
        let (b, b_text) = Identity::generate();
        let ring = MemoryKeyring(RefCell::new(Some(b_text.to_string())));
        let mut l = lookup(Some(&ring));
        assert_eq!(l.load().unwrap().0.recipient(), b.recipient());
        l.env_key = Some(a_text);
        let (got, source) = l.load().unwrap();
        assert_eq!(got.recipient(), a.recipient());
        assert_eq!(source, Source::Env);
    }

    #[test]
    fn nothing_found_is_no_access() {
        let err = lookup(None).load().unwrap_err();
        assert_eq!(err.exit_code(), 4);
    }

    #[test]
    fn protected_identity_needs_a_terminal() {
        let (_, text) = Identity::generate();
        let wrapped =
            crypto::wrap_with_passphrase(&text, SecretString::from("pw".to_string())).unwrap();
        let mut l = lookup(None);
        l.env_key = Some(Zeroizing::new(String::from_utf8(wrapped).unwrap()));
        assert_eq!(l.load().unwrap_err().exit_code(), 4);
        let ask = |_: &str| Ok(SecretString::from("pw".to_string()));
        l.ask_passphrase = Some(&ask);
        assert!(l.load().is_ok());
        let wrong = |_: &str| Ok(SecretString::from("nope".to_string()));
        l.ask_passphrase = Some(&wrong);
        assert_eq!(l.load().unwrap_err().exit_code(), 4);
    }

    #[test]
    fn signing_key_is_stable_per_identity() {
        let (a, text) = Identity::generate();
        let again = Identity::parse(&text, "test").unwrap();
        assert_eq!(a.signing_key(), again.signing_key());
        let (b, _) = Identity::generate();
        assert_ne!(a.signing_key(), b.signing_key());
    }
}
