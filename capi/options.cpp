// C ABI: the options structs. The _init functions copy the C++ defaults (so the C layer has no
// defaults of its own); the conversions check struct_size and enum ranges, nothing more.
#include "capi_internal.hpp"

namespace acg2vec::capi {
namespace {

Precision precision_of(const acg2vec_precision& field) {
    const long long value = raw_enum(field);
    switch (value) {
        case ACG2VEC_PRECISION_FP32: return Precision::fp32;
        case ACG2VEC_PRECISION_FP16: return Precision::fp16;
        case ACG2VEC_PRECISION_BF16: return Precision::bf16;
    }
    invalid_argument("options->precision " + std::to_string(value) + " is not an acg2vec_precision");
}

acg2vec_precision c_precision(Precision value) {
    switch (value) {
        case Precision::fp16: return ACG2VEC_PRECISION_FP16;
        case Precision::bf16: return ACG2VEC_PRECISION_BF16;
        case Precision::fp32: break;
    }
    return ACG2VEC_PRECISION_FP32;
}

Optimization optimization_of(const acg2vec_optimization& field) {
    const long long value = raw_enum(field);
    switch (value) {
        case ACG2VEC_OPTIMIZATION_NONE: return Optimization::none;
        case ACG2VEC_OPTIMIZATION_FREEZE: return Optimization::freeze;
        case ACG2VEC_OPTIMIZATION_FULL: return Optimization::full;
    }
    invalid_argument("options->optimization " + std::to_string(value) + " is not an acg2vec_optimization");
}

acg2vec_optimization c_optimization(Optimization value) {
    switch (value) {
        case Optimization::none: return ACG2VEC_OPTIMIZATION_NONE;
        case Optimization::full: return ACG2VEC_OPTIMIZATION_FULL;
        case Optimization::freeze: break;
    }
    return ACG2VEC_OPTIMIZATION_FREEZE;
}

DecodeSchedule schedule_of(const acg2vec_decode_schedule& field) {
    const long long value = raw_enum(field);
    switch (value) {
        case ACG2VEC_DECODE_AUTOMATIC: return DecodeSchedule::automatic;
        case ACG2VEC_DECODE_OVERLAP: return DecodeSchedule::overlap;
        case ACG2VEC_DECODE_ALTERNATE: return DecodeSchedule::alternate;
    }
    invalid_argument("options->decode_schedule " + std::to_string(value) + " is not an acg2vec_decode_schedule");
}

acg2vec_decode_schedule c_schedule(DecodeSchedule value) {
    switch (value) {
        case DecodeSchedule::overlap: return ACG2VEC_DECODE_OVERLAP;
        case DecodeSchedule::alternate: return ACG2VEC_DECODE_ALTERNATE;
        case DecodeSchedule::automatic: break;
    }
    return ACG2VEC_DECODE_AUTOMATIC;
}

Metric metric_of(const acg2vec_metric& field) {
    const long long value = raw_enum(field);
    switch (value) {
        case ACG2VEC_METRIC_COSINE: return Metric::cosine;
        case ACG2VEC_METRIC_INNER_PRODUCT: return Metric::inner_product;
        case ACG2VEC_METRIC_L2: return Metric::l2;
    }
    invalid_argument("options->metric " + std::to_string(value) + " is not an acg2vec_metric");
}

}  // namespace

acg2vec_metric c_metric(Metric value) {
    switch (value) {
        case Metric::inner_product: return ACG2VEC_METRIC_INNER_PRODUCT;
        case Metric::l2: return ACG2VEC_METRIC_L2;
        case Metric::cosine: break;
    }
    return ACG2VEC_METRIC_COSINE;
}

ModelOptions model_options(const acg2vec_model_options* options) {
    ModelOptions model;
    if (options == nullptr) return model;
    require_struct_size(options->struct_size, sizeof(acg2vec_model_options), "options");
    if (options->device != nullptr) model.device = options->device;
    model.threads = options->threads;
    model.batch_size = options->batch_size;
    model.decode_threads = options->decode_threads;
    model.decode_schedule = schedule_of(options->decode_schedule);
    model.precision = precision_of(options->precision);
    model.optimization = optimization_of(options->optimization);
    if (options->metadata_json != nullptr) model.metadata_json = std::string(options->metadata_json);
    if (options->preprocess_json != nullptr)
        model.preprocess = parse_preprocess_json(options->preprocess_json, "options->preprocess_json");
    return model;
}

DecodeOptions decode_options(const acg2vec_decode_options* options, const char* name) {
    DecodeOptions decode;
    if (options == nullptr) return decode;
    require_struct_size(options->struct_size, sizeof(acg2vec_decode_options), name);
    decode.max_pixels = options->max_pixels;
    decode.apply_exif_orientation = options->apply_exif_orientation != 0;
    decode.jpeg_min_side = options->jpeg_min_side;
    return decode;
}

ScoreOptions score_options(const acg2vec_score_options* options) {
    ScoreOptions score;
    if (options == nullptr) return score;
    require_struct_size(options->struct_size, sizeof(acg2vec_score_options), "score_options");
    score.top_k = options->top_k;
    return score;
}

EmbedOptions embed_options(const acg2vec_embed_options* options) {
    EmbedOptions embed;
    if (options == nullptr) return embed;
    require_struct_size(options->struct_size, sizeof(acg2vec_embed_options), "embed_options");
    embed.normalize = options->normalize != 0;
    return embed;
}

DuplicateOptions duplicate_options(const acg2vec_duplicate_options* options) {
    DuplicateOptions duplicates;
    if (options == nullptr) return duplicates;
    require_struct_size(options->struct_size, sizeof(acg2vec_duplicate_options), "options");
    duplicates.min_score = options->min_score;
    duplicates.neighbours = options->neighbours;
    return duplicates;
}

TagOptions tag_options(const acg2vec_tag_options* options) {
    TagOptions tags;
    if (options == nullptr) return tags;
    require_struct_size(options->struct_size, sizeof(acg2vec_tag_options), "tag_options");
    tags.general_threshold = options->general_threshold;
    tags.character_threshold = options->character_threshold;
    tags.general_mcut = options->general_mcut != 0;
    tags.character_mcut = options->character_mcut != 0;
    tags.character_mcut_floor = options->character_mcut_floor;
    tags.max_general = options->max_general;
    tags.max_characters = options->max_characters;
    tags.include = string_list(options->include, options->include_count, "tag_options->include");
    tags.exclude = string_list(options->exclude, options->exclude_count, "tag_options->exclude");
    tags.drop_overlap = options->drop_overlap != 0;
    tags.underscores_to_spaces = options->underscores_to_spaces != 0;
    tags.escape_parentheses = options->escape_parentheses != 0;
    return tags;
}

IndexOptions index_options(const acg2vec_index_options* options) {
    IndexOptions index;
    if (options == nullptr) return index;
    require_struct_size(options->struct_size, sizeof(acg2vec_index_options), "options");
    index.dimension = options->dimension;
    index.metric = metric_of(options->metric);
    index.M = options->M;
    index.ef_construction = options->ef_construction;
    index.ef_search = options->ef_search;
    index.initial_capacity = options->initial_capacity;
    index.seed = options->seed;
    if (options->model_name != nullptr) index.model_name = options->model_name;
    if (options->model_fingerprint != nullptr) index.model_fingerprint = options->model_fingerprint;
    return index;
}

SearchFilter search_filter(const acg2vec_search_filter* options) {
    SearchFilter filter;
    if (options == nullptr) return filter;
    require_struct_size(options->struct_size, sizeof(acg2vec_search_filter), "filter");
    filter.any_category = string_list(options->any_category, options->category_count, "filter->any_category");
    if (options->accept != nullptr) {
        // Copied by value: the filter lives only as long as the search call.
        const acg2vec_key_filter accept = options->accept;
        void* const user_data = options->user_data;
        filter.accept = [accept, user_data](const std::string& key) { return accept(key.c_str(), user_data) != 0; };
    }
    return filter;
}

ClipTokenizerOptions clip_tokenizer_options(const acg2vec_clip_tokenizer_options* options) {
    ClipTokenizerOptions clip;
    if (options == nullptr) return clip;
    require_struct_size(options->struct_size, sizeof(acg2vec_clip_tokenizer_options), "options");
    clip.context_length = options->context_length;
    clip.truncate = options->truncate != 0;
    return clip;
}

WordPieceOptions wordpiece_options(const acg2vec_wordpiece_options* options) {
    WordPieceOptions wordpiece;
    if (options == nullptr) return wordpiece;
    require_struct_size(options->struct_size, sizeof(acg2vec_wordpiece_options), "options");
    wordpiece.lowercase = options->lowercase != 0;
    wordpiece.strip_accents = options->strip_accents != 0;
    wordpiece.split_cjk = options->split_cjk != 0;
    wordpiece.max_length = options->max_length;
    wordpiece.max_word_chars = options->max_word_chars;
    return wordpiece;
}

}  // namespace acg2vec::capi

using namespace acg2vec::capi;

extern "C" acg2vec_status acg2vec_decode_options_init(acg2vec_decode_options* options) {
    return guard(__func__, [&] {
        require(options, "options");
        const acg2vec::DecodeOptions defaults;
        *options = acg2vec_decode_options{};
        options->struct_size = sizeof(acg2vec_decode_options);
        options->max_pixels = defaults.max_pixels;
        options->apply_exif_orientation = defaults.apply_exif_orientation ? 1 : 0;
        options->jpeg_min_side = defaults.jpeg_min_side;
    });
}

extern "C" acg2vec_status acg2vec_model_options_init(acg2vec_model_options* options) {
    return guard(__func__, [&] {
        require(options, "options");
        const acg2vec::ModelOptions model;
        *options = acg2vec_model_options{};
        options->struct_size = sizeof(acg2vec_model_options);
        options->device = nullptr;  // the C++ default device
        options->threads = model.threads;
        options->batch_size = model.batch_size;
        options->decode_threads = model.decode_threads;
        options->decode_schedule = c_schedule(model.decode_schedule);
        options->precision = c_precision(model.precision);
        options->optimization = c_optimization(model.optimization);
        options->metadata_json = nullptr;
        options->preprocess_json = nullptr;
    });
}

extern "C" acg2vec_status acg2vec_score_options_init(acg2vec_score_options* options) {
    return guard(__func__, [&] {
        require(options, "options");
        *options = acg2vec_score_options{};
        options->struct_size = sizeof(acg2vec_score_options);
        options->top_k = acg2vec::ScoreOptions{}.top_k;
    });
}

extern "C" acg2vec_status acg2vec_embed_options_init(acg2vec_embed_options* options) {
    return guard(__func__, [&] {
        require(options, "options");
        *options = acg2vec_embed_options{};
        options->struct_size = sizeof(acg2vec_embed_options);
        options->normalize = acg2vec::EmbedOptions{}.normalize ? 1 : 0;
    });
}

extern "C" acg2vec_status acg2vec_duplicate_options_init(acg2vec_duplicate_options* options) {
    return guard(__func__, [&] {
        require(options, "options");
        const acg2vec::DuplicateOptions duplicates;
        *options = acg2vec_duplicate_options{};
        options->struct_size = sizeof(acg2vec_duplicate_options);
        options->min_score = duplicates.min_score;
        options->neighbours = duplicates.neighbours;
    });
}

extern "C" acg2vec_status acg2vec_tag_options_init(acg2vec_tag_options* options) {
    return guard(__func__, [&] {
        require(options, "options");
        const acg2vec::TagOptions tags;
        *options = acg2vec_tag_options{};
        options->struct_size = sizeof(acg2vec_tag_options);
        options->general_threshold = tags.general_threshold;
        options->character_threshold = tags.character_threshold;
        options->general_mcut = tags.general_mcut ? 1 : 0;
        options->character_mcut = tags.character_mcut ? 1 : 0;
        options->character_mcut_floor = tags.character_mcut_floor;
        options->max_general = tags.max_general;
        options->max_characters = tags.max_characters;
        options->drop_overlap = tags.drop_overlap ? 1 : 0;
        options->underscores_to_spaces = tags.underscores_to_spaces ? 1 : 0;
        options->escape_parentheses = tags.escape_parentheses ? 1 : 0;
    });
}

extern "C" acg2vec_status acg2vec_index_options_init(acg2vec_index_options* options) {
    return guard(__func__, [&] {
        require(options, "options");
        const acg2vec::IndexOptions index;
        *options = acg2vec_index_options{};
        options->struct_size = sizeof(acg2vec_index_options);
        options->dimension = index.dimension;
        options->metric = c_metric(index.metric);
        options->M = index.M;
        options->ef_construction = index.ef_construction;
        options->ef_search = index.ef_search;
        options->initial_capacity = index.initial_capacity;
        options->seed = index.seed;
    });
}

extern "C" acg2vec_status acg2vec_search_filter_init(acg2vec_search_filter* filter) {
    return guard(__func__, [&] {
        require(filter, "filter");
        *filter = acg2vec_search_filter{};
        filter->struct_size = sizeof(acg2vec_search_filter);
    });
}

extern "C" acg2vec_status acg2vec_clip_tokenizer_options_init(acg2vec_clip_tokenizer_options* options) {
    return guard(__func__, [&] {
        require(options, "options");
        const acg2vec::ClipTokenizerOptions clip;
        *options = acg2vec_clip_tokenizer_options{};
        options->struct_size = sizeof(acg2vec_clip_tokenizer_options);
        options->context_length = clip.context_length;
        options->truncate = clip.truncate ? 1 : 0;
    });
}

extern "C" acg2vec_status acg2vec_wordpiece_options_init(acg2vec_wordpiece_options* options) {
    return guard(__func__, [&] {
        require(options, "options");
        const acg2vec::WordPieceOptions wordpiece;
        *options = acg2vec_wordpiece_options{};
        options->struct_size = sizeof(acg2vec_wordpiece_options);
        options->lowercase = wordpiece.lowercase ? 1 : 0;
        options->strip_accents = wordpiece.strip_accents ? 1 : 0;
        options->split_cjk = wordpiece.split_cjk ? 1 : 0;
        options->max_length = wordpiece.max_length;
        options->max_word_chars = wordpiece.max_word_chars;
    });
}

extern "C" int acg2vec_keep_freed_memory_for_reuse(size_t max_block_bytes) {
    return acg2vec::keep_freed_memory_for_reuse(max_block_bytes == 0 ? std::size_t(1) << 30 : max_block_bytes) ? 1 : 0;
}
