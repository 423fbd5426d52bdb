#include "tasks/embedder_config.hpp"

#include "acg2vec/error.hpp"
#include "tasks/config_fields.hpp"

namespace acg2vec::detail {
namespace {

bool has_role(const Model& model, const char* role) { return model.metadata().methods.count(role) != 0; }

void require_int64_inputs(const Model& model, const MethodSpec& text, std::size_t count, const std::string& what) {
    if (text.inputs.size() != count)
        config_fail(model, "methods.text.inputs", what + " takes " + std::to_string(count) + " input(s)");
    for (const auto& input : text.inputs)
        if (input.dtype != DType::int64) config_fail(model, "methods.text.inputs", "token ids are int64");
}

void read_tokenizer(const Model& model, const Json& section, EmbedderConfig& config) {
    const JsonReader r = model_reader(model);
    auto it = section.find("tokenizer");
    if (it == section.end() || !it->is_object())
        config_fail(model, "embedder.tokenizer", "a text method needs a tokenizer (an object)");
    const Json& t = *it;
    const std::string type = r.optional_string(t, "type", "embedder.tokenizer", "");
    const MethodSpec& text = model.metadata().method("text");
    if (type == "clip") {
        const std::string merges = r.optional_string(t, "merges", "embedder.tokenizer", "");
        if (merges.empty())
            config_fail(model, "embedder.tokenizer.merges", "required: the BPE merges file in the archive");
        ClipTokenizerOptions options;
        options.context_length = r.optional_int(t, "context_length", "embedder.tokenizer", 77);
        const std::string& bytes = archive_file(model, merges, "embedder.tokenizer.merges");
        config.clip = ClipTokenizer::from_merges(bytes, model.path() + ":" + merges, options);
        require_int64_inputs(model, text, 1, "a CLIP text method");
        const auto& shape = text.inputs[0].shape;
        if (!shape.empty() && !(shape.size() == 1 && (shape[0] == -1 || shape[0] == options.context_length)))
            config_fail(model, "methods.text.inputs[0].shape",
                        "must be [" + std::to_string(options.context_length) + "], the tokenizer's context_length");
    } else if (type == "wordpiece") {
        const std::string vocab = r.optional_string(t, "vocab", "embedder.tokenizer", "");
        if (vocab.empty()) config_fail(model, "embedder.tokenizer.vocab", "required: the vocab.txt in the archive");
        WordPieceOptions options;
        options.lowercase = r.optional_bool(t, "lowercase", "embedder.tokenizer", true);
        options.strip_accents = r.optional_bool(t, "strip_accents", "embedder.tokenizer", options.lowercase);
        options.max_length = r.optional_int(t, "max_length", "embedder.tokenizer", 128);
        const std::string& bytes = archive_file(model, vocab, "embedder.tokenizer.vocab");
        config.wordpiece = WordPieceTokenizer::from_vocab(bytes, model.path() + ":" + vocab, options);
        if (text.inputs.size() == 2) {
            require_int64_inputs(model, text, 2, "a WordPiece text method with a mask");
            config.text_takes_mask = true;
        } else {
            require_int64_inputs(model, text, 1, "a WordPiece text method without a mask");
        }
    } else {
        config_fail(model, "embedder.tokenizer.type", "'" + type + "' is not clip or wordpiece");
    }
}

// Width of the text vectors from the declared output shape: [D], or [L, D] when pooled here.
std::size_t text_width(const Model& model, const EmbedderConfig& config) {
    for (const TensorSpec& spec : model.metadata().method("text").outputs) {
        if (spec.name != config.text_output) continue;
        const std::size_t rank = config.pooling == TextPooling::none ? 1 : 2;
        if (!spec.shape.empty() && spec.shape.size() != rank)
            config_fail(model, "methods.text.outputs",
                        "'" + spec.name + "' must have " + std::to_string(rank) + " dimension(s) per text" +
                            (rank == 2 ? " (tokens × features) to be pooled" : ""));
        if (!spec.shape.empty() && spec.shape.back() > 0) return std::size_t(spec.shape.back());
    }
    return 0;
}

}  // namespace

EmbedderConfig read_embedder_config(const Model& model) {
    const JsonReader r = model_reader(model);
    static const Json empty = Json::object();
    const Json* found = config_section(model, "embedder", false);
    const Json& section = found != nullptr ? *found : empty;
    EmbedderConfig config;
    if (!has_role(model, "image") && !has_role(model, "text"))
        config_fail(model, "methods", "an embedder needs an image or a text method");
    if (has_role(model, "image")) {
        config.image_output = method_output(model, "image", r.optional_string(section, "image_output", "embedder", ""),
                                            "embedder.image_output");
        config.dimensions = std::size_t(output_width(model, "image", config.image_output));
    }
    if (has_role(model, "text")) {
        config.text_output = method_output(model, "text", r.optional_string(section, "text_output", "embedder", ""),
                                           "embedder.text_output");
        const std::string pooling = r.optional_string(section, "text_pooling", "embedder", "none");
        if (pooling == "none") {
            config.pooling = TextPooling::none;
        } else if (pooling == "mean") {
            config.pooling = TextPooling::mean;
        } else if (pooling == "cls") {
            config.pooling = TextPooling::cls;
        } else {
            config_fail(model, "embedder.text_pooling", "'" + pooling + "' is not none, mean or cls");
        }
        read_tokenizer(model, section, config);
        const std::size_t width = text_width(model, config);
        if (width != 0 && config.dimensions != 0 && width != config.dimensions)
            config_fail(model, "embedder",
                        "text vectors have " + std::to_string(width) + " dimensions but image vectors " +
                            std::to_string(config.dimensions) + ": they must share one space");
        if (config.dimensions == 0) config.dimensions = width;
    }
    if (auto it = section.find("logit_scale"); it != section.end()) {
        if (!it->is_number() || it->get<double>() <= 0)
            config_fail(model, "embedder.logit_scale", "expected a positive number");
        config.logit_scale = it->get<double>();
    }
    return config;
}

}  // namespace acg2vec::detail
