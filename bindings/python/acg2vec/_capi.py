"""The C ABI of capi/acg2vec.h as ctypes declarations.

The declarations below are C signatures written as in the header (types normalised to
"const char * const *"), so that tests/bindings/check_bindings.py can compare them with the
header and fail when either changes without the other. ctypes types are derived from them
here, once, when the library is loaded.
"""
import ctypes
import ctypes.util
import os

ABI_VERSION = 2
CONTENT_CATEGORY_PREFIX = "content:"

ENUMS = {
    "acg2vec_status": {
        "ACG2VEC_OK": 0,
        "ACG2VEC_INVALID_ARGUMENT": 1,
        "ACG2VEC_INVALID_IMAGE": 2,
        "ACG2VEC_UNSUPPORTED_FORMAT": 3,
        "ACG2VEC_IMAGE_TOO_LARGE": 4,
        "ACG2VEC_MODEL_LOAD": 5,
        "ACG2VEC_MODEL_METADATA": 6,
        "ACG2VEC_SHAPE_MISMATCH": 7,
        "ACG2VEC_IO": 8,
        "ACG2VEC_INDEX_FORMAT": 9,
        "ACG2VEC_NOT_FOUND": 10,
        "ACG2VEC_INFERENCE": 11,
        "ACG2VEC_DEVICE": 12,
        "ACG2VEC_INTERNAL": 13,
    },
    "acg2vec_precision": {
        "ACG2VEC_PRECISION_FP32": 0,
        "ACG2VEC_PRECISION_FP16": 1,
        "ACG2VEC_PRECISION_BF16": 2,
    },
    "acg2vec_optimization": {
        "ACG2VEC_OPTIMIZATION_NONE": 0,
        "ACG2VEC_OPTIMIZATION_FREEZE": 1,
        "ACG2VEC_OPTIMIZATION_FULL": 2,
    },
    "acg2vec_decode_schedule": {
        "ACG2VEC_DECODE_AUTOMATIC": 0,
        "ACG2VEC_DECODE_OVERLAP": 1,
        "ACG2VEC_DECODE_ALTERNATE": 2,
    },
    "acg2vec_image_source": {
        "ACG2VEC_IMAGE_FILE": 0,
        "ACG2VEC_IMAGE_MEMORY": 1,
        "ACG2VEC_IMAGE_BASE64": 2,
        "ACG2VEC_IMAGE_DECODED": 3,
    },
    "acg2vec_tag_category": {
        "ACG2VEC_TAG_RATING": 0,
        "ACG2VEC_TAG_CHARACTER": 1,
        "ACG2VEC_TAG_GENERAL": 2,
    },
    "acg2vec_metric": {
        "ACG2VEC_METRIC_COSINE": 0,
        "ACG2VEC_METRIC_INNER_PRODUCT": 1,
        "ACG2VEC_METRIC_L2": 2,
    },
    "acg2vec_sync_action": {
        "ACG2VEC_SYNC_ADDED": 0,
        "ACG2VEC_SYNC_UPDATED": 1,
        "ACG2VEC_SYNC_RENAMED": 2,
        "ACG2VEC_SYNC_REMOVED": 3,
        "ACG2VEC_SYNC_UNCHANGED": 4,
        "ACG2VEC_SYNC_FAILED": 5,
    },
}

STRUCTS = {
    "acg2vec_decode_options": [
        ("struct_size", "size_t"),
        ("max_pixels", "uint64_t"),
        ("apply_exif_orientation", "int"),
        ("jpeg_min_side", "int"),
    ],
    "acg2vec_model_options": [
        ("struct_size", "size_t"),
        ("device", "const char *"),
        ("threads", "int"),
        ("batch_size", "int"),
        ("decode_threads", "int"),
        ("decode_schedule", "acg2vec_decode_schedule"),
        ("precision", "acg2vec_precision"),
        ("optimization", "acg2vec_optimization"),
        ("metadata_json", "const char *"),
        ("preprocess_json", "const char *"),
    ],
    "acg2vec_score_options": [
        ("struct_size", "size_t"),
        ("top_k", "size_t"),
    ],
    "acg2vec_embed_options": [
        ("struct_size", "size_t"),
        ("normalize", "int"),
    ],
    "acg2vec_tag_options": [
        ("struct_size", "size_t"),
        ("general_threshold", "float"),
        ("character_threshold", "float"),
        ("general_mcut", "int"),
        ("character_mcut", "int"),
        ("character_mcut_floor", "float"),
        ("max_general", "size_t"),
        ("max_characters", "size_t"),
        ("include", "const char * const *"),
        ("include_count", "size_t"),
        ("exclude", "const char * const *"),
        ("exclude_count", "size_t"),
        ("drop_overlap", "int"),
        ("underscores_to_spaces", "int"),
        ("escape_parentheses", "int"),
    ],
    "acg2vec_image_input": [
        ("source", "acg2vec_image_source"),
        ("text", "const char *"),
        ("data", "const void *"),
        ("size", "size_t"),
        ("image", "const acg2vec_image *"),
        ("name", "const char *"),
    ],
    "acg2vec_similarity": [
        ("cosine", "double"),
        ("l2_distance", "double"),
        ("score", "double"),
    ],
    "acg2vec_clip_tokenizer_options": [
        ("struct_size", "size_t"),
        ("context_length", "int"),
        ("truncate", "int"),
    ],
    "acg2vec_wordpiece_options": [
        ("struct_size", "size_t"),
        ("lowercase", "int"),
        ("strip_accents", "int"),
        ("split_cjk", "int"),
        ("max_length", "int"),
        ("max_word_chars", "int"),
    ],
    "acg2vec_index_options": [
        ("struct_size", "size_t"),
        ("dimension", "size_t"),
        ("metric", "acg2vec_metric"),
        ("M", "size_t"),
        ("ef_construction", "size_t"),
        ("ef_search", "size_t"),
        ("initial_capacity", "size_t"),
        ("seed", "uint64_t"),
        ("model_name", "const char *"),
        ("model_fingerprint", "const char *"),
    ],
    "acg2vec_search_filter": [
        ("struct_size", "size_t"),
        ("any_category", "const char * const *"),
        ("category_count", "size_t"),
        ("accept", "acg2vec_key_filter"),
        ("user_data", "void *"),
    ],
    "acg2vec_sync_event": [
        ("action", "acg2vec_sync_action"),
        ("key", "const char *"),
        ("previous_key", "const char *"),
        ("reused", "int"),
        ("status", "acg2vec_status"),
        ("message", "const char *"),
    ],
    "acg2vec_sync_options": [
        ("struct_size", "size_t"),
        ("root", "const char *"),
        ("remove_missing", "int"),
        ("save_path", "const char *"),
        ("save_every", "size_t"),
        ("images_per_call", "size_t"),
        ("on_event", "acg2vec_sync_event_callback"),
        ("on_progress", "acg2vec_sync_progress_callback"),
        ("user_data", "void *"),
    ],
    "acg2vec_sync_report": [
        ("added", "size_t"),
        ("updated", "size_t"),
        ("renamed", "size_t"),
        ("removed", "size_t"),
        ("unchanged", "size_t"),
        ("failed", "size_t"),
        ("model_runs", "size_t"),
    ],
    "acg2vec_duplicate_options": [
        ("struct_size", "size_t"),
        ("min_score", "float"),
        ("neighbours", "size_t"),
    ],
}

CALLBACKS = {
    "acg2vec_key_filter": ("int", ["const char *", "void *"]),
    "acg2vec_sync_event_callback": ("void", ["const acg2vec_sync_event *", "void *"]),
    "acg2vec_sync_progress_callback": ("void", ["size_t", "size_t", "void *"]),
}

FUNCTIONS = {
    "acg2vec_version": ("const char *", []),
    "acg2vec_abi_version": ("int", []),
    "acg2vec_status_name": ("const char *", ["int"]),
    "acg2vec_last_error": ("const char *", []),
    "acg2vec_string_free": ("void", ["char *"]),
    "acg2vec_decode_options_init": ("acg2vec_status", ["acg2vec_decode_options *"]),
    "acg2vec_model_options_init": ("acg2vec_status", ["acg2vec_model_options *"]),
    "acg2vec_tag_options_init": ("acg2vec_status", ["acg2vec_tag_options *"]),
    "acg2vec_score_options_init": ("acg2vec_status", ["acg2vec_score_options *"]),
    "acg2vec_embed_options_init": ("acg2vec_status", ["acg2vec_embed_options *"]),
    "acg2vec_keep_freed_memory_for_reuse": ("int", ["size_t"]),
    "acg2vec_image_decode_file": ("acg2vec_status", [
        "const char *",
        "const acg2vec_decode_options *",
        "acg2vec_image * *",
    ]),
    "acg2vec_image_decode_memory": ("acg2vec_status", [
        "const void *",
        "size_t",
        "const acg2vec_decode_options *",
        "acg2vec_image * *",
    ]),
    "acg2vec_image_decode_base64": ("acg2vec_status", [
        "const char *",
        "const acg2vec_decode_options *",
        "acg2vec_image * *",
    ]),
    "acg2vec_image_from_pixels": ("acg2vec_status", [
        "int",
        "int",
        "int",
        "const uint8_t *",
        "acg2vec_image * *",
    ]),
    "acg2vec_image_dimensions": ("acg2vec_status", ["const acg2vec_image *", "int *", "int *", "int *"]),
    "acg2vec_image_pixels": ("acg2vec_status", ["const acg2vec_image *", "const uint8_t * *", "size_t *"]),
    "acg2vec_image_format": ("acg2vec_status", ["const acg2vec_image *", "const char * *"]),
    "acg2vec_image_free": ("void", ["acg2vec_image *"]),
    "acg2vec_model_open": ("acg2vec_status", [
        "const char *",
        "const acg2vec_model_options *",
        "acg2vec_model * *",
    ]),
    "acg2vec_model_free": ("void", ["acg2vec_model *"]),
    "acg2vec_model_path": ("acg2vec_status", ["const acg2vec_model *", "const char * *"]),
    "acg2vec_model_metadata": ("acg2vec_status", ["const acg2vec_model *", "const char * *"]),
    "acg2vec_model_device": ("acg2vec_status", ["const acg2vec_model *", "const char * *"]),
    "acg2vec_model_fingerprint": ("acg2vec_status", ["const acg2vec_model *", "const char * *"]),
    "acg2vec_tagger_create": ("acg2vec_status", [
        "const acg2vec_model *",
        "const acg2vec_tag_options *",
        "const acg2vec_decode_options *",
        "acg2vec_tagger * *",
    ]),
    "acg2vec_tagger_free": ("void", ["acg2vec_tagger *"]),
    "acg2vec_tagger_model": ("acg2vec_status", ["const acg2vec_tagger *", "acg2vec_model * *"]),
    "acg2vec_tagger_tag": ("acg2vec_status", [
        "const acg2vec_tagger *",
        "const acg2vec_image_input *",
        "acg2vec_tag_result * *",
    ]),
    "acg2vec_tagger_tag_batch": ("acg2vec_status", [
        "const acg2vec_tagger *",
        "const acg2vec_image_input *",
        "size_t",
        "acg2vec_tag_batch * *",
    ]),
    "acg2vec_tagger_probabilities": ("acg2vec_status", [
        "const acg2vec_tagger *",
        "const acg2vec_image_input *",
        "acg2vec_vector * *",
    ]),
    "acg2vec_tagger_select": ("acg2vec_status", [
        "const acg2vec_tagger *",
        "const float *",
        "size_t",
        "const acg2vec_tag_options *",
        "acg2vec_tag_result * *",
    ]),
    "acg2vec_tagger_label_count": ("acg2vec_status", ["const acg2vec_tagger *", "size_t *"]),
    "acg2vec_tagger_label": ("acg2vec_status", [
        "const acg2vec_tagger *",
        "size_t",
        "const char * *",
        "int *",
    ]),
    "acg2vec_tag_result_count": ("acg2vec_status", [
        "const acg2vec_tag_result *",
        "acg2vec_tag_category",
        "size_t *",
    ]),
    "acg2vec_tag_result_get": ("acg2vec_status", [
        "const acg2vec_tag_result *",
        "acg2vec_tag_category",
        "size_t",
        "const char * *",
        "float *",
    ]),
    "acg2vec_tag_result_label_index": ("acg2vec_status", [
        "const acg2vec_tag_result *",
        "acg2vec_tag_category",
        "size_t",
        "size_t *",
    ]),
    "acg2vec_tag_result_rating": ("acg2vec_status", ["const acg2vec_tag_result *", "const char * *"]),
    "acg2vec_tag_result_caption": ("acg2vec_status", [
        "const acg2vec_tag_result *",
        "const char *",
        "char * *",
    ]),
    "acg2vec_tag_result_to_json": ("acg2vec_status", ["const acg2vec_tag_result *", "char * *"]),
    "acg2vec_tag_result_free": ("void", ["acg2vec_tag_result *"]),
    "acg2vec_tag_batch_count": ("acg2vec_status", ["const acg2vec_tag_batch *", "size_t *"]),
    "acg2vec_tag_batch_item": ("acg2vec_status", [
        "const acg2vec_tag_batch *",
        "size_t",
        "acg2vec_status *",
        "const char * *",
        "const char * *",
    ]),
    "acg2vec_tag_batch_result": ("acg2vec_status", [
        "const acg2vec_tag_batch *",
        "size_t",
        "const acg2vec_tag_result * *",
    ]),
    "acg2vec_tag_batch_to_json": ("acg2vec_status", ["const acg2vec_tag_batch *", "char * *"]),
    "acg2vec_tag_batch_free": ("void", ["acg2vec_tag_batch *"]),
    "acg2vec_scorer_create": ("acg2vec_status", [
        "const acg2vec_model *",
        "const acg2vec_score_options *",
        "const acg2vec_decode_options *",
        "acg2vec_scorer * *",
    ]),
    "acg2vec_scorer_free": ("void", ["acg2vec_scorer *"]),
    "acg2vec_scorer_model": ("acg2vec_status", ["const acg2vec_scorer *", "acg2vec_model * *"]),
    "acg2vec_scorer_score": ("acg2vec_status", [
        "const acg2vec_scorer *",
        "const acg2vec_image_input *",
        "acg2vec_score_result * *",
    ]),
    "acg2vec_scorer_score_batch": ("acg2vec_status", [
        "const acg2vec_scorer *",
        "const acg2vec_image_input *",
        "size_t",
        "acg2vec_score_batch * *",
    ]),
    "acg2vec_scorer_head_names": ("acg2vec_status", ["const acg2vec_scorer *", "acg2vec_strings * *"]),
    "acg2vec_score_result_head_count": ("acg2vec_status", ["const acg2vec_score_result *", "size_t *"]),
    "acg2vec_score_result_find_head": ("acg2vec_status", [
        "const acg2vec_score_result *",
        "const char *",
        "size_t *",
    ]),
    "acg2vec_score_result_head_name": ("acg2vec_status", [
        "const acg2vec_score_result *",
        "size_t",
        "const char * *",
    ]),
    "acg2vec_score_result_label_count": ("acg2vec_status", [
        "const acg2vec_score_result *",
        "size_t",
        "size_t *",
    ]),
    "acg2vec_score_result_label": ("acg2vec_status", [
        "const acg2vec_score_result *",
        "size_t",
        "size_t",
        "const char * *",
        "float *",
    ]),
    "acg2vec_score_result_best": ("acg2vec_status", [
        "const acg2vec_score_result *",
        "size_t",
        "size_t *",
        "const char * *",
        "float *",
    ]),
    "acg2vec_score_result_top_count": ("acg2vec_status", [
        "const acg2vec_score_result *",
        "size_t",
        "size_t *",
    ]),
    "acg2vec_score_result_top": ("acg2vec_status", [
        "const acg2vec_score_result *",
        "size_t",
        "size_t",
        "size_t *",
        "const char * *",
        "float *",
    ]),
    "acg2vec_score_result_expected_value": ("acg2vec_status", [
        "const acg2vec_score_result *",
        "size_t",
        "int *",
        "double *",
    ]),
    "acg2vec_score_result_to_json": ("acg2vec_status", ["const acg2vec_score_result *", "char * *"]),
    "acg2vec_score_result_free": ("void", ["acg2vec_score_result *"]),
    "acg2vec_score_batch_count": ("acg2vec_status", ["const acg2vec_score_batch *", "size_t *"]),
    "acg2vec_score_batch_item": ("acg2vec_status", [
        "const acg2vec_score_batch *",
        "size_t",
        "acg2vec_status *",
        "const char * *",
        "const char * *",
    ]),
    "acg2vec_score_batch_result": ("acg2vec_status", [
        "const acg2vec_score_batch *",
        "size_t",
        "const acg2vec_score_result * *",
    ]),
    "acg2vec_score_batch_to_json": ("acg2vec_status", ["const acg2vec_score_batch *", "char * *"]),
    "acg2vec_score_batch_free": ("void", ["acg2vec_score_batch *"]),
    "acg2vec_embedder_create": ("acg2vec_status", [
        "const acg2vec_model *",
        "const acg2vec_embed_options *",
        "const acg2vec_decode_options *",
        "acg2vec_embedder * *",
    ]),
    "acg2vec_embedder_free": ("void", ["acg2vec_embedder *"]),
    "acg2vec_embedder_model": ("acg2vec_status", ["const acg2vec_embedder *", "acg2vec_model * *"]),
    "acg2vec_embedder_has_image": ("acg2vec_status", ["const acg2vec_embedder *", "int *"]),
    "acg2vec_embedder_has_text": ("acg2vec_status", ["const acg2vec_embedder *", "int *"]),
    "acg2vec_embedder_dimensions": ("acg2vec_status", ["const acg2vec_embedder *", "size_t *"]),
    "acg2vec_embedder_logit_scale": ("acg2vec_status", ["const acg2vec_embedder *", "double *"]),
    "acg2vec_embedder_embed": ("acg2vec_status", [
        "const acg2vec_embedder *",
        "const acg2vec_image_input *",
        "acg2vec_vector * *",
    ]),
    "acg2vec_embedder_embed_batch": ("acg2vec_status", [
        "const acg2vec_embedder *",
        "const acg2vec_image_input *",
        "size_t",
        "acg2vec_vector_batch * *",
    ]),
    "acg2vec_embedder_embed_text": ("acg2vec_status", [
        "const acg2vec_embedder *",
        "const char *",
        "acg2vec_vector * *",
    ]),
    "acg2vec_embedder_embed_texts": ("acg2vec_status", [
        "const acg2vec_embedder *",
        "const char * const *",
        "size_t",
        "acg2vec_vector_batch * *",
    ]),
    "acg2vec_embedder_similarity": ("acg2vec_status", [
        "const acg2vec_embedder *",
        "const acg2vec_image_input *",
        "const acg2vec_image_input *",
        "acg2vec_similarity *",
    ]),
    "acg2vec_compare_vectors": ("acg2vec_status", [
        "const float *",
        "size_t",
        "const float *",
        "size_t",
        "acg2vec_similarity *",
    ]),
    "acg2vec_embedder_zero_shot": ("acg2vec_status", [
        "const acg2vec_embedder *",
        "const acg2vec_image_input *",
        "const char * const *",
        "size_t",
        "const char *",
        "acg2vec_zero_shot_result * *",
    ]),
    "acg2vec_embedder_zero_shot_vector": ("acg2vec_status", [
        "const acg2vec_embedder *",
        "const float *",
        "size_t",
        "const char * const *",
        "size_t",
        "const char *",
        "acg2vec_zero_shot_result * *",
    ]),
    "acg2vec_embedder_clip_tokenizer": ("acg2vec_status", [
        "const acg2vec_embedder *",
        "acg2vec_clip_tokenizer * *",
    ]),
    "acg2vec_embedder_wordpiece_tokenizer": ("acg2vec_status", [
        "const acg2vec_embedder *",
        "acg2vec_wordpiece_tokenizer * *",
    ]),
    "acg2vec_vector_data": ("acg2vec_status", ["const acg2vec_vector *", "const float * *", "size_t *"]),
    "acg2vec_vector_free": ("void", ["acg2vec_vector *"]),
    "acg2vec_vector_batch_count": ("acg2vec_status", ["const acg2vec_vector_batch *", "size_t *"]),
    "acg2vec_vector_batch_item": ("acg2vec_status", [
        "const acg2vec_vector_batch *",
        "size_t",
        "acg2vec_status *",
        "const char * *",
        "const char * *",
    ]),
    "acg2vec_vector_batch_result": ("acg2vec_status", [
        "const acg2vec_vector_batch *",
        "size_t",
        "const acg2vec_vector * *",
    ]),
    "acg2vec_vector_batch_free": ("void", ["acg2vec_vector_batch *"]),
    "acg2vec_zero_shot_result_count": ("acg2vec_status", ["const acg2vec_zero_shot_result *", "size_t *"]),
    "acg2vec_zero_shot_result_get": ("acg2vec_status", [
        "const acg2vec_zero_shot_result *",
        "size_t",
        "const char * *",
        "double *",
        "double *",
    ]),
    "acg2vec_zero_shot_result_free": ("void", ["acg2vec_zero_shot_result *"]),
    "acg2vec_analyzer_create": ("acg2vec_status", [
        "const acg2vec_model *",
        "const acg2vec_tag_options *",
        "const acg2vec_score_options *",
        "const acg2vec_embed_options *",
        "const acg2vec_decode_options *",
        "acg2vec_analyzer * *",
    ]),
    "acg2vec_analyzer_free": ("void", ["acg2vec_analyzer *"]),
    "acg2vec_analyzer_tagger": ("acg2vec_status", ["const acg2vec_analyzer *", "acg2vec_tagger * *"]),
    "acg2vec_analyzer_scorer": ("acg2vec_status", ["const acg2vec_analyzer *", "acg2vec_scorer * *"]),
    "acg2vec_analyzer_embedder": ("acg2vec_status", ["const acg2vec_analyzer *", "acg2vec_embedder * *"]),
    "acg2vec_analyzer_analyze": ("acg2vec_status", [
        "const acg2vec_analyzer *",
        "const acg2vec_image_input *",
        "acg2vec_analysis * *",
    ]),
    "acg2vec_analyzer_analyze_batch": ("acg2vec_status", [
        "const acg2vec_analyzer *",
        "const acg2vec_image_input *",
        "size_t",
        "acg2vec_analysis_batch * *",
    ]),
    "acg2vec_analysis_tags": ("acg2vec_status", ["const acg2vec_analysis *", "const acg2vec_tag_result * *"]),
    "acg2vec_analysis_scores": ("acg2vec_status", [
        "const acg2vec_analysis *",
        "const acg2vec_score_result * *",
    ]),
    "acg2vec_analysis_vector": ("acg2vec_status", ["const acg2vec_analysis *", "const acg2vec_vector * *"]),
    "acg2vec_analysis_free": ("void", ["acg2vec_analysis *"]),
    "acg2vec_analysis_batch_count": ("acg2vec_status", ["const acg2vec_analysis_batch *", "size_t *"]),
    "acg2vec_analysis_batch_item": ("acg2vec_status", [
        "const acg2vec_analysis_batch *",
        "size_t",
        "acg2vec_status *",
        "const char * *",
        "const char * *",
    ]),
    "acg2vec_analysis_batch_result": ("acg2vec_status", [
        "const acg2vec_analysis_batch *",
        "size_t",
        "const acg2vec_analysis * *",
    ]),
    "acg2vec_analysis_batch_free": ("void", ["acg2vec_analysis_batch *"]),
    "acg2vec_clip_tokenizer_options_init": ("acg2vec_status", ["acg2vec_clip_tokenizer_options *"]),
    "acg2vec_wordpiece_options_init": ("acg2vec_status", ["acg2vec_wordpiece_options *"]),
    "acg2vec_clip_tokenizer_open": ("acg2vec_status", [
        "const char *",
        "const acg2vec_clip_tokenizer_options *",
        "acg2vec_clip_tokenizer * *",
    ]),
    "acg2vec_clip_tokenizer_free": ("void", ["acg2vec_clip_tokenizer *"]),
    "acg2vec_clip_tokenizer_clean": ("acg2vec_status", [
        "const acg2vec_clip_tokenizer *",
        "const char *",
        "char * *",
    ]),
    "acg2vec_clip_tokenizer_pieces": ("acg2vec_status", [
        "const acg2vec_clip_tokenizer *",
        "const char *",
        "acg2vec_strings * *",
    ]),
    "acg2vec_clip_tokenizer_encode": ("acg2vec_status", [
        "const acg2vec_clip_tokenizer *",
        "const char *",
        "acg2vec_ids * *",
    ]),
    "acg2vec_clip_tokenizer_tokenize": ("acg2vec_status", [
        "const acg2vec_clip_tokenizer *",
        "const char *",
        "acg2vec_ids * *",
    ]),
    "acg2vec_clip_tokenizer_decode": ("acg2vec_status", [
        "const acg2vec_clip_tokenizer *",
        "const int64_t *",
        "size_t",
        "char * *",
    ]),
    "acg2vec_clip_tokenizer_special_tokens": ("acg2vec_status", [
        "const acg2vec_clip_tokenizer *",
        "int64_t *",
        "int64_t *",
    ]),
    "acg2vec_clip_tokenizer_vocab_size": ("acg2vec_status", ["const acg2vec_clip_tokenizer *", "size_t *"]),
    "acg2vec_wordpiece_tokenizer_open": ("acg2vec_status", [
        "const char *",
        "const acg2vec_wordpiece_options *",
        "acg2vec_wordpiece_tokenizer * *",
    ]),
    "acg2vec_wordpiece_tokenizer_free": ("void", ["acg2vec_wordpiece_tokenizer *"]),
    "acg2vec_wordpiece_tokenizer_tokenize": ("acg2vec_status", [
        "const acg2vec_wordpiece_tokenizer *",
        "const char *",
        "acg2vec_strings * *",
    ]),
    "acg2vec_wordpiece_tokenizer_encode": ("acg2vec_status", [
        "const acg2vec_wordpiece_tokenizer *",
        "const char *",
        "acg2vec_ids * *",
    ]),
    "acg2vec_wordpiece_tokenizer_encode_padded": ("acg2vec_status", [
        "const acg2vec_wordpiece_tokenizer *",
        "const char *",
        "size_t",
        "acg2vec_ids * *",
        "acg2vec_ids * *",
    ]),
    "acg2vec_wordpiece_tokenizer_token_id": ("acg2vec_status", [
        "const acg2vec_wordpiece_tokenizer *",
        "const char *",
        "int64_t *",
    ]),
    "acg2vec_wordpiece_tokenizer_token": ("acg2vec_status", [
        "const acg2vec_wordpiece_tokenizer *",
        "int64_t",
        "const char * *",
    ]),
    "acg2vec_wordpiece_tokenizer_vocab_size": ("acg2vec_status", [
        "const acg2vec_wordpiece_tokenizer *",
        "size_t *",
    ]),
    "acg2vec_ids_data": ("acg2vec_status", ["const acg2vec_ids *", "const int64_t * *", "size_t *"]),
    "acg2vec_ids_free": ("void", ["acg2vec_ids *"]),
    "acg2vec_strings_count": ("acg2vec_status", ["const acg2vec_strings *", "size_t *"]),
    "acg2vec_strings_get": ("acg2vec_status", ["const acg2vec_strings *", "size_t", "const char * *"]),
    "acg2vec_strings_free": ("void", ["acg2vec_strings *"]),
    "acg2vec_metric_name": ("const char *", ["int"]),
    "acg2vec_index_options_init": ("acg2vec_status", ["acg2vec_index_options *"]),
    "acg2vec_search_filter_init": ("acg2vec_status", ["acg2vec_search_filter *"]),
    "acg2vec_embedder_index_options": ("acg2vec_status", [
        "const acg2vec_embedder *",
        "acg2vec_index_options *",
    ]),
    "acg2vec_index_create": ("acg2vec_status", ["const acg2vec_index_options *", "acg2vec_index * *"]),
    "acg2vec_index_load": ("acg2vec_status", [
        "const char *",
        "const acg2vec_index_options *",
        "acg2vec_index * *",
    ]),
    "acg2vec_index_save": ("acg2vec_status", ["const acg2vec_index *", "const char *"]),
    "acg2vec_index_free": ("void", ["acg2vec_index *"]),
    "acg2vec_index_add": ("acg2vec_status", [
        "acg2vec_index *",
        "const char *",
        "const float *",
        "size_t",
        "const char * const *",
        "size_t",
    ]),
    "acg2vec_index_add_batch": ("acg2vec_status", [
        "acg2vec_index *",
        "const char * const *",
        "size_t",
        "const float *",
        "size_t",
        "const char * const * const *",
        "const size_t *",
    ]),
    "acg2vec_index_update": ("acg2vec_status", [
        "acg2vec_index *",
        "const char *",
        "const float *",
        "size_t",
        "const char * const *",
        "size_t",
    ]),
    "acg2vec_index_remove": ("acg2vec_status", ["acg2vec_index *", "const char *", "int *"]),
    "acg2vec_index_contains": ("acg2vec_status", ["const acg2vec_index *", "const char *", "int *"]),
    "acg2vec_index_size": ("acg2vec_status", ["const acg2vec_index *", "size_t *"]),
    "acg2vec_index_get": ("acg2vec_status", ["const acg2vec_index *", "const char *", "acg2vec_vector * *"]),
    "acg2vec_index_categories": ("acg2vec_status", [
        "const acg2vec_index *",
        "const char *",
        "acg2vec_strings * *",
    ]),
    "acg2vec_index_keys": ("acg2vec_status", ["const acg2vec_index *", "acg2vec_strings * *"]),
    "acg2vec_index_get_info": ("acg2vec_status", ["const acg2vec_index *", "acg2vec_index_info * *"]),
    "acg2vec_index_export_vectors": ("acg2vec_status", ["const acg2vec_index *", "const char *"]),
    "acg2vec_index_search": ("acg2vec_status", [
        "const acg2vec_index *",
        "const float *",
        "size_t",
        "size_t",
        "size_t",
        "const acg2vec_search_filter *",
        "acg2vec_search_result * *",
    ]),
    "acg2vec_index_search_batch": ("acg2vec_status", [
        "const acg2vec_index *",
        "const float *",
        "size_t",
        "size_t",
        "size_t",
        "size_t",
        "const acg2vec_search_filter *",
        "acg2vec_search_batch * *",
    ]),
    "acg2vec_index_exact_search": ("acg2vec_status", [
        "const acg2vec_index *",
        "const float *",
        "size_t",
        "size_t",
        "const acg2vec_search_filter *",
        "acg2vec_search_result * *",
    ]),
    "acg2vec_index_info_get": ("acg2vec_status", [
        "const acg2vec_index_info *",
        "size_t *",
        "acg2vec_metric *",
        "size_t *",
        "size_t *",
        "size_t *",
    ]),
    "acg2vec_index_info_model": ("acg2vec_status", [
        "const acg2vec_index_info *",
        "const char * *",
        "const char * *",
    ]),
    "acg2vec_index_info_free": ("void", ["acg2vec_index_info *"]),
    "acg2vec_search_result_count": ("acg2vec_status", ["const acg2vec_search_result *", "size_t *"]),
    "acg2vec_search_result_get": ("acg2vec_status", [
        "const acg2vec_search_result *",
        "size_t",
        "const char * *",
        "float *",
        "float *",
    ]),
    "acg2vec_search_result_free": ("void", ["acg2vec_search_result *"]),
    "acg2vec_search_batch_count": ("acg2vec_status", ["const acg2vec_search_batch *", "size_t *"]),
    "acg2vec_search_batch_get": ("acg2vec_status", [
        "const acg2vec_search_batch *",
        "size_t",
        "const acg2vec_search_result * *",
    ]),
    "acg2vec_search_batch_free": ("void", ["acg2vec_search_batch *"]),
    "acg2vec_sync_action_name": ("const char *", ["int"]),
    "acg2vec_sync_options_init": ("acg2vec_status", ["acg2vec_sync_options *"]),
    "acg2vec_sync_folder": ("acg2vec_status", [
        "acg2vec_index *",
        "const acg2vec_analyzer *",
        "const char * const *",
        "size_t",
        "const acg2vec_sync_options *",
        "acg2vec_sync_report *",
    ]),
    "acg2vec_list_image_files": ("acg2vec_status", ["const char * const *", "size_t", "acg2vec_strings * *"]),
    "acg2vec_index_key": ("acg2vec_status", ["const char *", "const char *", "char * *"]),
    "acg2vec_duplicate_options_init": ("acg2vec_status", ["acg2vec_duplicate_options *"]),
    "acg2vec_find_duplicates": ("acg2vec_status", [
        "const acg2vec_index *",
        "const acg2vec_duplicate_options *",
        "acg2vec_duplicates * *",
    ]),
    "acg2vec_duplicates_count": ("acg2vec_status", ["const acg2vec_duplicates *", "size_t *"]),
    "acg2vec_duplicates_group": ("acg2vec_status", [
        "const acg2vec_duplicates *",
        "size_t",
        "int *",
        "size_t *",
    ]),
    "acg2vec_duplicates_member": ("acg2vec_status", [
        "const acg2vec_duplicates *",
        "size_t",
        "size_t",
        "const char * *",
        "const char * *",
        "int *",
        "const char * *",
        "float *",
    ]),
    "acg2vec_duplicates_free": ("void", ["acg2vec_duplicates *"]),
}

_BASE_TYPES = {
    "int": ctypes.c_int,
    "size_t": ctypes.c_size_t,
    "float": ctypes.c_float,
    "double": ctypes.c_double,
    "uint64_t": ctypes.c_uint64,
    "int64_t": ctypes.c_int64,
    "uint8_t": ctypes.c_uint8,
}

_structs = {}    # name -> ctypes.Structure subclass
_callbacks = {}  # name -> CFUNCTYPE


def ctype(c_type):
    """The ctypes type of a normalised C type. Strings the caller reads are c_char_p; strings
    the caller must free (char *, char * *) stay c_void_p so the pointer survives to be freed;
    opaque handles are c_void_p."""
    tokens = c_type.split()
    stars = tokens.count("*")
    const_char = tokens[:2] == ["const", "char"]
    base = next(t for t in tokens if t not in ("const", "*"))
    if base == "void":
        if stars == 0:
            return None
        base_type, stars = ctypes.c_void_p, stars - 1
    elif base == "char":
        base_type = ctypes.c_char_p if const_char else ctypes.c_void_p
        stars -= 1
    elif base in _BASE_TYPES:
        base_type = _BASE_TYPES[base]
    elif base in ENUMS:
        base_type = ctypes.c_int
    elif base in STRUCTS:
        base_type = struct(base)
    elif base in CALLBACKS:
        base_type = callback(base)
    elif base in OPAQUE:
        base_type, stars = ctypes.c_void_p, stars - 1
    else:
        raise TypeError(f"no ctypes type for C type {c_type!r}")
    for _ in range(stars):
        base_type = ctypes.POINTER(base_type)
    return base_type


# Handles and results the header declares without a layout.
OPAQUE = {
    "acg2vec_image", "acg2vec_model", "acg2vec_tagger", "acg2vec_scorer", "acg2vec_embedder", "acg2vec_analyzer",
    "acg2vec_index", "acg2vec_clip_tokenizer", "acg2vec_wordpiece_tokenizer", "acg2vec_tag_result",
    "acg2vec_tag_batch", "acg2vec_score_result", "acg2vec_score_batch", "acg2vec_vector", "acg2vec_vector_batch",
    "acg2vec_zero_shot_result", "acg2vec_analysis", "acg2vec_analysis_batch", "acg2vec_duplicates",
    "acg2vec_search_result", "acg2vec_search_batch", "acg2vec_index_info", "acg2vec_strings", "acg2vec_ids",
}

def struct(name):
    """The ctypes.Structure of a header struct (made on first use, with the types it uses)."""
    if name not in _structs:
        fields = [(field, ctype(c_type)) for field, c_type in STRUCTS[name]]
        _structs[name] = type(name, (ctypes.Structure,), {"_fields_": fields})
    return _structs[name]


def callback(name):
    """The CFUNCTYPE of a header callback type."""
    if name not in _callbacks:
        returns, arguments = CALLBACKS[name]
        _callbacks[name] = ctypes.CFUNCTYPE(ctype(returns), *(ctype(a) for a in arguments))
    return _callbacks[name]


def _candidates():
    """Where the library is looked for, in order: $ACG2VEC_LIBRARY, beside this package, the
    system's library path."""
    explicit = os.environ.get("ACG2VEC_LIBRARY")
    if explicit:
        return [explicit]
    here = os.path.dirname(os.path.abspath(__file__))
    found = [os.path.join(here, name) for name in ("libacg2vec.so", "libacg2vec.dylib", "acg2vec.dll")]
    found = [path for path in found if os.path.exists(path)]
    system = ctypes.util.find_library("acg2vec")
    return found + ([system] if system else []) + ["libacg2vec.so.0", "libacg2vec.so"]


def load():
    """The library with every function declared; ImportError saying what was tried when it
    cannot be found or is of another ABI version."""
    tried = []
    for candidate in _candidates():
        try:
            library = ctypes.CDLL(candidate)
        except OSError as e:
            tried.append(f"{candidate} ({e})")
            continue
        break
    else:
        raise ImportError("acg2vec: cannot load the C library; tried " + "; ".join(tried) +
                          ". Set ACG2VEC_LIBRARY to the path of libacg2vec.so")
    library.acg2vec_abi_version.restype = ctypes.c_int
    library.acg2vec_abi_version.argtypes = []
    abi = library.acg2vec_abi_version()
    if abi != ABI_VERSION:
        raise ImportError(f"acg2vec: {library._name} has ABI version {abi}, this package needs {ABI_VERSION}")
    for name, (returns, arguments) in FUNCTIONS.items():
        function = getattr(library, name)
        function.restype = ctype(returns)
        function.argtypes = [ctype(a) for a in arguments]
    return library
