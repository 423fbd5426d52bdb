// Throughput benchmark: files → scores with the same model file, measured in one invocation
//   1. the Python pipeline users write today (bench/python_pipeline.py: Pillow, numpy,
//      torch.jit.load, one batch at a time),
//   2. acg2vec end to end (Scorer::score_files: decode and preprocess on worker threads between
//      or during the model's runs, see DecodeSchedule), with exact (freeze) and full (conv/bn
//      folding) model optimisation,
//   3. acg2vec's model alone on pre-made input tensors: the limit of this machine and model.
// Also: cold start (open + first result), peak memory over a large folder, and the C ABI's
// per-call overhead against the C++ call.
//
// Usage (from the repo root): throughput_benchmark MODEL.pt [IMAGES=200] [BATCH=16] [THREADS=cores]
// The image set is the sample illustrations re-encoded at varied sizes and formats
// (bench/make_image_set.py, Debian python3-pil); the peer needs python3-torch.
#include <acg2vec.h>
#include <acg2vec/blas.hpp>
#include <acg2vec/embedder.hpp>
#include <acg2vec/scorer.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
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
        auto outcomes = scorer.score_batch(acg2vec::ImageInput::files(files));
        const double rate = double(files.size()) / seconds_since(start);
        if (rate > best.images_per_second) best = Run{rate, std::move(outcomes)};
    }
    return best;
}

// The model's input tensors for all files, batch by batch, made beforehand.
std::vector<acg2vec::Tensor> input_batches(const acg2vec::Scorer& scorer, const std::vector<std::string>& files,
                                           int batch) {
    const acg2vec::PreprocessSpec& spec = *scorer.model().metadata().preprocess;
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
    return batches;
}

// The model alone on pre-made inputs: images per second, best of `repeats` passes.
double model_rate(const acg2vec::Scorer& scorer, const std::vector<acg2vec::Tensor>& batches, int repeats) {
    std::size_t images = 0;
    for (const auto& t : batches) images += std::size_t(t.shape.at(0));
    double best = 0;
    for (int r = 0; r < repeats; ++r) {
        const auto start = Clock::now();
        for (const auto& t : batches) scorer.model().run("image", {t});
        best = std::max(best, double(images) / seconds_since(start));
    }
    return best;
}

double model_only(const acg2vec::Scorer& scorer, const std::vector<std::string>& files, int batch, int repeats) {
    return model_rate(scorer, input_batches(scorer, files, batch), repeats);
}

// End to end over model only, measured in alternating pairs so that both see the same load
// on a shared machine (between separate measurements it drifts by 20-30 % here): the ratios
// of `pairs` pairs, sorted.
std::vector<double> paired_ratios(const acg2vec::Scorer& scorer, const std::vector<std::string>& files, int batch,
                                  int pairs) {
    const auto batches = input_batches(scorer, files, batch);
    std::vector<double> ratios;
    for (int p = 0; p < pairs; ++p) {
        const double e2e = end_to_end(scorer, files, 1).images_per_second;
        ratios.push_back(e2e / model_rate(scorer, batches, 1));
    }
    std::sort(ratios.begin(), ratios.end());
    return ratios;
}

// Milliseconds per image of decoding + preprocessing into the input tensor on one thread, by
// file extension: the CPU the engine's workers need next to the model's.
std::map<std::string, double> preprocess_cost(const acg2vec::Scorer& scorer, const std::vector<std::string>& files) {
    const acg2vec::PreprocessSpec& spec = *scorer.model().metadata().preprocess;
    std::vector<float> sample(spec.sample_size());
    std::map<std::string, std::pair<int, double>> by_extension;
    for (const auto& f : files) {
        const auto start = Clock::now();
        acg2vec::preprocess_image_into(acg2vec::decode_image_file(f, scorer.options().decode), spec, sample.data(),
                                       sample.size());
        auto& [count, seconds] = by_extension[fs::path(f).extension().string()];
        ++count;
        seconds += seconds_since(start);
    }
    std::map<std::string, double> ms;
    double seconds = 0;
    for (const auto& [extension, cost] : by_extension) {
        ms[extension] = cost.second / cost.first * 1e3;
        seconds += cost.second;
    }
    ms["all"] = seconds / double(files.size()) * 1e3;
    return ms;
}

// Largest |Δ| of the rating probabilities, and the smallest cosine of the features, between two
// configurations (model optimisation, decoding) on every `stride`th file.
std::pair<double, double> output_change(const acg2vec::Scorer& a, const acg2vec::Scorer& b,
                                        const std::vector<std::string>& files, std::size_t stride) {
    double max_delta = 0, min_cosine = 1;
    acg2vec::EmbedderOptions ea, eb;
    ea.model = a.model().options();
    eb.model = b.model().options();
    ea.decode = a.options().decode;
    eb.decode = b.options().decode;
    const auto embed_a = acg2vec::Embedder::open(a.model().path(), ea),
               embed_b = acg2vec::Embedder::open(b.model().path(), eb);
    for (std::size_t i = 0; i < files.size(); i += stride) {
        const auto pa = a.score(acg2vec::ImageInput::file(files[i])).heads[0].probabilities,
                   pb = b.score(acg2vec::ImageInput::file(files[i])).heads[0].probabilities;
        for (std::size_t k = 0; k < pa.size(); ++k) max_delta = std::max(max_delta, double(std::fabs(pa[k] - pb[k])));
        min_cosine = std::min(min_cosine, acg2vec::compare_vectors(embed_a.embed(acg2vec::ImageInput::file(files[i])),
                                                                   embed_b.embed(acg2vec::ImageInput::file(files[i])))
                                              .cosine);
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

// `--peak-rss MODEL FOLDER BATCH THREADS REPEATS`: a fresh process scores the folder REPEATS
// times in one call (full optimisation) and prints its own peak RSS in bytes, so that the
// figure is the engine's over a large folder and nothing else the benchmark holds.
int peak_rss_child(char** argv) {
    const std::string model_path = argv[2], folder = argv[3];
    const int batch = std::stoi(argv[4]), threads = std::stoi(argv[5]), repeats = std::stoi(argv[6]);
    const auto files = files_in(folder);
    std::vector<std::string> many;
    for (int r = 0; r < repeats; ++r) many.insert(many.end(), files.begin(), files.end());
    acg2vec::ScorerOptions options;
    options.model = model_options(batch, threads, acg2vec::Optimization::full);
    const acg2vec::Scorer scorer = acg2vec::Scorer::open(model_path, options);
    const long after_open = bench::peak_rss_bytes();
    const auto start = Clock::now();
    const auto outcomes = scorer.score_batch(acg2vec::ImageInput::files(many));
    std::size_t failed = 0;
    for (const auto& o : outcomes) failed += o.ok() ? 0 : 1;
    std::printf("{\"images\": %zu, \"failed\": %zu, \"seconds\": %.3f, \"peak_after_open\": %ld, \"peak\": %ld}\n",
                outcomes.size(), failed, seconds_since(start), after_open, bench::peak_rss_bytes());
    return 0;
}

// `--rates MODEL FOLDER BATCH THREADS`: end to end and model only with full optimisation, in a
// fresh process, so that the parent can run it under a different OpenMP environment (libgomp
// reads OMP_WAIT_POLICY once, when it is loaded).
int rates_child(char** argv) {
    const std::string model_path = argv[2], folder = argv[3];
    const int batch = std::stoi(argv[4]), threads = std::stoi(argv[5]);
    const auto files = files_in(folder);
    acg2vec::ScorerOptions options;
    options.model = model_options(batch, threads, acg2vec::Optimization::full);
    const acg2vec::Scorer scorer = acg2vec::Scorer::open(model_path, options);
    const double e2e = end_to_end(scorer, files, 3).images_per_second, model = model_only(scorer, files, batch, 3);
    std::printf("{\"end_to_end\": %.3f, \"model_only\": %.3f}\n", e2e, model);
    return 0;
}

void print_row(const char* name, double rate, double python, double model_only_rate) {
    std::printf("| %s | %.1f | %.2fx | ", name, rate, rate / python);
    if (model_only_rate > 0)
        std::printf("%.2fx |\n", rate / model_only_rate);
    else
        std::printf("|\n");
}

}  // namespace

int main(int argc, char** argv) {
    // The kernels the CPU has, for this program and the peers it starts (include/acg2vec/blas.hpp).
    acg2vec::restart_with_the_cpus_blas_kernels(argv);
    // As the acg2vec command line does (acg2vec/model.hpp); the Python peer is measured both
    // as users run it and with the same allocator settings (glibc's environment variables).
    acg2vec::keep_freed_memory_for_reuse();
    if (argc == 7 && std::string(argv[1]) == "--peak-rss") return peak_rss_child(argv);
    if (argc == 6 && std::string(argv[1]) == "--rates") return rates_child(argv);
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
    std::printf(
        "throughput benchmark: %zu images (8 illustrations re-encoded: 0.5x-2x, JPEG/PNG/WebP), batch %d, "
        "%d torch threads, %u cores\nmodel %s\n\n",
        files.size(), batch, threads, std::thread::hardware_concurrency(), model_path.c_str());

    auto python_pipeline = [&](const std::string& environment) {
        return nlohmann::json::parse(
            bench::run(environment + "/usr/bin/python3 bench/python_pipeline.py " + model_path + " " + folder + " " +
                       std::to_string(batch) + " " + std::to_string(threads)),
            nullptr, false);
    };
    const auto peer_default = python_pipeline("");
    // The same setting as keep_freed_memory_for_reuse(), through glibc's environment variables.
    const auto peer = python_pipeline("MALLOC_MMAP_THRESHOLD_=1073741824 MALLOC_TRIM_THRESHOLD_=1073741824 ");
    if (peer.is_discarded() || peer_default.is_discarded()) {
        std::fprintf(stderr, "the Python pipeline failed (apt-get install python3-torch python3-pil python3-numpy)\n");
        return 1;
    }
    const double python = peer["images_per_second"].get<double>();

    // Cold start: open + the first result, for each model optimisation.
    auto open_scorer = [&](acg2vec::Optimization optimization, int jpeg_min_side, double* cold,
                           acg2vec::DecodeSchedule schedule = acg2vec::DecodeSchedule::automatic) {
        const auto start = Clock::now();
        acg2vec::ScorerOptions options;
        options.model = model_options(batch, threads, optimization);
        options.model.decode_schedule = schedule;
        options.decode.jpeg_min_side = jpeg_min_side;
        acg2vec::Scorer scorer = acg2vec::Scorer::open(model_path, options);
        scorer.score(acg2vec::ImageInput::file(files.front()));
        if (cold) *cold = seconds_since(start);
        return scorer;
    };
    double cold_exact = 0, cold_full = 0;
    const acg2vec::Scorer exact = open_scorer(acg2vec::Optimization::freeze, 0, &cold_exact);
    const acg2vec::Scorer full = open_scorer(acg2vec::Optimization::full, 0, &cold_full);
    // DCT-scaled JPEG decoding down to twice the model's input side (changes pixels: reported below).
    const int input_side =
        int(std::min(full.model().metadata().preprocess->width, full.model().metadata().preprocess->height));
    const acg2vec::Scorer full_dct = open_scorer(acg2vec::Optimization::full, 2 * input_side, nullptr);

    // Decoding during the model's runs on the cores the model does not use (one at least), as
    // the engine did before DecodeSchedule: on a machine where the model takes every core.
    const acg2vec::Scorer full_overlap =
        open_scorer(acg2vec::Optimization::full, 0, nullptr, acg2vec::DecodeSchedule::overlap);
    const Run e2e_exact = end_to_end(exact, files, 3), e2e_full = end_to_end(full, files, 3),
              e2e_dct = end_to_end(full_dct, files, 3), e2e_overlap = end_to_end(full_overlap, files, 3);
    const double model_exact = model_only(exact, files, batch, 3), model_full = model_only(full, files, batch, 3);
    const std::vector<double> full_ratios = paired_ratios(full, files, batch, 7);
    // libgomp's threads spin for a while after each parallel region, which takes the CPU from the
    // decoding threads; OMP_WAIT_POLICY=PASSIVE makes them sleep instead (set before start-up).
    const std::string self = fs::read_symlink("/proc/self/exe").string();
    const auto passive =
        nlohmann::json::parse(bench::run("OMP_WAIT_POLICY=PASSIVE " + self + " --rates " + model_path + " " + folder +
                                         " " + std::to_string(batch) + " " + std::to_string(threads)),
                              nullptr, false);
    const auto [full_delta, full_cosine] = output_change(exact, full, files, 10);
    const auto cost_full = preprocess_cost(full, files), cost_dct = preprocess_cost(full_dct, files);
    std::vector<std::string> jpegs;  // the only files DCT scaling can change
    for (const auto& f : files)
        if (fs::path(f).extension() == ".jpg") jpegs.push_back(f);
    const auto [dct_delta, dct_cosine] = output_change(full, full_dct, jpegs, 1);

    std::printf("| pipeline | images/s | vs Python | vs model only |\n|---|---|---|---|\n");
    print_row("Python: Pillow + numpy + torch.jit.load, as users run it",
              peer_default["images_per_second"].get<double>(), python, 0);
    print_row("Python, allocator keeping freed memory (the peer)", python, python, 0);
    print_row("acg2vec end to end, exact (freeze)", e2e_exact.images_per_second, python, model_exact);
    print_row("acg2vec end to end, full optimisation", e2e_full.images_per_second, python, model_full);
    print_row("acg2vec end to end, full optimisation + DCT-scaled JPEG", e2e_dct.images_per_second, python, model_full);
    print_row("acg2vec end to end, full optimisation, decoding overlapped with the model",
              e2e_overlap.images_per_second, python, model_full);
    print_row("acg2vec model only, exact (freeze)", model_exact, python, model_exact);
    print_row("acg2vec model only, full optimisation", model_full, python, model_full);
    if (!passive.is_discarded()) {
        const double e2e = passive["end_to_end"].get<double>(), model = passive["model_only"].get<double>();
        print_row("OMP_WAIT_POLICY=PASSIVE: acg2vec end to end, full optimisation", e2e, python, model);
        print_row("OMP_WAIT_POLICY=PASSIVE: acg2vec model only, full optimisation", model, python, model);
    } else {
        std::printf("(the OMP_WAIT_POLICY=PASSIVE run failed)\n");
    }
    std::printf("\nend to end / model only, full optimisation, 7 alternating pairs: median %.2fx (%.2f-%.2fx)\n",
                full_ratios[3], full_ratios.front(), full_ratios.back());
    std::printf("full vs exact optimisation: max |d probabilities| %.2e, min feature cosine %.8f\n", full_delta,
                full_cosine);
    std::printf(
        "DCT-scaled JPEG (min side %d) vs full decode: max |d probabilities| %.2e, min feature cosine %.8f "
        "(all %zu JPEG files)\n",
        2 * input_side, dct_delta, dct_cosine, jpegs.size());
    std::printf("decoding + preprocessing on one thread, ms per image:");
    for (const auto& [extension, ms] : cost_full) std::printf(" %s %.2f", extension.c_str(), ms);  // "all": the mean
    std::printf(" (DCT-scaled JPEG: %.2f); model only, full: %.2f ms per image on %d threads\n", cost_dct.at(".jpg"),
                1e3 / model_full, threads);
    // With as many torch threads as cores, the model's CPU per image is at most threads x its
    // wall time; decoding adds its own CPU, so end to end cannot pass this share of model only.
    if (threads == int(std::thread::hardware_concurrency())) {
        const double model_cpu = threads * 1e3 / model_full;
        std::printf(
            "CPU bound: decoding + preprocessing average %.2f ms per image against the model's %.2f ms of CPU, "
            "so end to end on %d cores is at most %.2fx model only\n",
            cost_full.at("all"), model_cpu, threads, model_cpu / (model_cpu + cost_full.at("all")));
    }
    std::printf("cold start (open + first result): exact %.2f s, full %.2f s; Python %.2f s\n", cold_exact, cold_full,
                peer["cold_start_seconds"].get<double>());

    // Ten times the folder through the engine in a fresh process: its memory stays bounded.
    const auto peak = nlohmann::json::parse(bench::run(self + " --peak-rss " + model_path + " " + folder + " " +
                                                       std::to_string(batch) + " " + std::to_string(threads) + " 10"),
                                            nullptr, false);
    if (!peak.is_discarded()) {
        std::printf(
            "%d images in one call in a fresh process (%d failed): %.1f s, peak RSS %.0f MB (%.0f MB after "
            "opening the model)\n",
            peak["images"].get<int>(), peak["failed"].get<int>(), peak["seconds"].get<double>(),
            peak["peak"].get<double>() / 1e6, peak["peak_after_open"].get<double>() / 1e6);
    } else {
        std::printf("the peak RSS run failed\n");
    }
    std::printf("Python pipeline peak RSS (%zu images): %.0f MB as users run it, %.0f MB keeping freed memory\n",
                files.size(), peer_default["peak_rss_bytes"].get<double>() / 1e6,
                peer["peak_rss_bytes"].get<double>() / 1e6);
    const auto [cpp_ns, c_ns] = abi_overhead();
    std::printf("C ABI per call (compare_vectors, 1280-d): C++ %.0f ns, C %.0f ns, overhead %.0f ns\n", cpp_ns, c_ns,
                c_ns - cpp_ns);
    fs::remove_all(folder);
    return 0;
}
