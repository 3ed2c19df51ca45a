//! `.sm/header.toml`: the signed header that binds the team files (store
//! settings, members, access rules and groups, replicas) together, as TUF's
//! snapshot binds its metadata. It lists the SHA-256 of each team file's
//! bytes, and a team file it does not list must not exist; its sequence
//! rises with every team change. So replaying one older team file, deleting
//! `access.toml`, or mixing files from different points of history is
//! caught by every reader, and a replay of the whole set is caught by the
//! sequence each machine remembers (see [`super::fresh`]).

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::files::{Checked, Signature, SignedFile};
use crate::error::{Error, Result};

/// The header's file name under `.sm/`.
pub const HEADER_FILE: &str = "header.toml";

/// The team files a header binds (file names under `.sm/`).
pub const TEAM_FILES: [&str; 4] = ["access.toml", "members.toml", "replicas.toml", "store.toml"];

/// `.sm/header.toml`.
#[derive(Clone, Debug, Serialize, Deserialize, Default, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct HeaderFile {
    /// Rises with every team change.
    pub seq: u64,
    /// Team file name to the SHA-256 (hex) of its bytes.
    pub files: BTreeMap<String, String>,
    /// Signed by an admin.
    pub signature: Option<Signature>,
}

impl SignedFile for HeaderFile {
    const DOMAIN: &'static str = "sm header.toml v1";
    fn signature_slot(&mut self) -> &mut Option<Signature> {
        &mut self.signature
    }
}

impl Checked for HeaderFile {
    fn check(&self, file: &Path) -> Result<()> {
        if self.seq == 0 {
            return Err(Error::integrity(
                file,
                "field `seq`: the sequence starts at 1",
            ));
        }
        for (name, hash) in &self.files {
            if !TEAM_FILES.contains(&name.as_str()) {
                return Err(Error::integrity(
                    file,
                    format!(
                        "field `files`: `{}` is not a team file",
                        name.escape_debug()
                    ),
                ));
            }
            if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(Error::integrity(
                    file,
                    format!("field `files.\"{name}\"`: not a SHA-256 in hex"),
                ));
            }
        }
        if let Some(sig) = &self.signature {
            super::name::validate_member_name(&sig.by)
                .map_err(|e| Error::integrity(file, format!("field `signature.by`: {e}")))?;
        }
        Ok(())
    }
}
