#!/usr/bin/env bash
# The README's test command: installs the Debian packages, configures, builds with -j2 and
# runs every test; then builds again with AddressSanitizer + UBSan and runs every test there
# too (hostile image files must never crash). Works on a fresh Debian 12 machine (root, or a
# user with sudo); a third, ThreadSanitizer, build runs the concurrency tests. The default
# models are converted from the nsfwjs npm package first (tools/nsfwjs/prepare.sh, cached in
# build/model-cache) so the plain build also checks them against TF.js.
# Last, every libFuzzer target runs for ACG2VEC_FUZZ_SECONDS (60) seconds under ASan + UBSan
# (scripts/fuzz.sh, a clang build of its own).
# ACG2VEC_SKIP_SANITIZERS=1 skips the sanitizer builds and the fuzzing; ACG2VEC_SKIP_FUZZ=1
# the fuzzing alone.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh --with-node --for-tests

echo "== source format (.clang-format)"
bash scripts/check-format.sh

echo "== default models (nsfwjs from npm, converted once)"
model_cache=$PWD/build/model-cache/nsfwjs
bash tools/nsfwjs/prepare.sh "$model_cache"

echo "== ONNX Runtime from npm (the reference of the ONNX import tests)"
onnxruntime_node=$PWD/build/onnxruntime-node
bash tools/import/tests/install_onnxruntime.sh "$onnxruntime_node"

echo "== release build and tests"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DACG2VEC_WERROR=ON -DACG2VEC_MODEL_CACHE="$model_cache" \
    -DACG2VEC_ONNXRUNTIME_NODE="$onnxruntime_node"
cmake --build build -j2
ctest --test-dir build -j2 --output-on-failure

echo "== static library (BUILD_SHARED_LIBS=OFF): build, install, consume with find_package"
cmake -S . -B build-static -DCMAKE_BUILD_TYPE=RelWithDebInfo -DACG2VEC_WERROR=ON -DBUILD_SHARED_LIBS=OFF \
    -DACG2VEC_BUILD_TESTS=OFF -DACG2VEC_BUILD_EXAMPLES=OFF -DACG2VEC_BUILD_BENCHMARKS=OFF
cmake --build build-static -j2
cmake -DBUILD_DIR="$PWD/build-static" -DSOURCE_DIR="$PWD/tests/install" -DWORK_DIR="$PWD/build-static/install_test" \
    -DCXX=c++ -DCC=cc -DSTATIC=ON -P tests/install/run_install_test.cmake

if [ "${ACG2VEC_SKIP_SANITIZERS:-0}" != 1 ]; then
    echo "== AddressSanitizer + UndefinedBehaviorSanitizer build and tests"
    cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DACG2VEC_WERROR=ON \
        -DACG2VEC_SANITIZE=address,undefined -DACG2VEC_BUILD_BENCHMARKS=OFF
    cmake --build build-asan -j2
    ctest --test-dir build-asan -j2 --output-on-failure
fi

if [ "${ACG2VEC_SKIP_SANITIZERS:-0}" != 1 ]; then
    echo "== ThreadSanitizer build and the index concurrency tests"
    cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DACG2VEC_WERROR=ON -DACG2VEC_SANITIZE=thread
    cmake --build build-tsan -j2 --target acg2vec_index_tests
    ctest --test-dir build-tsan -R '^index_concurrency$' --output-on-failure
fi

if [ "${ACG2VEC_SKIP_SANITIZERS:-0}" != 1 ] && [ "${ACG2VEC_SKIP_FUZZ:-0}" != 1 ]; then
    echo "== libFuzzer targets under ASan + UBSan, ${ACG2VEC_FUZZ_SECONDS:-60}s each"
    bash scripts/fuzz.sh "${ACG2VEC_FUZZ_SECONDS:-60}"
fi
