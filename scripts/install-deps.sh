#!/usr/bin/env bash
# Installs the Debian 12 packages acg2vec builds with. Safe to run again: apt-get only
# installs what is missing. Uses sudo when not run as root.
#   --with-node   also node and npm (Debian's nodejs + npm unless a node is already installed):
#                 the default model is converted from the nsfwjs npm package.
#   --for-tests   also what only the tests need: the fuzzing compiler, the browser, the
#                 toolchains of the Rust, Go and C# examples (the main job does without them).
set -euo pipefail

with_node=0 for_tests=0
for option in "$@"; do
    case "$option" in
        --with-node) with_node=1 ;;
        --for-tests) for_tests=1 ;;
        *) echo "install-deps: unknown option $option" >&2; exit 2 ;;
    esac
done

# Building and running the library and the command line, and converting the default model.
packages=(
    build-essential cmake pkg-config git
    libtorch-dev          # TorchScript runtime (find_package(Torch))
    # libtorch calls libblas.so.3; without an optimised BLAS that is the reference one, 5-40x
    # slower (docs/performance.md). The OpenMP build, because libtorch threads with OpenMP: the
    # pthread build was 1.8x slower beside it, measured.
    libopenblas0-openmp
    libhnswlib-dev        # HNSW index
    libfmt-dev
    libstb-dev            # BMP, GIF, TGA, PSD decoding
    libjpeg62-turbo-dev   # JPEG decoding: the libjpeg API Pillow uses
    libwebp-dev           # WebP decoding (libwebp + libwebpdemux)
    nlohmann-json3-dev libutf8proc-dev
    libcli11-dev          # the acg2vec command line
    libcpp-httplib-dev    # acg2vec serve (src/server)
    libsimdjson-dev       # acg2vec serve: request bodies with base64 images, 35-50x faster than nlohmann
    zlib1g-dev            # zip entries of model archives, PNG CRCs and unusual PNG streams
    libdeflate-dev        # PNG image data: inflates several times faster than zlib
    # tools/nsfwjs rebuilds the default models in torch; tools/export and the tests use them too
    python3 python3-torch python3-numpy
)

# Only the tests.
test_packages=(
    doctest-dev           # the C++ test suites
    clang-format          # scripts/check-format.sh: the sources follow .clang-format
    # fuzzing (scripts/fuzz.sh): clang, and the libFuzzer, ASan and UBSan runtimes, which
    # clang only recommends
    clang libclang-rt-14-dev
    python3-pil           # reference outputs computed with Pillow
    python3-onnx          # tools/import reads ONNX graphs (tests: graphs made and converted)
    python3-h5py          # tools/import reads Keras .h5 files (tests: the nsfwjs models as .h5)
    python3-skimage       # DeepDanbooru's reference preprocessing (its skimage warp) for the import test
    python3-requests      # tests/server: a real HTTP client against acg2vec serve
    # tests/server/test_web_page.py: the web page in a real browser, headless
    chromium chromium-driver python3-selenium
    # the examples in other languages, built and run by ctest: examples/rust (cargo, with
    # rustc), examples/go (cgo) and examples/csharp (mcs, then mono); examples/python and
    # bindings/python need only python3
    cargo golang-go mono-mcs mono-runtime
)
if [ "$for_tests" -eq 1 ]; then
    packages+=("${test_packages[@]}")
fi

if [ "$with_node" -eq 1 ] && ! { command -v node >/dev/null && command -v npm >/dev/null; }; then
    packages+=(nodejs npm)
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

if [ "${#missing[@]}" -eq 0 ]; then
    echo "install-deps: all ${#packages[@]} packages already installed"
else
    echo "install-deps: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    "${sudo_cmd[@]}" apt-get update -qq
    "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Point libblas.so.3 at the OpenMP OpenBLAS even when another package (python3-torch pulls the
# pthread build) made a higher-priority alternative the default.
openmp_blas=/usr/lib/x86_64-linux-gnu/openblas-openmp
for alt in libblas.so.3 liblapack.so.3; do
    if [ -e "$openmp_blas/$alt" ]; then
        "${sudo_cmd[@]}" update-alternatives --quiet --set "$alt-x86_64-linux-gnu" "$openmp_blas/$alt" || true
    fi
done
