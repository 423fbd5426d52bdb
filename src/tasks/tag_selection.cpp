// select_tags: thresholds (fixed or MCut), include/exclude lists, overlap dropping, sorting,
// limits and naming, in that order. Comparisons are strict (p > threshold), as in the WD14
// reference tagger.
#include <algorithm>
#include <functional>
#include <set>

#include "acg2vec/error.hpp"
#include "tasks/tag_selection.hpp"

namespace acg2vec::detail {
namespace {

void check_options(const TagOptions& o) {
    auto in_unit = [](float v) { return v >= 0.0f && v <= 1.0f; };
    if (!in_unit(o.general_threshold) || !in_unit(o.character_threshold) || !in_unit(o.character_mcut_floor)) {
        throw Error(ErrorCode::invalid_argument, "TagOptions: thresholds must be in [0, 1]");
    }
}

// Most probable first; equal probabilities in label-table order.
std::vector<Tag> sorted_by_probability(std::vector<Tag> tags) {
    std::sort(tags.begin(), tags.end(), [](const Tag& a, const Tag& b) {
        return a.probability != b.probability ? a.probability > b.probability : a.index < b.index;
    });
    return tags;
}

// The indices of one category's labels whose probability clears its threshold.
std::vector<std::size_t> above_threshold(const LabelTable& labels, const std::vector<float>& p, TagCategory category,
                                         float fixed, bool mcut, float mcut_floor) {
    std::vector<std::size_t> members;
    for (std::size_t i = 0; i < labels.size(); ++i) {
        if (labels.labels[i].category == category) members.push_back(i);
    }
    float threshold = fixed;
    if (mcut && members.size() >= 2) {
        std::vector<float> values;
        for (auto i : members) values.push_back(p[i]);
        threshold = std::max(mcut_floor, mcut_threshold(std::move(values)));
    }
    std::vector<std::size_t> kept;
    for (auto i : members) {
        if (p[i] > threshold) kept.push_back(i);
    }
    return kept;
}

}  // namespace

float mcut_threshold(std::vector<float> probabilities) {
    if (probabilities.size() < 2) throw Error(ErrorCode::invalid_argument, "MCut needs at least two probabilities");
    std::sort(probabilities.begin(), probabilities.end(), std::greater<float>());
    std::size_t gap = 0;
    float widest = probabilities[0] - probabilities[1];
    for (std::size_t i = 1; i + 1 < probabilities.size(); ++i) {
        const float d = probabilities[i] - probabilities[i + 1];
        if (d > widest) {
            widest = d;
            gap = i;
        }
    }
    return (probabilities[gap] + probabilities[gap + 1]) / 2.0f;
}

TagResult select_tags(const LabelTable& labels, const std::vector<float>& p, const TagOptions& options) {
    check_options(options);
    if (p.size() != labels.size()) {
        throw Error(ErrorCode::shape_mismatch, "tagger: " + std::to_string(p.size()) + " probabilities for " +
                                                   std::to_string(labels.size()) + " labels");
    }
    std::vector<std::size_t> characters =
        above_threshold(labels, p, TagCategory::character, options.character_threshold, options.character_mcut,
                        options.character_mcut_floor);
    // Every category other than rating and character counts as general (artist, copyright and
    // meta tags in tables that have them).
    std::vector<std::size_t> general;
    for (TagCategory c : {TagCategory::general, TagCategory::artist, TagCategory::copyright, TagCategory::meta}) {
        auto part = above_threshold(labels, p, c, options.general_threshold, options.general_mcut, 0.0f);
        general.insert(general.end(), part.begin(), part.end());
    }

    const std::set<std::string> excluded(options.exclude.begin(), options.exclude.end());
    for (const auto& name : options.include) {
        const std::ptrdiff_t i = labels.find(name);
        if (i < 0 || labels.labels[std::size_t(i)].category == TagCategory::rating) continue;
        auto& list = labels.labels[std::size_t(i)].category == TagCategory::character ? characters : general;
        if (std::find(list.begin(), list.end(), std::size_t(i)) == list.end()) list.push_back(std::size_t(i));
    }
    auto drop_excluded = [&](std::vector<std::size_t>& list) {
        list.erase(std::remove_if(list.begin(), list.end(),
                                  [&](std::size_t i) { return excluded.count(labels.labels[i].name) > 0; }),
                   list.end());
    };
    drop_excluded(characters);
    drop_excluded(general);
    if (options.drop_overlap) {
        std::vector<std::string> names;
        for (auto i : general) names.push_back(labels.labels[i].name);
        std::vector<std::size_t> kept;
        for (auto k : without_overlaps(names)) kept.push_back(general[k]);
        general = std::move(kept);
    }

    auto to_tags = [&](const std::vector<std::size_t>& indices, std::size_t limit) {
        std::vector<Tag> tags;
        for (auto i : indices) tags.push_back(Tag{display_name(labels.labels[i].name, options), p[i], i});
        tags = sorted_by_probability(std::move(tags));
        if (limit > 0 && tags.size() > limit) tags.resize(limit);
        return tags;
    };
    TagResult result;
    std::vector<std::size_t> ratings;
    for (std::size_t i = 0; i < labels.size(); ++i) {
        if (labels.labels[i].category == TagCategory::rating) ratings.push_back(i);
    }
    result.ratings = to_tags(ratings, 0);
    if (!result.ratings.empty()) result.rating = result.ratings.front().name;
    result.characters = to_tags(characters, options.max_characters);
    result.general = to_tags(general, options.max_general);
    return result;
}

}  // namespace acg2vec::detail
