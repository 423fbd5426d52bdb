#include "support/fixture_models.hpp"

#include <nlohmann/json.hpp>

#include <torch/script.h>

namespace acg2vec::test {

void save_fixture_model(const std::string& path, const std::string& torchscript_source,
                        const std::vector<FixtureParameter>& parameters,
                        const std::map<std::string, std::string>& extra_files) {
    torch::jit::Module module("Fixture");
    for (const auto& p : parameters) {
        at::Tensor t = torch::tensor(p.values, torch::kFloat32).reshape(p.shape);
        module.register_parameter(p.name, t, /*is_buffer=*/false);
    }
    module.define(torchscript_source);
    torch::jit::ExtraFilesMap extra(extra_files.begin(), extra_files.end());
    module.save(path, extra);
}

std::string linear_fixture_metadata() {
    return R"({
  "schema_version": 1,
  "name": "linear-fixture",
  "version": "1",
  "task": "scorer",
  "preprocess": {"width": 4, "height": 4, "resize_mode": "stretch", "interpolation": "bilinear",
                 "layout": "nchw", "value_max": 1.0},
  "methods": {
    "image": {"name": "forward",
              "inputs": [{"name": "pixels", "dtype": "float32", "shape": [3, 4, 4]}],
              "outputs": [{"name": "logits", "shape": [2]}, {"name": "features", "shape": [3]}]},
    "text": {"name": "encode_text",
             "inputs": [{"name": "input_ids", "dtype": "int64", "shape": [5]}],
             "outputs": [{"name": "total", "shape": [1]}, {"name": "ids", "shape": [-1]}]}
  },
  "labels": "labels.txt"
})";
}

std::string linear_scorer_embedder_metadata() {
    nlohmann::json j = nlohmann::json::parse(linear_fixture_metadata());
    j["methods"].erase("text");
    j["scorer"] =
        nlohmann::json::parse(R"({"heads": [{"name": "side", "output": "logits", "labels": ["left", "right"]}]})");
    j["embedder"] = nlohmann::json::parse(R"({"image_output": "features"})");
    return j.dump();
}

void save_linear_fixture(const std::string& path, const std::string& metadata_json,
                         const std::map<std::string, std::string>& more_files) {
    const std::string source = R"(
def forward(self, x: Tensor) -> Dict[str, Tensor]:
    features = x.mean(dim=[2, 3])
    logits = torch.matmul(features, self.weight) + self.bias
    return {"logits": logits, "features": features}

def encode_text(self, ids: Tensor) -> Tuple[Tensor, Tensor]:
    as_float = ids.float()
    return (as_float.sum(dim=1, keepdim=True) * 0.5, as_float)
)";
    std::map<std::string, std::string> files = more_files;
    if (!metadata_json.empty()) files["acg2vec.json"] = metadata_json;
    if (files.count("labels.txt") == 0) files["labels.txt"] = "cat\ndog\n";
    save_fixture_model(path, source,
                       {{"weight", {3, 2}, {1.0f, -1.0f, 2.0f, 0.0f, 0.5f, 3.0f}}, {"bias", {2}, {0.25f, -0.5f}}},
                       files);
}

}  // namespace acg2vec::test
