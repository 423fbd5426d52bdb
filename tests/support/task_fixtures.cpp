#include "support/task_fixtures.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>

#include "support/fixture_models.hpp"
#include "support/test_data.hpp"

namespace acg2vec::test {
namespace {

std::string json_array(const std::vector<std::string>& items) {
    std::string s = "[";
    for (std::size_t i = 0; i < items.size(); ++i) s += (i ? ", \"" : "\"") + items[i] + "\"";
    return s + "]";
}

const char* kImagePreprocess = R"("preprocess": {"width": 4, "height": 4, "resize_mode": "stretch",
    "interpolation": "bilinear", "layout": "nchw", "value_max": 1.0})";

}  // namespace

std::string tagger_fixture_labels() {
    return "tag_id,name,category,count\r\n"
           "9999999,general,9,100\r\n"
           "9999998,sensitive,9,100\r\n"
           "9999997,questionable,9,100\r\n"
           "9999996,explicit,9,100\r\n"
           "\r\n"
           "1,1girl,0,1000\r\n"
           "2,smile,0,950\r\n"
           "3,shirt,0,900\r\n"
           "4,white_shirt,0,800\r\n"
           "5,long_hair,0,700\r\n"
           "6,hair,0,600\r\n"
           "7,chair,0,500\r\n"
           "8,\"don't_say_\"\"lazy\"\"\",0,400\r\n"
           "9,^_^,0,300\r\n"
           "10,bright,0,100\r\n"
           "11,hatsune_miku,4,100\r\n"
           "12,kagamine_rin,4,100\r\n"
           "13,saber_(fate),4,100\r\n";
}

std::vector<float> tagger_fixture_base() {
    return {0.6f,  0.3f,  0.08f, 0.02f,                                         // ratings
            0.95f, 0.9f,  0.62f, 0.6f,  0.5f, 0.4f, 0.36f, 0.34f, 0.3f, 0.28f,  // general
            0.9f,  0.86f, 0.3f};                                                // characters
}

void save_tagger_fixture(const std::string& path, const TaggerFixture& fixture) {
    std::vector<float> base = tagger_fixture_base();
    base.resize(base.size() - std::size_t(fixture.drop_last_output));
    std::vector<float> slope(base.size(), 0.0f);
    if (fixture.drop_last_output == 0) slope[13] = 0.5f;  // "bright"
    if (fixture.logits) {
        for (auto& p : base) p = std::log(p / (1.0f - p));
    }
    // With logits, "bright" stays monotonic in the mean but is no longer linear; tests of the
    // slope use the probability model.
    const std::string shape = fixture.declare_shape ? ", \"shape\": [" + std::to_string(base.size()) + "]" : "";
    const std::string meta = std::string(R"({"schema_version": 1, "name": "tagger-fixture", "task": "tagger", )") +
                             kImagePreprocess + R"(,
  "methods": {"image": {"name": "forward", "inputs": [{"name": "pixels", "shape": [3, 4, 4]}],
                        "outputs": [{"name": "scores")" +
                             shape + R"(}]}},
  "labels": "selected_tags.csv",
  "tagger": {"output": "scores", "activation": ")" +
                             (fixture.logits ? "sigmoid" : "none") + R"(",
             "label_format": "selected_tags"}})";
    save_fixture_model(path, R"(
def forward(self, x: Tensor) -> Tensor:
    brightness = x.mean(dim=[1, 2, 3]).unsqueeze(1)
    return self.base + brightness * self.slope
)",
                       {{"base", {std::int64_t(base.size())}, base}, {"slope", {std::int64_t(slope.size())}, slope}},
                       {{"acg2vec.json", meta}, {"selected_tags.csv", tagger_fixture_labels()}});
}

void save_wd_table_tagger_fixture(const std::string& path) {
    std::ifstream file(shared_data("tags/wd_v3_selected_tags.csv"), std::ios::binary);
    const std::string table((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    const std::size_t labels = std::size_t(std::count(table.begin(), table.end(), '\n')) - 1;  // less the header
    std::vector<float> scores(labels);
    for (std::size_t i = 0; i < labels; ++i) scores[i] = float(0.4 * (1.0 + std::sin(0.37 * double(i))));
    const std::string meta = std::string(R"({"schema_version": 1, "name": "wd-table-fixture", "task": "tagger", )") +
                             kImagePreprocess + R"(,
  "methods": {"image": {"name": "forward", "inputs": [{"name": "pixels", "shape": [3, 4, 4]}],
                        "outputs": [{"name": "scores", "shape": [)" +
                             std::to_string(labels) + R"(]}]}},
  "labels": "selected_tags.csv",
  "tagger": {"output": "scores", "activation": "none", "label_format": "selected_tags"}})";
    save_fixture_model(path, R"(
def forward(self, x: Tensor) -> Tensor:
    return self.scores.unsqueeze(0).expand(x.size(0), -1) + x.mean(dim=[1, 2, 3]).unsqueeze(1) * 0.0
)",
                       {{"scores", {std::int64_t(labels)}, scores}},
                       {{"acg2vec.json", meta}, {"selected_tags.csv", table}});
}

std::vector<std::vector<std::string>> scorer_fixture_bins() {
    return {
        {"0-10", "10-20", "20-50", "50-100", "100-200", "200-300", "300-400", "400-500", "500-700", "700-1000",
         "1000-1500", "1500-2000", "2000-2500", "2500-2700", "2700-\xE2\x88\x9E"},
        {"0-500", "500-1000", "1000-1500", "1500-2000", "2000-3000", "3000-4000", "4000-5000", "5000-7000",
         "7000-10000", "10000-15000", "15000-20000", "20000-25000", "25000-30000", "30000-35000", "35000-\xE2\x88\x9E"},
        {"0-2", "2-3", "3-5", "5-7", "7-\xE2\x88\x9E"}};
}

std::vector<std::vector<float>> scorer_fixture_weights() {
    std::vector<float> bookmark(15, 0.0f), view(15, 0.0f);
    bookmark[0] = 0.5f;
    bookmark[3] = 0.25f;
    bookmark[14] = 0.25f;
    view[1] = 0.75f;
    view[2] = 0.25f;
    return {bookmark, view, {0.1f, 0.2f, 0.4f, 0.2f, 0.1f}};
}

void save_pix2score_fixture(const std::string& path, bool wrong_label_count) {
    const auto bins = scorer_fixture_bins();
    const auto weights = scorer_fixture_weights();
    std::vector<FixtureParameter> parameters;
    const char* names[3] = {"bookmark", "view", "sanity"};
    for (int h = 0; h < 3; ++h) {
        std::vector<float> logits;
        for (float w : weights[std::size_t(h)]) logits.push_back(w > 0 ? std::log(w) : -60.0f);
        parameters.push_back({std::string(names[h]) + "_logits", {std::int64_t(logits.size())}, logits});
    }
    std::vector<std::string> sanity = bins[2];
    if (wrong_label_count) sanity.pop_back();
    const std::string meta = std::string(R"({"schema_version": 1, "name": "pix2score-fixture", "task": "scorer", )") +
                             kImagePreprocess + R"(,
  "methods": {"image": {"name": "forward", "inputs": [{"name": "pixels", "shape": [3, 4, 4]}],
    "outputs": [{"name": "bookmark"}, {"name": "view"}, {"name": "sanity"}]}},
  "scorer": {"heads": [
    {"name": "bookmark", "output": "bookmark", "activation": "softmax", "labels": )" +
                             json_array(bins[0]) + R"(},
    {"name": "view", "output": "view", "activation": "softmax", "labels": )" +
                             json_array(bins[1]) + R"(},
    {"name": "sanity", "output": "sanity", "activation": "softmax", "labels": )" +
                             json_array(sanity) + R"(}]}})";
    save_fixture_model(path, R"(
def forward(self, x: Tensor) -> Dict[str, Tensor]:
    n = x.size(0)
    return {"bookmark": self.bookmark_logits.expand(n, 15), "view": self.view_logits.expand(n, 15),
            "sanity": self.sanity_logits.expand(n, 5)}
)",
                       parameters, {{"acg2vec.json", meta}});
}

void save_classifier_fixture(const std::string& path) {
    const std::string meta = std::string(R"({"schema_version": 1, "name": "classifier-fixture", "task": "scorer", )") +
                             kImagePreprocess + R"(,
  "methods": {"image": {"name": "forward", "inputs": [{"name": "pixels", "shape": [3, 4, 4]}],
                        "outputs": [{"name": "logits", "shape": [5]}]}},
  "scorer": {"heads": [{"name": "class", "labels": "classes.txt", "activation": "softmax"}]}})";
    save_fixture_model(path, R"(
def forward(self, x: Tensor) -> Tensor:
    return self.offsets + 10.0 * x.mean(dim=[1, 2, 3]).unsqueeze(1)
)",
                       {{"offsets", {5}, {0.0f, 1.0f, 2.0f, 3.0f, 4.0f}}},
                       {{"acg2vec.json", meta}, {"classes.txt", "class_0\nclass_1\r\nclass_2\n\nclass_3\nclass_4\n"}});
}

}  // namespace acg2vec::test
