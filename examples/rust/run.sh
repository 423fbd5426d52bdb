#!/bin/sh
# Builds the Rust example into the build tree (offline: it uses no crates) and runs it.
# Usage: examples/rust/run.sh TAGGER_MODEL EMBEDDER_MODEL IMAGE_FOLDER INDEX_PATH
# Environment: ACG2VEC_BUILD_DIR (default: build/ of this repository), ACG2VEC_LIB_DIR (the
# directory of libacg2vec.so, default: $ACG2VEC_BUILD_DIR/src), CARGO (default: cargo).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build_dir=$(cd "${ACG2VEC_BUILD_DIR:-$here/../../build}" && pwd)
ACG2VEC_LIB_DIR=$(cd "${ACG2VEC_LIB_DIR:-$build_dir/src}" && pwd)
CARGO_TARGET_DIR=$build_dir/examples/rust
export ACG2VEC_LIB_DIR CARGO_TARGET_DIR

"${CARGO:-cargo}" build --offline --quiet --manifest-path "$here/Cargo.toml"
exec "$CARGO_TARGET_DIR/debug/tag_and_search" "$@"
