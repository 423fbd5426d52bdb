// Tag names: display formatting and the word-level overlap rule.
#include <algorithm>

#include "tasks/tag_selection.hpp"

namespace acg2vec::detail {
namespace {

// Emoticon tags whose underscores are part of the face, so they are never replaced
// (the list the WD14 reference tagger keeps).
const std::vector<std::string>& kaomoji() {
    static const std::vector<std::string> list = {"0_0", "(o)_(o)", "+_+", "+_-", "._.",  "<o>_<o>", "<|>_<|>",
                                                  "=_=", ">_<",     "3_3", "6_9", ">_o",  "@_@",     "^_^",
                                                  "o_o", "u_u",     "x_x", "|_|", "||_||"};
    return list;
}

std::vector<std::string> words_of(const std::string& name) {
    std::vector<std::string> words;
    std::string word;
    for (char c : name) {
        if (c == '_' || c == ' ') {
            if (!word.empty()) words.push_back(word);
            word.clear();
        } else {
            word += c;
        }
    }
    if (!word.empty()) words.push_back(word);
    return words;
}

bool contains_run(const std::vector<std::string>& longer, const std::vector<std::string>& shorter) {
    if (shorter.empty() || shorter.size() >= longer.size()) return false;
    return std::search(longer.begin(), longer.end(), shorter.begin(), shorter.end()) != longer.end();
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
    for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
    }
}

}  // namespace

std::vector<std::size_t> without_overlaps(const std::vector<std::string>& names) {
    std::vector<std::vector<std::string>> words;
    for (const auto& n : names) words.push_back(words_of(n));
    std::vector<std::size_t> kept;
    for (std::size_t i = 0; i < names.size(); ++i) {
        bool inside_another = false;
        for (std::size_t j = 0; j < names.size() && !inside_another; ++j) {
            inside_another = j != i && contains_run(words[j], words[i]);
        }
        if (!inside_another) kept.push_back(i);
    }
    return kept;
}

std::string display_name(const std::string& name, const TagOptions& options) {
    std::string shown = name;
    const auto& faces = kaomoji();
    if (options.underscores_to_spaces && std::find(faces.begin(), faces.end(), name) == faces.end()) {
        std::replace(shown.begin(), shown.end(), '_', ' ');
    }
    if (options.escape_parentheses) {
        replace_all(shown, "(", "\\(");
        replace_all(shown, ")", "\\)");
    }
    return shown;
}

}  // namespace acg2vec::detail
