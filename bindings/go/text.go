package acg2vec

/*
#include <stdlib.h>
#include <acg2vec.h>
*/
import "C"

import (
	"runtime"
	"unsafe"
)

// ClipTokenizer is CLIP's BPE tokenizer, from bpe_simple_vocab_16e6.txt.gz.
type ClipTokenizer struct {
	raw *C.acg2vec_clip_tokenizer
}

// OpenClipTokenizer reads the merges file.
func OpenClipTokenizer(path string) (*ClipTokenizer, error) {
	cPath := C.CString(path)
	defer C.free(unsafe.Pointer(cPath))
	t := &ClipTokenizer{}
	if err := call(func() C.acg2vec_status { return C.acg2vec_clip_tokenizer_open(cPath, nil, &t.raw) }); err != nil {
		return nil, err
	}
	runtime.SetFinalizer(t, (*ClipTokenizer).Close)
	return t, nil
}

// Close frees the tokenizer. Idempotent.
func (t *ClipTokenizer) Close() {
	C.acg2vec_clip_tokenizer_free(t.raw)
	t.raw = nil
}

// Tokenize is what the model takes: start, ids, end, zeros up to the context length.
func (t *ClipTokenizer) Tokenize(text string) ([]int64, error) {
	cText := C.CString(text)
	defer C.free(unsafe.Pointer(cText))
	var ids *C.acg2vec_ids
	if err := call(func() C.acg2vec_status { return C.acg2vec_clip_tokenizer_tokenize(t.raw, cText, &ids) }); err != nil {
		return nil, err
	}
	return takeIDs(ids)
}

// WordPieceTokenizer is BERT's tokenizer, from a vocab.txt (lower case, accents stripped).
type WordPieceTokenizer struct {
	raw *C.acg2vec_wordpiece_tokenizer
}

// OpenWordPieceTokenizer reads the vocabulary.
func OpenWordPieceTokenizer(path string) (*WordPieceTokenizer, error) {
	cPath := C.CString(path)
	defer C.free(unsafe.Pointer(cPath))
	t := &WordPieceTokenizer{}
	if err := call(func() C.acg2vec_status { return C.acg2vec_wordpiece_tokenizer_open(cPath, nil, &t.raw) }); err != nil {
		return nil, err
	}
	runtime.SetFinalizer(t, (*WordPieceTokenizer).Close)
	return t, nil
}

// Close frees the tokenizer. Idempotent.
func (t *WordPieceTokenizer) Close() {
	C.acg2vec_wordpiece_tokenizer_free(t.raw)
	t.raw = nil
}

// Tokenize is the word pieces ("un", "##aff").
func (t *WordPieceTokenizer) Tokenize(text string) ([]string, error) {
	cText := C.CString(text)
	defer C.free(unsafe.Pointer(cText))
	var list *C.acg2vec_strings
	if err := call(func() C.acg2vec_status { return C.acg2vec_wordpiece_tokenizer_tokenize(t.raw, cText, &list) }); err != nil {
		return nil, err
	}
	return takeStrings(list)
}

// Encode is [CLS] pieces [SEP] as ids.
func (t *WordPieceTokenizer) Encode(text string) ([]int64, error) {
	cText := C.CString(text)
	defer C.free(unsafe.Pointer(cText))
	var ids *C.acg2vec_ids
	if err := call(func() C.acg2vec_status { return C.acg2vec_wordpiece_tokenizer_encode(t.raw, cText, &ids) }); err != nil {
		return nil, err
	}
	return takeIDs(ids)
}
