//! Raw declarations of acg2vec's C ABI, as `capi/acg2vec.h` declares it: opaque handle types,
//! enums (as `c_int` type aliases with their constants), callback types, `#[repr(C)]` structs
//! field for field, and every function. Everything here is unsafe to call; the `acg2vec` crate
//! is the safe API over it. ctest `bindings_match_header` compares this file with the header.
#![allow(non_camel_case_types, non_upper_case_globals, non_snake_case)]

use std::os::raw::{c_char, c_int, c_void};

/// ACG2VEC_ABI_VERSION of the header these declarations follow.
pub const ACG2VEC_ABI_VERSION: c_int = 2;
/// The category folder sync gives every image: this prefix and the fingerprint of its bytes.
pub const ACG2VEC_CONTENT_CATEGORY_PREFIX: &str = "content:";

// Opaque handles and results.
#[repr(C)]
pub struct acg2vec_image {
    _private: [u8; 0],
}
#[repr(C)]
pub struct acg2vec_model {
    _private: [u8; 0],
}
#[repr(C)]
pub struct acg2vec_tagger {
    _private: [u8; 0],
}
#[repr(C)]
pub struct acg2vec_scorer {
    _private: [u8; 0],
}
#[repr(C)]
pub struct acg2vec_embedder {
    _private: [u8; 0],
}
#[repr(C)]
pub struct acg2vec_analyzer {
    _private: [u8; 0],
}
#[repr(C)]
pub struct acg2vec_index {
    _private: [u8; 0],
}
#[repr(C)]
pub struct acg2vec_clip_tokenizer {
    _private: [u8; 0],
}
#[repr(C)]
pub struct acg2vec_wordpiece_tokenizer {
    _private: [u8; 0],
}
#[repr(C)]
pub struct acg2vec_tag_result {
    _private: [u8; 0],
}
#[repr(C)]
pub struct acg2vec_tag_batch {
    _private: [u8; 0],
}
#[repr(C)]
pub struct acg2vec_score_result {
    _private: [u8; 0],
}
#[repr(C)]
pub struct acg2vec_score_batch {
    _private: [u8; 0],
}
#[repr(C)]
pub struct acg2vec_vector {
    _private: [u8; 0],
}
#[repr(C)]
pub struct acg2vec_vector_batch {
    _private: [u8; 0],
}
#[repr(C)]
pub struct acg2vec_zero_shot_result {
    _private: [u8; 0],
}
#[repr(C)]
pub struct acg2vec_analysis {
    _private: [u8; 0],
}
#[repr(C)]
pub struct acg2vec_analysis_batch {
    _private: [u8; 0],
}
#[repr(C)]
pub struct acg2vec_duplicates {
    _private: [u8; 0],
}
#[repr(C)]
pub struct acg2vec_search_result {
    _private: [u8; 0],
}
#[repr(C)]
pub struct acg2vec_search_batch {
    _private: [u8; 0],
}
#[repr(C)]
pub struct acg2vec_index_info {
    _private: [u8; 0],
}
#[repr(C)]
pub struct acg2vec_strings {
    _private: [u8; 0],
}
#[repr(C)]
pub struct acg2vec_ids {
    _private: [u8; 0],
}

pub type acg2vec_status = c_int;
pub const ACG2VEC_OK: acg2vec_status = 0;
pub const ACG2VEC_INVALID_ARGUMENT: acg2vec_status = 1;
pub const ACG2VEC_INVALID_IMAGE: acg2vec_status = 2;
pub const ACG2VEC_UNSUPPORTED_FORMAT: acg2vec_status = 3;
pub const ACG2VEC_IMAGE_TOO_LARGE: acg2vec_status = 4;
pub const ACG2VEC_MODEL_LOAD: acg2vec_status = 5;
pub const ACG2VEC_MODEL_METADATA: acg2vec_status = 6;
pub const ACG2VEC_SHAPE_MISMATCH: acg2vec_status = 7;
pub const ACG2VEC_IO: acg2vec_status = 8;
pub const ACG2VEC_INDEX_FORMAT: acg2vec_status = 9;
pub const ACG2VEC_NOT_FOUND: acg2vec_status = 10;
pub const ACG2VEC_INFERENCE: acg2vec_status = 11;
pub const ACG2VEC_DEVICE: acg2vec_status = 12;
pub const ACG2VEC_INTERNAL: acg2vec_status = 13;

pub type acg2vec_precision = c_int;
pub const ACG2VEC_PRECISION_FP32: acg2vec_precision = 0;
pub const ACG2VEC_PRECISION_FP16: acg2vec_precision = 1;
pub const ACG2VEC_PRECISION_BF16: acg2vec_precision = 2;

pub type acg2vec_optimization = c_int;
pub const ACG2VEC_OPTIMIZATION_NONE: acg2vec_optimization = 0;
pub const ACG2VEC_OPTIMIZATION_FREEZE: acg2vec_optimization = 1;
pub const ACG2VEC_OPTIMIZATION_FULL: acg2vec_optimization = 2;

pub type acg2vec_decode_schedule = c_int;
pub const ACG2VEC_DECODE_AUTOMATIC: acg2vec_decode_schedule = 0;
pub const ACG2VEC_DECODE_OVERLAP: acg2vec_decode_schedule = 1;
pub const ACG2VEC_DECODE_ALTERNATE: acg2vec_decode_schedule = 2;

pub type acg2vec_image_source = c_int;
pub const ACG2VEC_IMAGE_FILE: acg2vec_image_source = 0;
pub const ACG2VEC_IMAGE_MEMORY: acg2vec_image_source = 1;
pub const ACG2VEC_IMAGE_BASE64: acg2vec_image_source = 2;
pub const ACG2VEC_IMAGE_DECODED: acg2vec_image_source = 3;

pub type acg2vec_tag_category = c_int;
pub const ACG2VEC_TAG_RATING: acg2vec_tag_category = 0;
pub const ACG2VEC_TAG_CHARACTER: acg2vec_tag_category = 1;
pub const ACG2VEC_TAG_GENERAL: acg2vec_tag_category = 2;

pub type acg2vec_metric = c_int;
pub const ACG2VEC_METRIC_COSINE: acg2vec_metric = 0;
pub const ACG2VEC_METRIC_INNER_PRODUCT: acg2vec_metric = 1;
pub const ACG2VEC_METRIC_L2: acg2vec_metric = 2;

pub type acg2vec_sync_action = c_int;
pub const ACG2VEC_SYNC_ADDED: acg2vec_sync_action = 0;
pub const ACG2VEC_SYNC_UPDATED: acg2vec_sync_action = 1;
pub const ACG2VEC_SYNC_RENAMED: acg2vec_sync_action = 2;
pub const ACG2VEC_SYNC_REMOVED: acg2vec_sync_action = 3;
pub const ACG2VEC_SYNC_UNCHANGED: acg2vec_sync_action = 4;
pub const ACG2VEC_SYNC_FAILED: acg2vec_sync_action = 5;

pub type acg2vec_key_filter = Option<unsafe extern "C" fn(*const c_char, *mut c_void) -> c_int>;
pub type acg2vec_sync_event_callback = Option<unsafe extern "C" fn(*const acg2vec_sync_event, *mut c_void)>;
pub type acg2vec_sync_progress_callback = Option<unsafe extern "C" fn(usize, usize, *mut c_void)>;

#[repr(C)]
#[derive(Clone, Copy)]
pub struct acg2vec_decode_options {
    pub struct_size: usize,
    pub max_pixels: u64,
    pub apply_exif_orientation: c_int,
    pub jpeg_min_side: c_int,
}

#[repr(C)]
#[derive(Clone, Copy)]
pub struct acg2vec_model_options {
    pub struct_size: usize,
    pub device: *const c_char,
    pub threads: c_int,
    pub batch_size: c_int,
    pub decode_threads: c_int,
    pub decode_schedule: acg2vec_decode_schedule,
    pub precision: acg2vec_precision,
    pub optimization: acg2vec_optimization,
    pub metadata_json: *const c_char,
    pub preprocess_json: *const c_char,
}

#[repr(C)]
#[derive(Clone, Copy)]
pub struct acg2vec_score_options {
    pub struct_size: usize,
    pub top_k: usize,
}

#[repr(C)]
#[derive(Clone, Copy)]
pub struct acg2vec_embed_options {
    pub struct_size: usize,
    pub normalize: c_int,
}

#[repr(C)]
#[derive(Clone, Copy)]
pub struct acg2vec_tag_options {
    pub struct_size: usize,
    pub general_threshold: f32,
    pub character_threshold: f32,
    pub general_mcut: c_int,
    pub character_mcut: c_int,
    pub character_mcut_floor: f32,
    pub max_general: usize,
    pub max_characters: usize,
    pub include: *const *const c_char,
    pub include_count: usize,
    pub exclude: *const *const c_char,
    pub exclude_count: usize,
    pub drop_overlap: c_int,
    pub underscores_to_spaces: c_int,
    pub escape_parentheses: c_int,
}

#[repr(C)]
#[derive(Clone, Copy)]
pub struct acg2vec_image_input {
    pub source: acg2vec_image_source,
    pub text: *const c_char,
    pub data: *const c_void,
    pub size: usize,
    pub image: *const acg2vec_image,
    pub name: *const c_char,
}

#[repr(C)]
#[derive(Clone, Copy)]
pub struct acg2vec_similarity {
    pub cosine: f64,
    pub l2_distance: f64,
    pub score: f64,
}

#[repr(C)]
#[derive(Clone, Copy)]
pub struct acg2vec_clip_tokenizer_options {
    pub struct_size: usize,
    pub context_length: c_int,
    pub truncate: c_int,
}

#[repr(C)]
#[derive(Clone, Copy)]
pub struct acg2vec_wordpiece_options {
    pub struct_size: usize,
    pub lowercase: c_int,
    pub strip_accents: c_int,
    pub split_cjk: c_int,
    pub max_length: c_int,
    pub max_word_chars: c_int,
}

#[repr(C)]
#[derive(Clone, Copy)]
pub struct acg2vec_index_options {
    pub struct_size: usize,
    pub dimension: usize,
    pub metric: acg2vec_metric,
    pub M: usize,
    pub ef_construction: usize,
    pub ef_search: usize,
    pub initial_capacity: usize,
    pub seed: u64,
    pub model_name: *const c_char,
    pub model_fingerprint: *const c_char,
}

#[repr(C)]
#[derive(Clone, Copy)]
pub struct acg2vec_search_filter {
    pub struct_size: usize,
    pub any_category: *const *const c_char,
    pub category_count: usize,
    pub accept: acg2vec_key_filter,
    pub user_data: *mut c_void,
}

#[repr(C)]
#[derive(Clone, Copy)]
pub struct acg2vec_sync_event {
    pub action: acg2vec_sync_action,
    pub key: *const c_char,
    pub previous_key: *const c_char,
    pub reused: c_int,
    pub status: acg2vec_status,
    pub message: *const c_char,
}

#[repr(C)]
#[derive(Clone, Copy)]
pub struct acg2vec_sync_options {
    pub struct_size: usize,
    pub root: *const c_char,
    pub remove_missing: c_int,
    pub save_path: *const c_char,
    pub save_every: usize,
    pub images_per_call: usize,
    pub on_event: acg2vec_sync_event_callback,
    pub on_progress: acg2vec_sync_progress_callback,
    pub user_data: *mut c_void,
}

#[repr(C)]
#[derive(Clone, Copy)]
pub struct acg2vec_sync_report {
    pub added: usize,
    pub updated: usize,
    pub renamed: usize,
    pub removed: usize,
    pub unchanged: usize,
    pub failed: usize,
    pub model_runs: usize,
}

#[repr(C)]
#[derive(Clone, Copy)]
pub struct acg2vec_duplicate_options {
    pub struct_size: usize,
    pub min_score: f32,
    pub neighbours: usize,
}

extern "C" {
    pub fn acg2vec_version() -> *const c_char;
    pub fn acg2vec_abi_version() -> c_int;
    pub fn acg2vec_status_name(status: c_int) -> *const c_char;
    pub fn acg2vec_last_error() -> *const c_char;
    pub fn acg2vec_string_free(string: *mut c_char);
    pub fn acg2vec_decode_options_init(options: *mut acg2vec_decode_options) -> acg2vec_status;
    pub fn acg2vec_model_options_init(options: *mut acg2vec_model_options) -> acg2vec_status;
    pub fn acg2vec_tag_options_init(options: *mut acg2vec_tag_options) -> acg2vec_status;
    pub fn acg2vec_score_options_init(options: *mut acg2vec_score_options) -> acg2vec_status;
    pub fn acg2vec_embed_options_init(options: *mut acg2vec_embed_options) -> acg2vec_status;
    pub fn acg2vec_keep_freed_memory_for_reuse(max_block_bytes: usize) -> c_int;
    pub fn acg2vec_image_decode_file(
        path: *const c_char,
        options: *const acg2vec_decode_options,
        out: *mut *mut acg2vec_image,
    ) -> acg2vec_status;
    pub fn acg2vec_image_decode_memory(
        data: *const c_void,
        size: usize,
        options: *const acg2vec_decode_options,
        out: *mut *mut acg2vec_image,
    ) -> acg2vec_status;
    pub fn acg2vec_image_decode_base64(
        text: *const c_char,
        options: *const acg2vec_decode_options,
        out: *mut *mut acg2vec_image,
    ) -> acg2vec_status;
    pub fn acg2vec_image_from_pixels(
        width: c_int,
        height: c_int,
        channels: c_int,
        pixels: *const u8,
        out: *mut *mut acg2vec_image,
    ) -> acg2vec_status;
    pub fn acg2vec_image_dimensions(
        image: *const acg2vec_image,
        width: *mut c_int,
        height: *mut c_int,
        channels: *mut c_int,
    ) -> acg2vec_status;
    pub fn acg2vec_image_pixels(
        image: *const acg2vec_image,
        pixels: *mut *const u8,
        size: *mut usize,
    ) -> acg2vec_status;
    pub fn acg2vec_image_format(image: *const acg2vec_image, format: *mut *const c_char) -> acg2vec_status;
    pub fn acg2vec_image_free(image: *mut acg2vec_image);
    pub fn acg2vec_model_open(
        path: *const c_char,
        options: *const acg2vec_model_options,
        out: *mut *mut acg2vec_model,
    ) -> acg2vec_status;
    pub fn acg2vec_model_free(model: *mut acg2vec_model);
    pub fn acg2vec_model_path(model: *const acg2vec_model, path: *mut *const c_char) -> acg2vec_status;
    pub fn acg2vec_model_metadata(model: *const acg2vec_model, json: *mut *const c_char) -> acg2vec_status;
    pub fn acg2vec_model_device(model: *const acg2vec_model, device: *mut *const c_char) -> acg2vec_status;
    pub fn acg2vec_model_fingerprint(model: *const acg2vec_model, fingerprint: *mut *const c_char) -> acg2vec_status;
    pub fn acg2vec_tagger_create(
        model: *const acg2vec_model,
        tag_options: *const acg2vec_tag_options,
        decode_options: *const acg2vec_decode_options,
        out: *mut *mut acg2vec_tagger,
    ) -> acg2vec_status;
    pub fn acg2vec_tagger_free(tagger: *mut acg2vec_tagger);
    pub fn acg2vec_tagger_model(tagger: *const acg2vec_tagger, out: *mut *mut acg2vec_model) -> acg2vec_status;
    pub fn acg2vec_tagger_tag(
        tagger: *const acg2vec_tagger,
        input: *const acg2vec_image_input,
        out: *mut *mut acg2vec_tag_result,
    ) -> acg2vec_status;
    pub fn acg2vec_tagger_tag_batch(
        tagger: *const acg2vec_tagger,
        inputs: *const acg2vec_image_input,
        count: usize,
        out: *mut *mut acg2vec_tag_batch,
    ) -> acg2vec_status;
    pub fn acg2vec_tagger_probabilities(
        tagger: *const acg2vec_tagger,
        input: *const acg2vec_image_input,
        out: *mut *mut acg2vec_vector,
    ) -> acg2vec_status;
    pub fn acg2vec_tagger_select(
        tagger: *const acg2vec_tagger,
        probabilities: *const f32,
        count: usize,
        options: *const acg2vec_tag_options,
        out: *mut *mut acg2vec_tag_result,
    ) -> acg2vec_status;
    pub fn acg2vec_tagger_label_count(tagger: *const acg2vec_tagger, count: *mut usize) -> acg2vec_status;
    pub fn acg2vec_tagger_label(
        tagger: *const acg2vec_tagger,
        index: usize,
        name: *mut *const c_char,
        category: *mut c_int,
    ) -> acg2vec_status;
    pub fn acg2vec_tag_result_count(
        result: *const acg2vec_tag_result,
        category: acg2vec_tag_category,
        count: *mut usize,
    ) -> acg2vec_status;
    pub fn acg2vec_tag_result_get(
        result: *const acg2vec_tag_result,
        category: acg2vec_tag_category,
        index: usize,
        name: *mut *const c_char,
        probability: *mut f32,
    ) -> acg2vec_status;
    pub fn acg2vec_tag_result_label_index(
        result: *const acg2vec_tag_result,
        category: acg2vec_tag_category,
        index: usize,
        label_index: *mut usize,
    ) -> acg2vec_status;
    pub fn acg2vec_tag_result_rating(result: *const acg2vec_tag_result, name: *mut *const c_char) -> acg2vec_status;
    pub fn acg2vec_tag_result_caption(
        result: *const acg2vec_tag_result,
        separator: *const c_char,
        caption: *mut *mut c_char,
    ) -> acg2vec_status;
    pub fn acg2vec_tag_result_to_json(result: *const acg2vec_tag_result, json: *mut *mut c_char) -> acg2vec_status;
    pub fn acg2vec_tag_result_free(result: *mut acg2vec_tag_result);
    pub fn acg2vec_tag_batch_count(batch: *const acg2vec_tag_batch, count: *mut usize) -> acg2vec_status;
    pub fn acg2vec_tag_batch_item(
        batch: *const acg2vec_tag_batch,
        index: usize,
        status: *mut acg2vec_status,
        input: *mut *const c_char,
        message: *mut *const c_char,
    ) -> acg2vec_status;
    pub fn acg2vec_tag_batch_result(
        batch: *const acg2vec_tag_batch,
        index: usize,
        result: *mut *const acg2vec_tag_result,
    ) -> acg2vec_status;
    pub fn acg2vec_tag_batch_to_json(batch: *const acg2vec_tag_batch, json: *mut *mut c_char) -> acg2vec_status;
    pub fn acg2vec_tag_batch_free(batch: *mut acg2vec_tag_batch);
    pub fn acg2vec_scorer_create(
        model: *const acg2vec_model,
        score_options: *const acg2vec_score_options,
        decode_options: *const acg2vec_decode_options,
        out: *mut *mut acg2vec_scorer,
    ) -> acg2vec_status;
    pub fn acg2vec_scorer_free(scorer: *mut acg2vec_scorer);
    pub fn acg2vec_scorer_model(scorer: *const acg2vec_scorer, out: *mut *mut acg2vec_model) -> acg2vec_status;
    pub fn acg2vec_scorer_score(
        scorer: *const acg2vec_scorer,
        input: *const acg2vec_image_input,
        out: *mut *mut acg2vec_score_result,
    ) -> acg2vec_status;
    pub fn acg2vec_scorer_score_batch(
        scorer: *const acg2vec_scorer,
        inputs: *const acg2vec_image_input,
        count: usize,
        out: *mut *mut acg2vec_score_batch,
    ) -> acg2vec_status;
    pub fn acg2vec_scorer_head_names(scorer: *const acg2vec_scorer, out: *mut *mut acg2vec_strings) -> acg2vec_status;
    pub fn acg2vec_score_result_head_count(result: *const acg2vec_score_result, count: *mut usize) -> acg2vec_status;
    pub fn acg2vec_score_result_find_head(
        result: *const acg2vec_score_result,
        name: *const c_char,
        head: *mut usize,
    ) -> acg2vec_status;
    pub fn acg2vec_score_result_head_name(
        result: *const acg2vec_score_result,
        head: usize,
        name: *mut *const c_char,
    ) -> acg2vec_status;
    pub fn acg2vec_score_result_label_count(
        result: *const acg2vec_score_result,
        head: usize,
        count: *mut usize,
    ) -> acg2vec_status;
    pub fn acg2vec_score_result_label(
        result: *const acg2vec_score_result,
        head: usize,
        index: usize,
        label: *mut *const c_char,
        probability: *mut f32,
    ) -> acg2vec_status;
    pub fn acg2vec_score_result_best(
        result: *const acg2vec_score_result,
        head: usize,
        class_index: *mut usize,
        label: *mut *const c_char,
        probability: *mut f32,
    ) -> acg2vec_status;
    pub fn acg2vec_score_result_top_count(
        result: *const acg2vec_score_result,
        head: usize,
        count: *mut usize,
    ) -> acg2vec_status;
    pub fn acg2vec_score_result_top(
        result: *const acg2vec_score_result,
        head: usize,
        rank: usize,
        class_index: *mut usize,
        label: *mut *const c_char,
        probability: *mut f32,
    ) -> acg2vec_status;
    pub fn acg2vec_score_result_expected_value(
        result: *const acg2vec_score_result,
        head: usize,
        has_value: *mut c_int,
        value: *mut f64,
    ) -> acg2vec_status;
    pub fn acg2vec_score_result_to_json(result: *const acg2vec_score_result, json: *mut *mut c_char) -> acg2vec_status;
    pub fn acg2vec_score_result_free(result: *mut acg2vec_score_result);
    pub fn acg2vec_score_batch_count(batch: *const acg2vec_score_batch, count: *mut usize) -> acg2vec_status;
    pub fn acg2vec_score_batch_item(
        batch: *const acg2vec_score_batch,
        index: usize,
        status: *mut acg2vec_status,
        input: *mut *const c_char,
        message: *mut *const c_char,
    ) -> acg2vec_status;
    pub fn acg2vec_score_batch_result(
        batch: *const acg2vec_score_batch,
        index: usize,
        result: *mut *const acg2vec_score_result,
    ) -> acg2vec_status;
    pub fn acg2vec_score_batch_to_json(batch: *const acg2vec_score_batch, json: *mut *mut c_char) -> acg2vec_status;
    pub fn acg2vec_score_batch_free(batch: *mut acg2vec_score_batch);
    pub fn acg2vec_embedder_create(
        model: *const acg2vec_model,
        embed_options: *const acg2vec_embed_options,
        decode_options: *const acg2vec_decode_options,
        out: *mut *mut acg2vec_embedder,
    ) -> acg2vec_status;
    pub fn acg2vec_embedder_free(embedder: *mut acg2vec_embedder);
    pub fn acg2vec_embedder_model(embedder: *const acg2vec_embedder, out: *mut *mut acg2vec_model) -> acg2vec_status;
    pub fn acg2vec_embedder_has_image(embedder: *const acg2vec_embedder, has_image: *mut c_int) -> acg2vec_status;
    pub fn acg2vec_embedder_has_text(embedder: *const acg2vec_embedder, has_text: *mut c_int) -> acg2vec_status;
    pub fn acg2vec_embedder_dimensions(embedder: *const acg2vec_embedder, dimensions: *mut usize) -> acg2vec_status;
    pub fn acg2vec_embedder_logit_scale(embedder: *const acg2vec_embedder, logit_scale: *mut f64) -> acg2vec_status;
    pub fn acg2vec_embedder_embed(
        embedder: *const acg2vec_embedder,
        input: *const acg2vec_image_input,
        out: *mut *mut acg2vec_vector,
    ) -> acg2vec_status;
    pub fn acg2vec_embedder_embed_batch(
        embedder: *const acg2vec_embedder,
        inputs: *const acg2vec_image_input,
        count: usize,
        out: *mut *mut acg2vec_vector_batch,
    ) -> acg2vec_status;
    pub fn acg2vec_embedder_embed_text(
        embedder: *const acg2vec_embedder,
        text: *const c_char,
        out: *mut *mut acg2vec_vector,
    ) -> acg2vec_status;
    pub fn acg2vec_embedder_embed_texts(
        embedder: *const acg2vec_embedder,
        texts: *const *const c_char,
        count: usize,
        out: *mut *mut acg2vec_vector_batch,
    ) -> acg2vec_status;
    pub fn acg2vec_embedder_similarity(
        embedder: *const acg2vec_embedder,
        a: *const acg2vec_image_input,
        b: *const acg2vec_image_input,
        out: *mut acg2vec_similarity,
    ) -> acg2vec_status;
    pub fn acg2vec_compare_vectors(
        a: *const f32,
        a_size: usize,
        b: *const f32,
        b_size: usize,
        out: *mut acg2vec_similarity,
    ) -> acg2vec_status;
    pub fn acg2vec_embedder_zero_shot(
        embedder: *const acg2vec_embedder,
        image: *const acg2vec_image_input,
        labels: *const *const c_char,
        label_count: usize,
        prompt: *const c_char,
        out: *mut *mut acg2vec_zero_shot_result,
    ) -> acg2vec_status;
    pub fn acg2vec_embedder_zero_shot_vector(
        embedder: *const acg2vec_embedder,
        image_vector: *const f32,
        size: usize,
        labels: *const *const c_char,
        label_count: usize,
        prompt: *const c_char,
        out: *mut *mut acg2vec_zero_shot_result,
    ) -> acg2vec_status;
    pub fn acg2vec_embedder_clip_tokenizer(
        embedder: *const acg2vec_embedder,
        out: *mut *mut acg2vec_clip_tokenizer,
    ) -> acg2vec_status;
    pub fn acg2vec_embedder_wordpiece_tokenizer(
        embedder: *const acg2vec_embedder,
        out: *mut *mut acg2vec_wordpiece_tokenizer,
    ) -> acg2vec_status;
    pub fn acg2vec_vector_data(
        vector: *const acg2vec_vector,
        data: *mut *const f32,
        size: *mut usize,
    ) -> acg2vec_status;
    pub fn acg2vec_vector_free(vector: *mut acg2vec_vector);
    pub fn acg2vec_vector_batch_count(batch: *const acg2vec_vector_batch, count: *mut usize) -> acg2vec_status;
    pub fn acg2vec_vector_batch_item(
        batch: *const acg2vec_vector_batch,
        index: usize,
        status: *mut acg2vec_status,
        input: *mut *const c_char,
        message: *mut *const c_char,
    ) -> acg2vec_status;
    pub fn acg2vec_vector_batch_result(
        batch: *const acg2vec_vector_batch,
        index: usize,
        result: *mut *const acg2vec_vector,
    ) -> acg2vec_status;
    pub fn acg2vec_vector_batch_free(batch: *mut acg2vec_vector_batch);
    pub fn acg2vec_zero_shot_result_count(result: *const acg2vec_zero_shot_result, count: *mut usize)
        -> acg2vec_status;
    pub fn acg2vec_zero_shot_result_get(
        result: *const acg2vec_zero_shot_result,
        index: usize,
        label: *mut *const c_char,
        probability: *mut f64,
        cosine: *mut f64,
    ) -> acg2vec_status;
    pub fn acg2vec_zero_shot_result_free(result: *mut acg2vec_zero_shot_result);
    pub fn acg2vec_analyzer_create(
        model: *const acg2vec_model,
        tag_options: *const acg2vec_tag_options,
        score_options: *const acg2vec_score_options,
        embed_options: *const acg2vec_embed_options,
        decode_options: *const acg2vec_decode_options,
        out: *mut *mut acg2vec_analyzer,
    ) -> acg2vec_status;
    pub fn acg2vec_analyzer_free(analyzer: *mut acg2vec_analyzer);
    pub fn acg2vec_analyzer_tagger(analyzer: *const acg2vec_analyzer, out: *mut *mut acg2vec_tagger) -> acg2vec_status;
    pub fn acg2vec_analyzer_scorer(analyzer: *const acg2vec_analyzer, out: *mut *mut acg2vec_scorer) -> acg2vec_status;
    pub fn acg2vec_analyzer_embedder(
        analyzer: *const acg2vec_analyzer,
        out: *mut *mut acg2vec_embedder,
    ) -> acg2vec_status;
    pub fn acg2vec_analyzer_analyze(
        analyzer: *const acg2vec_analyzer,
        input: *const acg2vec_image_input,
        out: *mut *mut acg2vec_analysis,
    ) -> acg2vec_status;
    pub fn acg2vec_analyzer_analyze_batch(
        analyzer: *const acg2vec_analyzer,
        inputs: *const acg2vec_image_input,
        count: usize,
        out: *mut *mut acg2vec_analysis_batch,
    ) -> acg2vec_status;
    pub fn acg2vec_analysis_tags(
        analysis: *const acg2vec_analysis,
        tags: *mut *const acg2vec_tag_result,
    ) -> acg2vec_status;
    pub fn acg2vec_analysis_scores(
        analysis: *const acg2vec_analysis,
        scores: *mut *const acg2vec_score_result,
    ) -> acg2vec_status;
    pub fn acg2vec_analysis_vector(
        analysis: *const acg2vec_analysis,
        vector: *mut *const acg2vec_vector,
    ) -> acg2vec_status;
    pub fn acg2vec_analysis_free(analysis: *mut acg2vec_analysis);
    pub fn acg2vec_analysis_batch_count(batch: *const acg2vec_analysis_batch, count: *mut usize) -> acg2vec_status;
    pub fn acg2vec_analysis_batch_item(
        batch: *const acg2vec_analysis_batch,
        index: usize,
        status: *mut acg2vec_status,
        input: *mut *const c_char,
        message: *mut *const c_char,
    ) -> acg2vec_status;
    pub fn acg2vec_analysis_batch_result(
        batch: *const acg2vec_analysis_batch,
        index: usize,
        result: *mut *const acg2vec_analysis,
    ) -> acg2vec_status;
    pub fn acg2vec_analysis_batch_free(batch: *mut acg2vec_analysis_batch);
    pub fn acg2vec_clip_tokenizer_options_init(options: *mut acg2vec_clip_tokenizer_options) -> acg2vec_status;
    pub fn acg2vec_wordpiece_options_init(options: *mut acg2vec_wordpiece_options) -> acg2vec_status;
    pub fn acg2vec_clip_tokenizer_open(
        path: *const c_char,
        options: *const acg2vec_clip_tokenizer_options,
        out: *mut *mut acg2vec_clip_tokenizer,
    ) -> acg2vec_status;
    pub fn acg2vec_clip_tokenizer_free(tokenizer: *mut acg2vec_clip_tokenizer);
    pub fn acg2vec_clip_tokenizer_clean(
        tokenizer: *const acg2vec_clip_tokenizer,
        text: *const c_char,
        out: *mut *mut c_char,
    ) -> acg2vec_status;
    pub fn acg2vec_clip_tokenizer_pieces(
        tokenizer: *const acg2vec_clip_tokenizer,
        text: *const c_char,
        out: *mut *mut acg2vec_strings,
    ) -> acg2vec_status;
    pub fn acg2vec_clip_tokenizer_encode(
        tokenizer: *const acg2vec_clip_tokenizer,
        text: *const c_char,
        out: *mut *mut acg2vec_ids,
    ) -> acg2vec_status;
    pub fn acg2vec_clip_tokenizer_tokenize(
        tokenizer: *const acg2vec_clip_tokenizer,
        text: *const c_char,
        out: *mut *mut acg2vec_ids,
    ) -> acg2vec_status;
    pub fn acg2vec_clip_tokenizer_decode(
        tokenizer: *const acg2vec_clip_tokenizer,
        ids: *const i64,
        count: usize,
        out: *mut *mut c_char,
    ) -> acg2vec_status;
    pub fn acg2vec_clip_tokenizer_special_tokens(
        tokenizer: *const acg2vec_clip_tokenizer,
        start_of_text: *mut i64,
        end_of_text: *mut i64,
    ) -> acg2vec_status;
    pub fn acg2vec_clip_tokenizer_vocab_size(
        tokenizer: *const acg2vec_clip_tokenizer,
        size: *mut usize,
    ) -> acg2vec_status;
    pub fn acg2vec_wordpiece_tokenizer_open(
        path: *const c_char,
        options: *const acg2vec_wordpiece_options,
        out: *mut *mut acg2vec_wordpiece_tokenizer,
    ) -> acg2vec_status;
    pub fn acg2vec_wordpiece_tokenizer_free(tokenizer: *mut acg2vec_wordpiece_tokenizer);
    pub fn acg2vec_wordpiece_tokenizer_tokenize(
        tokenizer: *const acg2vec_wordpiece_tokenizer,
        text: *const c_char,
        out: *mut *mut acg2vec_strings,
    ) -> acg2vec_status;
    pub fn acg2vec_wordpiece_tokenizer_encode(
        tokenizer: *const acg2vec_wordpiece_tokenizer,
        text: *const c_char,
        out: *mut *mut acg2vec_ids,
    ) -> acg2vec_status;
    pub fn acg2vec_wordpiece_tokenizer_encode_padded(
        tokenizer: *const acg2vec_wordpiece_tokenizer,
        text: *const c_char,
        length: usize,
        ids: *mut *mut acg2vec_ids,
        attention_mask: *mut *mut acg2vec_ids,
    ) -> acg2vec_status;
    pub fn acg2vec_wordpiece_tokenizer_token_id(
        tokenizer: *const acg2vec_wordpiece_tokenizer,
        token: *const c_char,
        id: *mut i64,
    ) -> acg2vec_status;
    pub fn acg2vec_wordpiece_tokenizer_token(
        tokenizer: *const acg2vec_wordpiece_tokenizer,
        id: i64,
        token: *mut *const c_char,
    ) -> acg2vec_status;
    pub fn acg2vec_wordpiece_tokenizer_vocab_size(
        tokenizer: *const acg2vec_wordpiece_tokenizer,
        size: *mut usize,
    ) -> acg2vec_status;
    pub fn acg2vec_ids_data(ids: *const acg2vec_ids, data: *mut *const i64, count: *mut usize) -> acg2vec_status;
    pub fn acg2vec_ids_free(ids: *mut acg2vec_ids);
    pub fn acg2vec_strings_count(strings: *const acg2vec_strings, count: *mut usize) -> acg2vec_status;
    pub fn acg2vec_strings_get(
        strings: *const acg2vec_strings,
        index: usize,
        string: *mut *const c_char,
    ) -> acg2vec_status;
    pub fn acg2vec_strings_free(strings: *mut acg2vec_strings);
    pub fn acg2vec_metric_name(metric: c_int) -> *const c_char;
    pub fn acg2vec_index_options_init(options: *mut acg2vec_index_options) -> acg2vec_status;
    pub fn acg2vec_search_filter_init(filter: *mut acg2vec_search_filter) -> acg2vec_status;
    pub fn acg2vec_embedder_index_options(
        embedder: *const acg2vec_embedder,
        options: *mut acg2vec_index_options,
    ) -> acg2vec_status;
    pub fn acg2vec_index_create(options: *const acg2vec_index_options, out: *mut *mut acg2vec_index) -> acg2vec_status;
    pub fn acg2vec_index_load(
        path: *const c_char,
        expected: *const acg2vec_index_options,
        out: *mut *mut acg2vec_index,
    ) -> acg2vec_status;
    pub fn acg2vec_index_save(index: *const acg2vec_index, path: *const c_char) -> acg2vec_status;
    pub fn acg2vec_index_free(index: *mut acg2vec_index);
    pub fn acg2vec_index_add(
        index: *mut acg2vec_index,
        key: *const c_char,
        vector: *const f32,
        dimension: usize,
        categories: *const *const c_char,
        category_count: usize,
    ) -> acg2vec_status;
    pub fn acg2vec_index_add_batch(
        index: *mut acg2vec_index,
        keys: *const *const c_char,
        key_count: usize,
        vectors: *const f32,
        float_count: usize,
        categories: *const *const *const c_char,
        category_counts: *const usize,
    ) -> acg2vec_status;
    pub fn acg2vec_index_update(
        index: *mut acg2vec_index,
        key: *const c_char,
        vector: *const f32,
        dimension: usize,
        categories: *const *const c_char,
        category_count: usize,
    ) -> acg2vec_status;
    pub fn acg2vec_index_remove(index: *mut acg2vec_index, key: *const c_char, removed: *mut c_int) -> acg2vec_status;
    pub fn acg2vec_index_contains(
        index: *const acg2vec_index,
        key: *const c_char,
        contains: *mut c_int,
    ) -> acg2vec_status;
    pub fn acg2vec_index_size(index: *const acg2vec_index, size: *mut usize) -> acg2vec_status;
    pub fn acg2vec_index_get(
        index: *const acg2vec_index,
        key: *const c_char,
        out: *mut *mut acg2vec_vector,
    ) -> acg2vec_status;
    pub fn acg2vec_index_categories(
        index: *const acg2vec_index,
        key: *const c_char,
        out: *mut *mut acg2vec_strings,
    ) -> acg2vec_status;
    pub fn acg2vec_index_keys(index: *const acg2vec_index, out: *mut *mut acg2vec_strings) -> acg2vec_status;
    pub fn acg2vec_index_get_info(index: *const acg2vec_index, out: *mut *mut acg2vec_index_info) -> acg2vec_status;
    pub fn acg2vec_index_export_vectors(index: *const acg2vec_index, directory: *const c_char) -> acg2vec_status;
    pub fn acg2vec_index_search(
        index: *const acg2vec_index,
        query: *const f32,
        dimension: usize,
        k: usize,
        ef: usize,
        filter: *const acg2vec_search_filter,
        out: *mut *mut acg2vec_search_result,
    ) -> acg2vec_status;
    pub fn acg2vec_index_search_batch(
        index: *const acg2vec_index,
        queries: *const f32,
        query_count: usize,
        dimension: usize,
        k: usize,
        ef: usize,
        filter: *const acg2vec_search_filter,
        out: *mut *mut acg2vec_search_batch,
    ) -> acg2vec_status;
    pub fn acg2vec_index_exact_search(
        index: *const acg2vec_index,
        query: *const f32,
        dimension: usize,
        k: usize,
        filter: *const acg2vec_search_filter,
        out: *mut *mut acg2vec_search_result,
    ) -> acg2vec_status;
    pub fn acg2vec_index_info_get(
        info: *const acg2vec_index_info,
        dimension: *mut usize,
        metric: *mut acg2vec_metric,
        size: *mut usize,
        capacity: *mut usize,
        removed_slots: *mut usize,
    ) -> acg2vec_status;
    pub fn acg2vec_index_info_model(
        info: *const acg2vec_index_info,
        model_name: *mut *const c_char,
        model_fingerprint: *mut *const c_char,
    ) -> acg2vec_status;
    pub fn acg2vec_index_info_free(info: *mut acg2vec_index_info);
    pub fn acg2vec_search_result_count(result: *const acg2vec_search_result, count: *mut usize) -> acg2vec_status;
    pub fn acg2vec_search_result_get(
        result: *const acg2vec_search_result,
        index: usize,
        key: *mut *const c_char,
        distance: *mut f32,
        score: *mut f32,
    ) -> acg2vec_status;
    pub fn acg2vec_search_result_free(result: *mut acg2vec_search_result);
    pub fn acg2vec_search_batch_count(batch: *const acg2vec_search_batch, count: *mut usize) -> acg2vec_status;
    pub fn acg2vec_search_batch_get(
        batch: *const acg2vec_search_batch,
        index: usize,
        result: *mut *const acg2vec_search_result,
    ) -> acg2vec_status;
    pub fn acg2vec_search_batch_free(batch: *mut acg2vec_search_batch);
    pub fn acg2vec_sync_action_name(action: c_int) -> *const c_char;
    pub fn acg2vec_sync_options_init(options: *mut acg2vec_sync_options) -> acg2vec_status;
    pub fn acg2vec_sync_folder(
        index: *mut acg2vec_index,
        analyzer: *const acg2vec_analyzer,
        inputs: *const *const c_char,
        input_count: usize,
        options: *const acg2vec_sync_options,
        report: *mut acg2vec_sync_report,
    ) -> acg2vec_status;
    pub fn acg2vec_list_image_files(
        inputs: *const *const c_char,
        input_count: usize,
        out: *mut *mut acg2vec_strings,
    ) -> acg2vec_status;
    pub fn acg2vec_index_key(path: *const c_char, root: *const c_char, key: *mut *mut c_char) -> acg2vec_status;
    pub fn acg2vec_duplicate_options_init(options: *mut acg2vec_duplicate_options) -> acg2vec_status;
    pub fn acg2vec_find_duplicates(
        index: *const acg2vec_index,
        options: *const acg2vec_duplicate_options,
        out: *mut *mut acg2vec_duplicates,
    ) -> acg2vec_status;
    pub fn acg2vec_duplicates_count(duplicates: *const acg2vec_duplicates, groups: *mut usize) -> acg2vec_status;
    pub fn acg2vec_duplicates_group(
        duplicates: *const acg2vec_duplicates,
        group: usize,
        identical: *mut c_int,
        member_count: *mut usize,
    ) -> acg2vec_status;
    pub fn acg2vec_duplicates_member(
        duplicates: *const acg2vec_duplicates,
        group: usize,
        member: usize,
        key: *mut *const c_char,
        content: *mut *const c_char,
        identical: *mut c_int,
        nearest: *mut *const c_char,
        score: *mut f32,
    ) -> acg2vec_status;
    pub fn acg2vec_duplicates_free(duplicates: *mut acg2vec_duplicates);
}
