#!/usr/bin/env python3
"""Build tiny CLIP / sentence / WD14 models with the exporters and their reference outputs.

    make_tiny_models.py OUT_DIR SHARED_DATA GOLDENS_DIR

Writes OUT_DIR/tiny-clip.pt, tiny-sentence.pt, tiny-wd14.pt (random weights, seeded; the
structure of the real models, see tiny_models.py) and OUT_DIR/expected.json: what the
reference Python pipelines give for some images and texts, computed from the saved
TorchScript files loaded back with torch.jit.load.

The reference image preprocessing is written out here with Pillow + numpy (no torchvision),
step for step as the reference code does it:
  * CLIP (open_clip / openai CLIP `_transform`): Image.open -> Resize(shorter side, bicubic) ->
    CenterCrop -> convert("RGB") -> ToTensor -> Normalize. Note the order: the RGB conversion
    comes after the resize, so RGBA images are resized by Pillow in premultiplied alpha.
  * WD v3 (wdv3_timm.py): pil_ensure_rgb (composite RGBA over white) -> pil_pad_square (white)
    -> timm eval transform (Resize + CenterCrop, crop_pct 1) -> ToTensor -> Normalize(0.5, 0.5)
    -> RGB to BGR; sigmoid on the logits.
Token ids come from the tokenizer goldens (the reference tokenizers' output): no Python
tokenizer is needed.
"""

from __future__ import annotations

import json
import math
import os
import sys
import time

import numpy as np
import torch
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))

import acg2vec_export as ax  # noqa: E402
from export_clip import export_clip  # noqa: E402
from export_sentence import export_sentence_model  # noqa: E402
from export_wd14 import export_wd14  # noqa: E402
from tiny_models import make_tiny_clip, make_tiny_sentence, make_tiny_tagger  # noqa: E402

CLIP_IMAGES = [
    "animegan_misaka_rgba_570x809.png",        # RGBA png (opaque), portrait
    "mangaocr_example_gray_600x341.jpg",       # grayscale jpg, landscape
    "rcugan_anime_frame_251x180.jpg",          # small, odd width
    "animeseg_banner_3027x1656.jpg",           # crop excess 39: offset round(19.5) = 20, not floor 19
    "mangaocr_11_185x254.jpg",                 # crop excess 17: offset round(8.5) = 8 (half to even)
    "waifu2x_chibi_rgba_720x720.png",          # 80% transparent: Pillow resizes it premultiplied
]
WD_IMAGES = [
    "waifu2x_chibi_rgba_720x720.png",          # RGBA png, 80% transparent: composite over white
    "animegan_misaka_rgba_570x809.png",        # RGBA png, portrait: white side padding
    "mangaocr_example_gray_600x341.jpg",       # grayscale jpg
    "rcugan_anime_frame_251x180.jpg",          # odd padding offsets
]
CLIP_TEXTS = ["en_simple", "en_anime", "ja_mixed", "emoji_basic", "danbooru_tags", "long_paragraphs"]
WORDPIECE_TEXTS = ["en_sentence", "en_anime", "ja_mixed", "cyrillic", "danbooru_tags", "long_paragraphs"]
# Zero-shot prompts must be texts whose reference ids are in the goldens: the prompt "{}" puts
# each label in as the whole text.
ZERO_SHOT_PROMPT = "{}"
ZERO_SHOT_LABELS = ["en_simple", "en_sentence", "en_anime", "ja_name"]

CLIP_SIZE = 48
WD_SIZE = 64
CONTEXT = 77
WORDPIECE_MAX_LENGTH = 128
MULTILINGUAL_VOCAB = "bert-base-multilingual-cased-vocab.txt"


# --------------------------------------------------------------------------------------------
# reference preprocessing (Pillow + numpy, as torchvision does it on PIL images)


def tv_resize_shorter(im: Image.Image, size: int, resample: int) -> Image.Image:
    """torchvision Resize(size) (an int): shorter side to size, longer int(size * long / short)."""
    w, h = im.size
    short, long = (w, h) if w <= h else (h, w)
    new_short, new_long = size, int(size * long / short)
    new_w, new_h = (new_short, new_long) if w <= h else (new_long, new_short)
    if (new_w, new_h) == (w, h):
        return im
    return im.resize((new_w, new_h), resample)


def tv_center_crop(im: Image.Image, size: int) -> Image.Image:
    """torchvision CenterCrop(size) on an image at least that large: offsets int(round(d / 2))."""
    w, h = im.size
    top = int(round((h - size) / 2.0))
    left = int(round((w - size) / 2.0))
    return im.crop((left, top, left + size, top + size))


def to_tensor(im: Image.Image) -> torch.Tensor:
    """torchvision ToTensor: HWC uint8 -> CHW float32 / 255."""
    arr = np.array(im, dtype=np.uint8, copy=True)
    if arr.ndim == 2:
        arr = arr[:, :, None]
    return torch.from_numpy(arr).permute(2, 0, 1).contiguous().to(torch.float32).div(255)


def normalize(t: torch.Tensor, mean, std) -> torch.Tensor:
    mean = torch.as_tensor(mean, dtype=t.dtype)[:, None, None]
    std = torch.as_tensor(std, dtype=t.dtype)[:, None, None]
    return (t - mean) / std


def open_clip_pixels(path: str, size: int, mean, std) -> torch.Tensor:
    im = Image.open(path)
    im = tv_resize_shorter(im, size, Image.BICUBIC)
    im = tv_center_crop(im, size)
    im = im.convert("RGB")
    return normalize(to_tensor(im), mean, std)


def wd_ensure_rgb(image: Image.Image) -> Image.Image:
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA") if "transparency" in image.info else image.convert("RGB")
    if image.mode == "RGBA":
        canvas = Image.new("RGBA", image.size, (255, 255, 255))
        canvas.alpha_composite(image)
        image = canvas.convert("RGB")
    return image


def wd_pad_square(image: Image.Image) -> Image.Image:
    w, h = image.size
    px = max(image.size)
    canvas = Image.new("RGB", (px, px), (255, 255, 255))
    canvas.paste(image, ((px - w) // 2, (px - h) // 2))
    return canvas


def wd_pixels(path: str, size: int, mean_bgr, std_bgr) -> torch.Tensor:
    """mean/std as acg2vec.json records them, per output (BGR) channel."""
    im = wd_pad_square(wd_ensure_rgb(Image.open(path)))
    im = tv_center_crop(tv_resize_shorter(im, size, Image.BICUBIC), size)
    t = normalize(to_tensor(im), list(mean_bgr)[::-1], list(std_bgr)[::-1])  # timm normalises RGB
    return t[[2, 1, 0]]  # NCHW RGB -> BGR, as wdv3_timm.py


# --------------------------------------------------------------------------------------------
# goldens


def read_jsonl(path: str):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def pick(rows, names, what):
    by_name = {r["name"]: r for r in rows}
    missing = [n for n in names if n not in by_name]
    if missing:
        raise SystemExit(f"{what}: no golden for {missing}")
    chosen = [by_name[n] for n in names]
    for r in chosen:
        if r.get("mojibake"):
            raise SystemExit(f"{what}: {r['name']} is a mojibake input")
    return chosen


def clip_ids(row) -> torch.Tensor:
    ids = list(row["ids"])
    if len(ids) > CONTEXT or ids[0] != 49406 or ids[-1] != 49407:
        raise SystemExit(f"clip golden {row['name']}: not SOT..EOT within {CONTEXT}")
    return torch.tensor([ids + [0] * (CONTEXT - len(ids))], dtype=torch.long)


def unit(v: torch.Tensor):
    v = v.detach().to(torch.float64).reshape(-1)
    return (v / v.norm()).tolist()


# --------------------------------------------------------------------------------------------


def clip_reference(clip_path: str, images: str, clip_rows) -> dict:
    """A CLIP file's image and text vectors and zero-shot probabilities, as the reference
    pipeline computes them (one item per call)."""
    clip_meta, _ = ax.read_archive(clip_path)
    pre = clip_meta["preprocess"]
    logit_scale = float(clip_meta["embedder"]["logit_scale"])
    clip_ts = torch.jit.load(clip_path).eval()
    clip_images = []
    image_vectors = {}
    for name in CLIP_IMAGES:
        path = os.path.join(images, name)
        v = clip_ts(open_clip_pixels(path, pre["width"], pre["mean"], pre["std"])[None])
        image_vectors[path] = v
        clip_images.append({"path": path, "vector": unit(v)})
    clip_texts = []
    for row in pick(clip_rows, CLIP_TEXTS, "clip"):
        clip_texts.append({"text": row["text"], "vector": unit(clip_ts.encode_text(clip_ids(row)))})

    zs_image = os.path.join(images, CLIP_IMAGES[0])
    label_rows = pick(clip_rows, ZERO_SHOT_LABELS, "clip zero-shot")
    labels = [r["text"] for r in label_rows]
    img = torch.tensor(unit(image_vectors[zs_image]), dtype=torch.float64)
    # The labels as one batch, as Embedder::zero_shot embeds them: an int8 model's activation
    # scales span its whole batch, so one at a time would give other vectors.
    label_vectors = clip_ts.encode_text(torch.cat([clip_ids(r) for r in label_rows]))
    cos = torch.stack([torch.tensor(unit(v), dtype=torch.float64) @ img for v in label_vectors])
    probs = torch.softmax(logit_scale * cos, dim=0)
    zero_shot = {"image": zs_image, "labels": labels, "prompt": ZERO_SHOT_PROMPT, "probabilities": probs.tolist()}
    return {"images": clip_images, "texts": clip_texts, "zero_shot": zero_shot}


def sentence_reference(sentence_path: str, wp_rows) -> dict:
    """A sentence file's vectors of the WordPiece goldens' texts, one text per call."""
    sentence_ts = torch.jit.load(sentence_path).eval()
    sentence_texts = []
    for row in pick(wp_rows, WORDPIECE_TEXTS, "wordpiece"):
        ids = list(row["ids"])
        if len(ids) > WORDPIECE_MAX_LENGTH or ids[0] != 101 or ids[-1] != 102:
            raise SystemExit(f"wordpiece golden {row['name']}: not [CLS]..[SEP] within {WORDPIECE_MAX_LENGTH}")
        t = torch.tensor([ids], dtype=torch.long)
        sentence_texts.append({"text": row["text"], "vector": unit(sentence_ts(t, torch.ones_like(t)))})
    return {"texts": sentence_texts}


def wd_reference(wd_path: str, images: str) -> dict:
    """A WD file's tag probabilities of the WD test images, one image per call."""
    wd_meta, _ = ax.read_archive(wd_path)
    wpre = wd_meta["preprocess"]
    wd_ts = torch.jit.load(wd_path).eval()
    wd_images = []
    for name in WD_IMAGES:
        path = os.path.join(images, name)
        logits = wd_ts(wd_pixels(path, wpre["width"], wpre["mean"], wpre["std"])[None])
        wd_images.append({"path": path, "probabilities": torch.sigmoid(logits).reshape(-1).tolist()})
    return {"images": wd_images}


def main() -> None:
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    out_dir, shared, goldens = (os.path.abspath(a) for a in sys.argv[1:])
    os.makedirs(out_dir, exist_ok=True)
    start = time.time()
    torch.manual_seed(0)

    merges = os.path.join(shared, "clip", "bpe_simple_vocab_16e6.txt.gz")
    vocab = os.path.join(shared, "bert", MULTILINGUAL_VOCAB)
    tags = os.path.join(shared, "tags", "wd_v3_selected_tags.csv")
    images = os.path.join(shared, "images")
    clip_path = os.path.join(out_dir, "tiny-clip.pt")
    sentence_path = os.path.join(out_dir, "tiny-sentence.pt")
    wd_path = os.path.join(out_dir, "tiny-wd14.pt")

    # ---- export
    clip = make_tiny_clip()
    export_clip(clip, merges, clip_path, "tiny-clip", CLIP_SIZE, ax.OPENAI_CLIP_MEAN, ax.OPENAI_CLIP_STD,
                version="test", description="tiny random CLIP (ViT image tower, causal text tower) for tests")
    encoder, dense = make_tiny_sentence()
    export_sentence_model(encoder, "mean", dense, False, vocab, False, WORDPIECE_MAX_LENGTH, sentence_path,
                          "tiny-sentence", version="test",
                          description="tiny random DistilBERT-like encoder + mean pooling + Dense tanh for tests")
    tagger = make_tiny_tagger()
    export_wd14(tagger, tags, wd_path, "tiny-wd14", WD_SIZE, version="test",
                description="tiny random ViT tagger with the WD v3 label table for tests")

    # ---- int8 variants of the same models (tools/export --quantize dynamic_int8)
    int8_paths = {kind: os.path.join(out_dir, f"tiny-{kind}.int8.pt") for kind in ("clip", "sentence", "wd14")}
    export_clip(clip, merges, int8_paths["clip"], "tiny-clip-int8", CLIP_SIZE, ax.OPENAI_CLIP_MEAN,
                ax.OPENAI_CLIP_STD, version="test", quantization="dynamic_int8")
    export_sentence_model(encoder, "mean", dense, False, vocab, False, WORDPIECE_MAX_LENGTH, int8_paths["sentence"],
                          "tiny-sentence-int8", version="test", quantization="dynamic_int8")
    export_wd14(tagger, tags, int8_paths["wd14"], "tiny-wd14-int8", WD_SIZE, version="test",
                quantization="dynamic_int8")

    # ---- reference outputs from the saved files
    clip_rows = read_jsonl(os.path.join(goldens, "clip_goldens.jsonl"))
    wp_rows = [r for r in read_jsonl(os.path.join(goldens, "wordpiece_goldens.jsonl"))
               if r.get("vocab") == MULTILINGUAL_VOCAB]
    with torch.no_grad():
        clip_ref = clip_reference(clip_path, images, clip_rows)
        clip_int8_ref = clip_reference(int8_paths["clip"], images, clip_rows)
        sentence_ref = sentence_reference(sentence_path, wp_rows)
        sentence_int8_ref = sentence_reference(int8_paths["sentence"], wp_rows)
        wd_ref = wd_reference(wd_path, images)
        wd_int8_ref = wd_reference(int8_paths["wd14"], images)

    int8 = {"quantization": "dynamic_int8"}
    expected = {"models": [
        {"file": "tiny-clip.pt", "kind": "embedder", **clip_ref},
        {"file": "tiny-sentence.pt", "kind": "embedder", **sentence_ref},
        {"file": "tiny-wd14.pt", "kind": "tagger", **wd_ref},
        {"file": "tiny-clip.int8.pt", "kind": "embedder", **int8, **clip_int8_ref},
        {"file": "tiny-sentence.int8.pt", "kind": "embedder", **int8, **sentence_int8_ref},
        {"file": "tiny-wd14.int8.pt", "kind": "tagger", **int8, **wd_int8_ref},
    ]}
    with open(os.path.join(out_dir, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(expected, f, ensure_ascii=False)
        f.write("\n")
    assert all(math.isfinite(x) for m in expected["models"] for i in m.get("images", [])
               for x in i.get("vector", i.get("probabilities", [])))
    print(f"wrote {clip_path}, {sentence_path}, {wd_path}, their int8 variants and expected.json "
          f"in {time.time() - start:.1f} s")


if __name__ == "__main__":
    main()
