// C ABI: opening the three kinds of model (tagger, scorer, embedder), freeing them, and what
// they tell about themselves.
#include "capi_internal.hpp"

using namespace acg2vec::capi;

// ---- Tagger

extern "C" acg2vec_status acg2vec_tagger_open(const char* path, const acg2vec_model_options* options,
                                              const acg2vec_tag_options* tag_options_in, acg2vec_tagger** out) {
    return guard(__func__, [&] {
        begin_out(out);
        require(path, "path");
        acg2vec::TaggerOptions tagger_options;
        tagger_options.model = model_options(options);
        tagger_options.decode = decode_options(options);
        tagger_options.tags = tag_options(tag_options_in);
        acg2vec::Tagger tagger = acg2vec::Tagger::open(path, tagger_options);
        std::string device = tagger.model().device();
        *out = new acg2vec_tagger{std::move(tagger), std::move(device)};
    });
}

extern "C" void acg2vec_tagger_free(acg2vec_tagger* tagger) { delete tagger; }

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

extern "C" acg2vec_status acg2vec_tagger_metadata(const acg2vec_tagger* tagger, const char** json) {
    return guard(__func__, [&] {
        require(tagger, "tagger");
        require(json, "json");
        *json = tagger->value.model().metadata().json.c_str();
    });
}

extern "C" acg2vec_status acg2vec_tagger_device(const acg2vec_tagger* tagger, const char** device) {
    return guard(__func__, [&] {
        require(tagger, "tagger");
        require(device, "device");
        *device = tagger->device.c_str();
    });
}

// ---- Scorer

extern "C" acg2vec_status acg2vec_scorer_open(const char* path, const acg2vec_model_options* options,
                                              acg2vec_scorer** out) {
    return guard(__func__, [&] {
        begin_out(out);
        require(path, "path");
        acg2vec::ScorerOptions scorer_options;
        scorer_options.model = model_options(options);
        scorer_options.decode = decode_options(options);
        if (options != nullptr) scorer_options.top_k = options->top_k;
        acg2vec::Scorer scorer = acg2vec::Scorer::open(path, scorer_options);
        std::string device = scorer.model().device();
        *out = new acg2vec_scorer{std::move(scorer), std::move(device)};
    });
}

extern "C" void acg2vec_scorer_free(acg2vec_scorer* scorer) { delete scorer; }

extern "C" acg2vec_status acg2vec_scorer_head_names(const acg2vec_scorer* scorer, acg2vec_strings** out) {
    return guard(__func__, [&] {
        begin_out(out);
        require(scorer, "scorer");
        *out = new_handle<acg2vec_strings>(scorer->value.head_names());
    });
}

extern "C" acg2vec_status acg2vec_scorer_metadata(const acg2vec_scorer* scorer, const char** json) {
    return guard(__func__, [&] {
        require(scorer, "scorer");
        require(json, "json");
        *json = scorer->value.model().metadata().json.c_str();
    });
}

extern "C" acg2vec_status acg2vec_scorer_device(const acg2vec_scorer* scorer, const char** device) {
    return guard(__func__, [&] {
        require(scorer, "scorer");
        require(device, "device");
        *device = scorer->device.c_str();
    });
}

// ---- Embedder

extern "C" acg2vec_status acg2vec_embedder_open(const char* path, const acg2vec_model_options* options,
                                                acg2vec_embedder** out) {
    return guard(__func__, [&] {
        begin_out(out);
        require(path, "path");
        acg2vec::EmbedderOptions embedder_options;
        embedder_options.model = model_options(options);
        embedder_options.decode = decode_options(options);
        if (options != nullptr) embedder_options.normalize = options->normalize != 0;
        acg2vec::Embedder embedder = acg2vec::Embedder::open(path, embedder_options);
        std::string device = embedder.model().device();
        *out = new acg2vec_embedder{std::move(embedder), std::move(device)};
    });
}

extern "C" void acg2vec_embedder_free(acg2vec_embedder* embedder) { delete embedder; }

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

extern "C" acg2vec_status acg2vec_embedder_metadata(const acg2vec_embedder* embedder, const char** json) {
    return guard(__func__, [&] {
        require(embedder, "embedder");
        require(json, "json");
        *json = embedder->value.model().metadata().json.c_str();
    });
}

extern "C" acg2vec_status acg2vec_embedder_device(const acg2vec_embedder* embedder, const char** device) {
    return guard(__func__, [&] {
        require(embedder, "embedder");
        require(device, "device");
        *device = embedder->device.c_str();
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
