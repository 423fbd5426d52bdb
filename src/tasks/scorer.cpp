// Scorer: a Model whose image method feeds one or more classification heads.
#include "acg2vec/scorer.hpp"

#include "tasks/head_scores.hpp"
#include "tasks/image_batch.hpp"
#include "tasks/task_config.hpp"

namespace acg2vec {

struct Scorer::Impl {
    Model model;
    ScorerOptions options;
    std::vector<detail::HeadConfig> heads;

    Impl(Model m, const ScoreOptions& score, const DecodeOptions& decode)
        : model(std::move(m)), heads(detail::read_scorer_config(model)) {
        options.model = model.options();
        options.decode = decode;
        options.score = score;
    }
};

Scorer::Scorer(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}

Scorer::Scorer(Model model, const ScoreOptions& score, const DecodeOptions& decode)
    : impl_(std::make_shared<const Impl>(std::move(model), score, decode)) {}

Scorer Scorer::open(const std::string& path, const ScorerOptions& options) {
    return Scorer(Model::open(path, options.model), options.score, options.decode);
}

ScoreResult Scorer::from_outputs(const Outputs& outputs) const {
    ScoreResult result;
    for (const auto& head : impl_->heads)
        result.heads.push_back(detail::score_head(head, outputs.at(head.output), impl_->options.score.top_k));
    return result;
}

ScoreResult Scorer::score(const ImageInput& input) const {
    return from_outputs(detail::run_single_image(impl_->model, input, impl_->options.decode));
}

std::vector<ScoreOutcome> Scorer::score_batch(const std::vector<ImageInput>& inputs) const {
    return detail::outcomes_for<ScoreResult>(impl_->model, inputs, impl_->options.decode,
                                             [&](const Outputs& outputs) { return from_outputs(outputs); });
}

void Scorer::score_each(const std::vector<ImageInput>& inputs,
                        const std::function<void(ScoreOutcome&&)>& on_outcome) const {
    detail::each_outcome<ScoreResult>(
        impl_->model, inputs, impl_->options.decode, [&](const Outputs& outputs) { return from_outputs(outputs); },
        on_outcome);
}

std::vector<std::string> Scorer::head_names() const {
    std::vector<std::string> names;
    for (const auto& h : impl_->heads) names.push_back(h.name);
    return names;
}

const Model& Scorer::model() const { return impl_->model; }
const ScorerOptions& Scorer::options() const { return impl_->options; }

const HeadScore& ScoreResult::head(const std::string& name) const {
    for (const auto& h : heads) {
        if (h.head == name) return h;
    }
    throw Error(ErrorCode::not_found, "no head named '" + name + "'");
}

}  // namespace acg2vec
