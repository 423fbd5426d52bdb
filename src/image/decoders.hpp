// Internal: the per-format decoders behind decode_image_memory, and what they share.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "acg2vec/error.hpp"
#include "acg2vec/image.hpp"

namespace acg2vec::detail {

// What one decode call knows: the bytes, the caller's options, the input's name for errors,
// and the JPEG inverse DCT its model asks for.
struct DecodeInput {
    const std::uint8_t* data;
    std::size_t size;
    const DecodeOptions& options;
    const std::string& name;
    JpegIdct idct = JpegIdct::accurate;
};

// decode_image_memory with the JPEG inverse DCT chosen.
Image decode_bytes(const void* data, std::size_t size, const DecodeOptions& options, const std::string& name,
                   JpegIdct idct);

[[noreturn]] void fail_decode(ErrorCode code, const DecodeInput& input, const std::string& reason);

// Refuses zero or oversized dimensions before any pixel buffer is allocated.
void check_declared_size(std::uint64_t width, std::uint64_t height, const DecodeInput& input);

Image decode_jpeg(const DecodeInput& input);
Image decode_webp(const DecodeInput& input);
Image decode_gif(const DecodeInput& input);
Image decode_png(const DecodeInput& input);
// BMP, PSD, TGA. `format` is the sniffed one (unknown means "try TGA").
Image decode_with_stb(const DecodeInput& input, ImageFormat format);

// EXIF Orientation (1..8) from an APP1 payload starting with "Exif\0\0"; 1 when absent.
int exif_orientation(const std::uint8_t* app1, std::size_t size) noexcept;
// Turns an image stored with the given EXIF orientation upright.
void apply_exif_orientation(Image& image, int orientation);

}  // namespace acg2vec::detail
