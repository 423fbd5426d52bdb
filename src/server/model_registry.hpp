// The served models by name. Each is opened at start-up (a bad file fails the server at once,
// not its first request), its tasks recorded, and its images batched by a DynamicBatcher.
// Unloading frees a model's weights; its next request loads it again.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "acg2vec/analyzer.hpp"
#include "server/dynamic_batcher.hpp"
#include "server/inference_thread.hpp"

namespace acg2vec::server {

struct ModelTasks {
    bool tags = false, scores = false, image_vectors = false, text_vectors = false;
};

// A loaded model: images go through the batcher; texts through the embedder directly.
struct LoadedModel {
    std::unique_ptr<DynamicBatcher> images;  // null when the model takes no images
    std::optional<Embedder> text;            // set when the model has a text tower
    Model model;
};

class ModelRegistry {
public:
    // name -> model file. Throws acg2vec::Error naming the file when one cannot be opened.
    ModelRegistry(const std::map<std::string, std::string>& files, const ModelOptions& options,
                  const BatchingOptions& batching, Metrics& metrics);

    std::vector<std::string> names() const;
    const ModelTasks& tasks(const std::string& name) const;  // ApiError 404 for an unknown name
    const std::string& path(const std::string& name) const;

    // The model, loaded again if it was unloaded; ApiError 404 for an unknown name.
    std::shared_ptr<const LoadedModel> get(const std::string& name);
    // Frees every loaded model (requests in flight keep theirs until they finish); returns how many.
    std::size_t unload_all();

    // Where every call into a model runs (loads, batches, texts): see inference_thread.hpp.
    InferenceThread& inference() const { return inference_; }

private:
    struct Entry {
        std::string path;
        ModelTasks tasks;
        std::shared_ptr<const LoadedModel> loaded;
    };
    std::shared_ptr<const LoadedModel> load(const std::string& path, ModelTasks* tasks) const;
    std::shared_ptr<const LoadedModel> load_here(const std::string& path, ModelTasks* tasks) const;
    const Entry& entry(const std::string& name) const;

    ModelOptions options_;
    BatchingOptions batching_;
    Metrics& metrics_;
    mutable InferenceThread inference_;  // before entries_: their batchers use it until they stop
    mutable std::mutex mutex_;
    std::map<std::string, Entry> entries_;
};

}  // namespace acg2vec::server
