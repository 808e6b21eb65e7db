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
#   CHANGED     files changed in the largest corpus for `lint --base` (default 10)
#   OUT         where corpora are written                   (default bench/out, git-ignored)
#   SKIP_BUILD  1 to skip `cargo build`
#   CARGO_TARGET_DIR is honoured as cargo honours it.
#
# What it does:
#   1. builds the release binary and the `corpus` and `parse_only` examples;
#   2. generates one corpus per size with `examples/corpus.rs` (each a git
#      repository; the largest gets a second commit changing CHANGED files);
#      a corpus whose stamp (size, seed, changes, generator source) matches is reused;
#   3. warms the page cache with one untimed parse-only run per corpus, then
#      times RUNS runs of each of:
#        parse-only      examples/parse_only: bare saphyr-parser and hcl-edit, rayon
#        classify        demarcate classify --format json > /dev/null
#        lint            demarcate lint > /dev/null           (tree mode)
#        lint --base     demarcate lint --base HEAD~1 > /dev/null (largest corpus only;
#                        "n/a" when the binary does not support --base yet)
#   4. prints, per corpus, the median wall time, files/s and MB/s (files and
#      bytes demarcate reads, as counted by parse-only; 1 MB = 10^6 bytes),
#      CPU seconds (user + sys), peak RSS, and throughput relative to parse-only.
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
BIN=$TARGET/release/demarcate
CORPUS=$TARGET/release/examples/corpus
PARSE_ONLY=$TARGET/release/examples/parse_only
for b in "$BIN" "$CORPUS" "$PARSE_ONLY"; do
    [[ -x $b ]] || die "$b is missing: run without SKIP_BUILD=1"
done

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

# Times RUNS runs of "$@"; a status above MAX_OK fails the measurement.
# Sets M_WALL, M_RSS_MB, M_CPU (medians) or M_ERR.
measure() {
    local max_ok=$1; shift
    local walls=() rsss=() cpus=() i rc
    M_ERR=
    for ((i = 0; i < RUNS; i++)); do
        rc=0
        run_once "$@" || rc=$?
        if ((rc > max_ok)); then
            M_ERR="exit $rc: $(head -n 1 "$SCRATCH/err")"
            return 0
        fi
        walls+=("$WALL"); rsss+=("$RSS_KB"); cpus+=("$CPU")
    done
    M_WALL=$(median "${walls[@]}")
    M_RSS_MB=$(awk -v k="$(median "${rsss[@]}")" 'BEGIN { printf "%.1f", k / 1024 }')
    if [[ ${cpus[0]} == n/a ]]; then M_CPU=n/a; else M_CPU=$(median "${cpus[@]}"); fi
}

ROW_FMT='%-34s %8s %9s %8s %8s %12s %14s\n'
header() { printf "$ROW_FMT" measurement "wall s" "files/s" "MB/s" "cpu s" "peak RSS MB" "vs parse-only"; }

# Prints one row from the last measure; $1 label, $2 files, $3 bytes, $4 baseline wall.
row() {
    local label=$1 files=$2 bytes=$3 base=$4
    if [[ -n $M_ERR ]]; then
        printf '%-34s %s\n' "$label" "failed ($M_ERR)"
        return
    fi
    awk -v l="$label" -v w="$M_WALL" -v f="$files" -v b="$bytes" -v c="$M_CPU" \
        -v r="$M_RSS_MB" -v base="$base" -v fmt="$ROW_FMT" 'BEGIN {
            printf fmt, l, sprintf("%.3f", w), sprintf("%.0f", f / w),
                sprintf("%.1f", b / 1e6 / w), c, r, sprintf("%.0f%%", 100 * base / w)
        }'
}

# ---------------------------------------------------------------- run
GEN_HASH=$(git -C "$ROOT" hash-object benches/support/corpus.rs examples/corpus.rs | tr '\n' ' ')
LARGEST=$(printf '%s\n' $SIZES | sort -n | tail -n 1)

echo "demarcate end-to-end benchmark"
echo "  commit     $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- src Cargo.toml || echo ' (src modified)')"
echo "  binary     $("$BIN" --version)"
echo "  machine    $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), load average $(cut -d' ' -f1-3 /proc/loadavg) at start"
echo "  method     page cache warmed by one untimed parse-only run; $RUNS runs each, median; RSS and CPU from $RSS_HOW"
echo "  corpora    $OUT (seed $SEED)"

for n in $SIZES; do
    dir=$OUT/corpus-$n
    change=0
    [[ $n == "$LARGEST" ]] && change=$CHANGED
    stamp="files=$n seed=$SEED change=$change generator=$GEN_HASH"
    if [[ -f $dir.stamp && $(cat "$dir.stamp") == "$stamp" && -d $dir/.git ]]; then
        gen="reused"
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

    measure 0 "$PARSE_ONLY" --porcelain .
    if [[ -n $M_ERR ]]; then
        row "parse-only (bare parsers)" "$files" "$bytes" 1
        continue
    fi
    base=$M_WALL
    row "parse-only (bare parsers)" "$files" "$bytes" "$base"

    # classify and lint exit 1 when they report errors; only 2 is a failure.
    measure 1 "$BIN" classify --format json
    row "classify --format json" "$files" "$bytes" "$base"

    measure 1 "$BIN" lint
    row "lint (tree mode)" "$files" "$bytes" "$base"

    if ((change > 0)); then
        label="lint --base HEAD~1 ($change changed)"
        rc=0
        "$BIN" lint --base HEAD~1 >/dev/null 2>"$SCRATCH/err" || rc=$?
        if ((rc >= 2)); then
            printf '%-34s %s\n' "$label" "n/a ($(head -n 1 "$SCRATCH/err"))"
        else
            measure 1 "$BIN" lint --base HEAD~1
            row "$label" "$files" "$bytes" "$base"
        fi
    fi
done
echo
echo "vs parse-only = parse-only wall time / this wall time (throughput relative to the baseline; the target for lint is >= 80%)."
