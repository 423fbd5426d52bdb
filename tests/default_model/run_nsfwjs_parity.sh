#!/bin/sh
# The converted nsfwjs models against TF.js running the original models from the npm package,
# end to end: each image decoded and preprocessed by this library and run through its Scorer
# and Embedder (nsfwjs_outputs), versus nsfwjs's own pipeline on the same decoded pixels in
# TF.js (tools/nsfwjs/parity.py --rgb). Pass: max |d| <= 1e-4 on probabilities, 1e-3 on features.
# Usage: run_nsfwjs_parity.sh CACHE NSFWJS_OUTPUTS WORK_DIR SOURCE_DIR IMAGE...
set -eu
cache=$1 tool=$2 work=$3 source_dir=$4
shift 4
rm -rf "$work" && mkdir -p "$work"
python=${PYTHON:-/usr/bin/python3}

check() {  # check MODEL_NAME FILE_STEM IMAGE
    name=$1 stem=$2 image=$3
    base=$(basename "$image")
    prefix=$work/$name.$base
    "$tool" "$cache/models/$stem.pt" "$image" "$prefix"
    "$python" "$source_dir/tools/nsfwjs/parity.py" --cache "$cache" --model "$name" \
        --rgb "$prefix.rgb.u8" --rgb-shape "$(cat "$prefix.shape")" --keep "$prefix.tfjs" >/dev/null
    "$python" - "$prefix" "$name" "$base" <<'PY'
import sys, numpy as np
prefix, name, base = sys.argv[1:]
ours_p = np.fromfile(prefix + ".probs.f32", "<f4")
ours_f = np.fromfile(prefix + ".features.f32", "<f4")
tfjs_p = np.fromfile(prefix + ".tfjs/%s.rgb.probs.f32" % name, "<f4")
tfjs_f = np.fromfile(prefix + ".tfjs/%s.rgb.features.f32" % name, "<f4")
dp = float(np.abs(ours_p - tfjs_p).max())
df = float(np.abs(ours_f - tfjs_f).max())
ok = dp <= 1e-4 and df <= 1e-3 and ours_p.argmax() == tfjs_p.argmax()
print("%-13s %-36s probs max|d| %.2e  features max|d| %.2e  %s" % (name, base, dp, df, "ok" if ok else "FAIL"))
sys.exit(0 if ok else 1)
PY
}

status=0
for image in "$@"; do
    check mobilenet_v2 nsfwjs-mobilenetv2 "$image" || status=1
done
# InceptionV3 in pure-JS TF.js takes ~25 s an image: the first image only.
check inception_v3 nsfwjs-inceptionv3 "$1" || status=1
exit $status
