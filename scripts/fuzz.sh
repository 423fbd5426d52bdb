#!/usr/bin/env bash
# scripts/fuzz.sh [SECONDS_PER_TARGET]: builds the libFuzzer targets of tests/fuzz with clang
# (ASan + UBSan + coverage, no libtorch) and runs each one for SECONDS_PER_TARGET seconds
# (default 30), then prints the executions per target. Exits non-zero when any target found
# something; its input is kept under $build/fuzz/artifacts/<target>/ with the command that
# replays it. Run it for as long as you like: the corpora in $build/fuzz/corpus/ grow from
# run to run. docs/robustness.md explains the targets.
# Environment: ACG2VEC_FUZZ_BUILD (build directory, default build-fuzz), ACG2VEC_FUZZ_JOBS
# (build jobs, default 2), ACG2VEC_SHARED_DATA (default ../shared/data), ACG2VEC_PYTHON
# (/usr/bin/python3: Debian's, with Pillow, writes extra image seeds).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-30}
build=${ACG2VEC_FUZZ_BUILD:-build-fuzz}
jobs=${ACG2VEC_FUZZ_JOBS:-2}
shared=$(realpath -m "${ACG2VEC_SHARED_DATA:-../shared/data}")
[ -d "$shared/images" ] || { echo "fuzz: no shared data in $shared (set ACG2VEC_SHARED_DATA)" >&2; exit 1; }
python=${ACG2VEC_PYTHON:-/usr/bin/python3}
targets=(fuzz_image_decode fuzz_base64 fuzz_metadata fuzz_labels fuzz_index_load fuzz_zip_directory
         fuzz_clip_tokenizer fuzz_wordpiece_tokenizer fuzz_capi fuzz_server_request)

echo "== fuzz build ($build)"
mkdir -p "$build"
cmake -S . -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DACG2VEC_FUZZ=ON -DACG2VEC_BUILD_TESTS=OFF -DACG2VEC_BUILD_EXAMPLES=OFF -DACG2VEC_BUILD_BENCHMARKS=OFF \
    -DACG2VEC_SHARED_DATA="$shared" > "$build/configure.log" 2>&1 || { cat "$build/configure.log"; exit 1; }
cmake --build "$build" -j"$jobs" --target acg2vec_fuzzers
bin=$build/tests/fuzz
work=$build/fuzz

echo "== seed corpora (from $shared, tests/data and tests/fuzz/seeds)"
rm -rf "$work/seeds"
"$python" tests/fuzz/make_seeds.py "$shared" "$PWD" "$work/seeds"
mkdir -p "$work/seeds/fuzz_index_load"
"$bin/make_index_seeds" "$work/seeds/fuzz_index_load"

# Leaks are findings too (libFuzzer checks after every input that allocated more than it freed).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
summary=()
failed=()
for target in "${targets[@]}"; do
    corpus=$work/corpus/$target
    artifacts=$work/artifacts/$target
    log=$work/logs/$target.log
    mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
    # Images: seeds up to 128 KiB are kept whole, larger ones are cut (truncation is a case too).
    max_len=8192
    case $target in fuzz_image_decode|fuzz_capi) max_len=131072 ;; fuzz_base64) max_len=32768 ;; esac
    echo "== $target: ${seconds}s"
    status=0
    "$bin/$target" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2560 -max_len="$max_len" \
        -print_final_stats=1 -artifact_prefix="$artifacts/" "$corpus" "$work/seeds/$target" > "$log" 2>&1 || status=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    units=$(find "$corpus" -type f | wc -l)
    if [ "$status" -ne 0 ]; then
        failed+=("$target")
        echo "!! $target found a problem (exit $status); last lines of $log:"
        tail -n 40 "$log"
        for crash in "$artifacts"/*; do
            [ -f "$crash" ] && echo "   replay: $bin/$target $crash"
        done
    fi
    summary+=("$(printf '%-26s %12s executions %8s/s %6s corpus %s' "$target" "${runs:-?}" "${rate:-?}" "$units" \
        "$([ "$status" -eq 0 ] && echo ok || echo FINDING)")")
done

echo "== fuzz summary (${seconds}s per target)"
printf '%s\n' "${summary[@]}"
if [ "${#failed[@]}" -ne 0 ]; then
    echo "fuzz: findings in ${failed[*]}" >&2
    exit 1
fi
