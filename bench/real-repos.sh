#!/usr/bin/env bash
# bench/real-repos.sh: demarcate over public repositories, as a new user runs it.
# Not run in CI: it needs copies of the repositories.
#
# Usage:
#   bench/real-repos.sh MIRRORS [LIST]
#
#   MIRRORS  a folder holding one bare git repository per project, named
#            OWNER+NAME/repo (or OWNER+NAME, or OWNER+NAME.git); the files of
#            its HEAD are exported once into $OUT/OWNER+NAME (regular files
#            only; blobs missing from a partial mirror are left out).
#   LIST     lines of `OWNER/NAME VENDOR DEPLOYMENT` (default: the list below);
#            the model is what classification uses for the "unclassified" column.
#
# Settings (environment variables):
#   OUT            where checkouts go (default /tmp/real-repos)
#   DEMARCATE_BIN  the binary (default: target/release/demarcate, built if missing)
#
# Per repository it prints: files with settings, settings, the share of settings in no
# area, parse errors, and the wall time of one `demarcate classify`. Every
# parse error is checked against the format's own kind of reader: PyYAML
# (`yaml.safe_load_all`) for YAML, rejecting a repeated key in Kubernetes and
# Talos documents as kubectl and Talos do; python-hcl2 for Terraform. The column
# "own tool accepts" counts parse errors on files that reader accepts (the
# goal is 0); those files are listed after the table.
#
# Needs: git, tar, python3 with PyYAML and python-hcl2 (`pip install pyyaml python-hcl2`).
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
mirrors=${1:?usage: bench/real-repos.sh MIRRORS [LIST]}
list=${2:-}
out=${OUT:-/tmp/real-repos}
bin=${DEMARCATE_BIN:-$here/target/release/demarcate}

if [[ ! -x $bin ]]; then
    (cd "$here" && cargo build --release --quiet)
fi
python3 -c 'import yaml, hcl2' 2>/dev/null || {
    echo "needs python3 with PyYAML and python-hcl2" >&2
    exit 2
}

default_list='onedr0p/home-ops stackit-edge-cloud edge-cloud
budimanjojo/talhelper stackit-edge-cloud edge-cloud
siderolabs/contrib stackit-edge-cloud edge-cloud
hcloud-talos/terraform-hcloud-talos stackit-edge-cloud edge-cloud
siderolabs/talos stackit-edge-cloud edge-cloud
bitnami/charts glasswall-halo csp-kubernetes
wikimedia/operations-deployment-charts glasswall-halo csp-kubernetes
alphagov/govuk-infrastructure nexgen-cloud iaas
terraform-aws-modules/terraform-aws-eks nexgen-cloud iaas
ministryofjustice/cloud-platform-environments nexgen-cloud iaas'

if [[ -n $list ]]; then
    entries=$(grep -v '^\s*\(#\|$\)' "$list")
else
    entries=$default_list
fi

mkdir -p "$out"
bad=$(mktemp)
trap 'rm -f "$bad"' EXIT

# Writes the regular files of HEAD of bare repository $1 into folder $2,
# skipping blobs the mirror does not hold.
export_head() {
    python3 - "$1" "$2" <<'PY'
import os, subprocess, sys
git, dest = sys.argv[1], sys.argv[2]
tree = subprocess.run(["git", "--git-dir", git, "ls-tree", "-r", "-z", "HEAD"],
                      check=True, capture_output=True).stdout
entries = []
for rec in tree.split(b"\0"):
    if not rec:
        continue
    meta, path = rec.split(b"\t", 1)
    mode, kind, oid = meta.split()
    if kind == b"blob" and mode in (b"100644", b"100755"):
        entries.append((oid, path.decode("utf-8", "surrogateescape")))
cat = subprocess.Popen(["git", "--git-dir", git, "cat-file", "--batch"],
                       stdin=subprocess.PIPE, stdout=subprocess.PIPE)
for oid, path in entries:
    cat.stdin.write(oid + b"\n")
    cat.stdin.flush()
    header = cat.stdout.readline().split()
    if len(header) < 3 or header[1] == b"missing":
        continue
    data = cat.stdout.read(int(header[2]))
    cat.stdout.read(1)
    target = os.path.join(dest, path)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "wb") as f:
        f.write(data)
cat.stdin.close()
cat.wait()
PY
}

# Prints "yes" when the format's own kind of reader accepts FILE.
own_tool_accepts() {
    python3 - "$1" <<'PY'
import sys
path = sys.argv[1]
try:
    text = open(path, encoding="utf-8-sig").read()
    if path.endswith((".tf", ".tfvars")):
        import hcl2
        hcl2.loads(text)
    else:
        import yaml

        # PyYAML keeps the last of two equal keys, as Helm does; kubectl
        # (strict field validation) and Talos (go-yaml v3) reject them.
        class Loader(yaml.SafeLoader):
            repeated = False

            def construct_mapping(self, node, deep=False):
                keys = [self.construct_object(k, deep=True) for k, _ in node.value]
                hashable = [k for k in keys if isinstance(k, (str, int, float, bool, type(None)))]
                if len(set(hashable)) < len(hashable):
                    Loader.repeated = True
                return super().construct_mapping(node, deep)

        for doc in yaml.load_all(text, Loader=Loader):
            strict = isinstance(doc, dict) and (
                ("apiVersion" in doc and "kind" in doc) or "machine" in doc or "cluster" in doc
            )
            if strict and Loader.repeated:
                raise ValueError("repeated key in a Kubernetes or Talos document")
            Loader.repeated = False
    print("yes")
except Exception:
    print("no")
PY
}

printf '| repository | model | files with settings | settings | unclassified | parse errors | own tool accepts | time (s) |\n'
printf '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n'
while read -r repo vendor deployment; do
    [[ -z $repo ]] && continue
    key=${repo/\//+}
    src=""
    for cand in "$mirrors/$key/repo" "$mirrors/$key" "$mirrors/$key.git"; do
        if [[ -d $cand ]] && git --git-dir="$cand" rev-parse -q --verify HEAD >/dev/null 2>&1; then
            src=$cand
            break
        fi
    done
    if [[ -z $src ]]; then
        printf '| %s | - | not fetched | | | | | |\n' "$repo"
        continue
    fi
    dir=$out/$key
    if [[ ! -d $dir ]]; then
        mkdir -p "$dir.part"
        export_head "$src" "$dir.part"
        mv "$dir.part" "$dir"
    fi
    errs=$(mktemp)
    start=$(date +%s.%N)
    # Problems are printed with the settings, one line each: `FILE:L:C: error[parse-error]: …`.
    (cd "$dir" && "$bin" classify . --vendor "$vendor" --deployment "$deployment" >"$errs" 2>&1) || true
    end=$(date +%s.%N)
    summary=$(tail -n 1 "$errs")
    # "N settings in M files, K unclassified"
    read -r settings _ _ files _ unclassified _ <<<"${summary//,/}"
    share=$(awk -v u="${unclassified:-0}" -v s="${settings:-0}" 'BEGIN { if (s > 0) printf "%.1f%%", 100 * u / s; else print "-" }')
    perrs=$(grep -c 'error\[parse-error\]' "$errs" || true)
    accepted=0
    while IFS= read -r file; do
        if [[ $(own_tool_accepts "$dir/$file") == yes ]]; then
            lines=$(awk -v f="$file:" 'index($0, f) == 1 && /error\[parse-error\]/' "$errs")
            accepted=$((accepted + $(grep -c . <<<"$lines")))
            sed "s|^|$repo: |" <<<"$lines" >>"$bad"
        fi
    done < <(grep 'error\[parse-error\]' "$errs" | cut -d: -f1 | sort -u)
    rm -f "$errs"
    printf '| %s | %s/%s | %s | %s | %s | %s | %s | %.2f |\n' "$repo" "$vendor" "$deployment" \
        "${files:-0}" "${settings:-0}" "$share" "$perrs" "$accepted" \
        "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')"
done <<<"$entries"

if [[ -s $bad ]]; then
    printf '\nParse errors on files the format'"'"'s own reader accepts:\n'
    cat "$bad"
fi
