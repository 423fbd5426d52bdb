package acg2vec

/*
#include <stdlib.h>
#include <acg2vec.h>
*/
import "C"

import (
	"runtime"
	"strings"
	"unsafe"
)

// Tag is a name and its probability.
type Tag struct {
	Name        string
	Probability float32
}

// TagResult is the tags of one image, each list most probable first.
type TagResult struct {
	Rating     string
	Ratings    []Tag
	Characters []Tag
	General    []Tag
}

// Caption is the characters then the general tags joined: the training-caption form.
func (r *TagResult) Caption(separator string) string {
	var names []string
	for _, t := range append(append([]Tag{}, r.Characters...), r.General...) {
		names = append(names, t.Name)
	}
	return strings.Join(names, separator)
}

// Outcome is one input of a batch: its name (the path, or "batch[i]") and its result or error.
type Outcome[T any] struct {
	Input  string
	Result T
	Err    error
}

// batchFunctions read one kind of batch.
type batchFunctions[B, R any] struct {
	count  func(*B, *C.size_t) C.acg2vec_status
	item   func(*B, C.size_t, *C.acg2vec_status, **C.char, **C.char) C.acg2vec_status
	result func(*B, C.size_t, **R) C.acg2vec_status
	free   func(*B)
}

func readBatch[B, R, T any](batch *B, f batchFunctions[B, R], read func(*R) (T, error)) ([]Outcome[T], error) {
	defer f.free(batch)
	var count C.size_t
	if err := call(func() C.acg2vec_status { return f.count(batch, &count) }); err != nil {
		return nil, err
	}
	outcomes := make([]Outcome[T], int(count))
	for i := range outcomes {
		var status C.acg2vec_status
		var input, message *C.char
		if err := call(func() C.acg2vec_status { return f.item(batch, C.size_t(i), &status, &input, &message) }); err != nil {
			return nil, err
		}
		outcomes[i].Input = C.GoString(input)
		if status != C.ACG2VEC_OK {
			outcomes[i].Err = &Error{Status: Status(status), Message: C.GoString(message)}
			continue
		}
		var result *R
		if err := call(func() C.acg2vec_status { return f.result(batch, C.size_t(i), &result) }); err != nil {
			return nil, err
		}
		outcomes[i].Result, outcomes[i].Err = read(result)
	}
	return outcomes, nil
}

func readTags(r *C.acg2vec_tag_result) (TagResult, error) {
	category := func(which C.acg2vec_tag_category) ([]Tag, error) {
		var count C.size_t
		if err := call(func() C.acg2vec_status { return C.acg2vec_tag_result_count(r, which, &count) }); err != nil {
			return nil, err
		}
		tags := make([]Tag, int(count))
		for i := range tags {
			var name *C.char
			var p C.float
			if err := call(func() C.acg2vec_status { return C.acg2vec_tag_result_get(r, which, C.size_t(i), &name, &p) }); err != nil {
				return nil, err
			}
			tags[i] = Tag{C.GoString(name), float32(p)}
		}
		return tags, nil
	}
	var result TagResult
	var err error
	var rating *C.char
	if err = call(func() C.acg2vec_status { return C.acg2vec_tag_result_rating(r, &rating) }); err != nil {
		return result, err
	}
	result.Rating = C.GoString(rating)
	if result.Ratings, err = category(C.ACG2VEC_TAG_RATING); err != nil {
		return result, err
	}
	if result.Characters, err = category(C.ACG2VEC_TAG_CHARACTER); err != nil {
		return result, err
	}
	result.General, err = category(C.ACG2VEC_TAG_GENERAL)
	return result, err
}

// TagOptions chooses the tags a result keeps; zero fields keep the library's (WD14's) defaults.
type TagOptions struct {
	GeneralThreshold   float32
	CharacterThreshold float32
	MaxGeneral         int      // at most this many general tags
	Exclude            []string // tags never reported
	Spaces             bool     // "long_hair" -> "long hair"
	EscapeParentheses  bool     // "(" -> "\(" for prompts
	DropOverlap        bool     // drop "shirt" when "white_shirt" is kept
}

// Tagger gives WD14 / DeepDanbooru tags.
type Tagger struct {
	raw *C.acg2vec_tagger
}

// NewTagger makes a tagger on a model (which it keeps alive).
func NewTagger(model *Model, options TagOptions) (*Tagger, error) {
	var c C.acg2vec_tag_options
	if err := call(func() C.acg2vec_status { return C.acg2vec_tag_options_init(&c) }); err != nil {
		return nil, err
	}
	if options.GeneralThreshold != 0 {
		c.general_threshold = C.float(options.GeneralThreshold)
	}
	if options.CharacterThreshold != 0 {
		c.character_threshold = C.float(options.CharacterThreshold)
	}
	c.max_general = C.size_t(options.MaxGeneral)
	exclude := newCStrings(options.Exclude)
	defer exclude.free()
	array, release := exclude.array()
	defer release()
	c.exclude, c.exclude_count = array, C.size_t(len(options.Exclude))
	flag := func(b bool) C.int {
		if b {
			return 1
		}
		return 0
	}
	c.underscores_to_spaces, c.escape_parentheses, c.drop_overlap =
		flag(options.Spaces), flag(options.EscapeParentheses), flag(options.DropOverlap)
	t := &Tagger{}
	if err := call(func() C.acg2vec_status { return C.acg2vec_tagger_create(model.raw, &c, nil, &t.raw) }); err != nil {
		return nil, err
	}
	runtime.SetFinalizer(t, (*Tagger).Close)
	return t, nil
}

// Close frees the tagger. Idempotent.
func (t *Tagger) Close() {
	C.acg2vec_tagger_free(t.raw)
	t.raw = nil
}

// Tag tags one image.
func (t *Tagger) Tag(image Input) (TagResult, error) {
	inputs := newCInputs([]Input{image})
	defer inputs.free()
	var r *C.acg2vec_tag_result
	if err := call(func() C.acg2vec_status { return C.acg2vec_tagger_tag(t.raw, inputs.first(), &r) }); err != nil {
		return TagResult{}, err
	}
	defer C.acg2vec_tag_result_free(r)
	return readTags(r)
}

// TagBatch tags several images, batch-size images per forward pass; a bad one fails alone.
func (t *Tagger) TagBatch(images []Input) ([]Outcome[TagResult], error) {
	inputs := newCInputs(images)
	defer inputs.free()
	var b *C.acg2vec_tag_batch
	if err := call(func() C.acg2vec_status {
		return C.acg2vec_tagger_tag_batch(t.raw, inputs.first(), C.size_t(len(images)), &b)
	}); err != nil {
		return nil, err
	}
	return readBatch(b, batchFunctions[C.acg2vec_tag_batch, C.acg2vec_tag_result]{
		count: func(b *C.acg2vec_tag_batch, n *C.size_t) C.acg2vec_status { return C.acg2vec_tag_batch_count(b, n) },
		item: func(b *C.acg2vec_tag_batch, i C.size_t, s *C.acg2vec_status, in, m **C.char) C.acg2vec_status {
			return C.acg2vec_tag_batch_item(b, i, s, in, m)
		},
		result: func(b *C.acg2vec_tag_batch, i C.size_t, r **C.acg2vec_tag_result) C.acg2vec_status {
			return C.acg2vec_tag_batch_result(b, i, r)
		},
		free: func(b *C.acg2vec_tag_batch) { C.acg2vec_tag_batch_free(b) },
	}, readTags)
}

// ClassScore is one class of a head.
type ClassScore struct {
	Index       int
	Label       string
	Probability float32
}

// HeadScore is one classification head: the best class, the top k, and for numeric bins the
// expected value (HasExpectedValue).
type HeadScore struct {
	Name             string
	Best             ClassScore
	Top              []ClassScore
	ExpectedValue    float64
	HasExpectedValue bool
}

func readScores(r *C.acg2vec_score_result) ([]HeadScore, error) {
	var heads C.size_t
	if err := call(func() C.acg2vec_status { return C.acg2vec_score_result_head_count(r, &heads) }); err != nil {
		return nil, err
	}
	out := make([]HeadScore, int(heads))
	for h := range out {
		head := C.size_t(h)
		var name *C.char
		if err := call(func() C.acg2vec_status { return C.acg2vec_score_result_head_name(r, head, &name) }); err != nil {
			return nil, err
		}
		out[h].Name = C.GoString(name)
		class := func(get func(*C.size_t, **C.char, *C.float) C.acg2vec_status) (ClassScore, error) {
			var index C.size_t
			var label *C.char
			var p C.float
			err := call(func() C.acg2vec_status { return get(&index, &label, &p) })
			return ClassScore{int(index), C.GoString(label), float32(p)}, err
		}
		var err error
		out[h].Best, err = class(func(i *C.size_t, l **C.char, p *C.float) C.acg2vec_status {
			return C.acg2vec_score_result_best(r, head, i, l, p)
		})
		if err != nil {
			return nil, err
		}
		var top C.size_t
		if err := call(func() C.acg2vec_status { return C.acg2vec_score_result_top_count(r, head, &top) }); err != nil {
			return nil, err
		}
		for rank := C.size_t(0); rank < top; rank++ {
			c, err := class(func(i *C.size_t, l **C.char, p *C.float) C.acg2vec_status {
				return C.acg2vec_score_result_top(r, head, rank, i, l, p)
			})
			if err != nil {
				return nil, err
			}
			out[h].Top = append(out[h].Top, c)
		}
		var has C.int
		var value C.double
		if err := call(func() C.acg2vec_status { return C.acg2vec_score_result_expected_value(r, head, &has, &value) }); err != nil {
			return nil, err
		}
		out[h].ExpectedValue, out[h].HasExpectedValue = float64(value), has != 0
	}
	return out, nil
}

// Scorer gives classification heads.
type Scorer struct {
	raw *C.acg2vec_scorer
}

// NewScorer makes a scorer on a model (which it keeps alive).
func NewScorer(model *Model) (*Scorer, error) {
	s := &Scorer{}
	if err := call(func() C.acg2vec_status { return C.acg2vec_scorer_create(model.raw, nil, nil, &s.raw) }); err != nil {
		return nil, err
	}
	runtime.SetFinalizer(s, (*Scorer).Close)
	return s, nil
}

// Close frees the scorer. Idempotent.
func (s *Scorer) Close() {
	C.acg2vec_scorer_free(s.raw)
	s.raw = nil
}

// Score scores one image.
func (s *Scorer) Score(image Input) ([]HeadScore, error) {
	inputs := newCInputs([]Input{image})
	defer inputs.free()
	var r *C.acg2vec_score_result
	if err := call(func() C.acg2vec_status { return C.acg2vec_scorer_score(s.raw, inputs.first(), &r) }); err != nil {
		return nil, err
	}
	defer C.acg2vec_score_result_free(r)
	return readScores(r)
}

// ScoreBatch scores several images; a bad one fails alone.
func (s *Scorer) ScoreBatch(images []Input) ([]Outcome[[]HeadScore], error) {
	inputs := newCInputs(images)
	defer inputs.free()
	var b *C.acg2vec_score_batch
	if err := call(func() C.acg2vec_status {
		return C.acg2vec_scorer_score_batch(s.raw, inputs.first(), C.size_t(len(images)), &b)
	}); err != nil {
		return nil, err
	}
	return readBatch(b, batchFunctions[C.acg2vec_score_batch, C.acg2vec_score_result]{
		count: func(b *C.acg2vec_score_batch, n *C.size_t) C.acg2vec_status { return C.acg2vec_score_batch_count(b, n) },
		item: func(b *C.acg2vec_score_batch, i C.size_t, st *C.acg2vec_status, in, m **C.char) C.acg2vec_status {
			return C.acg2vec_score_batch_item(b, i, st, in, m)
		},
		result: func(b *C.acg2vec_score_batch, i C.size_t, r **C.acg2vec_score_result) C.acg2vec_status {
			return C.acg2vec_score_batch_result(b, i, r)
		},
		free: func(b *C.acg2vec_score_batch) { C.acg2vec_score_batch_free(b) },
	}, readScores)
}

// Embedder gives image and text vectors.
type Embedder struct {
	raw *C.acg2vec_embedder
}

// NewEmbedder makes an embedder on a model (which it keeps alive).
func NewEmbedder(model *Model) (*Embedder, error) {
	e := &Embedder{}
	if err := call(func() C.acg2vec_status { return C.acg2vec_embedder_create(model.raw, nil, nil, &e.raw) }); err != nil {
		return nil, err
	}
	runtime.SetFinalizer(e, (*Embedder).Close)
	return e, nil
}

// Close frees the embedder. Idempotent.
func (e *Embedder) Close() {
	C.acg2vec_embedder_free(e.raw)
	e.raw = nil
}

// Embed is one image's vector.
func (e *Embedder) Embed(image Input) ([]float32, error) {
	inputs := newCInputs([]Input{image})
	defer inputs.free()
	var v *C.acg2vec_vector
	if err := call(func() C.acg2vec_status { return C.acg2vec_embedder_embed(e.raw, inputs.first(), &v) }); err != nil {
		return nil, err
	}
	return takeVector(v)
}

var vectorBatch = batchFunctions[C.acg2vec_vector_batch, C.acg2vec_vector]{
	count: func(b *C.acg2vec_vector_batch, n *C.size_t) C.acg2vec_status {
		return C.acg2vec_vector_batch_count(b, n)
	},
	item: func(b *C.acg2vec_vector_batch, i C.size_t, st *C.acg2vec_status, in, m **C.char) C.acg2vec_status {
		return C.acg2vec_vector_batch_item(b, i, st, in, m)
	},
	result: func(b *C.acg2vec_vector_batch, i C.size_t, r **C.acg2vec_vector) C.acg2vec_status {
		return C.acg2vec_vector_batch_result(b, i, r)
	},
	free: func(b *C.acg2vec_vector_batch) { C.acg2vec_vector_batch_free(b) },
}

// EmbedBatch embeds several images; a bad one fails alone.
func (e *Embedder) EmbedBatch(images []Input) ([]Outcome[[]float32], error) {
	inputs := newCInputs(images)
	defer inputs.free()
	var b *C.acg2vec_vector_batch
	if err := call(func() C.acg2vec_status {
		return C.acg2vec_embedder_embed_batch(e.raw, inputs.first(), C.size_t(len(images)), &b)
	}); err != nil {
		return nil, err
	}
	return readBatch(b, vectorBatch, vectorFloats)
}

// EmbedText is a text's vector (models with a text tower).
func (e *Embedder) EmbedText(text string) ([]float32, error) {
	cText := C.CString(text)
	defer C.free(unsafe.Pointer(cText))
	var v *C.acg2vec_vector
	if err := call(func() C.acg2vec_status { return C.acg2vec_embedder_embed_text(e.raw, cText, &v) }); err != nil {
		return nil, err
	}
	return takeVector(v)
}

// EmbedTexts is one vector per text, batch-size texts per forward pass.
func (e *Embedder) EmbedTexts(texts []string) ([][]float32, error) {
	strs := newCStrings(texts)
	defer strs.free()
	array, release := strs.array()
	defer release()
	var b *C.acg2vec_vector_batch
	if err := call(func() C.acg2vec_status {
		return C.acg2vec_embedder_embed_texts(e.raw, array, C.size_t(len(texts)), &b)
	}); err != nil {
		return nil, err
	}
	outcomes, err := readBatch(b, vectorBatch, vectorFloats)
	if err != nil {
		return nil, err
	}
	vectors := make([][]float32, len(outcomes))
	for i, o := range outcomes {
		vectors[i] = o.Result
	}
	return vectors, nil
}

// Similarity is two vectors compared: Score is 0-100, 100 x max(0, Cosine).
type Similarity struct {
	Cosine, L2Distance, Score float64
}

// Similarity compares two images, both in one forward pass.
func (e *Embedder) Similarity(a, b Input) (Similarity, error) {
	inputs := newCInputs([]Input{a, b})
	defer inputs.free()
	var s C.acg2vec_similarity
	err := call(func() C.acg2vec_status {
		return C.acg2vec_embedder_similarity(e.raw, &inputs.inputs[0], &inputs.inputs[1], &s)
	})
	return Similarity{float64(s.cosine), float64(s.l2_distance), float64(s.score)}, err
}

// Dimensions of the vectors.
func (e *Embedder) Dimensions() (int, error) {
	var n C.size_t
	err := call(func() C.acg2vec_status { return C.acg2vec_embedder_dimensions(e.raw, &n) })
	return int(n), err
}
