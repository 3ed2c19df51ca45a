//! The one module that talks to `age` and to the signature primitives.
//!
//! It parses identities and recipients, encrypts and decrypts values
//! (ASCII-armored age files whose plaintext is exactly the secret's bytes),
//! derives a member's ed25519 signing key from their age identity, and signs
//! and verifies byte strings.

use std::io::{Read, Write};
use std::str::FromStr;
use std::sync::OnceLock;

use age::secrecy::{ExposeSecret, SecretString};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use ed25519_dalek::Verifier;
use ed25519_dalek::hazmat::{ExpandedSecretKey, raw_sign};
use sha2::{Digest, Sha256, Sha512};
use zeroize::Zeroizing;

use crate::error::{Error, Result};

pub mod identity;

/// The HKDF info string that derives a signing key from an identity. It is
/// versioned so that a future derivation can coexist with this one.
const SIGNING_KEY_INFO: &[u8] = b"sm signing key v1 (ed25519 from age identity)";

/// The prefix of a printed signing (verifying) key.
const SIGNING_KEY_PREFIX: &str = "ed25519:";

/// A value in memory, wiped when dropped.
pub type SecretBytes = Zeroizing<Vec<u8>>;

/// A loaded private identity: what decrypts, and what signs.
///
/// Its public halves (the age recipient and the signing key's verifying
/// key) each cost a scalar multiplication, which is most of a short
/// command's work; they are computed on first use, or given by
/// [`Identity::preload_public`] from the sealed local cache.
pub struct Identity {
    decryptor: Box<dyn age::Identity + Send + Sync>,
    /// How to compute the recipient when it was not known at parse time.
    x25519: Option<age::x25519::Identity>,
    recipient: OnceLock<String>,
    signer: Signer,
    verifying: OnceLock<ed25519_dalek::VerifyingKey>,
}

/// Who holds the signing secret: this process, or a key holder elsewhere
/// (the `sm agent`) that signs and derives on request.
enum Signer {
    Local {
        seed: Zeroizing<[u8; 32]>,
        expanded: ExpandedSecretKey,
    },
    Remote(std::sync::Arc<dyn RemoteKey>),
}

/// A private identity held by another process (the `sm agent`): it unwraps
/// age file keys, signs and derives keys on request, and never hands over
/// the key itself.
pub trait RemoteKey: Send + Sync {
    /// Unwraps the file key of an age header's stanzas, as
    /// [`age::Identity::unwrap_stanzas`].
    fn unwrap_stanzas(
        &self,
        stanzas: &[age_core::format::Stanza],
    ) -> Option<std::result::Result<age_core::format::FileKey, age::DecryptError>>;
    /// Signs `message` and returns the 64 signature bytes.
    fn sign(&self, message: &[u8]) -> [u8; 64];
    /// Derives a 32-byte key for `info`, as [`Identity::derive_key`].
    fn derive_key(&self, info: &[u8]) -> Zeroizing<[u8; 32]>;
}

/// The age decryptor of a remote identity.
struct RemoteDecryptor(std::sync::Arc<dyn RemoteKey>);

impl age::Identity for RemoteDecryptor {
    fn unwrap_stanza(
        &self,
        stanza: &age_core::format::Stanza,
    ) -> Option<std::result::Result<age_core::format::FileKey, age::DecryptError>> {
        self.0.unwrap_stanzas(std::slice::from_ref(stanza))
    }

    fn unwrap_stanzas(
        &self,
        stanzas: &[age_core::format::Stanza],
    ) -> Option<std::result::Result<age_core::format::FileKey, age::DecryptError>> {
        self.0.unwrap_stanzas(stanzas)
    }
}

impl std::fmt::Debug for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Identity")
            .field("recipient", &self.recipient())
            .finish_non_exhaustive()
    }
}

impl Identity {
    /// Generates a fresh X25519 identity and returns it with its key text.
    pub fn generate() -> (Identity, Zeroizing<String>) {
        let key = age::x25519::Identity::generate();
        let text = Zeroizing::new(key.to_string().expose_secret().to_string());
        let identity = Identity::from_x25519(key, &text);
        (identity, text)
    }

    fn from_x25519(key: age::x25519::Identity, text: &str) -> Identity {
        Identity::new(Box::new(key.clone()), Some(key), None, text.as_bytes())
    }

    fn new(
        decryptor: Box<dyn age::Identity + Send + Sync>,
        x25519: Option<age::x25519::Identity>,
        recipient: Option<String>,
        signing_ikm: &[u8],
    ) -> Identity {
        let seed = derive_signing_seed(signing_ikm);
        Identity {
            decryptor,
            x25519,
            recipient: recipient.map(OnceLock::from).unwrap_or_default(),
            signer: Signer::Local {
                expanded: ExpandedSecretKey::from(&*seed),
                seed,
            },
            verifying: OnceLock::new(),
        }
    }

    /// An identity whose private half another process holds (the `sm
    /// agent`), with the public halves it announced. Returns `None` when
    /// the verifying key is not a valid point.
    pub fn remote(
        key: std::sync::Arc<dyn RemoteKey>,
        recipient: String,
        verifying: &[u8; 32],
    ) -> Option<Identity> {
        let verifying = ed25519_dalek::VerifyingKey::from_bytes(verifying).ok()?;
        Some(Identity {
            decryptor: Box::new(RemoteDecryptor(key.clone())),
            x25519: None,
            recipient: OnceLock::from(recipient),
            signer: Signer::Remote(key),
            verifying: OnceLock::from(verifying),
        })
    }

    /// Tells whether another process holds the private half.
    pub fn is_remote(&self) -> bool {
        matches!(self.signer, Signer::Remote(_))
    }

    /// Unwraps an age header's file key with this identity (what the agent
    /// does for its clients).
    pub fn unwrap_stanzas(
        &self,
        stanzas: &[age_core::format::Stanza],
    ) -> Option<std::result::Result<age_core::format::FileKey, age::DecryptError>> {
        self.decryptor.unwrap_stanzas(stanzas)
    }

    /// Parses identity text: an `AGE-SECRET-KEY-1…` line (comments allowed)
    /// or an unencrypted OpenSSH ed25519/RSA private key. `source` names where
    /// the text came from, for error messages.
    pub fn parse(text: &str, source: &str) -> Result<Identity> {
        if let Some(line) = text
            .lines()
            .map(str::trim)
            .find(|l| l.starts_with("AGE-SECRET-KEY-1"))
        {
            let key = age::x25519::Identity::from_str(line).map_err(|_| {
                Error::no_access(format!("the identity in {source} is not a valid age key"))
            })?;
            return Ok(Identity::from_x25519(key, line));
        }
        if text.contains("PRIVATE KEY-----") {
            let key = age::ssh::Identity::from_buffer(text.as_bytes(), None).map_err(|_| {
                Error::no_access(format!("the SSH key in {source} could not be read"))
            })?;
            return match key {
                age::ssh::Identity::Unencrypted(_) => {
                    let recipient = age::ssh::Recipient::try_from(key.clone())
                        .map_err(|_| {
                            Error::no_access(format!("the SSH key in {source} is not supported"))
                        })?
                        .to_string();
                    Ok(Identity::new(
                        Box::new(key),
                        None,
                        Some(recipient),
                        text.trim().as_bytes(),
                    ))
                }
                age::ssh::Identity::Encrypted(_) => Err(Error::no_access(format!(
                    "the SSH key in {source} is protected by a passphrase, which sm cannot use"
                ))
                .with_hint(
                    "use an age identity (`sm identity new --passphrase`) or an unencrypted key",
                )),
                age::ssh::Identity::Unsupported(_) => Err(Error::no_access(format!(
                    "the SSH key in {source} is of a type age does not support (use ed25519 or RSA)"
                ))),
            };
        }
        Err(Error::no_access(format!(
            "{source} holds no age identity (AGE-SECRET-KEY-1…) or SSH private key"
        )))
    }

    /// Returns the age recipient (public key) of this identity.
    pub fn recipient(&self) -> &str {
        self.recipient.get_or_init(|| {
            self.x25519
                .as_ref()
                .map(|k| k.to_public().to_string())
                .unwrap_or_default()
        })
    }

    fn verifying(&self) -> &ed25519_dalek::VerifyingKey {
        self.verifying.get_or_init(|| match &self.signer {
            Signer::Local { seed, .. } => {
                ed25519_dalek::SigningKey::from_bytes(seed).verifying_key()
            }
            Signer::Remote(_) => {
                unreachable!("a remote identity's verifying key is set at creation")
            }
        })
    }

    /// Returns the printed verifying key that matches this identity's
    /// signing key.
    pub fn signing_key(&self) -> String {
        encode_verifying_key(self.verifying())
    }

    /// Returns the public halves (recipient, verifying key bytes), computing
    /// them if needed.
    pub fn public_parts(&self) -> (String, [u8; 32]) {
        (self.recipient().to_string(), self.verifying().to_bytes())
    }

    /// Sets the public halves from a trusted source (the local cache sealed
    /// under a key only this identity derives), sparing their computation.
    pub fn preload_public(&self, recipient: String, verifying: &[u8; 32]) {
        if let Ok(key) = ed25519_dalek::VerifyingKey::from_bytes(verifying) {
            let _ = self.verifying.set(key);
            let _ = self.recipient.set(recipient);
        }
    }

    /// Derives a 32-byte key for `info` from this identity's secret
    /// (HKDF-SHA256 over the signing seed, itself derived from the identity).
    pub fn derive_key(&self, info: &[u8]) -> Zeroizing<[u8; 32]> {
        let seed = match &self.signer {
            Signer::Local { seed, .. } => seed,
            Signer::Remote(key) => return key.derive_key(info),
        };
        let hk = hkdf::Hkdf::<Sha256>::new(None, seed.as_slice());
        let mut key = Zeroizing::new([0u8; 32]);
        hk.expand(info, key.as_mut())
            .expect("32 bytes is a valid HKDF-SHA256 output length");
        key
    }

    /// Signs `message` and returns the base64 signature.
    pub fn sign(&self, message: &[u8]) -> String {
        B64.encode(self.sign_bytes(message))
    }

    /// Signs `message` and returns the 64 signature bytes.
    pub fn sign_bytes(&self, message: &[u8]) -> [u8; 64] {
        match &self.signer {
            Signer::Local { expanded, .. } => {
                raw_sign::<Sha512>(expanded, message, self.verifying()).to_bytes()
            }
            Signer::Remote(key) => key.sign(message),
        }
    }
}

fn derive_signing_seed(ikm: &[u8]) -> Zeroizing<[u8; 32]> {
    let hk = hkdf::Hkdf::<Sha256>::new(None, ikm);
    let mut seed = Zeroizing::new([0u8; 32]);
    hk.expand(SIGNING_KEY_INFO, seed.as_mut())
        .expect("32 bytes is a valid HKDF-SHA256 output length");
    seed
}

fn encode_verifying_key(key: &ed25519_dalek::VerifyingKey) -> String {
    format!("{SIGNING_KEY_PREFIX}{}", B64.encode(key.as_bytes()))
}

/// A parsed signing (verifying) key of a member.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifyingKey(ed25519_dalek::VerifyingKey);

impl VerifyingKey {
    /// Parses `ed25519:<base64>`.
    pub fn parse(text: &str) -> Result<VerifyingKey> {
        let bad = || {
            Error::invalid(format!(
                "`{text}` is not a signing key (expected ed25519:<base64>)"
            ))
        };
        let b64 = text.strip_prefix(SIGNING_KEY_PREFIX).ok_or_else(bad)?;
        let bytes = B64.decode(b64).map_err(|_| bad())?;
        let bytes: [u8; 32] = bytes.try_into().map_err(|_| bad())?;
        let key = ed25519_dalek::VerifyingKey::from_bytes(&bytes).map_err(|_| bad())?;
        // A small-order key would accept forged signatures.
        if key.is_weak() {
            return Err(bad());
        }
        Ok(VerifyingKey(key))
    }

    /// Checks a base64 signature over `message`.
    pub fn verify(&self, message: &[u8], signature: &str) -> bool {
        let Ok(bytes) = B64.decode(signature) else {
            return false;
        };
        let Ok(sig) = ed25519_dalek::Signature::from_slice(&bytes) else {
            return false;
        };
        self.0.verify(message, &sig).is_ok()
    }
}

impl std::fmt::Display for VerifyingKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&encode_verifying_key(&self.0))
    }
}

/// A parsed recipient: who a value is encrypted to.
pub enum Recipient {
    /// An `age1…` X25519 public key.
    X25519(age::x25519::Recipient),
    /// An `ssh-ed25519 …` or `ssh-rsa …` public key.
    Ssh(age::ssh::Recipient),
}

impl Recipient {
    /// Parses a recipient string.
    pub fn parse(text: &str) -> Result<Recipient> {
        let text = text.trim();
        if text.starts_with("age1") {
            return age::x25519::Recipient::from_str(text)
                .map(Recipient::X25519)
                .map_err(|_| Error::invalid(format!("`{text}` is not a valid age recipient")));
        }
        if text.starts_with("ssh-") {
            return age::ssh::Recipient::from_str(text)
                .map(Recipient::Ssh)
                .map_err(|_| Error::invalid("the SSH public key is not a supported recipient (use ssh-ed25519 or ssh-rsa)"));
        }
        Err(Error::invalid(format!(
            "`{text}` is not a recipient (expected age1… or an SSH public key)"
        )))
    }

    fn as_dyn(&self) -> &dyn age::Recipient {
        match self {
            Recipient::X25519(r) => r,
            Recipient::Ssh(r) => r,
        }
    }
}

/// Encrypts `value` to every recipient and returns the ASCII-armored age file.
pub fn encrypt(value: &[u8], recipients: &[Recipient]) -> Result<Vec<u8>> {
    let encryptor = age::Encryptor::with_recipients(recipients.iter().map(Recipient::as_dyn))
        .map_err(|e| Error::Other(format!("cannot encrypt: {e}")))?;
    let mut out = Vec::with_capacity(value.len() * 2 + 600);
    let armor = age::armor::ArmoredWriter::wrap_output(&mut out, age::armor::Format::AsciiArmor)
        .map_err(|e| Error::Other(format!("cannot encrypt: {e}")))?;
    let mut writer = encryptor
        .wrap_output(armor)
        .map_err(|e| Error::Other(format!("cannot encrypt: {e}")))?;
    writer
        .write_all(value)
        .and_then(|()| writer.finish())
        .and_then(|armor| armor.finish())
        .map_err(|e| Error::Other(format!("cannot encrypt: {e}")))?;
    Ok(out)
}

/// Why a decryption failed, without any detail that could leak data.
#[derive(Debug)]
pub enum DecryptFailure {
    /// The identity is not among the file's recipients.
    NotRecipient,
    /// The file is not a well-formed age file or fails its MAC.
    Corrupt(String),
}

/// Decrypts an age file (armored or binary) with `identity`.
pub fn decrypt(ciphertext: &[u8], identity: &Identity) -> Result<SecretBytes, DecryptFailure> {
    let reader = age::armor::ArmoredReader::new(ciphertext);
    let decryptor =
        age::Decryptor::new_buffered(reader).map_err(|e| DecryptFailure::Corrupt(e.to_string()))?;
    let mut stream = decryptor
        .decrypt(std::iter::once(
            identity.decryptor.as_ref() as &dyn age::Identity
        ))
        .map_err(|e| match e {
            age::DecryptError::NoMatchingKeys => DecryptFailure::NotRecipient,
            other => DecryptFailure::Corrupt(other.to_string()),
        })?;
    let mut value = Zeroizing::new(Vec::with_capacity(ciphertext.len()));
    stream
        .read_to_end(&mut value)
        .map_err(|e| DecryptFailure::Corrupt(e.to_string()))?;
    Ok(value)
}

/// Wraps identity text with a passphrase (scrypt), armored.
pub fn wrap_with_passphrase(text: &str, passphrase: SecretString) -> Result<Vec<u8>> {
    let encryptor = age::Encryptor::with_user_passphrase(passphrase);
    let mut out = Vec::new();
    let armor = age::armor::ArmoredWriter::wrap_output(&mut out, age::armor::Format::AsciiArmor)
        .map_err(|e| Error::Other(format!("cannot protect the identity: {e}")))?;
    let mut writer = encryptor
        .wrap_output(armor)
        .map_err(|e| Error::Other(format!("cannot protect the identity: {e}")))?;
    writer
        .write_all(text.as_bytes())
        .and_then(|()| writer.finish())
        .and_then(|armor| armor.finish())
        .map_err(|e| Error::Other(format!("cannot protect the identity: {e}")))?;
    Ok(out)
}

/// Unwraps a passphrase-protected identity file.
pub fn unwrap_with_passphrase(data: &[u8], passphrase: SecretString) -> Result<Zeroizing<String>> {
    let reader = age::armor::ArmoredReader::new(data);
    let decryptor = age::Decryptor::new_buffered(reader).map_err(|_| {
        Error::no_access("the identity file is not a valid passphrase-protected age file")
    })?;
    let scrypt = age::scrypt::Identity::new(passphrase);
    let mut stream = decryptor
        .decrypt(std::iter::once(&scrypt as &dyn age::Identity))
        .map_err(|_| Error::no_access("wrong passphrase for the identity"))?;
    let mut bytes = Zeroizing::new(Vec::new());
    stream
        .read_to_end(&mut bytes)
        .map_err(|_| Error::no_access("wrong passphrase for the identity"))?;
    let text = String::from_utf8(std::mem::take(&mut *bytes))
        .map_err(|_| Error::no_access("the protected identity is not text"))?;
    Ok(Zeroizing::new(text))
}

/// Tells whether file content is an age-encrypted (passphrase-protected) file.
pub fn is_age_file(data: &[u8]) -> bool {
    data.starts_with(b"-----BEGIN AGE ENCRYPTED FILE-----")
        || data.starts_with(b"age-encryption.org/")
}

/// Returns the lowercase hex SHA-256 of `data`.
pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}
