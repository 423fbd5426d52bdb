// openai/CLIP's clean-up before BPE: basic_clean (ftfy.fix_text, html.unescape twice, strip),
// then whitespace_clean (runs of \s to one space, strip), then lower case.
#include "text/clip_cleanup.hpp"

#include "text/unicode.hpp"

namespace acg2vec::detail {
namespace {

// Python's str.strip() and re.sub(r"\s+", " ", ...): \s is str.isspace() for str patterns.
std::u32string collapse_whitespace(std::u32string_view text) {
    std::u32string out;
    out.reserve(text.size());
    bool in_space = false;
    for (char32_t c : text) {
        if (is_python_space(c)) {
            in_space = true;
            continue;
        }
        if (in_space && !out.empty()) out.push_back(U' ');
        in_space = false;
        out.push_back(c);
    }
    return out;
}

}  // namespace

std::u32string clip_clean(std::u32string_view text) {
    const std::u32string fixed = html_unescape(html_unescape(fix_text(text)));
    return python_lower(collapse_whitespace(fixed));
}

}  // namespace acg2vec::detail
