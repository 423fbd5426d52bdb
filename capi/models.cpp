// C ABI: opening a model, creating the tagger, scorer and embedder on it, freeing them, and
// what they tell about themselves.
#include "capi_internal.hpp"

using namespace acg2vec::capi;

// ---- Model

extern "C" acg2vec_status acg2vec_model_open(const char* path, const acg2vec_model_options* options,
                                             acg2vec_model** out) {
    return guard(__func__, [&] {
        begin_out(out);
        require(path, "path");
        acg2vec::Model model = acg2vec::Model::open(path, model_options(options));
        std::string device = model.device();
        *out = new acg2vec_model{std::move(model), std::move(device)};
    });
}

extern "C" void acg2vec_model_free(acg2vec_model* model) { delete model; }

extern "C" acg2vec_status acg2vec_model_path(const acg2vec_model* model, const char** path) {
    return guard(__func__, [&] {
        require(model, "model");
        require(path, "path");
        *path = model->value.path().c_str();
    });
}

extern "C" acg2vec_status acg2vec_model_metadata(const acg2vec_model* model, const char** json) {
    return guard(__func__, [&] {
        require(model, "model");
        require(json, "json");
        *json = model->value.metadata().json.c_str();
    });
}

extern "C" acg2vec_status acg2vec_model_device(const acg2vec_model* model, const char** device) {
    return guard(__func__, [&] {
        require(model, "model");
        require(device, "device");
        *device = model->device.c_str();
    });
}

extern "C" acg2vec_status acg2vec_model_fingerprint(const acg2vec_model* model, const char** fingerprint) {
    return guard(__func__, [&] {
        require(model, "model");
        require(fingerprint, "fingerprint");
        *fingerprint = model->value.fingerprint().c_str();
    });
}

namespace {

// A new model handle on the model a task runs.
acg2vec_model* model_handle(const acg2vec::Model& model) { return new acg2vec_model{model, model.device()}; }

}  // namespace

// ---- Tagger

extern "C" acg2vec_status acg2vec_tagger_create(const acg2vec_model* model, const acg2vec_tag_options* tag_options_in,
                                                const acg2vec_decode_options* decode_options_in, acg2vec_tagger** out) {
    return guard(__func__, [&] {
        begin_out(out);
        require(model, "model");
        *out = new acg2vec_tagger{acg2vec::Tagger(model->value, tag_options(tag_options_in),
                                                  decode_options(decode_options_in, "decode_options"))};
    });
}

extern "C" void acg2vec_tagger_free(acg2vec_tagger* tagger) { delete tagger; }

extern "C" acg2vec_status acg2vec_tagger_model(const acg2vec_tagger* tagger, acg2vec_model** out) {
    return guard(__func__, [&] {
        begin_out(out);
        require(tagger, "tagger");
        *out = model_handle(tagger->value.model());
    });
}

extern "C" acg2vec_status acg2vec_tagger_label_count(const acg2vec_tagger* tagger, size_t* count) {
    return guard(__func__, [&] {
        require(tagger, "tagger");
        require(count, "count");
        *count = tagger->value.labels().size();
    });
}

extern "C" acg2vec_status acg2vec_tagger_label(const acg2vec_tagger* tagger, size_t index, const char** name,
                                               int* category) {
    return guard(__func__, [&] {
        require(tagger, "tagger");
        require(name, "name");
        require(category, "category");
        const auto& labels = tagger->value.labels().labels;
        require_index(index, labels.size(), "index");
        *name = labels[index].name.c_str();
        *category = static_cast<int>(labels[index].category);
    });
}

// ---- Scorer

extern "C" acg2vec_status acg2vec_scorer_create(const acg2vec_model* model,
                                                const acg2vec_score_options* score_options_in,
                                                const acg2vec_decode_options* decode_options_in, acg2vec_scorer** out) {
    return guard(__func__, [&] {
        begin_out(out);
        require(model, "model");
        *out = new acg2vec_scorer{acg2vec::Scorer(model->value, score_options(score_options_in),
                                                  decode_options(decode_options_in, "decode_options"))};
    });
}

extern "C" void acg2vec_scorer_free(acg2vec_scorer* scorer) { delete scorer; }

extern "C" acg2vec_status acg2vec_scorer_model(const acg2vec_scorer* scorer, acg2vec_model** out) {
    return guard(__func__, [&] {
        begin_out(out);
        require(scorer, "scorer");
        *out = model_handle(scorer->value.model());
    });
}

extern "C" acg2vec_status acg2vec_scorer_head_names(const acg2vec_scorer* scorer, acg2vec_strings** out) {
    return guard(__func__, [&] {
        begin_out(out);
        require(scorer, "scorer");
        *out = new_handle<acg2vec_strings>(scorer->value.head_names());
    });
}

// ---- Embedder

extern "C" acg2vec_status acg2vec_embedder_create(const acg2vec_model* model,
                                                  const acg2vec_embed_options* embed_options_in,
                                                  const acg2vec_decode_options* decode_options_in,
                                                  acg2vec_embedder** out) {
    return guard(__func__, [&] {
        begin_out(out);
        require(model, "model");
        *out = new acg2vec_embedder{acg2vec::Embedder(model->value, embed_options(embed_options_in),
                                                      decode_options(decode_options_in, "decode_options"))};
    });
}

extern "C" void acg2vec_embedder_free(acg2vec_embedder* embedder) { delete embedder; }

extern "C" acg2vec_status acg2vec_embedder_model(const acg2vec_embedder* embedder, acg2vec_model** out) {
    return guard(__func__, [&] {
        begin_out(out);
        require(embedder, "embedder");
        *out = model_handle(embedder->value.model());
    });
}

extern "C" acg2vec_status acg2vec_embedder_has_image(const acg2vec_embedder* embedder, int* has_image) {
    return guard(__func__, [&] {
        require(embedder, "embedder");
        require(has_image, "has_image");
        *has_image = embedder->value.has_image() ? 1 : 0;
    });
}

extern "C" acg2vec_status acg2vec_embedder_has_text(const acg2vec_embedder* embedder, int* has_text) {
    return guard(__func__, [&] {
        require(embedder, "embedder");
        require(has_text, "has_text");
        *has_text = embedder->value.has_text() ? 1 : 0;
    });
}

extern "C" acg2vec_status acg2vec_embedder_dimensions(const acg2vec_embedder* embedder, size_t* dimensions) {
    return guard(__func__, [&] {
        require(embedder, "embedder");
        require(dimensions, "dimensions");
        *dimensions = embedder->value.dimensions();
    });
}

extern "C" acg2vec_status acg2vec_embedder_logit_scale(const acg2vec_embedder* embedder, double* logit_scale) {
    return guard(__func__, [&] {
        require(embedder, "embedder");
        require(logit_scale, "logit_scale");
        *logit_scale = embedder->value.logit_scale();
    });
}

extern "C" acg2vec_status acg2vec_embedder_index_options(const acg2vec_embedder* embedder,
                                                         acg2vec_index_options* options) {
    return guard(__func__, [&] {
        require(embedder, "embedder");
        require(options, "options");
        const acg2vec::IndexOptions wanted = embedder->value.index_options();
        acg2vec_index_options_init(options);
        options->dimension = wanted.dimension;
        options->metric = c_metric(wanted.metric);
        // Owned by the model, which the embedder keeps alive.
        options->model_name = embedder->value.model().metadata().name.c_str();
        options->model_fingerprint = embedder->value.model().fingerprint().c_str();
    });
}

extern "C" acg2vec_status acg2vec_embedder_clip_tokenizer(const acg2vec_embedder* embedder,
                                                          acg2vec_clip_tokenizer** out) {
    return guard(__func__, [&] {
        begin_out(out);
        require(embedder, "embedder");
        const acg2vec::ClipTokenizer* tokenizer = embedder->value.clip_tokenizer();
        if (tokenizer == nullptr) {
            throw acg2vec::Error(acg2vec::ErrorCode::not_found,
                                 embedder->value.model().path() + ": the model has no CLIP tokenizer");
        }
        *out = new_handle<acg2vec_clip_tokenizer>(*tokenizer);
    });
}

extern "C" acg2vec_status acg2vec_embedder_wordpiece_tokenizer(const acg2vec_embedder* embedder,
                                                               acg2vec_wordpiece_tokenizer** out) {
    return guard(__func__, [&] {
        begin_out(out);
        require(embedder, "embedder");
        const acg2vec::WordPieceTokenizer* tokenizer = embedder->value.wordpiece_tokenizer();
        if (tokenizer == nullptr) {
            throw acg2vec::Error(acg2vec::ErrorCode::not_found,
                                 embedder->value.model().path() + ": the model has no WordPiece tokenizer");
        }
        *out = new_handle<acg2vec_wordpiece_tokenizer>(*tokenizer);
    });
}
