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

    std::vector<float> probabilities_from(const std::map<std::string, std::vector<float>>& outputs) const {
        return detail::activate(outputs.at(config.output), config.activation);
    }
};

Tagger::Tagger(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}

Tagger Tagger::open(const std::string& path, const TaggerOptions& options) {
    Model model = Model::open(path, options.model);
    detail::TaggerConfig config = detail::read_tagger_config(model);
    // Check the selection options now rather than on the first image.
    detail::select_tags(config.labels, std::vector<float>(config.labels.size(), 0.0f), options.tags);
    return Tagger(std::make_shared<const Impl>(Impl{std::move(model), options, std::move(config)}));
}

std::vector<float> Tagger::probabilities(const Image& image) const {
    return impl_->probabilities_from(detail::run_single_image(impl_->model, image));
}

TagResult Tagger::select(const std::vector<float>& probabilities, const TagOptions& options) const {
    return detail::select_tags(impl_->config.labels, probabilities, options);
}

TagResult Tagger::tag(const Image& image) const { return select(probabilities(image), impl_->options.tags); }

TagResult Tagger::tag_file(const std::string& path) const { return tag(decode_image_file(path, impl_->options.decode)); }

TagResult Tagger::tag_memory(const void* data, std::size_t size) const {
    return tag(decode_image_memory(data, size, impl_->options.decode));
}

TagResult Tagger::tag_base64(const std::string& text) const {
    return tag(decode_image_base64(text, impl_->options.decode));
}

std::vector<TagOutcome> Tagger::tag_files(const std::vector<std::string>& paths) const {
    return detail::outcomes_for<TagResult>(
        impl_->model, paths, [&](std::size_t i) { return decode_image_file(paths[i], impl_->options.decode); },
        [&](const auto& outputs) { return select(impl_->probabilities_from(outputs), impl_->options.tags); });
}

std::vector<TagOutcome> Tagger::tag_images(const std::vector<Image>& images) const {
    return detail::outcomes_for<TagResult>(
        impl_->model, detail::batch_names(images.size()), [&](std::size_t i) { return images[i]; },
        [&](const auto& outputs) { return select(impl_->probabilities_from(outputs), impl_->options.tags); });
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
