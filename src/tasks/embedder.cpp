// Embedder: a Model whose image and/or text method gives vectors in one space.
#include "acg2vec/embedder.hpp"

#include <cmath>

#include "tasks/activation.hpp"
#include "tasks/embedder_config.hpp"
#include "tasks/image_batch.hpp"
#include "tasks/text_batch.hpp"

namespace acg2vec {
namespace {

// Scales v to unit length; a zero vector stays zero (it has no direction to keep).
void normalize(Vector& v) {
    double norm = 0;
    for (float x : v) norm += double(x) * x;
    if (!(norm > 0)) return;
    const double scale = 1.0 / std::sqrt(norm);
    for (float& x : v) x = float(x * scale);
}

double dot(const Vector& a, const Vector& b) {
    double sum = 0;
    for (std::size_t i = 0; i < a.size(); ++i) sum += double(a[i]) * b[i];
    return sum;
}

std::string fill_prompt(const std::string& prompt, const std::string& label) {
    const std::size_t at = prompt.find("{}");
    if (at == std::string::npos)
        throw Error(ErrorCode::invalid_argument, "zero-shot prompt '" + prompt + "' has no {} for the label");
    return prompt.substr(0, at) + label + prompt.substr(at + 2);
}

}  // namespace

struct Embedder::Impl {
    Model model;
    EmbedderOptions options;
    detail::EmbedderConfig config;

    Impl(Model m, const EmbedOptions& embed, const DecodeOptions& decode)
        : model(std::move(m)), config(detail::read_embedder_config(model)) {
        options.model = model.options();
        options.decode = decode;
        options.embed = embed;
        if (config.dimensions == 0)  // a text-only model with open output shapes: ask it once
            config.dimensions = detail::run_text_batch(model, config, {""}).at(0).size();
    }

    Vector finish(Vector v) const {
        if (options.embed.normalize) normalize(v);
        return v;
    }
    void require_image() const {
        if (config.image_output.empty())
            throw Error(ErrorCode::not_found, model.path() + ": the model has no image method");
    }
};

Embedder::Embedder(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}

Embedder::Embedder(Model model, const EmbedOptions& embed, const DecodeOptions& decode)
    : impl_(std::make_shared<const Impl>(std::move(model), embed, decode)) {}

Embedder Embedder::open(const std::string& path, const EmbedderOptions& options) {
    return Embedder(Model::open(path, options.model), options.embed, options.decode);
}

bool Embedder::has_image() const { return !impl_->config.image_output.empty(); }
bool Embedder::has_text() const { return !impl_->config.text_output.empty(); }
std::size_t Embedder::dimensions() const { return impl_->config.dimensions; }

Vector Embedder::from_outputs(const Outputs& outputs) const {
    return impl_->finish(outputs.at(impl_->config.image_output));
}

Vector Embedder::embed(const ImageInput& input) const {
    impl_->require_image();
    return from_outputs(detail::run_single_image(impl_->model, input, impl_->options.decode));
}

std::vector<VectorOutcome> Embedder::embed_batch(const std::vector<ImageInput>& inputs) const {
    impl_->require_image();
    return detail::outcomes_for<Vector>(impl_->model, inputs, impl_->options.decode,
                                        [&](const Outputs& outputs) { return from_outputs(outputs); });
}

void Embedder::embed_each(const std::vector<ImageInput>& inputs,
                          const std::function<void(VectorOutcome&&)>& on_outcome) const {
    impl_->require_image();
    detail::each_outcome<Vector>(
        impl_->model, inputs, impl_->options.decode, [&](const Outputs& outputs) { return from_outputs(outputs); },
        on_outcome);
}

Vector Embedder::embed_text(std::string_view text) const { return embed_texts({std::string(text)}).at(0); }

std::vector<Vector> Embedder::embed_texts(const std::vector<std::string>& texts) const {
    std::vector<Vector> vectors = detail::run_text_batch(impl_->model, impl_->config, texts);
    for (Vector& v : vectors) v = impl_->finish(std::move(v));
    return vectors;
}

Similarity compare_vectors(const Vector& a, const Vector& b) {
    if (a.size() != b.size() || a.empty())
        throw Error(ErrorCode::invalid_argument, "cannot compare vectors of " + std::to_string(a.size()) + " and " +
                                                     std::to_string(b.size()) + " dimensions");
    const double na = std::sqrt(dot(a, a)), nb = std::sqrt(dot(b, b));
    Similarity s;
    s.cosine = na > 0 && nb > 0 ? dot(a, b) / (na * nb) : 0.0;
    s.cosine = std::max(-1.0, std::min(1.0, s.cosine));
    s.l2_distance = std::sqrt(std::max(0.0, 2.0 - 2.0 * s.cosine));
    s.score = 100.0 * std::max(0.0, s.cosine);
    return s;
}

Similarity Embedder::similarity(const ImageInput& a, const ImageInput& b) const {
    const std::vector<VectorOutcome> both = embed_batch({a, b});
    for (const auto& o : both)
        if (!o.ok()) throw Error(o.error, o.message);
    return compare_vectors(*both[0].result, *both[1].result);
}

std::vector<LabelProbability> Embedder::zero_shot(const ImageInput& image, const std::vector<std::string>& labels,
                                                  const std::string& prompt) const {
    return zero_shot(embed(image), labels, prompt);
}

std::vector<LabelProbability> Embedder::zero_shot(const Vector& image_vector, const std::vector<std::string>& labels,
                                                  const std::string& prompt) const {
    if (labels.empty()) throw Error(ErrorCode::invalid_argument, "zero-shot needs at least one label");
    std::vector<std::string> prompts;
    for (const auto& label : labels) prompts.push_back(fill_prompt(prompt, label));
    const std::vector<Vector> texts = detail::run_text_batch(impl_->model, impl_->config, prompts);
    std::vector<LabelProbability> out(labels.size());
    std::vector<float> logits(labels.size());
    for (std::size_t i = 0; i < labels.size(); ++i) {
        out[i].label = labels[i];
        out[i].cosine = compare_vectors(image_vector, texts[i]).cosine;
        logits[i] = float(impl_->config.logit_scale * out[i].cosine);
    }
    const std::vector<float> probabilities = detail::activate(logits, detail::Activation::softmax);
    for (std::size_t i = 0; i < labels.size(); ++i) out[i].probability = probabilities[i];
    return out;
}

double Embedder::logit_scale() const { return impl_->config.logit_scale; }

IndexOptions Embedder::index_options() const {
    IndexOptions options;
    options.dimension = dimensions();
    options.metric = Metric::cosine;
    options.model_name = impl_->model.metadata().name;
    options.model_fingerprint = impl_->model.fingerprint();
    return options;
}
const ClipTokenizer* Embedder::clip_tokenizer() const { return impl_->config.clip ? &*impl_->config.clip : nullptr; }
const WordPieceTokenizer* Embedder::wordpiece_tokenizer() const {
    return impl_->config.wordpiece ? &*impl_->config.wordpiece : nullptr;
}
const Model& Embedder::model() const { return impl_->model; }
const EmbedderOptions& Embedder::options() const { return impl_->options; }

}  // namespace acg2vec
