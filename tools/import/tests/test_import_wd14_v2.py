#!/usr/bin/python3
"""import_onnx.py --preset wd14-v2 end to end: a graph of the WD 1.4 v2 taggers' kind (tf2onnx
NHWC style, input input_1:0 [N,S,S,3] BGR 0-255 scaled inside the model, sigmoid outputs
predictions_sigmoid, the WD label table) is imported, and acg2vec's tag probabilities (through
the Python bindings) are compared with the reference pipeline: SmilingWolf's wd-tagger app's
preprocessing written out with Pillow and numpy (preset-facts.md, 1c), then ONNX Runtime.
Also a graph with its batch fixed at 1 (the original v2.0 files), run one image at a time.

Usage: test_import_wd14_v2.py WORK_DIR SHARED_DATA   (environment: ACG2VEC_LIBRARY, ACG2VEC_ORT_MODULES)
"""
import os
import sys
import unittest

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "bindings", "python"))

import acg2vec  # noqa: E402
from import_onnx import import_onnx  # noqa: E402
from ort_reference import onnx_runtime  # noqa: E402

WORK = sys.argv.pop(1) if len(sys.argv) > 2 else "/tmp/acg2vec-import-test"
SHARED = sys.argv.pop(1) if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "..", "..", "shared", "data")
SIZE = 64
IMAGES = ["waifu2x_chibi_rgba_720x720.png",       # 80 % transparent: composited over white
          "animegan_misaka_rgba_570x809.png",     # RGBA portrait: white side padding
          "mangaocr_example_gray_600x341.jpg",    # grayscale
          "rcugan_anime_frame_251x180.jpg",       # odd padding offsets
          "realesrgan_0014_cartoon_179x179.jpg",  # square
          "anime2sketch_saber_1024x640.png"]
TOLERANCE = 1e-4


def wd14_v2_like_graph(labels: int, fixed_batch: bool, seed: int = 0) -> onnx.ModelProto:
    """SW-CV-ModelZoo's shape of model as tf2onnx writes it: (x - 127.5) / 127.5 inside, NHWC
    convolutions between Transposes, global average, Dense, sigmoid. With fixed_batch the input
    is [1,S,S,3] and the flatten a Reshape to [1, C], as in the v2.0 files."""
    rng = np.random.default_rng(seed)
    width = 12

    def init(name, *shape, scale=0.25):
        return numpy_helper.from_array((rng.standard_normal(shape) * scale).astype(np.float32), name)

    n = helper.make_node
    nodes = [
        n("Sub", ["input_1:0", "mid"], ["centred"]), n("Mul", ["centred", "inv"], ["scaled"]),
        n("Transpose", ["scaled"], ["nchw"], perm=[0, 3, 1, 2]),
        n("Conv", ["nchw", "w1", "b1"], ["c1"], kernel_shape=[4, 4], strides=[4, 4], name="stem"),
        n("Relu", ["c1"], ["r1"]),
        n("Conv", ["r1", "w2", "b2"], ["c2"], kernel_shape=[3, 3], auto_pad="SAME_UPPER", group=width, name="dw"),
        n("Add", ["c2", "r1"], ["res"]),
        n("Transpose", ["res"], ["nhwc"], perm=[0, 2, 3, 1]),
        n("ReduceMean", ["nhwc"], ["gap"], axes=[1, 2], keepdims=0),
        n("Reshape", ["gap", "flat_shape"], ["flat"]),
        n("MatMul", ["flat", "wd"], ["mm"], name="predictions_dense/MatMul"),
        n("Add", ["mm", "bd"], ["logits"]),
        n("Sigmoid", ["logits"], ["predictions_sigmoid"]),
    ]
    inits = [numpy_helper.from_array(np.array(127.5, np.float32), "mid"),
             numpy_helper.from_array(np.array(1 / 127.5, np.float32), "inv"),
             init("w1", width, 3, 4, 4), init("b1", width), init("w2", width, 1, 3, 3), init("b2", width),
             numpy_helper.from_array(np.array([1 if fixed_batch else -1, width], np.int64), "flat_shape"),
             init("wd", width, labels, scale=1.5), init("bd", labels, scale=1.0)]
    batch = 1 if fixed_batch else "N"
    graph = helper.make_graph(nodes, "wd14_v2_like",
                              [helper.make_tensor_value_info("input_1:0", TensorProto.FLOAT, [batch, SIZE, SIZE, 3])],
                              [helper.make_tensor_value_info("predictions_sigmoid", TensorProto.FLOAT, [batch, labels])],
                              inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="tf2onnx")
    onnx.checker.check_model(model)
    return model


def smilingwolf_pixels(path: str, size: int) -> np.ndarray:
    """SmilingWolf/wd-tagger's app.py preprocessing: the image as RGBA (what its gradio input
    hands over), composited over white, padded to a white square, Pillow bicubic to the model's
    size, RGB -> BGR, float32 0-255, NHWC."""
    image = Image.open(path).convert("RGBA")
    canvas = Image.new("RGBA", image.size, (255, 255, 255))
    canvas.alpha_composite(image)
    image = canvas.convert("RGB")
    side = max(image.size)
    padded = Image.new("RGB", (side, side), (255, 255, 255))
    padded.paste(image, ((side - image.size[0]) // 2, (side - image.size[1]) // 2))
    if side != size:
        padded = padded.resize((size, size), Image.BICUBIC)
    return np.ascontiguousarray(np.asarray(padded, dtype=np.float32)[:, :, ::-1][None])


class ImportWd14V2Test(unittest.TestCase):
    def setUp(self):
        os.makedirs(WORK, exist_ok=True)
        self.tags = os.path.join(SHARED, "tags", "wd_v3_selected_tags.csv")
        with open(self.tags, encoding="utf-8") as f:
            self.labels = sum(1 for _ in f) - 1

    def check(self, fixed_batch: bool):
        name = "wd14-v2-like" + ("-batch1" if fixed_batch else "")
        source = os.path.join(WORK, name + ".onnx")
        onnx.save(wd14_v2_like_graph(self.labels, fixed_batch), source)
        out = os.path.join(WORK, name + ".pt")
        meta = import_onnx(source, "wd14-v2", self.tags, out, name, version="test")
        self.assertEqual(meta["preprocess"]["width"], SIZE)
        tagger = acg2vec.Tagger(out)
        paths = [os.path.join(SHARED, "images", f) for f in IMAGES]
        for path in paths:
            reference = onnx_runtime(source, {"input_1:0": smilingwolf_pixels(path, SIZE)})[0][0]
            ours = np.asarray(tagger.probabilities(path), dtype=np.float32)
            err = float(np.abs(ours - reference).max())
            print(f"{name} {os.path.basename(path)}: max |d| {err:.2e} (probabilities {reference.min():.3f}.."
                  f"{reference.max():.3f})")
            self.assertLessEqual(err, TOLERANCE, path)
        # a batch gives what single images give (also through the one-at-a-time wrapper)
        batch = tagger.tag_batch(paths)
        single = [tagger.tag(p) for p in paths]
        self.assertTrue(all(o.ok for o in batch))
        for outcome, alone in zip(batch, single):  # equal up to the rounding of a batched product
            self.assertEqual(outcome.result.general.keys(), alone.general.keys())
            for tag, p in alone.general.items():
                self.assertAlmostEqual(outcome.result.general[tag], p, delta=1e-5)
        tagger.close()

    def test_dynamic_batch(self):
        self.check(fixed_batch=False)

    def test_batch_fixed_at_one(self):
        self.check(fixed_batch=True)

    def test_refuses_a_wrong_label_table(self):
        source = os.path.join(WORK, "labels-mismatch.onnx")
        onnx.save(wd14_v2_like_graph(7, False), source)
        with self.assertRaises(SystemExit) as caught:
            import_onnx(source, "wd14-v2", self.tags, os.path.join(WORK, "mismatch.pt"), "mismatch")
        self.assertIn("7 outputs", str(caught.exception))
        self.assertIn(f"{self.labels} labels", str(caught.exception))


class ImportCommandTest(unittest.TestCase):
    """acg2vec import (the CLI, $ACG2VEC_CLI): writes only a checked file, and every failure
    says why and leaves nothing at --out or beside it."""

    def setUp(self):
        self.cli = os.environ.get("ACG2VEC_CLI")
        if not self.cli:
            self.skipTest("ACG2VEC_CLI is not set")
        self.work = os.path.join(WORK, "cli")
        os.makedirs(self.work, exist_ok=True)
        self.tags = os.path.join(SHARED, "tags", "wd_v3_selected_tags.csv")
        with open(self.tags, encoding="utf-8") as f:
            labels = sum(1 for _ in f) - 1
        self.source = os.path.join(self.work, "v2.onnx")
        onnx.save(wd14_v2_like_graph(labels, False), self.source)
        self.bad_source = os.path.join(self.work, "seven.onnx")
        onnx.save(wd14_v2_like_graph(7, False), self.bad_source)

    def run_cli(self, *args, env=None):
        import subprocess
        return subprocess.run([self.cli, "import", *args], capture_output=True, text=True,
                              env={**os.environ, **(env or {})})

    def leftovers(self):
        return sorted(f for f in os.listdir(self.work) if f.startswith("."))

    def test_imports_and_tags(self):
        out = os.path.join(self.work, "v2.pt")
        r = self.run_cli(self.source, "--preset", "wd14-v2", "--labels", self.tags, "-o", out, "--name", "v2-test")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("v2-test, task tagger, 10861 labels, input 64x64", r.stdout)
        import subprocess
        tagged = subprocess.run([self.cli, "tag", "-m", out, os.path.join(SHARED, "images", IMAGES[0]), "--json"],
                                capture_output=True, text=True)
        self.assertEqual(tagged.returncode, 0, tagged.stderr)
        self.assertEqual(self.leftovers(), [])

    def test_failures_name_the_problem_and_write_nothing(self):
        out = os.path.join(self.work, "never.pt")
        cases = [
            ((os.path.join(self.work, "missing.onnx"), "--preset", "wd14-v2", "--labels", self.tags, "-o", out),
             None, 3, "missing.onnx: no such file"),
            ((self.tags, "--preset", "wd14-v2", "--labels", self.tags, "-o", out), None, 2,
             "only ONNX (.onnx), Keras HDF5 (.h5) and TF.js layers models"),
            ((self.source, "--preset", "wd14-v2", "--labels", self.tags, "-o", "/nonexistent/dir/x.pt"), None, 5,
             "does not exist"),
            ((self.source, "--preset", "wd14-v2", "--labels", self.tags, "-o", out),
             {"ACG2VEC_PYTHON": "/nonexistent/python3"}, 3, "python3-torch python3-onnx"),
            ((self.bad_source, "--preset", "wd14-v2", "--labels", self.tags, "-o", out), None, 4,
             "the import failed"),
            ((self.source, "--preset", "deepdanbooru", "--labels", self.tags, "-o", out), None, 2,
             "preset 'deepdanbooru' does not apply to ONNX files"),
        ]
        for args, env, code, message in cases:
            r = self.run_cli(*args, env=env)
            self.assertEqual(r.returncode, code, (args, r.stderr))
            self.assertIn(message, r.stderr, args)
            self.assertFalse(os.path.exists(out), args)
            self.assertEqual(self.leftovers(), [], args)


if __name__ == "__main__":
    unittest.main(verbosity=2)
