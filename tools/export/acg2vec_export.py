"""Shared helpers for the acg2vec exporters.

An acg2vec model file is one TorchScript archive written by
``torch.jit.save(module, path, _extra_files={...})`` whose extra files hold ``acg2vec.json``
(schema version 1, see docs/model-format.md) and the files it names: a label table, a CLIP
merges file, a WordPiece vocab.txt.

This module only needs torch (and the standard library). It

* builds ``preprocess`` dictionaries (:func:`preprocess_spec`, :func:`clip_preprocess`,
  :func:`wd14_preprocess`) with every field written out,
* validates a whole ``acg2vec.json`` against the rules the C++ loader applies
  (:func:`validate_metadata`) so a bad file fails here, at export, and not on a user's machine,
* saves the module with its metadata and files (:func:`save_model`) and reads them back
  (:func:`read_archive`),
* checks a saved file against the eager model (:func:`check_saved`).
"""

from __future__ import annotations

import csv
import io
import json
import math
import zipfile
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

import torch

SCHEMA_VERSION = 1
METADATA_FILE = "acg2vec.json"

OPENAI_CLIP_MEAN = (0.48145466, 0.4578275, 0.40821073)
OPENAI_CLIP_STD = (0.26862954, 0.26130258, 0.27577711)

RESIZE_MODES = ("stretch", "pad_square", "shorter_side_crop", "longer_side_pad")
INTERPOLATIONS = ("nearest", "bilinear", "bicubic", "box", "hamming", "lanczos", "tf_bilinear_align_corners", "tf_area")
PAD_PLACEMENTS = ("floor", "exact")
PAD_MODES = ("constant", "edge")
CROP_ROUNDINGS = ("half_even", "floor")
ALPHA_MODES = ("composite", "ignore", "ignore_after_resize")
CHANNEL_ORDERS = ("rgb", "bgr")
LAYOUTS = ("nchw", "nhwc")
DTYPES = ("float32", "int64")
TEXT_POOLINGS = ("none", "mean", "cls")
TAGGER_ACTIVATIONS = ("none", "sigmoid")
LABEL_FORMATS = ("selected_tags", "deepdanbooru")
QUANTIZATIONS = ("dynamic_int8",)

# Pillow's resampling constants (PIL.Image.Resampling) -> our names; transformers' image
# processors store these integers in `resample`.
PIL_RESAMPLE_NAMES = {0: "nearest", 1: "lanczos", 2: "bilinear", 3: "bicubic", 4: "box", 5: "hamming"}


class MetadataError(ValueError):
    """acg2vec.json would be refused by the C++ loader; the message names the field."""


# --------------------------------------------------------------------------------------------
# preprocess dictionaries


def _triple(values: Sequence[float], what: str) -> List[float]:
    values = [float(v) for v in values]
    if len(values) == 1:
        values = values * 3
    if len(values) != 3:
        raise MetadataError(f"preprocess.{what}: expected 1 or 3 numbers, got {len(values)}")
    return values


def _color(values: Sequence[int], what: str) -> List[int]:
    if isinstance(values, (int, float)):
        values = [values] * 3
    values = [int(v) for v in values]
    if len(values) != 3:
        raise MetadataError(f"preprocess.{what}: expected [r, g, b]")
    return values


def preprocess_spec(
    width: int,
    height: int,
    *,
    resize_mode: str = "stretch",
    shorter_side: int = 0,
    crop_rounding: str = "half_even",
    interpolation: str = "bicubic",
    pad_mode: str = "constant",
    pad_placement: str = "floor",
    jpeg_idct: str = "accurate",
    pad_color: Sequence[int] = (255, 255, 255),
    alpha: str = "composite",
    background: Sequence[int] = (255, 255, 255),
    channel_order: str = "rgb",
    layout: str = "nchw",
    value_max: float = 1.0,
    mean: Sequence[float] = (0.0, 0.0, 0.0),
    std: Sequence[float] = (1.0, 1.0, 1.0),
) -> Dict[str, Any]:
    """A complete ``preprocess`` section (every field explicit, so the file documents itself;
    ``pad_placement`` and ``jpeg_idct`` only when they are not the defaults ``floor`` and
    ``accurate``, so that files which do not need them stay readable by acg2vec versions older
    than those fields)."""
    spec = {
        "width": int(width),
        "height": int(height),
        "resize_mode": resize_mode,
        "shorter_side": int(shorter_side),
        "crop_rounding": crop_rounding,
        "interpolation": interpolation,
        "pad_mode": pad_mode,
        "pad_color": _color(pad_color, "pad_color"),
        "alpha": alpha,
        "background": _color(background, "background"),
        "channel_order": channel_order,
        "layout": layout,
        "value_max": float(value_max),
        "mean": _triple(mean, "mean"),
        "std": _triple(std, "std"),
    }
    if pad_placement != "floor":
        spec["pad_placement"] = pad_placement
    if jpeg_idct != "accurate":
        spec["jpeg_idct"] = jpeg_idct
    validate_preprocess(spec)
    return spec


def clip_preprocess(
    image_size: int,
    mean: Sequence[float] = OPENAI_CLIP_MEAN,
    std: Sequence[float] = OPENAI_CLIP_STD,
    *,
    interpolation: str = "bicubic",
    resize_mode: str = "shortest",
    fill_color: int = 0,
) -> Dict[str, Any]:
    """open_clip's / openai CLIP's inference transform.

    ``Resize(image_size, BICUBIC)`` (shorter side, longer side ``int(size * long / short)``),
    ``CenterCrop(image_size)`` (offsets ``int(round(d / 2))``), ``convert("RGB")``, ``ToTensor``
    (/255), ``Normalize(mean, std)``: ``shorter_side_crop``, RGB, NCHW, value_max 1.

    open_clip's ``resize_mode`` ``"squash"`` maps to ``stretch`` and ``"longest"`` to
    ``longer_side_pad`` with ``fill_color``.

    Alpha: the reference converts to RGB with ``convert("RGB")`` *after* Resize and
    CenterCrop, and Pillow resizes RGBA and LA images in premultiplied alpha, so ``alpha`` is
    ``ignore_after_resize``: acg2vec resizes such images the same way, then drops alpha.
    """
    size = int(image_size)
    common = dict(interpolation=interpolation, alpha="ignore_after_resize", channel_order="rgb", layout="nchw",
                  value_max=1.0, mean=mean, std=std)
    if resize_mode == "shortest":
        return preprocess_spec(size, size, resize_mode="shorter_side_crop", shorter_side=size, **common)
    if resize_mode == "squash":
        return preprocess_spec(size, size, resize_mode="stretch", **common)
    if resize_mode == "longest":
        return preprocess_spec(size, size, resize_mode="longer_side_pad", pad_mode="constant",
                               pad_color=_color(fill_color, "pad_color"), **common)
    raise MetadataError(f"unknown open_clip resize_mode '{resize_mode}' (shortest, squash, longest)")


def wd14_preprocess(
    image_size: int,
    mean: Sequence[float] = (0.5, 0.5, 0.5),
    std: Sequence[float] = (0.5, 0.5, 0.5),
    *,
    interpolation: str = "bicubic",
    layout: str = "nchw",
) -> Dict[str, Any]:
    """SmilingWolf's WD v3 taggers under timm, as wdv3_timm.py runs them.

    ``pil_ensure_rgb`` (RGBA / transparent palette images composited over white),
    ``pil_pad_square`` (white, offsets ``(side - w) // 2``), timm's eval transform
    (``Resize(size, bicubic)`` + ``CenterCrop(size)`` with crop_pct 1.0: a plain resize of the
    square), ``ToTensor`` (/255), ``Normalize(0.5, 0.5)``, then ``inputs[:, [2, 1, 0]]``
    (RGB -> BGR), NCHW.
    """
    size = int(image_size)
    return preprocess_spec(size, size, resize_mode="pad_square", interpolation=interpolation,
                           pad_mode="constant", pad_color=(255, 255, 255), alpha="composite",
                           background=(255, 255, 255), channel_order="bgr", layout=layout,
                           value_max=1.0, mean=mean, std=std)


def image_input_shape(preprocess: Mapping[str, Any]) -> List[int]:
    """Per-sample shape of the image method's input for this preprocessing."""
    h, w = int(preprocess["height"]), int(preprocess["width"])
    return [3, h, w] if preprocess.get("layout", "nchw") == "nchw" else [h, w, 3]


def tensor_spec(name: str, shape: Optional[Sequence[int]] = None, dtype: str = "float32") -> Dict[str, Any]:
    spec: Dict[str, Any] = {"name": name, "dtype": dtype}
    if shape is not None:
        spec["shape"] = [int(s) for s in shape]
    return spec


def method_spec(name: str, inputs: List[Dict[str, Any]], outputs: List[Dict[str, Any]]) -> Dict[str, Any]:
    return {"name": name, "inputs": inputs, "outputs": outputs}


# --------------------------------------------------------------------------------------------
# validation (mirrors src/model/metadata.cpp and the task readers in src/tasks/)


def _fail(path: str, why: str) -> None:
    raise MetadataError(f"{METADATA_FILE}: {path}: {why}")


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(float(v))


def _int_in(v: Any, path: str, lo: int, hi: int) -> int:
    if not _is_int(v):
        _fail(path, "expected an integer")
    if v < lo or v > hi:
        _fail(path, f"must be in {lo}..{hi}")
    return v


def _choice(v: Any, path: str, options: Sequence[str]) -> str:
    if not isinstance(v, str):
        _fail(path, "expected a string")
    if v not in options:
        _fail(path, f"'{v}' is not one of {', '.join(options)}")
    return v


def validate_preprocess(p: Any) -> None:
    if not isinstance(p, dict):
        _fail("preprocess", "expected an object")
    for key in ("width", "height"):
        if key not in p:
            _fail("preprocess", f"missing required field '{key}'")
        _int_in(p[key], f"preprocess.{key}", 1, 16384)
    for key, v in p.items():
        path = f"preprocess.{key}"
        if key in ("width", "height"):
            continue
        if key == "resize_mode":
            _choice(v, path, RESIZE_MODES)
        elif key == "interpolation":
            _choice(v, path, INTERPOLATIONS)
        elif key == "shorter_side":
            _int_in(v, path, 0, 16384)
        elif key == "pad_mode":
            _choice(v, path, PAD_MODES)
        elif key == "crop_rounding":
            _choice(v, path, CROP_ROUNDINGS)
        elif key == "jpeg_idct":
            _choice(v, path, ("accurate", "fast"))
        elif key == "pad_placement":
            _choice(v, path, PAD_PLACEMENTS)
            if v == "exact" and p.get("resize_mode", "stretch") != "longer_side_pad":
                _fail(path, "exact applies to longer_side_pad only")
        elif key in ("pad_color", "background"):
            if not isinstance(v, list) or len(v) != 3:
                _fail(path, "expected [r, g, b]")
            for i, c in enumerate(v):
                _int_in(c, f"{path}[{i}]", 0, 255)
        elif key == "alpha":
            _choice(v, path, ALPHA_MODES)
            if v == "ignore_after_resize" and p.get("resize_mode") == "pad_square":
                _fail(path, "ignore_after_resize cannot be used with pad_square, which pads before resizing")
        elif key == "channel_order":
            _choice(v, path, CHANNEL_ORDERS)
        elif key == "layout":
            _choice(v, path, LAYOUTS)
        elif key == "value_max":
            if not _is_number(v) or v <= 0:
                _fail(path, "value_max must be positive")
        elif key in ("mean", "std"):
            if not isinstance(v, list) or len(v) != 3:
                _fail(path, "expected three numbers")
            for i, x in enumerate(v):
                if not _is_number(x):
                    _fail(f"{path}[{i}]", "expected a finite number")
                if key == "std" and x == 0:
                    _fail(path, "std must be finite and non-zero")
        else:
            _fail(path, "unknown field")


def _validate_tensors(specs: Any, path: str) -> None:
    if not isinstance(specs, list) or not specs:
        _fail(path, "expected a non-empty array of tensors")
    names = set()
    for i, t in enumerate(specs):
        p = f"{path}[{i}]"
        if not isinstance(t, dict):
            _fail(p, "expected an object with name, dtype, shape")
        name = t.get("name")
        if not isinstance(name, str):
            _fail(f"{p}.name", "expected a string")
        if name in names:
            _fail(f"{p}.name", f"duplicate tensor name '{name}'")
        names.add(name)
        if "dtype" in t:
            _choice(t["dtype"], f"{p}.dtype", DTYPES)
        if "shape" in t:
            if not isinstance(t["shape"], list):
                _fail(f"{p}.shape", "expected an array of sizes (-1 for any)")
            for k, s in enumerate(t["shape"]):
                _int_in(s, f"{p}.shape[{k}]", -1, 1 << 40)
                if s == 0:
                    _fail(f"{p}.shape", "sizes must be positive or -1")


def _output(meta: Mapping[str, Any], role: str, name: str, field: str) -> Dict[str, Any]:
    outputs = meta["methods"][role]["outputs"]
    if not name:
        if len(outputs) != 1:
            _fail(field, f"the {role} method has {len(outputs)} outputs: name one")
        return outputs[0]
    for o in outputs:
        if o["name"] == name:
            return o
    _fail(field, f"the {role} method has no output '{name}'")
    return {}


def _width(spec: Mapping[str, Any]) -> int:
    shape = spec.get("shape") or []
    return int(shape[-1]) if shape and shape[-1] > 0 else 0


def count_selected_tags(data: bytes) -> int:
    """Rows of a selected_tags.csv (header tag_id,name,category,count in any order)."""
    text = data.decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = set(reader.fieldnames or [])
    for column in ("name", "category"):
        if column not in header:
            raise MetadataError(f"selected_tags.csv: no '{column}' column (header: {sorted(header)})")
    rows = 0
    for row in reader:
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue
        if row.get("category", "").strip() not in ("0", "1", "3", "4", "5", "9"):
            raise MetadataError(f"selected_tags.csv row {rows + 2}: category '{row.get('category')}'")
        rows += 1
    return rows


def _validate_embedder(meta: Mapping[str, Any], files: Mapping[str, bytes]) -> None:
    section = meta.get("embedder", {})
    if not isinstance(section, dict):
        _fail("embedder", "expected an object")
    methods = meta["methods"]
    if "image" not in methods and "text" not in methods:
        _fail("methods", "an embedder needs an image or a text method")
    dims = 0
    if "image" in methods:
        out = _output(meta, "image", section.get("image_output", ""), "embedder.image_output")
        dims = _width(out)
    if "text" in methods:
        pooling = _choice(section.get("text_pooling", "none"), "embedder.text_pooling", TEXT_POOLINGS)
        tok = section.get("tokenizer")
        if not isinstance(tok, dict):
            _fail("embedder.tokenizer", "a text method needs a tokenizer (an object)")
        inputs = methods["text"]["inputs"]
        kind = tok.get("type", "")
        if kind == "clip":
            merges = tok.get("merges", "")
            if not merges:
                _fail("embedder.tokenizer.merges", "required: the BPE merges file in the archive")
            if merges not in files:
                _fail("embedder.tokenizer.merges", f"'{merges}' is not in the archive")
            ctx = tok.get("context_length", 77)
            _int_in(ctx, "embedder.tokenizer.context_length", 2, 1 << 20)
            if len(inputs) != 1 or inputs[0].get("dtype") != "int64":
                _fail("methods.text.inputs", "a CLIP text method takes 1 int64 input")
            shape = inputs[0].get("shape")
            if shape and not (len(shape) == 1 and shape[0] in (-1, ctx)):
                _fail("methods.text.inputs[0].shape", f"must be [{ctx}], the tokenizer's context_length")
        elif kind == "wordpiece":
            vocab = tok.get("vocab", "")
            if not vocab:
                _fail("embedder.tokenizer.vocab", "required: the vocab.txt in the archive")
            if vocab not in files:
                _fail("embedder.tokenizer.vocab", f"'{vocab}' is not in the archive")
            for key in ("lowercase", "strip_accents"):
                if key in tok and not isinstance(tok[key], bool):
                    _fail(f"embedder.tokenizer.{key}", "expected true or false")
            _int_in(tok.get("max_length", 128), "embedder.tokenizer.max_length", 2, 1 << 20)
            if len(inputs) not in (1, 2) or any(i.get("dtype") != "int64" for i in inputs):
                _fail("methods.text.inputs", "a WordPiece text method takes input_ids (and attention_mask), int64")
            lines = files[vocab].decode("utf-8").splitlines()
            tokens = {line.strip() for line in lines}
            for special in ("[UNK]", "[CLS]", "[SEP]", "[PAD]"):
                if special not in tokens:
                    _fail("embedder.tokenizer.vocab", f"'{vocab}' has no {special}")
        else:
            _fail("embedder.tokenizer.type", f"'{kind}' is not clip or wordpiece")
        out = _output(meta, "text", section.get("text_output", ""), "embedder.text_output")
        rank = 1 if pooling == "none" else 2
        if out.get("shape") and len(out["shape"]) != rank:
            _fail("methods.text.outputs", f"'{out['name']}' must have {rank} dimension(s) per text")
        width = _width(out)
        if width and dims and width != dims:
            _fail("embedder", f"text vectors have {width} dimensions but image vectors {dims}: they must share one space")
    if "logit_scale" in section:
        v = section["logit_scale"]
        if not _is_number(v) or v <= 0:
            _fail("embedder.logit_scale", "expected a positive number")


def label_lines(text: str) -> List[Tuple[int, str]]:
    """(line number, label) of a one-label-a-line file as the library reads it: split at LF, one
    trailing CR dropped, empty lines skipped."""
    lines = ((n + 1, line[:-1] if line.endswith("\r") else line) for n, line in enumerate(text.split("\n")))
    return [(n, line) for n, line in lines if line]


def label_file_count(data: bytes) -> int:
    return len(label_lines(data.decode("utf-8")))


def _validate_scorer(meta: Mapping[str, Any], files: Mapping[str, bytes]) -> None:
    """What the library checks of a "scorer" section (docs/tasks.md) that needs no model run."""
    section = meta.get("scorer")
    if not isinstance(section, dict) or not isinstance(section.get("heads"), list) or not section["heads"]:
        _fail("scorer.heads", "a scorer needs a 'scorer' section with a non-empty 'heads' list")
    if "image" not in meta["methods"]:
        _fail("methods", "a scorer needs an image method")
    names = set()
    for i, head in enumerate(section["heads"]):
        path = f"scorer.heads[{i}]"
        if not isinstance(head, dict) or not isinstance(head.get("name"), str) or not head["name"]:
            _fail(path, "each head needs a 'name'")
        if head["name"] in names:
            _fail(f"{path}.name", f"duplicate head '{head['name']}'")
        names.add(head["name"])
        out = _output(meta, "image", head.get("output", ""), f"{path}.output")
        _choice(head.get("activation", "softmax"), f"{path}.activation", ("softmax", "sigmoid", "none"))
        labels = head.get("labels")
        if isinstance(labels, str):
            if labels not in files:
                _fail(f"{path}.labels", f"'{labels}' is not in the archive")
            count = label_file_count(files[labels])
        elif isinstance(labels, list) and labels and all(isinstance(x, str) for x in labels):
            count = len(labels)
        else:
            _fail(f"{path}.labels", "expected a list of names or the name of a file in the archive")
        width = _width(out)
        if width and width != count:
            _fail(f"{path}.labels", f"{count} labels but output '{out['name']}' has {width}")


def _validate_tagger(meta: Mapping[str, Any], files: Mapping[str, bytes]) -> None:
    section = meta.get("tagger")
    if not isinstance(section, dict):
        _fail("tagger", "a tagger needs a 'tagger' section (an object)")
    if "image" not in meta["methods"]:
        _fail("methods", "a tagger needs an image method")
    out = _output(meta, "image", section.get("output", ""), "tagger.output")
    _choice(section.get("activation", "none"), "tagger.activation", TAGGER_ACTIVATIONS)
    fmt = _choice(section.get("label_format", "selected_tags"), "tagger.label_format", LABEL_FORMATS)
    labels = meta.get("labels", "")
    if not labels:
        _fail("labels", "a tagger needs a label table")
    if fmt == "selected_tags":
        count = count_selected_tags(files[labels])
    else:
        count = sum(1 for line in files[labels].decode("utf-8").splitlines() if line.strip())
    width = _width(out)
    if width and width != count:
        _fail("labels", f"the label table has {count} labels but output '{out['name']}' has {width}")


def validate_metadata(meta: Any, files: Optional[Mapping[str, bytes]] = None) -> None:
    """Raise MetadataError if the C++ loader (or the task named by ``task``) would refuse it.

    ``files`` are the other extra files of the archive (name -> bytes)."""
    files = files or {}
    if not isinstance(meta, dict):
        _fail("(document)", "expected a JSON object")
    for key in ("schema_version", "name", "task", "methods"):
        if key not in meta:
            _fail("(document)", f"missing required field '{key}'")
    if meta["schema_version"] != SCHEMA_VERSION or not _is_int(meta["schema_version"]):
        _fail("schema_version", f"this exporter writes version {SCHEMA_VERSION}")
    if not isinstance(meta["name"], str) or not meta["name"]:
        _fail("name", "must be a non-empty string")
    if not isinstance(meta["task"], str) or not meta["task"]:
        _fail("task", "must be a non-empty string")
    for key in ("version", "description", "labels"):
        if key in meta and not isinstance(meta[key], str):
            _fail(key, "expected a string")
    if meta.get("labels") and meta["labels"] not in files:
        _fail("labels", f"'{meta['labels']}' is not in the archive")
    if "preprocess" in meta:
        validate_preprocess(meta["preprocess"])
    if "quantization" in meta:
        _choice(meta["quantization"], "quantization", QUANTIZATIONS)
    methods = meta["methods"]
    if not isinstance(methods, dict) or not methods:
        _fail("methods", "expected an object of role -> method")
    for role, m in methods.items():
        path = f"methods.{role}"
        if not isinstance(m, dict):
            _fail(path, "expected an object")
        if not isinstance(m.get("name"), str):
            _fail(f"{path}.name", "expected a string")
        for part in ("inputs", "outputs"):
            if part not in m:
                _fail(path, f"missing required field '{part}'")
            _validate_tensors(m[part], f"{path}.{part}")
    if "image" in methods:
        if "preprocess" not in meta:
            _fail("methods.image", "an image method needs a 'preprocess' section")
        inp = methods["image"]["inputs"][0]
        if inp.get("dtype", "float32") != "float32":
            _fail("methods.image.inputs[0].dtype", "image input must be float32")
        shape = inp.get("shape")
        expected = image_input_shape(meta["preprocess"])
        if shape and (len(shape) != 3 or any(s not in (-1, e) for s, e in zip(shape, expected))):
            _fail("methods.image.inputs[0].shape", f"does not match the preprocess size and layout {expected}")
    if meta["task"] == "embedder":
        _validate_embedder(meta, files)
    elif meta["task"] == "tagger":
        _validate_tagger(meta, files)
    elif meta["task"] == "scorer":
        _validate_scorer(meta, files)


# --------------------------------------------------------------------------------------------
# int8 dynamic quantisation (off by default; docs/model-format.md "quantization")

# The int8 kernels torch may have, fastest first on x86 with VNNI. The file stores int8 weights
# and scales, not an engine's packing: whoever loads it packs them for its own engine.
_INT8_ENGINES = ("onednn", "fbgemm", "x86", "qnnpack")


def quantize_module(module: torch.nn.Module, quantization: Optional[str]) -> torch.nn.Module:
    """``module`` itself (None), or a copy whose nn.Linear layers run int8 weights with
    activations quantised per call ("dynamic_int8": torch.ao.quantization.quantize_dynamic).

    Activation scales come from each call's whole input, so an item's output depends a little
    on the other items of its batch; docs/performance.md measures how much."""
    if quantization is None:
        return module
    if quantization not in QUANTIZATIONS:
        raise ValueError(f"quantization '{quantization}' is not one of {', '.join(QUANTIZATIONS)}")
    engines = torch.backends.quantized.supported_engines
    engine = next((e for e in _INT8_ENGINES if e in engines), None)
    if engine is None:
        raise RuntimeError(f"this torch has no int8 engine (it has {engines})")
    torch.backends.quantized.engine = engine
    return torch.ao.quantization.quantize_dynamic(module, {torch.nn.Linear}, dtype=torch.qint8, inplace=False)


def add_quantization_option(parser: Any) -> None:
    """The exporters' --quantize option (argparse)."""
    parser.add_argument("--quantize", choices=QUANTIZATIONS, default=None,
                        help="store nn.Linear layers as int8 with activations quantised per call "
                             "(CPU only; faster, outputs move: the export prints the cosine to fp32)")


def quantization_report(path: str, quantization: Optional[str],
                        pairs: Iterable[Tuple[str, torch.Tensor, torch.Tensor]]) -> None:
    """Print how far the quantised outputs moved from the fp32 model's: (what, fp32, int8)."""
    if quantization is None:
        return
    for what, reference, got in pairs:
        cosine = torch.nn.functional.cosine_similarity(got.double().flatten(1), reference.double().flatten(1), dim=1)
        print(f"{path}: {quantization} {what}: cosine to fp32 min {float(cosine.min()):.5f} "
              f"mean {float(cosine.mean()):.5f}; max |difference| {float((got - reference).abs().max()):.4g}")


# --------------------------------------------------------------------------------------------
# saving and reading back


def metadata_json(meta: Mapping[str, Any]) -> str:
    return json.dumps(meta, indent=2, ensure_ascii=False) + "\n"


def _has_method(module: torch.jit.ScriptModule, name: str) -> bool:
    try:
        return bool(module._c._has_method(name))  # noqa: SLF001 - TorchScript's own query
    except AttributeError:
        return callable(getattr(module, name, None))


def save_model(module: torch.jit.ScriptModule, path: str, metadata: Mapping[str, Any],
               files: Optional[Mapping[str, bytes]] = None) -> None:
    """Validate ``metadata`` and write ``module`` with acg2vec.json and ``files`` as extra files."""
    files = dict(files or {})
    if METADATA_FILE in files:
        raise MetadataError(f"'{METADATA_FILE}' is written from `metadata`, not from `files`")
    for name in files:
        if not name or "/" in name or "\\" in name:
            raise MetadataError(f"extra file name '{name}' must be a plain file name")
    validate_metadata(dict(metadata), files)
    if not isinstance(module, torch.jit.ScriptModule):
        raise TypeError("save_model needs a TorchScript module (torch.jit.trace / torch.jit.script)")
    for role, m in metadata["methods"].items():
        if not _has_method(module, m["name"]):
            raise MetadataError(f"{METADATA_FILE}: methods.{role}.name: the module has no method '{m['name']}'")
    extra = {METADATA_FILE: metadata_json(metadata).encode("utf-8")}
    extra.update(files)
    torch.jit.save(module, path, _extra_files=extra)


def read_archive(path: str) -> Tuple[Dict[str, Any], Dict[str, bytes]]:
    """(acg2vec.json as a dict, {extra file name: bytes}) of a saved model."""
    files: Dict[str, bytes] = {}
    with zipfile.ZipFile(path) as z:
        for info in z.infolist():
            parts = info.filename.split("/")
            if len(parts) == 3 and parts[1] == "extra" and parts[2]:
                files[parts[2]] = z.read(info)
    if METADATA_FILE not in files:
        raise MetadataError(f"{path}: no extra/{METADATA_FILE}")
    meta = json.loads(files.pop(METADATA_FILE).decode("utf-8"))
    return meta, files


def file_bytes(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()


# --------------------------------------------------------------------------------------------
# checks


def max_relative_error(a: torch.Tensor, b: torch.Tensor) -> float:
    a = a.detach().double()
    b = b.detach().double()
    scale = max(float(b.abs().max()), 1e-12)
    return float((a - b).abs().max()) / scale


def check_saved(path: str, calls: Iterable[Tuple[str, Tuple[torch.Tensor, ...], torch.Tensor]],
                tolerance: float = 1e-4,
                first_calls: Iterable[Tuple[str, Tuple[torch.Tensor, ...]]] = ()) -> None:
    """Load ``path`` back and compare ``method(*inputs)`` with the expected eager outputs.

    Also checks that the archive freezes (the C++ library freezes by default) with every
    method named in acg2vec.json kept, and that the frozen module gives the same result.

    ``first_calls`` (method, inputs) run on the loaded module before comparing: the calls the
    eager model saw first. oneDNN's int8 linear layers choose their kernel on their first call's
    shape, and the kernels round differently in the last bit; quantising the next layer's
    input can turn that bit into a whole int8 step. Replaying the same first calls makes the
    comparison exact."""
    meta, files = read_archive(path)
    validate_metadata(meta, files)
    loaded = torch.jit.load(path, map_location="cpu").eval()
    calls = list(calls)
    with torch.no_grad():
        for method, inputs in first_calls:
            getattr(loaded, method)(*inputs)
        for method, inputs, expected in calls:
            got = getattr(loaded, method)(*inputs)
            err = max_relative_error(got, expected)
            if err > tolerance:
                raise RuntimeError(f"{path}: {method} differs from the eager model after saving "
                                   f"(max relative error {err:.3g}); tracing may have baked in a shape")
        names = sorted({m["name"] for m in meta["methods"].values()} - {"forward"})
        try:
            frozen = torch.jit.freeze(loaded, preserved_attrs=names)
        except Exception as e:  # the library then runs the module as saved
            print(f"note: {path} cannot be frozen ({type(e).__name__}: {e}); acg2vec will run it unfrozen")
            return
        for method, inputs, expected in calls:
            got = getattr(frozen, method)(*inputs)
            err = max_relative_error(got, expected)
            if err > tolerance:
                raise RuntimeError(f"{path}: frozen {method} differs (max relative error {err:.3g})")


def as_tensor(output: Any, *keys: str) -> torch.Tensor:
    """A model output as one tensor: itself, or the first of ``keys`` found, or element 0."""
    if isinstance(output, torch.Tensor):
        return output
    for key in keys:
        value = output.get(key) if isinstance(output, dict) else getattr(output, key, None)
        if isinstance(value, torch.Tensor):
            return value
    if isinstance(output, (tuple, list)) and output and isinstance(output[0], torch.Tensor):
        return output[0]
    raise TypeError(f"cannot find a tensor in {type(output).__name__} (looked for {keys})")
