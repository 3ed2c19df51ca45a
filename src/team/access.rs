//! Access rules: which members may read and which may write a secret, from
//! the groups and path rules of `.sm/access.toml`.
//!
//! A rule maps a name glob (`*` within one path segment, `**` across
//! segments, `?`, `[abc]`) to the members or groups that may read and write.
//! The most specific matching rule decides alone: a glob without wildcards
//! beats any glob with them, then the one with more literal characters wins,
//! then the longer glob. A name no rule matches, and every name in a store
//! with no rules, is open to every member. Removed members read and write
//! nothing. `*` in a rule's list means every member.

use std::collections::BTreeSet;

use globset::{GlobBuilder, GlobMatcher};

use crate::error::{Error, Result};
use crate::store::files::{AccessFile, Group, Member, Rule};

pub use crate::store::name::EVERYONE;

/// Parsed access rules, ready to answer who may read or write a name.
#[derive(Clone, Debug, Default)]
pub struct Access {
    file: AccessFile,
    matchers: Vec<(GlobMatcher, (bool, usize, usize))>,
}

/// What the rules say about one secret for one purpose.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Decision {
    /// The members allowed, sorted.
    pub members: Vec<String>,
    /// The glob of the rule that decided, or none when no rule matched.
    pub rule: Option<String>,
}

/// Compiles a name glob (`*` never crosses a `/`).
pub fn compile_glob(glob: &str) -> Result<GlobMatcher> {
    if glob.is_empty() || glob.len() > 512 || glob.chars().any(char::is_control) {
        return Err(Error::invalid(
            "a rule's glob is 1-512 characters without control characters",
        ));
    }
    GlobBuilder::new(glob)
        .literal_separator(true)
        .build()
        .map(|g| g.compile_matcher())
        .map_err(|e| Error::invalid(format!("`{glob}` is not a valid glob: {}", e.kind())))
}

fn specificity(glob: &str) -> (bool, usize, usize) {
    let meta = |c: char| "*?[]{}".contains(c);
    let literal = glob.chars().filter(|c| !meta(*c)).count();
    (!glob.chars().any(meta), literal, glob.len())
}

impl Access {
    /// Builds the rules from a verified access file.
    pub fn new(file: AccessFile) -> Result<Access> {
        let matchers = file
            .rules
            .iter()
            .map(|r| Ok((compile_glob(&r.glob)?, specificity(&r.glob))))
            .collect::<Result<_>>()?;
        Ok(Access { file, matchers })
    }

    /// Returns the underlying file.
    pub fn file(&self) -> &AccessFile {
        &self.file
    }

    /// Tells whether there is any rule at all.
    pub fn has_rules(&self) -> bool {
        !self.file.rules.is_empty()
    }

    /// Returns a group by name.
    pub fn group(&self, name: &str) -> Option<&Group> {
        self.file.groups.iter().find(|g| g.name == name)
    }

    /// Returns the most specific rule matching `name`.
    pub fn rule_for(&self, name: &str) -> Option<&Rule> {
        self.matchers
            .iter()
            .zip(&self.file.rules)
            .filter(|((m, _), _)| m.is_match(name))
            .max_by(|((_, a), ra), ((_, b), rb)| a.cmp(b).then(rb.glob.cmp(&ra.glob)))
            .map(|(_, r)| r)
    }

    /// Expands members, groups and `*` into active member names.
    pub fn expand(&self, who: &[String], members: &[Member]) -> BTreeSet<String> {
        let active = |n: &str| members.iter().any(|m| m.name == n && m.removed.is_none());
        let mut out = BTreeSet::new();
        for w in who {
            if w == EVERYONE {
                out.extend(
                    members
                        .iter()
                        .filter(|m| m.removed.is_none())
                        .map(|m| m.name.clone()),
                );
            } else if let Some(g) = self.group(w) {
                out.extend(g.members.iter().filter(|m| active(m)).cloned());
            } else if active(w) {
                out.insert(w.clone());
            }
        }
        out
    }

    fn decide(&self, name: &str, members: &[Member], write: bool) -> Decision {
        match self.rule_for(name) {
            Some(rule) => Decision {
                members: self
                    .expand(if write { &rule.write } else { &rule.read }, members)
                    .into_iter()
                    .collect(),
                rule: Some(rule.glob.clone()),
            },
            None => Decision {
                members: self
                    .expand(&[EVERYONE.to_string()], members)
                    .into_iter()
                    .collect(),
                rule: None,
            },
        }
    }

    /// Returns who may read `name`, and why.
    pub fn readers(&self, name: &str, members: &[Member]) -> Decision {
        self.decide(name, members, false)
    }

    /// Returns who may write `name`, and why.
    pub fn writers(&self, name: &str, members: &[Member]) -> Decision {
        self.decide(name, members, true)
    }

    /// Tells whether `member` may write `name`.
    pub fn can_write(&self, name: &str, member: &str, members: &[Member]) -> bool {
        self.writers(name, members)
            .members
            .iter()
            .any(|m| m == member)
    }

    /// Tells whether `member` may read `name`.
    pub fn can_read(&self, name: &str, member: &str, members: &[Member]) -> bool {
        self.readers(name, members)
            .members
            .iter()
            .any(|m| m == member)
    }
}

/// Checks a group name: like a member name, and not a member's name.
pub fn validate_group_name(name: &str, members: &[Member]) -> Result<()> {
    crate::store::name::validate_member_name(name)?;
    if members.iter().any(|m| m.name == name) {
        return Err(Error::invalid(format!(
            "`{name}` is a member's name; a group needs another"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(name: &str) -> Member {
        Member {
            name: name.into(),
            recipient: String::new(),
            signing_key: String::new(),
            admin: false,
            added_by: String::new(),
            endorsement: String::new(),
            removed: None,
        }
    }

    fn rule(glob: &str, read: &[&str], write: &[&str]) -> Rule {
        Rule {
            glob: glob.into(),
            read: read.iter().map(|s| s.to_string()).collect(),
            write: write.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn most_specific_rule_wins() {
        let members = vec![member("alice"), member("bob"), member("carol")];
        let access = Access::new(AccessFile {
            seq: 0,
            groups: vec![Group {
                name: "ops".into(),
                members: vec!["bob".into(), "carol".into()],
            }],
            rules: vec![
                rule("**", &["*"], &["alice"]),
                rule("prod/**", &["ops"], &["ops"]),
                rule("prod/db/*", &["carol"], &["carol"]),
                rule("prod/db/root", &["alice"], &["alice"]),
            ],
            signature: None,
        })
        .unwrap();
        let readers = |n: &str| access.readers(n, &members).members;
        assert_eq!(readers("dev/x"), ["alice", "bob", "carol"]);
        assert_eq!(readers("prod/api"), ["bob", "carol"]);
        assert_eq!(readers("prod/a/b"), ["bob", "carol"]);
        assert_eq!(readers("prod/db/app"), ["carol"]);
        assert_eq!(readers("prod/db/root"), ["alice"]);
        assert!(access.can_write("dev/x", "alice", &members));
        assert!(!access.can_write("dev/x", "bob", &members));
        assert_eq!(
            access.readers("prod/api", &members).rule.as_deref(),
            Some("prod/**")
        );
    }

    #[test]
    fn no_rules_means_everyone_and_removed_members_are_nobody() {
        let mut members = vec![member("alice"), member("bob")];
        members[1].removed = Some("2026-01-01T00:00:00.000Z".into());
        let access = Access::default();
        assert_eq!(access.readers("x", &members).members, ["alice"]);
        assert!(!access.can_write("x", "bob", &members));
    }

    #[test]
    fn star_does_not_cross_segments() {
        let m = compile_glob("prod/*").unwrap();
        assert!(m.is_match("prod/db"));
        assert!(!m.is_match("prod/db/x"));
        assert!(compile_glob("prod/[").is_err());
    }
}
