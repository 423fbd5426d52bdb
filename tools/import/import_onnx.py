#!/usr/bin/python3
"""ONNX file -> acg2vec model file (TorchScript + acg2vec.json), from a preset.

    import_onnx.py SOURCE.onnx --preset wd14-v2 --labels selected_tags.csv --out MODEL.pt
    import_onnx.py model.onnx --preset deepghs-classify --labels meta.json --out MODEL.pt
    import_onnx.py model.onnx --preset custom --metadata partial.json [--labels FILE]... --out MODEL.pt
                   [--name NAME] [--version V] [--description TEXT]

The graph becomes a torch module (onnx_graph.OnnxGraph), traced, saved with the preset's
acg2vec.json and the label file, loaded back and compared with the graph run directly, as the
exporters in tools/export check their files.

Presets (preset-facts.md has the sources of every step):
  wd14-v2   SmilingWolf's WD 1.4 v2 taggers (moat, convnext, convnextv2, swinv2, vit): input
            [N,S,S,3] float BGR 0-255 (the model scales it), S read from the graph; as
            SmilingWolf's wd-tagger app prepares images: composite over white, pad to a white
            square (offsets floor((side - w) / 2)), Pillow bicubic to S, RGB -> BGR; output:
            sigmoid probabilities in selected_tags.csv order.
  deepghs-classify
            deepghs's classifiers as imgutils runs them (imgutils.generic.classify: anime
            classification, rating, completeness, furry, AI check, ...): input [N,3,H,W] (H, W
            from the graph, else imgutils's default 384), the image composited over white,
            Pillow bilinear to W x H (aspect ratio not kept), RGB / 255, then (x - 0.5) / 0.5;
            output "output", one score per label of meta.json's "labels", reported as it is.
  custom    no preset: --metadata names a JSON file holding the acg2vec.json to write, except
            "methods" (docs/model-format.md): "task", "preprocess" (its size and layout must fit
            the graph's input) and the task's section ("tagger", "scorer" or "embedder"). The
            method "forward" is filled in from the graph: its input, and its outputs under their
            ONNX names. Each --labels file is stored in the model file under its own name, for
            the sections to refer to.

A graph whose batch dimension is fixed at 1 (the original v2.0 files) cannot run batches: it is
wrapped so that each image of a batch runs alone, and the importer says so.
"""

from __future__ import annotations

import os
import sys
from typing import Any, Dict, List, Optional, Sequence

import onnx
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "export"))

import acg2vec_export as ax  # noqa: E402
from import_args import parse_import_args  # noqa: E402
from onnx_graph import OnnxGraph  # noqa: E402

PRESETS = ("wd14-v2", "deepghs-classify", "custom")
DEEPGHS_DEFAULT_SIZE = 384  # imgutils' _img_encode default, used when the graph's size is symbolic


class OneAtATime(torch.nn.Module):
    """Runs a module traced at batch 1 on each item of a batch (for graphs with a fixed batch)."""

    def __init__(self, single: torch.nn.Module):
        super().__init__()
        self.single = single

    def forward(self, pixels: torch.Tensor) -> torch.Tensor:
        outputs = [self.single(pixels[i:i + 1]) for i in range(pixels.shape[0])]
        return torch.cat(outputs, dim=0)


def _input_dims(model: onnx.ModelProto, graph: OnnxGraph) -> List[Optional[int]]:
    """The single graph input's dimensions (None where symbolic)."""
    if len(graph.input_names) != 1:
        raise SystemExit(f"the graph takes {len(graph.input_names)} inputs ({', '.join(graph.input_names)}); "
                         "the presets take one image tensor")
    value = next(i for i in model.graph.input if i.name == graph.input_names[0])
    return [d.dim_value if d.HasField("dim_value") else None for d in value.type.tensor_type.shape.dim]


def _example(shape: Sequence[int], seed: int) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    return torch.rand(*shape, generator=g) * 255.0


class SelectOutput(torch.nn.Module):
    """One output of a graph that has several (deepghs's presets read the one named "output")."""

    def __init__(self, graph: OnnxGraph, index: int):
        super().__init__()
        self.graph = graph
        self.index = index

    def forward(self, pixels: torch.Tensor) -> torch.Tensor:
        return self.graph(pixels)[self.index]


def trace_image_graph(graph: torch.nn.Module, item_shape: Sequence[int]) -> torch.jit.ScriptModule:
    """The graph traced for any batch size; falls back to one item at a time when the graph only
    runs batches of one (a graph with one output only: several outputs need a batch)."""
    graph.eval()
    with torch.no_grad():
        try:
            two = graph(_example([2, *item_shape], 1))
            outputs = two if isinstance(two, tuple) else (two,)
            batches_work = all(isinstance(t, torch.Tensor) and t.dim() > 0 and t.shape[0] == 2 for t in outputs)
        except Exception:  # a Reshape to [1, ...] and the like
            outputs, batches_work = (), False
        if batches_work:
            return torch.jit.trace(graph, _example([2, *item_shape], 1), check_trace=False)
        if len(outputs) > 1:
            raise SystemExit("the graph's batch dimension is fixed at 1 and it has several outputs: acg2vec can run "
                             "such a graph one image at a time only when it has one output")
        print("note: the graph's batch dimension is fixed at 1: acg2vec will run its images one at a time",
              file=sys.stderr)
        single = torch.jit.trace(graph, _example([1, *item_shape], 1), check_trace=False)
        return torch.jit.script(OneAtATime(single))


def wd14_v2_metadata(size: int, outputs: int, labels: bytes, name: str, version: Optional[str],
                     description: Optional[str]) -> Dict[str, Any]:
    preprocess = ax.preprocess_spec(size, size, resize_mode="pad_square", interpolation="bicubic",
                                    pad_mode="constant", pad_color=(255, 255, 255), alpha="composite",
                                    background=(255, 255, 255), channel_order="bgr", layout="nhwc",
                                    value_max=255.0, mean=(0.0, 0.0, 0.0), std=(1.0, 1.0, 1.0))
    count = ax.count_selected_tags(labels)
    if count != outputs:
        raise SystemExit(f"the graph has {outputs} outputs but the label table has {count} labels")
    metadata: Dict[str, Any] = {"schema_version": ax.SCHEMA_VERSION, "name": name, "task": "tagger"}
    if version:
        metadata["version"] = version
    metadata["description"] = description or f"WD 1.4 v2 tagger {name} (imported from ONNX): {outputs} labels"
    metadata["preprocess"] = preprocess
    metadata["methods"] = {
        "image": ax.method_spec("forward", [ax.tensor_spec("pixels", [size, size, 3])],
                                [ax.tensor_spec("probabilities", [outputs])]),
    }
    metadata["labels"] = "selected_tags.csv"
    metadata["tagger"] = {"output": "probabilities", "activation": "none", "label_format": "selected_tags"}
    return metadata


def deepghs_classify_metadata(width: int, height: int, labels: List[str], name: str, version: Optional[str],
                              description: Optional[str]) -> Dict[str, Any]:
    preprocess = ax.preprocess_spec(width, height, resize_mode="stretch", interpolation="bilinear",
                                    alpha="composite", background=(255, 255, 255), channel_order="rgb",
                                    layout="nchw", value_max=1.0, mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5))
    metadata: Dict[str, Any] = {"schema_version": ax.SCHEMA_VERSION, "name": name, "task": "scorer"}
    if version:
        metadata["version"] = version
    metadata["description"] = description or (f"deepghs classifier {name} (imported from ONNX): "
                                              f"{', '.join(labels)}")
    metadata["preprocess"] = preprocess
    metadata["methods"] = {
        "image": ax.method_spec("forward", [ax.tensor_spec("pixels", [3, height, width])],
                                [ax.tensor_spec("scores", [len(labels)])]),
    }
    metadata["scorer"] = {"heads": [{"name": "class", "output": "scores", "activation": "none", "labels": labels}]}
    return metadata


def _deepghs_labels(path: str) -> List[str]:
    """meta.json's "labels": the class names in output order."""
    import json  # noqa: PLC0415
    try:
        with open(path, encoding="utf-8") as f:
            labels = json.load(f).get("labels")
    except (OSError, ValueError, AttributeError) as e:
        raise SystemExit(f"{path}: not a deepghs meta.json ({e})") from e
    if not isinstance(labels, list) or not labels or not all(isinstance(x, str) and x for x in labels):
        raise SystemExit(f"{path}: \"labels\" must be a non-empty list of names (deepghs's meta.json)")
    return labels


def _custom_item_shape(source: str, graph: OnnxGraph, dims: List[Optional[int]],
                       preprocess: Dict[str, Any]) -> List[int]:
    """The input shape the metadata's preprocess section makes, checked against the graph's."""
    w, h = preprocess["width"], preprocess["height"]
    item = [3, h, w] if preprocess.get("layout", "nchw") == "nchw" else [h, w, 3]
    if len(dims) != 4 or any(d is not None and d != want for d, want in zip(dims[1:], item)):
        raise SystemExit(f"{source}: input {graph.input_names[0]} has shape {dims}, but the metadata's preprocess "
                         f"section makes [N, {', '.join(map(str, item))}] (width, height, layout)")
    return item


def _read_custom_metadata(path: str) -> Dict[str, Any]:
    """--metadata: an acg2vec.json without "methods", with at least a task and a valid preprocess section."""
    import json  # noqa: PLC0415
    try:
        with open(path, encoding="utf-8") as f:
            metadata = json.load(f)
    except (OSError, ValueError) as e:
        raise SystemExit(f"{path}: cannot read the metadata ({e})") from e
    if not isinstance(metadata, dict) or "preprocess" not in metadata or "task" not in metadata:
        raise SystemExit(f"{path}: the metadata needs at least \"task\" and \"preprocess\" (docs/model-format.md)")
    if "methods" in metadata:
        raise SystemExit(f"{path}: leave \"methods\" out: the importer writes it from the graph")
    try:
        ax.validate_preprocess(metadata["preprocess"])
    except ax.MetadataError as e:
        raise SystemExit(f"{path}: {e}") from e
    return metadata


def _custom_metadata(metadata: Dict[str, Any], name: str, default_name: str, version: Optional[str],
                     description: Optional[str], item: List[int], graph: OnnxGraph,
                     module: torch.nn.Module) -> Dict[str, Any]:
    """--metadata's acg2vec.json with the method filled in from the graph."""
    with torch.no_grad():
        outputs = module(_example([1, *item], 2))
    outputs = outputs if isinstance(outputs, tuple) else (outputs,)
    metadata = {"schema_version": ax.SCHEMA_VERSION, **metadata}
    metadata["name"] = name or metadata.get("name") or default_name
    if version:
        metadata["version"] = version
    if description:
        metadata["description"] = description
    metadata["methods"] = {"image": ax.method_spec(
        "forward", [ax.tensor_spec(graph.input_names[0], item)],
        [ax.tensor_spec(n, list(t.shape[1:])) for n, t in zip(graph.output_names, outputs)])}
    return metadata


def _item_shape(preset: str, source: str, graph: OnnxGraph, dims: List[Optional[int]]) -> List[int]:
    """One image's input shape for the preset, checked against the graph's input."""
    if preset == "wd14-v2":
        if len(dims) != 4 or dims[3] != 3 or dims[1] is None or dims[1] != dims[2]:
            raise SystemExit(f"{source}: input {graph.input_names[0]} has shape {dims}; the wd14-v2 preset takes "
                             "[N, S, S, 3] (NHWC, a fixed square size)")
        return [int(dims[1]), int(dims[1]), 3]
    if len(dims) != 4 or dims[1] != 3:
        raise SystemExit(f"{source}: input {graph.input_names[0]} has shape {dims}; the deepghs-classify preset "
                         "takes [N, 3, H, W] (NCHW RGB)")
    if dims[2] is None or dims[3] is None:  # as imgutils: its default size when the graph has none
        return [3, DEEPGHS_DEFAULT_SIZE, DEEPGHS_DEFAULT_SIZE]
    return [3, int(dims[2]), int(dims[3])]


def import_custom(source: str, metadata_path: str, label_paths: Sequence[str], out_path: str, name: str,
                  version: Optional[str] = None, description: Optional[str] = None,
                  default_name: str = "model") -> Dict[str, Any]:
    """--preset custom: write out_path with --metadata's acg2vec.json; returns it. The model's
    name: `name` if given, else the metadata's, else `default_name`."""
    given = _read_custom_metadata(metadata_path)
    model = onnx.load(source)
    graph = OnnxGraph(model).eval()
    item = _custom_item_shape(source, graph, _input_dims(model, graph), given["preprocess"])
    module = trace_image_graph(graph, item)
    metadata = _custom_metadata(given, name, default_name, version, description, item, graph, module)
    files = {os.path.basename(p): ax.file_bytes(p) for p in label_paths}
    try:
        ax.save_model(module, out_path, metadata, files)
    except ax.MetadataError as e:
        raise SystemExit(f"{metadata_path}: {e}") from e
    check = _example([3, *item], 3)
    with torch.no_grad():
        expected = [graph(check[i:i + 1]) for i in range(3)]
    per_output = list(zip(*expected)) if isinstance(expected[0], tuple) else [expected]
    if len(per_output) == 1:
        ax.check_saved(out_path, [("forward", (check,), torch.cat(per_output[0]))])
        return metadata
    with torch.no_grad():  # several outputs: each against the graph (check_saved compares one tensor)
        got = torch.jit.load(out_path, map_location="cpu").eval()(check)
    for name, ours, parts in zip(graph.output_names, got, per_output):
        err = ax.max_relative_error(ours, torch.cat(parts))
        if err > 1e-4:
            raise SystemExit(f"{out_path}: output {name} differs from the graph after saving (max relative error "
                             f"{err:.3g})")
    return metadata


def import_onnx(source: str, preset: str, labels_path: str, out_path: str, name: str,
                version: Optional[str] = None, description: Optional[str] = None) -> Dict[str, Any]:
    """Write out_path; returns the acg2vec.json written."""
    if preset not in PRESETS or preset == "custom":
        raise SystemExit(f"unknown preset '{preset}' (presets: {', '.join(p for p in PRESETS if p != 'custom')}; "
                         "custom: import_custom)")
    model = onnx.load(source)
    graph = OnnxGraph(model).eval()
    item = _item_shape(preset, source, graph, _input_dims(model, graph))
    if len(graph.output_names) > 1:
        if preset != "deepghs-classify" or "output" not in graph.output_names:
            raise SystemExit(f"{source}: the graph has {len(graph.output_names)} outputs "
                             f"({', '.join(graph.output_names)}); the {preset} preset reads one"
                             + (" (named 'output')" if preset == "deepghs-classify" else ""))
        graph = SelectOutput(graph, graph.output_names.index("output")).eval()
    module = trace_image_graph(graph, item)
    with torch.no_grad():
        outputs = int(module(_example([1, *item], 2)).shape[-1])
    if preset == "wd14-v2":
        labels = ax.file_bytes(labels_path)
        metadata = wd14_v2_metadata(item[0], outputs, labels, name, version, description)
        files = {"selected_tags.csv": labels}
    else:
        names = _deepghs_labels(labels_path)
        if len(names) != outputs:
            raise SystemExit(f"the graph has {outputs} outputs but {labels_path} lists {len(names)} labels")
        metadata = deepghs_classify_metadata(item[2], item[1], names, name, version, description)
        files = {}
    ax.save_model(module, out_path, metadata, files)
    check = _example([3, *item], 3)
    with torch.no_grad():
        expected = torch.cat([graph(check[i:i + 1]) for i in range(3)])
    ax.check_saved(out_path, [("forward", (check,), expected)])
    return metadata


def main(argv: Optional[Sequence[str]] = None) -> None:
    args, name = parse_import_args(argv, __doc__, "the .onnx file", PRESETS,
                                   "label files (wd14-v2: selected_tags.csv; deepghs-classify: meta.json; custom: "
                                   "any the metadata names)", several_labels=False, custom_preset=True)
    if args.preset == "custom":
        meta = import_custom(args.source, args.metadata, args.labels, args.out, args.name or "", args.version,
                             args.description, default_name=name)
    else:
        meta = import_onnx(args.source, args.preset, args.labels, args.out, name, args.version, args.description)
    p = meta["preprocess"]
    shapes = ", ".join(f"{o['name']} {o.get('shape')}" for o in meta["methods"]["image"]["outputs"])
    print(f"wrote {args.out}: {meta['name']}, task {meta['task']}, outputs {shapes}, "
          f"{p['resize_mode']} {p['width']}x{p['height']} {p.get('interpolation')} {p.get('layout')}")


if __name__ == "__main__":
    main()
