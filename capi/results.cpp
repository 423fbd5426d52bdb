// C ABI: reading results (tag, score, vector, zero-shot, batches, string and id lists) and
// freeing them. Everything a getter lends points into the result and lives as long as it.
#include <algorithm>

#include "capi_internal.hpp"

using namespace acg2vec::capi;

namespace {

const std::vector<acg2vec::Tag>& tags_of(const acg2vec_tag_result* result, const acg2vec_tag_category& category) {
    require(result, "result");
    switch (raw_enum(category)) {
        case ACG2VEC_TAG_RATING: return result->value.ratings;
        case ACG2VEC_TAG_CHARACTER: return result->value.characters;
        case ACG2VEC_TAG_GENERAL: return result->value.general;
    }
    invalid_argument("category " + std::to_string(raw_enum(category)) + " is not an acg2vec_tag_category");
}

const acg2vec::HeadScore& head_of(const acg2vec_score_result* result, std::size_t head) {
    require(result, "result");
    require_index(head, result->value.heads.size(), "head");
    return result->value.heads[head];
}

// A batch's outcomes again, for the C++ JSON writers.
template <class Result, class Handle>
std::vector<acg2vec::Outcome<Result>> outcomes_of(const std::vector<BatchItem<Handle>>& items) {
    std::vector<acg2vec::Outcome<Result>> outcomes(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
        outcomes[i].input = items[i].input;
        outcomes[i].error = static_cast<acg2vec::ErrorCode>(items[i].status);
        outcomes[i].message = items[i].message;
        if (items[i].result) outcomes[i].result = items[i].result->value;
    }
    return outcomes;
}

}  // namespace

// ---- Tag results

extern "C" acg2vec_status acg2vec_tag_result_count(const acg2vec_tag_result* result, acg2vec_tag_category category,
                                                   size_t* count) {
    return guard(__func__, [&] {
        require(count, "count");
        *count = tags_of(result, category).size();
    });
}

extern "C" acg2vec_status acg2vec_tag_result_get(const acg2vec_tag_result* result, acg2vec_tag_category category,
                                                 size_t index, const char** name, float* probability) {
    return guard(__func__, [&] {
        require(name, "name");
        require(probability, "probability");
        const auto& tags = tags_of(result, category);
        require_index(index, tags.size(), "index");
        *name = tags[index].name.c_str();
        *probability = tags[index].probability;
    });
}

extern "C" acg2vec_status acg2vec_tag_result_label_index(const acg2vec_tag_result* result,
                                                         acg2vec_tag_category category, size_t index,
                                                         size_t* label_index) {
    return guard(__func__, [&] {
        require(label_index, "label_index");
        const auto& tags = tags_of(result, category);
        require_index(index, tags.size(), "index");
        *label_index = tags[index].index;
    });
}

extern "C" acg2vec_status acg2vec_tag_result_rating(const acg2vec_tag_result* result, const char** name) {
    return guard(__func__, [&] {
        require(result, "result");
        require(name, "name");
        *name = result->value.rating.c_str();
    });
}

extern "C" acg2vec_status acg2vec_tag_result_caption(const acg2vec_tag_result* result, const char* separator,
                                                     char** caption) {
    return guard(__func__, [&] {
        begin_out(caption, "caption");
        require(result, "result");
        *caption = copy_string(separator != nullptr ? result->value.caption(separator) : result->value.caption());
    });
}

extern "C" acg2vec_status acg2vec_tag_result_to_json(const acg2vec_tag_result* result, char** json) {
    return guard(__func__, [&] {
        begin_out(json, "json");
        require(result, "result");
        *json = copy_string(acg2vec::to_wd14_json(result->value));
    });
}

extern "C" void acg2vec_tag_result_free(acg2vec_tag_result* result) { delete result; }

extern "C" acg2vec_status acg2vec_tag_batch_count(const acg2vec_tag_batch* batch, size_t* count) {
    return batch_count(__func__, batch, count);
}

extern "C" acg2vec_status acg2vec_tag_batch_item(const acg2vec_tag_batch* batch, size_t index, acg2vec_status* status,
                                                 const char** input, const char** message) {
    return batch_item(__func__, batch, index, status, input, message);
}

extern "C" acg2vec_status acg2vec_tag_batch_result(const acg2vec_tag_batch* batch, size_t index,
                                                   const acg2vec_tag_result** result) {
    return batch_result(__func__, batch, index, result);
}

extern "C" acg2vec_status acg2vec_tag_batch_to_json(const acg2vec_tag_batch* batch, char** json) {
    return guard(__func__, [&] {
        begin_out(json, "json");
        require(batch, "batch");
        *json = copy_string(acg2vec::to_wd14_json(outcomes_of<acg2vec::TagResult>(batch->items)));
    });
}

extern "C" void acg2vec_tag_batch_free(acg2vec_tag_batch* batch) { delete batch; }

// ---- Score results

extern "C" acg2vec_status acg2vec_score_result_head_count(const acg2vec_score_result* result, size_t* count) {
    return guard(__func__, [&] {
        require(result, "result");
        require(count, "count");
        *count = result->value.heads.size();
    });
}

extern "C" acg2vec_status acg2vec_score_result_find_head(const acg2vec_score_result* result, const char* name,
                                                         size_t* head) {
    return guard(__func__, [&] {
        require(result, "result");
        require(name, "name");
        require(head, "head");
        // ScoreResult::head throws not_found with its own message; its position is the index.
        const acg2vec::HeadScore& found = result->value.head(name);
        *head = static_cast<std::size_t>(&found - result->value.heads.data());
    });
}

extern "C" acg2vec_status acg2vec_score_result_head_name(const acg2vec_score_result* result, size_t head,
                                                         const char** name) {
    return guard(__func__, [&] {
        require(name, "name");
        *name = head_of(result, head).head.c_str();
    });
}

extern "C" acg2vec_status acg2vec_score_result_label_count(const acg2vec_score_result* result, size_t head,
                                                           size_t* count) {
    return guard(__func__, [&] {
        require(count, "count");
        *count = head_of(result, head).labels.size();
    });
}

extern "C" acg2vec_status acg2vec_score_result_label(const acg2vec_score_result* result, size_t head, size_t index,
                                                     const char** label, float* probability) {
    return guard(__func__, [&] {
        require(label, "label");
        require(probability, "probability");
        const acg2vec::HeadScore& h = head_of(result, head);
        require_index(index, std::min(h.labels.size(), h.probabilities.size()), "index");
        *label = h.labels[index].c_str();
        *probability = h.probabilities[index];
    });
}

extern "C" acg2vec_status acg2vec_score_result_best(const acg2vec_score_result* result, size_t head,
                                                    size_t* class_index, const char** label, float* probability) {
    return guard(__func__, [&] {
        require(class_index, "class_index");
        require(label, "label");
        require(probability, "probability");
        const acg2vec::ClassScore& best = head_of(result, head).best;
        *class_index = best.index;
        *label = best.label.c_str();
        *probability = best.probability;
    });
}

extern "C" acg2vec_status acg2vec_score_result_top_count(const acg2vec_score_result* result, size_t head,
                                                         size_t* count) {
    return guard(__func__, [&] {
        require(count, "count");
        *count = head_of(result, head).top.size();
    });
}

extern "C" acg2vec_status acg2vec_score_result_top(const acg2vec_score_result* result, size_t head, size_t rank,
                                                   size_t* class_index, const char** label, float* probability) {
    return guard(__func__, [&] {
        require(class_index, "class_index");
        require(label, "label");
        require(probability, "probability");
        const auto& top = head_of(result, head).top;
        require_index(rank, top.size(), "rank");
        *class_index = top[rank].index;
        *label = top[rank].label.c_str();
        *probability = top[rank].probability;
    });
}

extern "C" acg2vec_status acg2vec_score_result_expected_value(const acg2vec_score_result* result, size_t head,
                                                              int* has_value, double* value) {
    return guard(__func__, [&] {
        require(has_value, "has_value");
        require(value, "value");
        const auto& expected = head_of(result, head).expected_value;
        *has_value = expected ? 1 : 0;
        if (expected) *value = *expected;
    });
}

extern "C" acg2vec_status acg2vec_score_result_to_json(const acg2vec_score_result* result, char** json) {
    return guard(__func__, [&] {
        begin_out(json, "json");
        require(result, "result");
        *json = copy_string(acg2vec::to_pai_json(result->value));
    });
}

extern "C" void acg2vec_score_result_free(acg2vec_score_result* result) { delete result; }

extern "C" acg2vec_status acg2vec_score_batch_count(const acg2vec_score_batch* batch, size_t* count) {
    return batch_count(__func__, batch, count);
}

extern "C" acg2vec_status acg2vec_score_batch_item(const acg2vec_score_batch* batch, size_t index,
                                                   acg2vec_status* status, const char** input, const char** message) {
    return batch_item(__func__, batch, index, status, input, message);
}

extern "C" acg2vec_status acg2vec_score_batch_result(const acg2vec_score_batch* batch, size_t index,
                                                     const acg2vec_score_result** result) {
    return batch_result(__func__, batch, index, result);
}

extern "C" acg2vec_status acg2vec_score_batch_to_json(const acg2vec_score_batch* batch, char** json) {
    return guard(__func__, [&] {
        begin_out(json, "json");
        require(batch, "batch");
        *json = copy_string(acg2vec::to_pai_json(outcomes_of<acg2vec::ScoreResult>(batch->items)));
    });
}

extern "C" void acg2vec_score_batch_free(acg2vec_score_batch* batch) { delete batch; }

// ---- Vectors and zero-shot results

extern "C" acg2vec_status acg2vec_vector_data(const acg2vec_vector* vector, const float** data, size_t* size) {
    return guard(__func__, [&] {
        require(vector, "vector");
        require(data, "data");
        require(size, "size");
        *data = vector->value.data();
        *size = vector->value.size();
    });
}

extern "C" void acg2vec_vector_free(acg2vec_vector* vector) { delete vector; }

extern "C" acg2vec_status acg2vec_vector_batch_count(const acg2vec_vector_batch* batch, size_t* count) {
    return batch_count(__func__, batch, count);
}

extern "C" acg2vec_status acg2vec_vector_batch_item(const acg2vec_vector_batch* batch, size_t index,
                                                    acg2vec_status* status, const char** input, const char** message) {
    return batch_item(__func__, batch, index, status, input, message);
}

extern "C" acg2vec_status acg2vec_vector_batch_result(const acg2vec_vector_batch* batch, size_t index,
                                                      const acg2vec_vector** result) {
    return batch_result(__func__, batch, index, result);
}

extern "C" void acg2vec_vector_batch_free(acg2vec_vector_batch* batch) { delete batch; }

extern "C" acg2vec_status acg2vec_zero_shot_result_count(const acg2vec_zero_shot_result* result, size_t* count) {
    return guard(__func__, [&] {
        require(result, "result");
        require(count, "count");
        *count = result->value.size();
    });
}

extern "C" acg2vec_status acg2vec_zero_shot_result_get(const acg2vec_zero_shot_result* result, size_t index,
                                                       const char** label, double* probability, double* cosine) {
    return guard(__func__, [&] {
        require(result, "result");
        require(label, "label");
        require(probability, "probability");
        require(cosine, "cosine");
        require_index(index, result->value.size(), "index");
        const acg2vec::LabelProbability& entry = result->value[index];
        *label = entry.label.c_str();
        *probability = entry.probability;
        *cosine = entry.cosine;
    });
}

extern "C" void acg2vec_zero_shot_result_free(acg2vec_zero_shot_result* result) { delete result; }

// ---- String and id lists

extern "C" acg2vec_status acg2vec_strings_count(const acg2vec_strings* strings, size_t* count) {
    return guard(__func__, [&] {
        require(strings, "strings");
        require(count, "count");
        *count = strings->value.size();
    });
}

extern "C" acg2vec_status acg2vec_strings_get(const acg2vec_strings* strings, size_t index, const char** string) {
    return guard(__func__, [&] {
        require(strings, "strings");
        require(string, "string");
        require_index(index, strings->value.size(), "index");
        *string = strings->value[index].c_str();
    });
}

extern "C" void acg2vec_strings_free(acg2vec_strings* strings) { delete strings; }

extern "C" acg2vec_status acg2vec_ids_data(const acg2vec_ids* ids, const int64_t** data, size_t* count) {
    return guard(__func__, [&] {
        require(ids, "ids");
        require(data, "data");
        require(count, "count");
        *data = ids->value.data();
        *count = ids->value.size();
    });
}

extern "C" void acg2vec_ids_free(acg2vec_ids* ids) { delete ids; }
