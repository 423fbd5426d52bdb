// C ABI: the vector index (acg2vec::Index): create, load, save, add, update, remove, search
// with category and callback filters, and reading its hits.
#include "capi_internal.hpp"

using namespace acg2vec::capi;

namespace {

std::vector<float> vector_of(const float* values, std::size_t count, const char* name) {
    require_array(values, count, name);
    return std::vector<float>(values, values + count);
}

// search and exact_search differ only in the C++ method they call.
acg2vec_status search_one(const char* function, bool exact, const acg2vec_index* index, const float* query,
                          std::size_t dimension, std::size_t k, std::size_t ef, const acg2vec_search_filter* filter,
                          acg2vec_search_result** out) {
    return guard(function, [&] {
        begin_out(out);
        require(index, "index");
        const std::vector<float> vector = vector_of(query, dimension, "query");
        const acg2vec::SearchFilter search = search_filter(filter);
        *out = new_handle<acg2vec_search_result>(exact ? index->value.exact_search(vector, k, search)
                                                       : index->value.search(vector, k, ef, search));
    });
}

}  // namespace

extern "C" const char* acg2vec_metric_name(int metric) {
    switch (metric) {
        case ACG2VEC_METRIC_COSINE: return acg2vec::metric_name(acg2vec::Metric::cosine);
        case ACG2VEC_METRIC_INNER_PRODUCT: return acg2vec::metric_name(acg2vec::Metric::inner_product);
        case ACG2VEC_METRIC_L2: return acg2vec::metric_name(acg2vec::Metric::l2);
        default: return "unknown";
    }
}

extern "C" acg2vec_status acg2vec_index_create(const acg2vec_index_options* options, acg2vec_index** out) {
    return guard(__func__, [&] {
        begin_out(out);
        require(options, "options");  // the dimension has no default
        *out = new_handle<acg2vec_index>(acg2vec::Index::create(index_options(options)));
    });
}

extern "C" acg2vec_status acg2vec_index_load(const char* path, const acg2vec_index_options* expected,
                                             acg2vec_index** out) {
    return guard(__func__, [&] {
        begin_out(out);
        require(path, "path");
        *out = new_handle<acg2vec_index>(acg2vec::Index::load(path, index_options(expected)));
    });
}

extern "C" acg2vec_status acg2vec_index_save(const acg2vec_index* index, const char* path) {
    return guard(__func__, [&] {
        require(index, "index");
        require(path, "path");
        index->value.save(path);
    });
}

extern "C" void acg2vec_index_free(acg2vec_index* index) { delete index; }

extern "C" acg2vec_status acg2vec_index_add(acg2vec_index* index, const char* key, const float* vector,
                                            size_t dimension, const char* const* categories, size_t category_count) {
    return guard(__func__, [&] {
        require(index, "index");
        require(key, "key");
        index->value.add(key, vector_of(vector, dimension, "vector"),
                         string_list(categories, category_count, "categories"));
    });
}

extern "C" acg2vec_status acg2vec_index_add_batch(acg2vec_index* index, const char* const* keys, size_t key_count,
                                                  const float* vectors, size_t float_count,
                                                  const char* const* const* categories, const size_t* category_counts) {
    return guard(__func__, [&] {
        require(index, "index");
        const std::vector<std::string> key_list = string_list(keys, key_count, "keys");
        const std::vector<float> values = vector_of(vectors, float_count, "vectors");
        if ((categories == nullptr) != (category_counts == nullptr)) {
            invalid_argument("categories and category_counts must both be NULL or both be given");
        }
        std::vector<std::vector<std::string>> category_lists;
        if (categories != nullptr) {
            category_lists.reserve(key_count);
            for (std::size_t i = 0; i < key_count; ++i) {
                const std::string name = "categories[" + std::to_string(i) + "]";
                category_lists.push_back(string_list(categories[i], category_counts[i], name.c_str()));
            }
        }
        index->value.add_batch(key_list, values, category_lists);
    });
}

extern "C" acg2vec_status acg2vec_index_update(acg2vec_index* index, const char* key, const float* vector,
                                               size_t dimension, const char* const* categories, size_t category_count) {
    return guard(__func__, [&] {
        require(index, "index");
        require(key, "key");
        index->value.update(key, vector_of(vector, dimension, "vector"),
                            string_list(categories, category_count, "categories"));
    });
}

extern "C" acg2vec_status acg2vec_index_remove(acg2vec_index* index, const char* key, int* removed) {
    return guard(__func__, [&] {
        require(index, "index");
        require(key, "key");
        require(removed, "removed");
        *removed = index->value.remove(key) ? 1 : 0;
    });
}

extern "C" acg2vec_status acg2vec_index_contains(const acg2vec_index* index, const char* key, int* contains) {
    return guard(__func__, [&] {
        require(index, "index");
        require(key, "key");
        require(contains, "contains");
        *contains = index->value.contains(key) ? 1 : 0;
    });
}

extern "C" acg2vec_status acg2vec_index_size(const acg2vec_index* index, size_t* size) {
    return guard(__func__, [&] {
        require(index, "index");
        require(size, "size");
        *size = index->value.size();
    });
}

extern "C" acg2vec_status acg2vec_index_get(const acg2vec_index* index, const char* key, acg2vec_vector** out) {
    return guard(__func__, [&] {
        begin_out(out);
        require(index, "index");
        require(key, "key");
        *out = new_handle<acg2vec_vector>(index->value.get(key));
    });
}

extern "C" acg2vec_status acg2vec_index_categories(const acg2vec_index* index, const char* key, acg2vec_strings** out) {
    return guard(__func__, [&] {
        begin_out(out);
        require(index, "index");
        require(key, "key");
        *out = new_handle<acg2vec_strings>(index->value.categories(key));
    });
}

extern "C" acg2vec_status acg2vec_index_keys(const acg2vec_index* index, acg2vec_strings** out) {
    return guard(__func__, [&] {
        begin_out(out);
        require(index, "index");
        *out = new_handle<acg2vec_strings>(index->value.keys());
    });
}

extern "C" acg2vec_status acg2vec_index_get_info(const acg2vec_index* index, acg2vec_index_info** out) {
    return guard(__func__, [&] {
        begin_out(out);
        require(index, "index");
        *out = new_handle<acg2vec_index_info>(index->value.info());
    });
}

extern "C" acg2vec_status acg2vec_index_export_vectors(const acg2vec_index* index, const char* directory) {
    return guard(__func__, [&] {
        require(index, "index");
        require(directory, "directory");
        index->value.export_vectors(directory);
    });
}

extern "C" acg2vec_status acg2vec_index_search(const acg2vec_index* index, const float* query, size_t dimension,
                                               size_t k, size_t ef, const acg2vec_search_filter* filter,
                                               acg2vec_search_result** out) {
    return search_one(__func__, false, index, query, dimension, k, ef, filter, out);
}

extern "C" acg2vec_status acg2vec_index_exact_search(const acg2vec_index* index, const float* query, size_t dimension,
                                                     size_t k, const acg2vec_search_filter* filter,
                                                     acg2vec_search_result** out) {
    return search_one(__func__, true, index, query, dimension, k, 0, filter, out);
}

extern "C" acg2vec_status acg2vec_index_search_batch(const acg2vec_index* index, const float* queries,
                                                     size_t query_count, size_t dimension, size_t k, size_t ef,
                                                     const acg2vec_search_filter* filter, acg2vec_search_batch** out) {
    return guard(__func__, [&] {
        begin_out(out);
        require(index, "index");
        if (query_count != 0 && dimension > SIZE_MAX / query_count) {
            invalid_argument("query_count x dimension overflows size_t");
        }
        require_array(queries, query_count * dimension, "queries");
        std::vector<std::vector<float>> list(query_count);
        for (std::size_t q = 0; q < query_count; ++q) {
            list[q].assign(queries + q * dimension, queries + (q + 1) * dimension);
        }
        auto hits = index->value.search_batch(list, k, ef, search_filter(filter));
        auto batch = std::make_unique<acg2vec_search_batch>();
        batch->results.reserve(hits.size());
        for (auto& h : hits) batch->results.push_back(acg2vec_search_result{std::move(h)});
        *out = batch.release();
    });
}

// ---- Index info

extern "C" acg2vec_status acg2vec_index_info_get(const acg2vec_index_info* info, size_t* dimension,
                                                 acg2vec_metric* metric, size_t* size, size_t* capacity,
                                                 size_t* removed_slots) {
    return guard(__func__, [&] {
        require(info, "info");
        require(dimension, "dimension");
        require(metric, "metric");
        require(size, "size");
        require(capacity, "capacity");
        require(removed_slots, "removed_slots");
        *dimension = info->value.dimension;
        *metric = c_metric(info->value.metric);
        *size = info->value.size;
        *capacity = info->value.capacity;
        *removed_slots = info->value.removed_slots;
    });
}

extern "C" acg2vec_status acg2vec_index_info_model(const acg2vec_index_info* info, const char** model_name,
                                                   const char** model_fingerprint) {
    return guard(__func__, [&] {
        require(info, "info");
        require(model_name, "model_name");
        require(model_fingerprint, "model_fingerprint");
        *model_name = info->value.model_name.c_str();
        *model_fingerprint = info->value.model_fingerprint.c_str();
    });
}

extern "C" void acg2vec_index_info_free(acg2vec_index_info* info) { delete info; }

// ---- Search results

extern "C" acg2vec_status acg2vec_search_result_count(const acg2vec_search_result* result, size_t* count) {
    return guard(__func__, [&] {
        require(result, "result");
        require(count, "count");
        *count = result->value.size();
    });
}

extern "C" acg2vec_status acg2vec_search_result_get(const acg2vec_search_result* result, size_t index, const char** key,
                                                    float* distance, float* score) {
    return guard(__func__, [&] {
        require(result, "result");
        require(key, "key");
        require(distance, "distance");
        require(score, "score");
        require_index(index, result->value.size(), "index");
        const acg2vec::SearchHit& hit = result->value[index];
        *key = hit.key.c_str();
        *distance = hit.distance;
        *score = hit.score;
    });
}

extern "C" void acg2vec_search_result_free(acg2vec_search_result* result) { delete result; }

extern "C" acg2vec_status acg2vec_search_batch_count(const acg2vec_search_batch* batch, size_t* count) {
    return guard(__func__, [&] {
        require(batch, "batch");
        require(count, "count");
        *count = batch->results.size();
    });
}

extern "C" acg2vec_status acg2vec_search_batch_get(const acg2vec_search_batch* batch, size_t index,
                                                   const acg2vec_search_result** result) {
    return guard(__func__, [&] {
        begin_out(result, "result");
        require(batch, "batch");
        require_index(index, batch->results.size(), "index");
        *result = &batch->results[index];
    });
}

extern "C" void acg2vec_search_batch_free(acg2vec_search_batch* batch) { delete batch; }
