#include "tasks/activation.hpp"

#include <algorithm>
#include <cmath>

namespace acg2vec::detail {

std::vector<float> activate(const std::vector<float>& raw, Activation activation) {
    std::vector<float> out(raw.size());
    switch (activation) {
        case Activation::none: out = raw; break;
        case Activation::sigmoid:
            for (std::size_t i = 0; i < raw.size(); ++i) out[i] = 1.0f / (1.0f + std::exp(-raw[i]));
            break;
        case Activation::softmax: {
            if (raw.empty()) break;
            const float top = *std::max_element(raw.begin(), raw.end());
            double total = 0.0;
            for (std::size_t i = 0; i < raw.size(); ++i) total += out[i] = std::exp(raw[i] - top);
            for (auto& v : out) v = float(v / total);
            break;
        }
    }
    return out;
}

}  // namespace acg2vec::detail
