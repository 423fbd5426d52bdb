package acg2vec

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The fixture models and the shared images: ACG2VEC_TEST_FIXTURES, ACG2VEC_SHARED_DATA, and
// ACG2VEC_TEST_WORK for scratch files.
func env(t *testing.T, name string) string {
	value := os.Getenv(name)
	if value == "" {
		t.Fatalf("set %s", name)
	}
	return value
}

func fixture(t *testing.T, name string) string {
	return filepath.Join(env(t, "ACG2VEC_TEST_FIXTURES"), name)
}
func data(t *testing.T, name string) string {
	return filepath.Join(env(t, "ACG2VEC_SHARED_DATA"), name)
}
func work(t *testing.T, name string) string {
	dir := env(t, "ACG2VEC_TEST_WORK")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, name)
}

func open(t *testing.T, name string) *Model {
	m, err := OpenModel(fixture(t, name), ModelOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func statusOf(err error) Status {
	var e *Error
	if errors.As(err, &e) {
		return e.Status
	}
	return -1
}

func TestTagsAndBatches(t *testing.T) {
	model := open(t, "wd_table_fixture.pt")
	tagger, err := NewTagger(model, TagOptions{MaxGeneral: 3, Spaces: true})
	model.Close() // the tagger keeps it
	if err != nil {
		t.Fatal(err)
	}
	defer tagger.Close()
	hr := data(t, "images/anime4k_knnw_hr_256x256.png")
	tags, err := tagger.Tag(File(hr))
	if err != nil {
		t.Fatal(err)
	}
	if len(tags.Ratings) != 4 || tags.Rating != tags.Ratings[0].Name || len(tags.General) != 3 {
		t.Fatalf("unexpected tags %+v", tags)
	}
	for _, g := range tags.General {
		if strings.Contains(g.Name, "_") {
			t.Errorf("underscore kept in %q", g.Name)
		}
	}
	bytes, _ := os.ReadFile(hr)
	if again, _ := tagger.Tag(Bytes(bytes)); again.Caption(", ") != tags.Caption(", ") {
		t.Errorf("bytes give %q, the file %q", again.Caption(", "), tags.Caption(", "))
	}
	batch, err := tagger.TagBatch([]Input{File(hr), File(data(t, "tricky/broken.png")), Bytes([]byte("junk"))})
	if err != nil {
		t.Fatal(err)
	}
	if batch[0].Err != nil || batch[0].Result.Caption(", ") != tags.Caption(", ") {
		t.Errorf("first item: %+v", batch[0])
	}
	if statusOf(batch[1].Err) != InvalidImage || !strings.Contains(batch[1].Err.Error(), "broken.png") {
		t.Errorf("broken image: %v", batch[1].Err)
	}
	if batch[2].Input != "batch[2]" || statusOf(batch[2].Err).Name() != "unsupported_format" {
		t.Errorf("junk bytes: %+v", batch[2])
	}
}

func TestOpenErrors(t *testing.T) {
	_, err := OpenModel(work(t, "missing.pt"), ModelOptions{})
	if statusOf(err) != ModelLoad || !strings.Contains(err.Error(), "missing.pt") {
		t.Errorf("missing model: %v", err)
	}
	_, err = OpenModel(fixture(t, "classifier_fixture.pt"), ModelOptions{Threads: 5000})
	if statusOf(err) != InvalidArgument {
		t.Errorf("threads 5000: %v", err)
	}
	model := open(t, "classifier_fixture.pt")
	defer model.Close()
	if _, err := NewTagger(model, TagOptions{}); err == nil || !strings.Contains(err.Error(), "this is a scorer model") {
		t.Errorf("wrong task: %v", err)
	}
}

func TestScores(t *testing.T) {
	model := open(t, "pix2score_fixture.pt")
	defer model.Close()
	scorer, err := NewScorer(model)
	if err != nil {
		t.Fatal(err)
	}
	defer scorer.Close()
	heads, err := scorer.Score(File(data(t, "images/anime4k_knnw_hr_256x256.png")))
	if err != nil {
		t.Fatal(err)
	}
	if len(heads) != 3 || heads[1].Name != "view" || heads[1].Best.Label != "500-1000" || !heads[1].HasExpectedValue {
		t.Fatalf("unexpected heads %+v", heads)
	}
	if v := heads[1].ExpectedValue; v < 874.999 || v > 875.001 {
		t.Errorf("expected value %v", v)
	}
}

func TestEmbedIndexSearch(t *testing.T) {
	model := open(t, "two_tower_fixture.pt")
	embedder, err := NewEmbedder(model)
	model.Close()
	if err != nil {
		t.Fatal(err)
	}
	defer embedder.Close()
	hr := File(data(t, "images/anime4k_knnw_hr_256x256.png"))
	vector, err := embedder.Embed(hr)
	if err != nil || len(vector) != 4 {
		t.Fatal(vector, err)
	}
	texts, err := embedder.EmbedTexts([]string{"a cat", "a dog"})
	if err != nil || len(texts) != 2 {
		t.Fatal(texts, err)
	}
	same, err := embedder.Similarity(hr, hr)
	if err != nil || same.Score < 99.999 {
		t.Errorf("similarity %+v %v", same, err)
	}
	options, err := IndexOptionsFor(embedder)
	if err != nil || options.Dimension() != 4 {
		t.Fatal(options, err)
	}
	index, err := CreateIndex(options)
	if err != nil {
		t.Fatal(err)
	}
	defer index.Close()
	if err := index.Add("hr", vector, "side:a"); err != nil {
		t.Fatal(err)
	}
	if err := index.Add("hr", vector); statusOf(err) != InvalidArgument {
		t.Errorf("duplicate key: %v", err)
	}
	if err := index.Add("short", []float32{1, 2}); err == nil || !strings.Contains(err.Error(), "dimension") {
		t.Errorf("short vector: %v", err)
	}
	hits, err := index.Search(vector, 2)
	if err != nil || len(hits) != 1 || hits[0].Key != "hr" {
		t.Errorf("search: %+v %v", hits, err)
	}
	if hits, _ := index.Search(vector, 2, "side:b"); len(hits) != 0 {
		t.Errorf("category filter: %+v", hits)
	}
	if _, err := index.Get("absent"); statusOf(err) != NotFound {
		t.Errorf("absent key: %v", err)
	}
	path := work(t, "go.idx")
	if err := index.Save(path); err != nil {
		t.Fatal(err)
	}
	loaded, err := LoadIndex(path, options)
	if err != nil {
		t.Fatal(err)
	}
	defer loaded.Close()
	if keys, _ := loaded.Keys(); len(keys) != 1 || keys[0] != "hr" {
		t.Errorf("keys %v", keys)
	}
	if err := os.WriteFile(work(t, "bad.idx"), []byte("not an index"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadIndex(work(t, "bad.idx"), options); statusOf(err) != IndexFormat {
		t.Errorf("corrupt index: %v", err)
	}
}

func TestTokenizersAndFiles(t *testing.T) {
	clip, err := OpenClipTokenizer(data(t, "clip/bpe_simple_vocab_16e6.txt.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer clip.Close()
	ids, _ := clip.Tokenize("1girl, long_hair")
	want := []int64{49406, 272, 1611, 267, 1538, 318, 2225, 49407, 0}
	for i, id := range want {
		if ids[i] != id {
			t.Fatalf("clip ids %v, want prefix %v", ids[:9], want)
		}
	}
	bert, err := OpenWordPieceTokenizer(data(t, "bert/bert-base-uncased-vocab.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer bert.Close()
	if pieces, _ := bert.Tokenize("Hello World"); strings.Join(pieces, " ") != "hello world" {
		t.Errorf("pieces %v", pieces)
	}
	if _, err := OpenClipTokenizer(work(t, "none.txt.gz")); statusOf(err) != IO {
		t.Errorf("missing vocabulary: %v", err)
	}
	files, err := ListImageFiles(data(t, "images"))
	if err != nil || len(files) != 20 {
		t.Errorf("%d files, %v", len(files), err)
	}
}

func rssKiB(t *testing.T) int {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			n, _ := strconv.Atoi(strings.Fields(line)[1])
			return n
		}
	}
	return 0
}

// collect runs the collector and gives the finalizers it queued time to free their C objects.
func collect() {
	runtime.GC()
	time.Sleep(20 * time.Millisecond)
	runtime.GC()
}

// Thousands of open / score / close cycles keep memory flat, with Close and with finalizers.
func TestNoLeaks(t *testing.T) {
	image := File(data(t, "images/mangaocr_01_188x251.jpg"))
	cycle := func(n int, close bool) {
		for i := 0; i < n; i++ {
			model := open(t, "classifier_fixture.pt")
			scorer, err := NewScorer(model)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := scorer.Score(image); err != nil {
				t.Fatal(err)
			}
			if _, err := scorer.ScoreBatch([]Input{image, Bytes([]byte("junk"))}); err != nil {
				t.Fatal(err)
			}
			if close {
				scorer.Close()
				model.Close()
			} else if i%50 == 49 {
				collect() // Go's collector does not see C memory: without Close, collect now and then
			}
		}
		collect()
	}
	for _, close := range []bool{true, false} {
		cycle(300, close)
		before := rssKiB(t)
		cycle(1500, close)
		grown := rssKiB(t) - before
		t.Logf("1500 scorer cycles (close %v): RSS grew %d KiB", close, grown)
		if grown > 8*1024 {
			t.Errorf("RSS grew by %d KiB", grown)
		}
	}
}
