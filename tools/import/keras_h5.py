"""Keras HDF5 model files (.h5, as keras.Model.save writes them) read into what the Keras graph
builder of tools/nsfwjs/convert.py (KerasGraph) takes from a TF.js layers model: the topology
({"model_config": ..., "keras_version", "backend"}) and the weights by "<layer>/<weight>".

Keras's HDF5 layout: the root attribute `model_config` holds the model's JSON config
({"class_name": "Functional" | "Model", "config": {...}}); the group `model_weights` lists its
layers in the attribute `layer_names`, and each layer's group lists its weights in
`weight_names` ("conv1/kernel:0", ...), each a dataset at that path inside the layer's group.

Needs h5py (Debian: python3-h5py) and numpy.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any, Dict, List, Tuple

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "nsfwjs"))
from convert import Weights  # noqa: E402  (tools/nsfwjs: the Keras graph builder this feeds)


class KerasFileError(ValueError):
    """The file is not a Keras HDF5 model this reader understands; the message says why."""


def _text(value: Any) -> str:
    return value.decode("utf-8") if isinstance(value, (bytes, np.bytes_)) else str(value)


class H5Weights(Weights):
    """tools/nsfwjs/convert.Weights (take(layer, name, shape), unused()) over arrays read from
    an .h5 file instead of a TF.js weights.bin."""

    def __init__(self, arrays: Dict[str, np.ndarray], source: str):  # noqa: super() reads a TF.js folder
        self.arrays = arrays
        self.source = {"file": source}
        self.used: set = set()


def _names(group: Any, name: str) -> List[str]:
    """A list attribute; Keras splits one too large for an HDF5 object header (64 KB) into
    name0, name1, ... (keras' save_attributes_to_hdf5_group)."""
    if name in group.attrs:
        return [_text(n) for n in group.attrs[name]]
    names: List[str] = []
    chunk = 0
    while f"{name}{chunk}" in group.attrs:
        names += [_text(n) for n in group.attrs[f"{name}{chunk}"]]
        chunk += 1
    return names


def read_h5(path: str) -> Tuple[Dict[str, Any], H5Weights]:
    """(topology, weights) of a Keras .h5 model file."""
    import h5py  # noqa: PLC0415 - only this format needs it

    try:
        f = h5py.File(path, "r")
    except OSError as e:
        raise KerasFileError(f"{path}: not an HDF5 file ({e})") from e
    with f:
        if "model_config" not in f.attrs:
            raise KerasFileError(f"{path}: no model_config attribute: a weights-only file (save_weights) has no "
                                 "architecture; save the whole model (model.save('x.h5'))")
        topology = {"model_config": json.loads(_text(f.attrs["model_config"])),
                    "keras_version": _text(f.attrs.get("keras_version", "")),
                    "backend": _text(f.attrs.get("backend", ""))}
        weights_group = f["model_weights"] if "model_weights" in f else f
        arrays: Dict[str, np.ndarray] = {}
        for layer in _names(weights_group, "layer_names"):
            group = weights_group[layer]
            for weight in _names(group, "weight_names"):
                # "conv1/kernel:0" -> "conv1/kernel": keyed by the layer that owns it
                name = weight.split("/")[-1].split(":")[0]
                data = np.asarray(group[weight][()])
                if data.dtype != np.float32:
                    if not np.issubdtype(data.dtype, np.floating):
                        raise KerasFileError(f"{path}: weight {layer}/{weight} has dtype {data.dtype}")
                    data = data.astype(np.float32)
                arrays[f"{layer}/{name}"] = data
    return topology, H5Weights(arrays, path)


def write_h5(path: str, topology: Dict[str, Any], weights: Dict[str, np.ndarray]) -> None:
    """A Keras HDF5 model file from a topology and "<layer>/<weight>" arrays, in the layout
    keras.Model.save writes (for tests: no TensorFlow here to write one)."""
    import h5py  # noqa: PLC0415

    by_layer: Dict[str, List[Tuple[str, np.ndarray]]] = {}
    for key, array in weights.items():
        layer, name = key.rsplit("/", 1)
        by_layer.setdefault(layer, []).append((f"{layer}/{name}:0", array))
    layers = [layer["name"] for layer in topology["model_config"]["config"]["layers"]]
    with h5py.File(path, "w") as f:
        f.attrs["keras_version"] = np.bytes_(topology.get("keras_version", "2.2.4"))
        f.attrs["backend"] = np.bytes_(topology.get("backend", "tensorflow"))
        # a variable-length string: the config of a large model exceeds an HDF5 object header
        f.attrs["model_config"] = json.dumps(topology["model_config"])
        group = f.create_group("model_weights")
        group.attrs["layer_names"] = np.array([np.bytes_(n) for n in layers])
        for layer in layers:
            g = group.create_group(layer)
            entries = by_layer.get(layer, [])
            g.attrs["weight_names"] = np.array([np.bytes_(n) for n, _ in entries], dtype="S")
            for name, array in entries:
                g.create_dataset(name, data=array)
