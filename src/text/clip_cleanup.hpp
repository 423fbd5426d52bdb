// Internal: the text clean-up openai/CLIP applies before BPE (see docs/text.md).
#pragma once

#include <string>

namespace acg2vec::detail {

// ftfy.fix_text's default fixes except mojibake repair (text_fixes.cpp).
std::u32string fix_text(std::u32string_view text);

// Python's html.unescape (html_unescape.cpp).
std::u32string html_unescape(std::u32string_view text);
// ftfy's unescape_html: only complete references ending in ';', plus upper-cased names.
std::u32string ftfy_unescape_html(std::u32string_view text);

// fix_text, html_unescape twice, strip, runs of whitespace to one space, lower case.
std::u32string clip_clean(std::u32string_view text);

}  // namespace acg2vec::detail
