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

}  // namespace acg2vec::detail
