#!/usr/bin/env python3
"""Export a WD14 / WD v3 tagger (a timm-style NCHW classifier) as an acg2vec tagger.

Core: :func:`export_wd14` takes a module mapping pixels [N,3,S,S] to logits [N, labels] (one
per row of selected_tags.csv) and writes one TorchScript file with acg2vec.json and
selected_tags.csv inside; acg2vec applies the sigmoid (``tagger.activation``).

The recorded preprocessing is SmilingWolf's reference for the timm checkpoints
(wdv3_timm.py): RGBA and transparent palette images composited over white, padded to a white
centred square, resized (bicubic) to the input size, scaled to [0, 1], normalised with the
model's mean/std (0.5, 0.5), channels RGB -> BGR, NCHW.

CLI (imports timm / huggingface_hub only here):

    python export_wd14.py --timm hf-hub:SmilingWolf/wd-vit-tagger-v3 --out wd-vit-tagger-v3.pt
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


class TaggerLogits(nn.Module):
    def __init__(self, model: nn.Module):
        super().__init__()
        self.model = model

    def forward(self, pixels: torch.Tensor) -> torch.Tensor:
        return ax.as_tensor(self.model(pixels), "logits")


def example_pixels(batch: int, size: int, seed: int) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    return torch.rand(batch, 3, size, size, generator=g) * 2 - 1


def export_wd14(
    model: nn.Module,
    tags_csv_path: str,
    out_path: str,
    name: str,
    image_size: int,
    mean: Sequence[float] = (0.5, 0.5, 0.5),
    std: Sequence[float] = (0.5, 0.5, 0.5),
    *,
    interpolation: str = "bicubic",
    version: Optional[str] = None,
    description: Optional[str] = None,
    script: bool = False,
    verify: bool = True,
    quantization: Optional[str] = None,
) -> Dict[str, Any]:
    """Write ``out_path``; returns the acg2vec.json written.

    ``mean``/``std`` are in the model's channel order (BGR for WD; 0.5 everywhere).
    ``quantization="dynamic_int8"`` stores int8 linear layers (acg2vec_export.quantize_module)."""
    model = model.eval()
    fp32_wrapper = TaggerLogits(model).eval()
    wrapper = ax.quantize_module(fp32_wrapper, quantization)
    tags = ax.file_bytes(tags_csv_path)
    labels = ax.count_selected_tags(tags)
    preprocess = ax.wd14_preprocess(image_size, mean, std, interpolation=interpolation)

    pixels = example_pixels(2, image_size, seed=1)
    with torch.no_grad():
        width = int(wrapper(pixels).shape[-1])
        module = torch.jit.script(wrapper) if script else torch.jit.trace(wrapper, (pixels,), check_trace=False)
    if width != labels:
        raise ValueError(f"the model has {width} outputs but {tags_csv_path} has {labels} labels")

    metadata: Dict[str, Any] = {"schema_version": ax.SCHEMA_VERSION, "name": name, "task": "tagger"}
    if quantization:
        metadata["quantization"] = quantization
    if version:
        metadata["version"] = version
    metadata["description"] = description or f"WD tagger {name}: {labels} labels"
    metadata["preprocess"] = preprocess
    metadata["methods"] = {
        "image": ax.method_spec("forward", [ax.tensor_spec("pixels", ax.image_input_shape(preprocess))],
                                [ax.tensor_spec("logits", [width])]),
    }
    metadata["labels"] = "selected_tags.csv"
    metadata["tagger"] = {"output": "logits", "activation": "sigmoid", "label_format": "selected_tags"}
    ax.save_model(module, out_path, metadata, {"selected_tags.csv": tags})

    if verify:
        check = example_pixels(3, image_size, seed=2)
        with torch.no_grad():
            logits = wrapper(check)
            ax.quantization_report(out_path, quantization,
                                   [("probabilities", fp32_wrapper(check).sigmoid(), logits.sigmoid())])
            ax.check_saved(out_path, [("forward", (check,), logits)], first_calls=[("forward", (pixels,))])
    return metadata


# --------------------------------------------------------------------------------------------
# CLI: timm (imported lazily)


def _from_timm(args: argparse.Namespace) -> None:
    import timm  # noqa: PLC0415 - lazy on purpose
    from timm.data import resolve_data_config  # noqa: PLC0415

    model = timm.create_model(args.timm, pretrained=True).eval()
    # wdv3_timm.py: create_transform(**resolve_data_config(model.pretrained_cfg, model=model))
    cfg = resolve_data_config(model.pretrained_cfg, model=model)
    print(f"timm data config: {cfg}")
    _, h, w = cfg["input_size"]
    if h != w:
        raise SystemExit(f"non-square input {cfg['input_size']}")
    crop_pct = cfg.get("crop_pct", 1.0)
    if crop_pct is not None and abs(float(crop_pct) - 1.0) > 1e-9:
        raise SystemExit(f"crop_pct {crop_pct}: the padded square would be cropped after resizing, "
                         "which acg2vec's pad_square does not do")
    interpolation = cfg.get("interpolation", "bicubic")
    if interpolation not in ax.INTERPOLATIONS:
        raise SystemExit(f"interpolation '{interpolation}' is not supported")
    # the reference swaps the normalised NCHW tensor to BGR; acg2vec applies mean/std per output
    # channel, so reverse them to stay per-colour (they are all 0.5 for WD v3 anyway)
    mean = list(cfg["mean"])[::-1]
    std = list(cfg["std"])[::-1]

    tags = args.tags
    if tags is None:
        if not args.timm.startswith("hf-hub:"):
            raise SystemExit("--tags is required unless --timm is an hf-hub: model")
        from huggingface_hub import hf_hub_download  # noqa: PLC0415
        tags = hf_hub_download(repo_id=args.timm[len("hf-hub:"):], filename="selected_tags.csv")
    name = args.name or args.timm.split("/")[-1].split(":")[-1].lower()
    meta = export_wd14(model, tags, args.out, name, int(h), mean, std, interpolation=interpolation,
                       version=args.version, quantization=args.quantize,
                       description=args.description or f"timm {args.timm}")
    p = meta["preprocess"]
    print(f"wrote {args.out}: {name}, {meta['methods']['image']['outputs'][0]['shape'][0]} labels, "
          f"{p['resize_mode']} {p['width']}x{p['height']} {p['interpolation']} {p['channel_order']} "
          f"mean {p['mean']} std {p['std']}")


def main(argv: Optional[Sequence[str]] = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--timm", required=True, metavar="MODEL", help="e.g. hf-hub:SmilingWolf/wd-vit-tagger-v3")
    ap.add_argument("--tags", help="selected_tags.csv (default: downloaded from the hf-hub repo)")
    ap.add_argument("--out", required=True, help="output .pt")
    ap.add_argument("--name", help="model name recorded in acg2vec.json")
    ap.add_argument("--version")
    ap.add_argument("--description")
    ax.add_quantization_option(ap)
    _from_timm(ap.parse_args(argv))


if __name__ == "__main__":
    main()
