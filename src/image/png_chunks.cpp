// The PNG container. stb_image, which decoded our PNGs before, trusted the chunk structure
// and skipped checksums; we check every chunk's CRC and refuse a damaged file rather than
// embed whatever its damaged bytes decode to. (Pillow checks CRCs only of the chunks before
// the image data.)
#include <zlib.h>

#include <algorithm>
#include <string>

#include "image/png.hpp"

namespace acg2vec::detail {
namespace {

std::uint32_t read_be32(const std::uint8_t* p) {
    return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) | p[3];
}

// CRC-32 over the chunk type and data, as PNG defines it (zlib's, which is table-sliced and
// several times faster than a byte-wise loop).
std::uint32_t chunk_crc(const std::uint8_t* type_and_data, std::size_t size) {
    uLong crc = crc32(0L, Z_NULL, 0);
    while (size > 0) {
        const uInt step = size > 0x40000000u ? 0x40000000u : uInt(size);
        crc = crc32(crc, type_and_data, step);
        type_and_data += step;
        size -= step;
    }
    return std::uint32_t(crc);
}

bool valid_depth(int color_type, int depth) {
    switch (color_type) {
        case 0: return depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
        case 3: return depth == 1 || depth == 2 || depth == 4 || depth == 8;
        case 2:
        case 4:
        case 6: return depth == 8 || depth == 16;
        default: return false;
    }
}

PngHeader read_header(const std::uint8_t* d, const DecodeInput& input) {
    PngHeader header;
    header.width = read_be32(d);
    header.height = read_be32(d + 4);
    header.bit_depth = d[8];
    header.color_type = d[9];
    check_declared_size(header.width, header.height, input);
    if (!valid_depth(header.color_type, header.bit_depth)) {
        fail_decode(ErrorCode::invalid_image, input,
                    "PNG: invalid header (colour type " + std::to_string(header.color_type) + " with bit depth " +
                        std::to_string(header.bit_depth) + ")");
    }
    if (d[10] != 0 || d[11] != 0 || d[12] > 1) {
        fail_decode(ErrorCode::invalid_image, input,
                    "PNG: invalid header (unknown compression, filter or interlace method)");
    }
    header.interlaced = d[12] == 1;
    return header;
}

// A chunk type for a message: its four letters, or hex bytes when it is not letters (a broken
// file's "type" is whatever bytes stand there, and would print as garbage).
std::string printable_type(const std::string& type) {
    if (std::all_of(type.begin(), type.end(), [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }))
        return type;
    static const char* hex = "0123456789abcdef";
    std::string out = "0x";
    for (unsigned char c : type) {
        out += hex[c >> 4];
        out += hex[c & 15];
    }
    return out;
}

}  // namespace

PngChunks read_png_chunks(const DecodeInput& input) {
    PngChunks png;
    std::size_t at = 8;  // after the signature
    bool first = true;
    while (true) {
        if (at == input.size && !png.image_data.empty()) break;  // no IEND: the inflater judges the data
        if (at + 12 > input.size) fail_decode(ErrorCode::invalid_image, input, "PNG: truncated file (no IEND chunk)");
        const std::uint32_t length = read_be32(input.data + at);
        const std::string type(reinterpret_cast<const char*>(input.data + at + 4), 4);
        const std::uint8_t* payload = input.data + at + 8;
        if (length > 0x7FFFFFFFu || at + 12 + std::size_t(length) > input.size) {
            fail_decode(ErrorCode::invalid_image, input,
                        "PNG: truncated file (chunk " + printable_type(type) + " declares " + std::to_string(length) +
                            " bytes past the end)");
        }
        if (type == "CgBI") {
            fail_decode(ErrorCode::unsupported_format, input,
                        "PNG: Apple CgBI ('optimized for iPhone') PNG is not a standard PNG");
        }
        if (first && (type != "IHDR" || length != 13)) {
            fail_decode(ErrorCode::invalid_image, input, "PNG: first chunk is not a valid IHDR");
        }
        if (chunk_crc(input.data + at + 4, std::size_t(length) + 4) != read_be32(payload + length)) {
            fail_decode(ErrorCode::invalid_image, input, "PNG: bad CRC in chunk " + printable_type(type));
        }
        if (first) {
            png.header = read_header(payload, input);
        } else if (type == "IDAT") {
            png.image_data.push_back({payload, length});
        } else if (type == "PLTE") {
            if (length % 3 != 0 || length == 0 || length > 3 * 256) {
                fail_decode(ErrorCode::invalid_image, input,
                            "PNG: invalid palette (" + std::to_string(length) + " bytes)");
            }
            png.palette.assign(payload, payload + length);
        } else if (type == "tRNS") {
            png.transparency.assign(payload, payload + length);
            png.has_transparency = true;
        } else if (type == "IEND") {
            break;
        } else if (type == "IHDR") {
            fail_decode(ErrorCode::invalid_image, input, "PNG: a second IHDR chunk");
        } else if (!(type[0] & 0x20)) {  // a lower-case first letter marks a chunk safe to ignore
            fail_decode(ErrorCode::unsupported_format, input, "PNG: unknown critical chunk " + printable_type(type));
        }
        first = false;
        at += 12 + std::size_t(length);
    }
    if (png.image_data.empty()) fail_decode(ErrorCode::invalid_image, input, "PNG: no image data (IDAT)");
    return png;
}

}  // namespace acg2vec::detail
