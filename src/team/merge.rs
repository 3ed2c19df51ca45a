//! Merging two versions of a secret's `meta.toml` against their common
//! ancestor, for `sm merge-driver` (git's three-way merge of one file).
//!
//! Versions themselves are separate files, so git merges them as added
//! files; only the metadata needs this. Fields one side changed take that
//! side's value; when both changed, labels follow the cloud service's rules
//! (the newest `current` wins and `previous` follows it: it becomes the
//! version the other side had made current), other labels go to the newer
//! version, tags merge key by key, and everything else takes ours.
//!
//! Freshness (SPEC section 3): each side must be at least as new as the
//! base ([`stale`] says when one is not: an older sequence, or the same
//! sequence with other content, is a replay or a hand edit, and is not
//! merged). The result's sequence is the larger side's plus one, and its
//! version list is both sides' less what one side pruned.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use crate::store::files::Meta;
use crate::store::name::{CURRENT, PREVIOUS};

/// Merges `ours` and `theirs` against `base` (None when both sides added
/// the file). `newer(a, b)` orders two version ids by creation time.
pub fn merge_meta(
    base: Option<&Meta>,
    ours: &Meta,
    theirs: &Meta,
    newer: &dyn Fn(&str, &str) -> Ordering,
) -> Meta {
    let empty = Meta::default();
    let base = base.unwrap_or(&empty);
    let mut out = ours.clone();
    out.signature = None;
    out.created = std::cmp::min(&ours.created, &theirs.created).clone();
    if out.created.is_empty() {
        out.created = std::cmp::max(&ours.created, &theirs.created).clone();
    }
    out.description = pick(&base.description, &ours.description, &theirs.description).clone();
    out.rotation = pick(&base.rotation, &ours.rotation, &theirs.rotation).clone();
    out.deletion = pick(&base.deletion, &ours.deletion, &theirs.deletion).clone();
    out.tags = merge_maps(&base.tags, &ours.tags, &theirs.tags, &|a, _| a.clone());
    out.labels = merge_labels(base, ours, theirs, newer);
    out.seq = ours.seq.max(theirs.seq) + 1;
    out.versions = merge_versions(base.versions.as_ref(), ours, theirs);
    // A rotation's pending version must still be what `pending` names.
    if let Some(rotation) = &mut out.rotation
        && let Some(p) = &rotation.pending
        && out.labels.get(crate::store::name::PENDING) != Some(&p.version_id)
    {
        rotation.pending = None;
    }
    out
}

/// Which side of a merge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// The branch being merged into (git's %A).
    Ours,
    /// The branch being merged in (git's %B).
    Theirs,
}

/// Why a side of a merge cannot be trusted to be newer than the base.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stale {
    /// Its sequence is lower than the base's: an older file replayed.
    Older {
        /// The side's sequence.
        seq: u64,
        /// The base's sequence.
        base: u64,
    },
    /// Its sequence equals the base's, yet its content differs.
    Unchanged {
        /// The sequence of both.
        seq: u64,
    },
}

/// Tells whether one side (`side`, its exact bytes `side_bytes`) is stale
/// against the merge base: an older sequence, or the same sequence with
/// other content (a change, labels and deletion included, that does not
/// prove itself newer). A side equal to the base is fine.
pub fn stale(base: &Meta, base_bytes: &[u8], side: &Meta, side_bytes: &[u8]) -> Option<Stale> {
    if side.seq < base.seq {
        return Some(Stale::Older {
            seq: side.seq,
            base: base.seq,
        });
    }
    if side.seq == base.seq && side_bytes != base_bytes {
        return Some(Stale::Unchanged { seq: side.seq });
    }
    None
}

/// Both sides' version lists, less the ids one side removed relative to
/// the base (pruned). None when neither side has a list (format 1).
fn merge_versions(base: Option<&Vec<String>>, ours: &Meta, theirs: &Meta) -> Option<Vec<String>> {
    if ours.versions.is_none() && theirs.versions.is_none() {
        return None;
    }
    let empty = Vec::new();
    let base: BTreeSet<&String> = base.unwrap_or(&empty).iter().collect();
    let mut pruned: BTreeSet<&String> = BTreeSet::new();
    let mut out: BTreeSet<String> = BTreeSet::new();
    for side in [ours, theirs] {
        if let Some(list) = &side.versions {
            let have: BTreeSet<&String> = list.iter().collect();
            pruned.extend(base.iter().filter(|id| !have.contains(*id)));
            out.extend(list.iter().cloned());
        }
    }
    Some(out.into_iter().filter(|id| !pruned.contains(id)).collect())
}

/// Three-way choice of one field: the side that changed it, ours if both did.
fn pick<'a, T: PartialEq>(base: &'a T, ours: &'a T, theirs: &'a T) -> &'a T {
    if ours == base { theirs } else { ours }
}

fn merge_maps(
    base: &BTreeMap<String, String>,
    ours: &BTreeMap<String, String>,
    theirs: &BTreeMap<String, String>,
    both_changed: &dyn Fn(&String, &String) -> String,
) -> BTreeMap<String, String> {
    let keys: BTreeSet<&String> = base
        .keys()
        .chain(ours.keys())
        .chain(theirs.keys())
        .collect();
    let mut out = BTreeMap::new();
    for k in keys {
        let (b, o, t) = (base.get(k), ours.get(k), theirs.get(k));
        let v = if o == b {
            t
        } else if t == b || t == o {
            o
        } else {
            match (o, t) {
                (Some(o), Some(t)) => {
                    out.insert(k.clone(), both_changed(o, t));
                    continue;
                }
                // One side removed it, the other changed it: keep the change.
                (Some(o), None) => Some(o),
                (None, t) => t,
            }
        };
        if let Some(v) = v {
            out.insert(k.clone(), v.clone());
        }
    }
    out
}

fn merge_labels(
    base: &Meta,
    ours: &Meta,
    theirs: &Meta,
    newer: &dyn Fn(&str, &str) -> Ordering,
) -> BTreeMap<String, String> {
    let newest = |a: &String, b: &String| {
        if newer(a, b) == Ordering::Less {
            b.clone()
        } else {
            a.clone()
        }
    };
    let mut out = merge_maps(&base.labels, &ours.labels, &theirs.labels, &newest);
    let (bc, oc, tc) = (
        base.labels.get(CURRENT),
        ours.labels.get(CURRENT),
        theirs.labels.get(CURRENT),
    );
    if let (Some(o), Some(t)) = (oc, tc)
        && o != t
        && oc != bc
        && tc != bc
    {
        // Both sides moved `current`: the newest wins, and the other side's
        // current becomes `previous`, as if its move had happened first.
        let (winner, loser) = if newer(o, t) == Ordering::Less {
            (t, o)
        } else {
            (o, t)
        };
        out.insert(CURRENT.to_string(), winner.clone());
        out.insert(PREVIOUS.to_string(), loser.clone());
    } else if let Some(c) = out.get(CURRENT).cloned() {
        // One side moved `current`: its `previous` comes along with it.
        let mover = if oc != bc { ours } else { theirs };
        if mover.labels.get(CURRENT) == Some(&c)
            && let Some(p) = mover.labels.get(PREVIOUS)
        {
            out.insert(PREVIOUS.to_string(), p.clone());
        }
    }
    if out.get(PREVIOUS) == out.get(CURRENT) {
        out.remove(PREVIOUS);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(labels: &[(&str, &str)]) -> Meta {
        Meta {
            name: "a".into(),
            created: "2026-01-01T00:00:00.000Z".into(),
            labels: labels
                .iter()
                .map(|(l, v)| (l.to_string(), v.to_string()))
                .collect(),
            ..Meta::default()
        }
    }

    fn by_id(a: &str, b: &str) -> Ordering {
        a.cmp(b)
    }

    #[test]
    fn newest_current_wins_and_previous_follows() {
        let base = meta(&[("current", "1")]);
        let ours = meta(&[("current", "2"), ("previous", "1")]);
        let theirs = meta(&[("current", "3"), ("previous", "1")]);
        let m = merge_meta(Some(&base), &ours, &theirs, &by_id);
        assert_eq!(m.labels["current"], "3");
        assert_eq!(m.labels["previous"], "2");
        let m = merge_meta(Some(&base), &theirs, &ours, &by_id);
        assert_eq!(m.labels["current"], "3");
        assert_eq!(m.labels["previous"], "2");
    }

    #[test]
    fn the_sequence_rises_past_both_and_versions_are_unioned_less_pruned() {
        let mut base = meta(&[("current", "1")]);
        base.seq = 4;
        base.versions = Some(vec!["0".into(), "1".into()]);
        let mut ours = base.clone();
        ours.seq = 5;
        // Ours pruned 0 and added 2.
        ours.versions = Some(vec!["1".into(), "2".into()]);
        let mut theirs = base.clone();
        theirs.seq = 7;
        theirs.versions = Some(vec!["0".into(), "1".into(), "3".into()]);
        let m = merge_meta(Some(&base), &ours, &theirs, &by_id);
        assert_eq!(m.seq, 8);
        assert_eq!(
            m.versions,
            Some(vec!["1".to_string(), "2".into(), "3".into()])
        );
    }

    #[test]
    fn a_side_older_than_the_base_or_changed_at_its_sequence_is_stale() {
        let mut base = meta(&[("current", "1")]);
        base.seq = 5;
        let mut older = base.clone();
        older.seq = 3;
        assert_eq!(
            stale(&base, b"b", &older, b"o"),
            Some(Stale::Older { seq: 3, base: 5 })
        );
        assert_eq!(
            stale(&base, b"b", &base, b"x"),
            Some(Stale::Unchanged { seq: 5 })
        );
        assert_eq!(stale(&base, b"b", &base, b"b"), None);
        let mut newer = base.clone();
        newer.seq = 6;
        assert_eq!(stale(&base, b"b", &newer, b"n"), None);
    }

    #[test]
    fn one_sided_changes_are_kept() {
        let mut base = meta(&[("current", "1")]);
        base.tags.insert("k".into(), "v".into());
        let mut ours = meta(&[("current", "1"), ("blue", "1")]);
        ours.tags.insert("k".into(), "v".into());
        ours.tags.insert("mine".into(), "x".into());
        let mut theirs = meta(&[("current", "2"), ("previous", "1")]);
        theirs.description = "new".into();
        let m = merge_meta(Some(&base), &ours, &theirs, &by_id);
        assert_eq!(m.labels["current"], "2");
        assert_eq!(m.labels["previous"], "1");
        assert_eq!(m.labels["blue"], "1");
        assert_eq!(m.description, "new");
        assert_eq!(m.tags.get("k"), None);
        assert_eq!(m.tags["mine"], "x");
    }
}
