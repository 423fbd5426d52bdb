#!/usr/bin/env python3
"""The page `acg2vec serve` shows at /, driven in Debian's headless Chromium.

The server runs the default models (nsfwjs MobileNetV2 and InceptionV3) with an index of the
shared sample images. The test loads the page, analyzes an uploaded image (its rating and its
neighbours), searches by image and with "More like this" (the near-duplicate partner comes
first), shows both near-duplicate pairs in the duplicates view, adds and removes an image,
shows an API error in words, and checks that the browser logged no console errors. A
screenshot of each view is saved in WORK_DIR/screenshots.

Two fixture models stand for a WD tagger (the real WD v3 tag table, made-up probabilities) and
pix2score (binned heads), for the tag sliders and expected values.

Usage: test_web_page.py ACG2VEC_CLI MODEL_DIR FIXTURE_DIR SHARED_DATA WORK_DIR
Exits 77 (ctest: skipped) only when Chromium or its driver cannot start.
"""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

CLI, MODELS, FIXTURES, DATA, WORK = (os.path.abspath(a) for a in sys.argv[1:6])
del sys.argv[1:6]

SKIP = 77
IMAGES = os.path.join(DATA, "images")
SCREENSHOTS = os.path.join(WORK, "screenshots")
PAIRS = [{"anime4k_knnw_hr_256x256.png", "anime4k_knnw_lr_256x256.png"},
         {"rcugan_anime_frame_251x180.jpg", "rcugan_anime_frame_2x_502x360.png"}]

try:
    from selenium import webdriver
    from selenium.common.exceptions import StaleElementReferenceException, TimeoutException, WebDriverException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError as e:  # the test set-up installs python3-selenium: a missing one is a failure
    sys.exit(f"python3-selenium is missing ({e}): bash scripts/install-deps.sh installs it")


def start_server(index_path, *extra):
    args = [CLI, "serve", "--port", "0", "--allow-writes",
            "--model", "inception=" + os.path.join(MODELS, "nsfwjs-inceptionv3.pt"),
            "--model", "mobilenet=" + os.path.join(MODELS, "nsfwjs-mobilenetv2.pt"),
            "--model", "wd=" + os.path.join(FIXTURES, "wd_table_fixture.pt"),
            "--model", "pix2score=" + os.path.join(FIXTURES, "pix2score_fixture.pt"),
            "--model", "two_tower=" + os.path.join(FIXTURES, "two_tower_fixture.pt"),
            "--index", f"samples={index_path}:inception", "--image-root", "samples=" + IMAGES,
            "--index", f"texts={os.path.join(WORK, 'texts.idx')}:two_tower", "--image-root", "texts=" + IMAGES, *extra]
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    if "listening on" not in line:
        process.kill()
        raise RuntimeError("server did not start: " + line + process.stderr.read())
    return process, line.split("listening on ")[1].split(" ")[0]


def start_browser(profile):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                 "--window-size=1280,1000", "--user-data-dir=" + profile, "--no-first-run"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


class WebPage(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        os.makedirs(SCREENSHOTS, exist_ok=True)
        cls.index = os.path.join(WORK, "samples.idx")
        if os.path.exists(cls.index):
            os.remove(cls.index)
        subprocess.run([CLI, "index", "build", IMAGES, "--root", IMAGES, "-i", cls.index, "-q",
                        "-m", os.path.join(MODELS, "nsfwjs-inceptionv3.pt")], check=True)
        # An index of a model with a text tower (a CLIP-like fixture), for text search.
        texts = os.path.join(WORK, "texts.idx")
        if os.path.exists(texts):
            os.remove(texts)
        subprocess.run([CLI, "index", "build", IMAGES, "--root", IMAGES, "-i", texts, "-q",
                        "-m", os.path.join(FIXTURES, "two_tower_fixture.pt")], check=True)
        cls.profile = tempfile.mkdtemp(prefix="chromium-", dir=WORK)
        try:
            cls.browser = start_browser(cls.profile)
        except (WebDriverException, OSError) as e:
            print(f"SKIPPED: Chromium could not start here ({str(e).splitlines()[0]})", flush=True)
            shutil.rmtree(cls.profile, ignore_errors=True)
            os._exit(SKIP)
        cls.server, cls.url = start_server(cls.index)

    @classmethod
    def tearDownClass(cls):
        cls.browser.quit()
        cls.server.send_signal(signal.SIGTERM)
        cls.server.wait(timeout=30)
        cls.server.stdout.close()
        cls.server.stderr.close()
        shutil.rmtree(cls.profile, ignore_errors=True)

    # ---- helpers ----

    def wait_for(self, condition, seconds=60, what="the page"):
        try:
            # A list the page replaced while the condition read it: read it again.
            WebDriverWait(self.browser, seconds, poll_frequency=0.1,
                          ignored_exceptions=[StaleElementReferenceException]).until(lambda _: condition())
        except TimeoutException:
            raise AssertionError(f"timed out waiting for {what}; error box: {self.error_text()!r}")

    def element(self, element_id):
        return self.browser.find_element(By.ID, element_id)

    def text(self, element_id):
        return self.browser.find_element(By.ID, element_id).text

    def error_text(self):
        box = self.browser.find_element(By.ID, "error")
        return box.text if box.is_displayed() else ""

    def open_tab(self, name):
        self.element("tab-" + name).click()
        self.wait_for(lambda: self.element("view-" + name).is_displayed(), what=name + " view")

    def result_keys(self, container_id):
        # One script, so that a list the page replaces meanwhile cannot leave stale elements.
        return self.browser.execute_script(
            "return [...document.getElementById(arguments[0]).querySelectorAll('.card .key')].map((e) => e.textContent)",
            container_id)

    def thumbnails_loaded(self, container_id):
        images = self.element(container_id).find_elements(By.CSS_SELECTOR, ".card img")
        return images and all(self.browser.execute_script(
            "return arguments[0].complete && arguments[0].naturalWidth > 0 && arguments[0].src.startsWith('blob:')",
            img) for img in images)

    def screenshot(self, name):
        self.browser.execute_script("window.scrollTo(0, 0)")
        path = os.path.join(SCREENSHOTS, name + ".png")
        self.browser.save_screenshot(path)
        print("screenshot:", path, flush=True)

    def console_errors(self):
        return [e for e in self.browser.get_log("browser") if e["level"] == "SEVERE"]

    # ---- the views, in order (one browser session) ----

    def test_0_page_loads(self):
        self.browser.get(self.url + "/")
        self.wait_for(lambda: "5 model(s), 2 index(es)" in self.text("status"), what="the models and indexes")
        # The tabs work from the keyboard (arrow keys move between them).
        self.element("tab-search").send_keys(Keys.ARROW_RIGHT)
        self.wait_for(lambda: self.element("view-analyze").is_displayed(), what="the arrow key")
        self.assertEqual(self.browser.switch_to.active_element.get_attribute("id"), "tab-analyze")

    def test_1_analyze_shows_rating_and_neighbours(self):
        self.open_tab("analyze")
        self.select_model("inception")
        self.element("analyze-file").send_keys(os.path.join(IMAGES, "anime4k_knnw_hr_256x256.png"))
        self.wait_for(lambda: self.element("analysis").is_displayed() and self.result_keys("neighbours"),
                      what="the analysis")
        heading = self.element("scores").find_element(By.TAG_NAME, "h3").text
        self.assertEqual(heading, "rating: Drawing")  # nsfwjs's head and its class
        self.assertEqual(self.result_keys("neighbours")[:2], ["anime4k_knnw_hr_256x256.png",
                                                              "anime4k_knnw_lr_256x256.png"])
        self.wait_for(lambda: self.thumbnails_loaded("neighbours"), what="the neighbours' thumbnails")
        self.screenshot("analyze")

    def select_model(self, name):
        self.browser.execute_script("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change'))",
                                    self.element("analyze-model"), name)

    def analyze_requests(self):
        return self.browser.execute_script(
            "return performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/v1/analyze')).length")

    def slide(self, element_id, value):
        self.browser.execute_script("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'))",
                                    self.element(element_id), str(value))

    def bar_names(self, list_id):  # in one script: thousands of WebDriver calls would take minutes
        return self.browser.execute_script(
            "return [...arguments[0].querySelectorAll('li:not(.empty) > span:first-child')].map((e) => e.textContent)",
            self.element(list_id))

    def bar_count(self, list_id):  # all above the threshold, shown or not
        return int(self.element(list_id).get_attribute("data-count"))

    def test_1b_tag_sliders_filter_live(self):
        self.select_model("wd")
        before = self.analyze_requests()
        self.element("analyze-file").send_keys(os.path.join(IMAGES, "waifu2x_chibi_rgba_720x720.png"))
        self.wait_for(lambda: self.element("analyze-tags").is_displayed() and self.analyze_requests() == before + 1
                      and self.bar_names("tags-ratings"), what="the tags")
        self.assertEqual(len(self.bar_names("tags-ratings")), 4)  # general, sensitive, questionable, explicit
        self.assertFalse(self.element("analyze-scores").is_displayed())
        self.assertFalse(self.element("analyze-neighbours").is_displayed())  # no index of this model
        at_default = self.bar_count("tags-general")
        self.assertLessEqual(len(self.bar_names("tags-general")), 200)  # the page lists at most 200
        self.slide("general-threshold", 0.7)
        fewer = self.bar_count("tags-general")
        self.assertTrue(0 < fewer < at_default, (fewer, at_default))
        self.assertEqual(self.text("general-threshold-value"), "0.70")
        self.assertEqual(self.bar_names("tags-characters"), [])  # none at 0.85
        self.slide("character-threshold", 0.3)
        self.assertGreater(len(self.bar_names("tags-characters")), 0)
        self.assertEqual(self.analyze_requests(), before + 1)  # the sliders asked the server nothing
        self.screenshot("analyze-tags")

    def test_1c_binned_scores_show_expected_values(self):
        self.select_model("pix2score")
        self.element("analyze-file").send_keys(os.path.join(IMAGES, "anime2sketch_madoka_512x512.jpg"))
        self.wait_for(lambda: self.element("analyze-scores").is_displayed(), what="the scores")
        headings = [h.text for h in self.element("scores").find_elements(By.TAG_NAME, "h3")]
        self.assertEqual([h.split(":")[0] for h in headings], ["bookmark", "view", "sanity"])
        self.assertTrue(all("expected value" in h for h in headings), headings)
        self.assertFalse(self.element("analyze-tags").is_displayed())

    def test_2_image_search_and_more_like_this(self):
        self.open_tab("search")
        self.element("search-file").send_keys(os.path.join(IMAGES, "rcugan_anime_frame_2x_502x360.png"))
        self.wait_for(lambda: self.element("search-results").get_attribute("data-hits") == "20", what="image search")
        keys = self.result_keys("search-results")
        self.assertEqual(keys[:2], ["rcugan_anime_frame_2x_502x360.png", "rcugan_anime_frame_251x180.jpg"])
        # "More like this" on the LR Anime4K crop: its HR partner first, the crop itself left out.
        card = self.card("search-results", "anime4k_knnw_lr_256x256.png")
        card.find_element(By.XPATH, ".//button[text()='More like this']").click()
        self.wait_for(lambda: self.element("search-results").get_attribute("data-hits") == "19",
                      what="more like this")
        keys = self.result_keys("search-results")
        self.assertEqual(keys[0], "anime4k_knnw_hr_256x256.png")
        self.assertNotIn("anime4k_knnw_lr_256x256.png", keys)
        self.wait_for(lambda: self.thumbnails_loaded("search-results"), what="the thumbnails")
        self.screenshot("search")

    def test_2b_text_search(self):
        self.open_tab("search")
        self.assertFalse(self.element("search-text").is_enabled())  # samples: InceptionV3 has no text tower
        self.browser.execute_script("arguments[0].value = 'texts'; arguments[0].dispatchEvent(new Event('change'))",
                                    self.element("search-index"))
        self.wait_for(lambda: self.element("search-text").is_enabled(), what="the text box")
        self.element("search-k").clear()
        self.element("search-k").send_keys("5")
        self.element("search-text").send_keys("a girl with a military cap\n")
        self.wait_for(lambda: self.element("search-results").get_attribute("data-hits") == "5"
                      and "Text: a girl with a military cap" in self.text("search-query"), what="the text search")
        self.assertTrue(all(h.startswith("similarity ") for h in
                            [e.text for e in self.element("search-results").find_elements(By.CSS_SELECTOR, ".score")]))
        # Back to the image index for the views below.
        self.element("search-text").clear()
        self.element("search-k").clear()
        self.element("search-k").send_keys("24")
        self.browser.execute_script("arguments[0].value = 'samples'; arguments[0].dispatchEvent(new Event('change'))",
                                    self.element("search-index"))

    def test_3_duplicates_shows_both_pairs(self):
        self.open_tab("duplicates")
        slider = self.element("duplicates-score")
        self.browser.execute_script("arguments[0].value = '0.94'; arguments[0].dispatchEvent(new Event('input'))",
                                    slider)
        self.wait_for(lambda: self.element("duplicates").get_attribute("data-groups") == "2"
                      and "0.940" in self.text("duplicates-summary"), what="two duplicate groups")
        groups = [set(g.text for g in group.find_elements(By.CSS_SELECTOR, ".card .key"))
                  for group in self.element("duplicates").find_elements(By.CSS_SELECTOR, ".group")]
        self.assertCountEqual(groups, PAIRS)
        self.wait_for(lambda: self.thumbnails_loaded("duplicates"), what="the thumbnails")
        self.screenshot("duplicates")

    def test_4_add_and_remove(self):
        self.open_tab("search")
        self.element("manage").click()  # <details> opens
        self.element("add-prefix").clear()
        self.element("add-prefix").send_keys("uploads/")
        self.element("add-files").send_keys(os.path.join(DATA, "tricky", "progressive.jpg"))
        self.element("add-form").find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        self.wait_for(lambda: "1 of 1 added to samples" in self.text("add-status"), what="the upload")
        self.wait_for(lambda: "21 images" in self.element("search-index").text, what="the new size")
        self.element("search-prefix").send_keys("uploads/")
        self.element("search-form").find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        self.wait_for(lambda: self.result_keys("search-results") == ["uploads/progressive.jpg"],
                      what="the prefix search")
        # Its thumbnail: the file is not under the image root, so the placeholder, not an error.
        self.wait_for(lambda: self.thumbnails_loaded("search-results"), what="the placeholder")
        card = self.card("search-results", "uploads/progressive.jpg")
        card.find_element(By.XPATH, ".//button[text()='Remove']").click()
        self.browser.switch_to.alert.accept()
        self.wait_for(lambda: "20 images" in self.element("search-index").text, what="the removal")
        self.assertEqual(self.result_keys("search-results"), [])
        self.element("search-prefix").clear()

    def test_5_no_console_errors(self):
        self.assertEqual(self.console_errors(), [])

    def test_6_api_errors_in_words(self):
        self.open_tab("analyze")
        self.element("analyze-file").send_keys(os.path.join(DATA, "tricky", "truncated_image.png"))
        self.wait_for(lambda: "truncated_image.png" in self.error_text(), what="the error message")
        self.assertIn("truncated", self.error_text())
        self.assertFalse(self.element("analysis").is_displayed())  # not the previous image's results
        self.screenshot("analyze-error")
        # Another view does not keep the error; a text search where the index's model has no
        # text tower is not offered.
        self.open_tab("search")
        self.assertEqual(self.error_text(), "")
        self.assertFalse(self.element("search-text").is_enabled())

    def test_7_phone_width(self):
        self.browser.set_window_size(390, 844)
        self.open_tab("search")
        scroll, inner = self.browser.execute_script(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        wide = self.browser.execute_script(
            "return [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > "
            "arguments[0] + 1).map((e) => e.tagName + '#' + e.id + '.' + e.className).slice(0, 5)", inner)
        self.assertLessEqual(scroll, inner, f"the page scrolls sideways at a phone's width: {wide}")
        self.screenshot("search-phone")

    def card(self, container_id, key):
        for card in self.element(container_id).find_elements(By.CSS_SELECTOR, ".card"):
            if card.find_element(By.CSS_SELECTOR, ".key").text == key:
                return card
        raise AssertionError(f"no card for {key} in {container_id}")


class WebPageWithApiKey(unittest.TestCase):
    """With --api-key the page asks for the key, then works with it (thumbnails included)."""

    def test_asks_for_the_key(self):
        index = os.path.join(WORK, "samples.idx")
        profile = tempfile.mkdtemp(prefix="chromium-", dir=WORK)
        server, url = start_server(index, "--api-key", "s3cret")
        browser = start_browser(profile)
        try:
            browser.get(url + "/")
            wait = WebDriverWait(browser, 60, poll_frequency=0.1)
            wait.until(lambda b: b.find_element(By.ID, "credentials").is_displayed())
            self.assertIn("401", browser.find_element(By.ID, "error").text)
            browser.find_element(By.ID, "api-key").send_keys("s3cret\n")
            wait.until(lambda b: "5 model(s), 2 index(es)" in b.find_element(By.ID, "status").text)
            self.assertFalse(browser.find_element(By.ID, "credentials").is_displayed())
            self.assertFalse(browser.find_element(By.ID, "error").is_displayed())
            browser.find_element(By.ID, "search-file").send_keys(os.path.join(IMAGES, "mangaocr_01_188x251.jpg"))
            wait.until(lambda b: b.find_element(By.ID, "search-results").get_attribute("data-hits") not in (None, "0"))
            first = browser.find_element(By.CSS_SELECTOR, "#search-results .card .key").text
            self.assertEqual(first, "mangaocr_01_188x251.jpg")
            wait.until(lambda b: all(b.execute_script("return arguments[0].naturalWidth > 0", img)
                                     for img in b.find_elements(By.CSS_SELECTOR, "#search-results .card img")))
        finally:
            browser.quit()
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
            server.stdout.close()
            server.stderr.close()
            shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    started = time.monotonic()
    result = unittest.main(exit=False, verbosity=2).result
    print(f"web page test: {time.monotonic() - started:.1f} s", flush=True)
    sys.exit(0 if result.wasSuccessful() else 1)
