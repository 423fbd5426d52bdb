// The acg2vec command line: options every subcommand shares, input collection, output.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "acg2vec/embedder.hpp"
#include "acg2vec/error.hpp"
#include "acg2vec/model.hpp"

namespace acg2vec::cli {

// Exit codes (also in `acg2vec --help`).
enum Exit : int {
    exit_ok = 0,
    exit_some_failed = 1,  // the command ran, but some inputs failed (each reported)
    exit_usage = 2,        // bad command line
    exit_input = 3,        // an input (image, text, key) is unusable
    exit_model = 4,        // the model cannot be opened or run
    exit_storage = 5,      // a file or index cannot be read or written
    exit_internal = 70,
};
int exit_code_for(ErrorCode code);

struct CommonOptions {
    std::string model;  // --model, default $ACG2VEC_MODEL
    std::string device = "cpu";
    int threads = 0;
    int batch = 16;
    std::string optimization = "freeze";
    std::string precision = "fp32";
    int decode_threads = 0;
    int jpeg_min_side = 0;
    bool json = false;   // one JSON document (cli/records.hpp)
    bool jsonl = false;  // JSON Lines: one record per line
    bool quiet = false;

    bool machine_output() const { return json || jsonl; }
};

// Adds --model --device --threads --batch --optimize --precision --decode-threads
// --jpeg-min-side --json --jsonl --quiet to a subcommand; without a model only --json --jsonl
// --quiet.
void add_common_options(CLI::App& command, CommonOptions& options, bool needs_model = true);
// For a subcommand that opens a model only for its tokenizer: --model --json --quiet (no
// options about running images, which would do nothing there).
void add_tokenizer_options(CLI::App& command, CommonOptions& options);
// How models run, without --model and --batch: --device --threads --optimize --precision
// --decode-threads --jpeg-min-side.
void add_runtime_options(CLI::App& command, CommonOptions& options);
ModelOptions model_options(const CommonOptions& options);
DecodeOptions decode_options(const CommonOptions& options);
// The model path, or an Error telling how to choose one.
const std::string& require_model(const CommonOptions& options);

// Files handed to the batch engine per call by index build: several batches, so decoding
// overlaps inference across batches; the index is saved between calls.
std::size_t files_per_call(const CommonOptions& options);

// The --model as an Embedder with the common options.
Embedder open_embedder(const CommonOptions& options);

// A JSON string literal.
std::string json_quote(const std::string& text);

// Writes one line to stdout (the results) or stderr (notes), flushing so pipes see it.
void out_line(const std::string& line);
void note(const CommonOptions& options, const std::string& line);
// An error line on stderr, shown also with --quiet: a user must learn which inputs failed.
void error_note(const std::string& line);

}  // namespace acg2vec::cli
