#!/usr/bin/python3
"""A Keras model, as an .h5 file (keras.Model.save) or a TF.js layers model (model.json and its
weight shards) -> an acg2vec model file, with a preset for what the model file does not say:
its preprocessing and its labels.

    /usr/bin/python3 tools/import/import_keras.py model-resnet_custom_v3.h5 --preset deepdanbooru \\
        --labels tags.txt --labels tags-character.txt --out deepdanbooru-v3.pt
    /usr/bin/python3 tools/import/import_keras.py mobilenet_v2/model.json --preset nsfwjs \\
        --labels classes.txt --out nsfwjs-mobilenetv2.pt

Preset deepdanbooru (KichangKim/DeepDanbooru's taggers; facts and sources in preset-facts.md,
section 4): the input size comes from the model (512 x 512 for v3); the image is decoded to RGB
with alpha dropped (JPEG with libjpeg's fast inverse DCT, as TensorFlow decodes), fitted inside the input with TensorFlow's area resize (aspect ratio kept,
sizes as tf.image.resize(preserve_aspect_ratio=True) computes them), centred at exactly half the
slack and padded by edge replication as its transform_and_pad_image (skimage's warp, bilinear)
does, then scaled to 0..1. The labels are tags.txt (general tags, then characters, then the
rating:* tags) and tags-character.txt, which says where the characters start.

Preset nsfwjs (Infinite Red's nsfwjs classifiers, TF.js or .h5): what tools/nsfwjs/convert.py
writes for the default model: TensorFlow's align-corners bilinear stretch to the input size,
alpha dropped, RGB 0..1; a scorer head "rating" over the labels (one a line, or a JSON list:
Drawing, Hentai, Neutral, Porn, Sexy for nsfwjs 4) and the pooled backbone vector (the last
Flatten or global pooling layer) as an image embedding.

The Keras graph is rebuilt in torch by tools/nsfwjs's KerasGraph (NCHW inside), traced, saved
with its acg2vec.json and label file, then loaded back and checked against the graph.

Needs Debian's python3-torch and python3-numpy, and python3-h5py for .h5 files.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any, Dict, List, Optional, Sequence, Tuple

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "export"))
sys.path.insert(0, os.path.join(HERE, "..", "nsfwjs"))

import acg2vec_export as ax  # noqa: E402
from convert import ConvertError, KerasGraph  # noqa: E402  (tools/nsfwjs)
from import_args import parse_import_args  # noqa: E402
from convert import metadata as nsfwjs_metadata  # noqa: E402  (tools/nsfwjs)
from keras_h5 import KerasFileError, read_h5  # noqa: E402
from keras_tfjs import read_tfjs  # noqa: E402

PRESETS = ("deepdanbooru", "nsfwjs")


class Probabilities(torch.nn.Module):
    """The Keras graph's output alone (KerasGraph also returns a features vector)."""

    def __init__(self, graph: KerasGraph):
        super().__init__()
        self.graph = graph

    def forward(self, pixels: torch.Tensor) -> torch.Tensor:
        return self.graph.run(pixels)[0]


def _numbered_tag_lines(path: str) -> List[Tuple[int, str]]:
    """(line number, tag) of a DeepDanbooru tag file as acg2vec reads it: split at LF, one
    trailing CR dropped, empty lines skipped (a UTF-8 byte order mark is not part of a tag)."""
    with open(path, "rb") as f:
        return ax.label_lines(f.read().decode("utf-8-sig"))


def _tag_lines(path: str) -> List[str]:
    return [line for _, line in _numbered_tag_lines(path)]


def deepdanbooru_labels(paths: Sequence[str]) -> Tuple[bytes, int, int]:
    """(tags.txt bytes, general count, character count) from tags.txt and tags-character.txt.
    tags.txt lists the general tags, then the characters (in tags-character.txt's order), then
    the rating:* tags; anything else is refused with the line that breaks the pattern."""
    if len(paths) != 2:
        raise SystemExit("the deepdanbooru preset takes two label files: --labels tags.txt --labels "
                         f"tags-character.txt (got {len(paths)})")
    tags_path, characters_path = paths
    numbered_tags, numbered_characters = _numbered_tag_lines(tags_path), _numbered_tag_lines(characters_path)
    tags, characters = [t for _, t in numbered_tags], [t for _, t in numbered_characters]
    ratings = 0
    while ratings < len(tags) and tags[len(tags) - 1 - ratings].startswith("rating:"):
        ratings += 1
    body = tags[:len(tags) - ratings]
    for i, tag in enumerate(body):
        if tag.startswith("rating:"):
            raise SystemExit(f"{tags_path}: line {numbered_tags[i][0]}: rating tag '{tag}' before the end of the file "
                             "(DeepDanbooru lists rating:* tags last)")
    general = len(body) - len(characters)
    if general < 0:
        raise SystemExit(f"{characters_path} lists {len(characters)} characters, more than the {len(body)} "
                         f"general and character tags of {tags_path}")
    for i, (listed, expected) in enumerate(zip(body[general:], characters)):
        if listed != expected:
            raise SystemExit(f"{tags_path}: line {numbered_tags[general + i][0]} is '{listed}' but {characters_path} "
                             f"line {numbered_characters[i][0]} "
                             f"is '{expected}': tags.txt must end with the characters of tags-character.txt, "
                             "in its order, before the rating tags")
    return ax.file_bytes(tags_path), general, len(characters)


def deepdanbooru_metadata(width: int, height: int, labels: int, general: int, characters: int, name: str,
                          version: Optional[str], description: Optional[str]) -> Dict[str, Any]:
    preprocess = ax.preprocess_spec(width, height, resize_mode="longer_side_pad", interpolation="tf_area",
                                    pad_mode="edge", pad_placement="exact", jpeg_idct="fast", alpha="ignore",
                                    channel_order="rgb", layout="nchw", value_max=1.0, mean=(0.0, 0.0, 0.0),
                                    std=(1.0, 1.0, 1.0))
    metadata: Dict[str, Any] = {"schema_version": ax.SCHEMA_VERSION, "name": name, "task": "tagger"}
    if version:
        metadata["version"] = version
    metadata["description"] = description or (
        f"DeepDanbooru tagger {name} (imported from Keras): {general} general, {characters} character and "
        f"{labels - general - characters} rating tags")
    metadata["preprocess"] = preprocess
    metadata["methods"] = {
        "image": ax.method_spec("forward", [ax.tensor_spec("pixels", [3, height, width])],
                                [ax.tensor_spec("probabilities", [labels])]),
    }
    metadata["labels"] = "tags.txt"
    metadata["tagger"] = {"output": "probabilities", "activation": "none", "label_format": "deepdanbooru",
                          "general_count": general, "character_count": characters}
    return metadata


def read_keras(source: str):
    """(topology, weights) of an .h5 file or a TF.js model.json."""
    return read_tfjs(source) if source.lower().endswith(".json") else read_h5(source)


def _functional_config(source: str, topology: Dict[str, Any]) -> Dict[str, Any]:
    model = topology.get("model_config") if isinstance(topology, dict) else None
    if not isinstance(model, dict) or model.get("class_name") not in ("Model", "Functional"):
        kind = model.get("class_name") if isinstance(model, dict) else type(model).__name__
        raise SystemExit(f"{source}: a {kind} model: only functional Keras models (Model / Functional) convert; "
                         "save a Sequential model's functional equivalent")
    return model["config"]


def _vector_layer(topology: Dict[str, Any]) -> str:
    """The layer KerasGraph returns beside the output: the last Flatten or global pooling (the
    pooled backbone vector of nsfwjs's models), else the output layer's input (DeepDanbooru:
    the pooled logits), else the output itself."""
    config = topology["model_config"]["config"]
    pooled = [layer["name"] for layer in config["layers"]
              if layer["class_name"] in ("Flatten", "GlobalAveragePooling2D", "GlobalMaxPooling2D")]
    output = config["output_layers"][0][0]
    inbound = [layer["inbound_nodes"][0][0][0] for layer in config["layers"]
               if layer["name"] == output and layer.get("inbound_nodes")]
    return pooled[-1] if pooled else inbound[0] if inbound else output


def _build_graph(source: str, topology: Dict[str, Any], weights: Any) -> KerasGraph:
    """The Keras graph in torch (KerasGraph: NCHW inside)."""
    _functional_config(source, topology)
    torch.manual_seed(0)
    try:
        try:
            return KerasGraph(topology, weights, _vector_layer(topology)).eval()
        except ConvertError as e:
            if "is not a vector" not in str(e):
                raise
            weights.used.clear()
            return KerasGraph(topology, weights, topology["model_config"]["config"]["output_layers"][0][0]).eval()
    except (ConvertError, KeyError) as e:
        raise SystemExit(f"{source}: {e}") from e


def _class_labels(paths: Sequence[str]) -> List[str]:
    """One label file: a JSON list of names, or one name a line."""
    if len(paths) != 1:
        raise SystemExit(f"the nsfwjs preset takes one label file (got {len(paths)})")
    with open(paths[0], "rb") as f:
        text = f.read().decode("utf-8")
    if text.lstrip().startswith("["):
        try:
            names = json.loads(text)
        except ValueError as e:
            raise SystemExit(f"{paths[0]}: not a JSON list of labels ({e})") from e
    else:
        names = _tag_lines(paths[0])
    if not isinstance(names, list) or not names or not all(isinstance(n, str) and n for n in names):
        raise SystemExit(f"{paths[0]}: expected a non-empty list of label names")
    return names


def _trace_and_save(module: torch.nn.Module, height: int, width: int, out_path: str, metadata: Dict[str, Any],
                    files: Dict[str, bytes]) -> None:
    """Trace at batch 2, save, load back and compare every output at batch 3."""
    example = torch.rand(2, 3, height, width, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        traced = torch.jit.trace(module, example, strict=False, check_trace=False)
    ax.save_model(traced, out_path, metadata, files)
    check = torch.rand(3, 3, height, width, generator=torch.Generator().manual_seed(2))
    with torch.no_grad():
        expected = module(check)
    if isinstance(expected, torch.Tensor):
        ax.check_saved(out_path, [("forward", (check,), expected)])
        return
    with torch.no_grad():  # several named outputs (check_saved compares one tensor)
        got = torch.jit.load(out_path, map_location="cpu").eval()(check)
    for key, value in expected.items():
        err = ax.max_relative_error(got[key], value)
        if err > 1e-4:
            raise SystemExit(f"{out_path}: output {key} differs from the Keras graph after saving (max relative "
                             f"error {err:.3g})")


def import_keras(source: str, preset: str, label_paths: Sequence[str], out_path: str, name: str,
                 version: Optional[str] = None, description: Optional[str] = None) -> Dict[str, Any]:
    """Write out_path; returns the acg2vec.json written."""
    if preset not in PRESETS:
        raise SystemExit(f"unknown preset '{preset}' (presets: {', '.join(PRESETS)})")
    if preset == "deepdanbooru":
        labels, general, characters = deepdanbooru_labels(label_paths)
        count = len(_tag_lines(label_paths[0]))
    else:
        classes = _class_labels(label_paths)
        count = len(classes)
    graph = _build_graph(source, *read_keras(source))
    channels, height, width = graph.input_shape
    if channels != 3:
        raise SystemExit(f"{source}: the model takes {channels} channels; the {preset} preset feeds RGB")
    outputs = graph.shapes[graph.output_name]
    if outputs != (count,):
        raise SystemExit(f"{source}: the model has outputs of shape {list(outputs)} but {label_paths[0]} has "
                         f"{count} {'tags' if preset == 'deepdanbooru' else 'labels'}")
    if preset == "deepdanbooru":
        metadata = deepdanbooru_metadata(width, height, count, general, characters, name, version, description)
        _trace_and_save(Probabilities(graph).eval(), height, width, out_path, metadata, {"tags.txt": labels})
        return metadata
    if height != width:
        raise SystemExit(f"{source}: input {height}x{width}; the nsfwjs preset takes a square input")
    features = graph.shapes[graph.features_name][0]
    spec = {"name": name, "description": description or (
        f"nsfwjs-style classifier {name} (imported from Keras): probabilities for {', '.join(classes)}; "
        f"features = the {features}-d pooled backbone vector")}
    metadata = nsfwjs_metadata(spec, height, features, classes)
    metadata.pop("version")
    if version:
        metadata["version"] = version
    _trace_and_save(graph, height, width, out_path, metadata, {})
    return metadata


def main(argv: Optional[Sequence[str]] = None) -> None:
    args, name = parse_import_args(argv, __doc__, "the Keras .h5 file or TF.js model.json", PRESETS,
                                   "label files; deepdanbooru: tags.txt, then tags-character.txt; nsfwjs: the "
                                   "class names", several_labels=True)
    try:
        meta = import_keras(args.source, args.preset, args.labels, args.out, name, args.version, args.description)
    except KerasFileError as e:
        raise SystemExit(str(e)) from e
    p = meta["preprocess"]
    t = meta.get("tagger")
    split = f" ({t['general_count']} general, {t['character_count']} character)" if t else ""
    print(f"wrote {args.out}: {name}, {meta['methods']['image']['outputs'][0]['shape'][0]} labels{split}, "
          f"{p['resize_mode']} {p['width']}x{p['height']} {p['interpolation']} {p['channel_order']} {p['layout']}")


if __name__ == "__main__":
    main()
