#include "support/embedder_fixtures.hpp"

#include <cmath>
#include <fstream>
#include <iterator>

#include "support/fixture_models.hpp"
#include "support/test_data.hpp"

namespace acg2vec::test {
namespace {

std::vector<float> formula(std::size_t count, double phase) {
    std::vector<float> v(count);
    for (std::size_t i = 0; i < count; ++i) v[i] = float(std::sin(double(i) * 1.7 + phase) * 0.5);
    return v;
}

std::string file_text(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

std::vector<FixtureParameter> parameters() {
    const auto& w = embedder_fixture_weights();
    return {{"w_image", {3, 4}, w.image}, {"w_token", {97, 4}, w.token}, {"w_text", {4, 4}, w.text}};
}

}  // namespace

const EmbedderFixtureWeights& embedder_fixture_weights() {
    static const EmbedderFixtureWeights weights{formula(12, 0.3), formula(97 * 4, 1.1), formula(16, 2.9)};
    return weights;
}

std::string two_tower_metadata() {
    return R"({
  "schema_version": 1,
  "name": "two-tower-fixture",
  "task": "embedder",
  "preprocess": {"width": 8, "height": 8, "resize_mode": "stretch", "interpolation": "bilinear",
                 "layout": "nchw", "value_max": 1.0},
  "methods": {
    "image": {"name": "forward",
              "inputs": [{"name": "pixels", "dtype": "float32", "shape": [3, 8, 8]}],
              "outputs": [{"name": "image_features", "shape": [4]}]},
    "text": {"name": "encode_text",
             "inputs": [{"name": "input_ids", "dtype": "int64", "shape": [77]}],
             "outputs": [{"name": "text_features", "shape": [4]}]}
  },
  "embedder": {"logit_scale": 50.0,
               "tokenizer": {"type": "clip", "merges": "bpe_simple_vocab_16e6.txt.gz", "context_length": 77}}
})";
}

void save_two_tower_fixture(const std::string& path, const std::string& metadata_json, bool with_merges) {
    const std::string source = R"(
def forward(self, x: Tensor) -> Tensor:
    return torch.matmul(x.mean(dim=[2, 3]), self.w_image)

def encode_text(self, ids: Tensor) -> Tensor:
    states = torch.cumsum(self.w_token[torch.remainder(ids, 97)], dim=1)
    picked = states[torch.arange(ids.shape[0]), ids.argmax(dim=-1)]
    return torch.matmul(picked, self.w_text)
)";
    std::map<std::string, std::string> files{
        {"acg2vec.json", metadata_json.empty() ? two_tower_metadata() : metadata_json}};
    if (with_merges)
        files["bpe_simple_vocab_16e6.txt.gz"] = file_text(shared_data("clip/bpe_simple_vocab_16e6.txt.gz"));
    save_fixture_model(path, source, parameters(), files);
}

void save_sentence_fixture(const std::string& path) {
    const std::string source = R"(
def forward(self, input_ids: Tensor, attention_mask: Tensor) -> Tensor:
    states = self.w_token[torch.remainder(input_ids, 97)]
    return states * attention_mask.unsqueeze(-1).to(states.dtype) + states * 0.0
)";
    const std::string metadata = R"({
  "schema_version": 1,
  "name": "sentence-fixture",
  "task": "embedder",
  "methods": {
    "text": {"name": "forward",
             "inputs": [{"name": "input_ids", "dtype": "int64", "shape": [-1]},
                        {"name": "attention_mask", "dtype": "int64", "shape": [-1]}],
             "outputs": [{"name": "token_embeddings", "shape": [-1, 4]}]}
  },
  "embedder": {"text_pooling": "mean",
               "tokenizer": {"type": "wordpiece", "vocab": "vocab.txt", "lowercase": false, "max_length": 16}}
})";
    save_fixture_model(path, source, parameters(),
                       {{"acg2vec.json", metadata},
                        {"vocab.txt", file_text(shared_data("bert/bert-base-multilingual-cased-vocab.txt"))}});
}

}  // namespace acg2vec::test
