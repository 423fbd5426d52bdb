// Package acg2vec tags, scores and embeds anime illustrations and searches the vectors, through
// the acg2vec C library (cgo over capi/acg2vec.h, which it includes, so a changed signature
// fails to build).
//
// Every object the library hands out is owned by a Go value with Close; a finalizer frees what
// was not closed. Every failed call returns an *Error with the library's status and message,
// which names the input and the reason. A task keeps its model alive inside the library, so a
// Model may be closed right after its tasks are made.
//
// Build with CGO_LDFLAGS="-L<dir of libacg2vec.so> -Wl,-rpath,<that dir>".
package acg2vec

/*
#cgo CFLAGS: -I${SRCDIR}/../../capi
#cgo LDFLAGS: -lacg2vec
#include <stdlib.h>
#include <acg2vec.h>
*/
import "C"

import (
	"fmt"
	"runtime"
	"unsafe"
)

// Status is the library's status code (acg2vec_status).
type Status int

const (
	InvalidArgument   Status = C.ACG2VEC_INVALID_ARGUMENT
	InvalidImage      Status = C.ACG2VEC_INVALID_IMAGE
	UnsupportedFormat Status = C.ACG2VEC_UNSUPPORTED_FORMAT
	ImageTooLarge     Status = C.ACG2VEC_IMAGE_TOO_LARGE
	ModelLoad         Status = C.ACG2VEC_MODEL_LOAD
	ModelMetadata     Status = C.ACG2VEC_MODEL_METADATA
	ShapeMismatch     Status = C.ACG2VEC_SHAPE_MISMATCH
	IO                Status = C.ACG2VEC_IO
	IndexFormat       Status = C.ACG2VEC_INDEX_FORMAT
	NotFound          Status = C.ACG2VEC_NOT_FOUND
	Inference         Status = C.ACG2VEC_INFERENCE
	Device            Status = C.ACG2VEC_DEVICE
	Internal          Status = C.ACG2VEC_INTERNAL
)

// Name is the status's stable lower-case name, e.g. "invalid_image".
func (s Status) Name() string { return C.GoString(C.acg2vec_status_name(C.int(s))) }

// Error is a failed call: its status and the library's message.
type Error struct {
	Status  Status
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("%s (%s)", e.Message, e.Status.Name()) }

// call runs a C call and reads its error on the same OS thread: the library keeps the last
// error per thread, and a goroutine may move between threads between two cgo calls.
func call(f func() C.acg2vec_status) error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	status := f()
	if status == C.ACG2VEC_OK {
		return nil
	}
	return &Error{Status: Status(status), Message: C.GoString(C.acg2vec_last_error())}
}

// Version is the loaded library's "MAJOR.MINOR.PATCH".
func Version() string { return C.GoString(C.acg2vec_version()) }

// CheckABI reports a library of another ABI version than the header this package was built with.
func CheckABI() error {
	if library := C.acg2vec_abi_version(); library != C.ACG2VEC_ABI_VERSION {
		return &Error{Status: InvalidArgument,
			Message: fmt.Sprintf("the library has ABI %d, this package %d", int(library), int(C.ACG2VEC_ABI_VERSION))}
	}
	return nil
}

// cStrings is a C array of C strings, freed by free.
type cStrings struct {
	pointers []*C.char
}

func newCStrings(items []string) *cStrings {
	s := &cStrings{pointers: make([]*C.char, len(items))}
	for i, item := range items {
		s.pointers[i] = C.CString(item)
	}
	return s
}

// array is the pointer to pass as `const char* const*`, in C memory (cgo forbids passing Go
// memory that holds Go pointers; these are C pointers, but the slice is Go memory: copy it).
func (s *cStrings) array() (**C.char, func()) {
	if len(s.pointers) == 0 {
		return nil, func() {}
	}
	size := C.size_t(len(s.pointers)) * C.size_t(unsafe.Sizeof((*C.char)(nil)))
	block := (**C.char)(C.malloc(size))
	copy(unsafe.Slice(block, len(s.pointers)), s.pointers)
	return block, func() { C.free(unsafe.Pointer(block)) }
}

func (s *cStrings) free() {
	for _, p := range s.pointers {
		C.free(unsafe.Pointer(p))
	}
}

// takeStrings reads an acg2vec_strings list and frees it.
func takeStrings(list *C.acg2vec_strings) ([]string, error) {
	defer C.acg2vec_strings_free(list)
	var count C.size_t
	if err := call(func() C.acg2vec_status { return C.acg2vec_strings_count(list, &count) }); err != nil {
		return nil, err
	}
	out := make([]string, int(count))
	for i := range out {
		var item *C.char
		if err := call(func() C.acg2vec_status { return C.acg2vec_strings_get(list, C.size_t(i), &item) }); err != nil {
			return nil, err
		}
		out[i] = C.GoString(item)
	}
	return out, nil
}

// takeIDs reads an acg2vec_ids list and frees it.
func takeIDs(ids *C.acg2vec_ids) ([]int64, error) {
	defer C.acg2vec_ids_free(ids)
	var data *C.int64_t
	var count C.size_t
	if err := call(func() C.acg2vec_status { return C.acg2vec_ids_data(ids, &data, &count) }); err != nil {
		return nil, err
	}
	out := make([]int64, int(count))
	for i, v := range unsafe.Slice(data, int(count)) {
		out[i] = int64(v)
	}
	return out, nil
}

// vectorFloats copies a vector's floats.
func vectorFloats(vector *C.acg2vec_vector) ([]float32, error) {
	var data *C.float
	var size C.size_t
	if err := call(func() C.acg2vec_status { return C.acg2vec_vector_data(vector, &data, &size) }); err != nil {
		return nil, err
	}
	out := make([]float32, int(size))
	for i, v := range unsafe.Slice(data, int(size)) {
		out[i] = float32(v)
	}
	return out, nil
}

// takeVector copies a vector's floats and frees it.
func takeVector(vector *C.acg2vec_vector) ([]float32, error) {
	defer C.acg2vec_vector_free(vector)
	return vectorFloats(vector)
}

// floatPointer is a C copy of values (freed by the returned function).
func floatPointer(values []float32) (*C.float, C.size_t, func()) {
	if len(values) == 0 {
		return nil, 0, func() {}
	}
	block := (*C.float)(C.malloc(C.size_t(len(values)) * C.size_t(unsafe.Sizeof(C.float(0)))))
	slice := unsafe.Slice(block, len(values))
	for i, v := range values {
		slice[i] = C.float(v)
	}
	return block, C.size_t(len(values)), func() { C.free(unsafe.Pointer(block)) }
}
