// C ABI: the analyzer (every task of a model from one forward pass) and its results.
#include "capi_internal.hpp"

using namespace acg2vec::capi;

extern "C" acg2vec_status acg2vec_analyzer_create(const acg2vec_model* model, const acg2vec_tag_options* tag_options_in,
                                                  const acg2vec_score_options* score_options_in,
                                                  const acg2vec_embed_options* embed_options_in,
                                                  const acg2vec_decode_options* decode_options_in,
                                                  acg2vec_analyzer** out) {
    return guard(__func__, [&] {
        begin_out(out);
        require(model, "model");
        acg2vec::AnalyzeOptions options;
        options.tags = tag_options(tag_options_in);
        options.score = score_options(score_options_in);
        options.embed = embed_options(embed_options_in);
        options.decode = decode_options(decode_options_in, "decode_options");
        *out = new acg2vec_analyzer{acg2vec::Analyzer(model->value, options)};
    });
}

extern "C" void acg2vec_analyzer_free(acg2vec_analyzer* analyzer) { delete analyzer; }

namespace {

// A task of the analyzer as a handle of its own; not_found when the model lacks it.
template <class Handle, class Task>
Handle* task_handle(const acg2vec_analyzer* analyzer, const Task* task, const char* what) {
    if (task == nullptr)
        throw acg2vec::Error(acg2vec::ErrorCode::not_found,
                             analyzer->value.model().path() + ": the model has no " + what + " task");
    return new Handle{*task};
}

}  // namespace

extern "C" acg2vec_status acg2vec_analyzer_tagger(const acg2vec_analyzer* analyzer, acg2vec_tagger** out) {
    return guard(__func__, [&] {
        begin_out(out);
        require(analyzer, "analyzer");
        *out = task_handle<acg2vec_tagger>(analyzer, analyzer->value.tagger(), "tagger");
    });
}

extern "C" acg2vec_status acg2vec_analyzer_scorer(const acg2vec_analyzer* analyzer, acg2vec_scorer** out) {
    return guard(__func__, [&] {
        begin_out(out);
        require(analyzer, "analyzer");
        *out = task_handle<acg2vec_scorer>(analyzer, analyzer->value.scorer(), "scorer");
    });
}

extern "C" acg2vec_status acg2vec_analyzer_embedder(const acg2vec_analyzer* analyzer, acg2vec_embedder** out) {
    return guard(__func__, [&] {
        begin_out(out);
        require(analyzer, "analyzer");
        *out = task_handle<acg2vec_embedder>(analyzer, analyzer->value.embedder(), "image embedder");
    });
}

extern "C" acg2vec_status acg2vec_analyzer_analyze(const acg2vec_analyzer* analyzer, const acg2vec_image_input* input,
                                                   acg2vec_analysis** out) {
    return guard(__func__, [&] {
        begin_out(out);
        require(analyzer, "analyzer");
        *out = new acg2vec_analysis(analyzer->value.analyze(image_input(input)));
    });
}

extern "C" acg2vec_status acg2vec_analyzer_analyze_batch(const acg2vec_analyzer* analyzer,
                                                         const acg2vec_image_input* inputs, size_t count,
                                                         acg2vec_analysis_batch** out) {
    return guard(__func__, [&] {
        begin_out(out);
        require(analyzer, "analyzer");
        auto outcomes = analyzer->value.analyze_batch(image_inputs(inputs, count));
        *out = new acg2vec_analysis_batch{batch_items<acg2vec_analysis>(std::move(outcomes))};
    });
}

namespace {

// Lends a part of an analysis; not_found (and NULL) when the model lacks that task.
template <class Part>
acg2vec_status analysis_part(const char* function, const acg2vec_analysis* analysis,
                             const std::optional<Part> acg2vec_analysis::*member, const Part** out, const char* what) {
    return guard(function, [&] {
        begin_out(out, what);
        require(analysis, "analysis");
        const std::optional<Part>& part = analysis->*member;
        if (!part) throw acg2vec::Error(acg2vec::ErrorCode::not_found, std::string("the model gives no ") + what);
        *out = &*part;
    });
}

}  // namespace

extern "C" acg2vec_status acg2vec_analysis_tags(const acg2vec_analysis* analysis, const acg2vec_tag_result** tags) {
    return analysis_part(__func__, analysis, &acg2vec_analysis::tags, tags, "tags");
}

extern "C" acg2vec_status acg2vec_analysis_scores(const acg2vec_analysis* analysis,
                                                  const acg2vec_score_result** scores) {
    return analysis_part(__func__, analysis, &acg2vec_analysis::scores, scores, "scores");
}

extern "C" acg2vec_status acg2vec_analysis_vector(const acg2vec_analysis* analysis, const acg2vec_vector** vector) {
    return analysis_part(__func__, analysis, &acg2vec_analysis::vector, vector, "vector");
}

extern "C" void acg2vec_analysis_free(acg2vec_analysis* analysis) { delete analysis; }

extern "C" acg2vec_status acg2vec_analysis_batch_count(const acg2vec_analysis_batch* batch, size_t* count) {
    return batch_count(__func__, batch, count);
}

extern "C" acg2vec_status acg2vec_analysis_batch_item(const acg2vec_analysis_batch* batch, size_t index,
                                                      acg2vec_status* status, const char** input,
                                                      const char** message) {
    return batch_item(__func__, batch, index, status, input, message);
}

extern "C" acg2vec_status acg2vec_analysis_batch_result(const acg2vec_analysis_batch* batch, size_t index,
                                                        const acg2vec_analysis** result) {
    return batch_result(__func__, batch, index, result);
}

extern "C" void acg2vec_analysis_batch_free(acg2vec_analysis_batch* batch) { delete batch; }
