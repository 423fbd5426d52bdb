// Base64 (RFC 4648, standard and URL-safe alphabets) and base64 data URLs. Clients of
// the seed servers send both wrapped (MIME, 76 columns) and unwrapped text, so
// whitespace anywhere is skipped.
#include <array>
#include <cctype>
#include <cstdint>
#include <cstring>

#include "acg2vec/error.hpp"
#include "acg2vec/image.hpp"

namespace acg2vec {
namespace {

constexpr std::int8_t kWhitespace = -2;
constexpr std::int8_t kInvalid = -1;

// Symbol value by byte: a table, because the branches of a range test mispredict on base64's
// evenly mixed letters and digits (measured: about 1 ms for a 90 KB image, the largest part of
// the server's per-request overhead; nothing measurable with the table).
constexpr std::array<std::int8_t, 256> make_symbol_table() {
    std::array<std::int8_t, 256> table{};
    for (auto& v : table) v = kInvalid;
    for (int c = 'A'; c <= 'Z'; ++c) table[std::size_t(c)] = std::int8_t(c - 'A');
    for (int c = 'a'; c <= 'z'; ++c) table[std::size_t(c)] = std::int8_t(c - 'a' + 26);
    for (int c = '0'; c <= '9'; ++c) table[std::size_t(c)] = std::int8_t(c - '0' + 52);
    table['+'] = table['-'] = 62;  // standard and URL-safe alphabets
    table['/'] = table['_'] = 63;
    for (char c : {' ', '\t', '\r', '\n', '\f', '\v'}) table[std::size_t(static_cast<unsigned char>(c))] = kWhitespace;
    return table;
}
constexpr std::array<std::int8_t, 256> kSymbol = make_symbol_table();

int base64_value(unsigned char c) { return kSymbol[c]; }

bool starts_with_ignoring_case(const std::string& text, const char* prefix) {
    std::size_t n = std::strlen(prefix);
    if (text.size() < n) return false;
    for (std::size_t i = 0; i < n; ++i) {
        if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
    }
    return true;
}

// The payload of a data URL, or the whole text when it is not one.
std::string::size_type payload_start(const std::string& text, const std::string& name) {
    std::size_t first = 0;
    while (first < text.size() && base64_value(text[first]) == kWhitespace) ++first;
    if (!starts_with_ignoring_case(text.substr(first, 5), "data:")) return first;
    auto comma = text.find(',', first);
    if (comma == std::string::npos) {
        throw Error(ErrorCode::invalid_argument, name + ": data URL has no ',' before its payload");
    }
    std::string header = text.substr(first, comma - first);
    for (auto& c : header) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (header.size() < 7 || header.compare(header.size() - 7, 7, ";base64") != 0) {
        throw Error(ErrorCode::invalid_argument, name + ": only base64 data URLs are supported (missing ';base64')");
    }
    return comma + 1;
}

}  // namespace

std::vector<std::uint8_t> decode_base64(const std::string& text, const std::string& name) {
    std::vector<std::uint8_t> out(text.size() / 4 * 3 + 3);
    std::uint8_t* o = out.data();
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    std::uint32_t bits = 0;
    int bit_count = 0;
    std::size_t symbols = 0;
    std::size_t padding = 0;
    for (std::size_t i = payload_start(text, name); i < n;) {
        // Four symbols at once while on a group boundary: nearly all of a payload.
        if (bit_count == 0 && padding == 0 && i + 4 <= n) {
            const int a = kSymbol[p[i]], b = kSymbol[p[i + 1]], c = kSymbol[p[i + 2]], d = kSymbol[p[i + 3]];
            if ((a | b | c | d) >= 0) {
                const std::uint32_t v =
                    std::uint32_t(a) << 18 | std::uint32_t(b) << 12 | std::uint32_t(c) << 6 | std::uint32_t(d);
                *o++ = std::uint8_t(v >> 16);
                *o++ = std::uint8_t(v >> 8);
                *o++ = std::uint8_t(v);
                symbols += 4;
                i += 4;
                continue;
            }
        }
        // One character: whitespace, padding, a symbol off the group boundary, or an error.
        const unsigned char c = p[i];
        if (c == '=') {
            ++padding;
            ++i;
            continue;
        }
        const int v = kSymbol[c];
        if (v == kWhitespace) {
            ++i;
            continue;
        }
        if (v == kInvalid || padding > 0) {
            throw Error(ErrorCode::invalid_argument,
                        name + ": invalid base64 character at offset " + std::to_string(i));
        }
        bits = (bits << 6) | std::uint32_t(v);
        bit_count += 6;
        ++symbols;
        ++i;
        if (bit_count >= 8) {
            bit_count -= 8;
            *o++ = static_cast<std::uint8_t>((bits >> bit_count) & 0xFF);
        }
    }
    out.resize(std::size_t(o - out.data()));
    // A final group of one symbol cannot encode a byte; padding beyond two is malformed.
    if (symbols % 4 == 1 || padding > 2 || (padding > 0 && (symbols + padding) % 4 != 0)) {
        throw Error(ErrorCode::invalid_argument, name + ": truncated or malformed base64");
    }
    if (out.empty()) throw Error(ErrorCode::invalid_argument, name + ": empty base64 payload");
    return out;
}

Image decode_image_base64(const std::string& text, const DecodeOptions& options, const std::string& name) {
    std::vector<std::uint8_t> bytes = decode_base64(text, name);
    return decode_image_memory(bytes.data(), bytes.size(), options, name);
}

}  // namespace acg2vec
