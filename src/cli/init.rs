//! `sm init`: create a store.

use std::path::PathBuf;

use clap::Args;

use super::context::default_member_name;
use super::{CmdResult, Context, output};
use crate::store::Store;

/// Create a store; you become its first member and admin
///
/// An identity is created first if you have none (in the OS keyring, or in
/// <config dir>/sm/identity.txt with SM_NO_KEYRING=1).
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder to create the store in (default: --store, else the current folder)
    pub dir: Option<PathBuf>,
    /// Also encrypt every value to R (age1… or an SSH public key); repeatable
    #[arg(long = "recipient", value_name = "R")]
    pub recipients: Vec<String>,
    /// Your member name (default: $SM_MEMBER, else $USER)
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
}

pub fn run(ctx: &Context, args: InitArgs) -> CmdResult {
    let dir = args
        .dir
        .or_else(|| ctx.global.store.clone())
        .unwrap_or_else(|| PathBuf::from("."));
    std::fs::create_dir_all(&dir).map_err(|e| crate::Error::io("cannot create folder", &dir, e))?;
    let identity = ctx.identity_or_create()?;
    let name = args.name.unwrap_or_else(default_member_name);
    let mut store = Store::init(&dir, identity, &name, &args.recipients)?;
    ctx.pin_created(&mut store)?;
    let git = crate::git::ensure_merge_driver(store.root(), &std::env::current_exe()?, true)?;
    if !git.in_git {
        output::note(
            ctx.global.quiet,
            "After `git init` (or a clone), run `sm doctor` to register sm's merge driver.",
        );
    }
    if ctx.global.json {
        output::json(&serde_json::json!({
            "store": store.root(),
            "id": store.id(),
            "member": name,
            "extra_recipients": store.extra_recipients(),
        }))?;
    } else {
        output::note(
            ctx.global.quiet,
            format!(
                "Created an sm store in {} with you ({name}) as its first member.\nNext: `sm put NAME` to add a secret; to share the store, commit .sm/, secrets/ and .gitattributes (sm's merge driver): {add}",
                store.root().display(),
                add = commit_command(store.root())
            ),
        );
        // Whoever holds these keys reads every value: say so now, not never.
        for recipient in store.extra_recipients() {
            output::note(
                ctx.global.quiet,
                format!("Every value is also encrypted to the extra recipient {recipient}."),
            );
        }
    }
    Ok(0)
}

/// The command that stages a new store for its first commit, run from the
/// current folder (`git add .sm secrets .gitattributes` in the store's own).
fn commit_command(root: &std::path::Path) -> String {
    let here = std::env::current_dir()
        .ok()
        .and_then(|d| d.canonicalize().ok());
    let rel = here.zip(root.canonicalize().ok()).and_then(|(here, root)| {
        root.strip_prefix(&here)
            .ok()
            .map(std::path::Path::to_path_buf)
    });
    let paths: Vec<String> = [".sm", "secrets", ".gitattributes"]
        .iter()
        .map(|p| match &rel {
            Some(rel) if rel.as_os_str().is_empty() => (*p).to_string(),
            Some(rel) => shell_words::quote(&rel.join(p).to_string_lossy()).into_owned(),
            None => shell_words::quote(&root.join(p).to_string_lossy()).into_owned(),
        })
        .collect();
    format!("git add {} && git commit", paths.join(" "))
}
