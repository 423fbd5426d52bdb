// Opens the models tools/export wrote (tests/export/run_export_test.sh) with the library and
// compares every output with what Python computed on the same files: image preprocessing by
// Pillow, token ids by the reference tokenizers (the golden files), the model by torch; the same
// for the int8 files of the same models (--quantize dynamic_int8).
// Usage: check_exported_models DIR   (DIR/expected.json lists the models and the references)
#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "acg2vec/embedder.hpp"
#include "acg2vec/tagger.hpp"

using namespace acg2vec;
using Json = nlohmann::json;

namespace {

int failures = 0;

void report(const std::string& model, const std::string& what, const std::string& input, double value, bool ok) {
    std::printf("%-18s %-22s %-45s %.9f %s\n", model.c_str(), what.c_str(),
                input.substr(input.size() > 45 ? input.size() - 45 : 0).c_str(), value, ok ? "ok" : "FAIL");
    if (!ok) ++failures;
}

double cosine(const std::vector<float>& a, const std::vector<float>& b) {
    if (a.size() != b.size()) return -2.0;
    return compare_vectors(a, b).cosine;
}

double max_abs_difference(const std::vector<float>& a, const std::vector<float>& b) {
    if (a.size() != b.size()) return 1e9;
    double worst = 0;
    for (std::size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::fabs(double(a[i]) - double(b[i])));
    return worst;
}

// The model in bf16 (ModelOptions::precision; CPU autocast): it runs the traced graphs, whose
// fp32 dtype constants made a converted module fail, and stays near the fp32 reference.
void check_bf16_embedder(const std::string& dir, const Json& m) {
    const std::string file = m.at("file");
    EmbedderOptions options;
    options.model.precision = Precision::bf16;
    const Embedder embedder = Embedder::open(dir + "/" + file, options);
    for (const Json& image : m.value("images", Json::array())) {
        const double c =
            cosine(embedder.embed(ImageInput::file(image.at("path"))), image.at("vector").get<std::vector<float>>());
        report(file, "bf16 image cosine", image.at("path"), c, c >= 0.99);
    }
    for (const Json& text : m.value("texts", Json::array())) {
        const double c = cosine(embedder.embed_text(text.at("text").get<std::string>()),
                                text.at("vector").get<std::vector<float>>());
        report(file, "bf16 text cosine", text.at("text"), c, c >= 0.99);
    }
}

// An int8 file (tools/export --quantize dynamic_int8) says so in its metadata, and a precision
// other than fp32 is refused with a message naming the quantization, before anything runs.
bool check_quantization(const std::string& file, const Json& m, const Model& model) {
    const bool int8 = m.value("quantization", "") == "dynamic_int8";
    const bool reported = model.metadata().quantization == (int8 ? Quantization::dynamic_int8 : Quantization::none);
    report(file, "quantization in metadata", m.value("quantization", "none"), reported ? 1 : 0, reported);
    if (!int8) return false;
    ModelOptions bf16;
    bf16.precision = Precision::bf16;
    std::string message;
    try {
        Model::open(model.path(), bf16);
    } catch (const Error& e) {
        if (e.code() == ErrorCode::device) message = e.what();
    }
    const bool refused = message.find(file) != std::string::npos && message.find("dynamic_int8") != std::string::npos &&
                         message.find("fp32") != std::string::npos;
    report(file, "bf16 refused", message.empty() ? "(opened, or another error)" : message, refused ? 1 : 0, refused);
    return true;
}

void check_embedder(const std::string& dir, const Json& m) {
    const std::string file = m.at("file");
    const Embedder embedder = Embedder::open(dir + "/" + file);
    const bool int8 = check_quantization(file, m, embedder.model());
    for (const Json& image : m.value("images", Json::array())) {
        const double c =
            cosine(embedder.embed(ImageInput::file(image.at("path"))), image.at("vector").get<std::vector<float>>());
        report(file, "image cosine", image.at("path"), c, c >= 0.9999);
    }
    for (const Json& text : m.value("texts", Json::array())) {
        const double c = cosine(embedder.embed_text(text.at("text").get<std::string>()),
                                text.at("vector").get<std::vector<float>>());
        report(file, "text cosine", text.at("text"), c, c >= 0.9999);
    }
    if (!int8) check_bf16_embedder(dir, m);
    if (m.contains("zero_shot")) {
        const Json& z = m.at("zero_shot");
        const auto result =
            embedder.zero_shot(decode_image_file(z.at("image")), z.at("labels").get<std::vector<std::string>>(),
                               z.at("prompt").get<std::string>());
        std::vector<float> ours;
        for (const auto& r : result) ours.push_back(float(r.probability));
        const double d = max_abs_difference(ours, z.at("probabilities").get<std::vector<float>>());
        report(file, "zero-shot max |d|", z.at("image"), d, d <= 1e-3);
    }
}

void check_tagger(const std::string& dir, const Json& m) {
    const std::string file = m.at("file");
    const Tagger tagger = Tagger::open(dir + "/" + file);
    for (const Json& image : m.value("images", Json::array())) {
        const double d = max_abs_difference(tagger.probabilities(decode_image_file(image.at("path"))),
                                            image.at("probabilities").get<std::vector<float>>());
        report(file, "tag prob max |d|", image.at("path"), d, d <= 1e-4);
    }
    if (check_quantization(file, m, tagger.model())) return;
    TaggerOptions options;
    options.model.precision = Precision::bf16;
    const Tagger bf16 = Tagger::open(dir + "/" + file, options);
    for (const Json& image : m.value("images", Json::array())) {
        const double d = max_abs_difference(bf16.probabilities(decode_image_file(image.at("path"))),
                                            image.at("probabilities").get<std::vector<float>>());
        report(file, "bf16 tag prob max |d|", image.at("path"), d, d <= 0.05);
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s DIR\n", argv[0]);
        return 2;
    }
    const std::string dir = argv[1];
    std::ifstream f(dir + "/expected.json");
    if (!f) {
        std::fprintf(stderr, "%s/expected.json: cannot open\n", dir.c_str());
        return 2;
    }
    const Json expected = Json::parse(f);
    int models = 0;
    try {
        for (const Json& m : expected.at("models")) {
            if (m.at("kind") == "embedder")
                check_embedder(dir, m);
            else if (m.at("kind") == "tagger")
                check_tagger(dir, m);
            else
                throw std::runtime_error("unknown kind " + m.at("kind").dump());
            ++models;
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
    std::printf("%d models checked, %d failures\n", models, failures);
    return failures == 0 && models == 6 ? 0 : 1;
}
