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

// IndexOptions is what an index of an embedder's vectors records and expects: dimension,
// cosine, the model's name and fingerprint. Its strings belong to the embedder, which it keeps.
type IndexOptions struct {
	raw      C.acg2vec_index_options
	embedder *Embedder
}

// IndexOptionsFor the vectors of an embedder.
func IndexOptionsFor(e *Embedder) (*IndexOptions, error) {
	o := &IndexOptions{embedder: e}
	if err := call(func() C.acg2vec_status { return C.acg2vec_index_options_init(&o.raw) }); err != nil {
		return nil, err
	}
	if err := call(func() C.acg2vec_status { return C.acg2vec_embedder_index_options(e.raw, &o.raw) }); err != nil {
		return nil, err
	}
	return o, nil
}

// Dimension of the vectors.
func (o *IndexOptions) Dimension() int { return int(o.raw.dimension) }

// Hit is one search result: Distance smaller is closer, Score larger (the cosine for cosine).
type Hit struct {
	Key      string
	Distance float32
	Score    float32
}

// Index holds vectors under string keys, searched with HNSW.
type Index struct {
	raw *C.acg2vec_index
}

func newIndex(open func(**C.acg2vec_index) C.acg2vec_status) (*Index, error) {
	i := &Index{}
	if err := call(func() C.acg2vec_status { return open(&i.raw) }); err != nil {
		return nil, err
	}
	runtime.SetFinalizer(i, (*Index).Close)
	return i, nil
}

// CreateIndex makes an empty index.
func CreateIndex(options *IndexOptions) (*Index, error) {
	return newIndex(func(out **C.acg2vec_index) C.acg2vec_status { return C.acg2vec_index_create(&options.raw, out) })
}

// LoadIndex validates and loads a saved index, refusing one of another dimension or model.
func LoadIndex(path string, expected *IndexOptions) (*Index, error) {
	cPath := C.CString(path)
	defer C.free(unsafe.Pointer(cPath))
	return newIndex(func(out **C.acg2vec_index) C.acg2vec_status {
		return C.acg2vec_index_load(cPath, &expected.raw, out)
	})
}

// Close frees the index. Idempotent.
func (i *Index) Close() {
	C.acg2vec_index_free(i.raw)
	i.raw = nil
}

// Save writes the index atomically (a temporary file renamed over path).
func (i *Index) Save(path string) error {
	cPath := C.CString(path)
	defer C.free(unsafe.Pointer(cPath))
	return call(func() C.acg2vec_status { return C.acg2vec_index_save(i.raw, cPath) })
}

// Add adds a new key (InvalidArgument if it is there) with its categories.
func (i *Index) Add(key string, vector []float32, categories ...string) error {
	cKey := C.CString(key)
	defer C.free(unsafe.Pointer(cKey))
	data, size, release := floatPointer(vector)
	defer release()
	names := newCStrings(categories)
	defer names.free()
	array, releaseArray := names.array()
	defer releaseArray()
	return call(func() C.acg2vec_status {
		return C.acg2vec_index_add(i.raw, cKey, data, size, array, C.size_t(len(categories)))
	})
}

// Remove reports whether the key was there.
func (i *Index) Remove(key string) (bool, error) {
	cKey := C.CString(key)
	defer C.free(unsafe.Pointer(cKey))
	var removed C.int
	err := call(func() C.acg2vec_status { return C.acg2vec_index_remove(i.raw, cKey, &removed) })
	return removed != 0, err
}

// Contains reports whether the key is there.
func (i *Index) Contains(key string) (bool, error) {
	cKey := C.CString(key)
	defer C.free(unsafe.Pointer(cKey))
	var found C.int
	err := call(func() C.acg2vec_status { return C.acg2vec_index_contains(i.raw, cKey, &found) })
	return found != 0, err
}

// Len is the number of keys.
func (i *Index) Len() (int, error) {
	var n C.size_t
	err := call(func() C.acg2vec_status { return C.acg2vec_index_size(i.raw, &n) })
	return int(n), err
}

// Get is the stored vector (normalised for cosine); NotFound for an absent key.
func (i *Index) Get(key string) ([]float32, error) {
	cKey := C.CString(key)
	defer C.free(unsafe.Pointer(cKey))
	var v *C.acg2vec_vector
	if err := call(func() C.acg2vec_status { return C.acg2vec_index_get(i.raw, cKey, &v) }); err != nil {
		return nil, err
	}
	return takeVector(v)
}

// Keys of the index.
func (i *Index) Keys() ([]string, error) {
	var list *C.acg2vec_strings
	if err := call(func() C.acg2vec_status { return C.acg2vec_index_keys(i.raw, &list) }); err != nil {
		return nil, err
	}
	return takeStrings(list)
}

// Categories of a key.
func (i *Index) Categories(key string) ([]string, error) {
	cKey := C.CString(key)
	defer C.free(unsafe.Pointer(cKey))
	var list *C.acg2vec_strings
	if err := call(func() C.acg2vec_status { return C.acg2vec_index_categories(i.raw, cKey, &list) }); err != nil {
		return nil, err
	}
	return takeStrings(list)
}

// Search gives up to k hits, nearest first; with categories, only items carrying one of them.
func (i *Index) Search(query []float32, k int, categories ...string) ([]Hit, error) {
	data, size, release := floatPointer(query)
	defer release()
	var filter C.acg2vec_search_filter
	if err := call(func() C.acg2vec_status { return C.acg2vec_search_filter_init(&filter) }); err != nil {
		return nil, err
	}
	names := newCStrings(categories)
	defer names.free()
	array, releaseArray := names.array()
	defer releaseArray()
	filter.any_category, filter.category_count = array, C.size_t(len(categories))
	var r *C.acg2vec_search_result
	if err := call(func() C.acg2vec_status {
		return C.acg2vec_index_search(i.raw, data, size, C.size_t(k), 0, &filter, &r)
	}); err != nil {
		return nil, err
	}
	defer C.acg2vec_search_result_free(r)
	var count C.size_t
	if err := call(func() C.acg2vec_status { return C.acg2vec_search_result_count(r, &count) }); err != nil {
		return nil, err
	}
	hits := make([]Hit, int(count))
	for n := range hits {
		var key *C.char
		var distance, score C.float
		if err := call(func() C.acg2vec_status {
			return C.acg2vec_search_result_get(r, C.size_t(n), &key, &distance, &score)
		}); err != nil {
			return nil, err
		}
		hits[n] = Hit{C.GoString(key), float32(distance), float32(score)}
	}
	return hits, nil
}

// ListImageFiles is the image files under files and folders (folders recursively, by
// extension), sorted: what `acg2vec index build` indexes.
func ListImageFiles(inputs ...string) ([]string, error) {
	paths := newCStrings(inputs)
	defer paths.free()
	array, release := paths.array()
	defer release()
	var list *C.acg2vec_strings
	if err := call(func() C.acg2vec_status { return C.acg2vec_list_image_files(array, C.size_t(len(inputs)), &list) }); err != nil {
		return nil, err
	}
	return takeStrings(list)
}
