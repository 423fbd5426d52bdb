// stb_image trusts a PNG's chunk structure and checksums. We walk the chunks first and refuse
// what is corrupt: bad chunk CRCs, truncation, a zlib stream that is broken, incomplete or
// fails its Adler-32. That is stricter than Pillow, which checks CRCs only of the chunks
// before the image data and stops inflating at the last row: we would rather refuse a
// damaged file than embed whatever its damaged bytes decode to.
#include <zlib.h>

#include <array>
#include <memory>

#include "image/decoders.hpp"

namespace acg2vec::detail {
namespace {

std::array<std::uint32_t, 256> make_crc_table() {
    std::array<std::uint32_t, 256> table{};
    for (std::uint32_t n = 0; n < 256; ++n) {
        std::uint32_t c = n;
        for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[n] = c;
    }
    return table;
}

// CRC-32 as the PNG specification defines it (ISO 3309 polynomial, reflected).
std::uint32_t png_crc(const std::uint8_t* data, std::size_t size) {
    static const std::array<std::uint32_t, 256> table = make_crc_table();
    std::uint32_t c = 0xFFFFFFFFu;
    for (std::size_t i = 0; i < size; ++i) c = table[(c ^ data[i]) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

std::uint32_t read_be32(const std::uint8_t* p) {
    return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) | p[3];
}

// Inflates the IDAT stream into a scratch buffer to check what stb_image does not: that the
// zlib stream is complete and its Adler-32 matches.
class ZlibStreamCheck {
public:
    ZlibStreamCheck() {
        if (inflateInit(&stream_) != Z_OK) throw Error(ErrorCode::internal, "zlib: inflateInit failed");
    }
    ~ZlibStreamCheck() { inflateEnd(&stream_); }
    ZlibStreamCheck(const ZlibStreamCheck&) = delete;
    ZlibStreamCheck& operator=(const ZlibStreamCheck&) = delete;

    // Returns an error text, or "" while the stream is fine.
    std::string feed(const std::uint8_t* data, std::size_t size) {
        if (finished_) return size == 0 ? "" : "data after the end of the zlib stream";
        stream_.next_in = const_cast<Bytef*>(data);
        stream_.avail_in = static_cast<uInt>(size);
        while (stream_.avail_in > 0 && !finished_) {
            stream_.next_out = scratch_.data();
            stream_.avail_out = static_cast<uInt>(scratch_.size());
            int status = inflate(&stream_, Z_NO_FLUSH);
            if (status == Z_STREAM_END) finished_ = true;
            else if (status != Z_OK && status != Z_BUF_ERROR) return stream_.msg ? stream_.msg : "corrupt zlib stream";
        }
        return "";
    }
    bool finished() const { return finished_; }

private:
    z_stream stream_{};
    std::array<Bytef, 32768> scratch_{};
    bool finished_ = false;
};

}  // namespace

bool validate_png_chunks(const DecodeInput& input) {
    std::size_t at = 8;  // after the signature
    bool first = true;
    bool seen_idat = false;
    auto zlib = std::make_unique<ZlibStreamCheck>();
    while (true) {
        // A file that ends cleanly after complete image data but without IEND is accepted.
        if (at == input.size && zlib->finished()) return false;
        if (at + 12 > input.size) {
            fail_decode(ErrorCode::invalid_image, input, "PNG: truncated file (no IEND chunk)");
        }
        std::uint32_t length = read_be32(input.data + at);
        std::string type(reinterpret_cast<const char*>(input.data + at + 4), 4);
        if (length > 0x7FFFFFFFu || at + 12 + std::size_t(length) > input.size) {
            fail_decode(ErrorCode::invalid_image, input,
                        "PNG: truncated file (chunk " + type + " declares " +
                            std::to_string(length) + " bytes past the end)");
        }
        if (type == "CgBI") {
            fail_decode(ErrorCode::unsupported_format, input,
                        "PNG: Apple CgBI ('optimized for iPhone') PNG is not a standard PNG");
        }
        if (first && (type != "IHDR" || length != 13)) {
            fail_decode(ErrorCode::invalid_image, input, "PNG: first chunk is not a valid IHDR");
        }
        std::uint32_t stored = read_be32(input.data + at + 8 + length);
        if (png_crc(input.data + at + 4, std::size_t(length) + 4) != stored) {
            fail_decode(ErrorCode::invalid_image, input, "PNG: bad CRC in chunk " + type);
        }
        if (first) check_declared_size(read_be32(input.data + at + 8), read_be32(input.data + at + 12), input);
        if (type == "IDAT") {
            seen_idat = true;
            std::string problem = zlib->feed(input.data + at + 8, length);
            if (!problem.empty()) fail_decode(ErrorCode::invalid_image, input, "PNG: broken image data (" + problem + ")");
        }
        if (type == "IEND") break;
        first = false;
        at += 12 + std::size_t(length);
    }
    if (!seen_idat) fail_decode(ErrorCode::invalid_image, input, "PNG: no image data (IDAT)");
    if (!zlib->finished()) fail_decode(ErrorCode::invalid_image, input, "PNG: image data ends before its zlib stream does");
    return true;
}

}  // namespace acg2vec::detail
