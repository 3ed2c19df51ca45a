# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_sm_global_optspecs
    string join \n store= identity= json q/quiet no-color h/help V/version
end

function __fish_sm_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_sm_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_sm_using_subcommand
    set -l cmd (__fish_sm_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c sm -n "__fish_sm_needs_command" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_needs_command" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_needs_command" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_needs_command" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_needs_command" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sm -n "__fish_sm_needs_command" -s V -l version -d 'Print version'
complete -c sm -n "__fish_sm_needs_command" -f -a "init" -d 'Create a store; you become its first member and admin'
complete -c sm -n "__fish_sm_needs_command" -f -a "identity" -d 'Create or show your identity (age key and signing key)'
complete -c sm -n "__fish_sm_needs_command" -f -a "agent" -d 'Hold your unlocked identity in memory for a while, so the passphrase is asked once'
complete -c sm -n "__fish_sm_needs_command" -f -a "put" -d 'Create a secret or add a new version of it'
complete -c sm -n "__fish_sm_needs_command" -f -a "get" -d 'Print a secret\'s value (exact bytes; a newline is added only on a terminal)'
complete -c sm -n "__fish_sm_needs_command" -f -a "ls" -d 'List secrets with their current version time, labels and rotation'
complete -c sm -n "__fish_sm_needs_command" -f -a "list" -d 'List secrets with their current version time, labels and rotation'
complete -c sm -n "__fish_sm_needs_command" -f -a "show" -d 'Describe a secret: description, tags, versions and labels, rotation, deletion, last access'
complete -c sm -n "__fish_sm_needs_command" -f -a "versions" -d 'List a secret\'s versions, newest first, with labels, author and time'
complete -c sm -n "__fish_sm_needs_command" -f -a "history" -d 'List a secret\'s versions, newest first, with labels, author and time'
complete -c sm -n "__fish_sm_needs_command" -f -a "label" -d 'Move a label to a version, or remove it'
complete -c sm -n "__fish_sm_needs_command" -f -a "rollback" -d 'Make the `previous` version current again (the current one becomes previous)'
complete -c sm -n "__fish_sm_needs_command" -f -a "edit" -d 'Edit a secret\'s current value in $VISUAL or $EDITOR; saved as a new version'
complete -c sm -n "__fish_sm_needs_command" -f -a "tag" -d 'Set tags on a secret'
complete -c sm -n "__fish_sm_needs_command" -f -a "untag" -d 'Remove tags from a secret'
complete -c sm -n "__fish_sm_needs_command" -f -a "describe" -d 'Set a secret\'s description'
complete -c sm -n "__fish_sm_needs_command" -f -a "rm" -d 'Schedule a secret\'s deletion (reads fail meanwhile), or delete it now'
complete -c sm -n "__fish_sm_needs_command" -f -a "delete" -d 'Schedule a secret\'s deletion (reads fail meanwhile), or delete it now'
complete -c sm -n "__fish_sm_needs_command" -f -a "remove" -d 'Schedule a secret\'s deletion (reads fail meanwhile), or delete it now'
complete -c sm -n "__fish_sm_needs_command" -f -a "restore" -d 'Cancel a secret\'s scheduled deletion'
complete -c sm -n "__fish_sm_needs_command" -f -a "purge" -d 'Remove the secrets whose deletion recovery window has passed'
complete -c sm -n "__fish_sm_needs_command" -f -a "gen" -d 'Print a random password from the OS CSPRNG'
complete -c sm -n "__fish_sm_needs_command" -f -a "generate" -d 'Print a random password from the OS CSPRNG'
complete -c sm -n "__fish_sm_needs_command" -f -a "import" -d 'Create secrets from a .env file or a JSON object of name to value, in one run'
complete -c sm -n "__fish_sm_needs_command" -f -a "log" -d 'Read the access log (every member\'s file, merged in time order), or verify it'
complete -c sm -n "__fish_sm_needs_command" -f -a "verify" -d 'Check the whole store: signatures, hashes, labels and log chains (exit 5 on any problem); needs no identity'
complete -c sm -n "__fish_sm_needs_command" -f -a "member" -d 'Manage the store\'s members (who can read, whose signatures count)'
complete -c sm -n "__fish_sm_needs_command" -f -a "doctor" -d 'Find and remove the leftovers of interrupted writes (temp files, orphan ciphertexts, unfinished rewraps, torn log lines) and of killed `sm edit` runs (their scratch folders), and register sm\'s git merge driver; changes nothing in a store holding links or special files'
complete -c sm -n "__fish_sm_needs_command" -f -a "completions" -d 'Print shell completions (bash, zsh, fish, elvish, powershell)'
complete -c sm -n "__fish_sm_needs_command" -f -a "man" -d 'Write man pages (sm.1 and one per subcommand) into DIR'
complete -c sm -n "__fish_sm_needs_command" -f -a "exec" -d 'Run a program with secrets as environment variables'
complete -c sm -n "__fish_sm_needs_command" -f -a "env" -d 'Print secrets as variables: a .env file, shell exports or JSON'
complete -c sm -n "__fish_sm_needs_command" -f -a "inject" -d 'Render a template, replacing each {{ sm://NAME[#field] }} with its value'
complete -c sm -n "__fish_sm_needs_command" -f -a "rotate" -d 'Rotate a secret through its hook, configure its schedule, or run every rotation that is due'
complete -c sm -n "__fish_sm_needs_command" -f -a "scan" -d 'Find plaintext secrets: this store\'s values (also base64, hex and URL-encoded), credential formats, and plaintext inside the store'
complete -c sm -n "__fish_sm_needs_command" -f -a "hook" -d 'Install or remove the git pre-commit hook that runs `sm scan --staged`'
complete -c sm -n "__fish_sm_needs_command" -f -a "access" -d 'Show or change who may read and write secrets'
complete -c sm -n "__fish_sm_needs_command" -f -a "group" -d 'Manage groups of members for access rules (admins only; signed)'
complete -c sm -n "__fish_sm_needs_command" -f -a "rewrap" -d 'Re-encrypt labelled versions to the recipients the access rules name now'
complete -c sm -n "__fish_sm_needs_command" -f -a "merge-driver" -d 'Merge concurrent changes to a secret\'s meta.toml (run by git)'
complete -c sm -n "__fish_sm_needs_command" -f -a "replica" -d 'Keep read-only replicas of this store, re-encrypted to their own members'
complete -c sm -n "__fish_sm_needs_command" -f -a "serve" -d 'Serve the cloud service\'s API and its caching agent\'s API to applications'
complete -c sm -n "__fish_sm_needs_command" -f -a "__api" -d 'Run one operation of the local API (request on stdin, answer on stdout)'
complete -c sm -n "__fish_sm_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c sm -n "__fish_sm_using_subcommand init" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand init" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand init" -l recipient -d 'Also encrypt every value to R (age1… or an SSH public key); repeatable' -r
complete -c sm -n "__fish_sm_using_subcommand init" -l name -d 'Your member name (default: $SM_MEMBER, else $USER)' -r
complete -c sm -n "__fish_sm_using_subcommand init" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand init" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand init" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sm -n "__fish_sm_using_subcommand identity; and not __fish_seen_subcommand_from new show export passphrase help" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand identity; and not __fish_seen_subcommand_from new show export passphrase help" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand identity; and not __fish_seen_subcommand_from new show export passphrase help" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand identity; and not __fish_seen_subcommand_from new show export passphrase help" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand identity; and not __fish_seen_subcommand_from new show export passphrase help" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand identity; and not __fish_seen_subcommand_from new show export passphrase help" -s h -l help -d 'Print help'
complete -c sm -n "__fish_sm_using_subcommand identity; and not __fish_seen_subcommand_from new show export passphrase help" -f -a "new" -d 'Create an identity (in the OS keyring unless --file or SM_NO_KEYRING=1)'
complete -c sm -n "__fish_sm_using_subcommand identity; and not __fish_seen_subcommand_from new show export passphrase help" -f -a "show" -d 'Print your age recipient and signing key, for `sm member add`'
complete -c sm -n "__fish_sm_using_subcommand identity; and not __fish_seen_subcommand_from new show export passphrase help" -f -a "export" -d 'Export the identity\'s secret key, for a backup'
complete -c sm -n "__fish_sm_using_subcommand identity; and not __fish_seen_subcommand_from new show export passphrase help" -f -a "passphrase" -d 'Add or change the passphrase of your identity file (asked on the terminal twice; the old one first when it has one)'
complete -c sm -n "__fish_sm_using_subcommand identity; and not __fish_seen_subcommand_from new show export passphrase help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c sm -n "__fish_sm_using_subcommand identity; and __fish_seen_subcommand_from new" -l file -d 'Write the identity to FILE (mode 0600) instead of the keyring' -r -F
complete -c sm -n "__fish_sm_using_subcommand identity; and __fish_seen_subcommand_from new" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand identity; and __fish_seen_subcommand_from new" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand identity; and __fish_seen_subcommand_from new" -l passphrase -d 'Protect the identity file with a passphrase (asked twice)'
complete -c sm -n "__fish_sm_using_subcommand identity; and __fish_seen_subcommand_from new" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand identity; and __fish_seen_subcommand_from new" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand identity; and __fish_seen_subcommand_from new" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand identity; and __fish_seen_subcommand_from new" -s h -l help -d 'Print help'
complete -c sm -n "__fish_sm_using_subcommand identity; and __fish_seen_subcommand_from show" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand identity; and __fish_seen_subcommand_from show" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand identity; and __fish_seen_subcommand_from show" -l card -d 'Print both as one "member card" string (sm-card:v1:…), which `sm member add NAME CARD` accepts'
complete -c sm -n "__fish_sm_using_subcommand identity; and __fish_seen_subcommand_from show" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand identity; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand identity; and __fish_seen_subcommand_from show" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand identity; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c sm -n "__fish_sm_using_subcommand identity; and __fish_seen_subcommand_from export" -l file -d 'Write the key to this new file (mode 0600) instead of the terminal' -r -F
complete -c sm -n "__fish_sm_using_subcommand identity; and __fish_seen_subcommand_from export" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand identity; and __fish_seen_subcommand_from export" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand identity; and __fish_seen_subcommand_from export" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand identity; and __fish_seen_subcommand_from export" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand identity; and __fish_seen_subcommand_from export" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand identity; and __fish_seen_subcommand_from export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sm -n "__fish_sm_using_subcommand identity; and __fish_seen_subcommand_from passphrase" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand identity; and __fish_seen_subcommand_from passphrase" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand identity; and __fish_seen_subcommand_from passphrase" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand identity; and __fish_seen_subcommand_from passphrase" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand identity; and __fish_seen_subcommand_from passphrase" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand identity; and __fish_seen_subcommand_from passphrase" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sm -n "__fish_sm_using_subcommand identity; and __fish_seen_subcommand_from help" -f -a "new" -d 'Create an identity (in the OS keyring unless --file or SM_NO_KEYRING=1)'
complete -c sm -n "__fish_sm_using_subcommand identity; and __fish_seen_subcommand_from help" -f -a "show" -d 'Print your age recipient and signing key, for `sm member add`'
complete -c sm -n "__fish_sm_using_subcommand identity; and __fish_seen_subcommand_from help" -f -a "export" -d 'Export the identity\'s secret key, for a backup'
complete -c sm -n "__fish_sm_using_subcommand identity; and __fish_seen_subcommand_from help" -f -a "passphrase" -d 'Add or change the passphrase of your identity file (asked on the terminal twice; the old one first when it has one)'
complete -c sm -n "__fish_sm_using_subcommand identity; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c sm -n "__fish_sm_using_subcommand agent; and not __fish_seen_subcommand_from start stop lock status serve help" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand agent; and not __fish_seen_subcommand_from start stop lock status serve help" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand agent; and not __fish_seen_subcommand_from start stop lock status serve help" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand agent; and not __fish_seen_subcommand_from start stop lock status serve help" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand agent; and not __fish_seen_subcommand_from start stop lock status serve help" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand agent; and not __fish_seen_subcommand_from start stop lock status serve help" -s h -l help -d 'Print help'
complete -c sm -n "__fish_sm_using_subcommand agent; and not __fish_seen_subcommand_from start stop lock status serve help" -f -a "start" -d 'Start the agent (if needed) and unlock your identity in it; the passphrase is asked once, on the terminal'
complete -c sm -n "__fish_sm_using_subcommand agent; and not __fish_seen_subcommand_from start stop lock status serve help" -f -a "stop" -d 'End the agent (it forgets the identity)'
complete -c sm -n "__fish_sm_using_subcommand agent; and not __fish_seen_subcommand_from start stop lock status serve help" -f -a "lock" -d 'Make the agent forget the identity; it keeps running, and `sm agent start` unlocks it again'
complete -c sm -n "__fish_sm_using_subcommand agent; and not __fish_seen_subcommand_from start stop lock status serve help" -f -a "status" -d 'Say whether the agent runs, holds the identity, and how long it has been idle (exit 3 when it does not run)'
complete -c sm -n "__fish_sm_using_subcommand agent; and not __fish_seen_subcommand_from start stop lock status serve help" -f -a "serve" -d 'Run the agent in this process (what `start` launches, detached)'
complete -c sm -n "__fish_sm_using_subcommand agent; and not __fish_seen_subcommand_from start stop lock status serve help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c sm -n "__fish_sm_using_subcommand agent; and __fish_seen_subcommand_from start" -l timeout -d 'End after this long without use: 90s, 15m, 2h (at most 8h)' -r
complete -c sm -n "__fish_sm_using_subcommand agent; and __fish_seen_subcommand_from start" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand agent; and __fish_seen_subcommand_from start" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand agent; and __fish_seen_subcommand_from start" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand agent; and __fish_seen_subcommand_from start" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand agent; and __fish_seen_subcommand_from start" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand agent; and __fish_seen_subcommand_from start" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sm -n "__fish_sm_using_subcommand agent; and __fish_seen_subcommand_from stop" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand agent; and __fish_seen_subcommand_from stop" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand agent; and __fish_seen_subcommand_from stop" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand agent; and __fish_seen_subcommand_from stop" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand agent; and __fish_seen_subcommand_from stop" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand agent; and __fish_seen_subcommand_from stop" -s h -l help -d 'Print help'
complete -c sm -n "__fish_sm_using_subcommand agent; and __fish_seen_subcommand_from lock" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand agent; and __fish_seen_subcommand_from lock" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand agent; and __fish_seen_subcommand_from lock" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand agent; and __fish_seen_subcommand_from lock" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand agent; and __fish_seen_subcommand_from lock" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand agent; and __fish_seen_subcommand_from lock" -s h -l help -d 'Print help'
complete -c sm -n "__fish_sm_using_subcommand agent; and __fish_seen_subcommand_from status" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand agent; and __fish_seen_subcommand_from status" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand agent; and __fish_seen_subcommand_from status" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand agent; and __fish_seen_subcommand_from status" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand agent; and __fish_seen_subcommand_from status" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand agent; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help'
complete -c sm -n "__fish_sm_using_subcommand agent; and __fish_seen_subcommand_from serve" -l socket -d 'The socket to listen on' -r -F
complete -c sm -n "__fish_sm_using_subcommand agent; and __fish_seen_subcommand_from serve" -l timeout -d 'The idle timeout' -r
complete -c sm -n "__fish_sm_using_subcommand agent; and __fish_seen_subcommand_from serve" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand agent; and __fish_seen_subcommand_from serve" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand agent; and __fish_seen_subcommand_from serve" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand agent; and __fish_seen_subcommand_from serve" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand agent; and __fish_seen_subcommand_from serve" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand agent; and __fish_seen_subcommand_from serve" -s h -l help -d 'Print help'
complete -c sm -n "__fish_sm_using_subcommand agent; and __fish_seen_subcommand_from help" -f -a "start" -d 'Start the agent (if needed) and unlock your identity in it; the passphrase is asked once, on the terminal'
complete -c sm -n "__fish_sm_using_subcommand agent; and __fish_seen_subcommand_from help" -f -a "stop" -d 'End the agent (it forgets the identity)'
complete -c sm -n "__fish_sm_using_subcommand agent; and __fish_seen_subcommand_from help" -f -a "lock" -d 'Make the agent forget the identity; it keeps running, and `sm agent start` unlocks it again'
complete -c sm -n "__fish_sm_using_subcommand agent; and __fish_seen_subcommand_from help" -f -a "status" -d 'Say whether the agent runs, holds the identity, and how long it has been idle (exit 3 when it does not run)'
complete -c sm -n "__fish_sm_using_subcommand agent; and __fish_seen_subcommand_from help" -f -a "serve" -d 'Run the agent in this process (what `start` launches, detached)'
complete -c sm -n "__fish_sm_using_subcommand agent; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c sm -n "__fish_sm_using_subcommand put" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand put" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand put" -l file -d 'Read the value from FILE' -r -F
complete -c sm -n "__fish_sm_using_subcommand put" -l length -d 'Password length, 1 to 4096 [default: 32]' -r
complete -c sm -n "__fish_sm_using_subcommand put" -l exclude-chars -d 'Never use these characters in the password' -r
complete -c sm -n "__fish_sm_using_subcommand put" -l description -d 'Set the description' -r
complete -c sm -n "__fish_sm_using_subcommand put" -l tag -d 'Set a tag; repeatable' -r
complete -c sm -n "__fish_sm_using_subcommand put" -l version-id -d 'Use this version id; retrying with the same id and value is a no-op' -r
complete -c sm -n "__fish_sm_using_subcommand put" -l label -d 'Give the new version this label instead of `current`; repeatable' -r -f -a '(__sm_dynamic)'
complete -c sm -n "__fish_sm_using_subcommand put" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand put" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand put" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand put" -l stdin -d 'Read the value from standard input'
complete -c sm -n "__fish_sm_using_subcommand put" -l generate -d 'Store a generated password (never printed; shaped by the options below)'
complete -c sm -n "__fish_sm_using_subcommand put" -l no-numbers -d 'No digits in the password'
complete -c sm -n "__fish_sm_using_subcommand put" -l no-punctuation -d 'No punctuation in the password (!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~)'
complete -c sm -n "__fish_sm_using_subcommand put" -l no-uppercase -d 'No uppercase letters in the password'
complete -c sm -n "__fish_sm_using_subcommand put" -l no-lowercase -d 'No lowercase letters in the password'
complete -c sm -n "__fish_sm_using_subcommand put" -l include-space -d 'Allow the space character in the password'
complete -c sm -n "__fish_sm_using_subcommand put" -l no-require-each -d 'Do not require one character of each included class'
complete -c sm -n "__fish_sm_using_subcommand put" -l binary -d 'Store the value as binary (printed as base64 in --json)'
complete -c sm -n "__fish_sm_using_subcommand put" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sm -n "__fish_sm_using_subcommand get" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand get" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand get" -l version -d 'Read this version id' -r
complete -c sm -n "__fish_sm_using_subcommand get" -l label -d 'Read the version carrying LABEL (current, previous, pending, ...)' -r -f -a '(__sm_dynamic)'
complete -c sm -n "__fish_sm_using_subcommand get" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand get" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand get" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand get" -s h -l help -d 'Print help'
complete -c sm -n "__fish_sm_using_subcommand ls" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand ls" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand ls" -l tag -d 'Only secrets with this tag; repeatable (all must match)' -r
complete -c sm -n "__fish_sm_using_subcommand ls" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand ls" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand ls" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand ls" -l deleted -d 'List secrets scheduled for deletion (instead of the live ones)'
complete -c sm -n "__fish_sm_using_subcommand ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sm -n "__fish_sm_using_subcommand list" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand list" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand list" -l tag -d 'Only secrets with this tag; repeatable (all must match)' -r
complete -c sm -n "__fish_sm_using_subcommand list" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand list" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand list" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand list" -l deleted -d 'List secrets scheduled for deletion (instead of the live ones)'
complete -c sm -n "__fish_sm_using_subcommand list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sm -n "__fish_sm_using_subcommand show" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand show" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand show" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand show" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand show" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand show" -s h -l help -d 'Print help'
complete -c sm -n "__fish_sm_using_subcommand versions" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand versions" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand versions" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand versions" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand versions" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand versions" -s h -l help -d 'Print help'
complete -c sm -n "__fish_sm_using_subcommand history" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand history" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand history" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand history" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand history" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand history" -s h -l help -d 'Print help'
complete -c sm -n "__fish_sm_using_subcommand label" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand label" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand label" -l to -d 'Point the label at version ID' -r
complete -c sm -n "__fish_sm_using_subcommand label" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand label" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand label" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand label" -l remove -d 'Remove the label'
complete -c sm -n "__fish_sm_using_subcommand label" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sm -n "__fish_sm_using_subcommand rollback" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand rollback" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand rollback" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand rollback" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand rollback" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand rollback" -s h -l help -d 'Print help'
complete -c sm -n "__fish_sm_using_subcommand edit" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand edit" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand edit" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand edit" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand edit" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand edit" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sm -n "__fish_sm_using_subcommand tag" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand tag" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand tag" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand tag" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand tag" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand tag" -s h -l help -d 'Print help'
complete -c sm -n "__fish_sm_using_subcommand untag" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand untag" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand untag" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand untag" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand untag" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand untag" -s h -l help -d 'Print help'
complete -c sm -n "__fish_sm_using_subcommand describe" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand describe" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand describe" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand describe" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand describe" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand describe" -s h -l help -d 'Print help'
complete -c sm -n "__fish_sm_using_subcommand rm" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand rm" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand rm" -l recovery-days -d 'Days before `sm purge` may remove it (7 to 30)' -r
complete -c sm -n "__fish_sm_using_subcommand rm" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand rm" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand rm" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand rm" -l force -d 'Delete every version now, without a recovery window'
complete -c sm -n "__fish_sm_using_subcommand rm" -s h -l help -d 'Print help'
complete -c sm -n "__fish_sm_using_subcommand delete" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand delete" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand delete" -l recovery-days -d 'Days before `sm purge` may remove it (7 to 30)' -r
complete -c sm -n "__fish_sm_using_subcommand delete" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand delete" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand delete" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand delete" -l force -d 'Delete every version now, without a recovery window'
complete -c sm -n "__fish_sm_using_subcommand delete" -s h -l help -d 'Print help'
complete -c sm -n "__fish_sm_using_subcommand remove" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand remove" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand remove" -l recovery-days -d 'Days before `sm purge` may remove it (7 to 30)' -r
complete -c sm -n "__fish_sm_using_subcommand remove" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand remove" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand remove" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand remove" -l force -d 'Delete every version now, without a recovery window'
complete -c sm -n "__fish_sm_using_subcommand remove" -s h -l help -d 'Print help'
complete -c sm -n "__fish_sm_using_subcommand restore" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand restore" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand restore" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand restore" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand restore" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand restore" -s h -l help -d 'Print help'
complete -c sm -n "__fish_sm_using_subcommand purge" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand purge" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand purge" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand purge" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand purge" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand purge" -s h -l help -d 'Print help'
complete -c sm -n "__fish_sm_using_subcommand gen" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand gen" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand gen" -l length -d 'Password length, 1 to 4096 [default: 32]' -r
complete -c sm -n "__fish_sm_using_subcommand gen" -l exclude-chars -d 'Never use these characters in the password' -r
complete -c sm -n "__fish_sm_using_subcommand gen" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand gen" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand gen" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand gen" -l no-numbers -d 'No digits in the password'
complete -c sm -n "__fish_sm_using_subcommand gen" -l no-punctuation -d 'No punctuation in the password (!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~)'
complete -c sm -n "__fish_sm_using_subcommand gen" -l no-uppercase -d 'No uppercase letters in the password'
complete -c sm -n "__fish_sm_using_subcommand gen" -l no-lowercase -d 'No lowercase letters in the password'
complete -c sm -n "__fish_sm_using_subcommand gen" -l include-space -d 'Allow the space character in the password'
complete -c sm -n "__fish_sm_using_subcommand gen" -l no-require-each -d 'Do not require one character of each included class'
complete -c sm -n "__fish_sm_using_subcommand gen" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sm -n "__fish_sm_using_subcommand generate" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand generate" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand generate" -l length -d 'Password length, 1 to 4096 [default: 32]' -r
complete -c sm -n "__fish_sm_using_subcommand generate" -l exclude-chars -d 'Never use these characters in the password' -r
complete -c sm -n "__fish_sm_using_subcommand generate" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand generate" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand generate" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand generate" -l no-numbers -d 'No digits in the password'
complete -c sm -n "__fish_sm_using_subcommand generate" -l no-punctuation -d 'No punctuation in the password (!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~)'
complete -c sm -n "__fish_sm_using_subcommand generate" -l no-uppercase -d 'No uppercase letters in the password'
complete -c sm -n "__fish_sm_using_subcommand generate" -l no-lowercase -d 'No lowercase letters in the password'
complete -c sm -n "__fish_sm_using_subcommand generate" -l include-space -d 'Allow the space character in the password'
complete -c sm -n "__fish_sm_using_subcommand generate" -l no-require-each -d 'Do not require one character of each included class'
complete -c sm -n "__fish_sm_using_subcommand generate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sm -n "__fish_sm_using_subcommand import" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand import" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand import" -l format -d 'The file\'s format (default: json for *.json or input starting with `{`, else dotenv)' -r -f -a "dotenv\t''
json\t''"
complete -c sm -n "__fish_sm_using_subcommand import" -l prefix -d 'Put every secret under PREFIX/' -r -f -a '(__sm_dynamic)'
complete -c sm -n "__fish_sm_using_subcommand import" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand import" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand import" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand import" -l skip-empty -d 'Skip entries with an empty value (with a note) instead of refusing'
complete -c sm -n "__fish_sm_using_subcommand import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sm -n "__fish_sm_using_subcommand log; and not __fish_seen_subcommand_from verify help" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand log; and not __fish_seen_subcommand_from verify help" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand log; and not __fish_seen_subcommand_from verify help" -l since -d 'Only entries since T (RFC 3339, or an age such as 30m, 12h, 7d)' -r
complete -c sm -n "__fish_sm_using_subcommand log; and not __fish_seen_subcommand_from verify help" -l actor -d 'Only entries by this member' -r -f -a '(__sm_dynamic)'
complete -c sm -n "__fish_sm_using_subcommand log; and not __fish_seen_subcommand_from verify help" -l op -d 'Only this operation (get, put, label, ...)' -r
complete -c sm -n "__fish_sm_using_subcommand log; and not __fish_seen_subcommand_from verify help" -s n -d 'Only the newest N entries (after the other filters)' -r
complete -c sm -n "__fish_sm_using_subcommand log; and not __fish_seen_subcommand_from verify help" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand log; and not __fish_seen_subcommand_from verify help" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand log; and not __fish_seen_subcommand_from verify help" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand log; and not __fish_seen_subcommand_from verify help" -l reverse -d 'Newest first'
complete -c sm -n "__fish_sm_using_subcommand log; and not __fish_seen_subcommand_from verify help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sm -n "__fish_sm_using_subcommand log; and not __fish_seen_subcommand_from verify help" -a "verify" -d 'Check every chain and signature; name the first bad line of each file'
complete -c sm -n "__fish_sm_using_subcommand log; and not __fish_seen_subcommand_from verify help" -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c sm -n "__fish_sm_using_subcommand log; and __fish_seen_subcommand_from verify" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand log; and __fish_seen_subcommand_from verify" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand log; and __fish_seen_subcommand_from verify" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand log; and __fish_seen_subcommand_from verify" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand log; and __fish_seen_subcommand_from verify" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand log; and __fish_seen_subcommand_from verify" -s h -l help -d 'Print help'
complete -c sm -n "__fish_sm_using_subcommand log; and __fish_seen_subcommand_from help" -f -a "verify" -d 'Check every chain and signature; name the first bad line of each file'
complete -c sm -n "__fish_sm_using_subcommand log; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c sm -n "__fish_sm_using_subcommand verify" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand verify" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand verify" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand verify" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand verify" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand verify" -l history -d 'Also check the store\'s git history, commit by commit: every signed file\'s sequence only rose, no secret vanished without a signed tombstone, no listed version or log entry was deleted, and each header change was signed by an admin of the header before it. Needs no memory of the store, so a fresh clone (a CI job) catches a replay or deletion committed on top of honest history'
complete -c sm -n "__fish_sm_using_subcommand verify" -s h -l help -d 'Print help'
complete -c sm -n "__fish_sm_using_subcommand member; and not __fish_seen_subcommand_from add ls admin rm help" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand member; and not __fish_seen_subcommand_from add ls admin rm help" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand member; and not __fish_seen_subcommand_from add ls admin rm help" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand member; and not __fish_seen_subcommand_from add ls admin rm help" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand member; and not __fish_seen_subcommand_from add ls admin rm help" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand member; and not __fish_seen_subcommand_from add ls admin rm help" -s h -l help -d 'Print help'
complete -c sm -n "__fish_sm_using_subcommand member; and not __fish_seen_subcommand_from add ls admin rm help" -f -a "add" -d 'Add a member, from their member card (`sm identity show --card`) or their recipient and --signing-key (`sm identity show`)'
complete -c sm -n "__fish_sm_using_subcommand member; and not __fish_seen_subcommand_from add ls admin rm help" -f -a "ls" -d 'List the members, and the store\'s extra recipients (keys from `sm init --recipient` that can decrypt every value)'
complete -c sm -n "__fish_sm_using_subcommand member; and not __fish_seen_subcommand_from add ls admin rm help" -f -a "admin" -d 'Make a member an admin (may change members, groups and rules)'
complete -c sm -n "__fish_sm_using_subcommand member; and not __fish_seen_subcommand_from add ls admin rm help" -f -a "rm" -d 'Remove a member, re-encrypt what they could read, and list the secrets to rotate'
complete -c sm -n "__fish_sm_using_subcommand member; and not __fish_seen_subcommand_from add ls admin rm help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c sm -n "__fish_sm_using_subcommand member; and __fish_seen_subcommand_from add" -l signing-key -d 'Their signing key (ed25519:…), when RECIPIENT is not a card' -r
complete -c sm -n "__fish_sm_using_subcommand member; and __fish_seen_subcommand_from add" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand member; and __fish_seen_subcommand_from add" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand member; and __fish_seen_subcommand_from add" -l admin -d 'Make them an admin (may change members and settings)'
complete -c sm -n "__fish_sm_using_subcommand member; and __fish_seen_subcommand_from add" -l no-rewrap -d 'Do not re-encrypt existing versions to them now (`sm rewrap` does it later); by default what the rules let them read is re-encrypted at once'
complete -c sm -n "__fish_sm_using_subcommand member; and __fish_seen_subcommand_from add" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand member; and __fish_seen_subcommand_from add" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand member; and __fish_seen_subcommand_from add" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand member; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sm -n "__fish_sm_using_subcommand member; and __fish_seen_subcommand_from ls" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand member; and __fish_seen_subcommand_from ls" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand member; and __fish_seen_subcommand_from ls" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand member; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand member; and __fish_seen_subcommand_from ls" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand member; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sm -n "__fish_sm_using_subcommand member; and __fish_seen_subcommand_from admin" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand member; and __fish_seen_subcommand_from admin" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand member; and __fish_seen_subcommand_from admin" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand member; and __fish_seen_subcommand_from admin" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand member; and __fish_seen_subcommand_from admin" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand member; and __fish_seen_subcommand_from admin" -s h -l help -d 'Print help'
complete -c sm -n "__fish_sm_using_subcommand member; and __fish_seen_subcommand_from rm" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand member; and __fish_seen_subcommand_from rm" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand member; and __fish_seen_subcommand_from rm" -l rotate -d 'Also rotate those secrets now (the ones with a rotation set up)'
complete -c sm -n "__fish_sm_using_subcommand member; and __fish_seen_subcommand_from rm" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand member; and __fish_seen_subcommand_from rm" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand member; and __fish_seen_subcommand_from rm" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand member; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sm -n "__fish_sm_using_subcommand member; and __fish_seen_subcommand_from help" -f -a "add" -d 'Add a member, from their member card (`sm identity show --card`) or their recipient and --signing-key (`sm identity show`)'
complete -c sm -n "__fish_sm_using_subcommand member; and __fish_seen_subcommand_from help" -f -a "ls" -d 'List the members, and the store\'s extra recipients (keys from `sm init --recipient` that can decrypt every value)'
complete -c sm -n "__fish_sm_using_subcommand member; and __fish_seen_subcommand_from help" -f -a "admin" -d 'Make a member an admin (may change members, groups and rules)'
complete -c sm -n "__fish_sm_using_subcommand member; and __fish_seen_subcommand_from help" -f -a "rm" -d 'Remove a member, re-encrypt what they could read, and list the secrets to rotate'
complete -c sm -n "__fish_sm_using_subcommand member; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c sm -n "__fish_sm_using_subcommand doctor" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand doctor" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand doctor" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand doctor" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand doctor" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand doctor" -l reset-trust -d 'Accept the store as it is now: pin this folder and its git remotes to it and forget the sequences this machine trusted there (after a deliberate re-creation or rewind of the store)'
complete -c sm -n "__fish_sm_using_subcommand doctor" -l upgrade -d 'Move a format-1 store to the current format (a signed header, sequences and tombstones, so replays and deletions are caught); admins only. Any admin write does it too'
complete -c sm -n "__fish_sm_using_subcommand doctor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sm -n "__fish_sm_using_subcommand completions" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand completions" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand completions" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand completions" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand completions" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sm -n "__fish_sm_using_subcommand man" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand man" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand man" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand man" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand man" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand man" -s h -l help -d 'Print help'
complete -c sm -n "__fish_sm_using_subcommand exec" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand exec" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand exec" -s s -l secret -d 'Add a secret: NAME (a JSON secret gives one variable per field, a plain one is named after its last path segment), NAME:PREFIX, NAME=VAR, NAME#field[=VAR], each optionally ending in ?label=L or ?version=ID; repeatable' -r -f -a '(__sm_dynamic)'
complete -c sm -n "__fish_sm_using_subcommand exec" -l env-file -d 'Read VAR=value and VAR=sm://NAME[#field][?label=L|?version=ID] lines from F (a .env file of at most 1 MiB; only sm:// values are read from the store); repeatable, read before the -s secrets' -r -F
complete -c sm -n "__fish_sm_using_subcommand exec" -l keep -d 'Keep VAR from sm\'s environment with --clean-env; repeatable' -r
complete -c sm -n "__fish_sm_using_subcommand exec" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand exec" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand exec" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand exec" -l override -d 'Let a later source win when two name the same variable (env files first, then -s, each in the order given), and let a variable named after a JSON field or the last path segment replace one the program would inherit, instead of failing'
complete -c sm -n "__fish_sm_using_subcommand exec" -l allow-unsafe-env -d 'Let env files set variables that make the program load or run other code: LD_*, DYLD_*, glibc\'s unsecure variables (GCONV_PATH, TMPDIR, ...), BASH_ENV, ENV, PS4 and other shell variables, NODE_OPTIONS, PYTHONPATH and other runtime variables, a PATH with an empty or relative entry, or LANG/LC_* holding a /. Without it such a line exits 2 naming the file and line'
complete -c sm -n "__fish_sm_using_subcommand exec" -l clean-env -d 'Start the program with an empty environment: only the secrets, the env files\' variables and the --keep variables'
complete -c sm -n "__fish_sm_using_subcommand exec" -l serve -d 'Give the program a private endpoint of the cloud service\'s API (see `sm serve`) for exactly its lifetime: a random loopback port and keys made for this run, held in memory only, in AWS_ENDPOINT_URL_SECRETS_MANAGER, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION and AWS_DEFAULT_REGION (a region already set is kept; AWS_PROFILE and session tokens are removed). Its calls act as you and are logged as client `exec`. The program then runs as sm\'s child: signals sent to sm pass on to it, and sm exits with its status'
complete -c sm -n "__fish_sm_using_subcommand exec" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sm -n "__fish_sm_using_subcommand env" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand env" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand env" -s s -l secret -d 'Add a secret: NAME (a JSON secret gives one variable per field, a plain one is named after its last path segment), NAME:PREFIX, NAME=VAR, NAME#field[=VAR], each optionally ending in ?label=L or ?version=ID; repeatable' -r -f -a '(__sm_dynamic)'
complete -c sm -n "__fish_sm_using_subcommand env" -l env-file -d 'Read VAR=value and VAR=sm://NAME[#field][?label=L|?version=ID] lines from F (a .env file of at most 1 MiB; only sm:// values are read from the store); repeatable, read before the -s secrets' -r -F
complete -c sm -n "__fish_sm_using_subcommand env" -l format -d 'The output format (--json means json)' -r -f -a "dotenv\t'VAR=\'value\' lines'
shell\t'export VAR=\'value\' lines, for eval'
json\t'{"VAR": "value", ...}'"
complete -c sm -n "__fish_sm_using_subcommand env" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand env" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand env" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand env" -l override -d 'Let a later source win when two name the same variable (env files first, then -s, each in the order given), and let a variable named after a JSON field or the last path segment replace one the program would inherit, instead of failing'
complete -c sm -n "__fish_sm_using_subcommand env" -l allow-unsafe-env -d 'Let env files set variables that make the program load or run other code: LD_*, DYLD_*, glibc\'s unsecure variables (GCONV_PATH, TMPDIR, ...), BASH_ENV, ENV, PS4 and other shell variables, NODE_OPTIONS, PYTHONPATH and other runtime variables, a PATH with an empty or relative entry, or LANG/LC_* holding a /. Without it such a line exits 2 naming the file and line'
complete -c sm -n "__fish_sm_using_subcommand env" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sm -n "__fish_sm_using_subcommand inject" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand inject" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand inject" -s i -l in -d 'Read the template from TEMPLATE (default: standard input)' -r -F
complete -c sm -n "__fish_sm_using_subcommand inject" -s o -l out -d 'Write to FILE, mode 0600 (default: standard output)' -r -F
complete -c sm -n "__fish_sm_using_subcommand inject" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand inject" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand inject" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand inject" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sm -n "__fish_sm_using_subcommand rotate" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand rotate" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand rotate" -l hook -d 'Set the hook command, run as `CMD STEP`' -r
complete -c sm -n "__fish_sm_using_subcommand rotate" -l every -d 'Rotate every DUR days or hours (30d, 12h)' -r
complete -c sm -n "__fish_sm_using_subcommand rotate" -l schedule -d 'Rotate on a schedule: \'rate(N days|hours)\' or \'cron(M H DOM MON DOW Y)\'' -r
complete -c sm -n "__fish_sm_using_subcommand rotate" -l window -d 'Start a scheduled rotation only within DUR after its time (3h, 1d)' -r
complete -c sm -n "__fish_sm_using_subcommand rotate" -l field -d 'The field of a JSON secret a generated value replaces [default: password]' -r
complete -c sm -n "__fish_sm_using_subcommand rotate" -l length -d 'Password length, 1 to 4096 [default: 32]' -r
complete -c sm -n "__fish_sm_using_subcommand rotate" -l exclude-chars -d 'Never use these characters in the password' -r
complete -c sm -n "__fish_sm_using_subcommand rotate" -l timeout -d 'Stop a step after SECS seconds [default: 300]' -r
complete -c sm -n "__fish_sm_using_subcommand rotate" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand rotate" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand rotate" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand rotate" -l trust-hook -d 'Trust the secret\'s hook, as it is now, on this machine'
complete -c sm -n "__fish_sm_using_subcommand rotate" -l no-rotate-now -d 'Save the settings without rotating now'
complete -c sm -n "__fish_sm_using_subcommand rotate" -l generate -d 'Generate the new value when the hook prints none'
complete -c sm -n "__fish_sm_using_subcommand rotate" -l no-numbers -d 'No digits in the password'
complete -c sm -n "__fish_sm_using_subcommand rotate" -l no-punctuation -d 'No punctuation in the password (!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~)'
complete -c sm -n "__fish_sm_using_subcommand rotate" -l no-uppercase -d 'No uppercase letters in the password'
complete -c sm -n "__fish_sm_using_subcommand rotate" -l no-lowercase -d 'No lowercase letters in the password'
complete -c sm -n "__fish_sm_using_subcommand rotate" -l include-space -d 'Allow the space character in the password'
complete -c sm -n "__fish_sm_using_subcommand rotate" -l no-require-each -d 'Do not require one character of each included class'
complete -c sm -n "__fish_sm_using_subcommand rotate" -l cancel -d 'Drop the rotation in progress'
complete -c sm -n "__fish_sm_using_subcommand rotate" -l due -d 'Run every rotation that is due'
complete -c sm -n "__fish_sm_using_subcommand rotate" -l dry-run -d 'With --due: list what would rotate, and rotate nothing'
complete -c sm -n "__fish_sm_using_subcommand rotate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sm -n "__fish_sm_using_subcommand scan" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand scan" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand scan" -l history -d 'Scan the lines each commit in RANGE added (default: every branch)' -r
complete -c sm -n "__fish_sm_using_subcommand scan" -l baseline -d 'Report only findings missing from FILE, an earlier `--format json` report' -r -F
complete -c sm -n "__fish_sm_using_subcommand scan" -l format -d 'Output format' -r -f -a "text\t'`path:line:col: rule: preview (what)`'
json\t'A JSON report (also the --baseline format)'
sarif\t'SARIF 2.1.0 for code-scanning dashboards'"
complete -c sm -n "__fish_sm_using_subcommand scan" -l max-file-size -d 'Skip files larger than BYTES' -r
complete -c sm -n "__fish_sm_using_subcommand scan" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand scan" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand scan" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand scan" -l staged -d 'Scan the staged blobs of the git index (what would be committed)'
complete -c sm -n "__fish_sm_using_subcommand scan" -l no-store -d 'Match credential formats only, not this store\'s values'
complete -c sm -n "__fish_sm_using_subcommand scan" -s v -l verbose -d 'Say what was skipped and why'
complete -c sm -n "__fish_sm_using_subcommand scan" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sm -n "__fish_sm_using_subcommand hook; and not __fish_seen_subcommand_from install uninstall help" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand hook; and not __fish_seen_subcommand_from install uninstall help" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand hook; and not __fish_seen_subcommand_from install uninstall help" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand hook; and not __fish_seen_subcommand_from install uninstall help" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand hook; and not __fish_seen_subcommand_from install uninstall help" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand hook; and not __fish_seen_subcommand_from install uninstall help" -s h -l help -d 'Print help'
complete -c sm -n "__fish_sm_using_subcommand hook; and not __fish_seen_subcommand_from install uninstall help" -f -a "install" -d 'Write .git/hooks/pre-commit running `sm scan --staged`'
complete -c sm -n "__fish_sm_using_subcommand hook; and not __fish_seen_subcommand_from install uninstall help" -f -a "uninstall" -d 'Remove the pre-commit hook if sm installed it'
complete -c sm -n "__fish_sm_using_subcommand hook; and not __fish_seen_subcommand_from install uninstall help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c sm -n "__fish_sm_using_subcommand hook; and __fish_seen_subcommand_from install" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand hook; and __fish_seen_subcommand_from install" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand hook; and __fish_seen_subcommand_from install" -l force -d 'Replace a different existing hook (kept as pre-commit.sm-backup)'
complete -c sm -n "__fish_sm_using_subcommand hook; and __fish_seen_subcommand_from install" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand hook; and __fish_seen_subcommand_from install" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand hook; and __fish_seen_subcommand_from install" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand hook; and __fish_seen_subcommand_from install" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sm -n "__fish_sm_using_subcommand hook; and __fish_seen_subcommand_from uninstall" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand hook; and __fish_seen_subcommand_from uninstall" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand hook; and __fish_seen_subcommand_from uninstall" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand hook; and __fish_seen_subcommand_from uninstall" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand hook; and __fish_seen_subcommand_from uninstall" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand hook; and __fish_seen_subcommand_from uninstall" -s h -l help -d 'Print help'
complete -c sm -n "__fish_sm_using_subcommand hook; and __fish_seen_subcommand_from help" -f -a "install" -d 'Write .git/hooks/pre-commit running `sm scan --staged`'
complete -c sm -n "__fish_sm_using_subcommand hook; and __fish_seen_subcommand_from help" -f -a "uninstall" -d 'Remove the pre-commit hook if sm installed it'
complete -c sm -n "__fish_sm_using_subcommand hook; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c sm -n "__fish_sm_using_subcommand access; and not __fish_seen_subcommand_from set rm help" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand access; and not __fish_seen_subcommand_from set rm help" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand access; and not __fish_seen_subcommand_from set rm help" -l member -d 'List what member M may read and write' -r -f -a '(__sm_dynamic)'
complete -c sm -n "__fish_sm_using_subcommand access; and not __fish_seen_subcommand_from set rm help" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand access; and not __fish_seen_subcommand_from set rm help" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand access; and not __fish_seen_subcommand_from set rm help" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand access; and not __fish_seen_subcommand_from set rm help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sm -n "__fish_sm_using_subcommand access; and not __fish_seen_subcommand_from set rm help" -a "set" -d 'Add or replace the rule for GLOB'
complete -c sm -n "__fish_sm_using_subcommand access; and not __fish_seen_subcommand_from set rm help" -a "rm" -d 'Remove the rule for GLOB'
complete -c sm -n "__fish_sm_using_subcommand access; and not __fish_seen_subcommand_from set rm help" -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c sm -n "__fish_sm_using_subcommand access; and __fish_seen_subcommand_from set" -l read -d 'Members or groups that may read (comma-separated; `*` for everyone)' -r -f -a '(__sm_dynamic)'
complete -c sm -n "__fish_sm_using_subcommand access; and __fish_seen_subcommand_from set" -l write -d 'Members or groups that may write (comma-separated; `*` for everyone)' -r -f -a '(__sm_dynamic)'
complete -c sm -n "__fish_sm_using_subcommand access; and __fish_seen_subcommand_from set" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand access; and __fish_seen_subcommand_from set" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand access; and __fish_seen_subcommand_from set" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand access; and __fish_seen_subcommand_from set" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand access; and __fish_seen_subcommand_from set" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand access; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help'
complete -c sm -n "__fish_sm_using_subcommand access; and __fish_seen_subcommand_from rm" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand access; and __fish_seen_subcommand_from rm" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand access; and __fish_seen_subcommand_from rm" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand access; and __fish_seen_subcommand_from rm" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand access; and __fish_seen_subcommand_from rm" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand access; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help'
complete -c sm -n "__fish_sm_using_subcommand access; and __fish_seen_subcommand_from help" -f -a "set" -d 'Add or replace the rule for GLOB'
complete -c sm -n "__fish_sm_using_subcommand access; and __fish_seen_subcommand_from help" -f -a "rm" -d 'Remove the rule for GLOB'
complete -c sm -n "__fish_sm_using_subcommand access; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c sm -n "__fish_sm_using_subcommand group; and not __fish_seen_subcommand_from add rm ls help" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand group; and not __fish_seen_subcommand_from add rm ls help" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand group; and not __fish_seen_subcommand_from add rm ls help" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand group; and not __fish_seen_subcommand_from add rm ls help" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand group; and not __fish_seen_subcommand_from add rm ls help" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand group; and not __fish_seen_subcommand_from add rm ls help" -s h -l help -d 'Print help'
complete -c sm -n "__fish_sm_using_subcommand group; and not __fish_seen_subcommand_from add rm ls help" -f -a "add" -d 'Add members to group G, creating it if needed'
complete -c sm -n "__fish_sm_using_subcommand group; and not __fish_seen_subcommand_from add rm ls help" -f -a "rm" -d 'Remove members from group G, or the group itself when none are named'
complete -c sm -n "__fish_sm_using_subcommand group; and not __fish_seen_subcommand_from add rm ls help" -f -a "ls" -d 'List the groups'
complete -c sm -n "__fish_sm_using_subcommand group; and not __fish_seen_subcommand_from add rm ls help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c sm -n "__fish_sm_using_subcommand group; and __fish_seen_subcommand_from add" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand group; and __fish_seen_subcommand_from add" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand group; and __fish_seen_subcommand_from add" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand group; and __fish_seen_subcommand_from add" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand group; and __fish_seen_subcommand_from add" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand group; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c sm -n "__fish_sm_using_subcommand group; and __fish_seen_subcommand_from rm" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand group; and __fish_seen_subcommand_from rm" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand group; and __fish_seen_subcommand_from rm" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand group; and __fish_seen_subcommand_from rm" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand group; and __fish_seen_subcommand_from rm" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand group; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help'
complete -c sm -n "__fish_sm_using_subcommand group; and __fish_seen_subcommand_from ls" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand group; and __fish_seen_subcommand_from ls" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand group; and __fish_seen_subcommand_from ls" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand group; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand group; and __fish_seen_subcommand_from ls" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand group; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help'
complete -c sm -n "__fish_sm_using_subcommand group; and __fish_seen_subcommand_from help" -f -a "add" -d 'Add members to group G, creating it if needed'
complete -c sm -n "__fish_sm_using_subcommand group; and __fish_seen_subcommand_from help" -f -a "rm" -d 'Remove members from group G, or the group itself when none are named'
complete -c sm -n "__fish_sm_using_subcommand group; and __fish_seen_subcommand_from help" -f -a "ls" -d 'List the groups'
complete -c sm -n "__fish_sm_using_subcommand group; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c sm -n "__fish_sm_using_subcommand rewrap" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand rewrap" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand rewrap" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand rewrap" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand rewrap" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand rewrap" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sm -n "__fish_sm_using_subcommand merge-driver" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand merge-driver" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand merge-driver" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand merge-driver" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand merge-driver" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand merge-driver" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sm -n "__fish_sm_using_subcommand replica; and not __fish_seen_subcommand_from add sync status help" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand replica; and not __fish_seen_subcommand_from add sync status help" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand replica; and not __fish_seen_subcommand_from add sync status help" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand replica; and not __fish_seen_subcommand_from add sync status help" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand replica; and not __fish_seen_subcommand_from add sync status help" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand replica; and not __fish_seen_subcommand_from add sync status help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sm -n "__fish_sm_using_subcommand replica; and not __fish_seen_subcommand_from add sync status help" -f -a "add" -d 'Create a replica in DIR (or adopt the one there) for these members'
complete -c sm -n "__fish_sm_using_subcommand replica; and not __fish_seen_subcommand_from add sync status help" -f -a "sync" -d 'Copy what changed to every replica'
complete -c sm -n "__fish_sm_using_subcommand replica; and not __fish_seen_subcommand_from add sync status help" -f -a "status" -d 'Show what each replica is behind on (exit 1 if anything is)'
complete -c sm -n "__fish_sm_using_subcommand replica; and not __fish_seen_subcommand_from add sync status help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c sm -n "__fish_sm_using_subcommand replica; and __fish_seen_subcommand_from add" -l members -d 'Members of this store who become its members (you always are)' -r -f -a '(__sm_dynamic)'
complete -c sm -n "__fish_sm_using_subcommand replica; and __fish_seen_subcommand_from add" -l prefix -d 'Only secrets whose names start with P (repeatable; default: all)' -r
complete -c sm -n "__fish_sm_using_subcommand replica; and __fish_seen_subcommand_from add" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand replica; and __fish_seen_subcommand_from add" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand replica; and __fish_seen_subcommand_from add" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand replica; and __fish_seen_subcommand_from add" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand replica; and __fish_seen_subcommand_from add" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand replica; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c sm -n "__fish_sm_using_subcommand replica; and __fish_seen_subcommand_from sync" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand replica; and __fish_seen_subcommand_from sync" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand replica; and __fish_seen_subcommand_from sync" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand replica; and __fish_seen_subcommand_from sync" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand replica; and __fish_seen_subcommand_from sync" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand replica; and __fish_seen_subcommand_from sync" -s h -l help -d 'Print help'
complete -c sm -n "__fish_sm_using_subcommand replica; and __fish_seen_subcommand_from status" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand replica; and __fish_seen_subcommand_from status" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand replica; and __fish_seen_subcommand_from status" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand replica; and __fish_seen_subcommand_from status" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand replica; and __fish_seen_subcommand_from status" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand replica; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help'
complete -c sm -n "__fish_sm_using_subcommand replica; and __fish_seen_subcommand_from help" -f -a "add" -d 'Create a replica in DIR (or adopt the one there) for these members'
complete -c sm -n "__fish_sm_using_subcommand replica; and __fish_seen_subcommand_from help" -f -a "sync" -d 'Copy what changed to every replica'
complete -c sm -n "__fish_sm_using_subcommand replica; and __fish_seen_subcommand_from help" -f -a "status" -d 'Show what each replica is behind on (exit 1 if anything is)'
complete -c sm -n "__fish_sm_using_subcommand replica; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c sm -n "__fish_sm_using_subcommand serve; and not __fish_seen_subcommand_from client help" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand serve; and not __fish_seen_subcommand_from client help" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand serve; and not __fish_seen_subcommand_from client help" -l listen -d 'The API\'s address: IP:PORT (port 0: a free port, printed at start) or unix:PATH, a Unix socket only you may connect to' -r
complete -c sm -n "__fish_sm_using_subcommand serve; and not __fish_seen_subcommand_from client help" -l agent-listen -d 'The agent API\'s address: IP:PORT (default: the agent\'s own port) or unix:PATH' -r
complete -c sm -n "__fish_sm_using_subcommand serve; and not __fish_seen_subcommand_from client help" -l agent-read -d 'The names the agent API may read (default: all you may read); repeatable' -r
complete -c sm -n "__fish_sm_using_subcommand serve; and not __fish_seen_subcommand_from client help" -l account-id -d 'The account id shown in ARNs' -r
complete -c sm -n "__fish_sm_using_subcommand serve; and not __fish_seen_subcommand_from client help" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand serve; and not __fish_seen_subcommand_from client help" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand serve; and not __fish_seen_subcommand_from client help" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand serve; and not __fish_seen_subcommand_from client help" -l no-agent -d 'Do not serve the agent API'
complete -c sm -n "__fish_sm_using_subcommand serve; and not __fish_seen_subcommand_from client help" -l allow-remote -d 'Allow listening on an address other than loopback'
complete -c sm -n "__fish_sm_using_subcommand serve; and not __fish_seen_subcommand_from client help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sm -n "__fish_sm_using_subcommand serve; and not __fish_seen_subcommand_from client help" -f -a "client" -d 'Manage the API\'s clients (their keys are kept in your config folder)'
complete -c sm -n "__fish_sm_using_subcommand serve; and not __fish_seen_subcommand_from client help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c sm -n "__fish_sm_using_subcommand serve; and __fish_seen_subcommand_from client" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand serve; and __fish_seen_subcommand_from client" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand serve; and __fish_seen_subcommand_from client" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand serve; and __fish_seen_subcommand_from client" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand serve; and __fish_seen_subcommand_from client" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand serve; and __fish_seen_subcommand_from client" -s h -l help -d 'Print help'
complete -c sm -n "__fish_sm_using_subcommand serve; and __fish_seen_subcommand_from client" -f -a "add" -d 'Make a client and print its keys (the secret key is shown only now; --json prints {access_key_id, secret_access_key}). With neither --read nor --write it may read every name; --write implies read'
complete -c sm -n "__fish_sm_using_subcommand serve; and __fish_seen_subcommand_from client" -f -a "ls" -d 'List this store\'s clients (never their secret keys)'
complete -c sm -n "__fish_sm_using_subcommand serve; and __fish_seen_subcommand_from client" -f -a "rm" -d 'Remove a client: its keys stop working at its next request'
complete -c sm -n "__fish_sm_using_subcommand serve; and __fish_seen_subcommand_from client" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c sm -n "__fish_sm_using_subcommand serve; and __fish_seen_subcommand_from help" -f -a "client" -d 'Manage the API\'s clients (their keys are kept in your config folder)'
complete -c sm -n "__fish_sm_using_subcommand serve; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c sm -n "__fish_sm_using_subcommand __api" -l store -d 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)' -r -F
complete -c sm -n "__fish_sm_using_subcommand __api" -l identity -d 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)' -r -F
complete -c sm -n "__fish_sm_using_subcommand __api" -l region -d 'The region shown in ARNs' -r
complete -c sm -n "__fish_sm_using_subcommand __api" -l account-id -d 'The account id shown in ARNs' -r
complete -c sm -n "__fish_sm_using_subcommand __api" -l read -d 'Act as a client limited to these name globs for reading (with --write: writing); without either, as the member\'s own client' -r -f -a '(__sm_dynamic)'
complete -c sm -n "__fish_sm_using_subcommand __api" -l write -d 'Act as a client that may write (and read) names matching GLOB' -r -f -a '(__sm_dynamic)'
complete -c sm -n "__fish_sm_using_subcommand __api" -l json -d 'Print records as JSON'
complete -c sm -n "__fish_sm_using_subcommand __api" -s q -l quiet -d 'Print nothing but what was asked for'
complete -c sm -n "__fish_sm_using_subcommand __api" -l no-color -d 'Do not color output (also NO_COLOR)'
complete -c sm -n "__fish_sm_using_subcommand __api" -s h -l help -d 'Print help'
complete -c sm -n "__fish_sm_using_subcommand help; and not __fish_seen_subcommand_from init identity agent put get ls show versions label rollback edit tag untag describe rm restore purge gen import log verify member doctor completions man exec env inject rotate scan hook access group rewrap merge-driver replica serve __api help" -f -a "init"
complete -c sm -n "__fish_sm_using_subcommand help; and not __fish_seen_subcommand_from init identity agent put get ls show versions label rollback edit tag untag describe rm restore purge gen import log verify member doctor completions man exec env inject rotate scan hook access group rewrap merge-driver replica serve __api help" -f -a "identity"
complete -c sm -n "__fish_sm_using_subcommand help; and not __fish_seen_subcommand_from init identity agent put get ls show versions label rollback edit tag untag describe rm restore purge gen import log verify member doctor completions man exec env inject rotate scan hook access group rewrap merge-driver replica serve __api help" -f -a "agent"
complete -c sm -n "__fish_sm_using_subcommand help; and not __fish_seen_subcommand_from init identity agent put get ls show versions label rollback edit tag untag describe rm restore purge gen import log verify member doctor completions man exec env inject rotate scan hook access group rewrap merge-driver replica serve __api help" -f -a "put"
complete -c sm -n "__fish_sm_using_subcommand help; and not __fish_seen_subcommand_from init identity agent put get ls show versions label rollback edit tag untag describe rm restore purge gen import log verify member doctor completions man exec env inject rotate scan hook access group rewrap merge-driver replica serve __api help" -f -a "get"
complete -c sm -n "__fish_sm_using_subcommand help; and not __fish_seen_subcommand_from init identity agent put get ls show versions label rollback edit tag untag describe rm restore purge gen import log verify member doctor completions man exec env inject rotate scan hook access group rewrap merge-driver replica serve __api help" -f -a "ls"
complete -c sm -n "__fish_sm_using_subcommand help; and not __fish_seen_subcommand_from init identity agent put get ls show versions label rollback edit tag untag describe rm restore purge gen import log verify member doctor completions man exec env inject rotate scan hook access group rewrap merge-driver replica serve __api help" -f -a "show"
complete -c sm -n "__fish_sm_using_subcommand help; and not __fish_seen_subcommand_from init identity agent put get ls show versions label rollback edit tag untag describe rm restore purge gen import log verify member doctor completions man exec env inject rotate scan hook access group rewrap merge-driver replica serve __api help" -f -a "versions"
complete -c sm -n "__fish_sm_using_subcommand help; and not __fish_seen_subcommand_from init identity agent put get ls show versions label rollback edit tag untag describe rm restore purge gen import log verify member doctor completions man exec env inject rotate scan hook access group rewrap merge-driver replica serve __api help" -f -a "label"
complete -c sm -n "__fish_sm_using_subcommand help; and not __fish_seen_subcommand_from init identity agent put get ls show versions label rollback edit tag untag describe rm restore purge gen import log verify member doctor completions man exec env inject rotate scan hook access group rewrap merge-driver replica serve __api help" -f -a "rollback"
complete -c sm -n "__fish_sm_using_subcommand help; and not __fish_seen_subcommand_from init identity agent put get ls show versions label rollback edit tag untag describe rm restore purge gen import log verify member doctor completions man exec env inject rotate scan hook access group rewrap merge-driver replica serve __api help" -f -a "edit"
complete -c sm -n "__fish_sm_using_subcommand help; and not __fish_seen_subcommand_from init identity agent put get ls show versions label rollback edit tag untag describe rm restore purge gen import log verify member doctor completions man exec env inject rotate scan hook access group rewrap merge-driver replica serve __api help" -f -a "tag"
complete -c sm -n "__fish_sm_using_subcommand help; and not __fish_seen_subcommand_from init identity agent put get ls show versions label rollback edit tag untag describe rm restore purge gen import log verify member doctor completions man exec env inject rotate scan hook access group rewrap merge-driver replica serve __api help" -f -a "untag"
complete -c sm -n "__fish_sm_using_subcommand help; and not __fish_seen_subcommand_from init identity agent put get ls show versions label rollback edit tag untag describe rm restore purge gen import log verify member doctor completions man exec env inject rotate scan hook access group rewrap merge-driver replica serve __api help" -f -a "describe"
complete -c sm -n "__fish_sm_using_subcommand help; and not __fish_seen_subcommand_from init identity agent put get ls show versions label rollback edit tag untag describe rm restore purge gen import log verify member doctor completions man exec env inject rotate scan hook access group rewrap merge-driver replica serve __api help" -f -a "rm"
complete -c sm -n "__fish_sm_using_subcommand help; and not __fish_seen_subcommand_from init identity agent put get ls show versions label rollback edit tag untag describe rm restore purge gen import log verify member doctor completions man exec env inject rotate scan hook access group rewrap merge-driver replica serve __api help" -f -a "restore"
complete -c sm -n "__fish_sm_using_subcommand help; and not __fish_seen_subcommand_from init identity agent put get ls show versions label rollback edit tag untag describe rm restore purge gen import log verify member doctor completions man exec env inject rotate scan hook access group rewrap merge-driver replica serve __api help" -f -a "purge"
complete -c sm -n "__fish_sm_using_subcommand help; and not __fish_seen_subcommand_from init identity agent put get ls show versions label rollback edit tag untag describe rm restore purge gen import log verify member doctor completions man exec env inject rotate scan hook access group rewrap merge-driver replica serve __api help" -f -a "gen"
complete -c sm -n "__fish_sm_using_subcommand help; and not __fish_seen_subcommand_from init identity agent put get ls show versions label rollback edit tag untag describe rm restore purge gen import log verify member doctor completions man exec env inject rotate scan hook access group rewrap merge-driver replica serve __api help" -f -a "import"
complete -c sm -n "__fish_sm_using_subcommand help; and not __fish_seen_subcommand_from init identity agent put get ls show versions label rollback edit tag untag describe rm restore purge gen import log verify member doctor completions man exec env inject rotate scan hook access group rewrap merge-driver replica serve __api help" -f -a "log"
complete -c sm -n "__fish_sm_using_subcommand help; and not __fish_seen_subcommand_from init identity agent put get ls show versions label rollback edit tag untag describe rm restore purge gen import log verify member doctor completions man exec env inject rotate scan hook access group rewrap merge-driver replica serve __api help" -f -a "verify"
complete -c sm -n "__fish_sm_using_subcommand help; and not __fish_seen_subcommand_from init identity agent put get ls show versions label rollback edit tag untag describe rm restore purge gen import log verify member doctor completions man exec env inject rotate scan hook access group rewrap merge-driver replica serve __api help" -f -a "member"
complete -c sm -n "__fish_sm_using_subcommand help; and not __fish_seen_subcommand_from init identity agent put get ls show versions label rollback edit tag untag describe rm restore purge gen import log verify member doctor completions man exec env inject rotate scan hook access group rewrap merge-driver replica serve __api help" -f -a "doctor"
complete -c sm -n "__fish_sm_using_subcommand help; and not __fish_seen_subcommand_from init identity agent put get ls show versions label rollback edit tag untag describe rm restore purge gen import log verify member doctor completions man exec env inject rotate scan hook access group rewrap merge-driver replica serve __api help" -f -a "completions"
complete -c sm -n "__fish_sm_using_subcommand help; and not __fish_seen_subcommand_from init identity agent put get ls show versions label rollback edit tag untag describe rm restore purge gen import log verify member doctor completions man exec env inject rotate scan hook access group rewrap merge-driver replica serve __api help" -f -a "man"
complete -c sm -n "__fish_sm_using_subcommand help; and not __fish_seen_subcommand_from init identity agent put get ls show versions label rollback edit tag untag describe rm restore purge gen import log verify member doctor completions man exec env inject rotate scan hook access group rewrap merge-driver replica serve __api help" -f -a "exec"
complete -c sm -n "__fish_sm_using_subcommand help; and not __fish_seen_subcommand_from init identity agent put get ls show versions label rollback edit tag untag describe rm restore purge gen import log verify member doctor completions man exec env inject rotate scan hook access group rewrap merge-driver replica serve __api help" -f -a "env"
complete -c sm -n "__fish_sm_using_subcommand help; and not __fish_seen_subcommand_from init identity agent put get ls show versions label rollback edit tag untag describe rm restore purge gen import log verify member doctor completions man exec env inject rotate scan hook access group rewrap merge-driver replica serve __api help" -f -a "inject"
complete -c sm -n "__fish_sm_using_subcommand help; and not __fish_seen_subcommand_from init identity agent put get ls show versions label rollback edit tag untag describe rm restore purge gen import log verify member doctor completions man exec env inject rotate scan hook access group rewrap merge-driver replica serve __api help" -f -a "rotate"
complete -c sm -n "__fish_sm_using_subcommand help; and not __fish_seen_subcommand_from init identity agent put get ls show versions label rollback edit tag untag describe rm restore purge gen import log verify member doctor completions man exec env inject rotate scan hook access group rewrap merge-driver replica serve __api help" -f -a "scan"
complete -c sm -n "__fish_sm_using_subcommand help; and not __fish_seen_subcommand_from init identity agent put get ls show versions label rollback edit tag untag describe rm restore purge gen import log verify member doctor completions man exec env inject rotate scan hook access group rewrap merge-driver replica serve __api help" -f -a "hook"
complete -c sm -n "__fish_sm_using_subcommand help; and not __fish_seen_subcommand_from init identity agent put get ls show versions label rollback edit tag untag describe rm restore purge gen import log verify member doctor completions man exec env inject rotate scan hook access group rewrap merge-driver replica serve __api help" -f -a "access"
complete -c sm -n "__fish_sm_using_subcommand help; and not __fish_seen_subcommand_from init identity agent put get ls show versions label rollback edit tag untag describe rm restore purge gen import log verify member doctor completions man exec env inject rotate scan hook access group rewrap merge-driver replica serve __api help" -f -a "group"
complete -c sm -n "__fish_sm_using_subcommand help; and not __fish_seen_subcommand_from init identity agent put get ls show versions label rollback edit tag untag describe rm restore purge gen import log verify member doctor completions man exec env inject rotate scan hook access group rewrap merge-driver replica serve __api help" -f -a "rewrap"
complete -c sm -n "__fish_sm_using_subcommand help; and not __fish_seen_subcommand_from init identity agent put get ls show versions label rollback edit tag untag describe rm restore purge gen import log verify member doctor completions man exec env inject rotate scan hook access group rewrap merge-driver replica serve __api help" -f -a "merge-driver"
complete -c sm -n "__fish_sm_using_subcommand help; and not __fish_seen_subcommand_from init identity agent put get ls show versions label rollback edit tag untag describe rm restore purge gen import log verify member doctor completions man exec env inject rotate scan hook access group rewrap merge-driver replica serve __api help" -f -a "replica"
complete -c sm -n "__fish_sm_using_subcommand help; and not __fish_seen_subcommand_from init identity agent put get ls show versions label rollback edit tag untag describe rm restore purge gen import log verify member doctor completions man exec env inject rotate scan hook access group rewrap merge-driver replica serve __api help" -f -a "serve"
complete -c sm -n "__fish_sm_using_subcommand help; and not __fish_seen_subcommand_from init identity agent put get ls show versions label rollback edit tag untag describe rm restore purge gen import log verify member doctor completions man exec env inject rotate scan hook access group rewrap merge-driver replica serve __api help" -f -a "__api"
complete -c sm -n "__fish_sm_using_subcommand help; and not __fish_seen_subcommand_from init identity agent put get ls show versions label rollback edit tag untag describe rm restore purge gen import log verify member doctor completions man exec env inject rotate scan hook access group rewrap merge-driver replica serve __api help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'

function __sm_dynamic
    set -l words (commandline -opc)
    set -l cur (commandline -ct)
    command sm __complete (count $words) -- $words "$cur" 2>/dev/null
end
function __sm_dynamic_applies
    __sm_dynamic >/dev/null
end
complete -c sm -n __sm_dynamic_applies -f -a '(__sm_dynamic)'
