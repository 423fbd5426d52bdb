// Internal: the Unicode properties and transformations the tokenizers need, all from utf8proc
// (no hand-written character tables). Names say which Python behaviour each one reproduces,
// because the reference tokenizers are Python programs.
#pragma once

#include <string>

namespace acg2vec::detail {

bool is_letter(char32_t c);             // general category L* (regex \p{L})
bool is_number(char32_t c);             // N* (regex \p{N})
bool is_decimal_digit(char32_t c);      // Nd (Python's \d)
bool is_punctuation(char32_t c);        // P*
bool is_nonspacing_mark(char32_t c);    // Mn
bool is_control_or_format(char32_t c);  // C* (Cc, Cf, Cs, Co, Cn)
bool is_space_separator(char32_t c);    // Zs
// Python's str.isspace(): bidirectional class WS, B or S, or category Zs.
bool is_python_space(char32_t c);

enum class NormalForm { nfc, nfd, nfkc };
std::u32string normalize(std::u32string_view text, NormalForm form);

// Python's str.lower(): simple lower-case mappings plus the two full mappings Python applies
// (U+0130 → "i̇", and Σ → ς at the end of a word).
std::u32string python_lower(std::u32string_view text);

}  // namespace acg2vec::detail
