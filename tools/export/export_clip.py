#!/usr/bin/env python3
"""Export a CLIP model (two towers) as an acg2vec embedder.

Core: :func:`export_clip` takes any module with ``encode_image(pixels [N,3,S,S])``,
``encode_text(ids [N,77] int64)`` and ``logit_scale`` (the log of the temperature, as CLIP
stores it) and writes one TorchScript file whose ``forward(pixels)`` is the image tower and
``encode_text(ids)`` the text tower, with acg2vec.json and the BPE merges file inside.

CLI (imports open_clip / transformers only here):

    python export_clip.py --open-clip ViT-B-32 --pretrained openai --out clip-vit-b-32.pt
    python export_clip.py --hf openai/clip-vit-base-patch32 --out clip-vit-base-patch32.pt

See README.md for what is recorded and why.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any, Dict, Optional, Sequence

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import acg2vec_export as ax  # noqa: E402

SOT = 49406
EOT = 49407


class ClipTowers(nn.Module):
    """forward = image tower, encode_text = text tower (both unnormalised, as CLIP returns them)."""

    def __init__(self, model: nn.Module):
        super().__init__()
        self.model = model

    def forward(self, pixels: torch.Tensor) -> torch.Tensor:
        return self.model.encode_image(pixels)

    def encode_text(self, ids: torch.Tensor) -> torch.Tensor:
        return self.model.encode_text(ids)


def example_ids(batch: int, context_length: int = 77, seed: int = 0) -> torch.Tensor:
    """Token rows as clip.tokenize frames them: SOT, ids, EOT, zeros; EOT at varied positions."""
    g = torch.Generator().manual_seed(seed)
    ids = torch.zeros(batch, context_length, dtype=torch.long)
    for row in range(batch):
        length = 2 + (5 + 7 * row) % (context_length - 2)
        ids[row, 0] = SOT
        ids[row, 1:length - 1] = torch.randint(256, 40000, (length - 2,), generator=g)
        ids[row, length - 1] = EOT
    return ids


def example_pixels(batch: int, preprocess: Dict[str, Any], seed: int = 0) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    shape = [batch] + ax.image_input_shape(preprocess)
    x = torch.rand(shape, generator=g) * preprocess["value_max"]
    mean = torch.tensor(preprocess["mean"])
    std = torch.tensor(preprocess["std"])
    if preprocess["layout"] == "nchw":
        return (x - mean[:, None, None]) / std[:, None, None]
    return (x - mean) / std


def export_clip(
    model: nn.Module,
    merges_path: str,
    out_path: str,
    name: str,
    image_size: int,
    mean: Sequence[float] = ax.OPENAI_CLIP_MEAN,
    std: Sequence[float] = ax.OPENAI_CLIP_STD,
    *,
    interpolation: str = "bicubic",
    resize_mode: str = "shortest",
    fill_color: int = 0,
    preprocess: Optional[Dict[str, Any]] = None,
    context_length: int = 77,
    logit_scale: Optional[float] = None,
    version: Optional[str] = None,
    description: Optional[str] = None,
    script: bool = False,
    verify: bool = True,
    quantization: Optional[str] = None,
) -> Dict[str, Any]:
    """Write ``out_path``; returns the acg2vec.json written.

    ``preprocess`` replaces the open_clip-style one built from image_size/mean/std/
    interpolation/resize_mode (the transformers path passes its own). ``logit_scale`` is the
    zero-shot temperature itself; by default ``model.logit_scale.exp()``. ``script=True``
    uses torch.jit.script instead of tracing both methods. ``quantization="dynamic_int8"``
    stores the towers with int8 linear layers (acg2vec_export.quantize_module).
    """
    model = model.eval()
    if preprocess is None:
        preprocess = ax.clip_preprocess(image_size, mean, std, interpolation=interpolation,
                                        resize_mode=resize_mode, fill_color=fill_color)
    ax.validate_preprocess(preprocess)
    if logit_scale is None:
        logit_scale = float(torch.as_tensor(model.logit_scale).detach().double().exp())
    fp32_towers = ClipTowers(model).eval()
    towers = ax.quantize_module(fp32_towers, quantization)

    pixels = example_pixels(2, preprocess, seed=1)
    ids = example_ids(2, context_length, seed=1)
    with torch.no_grad():
        image_dim = int(towers(pixels).shape[-1])
        text_dim = int(towers.encode_text(ids).shape[-1])
        if script:
            module = torch.jit.script(towers)
        else:
            module = torch.jit.trace_module(towers, {"forward": (pixels,), "encode_text": (ids,)}, check_trace=False)
    if image_dim != text_dim:
        raise ValueError(f"image features have {image_dim} dimensions but text features {text_dim}")

    merges_name = os.path.basename(merges_path)
    metadata: Dict[str, Any] = {
        "schema_version": ax.SCHEMA_VERSION,
        "name": name,
        "task": "embedder",
    }
    if quantization:
        metadata["quantization"] = quantization
    if version:
        metadata["version"] = version
    metadata["description"] = description or f"CLIP {name}: image and text towers in one {image_dim}-d space"
    metadata["preprocess"] = preprocess
    metadata["methods"] = {
        "image": ax.method_spec("forward", [ax.tensor_spec("pixels", ax.image_input_shape(preprocess))],
                                [ax.tensor_spec("image_features", [image_dim])]),
        "text": ax.method_spec("encode_text", [ax.tensor_spec("input_ids", [context_length], "int64")],
                               [ax.tensor_spec("text_features", [text_dim])]),
    }
    metadata["embedder"] = {
        "image_output": "image_features",
        "text_output": "text_features",
        "text_pooling": "none",
        "logit_scale": logit_scale,
        "tokenizer": {"type": "clip", "merges": merges_name, "context_length": context_length},
    }
    ax.save_model(module, out_path, metadata, {merges_name: ax.file_bytes(merges_path)})

    if verify:  # other batch sizes than the trace saw
        check_pixels = example_pixels(3, preprocess, seed=2)
        check_ids = example_ids(3, context_length, seed=2)
        with torch.no_grad():
            calls = [("forward", (check_pixels,), towers(check_pixels)),
                     ("encode_text", (check_ids,), towers.encode_text(check_ids))]
            ax.quantization_report(out_path, quantization,
                                   [("image", fp32_towers(check_pixels), calls[0][2]),
                                    ("text", fp32_towers.encode_text(check_ids), calls[1][2])])
        ax.check_saved(out_path, calls, first_calls=[("forward", (pixels,)), ("encode_text", (ids,))])
    return metadata


# --------------------------------------------------------------------------------------------
# CLI: open_clip and transformers (imported lazily)


class HFClipAdapter(nn.Module):
    """transformers' CLIPModel seen through the open_clip interface."""

    def __init__(self, clip: nn.Module):
        super().__init__()
        self.clip = clip
        self.logit_scale = clip.logit_scale

    def encode_image(self, pixels: torch.Tensor) -> torch.Tensor:
        return ax.as_tensor(self.clip.get_image_features(pixel_values=pixels), "image_embeds", "pooler_output")

    def encode_text(self, ids: torch.Tensor) -> torch.Tensor:
        # CLIPTextTransformer pools at the EOT token (argmax of the ids for the original
        # checkpoints, the first eos_token_id otherwise): the same position for SOT..EOT + zeros.
        return ax.as_tensor(self.clip.get_text_features(input_ids=ids), "text_embeds", "pooler_output")


def _square(size: Any, what: str) -> int:
    if isinstance(size, (tuple, list)):
        if len(size) != 2 or size[0] != size[1]:
            raise SystemExit(f"{what}: non-square input {size} is not supported")
        size = size[0]
    return int(size)


def _from_open_clip(args: argparse.Namespace) -> None:
    import open_clip  # noqa: PLC0415 - lazy on purpose
    from open_clip import tokenizer as oc_tokenizer  # noqa: PLC0415

    model, _, transform = open_clip.create_model_and_transforms(args.open_clip, pretrained=args.pretrained,
                                                                device="cpu")
    model.eval()
    print(f"open_clip transform (what the metadata reproduces):\n{transform}")
    cfg = dict(getattr(model.visual, "preprocess_cfg", None) or {})
    size = _square(cfg.get("size", getattr(model.visual, "image_size", 224)), "image size")
    mean = cfg.get("mean") or getattr(model.visual, "image_mean", None) or ax.OPENAI_CLIP_MEAN
    std = cfg.get("std") or getattr(model.visual, "image_std", None) or ax.OPENAI_CLIP_STD
    interpolation = cfg.get("interpolation") or "bicubic"
    if interpolation == "random":
        interpolation = "bicubic"  # open_clip uses bicubic for inference then
    resize_mode = cfg.get("resize_mode") or "shortest"
    fill_color = cfg.get("fill_color", 0) or 0

    tok = open_clip.get_tokenizer(args.open_clip)
    if not isinstance(tok, oc_tokenizer.SimpleTokenizer):
        raise SystemExit(f"{args.open_clip} uses {type(tok).__name__}; acg2vec reads only CLIP's BPE (SimpleTokenizer)")
    clean = getattr(getattr(tok, "clean_fn", None), "func", getattr(tok, "clean_fn", None))
    if clean is not None and "lower" not in getattr(clean, "__name__", "lower"):
        print(f"warning: the tokenizer cleans text with {clean.__name__}; acg2vec cleans as openai CLIP (lower)")
    if getattr(tok, "reduction_fn", None) is not None:
        print("warning: the tokenizer reduces long texts with a mask; acg2vec truncates them")
    context_length = int(getattr(tok, "context_length", 77))
    merges = args.merges or oc_tokenizer.default_bpe()

    name = args.name or f"{args.open_clip}-{args.pretrained}".lower()
    meta = export_clip(model, merges, args.out, name, size, mean, std, interpolation=interpolation,
                       resize_mode=resize_mode, fill_color=fill_color, context_length=context_length,
                       version=args.version, quantization=args.quantize,
                       description=args.description or f"open_clip {args.open_clip} pretrained={args.pretrained}")
    with torch.no_grad():  # end to end with the real tokenizer
        text = tok(["a photo of a cat", "a girl with long silver hair"])
        saved = torch.jit.load(args.out)
        err = ax.max_relative_error(saved.encode_text(text), model.encode_text(text))
    print(f"text tower with open_clip's tokenizer: max relative error {err:.2e}")
    _report(args.out, meta)


def _from_transformers(args: argparse.Namespace) -> None:
    from transformers import CLIPImageProcessor, CLIPModel, CLIPTokenizer  # noqa: PLC0415 - lazy

    try:
        clip = CLIPModel.from_pretrained(args.hf, attn_implementation="eager")
    except TypeError:  # transformers without attn_implementation
        clip = CLIPModel.from_pretrained(args.hf)
    clip.eval()
    proc = CLIPImageProcessor.from_pretrained(args.hf)
    tok = CLIPTokenizer.from_pretrained(args.hf)
    if tok.vocab_size != 49408:
        raise SystemExit(f"{args.hf}: tokenizer vocab {tok.vocab_size} is not CLIP's BPE (49408)")
    size = proc.size.get("shortest_edge") if isinstance(proc.size, dict) else proc.size
    crop = proc.crop_size if isinstance(proc.crop_size, dict) else {"height": proc.crop_size, "width": proc.crop_size}
    if not (proc.do_resize and proc.do_center_crop and size):
        raise SystemExit(f"{args.hf}: expected resize(shortest_edge) + center crop, got {proc}")
    resample = ax.PIL_RESAMPLE_NAMES.get(int(proc.resample))
    if resample is None:
        raise SystemExit(f"{args.hf}: unsupported resample {proc.resample}")
    # CLIPImageProcessor: convert("RGB") first (alpha ignored), resize shortest edge (Pillow),
    # centre crop (offsets floor((h - ch) / 2), where torchvision rounds half to even),
    # rescale 1/255, normalise.
    preprocess = ax.preprocess_spec(
        int(crop["width"]), int(crop["height"]), resize_mode="shorter_side_crop", shorter_side=int(size),
        crop_rounding="floor",
        interpolation=resample, alpha="ignore" if proc.do_convert_rgb else "composite",
        channel_order="rgb", layout="nchw", value_max=float(proc.rescale_factor) * 255.0,
        mean=proc.image_mean, std=proc.image_std)
    merges = args.merges
    if merges is None:
        if os.path.isdir(args.hf):
            merges = os.path.join(args.hf, "merges.txt")
        else:
            from huggingface_hub import hf_hub_download  # noqa: PLC0415
            merges = hf_hub_download(args.hf, "merges.txt")
    context_length = int(clip.config.text_config.max_position_embeddings)
    name = args.name or os.path.basename(args.hf.rstrip("/")).lower()
    meta = export_clip(HFClipAdapter(clip), merges, args.out, name, int(crop["height"]), preprocess=preprocess,
                       context_length=context_length, version=args.version, quantization=args.quantize,
                       description=args.description or f"transformers CLIPModel {args.hf}")
    with torch.no_grad():
        enc = tok(["a photo of a cat", "a girl with long silver hair"], padding="max_length",
                  max_length=context_length, return_tensors="pt")
        saved = torch.jit.load(args.out)
        err = ax.max_relative_error(saved.encode_text(enc["input_ids"]), clip.get_text_features(input_ids=enc["input_ids"]))
    print(f"text tower with the transformers tokenizer: max relative error {err:.2e}")
    _report(args.out, meta)


def _report(path: str, meta: Dict[str, Any]) -> None:
    p = meta["preprocess"]
    print(f"wrote {path}: {meta['name']}, {meta['methods']['image']['outputs'][0]['shape'][0]}-d, "
          f"logit_scale {meta['embedder']['logit_scale']:.4g}, preprocess {p['resize_mode']} "
          f"{p['width']}x{p['height']} {p['interpolation']} mean {p['mean']} std {p['std']}")


def main(argv: Optional[Sequence[str]] = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--open-clip", metavar="MODEL", help="open_clip model name, e.g. ViT-B-32")
    src.add_argument("--hf", metavar="PATH", help="transformers CLIPModel id or directory")
    ap.add_argument("--pretrained", metavar="TAG", help="open_clip pretrained tag, e.g. openai")
    ap.add_argument("--merges", help="BPE merges file to store (default: open_clip's bundled "
                                     "bpe_simple_vocab_16e6.txt.gz, or the checkpoint's merges.txt)")
    ap.add_argument("--out", required=True, help="output .pt")
    ap.add_argument("--name", help="model name recorded in acg2vec.json")
    ap.add_argument("--version")
    ap.add_argument("--description")
    ax.add_quantization_option(ap)
    args = ap.parse_args(argv)
    if args.open_clip:
        if not args.pretrained:
            ap.error("--open-clip needs --pretrained")
        _from_open_clip(args)
    else:
        _from_transformers(args)


if __name__ == "__main__":
    main()
