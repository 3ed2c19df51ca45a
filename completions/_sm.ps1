
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'sm' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'sm'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'sm' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create a store; you become its first member and admin')
            [CompletionResult]::new('identity', 'identity', [CompletionResultType]::ParameterValue, 'Create or show your identity (age key and signing key)')
            [CompletionResult]::new('agent', 'agent', [CompletionResultType]::ParameterValue, 'Hold your unlocked identity in memory for a while, so the passphrase is asked once')
            [CompletionResult]::new('put', 'put', [CompletionResultType]::ParameterValue, 'Create a secret or add a new version of it')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print a secret''s value (exact bytes; a newline is added only on a terminal)')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List secrets with their current version time, labels and rotation')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List secrets with their current version time, labels and rotation')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Describe a secret: description, tags, versions and labels, rotation, deletion, last access')
            [CompletionResult]::new('versions', 'versions', [CompletionResultType]::ParameterValue, 'List a secret''s versions, newest first, with labels, author and time')
            [CompletionResult]::new('history', 'history', [CompletionResultType]::ParameterValue, 'List a secret''s versions, newest first, with labels, author and time')
            [CompletionResult]::new('label', 'label', [CompletionResultType]::ParameterValue, 'Move a label to a version, or remove it')
            [CompletionResult]::new('rollback', 'rollback', [CompletionResultType]::ParameterValue, 'Make the `previous` version current again (the current one becomes previous)')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'Edit a secret''s current value in $VISUAL or $EDITOR; saved as a new version')
            [CompletionResult]::new('tag', 'tag', [CompletionResultType]::ParameterValue, 'Set tags on a secret')
            [CompletionResult]::new('untag', 'untag', [CompletionResultType]::ParameterValue, 'Remove tags from a secret')
            [CompletionResult]::new('describe', 'describe', [CompletionResultType]::ParameterValue, 'Set a secret''s description')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Schedule a secret''s deletion (reads fail meanwhile), or delete it now')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Schedule a secret''s deletion (reads fail meanwhile), or delete it now')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Schedule a secret''s deletion (reads fail meanwhile), or delete it now')
            [CompletionResult]::new('restore', 'restore', [CompletionResultType]::ParameterValue, 'Cancel a secret''s scheduled deletion')
            [CompletionResult]::new('purge', 'purge', [CompletionResultType]::ParameterValue, 'Remove the secrets whose deletion recovery window has passed')
            [CompletionResult]::new('gen', 'gen', [CompletionResultType]::ParameterValue, 'Print a random password from the OS CSPRNG')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Print a random password from the OS CSPRNG')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Create secrets from a .env file or a JSON object of name to value, in one run')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'Read the access log (every member''s file, merged in time order), or verify it')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check the whole store: signatures, hashes, labels and log chains (exit 5 on any problem); needs no identity')
            [CompletionResult]::new('member', 'member', [CompletionResultType]::ParameterValue, 'Manage the store''s members (who can read, whose signatures count)')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Find and remove the leftovers of interrupted writes (temp files, orphan ciphertexts, unfinished rewraps, torn log lines) and of killed `sm edit` runs (their scratch folders), and register sm''s git merge driver; changes nothing in a store holding links or special files')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions (bash, zsh, fish, elvish, powershell)')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Write man pages (sm.1 and one per subcommand) into DIR')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run a program with secrets as environment variables')
            [CompletionResult]::new('env', 'env', [CompletionResultType]::ParameterValue, 'Print secrets as variables: a .env file, shell exports or JSON')
            [CompletionResult]::new('inject', 'inject', [CompletionResultType]::ParameterValue, 'Render a template, replacing each {{ sm://NAME[#field] }} with its value')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Rotate a secret through its hook, configure its schedule, or run every rotation that is due')
            [CompletionResult]::new('scan', 'scan', [CompletionResultType]::ParameterValue, 'Find plaintext secrets: this store''s values (also base64, hex and URL-encoded), credential formats, and plaintext inside the store')
            [CompletionResult]::new('hook', 'hook', [CompletionResultType]::ParameterValue, 'Install or remove the git pre-commit hook that runs `sm scan --staged`')
            [CompletionResult]::new('access', 'access', [CompletionResultType]::ParameterValue, 'Show or change who may read and write secrets')
            [CompletionResult]::new('group', 'group', [CompletionResultType]::ParameterValue, 'Manage groups of members for access rules (admins only; signed)')
            [CompletionResult]::new('rewrap', 'rewrap', [CompletionResultType]::ParameterValue, 'Re-encrypt labelled versions to the recipients the access rules name now')
            [CompletionResult]::new('merge-driver', 'merge-driver', [CompletionResultType]::ParameterValue, 'Merge concurrent changes to a secret''s meta.toml (run by git)')
            [CompletionResult]::new('replica', 'replica', [CompletionResultType]::ParameterValue, 'Keep read-only replicas of this store, re-encrypted to their own members')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve the cloud service''s API and its caching agent''s API to applications')
            [CompletionResult]::new('__api', '__api', [CompletionResultType]::ParameterValue, 'Run one operation of the local API (request on stdin, answer on stdout)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'sm;init' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--recipient', '--recipient', [CompletionResultType]::ParameterName, 'Also encrypt every value to R (age1… or an SSH public key); repeatable')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Your member name (default: $SM_MEMBER, else $USER)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'sm;identity' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('new', 'new', [CompletionResultType]::ParameterValue, 'Create an identity (in the OS keyring unless --file or SM_NO_KEYRING=1)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print your age recipient and signing key, for `sm member add`')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Export the identity''s secret key, for a backup')
            [CompletionResult]::new('passphrase', 'passphrase', [CompletionResultType]::ParameterValue, 'Add or change the passphrase of your identity file (asked on the terminal twice; the old one first when it has one)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'sm;identity;new' {
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Write the identity to FILE (mode 0600) instead of the keyring')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--passphrase', '--passphrase', [CompletionResultType]::ParameterName, 'Protect the identity file with a passphrase (asked twice)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'sm;identity;show' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--card', '--card', [CompletionResultType]::ParameterName, 'Print both as one "member card" string (sm-card:v1:…), which `sm member add NAME CARD` accepts')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'sm;identity;export' {
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Write the key to this new file (mode 0600) instead of the terminal')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'sm;identity;passphrase' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'sm;identity;help' {
            [CompletionResult]::new('new', 'new', [CompletionResultType]::ParameterValue, 'Create an identity (in the OS keyring unless --file or SM_NO_KEYRING=1)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print your age recipient and signing key, for `sm member add`')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Export the identity''s secret key, for a backup')
            [CompletionResult]::new('passphrase', 'passphrase', [CompletionResultType]::ParameterValue, 'Add or change the passphrase of your identity file (asked on the terminal twice; the old one first when it has one)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'sm;identity;help;new' {
            break
        }
        'sm;identity;help;show' {
            break
        }
        'sm;identity;help;export' {
            break
        }
        'sm;identity;help;passphrase' {
            break
        }
        'sm;identity;help;help' {
            break
        }
        'sm;agent' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Start the agent (if needed) and unlock your identity in it; the passphrase is asked once, on the terminal')
            [CompletionResult]::new('stop', 'stop', [CompletionResultType]::ParameterValue, 'End the agent (it forgets the identity)')
            [CompletionResult]::new('lock', 'lock', [CompletionResultType]::ParameterValue, 'Make the agent forget the identity; it keeps running, and `sm agent start` unlocks it again')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Say whether the agent runs, holds the identity, and how long it has been idle (exit 3 when it does not run)')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Run the agent in this process (what `start` launches, detached)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'sm;agent;start' {
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'End after this long without use: 90s, 15m, 2h (at most 8h)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'sm;agent;stop' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'sm;agent;lock' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'sm;agent;status' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'sm;agent;serve' {
            [CompletionResult]::new('--socket', '--socket', [CompletionResultType]::ParameterName, 'The socket to listen on')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'The idle timeout')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'sm;agent;help' {
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Start the agent (if needed) and unlock your identity in it; the passphrase is asked once, on the terminal')
            [CompletionResult]::new('stop', 'stop', [CompletionResultType]::ParameterValue, 'End the agent (it forgets the identity)')
            [CompletionResult]::new('lock', 'lock', [CompletionResultType]::ParameterValue, 'Make the agent forget the identity; it keeps running, and `sm agent start` unlocks it again')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Say whether the agent runs, holds the identity, and how long it has been idle (exit 3 when it does not run)')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Run the agent in this process (what `start` launches, detached)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'sm;agent;help;start' {
            break
        }
        'sm;agent;help;stop' {
            break
        }
        'sm;agent;help;lock' {
            break
        }
        'sm;agent;help;status' {
            break
        }
        'sm;agent;help;serve' {
            break
        }
        'sm;agent;help;help' {
            break
        }
        'sm;put' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Read the value from FILE')
            [CompletionResult]::new('--length', '--length', [CompletionResultType]::ParameterName, 'Password length, 1 to 4096 [default: 32]')
            [CompletionResult]::new('--exclude-chars', '--exclude-chars', [CompletionResultType]::ParameterName, 'Never use these characters in the password')
            [CompletionResult]::new('--description', '--description', [CompletionResultType]::ParameterName, 'Set the description')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'Set a tag; repeatable')
            [CompletionResult]::new('--version-id', '--version-id', [CompletionResultType]::ParameterName, 'Use this version id; retrying with the same id and value is a no-op')
            [CompletionResult]::new('--label', '--label', [CompletionResultType]::ParameterName, 'Give the new version this label instead of `current`; repeatable')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('--stdin', '--stdin', [CompletionResultType]::ParameterName, 'Read the value from standard input')
            [CompletionResult]::new('--generate', '--generate', [CompletionResultType]::ParameterName, 'Store a generated password (never printed; shaped by the options below)')
            [CompletionResult]::new('--no-numbers', '--no-numbers', [CompletionResultType]::ParameterName, 'No digits in the password')
            [CompletionResult]::new('--no-punctuation', '--no-punctuation', [CompletionResultType]::ParameterName, 'No punctuation in the password (!"#$%&''()*+,-./:;<=>?@[\]^_`{|}~)')
            [CompletionResult]::new('--no-uppercase', '--no-uppercase', [CompletionResultType]::ParameterName, 'No uppercase letters in the password')
            [CompletionResult]::new('--no-lowercase', '--no-lowercase', [CompletionResultType]::ParameterName, 'No lowercase letters in the password')
            [CompletionResult]::new('--include-space', '--include-space', [CompletionResultType]::ParameterName, 'Allow the space character in the password')
            [CompletionResult]::new('--no-require-each', '--no-require-each', [CompletionResultType]::ParameterName, 'Do not require one character of each included class')
            [CompletionResult]::new('--binary', '--binary', [CompletionResultType]::ParameterName, 'Store the value as binary (printed as base64 in --json)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'sm;get' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Read this version id')
            [CompletionResult]::new('--label', '--label', [CompletionResultType]::ParameterName, 'Read the version carrying LABEL (current, previous, pending, ...)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'sm;ls' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'Only secrets with this tag; repeatable (all must match)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('--deleted', '--deleted', [CompletionResultType]::ParameterName, 'List secrets scheduled for deletion (instead of the live ones)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'sm;list' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'Only secrets with this tag; repeatable (all must match)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('--deleted', '--deleted', [CompletionResultType]::ParameterName, 'List secrets scheduled for deletion (instead of the live ones)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'sm;show' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'sm;versions' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'sm;history' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'sm;label' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Point the label at version ID')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('--remove', '--remove', [CompletionResultType]::ParameterName, 'Remove the label')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'sm;rollback' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'sm;edit' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'sm;tag' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'sm;untag' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'sm;describe' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'sm;rm' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--recovery-days', '--recovery-days', [CompletionResultType]::ParameterName, 'Days before `sm purge` may remove it (7 to 30)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Delete every version now, without a recovery window')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'sm;delete' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--recovery-days', '--recovery-days', [CompletionResultType]::ParameterName, 'Days before `sm purge` may remove it (7 to 30)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Delete every version now, without a recovery window')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'sm;remove' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--recovery-days', '--recovery-days', [CompletionResultType]::ParameterName, 'Days before `sm purge` may remove it (7 to 30)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Delete every version now, without a recovery window')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'sm;restore' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'sm;purge' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'sm;gen' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--length', '--length', [CompletionResultType]::ParameterName, 'Password length, 1 to 4096 [default: 32]')
            [CompletionResult]::new('--exclude-chars', '--exclude-chars', [CompletionResultType]::ParameterName, 'Never use these characters in the password')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('--no-numbers', '--no-numbers', [CompletionResultType]::ParameterName, 'No digits in the password')
            [CompletionResult]::new('--no-punctuation', '--no-punctuation', [CompletionResultType]::ParameterName, 'No punctuation in the password (!"#$%&''()*+,-./:;<=>?@[\]^_`{|}~)')
            [CompletionResult]::new('--no-uppercase', '--no-uppercase', [CompletionResultType]::ParameterName, 'No uppercase letters in the password')
            [CompletionResult]::new('--no-lowercase', '--no-lowercase', [CompletionResultType]::ParameterName, 'No lowercase letters in the password')
            [CompletionResult]::new('--include-space', '--include-space', [CompletionResultType]::ParameterName, 'Allow the space character in the password')
            [CompletionResult]::new('--no-require-each', '--no-require-each', [CompletionResultType]::ParameterName, 'Do not require one character of each included class')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'sm;generate' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--length', '--length', [CompletionResultType]::ParameterName, 'Password length, 1 to 4096 [default: 32]')
            [CompletionResult]::new('--exclude-chars', '--exclude-chars', [CompletionResultType]::ParameterName, 'Never use these characters in the password')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('--no-numbers', '--no-numbers', [CompletionResultType]::ParameterName, 'No digits in the password')
            [CompletionResult]::new('--no-punctuation', '--no-punctuation', [CompletionResultType]::ParameterName, 'No punctuation in the password (!"#$%&''()*+,-./:;<=>?@[\]^_`{|}~)')
            [CompletionResult]::new('--no-uppercase', '--no-uppercase', [CompletionResultType]::ParameterName, 'No uppercase letters in the password')
            [CompletionResult]::new('--no-lowercase', '--no-lowercase', [CompletionResultType]::ParameterName, 'No lowercase letters in the password')
            [CompletionResult]::new('--include-space', '--include-space', [CompletionResultType]::ParameterName, 'Allow the space character in the password')
            [CompletionResult]::new('--no-require-each', '--no-require-each', [CompletionResultType]::ParameterName, 'Do not require one character of each included class')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'sm;import' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'The file''s format (default: json for *.json or input starting with `{`, else dotenv)')
            [CompletionResult]::new('--prefix', '--prefix', [CompletionResultType]::ParameterName, 'Put every secret under PREFIX/')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('--skip-empty', '--skip-empty', [CompletionResultType]::ParameterName, 'Skip entries with an empty value (with a note) instead of refusing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'sm;log' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only entries since T (RFC 3339, or an age such as 30m, 12h, 7d)')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Only entries by this member')
            [CompletionResult]::new('--op', '--op', [CompletionResultType]::ParameterName, 'Only this operation (get, put, label, ...)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Only the newest N entries (after the other filters)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('--reverse', '--reverse', [CompletionResultType]::ParameterName, 'Newest first')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check every chain and signature; name the first bad line of each file')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'sm;log;verify' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'sm;log;help' {
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check every chain and signature; name the first bad line of each file')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'sm;log;help;verify' {
            break
        }
        'sm;log;help;help' {
            break
        }
        'sm;verify' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('--history', '--history', [CompletionResultType]::ParameterName, 'Also check the store''s git history, commit by commit: every signed file''s sequence only rose, no secret vanished without a signed tombstone, no listed version or log entry was deleted, and each header change was signed by an admin of the header before it. Needs no memory of the store, so a fresh clone (a CI job) catches a replay or deletion committed on top of honest history')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'sm;member' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a member, from their member card (`sm identity show --card`) or their recipient and --signing-key (`sm identity show`)')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List the members, and the store''s extra recipients (keys from `sm init --recipient` that can decrypt every value)')
            [CompletionResult]::new('admin', 'admin', [CompletionResultType]::ParameterValue, 'Make a member an admin (may change members, groups and rules)')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove a member, re-encrypt what they could read, and list the secrets to rotate')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'sm;member;add' {
            [CompletionResult]::new('--signing-key', '--signing-key', [CompletionResultType]::ParameterName, 'Their signing key (ed25519:…), when RECIPIENT is not a card')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--admin', '--admin', [CompletionResultType]::ParameterName, 'Make them an admin (may change members and settings)')
            [CompletionResult]::new('--no-rewrap', '--no-rewrap', [CompletionResultType]::ParameterName, 'Do not re-encrypt existing versions to them now (`sm rewrap` does it later); by default what the rules let them read is re-encrypted at once')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'sm;member;ls' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'sm;member;admin' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'sm;member;rm' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--rotate', '--rotate', [CompletionResultType]::ParameterName, 'Also rotate those secrets now (the ones with a rotation set up)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'sm;member;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a member, from their member card (`sm identity show --card`) or their recipient and --signing-key (`sm identity show`)')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List the members, and the store''s extra recipients (keys from `sm init --recipient` that can decrypt every value)')
            [CompletionResult]::new('admin', 'admin', [CompletionResultType]::ParameterValue, 'Make a member an admin (may change members, groups and rules)')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove a member, re-encrypt what they could read, and list the secrets to rotate')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'sm;member;help;add' {
            break
        }
        'sm;member;help;ls' {
            break
        }
        'sm;member;help;admin' {
            break
        }
        'sm;member;help;rm' {
            break
        }
        'sm;member;help;help' {
            break
        }
        'sm;doctor' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('--reset-trust', '--reset-trust', [CompletionResultType]::ParameterName, 'Accept the store as it is now: pin this folder and its git remotes to it and forget the sequences this machine trusted there (after a deliberate re-creation or rewind of the store)')
            [CompletionResult]::new('--upgrade', '--upgrade', [CompletionResultType]::ParameterName, 'Move a format-1 store to the current format (a signed header, sequences and tombstones, so replays and deletions are caught); admins only. Any admin write does it too')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'sm;completions' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'sm;man' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'sm;exec' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Add a secret: NAME (a JSON secret gives one variable per field, a plain one is named after its last path segment), NAME:PREFIX, NAME=VAR, NAME#field[=VAR], each optionally ending in ?label=L or ?version=ID; repeatable')
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'Add a secret: NAME (a JSON secret gives one variable per field, a plain one is named after its last path segment), NAME:PREFIX, NAME=VAR, NAME#field[=VAR], each optionally ending in ?label=L or ?version=ID; repeatable')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read VAR=value and VAR=sm://NAME[#field][?label=L|?version=ID] lines from F (a .env file of at most 1 MiB; only sm:// values are read from the store); repeatable, read before the -s secrets')
            [CompletionResult]::new('--keep', '--keep', [CompletionResultType]::ParameterName, 'Keep VAR from sm''s environment with --clean-env; repeatable')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('--override', '--override', [CompletionResultType]::ParameterName, 'Let a later source win when two name the same variable (env files first, then -s, each in the order given), and let a variable named after a JSON field or the last path segment replace one the program would inherit, instead of failing')
            [CompletionResult]::new('--allow-unsafe-env', '--allow-unsafe-env', [CompletionResultType]::ParameterName, 'Let env files set variables that make the program load or run other code: LD_*, DYLD_*, glibc''s unsecure variables (GCONV_PATH, TMPDIR, ...), BASH_ENV, ENV, PS4 and other shell variables, NODE_OPTIONS, PYTHONPATH and other runtime variables, a PATH with an empty or relative entry, or LANG/LC_* holding a /. Without it such a line exits 2 naming the file and line')
            [CompletionResult]::new('--clean-env', '--clean-env', [CompletionResultType]::ParameterName, 'Start the program with an empty environment: only the secrets, the env files'' variables and the --keep variables')
            [CompletionResult]::new('--serve', '--serve', [CompletionResultType]::ParameterName, 'Give the program a private endpoint of the cloud service''s API (see `sm serve`) for exactly its lifetime: a random loopback port and keys made for this run, held in memory only, in AWS_ENDPOINT_URL_SECRETS_MANAGER, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION and AWS_DEFAULT_REGION (a region already set is kept; AWS_PROFILE and session tokens are removed). Its calls act as you and are logged as client `exec`. The program then runs as sm''s child: signals sent to sm pass on to it, and sm exits with its status')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'sm;env' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Add a secret: NAME (a JSON secret gives one variable per field, a plain one is named after its last path segment), NAME:PREFIX, NAME=VAR, NAME#field[=VAR], each optionally ending in ?label=L or ?version=ID; repeatable')
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'Add a secret: NAME (a JSON secret gives one variable per field, a plain one is named after its last path segment), NAME:PREFIX, NAME=VAR, NAME#field[=VAR], each optionally ending in ?label=L or ?version=ID; repeatable')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read VAR=value and VAR=sm://NAME[#field][?label=L|?version=ID] lines from F (a .env file of at most 1 MiB; only sm:// values are read from the store); repeatable, read before the -s secrets')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'The output format (--json means json)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('--override', '--override', [CompletionResultType]::ParameterName, 'Let a later source win when two name the same variable (env files first, then -s, each in the order given), and let a variable named after a JSON field or the last path segment replace one the program would inherit, instead of failing')
            [CompletionResult]::new('--allow-unsafe-env', '--allow-unsafe-env', [CompletionResultType]::ParameterName, 'Let env files set variables that make the program load or run other code: LD_*, DYLD_*, glibc''s unsecure variables (GCONV_PATH, TMPDIR, ...), BASH_ENV, ENV, PS4 and other shell variables, NODE_OPTIONS, PYTHONPATH and other runtime variables, a PATH with an empty or relative entry, or LANG/LC_* holding a /. Without it such a line exits 2 naming the file and line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'sm;inject' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Read the template from TEMPLATE (default: standard input)')
            [CompletionResult]::new('--in', '--in', [CompletionResultType]::ParameterName, 'Read the template from TEMPLATE (default: standard input)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write to FILE, mode 0600 (default: standard output)')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write to FILE, mode 0600 (default: standard output)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'sm;rotate' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--hook', '--hook', [CompletionResultType]::ParameterName, 'Set the hook command, run as `CMD STEP`')
            [CompletionResult]::new('--every', '--every', [CompletionResultType]::ParameterName, 'Rotate every DUR days or hours (30d, 12h)')
            [CompletionResult]::new('--schedule', '--schedule', [CompletionResultType]::ParameterName, 'Rotate on a schedule: ''rate(N days|hours)'' or ''cron(M H DOM MON DOW Y)''')
            [CompletionResult]::new('--window', '--window', [CompletionResultType]::ParameterName, 'Start a scheduled rotation only within DUR after its time (3h, 1d)')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'The field of a JSON secret a generated value replaces [default: password]')
            [CompletionResult]::new('--length', '--length', [CompletionResultType]::ParameterName, 'Password length, 1 to 4096 [default: 32]')
            [CompletionResult]::new('--exclude-chars', '--exclude-chars', [CompletionResultType]::ParameterName, 'Never use these characters in the password')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Stop a step after SECS seconds [default: 300]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('--trust-hook', '--trust-hook', [CompletionResultType]::ParameterName, 'Trust the secret''s hook, as it is now, on this machine')
            [CompletionResult]::new('--no-rotate-now', '--no-rotate-now', [CompletionResultType]::ParameterName, 'Save the settings without rotating now')
            [CompletionResult]::new('--generate', '--generate', [CompletionResultType]::ParameterName, 'Generate the new value when the hook prints none')
            [CompletionResult]::new('--no-numbers', '--no-numbers', [CompletionResultType]::ParameterName, 'No digits in the password')
            [CompletionResult]::new('--no-punctuation', '--no-punctuation', [CompletionResultType]::ParameterName, 'No punctuation in the password (!"#$%&''()*+,-./:;<=>?@[\]^_`{|}~)')
            [CompletionResult]::new('--no-uppercase', '--no-uppercase', [CompletionResultType]::ParameterName, 'No uppercase letters in the password')
            [CompletionResult]::new('--no-lowercase', '--no-lowercase', [CompletionResultType]::ParameterName, 'No lowercase letters in the password')
            [CompletionResult]::new('--include-space', '--include-space', [CompletionResultType]::ParameterName, 'Allow the space character in the password')
            [CompletionResult]::new('--no-require-each', '--no-require-each', [CompletionResultType]::ParameterName, 'Do not require one character of each included class')
            [CompletionResult]::new('--cancel', '--cancel', [CompletionResultType]::ParameterName, 'Drop the rotation in progress')
            [CompletionResult]::new('--due', '--due', [CompletionResultType]::ParameterName, 'Run every rotation that is due')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'With --due: list what would rotate, and rotate nothing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'sm;scan' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--history', '--history', [CompletionResultType]::ParameterName, 'Scan the lines each commit in RANGE added (default: every branch)')
            [CompletionResult]::new('--baseline', '--baseline', [CompletionResultType]::ParameterName, 'Report only findings missing from FILE, an earlier `--format json` report')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--max-file-size', '--max-file-size', [CompletionResultType]::ParameterName, 'Skip files larger than BYTES')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('--staged', '--staged', [CompletionResultType]::ParameterName, 'Scan the staged blobs of the git index (what would be committed)')
            [CompletionResult]::new('--no-store', '--no-store', [CompletionResultType]::ParameterName, 'Match credential formats only, not this store''s values')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say what was skipped and why')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say what was skipped and why')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'sm;hook' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Write .git/hooks/pre-commit running `sm scan --staged`')
            [CompletionResult]::new('uninstall', 'uninstall', [CompletionResultType]::ParameterValue, 'Remove the pre-commit hook if sm installed it')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'sm;hook;install' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace a different existing hook (kept as pre-commit.sm-backup)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'sm;hook;uninstall' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'sm;hook;help' {
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Write .git/hooks/pre-commit running `sm scan --staged`')
            [CompletionResult]::new('uninstall', 'uninstall', [CompletionResultType]::ParameterValue, 'Remove the pre-commit hook if sm installed it')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'sm;hook;help;install' {
            break
        }
        'sm;hook;help;uninstall' {
            break
        }
        'sm;hook;help;help' {
            break
        }
        'sm;access' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--member', '--member', [CompletionResultType]::ParameterName, 'List what member M may read and write')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Add or replace the rule for GLOB')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove the rule for GLOB')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'sm;access;set' {
            [CompletionResult]::new('--read', '--read', [CompletionResultType]::ParameterName, 'Members or groups that may read (comma-separated; `*` for everyone)')
            [CompletionResult]::new('--write', '--write', [CompletionResultType]::ParameterName, 'Members or groups that may write (comma-separated; `*` for everyone)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'sm;access;rm' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'sm;access;help' {
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Add or replace the rule for GLOB')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove the rule for GLOB')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'sm;access;help;set' {
            break
        }
        'sm;access;help;rm' {
            break
        }
        'sm;access;help;help' {
            break
        }
        'sm;group' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add members to group G, creating it if needed')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove members from group G, or the group itself when none are named')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List the groups')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'sm;group;add' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'sm;group;rm' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'sm;group;ls' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'sm;group;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add members to group G, creating it if needed')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove members from group G, or the group itself when none are named')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List the groups')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'sm;group;help;add' {
            break
        }
        'sm;group;help;rm' {
            break
        }
        'sm;group;help;ls' {
            break
        }
        'sm;group;help;help' {
            break
        }
        'sm;rewrap' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'sm;merge-driver' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'sm;replica' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Create a replica in DIR (or adopt the one there) for these members')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Copy what changed to every replica')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show what each replica is behind on (exit 1 if anything is)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'sm;replica;add' {
            [CompletionResult]::new('--members', '--members', [CompletionResultType]::ParameterName, 'Members of this store who become its members (you always are)')
            [CompletionResult]::new('--prefix', '--prefix', [CompletionResultType]::ParameterName, 'Only secrets whose names start with P (repeatable; default: all)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'sm;replica;sync' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'sm;replica;status' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'sm;replica;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Create a replica in DIR (or adopt the one there) for these members')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Copy what changed to every replica')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show what each replica is behind on (exit 1 if anything is)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'sm;replica;help;add' {
            break
        }
        'sm;replica;help;sync' {
            break
        }
        'sm;replica;help;status' {
            break
        }
        'sm;replica;help;help' {
            break
        }
        'sm;serve' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'The API''s address: IP:PORT (port 0: a free port, printed at start) or unix:PATH, a Unix socket only you may connect to')
            [CompletionResult]::new('--agent-listen', '--agent-listen', [CompletionResultType]::ParameterName, 'The agent API''s address: IP:PORT (default: the agent''s own port) or unix:PATH')
            [CompletionResult]::new('--agent-read', '--agent-read', [CompletionResultType]::ParameterName, 'The names the agent API may read (default: all you may read); repeatable')
            [CompletionResult]::new('--account-id', '--account-id', [CompletionResultType]::ParameterName, 'The account id shown in ARNs')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('--no-agent', '--no-agent', [CompletionResultType]::ParameterName, 'Do not serve the agent API')
            [CompletionResult]::new('--allow-remote', '--allow-remote', [CompletionResultType]::ParameterName, 'Allow listening on an address other than loopback')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('client', 'client', [CompletionResultType]::ParameterValue, 'Manage the API''s clients (their keys are kept in your config folder)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'sm;serve;client' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Make a client and print its keys (the secret key is shown only now; --json prints {access_key_id, secret_access_key}). With neither --read nor --write it may read every name; --write implies read')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List this store''s clients (never their secret keys)')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove a client: its keys stop working at its next request')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'sm;serve;client;add' {
            [CompletionResult]::new('--read', '--read', [CompletionResultType]::ParameterName, 'A glob of names it may read (`*` within a path segment, `**` across them); repeatable')
            [CompletionResult]::new('--write', '--write', [CompletionResultType]::ParameterName, 'A glob of names it may write (and read); repeatable')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'sm;serve;client;ls' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'sm;serve;client;rm' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'sm;serve;client;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Make a client and print its keys (the secret key is shown only now; --json prints {access_key_id, secret_access_key}). With neither --read nor --write it may read every name; --write implies read')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List this store''s clients (never their secret keys)')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove a client: its keys stop working at its next request')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'sm;serve;client;help;add' {
            break
        }
        'sm;serve;client;help;ls' {
            break
        }
        'sm;serve;client;help;rm' {
            break
        }
        'sm;serve;client;help;help' {
            break
        }
        'sm;serve;help' {
            [CompletionResult]::new('client', 'client', [CompletionResultType]::ParameterValue, 'Manage the API''s clients (their keys are kept in your config folder)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'sm;serve;help;client' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Make a client and print its keys (the secret key is shown only now; --json prints {access_key_id, secret_access_key}). With neither --read nor --write it may read every name; --write implies read')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List this store''s clients (never their secret keys)')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove a client: its keys stop working at its next request')
            break
        }
        'sm;serve;help;client;add' {
            break
        }
        'sm;serve;help;client;ls' {
            break
        }
        'sm;serve;help;client;rm' {
            break
        }
        'sm;serve;help;help' {
            break
        }
        'sm;__api' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the store in DIR (else $SM_STORE, else the nearest parent holding .sm/, else your personal store)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'Read the identity from FILE (else $SM_IDENTITY_FILE, $SM_IDENTITY, the OS keyring, <config dir>/sm/identity.txt)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The region shown in ARNs')
            [CompletionResult]::new('--account-id', '--account-id', [CompletionResultType]::ParameterName, 'The account id shown in ARNs')
            [CompletionResult]::new('--read', '--read', [CompletionResultType]::ParameterName, 'Act as a client limited to these name globs for reading (with --write: writing); without either, as the member''s own client')
            [CompletionResult]::new('--write', '--write', [CompletionResultType]::ParameterName, 'Act as a client that may write (and read) names matching GLOB')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print records as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but what was asked for')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Do not color output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'sm;help' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'init')
            [CompletionResult]::new('identity', 'identity', [CompletionResultType]::ParameterValue, 'identity')
            [CompletionResult]::new('agent', 'agent', [CompletionResultType]::ParameterValue, 'agent')
            [CompletionResult]::new('put', 'put', [CompletionResultType]::ParameterValue, 'put')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'get')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'ls')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'show')
            [CompletionResult]::new('versions', 'versions', [CompletionResultType]::ParameterValue, 'versions')
            [CompletionResult]::new('label', 'label', [CompletionResultType]::ParameterValue, 'label')
            [CompletionResult]::new('rollback', 'rollback', [CompletionResultType]::ParameterValue, 'rollback')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'edit')
            [CompletionResult]::new('tag', 'tag', [CompletionResultType]::ParameterValue, 'tag')
            [CompletionResult]::new('untag', 'untag', [CompletionResultType]::ParameterValue, 'untag')
            [CompletionResult]::new('describe', 'describe', [CompletionResultType]::ParameterValue, 'describe')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'rm')
            [CompletionResult]::new('restore', 'restore', [CompletionResultType]::ParameterValue, 'restore')
            [CompletionResult]::new('purge', 'purge', [CompletionResultType]::ParameterValue, 'purge')
            [CompletionResult]::new('gen', 'gen', [CompletionResultType]::ParameterValue, 'gen')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'import')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'log')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'verify')
            [CompletionResult]::new('member', 'member', [CompletionResultType]::ParameterValue, 'member')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'doctor')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'completions')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'man')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'exec')
            [CompletionResult]::new('env', 'env', [CompletionResultType]::ParameterValue, 'env')
            [CompletionResult]::new('inject', 'inject', [CompletionResultType]::ParameterValue, 'inject')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'rotate')
            [CompletionResult]::new('scan', 'scan', [CompletionResultType]::ParameterValue, 'scan')
            [CompletionResult]::new('hook', 'hook', [CompletionResultType]::ParameterValue, 'hook')
            [CompletionResult]::new('access', 'access', [CompletionResultType]::ParameterValue, 'access')
            [CompletionResult]::new('group', 'group', [CompletionResultType]::ParameterValue, 'group')
            [CompletionResult]::new('rewrap', 'rewrap', [CompletionResultType]::ParameterValue, 'rewrap')
            [CompletionResult]::new('merge-driver', 'merge-driver', [CompletionResultType]::ParameterValue, 'merge-driver')
            [CompletionResult]::new('replica', 'replica', [CompletionResultType]::ParameterValue, 'replica')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'serve')
            [CompletionResult]::new('__api', '__api', [CompletionResultType]::ParameterValue, '__api')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'sm;help;init' {
            break
        }
        'sm;help;identity' {
            break
        }
        'sm;help;agent' {
            break
        }
        'sm;help;put' {
            break
        }
        'sm;help;get' {
            break
        }
        'sm;help;ls' {
            break
        }
        'sm;help;show' {
            break
        }
        'sm;help;versions' {
            break
        }
        'sm;help;label' {
            break
        }
        'sm;help;rollback' {
            break
        }
        'sm;help;edit' {
            break
        }
        'sm;help;tag' {
            break
        }
        'sm;help;untag' {
            break
        }
        'sm;help;describe' {
            break
        }
        'sm;help;rm' {
            break
        }
        'sm;help;restore' {
            break
        }
        'sm;help;purge' {
            break
        }
        'sm;help;gen' {
            break
        }
        'sm;help;import' {
            break
        }
        'sm;help;log' {
            break
        }
        'sm;help;verify' {
            break
        }
        'sm;help;member' {
            break
        }
        'sm;help;doctor' {
            break
        }
        'sm;help;completions' {
            break
        }
        'sm;help;man' {
            break
        }
        'sm;help;exec' {
            break
        }
        'sm;help;env' {
            break
        }
        'sm;help;inject' {
            break
        }
        'sm;help;rotate' {
            break
        }
        'sm;help;scan' {
            break
        }
        'sm;help;hook' {
            break
        }
        'sm;help;access' {
            break
        }
        'sm;help;group' {
            break
        }
        'sm;help;rewrap' {
            break
        }
        'sm;help;merge-driver' {
            break
        }
        'sm;help;replica' {
            break
        }
        'sm;help;serve' {
            break
        }
        'sm;help;__api' {
            break
        }
        'sm;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
