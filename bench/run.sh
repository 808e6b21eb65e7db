#!/usr/bin/env bash
# bench/run.sh: end-to-end benchmark of demarcate against the parse-only baseline.
#
# Usage (from anywhere in the checkout):
#   bench/run.sh                          # corpora of 1k, 5k and 20k files, 3 runs each
#   SIZES="1000 5000" RUNS=5 bench/run.sh # other sizes, more runs
#   SKIP_BUILD=1 bench/run.sh             # use the binaries already built
#
# Settings (environment variables):
#   SIZES       corpus sizes in files                       (default "1000 5000 20000")
#   RUNS        timed runs per measurement, median reported (default 3)
#   SEED        corpus seed                                 (default 42)
#   CHANGED     files changed (committed on top) in every corpus for the diff modes (default 10)
#   OUT         where corpora are written                   (default bench/out, git-ignored)
#   SKIP_BUILD  1 to skip `cargo build`
#   DEMARCATE_BIN  the demarcate binary to time (default: the one built here)
#   PRE_COMMIT  the pre-commit program for the hook row (default: `pre-commit` on PATH;
#               the row says "n/a" without it: pip install 'pre-commit>=3.2,<5')
#   MODEL       the responsibility model classify and lint use:
#                 bench (default)  --config benches/support/bench-config.yaml, a synthetic
#                                  pack kept apart from rules/ so results stay comparable
#                 none             no model: settings are read but not classified
#                 anything else    passed as flags, e.g. "--vendor stackit-edge-cloud --deployment edge-cloud"
#   CARGO_TARGET_DIR is honoured as cargo honours it.
#
# What it does:
#   1. builds the release binary and the `corpus` and `parse_only` examples;
#   2. generates one corpus per size with `examples/corpus.rs` (each a git
#      repository with a second commit changing CHANGED files);
#      a corpus whose stamp (size, seed, changes, generator source) matches is reused;
#   3. warms the page cache with one untimed parse-only run per corpus, then
#      times RUNS interleaved rounds (A B C, A B C, ...) of:
#        parse-only      examples/parse_only: bare saphyr-parser and hcl-edit, rayon
#        classify        demarcate classify --format json MODEL > /dev/null
#        lint            demarcate lint MODEL > /dev/null     (tree mode, human report)
#        lint --base     demarcate lint --base HEAD~1 MODEL > /dev/null (work tree at HEAD;
#                        "n/a" when the binary does not support --base yet)
#        lint --head     demarcate lint --base HEAD~1 --head HEAD MODEL > /dev/null (two
#                        commits, no work tree; "n/a" when the binary has no --head)
#        lint --staged   demarcate lint --staged MODEL > /dev/null, with HEAD moved back to
#                        HEAD~1 (`git reset --soft`) so the CHANGED files are staged; HEAD is
#                        put back afterwards
#        pre-commit hook the `demarcate-system` hook of this checkout's .pre-commit-hooks.yaml
#                        (at its HEAD commit), run by the real pre-commit framework on the same
#                        CHANGED staged files (`pre-commit run --config CFG demarcate-system`,
#                        the demarcate timed first on PATH, MODEL as the hook's args): the
#                        wall time a `git commit` waits for the hook, framework included
#   4. prints, per corpus, the median wall time, files/s and MB/s (files and
#      bytes demarcate reads, as counted by parse-only; 1 MB = 10^6 bytes),
#      CPU seconds (user + sys), peak RSS, and throughput relative to parse-only;
#   5. prints one summary table of every figure by corpus size, with the targets:
#      tree-mode lint >= 80% of the parse-only throughput on the 5k and 20k corpora;
#      classify --format json under 200 MB; with CHANGED=10 at 20k files, --head
#      < 0.100 s and <= 1.5x the 1k time, work-tree --base < 0.150 s, --staged
#      < 0.050 s; and the pre-commit hook's wall time (no target).
#
# Peak RSS and CPU time come from GNU /usr/bin/time (-f '%M %U %S'). Without
# it, RSS is sampled from /proc/PID/status VmHWM every 10 ms (it can miss a
# short final peak), CPU shows "n/a", and the output says so.
#
# Timings on a shared 2-core machine are noisy: compare the CPU seconds
# column, which other load disturbs less than wall time.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SIZES=${SIZES:-"1000 5000 20000"}
RUNS=${RUNS:-3}
SEED=${SEED:-42}
CHANGED=${CHANGED:-10}
OUT=${OUT:-$ROOT/bench/out}
SKIP_BUILD=${SKIP_BUILD:-0}
MODEL=${MODEL:-bench}
case $MODEL in
    bench) MODEL_ARGS=(--config "$ROOT/benches/support/bench-config.yaml") ;;
    none) MODEL_ARGS=() ;;
    *) read -r -a MODEL_ARGS <<<"$MODEL" ;;
esac

die() { echo "bench/run.sh: $*" >&2; exit 2; }
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive number"
for n in $SIZES; do [[ $n =~ ^[1-9][0-9]*$ ]] || die "SIZES must be positive numbers"; done
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
SCRATCH=$(mktemp -d)
trap 'rm -rf "$SCRATCH"' EXIT

# ---------------------------------------------------------------- build
cd "$ROOT"
if [[ $SKIP_BUILD != 1 ]]; then
    echo "building release binary and examples..." >&2
    cargo build --release --quiet --bin demarcate --example corpus --example parse_only
fi
TARGET=$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
BIN=${DEMARCATE_BIN:-$TARGET/release/demarcate}
CORPUS=$TARGET/release/examples/corpus
PARSE_ONLY=$TARGET/release/examples/parse_only
for b in "$BIN" "$CORPUS" "$PARSE_ONLY"; do
    [[ -x $b ]] || die "$b is missing: run without SKIP_BUILD=1"
done

# The pre-commit hook row: the shipped `demarcate-system` hook (language:
# system, runs `demarcate` from PATH) of this checkout at its HEAD commit,
# with MODEL as its args. pre-commit keeps its clone under OUT.
PRE_COMMIT=${PRE_COMMIT:-pre-commit}
PRE_COMMIT_NA=
if ! command -v "$PRE_COMMIT" >/dev/null 2>&1; then
    PRE_COMMIT_NA="n/a (no $PRE_COMMIT: pip install 'pre-commit>=3.2,<5')"
elif ! git -C "$ROOT" cat-file -e HEAD:.pre-commit-hooks.yaml 2>/dev/null; then
    PRE_COMMIT_NA="n/a (HEAD of $ROOT has no .pre-commit-hooks.yaml)"
else
    mkdir -p "$SCRATCH/bin"
    ln -s "$BIN" "$SCRATCH/bin/demarcate"
    HOOK_ARGS=$(printf '"%s", ' "${MODEL_ARGS[@]}")
    cat >"$SCRATCH/pre-commit-config.yaml" <<EOF
repos:
  - repo: $ROOT
    rev: $(git -C "$ROOT" rev-parse HEAD)
    hooks:
      - id: demarcate-system
        args: [${HOOK_ARGS%, }]
EOF
    CMD_hook=(env "PATH=$SCRATCH/bin:$PATH" "PRE_COMMIT_HOME=$OUT/pre-commit-home"
        "$PRE_COMMIT" run --config "$SCRATCH/pre-commit-config.yaml" demarcate-system)
fi

# ---------------------------------------------------------------- measuring
if /usr/bin/time -f '%M' -o /dev/null true 2>/dev/null; then
    RSS_HOW="GNU /usr/bin/time"
    HAVE_TIME=1
else
    RSS_HOW="sampled VmHWM every 10 ms (no GNU /usr/bin/time; CPU n/a)"
    HAVE_TIME=0
fi

# Runs "$@" once with stdout to /dev/null and stderr to $SCRATCH/err; sets
# WALL (s), RSS_KB and CPU (s, or n/a); returns the command's exit status.
run_once() {
    local t0 t1 rc=0
    t0=$(date +%s%N)
    if [[ $HAVE_TIME == 1 ]]; then
        /usr/bin/time -f '%M %U %S' -o "$SCRATCH/time" "$@" >/dev/null 2>"$SCRATCH/err" || rc=$?
        t1=$(date +%s%N)
        # On a non-zero exit GNU time writes a "Command exited..." line first.
        read -r RSS_KB user sys < <(tail -n 1 "$SCRATCH/time")
        CPU=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
    else
        "$@" >/dev/null 2>"$SCRATCH/err" &
        local pid=$! hwm=0 key value _
        while kill -0 "$pid" 2>/dev/null; do
            while read -r key value _; do
                [[ $key == VmHWM: ]] && ((value > hwm)) && hwm=$value
            done <"/proc/$pid/status" 2>/dev/null || true
            sleep 0.01
        done
        wait "$pid" || rc=$?
        t1=$(date +%s%N)
        RSS_KB=$hwm
        CPU=n/a
    fi
    WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
    return "$rc"
}

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# Times RUNS rounds of the commands named in "$@" (each NAME has an array
# CMD_NAME and a highest acceptable exit status OK[NAME]). The rounds are
# interleaved (A B C, A B C, ...) so that a change in the machine's load
# hits every command alike. Sets WALL_OF, RSS_OF (MB), CPU_OF (medians) or
# ERR_OF for each name.
declare -A OK WALL_OF RSS_OF CPU_OF ERR_OF DIFF_OF
measure() {
    local -A walls rsss cpus
    local i name rc
    for name in "$@"; do ERR_OF[$name]=; walls[$name]=; rsss[$name]=; cpus[$name]=; done
    for ((i = 0; i < RUNS; i++)); do
        for name in "$@"; do
            [[ -n ${ERR_OF[$name]} ]] && continue
            local cmd="CMD_${name}[@]"
            rc=0
            run_once "${!cmd}" || rc=$?
            if ((rc > ${OK[$name]})); then
                ERR_OF[$name]="exit $rc: $(head -n 1 "$SCRATCH/err")"
                continue
            fi
            walls[$name]+="$WALL "; rsss[$name]+="$RSS_KB "; cpus[$name]+="$CPU "
        done
    done
    for name in "$@"; do
        [[ -n ${ERR_OF[$name]} ]] && continue
        # shellcheck disable=SC2086 # word splitting of the collected values is intended
        WALL_OF[$name]=$(median ${walls[$name]})
        # shellcheck disable=SC2086
        RSS_OF[$name]=$(awk -v k="$(median ${rsss[$name]})" 'BEGIN { printf "%.1f", k / 1024 }')
        if [[ ${cpus[$name]} == n/a* ]]; then
            CPU_OF[$name]=n/a
        else
            # shellcheck disable=SC2086
            CPU_OF[$name]=$(median ${cpus[$name]})
        fi
    done
}

ROW_FMT='%-34s %8s %9s %8s %8s %12s %14s\n'
# shellcheck disable=SC2059 # ROW_FMT is this script's own format
header() { printf "$ROW_FMT" measurement "wall s" "files/s" "MB/s" "cpu s" "peak RSS MB" "vs parse-only"; }

# Prints one row; $1 name, $2 label, $3 files, $4 bytes, $5 baseline wall.
row() {
    local name=$1 label=$2 files=$3 bytes=$4 base=$5
    if [[ -n ${ERR_OF[$name]} ]]; then
        printf '%-34s %s\n' "$label" "failed (${ERR_OF[$name]})"
        return
    fi
    awk -v l="$label" -v w="${WALL_OF[$name]}" -v f="$files" -v b="$bytes" -v c="${CPU_OF[$name]}" \
        -v r="${RSS_OF[$name]}" -v base="$base" -v fmt="$ROW_FMT" 'BEGIN {
            ratio = base == "" ? "-" : sprintf("%.0f%%", 100 * base / w)
            printf fmt, l, sprintf("%.3f", w), sprintf("%.0f", f / w),
                sprintf("%.1f", b / 1e6 / w), c, r, ratio
        }'
}

# ---------------------------------------------------------------- run
GEN_HASH=$(git -C "$ROOT" hash-object benches/support/corpus.rs examples/corpus.rs | tr '\n' ' ')

echo "demarcate end-to-end benchmark"
echo "  commit     $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- src Cargo.toml || echo ' (src modified)')"
echo "  binary     $("$BIN" --version)"
echo "  machine    $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), load average $(cut -d' ' -f1-3 /proc/loadavg) at start"
echo "  method     page cache warmed by one untimed parse-only run; $RUNS interleaved runs each, median; RSS and CPU from $RSS_HOW"
echo "  model      ${MODEL_ARGS[*]:-none (settings are not classified)}"
echo "  corpora    $OUT (seed $SEED)"

for n in $SIZES; do
    dir=$OUT/corpus-$n
    change=0
    change=$CHANGED
    stamp="files=$n seed=$SEED change=$change generator=$GEN_HASH"
    if [[ -f $dir.stamp && $(cat "$dir.stamp") == "$stamp" && -d $dir/.git ]]; then
        gen="reused from an earlier run: same size, seed, changes and generator"
    else
        rm -rf "$dir" "$dir.stamp"
        args=(--files "$n" --seed "$SEED" --git)
        ((change > 0)) && args+=(--change "$change")
        "$CORPUS" "${args[@]}" "$dir" >"$SCRATCH/gen" || die "corpus generation failed"
        echo "$stamp" >"$dir.stamp"
        gen=$(head -n 1 "$SCRATCH/gen")
    fi

    cd "$dir"
    # Warm the page cache, and count what demarcate reads.
    read -r files bytes _ _ < <("$PARSE_ONLY" --porcelain .)
    echo
    echo "== corpus of $n files: demarcate reads $files files, $(awk -v b="$bytes" 'BEGIN { printf "%.1f MB", b / 1e6 }') =="
    echo "   ($gen)"
    header

    # The commands and labels are read through indirect names (${!name}).
    # shellcheck disable=SC2034
    {
        CMD_parse=("$PARSE_ONLY" --porcelain .); OK[parse]=0
        # classify and lint exit 1 when they report errors; only 2 is a failure.
        CMD_classify=("$BIN" classify --format json "${MODEL_ARGS[@]}"); OK[classify]=1
        CMD_lint=("$BIN" lint "${MODEL_ARGS[@]}"); OK[lint]=1
        CMD_base=("$BIN" lint --base HEAD~1 "${MODEL_ARGS[@]}"); OK[base]=1
        CMD_head=("$BIN" lint --base HEAD~1 --head HEAD "${MODEL_ARGS[@]}"); OK[head]=1
        CMD_staged=("$BIN" lint --staged "${MODEL_ARGS[@]}"); OK[staged]=1
        OK[hook]=1 # the hook fails the commit (pre-commit exits 1) on an error finding
        base_label="lint --base HEAD~1 ($change changed)"
        head_label="lint --base HEAD~1 --head HEAD"
        staged_label="lint --staged ($change staged)"
        hook_label="pre-commit hook ($change staged)"
    }
    names=(parse classify lint)
    declare -A NA=()
    if ((change > 0)); then
        for diff_mode in base head; do
            rc=0
            cmd="CMD_${diff_mode}[@]"
            "${!cmd}" >/dev/null 2>"$SCRATCH/err" || rc=$?
            if ((rc >= 2)); then
                NA[$diff_mode]="n/a ($(head -n 1 "$SCRATCH/err"))"
            else
                names+=("$diff_mode")
            fi
        done
    fi
    measure "${names[@]}"
    # --staged: HEAD back at the base, the change in the index; then HEAD restored.
    if ((change > 0)); then
        change_commit=$(git rev-parse HEAD)
        git reset -q --soft HEAD~1
        rc=0
        "${CMD_staged[@]}" >/dev/null 2>"$SCRATCH/err" || rc=$?
        if ((rc >= 2)); then
            NA[staged]="n/a ($(head -n 1 "$SCRATCH/err"))"
        else
            measure staged
        fi
        # The hook on the same staged files (one untimed run: pre-commit
        # clones the hook's repository on first use).
        if [[ -n $PRE_COMMIT_NA ]]; then
            NA[hook]=$PRE_COMMIT_NA
        else
            rc=0
            "${CMD_hook[@]}" >"$SCRATCH/err" 2>&1 || rc=$?
            if ((rc >= 2)); then
                NA[hook]="n/a (pre-commit exit $rc: $(grep -m 1 -v '^$' "$SCRATCH/err"))"
            else
                measure hook
            fi
        fi
        git reset -q --soft "$change_commit"
    fi
    base=${WALL_OF[parse]:-}
    row parse "parse-only (bare parsers)" "$files" "$bytes" "$base"
    row classify "classify --format json" "$files" "$bytes" "$base"
    row lint "lint (tree mode)" "$files" "$bytes" "$base"
    for name in parse lint classify; do
        if [[ -n ${ERR_OF[$name]:-} ]]; then
            DIFF_OF[$name,$n]=failed
        else
            DIFF_OF[$name,$n]=${WALL_OF[$name]}
        fi
    done
    DIFF_OF[lint_ratio,$n]=$(awk -v a="${WALL_OF[parse]:-}" -v b="${WALL_OF[lint]:-}" 'BEGIN {
        if (a + 0 > 0 && b + 0 > 0) printf "%.0f%%", 100 * a / b; else print "n/a" }')
    DIFF_OF[classify_rss,$n]=${RSS_OF[classify]:-n/a}
    if ((change > 0)); then
        for diff_mode in base head staged hook; do
            label="${diff_mode}_label"
            if [[ -n ${NA[$diff_mode]:-} ]]; then
                printf '%-34s %s\n' "${!label}" "${NA[$diff_mode]}"
                DIFF_OF[$diff_mode,$n]=${NA[$diff_mode]%% (*}
            else
                row "$diff_mode" "${!label}" "$files" "$bytes" "$base"
                DIFF_OF[$diff_mode,$n]=${WALL_OF[$diff_mode]:-n/a}
            fi
        done
    fi
done

# ---------------------------------------------------------------- summary
# Every figure of the targets in one table, by corpus size: tree mode
# against the bare parsers (target set on the 5k and 20k corpora), the
# memory of the streamed classify output, and the diff modes (targets set
# for CHANGED=10 on the 20k-file corpus, against the 1k one).
read -r -a sizes <<<"$SIZES"
echo
echo "== summary: median of $RUNS, by corpus size (files); targets at the right =="
line=$(printf '%-38s' measurement)
for n in "${sizes[@]}"; do line+=$(printf ' %9s' "$n"); done
printf '%s  %s\n' "$line" "target: verdict"
# Prints one summary row: $1 key, $2 label, $3 target text, $4 verdict.
summary_row() {
    local key=$1 label=$2 target=${3:-} verdict=${4:-} line n
    line=$(printf '%-38s' "$label")
    for n in "${sizes[@]}"; do line+=$(printf ' %9s' "${DIFF_OF[$key,$n]:-n/a}"); done
    printf '%s  %s%s\n' "$line" "$target" "${verdict:+: $verdict}"
}
# The verdict of a tree-mode ratio over the 5k and 20k corpora measured.
ratio_verdict() {
    local n pct verdict=
    for n in 5000 20000; do
        pct=${DIFF_OF[lint_ratio,$n]:-}
        [[ $pct =~ ^[0-9]+%$ ]] || continue
        if ((${pct%\%} >= 80)); then verdict=${verdict:-met}; else verdict=missed; fi
    done
    echo "$verdict"
}
summary_row parse "parse-only wall s" "baseline"
summary_row lint "lint (tree mode) wall s"
summary_row lint_ratio "lint (tree mode) vs parse-only" ">= 80% at 5000 and 20000" "$(ratio_verdict)"
summary_row classify "classify --format json wall s"
rss_verdict=
for n in "${sizes[@]}"; do
    mb=${DIFF_OF[classify_rss,$n]:-}
    [[ $mb =~ ^[0-9.]+$ ]] || continue
    if awk -v m="$mb" 'BEGIN { exit !(m < 200) }'; then rss_verdict=${rss_verdict:-met}; else rss_verdict=missed; fi
done
summary_row classify_rss "classify --format json peak RSS MB" "< 200 MB" "$rss_verdict"
if ((CHANGED > 0)); then
    for diff_mode in head base staged hook; do
        label="${diff_mode}_label"
        small=${DIFF_OF[$diff_mode,1000]:-}
        large=${DIFF_OF[$diff_mode,20000]:-}
        ratio=$(awk -v a="$small" -v b="$large" 'BEGIN {
            if (a + 0 > 0 && b + 0 > 0) printf " (20k/1k %.2fx)", b / a }')
        case $diff_mode in
            head) target="< 0.100 s at 20000 and <= 1.5x the 1k time$ratio" ;;
            base) target="< 0.150 s at 20000" ;;
            staged) target="< 0.050 s at 20000" ;;
            *) target="measured (pre-commit framework included)" ;;
        esac
        verdict=
        if [[ $large =~ ^[0-9.]+$ && $diff_mode != hook ]]; then
            verdict=$(awk -v b="$large" -v a="$small" -v m="$diff_mode" 'BEGIN {
                limit = m == "head" ? 0.100 : m == "base" ? 0.150 : 0.050
                ok = b < limit && (m != "head" || a == "" || b <= 1.5 * a)
                print ok ? "met" : "missed" }')
        fi
        summary_row "$diff_mode" "${!label} s" "$target" "$verdict"
    done
fi
echo
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at the end."
echo "vs parse-only = parse-only wall time / this wall time (throughput relative to the baseline; the target for lint is >= 80%)."
echo "lint --base/--head/--staged: files/s and MB/s are over the whole repository (they read only the changed files); compare their wall times."
