#!/bin/sh
# Builds the Go example with cgo into the build tree and runs it.
# Usage: examples/go/run.sh TAGGER_MODEL EMBEDDER_MODEL IMAGE_FOLDER INDEX_PATH
# Environment: ACG2VEC_BUILD_DIR (default: build/ of this repository), ACG2VEC_LIB_DIR (the
# directory of libacg2vec.so, default: $ACG2VEC_BUILD_DIR/src), GO (default: go), GOCACHE
# (default: a cache in the build tree).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build_dir=$(cd "${ACG2VEC_BUILD_DIR:-$here/../../build}" && pwd)
lib_dir=$(cd "${ACG2VEC_LIB_DIR:-$build_dir/src}" && pwd)
out=$build_dir/examples/go
mkdir -p "$out"

export CGO_ENABLED=1
# the package in bindings/go includes capi/acg2vec.h itself
export CGO_LDFLAGS="-L$lib_dir -Wl,-rpath,$lib_dir"  # the run path: no LD_LIBRARY_PATH needed
export GOCACHE="${GOCACHE:-$out/cache}"
export GOPROXY=off  # no modules to download
(cd "$here" && "${GO:-go}" build -buildvcs=false -o "$out/tag_and_search" .)
exec "$out/tag_and_search" "$@"
