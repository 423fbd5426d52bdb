// Tagger: a Model whose image method scores every label of a table.
#include "acg2vec/tagger.hpp"

#include "tasks/activation.hpp"
#include "tasks/image_batch.hpp"
#include "tasks/tag_selection.hpp"
#include "tasks/task_config.hpp"

namespace acg2vec {

struct Tagger::Impl {
    Model model;
    TaggerOptions options;
    detail::TaggerConfig config;

    Impl(Model m, const TagOptions& tags, const DecodeOptions& decode)
        : model(std::move(m)), config(detail::read_tagger_config(model)) {
        options.model = model.options();
        options.decode = decode;
        options.tags = tags;
        // Check the selection options now rather than on the first image.
        detail::select_tags(config.labels, std::vector<float>(config.labels.size(), 0.0f), tags);
    }

    std::vector<float> probabilities_from(const std::map<std::string, std::vector<float>>& outputs) const {
        return detail::activate(outputs.at(config.output), config.activation);
    }
};

Tagger::Tagger(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}

Tagger::Tagger(Model model, const TagOptions& tags, const DecodeOptions& decode)
    : impl_(std::make_shared<const Impl>(std::move(model), tags, decode)) {}

Tagger Tagger::open(const std::string& path, const TaggerOptions& options) {
    return Tagger(Model::open(path, options.model), options.tags, options.decode);
}

std::vector<float> Tagger::probabilities(const ImageInput& input) const {
    return impl_->probabilities_from(detail::run_single_image(impl_->model, input, impl_->options.decode));
}

TagResult Tagger::select(const std::vector<float>& probabilities, const TagOptions& options) const {
    return detail::select_tags(impl_->config.labels, probabilities, options);
}

TagResult Tagger::from_outputs(const Outputs& outputs) const {
    return select(impl_->probabilities_from(outputs), impl_->options.tags);
}

TagResult Tagger::tag(const ImageInput& input) const { return select(probabilities(input), impl_->options.tags); }

std::vector<TagOutcome> Tagger::tag_batch(const std::vector<ImageInput>& inputs) const {
    return detail::outcomes_for<TagResult>(impl_->model, inputs, impl_->options.decode,
                                           [&](const Outputs& outputs) { return from_outputs(outputs); });
}

void Tagger::tag_each(const std::vector<ImageInput>& inputs,
                      const std::function<void(TagOutcome&&)>& on_outcome) const {
    detail::each_outcome<TagResult>(
        impl_->model, inputs, impl_->options.decode, [&](const Outputs& outputs) { return from_outputs(outputs); },
        on_outcome);
}

const LabelTable& Tagger::labels() const { return impl_->config.labels; }
const Model& Tagger::model() const { return impl_->model; }
const TaggerOptions& Tagger::options() const { return impl_->options; }

std::string TagResult::caption(const std::string& separator) const {
    std::string text;
    for (const auto* list : {&characters, &general}) {
        for (const Tag& t : *list) text += (text.empty() ? "" : separator) + t.name;
    }
    return text;
}

}  // namespace acg2vec
