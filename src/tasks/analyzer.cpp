// Analyzer: one forward pass per image, its outputs handed to every task of the model.
#include "acg2vec/analyzer.hpp"

#include "tasks/config_fields.hpp"
#include "tasks/image_batch.hpp"

namespace acg2vec {

struct Analyzer::Impl {
    Model model;
    AnalyzeOptions options;
    std::optional<Tagger> tagger;
    std::optional<Scorer> scorer;
    std::optional<Embedder> embedder;

    Impl(Model m, const AnalyzeOptions& o) : model(std::move(m)), options(o) {
        auto has_section = [&](const char* name) { return detail::config_section(model, name, false) != nullptr; };
        if (has_section("tagger")) tagger.emplace(model, options.tags, options.decode);
        if (has_section("scorer")) scorer.emplace(model, options.score, options.decode);
        if (model.metadata().methods.count("image") != 0 &&
            (has_section("embedder") || model.metadata().task == "embedder"))
            embedder.emplace(model, options.embed, options.decode);
        if (!tagger && !scorer && !embedder)
            throw Error(ErrorCode::model_metadata, model.path() +
                                                       ": nothing to analyze: acg2vec.json has no tagger, scorer or "
                                                       "embedder section for images");
    }

    Analysis analysis_from(const std::map<std::string, std::vector<float>>& outputs) const {
        Analysis a;
        if (tagger) a.tags = tagger->from_outputs(outputs);
        if (scorer) a.scores = scorer->from_outputs(outputs);
        if (embedder) a.vector = embedder->from_outputs(outputs);
        return a;
    }
};

Analyzer::Analyzer(Model model, const AnalyzeOptions& options)
    : impl_(std::make_shared<const Impl>(std::move(model), options)) {}

Analyzer Analyzer::open(const std::string& path, const ModelOptions& model, const AnalyzeOptions& options) {
    return Analyzer(Model::open(path, model), options);
}

Analysis Analyzer::analyze(const ImageInput& input) const {
    return impl_->analysis_from(detail::run_single_image(impl_->model, input, impl_->options.decode));
}

std::vector<AnalysisOutcome> Analyzer::analyze_batch(const std::vector<ImageInput>& inputs) const {
    return detail::outcomes_for<Analysis>(impl_->model, inputs, impl_->options.decode,
                                          [&](const auto& outputs) { return impl_->analysis_from(outputs); });
}

void Analyzer::analyze_each(const std::vector<ImageInput>& inputs,
                            const std::function<void(AnalysisOutcome&&)>& on_outcome) const {
    detail::each_outcome<Analysis>(
        impl_->model, inputs, impl_->options.decode, [&](const auto& outputs) { return impl_->analysis_from(outputs); },
        on_outcome);
}

const Tagger* Analyzer::tagger() const { return impl_->tagger ? &*impl_->tagger : nullptr; }
const Scorer* Analyzer::scorer() const { return impl_->scorer ? &*impl_->scorer : nullptr; }
const Embedder* Analyzer::embedder() const { return impl_->embedder ? &*impl_->embedder : nullptr; }
const Model& Analyzer::model() const { return impl_->model; }
const AnalyzeOptions& Analyzer::options() const { return impl_->options; }

}  // namespace acg2vec
