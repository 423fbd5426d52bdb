// C ABI: running the models. Each function converts its arguments, calls the C++ method of
// the same name and wraps the result in a handle.
#include "capi_internal.hpp"

using namespace acg2vec::capi;

namespace {

std::vector<float> float_list(const float* values, std::size_t count, const char* name) {
    require_array(values, count, name);
    return std::vector<float>(values, values + count);
}

}  // namespace

// ---- Tagger

extern "C" acg2vec_status acg2vec_tagger_tag(const acg2vec_tagger* tagger, const acg2vec_image_input* input,
                                             acg2vec_tag_result** out) {
    return guard(__func__, [&] {
        begin_out(out);
        require(tagger, "tagger");
        *out = new_handle<acg2vec_tag_result>(tagger->value.tag(image_input(input)));
    });
}

extern "C" acg2vec_status acg2vec_tagger_tag_batch(const acg2vec_tagger* tagger, const acg2vec_image_input* inputs,
                                                   size_t count, acg2vec_tag_batch** out) {
    return guard(__func__, [&] {
        begin_out(out);
        require(tagger, "tagger");
        auto outcomes = tagger->value.tag_batch(image_inputs(inputs, count));
        *out = new acg2vec_tag_batch{batch_items<acg2vec_tag_result>(std::move(outcomes))};
    });
}

extern "C" acg2vec_status acg2vec_tagger_probabilities(const acg2vec_tagger* tagger, const acg2vec_image_input* input,
                                                       acg2vec_vector** out) {
    return guard(__func__, [&] {
        begin_out(out);
        require(tagger, "tagger");
        *out = new_handle<acg2vec_vector>(tagger->value.probabilities(image_input(input)));
    });
}

extern "C" acg2vec_status acg2vec_tagger_select(const acg2vec_tagger* tagger, const float* probabilities, size_t count,
                                                const acg2vec_tag_options* options, acg2vec_tag_result** out) {
    return guard(__func__, [&] {
        begin_out(out);
        require(tagger, "tagger");
        const auto values = float_list(probabilities, count, "probabilities");
        const acg2vec::TagOptions tags = options != nullptr ? tag_options(options) : tagger->value.options().tags;
        *out = new_handle<acg2vec_tag_result>(tagger->value.select(values, tags));
    });
}

// ---- Scorer

extern "C" acg2vec_status acg2vec_scorer_score(const acg2vec_scorer* scorer, const acg2vec_image_input* input,
                                               acg2vec_score_result** out) {
    return guard(__func__, [&] {
        begin_out(out);
        require(scorer, "scorer");
        *out = new_handle<acg2vec_score_result>(scorer->value.score(image_input(input)));
    });
}

extern "C" acg2vec_status acg2vec_scorer_score_batch(const acg2vec_scorer* scorer, const acg2vec_image_input* inputs,
                                                     size_t count, acg2vec_score_batch** out) {
    return guard(__func__, [&] {
        begin_out(out);
        require(scorer, "scorer");
        auto outcomes = scorer->value.score_batch(image_inputs(inputs, count));
        *out = new acg2vec_score_batch{batch_items<acg2vec_score_result>(std::move(outcomes))};
    });
}

// ---- Embedder

extern "C" acg2vec_status acg2vec_embedder_embed(const acg2vec_embedder* embedder, const acg2vec_image_input* input,
                                                 acg2vec_vector** out) {
    return guard(__func__, [&] {
        begin_out(out);
        require(embedder, "embedder");
        *out = new_handle<acg2vec_vector>(embedder->value.embed(image_input(input)));
    });
}

extern "C" acg2vec_status acg2vec_embedder_embed_batch(const acg2vec_embedder* embedder,
                                                       const acg2vec_image_input* inputs, size_t count,
                                                       acg2vec_vector_batch** out) {
    return guard(__func__, [&] {
        begin_out(out);
        require(embedder, "embedder");
        auto outcomes = embedder->value.embed_batch(image_inputs(inputs, count));
        *out = new acg2vec_vector_batch{batch_items<acg2vec_vector>(std::move(outcomes))};
    });
}

extern "C" acg2vec_status acg2vec_embedder_embed_text(const acg2vec_embedder* embedder, const char* text,
                                                      acg2vec_vector** out) {
    return guard(__func__, [&] {
        begin_out(out);
        require(embedder, "embedder");
        require(text, "text");
        *out = new_handle<acg2vec_vector>(embedder->value.embed_text(text));
    });
}

extern "C" acg2vec_status acg2vec_embedder_embed_texts(const acg2vec_embedder* embedder, const char* const* texts,
                                                       size_t count, acg2vec_vector_batch** out) {
    return guard(__func__, [&] {
        begin_out(out);
        require(embedder, "embedder");
        std::vector<std::string> list = string_list(texts, count, "texts");
        std::vector<acg2vec::Vector> vectors = embedder->value.embed_texts(list);
        // embed_texts succeeds or fails as a whole: every item is OK, named by its text.
        auto batch = std::make_unique<acg2vec_vector_batch>();
        batch->items.resize(vectors.size());
        for (std::size_t i = 0; i < vectors.size(); ++i) {
            batch->items[i].input = std::move(list[i]);
            batch->items[i].result = acg2vec_vector{std::move(vectors[i])};
        }
        *out = batch.release();
    });
}

extern "C" acg2vec_status acg2vec_embedder_similarity(const acg2vec_embedder* embedder, const acg2vec_image_input* a,
                                                      const acg2vec_image_input* b, acg2vec_similarity* out) {
    return guard(__func__, [&] {
        require(embedder, "embedder");
        require(out, "out");
        const acg2vec::Similarity s = embedder->value.similarity(image_input(a, "a"), image_input(b, "b"));
        *out = acg2vec_similarity{s.cosine, s.l2_distance, s.score};
    });
}

extern "C" acg2vec_status acg2vec_compare_vectors(const float* a, size_t a_size, const float* b, size_t b_size,
                                                  acg2vec_similarity* out) {
    return guard(__func__, [&] {
        require(out, "out");
        const acg2vec::Similarity s = acg2vec::compare_vectors(float_list(a, a_size, "a"), float_list(b, b_size, "b"));
        *out = acg2vec_similarity{s.cosine, s.l2_distance, s.score};
    });
}

extern "C" acg2vec_status acg2vec_embedder_zero_shot(const acg2vec_embedder* embedder, const acg2vec_image_input* image,
                                                     const char* const* labels, size_t label_count, const char* prompt,
                                                     acg2vec_zero_shot_result** out) {
    return guard(__func__, [&] {
        begin_out(out);
        require(embedder, "embedder");
        const acg2vec::ImageInput decoded = image_input(image, "image");
        const auto names = string_list(labels, label_count, "labels");
        // NULL prompt: the C++ default argument, so the default lives in one place.
        *out =
            new_handle<acg2vec_zero_shot_result>(prompt != nullptr ? embedder->value.zero_shot(decoded, names, prompt)
                                                                   : embedder->value.zero_shot(decoded, names));
    });
}

extern "C" acg2vec_status acg2vec_embedder_zero_shot_vector(const acg2vec_embedder* embedder, const float* image_vector,
                                                            size_t size, const char* const* labels, size_t label_count,
                                                            const char* prompt, acg2vec_zero_shot_result** out) {
    return guard(__func__, [&] {
        begin_out(out);
        require(embedder, "embedder");
        const acg2vec::Vector vector = float_list(image_vector, size, "image_vector");
        const auto names = string_list(labels, label_count, "labels");
        *out = new_handle<acg2vec_zero_shot_result>(prompt != nullptr ? embedder->value.zero_shot(vector, names, prompt)
                                                                      : embedder->value.zero_shot(vector, names));
    });
}
