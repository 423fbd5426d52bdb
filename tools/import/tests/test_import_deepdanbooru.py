#!/usr/bin/python3
"""import_keras.py --preset deepdanbooru end to end, against DeepDanbooru's own pipeline.

The reference is DeepDanbooru's load_image_for_evaluate (deepdanbooru/data/__init__.py; facts in
tools/import/preset-facts.md, section 4) written out here: the file decoded to RGB with alpha
dropped as tf.io.decode_png(channels=3) does (JPEG with libjpeg's fast inverse DCT, TensorFlow's
default, through tests/support/jpeg_decode_tf; other formats through Pillow), fitted with
TensorFlow's area resize (no TensorFlow here: ResizeArea written as the interval-overlap matrix
its kernel computes, sizes in float32 as tf.image.resize(preserve_aspect_ratio=True)), centred
and edge-padded by scikit-image's warp with the AffineTransforms of its transform_and_pad_image,
then / 255.

1. Preprocessing alone: a model that returns its input pixels (through acg2vec's Embedder,
   normalize=False), with the preset's preprocess section, on every sample image and on small
   images that enlarge and whose slack is odd (the half-pixel shift).
2. The whole preset: a DeepDanbooru-structured Keras .h5 (random weights) with a tags.txt and
   tags-character.txt built from the WD v3 table, imported; its tag probabilities in acg2vec
   against the reference pixels through a NumPy evaluation of the Keras graph.
3. Label files that do not fit together, and `acg2vec import` from the command line.

Usage: test_import_deepdanbooru.py WORK_DIR SHARED_DATA   (environment: ACG2VEC_LIBRARY, ACG2VEC_CLI)
"""
import csv
import os
import subprocess
import sys
import unittest

import numpy as np
import skimage.transform
import torch
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
# before the imports: test_keras_h5 reads sys.argv too when it is imported
WORK = sys.argv.pop(1) if len(sys.argv) > 2 else "/tmp/acg2vec-deepdanbooru-test"
SHARED = sys.argv.pop(1) if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "..", "..", "shared", "data")
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, os.path.join(HERE, "..", "..", "export"))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "bindings", "python"))

import acg2vec  # noqa: E402
import acg2vec_export as ax  # noqa: E402
from import_keras import deepdanbooru_metadata, import_keras  # noqa: E402
from keras_h5 import write_h5  # noqa: E402
from test_keras_h5 import deepdanbooru_like, numpy_reference  # noqa: E402

PIXEL_TOLERANCE = 1e-5   # on 0..1 values: a 400th of one 8-bit level
PROBABILITY_TOLERANCE = 1e-4


def tf_area_matrix(in_size: int, out_size: int) -> np.ndarray:
    """TensorFlow's ResizeArea (align_corners=False) along one axis: output cell o averages the
    input interval [o * s, (o + 1) * s) (bounds in float32, s = in / out in float32), each input
    cell weighted by how much of it lies inside."""
    s = np.float32(in_size) / np.float32(out_size)
    m = np.zeros((out_size, in_size))
    for o in range(out_size):
        lo, hi = float(np.float32(o) * s), float(np.float32(o + 1) * s)
        for v in range(int(np.floor(lo)), int(np.ceil(hi))):
            # an input cell holding the whole output cell weighs s itself in TensorFlow, not the
            # difference of the rounded bounds (which can differ from s by 1e-4 relative)
            inside = v < lo and v + 1 > hi
            m[o, min(v, in_size - 1)] += float(s) if inside else min(v + 1.0, hi) - max(float(v), lo)
    return m / float(s)


def tf_resize_area_keep_aspect(image: np.ndarray, height: int, width: int) -> np.ndarray:
    """tf.image.resize(image, (height, width), method=AREA, preserve_aspect_ratio=True)."""
    h, w = image.shape[:2]
    scale = min(np.float32(height) / np.float32(h), np.float32(width) / np.float32(w))
    nh, nw = int(np.round(scale * np.float32(h))), int(np.round(scale * np.float32(w)))
    rows = np.tensordot(tf_area_matrix(h, nh), image.astype(np.float64), axes=(1, 0))  # nh, w, c
    out = np.tensordot(tf_area_matrix(w, nw), rows, axes=(1, 1))  # nw, nh, c
    return out.transpose(1, 0, 2).astype(np.float32)


def centre_and_pad(image: np.ndarray, width: int, height: int) -> np.ndarray:
    """DeepDanbooru's transform_and_pad_image without augmentation: translate the image's centre
    to the canvas's centre, sample bilinearly (order=1), pad by edge replication."""
    t = skimage.transform.AffineTransform(translation=(-image.shape[1] * 0.5, -image.shape[0] * 0.5))
    t += skimage.transform.AffineTransform(translation=(width * 0.5, height * 0.5))
    return skimage.transform.warp(image, t.inverse, output_shape=(height, width), order=1, mode="edge")


def tensorflow_decode(path: str) -> np.ndarray:
    """tf.io.decode_png(contents, channels=3): RGB, alpha dropped. JPEGs go through
    $ACG2VEC_JPEG_DECODE_TF (libjpeg with TensorFlow's fast inverse DCT; tests/support), the
    other formats through Pillow, whose libpng/libwebp pixels are TensorFlow's too."""
    image = Image.open(path)
    if image.format != "JPEG":
        return np.asarray(image.convert("RGB"))
    decoder = os.environ.get("ACG2VEC_JPEG_DECODE_TF")
    if not decoder:
        raise unittest.SkipTest("ACG2VEC_JPEG_DECODE_TF is not set: no TensorFlow-style JPEG decoder")
    ppm = os.path.join(WORK, "decoded.ppm")
    subprocess.run([decoder, path, ppm], check=True)
    return np.asarray(Image.open(ppm).convert("RGB"))


def deepdanbooru_pixels(path: str, width: int, height: int) -> np.ndarray:
    """load_image_for_evaluate(path, width, height): float32 HWC RGB in 0..1."""
    rgb = tensorflow_decode(path)
    return centre_and_pad(tf_resize_area_keep_aspect(rgb, height, width), width, height) / 255.0


def sample_images():
    folder = os.path.join(SHARED, "images")
    return [os.path.join(folder, f) for f in sorted(os.listdir(folder))]


def write_png(path: str, width: int, height: int, mode: str, seed: int) -> str:
    rng = np.random.default_rng(seed)
    channels = {"RGB": 3, "RGBA": 4, "L": 1}[mode]
    pixels = rng.integers(0, 256, (height, width, channels), dtype=np.uint8)
    Image.fromarray(pixels[:, :, 0] if channels == 1 else pixels, mode).save(path)
    return path


def deepdanbooru_tag_files(folder: str):
    """tags.txt and tags-character.txt as DeepDanbooru's download_tags writes them (general,
    then characters, then the rating tags), from the WD v3 table's names."""
    general, characters = [], []
    with open(os.path.join(SHARED, "tags", "wd_v3_selected_tags.csv"), encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            {"0": general, "4": characters}.get(row["category"], []).append(row["name"])
    ratings = ["rating:general", "rating:sensitive", "rating:questionable", "rating:explicit"]
    tags, chars = os.path.join(folder, "tags.txt"), os.path.join(folder, "tags-character.txt")
    with open(tags, "w", encoding="utf-8") as f:
        f.write("\n".join(general + characters + ratings) + "\n")
    with open(chars, "w", encoding="utf-8") as f:
        f.write("\n".join(characters) + "\n")
    return tags, chars, len(general), len(characters), len(general) + len(characters) + len(ratings)


class Passthrough(torch.nn.Module):
    def forward(self, pixels: torch.Tensor) -> torch.Tensor:
        return pixels.flatten(1)


class PreprocessingTest(unittest.TestCase):
    """acg2vec's pixels for the preset's preprocess section against the reference pipeline."""

    def check_size(self, width: int, height: int, paths):
        os.makedirs(WORK, exist_ok=True)
        preprocess = deepdanbooru_metadata(width, height, 1, 1, 0, "x", None, None)["preprocess"]
        metadata = {"schema_version": ax.SCHEMA_VERSION, "name": f"pixels-{width}x{height}", "task": "embedder",
                    "preprocess": preprocess,
                    "methods": {"image": ax.method_spec("forward", [ax.tensor_spec("pixels", [3, height, width])],
                                                        [ax.tensor_spec("pixels_flat", [3 * height * width])])},
                    "embedder": {"image_output": "pixels_flat"}}
        path = os.path.join(WORK, f"pixels-{width}x{height}.pt")
        ax.save_model(torch.jit.script(Passthrough()), path, metadata)
        embedder = acg2vec.Embedder(path, normalize=False)
        worst = 0.0
        for image in paths:
            ours = np.asarray(embedder.embed(image), dtype=np.float32).reshape(3, height, width)
            reference = deepdanbooru_pixels(image, width, height).transpose(2, 0, 1)
            err = float(np.abs(ours - reference).max())
            worst = max(worst, err)
            self.assertLessEqual(err, PIXEL_TOLERANCE, f"{image} at {width}x{height}")
        print(f"preprocessing {width}x{height}: {len(paths)} images, max |d| {worst:.2e} (0..1 values)")
        embedder.close()

    def test_sample_images(self):
        self.check_size(512, 512, sample_images())

    def test_non_square_input_and_odd_slack(self):
        self.check_size(96, 64, sample_images())

    def test_small_images_enlarge(self):
        folder = os.path.join(WORK, "small")
        os.makedirs(folder, exist_ok=True)
        paths = [write_png(os.path.join(folder, f"{w}x{h}-{mode}.png"), w, h, mode, seed)
                 for seed, (w, h, mode) in enumerate([(7, 3, "RGB"), (3, 8, "RGBA"), (10, 10, "L"),
                                                      (1, 1, "RGB"), (1, 30, "RGB"), (13, 5, "RGB")])]
        self.check_size(64, 64, paths)
        self.check_size(33, 17, paths)


class PresetTest(unittest.TestCase):
    def setUp(self):
        os.makedirs(WORK, exist_ok=True)
        self.tags, self.characters, self.general, self.character_count, self.labels = deepdanbooru_tag_files(WORK)

    def model(self, name: str, labels: int):
        topology, weights = deepdanbooru_like(size=64, tags=labels)
        path = os.path.join(WORK, name + ".h5")
        write_h5(path, topology, weights)
        return path, topology, weights

    def test_probabilities_match_deepdanbooru(self):
        source, topology, weights = self.model("ddb-like", self.labels)
        out = os.path.join(WORK, "ddb-like.pt")
        meta = import_keras(source, "deepdanbooru", [self.tags, self.characters], out, "ddb-like", version="test")
        self.assertEqual(meta["tagger"]["general_count"], self.general)
        self.assertEqual(meta["tagger"]["character_count"], self.character_count)
        tagger = acg2vec.Tagger(out)
        worst = 0.0
        for path in sample_images():
            pixels = deepdanbooru_pixels(path, 64, 64)[None].astype(np.float64)
            reference = numpy_reference(topology, weights, pixels)["predictions"][0]
            ours = np.asarray(tagger.probabilities(path), dtype=np.float64)
            err = float(np.abs(ours - reference).max())
            worst = max(worst, err)
            self.assertLessEqual(err, PROBABILITY_TOLERANCE, path)
        print(f"deepdanbooru preset: {len(sample_images())} images, {self.labels} tags, max |d| {worst:.2e}")
        # the categories come from the two files: a character tag is reported as a character
        result = tagger.tag(sample_images()[0])
        self.assertEqual(len(result.ratings), 4)
        tagger.close()

    def test_label_files_that_do_not_fit(self):
        source, _, _ = self.model("ddb-small", 20)
        tags = os.path.join(WORK, "small-tags.txt")
        chars = os.path.join(WORK, "small-chars.txt")
        with open(tags, "w") as f:
            f.write("\n".join([f"tag_{i}" for i in range(14)] + ["char_a", "char_b", "rating:general",
                                                                  "rating:sensitive", "rating:questionable",
                                                                  "rating:explicit"]) + "\n")
        cases = [
            (["char_b", "char_a"], "line 15 is 'char_a'"),
            (["char_a", "char_b", "char_c"], "line 14 is 'tag_13'"),
        ]
        for characters, message in cases:
            with open(chars, "w") as f:
                f.write("\n".join(characters) + "\n")
            with self.assertRaises(SystemExit) as caught:
                import_keras(source, "deepdanbooru", [tags, chars], os.path.join(WORK, "never.pt"), "never")
            self.assertIn(message, str(caught.exception))
        with open(chars, "w") as f:
            f.write("char_a\nchar_b\n")
        meta = import_keras(source, "deepdanbooru", [tags, chars], os.path.join(WORK, "small.pt"), "small")
        self.assertEqual((meta["tagger"]["general_count"], meta["tagger"]["character_count"]), (14, 2))
        with self.assertRaises(SystemExit) as caught:
            import_keras(source, "deepdanbooru", [tags], os.path.join(WORK, "never.pt"), "never")
        self.assertIn("two label files", str(caught.exception))
        with self.assertRaises(SystemExit) as caught:  # the model has 20 outputs, the table 50
            import_keras(self.model("ddb-50", 50)[0], "deepdanbooru", [tags, chars], os.path.join(WORK, "n.pt"), "n")
        self.assertIn("has 20 tags", str(caught.exception))
        self.assertFalse(os.path.exists(os.path.join(WORK, "never.pt")))


class ImportCommandTest(unittest.TestCase):
    """acg2vec import with a .h5 file: the file it writes tags from the command line; a preset
    of another format, or a missing label file, is refused before anything runs."""

    def setUp(self):
        self.cli = os.environ.get("ACG2VEC_CLI")
        if not self.cli:
            self.skipTest("ACG2VEC_CLI is not set")
        self.work = os.path.join(WORK, "cli")
        os.makedirs(self.work, exist_ok=True)
        self.tags, self.characters, _, _, labels = deepdanbooru_tag_files(self.work)
        topology, weights = deepdanbooru_like(size=64, tags=labels)
        self.source = os.path.join(self.work, "model-resnet_custom_v3.h5")
        write_h5(self.source, topology, weights)

    def run_cli(self, *args):
        return subprocess.run([self.cli, *args], capture_output=True, text=True)

    def test_imports_and_tags(self):
        out = os.path.join(self.work, "ddb.pt")
        r = self.run_cli("import", self.source, "--preset", "deepdanbooru", "--labels", self.tags, "--labels",
                         self.characters, "-o", out, "--name", "ddb-test")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("ddb-test, task tagger", r.stdout)
        tagged = self.run_cli("tag", "-m", out, sample_images()[0], "--json")
        self.assertEqual(tagged.returncode, 0, tagged.stderr)
        self.assertEqual(sorted(f for f in os.listdir(self.work) if f.startswith(".")), [])

    def test_refusals(self):
        out = os.path.join(self.work, "never.pt")
        cases = [
            (("import", self.source, "--preset", "wd14-v2", "--labels", self.tags, "-o", out), 2,
             "preset 'wd14-v2' does not apply to Keras HDF5 files"),
            (("import", self.source, "--preset", "deepdanbooru", "--labels", self.tags, "--labels",
              os.path.join(self.work, "missing.txt"), "-o", out), 3, "missing.txt: no such file"),
            (("import", self.tags, "--preset", "deepdanbooru", "--labels", self.tags, "-o", out), 2,
             "only ONNX (.onnx), Keras HDF5 (.h5) and TF.js layers models"),
            (("import", self.source, "--preset", "deepdanbooru", "--labels", self.tags, "-o", out), 2,
             "takes 2 label files"),
            (("import", self.source, "--preset", "deepdanbooru", "--labels", self.tags, "--labels", self.characters,
              "-o", self.work), 5, "is a folder"),
        ]
        for args, code, message in cases:
            r = self.run_cli(*args)
            self.assertEqual(r.returncode, code, (args, r.stderr))
            self.assertIn(message, r.stderr, args)
            self.assertFalse(os.path.exists(out), args)


if __name__ == "__main__":
    unittest.main(verbosity=2)
