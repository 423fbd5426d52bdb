// Throughput benchmark: files → scores with the same model file, measured in one invocation
//   1. the Python pipeline users write today (bench/python_pipeline.py: Pillow, numpy,
//      torch.jit.load, one batch at a time),
//   2. acg2vec end to end (Scorer::score_files: decode and preprocess on worker threads while
//      the model runs), with exact (freeze) and full (conv/bn folding) model optimisation,
//   3. acg2vec's model alone on pre-made input tensors: the limit of this machine and model.
// Also: cold start (open + first result), peak memory over a large folder, and the C ABI's
// per-call overhead against the C++ call.
//
// Usage (from the repo root): throughput_benchmark MODEL.pt [IMAGES=200] [BATCH=16] [THREADS=cores]
// The image set is the sample illustrations re-encoded at varied sizes and formats
// (bench/make_image_set.py, Debian python3-pil); the peer needs python3-torch.
#include <acg2vec/scorer.hpp>
#include <acg2vec/embedder.hpp>
#include <acg2vec.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "bench_util.hpp"

namespace {

using bench::Clock;
using bench::seconds_since;
namespace fs = std::filesystem;

std::vector<std::string> files_in(const std::string& folder) {
    std::vector<std::string> files;
    for (const auto& entry : fs::directory_iterator(folder)) files.push_back(entry.path().string());
    std::sort(files.begin(), files.end());
    return files;
}

acg2vec::ModelOptions model_options(int batch, int threads, acg2vec::Optimization optimization) {
    acg2vec::ModelOptions o;
    o.batch_size = batch;
    o.threads = threads;
    o.optimization = optimization;
    return o;
}

struct Run {
    double images_per_second = 0;
    std::vector<acg2vec::ScoreOutcome> outcomes;
};

// Best of `repeats` passes over all files (the first pass also warms the caches).
Run end_to_end(const acg2vec::Scorer& scorer, const std::vector<std::string>& files, int repeats) {
    Run best;
    for (int r = 0; r < repeats; ++r) {
        const auto start = Clock::now();
        auto outcomes = scorer.score_files(files);
        const double rate = double(files.size()) / seconds_since(start);
        if (rate > best.images_per_second) best = Run{rate, std::move(outcomes)};
    }
    return best;
}

// The model alone: every image preprocessed beforehand, then only forward passes.
double model_only(const acg2vec::Scorer& scorer, const std::vector<std::string>& files, int batch, int repeats) {
    const acg2vec::Model& model = scorer.model();
    const acg2vec::PreprocessSpec& spec = *model.metadata().preprocess;
    std::vector<acg2vec::Tensor> batches;
    for (std::size_t first = 0; first < files.size(); first += std::size_t(batch)) {
        acg2vec::Tensor t;
        const std::size_t n = std::min(files.size(), first + std::size_t(batch)) - first;
        t.shape = spec.batch_shape(std::int64_t(n));
        t.data.resize(n * spec.sample_size());
        for (std::size_t k = 0; k < n; ++k)
            acg2vec::preprocess_image_into(acg2vec::decode_image_file(files[first + k]), spec,
                                           t.data.data() + k * spec.sample_size(), spec.sample_size());
        batches.push_back(std::move(t));
    }
    double best = 0;
    for (int r = 0; r < repeats; ++r) {
        const auto start = Clock::now();
        for (const auto& t : batches) model.run("image", {t});
        best = std::max(best, double(files.size()) / seconds_since(start));
    }
    return best;
}

// Largest |Δ| of the rating probabilities, and the smallest cosine of the features, between two runs.
std::pair<double, double> output_change(const acg2vec::Scorer& a, const acg2vec::Scorer& b,
                                        const std::vector<std::string>& files) {
    double max_delta = 0, min_cosine = 1;
    acg2vec::EmbedderOptions ea, eb;
    ea.model = a.model().options();
    eb.model = b.model().options();
    const auto embed_a = acg2vec::Embedder::open(a.model().path(), ea), embed_b = acg2vec::Embedder::open(b.model().path(), eb);
    for (std::size_t i = 0; i < files.size(); i += 10) {
        const auto pa = a.score_file(files[i]).heads[0].probabilities, pb = b.score_file(files[i]).heads[0].probabilities;
        for (std::size_t k = 0; k < pa.size(); ++k) max_delta = std::max(max_delta, double(std::fabs(pa[k] - pb[k])));
        min_cosine = std::min(min_cosine, acg2vec::compare_vectors(embed_a.embed_file(files[i]), embed_b.embed_file(files[i])).cosine);
    }
    return {max_delta, min_cosine};
}

// Nanoseconds per call of compare_vectors on 1280-d vectors, through C++ and through the C ABI.
std::pair<double, double> abi_overhead() {
    std::vector<float> a(1280), b(1280);
    for (std::size_t i = 0; i < a.size(); ++i) a[i] = float(std::sin(double(i))), b[i] = float(std::cos(double(i)));
    constexpr int calls = 200000;
    double sink = 0;
    auto start = Clock::now();
    for (int i = 0; i < calls; ++i) sink += acg2vec::compare_vectors(a, b).cosine;
    const double cpp = seconds_since(start) / calls * 1e9;
    acg2vec_similarity s{};
    start = Clock::now();
    for (int i = 0; i < calls; ++i) {
        acg2vec_compare_vectors(a.data(), a.size(), b.data(), b.size(), &s);
        sink += s.cosine;
    }
    const double c = seconds_since(start) / calls * 1e9;
    if (sink == 42.0) std::puts("");  // keeps the loops
    return {cpp, c};
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s MODEL.pt [IMAGES=200] [BATCH=16] [THREADS=cores]\n", argv[0]);
        return 2;
    }
    const std::string model_path = argv[1];
    const int count = argc > 2 ? std::stoi(argv[2]) : 200;
    const int batch = argc > 3 ? std::stoi(argv[3]) : 16;
    const int threads = argc > 4 ? std::stoi(argv[4]) : int(std::thread::hardware_concurrency());
    const std::string folder = fs::temp_directory_path() / ("acg2vec-throughput-" + std::to_string(getpid()));
    bench::run("/usr/bin/python3 bench/make_image_set.py examples/images " + folder + " " + std::to_string(count));
    const auto files = files_in(folder);
    std::printf("throughput benchmark: %zu images (8 illustrations re-encoded: 0.5x-2x, JPEG/PNG/WebP), batch %d, "
                "%d torch threads, %u cores\nmodel %s\n\n", files.size(), batch, threads,
                std::thread::hardware_concurrency(), model_path.c_str());

    const auto peer = nlohmann::json::parse(bench::run("/usr/bin/python3 bench/python_pipeline.py " + model_path + " " +
                                                       folder + " " + std::to_string(batch) + " " + std::to_string(threads)),
                                            nullptr, false);
    if (peer.is_discarded()) {
        std::fprintf(stderr, "the Python pipeline failed (apt-get install python3-torch python3-pil python3-numpy)\n");
        return 1;
    }
    const double python = peer["images_per_second"].get<double>();

    auto start = Clock::now();
    acg2vec::ScorerOptions exact_options;
    exact_options.model = model_options(batch, threads, acg2vec::Optimization::freeze);
    const acg2vec::Scorer exact = acg2vec::Scorer::open(model_path, exact_options);
    exact.score_file(files.front());
    const double cold_exact = seconds_since(start);
    start = Clock::now();
    acg2vec::ScorerOptions full_options;
    full_options.model = model_options(batch, threads, acg2vec::Optimization::full);
    const acg2vec::Scorer full = acg2vec::Scorer::open(model_path, full_options);
    full.score_file(files.front());
    const double cold_full = seconds_since(start);

    const Run e2e_exact = end_to_end(exact, files, 2), e2e_full = end_to_end(full, files, 2);
    const double model_exact = model_only(exact, files, batch, 2), model_full = model_only(full, files, batch, 2);
    const auto [max_delta, min_cosine] = output_change(exact, full, files);

    std::printf("| pipeline | images/s | vs Python | vs model only |\n|---|---|---|---|\n");
    std::printf("| Python: Pillow + numpy + torch.jit.load | %.1f | 1.00x | |\n", python);
    std::printf("| acg2vec end to end, exact (freeze) | %.1f | %.2fx | %.2fx |\n", e2e_exact.images_per_second,
                e2e_exact.images_per_second / python, e2e_exact.images_per_second / model_exact);
    std::printf("| acg2vec model only, exact | %.1f | %.2fx | 1.00x |\n", model_exact, model_exact / python);
    std::printf("| acg2vec end to end, full optimisation | %.1f | %.2fx | %.2fx |\n", e2e_full.images_per_second,
                e2e_full.images_per_second / python, e2e_full.images_per_second / model_full);
    std::printf("| acg2vec model only, full optimisation | %.1f | %.2fx | 1.00x |\n\n", model_full, model_full / python);
    std::printf("full vs exact outputs: max |d probabilities| %.2e, min feature cosine %.8f\n", max_delta, min_cosine);
    std::printf("cold start (open + first result): exact %.2f s, full %.2f s; Python %.2f s\n", cold_exact, cold_full,
                peer["cold_start_seconds"].get<double>());

    // A ten times larger folder through the engine: its memory stays bounded.
    std::vector<std::string> many;
    for (int r = 0; r < 10; ++r) many.insert(many.end(), files.begin(), files.end());
    start = Clock::now();
    const auto outcomes = full.score_files(many);
    std::printf("%zu images in %.1f s; peak RSS of this process %.0f MB\n", outcomes.size(), seconds_since(start),
                double(bench::peak_rss_bytes()) / 1e6);
    const auto [cpp_ns, c_ns] = abi_overhead();
    std::printf("C ABI per call (compare_vectors, 1280-d): C++ %.0f ns, C %.0f ns, overhead %.0f ns\n", cpp_ns, c_ns,
                c_ns - cpp_ns);
    fs::remove_all(folder);
    return 0;
}
