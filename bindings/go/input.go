package acg2vec

/*
#include <stdlib.h>
#include <acg2vec.h>
*/
import "C"

import "unsafe"

// Input is one image for a task: File, Bytes or Base64.
type Input struct {
	source C.acg2vec_image_source
	text   string
	data   []byte
}

// File is an image file (JPEG, PNG, GIF, WebP, BMP, TGA, PSD).
func File(path string) Input { return Input{source: C.ACG2VEC_IMAGE_FILE, text: path} }

// Bytes is an encoded image in memory.
func Bytes(data []byte) Input { return Input{source: C.ACG2VEC_IMAGE_MEMORY, data: data} }

// Base64 is base64 text or a data URL ("data:image/png;base64,...").
func Base64(text string) Input { return Input{source: C.ACG2VEC_IMAGE_BASE64, text: text} }

// cInputs are acg2vec_image_input structs whose strings and bytes are C copies (cgo does not
// let C keep pointers into Go memory), freed by free.
type cInputs struct {
	inputs []C.acg2vec_image_input
	blocks []unsafe.Pointer
}

func newCInputs(images []Input) *cInputs {
	c := &cInputs{inputs: make([]C.acg2vec_image_input, len(images))}
	for i, image := range images {
		in := &c.inputs[i]
		in.source = image.source
		if image.source == C.ACG2VEC_IMAGE_MEMORY {
			block := C.CBytes(image.data)
			c.blocks = append(c.blocks, block)
			in.data, in.size = block, C.size_t(len(image.data))
		} else {
			text := C.CString(image.text)
			c.blocks = append(c.blocks, unsafe.Pointer(text))
			in.text = text
		}
	}
	return c
}

func (c *cInputs) first() *C.acg2vec_image_input {
	if len(c.inputs) == 0 {
		return nil
	}
	return &c.inputs[0]
}

func (c *cInputs) free() {
	for _, block := range c.blocks {
		C.free(block)
	}
}
