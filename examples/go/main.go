// Tags every image of a folder, builds a cosine index of their vectors, saves and reloads it,
// then searches it by the folder's first image and by a text: the C++ tag_and_search through
// the C ABI with cgo. Every object the library hands out is released by a deferred
// acg2vec_*_free call.
//
// Usage: tag_and_search TAGGER_MODEL EMBEDDER_MODEL IMAGE_FOLDER INDEX_PATH
//
// Build with CGO_CFLAGS=-I<repo>/capi and CGO_LDFLAGS=-L<dir of libacg2vec.so> (run.sh does).
package main

/*
#cgo LDFLAGS: -lacg2vec
#include <stdlib.h>
#include <acg2vec.h>
*/
import "C"

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"unsafe"
)

const queryText = "a girl with long hair"

var imageExtensions = map[string]bool{
	".jpg": true, ".jpeg": true, ".png": true, ".gif": true, ".webp": true, ".bmp": true, ".tga": true, ".psd": true,
}

// acg2vec_last_error is per OS thread: keep the main goroutine on the main thread so the
// message read after a failed call is that call's.
func init() { runtime.LockOSThread() }

// check turns a status into nil, or an error with the library's message.
func check(status C.acg2vec_status) error {
	if status == C.ACG2VEC_OK {
		return nil
	}
	return fmt.Errorf("%s: %s", C.GoString(C.acg2vec_status_name(C.int(status))), C.GoString(C.acg2vec_last_error()))
}

// listImages returns the folder's decodable images (by extension), sorted by file name.
func listImages(folder string) ([]string, error) {
	entries, err := os.ReadDir(folder) // sorted by file name
	if err != nil {
		return nil, err
	}
	var images []string
	for _, entry := range entries {
		if entry.Type().IsRegular() && imageExtensions[strings.ToLower(filepath.Ext(entry.Name()))] {
			images = append(images, filepath.Join(folder, entry.Name()))
		}
	}
	if len(images) == 0 {
		return nil, fmt.Errorf("no images in %s", folder)
	}
	return images, nil
}

// openModel opens a model file. The tasks created on it keep it alive, so the caller frees it
// right after creating them.
func openModel(path string) (*C.acg2vec_model, error) {
	cPath := C.CString(path)
	defer C.free(unsafe.Pointer(cPath))
	var model *C.acg2vec_model
	return model, check(C.acg2vec_model_open(cPath, nil, &model))
}

// tagImages prints "path [rating] caption" for every image.
func tagImages(modelPath string, images []string) error {
	model, err := openModel(modelPath)
	if err != nil {
		return err
	}
	var tagger *C.acg2vec_tagger
	err = check(C.acg2vec_tagger_create(model, nil, nil, &tagger))
	C.acg2vec_model_free(model) // the tagger keeps the model alive
	if err != nil {
		return err
	}
	defer C.acg2vec_tagger_free(tagger)
	for _, image := range images {
		if err := tagImage(tagger, image); err != nil {
			return err
		}
	}
	return nil
}

func tagImage(tagger *C.acg2vec_tagger, image string) error {
	cImage := C.CString(image)
	defer C.free(unsafe.Pointer(cImage))
	input := C.acg2vec_image_file(cImage) // the header's static inline helper
	var tags *C.acg2vec_tag_result
	if err := check(C.acg2vec_tagger_tag(tagger, &input, &tags)); err != nil {
		return err
	}
	defer C.acg2vec_tag_result_free(tags)
	var rating *C.char // owned by tags
	if err := check(C.acg2vec_tag_result_rating(tags, &rating)); err != nil {
		return err
	}
	var caption *C.char // ours
	if err := check(C.acg2vec_tag_result_caption(tags, nil, &caption)); err != nil {
		return err
	}
	defer C.acg2vec_string_free(caption)
	fmt.Printf("%s [%s] %s\n", image, C.GoString(rating), C.GoString(caption))
	return nil
}

// floats views a vector's data; valid until the vector is freed.
func floats(vector *C.acg2vec_vector) (*C.float, C.size_t, error) {
	var data *C.float
	var size C.size_t
	err := check(C.acg2vec_vector_data(vector, &data, &size))
	return data, size, err
}

func embedFile(embedder *C.acg2vec_embedder, path string) (*C.acg2vec_vector, error) {
	cPath := C.CString(path)
	defer C.free(unsafe.Pointer(cPath))
	input := C.acg2vec_image_file(cPath)
	var vector *C.acg2vec_vector
	return vector, check(C.acg2vec_embedder_embed(embedder, &input, &vector))
}

func embedText(embedder *C.acg2vec_embedder, text string) (*C.acg2vec_vector, error) {
	cText := C.CString(text)
	defer C.free(unsafe.Pointer(cText))
	var vector *C.acg2vec_vector
	return vector, check(C.acg2vec_embedder_embed_text(embedder, cText, &vector))
}

// addImage embeds an image and adds its vector to the index under its file name.
func addImage(embedder *C.acg2vec_embedder, index *C.acg2vec_index, image string) error {
	vector, err := embedFile(embedder, image)
	if err != nil {
		return err
	}
	defer C.acg2vec_vector_free(vector)
	data, size, err := floats(vector)
	if err != nil {
		return err
	}
	key := C.CString(filepath.Base(image))
	defer C.free(unsafe.Pointer(key))
	return check(C.acg2vec_index_add(index, key, data, size, nil, 0))
}

// printNearest prints the 3 keys nearest to a vector, nearest first, with their distance
// (1 - cosine).
func printNearest(index *C.acg2vec_index, query *C.acg2vec_vector) error {
	data, size, err := floats(query)
	if err != nil {
		return err
	}
	var hits *C.acg2vec_search_result
	if err := check(C.acg2vec_index_search(index, data, size, 3, 0, nil, &hits)); err != nil {
		return err
	}
	defer C.acg2vec_search_result_free(hits)
	var count C.size_t
	if err := check(C.acg2vec_search_result_count(hits, &count)); err != nil {
		return err
	}
	for i := C.size_t(0); i < count; i++ {
		var key *C.char // owned by hits
		var distance, score C.float
		if err := check(C.acg2vec_search_result_get(hits, i, &key, &distance, &score)); err != nil {
			return err
		}
		fmt.Printf("  %d. %s (distance %.6f)\n", i+1, C.GoString(key), float32(distance))
	}
	return nil
}

// indexAndSearch indexes the image vectors, saves and reloads the index, and searches it.
func indexAndSearch(modelPath string, images []string, indexPath string) error {
	model, err := openModel(modelPath)
	if err != nil {
		return err
	}
	var embedder *C.acg2vec_embedder
	err = check(C.acg2vec_embedder_create(model, nil, nil, &embedder))
	C.acg2vec_model_free(model) // the embedder keeps the model alive
	if err != nil {
		return err
	}
	defer C.acg2vec_embedder_free(embedder)

	// A cosine index of the embedder's dimension, recording the model's name and fingerprint
	// (strings owned by the embedder).
	var options C.acg2vec_index_options
	if err := check(C.acg2vec_embedder_index_options(embedder, &options)); err != nil {
		return err
	}
	var index *C.acg2vec_index
	if err := check(C.acg2vec_index_create(&options, &index)); err != nil {
		return err
	}
	defer C.acg2vec_index_free(index)
	for _, image := range images {
		if err := addImage(embedder, index, image); err != nil {
			return err
		}
	}

	cIndexPath := C.CString(indexPath)
	defer C.free(unsafe.Pointer(cIndexPath))
	if err := check(C.acg2vec_index_save(index, cIndexPath)); err != nil {
		return err
	}
	var loaded *C.acg2vec_index // checked against options: dimension, metric and model
	if err := check(C.acg2vec_index_load(cIndexPath, &options, &loaded)); err != nil {
		return err
	}
	defer C.acg2vec_index_free(loaded)
	var size C.size_t
	if err := check(C.acg2vec_index_size(loaded, &size)); err != nil {
		return err
	}
	fmt.Printf("index %s: %d images, %d dimensions\n", indexPath, size, options.dimension)

	imageQuery, err := embedFile(embedder, images[0])
	if err != nil {
		return err
	}
	defer C.acg2vec_vector_free(imageQuery)
	fmt.Printf("search by image %s:\n", filepath.Base(images[0]))
	if err := printNearest(loaded, imageQuery); err != nil {
		return err
	}
	textQuery, err := embedText(embedder, queryText)
	if err != nil {
		return err
	}
	defer C.acg2vec_vector_free(textQuery)
	fmt.Printf("search by text \"%s\":\n", queryText)
	return printNearest(loaded, textQuery)
}

func run(taggerPath, embedderPath, folder, indexPath string) error {
	if C.acg2vec_abi_version() != C.ACG2VEC_ABI_VERSION {
		return errors.New("acg2vec.h and the library have different ABI versions")
	}
	images, err := listImages(folder)
	if err != nil {
		return err
	}
	if err := tagImages(taggerPath, images); err != nil {
		return err
	}
	return indexAndSearch(embedderPath, images, indexPath)
}

func main() {
	if len(os.Args) != 5 {
		fmt.Fprintf(os.Stderr, "usage: %s TAGGER_MODEL EMBEDDER_MODEL IMAGE_FOLDER INDEX_PATH\n", os.Args[0])
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2], os.Args[3], os.Args[4]); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
	fmt.Println("done")
}
