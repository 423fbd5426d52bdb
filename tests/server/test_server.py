#!/usr/bin/env python3
"""`acg2vec serve` end to end over HTTP on loopback: every API family's exact JSON shapes,
the error cases, authentication, the body limit, overload and graceful shutdown.

Usage: test_server.py ACG2VEC_CLI FIXTURE_DIR SHARED_DATA WORK_DIR
(the fixture models are written by ctest's fixture_models_for_examples).
"""
import base64
import json
import os
import signal
import subprocess
import sys
import threading
import time
import unittest

import requests

CLI, FIXTURES, DATA, WORK = sys.argv[1:5]
del sys.argv[1:5]

API_KEY = "test-key"
BASIC = ("webui", "secret")
IMAGE = os.path.join(DATA, "images", "mangaocr_01_188x251.jpg")
OTHER = os.path.join(DATA, "images", "anime4k_knnw_hr_256x256.png")


def b64(path):
    with open(path, "rb") as f:
        return base64.b64encode(f.read()).decode()


def fixture(name):
    return os.path.join(FIXTURES, name + "_fixture.pt")


class Server:
    """One `acg2vec serve` process on a free loopback port."""

    def __init__(self, *extra, index="gallery.idx"):
        models = ["tagger", "classifier", "pix2score", "scorer_embedder", "two_tower", "wd_table"]
        args = [CLI, "serve", "--port", "0", "--api-key", API_KEY, "--basic-auth", ":".join(BASIC)]
        for m in models:
            args += ["--model", f"{m}={fixture(m)}"]
        args += ["--index", f"gallery={os.path.join(WORK, index)}:scorer_embedder"]
        args += ["--route", "deepdanbooru=tagger", "--route", "illust2vec=scorer_embedder",
                 "--route", "acgvoc2vec=two_tower", *extra]
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        if "listening on" not in line:
            self.process.kill()
            raise RuntimeError("server did not start: " + line + self.process.stderr.read())
        self.url = line.split("listening on ")[1].split(" ")[0]

    def post(self, path, body=None, auth=True, **kwargs):
        headers = {"Authorization": "Bearer " + API_KEY} if auth else {}
        return requests.post(self.url + path, json=body, headers=headers, timeout=60, **kwargs)

    def get(self, path, auth=True):
        headers = {"Authorization": "Bearer " + API_KEY} if auth else {}
        return requests.get(self.url + path, headers=headers, timeout=60)

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout=30)
        self.process.stdout.close()
        self.process.stderr.close()
        return code


def build_index(name="gallery.idx"):
    """An index of the shared sample images with the scorer+embedder fixture."""
    path = os.path.join(WORK, name)
    if os.path.exists(path):
        os.remove(path)
    subprocess.run([CLI, "index", "build", os.path.join(DATA, "images"), "-i", path, "--root", DATA, "-q",
                    "-m", fixture("scorer_embedder")], check=True, stdout=subprocess.DEVNULL)


def setUpModule():
    os.makedirs(WORK, exist_ok=True)
    build_index()


class ApiTestCase(unittest.TestCase):
    def check_error(self, response, status, code=None, names=None):
        self.assertEqual(response.status_code, status, response.text)
        body = response.json()
        if code is not None:
            self.assertEqual(body["error"]["code"], code)
        if names is not None:
            self.assertIn(names, body["error"]["message"])


class ServerTest(ApiTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server("--max-body", "3000000", "--image-root", "gallery=" + DATA)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    # ---- authentication
    def test_auth(self):
        self.assertEqual(self.server.get("/healthz", auth=False).json(), {"status": "ok"})
        self.check_error(self.server.get("/v1/models", auth=False), 401, "unauthorized")
        wrong = requests.get(self.server.url + "/v1/models", headers={"Authorization": "Bearer nope"}, timeout=10)
        self.assertEqual(wrong.status_code, 401)
        self.assertEqual(requests.get(self.server.url + "/v1/models", auth=BASIC, timeout=10).status_code, 200)
        self.assertEqual(requests.get(self.server.url + "/v1/models", auth=("webui", "x"), timeout=10).status_code, 401)

    # ---- WD14 tagger API
    def test_wd14_interrogators_and_interrogate(self):
        self.assertEqual(self.server.get("/tagger/v1/interrogators").json(), {"models": ["tagger", "wd_table"]})
        r = self.server.post("/tagger/v1/interrogate", {"image": b64(IMAGE), "model": "tagger", "threshold": 0.5})
        self.assertEqual(r.status_code, 200, r.text)
        caption = r.json()["caption"]
        self.assertEqual(set(caption), {"rating", "tag"})
        self.assertEqual(set(caption["rating"]), {"general", "sensitive", "questionable", "explicit"})
        self.assertIn("hatsune_miku", caption["tag"])  # characters are in "tag"
        self.assertTrue(all(p > 0.5 for p in caption["tag"].values()))
        strict = self.server.post("/tagger/v1/interrogate", {"image": b64(IMAGE), "model": "tagger", "threshold": 0.9})
        self.assertLess(len(strict.json()["caption"]["tag"]), len(caption["tag"]))
        data_url = self.server.post("/tagger/v1/interrogate",
                                    {"image": "data:image/jpeg;base64," + b64(IMAGE), "model": "tagger", "threshold": 0.5})
        self.assertEqual(data_url.json(), r.json())

    def test_wd14_with_the_real_wd_v3_table(self):
        """The fixture scores label i as 0.4 (1 + sin(0.37 i)); the answer must name exactly the
        table's ratings, and its characters and general tags above the threshold."""
        import csv
        import math
        import struct
        with open(os.path.join(DATA, "tags", "wd_v3_selected_tags.csv"), newline="") as f:
            rows = list(csv.DictReader(f))
        score = [struct.unpack("f", struct.pack("f", 0.4 * (1 + math.sin(0.37 * i))))[0] for i in range(len(rows))]
        threshold = 0.7
        expected = {r["name"] for r, p in zip(rows, score) if r["category"] in ("0", "4") and p > threshold}
        borderline = {r["name"] for r, p in zip(rows, score) if abs(p - threshold) < 1e-5}
        ratings = {r["name"] for r in rows if r["category"] == "9"}
        r = self.server.post("/tagger/v1/interrogate", {"image": b64(IMAGE), "model": "wd_table", "threshold": threshold})
        self.assertEqual(r.status_code, 200, r.text)
        caption = r.json()["caption"]
        self.assertEqual(set(caption["rating"]), ratings)
        self.assertEqual(set(caption["tag"]) - borderline, expected - borderline)
        self.assertGreater(len(expected), 1000)
        batch = self.server.post("/tagger/v1/interrogate-batch",
                                 {"images": [b64(IMAGE)], "model": "wd_table", "threshold": threshold}).json()
        characters = {r["name"] for r in rows if r["category"] == "4"}
        self.assertEqual(set(batch["captions"][0]["characters"]) - borderline, (expected & characters) - borderline)

    def test_wd14_batch_keeps_order_and_bad_images_fail_alone(self):
        r = self.server.post("/tagger/v1/interrogate-batch",
                             {"images": [b64(IMAGE), "bm90IGFuIGltYWdl", b64(OTHER)], "model": "tagger"})
        self.assertEqual(r.status_code, 200, r.text)
        captions = r.json()["captions"]
        self.assertEqual(len(captions), 3)
        self.assertEqual(set(captions[0]), {"ratings", "characters", "tags"})
        self.assertIn("hatsune_miku", captions[0]["characters"])
        self.assertEqual(captions[1]["error"]["code"], "unsupported_format")
        self.assertEqual(captions[1]["error"]["input"], "images[1]")
        self.assertIn("ratings", captions[2])

    def test_wd14_errors_are_fastapi_shaped(self):
        r = self.server.post("/tagger/v1/interrogate", {"image": b64(IMAGE), "model": "classifier"})
        self.assertEqual(r.status_code, 400)
        self.assertIn("tagger", r.json()["detail"])
        r = self.server.post("/tagger/v1/interrogate", {"model": "tagger"})
        self.assertEqual(r.status_code, 400)
        self.assertIn("image: missing", r.json()["detail"])

    def test_wd14_unload_then_reload(self):
        r = self.server.post("/tagger/v1/unload-interrogators")
        self.assertEqual(r.status_code, 200)
        self.assertRegex(r.json(), r"^Successfully unload \d+ model\(s\)$")
        again = self.server.post("/tagger/v1/interrogate", {"image": b64(IMAGE), "model": "tagger"})
        self.assertEqual(again.status_code, 200)

    # ---- PAI ModelHub
    def test_pai_classification(self):
        r = self.server.post("/api/predict/classifier", {"image": b64(IMAGE)})
        self.assertEqual(r.status_code, 200, r.text)
        body = r.json()
        self.assertTrue(body["success"])
        self.assertRegex(body["request_id"], "^[0-9a-f]{32}$")
        self.assertEqual(body["class"], 4)
        self.assertEqual(body["class_name"], "class_4")
        self.assertAlmostEqual(sum(body["class_probs"].values()), 1.0, places=5)

    def test_pai_similarity(self):
        same = self.server.post("/api/predict/scorer_embedder", {"imagea": b64(IMAGE), "imageb": b64(IMAGE)}).json()
        self.assertTrue(same["success"])
        self.assertAlmostEqual(same["similarity"][0], 100.0, places=3)
        self.assertAlmostEqual(same["l2_distance"][0], 0.0, places=3)
        other = self.server.post("/api/predict/scorer_embedder", {"imagea": b64(IMAGE), "imageb": b64(OTHER)}).json()
        self.assertLess(other["similarity"][0], 100.0)

    def test_pai_errors(self):
        r = self.server.post("/api/predict/nope", {"image": b64(IMAGE)})
        self.assertEqual(r.status_code, 404)
        self.assertFalse(r.json()["success"])
        self.assertEqual(r.json()["error_code"], "unknown_model")
        r = self.server.post("/api/predict/classifier", {"image": "%%%"})
        self.assertEqual(r.status_code, 400)
        self.assertEqual(r.json()["error_code"], "invalid_argument")
        self.assertIn("image", r.json()["error_msg"])

    # ---- native /v1
    def test_native_models(self):
        models = {m["name"]: m["tasks"] for m in self.server.get("/v1/models").json()["models"]}
        self.assertEqual(models["tagger"], ["tag"])
        self.assertEqual(models["scorer_embedder"], ["score", "embed_image"])
        self.assertIn("embed_text", models["two_tower"])
        meta = self.server.get("/v1/models/pix2score").json()
        self.assertEqual(meta["metadata"]["task"], "scorer")
        self.check_error(self.server.get("/v1/models/nope"), 404, "unknown_model")

    def test_native_tag_score_embed(self):
        tags = self.server.post("/v1/tag", {"model": "tagger", "images": [b64(IMAGE)], "general_threshold": 0.6}).json()
        result = tags["results"][0]
        self.assertEqual(result["rating"], "general")
        self.assertTrue(all(t["probability"] >= 0.6 for t in result["general"]))
        with open(IMAGE, "rb") as f:
            scored = self.server.post("/v1/score", files={"image": ("a.jpg", f)}, data={"model": "pix2score"})
        self.assertEqual(scored.status_code, 200, scored.text)
        heads = scored.json()["results"][0]["heads"]
        self.assertEqual([h["head"] for h in heads], ["bookmark", "view", "sanity"])
        self.assertIn("expected_value", heads[0])
        texts = self.server.post("/v1/embed", {"model": "two_tower", "texts": ["a cat", "a dog"]}).json()["results"]
        self.assertEqual(len(texts[0]["vector"]), 4)
        images = self.server.post("/v1/embed", {"model": "scorer_embedder", "images": [b64(IMAGE), "eA=="]}).json()
        self.assertEqual(len(images["results"][0]["vector"]), 3)
        self.assertIn("error", images["results"][1])

    def test_native_similar_and_zero_shot(self):
        s = self.server.post("/v1/similar", {"model": "two_tower", "a": b64(IMAGE), "b": b64(IMAGE)}).json()
        self.assertAlmostEqual(s["score"], 100.0, places=3)
        z = self.server.post("/v1/zero-shot", {"model": "two_tower", "image": b64(IMAGE), "labels": ["cat", "dog"]})
        self.assertEqual(z.status_code, 200, z.text)
        self.assertAlmostEqual(sum(r["probability"] for r in z.json()["results"]), 1.0, places=5)

    def test_native_search(self):
        hits = self.server.post("/v1/search", {"index": "gallery", "image": b64(IMAGE), "k": 3}).json()["hits"]
        self.assertEqual(hits[0]["key"], "images/mangaocr_01_188x251.jpg")
        self.assertAlmostEqual(hits[0]["score"], 1.0, places=4)
        self.assertTrue(any(c.startswith("content:") for c in hits[0]["categories"]))
        side = [c for c in hits[0]["categories"] if c.startswith("side:")][0]
        filtered = self.server.post("/v1/search", {"index": "gallery", "image": b64(IMAGE), "k": 50,
                                                   "categories": [side]}).json()["hits"]
        self.assertTrue(all(side in h["categories"] for h in filtered))
        prefix = self.server.post("/v1/search", {"index": "gallery", "vector": [1, 1, 1], "k": 5,
                                                 "prefix": "images/anime4k"}).json()["hits"]
        self.assertEqual(len(prefix), 2)
        self.check_error(self.server.post("/v1/search", {"index": "gallery", "vector": [1, 2]}), 400, "invalid_argument")
        self.check_error(self.server.post("/v1/search", {"index": "nope", "vector": [1]}), 404, "unknown_index")

    def test_search_by_key_leaves_the_key_out(self):
        hits = self.server.post("/v1/search", {"index": "gallery", "key": "images/anime4k_knnw_hr_256x256.png",
                                               "k": 50}).json()["hits"]
        self.assertEqual(len(hits), 19)
        self.assertNotIn("images/anime4k_knnw_hr_256x256.png", [h["key"] for h in hits])
        self.check_error(self.server.post("/v1/search", {"index": "gallery", "key": "images/nope.png"}), 404,
                         "not_found", "images/nope.png")
        self.check_error(self.server.post("/v1/search", {"index": "gallery"}), 400, "invalid_argument", "key")

    def test_analyze_gives_tags_under_the_request_thresholds(self):
        low = self.server.post("/v1/analyze", {"model": "tagger", "image": b64(IMAGE), "general_threshold": 0.0,
                                               "character_threshold": 0.0}).json()["results"][0]
        high = self.server.post("/v1/analyze", {"model": "tagger", "image": b64(IMAGE), "general_threshold": 0.99,
                                                "character_threshold": 0.99}).json()["results"][0]
        self.assertEqual(low["rating"], "general")
        self.assertEqual({r["name"] for r in low["ratings"]}, {r["name"] for r in high["ratings"]})
        self.assertGreater(len(low["general"]), len(high["general"]))
        self.assertTrue(all(t["probability"] >= 0.99 for t in high["general"] + high["characters"]))

    # ---- the web page's routes
    def test_web_page_is_public_and_self_contained(self):
        page = requests.get(self.server.url + "/", timeout=10)  # no credentials: the page asks for them
        self.assertEqual(page.status_code, 200)
        self.assertTrue(page.headers["Content-Type"].startswith("text/html"))
        self.assertIn("default-src 'self'", page.headers["Content-Security-Policy"])
        self.assertNotIn("http://", page.text.replace("http://www.w3.org", ""))  # nothing from elsewhere
        for path, kind in (("/app.js", "text/javascript"), ("/app.css", "text/css"), ("/favicon.svg", "image/svg")):
            r = requests.get(self.server.url + path, timeout=10)
            self.assertEqual(r.status_code, 200, path)
            self.assertTrue(r.headers["Content-Type"].startswith(kind), r.headers["Content-Type"])
        self.check_error(requests.get(self.server.url + "/v1/indexes", timeout=10), 401, "unauthorized")
        indexes = self.server.get("/v1/indexes").json()["indexes"]
        self.assertEqual(indexes, [{"name": "gallery", "model": "scorer_embedder", "size": 20, "writable": False}])

    def test_thumbnails(self):
        path = "/v1/indexes/gallery/thumbnail?size=64&key=images/mangaocr_01_188x251.jpg"
        r = self.server.get(path)
        self.assertEqual(r.status_code, 200, r.text)
        self.assertEqual(r.headers["Content-Type"], "image/jpeg")
        from PIL import Image
        import io
        self.assertEqual(Image.open(io.BytesIO(r.content)).size, (48, 64))  # 188x251 shrunk to fit 64
        self.assertEqual(self.server.get(path, auth=False).status_code, 401)
        big = self.server.get("/v1/indexes/gallery/thumbnail?key=images/anime4k_knnw_hr_256x256.png&size=1024")
        self.assertEqual(Image.open(io.BytesIO(big.content)).size, (256, 256))  # never enlarged
        # Only keys of the index, never a path the client makes up.
        for key in ("../../etc/passwd", "/etc/passwd", "images/../images/mangaocr_01_188x251.jpg"):
            self.check_error(self.server.get("/v1/indexes/gallery/thumbnail?key=" + requests.utils.quote(key)),
                             404, "not_found", key)
        self.check_error(self.server.get("/v1/indexes/gallery/thumbnail?key=images/mangaocr_01_188x251.jpg&size=9"),
                         400, "invalid_argument", "size")
        self.check_error(self.server.get("/v1/indexes/gallery/thumbnail"), 400, "invalid_argument", "key")
        self.check_error(self.server.get("/v1/indexes/nope/thumbnail?key=x"), 404, "unknown_index")

    def test_categories_and_duplicates(self):
        categories = self.server.get("/v1/indexes/gallery/categories").json()["categories"]
        names = [c["name"] for c in categories]
        self.assertEqual(names, sorted(names))
        self.assertFalse(any(n.startswith("content:") for n in names))
        self.assertEqual(sum(c["count"] for c in categories if c["name"].startswith("side:")), 20)
        # The fixture embedder's 3-d vectors are coarse: at 0.5 many images group together.
        loose = self.server.post("/v1/indexes/gallery/duplicates", {"min_score": 0.5}).json()["groups"]
        self.assertGreater(len(loose), 0)
        for group in loose:
            self.assertGreaterEqual(len(group["members"]), 2)
            for m in group["members"]:
                self.assertEqual(set(m), {"key", "identical", "nearest", "score"})
                self.assertGreaterEqual(m["score"], 0.5)
        strict = self.server.post("/v1/indexes/gallery/duplicates", {"min_score": 1.0}).json()["groups"]
        members = lambda groups: sum(len(g["members"]) for g in groups)  # noqa: E731
        self.assertLess(members(strict), members(loose))
        self.assertTrue(all(m["score"] >= 0.99999 for g in strict for m in g["members"]))
        self.check_error(self.server.post("/v1/indexes/gallery/duplicates", {"min_score": 2}), 400,
                         "invalid_argument", "min_score")

    # ---- bad input: a 4xx that names the problem, never a 500
    def test_bad_input(self):
        raw = requests.post(self.server.url + "/v1/tag", data="{not json", timeout=10,
                            headers={"Authorization": "Bearer " + API_KEY, "Content-Type": "application/json"})
        self.check_error(raw, 400, "invalid_argument", "not valid JSON")
        self.check_error(self.server.post("/v1/tag", {"images": [b64(IMAGE)]}), 400, "invalid_argument", "model")
        self.check_error(self.server.post("/v1/tag", {"model": "tagger", "images": "x"}), 400, "invalid_argument", "images")
        self.check_error(self.server.post("/v1/tag", {"model": "classifier", "image": b64(IMAGE)}), 400, "wrong_task")
        self.check_error(self.server.post("/v1/tag", {"model": "tagger", "image": b64(IMAGE), "general_threshold": 2}),
                         400, "invalid_argument", "general_threshold")
        bomb = b64(os.path.join(DATA, "tricky", "decompression_bomb.gif"))
        r = self.server.post("/v1/tag", {"model": "tagger", "image": bomb}).json()["results"][0]
        self.assertEqual(r["error"]["code"], "image_too_large")
        self.check_error(self.server.post("/v1/nothing", {}), 404, "not_found")
        self.check_error(self.server.get("/v1/tag"), 405, "method_not_allowed")
        big = self.server.post("/v1/tag", {"model": "tagger", "image": "A" * 3_200_000})
        self.check_error(big, 413, "too_large", "--max-body")

    # ---- ACG2vec REST
    def test_acg2vec_routes(self):
        auth = {"Authorization": "Bearer " + API_KEY}
        with open(IMAGE, "rb") as f:
            image = f.read()
        scores = requests.post(self.server.url + "/images/socresByPix2Score", headers=auth, timeout=30,
                               files={"image": ("a.jpg", image, "image/jpeg")})
        self.assertEqual(scores.status_code, 200, scores.text)
        data = scores.json()["data"]
        self.assertEqual(set(data), {"bookmarkPredict", "viewPredict", "sanityPredict"})
        self.assertEqual(len(data["bookmarkPredict"]), 15)
        self.assertAlmostEqual(sum(data["sanityPredict"]), 1.0, places=5)
        self.assertIsInstance(scores.json()["message"], str)
        labels = requests.post(self.server.url + "/images/labelsByDeepDanbooru", headers=auth, timeout=30,
                               files={"image": ("a.jpg", image)}).json()["data"]
        self.assertIn("hatsune_miku", labels)
        self.assertIn("1girl", labels)
        feature = requests.post(self.server.url + "/models/illust2vec/feature", headers=auth, timeout=30,
                                files={"image": ("a.jpg", image)}).json()["data"]
        self.assertEqual(len(feature), 3)
        text = requests.post(self.server.url + "/models/acgvoc2vec/feature", headers=auth, timeout=30,
                             data={"text": "a girl"}).json()["data"]
        self.assertEqual(len(text), 4)
        query = requests.post(self.server.url + "/models/acgvoc2vec/feature?text=a%20girl", headers=auth, timeout=30)
        self.assertEqual(query.json()["data"], text)
        missing = requests.post(self.server.url + "/models/dclip_text/feature", headers=auth, timeout=30,
                                data={"text": "a girl"})
        self.assertEqual(missing.status_code, 404)
        self.assertIn("--route dclip_text=MODEL", missing.json()["message"])
        self.assertIsNone(missing.json()["data"])
        no_image = requests.post(self.server.url + "/models/illust2vec/feature", headers=auth, timeout=30,
                                 files={"other": ("a.jpg", image)})
        self.assertEqual(no_image.status_code, 400)
        self.assertIn("image", no_image.json()["message"])

    def test_burst_of_new_connections(self):
        """64 clients connecting at once all get answers (the HTTP library's own listen backlog
        of 5 used to drop some after they had connected)."""
        results = []

        def call():
            try:
                results.append(requests.get(self.server.url + "/healthz", timeout=30).status_code)
            except requests.RequestException as e:
                results.append(str(e))

        threads = [threading.Thread(target=call) for _ in range(64)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(results, [200] * 64)

    def test_methods(self):
        head = requests.head(self.server.url + "/healthz", timeout=10)
        self.assertEqual(head.status_code, 200)
        patch = requests.patch(self.server.url + "/v1/tag", json={}, timeout=10,
                               headers={"Authorization": "Bearer " + API_KEY})
        self.check_error(patch, 405, "method_not_allowed")

    def test_metrics(self):
        self.server.get("/healthz")
        text = self.server.get("/metrics").text
        self.assertIn('acg2vec_requests_total{route="/healthz",status="200"}', text)
        self.assertIn("acg2vec_batch_images_bucket", text)
        self.assertIn("acg2vec_queued_images", text)


def load_index(path):
    """The index file loads (the CLI validates the whole file); returns its key count."""
    out = subprocess.run([CLI, "index", "neighbours", "-i", path, "--json"], capture_output=True, text=True)
    if out.returncode != 0:
        raise AssertionError("index does not load: " + out.stderr)
    return len(out.stdout.splitlines())


class IndexWriteTest(ApiTestCase):
    """On a copy of the gallery of its own, rebuilt for each test."""

    def setUp(self):
        self.path = os.path.join(WORK, "writes.idx")
        build_index("writes.idx")

    def test_read_only_by_default(self):
        server = Server(index="writes.idx")
        try:
            r = server.post("/v1/indexes/gallery/add", {"key": "x", "vector": [1, 0, 0]})
            self.assertEqual(r.status_code, 403)
            self.assertEqual(r.json()["error"]["code"], "read_only")
        finally:
            server.stop()

    def test_add_get_remove_are_saved(self):
        server = Server("--allow-writes", index="writes.idx")
        try:
            before = load_index(self.path)
            r = server.post("/v1/indexes/gallery/add", {"key": "new/by_vector", "vector": [0, 0, 1], "categories": ["mine"]})
            self.assertEqual(r.json()["action"], "added")
            self.assertEqual(load_index(self.path), before + 1)  # on disk before the answer
            r = server.post("/v1/indexes/gallery/add", {"key": "new/by_image", "image": b64(IMAGE)})
            self.assertEqual(r.status_code, 200, r.text)
            got = server.post("/v1/indexes/gallery/get", {"key": "new/by_image"}).json()
            self.assertTrue(any(c.startswith("side:") for c in got["categories"]))
            hits = server.post("/v1/search", {"index": "gallery", "image": b64(IMAGE), "k": 2}).json()["hits"]
            self.assertEqual({h["key"] for h in hits}, {"new/by_image", "images/mangaocr_01_188x251.jpg"})
            self.assertEqual(server.post("/v1/indexes/gallery/add", {"key": "new/by_vector", "vector": [1, 0, 0]})
                             .json()["action"], "updated")
            self.assertTrue(server.post("/v1/indexes/gallery/remove", {"key": "new/by_vector"}).json()["removed"])
            self.assertFalse(server.post("/v1/indexes/gallery/remove", {"key": "new/by_vector"}).json()["removed"])
            self.assertEqual(load_index(self.path), before + 1)
            # A key written over HTTP names no file outside the image root (the page's thumbnails).
            for key in ("/etc/passwd", "../secret.png", "a/../../b.png"):
                self.check_error(server.post("/v1/indexes/gallery/add", {"key": key, "vector": [1, 0, 0]}), 400,
                                 "invalid_argument", key)
            # A key whose file is not there: its thumbnail is a placeholder that says why.
            thumb = server.get("/v1/indexes/gallery/thumbnail?key=new/by_image")
            self.assertEqual(thumb.status_code, 200)
            self.assertEqual(thumb.headers["Content-Type"], "image/svg+xml")
            self.assertIn("new/by_image", thumb.headers["X-Thumbnail-Error"])
            self.assertTrue(server.get("/v1/indexes").json()["indexes"][0]["writable"])
            bad = server.post("/v1/indexes/gallery/add", {"key": "v", "vector": [1, 2]})
            self.assertEqual(bad.status_code, 400)
            self.assertEqual(server.post("/v1/indexes/gallery/get", {"key": "nope"}).status_code, 404)
        finally:
            server.stop()

    def test_sigterm_saves_and_kill_9_leaves_a_loadable_index(self):
        server = Server("--allow-writes", "--save-every", "1000", index="writes.idx")
        for i in range(5):
            server.post("/v1/indexes/gallery/add", {"key": f"batch/{i}", "vector": [i + 1, 1, 0]})
        before = load_index(self.path)
        server.stop()  # SIGTERM saves the 5 unsaved writes
        self.assertEqual(load_index(self.path), before + 5)

        server = Server("--allow-writes", index="writes.idx")
        stop = threading.Event()

        def write(worker):
            for i in range(10_000):
                if stop.is_set():
                    return
                try:
                    server.post("/v1/indexes/gallery/add", {"key": f"w{worker}/{i}", "vector": [worker + 1, i % 7, 1]})
                except requests.RequestException:
                    return

        threads = [threading.Thread(target=write, args=(w,)) for w in range(4)]
        for t in threads:
            t.start()
        time.sleep(1.5)
        server.process.kill()  # kill -9 in the middle of writes and saves
        server.process.wait()
        stop.set()
        for t in threads:
            t.join()
        server.process.stdout.close()
        server.process.stderr.close()
        self.assertGreater(load_index(self.path), before + 5)


class ServeOptionsTest(unittest.TestCase):
    """Bad command lines fail at start with a message naming the problem."""

    def serve(self, *args):
        return subprocess.run([CLI, "serve", "--port", "0", *args], capture_output=True, text=True, timeout=60)

    def test_bad_options(self):
        cases = [
            ((), 2, "give models with --model"),
            (("--model", "x"), 2, "expected NAME=VALUE"),
            (("--model", "a=/nonexistent.pt"), 4, "/nonexistent.pt"),
            (("--model", f"t={fixture('tagger')}", "--index", "g=/nonexistent.idx:zz"), 2, "no model named 'zz'"),
            (("--model", f"t={fixture('tagger')}", "--route", "pix2score=zz"), 2, "no model named 'zz'"),
            (("--models", "/nonexistent-dir"), 5, "cannot list"),
        ]
        for args, code, message in cases:
            with self.subTest(args=args):
                out = self.serve(*args)
                self.assertEqual(out.returncode, code, out.stderr)
                self.assertIn(message, out.stderr)

    def test_models_folder(self):
        folder = os.path.join(WORK, "models")
        os.makedirs(folder, exist_ok=True)
        for name in ("tagger", "classifier"):
            target = os.path.join(folder, name + ".pt")
            if not os.path.exists(target):
                os.symlink(os.path.abspath(fixture(name)), target)
        process = subprocess.Popen([CLI, "serve", "--port", "0", "--models", folder], stdout=subprocess.PIPE, text=True)
        try:
            url = process.stdout.readline().split("listening on ")[1].split(" ")[0]
            names = [m["name"] for m in requests.get(url + "/v1/models", timeout=10).json()["models"]]
            self.assertEqual(names, ["classifier", "tagger"])
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
            process.stdout.close()


class OverloadAndShutdownTest(unittest.TestCase):
    def test_full_queue_is_503_with_retry_after(self):
        # Bursts of concurrent requests against a queue of 2 images, with a long batching wait
        # that keeps queued images waiting: some must be refused with 503 + Retry-After, and
        # every other one answered.
        server = Server("--queue-limit", "2", "--max-wait-ms", "300")
        try:
            too_many = server.post("/v1/tag", {"model": "tagger", "images": [b64(IMAGE)] * 3})
            self.assertEqual(too_many.status_code, 413, too_many.text)  # can never fit: not a 503
            self.assertEqual(too_many.json()["error"]["code"], "too_many_images")
            statuses, refused = [], []

            def call():
                r = server.post("/v1/tag", {"model": "tagger", "images": [b64(IMAGE)] * 2})
                statuses.append(r.status_code)
                if r.status_code == 503:
                    refused.append((r.headers.get("Retry-After"), r.json()["error"]["code"]))

            for _ in range(5):
                threads = [threading.Thread(target=call) for _ in range(8)]
                for t in threads:
                    t.start()
                for t in threads:
                    t.join()
                if refused:
                    break
            self.assertTrue(refused, statuses)
            self.assertEqual(set(refused), {("1", "overloaded")})
            self.assertEqual(set(statuses), {200, 503})
        finally:
            server.stop()

    def test_sigterm_while_models_load(self):
        # A signal that arrives before the server listens must still stop it (it used to be
        # taken while stop() could not act yet, and the server then ran forever).
        for delay in (0.02, 0.2):
            process = subprocess.Popen([CLI, "serve", "--port", "0", "--model", f"clip={fixture('two_tower')}"],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(delay)
            process.send_signal(signal.SIGTERM)
            # 0 once the server handles signals; killed by it when it came before that
            self.assertIn(process.wait(timeout=30), (0, -signal.SIGTERM))

    def test_sigterm_finishes_requests_in_flight(self):
        server = Server("--max-wait-ms", "1500")  # the batcher waits 1.5 s for more images
        result = {}

        def request():
            result["response"] = server.post("/v1/tag", {"model": "tagger", "image": b64(IMAGE)})

        thread = threading.Thread(target=request)
        thread.start()
        time.sleep(0.5)
        self.assertEqual(server.stop(), 0)
        thread.join(timeout=30)
        self.assertEqual(result["response"].status_code, 200)
        self.assertEqual(result["response"].json()["results"][0]["rating"], "general")


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    passed = result.testsRun - len(result.failures) - len(result.errors)
    print(f"{passed} passed, {len(result.failures) + len(result.errors)} failed")
    sys.exit(0 if result.wasSuccessful() else 1)
