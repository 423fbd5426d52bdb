// Tiny TorchScript models the tests write themselves (no Python, no network): a module
// defined from TorchScript source, its parameters, and extra files such as acg2vec.json.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace acg2vec::test {

struct FixtureParameter {
    std::string name;
    std::vector<std::int64_t> shape;
    std::vector<float> values;
};

void save_fixture_model(const std::string& path, const std::string& torchscript_source,
                        const std::vector<FixtureParameter>& parameters,
                        const std::map<std::string, std::string>& extra_files);

// A model with methods "forward" (image, returns a dict) and "encode_text" (int64 ids,
// returns a tuple), described by `metadata_json` (pass "" to store no acg2vec.json).
// forward(x [N,3,4,4]) -> {"features": per-channel means [N,3],
//                          "logits": features @ weight [3,2] + bias [2]}
// encode_text(ids [N,5]) -> (sum of ids * 0.5 [N,1], ids as float [N,5])
void save_linear_fixture(const std::string& path, const std::string& metadata_json,
                         const std::map<std::string, std::string>& more_files = {});

// The acg2vec.json that matches save_linear_fixture's methods.
std::string linear_fixture_metadata();
// The linear fixture as a model that both scores and embeds from one forward pass, as the
// default model does: a scorer head "side" (left, right) on "logits", image vectors from
// "features" (its text method left out).
std::string linear_scorer_embedder_metadata();

}  // namespace acg2vec::test
