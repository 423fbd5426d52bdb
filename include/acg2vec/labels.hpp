// Label tables of multi-label taggers: WD14's selected_tags.csv and DeepDanbooru's tags.txt.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "acg2vec/export.hpp"

namespace acg2vec {

// Danbooru's tag categories, with the numbers selected_tags.csv uses.
enum class TagCategory : int { general = 0, artist = 1, copyright = 3, character = 4, meta = 5, rating = 9 };

struct Label {
    std::string name;  // as in the table, e.g. "long_hair", "rating:general" or "general"
    TagCategory category = TagCategory::general;
    std::int64_t tag_id = -1;  // Danbooru id when the table has one
    std::int64_t count = 0;    // post count when the table has one
};

struct ACG2VEC_API LabelTable {
    std::vector<Label> labels;  // in model output order

    std::size_t size() const { return labels.size(); }
    std::size_t count(TagCategory category) const;
    // Index of a label by name, or -1.
    std::ptrdiff_t find(const std::string& name) const;
};

// selected_tags.csv: a header naming at least `name` and `category` (also `tag_id`, `count`),
// RFC 4180 quoting, LF or CRLF, blank lines ignored. Throws model_metadata naming `source`
// and the line.
ACG2VEC_API LabelTable parse_selected_tags_csv(const std::string& text,
                                               const std::string& source = "selected_tags.csv");

// DeepDanbooru's tags.txt: one tag a line, the first `general_count` general, then
// `character_count` characters, then the "rating:*" system tags.
ACG2VEC_API LabelTable parse_deepdanbooru_tags(const std::string& text, std::size_t general_count,
                                               std::size_t character_count, const std::string& source = "tags.txt");

}  // namespace acg2vec
