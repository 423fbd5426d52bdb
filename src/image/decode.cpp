// decode_image_* entry points: read the bytes, recognise the format, dispatch.
#include <cstring>

#include "image/decoders.hpp"
#include "io/read_file.hpp"

namespace acg2vec {

const char* image_format_name(ImageFormat format) noexcept {
    switch (format) {
        case ImageFormat::jpeg: return "jpeg";
        case ImageFormat::png: return "png";
        case ImageFormat::gif: return "gif";
        case ImageFormat::bmp: return "bmp";
        case ImageFormat::tga: return "tga";
        case ImageFormat::psd: return "psd";
        case ImageFormat::webp: return "webp";
        case ImageFormat::unknown: break;
    }
    return "unknown";
}

ImageFormat sniff_image_format(const void* data, std::size_t size) noexcept {
    const auto* b = static_cast<const unsigned char*>(data);
    auto has = [&](std::size_t offset, const char* magic) {
        std::size_t n = std::strlen(magic);
        return size >= offset + n && std::memcmp(b + offset, magic, n) == 0;
    };
    if (size >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) return ImageFormat::jpeg;
    if (has(0, "\x89PNG\r\n\x1a\n")) return ImageFormat::png;
    if (has(0, "GIF87a") || has(0, "GIF89a")) return ImageFormat::gif;
    if (has(0, "BM")) return ImageFormat::bmp;
    if (has(0, "8BPS")) return ImageFormat::psd;
    if (has(0, "RIFF") && has(8, "WEBP")) return ImageFormat::webp;
    return ImageFormat::unknown;  // TGA has no magic number; the stb decoder tries it last
}

namespace detail {

void fail_decode(ErrorCode code, const DecodeInput& input, const std::string& reason) {
    throw Error(code, input.name + ": " + reason);
}

void check_declared_size(std::uint64_t width, std::uint64_t height, const DecodeInput& input) {
    if (width == 0 || height == 0) {
        fail_decode(ErrorCode::image_too_large, input,
                    "image declares a zero dimension (" + std::to_string(width) + "x" + std::to_string(height) + ")");
    }
    // Also bounded by int so that every later size computation fits.
    if (width > 0x7FFFFFFF / 4 || height > 0x7FFFFFFF / 4 || width * height > input.options.max_pixels) {
        fail_decode(ErrorCode::image_too_large, input,
                    "image declares " + std::to_string(width) + "x" + std::to_string(height) +
                        " pixels, above the limit of " + std::to_string(input.options.max_pixels) +
                        " (DecodeOptions::max_pixels)");
    }
}

}  // namespace detail

Image decode_image_memory(const void* data, std::size_t size, const DecodeOptions& options, const std::string& name) {
    return detail::decode_bytes(data, size, options, name, JpegIdct::accurate);
}

Image detail::decode_bytes(const void* data, std::size_t size, const DecodeOptions& options, const std::string& name,
                           JpegIdct idct) {
    detail::DecodeInput input{static_cast<const std::uint8_t*>(data), size, options, name, idct};
    if (data == nullptr || size == 0) {
        detail::fail_decode(ErrorCode::invalid_argument, input, "no image data (empty input)");
    }
    ImageFormat format = sniff_image_format(data, size);
    Image image;
    switch (format) {
        case ImageFormat::jpeg: image = detail::decode_jpeg(input); break;
        case ImageFormat::webp: image = detail::decode_webp(input); break;
        case ImageFormat::gif: image = detail::decode_gif(input); break;
        case ImageFormat::png: image = detail::decode_png(input); break;
        default: image = detail::decode_with_stb(input, format); break;
    }
    return image;
}

Image decode_image_file(const std::string& path, const DecodeOptions& options) {
    const std::vector<char> bytes = detail::read_file(path);
    return decode_image_memory(bytes.data(), bytes.size(), options, path);
}

}  // namespace acg2vec
