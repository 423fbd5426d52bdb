// Internal: an interleaved float image, what resizing hands to tensor packing.
#pragma once

#include <cstddef>
#include <vector>

namespace acg2vec::detail {

struct FloatImage {
    int width = 0;
    int height = 0;
    int channels = 0;
    std::vector<float> pixels;

    float* row(int y) { return pixels.data() + std::size_t(y) * width * channels; }
    const float* row(int y) const { return pixels.data() + std::size_t(y) * width * channels; }
};

}  // namespace acg2vec::detail
