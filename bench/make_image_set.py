#!/usr/bin/python3
"""Writes the throughput benchmark's image set: the sample illustrations re-encoded at varied
sizes (0.5x to 2x) and formats (JPEG quality 90, PNG, WebP), COUNT files in OUT.

Usage: /usr/bin/python3 bench/make_image_set.py SOURCE_FOLDER OUT COUNT
"""
import os
import sys

from PIL import Image


def main():
    source, out, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    os.makedirs(out, exist_ok=True)
    names = sorted(n for n in os.listdir(source) if n.lower().endswith((".jpg", ".jpeg", ".png")))
    scales = [0.5, 0.75, 1.0, 1.5, 2.0]
    formats = [("jpg", "JPEG", {"quality": 90}), ("png", "PNG", {}), ("webp", "WEBP", {"quality": 90})]
    for i in range(count):
        name = names[i % len(names)]
        scale = scales[(i // len(names)) % len(scales)]
        ext, fmt, params = formats[i % len(formats)]
        with Image.open(os.path.join(source, name)) as im:
            im = im.convert("RGBA" if im.mode in ("RGBA", "LA", "P") and ext != "jpg" else "RGB")
            size = (max(16, round(im.width * scale)), max(16, round(im.height * scale)))
            im.resize(size, Image.BICUBIC).save(os.path.join(out, "%04d.%s" % (i, ext)), fmt, **params)


if __name__ == "__main__":
    main()
