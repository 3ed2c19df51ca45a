//! The store: its layout on disk, opening it with its chain of trust, and
//! every operation on secrets, versions and labels.
//!
//! ```text
//! <store>/.sm/store.toml       id, format, root key, settings (signed)
//! <store>/.sm/members.toml     members (each endorsed by an admin; signed)
//! <store>/.sm/log/<m>/<d>.jsonl  access log, one file per member and device
//!                              (`<m>.jsonl` in stores from before devices)
//! <store>/.sm/locks/           lock files (git-ignored)
//! <store>/secrets/<name>.secret/meta.toml
//! <store>/secrets/<name>.secret/versions/<id>.age / <id>.toml
//! ```

pub mod discovery;
pub mod files;
pub mod fresh;
pub mod fsio;
pub mod header;
mod members;
pub mod name;
mod rewrap;
pub mod safe;
mod secret;
pub mod snapshot;
mod team;
pub mod validate;
pub mod view;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use files::{Encoding, Member, Meta, VersionRecord};
pub use rewrap::{RewrapReport, Skipped};
pub use secret::nearest::nearest;
pub use secret::{
    DoctorReport, GetRequest, Got, MAX_VALUE_LEN, PutOutcome, PutRequest, ScanListing, ScanStamps,
    SecretSummary, SecretValues, Selector, TOMBSTONE_FILE, VersionInfo, check_value_size,
    format_time, move_label, now, now_string, parse_tag, validate_description, value_buffer,
    without_final_newline,
};
pub use team::{RemovedMember, recipients_hash};

use crate::cache::{self, Cache};
use crate::crypto::{Identity, Recipient, VerifyingKey};
use crate::error::{Error, Result};
use crate::team::access::Access;
use files::{MembersFile, SignedFile, StoreFile};
/// The replica list's file name under `.sm/`.
pub const REPLICAS_FILE: &str = "replicas.toml";
use fsio::{Durability, Lock};
use safe::{MAX_TOML_LEN, StoreFs};
use snapshot::{TeamFiles, TeamView};

/// The folder holding sm's own files inside a store.
pub const SM_DIR: &str = ".sm";

/// The folder holding the secrets.
pub const SECRETS_DIR: &str = "secrets";

/// An opened store whose member list has been verified back to its root key.
#[derive(Debug)]
pub struct Store {
    root: PathBuf,
    /// The root folder, held open: every store path resolves beneath it.
    fs: StoreFs,
    config: StoreFile,
    members: MembersFile,
    keys: HashMap<String, VerifyingKey>,
    access: Access,
    replicating: bool,
    /// The digest of the team files' and header's bytes.
    header: cache::Digest,
    /// The signed header (None for a format-1 store).
    verified_header: Option<header::Verified>,
    /// The read cache, when opened for a reader.
    cache: Option<Cache>,
    /// This machine's memory of the store (see [`fresh`]).
    fresh: Arc<dyn fresh::Freshness>,
    /// The root's real path, once resolved (see [`Store::canonical_root`]).
    canonical: std::sync::OnceLock<PathBuf>,
}

/// Tells whether `dir` holds a store.
pub fn is_store(dir: &Path) -> bool {
    dir.join(SM_DIR).join("store.toml").is_file()
}

impl Store {
    /// Creates a store in `root` with `identity` as its first member and admin.
    pub fn init(
        root: &Path,
        identity: &Identity,
        member_name: &str,
        extra_recipients: &[String],
    ) -> Result<Store> {
        Store::create(root, identity, member_name, extra_recipients, None)
    }

    /// Creates a read-only replica of the store described by `primary`.
    pub fn init_replica(
        root: &Path,
        identity: &Identity,
        member_name: &str,
        primary: &str,
    ) -> Result<Store> {
        Store::create(root, identity, member_name, &[], Some(primary.to_string()))
    }

    fn create(
        root: &Path,
        identity: &Identity,
        member_name: &str,
        extra_recipients: &[String],
        primary: Option<String>,
    ) -> Result<Store> {
        name::validate_member_name(member_name)?;
        for r in extra_recipients {
            Recipient::parse(r)?;
        }
        if is_store(root) {
            return Err(
                Error::conflict(format!("{} already holds an sm store", root.display()))
                    .with_hint("use it as it is, or choose another folder"),
            );
        }
        // The root itself is where the user chose to put the store.
        fsio::create_dir_all(root)?;
        let fs = StoreFs::open(root).map_err(|e| Error::io("cannot open", root, e))?;
        let sm_dir = root.join(SM_DIR);
        fs.create_dir_all(&sm_dir.join("log"))?;
        fs.create_dir_all(&root.join(SECRETS_DIR))?;
        fs.write_atomic(
            &sm_dir.join(".gitignore"),
            b"# sm's lock files are local to each machine\nlocks/\n",
            Durability::Sync,
        )?;

        let store_id = uuid::Uuid::now_v7().to_string();
        let mut root_member = Member {
            name: member_name.to_string(),
            recipient: identity.recipient().to_string(),
            signing_key: identity.signing_key(),
            admin: true,
            added_by: member_name.to_string(),
            endorsement: String::new(),
            removed: None,
        };
        root_member.endorsement = identity.sign(&root_member.endorsed_bytes(&store_id));
        let mut members = MembersFile {
            seq: 1,
            members: vec![root_member],
            signature: None,
        };
        members.sign(&store_id, identity, member_name);
        let mut config = StoreFile {
            format: files::FORMAT,
            id: store_id.clone(),
            seq: 1,
            root_key: identity.signing_key(),
            max_versions: files::DEFAULT_MAX_VERSIONS,
            recipients: extra_recipients.to_vec(),
            primary,
            signature: None,
        };
        config.sign(&store_id, identity, member_name);
        let members_bytes = files::to_toml(&members);
        let config_bytes = files::to_toml(&config);
        let team: header::TeamBytes<'_> = [
            (team::ACCESS_FILE, None),
            ("members.toml", Some(&members_bytes)),
            (REPLICAS_FILE, None),
            ("store.toml", Some(&config_bytes)),
        ];
        let header = header::next(&store_id, None, &team, identity, member_name);
        // store.toml last: it is what marks the folder as a store.
        fs.write_atomic(
            &sm_dir.join("members.toml"),
            &members_bytes,
            Durability::Sync,
        )?;
        fs.write_atomic(
            &sm_dir.join(header::HEADER_FILE),
            &files::to_toml(&header),
            Durability::Sync,
        )?;
        fs.write_atomic(&sm_dir.join("store.toml"), &config_bytes, Durability::Sync)?;
        Store::open(root)
    }

    /// Opens the store in `root`, verifying store.toml, members.toml and the
    /// chain of member endorsements back to the root key.
    pub fn open(root: &Path) -> Result<Store> {
        Store::open_as(root, None)
    }

    /// Opens the store for reads by `reader`, with the local read cache (see
    /// [`crate::cache`]) unless `SM_NO_CACHE` is set: a header whose exact
    /// bytes verified before is not verified again, and `get` may answer
    /// from the cache when a secret's files are unchanged.
    pub fn open_cached(root: &Path, reader: &Identity) -> Result<Store> {
        Store::open_as(root, Some(reader))
    }

    fn open_as(root: &Path, reader: Option<&Identity>) -> Result<Store> {
        let not_a_store = || {
            Error::not_found(format!("{} is not an sm store", root.display()))
                .with_hint("run `sm init` there, or pass --store DIR")
        };
        let fs = match StoreFs::open(root) {
            Ok(fs) => fs,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(not_a_store()),
            Err(e) => return Err(Error::io("cannot open", root, e)),
        };
        let store_path = root.join(SM_DIR).join("store.toml");
        let store_bytes = fs
            .read(&store_path, MAX_TOML_LEN)?
            .ok_or_else(not_a_store)?;
        // Parsed here for the cache's name (and so a malformed file is
        // named first); the view below verifies it.
        let id = files::parse_toml::<StoreFile>(&store_bytes, &store_path)?.id;
        let members_path = root.join(SM_DIR).join("members.toml");
        let members_bytes = fs.read_existing(&members_path, MAX_TOML_LEN)?;
        let access_bytes = fs.read(&root.join(SM_DIR).join(team::ACCESS_FILE), MAX_TOML_LEN)?;
        let replicas_bytes = fs.read(&root.join(SM_DIR).join(REPLICAS_FILE), MAX_TOML_LEN)?;
        let header_path = root.join(SM_DIR).join(header::HEADER_FILE);
        let header_bytes = fs.read(&header_path, MAX_TOML_LEN)?;
        let none: &[u8] = b"";
        let header = cache::digest(&[
            &store_bytes,
            &members_bytes,
            access_bytes.as_deref().unwrap_or(none),
            replicas_bytes.as_deref().unwrap_or(none),
            header_bytes.as_deref().unwrap_or(none),
            &[
                u8::from(access_bytes.is_some()),
                u8::from(replicas_bytes.is_some()),
                u8::from(header_bytes.is_some()),
            ],
        ]);
        let cache = reader
            .filter(|_| !cache::disabled())
            .and_then(|identity| Some(Cache::open(&cache::root()?, &id, identity)));
        // Signatures are checked unless these exact bytes verified before.
        let check = !cache.as_ref().is_some_and(|c| c.header_verified(&header));
        let view = TeamView::verify(
            root,
            &TeamFiles {
                store: &store_bytes,
                members: &members_bytes,
                access: access_bytes.as_deref(),
                replicas: replicas_bytes.as_deref(),
                header: header_bytes.as_deref(),
            },
            check,
        )?;
        if check && let Some(cache) = &cache {
            cache.mark_header_verified(&header);
        }
        Ok(Store {
            root: root.to_path_buf(),
            fs,
            config: view.config,
            members: view.members,
            keys: view.keys,
            access: view.access,
            replicating: false,
            header,
            verified_header: view.header,
            cache,
            fresh: Arc::new(fresh::Forgetful),
            canonical: std::sync::OnceLock::new(),
        })
    }

    /// Installs this machine's memory of the store (see [`fresh`]): from
    /// now on every header, metadata file and missing secret the store
    /// meets is checked against it, and what is newer is remembered.
    pub fn set_freshness(&mut self, memory: Arc<dyn fresh::Freshness>) -> Result<()> {
        let path = self.sm_dir().join(header::HEADER_FILE);
        let seen = match &self.verified_header {
            Some(h) => fresh::HeaderSeen {
                format: self.config.format,
                seq: h.file.seq,
                digest: h.digest,
                signer_key: &h.signer_key,
                admin_keys: self.admin_keys(),
                file: &path,
            },
            None => fresh::HeaderSeen {
                format: self.config.format,
                seq: 0,
                digest: [0; 32],
                signer_key: "",
                admin_keys: self.admin_keys(),
                file: &path,
            },
        };
        memory.header(&seen)?;
        self.fresh = memory;
        Ok(())
    }

    /// Returns the signing keys of the active admins.
    fn admin_keys(&self) -> Vec<&str> {
        self.members
            .members
            .iter()
            .filter(|m| m.admin && m.removed.is_none())
            .map(|m| m.signing_key.as_str())
            .collect()
    }

    /// Returns the verified header (None for a format-1 store).
    pub fn header(&self) -> Option<&header::HeaderFile> {
        self.verified_header.as_ref().map(|h| &h.file)
    }

    /// Opens the store again (after a change, or under a lock), keeping
    /// this machine's memory of it and checking the new header against it.
    pub(crate) fn reopen(&mut self) -> Result<()> {
        let fresh = self.fresh.clone();
        let mut again = Store::open(&self.root)?;
        again.set_freshness(fresh)?;
        // A replica being synced stays writable for the sync.
        again.replicating = self.replicating;
        *self = again;
        Ok(())
    }

    /// Returns this machine's memory of the store.
    pub fn freshness(&self) -> &Arc<dyn fresh::Freshness> {
        &self.fresh
    }

    /// Removes the read-cache entries (of `reader`) of secrets that no
    /// longer exist, deleted here or in a clone this one pulled from.
    pub fn prune_cache(&self, reader: &Identity) -> Result<usize> {
        let Some(root) = cache::root() else {
            return Ok(0);
        };
        let names = self.list_names()?;
        Ok(Cache::open(&root, self.id(), reader).retain(&names))
    }

    /// Returns the store's root folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Returns the root's real path (links resolved; the root as given
    /// when it cannot be resolved), resolved once per opened store: the
    /// trust files key the store's pins and seen state by it.
    pub fn canonical_root(&self) -> &Path {
        self.canonical
            .get_or_init(|| std::fs::canonicalize(&self.root).unwrap_or_else(|_| self.root.clone()))
    }

    /// Returns the store's files, opened beneath its root without following
    /// links (see [`safe`]).
    pub fn fs(&self) -> &StoreFs {
        &self.fs
    }

    /// Takes the lock file `name` under `.sm/locks/` (opened without
    /// following links), waiting up to the lock timeout.
    pub fn lock(&self, name: &str, what: &str) -> Result<Lock> {
        let path = self.sm_dir().join("locks").join(name);
        let file = self.fs.open_lock(&path)?;
        Lock::acquire_file(file, &path, what, fsio::lock_timeout())
    }

    /// Returns the store id.
    pub fn id(&self) -> &str {
        &self.config.id
    }

    /// Returns the primary store this one is a read-only replica of.
    pub fn primary(&self) -> Option<&str> {
        self.config.primary.as_deref()
    }

    /// Lets `sm replica sync` write into a replica.
    pub(crate) fn for_replication(mut self) -> Store {
        self.replicating = true;
        self
    }

    /// Returns the root signing key, as pinned by each machine.
    pub fn root_key(&self) -> &str {
        &self.config.root_key
    }

    /// Returns the members.
    pub fn members(&self) -> &[Member] {
        &self.members.members
    }

    /// Returns the extra recipients of store.toml.
    pub fn extra_recipients(&self) -> &[String] {
        &self.config.recipients
    }

    /// Returns how many versions a secret keeps.
    pub fn max_versions(&self) -> u32 {
        self.config.max_versions
    }

    /// Returns the verifying key of a member.
    pub fn member_key(&self, name: &str) -> Option<&VerifyingKey> {
        self.keys.get(name)
    }

    /// Returns the member that `identity` is, or a no-access error.
    pub fn member_for(&self, identity: &Identity) -> Result<&Member> {
        let signing_key = identity.signing_key();
        self.members
            .members
            .iter()
            .find(|m| {
                m.recipient == identity.recipient()
                    && m.signing_key == signing_key
                    && m.removed.is_none()
            })
            .ok_or_else(|| {
                Error::no_access(format!(
                    "you are not a member of the store at {} (your identity {} is not among its members)",
                    self.root.display(),
                    identity.recipient(),
                ))
                .with_hint("to join, send a store admin your member card, printed by `sm identity show --card`; they run `sm member add NAME CARD`, commit and push, then you pull")
            })
    }

    /// Adds a member, signed by `admin_identity`.
    pub fn add_member(&mut self, admin_identity: &Identity, new: NewMember) -> Result<Member> {
        name::validate_member_name(&new.name)?;
        Recipient::parse(&new.recipient)?;
        VerifyingKey::parse(&new.signing_key)?;
        let _lock = self.store_lock()?;
        // Re-read under the lock so a concurrent change is not lost.
        self.reopen()?;
        let admin = self.member_for(admin_identity)?.clone();
        if !admin.admin {
            return Err(Error::no_access(format!(
                "`{}` is not an admin of this store, so cannot add members",
                admin.name
            )));
        }
        if let Some(old) = self.members.members.iter().find(|m| m.name == new.name) {
            if old.removed.is_some() {
                // A removed member's name stays in members.toml: the log
                // and old signatures name them.
                return Err(Error::conflict(format!(
                    "`{}` was a member and was removed; a name is never given to another key",
                    new.name
                ))
                .with_hint("add them under a new name (e.g. with a 2 after it)"));
            }
            return Err(Error::conflict(format!(
                "a member named `{}` exists already",
                new.name
            )));
        }
        if self
            .members
            .members
            .iter()
            .any(|m| m.recipient == new.recipient || m.signing_key == new.signing_key)
        {
            return Err(Error::conflict(
                "that recipient or signing key belongs to a member already",
            ));
        }
        let mut member = Member {
            name: new.name,
            recipient: new.recipient,
            signing_key: new.signing_key,
            admin: new.admin,
            added_by: admin.name.clone(),
            endorsement: String::new(),
            removed: None,
        };
        member.endorsement = admin_identity.sign(&member.endorsed_bytes(self.id()));
        let mut members = self.members.clone();
        members.members.push(member.clone());
        members.seq += 1;
        members.sign(&self.config.id.clone(), admin_identity, &admin.name);
        self.write_team(
            admin_identity,
            &admin.name,
            &[("members.toml", files::to_toml(&members))],
        )?;
        Ok(member)
    }

    /// Returns the recipients a new version of any secret is encrypted to
    /// when the store has no access rules (see [`Store::recipients_for`]).
    pub fn recipients(&self) -> Result<Vec<Recipient>> {
        self.members
            .members
            .iter()
            .filter(|m| m.removed.is_none())
            .map(|m| m.recipient.as_str())
            .chain(self.config.recipients.iter().map(String::as_str))
            .map(Recipient::parse)
            .collect()
    }

    /// Returns the folder of `.sm`.
    pub fn sm_dir(&self) -> PathBuf {
        self.root.join(SM_DIR)
    }

    /// Returns the folder of all secrets.
    pub fn secrets_dir(&self) -> PathBuf {
        self.root.join(SECRETS_DIR)
    }

    /// Returns the folder of the log files.
    pub fn log_dir(&self) -> PathBuf {
        self.sm_dir().join("log")
    }

    fn store_lock(&self) -> Result<Lock> {
        self.lock("store.lock", "the store's member list")
    }
}

/// A member to add.
#[derive(Clone, Debug)]
pub struct NewMember {
    /// Their name.
    pub name: String,
    /// Their age recipient.
    pub recipient: String,
    /// Their signing key (`ed25519:…`).
    pub signing_key: String,
    /// Whether they become an admin.
    pub admin: bool,
}
