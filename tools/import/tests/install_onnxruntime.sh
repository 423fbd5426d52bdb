#!/usr/bin/env bash
# Installs npm's onnxruntime-node (the reference of tools/import's tests: its CPU library ships in
# the package) into DIR/node_modules from package-lock.json, once. Its install script would
# download CUDA binaries, which fails offline: skipped (the CPU library needs nothing from it).
#   install_onnxruntime.sh DIR
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dir=${1:?usage: install_onnxruntime.sh DIR}
mkdir -p "$dir"
if [ -f "$dir/node_modules/onnxruntime-node/package.json" ] && cmp -s "$here/package-lock.json" "$dir/package-lock.json"; then
    exit 0
fi
cp "$here/package.json" "$here/package-lock.json" "$dir/"
(cd "$dir" && ONNXRUNTIME_NODE_INSTALL_CUDA=skip npm ci --ignore-scripts --no-audit --no-fund)
