// HTML character references, decoded two ways: as Python's html.unescape (which openai/CLIP
// applies twice: the same references, replacements and longest-prefix rule for names without
// ';'), and as ftfy's cautious unescape_html (only complete references ending in ';').
#include <algorithm>
#include <iterator>
#include <string_view>

#include "text/clip_cleanup.hpp"
#include "text/utf8.hpp"

namespace acg2vec::detail {
namespace {

struct NamedReference {
    std::string_view name;
    std::u32string_view value;
};
struct NumericReplacement {
    char32_t code;
    char32_t value;
};

#include "text/html_entities.inc"

bool is_ascii_digit(char32_t c) { return c >= U'0' && c <= U'9'; }
bool is_ascii_hex_digit(char32_t c) {
    return is_ascii_digit(c) || (c >= U'a' && c <= U'f') || (c >= U'A' && c <= U'F');
}
int hex_value(char32_t c) {
    if (is_ascii_digit(c)) return int(c - U'0');
    if (c >= U'a' && c <= U'f') return int(c - U'a') + 10;
    return int(c - U'A') + 10;
}

template <std::size_t N>
const std::u32string_view* find_in(const NamedReference (&table)[N], std::u32string_view name) {
    std::string ascii;
    for (char32_t c : name) {
        if (c > 0x7F) return nullptr;  // every reference name is ASCII
        ascii.push_back(char(c));
    }
    auto it = std::lower_bound(std::begin(table), std::end(table), ascii,
                               [](const NamedReference& r, const std::string& n) { return r.name < n; });
    if (it == std::end(table) || it->name != ascii) return nullptr;
    return &it->value;
}

const std::u32string_view* find_named(std::u32string_view name) { return find_in(kNamedReferences, name); }

bool is_ascii_alnum(char32_t c) {
    return (c >= U'0' && c <= U'9') || (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z');
}

std::u32string numeric_reference(char32_t code, bool overflowed) {
    if (!overflowed) {
        for (const auto& r : kNumericReplacements)
            if (r.code == code) return std::u32string(1, r.value);
    }
    if (overflowed || (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF) return U"\uFFFD";
    if (std::find(std::begin(kDroppedCodePoints), std::end(kDroppedCodePoints), code) != std::end(kDroppedCodePoints))
        return U"";
    return std::u32string(1, code);
}

// Tries a numeric reference at text[at] == '&'; on success appends and returns its length.
std::size_t numeric_at(std::u32string_view text, std::size_t at, std::u32string& out) {
    std::size_t i = at + 2;  // past "&#"
    const bool hex = i < text.size() && (text[i] == U'x' || text[i] == U'X');
    if (hex) ++i;
    const std::size_t digits_start = i;
    char32_t code = 0;
    bool overflowed = false;
    while (i < text.size() && (hex ? is_ascii_hex_digit(text[i]) : is_ascii_digit(text[i]))) {
        const char32_t next = code * (hex ? 16 : 10) + char32_t(hex ? hex_value(text[i]) : int(text[i] - U'0'));
        if (next > 0x10FFFF || next < code) overflowed = true;
        if (!overflowed) code = next;
        ++i;
    }
    if (i == digits_start) return 0;
    if (i < text.size() && text[i] == U';') ++i;
    out += numeric_reference(code, overflowed);
    return i - at;
}

// Tries a named reference: up to 32 characters other than \t \n \f space < & # ;, then an
// optional ';'. Unknown names fall back to their longest known prefix (at least 2 long).
std::size_t named_at(std::u32string_view text, std::size_t at, std::u32string& out) {
    std::size_t i = at + 1;
    while (i < text.size() && i - (at + 1) < 32) {
        const char32_t c = text[i];
        if (c == U'\t' || c == U'\n' || c == U'\f' || c == U' ' || c == U'<' || c == U'&' || c == U'#' || c == U';')
            break;
        ++i;
    }
    if (i == at + 1) return 0;
    if (i < text.size() && text[i] == U';') ++i;
    const std::u32string_view name = text.substr(at + 1, i - (at + 1));
    if (const auto* value = find_named(name)) {
        out += *value;
        return i - at;
    }
    for (std::size_t length = name.size() - 1; length >= 2 && length < name.size(); --length) {
        if (const auto* value = find_named(name.substr(0, length))) {
            out += *value;
            out += name.substr(length);
            return i - at;
        }
    }
    out += U'&';
    out += name;
    return i - at;
}

}  // namespace

std::u32string html_unescape(std::u32string_view text) {
    std::u32string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        if (text[i] != U'&') {
            out.push_back(text[i++]);
            continue;
        }
        const bool numeric = i + 1 < text.size() && text[i + 1] == U'#';
        const std::size_t used = numeric ? numeric_at(text, i, out) : named_at(text, i, out);
        if (used == 0) {
            out.push_back(text[i++]);
        } else {
            i += used;
        }
    }
    return out;
}

}  // namespace acg2vec::detail

namespace acg2vec::detail {

std::u32string ftfy_unescape_html(std::u32string_view text) {
    std::u32string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        // A reference here is "&", an optional "#", 1 to 24 ASCII letters or digits, then ";".
        std::size_t end = i + 1;
        if (text[i] == U'&') {
            if (end < text.size() && text[end] == U'#') ++end;
            const std::size_t name_start = end;
            while (end < text.size() && end - name_start < 24 && is_ascii_alnum(text[end])) ++end;
            if (end == name_start || end >= text.size() || text[end] != U';')
                end = i + 1;
            else
                ++end;
        }
        if (end == i + 1) {
            out.push_back(text[i++]);
            continue;
        }
        const std::u32string_view reference = text.substr(i, end - i);
        const std::u32string_view name = reference.substr(1);
        if (const auto* value = find_named(name); value != nullptr && name.back() == U';' && name[0] != U'#') {
            out += *value;
        } else if (const auto* upper = find_in(kUppercaseReferences, name)) {
            out += *upper;
        } else if (name[0] == U'#') {
            // A numeric reference counts only when html.unescape consumes it up to its ';'.
            const std::u32string decoded = html_unescape(reference);
            out += decoded.find(U';') == std::u32string::npos ? decoded : std::u32string(reference);
        } else {
            out += reference;
        }
        i = end;
    }
    return out;
}

}  // namespace acg2vec::detail
