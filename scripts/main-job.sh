#!/usr/bin/env bash
# The main job on a fresh Debian 12 machine: installs what is needed, builds the acg2vec
# command line, converts the pretrained models of the nsfwjs npm package once into a cache,
# then rates the sample illustrations (the default model, MobileNetV2), indexes them by the
# pooled features of InceptionV3 (the better embedding of the two: see README) and shows
# each one's nearest neighbour. Usage: bash scripts/main-job.sh [IMAGE_FOLDER]
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
images=${1:-examples/images}
cache=${ACG2VEC_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/acg2vec}
build=$root/build-release

bash "$root/scripts/install-deps.sh" --with-node
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DACG2VEC_BUILD_TESTS=OFF -DACG2VEC_BUILD_EXAMPLES=OFF >/dev/null
cmake --build "$build" -j2 --target acg2vec_cli
bash "$root/tools/nsfwjs/prepare.sh" "$cache/nsfwjs" >&2

cli=$build/src/acg2vec
export ACG2VEC_MODEL=$cache/nsfwjs/models/nsfwjs-mobilenetv2.pt
embedding_model=$cache/nsfwjs/models/nsfwjs-inceptionv3.pt
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$root"

echo "== model"
"$cli" info
echo
echo "== rating of each image (nsfwjs classes)"
"$cli" score "$images"
echo
echo "== index of the images (pooled InceptionV3 features, cosine)"
"$cli" index build "$images" --index "$work/images.idx" --model "$embedding_model" --optimize full --quiet
echo
echo "== nearest neighbour of each image (similarity 0-100)"
"$cli" index neighbours --index "$work/images.idx"
