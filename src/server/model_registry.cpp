#include "server/model_registry.hpp"

#include "server/api_error.hpp"

namespace acg2vec::server {

ModelRegistry::ModelRegistry(const std::map<std::string, std::string>& files, const ModelOptions& options,
                             const BatchingOptions& batching, Metrics& metrics)
    : options_(options), batching_(batching), metrics_(metrics) {
    options_.batch_size = int(batching.max_batch);
    for (const auto& [name, path] : files) {
        Entry e;
        e.path = path;
        e.loaded = load(path, &e.tasks);
        entries_.emplace(name, std::move(e));
    }
}

std::shared_ptr<const LoadedModel> ModelRegistry::load(const std::string& path, ModelTasks* tasks) const {
    // Opening a model runs it (warm-up), so that too happens on the inference thread.
    return inference_.run([&] { return load_here(path, tasks); });
}

std::shared_ptr<const LoadedModel> ModelRegistry::load_here(const std::string& path, ModelTasks* tasks) const {
    auto loaded = std::make_shared<LoadedModel>(LoadedModel{nullptr, std::nullopt, Model::open(path, options_)});
    const Model& model = loaded->model;
    // Vectors as the model gives them: ACG2vec's routes return them raw, the native API normalises.
    EmbedOptions raw;
    raw.normalize = false;
    if (model.metadata().methods.count("text") != 0) loaded->text.emplace(model, raw);
    if (model.metadata().methods.count("image") != 0) {
        try {
            // Every tag kept with its probability: each API applies its own thresholds.
            AnalyzeOptions all_tags;
            all_tags.tags.general_threshold = all_tags.tags.character_threshold = 0.0f;
            all_tags.embed = raw;
            Analyzer analyzer(model, all_tags);
            tasks->tags = analyzer.tagger() != nullptr;
            tasks->scores = analyzer.scorer() != nullptr;
            tasks->image_vectors = analyzer.embedder() != nullptr;
            loaded->images = std::make_unique<DynamicBatcher>(std::move(analyzer), batching_, metrics_, inference_);
        } catch (const Error& e) {
            // No image task: fine when the text tower has something to serve, else a bad file.
            if (e.code() != ErrorCode::model_metadata || !loaded->text) throw;
        }
    }
    tasks->text_vectors = loaded->text.has_value();
    return loaded;
}

const ModelRegistry::Entry& ModelRegistry::entry(const std::string& name) const {
    auto it = entries_.find(name);
    if (it == entries_.end()) {
        std::string known;
        for (const auto& [n, e] : entries_) known += (known.empty() ? "" : ", ") + n;
        throw ApiError(404, "unknown_model", "no model named '" + name + "' (served: " + known + ")");
    }
    return it->second;
}

std::vector<std::string> ModelRegistry::names() const {
    std::vector<std::string> out;
    for (const auto& [name, e] : entries_) out.push_back(name);
    return out;
}

const ModelTasks& ModelRegistry::tasks(const std::string& name) const { return entry(name).tasks; }
const std::string& ModelRegistry::path(const std::string& name) const { return entry(name).path; }

std::shared_ptr<const LoadedModel> ModelRegistry::get(const std::string& name) {
    std::lock_guard<std::mutex> lock(mutex_);
    Entry& e = const_cast<Entry&>(entry(name));
    if (!e.loaded) {
        ModelTasks tasks;
        e.loaded = load(e.path, &tasks);
    }
    return e.loaded;
}

std::size_t ModelRegistry::unload_all() {
    std::lock_guard<std::mutex> lock(mutex_);
    std::size_t n = 0;
    for (auto& [name, e] : entries_) {
        if (e.loaded) ++n;
        e.loaded.reset();
    }
    return n;
}

}  // namespace acg2vec::server
