// Internal: strict UTF-8 <-> code points. Tokenizers work on code points; invalid input is
// an error that names the input and the byte offset, never a silent replacement.
#pragma once

#include <string>
#include <string_view>

namespace acg2vec::detail {

// Throws Error(invalid_argument) "<source>: invalid UTF-8 at byte N" on overlong forms,
// surrogates, code points past U+10FFFF and truncated sequences.
std::u32string decode_utf8(std::string_view text, std::string_view source);

void append_utf8(std::string& out, char32_t code_point);
std::string encode_utf8(std::u32string_view text);

}  // namespace acg2vec::detail
