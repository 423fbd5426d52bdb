// Decoded images and the functions that make them from files, bytes, base64 and data URLs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "acg2vec/export.hpp"

namespace acg2vec {

enum class ImageFormat { unknown, jpeg, png, gif, bmp, tga, psd, webp };

ACG2VEC_API const char* image_format_name(ImageFormat format) noexcept;

// libjpeg's inverse DCT for JPEG files. `accurate` (JDCT_ISLOW) is what Pillow decodes with and
// the default everywhere; `fast` (JDCT_IFAST) is TensorFlow's default (tf.io.decode_jpeg,
// decode_png and decode_image), so a model trained and evaluated through TensorFlow's decoder
// (DeepDanbooru) asks for it in its preprocess section (PreprocessSpec::jpeg_idct). The two
// differ by about one 8-bit level on average, by up to 20-odd at sharp edges.
enum class JpegIdct { accurate, fast };

// 8-bit pixels, rows top to bottom, channels interleaved:
// 1 = gray, 2 = gray + alpha, 3 = RGB, 4 = RGBA. Alpha is straight (not premultiplied).
struct Image {
    int width = 0;
    int height = 0;
    int channels = 0;
    std::vector<std::uint8_t> pixels;
    ImageFormat source_format = ImageFormat::unknown;
    // The file stored palette indices or 1-bit gray (PNG colour type 3 or 1-bit gray, GIF):
    // what Pillow opens as modes "P" and "1", which it resizes with nearest neighbour whatever
    // filter is asked for (see AlphaMode::ignore_after_resize). The pixels are full colour.
    bool indexed = false;

    bool has_alpha() const noexcept { return channels == 2 || channels == 4; }
    std::size_t row_bytes() const noexcept { return std::size_t(width) * std::size_t(channels); }
};

// Pillow refuses images above 2 x 89,478,485 pixels as decompression bombs; we use the
// same limit by default so that what the Python pipelines accept, we accept too.
constexpr std::uint64_t default_max_pixels = 178956970;

struct DecodeOptions {
    // Checked against the size the file declares, before any pixel memory is allocated.
    std::uint64_t max_pixels = default_max_pixels;
    // Rotate/flip JPEG images by their EXIF Orientation tag. Off by default because the
    // reference pipelines (Pillow's Image.open + convert) ignore EXIF orientation, and
    // our outputs must match theirs; turn it on for photos taken with phones.
    bool apply_exif_orientation = false;
    // > 0: a JPEG is decoded at libjpeg's DCT scale 1/2, 1/4 or 1/8, the smallest that keeps
    // both sides at least this many pixels (e.g. twice the model input). Much less work for
    // large images, but the pixels differ from a full decode, so the reference pipelines'
    // exact outputs are no longer reproduced. 0 (default): full size.
    int jpeg_min_side = 0;
};

// `name` appears in error messages; by default the path, or "<memory>".
ACG2VEC_API Image decode_image_file(const std::string& path, const DecodeOptions& options = {});
ACG2VEC_API Image decode_image_memory(const void* data, std::size_t size, const DecodeOptions& options = {},
                                      const std::string& name = "<memory>");
// Plain base64 (whitespace and line breaks allowed) or a data URL
// ("data:image/png;base64,...").
ACG2VEC_API Image decode_image_base64(const std::string& text, const DecodeOptions& options = {},
                                      const std::string& name = "<base64>");

// Bytes of a base64 string or base64 data URL; throws invalid_argument naming `name`.
ACG2VEC_API std::vector<std::uint8_t> decode_base64(const std::string& text, const std::string& name = "<base64>");

// Recognises the format from the first bytes; ImageFormat::unknown if none matches.
ACG2VEC_API ImageFormat sniff_image_format(const void* data, std::size_t size) noexcept;

}  // namespace acg2vec
