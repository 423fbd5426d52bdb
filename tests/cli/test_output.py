#!/usr/bin/env python3
"""The command line's machine output (docs/cli.md, "Output for scripts") and its streaming.

Every subcommand's --json is one JSON document of the documented shape, --jsonl the same
records one per line; failures are error records {"input", "error": {"code", "message"}};
similarities are 0-100 everywhere. Streaming is checked without timing: with stdout and stderr
on one terminal, result i must be printed after the progress bar showed i-1 done and before it
shows i, which only holds when results are written as their batch finishes.

Usage: test_output.py ACG2VEC_CLI FIXTURE_DIR SHARED_DATA WORK_DIR
"""
import json
import os
import pty
import re
import shutil
import subprocess
import sys
import unittest

CLI, FIXTURES, DATA, WORK = (os.path.abspath(a) for a in sys.argv[1:5])
del sys.argv[1:5]
IMAGES = os.path.join(DATA, "images")
TAGGER = os.path.join(FIXTURES, "wd_table_fixture.pt")
PIX2SCORE = os.path.join(FIXTURES, "pix2score_fixture.pt")
CLASSIFIER = os.path.join(FIXTURES, "classifier_fixture.pt")
TWO_TOWER = os.path.join(FIXTURES, "two_tower_fixture.pt")
HR, LR = (os.path.join(IMAGES, f"anime4k_knnw_{s}_256x256.png") for s in ("hr", "lr"))
FRAME = os.path.join(IMAGES, "rcugan_anime_frame_251x180.jpg")
BROKEN = os.path.join(DATA, "tricky", "broken.png")


def run(*args, code=0):
    r = subprocess.run([CLI, *args], capture_output=True, text=True)
    if r.returncode != code:
        raise AssertionError(f"exit {r.returncode}, expected {code}: {args}\n{r.stdout}\n{r.stderr}")
    return r


def document(*args, code=0):
    """--json: exactly one JSON document on stdout."""
    return json.loads(run(*args, "--json", code=code).stdout)


def lines(*args, code=0):
    """--jsonl: one JSON object per line."""
    out = run(*args, "--jsonl", code=code).stdout
    records = [json.loads(line) for line in out.splitlines()]
    assert all(isinstance(r, dict) for r in records), out
    return records


def fresh_folder(name, *files):
    folder = os.path.join(WORK, name)
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    for f in files:
        shutil.copy(f, folder)
    return folder


def index_of(name, model=TWO_TOWER, images=IMAGES):
    path = os.path.join(WORK, name)
    if not os.path.exists(path):
        run("index", "build", images, "-i", path, "-m", model, "--root", DATA, "-q")
    return path


class Schemas(unittest.TestCase):
    def assert_error_record(self, record, path, code):
        self.assertEqual(record["input"], path)
        self.assertEqual(record["error"]["code"], code)
        self.assertIn(path, record["error"]["message"])

    def test_tag(self):
        d = document("tag", "-m", TAGGER, HR, BROKEN, FRAME, "--max-tags", "3", code=1)
        self.assertEqual(list(d), ["results", "failed"])
        self.assertEqual(d["failed"], 1)
        good, last, bad = d["results"]  # files in sorted order, as folders are listed
        self.assertEqual(list(good), ["input", "rating", "ratings", "characters", "general"])
        self.assertEqual(good["input"], HR)
        self.assertEqual(len(good["ratings"]), 4)
        self.assertEqual(good["rating"], next(iter(good["ratings"])))  # most probable first
        probabilities = list(good["general"].values())
        self.assertEqual(len(probabilities), 3)
        self.assertEqual(probabilities, sorted(probabilities, reverse=True))
        self.assert_error_record(bad, BROKEN, "invalid_image")
        self.assertEqual(last["input"], FRAME)
        self.assertEqual(lines("tag", "-m", TAGGER, HR, BROKEN, FRAME, "--max-tags", "3", code=1), d["results"])

    def test_score(self):
        d = document("score", "-m", PIX2SCORE, HR, "--top", "2")
        self.assertEqual(d["failed"], 0)
        [result] = d["results"]
        self.assertEqual([h["head"] for h in result["heads"]], ["bookmark", "view", "sanity"])
        for head in result["heads"]:
            self.assertEqual(list(head)[:5], ["head", "class", "class_name", "probability", "top"])
            self.assertEqual(len(head["top"]), 2)  # --top 2, whatever the name
            self.assertEqual(head["top"][0]["class_name"], head["class_name"])
            self.assertIn("expected_value", head)  # numeric bins
        every = document("score", "-m", CLASSIFIER, HR, "--top", "0")["results"][0]["heads"][0]
        self.assertGreater(len(every["top"]), 2)
        self.assertAlmostEqual(sum(c["probability"] for c in every["top"]), 1.0, places=4)
        self.assertNotIn("expected_value", every)

    def test_embed(self):
        d = document("embed", "-m", TWO_TOWER, "--text", "a cat", HR, BROKEN, code=1)
        text, image, bad = d["results"]  # texts first (--text takes one value: HR is an image)
        self.assertEqual(list(text), ["text", "vector"])
        self.assertEqual(list(image), ["input", "vector"])
        self.assertEqual(len(text["vector"]), len(image["vector"]))
        self.assert_error_record(bad, BROKEN, "invalid_image")
        self.assertEqual(d["failed"], 1)
        self.assertEqual(lines("embed", "-m", TWO_TOWER, "--text", "a cat", HR, BROKEN, code=1), d["results"])

    def test_single_record_commands(self):
        similar = document("similar", "-m", TWO_TOWER, HR, HR)
        self.assertEqual(list(similar), ["a", "b", "similarity", "cosine", "l2_distance"])
        self.assertEqual(similar["similarity"], 100.0)  # never above 100 from rounding
        self.assertEqual(lines("similar", "-m", TWO_TOWER, HR, HR), [similar])
        tokens = document("tokenize", "a photo", "-m", TWO_TOWER)
        self.assertEqual(list(tokens), ["text", "ids", "pieces"])
        self.assertEqual(tokens["ids"][0], 49406)
        info = document("info", "-m", TWO_TOWER)
        self.assertEqual(info["task"], "embedder")
        self.assertIn("bpe_simple_vocab_16e6.txt.gz", info["files"])
        self.assertIn("sgemm_gflops", info["blas"])

    def test_index_build_events(self):
        folder = fresh_folder("events", HR, FRAME, BROKEN)
        path = os.path.join(WORK, "events.idx")
        if os.path.exists(path):
            os.remove(path)
        d = document("index", "build", folder, "-i", path, "-m", TWO_TOWER, "--root", WORK, code=1)
        self.assertEqual(list(d)[:2], ["index", "events"])
        self.assertEqual((d["added"], d["failed"], d["size"]), (2, 1, 2))
        actions = {e["key"]: e["action"] for e in d["events"]}
        self.assertEqual(actions, {"events/anime4k_knnw_hr_256x256.png": "added",
                                   "events/rcugan_anime_frame_251x180.jpg": "added", "events/broken.png": "failed"})
        failed = next(e for e in d["events"] if e["action"] == "failed")
        self.assertEqual(failed["error"]["code"], "invalid_image")
        os.rename(os.path.join(folder, "anime4k_knnw_hr_256x256.png"), os.path.join(folder, "moved.png"))
        events = lines("index", "build", folder, "-i", path, "-m", TWO_TOWER, "--root", WORK, code=1)
        renamed = [e for e in events if e["action"] == "renamed"]
        self.assertEqual(renamed, [{"action": "renamed", "key": "events/moved.png",
                                    "previous_key": "events/anime4k_knnw_hr_256x256.png"}])
        removed = document("index", "remove", "-i", path, "events/moved.png", "events/nope.png", code=1)
        self.assertEqual(removed, {"removed": 1, "missing": ["events/nope.png"], "size": 1})

    def test_search_neighbours_dedupe_agree_on_similarity(self):
        path = index_of("schema.idx")
        similar = document("similar", "-m", TWO_TOWER, HR, LR)["similarity"]
        d = document("search", "-i", path, "-m", TWO_TOWER, "--image", HR, "-k", "3")
        self.assertEqual(list(d), ["query", "hits"])
        self.assertEqual(d["query"], {"image": HR})
        self.assertEqual([h["rank"] for h in d["hits"]], [1, 2, 3])
        self.assertEqual(list(d["hits"][0]), ["rank", "key", "similarity", "distance"])
        itself = next(h for h in d["hits"] if h["key"] == "images/anime4k_knnw_hr_256x256.png")
        self.assertEqual(itself["similarity"], 100.0)  # never above 100 from rounding
        lr = next(h for h in d["hits"] if h["key"] == "images/anime4k_knnw_lr_256x256.png")
        self.assertAlmostEqual(lr["similarity"], similar, places=3)  # one scale: 0-100
        self.assertEqual(lines("search", "-i", path, "-m", TWO_TOWER, "--image", HR, "-k", "3"), d["hits"])
        text = document("search", "-i", path, "-m", TWO_TOWER, "--text", "a girl", "-k", "2")
        self.assertEqual(text["query"], {"text": "a girl"})

        near = document("index", "neighbours", "-i", path)
        self.assertEqual(list(near), ["neighbours"])
        self.assertEqual(len(near["neighbours"]), 20)
        hr = next(n for n in near["neighbours"] if n["key"] == "images/anime4k_knnw_hr_256x256.png")
        self.assertEqual(list(hr), ["key", "nearest", "similarity", "distance"])
        self.assertAlmostEqual(hr["similarity"], max(similar, hr["similarity"]), places=3)
        self.assertEqual(lines("index", "neighbours", "-i", path), near["neighbours"])

        threshold = similar - 0.01
        groups = document("dedupe", "-i", path, "--threshold", f"{threshold}")
        self.assertEqual(list(groups), ["threshold", "groups"])
        for group in groups["groups"]:
            self.assertEqual(list(group), ["identical", "members"])
            for m in group["members"]:
                self.assertEqual(list(m), ["key", "content", "identical", "nearest", "similarity"])
                self.assertGreaterEqual(m["similarity"], threshold)
        self.assertEqual(lines("dedupe", "-i", path, "--threshold", f"{threshold}"), groups["groups"])

    def test_categories(self):
        path = index_of("categories.idx", os.path.join(FIXTURES, "scorer_embedder_fixture.pt"))
        d = document("index", "categories", "-i", path)
        self.assertEqual(list(d), ["categories"])
        self.assertTrue(all(list(c) == ["name", "count"] for c in d["categories"]))
        self.assertEqual(sum(c["count"] for c in d["categories"] if c["name"].startswith("side:")), 20)
        self.assertEqual(lines("index", "categories", "-i", path), d["categories"])

    def test_captions(self):
        folder = fresh_folder("captions", HR, BROKEN, FRAME)
        with open(os.path.join(folder, "rcugan_anime_frame_251x180.txt"), "w") as f:
            f.write("kept\n")
        d = document("tag", "-m", TAGGER, folder, "--captions", "--max-tags", "2", "--frequency", code=1)
        self.assertEqual(list(d), ["results", "written", "skipped", "failed", "frequency"])
        written, broken, refused = d["results"]  # input order, whatever was settled first
        self.assertEqual(list(written), ["input", "caption_file", "tags"])
        with open(written["caption_file"]) as f:
            self.assertEqual(f.read(), ", ".join(written["tags"]) + "\n")
        self.assertEqual(broken["error"]["code"], "invalid_image")
        self.assertEqual(refused["error"]["code"], "exists")
        self.assertEqual(refused["caption_file"], os.path.join(folder, "rcugan_anime_frame_251x180.txt"))
        self.assertEqual((d["written"], d["skipped"], d["failed"]), (1, 0, 2))
        self.assertEqual(d["frequency"], {t: 1 for t in written["tags"]})
        records = lines("tag", "-m", TAGGER, folder, "--captions", "--skip-existing", code=1)
        self.assertEqual([r.get("skipped", False) for r in records], [True, False, True])
        run("tag", "-m", TAGGER, folder, "--captions", "--jsonl", "--frequency", code=2)  # said, not ignored

    def test_json_and_jsonl_exclude_each_other(self):
        r = run("tag", "-m", TAGGER, HR, "--json", "--jsonl", code=2)
        self.assertIn("excludes", r.stderr)


class Streaming(unittest.TestCase):
    """Results and the progress bar on a terminal, as a user at a shell sees them."""

    def run_on_terminal(self, *args):
        pid, fd = pty.fork()
        if pid == 0:  # the child: stdout and stderr are the terminal
            os.execv(CLI, [CLI, *args])
        chunks = []
        while True:
            try:
                data = os.read(fd, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        _, status = os.waitpid(pid, 0)
        return os.waitstatus_to_exitcode(status), b"".join(chunks).decode()

    def check_interleaving(self, output, label, total, result_pattern):
        # Events in the order the terminal received them: bar states and result lines.
        events = []
        for m in re.finditer(label + r" \[[#.]+\] (\d+)/(\d+)|" + result_pattern, output):
            if m.group(1) is not None:
                self.assertEqual(int(m.group(2)), total)
                events.append(("bar", int(m.group(1))))
            else:
                events.append(("result", None))
        bars = [n for kind, n in events if kind == "bar"]
        self.assertEqual(bars[0], 0, "the bar shows at once, before the first result")
        self.assertEqual(bars, sorted(bars))
        self.assertEqual(sorted(set(bars)), list(range(total + 1)), "the bar moves by one per image")
        # Result i comes after the bar said i-1 and before it says i: written as produced.
        results_before = 0
        for kind, n in events:
            if kind == "result":
                results_before += 1
            else:
                self.assertEqual(results_before, n, f"bar at {n} after {results_before} results")
        self.assertEqual(results_before, total)

    def test_tag_streams_results_with_the_bar(self):
        images = sorted(os.path.join(IMAGES, f) for f in os.listdir(IMAGES))[:9]
        code, output = self.run_on_terminal("tag", "-m", TAGGER, "--max-tags", "1", "--batch", "2", *images)
        self.assertEqual(code, 0, output)
        self.check_interleaving(output, "tag", 9, re.escape(IMAGES) + r"/[^\t]+\t\[")

    def test_jsonl_streams_too(self):
        images = sorted(os.path.join(IMAGES, f) for f in os.listdir(IMAGES))[:5]
        code, output = self.run_on_terminal("embed", "-m", TWO_TOWER, "--batch", "2", "--jsonl", *images)
        self.assertEqual(code, 0, output)
        self.check_interleaving(output, "embed", 5, r'\{"input":')

    def peak_rss_kib(self, *args):
        """Runs the command line with stdout to /dev/null; its peak resident memory."""
        with open(os.devnull, "w") as sink, open(os.path.join(WORK, "stderr.txt"), "w+") as errors:
            child = subprocess.Popen([CLI, *args], stdout=sink, stderr=errors)
            _, status, usage = os.wait4(child.pid, 0)
            child.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
            errors.seek(0)
            self.assertEqual(child.returncode, 0, errors.read())
        return usage.ru_maxrss

    @unittest.skipIf(os.environ.get("ACG2VEC_SANITIZE"), "a sanitized build keeps freed memory in quarantine")
    def test_memory_does_not_grow_with_the_input_count(self):
        # The fixture tagger gives 10,861 probabilities (43 KB) per image: results kept to the
        # end would add 130 MB over 3,000 images.
        peaks = []
        for count in (300, 3000):
            folder = os.path.join(WORK, f"many_{count}")
            if not os.path.isdir(folder):
                os.makedirs(folder)
                for i in range(count):
                    os.symlink(FRAME, os.path.join(folder, f"{i:05}.jpg"))
            peaks.append(self.peak_rss_kib("tag", "-m", TAGGER, folder, "--max-tags", "3", "--jsonl", "-q"))
        print(f"\n  peak RSS: 300 images {peaks[0] / 1024:.1f} MiB, 3000 images {peaks[1] / 1024:.1f} MiB",
              file=sys.stderr)
        self.assertLess(peaks[1] - peaks[0], 30 * 1024)

    def test_quiet_and_pipes_have_no_bar(self):
        r = run("tag", "-m", TAGGER, HR, FRAME)
        self.assertEqual(r.stderr, "")
        code, output = self.run_on_terminal("tag", "-m", TAGGER, "--max-tags", "1", "-q", HR)
        self.assertNotIn("tag [", output)


if __name__ == "__main__":
    os.makedirs(WORK, exist_ok=True)
    unittest.main(verbosity=2)
