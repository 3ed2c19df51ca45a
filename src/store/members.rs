//! The member list's chain of trust: every member endorsed by an admin who
//! chains back to the store's root key, walked once outward from the root.

use std::collections::HashMap;
use std::path::Path;

use super::files::MembersFile;
use crate::crypto::VerifyingKey;
use crate::error::{Error, Result};

/// Verifies that every member is endorsed by an admin who chains back to the
/// root key, and returns each member's verifying key. `check` false skips
/// the signature checks (their bytes verified before) but not the structure.
pub(super) fn verify_member_chain(
    store_id: &str,
    root_key: &VerifyingKey,
    members: &MembersFile,
    file: &Path,
    check: bool,
) -> Result<HashMap<String, VerifyingKey>> {
    // Linear in the members: names are unique, so each member has one
    // adder, and the chain is walked outward from the root, admin by admin.
    let mut keys: HashMap<String, VerifyingKey> = HashMap::new();
    let mut parsed = Vec::with_capacity(members.members.len());
    let mut names = std::collections::HashSet::with_capacity(members.members.len());
    let mut added: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, m) in members.members.iter().enumerate() {
        let key = VerifyingKey::parse(&m.signing_key).map_err(|_| {
            Error::integrity(
                file,
                format!("member `{}` has a malformed signing key", m.name),
            )
        })?;
        if !names.insert(m.name.as_str()) {
            return Err(Error::integrity(
                file,
                format!("member `{}` is listed twice", m.name),
            ));
        }
        added.entry(m.added_by.as_str()).or_default().push(i);
        parsed.push((m, key));
    }
    let root = parsed
        .iter()
        .position(|(m, key)| key == root_key && m.added_by == m.name && m.admin)
        .ok_or_else(|| Error::integrity(file, "no admin member holds the store's root key"))?;
    let (root_member, root_signing) = &parsed[root];
    if check
        && !root_key.verify(
            &root_member.endorsed_bytes(store_id),
            &root_member.endorsement,
        )
    {
        return Err(Error::integrity(
            file,
            format!(
                "the root member `{}` is not self-endorsed",
                root_member.name
            ),
        ));
    }
    keys.insert(root_member.name.clone(), root_signing.clone());
    let mut admins = vec![root];
    while let Some(adder) = admins.pop() {
        let (adder_member, adder_key) = &parsed[adder];
        for &i in added.get(adder_member.name.as_str()).into_iter().flatten() {
            let (m, key) = &parsed[i];
            if keys.contains_key(&m.name) {
                continue;
            }
            if !check || adder_key.verify(&m.endorsed_bytes(store_id), &m.endorsement) {
                keys.insert(m.name.clone(), key.clone());
                if m.admin {
                    admins.push(i);
                }
            }
        }
    }
    if let Some((m, _)) = parsed.iter().find(|(m, _)| !keys.contains_key(&m.name)) {
        return Err(Error::integrity(
            file,
            format!(
                "member `{}` is not endorsed by an admin of this store (added by hand?)",
                m.name
            ),
        ));
    }
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::Identity;
    use crate::store::files::Member;

    const STORE: &str = "01a207b4-c124-728f-aa91-7a763dded3c2";

    /// A chain root -> m0 -> m1 -> ... (each an admin adding the next),
    /// listed newest first: the order that made the old fixpoint loop
    /// quadratic.
    fn chain(n: usize) -> (VerifyingKey, MembersFile) {
        let (root, _) = Identity::generate();
        let mut adders = vec![("root".to_string(), root)];
        let mut members = Vec::new();
        for i in 0..=n {
            let (name, id) = if i == 0 {
                ("root".to_string(), &adders[0].1)
            } else {
                let (id, _) = Identity::generate();
                adders.push((format!("m{i}"), id));
                (adders[i].0.clone(), &adders[i].1)
            };
            let (adder_name, adder) = &adders[i.saturating_sub(1)];
            let mut m = Member {
                name,
                recipient: id.recipient().to_string(),
                signing_key: id.signing_key(),
                admin: true,
                added_by: adder_name.clone(),
                endorsement: String::new(),
                removed: None,
            };
            m.endorsement = adder.sign(&m.endorsed_bytes(STORE));
            members.push(m);
        }
        members.reverse();
        let root_key = VerifyingKey::parse(&adders[0].1.signing_key()).unwrap();
        (
            root_key,
            MembersFile {
                seq: 0,
                members,
                signature: None,
            },
        )
    }

    #[test]
    fn a_long_chain_listed_backwards_verifies_in_linear_time() {
        let (root, members) = chain(2_000);
        let file = Path::new("members.toml");
        let started = std::time::Instant::now();
        let keys = verify_member_chain(STORE, &root, &members, file, true).unwrap();
        assert_eq!(keys.len(), 2_001);
        eprintln!("2,001 chained members verified in {:?}", started.elapsed());
    }

    #[test]
    fn the_chain_refuses_what_no_admin_endorsed() {
        let (root, members) = chain(3);
        let file = Path::new("members.toml");
        // A non-admin cannot endorse: m3 (not an admin now) adds m4.
        let mut bad = members.clone();
        bad.members[0].admin = false;
        bad.members.push(Member {
            name: "m4".into(),
            added_by: "m3".into(),
            ..bad.members[1].clone()
        });
        let err = verify_member_chain(STORE, &root, &bad, file, false).unwrap_err();
        assert!(
            err.to_string().contains("member `m4` is not endorsed"),
            "{err}"
        );
        // A forged endorsement, a duplicate, and a missing root.
        let mut forged = members.clone();
        forged.members[1].endorsement = forged.members[0].endorsement.clone();
        let err = verify_member_chain(STORE, &root, &forged, file, true).unwrap_err();
        assert!(err.to_string().contains("not endorsed"), "{err}");
        let mut twice = members.clone();
        twice.members.push(twice.members[0].clone());
        let err = verify_member_chain(STORE, &root, &twice, file, false).unwrap_err();
        assert!(err.to_string().contains("listed twice"), "{err}");
        let (other_root, _) = chain(0);
        let err = verify_member_chain(STORE, &other_root, &members, file, false).unwrap_err();
        assert!(err.to_string().contains("root key"), "{err}");
    }
}
