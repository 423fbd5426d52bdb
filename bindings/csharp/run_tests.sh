#!/bin/sh
# Compiles the C# binding with its tests (mcs) into OUT_DIR and runs them under mono.
# Usage: bindings/csharp/run_tests.sh OUT_DIR LIB_DIR
# Environment: MCS, MONO (default: mcs, mono); the tests read ACG2VEC_TEST_FIXTURES,
# ACG2VEC_SHARED_DATA and ACG2VEC_TEST_WORK.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=$1
mkdir -p "$out"
"${MCS:-mcs}" -nologo -warn:4 -warnaserror -out:"$out/BindingTests.exe" "$here"/*.cs "$here/tests/BindingTests.cs"
# [DllImport("acg2vec")] finds libacg2vec.so through the loader's search path.
LD_LIBRARY_PATH=$2${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export LD_LIBRARY_PATH
exec "${MONO:-mono}" "$out/BindingTests.exe"
