// Internal: a PNG file's chunks, walked and checked by read_png_chunks (png_chunks.cpp), and
// the decoder that turns them into pixels (decode_png.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "image/decoders.hpp"

namespace acg2vec::detail {

struct PngHeader {
    std::uint32_t width = 0;
    std::uint32_t height = 0;
    int bit_depth = 0;
    int color_type = 0;  // 0 gray, 2 RGB, 3 palette, 4 gray + alpha, 6 RGBA
    bool interlaced = false;
};

// Where bytes of the file are, without copying them.
struct ByteSpan {
    const std::uint8_t* data;
    std::size_t size;
};

struct PngChunks {
    PngHeader header;
    std::vector<std::uint8_t> palette;       // PLTE: RGB triples
    std::vector<std::uint8_t> transparency;  // tRNS payload
    bool has_transparency = false;           // a tRNS chunk, even an empty one
    std::vector<ByteSpan> image_data;        // IDAT payloads in file order: one zlib stream
};

// Walks the chunks and refuses what is corrupt or unsupported: truncation, bad chunk CRCs,
// a first chunk other than IHDR, an invalid header, unknown critical chunks, Apple CgBI.
// A file that ends after its image data without an IEND chunk is accepted.
PngChunks read_png_chunks(const DecodeInput& input);

// Undoes the row filters of `height` rows in place (png_unfilter.cpp). Each row is its filter
// type byte, then `row_bytes` bytes, a multiple of `bytes_per_pixel` (1, 2, 3, 4, 6 or 8; 1 for
// bit depths below 8). `simd` lets Paeth rows of 3 or 4 bytes per pixel use SSE4.1 where the CPU
// has it: the same bytes, faster; tests turn it off to check the portable loops. Returns the
// index of the first row whose filter type is unknown, or `height` when all are undone.
std::uint32_t unfilter_rows(std::uint8_t* rows, std::uint32_t height, std::size_t row_bytes,
                            std::size_t bytes_per_pixel, bool simd = true);

}  // namespace acg2vec::detail
