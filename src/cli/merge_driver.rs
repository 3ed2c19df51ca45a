//! `sm merge-driver`: git's merge driver for `meta.toml`.

use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use clap::Args;

use super::{CmdResult, Context};
use crate::audit::Event;
use crate::store::files::{self, Meta, VersionRecord};
use crate::store::view::{TeamBytes, TeamView};
use crate::store::{SM_DIR, Store};
use crate::team::merge::{Side, Stale};

/// Merge concurrent changes to a secret's meta.toml (run by git)
///
/// git runs it as `sm merge-driver %O %A %B %P` for files matching
/// `secrets/**/meta.toml merge=sm` in .gitattributes, once `merge.sm.driver`
/// is in the repository's config: `sm init` sets both up and `sm doctor`
/// repairs them (a clone does not copy git config, so run `sm doctor` after
/// cloning). Both sides must verify, under the access rules the merge leads
/// to (the side with the newer signed header decides), and each must be at
/// least as new as the merge base: a side older than the base, or changed
/// without a higher sequence, is a replay and is not merged. The result
/// takes each field from the side that changed it, moves labels by the
/// cloud service's rules (the newest `current` wins and `previous` follows
/// it), merges tags key by key, lists the versions of both sides (less
/// those one side pruned), takes the higher sequence plus one, and is
/// signed by you. Exit 1 leaves git's conflict in place.
#[derive(Debug, Args)]
pub struct MergeDriverArgs {
    /// The common ancestor's version (%O)
    pub base: PathBuf,
    /// Ours (%A); the result is written here
    pub ours: PathBuf,
    /// Theirs (%B)
    pub theirs: PathBuf,
    /// The file's path in the repository (%P)
    pub path: Option<PathBuf>,
}

pub fn run(ctx: &Context, args: MergeDriverArgs) -> CmdResult {
    let read = |p: &PathBuf| crate::store::fsio::read(p);
    let ours_bytes = read(&args.ours)?;
    let theirs_bytes = read(&args.theirs)?;
    let base_bytes = read(&args.base).unwrap_or_default();
    let ours: Meta = files::parse_toml(&ours_bytes, &args.ours)?;
    let name = ours.name.clone();
    let cwd = std::env::current_dir()?;
    let root = match &args.path {
        Some(p) => ctx
            .discover_store(cwd.join(p).parent().unwrap_or(&cwd))?
            .ok_or_else(|| anyhow::anyhow!("{} is not inside an sm store", p.display()))?,
        None => ctx.store_root()?.0,
    };
    // The file as git names it, for messages.
    let shown = args
        .path
        .clone()
        .unwrap_or_else(|| store_meta_path(&root, &name));
    let store = Store::open(&root)?;
    // Who may write after the merge: the side with the newer signed header.
    let commit = crate::git::merging_commit(store.root());
    let rules = rules_after_merge(&store, commit.as_deref())?;
    // Neither side is trusted until it verifies under those rules; the
    // result is signed by us.
    let ours = rules.verify_meta(&name, &ours_bytes, &args.ours)?;
    let theirs = rules.verify_meta(&name, &theirs_bytes, &args.theirs)?;
    let base: Option<Meta> = (!base_bytes.is_empty())
        .then(|| files::parse_toml(&base_bytes, &args.base))
        .transpose()?;
    if let Some(base) = &base {
        let sides = [
            (Side::Ours, &ours, ours_bytes.as_slice()),
            (Side::Theirs, &theirs, theirs_bytes.as_slice()),
        ];
        for (side, meta, bytes) in sides {
            if let Some(stale) = crate::team::merge::stale(base, &base_bytes, meta, bytes) {
                return Ok(refuse(&shown, &stale.describe(side)));
            }
        }
    }
    let me = store.member_for(ctx.identity()?)?.name.clone();
    if !rules.can_write(&name, &me) {
        return Ok(refuse(
            &shown,
            &format!(
                "you (`{me}`) may not write `{name}` under the access rules the merge leads to; not merged"
            ),
        ));
    }
    let created = creation_times(&store, commit.as_deref(), &name, [&ours, &theirs]);
    let created = |id: &str| created.get(id).cloned().unwrap_or_default();
    let newer = |a: &str, b: &str| -> Ordering { (created(a), a).cmp(&(created(b), b)) };
    let mut merged = crate::team::merge::merge_meta(base.as_ref(), &ours, &theirs, &newer);
    let bytes = store.sign_meta(ctx.identity()?, &mut merged)?;
    // git's temp files are relative to the repository's top folder.
    crate::store::fsio::write_atomic(
        &cwd.join(&args.ours),
        &bytes,
        crate::store::fsio::Durability::Sync,
    )?;
    let mut event = Event::ok("merge", Some(&name));
    event.detail = Some(format!("merged sequences {} and {}", ours.seq, theirs.seq));
    ctx.audit(&store, &[event], true)?;
    Ok(0)
}

/// Says why a side is not merged, in one line, and leaves git's conflict.
fn refuse(file: &Path, why: &str) -> i32 {
    eprintln!("error: {}: {why}", file.display());
    1
}

fn store_meta_path(root: &Path, name: &str) -> PathBuf {
    crate::store::name::secret_dir(&root.join(crate::store::SECRETS_DIR), name).join("meta.toml")
}

/// Returns the team files whose rules hold once the merge is done: those
/// of the commit being merged in when its signed header is newer than the
/// working tree's, else the working tree's.
fn rules_after_merge(store: &Store, commit: Option<&str>) -> anyhow::Result<TeamView> {
    let ours = store.team_view();
    let Some(commit) = commit else {
        return Ok(ours);
    };
    let paths: Vec<String> = TeamBytes::FILES
        .iter()
        .map(|n| format!("{SM_DIR}/{n}"))
        .collect();
    let refs: Vec<&str> = paths.iter().map(String::as_str).collect();
    let found = crate::git::files_at(
        store.root(),
        commit,
        &refs,
        crate::store::safe::MAX_TOML_LEN,
    )?;
    let bytes = TeamBytes::from_list(found);
    let short = &commit[..commit.len().min(12)];
    let theirs = TeamView::verify(
        &store.sm_dir(),
        &format!("in commit {short}"),
        &bytes,
        store.id(),
        store.root_key(),
    )?;
    Ok(if theirs.header_seq() > ours.header_seq() {
        theirs
    } else {
        ours
    })
}

/// The creation times of the versions the sides' labels point at (which
/// orders concurrent label moves): from the working tree, or, for a version
/// git has not written there yet, from the commit being merged in. A time
/// that cannot be read is empty (the id then decides).
fn creation_times(
    store: &Store,
    commit: Option<&str>,
    name: &str,
    sides: [&Meta; 2],
) -> HashMap<String, String> {
    let dir = store.secret_dir(name).join("versions");
    let parse = |bytes: &[u8], path: &Path| {
        files::parse_toml::<VersionRecord>(bytes, path)
            .ok()
            .map(|r| r.created)
    };
    let mut out = HashMap::new();
    let mut missing = Vec::new();
    let ids: BTreeSet<&String> = sides.iter().flat_map(|m| m.labels.values()).collect();
    for id in ids {
        let path = dir.join(format!("{id}.toml"));
        match store.fs().read(&path, crate::store::safe::MAX_TOML_LEN) {
            Ok(Some(bytes)) => {
                if let Some(t) = parse(&bytes, &path) {
                    out.insert(id.clone(), t);
                }
            }
            _ => missing.push(id.clone()),
        }
    }
    let (Some(commit), Ok(rel)) = (commit, dir.strip_prefix(store.root())) else {
        return out;
    };
    let paths: Vec<String> = missing
        .iter()
        .map(|id| format!("{}/{id}.toml", rel.to_string_lossy()))
        .collect();
    let refs: Vec<&str> = paths.iter().map(String::as_str).collect();
    let max = crate::store::safe::MAX_TOML_LEN;
    if let Ok(found) = crate::git::files_at(store.root(), commit, &refs, max) {
        for ((id, path), bytes) in missing.iter().zip(&paths).zip(found) {
            if let Some(t) = bytes.and_then(|b| parse(&b, Path::new(path))) {
                out.insert(id.clone(), t);
            }
        }
    }
    out
}

impl Stale {
    /// Describes the problem from the point of view of `side`.
    fn describe(&self, side: Side) -> String {
        let whose = match side {
            Side::Ours => "our",
            Side::Theirs => "their",
        };
        match self {
            Stale::Older { seq, base } => format!(
                "{whose} side is older than the merge base (sequence {seq} < {base}): a replay; not merged"
            ),
            Stale::Unchanged { seq } => format!(
                "{whose} side differs from the merge base at the same sequence ({seq}): a replay or a hand edit; not merged"
            ),
        }
    }
}
