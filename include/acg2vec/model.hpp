// A model is one TorchScript file carrying its own description (acg2vec.json) and data files
// (label tables, vocabularies) inside the archive. Model opens it and runs its methods;
// Tagger, Scorer and Embedder are built on it. Schema: docs/model-format.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "acg2vec/export.hpp"
#include "acg2vec/preprocess.hpp"

namespace acg2vec {

namespace detail {
struct ModelAccess;  // the library's own access to the parsed acg2vec.json
}

// Token ids, attention masks: what text models take.
struct Int64Tensor {
    std::vector<std::int64_t> shape;
    std::vector<std::int64_t> data;
};

using InputTensor = std::variant<Tensor, Int64Tensor>;

enum class DType { float32, int64 };
enum class Precision { fp32, fp16, bf16 };
// How the model file stores its weights (acg2vec.json "quantization"; the exporters' --quantize).
enum class Quantization {
    none,          // floating point, as trained
    dynamic_int8,  // nn.Linear weights in int8, activations quantised per call: CPU and fp32 only
};
enum class Optimization {
    none,    // run the module as saved
    freeze,  // torch.jit.freeze without numeric rewrites: outputs equal the unfrozen module's
    full,    // freeze with conv/bn folding + optimize_for_inference: faster, outputs may differ ~1e-6
};

// When the *_files / *_images calls of Tagger, Scorer and Embedder decode images, relative to
// the model's runs.
enum class DecodeSchedule {
    // overlap when the model's threads plus the decode threads fit in the cores (threads = 0
    // counts as one per core, libtorch's default) or the model runs on a GPU, else alternate
    automatic,
    // decode the next batches while the model runs the current one: for cores set aside for
    // each (ModelOptions::threads + decode_threads <= cores)
    overlap,
    // start no decode while the model runs (images already being decoded finish), and decode
    // between runs on every decode thread. libtorch's OpenMP threads wait for each other at
    // every layer, so one of them sharing a core with a decoder stalls them all
    // (docs/performance.md: about 1.15x end to end on 2 cores).
    alternate,
};

struct TensorSpec {
    std::string name;
    DType dtype = DType::float32;
    // Per-sample shape (the batch dimension is implied); -1 means any size.
    std::vector<std::int64_t> shape;
};

// One callable of the model, by role ("image", "text", ...).
struct MethodSpec {
    std::string name;  // the TorchScript method, e.g. "forward" or "encode_text"
    std::vector<TensorSpec> inputs;
    std::vector<TensorSpec> outputs;
};

struct ACG2VEC_API ModelMetadata {
    int schema_version = 1;
    std::string name;  // e.g. "wd-vit-tagger-v3"; identifies the vector space for indexes
    std::string version;
    std::string task;  // "tagger", "scorer", "embedder", or another a caller understands
    std::string description;
    std::optional<PreprocessSpec> preprocess;   // for models that take images
    std::map<std::string, MethodSpec> methods;  // role -> method
    std::string labels;                         // file inside the archive, e.g. "selected_tags.csv"
    Quantization quantization = Quantization::none;
    std::string json;  // the whole acg2vec.json, for task-specific sections

    // Parses and validates an acg2vec.json text; throws Error(model_metadata) naming `source`.
    static ModelMetadata parse(const std::string& json_text, const std::string& source = "acg2vec.json");
    const MethodSpec& method(const std::string& role) const;  // throws not_found
    // Re-checks the fields against each other (after editing them in code); throws model_metadata.
    void validate(const std::string& source = "acg2vec.json") const;
};

// The most threads ModelOptions accepts for `threads` and `decode_threads`.
constexpr int max_threads = 1024;

struct ModelOptions {
    std::string device = "cpu";  // "cpu", "cuda", "cuda:N", or "auto" (CUDA when available)
    // Intra-op threads of libtorch. libtorch has one pool per process, so this sets it for
    // every model. 0: one per core, set by the first model opened unless OMP_NUM_THREADS or
    // an earlier model's explicit number chose otherwise (libtorch's own default can be fewer).
    int threads = 0;
    int batch_size = 16;  // run() splits larger inputs into chunks of this many
    // Threads that decode and preprocess images in the *_files / *_images calls of Tagger,
    // Scorer and Embedder. 0: as many as the schedule can use (alternate: one per core;
    // overlap: the cores `threads` leaves free, at least one; on a GPU half the cores).
    int decode_threads = 0;
    DecodeSchedule decode_schedule = DecodeSchedule::automatic;
    Precision precision = Precision::fp32;
    Optimization optimization = Optimization::freeze;
    // Replaces the archive's acg2vec.json (the whole text) when set.
    std::optional<std::string> metadata_json;
    // Replaces the preprocessing of the metadata when set.
    std::optional<PreprocessSpec> preprocess;
};

using NamedTensors = std::map<std::string, Tensor>;

// Copies share one loaded module (cheap, thread-safe). A moved-from Model may only be
// assigned to or destroyed.
class ACG2VEC_API Model {
public:
    // Throws Error: model_load (missing file, not a TorchScript archive), model_metadata
    // (no or bad acg2vec.json, methods missing), device, invalid_argument (options).
    static Model open(const std::string& path, const ModelOptions& options = {});

    const ModelMetadata& metadata() const;
    const ModelOptions& options() const;
    const std::string& path() const;
    // Identifies the model file's bytes (16 hex digits; the file is read once, on first call).
    // Index files record it so that vectors of different models are never mixed.
    const std::string& fingerprint() const;
    std::string device() const;  // resolved, e.g. "cpu" or "cuda:0"

    // Files stored next to acg2vec.json in the archive (label tables, vocabularies).
    std::vector<std::string> file_names() const;
    const std::string& file(const std::string& name) const;  // throws not_found

    // Runs the method with this role on a batch (dimension 0 of every input). Checks the
    // inputs against the metadata before running, and the outputs after; returns outputs by
    // the names the metadata gives them. Safe to call from several threads at once.
    NamedTensors run(const std::string& role, const std::vector<InputTensor>& inputs) const;

private:
    friend struct detail::ModelAccess;
    struct Impl;
    explicit Model(std::shared_ptr<const Impl> impl);
    std::shared_ptr<const Impl> impl_;
};

// Makes the C library's allocator keep freed blocks of up to `max_block_bytes` in the heap for
// reuse, instead of handing each one back to the kernel. A batch of 16 images through a
// convolutional model allocates activations of tens of MB; glibc serves blocks over 32 MB with
// mmap and unmaps them on free, so every batch page-faults its activations in again (kernel
// zeroing shows up as system time). Keeping them makes the model run about four times faster
// on such batches (docs/performance.md), at the price of the process keeping up to that much
// freed memory. It changes the whole process, so the library never does it on its own: call it
// once at start-up; the acg2vec command line does. Returns false where it is not supported
// (C libraries other than glibc). glibc's per-thread heaps are at most 64 MB, so a model run on
// a thread other than the main one still gets blocks beyond that from mmap.
ACG2VEC_API bool keep_freed_memory_for_reuse(std::size_t max_block_bytes = std::size_t(1) << 30);

}  // namespace acg2vec
