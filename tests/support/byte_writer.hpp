// Writing integers into hand-made file headers (BMP, TGA, PNG, RIFF) in tests.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace acg2vec::test {

using Bytes = std::vector<std::uint8_t>;

inline void put_le16(Bytes& b, std::size_t at, std::uint32_t v) {
    b[at] = std::uint8_t(v);
    b[at + 1] = std::uint8_t(v >> 8);
}

inline void put_le32(Bytes& b, std::size_t at, std::uint32_t v) {
    put_le16(b, at, v & 0xFFFF);
    put_le16(b, at + 2, v >> 16);
}

inline void put_be32(Bytes& b, std::size_t at, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) b[at + std::size_t(i)] = std::uint8_t(v >> (24 - 8 * i));
}

}  // namespace acg2vec::test
