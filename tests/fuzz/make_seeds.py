#!/usr/bin/env python3
"""Seed corpora for the fuzz targets, made at fuzz time: scripts/fuzz.sh runs this with the
shared data directory, the repository and an output directory (one folder per target).
Images come from the shared data (small ones whole, so mutations stay fast) plus tiny images
Pillow writes in the formats the shared data lacks (BMP, TGA, WebP lossless and animated);
texts from the tokenizer goldens in tests/data; the hand-made seeds in tests/fuzz/seeds."""
import base64
import gzip
import io
import json
import os
import shutil
import sys

shared, repo, out = sys.argv[1:4]
SMALL = 128 * 1024  # larger images would make every mutation slow


def put(target, name, data):
    folder = os.path.join(out, target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))


def files(folder):
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        if os.path.isfile(path):
            yield name, path


# Hand-made seeds, committed in tests/fuzz/seeds/<target>/.
hand = os.path.join(repo, "tests", "fuzz", "seeds")
for target in os.listdir(hand):
    for name, path in files(os.path.join(hand, target)):
        put(target, name, open(path, "rb").read())

# Images: every tricky file, the small sample images, and Pillow-written ones.
images = {}
for folder in ("tricky", "images"):
    for name, path in files(os.path.join(shared, folder)):
        data = open(path, "rb").read()
        if folder == "tricky" or len(data) <= SMALL:
            images[name] = data
try:
    from PIL import Image

    def pil(name, image, fmt, **kw):
        try:
            buf = io.BytesIO()
            image.save(buf, fmt, **kw)
            images[name] = buf.getvalue()
        except Exception as e:  # a format this Pillow cannot write: the others still count
            print(f"make_seeds: no {name} ({e})", file=sys.stderr)

    rgb = Image.new("RGB", (5, 3))
    rgb.putdata([(i * 40 % 256, i * 90 % 256, i * 17 % 256) for i in range(15)])
    rgba = rgb.convert("RGBA")
    rgba.putalpha(Image.linear_gradient("L").resize((5, 3)))
    for mode in ("1", "L", "P", "RGB"):
        pil(f"pil_{mode}.bmp", rgb.convert(mode), "BMP")
    pil("pil_rgba.bmp", rgba, "BMP")
    pil("pil_rgb.tga", rgb, "TGA")
    pil("pil_rle.tga", rgba, "TGA", compression="tga_rle")
    pil("pil_gray.tga", rgb.convert("L"), "TGA")
    pil("pil_interlaced.gif", rgb.convert("P"), "GIF", interlace=True, transparency=2)
    pil("pil_lossless.webp", rgba, "WEBP", lossless=True)
    pil("pil_lossy.webp", rgb, "WEBP", quality=50)
    pil("pil_anim.webp", rgba, "WEBP", save_all=True, append_images=[rgb.convert("RGBA")], duration=50)
    pil("pil_gray16.png", rgb.convert("L").convert("I"), "PNG")
    pil("pil_progressive.jpg", rgb, "JPEG", progressive=True)
    pil("pil_cmyk.jpg", rgb.convert("CMYK"), "JPEG")
except Exception as e:  # Pillow is a test dependency; without it the shared images suffice
    print(f"make_seeds: no Pillow-written images ({e})", file=sys.stderr)
for name, data in images.items():
    put("fuzz_image_decode", name, data)

# base64 / data URLs of the small images; the C API target gets the same, behind its selector.
small = {n: d for n, d in images.items() if len(d) <= 16 * 1024}
for name, data in small.items():
    text = base64.b64encode(data).decode()
    put("fuzz_base64", name + ".b64", "data:image/x;base64," + text)
    put("fuzz_capi", "0_" + name, b"\x00" + data)
    put("fuzz_capi", "1_" + name, b"\x01" + text.encode())

# Texts of the tokenizer goldens.
def texts(jsonl):
    with open(os.path.join(repo, "tests", "data", "tokenizers", jsonl), encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            yield row["name"], row["text"]


for name, text in texts("clip_goldens.jsonl"):
    put("fuzz_clip_tokenizer", name, text)
    put("fuzz_capi", "2_" + name, b"\x02" + text.encode())
for name, text in texts("ftfy_goldens.jsonl"):
    put("fuzz_clip_tokenizer", "ftfy_" + name, text)
for name, text in texts("wordpiece_goldens.jsonl"):
    put("fuzz_wordpiece_tokenizer", name, text)
    put("fuzz_capi", "3_" + name, b"\x03" + text.encode())

# Heads of the real vocabularies and label table, as parser seeds.
merges = gzip.open(os.path.join(shared, "clip", "bpe_simple_vocab_16e6.txt.gz")).read()
put("fuzz_clip_tokenizer", "merges_head.txt", b"\n".join(merges.split(b"\n")[:40]) + b"\n")
vocab = open(os.path.join(shared, "bert", "bert-base-uncased-vocab.txt"), "rb").read()
put("fuzz_wordpiece_tokenizer", "vocab_head.txt", b"\n".join(vocab.split(b"\n")[:120]) + b"\n")
tags = open(os.path.join(shared, "tags", "wd_v3_selected_tags.csv"), "rb").read()
put("fuzz_labels", "wd_v3_head.csv", b"\n".join(tags.split(b"\n")[:40]) + b"\n")

# Zip archives laid out as TorchScript files are: stored and deflated records, a comment, and
# one rewritten with zip64 end records (which only huge archives get naturally).
import struct
import zipfile


def archive(comment=b"", method=zipfile.ZIP_STORED):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        z.writestr("model/extra/acg2vec.json", '{"schema_version": 1}')
        z.writestr("model/code/__torch__.py", "class Model(Module):\n  pass\n")
        z.writestr("model/data/0", b"\0" * 16)
        z.writestr("model/version", "3\n")
        z.comment = comment
    return buf.getvalue()


def to_zip64(data):
    entries, size, offset = struct.unpack("<HII", data[-12:-2])
    end64 = struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, entries, entries, size, offset)
    locator = struct.pack("<IIQI", 0x07064B50, 0, len(data) - 22, 1)
    end = data[-22:-12] + struct.pack("<HII", 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF) + b"\0\0"
    return data[:-22] + end64 + locator + end


put("fuzz_zip_directory", "stored.zip", archive())
put("fuzz_zip_directory", "deflated.zip", archive(method=zipfile.ZIP_DEFLATED))
put("fuzz_zip_directory", "comment.zip", archive(comment=b"PK\x05\x06 a signature in the comment"))
put("fuzz_zip_directory", "zip64.zip", to_zip64(archive()))

for target in sorted(os.listdir(out)):
    print(f"  {target}: {len(os.listdir(os.path.join(out, target)))} seeds")
