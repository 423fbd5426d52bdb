// Internal: turning a head's raw outputs into probabilities.
#pragma once

#include <vector>

#include "tasks/task_config.hpp"

namespace acg2vec::detail {

// Softmax is computed stably (max subtracted first); sigmoid per element; none copies.
std::vector<float> activate(const std::vector<float>& raw, Activation activation);

}  // namespace acg2vec::detail
