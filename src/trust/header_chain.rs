//! Bridging a gap in the header chain through git history. A machine
//! trusts a newer header only if an admin of the header it trusted signed
//! it (TUF's root-rotation rule: a removed admin cannot re-admit
//! themself). When the machine missed the headers in between (an admin
//! added an admin, who then changed the rules), the chain is walked
//! through the repository's history of `.sm/header.toml`: each header
//! after the trusted one must verify with the team files of its commit and
//! be signed by an admin of the header before it.

use std::path::{Path, PathBuf};

use crate::store::files::{self, SignedFile};
use crate::store::header::HeaderFile;
use crate::store::safe::MAX_TOML_LEN;
use crate::store::view::{TeamBytes, TeamView};

/// What the walk needs to know of the store on disk.
#[derive(Clone, Debug)]
pub struct Bridge {
    /// The store's root folder.
    pub root: PathBuf,
    /// The store id.
    pub store_id: String,
    /// The pinned root key.
    pub root_key: String,
}

impl Bridge {
    /// Tells whether the repository's history links the header trusted at
    /// `trusted_seq` (whose admins' keys are `trusted_admins`) to a header
    /// at `seq` signed by `signer_key`: every header in between verifies
    /// in its commit and is signed by an admin of the one before. False
    /// when there is no git, no history, or any step fails.
    pub fn links(
        &self,
        trusted_seq: u64,
        trusted_admins: &[String],
        seq: u64,
        signer_key: &str,
    ) -> bool {
        self.walk(trusted_seq, trusted_admins, seq, signer_key)
            .unwrap_or(false)
    }

    fn walk(
        &self,
        trusted_seq: u64,
        trusted_admins: &[String],
        seq: u64,
        signer_key: &str,
    ) -> Option<bool> {
        let out = crate::git::command(&self.root)
            .args(["log", "--format=%H", "--reverse", "--", ".sm/header.toml"])
            .output()
            .ok()
            .filter(|o| o.status.success())?;
        let commits = String::from_utf8(out.stdout).ok()?;
        let sm_dir = self.root.join(crate::store::SM_DIR);
        let mut admins: Vec<String> = trusted_admins.to_vec();
        let mut reached = trusted_seq;
        for commit in commits.lines().filter(|c| !c.is_empty()) {
            let paths: Vec<String> = TeamBytes::FILES
                .iter()
                .map(|f| format!("{}/{f}", crate::store::SM_DIR))
                .collect();
            let refs: Vec<&str> = paths.iter().map(String::as_str).collect();
            let bytes = crate::git::files_at(&self.root, commit, &refs, MAX_TOML_LEN).ok()?;
            let team = TeamBytes::from_list(bytes);
            let header_bytes = team.header.clone()?;
            let mut header: HeaderFile =
                files::parse_toml(&header_bytes, &sm_dir.join("header.toml")).ok()?;
            if header.seq <= reached || header.seq > seq {
                continue;
            }
            let view =
                TeamView::verify(&sm_dir, commit, &team, &self.store_id, &self.root_key).ok()?;
            let signer = header.signer(Path::new("header.toml")).ok()?;
            let key = view.signing_key_of(&signer)?;
            if !admins.contains(&key) {
                return Some(false);
            }
            admins = view.admin_keys();
            reached = header.seq;
        }
        Some(reached == seq || admins.iter().any(|a| a == signer_key))
    }
}
