// Base64 (RFC 4648, standard and URL-safe alphabets) and base64 data URLs. Clients of
// the seed servers send both wrapped (MIME, 76 columns) and unwrapped text, so
// whitespace anywhere is skipped.
#include <cctype>
#include <cstring>

#include "acg2vec/error.hpp"
#include "acg2vec/image.hpp"

namespace acg2vec {
namespace {

constexpr int kWhitespace = -2;
constexpr int kInvalid = -1;

int base64_value(unsigned char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+' || c == '-') return 62;
    if (c == '/' || c == '_') return 63;
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v') return kWhitespace;
    return kInvalid;
}

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
    std::vector<std::uint8_t> out;
    out.reserve(text.size() / 4 * 3 + 3);
    std::uint32_t bits = 0;
    int bit_count = 0;
    std::size_t symbols = 0;
    std::size_t padding = 0;
    for (std::size_t i = payload_start(text, name); i < text.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(text[i]);
        if (c == '=') {
            ++padding;
            continue;
        }
        int v = base64_value(c);
        if (v == kWhitespace) continue;
        if (v == kInvalid || padding > 0) {
            throw Error(ErrorCode::invalid_argument,
                        name + ": invalid base64 character at offset " + std::to_string(i));
        }
        bits = (bits << 6) | std::uint32_t(v);
        bit_count += 6;
        ++symbols;
        if (bit_count >= 8) {
            bit_count -= 8;
            out.push_back(static_cast<std::uint8_t>((bits >> bit_count) & 0xFF));
        }
    }
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
