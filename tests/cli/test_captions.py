#!/usr/bin/env python3
"""`acg2vec tag --captions` on the fixture tagger with the real WD v3 tag table.

The fixture gives label i the probability 0.4 (1 + sin(0.37 i)) whatever the image, so every
expected caption is computed here from the table alone, with the selection rules written out
again (strict thresholds, overlaps dropped before the limit, most probable first).

Usage: test_captions.py ACG2VEC_CLI FIXTURE_DIR SHARED_DATA WORK_DIR
"""
import csv
import math
import os
import shutil
import struct
import subprocess
import sys
import unittest

CLI, FIXTURES, DATA, WORK = (os.path.abspath(a) for a in sys.argv[1:5])
del sys.argv[1:5]
MODEL = os.path.join(FIXTURES, "wd_table_fixture.pt")
IMAGES = ["anime4k_knnw_hr_256x256.png", "rcugan_anime_frame_251x180.jpg", "sub/mangaocr_01_188x251.jpg"]

with open(os.path.join(DATA, "tags", "wd_v3_selected_tags.csv"), newline="") as f:
    ROWS = list(csv.DictReader(f))
P = [struct.unpack("f", struct.pack("f", 0.4 * (1 + math.sin(0.37 * i))))[0] for i in range(len(ROWS))]


def words(name):
    return [w for w in name.replace(" ", "_").split("_") if w]


def inside(longer, shorter):
    return 0 < len(shorter) < len(longer) and any(longer[k:k + len(shorter)] == shorter
                                                  for k in range(len(longer) - len(shorter) + 1))


def selected(category, threshold, limit=0, drop_overlap=False):
    """Names of a category above the threshold, most probable first (ties in table order)."""
    picked = [i for i, r in enumerate(ROWS) if r["category"] == category and P[i] > threshold]
    assert all(abs(P[i] - threshold) > 1e-6 for i in picked), "a borderline probability: pick another threshold"
    if drop_overlap:
        picked = [i for i in picked if not any(j != i and inside(words(ROWS[j]["name"]), words(ROWS[i]["name"]))
                                               for j in picked)]
    picked.sort(key=lambda i: (-P[i], i))
    return [ROWS[i]["name"] for i in (picked[:limit] if limit else picked)]


RATING = max((i for i, r in enumerate(ROWS) if r["category"] == "9"), key=lambda i: P[i])


def run(*args, check_code=0):
    r = subprocess.run([CLI, "tag", "-m", MODEL, *args], capture_output=True, text=True)
    if check_code is not None and r.returncode != check_code:
        raise AssertionError(f"exit {r.returncode}, expected {check_code}: {args}\n{r.stdout}\n{r.stderr}")
    return r


class Captions(unittest.TestCase):
    def setUp(self):
        self.dir = os.path.join(WORK, "set")
        shutil.rmtree(WORK, ignore_errors=True)
        os.makedirs(os.path.join(self.dir, "sub"))
        for name in IMAGES:
            shutil.copy(os.path.join(DATA, "images", os.path.basename(name)), os.path.join(self.dir, name))
        shutil.copy(os.path.join(DATA, "tricky", "broken.png"), os.path.join(self.dir, "sub", "broken.png"))

    def caption_of(self, image, ext=".txt", root=None):
        path = os.path.join(root or self.dir, os.path.splitext(image)[0] + ext)
        with open(path) as f:
            return f.read()

    def test_captions_beside_each_image_and_a_bad_image_fails_alone(self):
        r = run(self.dir, "--captions", "--max-tags", "5", "--general-threshold", "0.5", check_code=1)
        expected = ", ".join(selected("0", 0.5, 5)) + "\n"
        for image in IMAGES:
            self.assertEqual(self.caption_of(image), expected)
        self.assertIn("broken.png", r.stderr)
        self.assertIn("3 captions written, 0 skipped (already there), 1 failed", r.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "sub", "broken.txt")))
        self.assertEqual([f for f in os.listdir(self.dir) if ".tmp-" in f], [])  # no temporary left

    def test_existing_captions_are_refused_by_default(self):
        run(self.dir, "--captions", "--max-tags", "3", check_code=1)
        before = self.caption_of(IMAGES[0])
        r = run(self.dir, "--captions", "--max-tags", "9", check_code=1)
        self.assertIn("exists; not overwritten (--overwrite", r.stderr)
        self.assertIn("0 captions written", r.stderr)
        self.assertEqual(self.caption_of(IMAGES[0]), before)
        run(self.dir, "--captions", "--max-tags", "4", "--overwrite", check_code=1)
        self.assertEqual(self.caption_of(IMAGES[0]), ", ".join(selected("0", 0.35, 4)) + "\n")

    def test_rating_characters_first_escape_exclude_always_first(self):
        characters = selected("4", 0.79)
        general = selected("0", 0.6, 6)
        with_parens = [c for c in characters if "(" in c]
        self.assertTrue(with_parens and len(characters) > 3)
        exclude_file = os.path.join(WORK, "undesired.txt")
        with open(exclude_file, "w") as f:
            f.write(general[0].replace("_", " ") + "\n")  # as users type them: with spaces
        first = general[3]
        run(self.dir, "--captions", "--with-rating", "--character-threshold", "0.79", "--general-threshold", "0.6",
            "--max-tags", "6", "--escape-parens", "--exclude", characters[1] + "," + general[1],
            "--exclude-file", exclude_file, "--always-first", first, "--separator", " | ", "--caption-ext", ".caption",
            check_code=1)
        kept_general = [g for g in selected("0", 0.6, 0) if g not in (general[0], general[1])][:6]
        kept_characters = [c for c in characters if c != characters[1]]
        escape = lambda t: t.replace("(", "\\(").replace(")", "\\)")  # noqa: E731
        tags = [ROWS[RATING]["name"], first] + [escape(c) for c in kept_characters] + [g for g in kept_general
                                                                                     if g != first]
        self.assertEqual(self.caption_of(IMAGES[1], ".caption"), " | ".join(tags) + "\n")
        self.assertTrue(any("\\(" in t for t in tags))

    def test_drop_overlap(self):
        plain = selected("0", 0.7)
        dropped = selected("0", 0.7, drop_overlap=True)
        self.assertLess(len(dropped), len(plain))  # the table has overlaps at this threshold
        run(self.dir, "--captions", "--general-threshold", "0.7", "--drop-overlap", check_code=1)
        self.assertEqual(self.caption_of(IMAGES[0]), ", ".join(dropped) + "\n")

    def test_append_keeps_order_and_adds_no_second_spelling(self):
        path = os.path.join(self.dir, "anime4k_knnw_hr_256x256.txt")
        new = selected("0", 0.5, 4)
        with open(path, "w") as f:
            f.write("my tag, " + new[2] + ", other\n")
        run(self.dir, "--captions", "--append", "--max-tags", "4", "--general-threshold", "0.5", "--spaces",
            check_code=1)
        spaced = [t.replace("_", " ") for t in new]
        expected = ["my tag", new[2], "other"] + [t for t in spaced if t != new[2].replace("_", " ")]
        self.assertEqual(self.caption_of(IMAGES[0]), ", ".join(expected) + "\n")
        # Images without a caption get a new one.
        self.assertEqual(self.caption_of(IMAGES[1]), ", ".join(spaced) + "\n")

    def test_skip_existing_resumes_a_killed_run(self):
        run(self.dir, "--captions", "--max-tags", "3", check_code=1)
        # A killed run: one caption never written, one left as a temporary (never renamed),
        # one finished (kept, even if the user edited it since).
        os.remove(os.path.join(self.dir, "rcugan_anime_frame_251x180.txt"))
        os.rename(os.path.join(self.dir, "sub", "mangaocr_01_188x251.txt"),
                  os.path.join(self.dir, "sub", "mangaocr_01_188x251.txt.tmp-4242"))
        with open(os.path.join(self.dir, "anime4k_knnw_hr_256x256.txt"), "w") as f:
            f.write("edited by hand\n")
        r = run(self.dir, "--captions", "--max-tags", "3", "--skip-existing", check_code=1)
        self.assertIn("2 captions written, 1 skipped (already there), 1 failed", r.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "sub", "mangaocr_01_188x251.txt.tmp-4242")))
        self.assertEqual(self.caption_of(IMAGES[0]), "edited by hand\n")
        self.assertEqual(self.caption_of(IMAGES[1]), ", ".join(selected("0", 0.35, 3)) + "\n")
        self.assertEqual(self.caption_of(IMAGES[2]), ", ".join(selected("0", 0.35, 3)) + "\n")
        r = run(self.dir, "--captions", "--skip-existing", check_code=1)  # nothing left but the broken file
        self.assertIn("0 captions written, 3 skipped", r.stderr)

    def test_kill_9_leaves_whole_captions_and_skip_existing_finishes(self):
        many = os.path.join(WORK, "many")
        os.makedirs(many)
        names = sorted(os.listdir(os.path.join(DATA, "images")))
        for copy in range(4):
            for name in names:
                shutil.copy(os.path.join(DATA, "images", name), os.path.join(many, f"{copy}_{name}"))
        expected = ", ".join(selected("0", 0.35, 3)) + "\n"
        process = subprocess.Popen([CLI, "tag", "-m", MODEL, many, "--captions", "--max-tags", "3", "--batch", "2"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        import time
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not any(f.endswith(".txt") for f in os.listdir(many)):
            time.sleep(0.01)
        process.kill()  # SIGKILL, mid-run
        process.wait()
        done = [f for f in os.listdir(many) if f.endswith(".txt")]
        self.assertGreater(len(done), 0)
        for f in done:  # every caption there is whole
            with open(os.path.join(many, f)) as caption:
                self.assertEqual(caption.read(), expected, f)
        r = run(many, "--captions", "--max-tags", "3", "--skip-existing")
        self.assertIn(f"{len(names) * 4 - len(done)} captions written, {len(done)} skipped", r.stderr)
        self.assertEqual(sorted(f for f in os.listdir(many) if not f.endswith(".txt")),
                         sorted(f"{c}_{n}" for c in range(4) for n in names))  # no temporaries left
        print(f"killed after {len(done)} of {len(names) * 4} captions", file=sys.stderr)

    def test_output_dir_mirrors_the_tree_and_frequency_counts_tags(self):
        out = os.path.join(WORK, "captions")
        r = run(self.dir, "--captions", "--output-dir", out, "--max-tags", "2", "--frequency", check_code=1)
        for image in IMAGES:
            self.assertTrue(os.path.exists(os.path.join(out, os.path.splitext(image)[0] + ".txt")), image)
            self.assertFalse(os.path.exists(os.path.join(self.dir, os.path.splitext(image)[0] + ".txt")))
        self.assertEqual(r.stdout.splitlines(), [f"3\t{t}" for t in selected("0", 0.35, 2)])

    def test_bad_options(self):
        r = run(self.dir, "--captions", "--append", "--overwrite", check_code=None)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("excludes", r.stderr)
        r = run(self.dir, "--captions", "--exclude-file", os.path.join(WORK, "missing.txt"), check_code=None)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("missing.txt", r.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
