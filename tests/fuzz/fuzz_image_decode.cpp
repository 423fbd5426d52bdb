// decode_image_memory on arbitrary bytes (every format: the first bytes pick the decoder),
// then, for images that decode, the preprocessing a model would apply.
#include <cstddef>
#include <cstdint>

#include "acg2vec/image.hpp"
#include "acg2vec/preprocess.hpp"
#include "fuzz_common.hpp"

using namespace acg2vec;

// Far below the default limit so that one input costs at most ~16 MB and well under a second
// under ASan: a large declared size is tested by the limit checks, not by filling the pixels.
constexpr std::uint64_t kMaxPixels = std::uint64_t(1) << 22;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return fuzz::run_one([&] {
        DecodeOptions options;
        options.max_pixels = kMaxPixels;
        // The size picks the options, so the image bytes stay untouched: EXIF orientation, and
        // JPEG DCT scaling (full size, or the smallest scale keeping 16 or 32 pixels a side).
        options.apply_exif_orientation = size % 2 == 1;
        options.jpeg_min_side = int(size / 3 % 3) * 16;
        const Image image = decode_image_memory(data, size, options);
        fuzz::require(image.width > 0 && image.height > 0, "positive dimensions");
        fuzz::require(std::uint64_t(image.width) * std::uint64_t(image.height) <= kMaxPixels, "within max_pixels");
        fuzz::require(image.channels >= 1 && image.channels <= 4, "1 to 4 channels");
        fuzz::require(image.pixels.size() == image.row_bytes() * std::size_t(image.height), "pixel buffer size");
        fuzz::require(image.source_format == sniff_image_format(data, size) ||
                          (image.source_format == ImageFormat::tga && sniff_image_format(data, size) == ImageFormat::unknown),
                      "source_format is the sniffed one");
        if (std::uint64_t(image.width) * std::uint64_t(image.height) > (1u << 20)) return;  // keep runs fast

        // Every resize mode and filter, small odd target sizes: strips, 1-pixel images and
        // extreme aspect ratios are where resampling code goes wrong.
        PreprocessSpec spec;
        spec.width = 7 + int(size % 5);
        spec.height = 5 + int(size % 3);
        spec.resize_mode = ResizeMode(size / 2 % 4);
        spec.interpolation = Interpolation(size / 8 % 7);
        spec.pad_mode = PadMode(size / 56 % 2);
        spec.alpha = AlphaMode(size / 112 % 2);
        const Tensor t = preprocess_image(image, spec);
        fuzz::require(t.data.size() == spec.sample_size(), "preprocessed sample size");
    });
}
