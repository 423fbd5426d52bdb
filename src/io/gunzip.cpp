#include "io/gunzip.hpp"

#include <zlib.h>

#include "acg2vec/error.hpp"

namespace acg2vec::detail {

bool is_gzip(std::string_view bytes) {
    return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1F &&
           static_cast<unsigned char>(bytes[1]) == 0x8B;
}

std::string gunzip(std::string_view compressed, std::string_view source, std::size_t max_output) {
    auto fail = [&](const std::string& why) -> Error {
        return Error(ErrorCode::io, std::string(source) + ": gzip: " + why);
    };
    z_stream stream{};
    if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK) throw fail("cannot initialise zlib");
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
    stream.avail_in = uInt(compressed.size());  // callers pass files well under 4 GiB

    std::string out;
    char chunk[1 << 16];
    int status = Z_OK;
    while (status != Z_STREAM_END) {
        stream.next_out = reinterpret_cast<Bytef*>(chunk);
        stream.avail_out = sizeof chunk;
        status = inflate(&stream, Z_NO_FLUSH);
        if (status != Z_OK && status != Z_STREAM_END) {
            const std::string why = status == Z_BUF_ERROR   ? "truncated stream"
                                    : stream.msg != nullptr ? stream.msg
                                                            : "corrupt stream";
            inflateEnd(&stream);
            throw fail(why);
        }
        out.append(chunk, sizeof chunk - stream.avail_out);
        if (out.size() > max_output) {
            inflateEnd(&stream);
            throw fail("inflates past " + std::to_string(max_output) + " bytes");
        }
    }
    inflateEnd(&stream);
    return out;
}

}  // namespace acg2vec::detail
