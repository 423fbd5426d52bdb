#include "tasks/head_scores.hpp"

#include <algorithm>
#include <numeric>

#include "tasks/activation.hpp"

namespace acg2vec::detail {

HeadScore score_head(const HeadConfig& head, const std::vector<float>& raw, std::size_t top_k) {
    HeadScore score;
    score.head = head.name;
    score.labels = head.labels;
    score.probabilities = activate(raw, head.activation);
    std::vector<std::size_t> order(score.probabilities.size());
    std::iota(order.begin(), order.end(), 0);
    // Most probable first, ties in label order, so the argmax is the first maximum.
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return score.probabilities[a] > score.probabilities[b]; });
    auto entry = [&](std::size_t i) { return ClassScore{i, head.labels[i], score.probabilities[i]}; };
    if (!order.empty()) score.best = entry(order.front());
    for (std::size_t k = 0; k < order.size() && k < top_k; ++k) score.top.push_back(entry(order[k]));
    if (!head.values.empty()) {
        double total = 0.0;
        for (std::size_t i = 0; i < head.values.size(); ++i) total += head.values[i] * score.probabilities[i];
        score.expected_value = total;
    }
    return score;
}

}  // namespace acg2vec::detail
