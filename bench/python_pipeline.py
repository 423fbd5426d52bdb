#!/usr/bin/python3
"""The Python pipeline users write today, as the throughput benchmark's peer: Pillow opens,
converts and resizes each image, numpy turns it into a tensor, torch.jit.load runs the same
model file, one batch at a time. Prints a JSON object with the timing.

Usage: /usr/bin/python3 bench/python_pipeline.py MODEL.pt FOLDER BATCH THREADS
The preprocessing follows the model's acg2vec.json (size; values / 255 for value_max 255 with
std 255, as the default model); the resize is Pillow's bilinear, what such scripts use.
"""
import json
import os
import resource
import sys
import time

import numpy as np
import torch
from PIL import Image


def main():
    model_path, folder, batch, threads = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    torch.set_num_threads(threads)
    files = sorted(os.path.join(folder, n) for n in os.listdir(folder))
    extra = {"acg2vec.json": ""}
    start = time.perf_counter()
    model = torch.jit.load(model_path, _extra_files=extra).eval()
    meta = json.loads(extra["acg2vec.json"])
    size = (meta["preprocess"]["width"], meta["preprocess"]["height"])

    def tensor_of(path):
        with Image.open(path) as im:
            rgb = im.convert("RGB").resize(size, Image.BILINEAR)
        return torch.from_numpy(np.asarray(rgb, dtype=np.float32).transpose(2, 0, 1) / 255.0)

    first = None
    outputs = 0
    with torch.inference_mode():
        for i in range(0, len(files), batch):
            x = torch.stack([tensor_of(p) for p in files[i : i + batch]])
            out = model(x)
            outputs += out["probs"].shape[0]
            if first is None:
                first = time.perf_counter() - start
    seconds = time.perf_counter() - start
    print(json.dumps({"images": outputs, "seconds": seconds, "images_per_second": outputs / seconds,
                      "cold_start_seconds": first,
                      "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))


if __name__ == "__main__":
    main()
