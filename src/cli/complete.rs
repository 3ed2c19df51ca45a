//! `sm __complete` (not a listed command): the names the shell completions offer for the
//! word under the cursor: secret names, labels, members and groups, read
//! from the store's metadata only (nothing is decrypted, no identity is
//! needed). The scripts `sm completions SHELL` prints call it.
//!
//! It is given the command line's words and the index of the word being
//! completed. It exits 0 with the candidates (one a line, possibly none)
//! when that word is a secret name, label, member or group, and 1 when it
//! is something else, so the static completion handles it.

use std::collections::BTreeSet;
use std::path::PathBuf;

use super::{Context, GlobalArgs};
use crate::store::Store;

/// The first argument that runs this helper: `sm __complete INDEX -- WORDS...`.
pub const COMMAND: &str = "__complete";

/// What a word of the command line holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Names,
    Labels,
    Members,
    Groups,
    MembersAndGroups,
}

/// Where the word being completed sits: the subcommand path and the
/// option or positional it is a value of.
struct Place {
    kind: Kind,
    current: String,
    /// The value of the secret-name positional, when given.
    secret: Option<String>,
    /// `--store DIR` from the command line.
    store: Option<PathBuf>,
}

/// Runs `sm __complete INDEX -- WORDS...` (the arguments after
/// `__complete`) and returns the exit code: 0 with the candidates printed,
/// 1 when the word is not one this helper completes, 2 on bad arguments.
pub fn main(mut args: impl Iterator<Item = std::ffi::OsString>) -> i32 {
    let Some(index) = args
        .next()
        .and_then(|a| a.to_str().and_then(|s| s.parse::<usize>().ok()))
    else {
        eprintln!("usage: sm __complete INDEX -- WORDS...");
        return 2;
    };
    let words: Vec<String> = args
        .skip_while(|a| a != "--")
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let Some(place) = locate(&words, index) else {
        return 1;
    };
    let ctx = Context::new(GlobalArgs {
        store: place
            .store
            .clone()
            .or_else(|| std::env::var_os("SM_STORE").map(PathBuf::from)),
        identity: None,
        json: false,
        quiet: true,
        no_color: true,
    });
    // A missing or unreadable store offers nothing, quietly.
    let candidates = candidates(&ctx, &place).unwrap_or_default();
    let mut out = String::new();
    for c in candidates.iter().filter(|c| c.starts_with(&place.current)) {
        out.push_str(c);
        out.push('\n');
    }
    let _ = std::io::Write::write_all(&mut std::io::stdout(), out.as_bytes());
    0
}

fn candidates(ctx: &Context, place: &Place) -> anyhow::Result<BTreeSet<String>> {
    let (root, _) = ctx.store_root()?;
    if !crate::store::is_store(&root) {
        return Ok(BTreeSet::new());
    }
    let store = Store::open(&root)?;
    let members = || -> BTreeSet<String> {
        store
            .active_members()
            .map(|m| m.name.clone())
            .collect::<BTreeSet<_>>()
    };
    let groups = || -> BTreeSet<String> {
        store
            .access()
            .file()
            .groups
            .iter()
            .map(|g| g.name.clone())
            .collect()
    };
    Ok(match place.kind {
        Kind::Names => store.list_names()?.into_iter().collect(),
        Kind::Members => members(),
        Kind::Groups => groups(),
        Kind::MembersAndGroups => members().into_iter().chain(groups()).collect(),
        Kind::Labels => {
            let name = place
                .secret
                .as_deref()
                .map(|n| super::get::split_field(n).0);
            let summaries = store.list(|n| name.is_none_or(|want| n == want))?;
            summaries
                .into_iter()
                .filter_map(|s| s.meta.ok())
                .flat_map(|m| m.labels.into_keys())
                .collect()
        }
    })
}

/// Finds what the word at `index` is, from sm's own clap definition; `None`
/// when it is not a name, label, member or group.
fn locate(words: &[String], index: usize) -> Option<Place> {
    let current = words.get(index).cloned().unwrap_or_default();
    let mut cmd = super::command();
    cmd.build();
    let mut path: Vec<String> = Vec::new();
    let mut leaf = &cmd;
    let mut positionals: Vec<String> = Vec::new();
    let mut store = None;
    let mut pending: Option<String> = None;
    let mut after_dashes = false;
    for word in words.iter().take(index).skip(1) {
        if let Some(id) = pending.take() {
            if id == "store" {
                store = Some(PathBuf::from(word));
            }
            continue;
        }
        if after_dashes {
            positionals.push(word.clone());
            continue;
        }
        if word == "--" {
            after_dashes = true;
            continue;
        }
        if word.starts_with('-') && word.len() > 1 {
            if let Some(value) = word.strip_prefix("--store=") {
                store = Some(PathBuf::from(value));
            }
            if let Some(arg) = find_option(leaf, word)
                && !word.contains('=')
                && arg.get_action().takes_values()
            {
                pending = Some(arg.get_id().to_string());
            }
            continue;
        }
        match leaf.find_subcommand(word) {
            Some(sub) if positionals.is_empty() => {
                path.push(sub.get_name().to_string());
                leaf = sub;
            }
            _ => positionals.push(word.clone()),
        }
    }
    if after_dashes && leaf.get_positionals().any(|a| a.is_last_set()) {
        return None;
    }
    let secret = leaf
        .get_positionals()
        .position(|a| a.get_id() == "name")
        .and_then(|i| positionals.get(i))
        .cloned();
    let id = match pending {
        Some(option) => option,
        None if current.starts_with('-') => return None,
        None => {
            let args: Vec<&clap::Arg> = leaf
                .get_positionals()
                .filter(|a| !a.is_last_set())
                .collect();
            let arg = args.get(positionals.len()).or_else(|| {
                args.last()
                    .filter(|a| a.get_num_args().is_some_and(|n| n.max_values() > 1))
            })?;
            arg.get_id().to_string()
        }
    };
    let kind = kind_of(&path, &id)?;
    Some(Place {
        kind,
        current,
        secret,
        store,
    })
}

/// Finds the option a word names (`--long`, `--long=value`, `-s`).
fn find_option<'a>(cmd: &'a clap::Command, word: &str) -> Option<&'a clap::Arg> {
    if let Some(long) = word.strip_prefix("--") {
        let long = long.split('=').next().unwrap_or(long);
        return cmd.get_arguments().find(|a| {
            a.get_long() == Some(long) || a.get_all_aliases().is_some_and(|al| al.contains(&long))
        });
    }
    let short = word.strip_prefix('-')?.chars().last()?;
    cmd.get_arguments().find(|a| a.get_short() == Some(short))
}

/// Maps an argument of a command to what it names.
/// Tells whether `sm __complete` completes the values of the argument
/// `id` of the subcommand at `path`.
pub fn completes(path: &[String], id: &str) -> bool {
    kind_of(path, id).is_some()
}

fn kind_of(path: &[String], id: &str) -> Option<Kind> {
    let top = path.first().map(String::as_str).unwrap_or("");
    Some(match id {
        "name" if matches!(top, "init" | "identity") => return None,
        "name" if matches!(top, "member" | "group") => Kind::Members,
        "name" | "prefix" | "secrets" => Kind::Names,
        "label" | "labels" => Kind::Labels,
        "group" => Kind::Groups,
        "members" | "member" | "actor" => Kind::Members,
        "read" | "write" => Kind::MembersAndGroups,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(line: &str, index: usize) -> Option<Kind> {
        let words: Vec<String> = line.split(' ').map(str::to_string).collect();
        locate(&words, index).map(|p| p.kind)
    }

    #[test]
    fn words_are_located() {
        assert_eq!(kind("sm get pr", 2), Some(Kind::Names));
        assert_eq!(kind("sm --store /s get ", 4), Some(Kind::Names));
        assert_eq!(kind("sm get --label ", 3), Some(Kind::Labels));
        assert_eq!(kind("sm label prod/db ", 3), Some(Kind::Labels));
        assert_eq!(kind("sm member rm ", 3), Some(Kind::Members));
        assert_eq!(kind("sm group add ", 3), Some(Kind::Groups));
        assert_eq!(kind("sm group add ops ", 4), Some(Kind::Members));
        assert_eq!(kind("sm exec -s ", 3), Some(Kind::Names));
        assert_eq!(kind("sm get --", 2), None);
        assert_eq!(kind("sm ", 1), None);
        assert_eq!(kind("sm put x --file ", 4), None);
        assert_eq!(kind("sm exec -s a -- ", 5), None);
    }
}
