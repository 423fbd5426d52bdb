// Embedder fixture models: small TorchScript modules with known weights, so tests can
// compute the expected vectors by hand. Written at test time into scratch files.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace acg2vec::test {

// The weights both fixtures use: row-major, values from a fixed formula.
struct EmbedderFixtureWeights {
    std::vector<float> image;  // [3, 4]: mean colour → image vector
    std::vector<float> token;  // [97, 4]: embedding of (id mod 97)
    std::vector<float> text;   // [4, 4]: summed token states → text vector
};
const EmbedderFixtureWeights& embedder_fixture_weights();

// CLIP-like: image method "forward" = mean colour × image; text method "encode_text" = the
// running sum of token embeddings, taken at the EOT position (argmax id, as CLIP) × text.
// `metadata_json` replaces the default acg2vec.json when not empty; `with_merges` stores the
// CLIP merges from the shared data.
std::string two_tower_metadata();
void save_two_tower_fixture(const std::string& path, const std::string& metadata_json = "", bool with_merges = true);

// sentence-transformers-like, text only: forward(input_ids, attention_mask) returns token
// states [N, L, 4] (the embedding of id mod 97); the embedder mean-pools them over the mask.
void save_sentence_fixture(const std::string& path);

}  // namespace acg2vec::test
