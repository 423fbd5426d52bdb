#!/usr/bin/python3
"""import_onnx.py --preset custom: the acg2vec.json comes from the user's --metadata (task,
preprocess, the task's section) and the method from the graph. A tf2onnx-style NHWC classifier
imported as a scorer whose preprocessing is a Pillow bilinear stretch of 0..255 values: acg2vec's
scores (Python bindings) against Pillow + ONNX Runtime on the sample images; metadata that does
not fit the graph is refused with the reason; acg2vec import passes --metadata through.

Usage: test_import_custom.py WORK_DIR SHARED_DATA   (environment: ACG2VEC_LIBRARY, ACG2VEC_ORT_MODULES,
ACG2VEC_CLI)
"""
import json
import os
import subprocess
import sys
import unittest

import numpy as np
import onnx
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
WORK = sys.argv.pop(1) if len(sys.argv) > 2 else "/tmp/acg2vec-custom-import-test"
SHARED = sys.argv.pop(1) if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "..", "..", "shared", "data")
sys.argv.insert(1, WORK)  # test_onnx_graph reads its work folder from the command line when imported
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "bindings", "python"))

import acg2vec  # noqa: E402
from import_onnx import import_custom  # noqa: E402
from ort_reference import onnx_runtime  # noqa: E402
from test_onnx_graph import tf2onnx_style_graph  # noqa: E402

LABELS = ["flat", "cel", "painterly", "sketch", "pixel", "3d"]
SIZE = 32


def metadata(**overrides):
    meta = {"task": "scorer",
            "preprocess": {"width": SIZE, "height": SIZE, "resize_mode": "stretch", "interpolation": "bilinear",
                           "alpha": "ignore", "channel_order": "rgb", "layout": "nhwc", "value_max": 255.0},
            "scorer": {"heads": [{"name": "style", "activation": "none", "labels": "labels.txt"}]}}
    meta.update(overrides)
    return meta


def write(path, value):
    with open(path, "w", encoding="utf-8") as f:
        f.write(value if isinstance(value, str) else json.dumps(value))
    return path


def pillow_pixels(path):
    """The preprocess section above, written with Pillow: RGB (alpha dropped), bilinear stretch, NHWC 0..255."""
    image = Image.open(path).convert("RGB").resize((SIZE, SIZE), Image.BILINEAR)
    return np.asarray(image, dtype=np.float32)[None]


class CustomImportTest(unittest.TestCase):
    def setUp(self):
        os.makedirs(WORK, exist_ok=True)
        self.source = os.path.join(WORK, "classifier.onnx")
        onnx.save(tf2onnx_style_graph(size=SIZE, classes=len(LABELS)), self.source)
        self.labels = write(os.path.join(WORK, "labels.txt"), "\n".join(LABELS) + "\n")
        self.images = [os.path.join(SHARED, "images", f) for f in sorted(os.listdir(os.path.join(SHARED, "images")))]

    def test_scores_match_pillow_and_onnx_runtime(self):
        out = os.path.join(WORK, "custom.pt")
        meta = import_custom(self.source, write(os.path.join(WORK, "meta.json"), metadata()), [self.labels], out, "")
        self.assertEqual(meta["name"], "model")
        self.assertEqual(meta["methods"]["image"]["inputs"][0]["name"], "input_1:0")
        scorer = acg2vec.Scorer(out)
        worst = 0.0
        for path in self.images:
            reference = onnx_runtime(self.source, {"input_1:0": pillow_pixels(path)})[0][0]
            probabilities = scorer.score(path).head.probabilities
            ours = np.asarray([probabilities[label] for label in LABELS], dtype=np.float32)
            err = float(np.abs(ours - reference).max())
            worst = max(worst, err)
            self.assertLessEqual(err, 1e-4, path)
        print(f"custom scorer: {len(self.images)} images, max |d| {worst:.2e}")
        scorer.close()

    def test_graph_with_two_outputs(self):
        """Outputs keep their ONNX names; a head reads one of them by name."""
        import torch

        class TwoOutputs(torch.nn.Module):
            def forward(self, x):
                pooled = x.mean(dim=(1, 2))
                return torch.softmax(pooled @ torch.ones(3, len(LABELS)) * 0.01, dim=1), pooled

        source = os.path.join(WORK, "two_outputs.onnx")
        torch.onnx.export(TwoOutputs(), torch.rand(1, SIZE, SIZE, 3), source, input_names=["pixels"],
                          output_names=["scores", "pooled"], dynamic_axes={"pixels": {0: "n"}, "scores": {0: "n"},
                                                                           "pooled": {0: "n"}}, opset_version=14)
        meta = metadata(scorer={"heads": [{"name": "style", "output": "scores", "activation": "none",
                                           "labels": "labels.txt"}]})
        out = os.path.join(WORK, "two.pt")
        written = import_custom(source, write(os.path.join(WORK, "two.json"), meta), [self.labels], out, "two")
        self.assertEqual([o["name"] for o in written["methods"]["image"]["outputs"]], ["scores", "pooled"])
        scorer = acg2vec.Scorer(out)
        reference = onnx_runtime(source, {"pixels": pillow_pixels(self.images[0])})[0][0]
        probabilities = scorer.score(self.images[0]).head.probabilities
        self.assertLessEqual(float(np.abs(np.asarray([probabilities[k] for k in LABELS]) - reference).max()), 1e-4)
        scorer.close()

    def test_metadata_that_does_not_fit_is_refused(self):
        never = os.path.join(WORK, "never.pt")
        if os.path.exists(never):
            os.remove(never)
        wrong_size = metadata()
        wrong_size["preprocess"] = {**wrong_size["preprocess"], "width": 48}
        wrong_layout = metadata()
        wrong_layout["preprocess"] = {**wrong_layout["preprocess"], "layout": "nchw"}
        cases = [
            (wrong_size, [self.labels], "makes [N, 32, 48, 3]"),
            (wrong_layout, [self.labels], "makes [N, 3, 32, 32]"),
            (metadata(methods={}), [self.labels], "leave \"methods\" out"),
            (metadata(), [], "labels.txt"),  # the head names a file that was not given
            ({"task": "scorer"}, [], "preprocess"),
        ]
        for meta, labels, message in cases:
            path = write(os.path.join(WORK, "bad.json"), meta)
            with self.assertRaises(SystemExit) as caught:
                import_custom(self.source, path, labels, never, "never")
            self.assertIn(message, str(caught.exception), meta)
        self.assertFalse(os.path.exists(never))

    def test_command_line(self):
        cli = os.environ.get("ACG2VEC_CLI")
        if not cli:
            self.skipTest("ACG2VEC_CLI is not set")
        out = os.path.join(WORK, "cli.pt")
        meta = write(os.path.join(WORK, "cli-meta.json"), metadata(name="style-classifier"))
        r = subprocess.run([cli, "import", self.source, "--preset", "custom", "--metadata", meta, "--labels",
                            self.labels, "-o", out], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("style-classifier, task scorer, 6 labels, input 32x32", r.stdout)
        r = subprocess.run([cli, "import", self.source, "--preset", "custom", "--labels", self.labels, "-o", out],
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("--metadata", r.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
