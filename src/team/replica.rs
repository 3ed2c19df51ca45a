//! Replicas: read-only copies of a store (another region, a disaster
//! recovery site) that receive the `current` and `previous` versions of
//! chosen prefixes, re-encrypted to the replica's own members.
//!
//! The primary lists its replicas in `.sm/replicas.toml` (folder, prefixes,
//! members). A replica is an sm store whose signed `store.toml` names its
//! primary; every write to it is refused except by `sm replica sync`, which
//! copies versions under their original ids (so a sync is idempotent and a
//! rerun resumes) and sets the replica's labels to the primary's.
//!
//! The list is a team file: signed by an admin and bound by the header, so
//! nobody adds a replica (and so a copy of every value) behind the admins'
//! backs. Each entry pins the replica's store id and root key, so a folder
//! swapped for another store is refused. A replica carries the primary's
//! read rules (its own `access.toml` holds them, with writes left to its
//! admins), so each version is encrypted to the primary's readers among the
//! replica's members. A sync compares the values of the versions both hold
//! and replaces a forged one, reporting it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::crypto::Identity;
use crate::error::{Error, Result};
use crate::store::files::{self, AccessFile, Encoding, Signature, SignedFile};
use crate::store::fsio;
use crate::store::name::{CURRENT, PREVIOUS};
use crate::store::safe::MAX_TOML_LEN;
use crate::store::{GetRequest, NewMember, PutRequest, Selector, Store};

pub use crate::store::REPLICAS_FILE;

/// `.sm/replicas.toml`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplicasFile {
    /// Rises with every change.
    #[serde(default, skip_serializing_if = "files::is_zero")]
    pub seq: u64,
    /// The replicas.
    #[serde(default, rename = "replica")]
    pub replicas: Vec<Replica>,
    /// Signed by the admin who made the last change.
    pub signature: Option<Signature>,
}

impl SignedFile for ReplicasFile {
    const DOMAIN: &'static str = "sm replicas.toml v1";
    fn signature_slot(&mut self) -> &mut Option<Signature> {
        &mut self.signature
    }
}

/// One replica.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Replica {
    /// Its folder.
    pub path: PathBuf,
    /// Its store id, pinned when it was added.
    pub id: String,
    /// Its root signing key, pinned when it was added.
    pub root_key: String,
    /// The name prefixes it receives (empty: every secret).
    #[serde(default)]
    pub prefixes: Vec<String>,
    /// The primary's members who are its members.
    pub members: Vec<String>,
}

/// The most replicas `.sm/replicas.toml` may list.
pub const MAX_REPLICAS: usize = 100;

/// The most name prefixes one replica may receive.
pub const MAX_REPLICA_PREFIXES: usize = 1_000;

impl files::Checked for ReplicasFile {
    fn check(&self, file: &Path) -> Result<()> {
        use crate::store::validate::{MAX_PRINCIPALS, MAX_TEXT_LEN, check_count};
        check_count(file, "replica", self.replicas.len(), MAX_REPLICAS)?;
        for (i, r) in self.replicas.iter().enumerate() {
            let bad = |what: &str| Error::integrity(file, format!("field `replica[{i}].{what}"));
            if r.path.as_os_str().is_empty() || r.path.as_os_str().len() > MAX_TEXT_LEN {
                return Err(bad("path`: the path is empty or too long"));
            }
            check_count(
                file,
                &format!("replica[{i}].prefixes"),
                r.prefixes.len(),
                MAX_REPLICA_PREFIXES,
            )?;
            if r.prefixes.iter().any(|p| {
                p.is_empty()
                    || p.len() > crate::store::name::MAX_NAME_LEN
                    || p.chars().any(char::is_control)
            }) {
                return Err(bad(
                    "prefixes`: a prefix is empty, too long or holds control characters",
                ));
            }
            check_count(
                file,
                &format!("replica[{i}].members"),
                r.members.len(),
                MAX_PRINCIPALS,
            )?;
            for m in &r.members {
                crate::store::name::validate_member_name(m)
                    .map_err(|e| bad(&format!("members`: {e}")))?;
            }
            if r.id.is_empty() || r.id.len() > MAX_TEXT_LEN {
                return Err(bad("id`: the store id is empty or too long"));
            }
            if r.root_key.is_empty() || r.root_key.len() > MAX_TEXT_LEN {
                return Err(bad("root_key`: the root key is empty or too long"));
            }
        }
        if let Some(sig) = &self.signature {
            crate::store::name::validate_member_name(&sig.by)
                .map_err(|e| Error::integrity(file, format!("field `signature.by`: {e}")))?;
        }
        Ok(())
    }
}

/// What a sync did to one replica.
#[derive(Clone, Debug, Default, Serialize)]
pub struct SyncReport {
    /// The replica's folder.
    pub path: PathBuf,
    /// Versions copied.
    pub copied: usize,
    /// Secrets whose labels were updated.
    pub updated: usize,
    /// Secrets already in step.
    pub up_to_date: usize,
    /// Secrets that could not be synced, with the reason.
    pub skipped: Vec<(String, String)>,
    /// Versions the replica held under a primary version's id with
    /// another value (or that did not verify there): replaced by the
    /// primary's. Each is the version record's path in the replica.
    pub forged: Vec<PathBuf>,
}

/// One secret a replica is behind on.
#[derive(Clone, Debug, Serialize)]
pub struct Behind {
    /// The replica's folder.
    pub path: PathBuf,
    /// The secret.
    pub name: String,
    /// The labels whose version differs (or is missing there).
    pub labels: Vec<String>,
}

/// Reads the primary's replica list and verifies it: signed by an admin.
pub fn list(primary: &Store) -> Result<ReplicasFile> {
    let path = primary.sm_dir().join(REPLICAS_FILE);
    match primary.fs().read(&path, MAX_TOML_LEN)? {
        Some(bytes) => {
            let mut file: ReplicasFile = files::parse_toml(&bytes, &path)?;
            primary.verify_admin_signed(&mut file, &path)?;
            Ok(file)
        }
        None => Ok(ReplicasFile::default()),
    }
}

/// Opens the replica an entry names, refusing (exit 5) a folder that holds
/// another store than the one pinned when it was added.
fn open_pinned(entry: &Replica) -> Result<Store> {
    let replica = Store::open(&entry.path)?;
    if replica.id() != entry.id || replica.root_key() != entry.root_key {
        return Err(Error::integrity(
            entry.path.join(crate::store::SM_DIR).join("store.toml"),
            format!(
                "a different store (id {}, root key {}) than the replica added here (id {}, root key {})",
                replica.id(),
                short_key(replica.root_key()),
                entry.id,
                short_key(&entry.root_key)
            ),
        )
        .with_hint("if the replica was re-created on purpose, an admin runs `sm replica add DIR` again"));
    }
    Ok(replica)
}

fn short_key(key: &str) -> &str {
    let end = key.char_indices().nth(20).map_or(key.len(), |(i, _)| i);
    &key[..end]
}

/// Creates (or adopts) a replica in `dir` whose members are `members`, and
/// records it in the primary. The acting member must be an admin; they
/// become the replica's first member, so they can sync it.
pub fn add(
    primary: &mut Store,
    identity: &Identity,
    dir: &Path,
    members: &[String],
    prefixes: &[String],
) -> Result<Replica> {
    let me = primary.member_for(identity)?.clone();
    if !me.admin {
        return Err(Error::no_access(format!(
            "`{}` is not an admin, so cannot add replicas",
            me.name
        )));
    }
    for p in prefixes {
        if p.is_empty() || p.chars().any(char::is_control) {
            return Err(Error::invalid("a replica prefix cannot be empty"));
        }
    }
    let chosen: Vec<_> = members
        .iter()
        .map(|m| {
            primary
                .active_members()
                .find(|x| &x.name == m)
                .cloned()
                .ok_or_else(|| Error::invalid(format!("`{m}` is not a member of this store")))
        })
        .collect::<Result<_>>()?;
    fsio::create_dir_all(dir)?;
    let dir = dir
        .canonicalize()
        .map_err(|e| Error::io("cannot resolve", dir, e))?;
    if dir == primary.root().canonicalize().unwrap_or_default() {
        return Err(Error::invalid("a store cannot be its own replica"));
    }
    let mut replica = if crate::store::is_store(&dir) {
        let r = Store::open(&dir)?;
        if r.primary().is_none() {
            return Err(Error::conflict(format!(
                "{} holds a store that is not a replica",
                dir.display()
            ))
            .with_hint("choose an empty folder"));
        }
        r
    } else {
        let primary_desc = format!("{} (store {})", primary.root().display(), primary.id());
        Store::init_replica(&dir, identity, &me.name, &primary_desc)?
    };
    for m in chosen {
        if replica.members().iter().any(|x| x.name == m.name) {
            continue;
        }
        replica.add_member(
            identity,
            NewMember {
                name: m.name.clone(),
                recipient: m.recipient.clone(),
                signing_key: m.signing_key.clone(),
                admin: false,
            },
        )?;
    }
    let entry = Replica {
        path: dir.clone(),
        id: replica.id().to_string(),
        root_key: replica.root_key().to_string(),
        prefixes: prefixes.to_vec(),
        members: members.to_vec(),
    };
    let mut file = list(primary)?;
    file.replicas.retain(|r| r.path != dir);
    file.replicas.push(entry.clone());
    file.seq += 1;
    file.sign(primary.id(), identity, &me.name);
    primary.replace_team_file(identity, REPLICAS_FILE, files::to_toml(&file))?;
    Ok(entry)
}

fn in_scope(replica: &Replica, name: &str) -> bool {
    replica.prefixes.is_empty() || replica.prefixes.iter().any(|p| name.starts_with(p))
}

/// The `current` and `previous` version ids of a live secret.
fn wanted(store: &Store, name: &str) -> Result<BTreeMap<String, String>> {
    let meta = store.read_live_meta(name)?;
    Ok(meta
        .labels
        .into_iter()
        .filter(|(l, _)| l == CURRENT || l == PREVIOUS)
        .collect())
}

/// Syncs every replica of `primary`.
pub fn sync(primary: &Store, identity: &Identity) -> Result<Vec<SyncReport>> {
    let mut reports = Vec::new();
    let entries = list(primary)?.replicas;
    // Every replica is checked before anything is copied to any.
    let replicas = entries
        .iter()
        .map(open_pinned)
        .collect::<Result<Vec<_>>>()?;
    for (entry, replica) in entries.into_iter().zip(replicas) {
        let mut replica = replica.for_replication();
        carry_read_rules(primary, &mut replica, identity)?;
        let mut report = SyncReport {
            path: entry.path.clone(),
            ..SyncReport::default()
        };
        for name in primary.list_names()? {
            if !in_scope(&entry, &name) {
                continue;
            }
            match sync_secret(primary, &replica, identity, &name, &mut report.forged) {
                Ok(None) => report.up_to_date += 1,
                Ok(Some(copied)) => {
                    report.updated += 1;
                    report.copied += copied;
                }
                Err(Error::NotFound { .. }) => {}
                Err(e) => report.skipped.push((name, e.to_string())),
            }
        }
        reports.push(report);
    }
    Ok(reports)
}

/// Gives the replica the primary's read rules (groups and rules, reads as
/// the primary has them; writes to the replica's admins, who sync), so each
/// version there is encrypted to the primary's readers among its members.
/// Re-encrypts what the replica holds when its readers changed.
fn carry_read_rules(primary: &Store, replica: &mut Store, identity: &Identity) -> Result<()> {
    let admins: Vec<String> = replica
        .active_members()
        .filter(|m| m.admin)
        .map(|m| m.name.clone())
        .collect();
    let source = primary.access().file();
    let mut want = AccessFile {
        groups: source.groups.clone(),
        rules: source.rules.clone(),
        ..AccessFile::default()
    };
    for rule in &mut want.rules {
        rule.write = admins.clone();
    }
    want.rules.sort_by(|a, b| a.glob.cmp(&b.glob));
    want.groups.sort_by(|a, b| a.name.cmp(&b.name));
    for g in &mut want.groups {
        g.members.sort();
        g.members.dedup();
    }
    let have = replica.access().file();
    if have.rules == want.rules && have.groups == want.groups {
        return Ok(());
    }
    replica.change_access(identity, |file, _| {
        file.rules = want.rules;
        file.groups = want.groups;
        Ok(())
    })?;
    replica.rewrap(identity, None, &|_, _| {})?;
    Ok(())
}

fn sync_secret(
    primary: &Store,
    replica: &Store,
    identity: &Identity,
    name: &str,
    forged: &mut Vec<PathBuf>,
) -> Result<Option<usize>> {
    let want = wanted(primary, name)?;
    let mut existing = replica.version_ids(name).unwrap_or_default();
    let mut copied = 0;
    let mut changed = false;
    // `previous` first, so a new secret's first version is the older one.
    for label in [PREVIOUS, CURRENT] {
        let Some(id) = want.get(label) else { continue };
        let got = primary.get(
            identity,
            &GetRequest {
                name,
                selector: Selector::Version(id.clone()),
            },
        )?;
        if existing.contains(id) {
            // The same id must hold the same value: compared in memory.
            if same_value(replica, identity, name, id, &got.value) {
                continue;
            }
            forged.push(
                replica
                    .secret_dir(name)
                    .join("versions")
                    .join(format!("{id}.toml")),
            );
            drop_version(replica, identity, name, id)?;
            existing.retain(|x| x != id);
        }
        changed = true;
        replica.put(
            identity,
            &PutRequest {
                name,
                version_id: Some(id.clone()),
                labels: vec![label.to_string()],
                binary: got.record.encoding == Encoding::Binary,
                ..PutRequest::default()
            },
            &got.value,
        )?;
        copied += 1;
    }
    let have = if replica.exists(name)? {
        replica.read_meta(name)?.labels
    } else {
        BTreeMap::new()
    };
    if have == want && !changed {
        return Ok(None);
    }
    replica.update_meta(identity, name, false, |meta| {
        meta.labels = want.clone();
        Ok(())
    })?;
    Ok(Some(copied))
}

/// Tells whether the replica's version `id` decrypts to `value`. A version
/// that does not verify or decrypt there counts as different.
fn same_value(replica: &Store, identity: &Identity, name: &str, id: &str, value: &[u8]) -> bool {
    replica
        .get(
            identity,
            &GetRequest {
                name,
                selector: Selector::Version(id.to_string()),
            },
        )
        .is_ok_and(|got| got.value.as_slice() == value)
}

/// Removes a forged version from the replica: first from its metadata
/// (labels and version list, so no moment lists a missing version), then
/// its files.
fn drop_version(replica: &Store, identity: &Identity, name: &str, id: &str) -> Result<()> {
    if replica.exists(name)? {
        replica.update_meta(identity, name, true, |meta| {
            meta.labels.retain(|_, v| v != id);
            if let Some(list) = &mut meta.versions {
                list.retain(|v| v != id);
            }
            Ok(())
        })?;
    }
    let dir = replica.secret_dir(name).join("versions");
    for ext in ["toml", "age"] {
        replica.fs().remove_file(&dir.join(format!("{id}.{ext}")))?;
    }
    Ok(())
}

/// Lists what each replica is behind on (no identity needed).
pub fn status(primary: &Store) -> Result<Vec<Behind>> {
    let mut out = Vec::new();
    for entry in list(primary)?.replicas {
        let replica = open_pinned(&entry)?;
        for name in primary.list_names()? {
            if !in_scope(&entry, &name) {
                continue;
            }
            let Ok(want) = wanted(primary, &name) else {
                continue;
            };
            let have = if replica.exists(&name)? {
                replica.read_meta(&name)?.labels
            } else {
                BTreeMap::new()
            };
            let labels: Vec<String> = want
                .iter()
                .filter(|(l, id)| have.get(*l) != Some(*id))
                .map(|(l, _)| l.clone())
                .collect();
            if !labels.is_empty() {
                out.push(Behind {
                    path: entry.path.clone(),
                    name,
                    labels,
                });
            }
        }
    }
    Ok(out)
}
