#!/bin/sh
# Compiles the C# example with mcs into the build tree and runs it with mono.
# Usage: examples/csharp/run.sh TAGGER_MODEL EMBEDDER_MODEL IMAGE_FOLDER INDEX_PATH
# Environment: ACG2VEC_BUILD_DIR (default: build/ of this repository), ACG2VEC_LIB_DIR (the
# directory of libacg2vec.so, default: $ACG2VEC_BUILD_DIR/src), MCS (default: mcs), MONO
# (default: mono).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build_dir=$(cd "${ACG2VEC_BUILD_DIR:-$here/../../build}" && pwd)
lib_dir=$(cd "${ACG2VEC_LIB_DIR:-$build_dir/src}" && pwd)
out=$build_dir/examples/csharp
mkdir -p "$out"

# The binding's sources (bindings/csharp) compiled with the example.
"${MCS:-mcs}" -nologo -warn:4 -out:"$out/TagAndSearch.exe" "$here/TagAndSearch.cs" "$here"/../../bindings/csharp/*.cs
# [DllImport("acg2vec")] finds libacg2vec.so through the loader's search path.
LD_LIBRARY_PATH=$lib_dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export LD_LIBRARY_PATH
exec "${MONO:-mono}" "$out/TagAndSearch.exe" "$@"
