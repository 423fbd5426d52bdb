#!/bin/sh
# Exports small randomly initialised models of the real structures with tools/export (Python,
# Debian's python3-torch), computes reference outputs in Python, and checks that the library
# reproduces them. Usage: run_export_test.sh PYTHON SOURCE_DIR SHARED_DATA WORK_DIR CHECKER
set -eu
python=$1 source_dir=$2 shared_data=$3 work_dir=$4 checker=$5
rm -rf "$work_dir"
mkdir -p "$work_dir"
"$python" "$source_dir/tools/export/tests/make_tiny_models.py" "$work_dir" "$shared_data" "$source_dir/tests/data/tokenizers"
"$checker" "$work_dir"
