#!/usr/bin/python3
"""TF.js layers models through tools/import: the nsfwjs MobileNetV2 model as the TF.js layers
folder its npm bundle was made from (model.json + its uint8-quantised shard, written out by
tools/nsfwjs/extract.mjs --layers-model), read by keras_tfjs.py and imported with the nsfwjs
preset, must give the default model (tools/nsfwjs's TF.js path): the same dequantised weights
bit for bit, the same acg2vec.json preprocessing, outputs within 1e-6; and acg2vec import from
the command line gives the same scores as the default model.

Usage: test_import_tfjs.py WORK_DIR NSFWJS_CACHE   (NSFWJS_CACHE: tools/nsfwjs/prepare.sh's cache;
environment: ACG2VEC_CLI, ACG2VEC_SAMPLE_IMAGE)
"""
import json
import os
import shutil
import subprocess
import sys
import unittest

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
WORK = sys.argv.pop(1) if len(sys.argv) > 2 else "/tmp/acg2vec-tfjs-test"
CACHE = sys.argv.pop(1) if len(sys.argv) > 1 else os.environ.get("ACG2VEC_NSFWJS_CACHE", "")
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, os.path.join(HERE, "..", "..", "nsfwjs"))
sys.path.insert(0, os.path.join(HERE, "..", "..", "export"))

import acg2vec_export as ax  # noqa: E402
from convert import Weights  # noqa: E402  (tools/nsfwjs)
from import_keras import import_keras  # noqa: E402
from keras_h5 import KerasFileError  # noqa: E402
from keras_tfjs import read_tfjs  # noqa: E402

MODEL = "mobilenet_v2"


def read_json(path: str):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def layers_model() -> str:
    """model.json of the TF.js layers folder, written once per run from the npm bundle."""
    folder = os.path.join(WORK, MODEL, "layers-model")
    if not os.path.exists(os.path.join(folder, "model.json")):
        subprocess.run(["node", os.path.join(HERE, "..", "..", "nsfwjs", "extract.mjs"), "--nsfwjs",
                        os.path.join(CACHE, "npm", "node_modules", "nsfwjs"), "--out", WORK, "--model", MODEL,
                        "--layers-model"], check=True, capture_output=True)
    return os.path.join(folder, "model.json")


class TfjsImportTest(unittest.TestCase):
    def setUp(self):
        os.makedirs(WORK, exist_ok=True)
        self.model_json = layers_model()
        self.classes = os.path.join(CACHE, "extracted", MODEL, "classes.json")
        self.default_model = os.path.join(CACHE, "models", "nsfwjs-mobilenetv2.pt")

    def test_weights_equal_the_tfjs_dequantisation(self):
        topology, weights = read_tfjs(self.model_json)
        reference = Weights(os.path.join(CACHE, "extracted", MODEL))
        self.assertEqual(topology["model_config"],
                         read_json(os.path.join(CACHE, "extracted", MODEL, "topology.json"))["model_config"])
        self.assertEqual(sorted(weights.arrays), sorted(reference.arrays))
        for key, array in reference.arrays.items():
            self.assertTrue(np.array_equal(weights.arrays[key], array), key)
        print(f"{MODEL}: {len(weights.arrays)} weights, equal bit for bit to extract.mjs's TF.js dequantisation")

    def test_nsfwjs_preset_gives_the_default_model(self):
        out = os.path.join(WORK, "imported.pt")
        meta = import_keras(self.model_json, "nsfwjs", [self.classes], out, "nsfwjs-mobilenetv2")
        default_meta, _ = ax.read_archive(self.default_model)
        self.assertEqual(meta["preprocess"], default_meta["preprocess"])
        self.assertEqual(meta["scorer"], default_meta["scorer"])
        self.assertEqual(meta["methods"], default_meta["methods"])
        ours = torch.jit.load(out).eval()
        theirs = torch.jit.load(self.default_model).eval()
        x = torch.rand(3, 3, 224, 224, generator=torch.Generator().manual_seed(11))
        with torch.no_grad():
            a, b = ours(x), theirs(x)
        for key in ("probs", "features"):
            err = float((a[key] - b[key]).abs().max())
            print(f"imported vs default model, {key}: max |d| {err:.2e}")
            self.assertLessEqual(err, 1e-6)

    def test_command_line_scores_as_the_default_model(self):
        cli = os.environ.get("ACG2VEC_CLI")
        if not cli:
            self.skipTest("ACG2VEC_CLI is not set")
        classes_txt = os.path.join(WORK, "classes.txt")
        with open(classes_txt, "w") as f:  # the plain-text form: one label a line
            f.write("\n".join(read_json(self.classes)) + "\n")
        out = os.path.join(WORK, "cli.pt")
        r = subprocess.run([cli, "import", self.model_json, "--preset", "nsfwjs", "--labels", classes_txt, "-o", out],
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("task scorer, 5 labels, input 224x224", r.stdout)
        image = os.environ.get("ACG2VEC_SAMPLE_IMAGE")
        if not image:
            self.skipTest("ACG2VEC_SAMPLE_IMAGE is not set")
        scores = [json.loads(subprocess.run([cli, "score", "-m", m, image, "--json"], capture_output=True, text=True,
                                            check=True).stdout) for m in (out, self.default_model)]
        self.assertEqual(scores[0], scores[1])

    def test_broken_folders_are_refused_with_the_reason(self):
        broken = os.path.join(WORK, "broken")
        shutil.rmtree(broken, ignore_errors=True)
        shutil.copytree(os.path.dirname(self.model_json), broken)
        model = read_json(os.path.join(broken, "model.json"))
        os.remove(os.path.join(broken, model["weightsManifest"][0]["paths"][0]))
        with self.assertRaises(KerasFileError) as caught:
            read_tfjs(os.path.join(broken, "model.json"))
        self.assertIn("weight shard group1-shard1of1", str(caught.exception))
        graph_model = os.path.join(broken, "graph.json")
        with open(graph_model, "w") as f:
            json.dump({"format": "graph-model", "modelTopology": {}, "weightsManifest": []}, f)
        with self.assertRaises(KerasFileError) as caught:
            read_tfjs(graph_model)
        self.assertIn("graph model", str(caught.exception))
        short = os.path.join(WORK, "four.json")
        with open(short, "w") as f:
            json.dump(["a", "b", "c", "d"], f)
        with self.assertRaises(SystemExit) as caught:
            import_keras(self.model_json, "nsfwjs", [short], os.path.join(WORK, "never.pt"), "never")
        self.assertIn("has 4 labels", str(caught.exception))
        self.assertFalse(os.path.exists(os.path.join(WORK, "never.pt")))


if __name__ == "__main__":
    if not CACHE:
        raise SystemExit(__doc__)
    unittest.main(verbosity=2)
