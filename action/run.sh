#!/usr/bin/env bash
# demarcate GitHub Action: lint the pull request against its base.
#
# Called by action.yml with the inputs in INPUT_* variables; runnable (and
# tested) outside GitHub with the variables GitHub sets:
#   GITHUB_EVENT_PATH    event JSON (pull_request: .pull_request.base.sha / .head.sha;
#                        merge_group: .merge_group.base_sha; push: .before)
#   GITHUB_BASE_REF      base branch of a pull request (fallback: origin/$GITHUB_BASE_REF)
#   GITHUB_OUTPUT        outputs file (sarif, errors, warnings, notes, allowed, reviewers, base, exit-code)
#   GITHUB_STEP_SUMMARY  job summary file (Markdown report appended)
#   GITHUB_WORKSPACE     the checkout (default: the current directory)
#   DEMARCATE_BIN        the demarcate binary (default: `demarcate` on PATH)
# Inputs: INPUT_PATHS, INPUT_VENDOR, INPUT_DEPLOYMENT, INPUT_OPTIONS, INPUT_CONFIG,
# INPUT_FAIL_ON, INPUT_SARIF, INPUT_SUMMARY, INPUT_WORKING_DIRECTORY, INPUT_BASE, INPUT_MODE.
# Exits with lint's status: 0 clean, 1 findings at or above fail-on, 2 errors.
set -euo pipefail

bin="${DEMARCATE_BIN:-demarcate}"
log() { printf 'demarcate-action: %s\n' "$*" >&2; }
die() { printf '::error title=demarcate::%s\n' "$*"; exit 2; }
output() { if [ -n "${GITHUB_OUTPUT:-}" ]; then printf '%s=%s\n' "$1" "$2" >>"$GITHUB_OUTPUT"; fi; }

cd "${GITHUB_WORKSPACE:-.}"
cd "${INPUT_WORKING_DIRECTORY:-.}" || die "working-directory '${INPUT_WORKING_DIRECTORY}' does not exist"

# A value of the event JSON (jq, or python3 when jq is missing); empty if absent.
event() {
  local path="${GITHUB_EVENT_PATH:-}"
  [ -n "$path" ] && [ -f "$path" ] || return 0
  if command -v jq >/dev/null 2>&1; then
    jq -r "$1 // empty" "$path"
  else
    python3 - "$path" "$1" <<'PY'
import json, sys
value = json.load(open(sys.argv[1]))
for key in sys.argv[2].lstrip('.').split('.'):
    value = value.get(key) if isinstance(value, dict) else None
print(value if isinstance(value, str) else "")
PY
  fi
}

# The base revision: the input, the pull request's base, the merge queue's
# base, the commit before a push, or origin/<base branch>.
# In `mode: tree` there is no base: the tree is checked as it is.
mode="${INPUT_MODE:-changes}"
case "$mode" in
  changes | tree) ;;
  *) die "input mode must be 'changes' or 'tree', not '$mode'" ;;
esac
base="${INPUT_BASE:-}"
if [ "$mode" = tree ]; then
  [ -z "$base" ] || die "input base cannot be given with mode: tree"
  base=none
fi
if [ -z "$base" ]; then base="$(event .pull_request.base.sha)"; fi
if [ -z "$base" ]; then base="$(event .merge_group.base_sha)"; fi
head_sha="$(event .pull_request.head.sha)"
if [ -z "$base" ]; then
  before="$(event .before)"
  if [ -n "$before" ] && [ "$before" != 0000000000000000000000000000000000000000 ]; then base="$before"; fi
fi
if [ -z "$base" ] && [ -n "${GITHUB_BASE_REF:-}" ]; then
  git fetch --no-tags --depth=1 origin "+refs/heads/$GITHUB_BASE_REF:refs/remotes/origin/$GITHUB_BASE_REF" >&2 ||
    die "cannot fetch the base branch $GITHUB_BASE_REF"
  base="origin/$GITHUB_BASE_REF"
fi
[ "$base" != none ] || base=""

# Make the base and the history back to the merge base available in a shallow clone.
# A pull request is compared at its head commit (`--head`), not the checked-out
# merge commit or the work tree.
head=HEAD
if [ -n "$base" ] && [ -n "$head_sha" ]; then
  if ! git cat-file -e "$head_sha^{commit}" 2>/dev/null; then
    log "fetching head $head_sha"
    git fetch --no-tags --depth=1 origin "$head_sha" >&2 || die "cannot fetch the head revision $head_sha"
  fi
  head="$head_sha"
fi
if [ -n "$base" ]; then
  if ! git cat-file -e "$base^{commit}" 2>/dev/null; then
    log "fetching base $base"
    git fetch --no-tags --depth=1 origin "$base" >&2 || die "cannot fetch the base revision $base"
  fi
  depth=10
  while ! git merge-base "$base" "$head" >/dev/null 2>&1; do
    if [ "$(git rev-parse --is-shallow-repository)" != true ]; then
      die "$base and $head have no common history"
    fi
    if [ "$depth" -gt 1000 ]; then
      log "unshallowing the clone"
      git fetch --no-tags --unshallow origin >&2 || die "cannot fetch the history of HEAD"
      continue
    fi
    log "deepening the clone by $depth commits to find the merge base"
    git fetch --no-tags --deepen="$depth" origin "$(git rev-parse "$head")" "$(git rev-parse "$base")" >&2 ||
      die "cannot deepen the clone"
    depth=$((depth * 10))
  done
  base="$(git rev-parse "$base")"
  log "base: $base"
  if [ "$head" != HEAD ]; then log "head: $head (the pull request's head commit; the work tree is not read)"; fi
else
  log "no base revision (not a pull request or push event): checking the tree as it is"
fi
output base "$base"

# Links in the summary point at the pull request's head, not the merge commit.
if [ -n "$head_sha" ]; then export DEMARCATE_HEAD_SHA="$head_sha"; fi

args=(lint)
# Paths: whitespace- or newline-separated.
read -r -d '' -a paths <<<"${INPUT_PATHS:-}" || true
args+=(${paths[@]+"${paths[@]}"})
if [ -n "$base" ]; then args+=(--base "$base"); fi
if [ -n "$base" ] && [ "$head" != HEAD ]; then args+=(--head "$head"); fi
if [ -n "${INPUT_CONFIG:-}" ]; then args+=(--config "$INPUT_CONFIG"); fi
if [ -n "${INPUT_VENDOR:-}" ]; then args+=(--vendor "$INPUT_VENDOR"); fi
if [ -n "${INPUT_DEPLOYMENT:-}" ]; then args+=(--deployment "$INPUT_DEPLOYMENT"); fi
# Options: K=V, separated by commas or newlines.
while IFS= read -r option; do
  option="$(printf '%s' "$option" | sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//')"
  if [ -n "$option" ]; then args+=(--option "$option"); fi
done < <(printf '%s\n' "${INPUT_OPTIONS:-}" | tr ',' '\n')

# Runs lint with a format; exit status 2 (configuration or git error) stops the action.
run() {
  local status=0
  "$bin" "${args[@]}" "$@" || status=$?
  if [ "$status" -ge 2 ]; then
    output exit-code "$status"
    die "demarcate lint failed (exit $status); see the log above"
  fi
  return "$status"
}

if [ -n "${INPUT_SARIF:-}" ]; then
  mkdir -p "$(dirname "$INPUT_SARIF")"
  run --format sarif --output "$INPUT_SARIF" --fail-on never
  output sarif "$(cd "$(dirname "$INPUT_SARIF")" && pwd)/$(basename "$INPUT_SARIF")"
fi
if [ "${INPUT_SUMMARY:-true}" = true ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  summary="$(mktemp)"
  run --format markdown --output "$summary" --fail-on never
  cat "$summary" >>"$GITHUB_STEP_SUMMARY"
  rm -f "$summary"
fi

# Reviewers: the @handles among the contacts of unallowed error and warning
# findings, in order, without the @, comma-separated (for gh pr edit
# --add-reviewer). Only names GitHub allows (user or org/team) pass, so
# nothing else reaches GITHUB_OUTPUT.
reviewers() {
  if command -v jq >/dev/null 2>&1; then
    jq -r '[.findings[] | select(.allowed == null and (.severity == "error" or .severity == "warning")) | (.contacts // [])[]]
      | reduce .[] as $c ([]; if any(.[]; . == $c) then . else . + [$c] end)
      | map(select(test("^@[A-Za-z0-9][A-Za-z0-9-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?$")) | ltrimstr("@"))
      | join(",")' "$1"
  else
    python3 - "$1" <<'PY'
import json, re, sys
handle = re.compile(r"@[A-Za-z0-9][A-Za-z0-9-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?")
seen = []
for f in json.load(open(sys.argv[1])).get("findings", []):
    if f.get("allowed") is None and f.get("severity") in ("error", "warning"):
        for c in f.get("contacts") or []:
            if c not in seen:
                seen.append(c)
print(",".join(c[1:] for c in seen if isinstance(c, str) and handle.fullmatch(c)))
PY
  fi
}
findings="$(mktemp)"
run --format json --output "$findings" --fail-on never
output reviewers "$(reviewers "$findings")"
rm -f "$findings"

# Annotations on standard output; the last line counts the findings.
annotations="$(mktemp)"
status=0
run --format github --fail-on "${INPUT_FAIL_ON:-error}" >"$annotations" || status=$?
cat "$annotations"
counts="$(tail -n 1 "$annotations")"
rm -f "$annotations"
# "demarcate: F files, S settings: E errors, W warnings, N notes, A allowed"
pattern='([0-9]+) errors?, ([0-9]+) warnings?, ([0-9]+) notes?, ([0-9]+) allowed'
if [[ $counts =~ $pattern ]]; then
  output errors "${BASH_REMATCH[1]}"
  output warnings "${BASH_REMATCH[2]}"
  output notes "${BASH_REMATCH[3]}"
  output allowed "${BASH_REMATCH[4]}"
fi
output exit-code "$status"
exit "$status"
