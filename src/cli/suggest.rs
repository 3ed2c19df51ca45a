//! "Did you mean" for the two things users mistype: a command (`sm gte`)
//! and a secret's name (`sm show prod/dbb`), nearest first. Names come
//! from the files on disk only; nothing is decrypted.

use clap::error::{ContextKind, ContextValue, ErrorKind};

use super::context::Context;
use crate::store::nearest;

/// Replaces clap's suggestions for an unknown command with the nearest
/// visible commands and aliases by edit distance, a swap of two letters
/// counting as one edit (clap's own similarity misses `gte` for `get` and
/// lists the best match last).
pub fn command(err: &mut clap::Error, definition: &mut clap::Command) {
    if err.kind() != ErrorKind::InvalidSubcommand {
        return;
    }
    let Some(ContextValue::String(typed)) = err.get(ContextKind::InvalidSubcommand) else {
        return;
    };
    let typed = typed.clone();
    // The command the word was meant under: `sm member ad` is `member`'s.
    let mut path: Vec<String> = Vec::new();
    let mut leaf: &clap::Command = definition;
    for arg in std::env::args().skip(1) {
        if arg == typed {
            break;
        }
        if let Some(sub) = leaf.find_subcommand(&arg) {
            path.push(sub.get_name().to_string());
            leaf = sub;
        }
    }
    let names: Vec<String> = leaf
        .get_subcommands()
        .filter(|c| !c.is_hide_set())
        .flat_map(|c| {
            std::iter::once(c.get_name().to_string())
                .chain(c.get_visible_aliases().map(str::to_string))
        })
        .collect();
    let near = nearest(&typed, &names);
    match near.as_slice() {
        // Nothing near among the listed commands: no tip (clap's may name
        // a hidden one).
        [] if path.is_empty() => {
            *err = definition
                .error(
                    ErrorKind::InvalidSubcommand,
                    format!("unrecognized subcommand '{typed}'"),
                )
                .format(definition);
        }
        [] => {}
        [one] => {
            err.insert(
                ContextKind::SuggestedSubcommand,
                ContextValue::String(one.clone()),
            );
        }
        _ => {
            err.insert(
                ContextKind::SuggestedSubcommand,
                ContextValue::Strings(near),
            );
        }
    }
}

/// The nearest existing names, as a hint, when `err` says a secret does
/// not exist (`no secret named `NAME``), wherever the command met it.
pub fn secret_names(ctx: &Context, err: &anyhow::Error) -> Option<String> {
    let typed = err.chain().find_map(|e| e.downcast_ref::<crate::Error>())?;
    let crate::Error::NotFound { message, .. } = typed else {
        return None;
    };
    let (_, rest) = message.split_once("no secret named `")?;
    let (name, _) = rest.split_once('`')?;
    let store = ctx.open_store().ok()?;
    let near = store.nearest_names(name);
    if near.is_empty() {
        return None;
    }
    let list = near
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ");
    Some(format!("did you mean {list}? (`sm ls` lists the secrets)"))
}
