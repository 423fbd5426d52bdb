"""The command line every tools/import converter takes (acg2vec import passes the same flags)."""

from __future__ import annotations

import argparse
import os
from typing import Optional, Sequence, Tuple


def parse_import_args(argv: Optional[Sequence[str]], doc: str, source_help: str, presets: Sequence[str],
                      labels_help: str, several_labels: bool,
                      custom_preset: bool = False) -> Tuple[argparse.Namespace, str]:
    """(arguments, model name): SOURCE --preset --labels --out [--name --version --description].
    --labels is a list with several_labels, else one path. The name defaults to the source
    file's stem, lower-cased (for a TF.js model.json, its folder's name). With custom_preset, --preset custom takes --metadata and any
    number of --labels (a list), the other presets one label file."""
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("source", help=source_help)
    ap.add_argument("--preset", required=True, choices=presets)
    ap.add_argument("--labels", required=not custom_preset, help=labels_help, action="append")
    if custom_preset:
        ap.add_argument("--metadata", help="--preset custom: the acg2vec.json to write, without \"methods\"")
    ap.add_argument("--out", required=True, help="output .pt")
    ap.add_argument("--name", help="model name recorded in acg2vec.json (default: the file's stem)")
    ap.add_argument("--version")
    ap.add_argument("--description")
    args = ap.parse_args(argv)
    stem = os.path.splitext(os.path.basename(args.source))[0]
    if os.path.basename(args.source) == "model.json":  # TF.js: every model is model.json
        stem = os.path.basename(os.path.dirname(os.path.abspath(args.source))) or stem
    default_name = stem.lower()
    if custom_preset:
        if (args.preset == "custom") != (args.metadata is not None):
            ap.error("--metadata goes with --preset custom, and --preset custom needs it")
        if args.preset == "custom":
            args.labels = args.labels or []
            return args, args.name or default_name
        if not args.labels:
            ap.error(f"--labels: preset {args.preset} needs its label file")
    if not several_labels:
        if len(args.labels) != 1:
            ap.error(f"--labels: preset {args.preset} takes one label file, not {len(args.labels)}")
        args.labels = args.labels[0]
    return args, args.name or default_name
