// Internal: one classification head's raw output -> HeadScore.
#pragma once

#include <vector>

#include "acg2vec/scorer.hpp"
#include "tasks/task_config.hpp"

namespace acg2vec::detail {

HeadScore score_head(const HeadConfig& head, const std::vector<float>& raw, std::size_t top_k);

}  // namespace acg2vec::detail
