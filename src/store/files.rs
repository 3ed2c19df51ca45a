//! The text files of a store (SPEC section 2) and their signatures.
//!
//! Each file is a serde struct written as TOML with a fixed key order, so the
//! same content always gives the same bytes and a change is a small diff.
//! A signed file is signed over a domain string plus the canonical TOML of
//! its content without the `[signature]` table, which makes the signature
//! independent of formatting but bound to every field.

use std::collections::BTreeMap;
use std::path::Path;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::crypto::{Identity, VerifyingKey};
use crate::error::{Error, Result};

/// The store format this version of sm writes (it reads every older one).
/// Format 2 added sequences, the signed header, version lists and
/// tombstones (SPEC section 3, freshness).
pub const FORMAT: u32 = 2;

/// The first format with sequences and a signed header.
pub const FORMAT_FRESHNESS: u32 = 2;

/// Tells serde to leave a zero sequence out, so files written before
/// sequences existed serialize (and so verify) exactly as they were signed.
pub fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// The default number of versions kept per secret.
pub const DEFAULT_MAX_VERSIONS: u32 = 100;

/// Who signed a file, and the signature.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Signature {
    /// The member name of the signer.
    pub by: String,
    /// The base64 ed25519 signature.
    pub value: String,
}

/// A file whose content is signed by a member.
pub trait SignedFile: Serialize + Clone {
    /// The domain separation string of this kind of file.
    const DOMAIN: &'static str;

    /// Gives access to the signature slot.
    fn signature_slot(&mut self) -> &mut Option<Signature>;

    /// Returns the bytes the signature covers. `context` binds the file to
    /// its store and place (e.g. store id and secret name).
    fn signed_bytes(&self, context: &str) -> Vec<u8> {
        let mut unsigned = self.clone();
        *unsigned.signature_slot() = None;
        let body = toml::to_string(&unsigned).expect("store files always serialize");
        let mut out = Vec::with_capacity(body.len() + 64);
        out.extend_from_slice(Self::DOMAIN.as_bytes());
        out.push(b'\n');
        out.extend_from_slice(context.as_bytes());
        out.push(b'\n');
        out.extend_from_slice(body.as_bytes());
        out
    }

    /// Signs the file as member `by`.
    fn sign(&mut self, context: &str, identity: &Identity, by: &str) {
        let value = identity.sign(&self.signed_bytes(context));
        *self.signature_slot() = Some(Signature {
            by: by.to_string(),
            value,
        });
    }

    /// Returns the signer's member name, or an integrity error if unsigned.
    fn signer(&mut self, file: &Path) -> Result<String> {
        self.signature_slot()
            .as_ref()
            .map(|s| s.by.clone())
            .ok_or_else(|| Error::integrity(file, "the file is not signed"))
    }

    /// Verifies the signature with `key`.
    fn verify_with(&mut self, context: &str, key: &VerifyingKey, file: &Path) -> Result<()> {
        let Some(sig) = self.signature_slot().clone() else {
            return Err(Error::integrity(file, "the file is not signed"));
        };
        if key.verify(&self.signed_bytes(context), &sig.value) {
            Ok(())
        } else {
            Err(Error::integrity(
                file,
                format!(
                    "the signature by `{}` does not match the content (edited or forged)",
                    sig.by
                ),
            ))
        }
    }
}

/// `.sm/store.toml`: identity and settings of the store.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoreFile {
    /// The store format version.
    pub format: u32,
    /// The store id (UUIDv7), bound into every signature.
    pub id: String,
    /// Rises with every change (0: written before sequences existed).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub seq: u64,
    /// The signing key of the store's first member: the root of trust.
    pub root_key: String,
    /// How many versions each secret keeps (labelled ones are never pruned).
    #[serde(default = "default_max_versions")]
    pub max_versions: u32,
    /// Recipients every value is encrypted to besides the members (backup
    /// keys, CI).
    #[serde(default)]
    pub recipients: Vec<String>,
    /// For a read-only replica: the primary store it is synced from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary: Option<String>,
    /// Signed by an admin.
    pub signature: Option<Signature>,
}

fn default_max_versions() -> u32 {
    DEFAULT_MAX_VERSIONS
}

impl SignedFile for StoreFile {
    const DOMAIN: &'static str = "sm store.toml v1";
    fn signature_slot(&mut self) -> &mut Option<Signature> {
        &mut self.signature
    }
}

/// `.sm/members.toml`: who can read and who signs.
#[derive(Clone, Debug, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct MembersFile {
    /// Rises with every change (0: written before sequences existed).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub seq: u64,
    /// The members, in the order they were added.
    #[serde(default, rename = "member")]
    pub members: Vec<Member>,
    /// Signed by the admin who made the last change.
    pub signature: Option<Signature>,
}

impl SignedFile for MembersFile {
    const DOMAIN: &'static str = "sm members.toml v1";
    fn signature_slot(&mut self) -> &mut Option<Signature> {
        &mut self.signature
    }
}

/// One member of a store.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Member {
    /// The member's name (also their log file's name).
    pub name: String,
    /// The age recipient values are encrypted to.
    pub recipient: String,
    /// The ed25519 key their signatures verify with.
    pub signing_key: String,
    /// Whether the member may change members and store settings.
    #[serde(default)]
    pub admin: bool,
    /// The admin who added this member (the root member adds itself).
    pub added_by: String,
    /// The adder's signature over this entry, chaining it to the root.
    pub endorsement: String,
    /// When an admin removed the member. A removed member keeps their entry
    /// so their log still verifies, but reads, writes and signs nothing new.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub removed: Option<String>,
}

impl Member {
    /// Returns the bytes an endorsement covers.
    pub fn endorsed_bytes(&self, store_id: &str) -> Vec<u8> {
        format!(
            "sm member v1\n{store_id}\n{}\n{}\n{}\n{}\n{}",
            self.name, self.recipient, self.signing_key, self.admin, self.added_by
        )
        .into_bytes()
    }
}

/// `secrets/<name>.secret/meta.toml`: the mutable state of one secret.
#[derive(Clone, Debug, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    /// The secret's name, which binds this file to its folder.
    pub name: String,
    /// Rises with every change (0: written before sequences existed); a
    /// merge takes the larger side's plus one.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub seq: u64,
    /// Free text.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// When the secret was created.
    pub created: String,
    /// Every version id the secret holds, sorted (None: written before
    /// version lists existed). A version file that disappears while
    /// listed was deleted behind sm's back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub versions: Option<Vec<String>>,
    /// Key-value tags.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
    /// Label to version id.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// Rotation settings and state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rotation: Option<Rotation>,
    /// A scheduled deletion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deletion: Option<Deletion>,
    /// Signed by the last writer.
    pub signature: Option<Signature>,
}

impl SignedFile for Meta {
    const DOMAIN: &'static str = "sm meta.toml v1";
    fn signature_slot(&mut self) -> &mut Option<Signature> {
        &mut self.signature
    }
}

impl Meta {
    /// Returns the version carrying `label`.
    pub fn label(&self, label: &str) -> Option<&str> {
        self.labels.get(label).map(String::as_str)
    }

    /// Returns the labels that point at `version`, sorted.
    pub fn labels_of(&self, version: &str) -> Vec<String> {
        self.labels
            .iter()
            .filter(|(_, v)| v.as_str() == version)
            .map(|(l, _)| l.clone())
            .collect()
    }
}

/// Rotation settings of a secret, and the state of a rotation under way.
#[derive(Clone, Debug, Serialize, Deserialize, Default, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Rotation {
    /// The hook command (run as `HOOK <step>`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hook: Option<String>,
    /// Whether sm generates the value when the hook prints none.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub generate: bool,
    /// The JSON field a generated value replaces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// What a generated password may contain (`--exclude-chars` ...);
    /// none means `sm gen`'s defaults.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<crate::password::PasswordSpec>,
    /// The schedule: `rate(...)`, `cron(...)` or an `--every` duration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<String>,
    /// The window after a scheduled time in which a rotation may start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<String>,
    /// The step timeout in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<u64>,
    /// When the schedule was set (its anchor until the first rotation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub configured: Option<String>,
    /// When the last rotation finished.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_rotated: Option<String>,
    /// The rotation under way, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending: Option<PendingRotation>,
}

/// A rotation that has started and not finished.
#[derive(Clone, Debug, Serialize, Deserialize, Default, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PendingRotation {
    /// The pending version id (stable across retries).
    pub version_id: String,
    /// The next step to run.
    pub step: String,
    /// When the rotation started.
    pub started: String,
    /// The last failure, if a step failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A scheduled deletion.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Deletion {
    /// When `sm rm` ran.
    pub requested: String,
    /// When the secret may be purged.
    pub purge_after: String,
}

/// `secrets/<name>.secret/tombstone.toml`: what `sm rm --force` and
/// `sm purge` leave in place of a secret's files, so its deletion is a
/// signed act that every clone can tell from a folder removed by hand. Its
/// sequence continues the secret's; a later `sm put` of the same name
/// continues from it.
#[derive(Clone, Debug, Serialize, Deserialize, Default, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Tombstone {
    /// The secret's name.
    pub name: String,
    /// The secret's last sequence plus one.
    pub seq: u64,
    /// When it was deleted.
    pub deleted: String,
    /// Signed by the member who deleted it.
    pub signature: Option<Signature>,
}

impl SignedFile for Tombstone {
    const DOMAIN: &'static str = "sm tombstone.toml v1";
    fn signature_slot(&mut self) -> &mut Option<Signature> {
        &mut self.signature
    }
}

/// `versions/<id>.toml`: the signed record of one version.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VersionRecord {
    /// When the version was created.
    pub created: String,
    /// The member who wrote it.
    pub author: String,
    /// `text` (UTF-8) or `binary`.
    pub encoding: Encoding,
    /// The SHA-256 of the `.age` file.
    pub sha256: String,
    /// The SHA-256 of the sorted recipient list the ciphertext was made
    /// for, so `sm verify` can tell when the access rules name others now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipients: Option<String>,
    /// The member who re-encrypted the version with `sm rewrap` (and signed
    /// this record); the author stays who wrote the value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rewrapped_by: Option<String>,
    /// The signature over store id, name, id, hash, time, author, encoding
    /// (and recipients and rewrapper when present), by the rewrapper if
    /// any, else the author.
    pub signature: String,
}

/// How a value is printed.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Encoding {
    /// A UTF-8 string.
    Text,
    /// Arbitrary bytes.
    Binary,
}

impl VersionRecord {
    /// Returns the bytes a version signature covers. Records without the
    /// newer fields sign exactly what format 1 signed, so old stores verify.
    pub fn signed_bytes(&self, store_id: &str, name: &str, id: &str) -> Vec<u8> {
        let mut text = format!(
            "sm version v1\n{store_id}\n{name}\n{id}\n{}\n{}\n{}\n{}",
            self.sha256,
            self.created,
            self.author,
            match self.encoding {
                Encoding::Text => "text",
                Encoding::Binary => "binary",
            }
        );
        if let Some(r) = &self.recipients {
            text.push_str("\nrecipients ");
            text.push_str(r);
        }
        if let Some(by) = &self.rewrapped_by {
            text.push_str("\nrewrapped_by ");
            text.push_str(by);
        }
        text.into_bytes()
    }

    /// Returns the member whose signature the record carries.
    pub fn signer(&self) -> &str {
        self.rewrapped_by.as_deref().unwrap_or(&self.author)
    }
}

/// `.sm/access.toml`: groups and path rules (who reads, who writes),
/// signed by an admin.
#[derive(Clone, Debug, Serialize, Deserialize, Default, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct AccessFile {
    /// Rises with every change (0: written before sequences existed).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub seq: u64,
    /// Named sets of members.
    #[serde(default, rename = "group", skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<Group>,
    /// Rules, sorted by glob.
    #[serde(default, rename = "rule", skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<Rule>,
    /// Signed by the admin who made the last change.
    pub signature: Option<Signature>,
}

impl SignedFile for AccessFile {
    const DOMAIN: &'static str = "sm access.toml v1";
    fn signature_slot(&mut self) -> &mut Option<Signature> {
        &mut self.signature
    }
}

/// A named set of members.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Group {
    /// The group's name.
    pub name: String,
    /// Its members, sorted.
    pub members: Vec<String>,
}

/// One path rule: secrets whose name matches `glob` are readable by `read`
/// and writable by `write` (members, groups, or `*` for every member).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// The name glob (`*` within a segment, `**` across segments).
    pub glob: String,
    /// Who may read.
    #[serde(default)]
    pub read: Vec<String>,
    /// Who may write.
    #[serde(default)]
    pub write: Vec<String>,
}

/// The rules a store file's content meets beyond its TOML shape: names,
/// ids, times and counts (see [`super::validate`], which implements it).
pub trait Checked {
    /// Fails with exit 5 naming `file` and the field at fault.
    fn check(&self, file: &Path) -> Result<()>;
}

/// Parses a TOML store file and checks its content like typed input,
/// naming the file in the error.
pub fn parse_toml<T: DeserializeOwned + Checked>(bytes: &[u8], file: &Path) -> Result<T> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| Error::integrity(file, "the file is not UTF-8 text"))?;
    let value: T = toml::from_str(text).map_err(|e| {
        let reason = e
            .message()
            .lines()
            .next()
            .unwrap_or("invalid TOML")
            .to_string();
        Error::integrity(file, format!("the file cannot be parsed ({reason})"))
    })?;
    value.check(file)?;
    Ok(value)
}

/// Serializes a store file.
pub fn to_toml<T: Serialize>(value: &T) -> Vec<u8> {
    toml::to_string(value)
        .expect("store files always serialize")
        .into_bytes()
}
