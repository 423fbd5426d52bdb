#include "cli/cli_common.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "acg2vec/error.hpp"
#include "cli/blas_kernels.hpp"

namespace acg2vec::cli {

int exit_code_for(ErrorCode code) {
    switch (code) {
        case ErrorCode::ok: return exit_ok;
        case ErrorCode::invalid_argument: return exit_usage;
        case ErrorCode::invalid_image:
        case ErrorCode::unsupported_format:
        case ErrorCode::image_too_large:
        case ErrorCode::not_found: return exit_input;
        case ErrorCode::model_load:
        case ErrorCode::model_metadata:
        case ErrorCode::shape_mismatch:
        case ErrorCode::inference:
        case ErrorCode::device: return exit_model;
        case ErrorCode::io:
        case ErrorCode::index_format: return exit_storage;
        case ErrorCode::internal: return exit_internal;
    }
    return exit_internal;
}

void add_common_options(CLI::App& command, CommonOptions& options, bool needs_model) {
    if (needs_model) {
        if (const char* env = std::getenv("ACG2VEC_MODEL")) options.model = env;
        command.add_option("-m,--model", options.model, "model file (default: $ACG2VEC_MODEL)");
        command.add_option("--batch", options.batch, "images per forward pass")
            ->capture_default_str()
            ->check(CLI::Range(1, 4096));
        add_runtime_options(command, options);
    }
    auto* json = command.add_flag("--json", options.json, "one JSON document for scripts (schemas: docs/cli.md)");
    command.add_flag("--jsonl", options.jsonl, "JSON Lines: one record per line, as results come")->excludes(json);
    command.add_flag("-q,--quiet", options.quiet, "no progress or notes on stderr");
}

void add_tokenizer_options(CLI::App& command, CommonOptions& options) {
    if (const char* env = std::getenv("ACG2VEC_MODEL")) options.model = env;
    command.add_option("-m,--model", options.model, "model file (default: $ACG2VEC_MODEL)");
    add_common_options(command, options, false);
}

void add_runtime_options(CLI::App& command, CommonOptions& options) {
    command.add_option("--device", options.device, "cpu, cuda, cuda:N or auto")->capture_default_str();
    command.add_option("--threads", options.threads, "torch threads (0: one per core)")
        ->capture_default_str()
        ->check(CLI::Range(0, max_threads));
    command
        .add_option("--optimize", options.optimization,
                    "none, freeze (same outputs) or full (conv/bn folding: faster, outputs differ ~1e-6)")
        ->capture_default_str()
        ->check(CLI::IsMember({"none", "freeze", "full"}));
    command
        .add_option("--precision", options.precision,
                    "fp32, or fp16 / bf16 (faster on hardware that has them; outputs differ)")
        ->capture_default_str()
        ->check(CLI::IsMember({"fp32", "fp16", "bf16"}));
    command.add_option("--decode-threads", options.decode_threads, "threads decoding images (0: as the cores allow)")
        ->capture_default_str()
        ->check(CLI::Range(0, 256));
    command
        .add_option("--jpeg-min-side", options.jpeg_min_side,
                    "decode JPEGs at 1/2, 1/4 or 1/8 size keeping both sides >= this (faster; 0: full size, "
                    "the reference pipelines' pixels)")
        ->capture_default_str()
        ->check(CLI::Range(0, 65535));
}

ModelOptions model_options(const CommonOptions& options) {
    restart_with_the_cpus_blas_kernels();  // every command asks for these just before its model
    ModelOptions m;
    m.device = options.device;
    m.threads = options.threads;
    m.batch_size = options.batch;
    m.optimization = options.optimization == "none"   ? Optimization::none
                     : options.optimization == "full" ? Optimization::full
                                                      : Optimization::freeze;
    m.precision = options.precision == "fp16"   ? Precision::fp16
                  : options.precision == "bf16" ? Precision::bf16
                                                : Precision::fp32;
    m.decode_threads = options.decode_threads;
    return m;
}

DecodeOptions decode_options(const CommonOptions& options) {
    DecodeOptions d;
    d.jpeg_min_side = options.jpeg_min_side;
    return d;
}

// Where scripts/main-job.sh leaves the default model, if it has run on this machine.
std::string default_model_path() {
    std::string cache;
    if (const char* c = std::getenv("ACG2VEC_CACHE"))
        cache = c;
    else if (const char* x = std::getenv("XDG_CACHE_HOME"))
        cache = std::string(x) + "/acg2vec";
    else if (const char* home = std::getenv("HOME"))
        cache = std::string(home) + "/.cache/acg2vec";
    const std::string path = cache + "/nsfwjs/models/nsfwjs-mobilenetv2.pt";
    std::error_code ec;
    return !cache.empty() && std::filesystem::is_regular_file(path, ec) ? path : "";
}

const std::string& require_model(const CommonOptions& options) {
    if (options.model.empty()) {
        const std::string made = default_model_path();
        throw Error(ErrorCode::invalid_argument,
                    "no model: pass --model FILE.pt or set ACG2VEC_MODEL" +
                        (made.empty() ? std::string(" (scripts/main-job.sh prepares the default one)")
                                      : " (the main job's default model is " + made + ")"));
    }
    return options.model;
}

std::size_t files_per_call(const CommonOptions& options) {
    return std::max<std::size_t>(std::size_t(options.batch) * 8, 128);
}

Embedder open_embedder(const CommonOptions& options) {
    EmbedderOptions eo;
    eo.model = model_options(options);
    eo.decode = decode_options(options);
    return Embedder::open(require_model(options), eo);
}

std::string json_quote(const std::string& text) { return nlohmann::json(text).dump(); }

void out_line(const std::string& line) {
    std::fwrite(line.data(), 1, line.size(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

void note(const CommonOptions& options, const std::string& line) {
    if (!options.quiet) std::fprintf(stderr, "%s\n", line.c_str());
}

void error_note(const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); }

}  // namespace acg2vec::cli
