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
        Shell::Fish => text + FISH,
        Shell::Zsh => text.replacen(
            "_sm() {\n",
            &format!("{ZSH}_sm() {{\n    __sm_dynamic && return 0\n"),
            1,
        ),
        _ => text,
    }
}

pub fn run(_ctx: &Context, args: CompletionsArgs) -> CmdResult {
    print!("{}", script(args.shell));
    Ok(0)
}
