#!/usr/bin/python3
"""Writes tests/data/pillow/: what Pillow (Debian python3-pil 9.4) makes of the shared sample
images, so the C++ tests can check decoding and resampling against it without Python.

Run from the repository root, with ../shared beside it:
    /usr/bin/python3 tools/pillow_reference/make_fixtures.py

Outputs
  decode.tsv   file, mode, size, FNV-1a 64 of convert("RGB") bytes, and of the image
               composited over white (WD14's alpha_composite), for every image that Pillow opens.
  resize/*.png for each sample image and filter: a downscale of the whole image to 61x47 and an
               upscale of the crop (10, 10, 47, 39) to 83x67, from convert("RGB").
  exif.tsv     FNV-1a 64 of ImageOps.exif_transpose(im).convert("RGB") for the EXIF sample.
  pipelines.tsv FNV-1a 64 of the uint8 arrays the CLIP (Resize(224, bicubic) + CenterCrop(224))
               and WD14 (composite on white, pad to square, bicubic 448) pipelines feed a model.
  open_clip.tsv FNV-1a 64 of what open_clip's order makes of the images with alpha and the
               palette images: Resize and CenterCrop on the image as opened (Pillow resizes
               RGBA and LA premultiplied, modes P and 1 with nearest whatever the filter),
               then convert("RGB"). Variants: bicubic224, bilinear48, and for RGBA also
               la_bicubic224 (the image's R and A channels as LA) and same_size (a 224 x 300
               crop: the resize keeps the size, so Pillow copies instead of premultiplying).
"""
import os
import sys

import PIL
from PIL import Image, ImageOps

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.path.join(ROOT, "..", "shared", "data")
OUT = os.path.join(ROOT, "tests", "data", "pillow")

FILTERS = {
    "nearest": Image.NEAREST,
    "bilinear": Image.BILINEAR,
    "bicubic": Image.BICUBIC,
    "box": Image.BOX,
    "hamming": Image.HAMMING,
    "lanczos": Image.LANCZOS,
}
DOWN_SIZE = (61, 47)
UP_CROP = (10, 10, 47, 39)
UP_SIZE = (83, 67)


def fnv1a64(data: bytes) -> str:
    h = 0xCBF29CE484222325
    for b in data:
        h ^= b
        h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return f"{h:016x}"


def over_white(im: Image.Image) -> Image.Image:
    canvas = Image.new("RGBA", im.size, (255, 255, 255, 255))
    canvas.alpha_composite(im.convert("RGBA"))
    return canvas.convert("RGB")


def clip_input(rgb: Image.Image, size: int = 224) -> Image.Image:
    w, h = rgb.size
    if w <= h:
        nw, nh = size, int(size * h / w)
    else:
        nw, nh = int(size * w / h), size
    resized = rgb.resize((nw, nh), Image.BICUBIC)
    left = int(round((nw - size) / 2.0))
    top = int(round((nh - size) / 2.0))
    return resized.crop((left, top, left + size, top + size))


def wd14_input(im: Image.Image, size: int = 448) -> Image.Image:
    rgb = over_white(im)
    side = max(rgb.size)
    square = Image.new("RGB", (side, side), (255, 255, 255))
    square.paste(rgb, ((side - rgb.size[0]) // 2, (side - rgb.size[1]) // 2))
    return square if side == size else square.resize((size, size), Image.BICUBIC)


def open_clip_rows(folder: str, name: str, im: Image.Image) -> list:
    rows = []
    variants = [("bicubic224", im, 224, Image.BICUBIC), ("bilinear48", im, 48, Image.BILINEAR)]
    if im.mode == "RGBA":
        variants.append(("la_bicubic224", Image.merge("LA", (im.getchannel("R"), im.getchannel("A"))), 224,
                         Image.BICUBIC))
    if im.mode == "RGBA" and min(im.size) >= 224 and max(im.size) >= 300:
        variants.append(("same_size", im.crop((0, 0, 224, 300)), 224, Image.BICUBIC))
    for label, source, size, flt in variants:
        w, h = source.size
        nw, nh = (size, int(size * h / w)) if w <= h else (int(size * w / h), size)
        resized = source.resize((nw, nh), flt)
        left, top = int(round((nw - size) / 2.0)), int(round((nh - size) / 2.0))
        rgb = resized.crop((left, top, left + size, top + size)).convert("RGB")
        rows.append(f"{folder}/{name}\t{label}\t{fnv1a64(rgb.tobytes())}")
    return rows


def main() -> None:
    os.makedirs(os.path.join(OUT, "resize"), exist_ok=True)
    decode_rows = []
    open_clip = []
    for folder in ("images", "tricky"):
        for name in sorted(os.listdir(os.path.join(SHARED, folder))):
            path = os.path.join(SHARED, folder, name)
            try:
                im = Image.open(path)
                im.load()
            except Exception as e:  # noqa: BLE001 - record what Pillow refuses
                decode_rows.append(f"{folder}/{name}\terror\t0\t0\t-\t-\t{type(e).__name__}")
                continue
            rgb = im.convert("RGB")
            if im.mode in ("P", "1") or (im.mode == "RGBA" and not getattr(im, "is_animated", False)):
                open_clip += open_clip_rows(folder, name, im)
            decode_rows.append(
                f"{folder}/{name}\t{im.mode}\t{im.size[0]}\t{im.size[1]}\t"
                f"{fnv1a64(rgb.tobytes())}\t{fnv1a64(over_white(im).tobytes())}\t-")
    with open(os.path.join(OUT, "decode.tsv"), "w") as f:
        f.write(f"# Pillow {PIL.__version__}: file mode width height fnv_rgb fnv_over_white error\n")
        f.write("\n".join(decode_rows) + "\n")

    with open(os.path.join(OUT, "open_clip.tsv"), "w") as f:
        f.write(f"# Pillow {PIL.__version__}: file variant fnv_rgb\n")
        f.write("\n".join(open_clip) + "\n")

    exif = Image.open(os.path.join(SHARED, "tricky", "exif_orientation_6.jpg"))
    upright = ImageOps.exif_transpose(exif).convert("RGB")
    with open(os.path.join(OUT, "exif.tsv"), "w") as f:
        f.write("# file orientation width height fnv_rgb_upright\n")
        f.write(f"tricky/exif_orientation_6.jpg\t{exif.getexif().get(0x0112)}\t{upright.size[0]}\t"
                f"{upright.size[1]}\t{fnv1a64(upright.tobytes())}\n")

    pipeline_rows = []
    for name in sorted(os.listdir(os.path.join(SHARED, "images"))):
        im = Image.open(os.path.join(SHARED, "images", name))
        rgb = im.convert("RGB")
        stem = os.path.splitext(name)[0]
        for label, flt in FILTERS.items():
            rgb.resize(DOWN_SIZE, flt).save(os.path.join(OUT, "resize", f"{stem}.{label}.down.png"))
            rgb.crop(UP_CROP).resize(UP_SIZE, flt).save(os.path.join(OUT, "resize", f"{stem}.{label}.up.png"))
        pipeline_rows.append(
            f"images/{name}\t{fnv1a64(clip_input(rgb).tobytes())}\t{fnv1a64(wd14_input(im).tobytes())}")
    with open(os.path.join(OUT, "pipelines.tsv"), "w") as f:
        f.write(f"# Pillow {PIL.__version__}: file fnv_clip224_bicubic_centercrop fnv_wd14_448_bicubic\n")
        f.write("\n".join(pipeline_rows) + "\n")


if __name__ == "__main__":
    if not os.path.isdir(SHARED):
        sys.exit(f"missing {SHARED}")
    main()
