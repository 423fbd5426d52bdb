// PNG, BMP, TGA and PSD (composite) through stb_image, built here with
// only those formats so no other parser is reachable from untrusted bytes.
#define STB_IMAGE_IMPLEMENTATION
#define STB_IMAGE_STATIC
#define STBI_NO_STDIO
#define STBI_NO_HDR
#define STBI_NO_LINEAR
#define STBI_FAILURE_USERMSG
#define STBI_ONLY_PNG
#define STBI_ONLY_BMP
#define STBI_ONLY_TGA
#define STBI_ONLY_PSD
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wunused-but-set-variable"
#endif
#include <stb_image.h>
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

#include <cstring>
#include <memory>

#include "image/decoders.hpp"

namespace acg2vec::detail {
namespace {

struct StbFree {
    void operator()(stbi_uc* p) const { stbi_image_free(p); }
};

}  // namespace

Image decode_with_stb(const DecodeInput& input, ImageFormat format) {
    if (input.size > 0x7FFFFFFF) fail_decode(ErrorCode::image_too_large, input, "file larger than 2 GiB");
    const int size = static_cast<int>(input.size);
    int w = 0, h = 0, channels = 0;
    if (!stbi_info_from_memory(input.data, size, &w, &h, &channels)) {
        if (format == ImageFormat::unknown) {
            fail_decode(ErrorCode::unsupported_format, input,
                        "not an image in a supported format (JPEG, PNG, GIF, BMP, TGA, PSD, WebP)");
        }
        fail_decode(ErrorCode::invalid_image, input,
                    std::string(image_format_name(format)) + ": " + stbi_failure_reason());
    }
    check_declared_size(std::uint64_t(w), std::uint64_t(h), input);

    std::unique_ptr<stbi_uc, StbFree> pixels(stbi_load_from_memory(input.data, size, &w, &h, &channels, 0));
    if (!pixels) {
        fail_decode(ErrorCode::invalid_image, input,
                    std::string(image_format_name(format == ImageFormat::unknown ? ImageFormat::tga : format)) +
                        ": " + stbi_failure_reason());
    }
    Image image;
    image.width = w;
    image.height = h;
    image.channels = channels;
    image.source_format = format == ImageFormat::unknown ? ImageFormat::tga : format;
    image.pixels.assign(pixels.get(), pixels.get() + std::size_t(w) * h * channels);
    return image;
}

}  // namespace acg2vec::detail
