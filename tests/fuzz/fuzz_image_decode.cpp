// decode_image_memory on arbitrary bytes (every format: the first bytes pick the decoder),
// then, for images that decode, the preprocessing a model would apply. A PNG that both our
// decoder and stb_image (which decoded PNG before ours) accept must give the same pixels.
#define STB_IMAGE_IMPLEMENTATION
#define STB_IMAGE_STATIC
#define STBI_NO_STDIO
#define STBI_ONLY_PNG
#include <stb_image.h>  // a system include: its warnings are not ours
#include <zlib.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <vector>

#include "acg2vec/image.hpp"
#include "acg2vec/image_input.hpp"
#include "acg2vec/preprocess.hpp"
#include "fuzz_common.hpp"

using namespace acg2vec;

// Far below the default limit so that one input costs at most ~16 MB and well under a second
// under ASan: a large declared size is tested by the limit checks, not by filling the pixels.
constexpr std::uint64_t kMaxPixels = std::uint64_t(1) << 22;

// Where both accept a PNG, our pixels must be stb_image's. One intended difference: stb_image
// compares a tRNS key against its low byte only, so the alpha that a key adds to gray or RGB
// images (colour type 0 or 2 at byte 25) may differ when the key is out of range for the depth.
void compare_png_with_stb(const std::uint8_t* data, std::size_t size, const Image& ours) {
    int w = 0, h = 0, channels = 0;
    std::unique_ptr<stbi_uc, void (*)(void*)> theirs(stbi_load_from_memory(data, int(size), &w, &h, &channels, 0),
                                                     stbi_image_free);
    if (!theirs) return;
    fuzz::require(w == ours.width && h == ours.height && channels == ours.channels, "PNG: stb_image's dimensions");
    const bool keyed = size > 25 && (data[25] == 0 || data[25] == 2) && (channels == 2 || channels == 4);
    for (std::size_t i = 0; i < ours.pixels.size(); ++i) {
        if (keyed && i % std::size_t(channels) == std::size_t(channels - 1)) continue;
        fuzz::require(ours.pixels[i] == theirs.get()[i], "PNG: stb_image's pixels");
    }
}

// Rewrites every PNG chunk's CRC to match its bytes. Nearly every mutation breaks a CRC, and a
// CRC failure stops decoding before the chunks are read: without this, the fuzzer would
// explore the CRC check and little else.
std::vector<std::uint8_t> with_png_crcs_fixed(const std::uint8_t* data, std::size_t size) {
    std::vector<std::uint8_t> png(data, data + size);
    for (std::size_t at = 8; at + 12 <= size;) {
        const std::size_t length =
            std::size_t(png[at]) << 24 | std::size_t(png[at + 1]) << 16 | std::size_t(png[at + 2]) << 8 | png[at + 3];
        if (length > size - at - 12) break;
        const std::uint32_t crc = std::uint32_t(crc32(0, &png[at + 4], uInt(length + 4)));
        for (int i = 0; i < 4; ++i) png[at + 8 + length + std::size_t(i)] = std::uint8_t(crc >> (24 - 8 * i));
        at += 12 + length;
    }
    return png;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* raw_data, std::size_t size) {
    // Four PNG inputs in five are decoded with their chunk CRCs fixed up.
    std::vector<std::uint8_t> fixed;
    const std::uint8_t* data = raw_data;
    if (sniff_image_format(raw_data, size) == ImageFormat::png && size % 5 != 0) {
        fixed = with_png_crcs_fixed(raw_data, size);
        data = fixed.data();
    }
    return fuzz::run_one([&] {
        DecodeOptions options;
        options.max_pixels = kMaxPixels;
        // The size picks the options, so the image bytes stay untouched: EXIF orientation, JPEG
        // DCT scaling (full size, or the smallest scale keeping 16 or 32 pixels a side) and the
        // JPEG inverse DCT (accurate or fast).
        options.apply_exif_orientation = size % 2 == 1;
        options.jpeg_min_side = int(size / 3 % 3) * 16;
        const JpegIdct idct = JpegIdct(size / 9 % 2);
        const Image image = ImageInput::memory(data, size).decode(options, idct);
        fuzz::require(image.width > 0 && image.height > 0, "positive dimensions");
        fuzz::require(std::uint64_t(image.width) * std::uint64_t(image.height) <= kMaxPixels, "within max_pixels");
        fuzz::require(image.channels >= 1 && image.channels <= 4, "1 to 4 channels");
        fuzz::require(image.pixels.size() == image.row_bytes() * std::size_t(image.height), "pixel buffer size");
        fuzz::require(
            image.source_format == sniff_image_format(data, size) ||
                (image.source_format == ImageFormat::tga && sniff_image_format(data, size) == ImageFormat::unknown),
            "source_format is the sniffed one");
        if (std::uint64_t(image.width) * std::uint64_t(image.height) > (1u << 20)) return;  // keep runs fast
        if (image.source_format == ImageFormat::png) compare_png_with_stb(data, size, image);

        // Every resize mode and filter, small odd target sizes: strips, 1-pixel images and
        // extreme aspect ratios are where resampling code goes wrong.
        PreprocessSpec spec;
        spec.width = 7 + int(size % 5);
        spec.height = 5 + int(size % 3);
        spec.resize_mode = ResizeMode(size / 2 % 4);
        spec.interpolation = Interpolation(size / 8 % 8);
        spec.pad_mode = PadMode(size / 56 % 2);
        spec.alpha = AlphaMode(size / 112 % 3);
        if (spec.resize_mode == ResizeMode::longer_side_pad) spec.pad_placement = PadPlacement(size / 336 % 2);
        if (spec.resize_mode == ResizeMode::pad_square && spec.alpha == AlphaMode::ignore_after_resize) {
            spec.alpha = AlphaMode::ignore;  // refused by validate(): pad_square pads before resizing
        }
        // A strip padded to a square is a large virtual canvas: 18175 x 3 to 18175² takes 1-1.5 s
        // in a release build (check_resize_cost allows it, image_hardening_test covers the
        // limit) and 30-50 s here, past libFuzzer's timeout. Such inputs are resized unpadded.
        const std::uint64_t side = std::uint64_t(std::max(image.width, image.height));
        if (spec.resize_mode == ResizeMode::pad_square && side * side > (1u << 22))
            spec.resize_mode = ResizeMode::stretch;
        const Tensor t = preprocess_image(image, spec);
        fuzz::require(t.data.size() == spec.sample_size(), "preprocessed sample size");
    });
}
