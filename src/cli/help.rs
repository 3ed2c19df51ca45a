//! The top-level help's command list: every command with its one-line
//! description, grouped the way a user thinks. The subcommands' own
//! definitions are deferred (start-up speed), so clap cannot list their
//! descriptions; this static table does, and a test checks it against the
//! real definitions so it cannot drift.

use clap::builder::StyledStr;
use clap::builder::styling::Styles;

/// The command groups: heading, then (command, description). Each
/// description is the start of that command's `about`.
pub const GROUPS: &[(&str, &[(&str, &str)])] = &[
    (
        "Secrets",
        &[
            ("put", "Create a secret or add a new version of it"),
            ("get", "Print a secret's value"),
            (
                "ls",
                "List secrets with their current version time, labels and rotation",
            ),
            (
                "show",
                "Describe a secret: description, tags, versions and labels, rotation",
            ),
            (
                "versions",
                "List a secret's versions, newest first, with labels, author and time",
            ),
            (
                "edit",
                "Edit a secret's current value in $VISUAL or $EDITOR",
            ),
            ("label", "Move a label to a version, or remove it"),
            ("rollback", "Make the `previous` version current again"),
            ("tag", "Set tags on a secret"),
            ("untag", "Remove tags from a secret"),
            ("describe", "Set a secret's description"),
            (
                "rm",
                "Schedule a secret's deletion (reads fail meanwhile), or delete it now",
            ),
            ("restore", "Cancel a secret's scheduled deletion"),
            (
                "purge",
                "Remove the secrets whose deletion recovery window has passed",
            ),
            (
                "import",
                "Create secrets from a .env file or a JSON object of name to value",
            ),
            ("gen", "Print a random password from the OS CSPRNG"),
        ],
    ),
    (
        "Programs",
        &[
            (
                "exec",
                "Run a program with secrets as environment variables",
            ),
            (
                "env",
                "Print secrets as variables: a .env file, shell exports or JSON",
            ),
            ("inject", "Render a template"),
            (
                "serve",
                "Serve the cloud service's API and its caching agent's API to applications",
            ),
        ],
    ),
    (
        "Rotation",
        &[(
            "rotate",
            "Rotate a secret through its hook, configure its schedule",
        )],
    ),
    (
        "Scanning",
        &[
            ("scan", "Find plaintext secrets"),
            (
                "hook",
                "Install or remove the git pre-commit hook that runs `sm scan --staged`",
            ),
        ],
    ),
    (
        "Team",
        &[
            (
                "identity",
                "Create or show your identity (age key and signing key)",
            ),
            (
                "agent",
                "Hold your unlocked identity in memory for a while, so the passphrase is asked once",
            ),
            (
                "member",
                "Manage the store's members (who can read, whose signatures count)",
            ),
            ("access", "Show or change who may read and write secrets"),
            (
                "group",
                "Manage groups of members for access rules (admins only; signed)",
            ),
            (
                "rewrap",
                "Re-encrypt labelled versions to the recipients the access rules name now",
            ),
            (
                "replica",
                "Keep read-only replicas of this store, re-encrypted to their own members",
            ),
        ],
    ),
    (
        "Store",
        &[
            (
                "init",
                "Create a store; you become its first member and admin",
            ),
            (
                "log",
                "Read the access log (every member's file, merged in time order), or verify it",
            ),
            (
                "verify",
                "Check the whole store: signatures, hashes, labels and log chains",
            ),
            (
                "doctor",
                "Find and remove the leftovers of interrupted writes",
            ),
            (
                "merge-driver",
                "Merge concurrent changes to a secret's meta.toml (run by git)",
            ),
            (
                "completions",
                "Print shell completions (bash, zsh, fish, elvish, powershell)",
            ),
            (
                "man",
                "Write man pages (sm.1 and one per subcommand) into DIR",
            ),
        ],
    ),
];

/// The aliases users bring from other tools, shown after the command.
pub const ALIASES: &[(&str, &str)] = &[
    ("ls", "list"),
    ("versions", "history"),
    ("rm", "delete, remove"),
    ("gen", "generate"),
];

/// The help template of `sm`: clap's usage and options, with the grouped
/// command list in place of clap's bare one.
pub fn template() -> StyledStr {
    let styles = Styles::default();
    let (head, lit) = (styles.get_header(), styles.get_literal());
    let width = GROUPS
        .iter()
        .flat_map(|(_, cmds)| cmds.iter().map(|(n, _)| n.len()))
        .max()
        .unwrap_or(0);
    let mut text = String::from("{before-help}{about-with-newline}\n{usage-heading} {usage}\n");
    for (heading, cmds) in GROUPS {
        text.push_str(&format!("\n{head}{heading} commands:{head:#}\n"));
        for (name, about) in *cmds {
            let pad = " ".repeat(width - name.len() + 2);
            let alias = ALIASES
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, a)| format!(" [aliases: {a}]"))
                .unwrap_or_default();
            text.push_str(&format!("  {lit}{name}{lit:#}{pad}{about}{alias}\n"));
        }
    }
    text.push_str(&format!("  {lit}help{lit:#}"));
    text.push_str(&" ".repeat(width - 4 + 2));
    text.push_str("Print this message or the help of the given subcommand(s)\n");
    text.push_str(&format!(
        "\n{head}Options:{head:#}\n{{options}}{{after-help}}"
    ));
    StyledStr::from(text)
}

#[cfg(test)]
mod tests {
    use super::GROUPS;

    /// Every real subcommand is in the table once, and each description is
    /// the start of the command's own `about`.
    #[test]
    fn table_matches_the_subcommands() {
        let mut cmd = super::super::command();
        cmd.build();
        let mut listed: Vec<&str> = GROUPS
            .iter()
            .flat_map(|(_, c)| c.iter().map(|(n, _)| *n))
            .collect();
        for (_, cmds) in GROUPS {
            for (name, about) in *cmds {
                let sub = cmd
                    .find_subcommand(name)
                    .unwrap_or_else(|| panic!("no command {name}"));
                let real = sub.get_about().map(ToString::to_string).unwrap_or_default();
                assert!(
                    real.starts_with(about),
                    "{name}: table {about:?}, about {real:?}"
                );
            }
        }
        for (name, aliases) in super::ALIASES {
            let sub = cmd.find_subcommand(name).unwrap();
            let real: Vec<&str> = sub.get_visible_aliases().collect();
            assert_eq!(real.join(", "), *aliases, "{name}");
        }
        let mut real: Vec<&str> = cmd
            .get_subcommands()
            .filter(|c| !c.is_hide_set())
            .map(clap::Command::get_name)
            .filter(|n| *n != "help")
            .collect();
        listed.sort_unstable();
        real.sort_unstable();
        assert_eq!(listed, real);
    }
}
