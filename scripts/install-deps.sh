#!/usr/bin/env bash
# Installs the Debian 12 packages acg2vec builds and tests with. Safe to run again:
# apt-get only installs what is missing. Uses sudo when not run as root.
# --with-node also makes sure node and npm exist (Debian's nodejs + npm unless a node is
# already installed): the default model is converted from the nsfwjs npm package.
set -euo pipefail

with_node=0
[ "${1:-}" = "--with-node" ] && with_node=1

packages=(
    build-essential cmake pkg-config git
    clang-format          # scripts/check-format.sh: the sources follow .clang-format
    libtorch-dev          # TorchScript runtime (find_package(Torch))
    # libtorch calls libblas.so.3; without an optimised BLAS that is the reference one, 5-40x
    # slower (docs/performance.md). The OpenMP build, because libtorch threads with OpenMP: the
    # pthread build was 1.8x slower beside it, measured.
    libopenblas0-openmp
    libhnswlib-dev        # HNSW index
    libfmt-dev doctest-dev
    libstb-dev            # BMP, GIF, TGA, PSD decoding
    libjpeg62-turbo-dev   # JPEG decoding: the libjpeg API Pillow uses
    libwebp-dev           # WebP decoding (libwebp + libwebpdemux)
    nlohmann-json3-dev libutf8proc-dev
    libcli11-dev          # the acg2vec command line
    libcpp-httplib-dev    # acg2vec serve (src/server)
    zlib1g-dev            # zip entries of model archives, PNG CRCs and unusual PNG streams
    libdeflate-dev        # PNG image data: inflates several times faster than zlib
    # fuzzing (scripts/fuzz.sh): clang, and the libFuzzer, ASan and UBSan runtimes, which
    # clang only recommends
    clang libclang-rt-14-dev
    # tests: tools/export runs on small models and Python computes the reference outputs
    python3 python3-torch python3-numpy python3-pil
    python3-requests      # tests/server: a real HTTP client against acg2vec serve
    # tests/server/test_web_page.py: the web page in a real browser, headless
    chromium chromium-driver python3-selenium
    # the examples in other languages, built and run by ctest: examples/rust (cargo, with
    # rustc), examples/go (cgo) and examples/csharp (mcs, then mono)
    cargo golang-go mono-mcs mono-runtime
)

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
