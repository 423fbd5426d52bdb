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

// ModelOptions says how a model is opened; zero fields keep the library's defaults.
type ModelOptions struct {
	Device    string // "cpu", "cuda", "cuda:N", "auto"
	Threads   int    // libtorch threads for the whole process; 0: one per core unless already set
	BatchSize int    // images per forward pass in batch calls
}

// Model is a model file opened once; tasks made on it share it.
type Model struct {
	raw *C.acg2vec_model
}

// OpenModel opens a model file.
func OpenModel(path string, options ModelOptions) (*Model, error) {
	if err := CheckABI(); err != nil {
		return nil, err
	}
	var c C.acg2vec_model_options
	if err := call(func() C.acg2vec_status { return C.acg2vec_model_options_init(&c) }); err != nil {
		return nil, err
	}
	if options.Device != "" {
		device := C.CString(options.Device)
		defer C.free(unsafe.Pointer(device))
		c.device = device
	}
	if options.Threads != 0 {
		c.threads = C.int(options.Threads)
	}
	if options.BatchSize != 0 {
		c.batch_size = C.int(options.BatchSize)
	}
	cPath := C.CString(path)
	defer C.free(unsafe.Pointer(cPath))
	m := &Model{}
	if err := call(func() C.acg2vec_status { return C.acg2vec_model_open(cPath, &c, &m.raw) }); err != nil {
		return nil, err
	}
	runtime.SetFinalizer(m, (*Model).Close)
	return m, nil
}

// Close frees the model (its tasks keep it alive inside the library). Idempotent.
func (m *Model) Close() {
	C.acg2vec_model_free(m.raw)
	m.raw = nil
}

// Metadata is the model's acg2vec.json text.
func (m *Model) Metadata() (string, error) {
	var json *C.char
	err := call(func() C.acg2vec_status { return C.acg2vec_model_metadata(m.raw, &json) })
	return C.GoString(json), err
}

// Fingerprint is 16 hex digits identifying the file's bytes.
func (m *Model) Fingerprint() (string, error) {
	var text *C.char
	err := call(func() C.acg2vec_status { return C.acg2vec_model_fingerprint(m.raw, &text) })
	return C.GoString(text), err
}
