#!/bin/sh
# The README's main job with the converted default models: ratings of the sample
# illustrations, then an index of their InceptionV3 features in which both near-duplicate
# pairs must be each other's nearest neighbour.
# Usage: run_main_job_check.sh ACG2VEC_CLI MODEL_CACHE IMAGE_FOLDER WORK_DIR
set -eu
cli=$1 cache=$2 images=$3 work=$4
rm -rf "$work" && mkdir -p "$work"
"$cli" score -m "$cache/models/nsfwjs-mobilenetv2.pt" "$images" > "$work/ratings.txt"
cat "$work/ratings.txt"
[ "$(grep -c 'rating: ' "$work/ratings.txt")" -eq 8 ] || { echo "FAIL: expected 8 ratings"; exit 1; }
"$cli" index build "$images" -i "$work/images.idx" -m "$cache/models/nsfwjs-inceptionv3.pt" --optimize full -q
"$cli" index neighbours -i "$work/images.idx" > "$work/neighbours.txt"
cat "$work/neighbours.txt"
status=0
for pair in "rcugan_anime_frame_251x180.jpg rcugan_anime_frame_2x_502x360.png" \
            "anime4k_knnw_hr_256x256.png anime4k_knnw_lr_256x256.png"; do
    set -- $pair
    grep -q "/$1	[0-9.]*	.*/$2\$" "$work/neighbours.txt" || { echo "FAIL: $1 does not find $2"; status=1; }
    grep -q "/$2	[0-9.]*	.*/$1\$" "$work/neighbours.txt" || { echo "FAIL: $2 does not find $1"; status=1; }
done
[ $status -eq 0 ] && echo "both near-duplicate pairs find each other"
exit $status
