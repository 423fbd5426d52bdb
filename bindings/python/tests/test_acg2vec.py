"""The Python package against the C library, on the fixture models and the shared images.

Environment: ACG2VEC_LIBRARY (libacg2vec.so), ACG2VEC_TEST_FIXTURES (the folder of the fixture
models, tests/support), ACG2VEC_SHARED_DATA (../shared/data), ACG2VEC_TEST_WORK (scratch).
Run: python3 -m unittest discover -s bindings/python/tests
"""
import gc
import json
import os
import shutil
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import acg2vec  # noqa: E402

FIXTURES = os.environ["ACG2VEC_TEST_FIXTURES"]
DATA = os.environ["ACG2VEC_SHARED_DATA"]
WORK = os.environ.get("ACG2VEC_TEST_WORK", "/tmp/acg2vec_python_test")
IMAGES = os.path.join(DATA, "images")
HR = os.path.join(IMAGES, "anime4k_knnw_hr_256x256.png")
LR = os.path.join(IMAGES, "anime4k_knnw_lr_256x256.png")
JPEG = os.path.join(IMAGES, "mangaocr_01_188x251.jpg")
BROKEN = os.path.join(DATA, "tricky", "broken.png")
TAGGER = os.path.join(FIXTURES, "wd_table_fixture.pt")
PIX2SCORE = os.path.join(FIXTURES, "pix2score_fixture.pt")
CLASSIFIER = os.path.join(FIXTURES, "classifier_fixture.pt")
TWO_TOWER = os.path.join(FIXTURES, "two_tower_fixture.pt")
SCORER_EMBEDDER = os.path.join(FIXTURES, "scorer_embedder_fixture.pt")
PACKAGE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")

try:
    import numpy
except ImportError:
    numpy = None


def rss_kib():
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))


class Library(unittest.TestCase):
    def test_version(self):
        self.assertRegex(acg2vec.version(), r"^\d+\.\d+\.\d+$")
        self.assertEqual(acg2vec.abi_version(), 2)

    def run_python(self, code, env):
        return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              env={**{"PATH": os.environ.get("PATH", "")}, **env})

    def test_a_missing_library_is_named(self):
        r = self.run_python(f"import sys; sys.path.insert(0, {PACKAGE!r}); import acg2vec",
                            {"ACG2VEC_LIBRARY": "/nonexistent/libacg2vec.so"})
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("ImportError: acg2vec: cannot load the C library; tried /nonexistent/libacg2vec.so", r.stderr)
        self.assertIn("Set ACG2VEC_LIBRARY", r.stderr)

    def test_the_library_beside_the_package_is_found(self):
        copy = os.path.join(WORK, "installed")
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(os.path.join(PACKAGE, "acg2vec"), os.path.join(copy, "acg2vec"),
                        ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copy(os.environ["ACG2VEC_LIBRARY"], os.path.join(copy, "acg2vec", "libacg2vec.so"))
        r = self.run_python(f"import sys; sys.path.insert(0, {copy!r}); import acg2vec; "
                            "print(acg2vec._native.lib._name)", {})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.strip(), os.path.join(copy, "acg2vec", "libacg2vec.so"))

    def test_lists_without_numpy(self):
        r = self.run_python(
            f"import sys; sys.modules['numpy'] = None; sys.path.insert(0, {PACKAGE!r}); import acg2vec; "
            f"e = acg2vec.Embedder({TWO_TOWER!r}); v = e.embed({HR!r}); t = e.embed_texts(['a', 'b']); "
            "print(type(v).__name__, len(v), type(t).__name__, len(t), type(t[0]).__name__)",
            {"ACG2VEC_LIBRARY": os.environ["ACG2VEC_LIBRARY"]})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.split(), ["list", "4", "list", "2", "list"])


class Models(unittest.TestCase):
    def test_model_properties(self):
        with acg2vec.Model(TWO_TOWER, threads=1, batch_size=4, optimization="none") as model:
            self.assertEqual(model.path, TWO_TOWER)
            self.assertEqual(model.metadata["name"], "two-tower-fixture")
            self.assertEqual(model.device, "cpu")
            self.assertRegex(model.fingerprint, r"^[0-9a-f]{16}$")

    def test_option_and_open_errors(self):
        with self.assertRaisesRegex(TypeError, r"model_options: unknown option 'thread' \(options: device, threads"):
            acg2vec.Model(TWO_TOWER, thread=2)
        with self.assertRaisesRegex(ValueError, "precision: 'fp8' is not one of fp32, fp16, bf16"):
            acg2vec.Model(TWO_TOWER, precision="fp8")
        with self.assertRaises(acg2vec.Error) as caught:
            acg2vec.Model(TWO_TOWER, threads=5000)
        self.assertEqual(caught.exception.status, acg2vec.Status.INVALID_ARGUMENT)
        self.assertIn("threads", caught.exception.message)
        missing = os.path.join(WORK, "missing.pt")
        with self.assertRaises(acg2vec.Error) as caught:
            acg2vec.Tagger(missing)
        self.assertEqual(caught.exception.code, "model_load")
        self.assertIn(missing, str(caught.exception))
        with self.assertRaisesRegex(acg2vec.Error, "this is a scorer model"):
            acg2vec.Tagger(CLASSIFIER)

    def test_closed_handles(self):
        tagger = acg2vec.Tagger(TAGGER)
        tagger.close()
        tagger.close()  # idempotent
        self.assertTrue(tagger.closed)
        with self.assertRaisesRegex(ValueError, "this Tagger is closed"):
            tagger.tag(HR)
        with acg2vec.Scorer(CLASSIFIER) as scorer:
            self.assertFalse(scorer.closed)
        self.assertTrue(scorer.closed)


class Tagging(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tagger = acg2vec.Tagger(TAGGER, max_general=5)

    @classmethod
    def tearDownClass(cls):
        cls.tagger.close()

    def test_tag_and_reselect(self):
        result = self.tagger.tag(HR)
        self.assertEqual(list(result.ratings), sorted(result.ratings, key=result.ratings.get, reverse=True))
        self.assertEqual(result.rating, next(iter(result.ratings)))
        self.assertEqual(len(result.general), 5)
        self.assertEqual(result.caption(), ", ".join([*result.characters, *result.general]))
        probabilities = self.tagger.probabilities(HR)
        self.assertEqual(len(probabilities), len(self.tagger.labels))
        self.assertEqual(self.tagger.select(probabilities), result)
        wide = self.tagger.select(probabilities, max_general=2, underscores_to_spaces=True)
        self.assertEqual(list(wide.general), [t.replace("_", " ") for t in list(result.general)[:2]])
        excluded = self.tagger.select(probabilities, max_general=5, exclude=[next(iter(result.general))])
        self.assertNotIn(next(iter(result.general)), excluded.general)
        with self.assertRaises(acg2vec.Error) as caught:
            self.tagger.select([0.5, 0.5])
        self.assertEqual(caught.exception.status, acg2vec.Status.SHAPE_MISMATCH)

    def test_every_input_kind_gives_the_same_tags(self):
        expected = self.tagger.tag(HR)
        with open(HR, "rb") as f:
            data = f.read()
        import base64
        self.assertEqual(self.tagger.tag(data), expected)
        self.assertEqual(self.tagger.tag(bytearray(data)), expected)
        self.assertEqual(self.tagger.tag(acg2vec.Base64("data:image/png;base64," + base64.b64encode(data).decode())),
                         expected)
        with acg2vec.Image.open(HR) as image:
            self.assertEqual(image.format, "png")
            self.assertEqual(self.tagger.tag(image), expected)
            if numpy is not None:
                pixels = image.pixels()
                self.assertEqual(pixels.shape, (256, 256, image.size[2]))
                self.assertEqual(self.tagger.tag(pixels), expected)
        import pathlib
        self.assertEqual(self.tagger.tag(pathlib.Path(HR)), expected)
        with self.assertRaisesRegex(TypeError, "not an image input: int"):
            self.tagger.tag(42)

    def test_a_bad_image_fails_alone(self):
        outcomes = self.tagger.tag_batch([HR, BROKEN, JPEG, b"not an image"])
        self.assertEqual([o.ok for o in outcomes], [True, False, True, False])
        self.assertEqual(outcomes[0].result, self.tagger.tag(HR))
        self.assertEqual(outcomes[1].input, BROKEN)
        self.assertEqual(outcomes[1].error.status, acg2vec.Status.INVALID_IMAGE)
        self.assertIn(BROKEN, outcomes[1].error.message)
        self.assertEqual(outcomes[3].input, "batch[3]")
        self.assertEqual(outcomes[3].error.code, "unsupported_format")
        with self.assertRaises(acg2vec.Error) as caught:
            self.tagger.tag(BROKEN)
        self.assertEqual(caught.exception.status, acg2vec.Status.INVALID_IMAGE)


class Scoring(unittest.TestCase):
    def test_heads(self):
        with acg2vec.Scorer(PIX2SCORE, top_k=3) as scorer:
            self.assertEqual(scorer.head_names, ["bookmark", "view", "sanity"])
            result = scorer.score(HR)
            view = result.heads["view"]
            self.assertEqual(view.best.label, "500-1000")
            self.assertEqual(len(view.top), 3)
            self.assertAlmostEqual(sum(view.probabilities.values()), 1.0, places=5)
            self.assertAlmostEqual(view.expected_value, 875.0, places=3)
            with self.assertRaisesRegex(ValueError, "this model has 3 heads: bookmark, view, sanity"):
                result.head
            batch = scorer.score_batch([HR, BROKEN])
            self.assertEqual(batch[0].result, result)
            self.assertFalse(batch[1].ok)
        with acg2vec.Scorer(CLASSIFIER) as scorer:
            head = scorer.score(JPEG).head
            self.assertIsNone(head.expected_value)
            self.assertEqual(head.best, head.top[0])


class Embedding(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.embedder = acg2vec.Embedder(TWO_TOWER)

    @classmethod
    def tearDownClass(cls):
        cls.embedder.close()

    def test_vectors(self):
        e = self.embedder
        self.assertTrue(e.has_image and e.has_text)
        self.assertEqual(e.dimensions, 4)
        vector = e.embed(HR)
        self.assertEqual(len(vector), 4)
        if numpy is not None:
            self.assertEqual(vector.dtype, numpy.float32)
        batch = e.embed_batch([HR, BROKEN, LR])
        self.assertEqual(list(batch[0].result), list(vector))
        self.assertEqual(batch[1].error.code, "invalid_image")
        texts = e.embed_texts(["a cat", "a dog"])
        self.assertEqual(len(texts), 2)
        self.assertEqual(list(texts[0]), list(e.embed_text("a cat")))
        same = e.similarity(HR, HR)
        self.assertAlmostEqual(same.cosine, 1.0, places=5)
        self.assertAlmostEqual(same.score, 100.0, places=3)
        pair = e.similarity(HR, LR)
        self.assertAlmostEqual(acg2vec.compare_vectors(vector, e.embed(LR)).cosine, pair.cosine, places=5)
        with self.assertRaises(acg2vec.Error) as caught:
            acg2vec.compare_vectors([1, 2], [1, 2, 3])
        self.assertEqual(caught.exception.status, acg2vec.Status.INVALID_ARGUMENT)
        labels = e.zero_shot(HR, ["cat", "dog"])
        self.assertEqual([z.label for z in labels], ["cat", "dog"])
        self.assertAlmostEqual(sum(z.probability for z in labels), 1.0, places=5)
        self.assertEqual(e.zero_shot(list(vector), ["cat", "dog"]), labels)

    def test_tokenizers(self):
        clip = self.embedder.clip_tokenizer()
        self.assertEqual(clip.tokenize("a photo")[:2], [49406, 320])
        self.assertIsNone(self.embedder.wordpiece_tokenizer())
        clip.close()
        with acg2vec.ClipTokenizer(os.path.join(DATA, "clip", "bpe_simple_vocab_16e6.txt.gz")) as clip:
            self.assertEqual(clip.tokenize("1girl, long_hair")[:9], [49406, 272, 1611, 267, 1538, 318, 2225, 49407, 0])
            self.assertEqual(clip.pieces("1girl"), ["1</w>", "girl</w>"])
            self.assertEqual(clip.decode(clip.encode("long hair")), "long hair")
            self.assertEqual(clip.special_tokens, (49406, 49407))
            self.assertEqual(clip.vocab_size, 49408)
            self.assertEqual(len(clip.tokenize("x " * 100)), 77)  # truncated by default
        with acg2vec.ClipTokenizer(os.path.join(DATA, "clip", "bpe_simple_vocab_16e6.txt.gz"), truncate=False) as c:
            with self.assertRaises(acg2vec.Error):
                c.tokenize("x " * 100)
        with acg2vec.WordPieceTokenizer(os.path.join(DATA, "bert", "bert-base-uncased-vocab.txt")) as bert:
            self.assertEqual(bert.tokenize("Hello World"), ["hello", "world"])
            ids = bert.encode("Hello World")
            self.assertEqual((ids[0], ids[-1]), (bert.token_id("[CLS]"), bert.token_id("[SEP]")))
            padded, mask = bert.encode_padded("Hello World", 8)
            self.assertEqual((len(padded), mask), (8, [1, 1, 1, 1, 0, 0, 0, 0]))
            self.assertEqual(bert.token(ids[1]), "hello")
            with self.assertRaises(acg2vec.Error) as caught:
                bert.token_id("no-such-token-here")
            self.assertEqual(caught.exception.status, acg2vec.Status.NOT_FOUND)
        with self.assertRaises(acg2vec.Error) as caught:
            acg2vec.WordPieceTokenizer(os.path.join(WORK, "no_vocab.txt"))
        self.assertEqual(caught.exception.code, "io")


class Analysis(unittest.TestCase):
    def test_one_pass_for_every_task(self):
        with acg2vec.Analyzer(SCORER_EMBEDDER) as analyzer:
            a = analyzer.analyze(HR)
            self.assertIsNone(a.tags)
            self.assertIsNotNone(a.scores)
            with analyzer.embedder as embedder, analyzer.scorer as scorer:
                self.assertEqual(list(a.vector), list(embedder.embed(HR)))
                self.assertEqual(a.scores, scorer.score(HR))
                self.assertEqual(embedder.model.metadata["name"], json.loads(json.dumps(
                    embedder.model.metadata))["name"])
            self.assertIsNone(analyzer.tagger)
            batch = analyzer.analyze_batch([HR, BROKEN])
            self.assertEqual([o.ok for o in batch], [True, False])
            with self.assertRaises(AttributeError):
                analyzer.model


class Indexing(unittest.TestCase):
    def setUp(self):
        os.makedirs(WORK, exist_ok=True)
        self.embedder = acg2vec.Embedder(TWO_TOWER)

    def tearDown(self):
        self.embedder.close()

    def test_edit_search_save_load(self):
        e = self.embedder
        index = acg2vec.Index.create(embedder=e)
        index.add("hr", e.embed(HR), ["side:a"])
        index.add_batch(["lr", "jpeg"], [e.embed(LR), e.embed(JPEG)], [["side:b"], []])
        self.assertEqual((len(index), sorted(index.keys())), (3, ["hr", "jpeg", "lr"]))
        self.assertIn("hr", index)
        self.assertEqual(index.categories("hr"), ["side:a"])
        with self.assertRaises(acg2vec.Error) as caught:
            index.add("hr", e.embed(HR))
        self.assertEqual(caught.exception.status, acg2vec.Status.INVALID_ARGUMENT)
        with self.assertRaises(acg2vec.Error) as caught:
            index.add("short", [1.0, 2.0])
        self.assertIn("dimension", caught.exception.message)
        with self.assertRaises(acg2vec.Error) as caught:
            index.update("absent", e.embed(HR))
        self.assertEqual(caught.exception.status, acg2vec.Status.NOT_FOUND)
        hits = index.search(e.embed(HR), k=3)
        self.assertEqual(hits[0].key, "hr")
        self.assertAlmostEqual(hits[0].score, 1.0, places=5)
        self.assertEqual([h.key for h in index.search(e.embed(HR), k=3, categories=["side:b"])], ["lr"])
        self.assertEqual([h.key for h in index.search(e.embed(HR), k=3, accept=lambda k: k != "hr")][:1],
                         [index.exact_search(e.embed(HR), k=3, accept=lambda k: k != "hr")[0].key])

        def broken_filter(key):
            raise RuntimeError("filter failed on " + key)
        with self.assertRaisesRegex(RuntimeError, "filter failed on"):
            index.search(e.embed(HR), k=3, accept=broken_filter)
        queries = [e.embed(HR), e.embed(JPEG)]
        self.assertEqual(index.search_batch(queries, k=2), [index.search(q, k=2) for q in queries])
        self.assertTrue(index.remove("jpeg"))
        self.assertFalse(index.remove("jpeg"))
        path = os.path.join(WORK, "python.idx")
        index.save(path)
        index.close()
        with acg2vec.Index.load(path, embedder=e) as loaded:
            self.assertEqual(sorted(loaded.keys()), ["hr", "lr"])
            self.assertEqual(loaded.info["model_name"], "two-tower-fixture")
            self.assertAlmostEqual(float(sum(x * x for x in loaded.get("hr"))), 1.0, places=5)  # cosine: normalised
            loaded.export_vectors(WORK)
            self.assertTrue(os.path.exists(os.path.join(WORK, "vectors.npy")))
        with acg2vec.Embedder(SCORER_EMBEDDER) as other, self.assertRaises(acg2vec.Error) as caught:
            acg2vec.Index.load(path, embedder=other)
        self.assertIn("two-tower-fixture", caught.exception.message)
        with open(os.path.join(WORK, "bad.idx"), "wb") as f:
            f.write(b"not an index")
        with self.assertRaises(acg2vec.Error) as caught:
            acg2vec.Index.load(os.path.join(WORK, "bad.idx"))
        self.assertEqual(caught.exception.status, acg2vec.Status.INDEX_FORMAT)

    def test_sync_a_folder_and_find_duplicates(self):
        folder = os.path.join(WORK, "sync", "imgs")
        shutil.rmtree(os.path.dirname(folder), ignore_errors=True)
        os.makedirs(folder)
        for f in (HR, JPEG, BROKEN):
            shutil.copy(f, folder)
        shutil.copy(HR, os.path.join(folder, "copy.png"))
        root = os.path.dirname(folder)
        self.assertEqual(acg2vec.list_image_files([folder]), sorted(os.path.join(folder, f) for f in os.listdir(folder)))
        self.assertEqual(acg2vec.index_key(os.path.join(folder, "copy.png"), root), "imgs/copy.png")
        events, progress = [], []
        with acg2vec.Analyzer(SCORER_EMBEDDER) as analyzer, acg2vec.Index.create(embedder=analyzer.embedder) as index:
            report = acg2vec.sync_folder(index, analyzer, [folder], root=root, on_event=events.append,
                                         on_progress=lambda done, total: progress.append((done, total)))
            self.assertEqual((report.added, report.failed, report.model_runs), (3, 1, 3))  # the copy reuses
            failed = [e for e in events if e.action == "failed"]
            self.assertEqual(failed[0].key, "imgs/broken.png")
            self.assertEqual(failed[0].error.code, "invalid_image")
            self.assertTrue(any(e.reused for e in events))
            self.assertEqual(progress[-1], (4, 4))
            copies = [g for g in acg2vec.find_duplicates(index, min_score=0.99)
                      if "imgs/copy.png" in [m.key for m in g.members]]
            self.assertEqual(len(copies), 1)
            same_bytes = {m.key for m in copies[0].members if m.identical}
            self.assertEqual(same_bytes, {"imgs/anime4k_knnw_hr_256x256.png", "imgs/copy.png"})

            def stop(_event):
                raise KeyboardInterrupt("stopped by the callback")
            os.remove(os.path.join(folder, "copy.png"))
            with self.assertRaises(KeyboardInterrupt):
                acg2vec.sync_folder(index, analyzer, [folder], root=root, on_event=stop)


class Leaks(unittest.TestCase):
    """Open, use and free a scorer thousands of times: resident memory must stay flat, with
    close() and with the garbage collector freeing instead."""

    def cycle(self, count, close):
        for _ in range(count):
            scorer = acg2vec.Scorer(CLASSIFIER)
            scorer.score(JPEG)
            scorer.score_batch([JPEG, BROKEN])
            if close:
                scorer.close()
            del scorer
        gc.collect()

    def test_rss_is_stable(self):
        for close in (True, False):
            self.cycle(300, close)  # warm-up: allocator pools, libtorch caches
            before = rss_kib()
            self.cycle(1500, close)
            grown = rss_kib() - before
            print(f"\n  1500 scorer open/score/free cycles ({'close()' if close else 'garbage collector'}): "
                  f"RSS {before / 1024:.1f} MiB, grew {grown / 1024:.2f} MiB", file=sys.stderr)
            self.assertLess(grown, 6 * 1024, f"RSS grew by {grown} KiB over 1500 cycles")


if __name__ == "__main__":
    unittest.main(verbosity=2)
