//! The EXAMPLES section of each man page (see [`super::man`]): what a
//! user types for the common tasks of each command.

/// Examples for a page (by page name, e.g. `sm-put`): (what it does, command).
pub fn examples(page: &str) -> &'static [(&'static str, &'static str)] {
    match page {
        "sm" => &[
            (
                "Create an identity, then a store in the current folder:",
                "sm identity new\nsm init",
            ),
            (
                "Store a secret from standard input and read it back:",
                "printf %s \"$TOKEN\" | sm put prod/api-token --stdin\nsm get prod/api-token",
            ),
            (
                "Run a program with secrets in its environment:",
                "sm exec -s prod/db -- ./server",
            ),
            (
                "Look for plaintext secrets before committing:",
                "sm scan --staged",
            ),
        ],
        "sm-init" => &[
            ("Create a store in the current folder:", "sm init"),
            (
                "Create a store in infra/secrets, also encrypting to a recovery key:",
                "sm init infra/secrets --recipient age1...",
            ),
        ],
        "sm-put" => &[
            ("Prompt for the value (no echo):", "sm put prod/db-password"),
            (
                "Read the value from a pipe, or from a file keeping its exact bytes:",
                "printf %s \"$PW\" | sm put prod/db-password --stdin\nsm put tls/key --file server.key --binary",
            ),
            (
                "Describe and tag a secret:",
                "sm put prod/db-password --stdin --description \"main database\" --tag env=prod",
            ),
        ],
        "sm-get" => &[
            ("Print the current value:", "sm get prod/db-password"),
            (
                "Print one field of a JSON secret, or the previous version:",
                "sm get prod/db#password\nsm get prod/db-password --label previous",
            ),
        ],
        "sm-exec" => &[
            (
                "Run a program with DB_PASSWORD set from prod/db-password:",
                "sm exec -s prod/db-password=DB_PASSWORD -- ./migrate",
            ),
            (
                "One variable per field of a JSON secret, with a prefix:",
                "sm exec -s prod/db:DB_ -- ./server",
            ),
            (
                "Read references from a .env file, with a clean environment:",
                "sm exec --env-file .env --clean-env --keep PATH -- ./server",
            ),
            (
                "Give a program that uses boto3 or an AWS SDK a private endpoint while it runs:",
                "sm exec --serve -- python3 app.py",
            ),
        ],
        "sm-serve" => &[
            (
                "Serve the store's API on loopback and issue credentials for an application:",
                "sm serve &\nsm serve client add app --json",
            ),
            (
                "Point the AWS SDKs, boto3 or aws-cli at it:",
                "export AWS_ENDPOINT_URL_SECRETS_MANAGER=http://127.0.0.1:7780\naws secretsmanager get-secret-value --secret-id prod/myapp/mysql",
            ),
            (
                "Read through the caching agent's API (the token from AWS_TOKEN when the server started):",
                "curl -H \"X-Aws-Parameters-Secrets-Token: $AWS_TOKEN\" 'http://127.0.0.1:2773/secretsmanager/get?secretId=prod/myapp/mysql'",
            ),
        ],
        "sm-serve-client" | "sm-serve-client-add" => &[
            (
                "A client that may only read prod/app/ and below:",
                "sm serve client add app --read 'prod/app/**' --json",
            ),
            (
                "List clients, then revoke one:",
                "sm serve client ls\nsm serve client rm app",
            ),
        ],
        "sm-rotate" => &[
            (
                "Set a hook and a schedule, trust the hook, and rotate now:",
                "sm rotate prod/db --hook ./rotate-db.sh --trust-hook --every 30d",
            ),
            (
                "Run every rotation that is due (e.g. from cron), or list them:",
                "sm rotate --due\nsm rotate --due --dry-run",
            ),
        ],
        "sm-scan" => &[
            (
                "Scan what would be committed (a pre-commit hook):",
                "sm scan --staged",
            ),
            (
                "Scan the whole history, reporting only new findings:",
                "sm scan --history --baseline scan-baseline.json",
            ),
        ],
        "sm-member" | "sm-member-add" => &[
            (
                "The new member prints their member card and sends it:",
                "sm identity show --card",
            ),
            (
                "An admin adds them (re-encrypting what they may read), commits and pushes:",
                "sm member add alice sm-card:v1:...\ngit add .sm secrets && git commit -m 'add alice' && git push",
            ),
            (
                "Add them now, re-encrypt later:",
                "sm member add alice sm-card:v1:... --no-rewrap\nsm rewrap",
            ),
            (
                "Remove a member; sm re-encrypts and lists the secrets to rotate:",
                "sm member rm alice",
            ),
        ],
        "sm-member-rm" => &[(
            "Remove a member; sm re-encrypts and lists the secrets to rotate:",
            "sm member rm alice",
        )],
        "sm-env" => &[(
            "Print a secret's fields as VAR=value lines:",
            "sm env -s prod/db",
        )],
        "sm-ls" => &[("List the secrets under prod/:", "sm ls prod/")],
        "sm-agent" | "sm-agent-start" => &[
            (
                "Unlock a passphrase-protected identity once for the next hour of idle time:",
                "sm agent start --timeout 1h",
            ),
            (
                "Then pipes work without a prompt:",
                "sm gen | sm put app/password",
            ),
            ("Forget the identity now:", "sm agent lock"),
        ],
        "sm-show" => &[
            (
                "Describe a secret: versions, labels, rotation, last access:",
                "sm show prod/db",
            ),
            ("The same as JSON, for scripts:", "sm show prod/db --json"),
        ],
        "sm-versions" => &[
            (
                "List a secret's versions, newest first, with their labels:",
                "sm versions prod/db",
            ),
            (
                "Read an older version by its id:",
                "sm get prod/db --version 0193c1d2-...",
            ),
        ],
        "sm-label" => &[
            (
                "Make an older version current again (the old current becomes previous):",
                "sm label prod/db current --to 0193c1d2-...",
            ),
            (
                "Mark a version for a canary, then remove the mark:",
                "sm label prod/db canary --to 0193c1d2-...\nsm label prod/db canary --remove",
            ),
        ],
        "sm-rollback" => &[(
            "Move current back to the previous version (and previous to the old current):",
            "sm rollback prod/db",
        )],
        "sm-edit" => &[(
            "Edit a secret in $EDITOR (a private file outside the store); saving stores a new version:",
            "sm edit prod/app/config",
        )],
        "sm-tag" => &[(
            "Tag a secret, then list the secrets with that tag:",
            "sm tag prod/db team=payments env=prod\nsm ls --tag team=payments",
        )],
        "sm-untag" => &[("Remove a tag:", "sm untag prod/db team")],
        "sm-describe" => &[(
            "Say what a secret is for (sm show and ListSecrets show it):",
            "sm describe prod/db 'Primary PostgreSQL, app role'",
        )],
        "sm-rm" => &[
            (
                "Schedule a secret's deletion in 30 days (sm restore undoes it):",
                "sm rm prod/old-token --recovery-days 30",
            ),
            (
                "Delete every version now, for good:",
                "sm rm prod/old-token --force",
            ),
        ],
        "sm-restore" => &[("Undo a scheduled deletion:", "sm restore prod/old-token")],
        "sm-purge" => &[(
            "Remove the secrets whose deletion window has passed:",
            "sm purge",
        )],
        "sm-gen" => &[
            ("A 32-character password:", "sm gen"),
            (
                "A password safe in a connection string, stored without being printed:",
                "sm gen --length 40 --exclude-chars '@:/?#' | sm put prod/db/password",
            ),
        ],
        "sm-import" => &[
            (
                "Import a .env file under a prefix:",
                "sm import app.env --prefix prod/app",
            ),
            (
                "Import a JSON object of name to value from standard input, skipping empty values:",
                "sm import - --skip-empty < secrets.json",
            ),
        ],
        "sm-inject" => &[(
            "Render a template whose {{ sm://NAME }} references are replaced by values:",
            "sm inject -i config.tpl -o config.yml",
        )],
        "sm-log" => &[
            (
                "The last 20 entries, verified before they are shown:",
                "sm log -n 20",
            ),
            (
                "Who read a secret this week:",
                "sm log prod/db --op get --since 7d",
            ),
        ],
        "sm-log-verify" => &[(
            "Check every member's log chain and signatures:",
            "sm log verify",
        )],
        "sm-verify" => &[
            (
                "Check the whole store: signatures, hashes, labels, logs, freshness:",
                "sm verify",
            ),
            (
                "Also check every commit of the store's git history:",
                "sm verify --history",
            ),
        ],
        "sm-doctor" => &[
            (
                "Repair what an interrupted command left (torn log lines, scratch files) and register the merge driver:",
                "sm doctor",
            ),
            (
                "Trust the store where it is now, after moving it on purpose:",
                "sm doctor --reset-trust",
            ),
        ],
        "sm-rewrap" => &[(
            "Re-encrypt every secret (or those under a prefix) to the members the rules name:",
            "sm rewrap\nsm rewrap prod/",
        )],
        "sm-access" | "sm-access-set" => &[
            (
                "Only the payments group reads and writes prod/payments/:",
                "sm access set 'prod/payments/**' --read payments --write payments",
            ),
            (
                "Who may read a secret, and which rule says so:",
                "sm access prod/payments/stripe",
            ),
        ],
        "sm-access-rm" => &[(
            "Remove a rule (the secrets fall back to the next rule, or to every member):",
            "sm access rm 'prod/payments/**'",
        )],
        "sm-group" | "sm-group-add" => &[(
            "Put two members in a group, then name it in a rule:",
            "sm group add payments alice bob\nsm access set 'prod/payments/**' --read payments",
        )],
        "sm-group-rm" => &[
            ("Take a member out of a group:", "sm group rm payments bob"),
            ("Remove the whole group:", "sm group rm payments"),
        ],
        "sm-group-ls" => &[("List the groups and their members:", "sm group ls")],
        "sm-member-ls" => &[(
            "List the members and the store's extra recipients:",
            "sm member ls",
        )],
        "sm-member-admin" => &[("Make a member an admin:", "sm member admin alice")],
        "sm-identity" | "sm-identity-new" => &[
            ("Create your identity in the OS keyring:", "sm identity new"),
            (
                "Or in a passphrase-protected file:",
                "sm identity new --file ~/.config/sm/identity.txt --passphrase",
            ),
        ],
        "sm-identity-show" => &[(
            "Print your member card, to send to a store's admin:",
            "sm identity show --card",
        )],
        "sm-identity-export" => &[(
            "Back up your key to a 0600 file (age -d -i reads it):",
            "sm identity export --file ~/backup/sm-identity.txt",
        )],
        "sm-identity-passphrase" => &[(
            "Add or change the passphrase of an identity file:",
            "SM_IDENTITY_FILE=~/.config/sm/identity.txt sm identity passphrase",
        )],
        "sm-agent-status" => &[(
            "Is an agent holding the unlocked identity, and until when:",
            "sm agent status",
        )],
        "sm-agent-lock" => &[(
            "Forget the unlocked identity but keep the agent (the next use asks again):",
            "sm agent lock",
        )],
        "sm-agent-stop" => &[("Stop the agent:", "sm agent stop")],
        "sm-hook" | "sm-hook-install" => &[
            (
                "In an application's repository, check commits against the team store:",
                "sm hook install --store ~/src/team-secrets",
            ),
            (
                "Replace another pre-commit hook:",
                "sm hook install --force",
            ),
        ],
        "sm-hook-uninstall" => &[("Remove sm's pre-commit hook:", "sm hook uninstall")],
        "sm-replica" | "sm-replica-add" => &[(
            "Keep a copy of prod/ for the deploy machines, readable by one member:",
            "sm replica add ../deploy-secrets --members deploy --prefix prod/",
        )],
        "sm-replica-sync" => &[("Bring every replica up to date:", "sm replica sync")],
        "sm-replica-status" => &[("Which replicas are behind:", "sm replica status")],
        "sm-serve-client-ls" => &[("List the API's clients:", "sm serve client ls")],
        "sm-serve-client-rm" => &[(
            "Revoke a client (its next request is refused):",
            "sm serve client rm app",
        )],
        "sm-completions" => &[
            (
                "bash:",
                "sm completions bash > ~/.local/share/bash-completion/completions/sm",
            ),
            (
                "zsh (with fpath=(~/.zfunc $fpath) before compinit):",
                "sm completions zsh > ~/.zfunc/_sm",
            ),
            (
                "fish:",
                "sm completions fish > ~/.config/fish/completions/sm.fish",
            ),
        ],
        "sm-man" => &[(
            "Install the man pages for your user:",
            "sm man ~/.local/share/man/man1",
        )],
        "sm-merge-driver" => &[(
            "Registered by sm init and sm doctor; git runs it for meta.toml as:",
            "sm merge-driver %O %A %B %P",
        )],
        _ => &[],
    }
}
