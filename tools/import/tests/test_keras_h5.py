#!/usr/bin/python3
"""Keras .h5 files read by tools/import/keras_h5.py build the same torch graph as the TF.js
layers model they were written from: the two nsfwjs models (the default model's source,
extracted by tools/nsfwjs), written out in Keras's HDF5 layout, go through tools/nsfwjs's
KerasGraph both ways; every output must agree within 1e-6.

Usage: test_keras_h5.py WORK_DIR NSFWJS_CACHE   (NSFWJS_CACHE: tools/nsfwjs/prepare.sh's cache)
"""
import os
import sys
import unittest

import h5py
import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, os.path.join(HERE, "..", "..", "nsfwjs"))

from convert import MODELS, KerasGraph, Weights  # noqa: E402  (tools/nsfwjs)
from keras_h5 import KerasFileError, read_h5, write_h5  # noqa: E402

WORK = sys.argv.pop(1) if len(sys.argv) > 2 else "/tmp/acg2vec-keras-test"
CACHE = sys.argv.pop(1) if len(sys.argv) > 1 else os.environ.get("ACG2VEC_NSFWJS_CACHE", "")


def _layer(cls, name, inbound, **config):
    return {"class_name": cls, "name": name, "config": {"name": name, **config},
            "inbound_nodes": [[[i, 0, 0, {}] for i in inbound]] if inbound else []}


def deepdanbooru_like(size=64, tags=50, seed=0):
    """DeepDanbooru's resnet_custom_v3 in small (keras functional config + random weights): a
    7x7 stride-2 stem without bias, BatchNormalization, ReLU, 3x3 stride-2 max pooling, one
    bottleneck block with a strided projection shortcut joined by Add, a 1x1 convolution to the
    tags, global average pooling, sigmoid. Every stride-2 'same' padding is TF's asymmetric one."""
    rng = np.random.default_rng(seed)
    conv = lambda name, inbound, filters, k, s=1: _layer(  # noqa: E731
        "Conv2D", name, inbound, filters=filters, kernel_size=[k, k], strides=[s, s], padding="same",
        dilation_rate=[1, 1], activation="linear", use_bias=False)
    bn = lambda name, inbound: _layer("BatchNormalization", name, inbound, axis=-1, epsilon=1.001e-5,  # noqa: E731
                                      center=True, scale=True)
    act = lambda name, inbound, fn: _layer("Activation", name, inbound, activation=fn)  # noqa: E731
    layers = [
        _layer("InputLayer", "input_1", [], batch_input_shape=[None, size, size, 3], dtype="float32"),
        conv("conv1", ["input_1"], 16, 7, 2), bn("bn1", ["conv1"]), act("relu1", ["bn1"], "relu"),
        _layer("MaxPooling2D", "pool1", ["relu1"], pool_size=[3, 3], strides=[2, 2], padding="same"),
        conv("b_conv1", ["pool1"], 8, 1, 2), bn("b_bn1", ["b_conv1"]), act("b_relu1", ["b_bn1"], "relu"),
        conv("b_conv2", ["b_relu1"], 8, 3), bn("b_bn2", ["b_conv2"]), act("b_relu2", ["b_bn2"], "relu"),
        conv("b_conv3", ["b_relu2"], 32, 1), bn("b_bn3", ["b_conv3"]),
        conv("s_conv", ["pool1"], 32, 1, 2), bn("s_bn", ["s_conv"]),
        _layer("Add", "add_1", ["b_bn3", "s_bn"]), act("relu_out", ["add_1"], "relu"),
        conv("head", ["relu_out"], tags, 1), _layer("GlobalAveragePooling2D", "gap", ["head"]),
        act("predictions", ["gap"], "sigmoid"),
    ]
    topology = {"keras_version": "2.4.0", "backend": "tensorflow",
                "model_config": {"class_name": "Functional", "config": {
                    "name": "resnet_custom_v3_small", "layers": layers,
                    "input_layers": [["input_1", 0, 0]], "output_layers": [["predictions", 0, 0]]}}}
    weights = {}
    channels = {"input_1": 3}
    for layer in layers:
        c, name = layer["config"], layer["name"]
        inbound = [n[0] for n in layer["inbound_nodes"][0]] if layer["inbound_nodes"] else []
        if layer["class_name"] == "Conv2D":
            cin = channels[inbound[0]]
            k = c["kernel_size"][0]
            weights[f"{name}/kernel"] = (rng.standard_normal((k, k, cin, c["filters"])) / np.sqrt(k * k * cin)
                                         ).astype(np.float32)
            channels[name] = c["filters"]
        elif layer["class_name"] == "BatchNormalization":
            n = channels[inbound[0]]
            weights[f"{name}/gamma"] = rng.uniform(0.5, 1.5, n).astype(np.float32)
            weights[f"{name}/beta"] = (rng.standard_normal(n) * 0.1).astype(np.float32)
            weights[f"{name}/moving_mean"] = (rng.standard_normal(n) * 0.1).astype(np.float32)
            weights[f"{name}/moving_variance"] = rng.uniform(0.5, 1.5, n).astype(np.float32)
            channels[name] = n
        elif inbound:
            channels[name] = channels[inbound[0]]
    return topology, weights


def _same_pads(size, k, s):
    """TensorFlow's 'same' padding: out = ceil(size / s), the odd pixel after."""
    total = max((-(-size // s) - 1) * s + k - size, 0)
    return total // 2, total - total // 2


def numpy_reference(topology, weights, x):
    """The Keras graph evaluated layer by layer in NHWC numpy, as TensorFlow defines each layer:
    independent of the torch graph builder under test."""
    from numpy.lib.stride_tricks import sliding_window_view
    values = {}
    for layer in topology["model_config"]["config"]["layers"]:
        cls, name, c = layer["class_name"], layer["name"], layer["config"]
        ins = [values[n[0]] for n in layer["inbound_nodes"][0]] if layer["inbound_nodes"] else []
        if cls == "InputLayer":
            out = x
        elif cls in ("Conv2D", "MaxPooling2D"):
            v = ins[0]
            k = c["kernel_size"][0] if cls == "Conv2D" else c["pool_size"][0]
            s = c["strides"][0]
            (t, b), (l, r) = _same_pads(v.shape[1], k, s), _same_pads(v.shape[2], k, s)
            fill = 0.0 if cls == "Conv2D" else -np.inf
            v = np.pad(v, ((0, 0), (t, b), (l, r), (0, 0)), constant_values=fill)
            windows = sliding_window_view(v, (k, k), axis=(1, 2))[:, ::s, ::s]  # N H W C kh kw
            if cls == "Conv2D":
                out = np.einsum("nhwcij,ijco->nhwo", windows, weights[f"{name}/kernel"].astype(np.float64))
            else:
                out = windows.max(axis=(4, 5))
        elif cls == "BatchNormalization":
            g, be = weights[f"{name}/gamma"], weights[f"{name}/beta"]
            m, var = weights[f"{name}/moving_mean"], weights[f"{name}/moving_variance"]
            out = (ins[0] - m) / np.sqrt(var + c["epsilon"]) * g + be
        elif cls == "Activation":
            out = np.maximum(ins[0], 0) if c["activation"] == "relu" else 1 / (1 + np.exp(-ins[0]))
        elif cls == "Add":
            out = ins[0] + ins[1]
        elif cls == "GlobalAveragePooling2D":
            out = ins[0].mean(axis=(1, 2))
        else:
            raise AssertionError(cls)
        values[name] = out
    return values


class KerasH5Test(unittest.TestCase):
    def setUp(self):
        os.makedirs(WORK, exist_ok=True)

    def check_model(self, model):
        extracted = os.path.join(CACHE, "extracted", model)
        import json
        topology = json.load(open(os.path.join(extracted, "topology.json")))
        tfjs_weights = Weights(extracted)
        path = os.path.join(WORK, model + ".h5")
        write_h5(path, topology, tfjs_weights.arrays)
        h5_topology, h5_weights = read_h5(path)
        self.assertEqual(h5_topology["model_config"], topology["model_config"])
        features = MODELS[model]["features_layer"]
        torch.manual_seed(0)
        from_tfjs = KerasGraph(topology, Weights(extracted), features).eval()
        from_h5 = KerasGraph(h5_topology, h5_weights, features).eval()
        self.assertEqual(h5_weights.unused(), [])
        c, h, w = from_tfjs.input_shape
        x = torch.rand(2, c, h, w, generator=torch.Generator().manual_seed(5))
        with torch.no_grad():
            a, b = from_tfjs(x), from_h5(x)
        for key in ("probs", "features"):
            err = float((a[key] - b[key]).abs().max())
            print(f"{model} {key}: max |d| {err:.2e}")
            self.assertLessEqual(err, 1e-6)

    def test_mobilenet_v2(self):
        self.check_model("mobilenet_v2")

    def test_inception_v3(self):
        self.check_model("inception_v3")

    def test_deepdanbooru_structure_round_trips(self):
        topology, weights = deepdanbooru_like()
        path = os.path.join(WORK, "deepdanbooru_like.h5")
        write_h5(path, topology, weights)
        graph = KerasGraph(*read_h5(path), "gap").eval()
        x = np.random.default_rng(9).uniform(0, 1, (3, 64, 64, 3))
        expected = numpy_reference(topology, weights, x)
        with torch.no_grad():
            probs, features = graph.run(torch.from_numpy(x.transpose(0, 3, 1, 2).astype(np.float32)))
        for what, got, want in (("probabilities", probs, expected["predictions"]), ("pooled", features,
                                                                                    expected["gap"])):
            err = float(np.abs(got.numpy() - want).max())
            print(f"deepdanbooru-like {what}: max |d| {err:.2e} (values {want.min():.3f}..{want.max():.3f})")
            self.assertLessEqual(err, 1e-5)

    def test_split_name_lists(self):
        # Keras splits a list attribute over 64 KB into layer_names0, layer_names1, ...
        import json
        extracted = os.path.join(CACHE, "extracted", "mobilenet_v2")
        topology = json.load(open(os.path.join(extracted, "topology.json")))
        arrays = Weights(extracted).arrays
        path = os.path.join(WORK, "split.h5")
        write_h5(path, topology, arrays)
        with h5py.File(path, "a") as f:
            names = list(f["model_weights"].attrs["layer_names"])
            del f["model_weights"].attrs["layer_names"]
            half = len(names) // 2
            f["model_weights"].attrs["layer_names0"] = np.array(names[:half])
            f["model_weights"].attrs["layer_names1"] = np.array(names[half:])
        _, weights = read_h5(path)
        self.assertEqual(sorted(weights.arrays), sorted(arrays))
        for key in arrays:
            self.assertTrue(np.array_equal(weights.arrays[key], arrays[key]), key)

    def test_weights_only_file_is_refused_with_the_reason(self):
        path = os.path.join(WORK, "weights-only.h5")
        with h5py.File(path, "w") as f:
            f.attrs["layer_names"] = np.array([b"dense"])
        with self.assertRaises(KerasFileError) as caught:
            read_h5(path)
        self.assertIn("save_weights", str(caught.exception))

    def test_not_hdf5_is_refused(self):
        path = os.path.join(WORK, "not.h5")
        with open(path, "w") as f:
            f.write("plain text")
        with self.assertRaises(KerasFileError) as caught:
            read_h5(path)
        self.assertIn("not an HDF5 file", str(caught.exception))


if __name__ == "__main__":
    if not CACHE:
        raise SystemExit(__doc__)
    unittest.main(verbosity=2)
