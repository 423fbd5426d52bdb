#!/bin/sh
# `acg2vec index build` of a fresh index, two command lines compared in alternating runs on the
# same machine (the peer is the other binary, measured in the same run): e.g. the CLI of the
# previous release, which opened the model once per task and ran every image through it once
# per task, against this one, which runs each image once for its vector and its categories.
# Prints each run's wall time, the medians and the ratio before / after.
# Usage: bench/index_build_benchmark.sh CLI_BEFORE CLI_AFTER MODEL IMAGE_FOLDER [RUNS=5]
set -eu
before=$1 after=$2 model=$3 images=$4 runs=${5:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Wall seconds of one fresh build of the index with CLI $1.
build_seconds() {
    rm -f "$work/index.idx"
    start=$(date +%s.%N)
    "$1" index build "$images" -i "$work/index.idx" -m "$model" -q >"$work/out" 2>&1 || { cat "$work/out"; exit 1; }
    end=$(date +%s.%N)
    awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f\n", e - s }' 
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

build_seconds "$after" >/dev/null  # warm the page cache for both
: >"$work/before.txt"
: >"$work/after.txt"
i=1
while [ "$i" -le "$runs" ]; do
    b=$(build_seconds "$before")
    a=$(build_seconds "$after")
    echo "$b" >>"$work/before.txt"
    echo "$a" >>"$work/after.txt"
    printf 'run %d: before %.2f s, after %.2f s\n' "$i" "$b" "$a"
    i=$((i + 1))
done
mb=$(median <"$work/before.txt")
ma=$(median <"$work/after.txt")
printf 'model %s, images in %s\n' "$(basename "$model")" "$images"
printf 'median: before %.2f s, after %.2f s; before / after = %.2fx\n' "$mb" "$ma" "$(awk -v b="$mb" -v a="$ma" 'BEGIN { print b / a }')"
tail -1 "$work/out"
