// BMP, TGA and PSD (composite) through stb_image, built here with
// only those formats so no other parser is reachable from untrusted bytes.
#define STB_IMAGE_IMPLEMENTATION
#define STB_IMAGE_STATIC
#define STBI_NO_STDIO
#define STBI_NO_HDR
#define STBI_NO_LINEAR
#define STBI_FAILURE_USERMSG
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
using StbPixels = std::unique_ptr<stbi_uc, StbFree>;

std::uint32_t le16(const std::uint8_t* p) { return p[0] | (p[1] << 8); }
std::uint32_t le32(const std::uint8_t* p) { return le16(p) | (le16(p + 2) << 16); }

// stb_image keeps a BMP palette in an uninitialised array and reads it for pixel values past
// the palette's end; such a pixel would show stack garbage, so we refuse the file.
void check_bmp_palette(const DecodeInput& input) {
    if (input.size < 30) return;  // stb reports the short header itself
    const std::uint8_t* d = input.data;
    const std::uint32_t offset = le32(d + 10), header_size = le32(d + 14);
    const bool core = header_size == 12;
    const std::int64_t width = core ? le16(d + 18) : std::int32_t(le32(d + 18));
    const std::int64_t height = core ? le16(d + 20) : std::int32_t(le32(d + 22));
    const int bpp = int(le16(d + (core ? 24 : 28)));
    if (bpp != 1 && bpp != 4 && bpp != 8) return;
    const std::int64_t palette_bytes = std::int64_t(offset) - 14 - header_size;
    const std::int64_t palette_size = palette_bytes / (core ? 3 : 4);
    if (palette_size >= (1 << bpp) || width <= 0) return;
    const std::size_t row_bytes = (std::size_t(width) * bpp + 31) / 32 * 4;
    const std::int64_t rows = height < 0 ? -height : height;
    for (std::int64_t y = 0; y < rows; ++y) {
        const std::size_t row = std::size_t(offset) + std::size_t(y) * row_bytes;
        for (std::int64_t x = 0; x < width; ++x) {
            const std::size_t bit = std::size_t(x) * bpp;
            if (row + bit / 8 >= input.size) return;  // truncation is caught by the caller
            const int index = (d[row + bit / 8] >> (8 - bpp - bit % 8)) & ((1 << bpp) - 1);
            if (index >= palette_size) {
                fail_decode(ErrorCode::invalid_image, input,
                            "BMP: a pixel uses colour " + std::to_string(index) + " of a " +
                                std::to_string(palette_size) + "-colour palette");
            }
        }
    }
}

// stb_image reads uncompressed TGA rows with a bulk read whose failure it ignores, leaving
// the rows uninitialised; the file must hold every byte its header promises.
void check_tga_size(const DecodeInput& input) {
    if (input.size < 18) return;
    const std::uint8_t* d = input.data;
    const int type = d[2];
    if (type != 1 && type != 2 && type != 3) return;  // RLE types read byte by byte
    const std::uint64_t palette = d[1] ? std::uint64_t(le16(d + 5)) * ((d[7] + 7) / 8) : 0;
    const std::uint64_t pixels = std::uint64_t(le16(d + 12)) * le16(d + 14) * ((d[16] + 7) / 8);
    if (18 + std::uint64_t(d[0]) + palette + pixels > input.size) {
        fail_decode(ErrorCode::invalid_image, input, "tga: image file is truncated");
    }
}

StbPixels load(const std::uint8_t* data, std::size_t size, int& w, int& h, int& channels) {
    return StbPixels(stbi_load_from_memory(data, int(size), &w, &h, &channels, 0));
}

// stb_image reads zeros past the end of its buffer instead of failing, so a truncated BMP,
// TGA or PSD would come out padded with black. Decoding again with non-zero bytes after the
// data tells whether the decoder used bytes the file does not have.
bool reads_past_end(const DecodeInput& input, const stbi_uc* first, int w, int h, int channels) {
    std::vector<std::uint8_t> padded(input.data, input.data + input.size);
    padded.resize(input.size + 4096, 0xA5);
    int w2 = 0, h2 = 0, c2 = 0;
    StbPixels second = load(padded.data(), padded.size(), w2, h2, c2);
    return !second || w2 != w || h2 != h || c2 != channels ||
           std::memcmp(first, second.get(), std::size_t(w) * h * channels) != 0;
}

// stb_image's messages for valid files of a variant it does not decode (RLE BMP, CMYK PSD, ...).
bool is_unsupported_variant(const char* reason) {
    const std::string r = reason ? reason : "";
    for (const char* marker : {"not supported", "Unsupported", "is not in RGB", "is not 8 or 16 bit"}) {
        if (r.find(marker) != std::string::npos) return true;
    }
    return false;
}

}  // namespace

Image decode_with_stb(const DecodeInput& input, ImageFormat format) {
    if (input.size > 0x7FFFFFFF - 4096) fail_decode(ErrorCode::image_too_large, input, "file larger than 2 GiB");
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
    const std::string label = image_format_name(format == ImageFormat::unknown ? ImageFormat::tga : format);
    if (format == ImageFormat::bmp) check_bmp_palette(input);
    if (format == ImageFormat::unknown) check_tga_size(input);

    StbPixels pixels = load(input.data, input.size, w, h, channels);
    if (!pixels) {
        const char* reason = stbi_failure_reason();
        fail_decode(is_unsupported_variant(reason) ? ErrorCode::unsupported_format : ErrorCode::invalid_image, input,
                    label + ": " + (reason ? reason : "cannot decode"));
    }
    if (reads_past_end(input, pixels.get(), w, h, channels)) {
        fail_decode(ErrorCode::invalid_image, input, label + ": image file is truncated");
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
