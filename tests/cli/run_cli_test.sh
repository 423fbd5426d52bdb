#!/bin/sh
# End-to-end test of the acg2vec command line on the fixture models (tests/support) and the
# shared sample images: every subcommand, JSON output, resumable index builds, exit codes.
# Usage: run_cli_test.sh ACG2VEC_BINARY FIXTURE_DIR SHARED_DATA WORK_DIR
set -u
cli=$1 fixtures=$2 data=$3 work=$4
images=$data/images
two_tower=$fixtures/two_tower_fixture.pt
tagger=$fixtures/tagger_fixture.pt
failures=0
rm -rf "$work" && mkdir -p "$work"

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
# expect CODE PATTERN command...: runs it, checks the exit code and that stdout+stderr match PATTERN.
expect() {
    code=$1 pattern=$2
    shift 2
    "$@" >"$work/out" 2>&1
    got=$?
    [ "$got" -eq "$code" ] || fail "exit $got, expected $code: $*"
    grep -Eq -- "$pattern" "$work/out" || { fail "no /$pattern/ in output of: $*"; sed 's/^/    /' "$work/out"; }
}

expect 0 "Exit codes: 0 ok" "$cli" --help
expect 0 "^name +two-tower-fixture" "$cli" info -m "$two_tower"
expect 0 '"task":"embedder"' "$cli" info -m "$two_tower" --json
# The BLAS the model runs on, measured; never OpenBLAS's generic kernels on a CPU that has
# wider ones (the command line restarts with OPENBLAS_CORETYPE set: src/cli/blas_kernels.hpp).
# A model given to the wrong task says what it is for.
expect 4 "tagger: missing section: this is a scorer model \(sections: scorer\), not a tagger" \
    "$cli" tag -m "$fixtures/classifier_fixture.pt" "$images/realesrgan_0014_cartoon_179x179.jpg"
expect 4 "this is a tagger model \(sections: tagger\), not a scorer" \
    "$cli" score -m "$tagger" "$images/realesrgan_0014_cartoon_179x179.jpg"
# tokenize offers no options about running images.
"$cli" tokenize --help | grep -Eq -- "--batch|--decode-threads|--jpeg-min-side" && fail "tokenize --help offers image options"
# "no model" points at the default model once the main job has made it.
mkdir -p "$work/cache/nsfwjs/models" && : > "$work/cache/nsfwjs/models/nsfwjs-mobilenetv2.pt"
expect 2 "the main job's default model is .*/cache/nsfwjs/models/nsfwjs-mobilenetv2.pt" \
    env ACG2VEC_MODEL= ACG2VEC_CACHE="$work/cache" "$cli" score "$images"
expect 2 "scripts/main-job.sh prepares the default one" env ACG2VEC_MODEL= ACG2VEC_CACHE="$work/nocache" "$cli" score "$images"
# A model without a tokenizer points at --vocab.
expect 3 "has no text tokenizer; tokenize with a vocabulary file instead: --vocab" "$cli" tokenize -m "$fixtures/classifier_fixture.pt" "hello"
# Thread counts are bounded (100000 once started ~27,000 threads) and named as the option.
expect 2 "--threads: Value 100000 not in range 0 to 1024" "$cli" info -m "$two_tower" --threads 100000
expect 2 "--threads: Value -5 not in range 0 to 1024" "$cli" info -m "$two_tower" --threads -5
expect 0 "^blas +[A-Za-z ]+.*[0-9.]+ GFLOPS sgemm" "$cli" info -m "$two_tower"
expect 0 '"better_core":""' "$cli" info -m "$two_tower" --json
expect 0 '"sgemm_gflops":[1-9]' "$cli" info -m "$two_tower" --json
expect 0 "\[general\] " "$cli" tag -m "$tagger" "$images/realesrgan_0014_cartoon_179x179.jpg"
expect 0 '^\{"results": \[$' "$cli" tag -m "$tagger" --json "$images/realesrgan_0014_cartoon_179x179.jpg"
# One broken file fails alone: the good one is still tagged, and the exit code says "some failed".
expect 1 "broken.png: PNG" "$cli" tag -m "$tagger" "$images/realesrgan_0014_cartoon_179x179.jpg" "$data/tricky/broken.png"
expect 0 "a cat	4-d \[" "$cli" embed -m "$two_tower" --text "a cat"
expect 0 '"vector":\[' "$cli" embed -m "$two_tower" --json "$images/anime4k_knnw_lr_256x256.png"
expect 0 "^similarity 100.0 / 100" "$cli" similar -m "$two_tower" "$images/anime4k_knnw_hr_256x256.png" "$images/anime4k_knnw_hr_256x256.png"
expect 0 "^ids +49406 272 1611 267 1538 318 2225 49407 0" "$cli" tokenize "1girl, long_hair" --vocab "$data/clip/bpe_simple_vocab_16e6.txt.gz"
expect 0 "^pieces +hello world" "$cli" tokenize "Hello World" --vocab "$data/bert/bert-base-uncased-vocab.txt"
expect 0 '"ids":\[49406,' "$cli" tokenize "a photo" -m "$two_tower" --json

index=$work/images.idx
expect 0 "20 added, 0 updated, 0 renamed, 0 removed, 0 unchanged, 0 failed; 20 images" "$cli" index build "$images" -i "$index" -m "$two_tower"
expect 0 "0 added, 0 updated, 0 renamed, 0 removed, 20 unchanged" "$cli" index build "$images" -i "$index" -m "$two_tower"
expect 0 "^[1-3]	100.00	.*anime4k_knnw_hr_256x256.png" "$cli" search -i "$index" -m "$two_tower" --image "$images/anime4k_knnw_hr_256x256.png" -k 3
expect 0 '^\{"rank":1,"key":".*","similarity":' "$cli" search -i "$index" -m "$two_tower" --text "a girl" -k 2 --json
expect 0 "anime4k_knnw_hr_256x256.png	100.00	.*anime4k_knnw_lr_256x256.png" "$cli" index neighbours -i "$index"
expect 0 "^group 1:" "$cli" dedupe -i "$index" --threshold 99
expect 0 "1 removed; 19 remain" "$cli" index remove -i "$index" "$images/anime4k_knnw_hr_256x256.png"
expect 0 "1 added, 0 updated, 0 renamed, 0 removed, 19 unchanged" "$cli" index build "$images" -i "$index" -m "$two_tower"

# A folder that changes under its index (keys relative to --root): byte-identical copies each
# get a key and dedupe shows them as identical; renames keep their vector; deleted files leave.
folder=$work/folder
mkdir -p "$folder/imgs"
cp "$images/anime4k_knnw_hr_256x256.png" "$images/mangaocr_01_188x251.jpg" "$folder/imgs/"
cp "$images/anime4k_knnw_hr_256x256.png" "$folder/imgs/copy.png"
sync_index=$work/folder.idx
expect 0 "3 added, 0 updated, 0 renamed, 0 removed, 0 unchanged, 0 failed; 3 images" "$cli" index build "$folder/imgs" -i "$sync_index" --root "$folder" -m "$two_tower"
expect 0 "group 1 \(identical bytes\):" "$cli" dedupe -i "$sync_index" --threshold 99.9
expect 0 '"identical":true,"members":\[\{"key":"imgs/anime4k.*","content":"[0-9a-f]{16}","identical":true' "$cli" dedupe -i "$sync_index" --threshold 99.9 --json
mv "$folder/imgs/mangaocr_01_188x251.jpg" "$folder/imgs/renamed.jpg"
rm "$folder/imgs/copy.png"
expect 0 "0 added, 0 updated, 1 renamed, 1 removed, 1 unchanged, 0 failed; 2 images" "$cli" index build "$folder/imgs" -i "$sync_index" --root "$folder" -m "$two_tower"
expect 0 "^1	100.00	imgs/renamed.jpg" "$cli" search -i "$sync_index" -m "$two_tower" --image "$folder/imgs/renamed.jpg" -k 1
# The same folder named another way from another directory: the same keys.
expect 0 "0 added, 0 updated, 0 renamed, 0 removed, 2 unchanged" sh -c 'cd "$1" && exec "$2" index build ./folder/../folder/imgs -i "$3" --root folder -m "$4"' _ "$work" "$cli" "$sync_index" "$two_tower"

# Errors say what is wrong and what to do, with meaningful exit codes.
expect 2 "no model: pass --model" env -u ACG2VEC_MODEL "$cli" tag "$images/anime4k_knnw_hr_256x256.png"
expect 2 "A subcommand is required|required" "$cli"
expect 5 "index has dimension 4 \(vectors of model 'two-tower-fixture'\), expected 17 \(model 'tagger-fixture'\)" "$cli" search -i "$index" -m "$tagger" --image "$images/anime4k_knnw_hr_256x256.png"
printf 'not an index' > "$work/bad.idx"
expect 5 "bad.idx" "$cli" index neighbours -i "$work/bad.idx"
expect 4 "nonexistent.pt" "$cli" info -m "$work/nonexistent.pt"
expect 2 "exactly one of --image FILE or --text TEXT" "$cli" search -i "$index" -m "$two_tower"
# An index into a folder that does not exist fails before any image is read.
expect 5 "no_such_folder/x.idx: the folder .*no_such_folder does not exist" "$cli" index build "$images" -i "$work/no_such_folder/x.idx" -m "$two_tower"
[ ! -e "$work/no_such_folder" ] || fail "index build created the missing folder"
# The categories a search can filter on, and a note for one that no image has.
ce_index=$work/categories.idx
"$cli" index build "$images" -i "$ce_index" -m "$fixtures/scorer_embedder_fixture.pt" -q
expect 0 "^[0-9]+	side:" "$cli" index categories -i "$ce_index"
expect 0 '^\{"name":"side:.*","count":[0-9]+\}' "$cli" index categories -i "$ce_index" --json
expect 0 "no image in the index has category 'side:nope' \(categories: side:" "$cli" search -i "$ce_index" -m "$fixtures/scorer_embedder_fixture.pt" --image "$images/anime4k_knnw_hr_256x256.png" --category side:nope
# Failures are named also with -q.
cp "$data/tricky/broken.png" "$work/broken_copy.png"
expect 1 "broken_copy.png: PNG" "$cli" index add "$work/broken_copy.png" -i "$ce_index" -m "$fixtures/scorer_embedder_fixture.pt" -q
expect 1 "broken_copy.png: PNG" "$cli" score -m "$fixtures/classifier_fixture.pt" "$work/broken_copy.png" -q

if [ "$failures" -ne 0 ]; then
    echo "$failures CLI checks failed"
    exit 1
fi
echo "all CLI checks passed"
