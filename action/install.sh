#!/usr/bin/env bash
# demarcate GitHub Action: install the binary into $INSTALL_ROOT/bin.
#
# In order: DEMARCATE_BIN (an existing binary, used as is); a binary already
# in $INSTALL_ROOT (restored from the cache); the release asset
# demarcate-<target>.tar.gz (.zip on Windows) of INPUT_VERSION, or of the
# action's own ref when that is a version tag (vX.Y.Z), checked against the
# release's demarcate-<target>.sha256 before it is unpacked; when the
# release has no asset for this runner, `cargo install --locked` from git at
# that tag; else from git at INPUT_REF or the action's own ref; or from the
# action's checkout (`uses: ./`).
# Writes `bin=<path>` to $GITHUB_OUTPUT.
#
# A download that fails for any reason but "no such asset" (404), a missing
# checksum file or a checksum mismatch stops the install: nothing is
# installed and the step fails.
#
# DEMARCATE_RELEASE_BASE_URL replaces <server>/<repository>/releases/download
# as the place assets are fetched from. It exists for the tests
# (tests/install_script.rs serves a fake release on 127.0.0.1); do not set
# it in a workflow.
#
# `install.sh key` writes `key=<cache key>` instead: the runner, the version
# and ref inputs, and a hash of the action's sources (so a changed checkout
# used with `uses: ./` is rebuilt).
set -euo pipefail

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$@"; else shasum -a 256 "$@"; fi
}

if [ "${1:-}" = key ]; then
  cd "${ACTION_PATH:?ACTION_PATH is required}"
  present=()
  for p in Cargo.toml Cargo.lock build.rs src rules; do
    if [ -e "$p" ]; then present+=("$p"); fi
  done
  sources="$(find "${present[@]}" -type f | LC_ALL=C sort | while IFS= read -r f; do
    printf '%s ' "$f"; sha256 <"$f"; done | sha256 | cut -c1-16)"
  key="demarcate-${RUNNER_OS:-$(uname -s)}-${RUNNER_ARCH:-$(uname -m)}-${INPUT_VERSION:-}-${INPUT_REF:-}-${ACTION_REF:-}-$sources"
  printf 'key=%s\n' "$key" >>"${GITHUB_OUTPUT:-/dev/stdout}"
  exit 0
fi

root="${INSTALL_ROOT:?INSTALL_ROOT is required}"
repo="${ACTION_REPOSITORY:-}"
repo="${repo:-demarcate/demarcate}"
server="${GITHUB_SERVER_URL:-https://github.com}"
releases="${DEMARCATE_RELEASE_BASE_URL:-$server/$repo/releases/download}"
log() { printf 'demarcate-install: %s\n' "$*" >&2; }
fail() {
  printf 'demarcate-install: error: %s\n' "$*" >&2
  exit 1
}
done_with() {
  log "using $1"
  if [ -n "${GITHUB_OUTPUT:-}" ]; then printf 'bin=%s\n' "$1" >>"$GITHUB_OUTPUT"; fi
  if [ -n "${GITHUB_PATH:-}" ]; then dirname "$1" >>"$GITHUB_PATH"; fi
  exit 0
}

# The release target of this runner, and how its asset is packed.
exe=""
ext=tar.gz
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) target=x86_64-unknown-linux-musl ;;
  Linux-aarch64 | Linux-arm64) target=aarch64-unknown-linux-musl ;;
  Darwin-arm64) target=aarch64-apple-darwin ;;
  Darwin-x86_64) target=x86_64-apple-darwin ;;
  MINGW*-x86_64 | MSYS*-x86_64 | CYGWIN*-x86_64)
    target=x86_64-pc-windows-msvc
    exe=.exe
    ext=zip
    ;;
  *) target="" ;;
esac

if [ -n "${DEMARCATE_BIN:-}" ]; then done_with "$DEMARCATE_BIN"; fi
if [ -x "$root/bin/demarcate$exe" ]; then done_with "$root/bin/demarcate$exe"; fi

# Fetches URL into FILE; prints the HTTP status (000 when there was none).
fetch() {
  curl -sSL --retry 2 --proto '=https,http' -o "$2" -w '%{http_code}' "$1" 2>/dev/null || true
}

# Installs the release asset of tag $1 and exits, or returns when the release
# has no asset for this runner. Fails on anything else.
install_release() {
  local version="$1" work asset sums status expected actual found
  [ -n "$target" ] || return 0
  asset="demarcate-$target.$ext"
  work="$(mktemp -d "${TMPDIR:-/tmp}/demarcate-install.XXXXXX")"
  # shellcheck disable=SC2064 # expand now: $work is local
  trap "rm -rf '$work'" EXIT
  status="$(fetch "$releases/$version/$asset" "$work/$asset")"
  case "$status" in
    200) ;;
    404) return 0 ;;
    *) fail "downloading $releases/$version/$asset failed (HTTP status $status); nothing installed" ;;
  esac
  sums="demarcate-$target.sha256"
  status="$(fetch "$releases/$version/$sums" "$work/$sums")"
  [ "$status" = 200 ] ||
    fail "the release $version has $asset but no $sums (HTTP status $status); refusing to install an unverified binary"
  # The checksum file is `<sha256>  <name>` (or ` *<name>`); check the asset
  # we downloaded under our own name, whatever name the file gives.
  expected="$(head -n 1 "$work/$sums" | tr -d '\r' | cut -d ' ' -f 1 | tr 'A-F' 'a-f')"
  case "$expected" in
    *[!0-9a-f]* | "") fail "$sums of $version does not hold a SHA-256 digest; nothing installed" ;;
  esac
  [ "${#expected}" -eq 64 ] || fail "$sums of $version does not hold a SHA-256 digest; nothing installed"
  printf '%s  %s\n' "$expected" "$asset" >"$work/check.sha256"
  if ! (cd "$work" && sha256 -c check.sha256 >/dev/null 2>&1); then
    actual="$(cd "$work" && sha256 "$asset" | cut -d ' ' -f 1)"
    fail "checksum mismatch for $asset of $version: expected $expected, got $actual; nothing installed"
  fi
  log "verified $asset ($expected)"
  mkdir -p "$work/unpacked"
  if [ "$ext" = zip ]; then
    if command -v unzip >/dev/null 2>&1; then
      unzip -q "$work/$asset" -d "$work/unpacked"
    else
      7z x -y -o"$work/unpacked" "$work/$asset" >/dev/null
    fi
  else
    tar -xzf "$work/$asset" -C "$work/unpacked"
  fi
  # The binary sits at the top of the archive or in one folder below it.
  found="$(find "$work/unpacked" -maxdepth 2 -type f -name "demarcate$exe" | head -n 1)"
  [ -n "$found" ] || fail "$asset of $version holds no demarcate$exe; nothing installed"
  mkdir -p "$root/bin"
  chmod +x "$found"
  mv "$found" "$root/bin/demarcate$exe"
  done_with "$root/bin/demarcate$exe"
}

version="${INPUT_VERSION:-}"
if [ -z "$version" ] && [ -z "${INPUT_REF:-}" ] && [[ "${ACTION_REF:-}" =~ ^v[0-9]+\.[0-9]+\.[0-9]+ ]]; then
  version="$ACTION_REF"
fi
if [ -n "$version" ]; then
  install_release "$version"
  log "no release asset for ${target:-this runner ($(uname -s)-$(uname -m))} at $version; building from source"
  cargo install --locked --root "$root" --git "$server/$repo" --tag "$version" demarcate >&2
elif [ -n "${INPUT_REF:-}" ]; then
  cargo install --locked --root "$root" --git "$server/$repo" --rev "$INPUT_REF" demarcate >&2
elif [ -n "${ACTION_REF:-}" ] && [ -n "${ACTION_REPOSITORY:-}" ]; then
  cargo install --locked --root "$root" --git "$server/$repo" --rev "$ACTION_REF" demarcate >&2
else
  cargo install --locked --root "$root" --path "${ACTION_PATH:?ACTION_PATH is required}" >&2
fi
done_with "$root/bin/demarcate$exe"
