//! `sm completions`: print shell completions. Commands, options and fixed
//! values come from clap's generated scripts; for bash, zsh and fish a
//! short addition asks `sm __complete` (see [`super::complete`]) for
//! secret names, labels, members and groups, read from metadata only.

use clap::Args;
use clap_complete::Shell;

use super::{CmdResult, Context};

/// Print shell completions (bash, zsh, fish, elvish, powershell)
///
/// bash, zsh and fish also complete secret names, labels, members and
/// groups from the store in scope (metadata only: nothing is decrypted and
/// no identity is needed). Install: bash `sm completions bash >
/// ~/.local/share/bash-completion/completions/sm`; zsh `sm completions zsh
/// > ~/.zfunc/_sm` with `fpath=(~/.zfunc $fpath)` before `compinit`; fish
/// `sm completions fish > ~/.config/fish/completions/sm.fish`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: Shell,
}

/// bash: answer from `sm __complete` when it knows the word, else from the
/// generated `_sm`.
const BASH: &str = r#"
__sm_dynamic() {
    local out
    if out=$(command sm __complete "$COMP_CWORD" -- "${COMP_WORDS[@]}" 2>/dev/null); then
        compopt +o default +o bashdefault 2>/dev/null
        local IFS=$'\n'
        COMPREPLY=( $out )
        return 0
    fi
    _sm "$@"
}

if [[ "${BASH_VERSINFO[0]}" -eq 4 && "${BASH_VERSINFO[1]}" -ge 4 || "${BASH_VERSINFO[0]}" -gt 4 ]]; then
    complete -F __sm_dynamic -o nosort -o bashdefault -o default sm
else
    complete -F __sm_dynamic -o bashdefault -o default sm
fi
"#;

/// zsh: run first inside the generated `_sm`.
const ZSH: &str = r#"__sm_dynamic() {
    local out
    out=$(command sm __complete $((CURRENT - 1)) -- "${words[@]}" 2>/dev/null) || return 1
    local -a candidates
    candidates=(${(f)out})
    compadd -Q -- "${candidates[@]}"
    return 0
}

"#;

/// fish: a completion that applies where `sm __complete` knows the word.
const FISH: &str = r#"
function __sm_dynamic
    set -l words (commandline -opc)
    set -l cur (commandline -ct)
    command sm __complete (count $words) -- $words "$cur" 2>/dev/null
end
function __sm_dynamic_applies
    __sm_dynamic >/dev/null
end
complete -c sm -n __sm_dynamic_applies -f -a '(__sm_dynamic)'
"#;

/// Returns the completion script for `shell`.
pub fn script(shell: Shell) -> String {
    let mut cmd = super::command();
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, "sm", &mut buf);
    let text = String::from_utf8_lossy(&buf).into_owned();
    match shell {
        Shell::Bash => text + BASH,
        Shell::Fish => fish_option_values(&text, &cmd) + FISH,
        Shell::Zsh => text.replacen(
            "_sm() {\n",
            &format!("{ZSH}_sm() {{\n    __sm_dynamic && return 0\n"),
            1,
        ),
        _ => text,
    }
}

/// fish completes an option's value only from that option's own entries,
/// so the options whose values are names, labels, members or groups (the
/// ones `sm __complete` knows, e.g. `exec -s`, `get --label`) get
/// `-f -a '(__sm_dynamic)'` on their generated lines.
fn fish_option_values(text: &str, cmd: &clap::Command) -> String {
    let mut out = String::with_capacity(text.len() + 4096);
    for line in text.lines() {
        out.push_str(line);
        if line.ends_with(" -r") && fish_dynamic_option(line, cmd) {
            out.push_str(" -f -a '(__sm_dynamic)'");
        }
        out.push('\n');
    }
    out
}

/// Tells whether a generated fish line is for an option whose value
/// `sm __complete` completes: its subcommand path from the `-n`
/// condition, its long name from `-l`.
fn fish_dynamic_option(line: &str, cmd: &clap::Command) -> bool {
    let word_after = |marker: &str| -> Option<&str> {
        let (_, rest) = line.split_once(marker)?;
        rest.split([' ', '"', ';']).next()
    };
    let Some(long) = word_after(" -l ") else {
        return false;
    };
    let mut path: Vec<String> = Vec::new();
    if let Some(top) = word_after("__fish_sm_using_subcommand ") {
        path.push(top.to_string());
        if let Some(sub) = word_after("; and __fish_seen_subcommand_from ") {
            path.push(sub.to_string());
        }
    }
    let mut leaf = cmd;
    for name in &path {
        match leaf.find_subcommand(name) {
            Some(sub) => leaf = sub,
            None => return false,
        }
    }
    leaf.get_arguments()
        .find(|a| a.get_long() == Some(long))
        .is_some_and(|a| super::complete::completes(&path, a.get_id().as_str()))
}

pub fn run(_ctx: &Context, args: CompletionsArgs) -> CmdResult {
    print!("{}", script(args.shell));
    Ok(0)
}
