//! `sm merge-driver`: git's merge driver for `meta.toml`.

use std::cmp::Ordering;
use std::path::PathBuf;

use clap::Args;

use super::{CmdResult, Context};
use crate::store::Store;
use crate::store::files::{self, Meta, VersionRecord};

/// Merge concurrent changes to a secret's meta.toml (run by git)
///
/// git runs it as `sm merge-driver %O %A %B %P` for files matching
/// `secrets/**/meta.toml merge=sm` in .gitattributes, once `merge.sm.driver`
/// is in the repository's config: `sm init` sets both up and `sm doctor`
/// repairs them (a clone does not copy git config, so run `sm doctor` after
/// cloning). Both sides must verify; the result takes each field from the
/// side that changed it, moves labels by the cloud service's rules (the
/// newest `current` wins and `previous` follows it), merges tags key by key,
/// and is signed by you. Exit 1 leaves git's conflict in place.
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
    let root = match &args.path {
        Some(p) => {
            let cwd = std::env::current_dir()?;
            ctx.discover_store(cwd.join(p).parent().unwrap_or(&cwd))?
                .ok_or_else(|| anyhow::anyhow!("{} is not inside an sm store", p.display()))?
        }
        None => ctx.store_root()?.0,
    };
    let store = Store::open(&root)?;
    // Neither side is trusted until it verifies; the result is signed by us.
    let ours = store.parse_meta(&name, &ours_bytes, &args.ours, true)?;
    let theirs = store.parse_meta(&name, &theirs_bytes, &args.theirs, true)?;
    let base: Option<Meta> = (!base_bytes.is_empty())
        .then(|| files::parse_toml(&base_bytes, &args.base))
        .transpose()?;
    let versions = store.secret_dir(&name).join("versions");
    let created = |id: &str| -> String {
        let path = versions.join(format!("{id}.toml"));
        store
            .fs()
            .read(&path, crate::store::safe::MAX_TOML_LEN)
            .ok()
            .flatten()
            .and_then(|b| files::parse_toml::<VersionRecord>(&b, &path).ok())
            .map(|r| r.created)
            .unwrap_or_default()
    };
    let newer = |a: &str, b: &str| -> Ordering { (created(a), a).cmp(&(created(b), b)) };
    let mut merged = crate::team::merge::merge_meta(base.as_ref(), &ours, &theirs, &newer);
    let bytes = store.sign_meta(ctx.identity()?, &mut merged)?;
    // git's temp files are relative to the repository's top folder.
    crate::store::fsio::write_atomic(
        &std::env::current_dir()?.join(&args.ours),
        &bytes,
        crate::store::fsio::Durability::Sync,
    )?;
    Ok(0)
}
