#!/usr/bin/python3
"""Builds acg2vec TorchScript model files from the nsfwjs models that extract.mjs unpacked.

    /usr/bin/python3 convert.py --extracted DIR --out OUTDIR [--model mobilenet_v2] [--model inception_v3]

Reads DIR/<model>/{topology.json, weights.bin, weights.json, classes.json}, rebuilds the Keras
functional graph as a torch.nn.Module (NCHW inside; Keras is NHWC, so kernels are permuted and
channel axes remapped), loads the weights, traces it and writes OUTDIR/nsfwjs-<model>.pt with an
acg2vec.json (and the licence texts) as extra files.

forward(pixels: float32 [N, 3, H, W] in [0, 1]) -> {"probs": [N, 5], "features": [N, D]}
"features" is the pooled backbone vector, i.e. the output of the head's Flatten (the 7x7 / 8x8
average pool), before the dense layers.

Needs only torch and numpy (Debian: python3-torch python3-numpy).
"""
import argparse
import hashlib
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

NSFWJS_VERSION = "4.4.0"

MODELS = {
    "mobilenet_v2": {
        "name": "nsfwjs-mobilenetv2",
        "features_layer": "flatten_1",
        "description": "nsfwjs 4.4.0 MobileNetV2 (224x224) NSFW classifier by Infinite Red / GantMan's nsfw_model, "
                       "converted from its TF.js layers model: probabilities for Drawing, Hentai, Neutral, Porn, Sexy; "
                       "features = the 1280-d pooled backbone vector",
    },
    "inception_v3": {
        "name": "nsfwjs-inceptionv3",
        "features_layer": "flatten_1",
        "description": "nsfwjs 4.4.0 InceptionV3 (299x299) NSFW classifier by Infinite Red / GantMan's nsfw_model, "
                       "converted from its TF.js layers model: probabilities for Drawing, Hentai, Neutral, Porn, Sexy; "
                       "features = the 2048-d pooled backbone vector",
    },
}

NSFWJS_LICENSE = """nsfwjs (https://github.com/infinitered/nsfwjs), version 4.4.0, MIT License

Copyright (c) 2019 Infinite Red, Inc.

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.

The model weights were trained by nsfw_model (https://github.com/GantMan/nsfw_model,
Gant Laborde et al.) and ship, converted to TF.js, inside the nsfwjs npm package. nsfw_model
is licensed as follows:

MIT License

Copyright (c) 2020 The nsfw_model Developers

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.

This file is a conversion of those weights to TorchScript by acg2vec's tools/nsfwjs; the
numbers are the ones TF.js loads (its uint8 dequantisation, value = q * scale + min).
"""


class ConvertError(Exception):
    pass


# ----------------------------------------------------------------------------------------------
# Padding arithmetic (TensorFlow semantics)

def _pair(v, what):
    if isinstance(v, int):
        return (v, v)
    if isinstance(v, (list, tuple)) and len(v) == 2 and all(isinstance(x, int) for x in v):
        return (int(v[0]), int(v[1]))
    raise ConvertError(f"{what}: expected an int or a pair, got {v!r}")


def tf_out_and_pads(size, kernel, stride, dilation, padding):
    """Output size and (before, after) padding of one spatial dim, as TensorFlow computes them."""
    eff = (kernel - 1) * dilation + 1
    if padding == "valid":
        out = (size - eff) // stride + 1
        if out <= 0:
            raise ConvertError(f"'valid' window {eff} does not fit in {size}")
        return out, (0, 0)
    if padding == "same":
        out = -(-size // stride)  # ceil
        total = max((out - 1) * stride + eff - size, 0)
        return out, (total // 2, total - total // 2)  # TF puts the odd pixel after (bottom/right)
    raise ConvertError(f"unsupported padding {padding!r}")


# ----------------------------------------------------------------------------------------------
# Layer implementations (NCHW). Each takes and returns tensors; static shapes are known at build.

def activation_fn(name, where):
    table = {
        "linear": None,
        "relu": F.relu,
        "relu6": F.relu6,
        "sigmoid": torch.sigmoid,
        "tanh": torch.tanh,
        "softmax": lambda x: F.softmax(x, dim=1),  # Keras softmax is over the last (channel) axis
        "softplus": F.softplus,
        "elu": F.elu,
        "selu": F.selu,
        "swish": F.silu,
        "hard_sigmoid": lambda x: torch.clamp(0.2 * x + 0.5, 0.0, 1.0),  # Keras 2 definition
    }
    if name not in table:
        raise ConvertError(f"{where}: unsupported activation {name!r}")
    return table[name]


class Conv(nn.Module):
    def __init__(self, conv, pad, act):
        super().__init__()
        self.conv = conv
        self.pad = pad  # (left, right, top, bottom) for F.pad, or None when conv pads symmetrically
        self.act = act

    def forward(self, x):
        if self.pad is not None:
            x = F.pad(x, self.pad)
        x = self.conv(x)
        return x if self.act is None else self.act(x)


class Dense(nn.Module):
    def __init__(self, linear, act):
        super().__init__()
        self.linear = linear
        self.act = act

    def forward(self, x):
        x = self.linear(x)
        return x if self.act is None else self.act(x)


class Lambda(nn.Module):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, *xs):
        return self.fn(*xs)


class Identity(nn.Module):
    def forward(self, x):
        return x


class KerasReLU(nn.Module):
    def __init__(self, max_value, negative_slope, threshold):
        super().__init__()
        self.max_value = max_value
        self.negative_slope = negative_slope
        self.threshold = threshold

    def forward(self, x):
        if self.negative_slope == 0.0 and self.threshold == 0.0:
            return F.relu(x) if self.max_value is None else torch.clamp(x, 0.0, self.max_value)
        y = torch.where(x >= self.threshold, x, self.negative_slope * (x - self.threshold))
        if self.max_value is not None:
            y = torch.clamp(y, max=self.max_value)
        return y


class Pool(nn.Module):
    """Max/average pooling with TensorFlow padding. TF's 'same' average pooling divides by the
    number of real (unpadded) pixels in each window, and its max pooling ignores the padding."""

    def __init__(self, kind, kernel, stride, pads):
        super().__init__()
        self.kind = kind
        self.kernel = kernel
        self.stride = stride
        (top, bottom), (left, right) = pads
        self.symmetric = top == bottom and left == right and 2 * top <= kernel[0] and 2 * left <= kernel[1]
        self.sym_pad = (top, left)
        self.fpad = (left, right, top, bottom)
        self.any_pad = any(self.fpad)

    def forward(self, x):
        if self.kind == "max":
            if self.symmetric:
                return F.max_pool2d(x, self.kernel, self.stride, self.sym_pad)
            return F.max_pool2d(F.pad(x, self.fpad, value=-math.inf), self.kernel, self.stride)
        if not self.any_pad:
            return F.avg_pool2d(x, self.kernel, self.stride)
        if self.symmetric:
            return F.avg_pool2d(x, self.kernel, self.stride, self.sym_pad, count_include_pad=False)
        ones = torch.ones_like(x[:1, :1])
        sums = F.avg_pool2d(F.pad(x, self.fpad), self.kernel, self.stride)
        counts = F.avg_pool2d(F.pad(ones, self.fpad), self.kernel, self.stride)
        return sums / counts


def keras_axis_to_nchw(axis, rank, where):
    """Keras (channels_last) axis -> our (channels_first) axis, batch included in rank."""
    a = axis if axis >= 0 else axis + rank
    if rank == 2 and a == 1:
        return 1
    if rank == 4:
        return {1: 2, 2: 3, 3: 1}.get(a) or _bad_axis(axis, rank, where)
    return _bad_axis(axis, rank, where)


def _bad_axis(axis, rank, where):
    raise ConvertError(f"{where}: unsupported axis {axis} for a rank-{rank} tensor")


# ----------------------------------------------------------------------------------------------
# The graph

class Weights:
    def __init__(self, directory):
        meta = json.load(open(os.path.join(directory, "weights.json")))
        blob = open(os.path.join(directory, "weights.bin"), "rb").read()
        if hashlib.sha256(blob).hexdigest() != meta["weights_bin_sha256"]:
            raise ConvertError(f"{directory}/weights.bin: sha256 does not match weights.json")
        self.source = meta["source"]
        self.arrays = {}
        for w in meta["weights"]:
            if w["dtype"] != "float32":
                raise ConvertError(f"{w['name']}: dtype {w['dtype']}")
            a = np.frombuffer(blob, dtype="<f4", count=w["length"] // 4, offset=w["offset"])
            self.arrays[w["name"]] = a.reshape(w["shape"]).copy()
        self.used = set()

    def take(self, layer, name, shape=None):
        key = f"{layer}/{name}"
        if key not in self.arrays:
            raise ConvertError(f"weight {key} is missing")
        a = self.arrays[key]
        if shape is not None and list(a.shape) != list(shape):
            raise ConvertError(f"weight {key}: shape {list(a.shape)}, expected {list(shape)}")
        self.used.add(key)
        return torch.from_numpy(a)

    def unused(self):
        return sorted(set(self.arrays) - self.used)


class KerasGraph(nn.Module):
    """Runs a Keras 2 functional model config (channels_last) as NCHW torch ops."""

    def __init__(self, topology, weights, features_layer):
        super().__init__()
        cfg = topology["model_config"]
        if cfg["class_name"] not in ("Model", "Functional"):
            raise ConvertError(f"model_config.class_name {cfg['class_name']!r}: only functional models are supported")
        config = cfg["config"]
        self.layers_ = nn.ModuleDict()
        self.plan = []  # (module key, [input names], output name)
        self.shapes = {}  # tensor name -> shape without batch, NCHW order
        if len(config["input_layers"]) != 1 or len(config["output_layers"]) != 1:
            raise ConvertError("exactly one input and one output are supported")
        self.input_name = config["input_layers"][0][0]
        self.output_name = config["output_layers"][0][0]
        self.features_name = features_layer
        for layer in config["layers"]:
            self._add(layer, weights)
        if self.features_name not in self.shapes:
            raise ConvertError(f"features layer {self.features_name!r} is not in the graph")
        if len(self.shapes[self.features_name]) != 1:
            raise ConvertError(f"features layer {self.features_name!r} is not a vector: {self.shapes[self.features_name]}")
        unused = weights.unused()
        if unused:
            raise ConvertError(f"weights not used by any layer: {unused[:10]}")

    @property
    def input_shape(self):
        return self.shapes[self.input_name]

    def _add(self, layer, W):
        cls, name, c = layer["class_name"], layer["name"], layer["config"]
        where = f"layer {name} ({cls})"
        if cls == "InputLayer":
            shape = c["batch_input_shape"]
            if len(shape) != 4 or None in shape[1:]:
                raise ConvertError(f"{where}: needs a fixed NHWC input shape, got {shape}")
            if c.get("dtype", "float32") != "float32":
                raise ConvertError(f"{where}: dtype {c['dtype']}")
            self.shapes[name] = (shape[3], shape[1], shape[2])
            return
        nodes = layer["inbound_nodes"]
        if len(nodes) != 1:
            raise ConvertError(f"{where}: {len(nodes)} inbound nodes; shared layers are not supported")
        inputs = []
        for src in nodes[0]:
            if src[1] != 0 or src[2] != 0:
                raise ConvertError(f"{where}: input {src} is not node 0 / tensor 0")
            if len(src) > 3 and src[3]:
                raise ConvertError(f"{where}: call kwargs {src[3]} are not supported")
            if src[0] not in self.shapes:
                raise ConvertError(f"{where}: input {src[0]} is not defined before it")
            inputs.append(src[0])
        if c.get("data_format", "channels_last") != "channels_last":
            raise ConvertError(f"{where}: data_format {c['data_format']}")
        shapes = [self.shapes[i] for i in inputs]
        module, out_shape = self._build(cls, name, c, shapes, W, where)
        key = f"l{len(self.plan):03d}_" + "".join(ch if ch.isalnum() or ch == "_" else "_" for ch in name)
        self.layers_[key] = module
        self.plan.append((key, inputs, name))
        self.shapes[name] = out_shape

    def _build(self, cls, name, c, shapes, W, where):
        def one():
            if len(shapes) != 1:
                raise ConvertError(f"{where}: expects one input, has {len(shapes)}")
            return shapes[0]

        if cls in ("Conv2D", "DepthwiseConv2D"):
            C, H, Wd = one()
            kh, kw = _pair(c["kernel_size"], where + " kernel_size")
            sh, sw = _pair(c["strides"], where + " strides")
            dh, dw = _pair(c.get("dilation_rate", 1), where + " dilation_rate")
            if (dh, dw) != (1, 1) and (sh, sw) != (1, 1):
                raise ConvertError(f"{where}: dilation with stride")
            oh, (pt, pb) = tf_out_and_pads(H, kh, sh, dh, c["padding"])
            ow, (pl, pr) = tf_out_and_pads(Wd, kw, sw, dw, c["padding"])
            if cls == "Conv2D":
                out_c = c["filters"]
                k = W.take(name, "kernel", [kh, kw, C, out_c]).permute(3, 2, 0, 1)  # HWIO -> OIHW
                groups = 1
            else:
                mult = c.get("depth_multiplier", 1)
                out_c = C * mult
                # HW(in)(mult) -> (in*mult) 1 H W; output channel c*mult+m as in TF
                k = W.take(name, "depthwise_kernel", [kh, kw, C, mult]).permute(2, 3, 0, 1).reshape(out_c, 1, kh, kw)
                groups = C
            symmetric = pt == pb and pl == pr
            conv = nn.Conv2d(C, out_c, (kh, kw), (sh, sw), padding=(pt, pl) if symmetric else 0,
                             dilation=(dh, dw), groups=groups, bias=bool(c.get("use_bias", True)))
            with torch.no_grad():
                conv.weight.copy_(k.contiguous())
                if conv.bias is not None:
                    conv.bias.copy_(W.take(name, "bias", [out_c]))
            pad = None if symmetric else (pl, pr, pt, pb)
            return Conv(conv, pad, activation_fn(c.get("activation", "linear"), where)), (out_c, oh, ow)

        if cls == "BatchNormalization":
            shape = one()
            axis = c["axis"]
            if isinstance(axis, list):
                if len(axis) != 1:
                    raise ConvertError(f"{where}: axis {axis}")
                axis = axis[0]
            if keras_axis_to_nchw(axis, len(shape) + 1, where) != 1:
                raise ConvertError(f"{where}: only channel-axis batch normalisation is supported")
            C = shape[0]
            bn = (nn.BatchNorm2d if len(shape) == 3 else nn.BatchNorm1d)(C, eps=float(c["epsilon"]),
                                                                          affine=True, track_running_stats=True)
            with torch.no_grad():
                bn.weight.copy_(W.take(name, "gamma", [C]) if c.get("scale", True) else torch.ones(C))
                bn.bias.copy_(W.take(name, "beta", [C]) if c.get("center", True) else torch.zeros(C))
                bn.running_mean.copy_(W.take(name, "moving_mean", [C]))
                bn.running_var.copy_(W.take(name, "moving_variance", [C]))
            bn.eval()
            return bn, shape

        if cls == "ReLU":
            shape = one()
            mv = c.get("max_value")
            return KerasReLU(None if mv is None else float(mv), float(c.get("negative_slope", 0.0) or 0.0),
                             float(c.get("threshold", 0.0) or 0.0)), shape

        if cls == "Activation":
            shape = one()
            fn = activation_fn(c["activation"], where)
            return (Identity() if fn is None else Lambda(fn)), shape

        if cls == "Softmax":
            shape = one()
            dim = keras_axis_to_nchw(c.get("axis", -1), len(shape) + 1, where)
            return Lambda(lambda x, d=dim: F.softmax(x, dim=d)), shape

        if cls in ("Dropout", "SpatialDropout2D", "GaussianNoise", "GaussianDropout", "AlphaDropout"):
            return Identity(), one()

        if cls == "ZeroPadding2D":
            C, H, Wd = one()
            p = c["padding"]
            if isinstance(p, int):
                (pt, pb), (pl, pr) = (p, p), (p, p)
            elif isinstance(p[0], int):
                (pt, pb), (pl, pr) = (p[0], p[0]), (p[1], p[1])
            else:
                (pt, pb), (pl, pr) = p
            pads = (pl, pr, pt, pb)
            return Lambda(lambda x, q=pads: F.pad(x, q)), (C, H + pt + pb, Wd + pl + pr)

        if cls in ("MaxPooling2D", "AveragePooling2D"):
            C, H, Wd = one()
            kh, kw = _pair(c["pool_size"], where + " pool_size")
            strides = c.get("strides") or [kh, kw]
            sh, sw = _pair(strides, where + " strides")
            oh, ph = tf_out_and_pads(H, kh, sh, 1, c["padding"])
            ow, pw = tf_out_and_pads(Wd, kw, sw, 1, c["padding"])
            kind = "max" if cls == "MaxPooling2D" else "avg"
            return Pool(kind, (kh, kw), (sh, sw), (ph, pw)), (C, oh, ow)

        if cls == "GlobalAveragePooling2D":
            C, _, _ = one()
            return Lambda(lambda x: x.mean(dim=(2, 3))), (C,)

        if cls == "GlobalMaxPooling2D":
            C, _, _ = one()
            return Lambda(lambda x: x.amax(dim=(2, 3))), (C,)

        if cls == "Flatten":
            shape = one()
            if len(shape) == 1:
                return Identity(), shape
            # Keras flattens in H, W, C order
            return Lambda(lambda x: x.permute(0, 2, 3, 1).flatten(1)), (shape[0] * shape[1] * shape[2],)

        if cls == "Dense":
            shape = one()
            if len(shape) != 1:
                raise ConvertError(f"{where}: Dense on a rank-{len(shape) + 1} tensor is not supported")
            units = c["units"]
            lin = nn.Linear(shape[0], units, bias=bool(c.get("use_bias", True)))
            with torch.no_grad():
                lin.weight.copy_(W.take(name, "kernel", [shape[0], units]).t())
                if lin.bias is not None:
                    lin.bias.copy_(W.take(name, "bias", [units]))
            return Dense(lin, activation_fn(c.get("activation", "linear"), where)), (units,)

        if cls in ("Add", "Multiply", "Average", "Maximum", "Minimum", "Subtract"):
            if len(shapes) < 2 or any(s != shapes[0] for s in shapes):
                raise ConvertError(f"{where}: inputs {shapes} (broadcasting is not supported)")
            if cls == "Subtract" and len(shapes) != 2:
                raise ConvertError(f"{where}: Subtract takes two inputs")
            fns = {
                "Add": lambda *xs: _fold(xs, torch.add),
                "Multiply": lambda *xs: _fold(xs, torch.mul),
                "Maximum": lambda *xs: _fold(xs, torch.maximum),
                "Minimum": lambda *xs: _fold(xs, torch.minimum),
                "Average": lambda *xs: _fold(xs, torch.add) / len(xs),
                "Subtract": lambda a, b: a - b,
            }
            return Lambda(fns[cls]), shapes[0]

        if cls == "Concatenate":
            rank = len(shapes[0]) + 1
            dim = keras_axis_to_nchw(c.get("axis", -1), rank, where)
            out = list(shapes[0])
            for s in shapes[1:]:
                if len(s) != len(out) or any(a != b for i, (a, b) in enumerate(zip(s, out)) if i != dim - 1):
                    raise ConvertError(f"{where}: inputs {shapes} do not line up on axis {c.get('axis')}")
                out[dim - 1] += s[dim - 1]
            return Lambda(lambda *xs, d=dim: torch.cat(xs, dim=d)), tuple(out)

        raise ConvertError(f"{where}: unsupported layer type")

    def run(self, pixels):
        values = {self.input_name: pixels}
        for key, inputs, out in self.plan:
            values[out] = self.layers_[key](*[values[i] for i in inputs])
        return values[self.output_name], values[self.features_name]

    def forward(self, pixels):
        probs, features = self.run(pixels)
        return {"probs": probs, "features": features}


def _fold(xs, op):
    y = xs[0]
    for x in xs[1:]:
        y = op(y, x)
    return y


# ----------------------------------------------------------------------------------------------

def metadata(spec, size, features_dim, classes):
    return {
        "schema_version": 1,
        "name": spec["name"],
        "version": NSFWJS_VERSION,
        "task": "scorer",
        "description": spec["description"],
        "preprocess": {
            "width": size, "height": size,
            "resize_mode": "stretch", "interpolation": "tf_bilinear_align_corners",
            "alpha": "ignore", "channel_order": "rgb", "layout": "nchw",
            "value_max": 255, "mean": [0, 0, 0], "std": [255, 255, 255],
        },
        "methods": {
            "image": {
                "name": "forward",
                "inputs": [{"name": "pixels", "dtype": "float32", "shape": [3, size, size]}],
                "outputs": [{"name": "probs", "shape": [len(classes)]}, {"name": "features", "shape": [features_dim]}],
            }
        },
        "scorer": {"heads": [{"name": "rating", "output": "probs", "activation": "none", "labels": classes}]},
        "embedder": {"image_output": "features"},
    }


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def convert(model, extracted, out_dir, check=True):
    spec = MODELS[model]
    src = os.path.join(extracted, model)
    topology = json.load(open(os.path.join(src, "topology.json")))
    classes = json.load(open(os.path.join(src, "classes.json")))
    weights = Weights(src)
    if weights.source.get("version") != NSFWJS_VERSION:
        raise ConvertError(f"{src}: extracted from nsfwjs {weights.source.get('version')}, expected {NSFWJS_VERSION}")
    torch.manual_seed(0)
    graph = KerasGraph(topology, weights, spec["features_layer"]).eval()
    C, H, Wd = graph.input_shape
    if C != 3 or H != Wd:
        raise ConvertError(f"{model}: input shape {graph.input_shape}, expected 3 x S x S")
    out_classes = graph.shapes[graph.output_name]
    if out_classes != (len(classes),):
        raise ConvertError(f"{model}: output {out_classes} does not match {len(classes)} classes")
    features_dim = graph.shapes[graph.features_name][0]
    meta = metadata(spec, H, features_dim, classes)

    gen = torch.Generator().manual_seed(1234)
    example = torch.rand(2, 3, H, Wd, generator=gen)
    with torch.no_grad():
        traced = torch.jit.trace(graph, example, strict=False, check_trace=False)
    traced.eval()

    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, spec["name"] + ".pt")
    # torch.jit.save names the archive's top folder after the file: write the final name in a
    # scratch folder, then move it, so the bytes do not depend on the scratch name.
    tmp_dir = os.path.join(out_dir, f".tmp-{spec['name']}-{os.getpid()}")
    os.makedirs(tmp_dir, exist_ok=True)
    tmp = os.path.join(tmp_dir, spec["name"] + ".pt")
    extra = {
        "acg2vec.json": json.dumps(meta, indent=1, ensure_ascii=False),
        "LICENSE.txt": NSFWJS_LICENSE,
    }
    torch.jit.save(traced, tmp, _extra_files=extra)

    if check:
        # The saved file, loaded back, must equal the eager graph for batch sizes other than the traced one.
        files = {"acg2vec.json": ""}
        loaded = torch.jit.load(tmp, _extra_files=files)
        if json.loads(files["acg2vec.json"]) != meta:
            raise ConvertError("acg2vec.json did not round-trip")
        with torch.no_grad():
            for n in (1, 3):
                x = torch.rand(n, 3, H, Wd, generator=gen)
                ref_p, ref_f = graph.run(x)
                got = loaded(x)
                if set(got) != {"probs", "features"}:
                    raise ConvertError(f"outputs {set(got)}")
                dp = (got["probs"] - ref_p).abs().max().item()
                df = (got["features"] - ref_f).abs().max().item()
                if got["probs"].shape != (n, len(classes)) or got["features"].shape != (n, features_dim) or dp > 1e-6 or df > 1e-5:
                    raise ConvertError(f"traced module differs from the graph at batch {n}: {dp} {df}")
                s = got["probs"].sum(dim=1)
                if (s - 1).abs().max().item() > 1e-5:
                    raise ConvertError("probabilities do not sum to 1")
    os.replace(tmp, path)
    os.rmdir(tmp_dir)
    return path, meta


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--extracted", required=True, help="the --out directory of extract.mjs")
    ap.add_argument("--out", required=True, help="where to write nsfwjs-*.pt")
    ap.add_argument("--model", action="append", choices=sorted(MODELS), help="default: all")
    ap.add_argument("--no-check", action="store_true", help="skip the reload-and-compare check")
    args = ap.parse_args(argv)
    for model in args.model or list(MODELS):
        t0 = time.time()
        path, meta = convert(model, args.extracted, args.out, check=not args.no_check)
        print(f"{model}: {path} ({os.path.getsize(path)} bytes, sha256 {sha256_file(path)}) "
              f"input {meta['preprocess']['width']}x{meta['preprocess']['height']}, "
              f"features {meta['methods']['image']['outputs'][1]['shape'][0]}, {time.time() - t0:.1f}s")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except ConvertError as e:
        print(f"convert.py: error: {e}", file=sys.stderr)
        sys.exit(1)
