#!/usr/bin/python3
"""The Python side of bench/transformer_benchmark.py: what a user runs today on the same model
file — Pillow preprocessing as the model's acg2vec.json says (CLIP: shorter side to the size,
bicubic, centre crop; WD: paste on a white square, bicubic, BGR), a batch at a time, through
`torch.jit.load` of the file ("jit") or the eager PyTorch module with the same weights
("eager", rebuilt from its seed by bench/transformer_models.py). Text towers take the token ids
acg2vec's tokenizers give (tokenize.json from the driver): neither open_clip nor transformers is
in Debian, so the Python tokenizers are not timed. Prints one JSON object.

Usage: transformer_peer.py MODEL.pt NAME MODE(jit|eager) IMAGE_FOLDER|- TOKENS_JSON|- BATCH THREADS REPEATS
"""
import json
import os
import sys
import time

import numpy as np
import torch
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import transformer_models  # noqa: E402


def best_seconds(repeats, work):
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def pixels(path, pre):
    """One image as the model's preprocessing asks, in Pillow as the reference pipelines do."""
    size = pre["width"]
    with Image.open(path) as im:
        if pre["resize_mode"] == "pad_square":
            rgba = im.convert("RGBA")
            canvas = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
            canvas.alpha_composite(rgba)
            rgb = canvas.convert("RGB")
            side = max(rgb.size)
            square = Image.new("RGB", (side, side), (255, 255, 255))
            square.paste(rgb, ((side - rgb.width) // 2, (side - rgb.height) // 2))
            rgb = square.resize((size, size), Image.BICUBIC)
        else:
            rgb = im.convert("RGB")
            w, h = rgb.size
            scale = size / min(w, h)
            rgb = rgb.resize((max(size, round(w * scale)), max(size, round(h * scale))), Image.BICUBIC)
            left, top = (rgb.width - size) // 2, (rgb.height - size) // 2
            rgb = rgb.crop((left, top, left + size, top + size))
    a = np.asarray(rgb, dtype=np.float32) / 255.0
    if pre["channel_order"] == "bgr":
        a = a[:, :, ::-1]
    a = (a - np.array(pre["mean"], np.float32)) / np.array(pre["std"], np.float32)
    return torch.from_numpy(np.ascontiguousarray(a.transpose(2, 0, 1)))


def main():
    path, name, mode, folder, tokens_path = sys.argv[1:6]
    batch, threads, repeats = (int(v) for v in sys.argv[6:9])
    torch.set_num_threads(threads)
    extra = {"acg2vec.json": ""}
    jit = torch.jit.load(path, _extra_files=extra).eval()
    meta = json.loads(extra["acg2vec.json"])
    kind = transformer_models.MODELS[name]["kind"]
    if mode == "jit":
        image_fn = jit.forward if "image" in meta["methods"] else None
        text_fn = getattr(jit, meta["methods"]["text"]["name"]) if "text" in meta["methods"] else None
    else:
        module = transformer_models.build(name)
        if kind == "clip":
            image_fn, text_fn = module.encode_image, module.encode_text
        elif kind == "tagger":
            image_fn, text_fn = (lambda x: torch.sigmoid(module(x))), None
        else:
            encoder, dense = module

            def text_fn(ids, mask):
                states = encoder(ids, mask)
                m = mask.unsqueeze(-1).to(states.dtype)
                return dense((states * m).sum(1) / m.sum(1).clamp(min=1e-9))
            image_fn = None
    out = {}
    with torch.inference_mode():
        if folder != "-" and image_fn is not None:
            files = sorted(os.path.join(folder, f) for f in os.listdir(folder))
            pre = meta["preprocess"]

            def end_to_end():
                for i in range(0, len(files), batch):
                    image_fn(torch.stack([pixels(f, pre) for f in files[i:i + batch]]))
            out["image_end_to_end"] = {"items": len(files), "seconds": best_seconds(repeats, end_to_end)}
            x = torch.full((batch, 3, pre["height"], pre["width"]), 0.1)
            runs = max(1, len(files) // batch)
            out["image_model_only"] = {"items": runs * batch,
                                       "seconds": best_seconds(repeats, lambda: [image_fn(x) for _ in range(runs)])}
        if tokens_path != "-" and text_fn is not None:
            with open(tokens_path) as f:
                rows = json.load(f)

            def run_texts(chunk):
                length = max(len(r) for r in chunk)
                ids = torch.tensor([r + [0] * (length - len(r)) for r in chunk], dtype=torch.long)
                if kind == "sentence":
                    mask = torch.tensor([[1] * len(r) + [0] * (length - len(r)) for r in chunk], dtype=torch.long)
                    return text_fn(ids, mask)
                return text_fn(ids)
            # sentence-transformers' encode() batches texts sorted by length; the latency below
            # takes the texts in their own order, as acg2vec's side does.
            batches = sorted(rows, key=len) if kind == "sentence" else rows
            out["text_end_to_end"] = {"items": len(rows), "seconds": best_seconds(
                repeats, lambda: [run_texts(batches[i:i + batch]) for i in range(0, len(batches), batch)])}
            latencies = []
            for i in range(20):
                start = time.perf_counter()
                run_texts([rows[i % len(rows)]])
                latencies.append(time.perf_counter() - start)
            out["text_latency_median_seconds"] = sorted(latencies)[len(latencies) // 2]
    print(json.dumps(out))


if __name__ == "__main__":
    main()
