#!/usr/bin/env bash
# demarcate GitHub Action: install the binary into $INSTALL_ROOT/bin.
#
# In order: DEMARCATE_BIN (an existing binary, used as is); a binary already
# in $INSTALL_ROOT (restored from the cache); the release asset
# demarcate-<target>.tar.gz of INPUT_VERSION when the release has one;
# `cargo install --locked` from git at INPUT_VERSION (a tag), INPUT_REF or the
# action's own ref; or from the action's checkout (`uses: ./`).
# Writes `bin=<path>` to $GITHUB_OUTPUT.
#
# `install.sh key` writes `key=<cache key>` instead: the runner, the version
# and ref inputs, and a hash of the action's sources (so a changed checkout
# used with `uses: ./` is rebuilt).
set -euo pipefail

if [ "${1:-}" = key ]; then
  cd "${ACTION_PATH:?ACTION_PATH is required}"
  sha() { if command -v sha256sum >/dev/null 2>&1; then sha256sum; else shasum -a 256; fi; }
  present=()
  for p in Cargo.toml Cargo.lock build.rs src rules; do
    if [ -e "$p" ]; then present+=("$p"); fi
  done
  sources="$(find "${present[@]}" -type f | LC_ALL=C sort | while IFS= read -r f; do
    printf '%s ' "$f"; sha <"$f"; done | sha | cut -c1-16)"
  key="demarcate-${RUNNER_OS:-$(uname -s)}-${RUNNER_ARCH:-$(uname -m)}-${INPUT_VERSION:-}-${INPUT_REF:-}-${ACTION_REF:-}-$sources"
  printf 'key=%s\n' "$key" >>"${GITHUB_OUTPUT:-/dev/stdout}"
  exit 0
fi

root="${INSTALL_ROOT:?INSTALL_ROOT is required}"
repo="${ACTION_REPOSITORY:-}"
repo="${repo:-demarcate/demarcate}"
server="${GITHUB_SERVER_URL:-https://github.com}"
log() { printf 'demarcate-install: %s\n' "$*" >&2; }
done_with() {
  log "using $1"
  if [ -n "${GITHUB_OUTPUT:-}" ]; then printf 'bin=%s\n' "$1" >>"$GITHUB_OUTPUT"; fi
  if [ -n "${GITHUB_PATH:-}" ]; then dirname "$1" >>"$GITHUB_PATH"; fi
  exit 0
}

if [ -n "${DEMARCATE_BIN:-}" ]; then done_with "$DEMARCATE_BIN"; fi
if [ -x "$root/bin/demarcate" ]; then done_with "$root/bin/demarcate"; fi
mkdir -p "$root/bin"

version="${INPUT_VERSION:-}"
if [ -n "$version" ]; then
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) target=x86_64-unknown-linux-gnu ;;
    Linux-aarch64) target=aarch64-unknown-linux-gnu ;;
    Darwin-arm64) target=aarch64-apple-darwin ;;
    Darwin-x86_64) target=x86_64-apple-darwin ;;
    *) target="" ;;
  esac
  asset="$server/$repo/releases/download/$version/demarcate-$target.tar.gz"
  if [ -n "$target" ] && curl -fsSL --retry 2 -o "$root/asset.tar.gz" "$asset" 2>/dev/null; then
    tar -xzf "$root/asset.tar.gz" -C "$root/bin" demarcate
    rm -f "$root/asset.tar.gz"
    done_with "$root/bin/demarcate"
  fi
  log "no release asset for $target at $version; building from source"
  cargo install --locked --root "$root" --git "$server/$repo" --tag "$version" demarcate >&2
elif [ -n "${INPUT_REF:-}" ]; then
  cargo install --locked --root "$root" --git "$server/$repo" --rev "$INPUT_REF" demarcate >&2
elif [ -n "${ACTION_REF:-}" ] && [ -n "${ACTION_REPOSITORY:-}" ]; then
  cargo install --locked --root "$root" --git "$server/$repo" --rev "$ACTION_REF" demarcate >&2
else
  cargo install --locked --root "$root" --path "${ACTION_PATH:?ACTION_PATH is required}" >&2
fi
done_with "$root/bin/demarcate"
