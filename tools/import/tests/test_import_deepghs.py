#!/usr/bin/python3
"""import_onnx.py --preset deepghs-classify end to end: a classifier graph of the kind deepghs
publishes for imgutils (input "input" [N,3,H,W], softmax output "output", meta.json with
"labels") is imported, and acg2vec's scores (through the Python bindings) are compared with
imgutils' own pipeline (imgutils.generic.classify: load_image with a white background pasted
under transparent images, Pillow bilinear resize, RGB / 255, (x - 0.5) / 0.5; preset-facts.md,
section 5) written out with Pillow and numpy, then ONNX Runtime.

Usage: test_import_deepghs.py WORK_DIR SHARED_DATA   (environment: ACG2VEC_LIBRARY, ACG2VEC_ORT_MODULES,
ACG2VEC_CLI)
"""
import json
import os
import subprocess
import sys
import unittest

import numpy as np
import torch
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
WORK = sys.argv.pop(1) if len(sys.argv) > 2 else "/tmp/acg2vec-deepghs-test"
SHARED = sys.argv.pop(1) if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "..", "..", "shared", "data")
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "bindings", "python"))

import acg2vec  # noqa: E402
from import_onnx import DEEPGHS_DEFAULT_SIZE, import_onnx  # noqa: E402
from ort_reference import onnx_runtime  # noqa: E402

LABELS = ["comic", "illustration", "bangumi", "3d"]
TOLERANCE = 1e-4


class TinyClassifier(torch.nn.Module):
    """A small NCHW convolutional classifier ending in softmax, as deepghs exports them."""

    def __init__(self, classes: int):
        super().__init__()
        torch.manual_seed(3)
        self.stem = torch.nn.Conv2d(3, 16, 4, stride=4)
        self.block = torch.nn.Conv2d(16, 16, 3, padding=1, groups=4)
        self.norm = torch.nn.BatchNorm2d(16)
        self.head = torch.nn.Linear(16, classes)
        with torch.no_grad():
            self.norm.running_mean.uniform_(-0.2, 0.2)
            self.norm.running_var.uniform_(0.5, 1.5)
            self.head.weight.mul_(8.0)

    def forward(self, x):
        x = torch.relu(self.stem(x))
        x = x + torch.nn.functional.gelu(self.norm(self.block(x)))
        return torch.softmax(self.head(x.mean(dim=(2, 3))), dim=1)


class Passthrough(torch.nn.Module):
    def forward(self, x):
        return x.flatten(1)


def export_graph(path: str, size, classes: int) -> None:
    """torch.onnx.export with input "input" and output "output"; size None gives symbolic H, W."""
    model = TinyClassifier(classes).eval()
    h, w = size or (DEEPGHS_DEFAULT_SIZE, DEEPGHS_DEFAULT_SIZE)
    axes = {"input": {0: "batch"}, "output": {0: "batch"}}
    if size is None:
        axes["input"].update({2: "height", 3: "width"})
    torch.onnx.export(model, torch.rand(1, 3, h, w), path, input_names=["input"], output_names=["output"],
                      dynamic_axes=axes, opset_version=14)


def imgutils_pixels(path: str, width: int, height: int) -> np.ndarray:
    """imgutils: load_image(image, force_background='white', mode='RGB') (a transparent image is
    pasted with its own alpha as the mask onto white RGBA, then converted to RGB), then
    _img_encode: resize((width, height), BILINEAR), CHW / 255, (x - 0.5) / 0.5, float32."""
    image = Image.open(path)
    if image.mode in ("RGBA", "LA") or "transparency" in image.info:
        canvas = Image.new("RGBA", image.size, "white")
        try:
            canvas.paste(image, (0, 0), mask=image)
        except ValueError:  # a palette image is not a valid mask: imgutils keeps the image as it is
            canvas = image
        image = canvas
    image = image.convert("RGB").resize((width, height), Image.BILINEAR)
    data = np.asarray(image).transpose(2, 0, 1) / 255.0
    return ((data - 0.5) / 0.5).astype(np.float32)[None]


def extra_images(folder: str):
    """Gray with alpha and RGB with partial transparency, which go through the white background."""
    rng = np.random.default_rng(4)
    os.makedirs(folder, exist_ok=True)
    la = os.path.join(folder, "gray_alpha_90x60.png")
    Image.fromarray(rng.integers(0, 256, (60, 90, 2), dtype=np.uint8), "LA").save(la)
    rgba = os.path.join(folder, "rgba_gradient_33x71.png")
    pixels = rng.integers(0, 256, (71, 33, 4), dtype=np.uint8)
    pixels[:, :, 3] = np.linspace(0, 255, 33, dtype=np.uint8)[None, :]
    Image.fromarray(pixels, "RGBA").save(rgba)
    return [la, rgba]


def images():
    folder = os.path.join(SHARED, "images")
    return [os.path.join(folder, f) for f in sorted(os.listdir(folder))] + extra_images(os.path.join(WORK, "extra"))


def write_meta(path: str, labels) -> str:
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"labels": labels}, f)
    return path


class ImportDeepghsTest(unittest.TestCase):
    def setUp(self):
        os.makedirs(WORK, exist_ok=True)
        self.meta = write_meta(os.path.join(WORK, "meta.json"), LABELS)

    def check(self, name: str, size, expect_size):
        source = os.path.join(WORK, name + ".onnx")
        export_graph(source, size, len(LABELS))
        out = os.path.join(WORK, name + ".pt")
        meta = import_onnx(source, "deepghs-classify", self.meta, out, name, version="test")
        self.assertEqual((meta["preprocess"]["width"], meta["preprocess"]["height"]), expect_size)
        scorer = acg2vec.Scorer(out)
        worst = 0.0
        paths = images()
        for path in paths:
            pixels = imgutils_pixels(path, *expect_size)
            reference = onnx_runtime(source, {"input": pixels})[0][0]
            result = scorer.score(path)
            ours = np.asarray([result.head.probabilities[label] for label in LABELS], dtype=np.float32)
            err = float(np.abs(ours - reference).max())
            worst = max(worst, err)
            self.assertLessEqual(err, TOLERANCE, path)
            self.assertEqual(result.head.best.label, LABELS[int(np.argmax(reference))], path)
        print(f"{name}: {len(paths)} images, max |d| {worst:.2e}")
        scorer.close()

    def test_fixed_size_graph(self):
        self.check("deepghs-fixed", (256, 192), (192, 256))

    def test_symbolic_size_uses_imgutils_default(self):
        self.check("deepghs-symbolic", None, (DEEPGHS_DEFAULT_SIZE, DEEPGHS_DEFAULT_SIZE))

    def test_pixels_match_imgutils(self):
        """A graph that returns its input, one 'label' per value: acg2vec's preprocessed pixels
        themselves against imgutils', at a size that shrinks some images and enlarges others."""
        height, width = 40, 56
        source = os.path.join(WORK, "passthrough.onnx")
        torch.onnx.export(Passthrough(), torch.rand(1, 3, height, width), source, input_names=["input"],
                          output_names=["output"], dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}},
                          opset_version=14)
        values = [f"v{i}" for i in range(3 * height * width)]
        out = os.path.join(WORK, "passthrough.pt")
        import_onnx(source, "deepghs-classify", write_meta(os.path.join(WORK, "values.json"), values), out, "pixels")
        scorer = acg2vec.Scorer(out)
        worst = 0.0
        for path in images():
            probabilities = scorer.score(path).head.probabilities
            ours = np.asarray([probabilities[v] for v in values], dtype=np.float32)
            err = float(np.abs(ours - imgutils_pixels(path, width, height).ravel()).max())
            worst = max(worst, err)
            self.assertLessEqual(err, 1e-6, path)
        print(f"pixels {width}x{height}: max |d| {worst:.2e} (values -1..1)")
        scorer.close()

    def test_refusals(self):
        source = os.path.join(WORK, "refusals.onnx")
        export_graph(source, (64, 64), len(LABELS))
        cases = [
            (write_meta(os.path.join(WORK, "three.json"), LABELS[:3]), "lists 3 labels"),
            (write_meta(os.path.join(WORK, "empty.json"), []), "non-empty list"),
        ]
        not_json = os.path.join(WORK, "not.json")
        with open(not_json, "w") as f:
            f.write("labels: a, b")
        cases.append((not_json, "not a deepghs meta.json"))
        for meta, message in cases:
            with self.assertRaises(SystemExit) as caught:
                import_onnx(source, "deepghs-classify", meta, os.path.join(WORK, "never.pt"), "never")
            self.assertIn(message, str(caught.exception))
        self.assertFalse(os.path.exists(os.path.join(WORK, "never.pt")))

    def test_command_line(self):
        cli = os.environ.get("ACG2VEC_CLI")
        if not cli:
            self.skipTest("ACG2VEC_CLI is not set")
        source = os.path.join(WORK, "model.onnx")
        export_graph(source, (64, 64), len(LABELS))
        out = os.path.join(WORK, "cli.pt")
        r = subprocess.run([cli, "import", source, "--preset", "deepghs-classify", "--labels", self.meta, "-o", out],
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("task scorer", r.stdout)
        scored = subprocess.run([cli, "score", "-m", out, images()[0], "--json"], capture_output=True, text=True)
        self.assertEqual(scored.returncode, 0, scored.stderr)
        self.assertIn('"illustration"', scored.stdout)


if __name__ == "__main__":
    unittest.main(verbosity=2)
