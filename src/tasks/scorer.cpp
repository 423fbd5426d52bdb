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

    ScoreResult result_from(const std::map<std::string, std::vector<float>>& outputs) const {
        ScoreResult result;
        for (const auto& head : heads) result.heads.push_back(detail::score_head(head, outputs.at(head.output), options.top_k));
        return result;
    }
};

Scorer::Scorer(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}

Scorer Scorer::open(const std::string& path, const ScorerOptions& options) {
    Model model = Model::open(path, options.model);
    std::vector<detail::HeadConfig> heads = detail::read_scorer_config(model);
    return Scorer(std::make_shared<const Impl>(Impl{std::move(model), options, std::move(heads)}));
}

ScoreResult Scorer::score(const Image& image) const {
    return impl_->result_from(detail::run_single_image(impl_->model, image));
}

ScoreResult Scorer::score_file(const std::string& path) const {
    return score(decode_image_file(path, impl_->options.decode));
}

ScoreResult Scorer::score_memory(const void* data, std::size_t size) const {
    return score(decode_image_memory(data, size, impl_->options.decode));
}

ScoreResult Scorer::score_base64(const std::string& text) const {
    return score(decode_image_base64(text, impl_->options.decode));
}

std::vector<ScoreOutcome> Scorer::score_files(const std::vector<std::string>& paths) const {
    return detail::outcomes_for<ScoreResult>(
        impl_->model, paths, [&](std::size_t i) { return decode_image_file(paths[i], impl_->options.decode); },
        [&](const auto& outputs) { return impl_->result_from(outputs); });
}

std::vector<ScoreOutcome> Scorer::score_images(const std::vector<Image>& images) const {
    return detail::outcomes_for<ScoreResult>(
        impl_->model, detail::batch_names(images.size()), [&](std::size_t i) { return images[i]; },
        [&](const auto& outputs) { return impl_->result_from(outputs); });
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
