#include "text/unicode.hpp"

#include <utf8proc.h>

#include <cstdlib>
#include <memory>

#include "acg2vec/error.hpp"
#include "text/utf8.hpp"

namespace acg2vec::detail {
namespace {

utf8proc_category_t category(char32_t c) { return utf8proc_category(utf8proc_int32_t(c)); }

// Python's "cased" and "case-ignorable" properties, as far as general categories express
// them; they only decide whether a capital sigma ends a word.
bool is_cased(char32_t c) {
    const auto cat = category(c);
    if (cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LL || cat == UTF8PROC_CATEGORY_LT) return true;
    const auto cp = utf8proc_int32_t(c);
    return utf8proc_tolower(cp) != cp || utf8proc_toupper(cp) != cp;
}

bool is_case_ignorable(char32_t c) {
    switch (category(c)) {
        case UTF8PROC_CATEGORY_MN:
        case UTF8PROC_CATEGORY_ME:
        case UTF8PROC_CATEGORY_CF:
        case UTF8PROC_CATEGORY_LM:
        case UTF8PROC_CATEGORY_SK: return true;
        default: break;
    }
    // Word_Break MidLetter / MidNumLet / Single_Quote characters.
    switch (c) {
        case U'\'':
        case U'.':
        case U':':
        case U'\u00B7':
        case U'\u0387':
        case U'\u05F4':
        case U'\u2018':
        case U'\u2019':
        case U'\u2024':
        case U'\u2027':
        case U'\uFE13':
        case U'\uFE52':
        case U'\uFE55':
        case U'\uFF07':
        case U'\uFF0E':
        case U'\uFF1A': return true;
        default: return false;
    }
}

bool sigma_ends_word(std::u32string_view text, std::size_t at) {
    std::size_t before = at;
    while (before > 0 && is_case_ignorable(text[before - 1])) --before;
    if (before == 0 || !is_cased(text[before - 1])) return false;
    std::size_t after = at + 1;
    while (after < text.size() && is_case_ignorable(text[after])) ++after;
    return after == text.size() || !is_cased(text[after]);
}

}  // namespace

bool is_letter(char32_t c) {
    switch (category(c)) {
        case UTF8PROC_CATEGORY_LU:
        case UTF8PROC_CATEGORY_LL:
        case UTF8PROC_CATEGORY_LT:
        case UTF8PROC_CATEGORY_LM:
        case UTF8PROC_CATEGORY_LO: return true;
        default: return false;
    }
}

bool is_number(char32_t c) {
    const auto cat = category(c);
    return cat == UTF8PROC_CATEGORY_ND || cat == UTF8PROC_CATEGORY_NL || cat == UTF8PROC_CATEGORY_NO;
}

bool is_decimal_digit(char32_t c) { return category(c) == UTF8PROC_CATEGORY_ND; }

bool is_punctuation(char32_t c) {
    switch (category(c)) {
        case UTF8PROC_CATEGORY_PC:
        case UTF8PROC_CATEGORY_PD:
        case UTF8PROC_CATEGORY_PS:
        case UTF8PROC_CATEGORY_PE:
        case UTF8PROC_CATEGORY_PI:
        case UTF8PROC_CATEGORY_PF:
        case UTF8PROC_CATEGORY_PO: return true;
        default: return false;
    }
}

bool is_nonspacing_mark(char32_t c) { return category(c) == UTF8PROC_CATEGORY_MN; }

bool is_control_or_format(char32_t c) {
    switch (category(c)) {
        case UTF8PROC_CATEGORY_CC:
        case UTF8PROC_CATEGORY_CF:
        case UTF8PROC_CATEGORY_CS:
        case UTF8PROC_CATEGORY_CO:
        case UTF8PROC_CATEGORY_CN: return true;
        default: return false;
    }
}

bool is_space_separator(char32_t c) { return category(c) == UTF8PROC_CATEGORY_ZS; }

bool is_python_space(char32_t c) {
    if (is_space_separator(c)) return true;
    const auto bidi = utf8proc_get_property(utf8proc_int32_t(c))->bidi_class;
    return bidi == UTF8PROC_BIDI_CLASS_WS || bidi == UTF8PROC_BIDI_CLASS_B || bidi == UTF8PROC_BIDI_CLASS_S;
}

std::u32string normalize(std::u32string_view text, NormalForm form) {
    int options = UTF8PROC_STABLE;
    switch (form) {
        case NormalForm::nfc: options |= UTF8PROC_COMPOSE; break;
        case NormalForm::nfd: options |= UTF8PROC_DECOMPOSE; break;
        case NormalForm::nfkc: options |= UTF8PROC_COMPOSE | UTF8PROC_COMPAT; break;
    }
    const std::string utf8 = encode_utf8(text);
    utf8proc_uint8_t* mapped = nullptr;
    const auto length = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(utf8.c_str()),
                                     utf8proc_ssize_t(utf8.size()), &mapped, utf8proc_option_t(options));
    std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owned(mapped, &std::free);
    if (length < 0)
        throw Error(ErrorCode::internal, std::string("unicode normalisation failed: ") + utf8proc_errmsg(length));
    return decode_utf8(std::string_view(reinterpret_cast<const char*>(mapped), std::size_t(length)),
                       "<normalised text>");
}

std::u32string python_lower(std::u32string_view text) {
    std::u32string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char32_t c = text[i];
        if (c == U'\u0130') {  // İ: the one unconditional full lower-case mapping
            out += U"i\u0307";
        } else if (c == U'\u03A3') {
            out.push_back(sigma_ends_word(text, i) ? U'\u03C2' : U'\u03C3');
        } else {
            out.push_back(char32_t(utf8proc_tolower(utf8proc_int32_t(c))));
        }
    }
    return out;
}

}  // namespace acg2vec::detail
