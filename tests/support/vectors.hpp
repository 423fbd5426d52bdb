// Seeded vectors with the structure of real embeddings: a low-dimensional Gaussian latent
// projected to `dimension` plus a little noise (uniform random vectors defeat any graph index).
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace acg2vec::test {

struct VectorSet {
    std::size_t dimension;
    std::vector<float> values;  // count * dimension
    std::vector<float> row(std::size_t i) const {
        return std::vector<float>(values.begin() + std::ptrdiff_t(i * dimension),
                                  values.begin() + std::ptrdiff_t((i + 1) * dimension));
    }
};

inline VectorSet embedding_like(std::size_t count, std::size_t dimension, std::uint32_t seed, std::size_t latent = 16,
                                float noise = 0.05f) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    std::mt19937 basis_rng(12345);  // the same projection for every set, so queries match data
    std::vector<float> basis(latent * dimension);
    for (auto& b : basis) b = std::normal_distribution<float>(0.0f, 1.0f)(basis_rng);
    VectorSet set{dimension, std::vector<float>(count * dimension)};
    std::vector<float> z(latent);
    for (std::size_t i = 0; i < count; ++i) {
        for (auto& v : z) v = normal(rng);
        for (std::size_t d = 0; d < dimension; ++d) {
            float x = noise * normal(rng);
            for (std::size_t l = 0; l < latent; ++l) x += z[l] * basis[l * dimension + d];
            set.values[i * dimension + d] = x;
        }
    }
    return set;
}

inline std::vector<std::string> numbered_keys(std::size_t count, const std::string& prefix = "item") {
    std::vector<std::string> keys;
    for (std::size_t i = 0; i < count; ++i) keys.push_back(prefix + std::to_string(i));
    return keys;
}

}  // namespace acg2vec::test
