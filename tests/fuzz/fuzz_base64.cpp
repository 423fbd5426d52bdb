// decode_base64 (plain, wrapped, URL-safe, data URLs) on arbitrary text, with a round-trip
// check of what it accepts, then decode_image_base64 on the same text.
#include <cstddef>
#include <cstdint>
#include <string>

#include "acg2vec/image.hpp"
#include "fuzz_common.hpp"

using namespace acg2vec;

namespace {

std::string encode(const std::vector<std::uint8_t>& bytes) {
    static const char* const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        const std::uint32_t n = std::uint32_t(bytes[i]) << 16 | (i + 1 < bytes.size() ? bytes[i + 1] << 8 : 0) |
                                (i + 2 < bytes.size() ? bytes[i + 2] : 0);
        out += alphabet[n >> 18 & 63];
        out += alphabet[n >> 12 & 63];
        out += i + 1 < bytes.size() ? alphabet[n >> 6 & 63] : '=';
        out += i + 2 < bytes.size() ? alphabet[n & 63] : '=';
    }
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    fuzz::run_one([&] {
        const std::vector<std::uint8_t> bytes = decode_base64(text);
        fuzz::require(!bytes.empty(), "a decoded payload is never empty");
        fuzz::require(bytes.size() <= size / 4 * 3 + 2, "no more bytes than the text can encode");
        fuzz::require(decode_base64(encode(bytes)) == bytes, "canonical re-encoding decodes to the same bytes");
        fuzz::require(decode_base64("data:image/png;base64," + encode(bytes)) == bytes, "as a data URL too");
    });
    return fuzz::run_one([&] {
        DecodeOptions options;
        options.max_pixels = 1 << 20;  // this target is about the text, not large images
        const Image image = decode_image_base64(text, options);
        fuzz::require(image.pixels.size() == image.row_bytes() * std::size_t(image.height), "pixel buffer size");
    });
}
