#!/usr/bin/python3
"""The mission's transformer architectures at their published sizes, with random weights, exported
with tools/export as acg2vec model files (once; existing files are kept), for
bench/transformer_benchmark.py. The structures are those of tools/export/tests/tiny_models.py
(the exporters' test models) scaled up:

  clip-vit-b32      CLIP ViT-B/32: image 224, patch 32, width 768, 12 layers, 12 heads;
                    text width 512, 12 layers, 8 heads; 512-d
  clip-vit-l14      CLIP ViT-L/14 (DanbooruCLIP's size): image 224, patch 14, width 1024, 24
                    layers, 16 heads; text width 768, 12 layers, 12 heads; 768-d
  wd-vit-v3         WD ViT tagger v3: ViT-B/16 at 448, width 768, 12 layers, 12 heads, 10,861 labels
  distiluse-size    distiluse-base-multilingual-cased-v2: 6-layer DistilBERT, width 768, the
                    multilingual cased vocabulary, mean pooling, Dense 768 -> 512 tanh

Writes OUT_DIR/<name>.pt, its int8 variant OUT_DIR/<name>.int8.pt (tools/export --quantize
dynamic_int8, same weights) and OUT_DIR/models.json: per model its files, seed and the FLOPs of one
item through each tower (multiply-adds counted as 2), which the benchmark divides by time.
build(name) rebuilds a model's eager module from its seed, for the Python peer.

Usage: /usr/bin/python3 bench/transformer_models.py OUT_DIR SHARED_DATA
"""
import json
import math
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
EXPORT = os.path.join(HERE, "..", "tools", "export")
sys.path.insert(0, EXPORT)
sys.path.insert(0, os.path.join(EXPORT, "tests"))

import acg2vec_export as ax  # noqa: E402
from export_clip import export_clip  # noqa: E402
from export_sentence import export_sentence_model  # noqa: E402
from export_wd14 import export_wd14  # noqa: E402
from tiny_models import (TextTransformer, TinyCLIP, TinyDense, TinyDistilBert, TinyTagger,  # noqa: E402
                         VisionTransformer)

SENTENCE_MAX_LENGTH = 128

# name: seed and sizes. Every width and depth is the published one.
MODELS = {
    "clip-vit-b32": dict(seed=10, kind="clip", image=224, patch=32, vision_width=768, vision_layers=12,
                         vision_heads=12, text_width=512, text_layers=12, text_heads=8, dim=512),
    "clip-vit-l14": dict(seed=11, kind="clip", image=224, patch=14, vision_width=1024, vision_layers=24,
                         vision_heads=16, text_width=768, text_layers=12, text_heads=12, dim=768),
    "wd-vit-v3": dict(seed=12, kind="tagger", image=448, patch=16, width=768, layers=12, heads=12),
    "distiluse-size": dict(seed=13, kind="sentence", width=768, layers=6, heads=12, dim=512),
}


def transformer_flops(tokens, width, layers, mlp_ratio=4):
    """One pass of `layers` blocks over `tokens` tokens: qkv, output and MLP projections plus
    the two attention products."""
    linear = 2 * tokens * width * width * (3 + 1 + 2 * mlp_ratio)
    attention = 2 * 2 * tokens * tokens * width
    return layers * (linear + attention)


def item_flops(spec, text_tokens=None):
    """FLOPs of one image and one text (image/text None when the model has no such tower)."""
    if spec["kind"] == "clip":
        grid = (spec["image"] // spec["patch"]) ** 2
        image = (2 * grid * 3 * spec["patch"] ** 2 * spec["vision_width"]
                 + transformer_flops(grid + 1, spec["vision_width"], spec["vision_layers"])
                 + 2 * spec["vision_width"] * spec["dim"])
        text = transformer_flops(77, spec["text_width"], spec["text_layers"]) + 2 * spec["text_width"] * spec["dim"]
        return image, text
    if spec["kind"] == "tagger":
        grid = (spec["image"] // spec["patch"]) ** 2
        image = (2 * grid * 3 * spec["patch"] ** 2 * spec["width"]
                 + transformer_flops(grid, spec["width"], spec["layers"]) + 2 * spec["width"] * 10861)
        return image, None
    tokens = text_tokens or SENTENCE_MAX_LENGTH
    return None, transformer_flops(tokens, spec["width"], spec["layers"]) + 2 * spec["width"] * spec["dim"]


def sentence_text_flops(name, lengths):
    """Mean FLOPs of one text of a sentence model over texts of these token counts."""
    spec = MODELS[name]
    per_text = [transformer_flops(n, spec["width"], spec["layers"]) + 2 * spec["width"] * spec["dim"] for n in lengths]
    return sum(per_text) / len(per_text)


def build(name):
    """The eager module(s) of a model, from its seed: what a Python user runs today."""
    spec = MODELS[name]
    torch.manual_seed(spec["seed"])
    if spec["kind"] == "clip":
        clip = TinyCLIP()
        clip.image_size = spec["image"]
        clip.visual = VisionTransformer(spec["image"], spec["patch"], spec["vision_width"], spec["vision_layers"],
                                        spec["vision_heads"], spec["dim"])
        clip.transformer = TextTransformer(spec["text_width"], spec["text_layers"], spec["text_heads"], spec["dim"])
        return clip.eval()
    if spec["kind"] == "tagger":
        return TinyTagger(image_size=spec["image"], patch=spec["patch"], width=spec["width"], layers=spec["layers"],
                          heads=spec["heads"]).eval()
    encoder = TinyDistilBert(width=spec["width"], layers=spec["layers"], heads=spec["heads"]).eval()
    return encoder, TinyDense(spec["width"], spec["dim"]).eval()


def export(name, out_dir, data, quantization=None):
    """OUT_DIR/<name>.pt, or <name>.int8.pt with quantization "dynamic_int8" (same weights)."""
    spec = MODELS[name]
    path = os.path.join(out_dir, name + (".int8" if quantization else "") + ".pt")
    if os.path.exists(path):
        return path
    model = build(name)
    description = f"random weights at the published size of {name}, for bench/transformer_benchmark.py"
    common = dict(version="bench", description=description, quantization=quantization)
    with torch.no_grad():
        if spec["kind"] == "clip":
            export_clip(model, os.path.join(data, "clip", "bpe_simple_vocab_16e6.txt.gz"), path + ".tmp", name,
                        spec["image"], ax.OPENAI_CLIP_MEAN, ax.OPENAI_CLIP_STD, **common)
        elif spec["kind"] == "tagger":
            export_wd14(model, os.path.join(data, "tags", "wd_v3_selected_tags.csv"), path + ".tmp", name,
                        spec["image"], **common)
        else:
            encoder, dense = model
            export_sentence_model(encoder, "mean", dense, False,
                                  os.path.join(data, "bert", "bert-base-multilingual-cased-vocab.txt"), False,
                                  SENTENCE_MAX_LENGTH, path + ".tmp", name, **common)
    os.replace(path + ".tmp", path)
    return path


def main():
    out_dir, data = sys.argv[1], sys.argv[2]
    os.makedirs(out_dir, exist_ok=True)
    table = {}
    for name, spec in MODELS.items():
        print(f"transformer_models: {name}", file=sys.stderr, flush=True)
        image, text = item_flops(spec)
        table[name] = {"file": export(name, out_dir, data),
                       "int8_file": export(name, out_dir, data, "dynamic_int8"),
                       "kind": spec["kind"], "seed": spec["seed"], "image_flops": image, "text_flops": text}
    with open(os.path.join(out_dir, "models.json"), "w") as f:
        json.dump(table, f, indent=1)


if __name__ == "__main__":
    main()
