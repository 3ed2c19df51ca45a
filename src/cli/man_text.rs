//! The hand-written parts of the man pages: examples per command, exit
//! status, environment and files (`sm man` appends them to clap's sections).

/// Exit codes and their meaning (SPEC section 8).
pub const EXIT_STATUS: &[(&str, &str)] = &[
    ("0", "Success."),
    ("1", "Findings (scan), or an unexpected error."),
    (
        "2",
        "Invalid input: usage, bad name, oversized value, malformed file given by the user.",
    ),
    (
        "3",
        "Not found: secret, version, label, or secret scheduled for deletion.",
    ),
    (
        "4",
        "No access: no identity, wrong passphrase (three times), a passphrase needed and no terminal, not a recipient, unsafe store folder.",
    ),
    (
        "5",
        "Integrity: tampered, forged or corrupt data, broken log chain.",
    ),
    (
        "6",
        "Conflict: lock not obtained in time, rotation in progress, version id reused with another value.",
    ),
    ("7", "A rotation step failed."),
];

/// The JSON OUTPUT section's first paragraph.
pub const JSON_INTRO: &str = "With --json every command that changes or lists something prints \
one JSON document on standard output (notes still go to standard error). Each concept has one \
shape, with its keys always in the order below; labels are always an array of label names; \
times are RFC 3339 UTC strings; a key whose value is unknown is null.";

/// The `--json` shapes, one per concept, and the commands that print them.
pub const JSON_OUTPUT: &[(&str, &str)] = &[
    (
        "secret",
        "{name, description, tags, labels, current_version, created, updated, rotation, \
next_rotation, rotation_due, rotation_missed_window, rotation_failed, purge_after}: tags is an \
object of K to V, rotation the settings object {hook, generate, field, password, schedule, \
window, timeout, configured, last_rotated, pending} (keys that are unset left out) or null. \
An array of them: ls. One: tag, untag, describe, restore, rm (scheduled), rotate \
--no-rotate-now; show adds versions (an array of version) and last_access {time, actor, op}.",
    ),
    (
        "version",
        "{version_id, labels, created, author}: an array of them, newest first: versions.",
    ),
    (
        "secret version",
        "{name, version_id, labels, created?, unchanged?, value | value_base64}: one version of \
a secret with the labels on it now; keys marked ? are there only where they apply. get \
(with created and the value), put and edit (with unchanged), label and rollback (the version \
the label now or last pointed at), rotate --cancel (the dropped version), rotate (adding steps, \
an array of step names, and resumed_at, the step it resumed at or null).",
    ),
    (
        "purged",
        "{name, purged}: a secret deleted for good. rm --force; an array of them: purge.",
    ),
    (
        "member",
        "{name, kind, recipient, signing_key, admin, added_by, removed}: kind is \"member\" or \
\"extra_recipient\" (then name, signing_key and added_by are null). An array: member ls; one: \
member admin. member add prints {member, secrets, rewrap}: the record, the secrets it \
may read and the rewrap report. member rm prints {removed, rotate, rotations, rewrap}: the name, \
the secrets to rotate, [{name, outcome}] and the rewrap report.",
    ),
    (
        "group",
        "{name, members}: an array of them (every group after the change): group ls, group add, \
group rm.",
    ),
    (
        "access",
        "{groups, rules}: every group and rule {glob, read, write} (after the change): access, \
access set, access rm. access NAME prints {name, read, write} (each {members, rule}); access \
--member M an array of {name, read, write, rule}.",
    ),
    (
        "reports",
        "import: {imported, unchanged, skipped, failed} (counts); rewrap and member rm: \
{secrets, rewrapped, resigned, up_to_date, skipped}; verify: {ok, secrets, versions, \
log_entries, problems, stale}; doctor: its repairs; replica add: the replica entry; replica \
sync: an array of per-replica reports; replica status: an array of {path, name, labels}; \
rotate --due: an array of {name, action, ...}; log: an array of log entries; log verify: {ok, \
entries, problems}; init and identity show: their records.",
    ),
];

/// Environment variables sm reads.
pub const ENVIRONMENT: &[(&str, &str)] = &[
    ("SM_STORE", "The store folder, as --store DIR."),
    ("SM_IDENTITY_FILE", "The identity file, as --identity FILE."),
    (
        "SM_IDENTITY",
        "The identity itself (the key text), used when no identity file is given; never passed on to programs sm exec runs.",
    ),
    (
        "SM_NO_KEYRING",
        "Set to 1 to never use the OS keyring for the identity.",
    ),
    ("SM_NO_CACHE", "Set to 1 to turn off the read cache."),
    (
        "SM_CEILING_DIRECTORIES",
        "Colon-separated folders the search for a store (the nearest parent holding .sm/) never enters, as GIT_CEILING_DIRECTORIES.",
    ),
    (
        "SM_LOCK_TIMEOUT",
        "Seconds a writer waits for a lock before exiting 6 (default 30).",
    ),
    (
        "SM_NOW",
        "An RFC 3339 time to evaluate rotation schedules and deletion windows at, instead of the clock.",
    ),
    (
        "SM_MEMBER",
        "The member name sm init gives you (default $USER, else owner).",
    ),
    (
        "AWS_TOKEN, AWS_SESSION_TOKEN, AWS_CONTAINER_AUTHORIZATION_TOKEN",
        "sm serve: the token the caching agent's API requires in X-Aws-Parameters-Secrets-Token (the first one set; a file://PATH value names a file holding it); with none set the agent API is off.",
    ),
    ("NO_COLOR", "Do not color output, as --no-color."),
    (
        "CLICOLOR_FORCE",
        "Color output even when it is not a terminal (unless set to 0; NO_COLOR and --no-color win).",
    ),
    ("VISUAL, EDITOR", "The editor sm edit runs ($VISUAL first)."),
    (
        "XDG_RUNTIME_DIR",
        "Where rotation hooks are copied before they run, when it is yours and private; the agent's socket is sm/agent.sock there (else /tmp/sm-<uid>/agent.sock).",
    ),
];

/// Files and folders sm uses (<config dir> is ~/.config/sm on Linux, ~/Library/Application Support/sm on macOS).
pub const FILES: &[(&str, &str)] = &[
    (
        "<config dir>/identity.txt",
        "Your identity when it is not in the OS keyring.",
    ),
    (
        "<config dir>/config.toml",
        "User settings: safe_stores lists store folders trusted even when not owned by you (\"*\" allows all).",
    ),
    (
        "<config dir>/known_stores.toml",
        "Each store used on this machine and its root key, pinned on first use like ssh's known_hosts: a store whose root key changes is refused.",
    ),
    (
        "<config dir>/trusted_hooks.toml",
        "The rotation hooks trusted on this machine, by content hash.",
    ),
    (
        "<config dir>/serve-clients.toml",
        "The clients of sm serve: names, access key ids, secret keys and name globs (0600).",
    ),
    (
        "$XDG_RUNTIME_DIR/sm/agent.sock",
        "The socket of sm agent (else /tmp/sm-<uid>/agent.sock), 0600 in a 0700 folder of yours; sm uses no agent folder that others may enter.",
    ),
    (
        "<cache dir>",
        "The read cache (~/.cache/sm on Linux), sealed under a key derived from the identity; safe to delete.",
    ),
    (
        "<data dir>/store",
        "Your personal store, used when no other store is found (~/.local/share/sm/store on Linux).",
    ),
    (
        "<store>/.sm/store.toml",
        "The store id, format version, recipient rules and settings.",
    ),
    (
        "<store>/.sm/members.toml",
        "The members: name, age recipient, signing key.",
    ),
    (
        "<store>/.sm/log/",
        "The signed, hash-chained access log, one append-only file per member and device.",
    ),
    (
        "<store>/secrets/<name>.secret/",
        "One secret: meta.toml (description, tags, labels, rotation) and versions/<id>.age (ciphertext, decryptable with age -d) with versions/<id>.toml (signed record).",
    ),
];
