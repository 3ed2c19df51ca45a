//! Team operations on a store: the signed access file (groups and path
//! rules), admins, removing members, and the per-secret recipients and
//! write checks that the rules imply.

use std::path::Path;

use super::files::{self, AccessFile, Member, MembersFile, Rule, SignedFile};
use super::{Store, name};
use crate::crypto::{self, Identity, Recipient};
use crate::error::{Error, Result};
use crate::team::access::{self, Access, Decision, EVERYONE};

/// The access file's name under `.sm/`.
pub const ACCESS_FILE: &str = "access.toml";

/// What `sm member rm` did.
#[derive(Clone, Debug, serde::Serialize)]
pub struct RemovedMember {
    /// The member removed.
    pub name: String,
    /// Secrets whose current value they could read: rotate these.
    pub readable: Vec<String>,
}

/// Returns the hash a version record keeps of its recipient list.
pub fn recipients_hash(recipients: &[String]) -> String {
    crypto::sha256_hex(recipients.join("\n").as_bytes())
}

impl Store {
    /// Returns the access rules.
    pub fn access(&self) -> &Access {
        &self.access
    }

    /// Returns the members that are not removed.
    pub fn active_members(&self) -> impl Iterator<Item = &Member> {
        self.members().iter().filter(|m| m.removed.is_none())
    }

    /// Returns who may read `name`, and which rule says so.
    pub fn readers_of(&self, name: &str) -> Decision {
        self.access.readers(name, self.members())
    }

    /// Returns who may write `name`, and which rule says so.
    pub fn writers_of(&self, name: &str) -> Decision {
        self.access.writers(name, self.members())
    }

    /// Returns the sorted recipient strings a new version of `name` is
    /// encrypted to: its readers plus the store's extra recipients.
    pub fn recipient_strings_for(&self, name: &str) -> Vec<String> {
        let readers = self.readers_of(name).members;
        let mut out: Vec<String> = self
            .active_members()
            .filter(|m| readers.contains(&m.name))
            .map(|m| m.recipient.clone())
            .chain(self.extra_recipients().iter().cloned())
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// Returns the parsed recipients of `name` and the hash of their list.
    pub fn recipients_for(&self, name: &str) -> Result<(Vec<Recipient>, String)> {
        let strings = self.recipient_strings_for(name);
        if strings.is_empty() {
            return Err(Error::no_access(format!(
                "no member may read `{name}`, so a value cannot be encrypted to anyone"
            ))
            .with_hint(
                "`sm access NAME` shows the rule; an admin can change it with `sm access set`",
            ));
        }
        let parsed = strings
            .iter()
            .map(|s| Recipient::parse(s))
            .collect::<Result<_>>()?;
        Ok((parsed, recipients_hash(&strings)))
    }

    /// Explains a version not encrypted to `identity`: not a member (and
    /// how to join), a rule that does not let them read (which one), or a
    /// version not re-encrypted to them yet.
    pub(crate) fn why_not_recipient(&self, name: &str, id: &str, identity: &Identity) -> Error {
        let member = match self.member_for(identity) {
            Ok(member) => member.name.clone(),
            Err(not_member) => return not_member,
        };
        let readers = self.readers_of(name);
        if !readers.members.contains(&member) {
            let who = if readers.members.is_empty() {
                "nobody".to_string()
            } else {
                readers.members.join(", ")
            };
            let message = match &readers.rule {
                Some(glob) => format!(
                    "`{member}` may not read `{name}`: the access rule `{glob}` lets {who} read it"
                ),
                None => format!("`{member}` may not read `{name}`: no access rule names you"),
            };
            return Error::no_access(message).with_hint(format!(
                "`sm access {name}` shows who may; an admin can change the rule with `sm access set`"
            ));
        }
        Error::no_access(format!(
            "your identity cannot decrypt `{name}` version {id}: it was not re-encrypted to you since you were given access"
        ))
        .with_hint("ask a member who can read it to run `sm rewrap`, commit and push")
    }

    /// Fails with exit 4 unless `member` may write `name`.
    pub fn require_writer(&self, member: &str, name: &str) -> Result<()> {
        if let Some(primary) = self.primary()
            && !self.replicating
        {
            return Err(Error::no_access(format!(
                "this store is a read-only replica of {primary}"
            ))
            .with_hint("write to the primary store, then run `sm replica sync` there"));
        }
        let decision = self.writers_of(name);
        if decision.members.iter().any(|m| m == member) {
            return Ok(());
        }
        let why = match decision.rule {
            Some(glob) => format!("rule `{glob}`"),
            None => "the rules".into(),
        };
        Err(Error::no_access(format!(
            "`{member}` may not write `{name}` ({why} names {})",
            list_or_nobody(&decision.members)
        ))
        .with_hint(format!("`sm access {name}` shows who may")))
    }

    /// Fails with exit 5 unless the signer of a file of `name` may write it.
    pub(crate) fn check_signer_may_write(
        &self,
        signer: &str,
        name: &str,
        file: &Path,
    ) -> Result<()> {
        if self.access.can_write(name, signer, self.members()) {
            return Ok(());
        }
        let removed = self
            .members()
            .iter()
            .any(|m| m.name == signer && m.removed.is_some());
        Err(Error::integrity(
            file,
            if removed {
                format!("signed by `{signer}`, who was removed from the store (run `sm rewrap`)")
            } else {
                format!("signed by `{signer}`, who may not write `{name}` under the access rules")
            },
        ))
    }

    pub(crate) fn require_admin(&self, identity: &Identity) -> Result<Member> {
        let me = self.member_for(identity)?.clone();
        if !me.admin {
            return Err(
                Error::no_access(format!("`{}` is not an admin of this store", me.name))
                    .with_hint("an admin can make you one with `sm member admin NAME`"),
            );
        }
        Ok(me)
    }

    /// Applies `change` to the access file under the store lock, signs it
    /// as the acting admin and reopens the store.
    pub fn change_access<T>(
        &mut self,
        identity: &Identity,
        change: impl FnOnce(&mut AccessFile, &[Member]) -> Result<T>,
    ) -> Result<T> {
        let _lock = self.store_lock()?;
        self.reopen()?;
        let admin = self.require_admin(identity)?;
        let mut file = self.access.file().clone();
        let out = change(&mut file, self.members())?;
        file.rules.sort_by(|a, b| a.glob.cmp(&b.glob));
        file.groups.sort_by(|a, b| a.name.cmp(&b.name));
        for g in &mut file.groups {
            g.members.sort();
            g.members.dedup();
        }
        Access::new(file.clone())?;
        file.seq += 1;
        file.sign(&self.config.id.clone(), identity, &admin.name);
        self.write_team(
            identity,
            &admin.name,
            &[(ACCESS_FILE, files::to_toml(&file))],
        )?;
        Ok(out)
    }

    fn check_principals(&self, file: &AccessFile, who: &[String]) -> Result<()> {
        for w in who {
            let known = w == EVERYONE
                || file.groups.iter().any(|g| &g.name == w)
                || self.active_members().any(|m| &m.name == w);
            if !known {
                return Err(
                    Error::invalid(format!("`{w}` is neither a member nor a group"))
                        .with_hint("`sm member ls` and `sm group ls` list them"),
                );
            }
        }
        Ok(())
    }

    /// Sets (adds or replaces) the rule for `rule.glob`. Returns true when
    /// it replaced one.
    pub fn set_rule(&mut self, identity: &Identity, rule: Rule) -> Result<bool> {
        access::compile_glob(&rule.glob)?;
        let this = Store::open(&self.root)?;
        self.change_access(identity, |file, _| {
            this.check_principals(file, &rule.read)?;
            this.check_principals(file, &rule.write)?;
            let replaced = file.rules.iter().any(|r| r.glob == rule.glob);
            file.rules.retain(|r| r.glob != rule.glob);
            file.rules.push(rule);
            Ok(replaced)
        })
    }

    /// Removes the rule for `glob`.
    pub fn remove_rule(&mut self, identity: &Identity, glob: &str) -> Result<()> {
        self.change_access(identity, |file, _| {
            let before = file.rules.len();
            file.rules.retain(|r| r.glob != glob);
            if file.rules.len() == before {
                return Err(Error::not_found(format!("there is no rule for `{glob}`"))
                    .with_hint("`sm access` lists the rules"));
            }
            Ok(())
        })
    }

    /// Adds members to a group, creating it if needed.
    pub fn group_add(&mut self, identity: &Identity, group: &str, who: &[String]) -> Result<()> {
        self.change_access(identity, |file, members| {
            access::validate_group_name(group, members)?;
            for w in who {
                if !members.iter().any(|m| &m.name == w && m.removed.is_none()) {
                    return Err(Error::invalid(format!("`{w}` is not a member")));
                }
            }
            match file.groups.iter_mut().find(|g| g.name == group) {
                Some(g) => g.members.extend(who.iter().cloned()),
                None => file.groups.push(files::Group {
                    name: group.to_string(),
                    members: who.to_vec(),
                }),
            }
            Ok(())
        })
    }

    /// Removes members from a group, or the whole group when `who` is empty
    /// (refused while a rule names it).
    pub fn group_rm(&mut self, identity: &Identity, group: &str, who: &[String]) -> Result<()> {
        self.change_access(identity, |file, _| {
            let Some(pos) = file.groups.iter().position(|g| g.name == group) else {
                return Err(Error::not_found(format!("there is no group `{group}`")));
            };
            if who.is_empty() {
                if let Some(r) = file
                    .rules
                    .iter()
                    .find(|r| r.read.iter().chain(&r.write).any(|w| w == group))
                {
                    return Err(Error::conflict(format!(
                        "rule `{}` names group `{group}`",
                        r.glob
                    ))
                    .with_hint("change or remove that rule first"));
                }
                file.groups.remove(pos);
            } else {
                file.groups[pos].members.retain(|m| !who.contains(m));
            }
            Ok(())
        })
    }

    fn change_members<T>(
        &mut self,
        identity: &Identity,
        change: impl FnOnce(&mut MembersFile, &Member, &str) -> Result<T>,
    ) -> Result<T> {
        let _lock = self.store_lock()?;
        self.reopen()?;
        let admin = self.require_admin(identity)?;
        let mut members = self.members.clone();
        let id = self.config.id.clone();
        let out = change(&mut members, &admin, &id)?;
        members.seq += 1;
        members.sign(&id, identity, &admin.name);
        self.write_team(
            identity,
            &admin.name,
            &[("members.toml", files::to_toml(&members))],
        )?;
        Ok(out)
    }

    /// Makes a member an admin (re-endorsed by the acting admin).
    pub fn make_admin(&mut self, identity: &Identity, who: &str) -> Result<()> {
        self.change_members(identity, |members, admin, store_id| {
            let m = members
                .members
                .iter_mut()
                .find(|m| m.name == who && m.removed.is_none())
                .ok_or_else(|| Error::not_found(format!("there is no member `{who}`")))?;
            if m.admin {
                return Ok(());
            }
            m.admin = true;
            m.added_by = admin.name.clone();
            m.endorsement = identity.sign(&m.endorsed_bytes(store_id));
            Ok(())
        })
    }

    /// Marks a member removed and returns the secrets whose current value
    /// they could read. The caller rewraps afterwards.
    pub fn remove_member(&mut self, identity: &Identity, who: &str) -> Result<RemovedMember> {
        name::validate_member_name(who)?;
        let mut readable = Vec::new();
        if self.active_members().any(|m| m.name == who) {
            for secret in self.list_names()? {
                let has_current = self
                    .read_meta(&secret)
                    .map(|m| m.label(name::CURRENT).is_some())
                    .unwrap_or(true);
                if has_current && self.access.can_read(&secret, who, self.members()) {
                    readable.push(secret);
                }
            }
        }
        // Files the member signed last as an admin must be re-signed first,
        // or the store would not open once they are no longer an admin.
        let _ = self.require_admin(identity)?;
        if self
            .access
            .file()
            .signature
            .as_ref()
            .is_some_and(|s| s.by == who)
        {
            self.change_access(identity, |_, _| Ok(()))?;
        }
        if self.config.signature.as_ref().is_some_and(|s| s.by == who) {
            let _lock = self.store_lock()?;
            let admin = self.member_for(identity)?.name.clone();
            let mut config = self.config.clone();
            let id = config.id.clone();
            config.format = files::FORMAT;
            config.seq += 1;
            config.sign(&id, identity, &admin);
            self.write_team(identity, &admin, &[("store.toml", files::to_toml(&config))])?;
        }
        let when = super::now_string();
        self.change_members(identity, |members, admin, _| {
            if admin.name == who {
                return Err(Error::invalid("you cannot remove yourself")
                    .with_hint("another admin can remove you"));
            }
            let m = members
                .members
                .iter_mut()
                .find(|m| m.name == who && m.removed.is_none())
                .ok_or_else(|| Error::not_found(format!("there is no member `{who}`")))?;
            m.removed = Some(when);
            Ok(())
        })?;
        Ok(RemovedMember {
            name: who.to_string(),
            readable,
        })
    }
}

fn list_or_nobody(members: &[String]) -> String {
    if members.is_empty() {
        "nobody".into()
    } else {
        members.join(", ")
    }
}
