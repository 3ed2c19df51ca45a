#!/usr/bin/env bash
# How long `sm verify --history` takes on a big store with a long history:
# 10,000 secrets (one `sm import`), then a few hundred commits of puts, label
# moves, deletions and member changes. Prints the numbers.
#
#   benches/verify_history.sh                  # uses target/debug/sm (builds it)
#   SM=target/release/sm benches/verify_history.sh
#   SECRETS=2000 COMMITS=100 benches/verify_history.sh
#
# Everything happens in a temp folder with its own HOME; nothing touches
# your keyring, config or stores.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${SM:-}" ]; then
  cargo build --quiet
  SM="${CARGO_TARGET_DIR:-$PWD/target}/debug/sm"
fi
SM=$(realpath "$SM")
SECRETS=${SECRETS:-10000}
COMMITS=${COMMITS:-300}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sm-bench-history.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export HOME=$tmp/home XDG_CONFIG_HOME=$tmp/home/.config XDG_DATA_HOME=$tmp/home/.local/share \
  XDG_CACHE_HOME=$tmp/home/.cache SM_NO_KEYRING=1 SM_IDENTITY_FILE=$tmp/alice.txt \
  GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com \
  GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
mkdir -p "$HOME"
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }

"$SM" identity new --file "$tmp/alice.txt" >/dev/null 2>&1
"$SM" identity new --file "$tmp/bob.txt" >/dev/null 2>&1
repo=$tmp/repo
mkdir -p "$repo"
git -C "$repo" init -q -b main
"$SM" init "$repo/store" --name alice >/dev/null 2>&1
cd "$repo/store"
"$SM" doctor >/dev/null 2>&1 || true

t=$(now)
awk -v n="$SECRETS" 'BEGIN { for (i = 0; i < n; i++) printf "KEY_%05d=value-%d\n", i, i }' >"$tmp/big.env"
"$SM" import "$tmp/big.env" --prefix app >/dev/null 2>&1
git -C "$repo" add -A && git -C "$repo" commit -qm "import $SECRETS secrets"
echo "made $SECRETS secrets in $(since "$t")s"

t=$(now)
bob=$(SM_IDENTITY_FILE=$tmp/bob.txt "$SM" identity show --json)
recipient=$(printf '%s' "$bob" | sed -n 's/.*"recipient": *"\([^"]*\)".*/\1/p')
signing=$(printf '%s' "$bob" | sed -n 's/.*"signing_key": *"\([^"]*\)".*/\1/p')
for i in $(seq 1 "$COMMITS"); do
  key=$(printf 'app/KEY_%05d' $((i * 7 % SECRETS)))
  printf 'v%s' "$i" | "$SM" put "$key" --stdin >/dev/null 2>&1
  printf 'w%s' "$i" | "$SM" put "app/hot" --stdin >/dev/null 2>&1
  case $((i % 50)) in
    10) "$SM" rm "$key" --force >/dev/null 2>&1 ;;
    20) "$SM" member add bob "$recipient" --signing-key "$signing" >/dev/null 2>&1 || true ;;
    30) "$SM" member rm bob >/dev/null 2>&1 || true ;;
  esac
  git -C "$repo" add -A && git -C "$repo" commit -qm "change $i"
done
echo "made $COMMITS more commits in $(since "$t")s"

t=$(now)
"$SM" verify >/dev/null 2>&1
echo "sm verify:           $(since "$t")s"
t=$(now)
out=$("$SM" --json verify --history 2>/dev/null) || { echo "sm verify --history failed:"; "$SM" verify --history || true; exit 1; }
total=$(since "$t")
history=$(printf '%s' "$out" | tr -d '\n ' | sed -n 's/.*"history":{\(.*\)}.*/\1/p')
field() { printf '%s' "$history" | sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p"; }
echo "sm verify --history: ${total}s in all; history walk $(field millis) ms over $(field commits) commits, $(field files) changed files, $(field blobs) objects read"
