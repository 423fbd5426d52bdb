"""TF.js layers models (model.json + binary weight shards, as tensorflowjs_converter writes a
Keras model) read into what tools/nsfwjs's KerasGraph builds from: the Keras topology and the
weights by "<layer>/<weight>".

The layout (tfjs-core's io types and decodeWeights): model.json has "format": "layers-model",
"modelTopology" (the Keras model JSON, either {"model_config": {...}, ...} or the model config
itself) and "weightsManifest", a list of groups whose "paths" name shard files (relative to
model.json) and whose "weights" list {"name", "shape", "dtype", "quantization"?} in the order
their bytes follow one another across the group's concatenated shards. Quantised weights are
stored as uint8 or uint16 with value = q * scale + min (affine), or as float16.

Needs only numpy.
"""

from __future__ import annotations

import json
import os
from typing import Any, Dict, List, Tuple

import numpy as np

from keras_h5 import H5Weights, KerasFileError


def _dequantised(spec: Dict[str, Any], data: bytes, offset: int, where: str) -> Tuple[np.ndarray, int]:
    """(float32 array, bytes consumed) of one manifest entry at `offset`."""
    shape = [int(d) for d in spec["shape"]]
    count = int(np.prod(shape)) if shape else 1
    if spec.get("dtype", "float32") != "float32":
        raise KerasFileError(f"{where}: weight {spec['name']} has dtype {spec.get('dtype')}; only float32 weights "
                             "build a Keras graph")
    q = spec.get("quantization") or None
    kind = q.get("dtype") if isinstance(q, dict) else None
    stored = {None: "<f4", "uint8": "u1", "uint16": "<u2", "float16": "<f2"}.get(kind, "?")
    if stored == "?" or (q is not None and not isinstance(q, dict)):
        raise KerasFileError(f"{where}: weight {spec['name']}: quantization {q!r} is not supported")
    size = np.dtype(stored).itemsize * count
    if offset + size > len(data):
        raise KerasFileError(f"{where}: the shards end inside weight {spec['name']} (need {offset + size} bytes, "
                             f"have {len(data)})")
    raw = np.frombuffer(data, dtype=stored, count=count, offset=offset)
    if q is None or q["dtype"] == "float16":
        values = raw.astype(np.float32)
    else:  # TF.js computes q * scale + min in double precision, then stores float32
        values = (raw.astype(np.float64) * float(q["scale"]) + float(q["min"])).astype(np.float32)
    return values.reshape(shape), size


def read_tfjs(path: str) -> Tuple[Dict[str, Any], H5Weights]:
    """(topology, weights) of a TF.js layers model: `path` is its model.json."""
    try:
        with open(path, encoding="utf-8") as f:
            model = json.load(f)
    except (OSError, ValueError) as e:
        raise KerasFileError(f"{path}: not a TF.js model.json ({e})") from e
    if not isinstance(model, dict) or "modelTopology" not in model or "weightsManifest" not in model:
        raise KerasFileError(f"{path}: no modelTopology and weightsManifest: not a TF.js layers model")
    if model.get("format", "layers-model") != "layers-model":
        raise KerasFileError(f"{path}: format '{model.get('format')}': only layers models (Keras) convert; a TF.js "
                             "graph model (a converted SavedModel) does not")
    topology = model["modelTopology"]
    if not isinstance(topology, dict) or not isinstance(model["weightsManifest"], list):
        raise KerasFileError(f"{path}: modelTopology must be an object and weightsManifest a list")
    if "model_config" not in topology:  # the config itself, as newer converters write it
        topology = {"model_config": topology, "keras_version": "", "backend": ""}
    folder = os.path.dirname(os.path.abspath(path))
    arrays: Dict[str, np.ndarray] = {}
    for group in model["weightsManifest"]:
        shards: List[bytes] = []
        for shard in group["paths"]:
            shard_path = os.path.join(folder, shard)
            try:
                with open(shard_path, "rb") as f:
                    shards.append(f.read())
            except OSError as e:
                raise KerasFileError(f"{path}: weight shard {shard}: {e.strerror}") from e
        data = b"".join(shards)
        offset = 0
        for spec in group["weights"]:
            values, used = _dequantised(spec, data, offset, path)
            arrays[spec["name"].split(":")[0]] = values
            offset += used
        if offset != len(data):
            raise KerasFileError(f"{path}: the weights take {offset} bytes but the shards {', '.join(group['paths'])} "
                                 f"hold {len(data)}")
    return topology, H5Weights(arrays, path)
