// ftfy.fix_text with its default configuration (ftfy 6.3), except mojibake repair
// (fix_encoding and its byte-level helpers), which CLIP users rarely need and which we leave
// out; docs/text.md lists the steps. Surrogates cannot occur: input is strict UTF-8.
#include <algorithm>

#include "text/clip_cleanup.hpp"
#include "text/unicode.hpp"

namespace acg2vec::detail {
namespace {

// Segments are lines (the '\n' included), cut every million code points at the latest.
constexpr std::size_t kMaxSegment = 1000000;

// Windows-1252 for the C1 controls U+0080-U+009F; its five holes keep their code point.
constexpr char32_t kWindows1252High[32] = {0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                           0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
                                           0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                           0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

std::u32string_view latin_ligature(char32_t c) {
    switch (c) {
        case U'\u0132': return U"IJ";
        case U'\u0133': return U"ij";
        case U'\u0149': return U"\u02BCn";
        case U'\u01F1': return U"DZ";
        case U'\u01F2': return U"Dz";
        case U'\u01F3': return U"dz";
        case U'\u01C4': return U"D\u017D";
        case U'\u01C5': return U"D\u017E";
        case U'\u01C6': return U"d\u017E";
        case U'\u01C7': return U"LJ";
        case U'\u01C8': return U"Lj";
        case U'\u01C9': return U"lj";
        case U'\u01CA': return U"NJ";
        case U'\u01CB': return U"Nj";
        case U'\u01CC': return U"nj";
        case U'\uFB00': return U"ff";
        case U'\uFB01': return U"fi";
        case U'\uFB02': return U"fl";
        case U'\uFB03': return U"ffi";
        case U'\uFB04': return U"ffl";
        case U'\uFB05': return U"\u017Ft";
        case U'\uFB06': return U"st";
        default: return {};
    }
}

bool is_removed_control(char32_t c) {
    return c <= 0x08 || c == 0x0B || (c >= 0x0E && c <= 0x1F) || c == 0x7F || (c >= 0x206A && c <= 0x206F) ||
           c == 0xFEFF || (c >= 0xFFF9 && c <= 0xFFFC);
}

// A per-character replacement over the whole text (Python's str.translate).
template <class Replace>
std::u32string translate(std::u32string_view text, const Replace& replace) {
    std::u32string out;
    out.reserve(text.size());
    for (char32_t c : text) replace(c, out);
    return out;
}

// ftfy's per-character steps in its order: C1 controls as Windows-1252, Latin ligatures
// split, half/full-width forms to normal width (NFKC of U+FF01-U+FFEF; U+3000 to a space),
// curly quotes straightened. Each step sees the previous one's output.
std::u32string map_characters(std::u32string_view text) {
    std::u32string s = translate(text, [](char32_t c, std::u32string& out) {
        out.push_back(c >= 0x80 && c <= 0x9F ? kWindows1252High[c - 0x80] : c);
    });
    s = translate(s, [](char32_t c, std::u32string& out) {
        const auto ligature = latin_ligature(c);
        if (ligature.empty())
            out.push_back(c);
        else
            out += ligature;
    });
    s = translate(s, [](char32_t c, std::u32string& out) {
        if (c == 0x3000)
            out.push_back(U' ');
        else if (c >= 0xFF01 && c <= 0xFFEF)
            out += normalize(std::u32string(1, c), NormalForm::nfkc);
        else
            out.push_back(c);
    });
    return translate(s, [](char32_t c, std::u32string& out) {
        if (c == 0x02BC || (c >= 0x2018 && c <= 0x201B))
            out.push_back(U'\'');
        else if (c >= 0x201C && c <= 0x201F)
            out.push_back(U'"');
        else
            out.push_back(c);
    });
}

// \r\n, \r, U+2028, U+2029 and U+0085 become \n.
std::u32string unify_line_breaks(std::u32string_view text) {
    std::u32string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char32_t c = text[i];
        if (c == U'\r') {
            if (i + 1 < text.size() && text[i + 1] == U'\n') ++i;
            out.push_back(U'\n');
        } else if (c == 0x2028 || c == 0x2029 || c == 0x85) {
            out.push_back(U'\n');
        } else {
            out.push_back(c);
        }
    }
    return out;
}

// ANSI escapes ESC [ (decimal digits or ';')* letter, then the unintended control characters.
// Python's \d is any Unicode decimal digit (category Nd).
std::u32string remove_escapes_and_controls(std::u32string_view text) {
    std::u32string without_escapes;
    without_escapes.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == 0x1B && i + 1 < text.size() && text[i + 1] == U'[') {
            std::size_t j = i + 2;
            while (j < text.size() && (is_decimal_digit(text[j]) || text[j] == U';')) ++j;
            const char32_t end = j < text.size() ? text[j] : 0;
            if ((end >= U'a' && end <= U'z') || (end >= U'A' && end <= U'Z')) {
                i = j;
                continue;
            }
        }
        without_escapes.push_back(text[i]);
    }
    std::u32string out;
    out.reserve(without_escapes.size());
    for (char32_t c : without_escapes)
        if (!is_removed_control(c)) out.push_back(c);
    return out;
}

std::u32string fix_segment(std::u32string text, bool unescape) {
    while (true) {
        const std::u32string before = text;
        if (unescape) text = ftfy_unescape_html(text);
        text = unify_line_breaks(map_characters(text));
        text = normalize(remove_escapes_and_controls(text), NormalForm::nfc);
        if (text == before) return text;  // ftfy repeats its fixes until nothing changes
    }
}

}  // namespace

std::u32string fix_text(std::u32string_view text) {
    std::u32string out;
    // ftfy decodes HTML references only while no segment so far contained '<' (then the
    // text is probably HTML, and its references are meant literally).
    bool unescape = true;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t end = text.find(U'\n', pos);
        end = end == std::u32string_view::npos ? text.size() : end + 1;
        end = std::min(end, pos + kMaxSegment);
        const std::u32string_view segment = text.substr(pos, end - pos);
        if (segment.find(U'<') != std::u32string_view::npos) unescape = false;
        out += fix_segment(std::u32string(segment), unescape);
        pos = end;
    }
    return out;
}

}  // namespace acg2vec::detail
