#include "io/content_hash.hpp"

#include <cstdint>
#include <cstdio>
#include <fstream>

#include "acg2vec/error.hpp"

namespace acg2vec::detail {

std::string content_hash_file(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) throw Error(ErrorCode::io, path + ": cannot open");
    std::uint64_t h = 0xCBF29CE484222325ull;
    char buffer[1 << 16];
    while (f.read(buffer, sizeof buffer) || f.gcount() > 0) {
        for (std::streamsize i = 0; i < f.gcount(); ++i) {
            h ^= static_cast<unsigned char>(buffer[i]);
            h *= 0x100000001B3ull;
        }
    }
    if (f.bad()) throw Error(ErrorCode::io, path + ": read failed");
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(h));
    return text;
}

}  // namespace acg2vec::detail
