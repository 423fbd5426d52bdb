// acg2vec's side of bench/transformer_benchmark.py: one model file, timed end to end (files or
// texts -> vectors or tags, through the library's batch engine and tokenizers) and model only
// (the image method on a ready tensor), plus the single-text latency a search box waits for and
// the machine's measured sgemm peak. Prints one JSON object.
//
// Usage: transformer_acg2vec MODEL.pt IMAGE_FOLDER TEXTS_FILE BATCH THREADS REPEATS [PRECISION [OUTPUTS.json]]
// (IMAGE_FOLDER or TEXTS_FILE "-" to skip that tower; TEXTS_FILE has one text a line;
// PRECISION fp32 or bf16; OUTPUTS.json receives every image's and text's output, for comparing
// precisions.)
#include <acg2vec/blas.hpp>
#include <acg2vec/embedder.hpp>
#include <acg2vec/tagger.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "bench_util.hpp"

namespace {

using bench::Clock;
using bench::seconds_since;

// The fastest of `repeats` runs of `work` (the first also warms caches and allocators).
template <class Work>
double best_seconds(int repeats, const Work& work) {
    double best = 1e30;
    for (int r = 0; r < repeats; ++r) {
        const auto start = Clock::now();
        work();
        best = std::min(best, seconds_since(start));
    }
    return best;
}

std::vector<std::string> lines_of(const std::string& path) {
    std::vector<std::string> lines;
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) lines.push_back(line);
    return lines;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 7 || argc > 9) {
        std::fprintf(stderr, "usage: %s MODEL.pt IMAGE_FOLDER TEXTS_FILE BATCH THREADS REPEATS [PRECISION [OUTPUTS]]\n",
                     argv[0]);
        return 2;
    }
    acg2vec::restart_with_the_cpus_blas_kernels(argv);  // OpenBLAS's generic kernels otherwise (blas.hpp)
    const std::string model_path = argv[1], folder = argv[2], texts_path = argv[3];
    const int batch = std::stoi(argv[4]), threads = std::stoi(argv[5]), repeats = std::stoi(argv[6]);
    acg2vec::ModelOptions options;
    options.batch_size = batch;
    options.threads = threads;
    if (argc > 7 && std::string(argv[7]) == "bf16") options.precision = acg2vec::Precision::bf16;
    const std::string outputs_path = argc > 8 ? argv[8] : "";
    nlohmann::json out, outputs;
    try {
        const auto open_start = Clock::now();
        const acg2vec::Model model = acg2vec::Model::open(model_path, options);
        out["open_seconds"] = seconds_since(open_start);
        const bool tagger = model.metadata().task == "tagger";
        if (folder != "-") {
            std::vector<std::string> files;
            for (const auto& e : std::filesystem::directory_iterator(folder)) files.push_back(e.path().string());
            std::sort(files.begin(), files.end());
            const auto inputs = acg2vec::ImageInput::files(files);
            double seconds = 0;
            std::size_t failed = 0;
            std::string first_failure;
            const auto count = [&](const auto& outcome) {
                if (outcome.ok()) return;
                if (failed++ == 0) first_failure = outcome.message;
            };
            if (tagger) {
                const acg2vec::Tagger t(model);
                seconds = best_seconds(repeats, [&] {
                    failed = 0;
                    for (const auto& o : t.tag_batch(inputs)) count(o);
                });
                if (!outputs_path.empty() && failed == 0)
                    for (const auto& f : files)
                        outputs["images"].push_back(t.probabilities(acg2vec::ImageInput::file(f)));
            } else {
                const acg2vec::Embedder e(model);
                seconds = best_seconds(repeats, [&] {
                    failed = 0;
                    for (const auto& o : e.embed_batch(inputs)) count(o);
                });
                if (!outputs_path.empty())
                    for (const auto& o : e.embed_batch(inputs))
                        if (o.ok()) outputs["images"].push_back(*o.result);
            }
            if (failed != 0)  // e.g. a precision the traced model cannot run in
                throw acg2vec::Error(acg2vec::ErrorCode::inference,
                                     std::to_string(failed) + " of " + std::to_string(files.size()) +
                                         " images failed, the first: " + first_failure.substr(0, 300));
            out["image_end_to_end"] = {{"items", files.size()}, {"seconds", seconds}, {"failed", failed}};
            // The image method alone on a ready [batch, 3, H, W] tensor.
            const acg2vec::PreprocessSpec& spec = *model.metadata().preprocess;
            acg2vec::Tensor input;
            input.shape = spec.batch_shape(batch);
            input.data.assign(std::size_t(batch) * spec.sample_size(), 0.1f);
            const int runs = std::max<int>(1, int(files.size()) / batch);
            seconds = best_seconds(repeats, [&] {
                for (int r = 0; r < runs; ++r) model.run("image", {input});
            });
            out["image_model_only"] = {{"items", runs * batch}, {"seconds", seconds}};
        }
        if (texts_path != "-") {
            const std::vector<std::string> texts = lines_of(texts_path);
            const acg2vec::Embedder e(model);
            const double seconds = best_seconds(repeats, [&] { e.embed_texts(texts); });
            if (!outputs_path.empty()) outputs["texts"] = e.embed_texts(texts);
            out["text_end_to_end"] = {{"items", texts.size()}, {"seconds", seconds}};
            std::vector<double> latencies;
            for (int i = 0; i < 20; ++i) {
                const auto start = Clock::now();
                e.embed_text(texts[std::size_t(i) % texts.size()]);
                latencies.push_back(seconds_since(start));
            }
            std::sort(latencies.begin(), latencies.end());
            out["text_latency_median_seconds"] = latencies[latencies.size() / 2];
        }
        if (!outputs_path.empty()) std::ofstream(outputs_path) << outputs.dump();
        out["precision"] = argc > 7 ? argv[7] : "fp32";
        out["sgemm_gflops"] = acg2vec::measure_sgemm_gflops();
        const acg2vec::BlasInfo blas = acg2vec::blas_info();
        out["blas"] = blas.kind;
        out["blas_core"] = blas.core;
    } catch (const acg2vec::Error& e) {
        std::fprintf(stderr, "transformer_acg2vec: %s\n", e.what());
        return 1;
    }
    std::printf("%s\n", out.dump().c_str());
    return 0;
}
