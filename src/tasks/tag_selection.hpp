// Internal: turning a tagger's probabilities into a TagResult.
#pragma once

#include <string>
#include <vector>

#include "acg2vec/labels.hpp"
#include "acg2vec/tagger.hpp"

namespace acg2vec::detail {

// MCut threshold of a set of probabilities: the midpoint of the largest gap between
// neighbours once sorted (the first such gap from the top on ties). Needs two values.
float mcut_threshold(std::vector<float> probabilities);

// Kept general tags whose words appear, in order and contiguous, inside another kept tag.
// Returns the indices (into `names`) to keep.
std::vector<std::size_t> without_overlaps(const std::vector<std::string>& names);

// A label as shown to users, per the naming options.
std::string display_name(const std::string& name, const TagOptions& options);

TagResult select_tags(const LabelTable& labels, const std::vector<float>& probabilities, const TagOptions& options);

}  // namespace acg2vec::detail
