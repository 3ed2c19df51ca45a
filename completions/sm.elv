
use builtin;
use str;

set edit:completion:arg-completer[sm] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'sm'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'sm'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand init 'Create a store; you become its first member and admin'
            cand identity 'Create or show your identity (age key and signing key)'
            cand agent 'Hold your unlocked identity in memory for a while, so the passphrase is asked once'
            cand put 'Create a secret or add a new version of it'
            cand get 'Print a secret''s value (exact bytes; a newline is added only on a terminal)'
            cand ls 'List secrets with their current version time, labels and rotation'
            cand list 'List secrets with their current version time, labels and rotation'
            cand show 'Describe a secret: description, tags, versions and labels, rotation, deletion, last access'
            cand versions 'List a secret''s versions, newest first, with labels, author and time'
            cand history 'List a secret''s versions, newest first, with labels, author and time'
            cand label 'Move a label to a version, or remove it'
            cand rollback 'Make the `previous` version current again (the current one becomes previous)'
            cand edit 'Edit a secret''s current value in $VISUAL or $EDITOR; saved as a new version'
            cand tag 'Set tags on a secret'
            cand untag 'Remove tags from a secret'
            cand describe 'Set a secret''s description'
            cand rm 'Schedule a secret''s deletion (reads fail meanwhile), or delete it now'
            cand delete 'Schedule a secret''s deletion (reads fail meanwhile), or delete it now'
            cand remove 'Schedule a secret''s deletion (reads fail meanwhile), or delete it now'
            cand restore 'Cancel a secret''s scheduled deletion'
            cand purge 'Remove the secrets whose deletion recovery window has passed'
            cand gen 'Print a random password from the OS CSPRNG'
            cand generate 'Print a random password from the OS CSPRNG'
            cand import 'Create secrets from a .env file or a JSON object of name to value, in one run'
            cand log 'Read the access log (every member''s file, merged in time order), or verify it'
            cand verify 'Check the whole store: signatures, hashes, labels and log chains (exit 5 on any problem); needs no identity'
            cand member 'Manage the store''s members (who can read, whose signatures count)'
            cand doctor 'Find and remove the leftovers of interrupted writes (temp files, orphan ciphertexts, unfinished rewraps, torn log lines) and of killed `sm edit` runs (their scratch folders), and register sm''s git merge driver; changes nothing in a store holding links or special files'
            cand completions 'Print shell completions (bash, zsh, fish, elvish, powershell)'
            cand man 'Write man pages (sm.1 and one per subcommand) into DIR'
            cand exec 'Run a program with secrets as environment variables'
            cand env 'Print secrets as variables: a .env file, shell exports or JSON'
            cand inject 'Render a template, replacing each {{ sm://NAME[#field] }} with its value'
            cand rotate 'Rotate a secret through its hook, configure its schedule, or run every rotation that is due'
            cand scan 'Find plaintext secrets: this store''s values (also base64, hex and URL-encoded), credential formats, and plaintext inside the store'
            cand hook 'Install or remove the git pre-commit hook that runs `sm scan --staged`'
            cand access 'Show or change who may read and write secrets'
            cand group 'Manage groups of members for access rules (admins only; signed)'
            cand rewrap 'Re-encrypt labelled versions to the recipients the access rules name now'
            cand merge-driver 'Merge concurrent changes to a secret''s meta.toml (run by git)'
            cand replica 'Keep read-only replicas of this store, re-encrypted to their own members'
            cand serve 'Serve the cloud service''s API and its caching agent''s API to applications'
            cand __api 'Run one operation of the local API (request on stdin, answer on stdout)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'sm;init'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --recipient 'Also encrypt every value to R (age1… or an SSH public key); repeatable'
            cand --name 'Your member name (default: $SM_MEMBER, else $USER)'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'sm;identity'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand new 'Create an identity (in the OS keyring unless --file or SM_NO_KEYRING=1)'
            cand show 'Print your age recipient and signing key, for `sm member add`'
            cand export 'Export the identity''s secret key, for a backup'
            cand passphrase 'Add or change the passphrase of your identity file (asked on the terminal twice; the old one first when it has one)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'sm;identity;new'= {
            cand --file 'Write the identity to FILE (mode 0600) instead of the keyring'
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --passphrase 'Protect the identity file with a passphrase (asked twice)'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'sm;identity;show'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --card 'Print both as one "member card" string (sm-card:v1:…), which `sm member add NAME CARD` accepts'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'sm;identity;export'= {
            cand --file 'Write the key to this new file (mode 0600) instead of the terminal'
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'sm;identity;passphrase'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'sm;identity;help'= {
            cand new 'Create an identity (in the OS keyring unless --file or SM_NO_KEYRING=1)'
            cand show 'Print your age recipient and signing key, for `sm member add`'
            cand export 'Export the identity''s secret key, for a backup'
            cand passphrase 'Add or change the passphrase of your identity file (asked on the terminal twice; the old one first when it has one)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'sm;identity;help;new'= {
        }
        &'sm;identity;help;show'= {
        }
        &'sm;identity;help;export'= {
        }
        &'sm;identity;help;passphrase'= {
        }
        &'sm;identity;help;help'= {
        }
        &'sm;agent'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand start 'Start the agent (if needed) and unlock your identity in it; the passphrase is asked once, on the terminal'
            cand stop 'End the agent (it forgets the identity)'
            cand lock 'Make the agent forget the identity; it keeps running, and `sm agent start` unlocks it again'
            cand status 'Say whether the agent runs, holds the identity, and how long it has been idle (exit 3 when it does not run)'
            cand serve 'Run the agent in this process (what `start` launches, detached)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'sm;agent;start'= {
            cand --timeout 'End after this long without use: 90s, 15m, 2h (at most 8h)'
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'sm;agent;stop'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'sm;agent;lock'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'sm;agent;status'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'sm;agent;serve'= {
            cand --socket 'The socket to listen on'
            cand --timeout 'The idle timeout'
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'sm;agent;help'= {
            cand start 'Start the agent (if needed) and unlock your identity in it; the passphrase is asked once, on the terminal'
            cand stop 'End the agent (it forgets the identity)'
            cand lock 'Make the agent forget the identity; it keeps running, and `sm agent start` unlocks it again'
            cand status 'Say whether the agent runs, holds the identity, and how long it has been idle (exit 3 when it does not run)'
            cand serve 'Run the agent in this process (what `start` launches, detached)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'sm;agent;help;start'= {
        }
        &'sm;agent;help;stop'= {
        }
        &'sm;agent;help;lock'= {
        }
        &'sm;agent;help;status'= {
        }
        &'sm;agent;help;serve'= {
        }
        &'sm;agent;help;help'= {
        }
        &'sm;put'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --file 'Read the value from FILE'
            cand --length 'Password length, 1 to 4096 [default: 32]'
            cand --exclude-chars 'Never use these characters in the password'
            cand --description 'Set the description'
            cand --tag 'Set a tag; repeatable'
            cand --version-id 'Use this version id; retrying with the same id and value is a no-op'
            cand --label 'Give the new version this label instead of `current`; repeatable'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand --stdin 'Read the value from standard input'
            cand --generate 'Store a generated password (never printed; shaped by the options below)'
            cand --no-numbers 'No digits in the password'
            cand --no-punctuation 'No punctuation in the password (!"#$%&''()*+,-./:;<=>?@[\]^_`{|}~)'
            cand --no-uppercase 'No uppercase letters in the password'
            cand --no-lowercase 'No lowercase letters in the password'
            cand --include-space 'Allow the space character in the password'
            cand --no-require-each 'Do not require one character of each included class'
            cand --binary 'Store the value as binary (printed as base64 in --json)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'sm;get'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --version 'Read this version id'
            cand --label 'Read the version carrying LABEL (current, previous, pending, ...)'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'sm;ls'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --tag 'Only secrets with this tag; repeatable (all must match)'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand --deleted 'List secrets scheduled for deletion (instead of the live ones)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'sm;list'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --tag 'Only secrets with this tag; repeatable (all must match)'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand --deleted 'List secrets scheduled for deletion (instead of the live ones)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'sm;show'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'sm;versions'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'sm;history'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'sm;label'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --to 'Point the label at version ID'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand --remove 'Remove the label'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'sm;rollback'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'sm;edit'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'sm;tag'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'sm;untag'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'sm;describe'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'sm;rm'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --recovery-days 'Days before `sm purge` may remove it (7 to 30)'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand --force 'Delete every version now, without a recovery window'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'sm;delete'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --recovery-days 'Days before `sm purge` may remove it (7 to 30)'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand --force 'Delete every version now, without a recovery window'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'sm;remove'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --recovery-days 'Days before `sm purge` may remove it (7 to 30)'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand --force 'Delete every version now, without a recovery window'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'sm;restore'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'sm;purge'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'sm;gen'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --length 'Password length, 1 to 4096 [default: 32]'
            cand --exclude-chars 'Never use these characters in the password'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand --no-numbers 'No digits in the password'
            cand --no-punctuation 'No punctuation in the password (!"#$%&''()*+,-./:;<=>?@[\]^_`{|}~)'
            cand --no-uppercase 'No uppercase letters in the password'
            cand --no-lowercase 'No lowercase letters in the password'
            cand --include-space 'Allow the space character in the password'
            cand --no-require-each 'Do not require one character of each included class'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'sm;generate'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --length 'Password length, 1 to 4096 [default: 32]'
            cand --exclude-chars 'Never use these characters in the password'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand --no-numbers 'No digits in the password'
            cand --no-punctuation 'No punctuation in the password (!"#$%&''()*+,-./:;<=>?@[\]^_`{|}~)'
            cand --no-uppercase 'No uppercase letters in the password'
            cand --no-lowercase 'No lowercase letters in the password'
            cand --include-space 'Allow the space character in the password'
            cand --no-require-each 'Do not require one character of each included class'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'sm;import'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --format 'The file''s format (default: json for *.json or input starting with `{`, else dotenv)'
            cand --prefix 'Put every secret under PREFIX/'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand --skip-empty 'Skip entries with an empty value (with a note) instead of refusing'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'sm;log'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --since 'Only entries since T (RFC 3339, or an age such as 30m, 12h, 7d)'
            cand --actor 'Only entries by this member'
            cand --op 'Only this operation (get, put, label, ...)'
            cand -n 'Only the newest N entries (after the other filters)'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand --reverse 'Newest first'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand verify 'Check every chain and signature; name the first bad line of each file'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'sm;log;verify'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'sm;log;help'= {
            cand verify 'Check every chain and signature; name the first bad line of each file'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'sm;log;help;verify'= {
        }
        &'sm;log;help;help'= {
        }
        &'sm;verify'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand --history 'Also check the store''s git history, commit by commit: every signed file''s sequence only rose, no secret vanished without a signed tombstone, no listed version or log entry was deleted, and each header change was signed by an admin of the header before it. Needs no memory of the store, so a fresh clone (a CI job) catches a replay or deletion committed on top of honest history'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'sm;member'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand add 'Add a member, from their member card (`sm identity show --card`) or their recipient and --signing-key (`sm identity show`)'
            cand ls 'List the members, and the store''s extra recipients (keys from `sm init --recipient` that can decrypt every value)'
            cand admin 'Make a member an admin (may change members, groups and rules)'
            cand rm 'Remove a member, re-encrypt what they could read, and list the secrets to rotate'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'sm;member;add'= {
            cand --signing-key 'Their signing key (ed25519:…), when RECIPIENT is not a card'
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --admin 'Make them an admin (may change members and settings)'
            cand --no-rewrap 'Do not re-encrypt existing versions to them now (`sm rewrap` does it later); by default what the rules let them read is re-encrypted at once'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'sm;member;ls'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'sm;member;admin'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'sm;member;rm'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --rotate 'Also rotate those secrets now (the ones with a rotation set up)'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'sm;member;help'= {
            cand add 'Add a member, from their member card (`sm identity show --card`) or their recipient and --signing-key (`sm identity show`)'
            cand ls 'List the members, and the store''s extra recipients (keys from `sm init --recipient` that can decrypt every value)'
            cand admin 'Make a member an admin (may change members, groups and rules)'
            cand rm 'Remove a member, re-encrypt what they could read, and list the secrets to rotate'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'sm;member;help;add'= {
        }
        &'sm;member;help;ls'= {
        }
        &'sm;member;help;admin'= {
        }
        &'sm;member;help;rm'= {
        }
        &'sm;member;help;help'= {
        }
        &'sm;doctor'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand --reset-trust 'Accept the store as it is now: pin this folder and its git remotes to it and forget the sequences this machine trusted there (after a deliberate re-creation or rewind of the store)'
            cand --upgrade 'Move a format-1 store to the current format (a signed header, sequences and tombstones, so replays and deletions are caught); admins only. Any admin write does it too'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'sm;completions'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'sm;man'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'sm;exec'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand -s 'Add a secret: NAME (a JSON secret gives one variable per field, a plain one is named after its last path segment), NAME:PREFIX, NAME=VAR, NAME#field[=VAR], each optionally ending in ?label=L or ?version=ID; repeatable'
            cand --secret 'Add a secret: NAME (a JSON secret gives one variable per field, a plain one is named after its last path segment), NAME:PREFIX, NAME=VAR, NAME#field[=VAR], each optionally ending in ?label=L or ?version=ID; repeatable'
            cand --env-file 'Read VAR=value and VAR=sm://NAME[#field][?label=L|?version=ID] lines from F (a .env file of at most 1 MiB; only sm:// values are read from the store); repeatable, read before the -s secrets'
            cand --keep 'Keep VAR from sm''s environment with --clean-env; repeatable'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand --override 'Let a later source win when two name the same variable (env files first, then -s, each in the order given), and let a variable named after a JSON field or the last path segment replace one the program would inherit, instead of failing'
            cand --allow-unsafe-env 'Let env files set variables that make the program load or run other code: LD_*, DYLD_*, glibc''s unsecure variables (GCONV_PATH, TMPDIR, ...), BASH_ENV, ENV, PS4 and other shell variables, NODE_OPTIONS, PYTHONPATH and other runtime variables, a PATH with an empty or relative entry, or LANG/LC_* holding a /. Without it such a line exits 2 naming the file and line'
            cand --clean-env 'Start the program with an empty environment: only the secrets, the env files'' variables and the --keep variables'
            cand --serve 'Give the program a private endpoint of the cloud service''s API (see `sm serve`) for exactly its lifetime: a random loopback port and keys made for this run, held in memory only, in AWS_ENDPOINT_URL_SECRETS_MANAGER, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION and AWS_DEFAULT_REGION (a region already set is kept; AWS_PROFILE and session tokens are removed). Its calls act as you and are logged as client `exec`. The program then runs as sm''s child: signals sent to sm pass on to it, and sm exits with its status'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'sm;env'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand -s 'Add a secret: NAME (a JSON secret gives one variable per field, a plain one is named after its last path segment), NAME:PREFIX, NAME=VAR, NAME#field[=VAR], each optionally ending in ?label=L or ?version=ID; repeatable'
            cand --secret 'Add a secret: NAME (a JSON secret gives one variable per field, a plain one is named after its last path segment), NAME:PREFIX, NAME=VAR, NAME#field[=VAR], each optionally ending in ?label=L or ?version=ID; repeatable'
            cand --env-file 'Read VAR=value and VAR=sm://NAME[#field][?label=L|?version=ID] lines from F (a .env file of at most 1 MiB; only sm:// values are read from the store); repeatable, read before the -s secrets'
            cand --format 'The output format (--json means json)'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand --override 'Let a later source win when two name the same variable (env files first, then -s, each in the order given), and let a variable named after a JSON field or the last path segment replace one the program would inherit, instead of failing'
            cand --allow-unsafe-env 'Let env files set variables that make the program load or run other code: LD_*, DYLD_*, glibc''s unsecure variables (GCONV_PATH, TMPDIR, ...), BASH_ENV, ENV, PS4 and other shell variables, NODE_OPTIONS, PYTHONPATH and other runtime variables, a PATH with an empty or relative entry, or LANG/LC_* holding a /. Without it such a line exits 2 naming the file and line'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'sm;inject'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand -i 'Read the template from TEMPLATE (default: standard input)'
            cand --in 'Read the template from TEMPLATE (default: standard input)'
            cand -o 'Write to FILE, mode 0600 (default: standard output)'
            cand --out 'Write to FILE, mode 0600 (default: standard output)'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'sm;rotate'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --hook 'Set the hook command, run as `CMD STEP`'
            cand --every 'Rotate every DUR days or hours (30d, 12h)'
            cand --schedule 'Rotate on a schedule: ''rate(N days|hours)'' or ''cron(M H DOM MON DOW Y)'''
            cand --window 'Start a scheduled rotation only within DUR after its time (3h, 1d)'
            cand --field 'The field of a JSON secret a generated value replaces [default: password]'
            cand --length 'Password length, 1 to 4096 [default: 32]'
            cand --exclude-chars 'Never use these characters in the password'
            cand --timeout 'Stop a step after SECS seconds [default: 300]'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand --trust-hook 'Trust the secret''s hook, as it is now, on this machine'
            cand --no-rotate-now 'Save the settings without rotating now'
            cand --generate 'Generate the new value when the hook prints none'
            cand --no-numbers 'No digits in the password'
            cand --no-punctuation 'No punctuation in the password (!"#$%&''()*+,-./:;<=>?@[\]^_`{|}~)'
            cand --no-uppercase 'No uppercase letters in the password'
            cand --no-lowercase 'No lowercase letters in the password'
            cand --include-space 'Allow the space character in the password'
            cand --no-require-each 'Do not require one character of each included class'
            cand --cancel 'Drop the rotation in progress'
            cand --due 'Run every rotation that is due'
            cand --dry-run 'With --due: list what would rotate, and rotate nothing'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'sm;scan'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --history 'Scan the lines each commit in RANGE added (default: every branch)'
            cand --baseline 'Report only findings missing from FILE, an earlier `--format json` report'
            cand --format 'Output format'
            cand --max-file-size 'Skip files larger than BYTES'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand --staged 'Scan the staged blobs of the git index (what would be committed)'
            cand --no-store 'Match credential formats only, not this store''s values'
            cand -v 'Say what was skipped and why'
            cand --verbose 'Say what was skipped and why'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'sm;hook'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand install 'Write .git/hooks/pre-commit running `sm scan --staged`'
            cand uninstall 'Remove the pre-commit hook if sm installed it'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'sm;hook;install'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --force 'Replace a different existing hook (kept as pre-commit.sm-backup)'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'sm;hook;uninstall'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'sm;hook;help'= {
            cand install 'Write .git/hooks/pre-commit running `sm scan --staged`'
            cand uninstall 'Remove the pre-commit hook if sm installed it'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'sm;hook;help;install'= {
        }
        &'sm;hook;help;uninstall'= {
        }
        &'sm;hook;help;help'= {
        }
        &'sm;access'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --member 'List what member M may read and write'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand set 'Add or replace the rule for GLOB'
            cand rm 'Remove the rule for GLOB'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'sm;access;set'= {
            cand --read 'Members or groups that may read (comma-separated; `*` for everyone)'
            cand --write 'Members or groups that may write (comma-separated; `*` for everyone)'
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'sm;access;rm'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'sm;access;help'= {
            cand set 'Add or replace the rule for GLOB'
            cand rm 'Remove the rule for GLOB'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'sm;access;help;set'= {
        }
        &'sm;access;help;rm'= {
        }
        &'sm;access;help;help'= {
        }
        &'sm;group'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand add 'Add members to group G, creating it if needed'
            cand rm 'Remove members from group G, or the group itself when none are named'
            cand ls 'List the groups'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'sm;group;add'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'sm;group;rm'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'sm;group;ls'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'sm;group;help'= {
            cand add 'Add members to group G, creating it if needed'
            cand rm 'Remove members from group G, or the group itself when none are named'
            cand ls 'List the groups'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'sm;group;help;add'= {
        }
        &'sm;group;help;rm'= {
        }
        &'sm;group;help;ls'= {
        }
        &'sm;group;help;help'= {
        }
        &'sm;rewrap'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'sm;merge-driver'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'sm;replica'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand add 'Create a replica in DIR (or adopt the one there) for these members'
            cand sync 'Copy what changed to every replica'
            cand status 'Show what each replica is behind on (exit 1 if anything is)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'sm;replica;add'= {
            cand --members 'Members of this store who become its members (you always are)'
            cand --prefix 'Only secrets whose names start with P (repeatable; default: all)'
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'sm;replica;sync'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'sm;replica;status'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'sm;replica;help'= {
            cand add 'Create a replica in DIR (or adopt the one there) for these members'
            cand sync 'Copy what changed to every replica'
            cand status 'Show what each replica is behind on (exit 1 if anything is)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'sm;replica;help;add'= {
        }
        &'sm;replica;help;sync'= {
        }
        &'sm;replica;help;status'= {
        }
        &'sm;replica;help;help'= {
        }
        &'sm;serve'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --listen 'The API''s address: IP:PORT (port 0: a free port, printed at start) or unix:PATH, a Unix socket only you may connect to'
            cand --agent-listen 'The agent API''s address: IP:PORT (default: the agent''s own port) or unix:PATH'
            cand --agent-read 'The names the agent API may read (default: all you may read); repeatable'
            cand --account-id 'The account id shown in ARNs'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand --no-agent 'Do not serve the agent API'
            cand --allow-remote 'Allow listening on an address other than loopback'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand client 'Manage the API''s clients (their keys are kept in your config folder)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'sm;serve;client'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand add 'Make a client and print its keys (the secret key is shown only now; --json prints {access_key_id, secret_access_key}). With neither --read nor --write it may read every name; --write implies read'
            cand ls 'List this store''s clients (never their secret keys)'
            cand rm 'Remove a client: its keys stop working at its next request'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'sm;serve;client;add'= {
            cand --read 'A glob of names it may read (`*` within a path segment, `**` across them); repeatable'
            cand --write 'A glob of names it may write (and read); repeatable'
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'sm;serve;client;ls'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'sm;serve;client;rm'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'sm;serve;client;help'= {
            cand add 'Make a client and print its keys (the secret key is shown only now; --json prints {access_key_id, secret_access_key}). With neither --read nor --write it may read every name; --write implies read'
            cand ls 'List this store''s clients (never their secret keys)'
            cand rm 'Remove a client: its keys stop working at its next request'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'sm;serve;client;help;add'= {
        }
        &'sm;serve;client;help;ls'= {
        }
        &'sm;serve;client;help;rm'= {
        }
        &'sm;serve;client;help;help'= {
        }
        &'sm;serve;help'= {
            cand client 'Manage the API''s clients (their keys are kept in your config folder)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'sm;serve;help;client'= {
            cand add 'Make a client and print its keys (the secret key is shown only now; --json prints {access_key_id, secret_access_key}). With neither --read nor --write it may read every name; --write implies read'
            cand ls 'List this store''s clients (never their secret keys)'
            cand rm 'Remove a client: its keys stop working at its next request'
        }
        &'sm;serve;help;client;add'= {
        }
        &'sm;serve;help;client;ls'= {
        }
        &'sm;serve;help;client;rm'= {
        }
        &'sm;serve;help;help'= {
        }
        &'sm;__api'= {
            cand --store 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)'
            cand --identity 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)'
            cand --region 'The region shown in ARNs'
            cand --account-id 'The account id shown in ARNs'
            cand --read 'Act as a client limited to these name globs for reading (with --write: writing); without either, as the member''s own client'
            cand --write 'Act as a client that may write (and read) names matching GLOB'
            cand --json 'Print records as JSON'
            cand -q 'Print nothing but what was asked for'
            cand --quiet 'Print nothing but what was asked for'
            cand --no-color 'Do not color output (also NO_COLOR)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'sm;help'= {
            cand init 'init'
            cand identity 'identity'
            cand agent 'agent'
            cand put 'put'
            cand get 'get'
            cand ls 'ls'
            cand show 'show'
            cand versions 'versions'
            cand label 'label'
            cand rollback 'rollback'
            cand edit 'edit'
            cand tag 'tag'
            cand untag 'untag'
            cand describe 'describe'
            cand rm 'rm'
            cand restore 'restore'
            cand purge 'purge'
            cand gen 'gen'
            cand import 'import'
            cand log 'log'
            cand verify 'verify'
            cand member 'member'
            cand doctor 'doctor'
            cand completions 'completions'
            cand man 'man'
            cand exec 'exec'
            cand env 'env'
            cand inject 'inject'
            cand rotate 'rotate'
            cand scan 'scan'
            cand hook 'hook'
            cand access 'access'
            cand group 'group'
            cand rewrap 'rewrap'
            cand merge-driver 'merge-driver'
            cand replica 'replica'
            cand serve 'serve'
            cand __api '__api'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'sm;help;init'= {
        }
        &'sm;help;identity'= {
        }
        &'sm;help;agent'= {
        }
        &'sm;help;put'= {
        }
        &'sm;help;get'= {
        }
        &'sm;help;ls'= {
        }
        &'sm;help;show'= {
        }
        &'sm;help;versions'= {
        }
        &'sm;help;label'= {
        }
        &'sm;help;rollback'= {
        }
        &'sm;help;edit'= {
        }
        &'sm;help;tag'= {
        }
        &'sm;help;untag'= {
        }
        &'sm;help;describe'= {
        }
        &'sm;help;rm'= {
        }
        &'sm;help;restore'= {
        }
        &'sm;help;purge'= {
        }
        &'sm;help;gen'= {
        }
        &'sm;help;import'= {
        }
        &'sm;help;log'= {
        }
        &'sm;help;verify'= {
        }
        &'sm;help;member'= {
        }
        &'sm;help;doctor'= {
        }
        &'sm;help;completions'= {
        }
        &'sm;help;man'= {
        }
        &'sm;help;exec'= {
        }
        &'sm;help;env'= {
        }
        &'sm;help;inject'= {
        }
        &'sm;help;rotate'= {
        }
        &'sm;help;scan'= {
        }
        &'sm;help;hook'= {
        }
        &'sm;help;access'= {
        }
        &'sm;help;group'= {
        }
        &'sm;help;rewrap'= {
        }
        &'sm;help;merge-driver'= {
        }
        &'sm;help;replica'= {
        }
        &'sm;help;serve'= {
        }
        &'sm;help;__api'= {
        }
        &'sm;help;help'= {
        }
    ]
    $completions[$command]
}
