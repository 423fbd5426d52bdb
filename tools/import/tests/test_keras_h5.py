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
