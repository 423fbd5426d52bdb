#!/usr/bin/env bash
# The README's test command: installs the Debian packages, configures, builds with -j2 and
# runs every test. Works on a fresh Debian 12 machine (root, or a user with sudo).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DACG2VEC_WERROR=ON
cmake --build build -j2
ctest --test-dir build -j2 --output-on-failure
