#!/usr/bin/env bash
# Builds the acg2vec nsfwjs model files into a cache directory, idempotently.
#
#   tools/nsfwjs/prepare.sh CACHE_DIR [--model mobilenet_v2|inception_v3]... [--parity] [--force]
#
#   CACHE_DIR/npm/          package.json + package-lock.json (copied from here) and node_modules (npm ci)
#   CACHE_DIR/extracted/    topology.json, weights.bin, weights.json, classes.json per model (extract.mjs)
#   CACHE_DIR/models/       nsfwjs-mobilenetv2.pt, nsfwjs-inceptionv3.pt, SHA256SUMS, *.inputs (convert.py)
#   CACHE_DIR/parity/       parity results (with --parity)
#
# Each step is skipped when its outputs exist, their recorded sha256s still match and the inputs
# that made them (scripts, lock file, extracted weights) are unchanged. --force redoes everything.
# Needs: node (>= 18) and npm, and a Python 3 with torch and numpy: on Debian 12
#   apt-get install -y nodejs npm python3-torch python3-numpy
# PYTHON (default /usr/bin/python3), NODE (default node) and NPM (default npm) override the tools.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PYTHON="${PYTHON:-/usr/bin/python3}"
NODE="${NODE:-node}"
NPM="${NPM:-npm}"
ALL_MODELS=(mobilenet_v2 inception_v3)

usage() { sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit "${1:-2}"; }

CACHE=""
MODELS=()
PARITY=0
FORCE=0
while [ $# -gt 0 ]; do
    case "$1" in
        --model) [ $# -ge 2 ] || usage; MODELS+=("$2"); shift 2 ;;
        --parity) PARITY=1; shift ;;
        --force) FORCE=1; shift ;;
        -h|--help) usage 0 ;;
        -*) echo "prepare.sh: unknown option $1" >&2; usage ;;
        *) [ -z "$CACHE" ] || usage; CACHE="$1"; shift ;;
    esac
done
[ -n "$CACHE" ] || usage
[ ${#MODELS[@]} -gt 0 ] || MODELS=("${ALL_MODELS[@]}")
for m in "${MODELS[@]}"; do
    case "$m" in mobilenet_v2|inception_v3) ;; *) echo "prepare.sh: unknown model $m" >&2; exit 2 ;; esac
done

log() { echo "[prepare.sh] $*" >&2; }
die() { echo "prepare.sh: error: $*" >&2; exit 1; }

# --- tools -------------------------------------------------------------------------------------
command -v "$NODE" >/dev/null || die "node not found (Debian: apt-get install -y nodejs npm)"
command -v "$NPM" >/dev/null || die "npm not found (Debian: apt-get install -y npm)"
node_major="$("$NODE" -p 'process.versions.node.split(".")[0]')"
[ "$node_major" -ge 18 ] || die "node $("$NODE" --version) is too old: need >= 18"
"$PYTHON" -c 'import torch, numpy' 2>/dev/null ||
    die "$PYTHON cannot import torch and numpy (Debian: apt-get install -y python3-torch python3-numpy)"

mkdir -p "$CACHE"
CACHE="$(cd "$CACHE" && pwd)"
NPMDIR="$CACHE/npm"
EXTRACTED="$CACHE/extracted"
OUT="$CACHE/models"
mkdir -p "$NPMDIR" "$EXTRACTED" "$OUT"

sha() { sha256sum "$@" | awk '{print $1}'; }
# A digest over files' names and contents: what a step's outputs were made from.
digest() { for f in "$@"; do printf '%s %s\n' "$(basename "$f")" "$(sha "$f")"; done | sha256sum | awk '{print $1}'; }

# --- 1. npm ci ---------------------------------------------------------------------------------
lock_sha="$(sha "$HERE/package-lock.json")"
if [ "$FORCE" = 0 ] && [ -f "$NPMDIR/.installed" ] && [ "$(cat "$NPMDIR/.installed")" = "$lock_sha" ] &&
   [ -f "$NPMDIR/node_modules/nsfwjs/package.json" ] && [ -f "$NPMDIR/node_modules/@tensorflow/tfjs/package.json" ]; then
    log "npm: node_modules up to date"
else
    log "npm: installing nsfwjs and @tensorflow/tfjs (npm ci) into $NPMDIR"
    cp "$HERE/package.json" "$HERE/package-lock.json" "$NPMDIR/"
    rm -f "$NPMDIR/.installed"
    # --ignore-scripts: nothing in this tree needs an install script (core-js's only prints a banner).
    (cd "$NPMDIR" && "$NPM" ci --ignore-scripts --no-audit --no-fund --loglevel=error)
    echo "$lock_sha" > "$NPMDIR/.installed"
fi
nsfwjs_version="$("$NODE" -p "require('$NPMDIR/node_modules/nsfwjs/package.json').version")"
[ "$nsfwjs_version" = "4.4.0" ] || die "installed nsfwjs is $nsfwjs_version, expected 4.4.0"

# --- 2. extract (no tfjs) ----------------------------------------------------------------------
for m in "${MODELS[@]}"; do
    dir="$EXTRACTED/$m"
    key="$(printf '%s\n' "$(sha "$HERE/extract.mjs")" "$lock_sha" | sha256sum | awk '{print $1}')"
    files=(topology.json weights.bin weights.json classes.json)
    if [ "$FORCE" = 0 ] && [ -f "$dir/.stamp" ] && [ "$(head -n1 "$dir/.stamp")" = "$key" ] &&
       (cd "$dir" && tail -n +2 .stamp | sha256sum -c --quiet --status 2>/dev/null); then
        log "extract $m: up to date"
        continue
    fi
    log "extract $m"
    rm -f "$dir/.stamp"
    "$NODE" "$HERE/extract.mjs" --nsfwjs "$NPMDIR/node_modules/nsfwjs" --out "$EXTRACTED" --model "$m"
    { echo "$key"; (cd "$dir" && sha256sum "${files[@]}"); } > "$dir/.stamp"
done

# --- 3. convert --------------------------------------------------------------------------------
out_name() { case "$1" in mobilenet_v2) echo nsfwjs-mobilenetv2.pt ;; inception_v3) echo nsfwjs-inceptionv3.pt ;; esac; }
torch_version="$("$PYTHON" -c 'import torch; print(torch.__version__)')"
for m in "${MODELS[@]}"; do
    pt="$(out_name "$m")"
    dir="$EXTRACTED/$m"
    key="$(printf '%s\n' "$(sha "$HERE/convert.py")" "torch $torch_version" \
        "$(digest "$dir/topology.json" "$dir/weights.bin" "$dir/weights.json" "$dir/classes.json")" |
        sha256sum | awk '{print $1}')"
    stamp="$OUT/$pt.inputs"
    if [ "$FORCE" = 0 ] && [ -f "$OUT/$pt" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$key" ] &&
       grep -q " $pt\$" "$OUT/SHA256SUMS" 2>/dev/null &&
       (cd "$OUT" && grep " $pt\$" SHA256SUMS | sha256sum -c --quiet --status); then
        log "convert $m: up to date ($OUT/$pt)"
        continue
    fi
    log "convert $m"
    rm -f "$stamp"
    "$PYTHON" "$HERE/convert.py" --extracted "$EXTRACTED" --out "$OUT" --model "$m"
    { grep -v " $pt\$" "$OUT/SHA256SUMS" 2>/dev/null || true; (cd "$OUT" && sha256sum "$pt"); } > "$OUT/SHA256SUMS.new"
    sort -k2 "$OUT/SHA256SUMS.new" > "$OUT/SHA256SUMS" && rm -f "$OUT/SHA256SUMS.new"
    echo "$key" > "$stamp"
done

# --- 4. parity (optional; the pure-JS TF.js backend is slow, InceptionV3 most of all) -----------
if [ "$PARITY" = 1 ]; then
    mkdir -p "$CACHE/parity"
    args=()
    for m in "${MODELS[@]}"; do args+=(--model "$m"); done
    NODE="$NODE" "$PYTHON" "$HERE/parity.py" --cache "$CACHE" "${args[@]}" --count 4 --seed 0 --time \
        --json "$CACHE/parity/results.json" --keep "$CACHE/parity/files"
fi

for m in "${MODELS[@]}"; do
    pt="$(out_name "$m")"
    log "$OUT/$pt  $(stat -c %s "$OUT/$pt") bytes  sha256 $(grep " $pt\$" "$OUT/SHA256SUMS" | awk '{print $1}')"
done
