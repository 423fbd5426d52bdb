/* acg2vec C ABI. C99, usable from C++, Rust, Go and C#: a thin layer over the C++ API
 * (docs/c-api.md lists the functions by group, with an example).
 *
 * Status. Every function returns an acg2vec_status (ACG2VEC_OK = 0 on success), except the
 * ones that only report a constant (acg2vec_version, acg2vec_abi_version, acg2vec_status_name,
 * acg2vec_metric_name, acg2vec_last_error), acg2vec_keep_freed_memory_for_reuse (1 or 0) and
 * the *_free functions, which cannot fail. On
 * failure acg2vec_last_error() gives the message for the calling thread. No exception crosses
 * this boundary. A NULL handle, a NULL required pointer, an index out of range, an unknown
 * enum value or a wrong struct_size gives ACG2VEC_INVALID_ARGUMENT naming the parameter.
 *
 * Ownership. Every object the library hands out through an out-parameter of type `T**` (a
 * handle, a result, or a `char*` string) belongs to the caller and is released by exactly one
 * function: acg2vec_<type>_free for a handle or result, acg2vec_string_free for a `char*`; every
 * free function accepts NULL. Anything a getter returns through a `const T**` out-parameter (a
 * `const char*` name, a `const float*` or `const int64_t*` array, a `const acg2vec_*_result*`
 * item of a batch) is owned by the object it was read from: it stays valid and unchanged until
 * that object is freed, and is never freed on its own. Strings are UTF-8 and NUL-terminated.
 * Arguments passed in (paths, buffers, arrays, options) are only read during the call; the
 * library keeps no pointer to them. On failure a `T**` out-parameter is set to NULL; other
 * out-parameters are left as they were. An array argument may be NULL only when its count is 0;
 * image bytes (`data`) are never NULL.
 *
 * Options structs start with `struct_size`: fill them with their *_init function (which sets
 * struct_size and the C++ defaults), then change fields. Passing NULL instead of an options
 * pointer means the defaults. New fields are only ever appended, so the size tells the library
 * which version of the struct it was given. */
#ifndef ACG2VEC_H
#define ACG2VEC_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Same definition as include/acg2vec/export.hpp: the shared library exports only what carries
 * it. Define ACG2VEC_STATIC when linking the library statically. */
#ifndef ACG2VEC_API
#if defined(ACG2VEC_STATIC)
#define ACG2VEC_API
#elif defined(__GNUC__) || defined(__clang__)
#define ACG2VEC_API __attribute__((visibility("default")))
#else
#define ACG2VEC_API
#endif
#endif

/* Increases whenever a function's signature or a struct layout changes. */
#define ACG2VEC_ABI_VERSION 2

/* The same numbers as acg2vec::ErrorCode in C++. */
typedef enum acg2vec_status {
    ACG2VEC_OK = 0,
    ACG2VEC_INVALID_ARGUMENT = 1,
    ACG2VEC_INVALID_IMAGE = 2,
    ACG2VEC_UNSUPPORTED_FORMAT = 3,
    ACG2VEC_IMAGE_TOO_LARGE = 4,
    ACG2VEC_MODEL_LOAD = 5,
    ACG2VEC_MODEL_METADATA = 6,
    ACG2VEC_SHAPE_MISMATCH = 7,
    ACG2VEC_IO = 8,
    ACG2VEC_INDEX_FORMAT = 9,
    ACG2VEC_NOT_FOUND = 10,
    ACG2VEC_INFERENCE = 11,
    ACG2VEC_DEVICE = 12,
    /* A bug in acg2vec, or out of memory (std::bad_alloc): the message says which. */
    ACG2VEC_INTERNAL = 13
} acg2vec_status;

/* ---- Library ------------------------------------------------------------------------ */

/* "MAJOR.MINOR.PATCH" of the loaded library; a static string, never freed. */
ACG2VEC_API const char* acg2vec_version(void);
/* ACG2VEC_ABI_VERSION of the loaded library: compare with the header's before any other call. */
ACG2VEC_API int acg2vec_abi_version(void);
/* Lower-case name of a status ("invalid_image"); "unknown" for other values. Static string. */
ACG2VEC_API const char* acg2vec_status_name(int status);
/* Message of the last failed call on the calling thread ("" if none failed yet). Valid until
 * the next failing call on this thread; successful calls leave it unchanged. */
ACG2VEC_API const char* acg2vec_last_error(void);
/* Frees a string returned through a `char**` out-parameter. */
ACG2VEC_API void acg2vec_string_free(char* string);

/* ---- Handles and results (opaque) ----------------------------------------------------- */

typedef struct acg2vec_image acg2vec_image;
typedef struct acg2vec_model acg2vec_model;
typedef struct acg2vec_tagger acg2vec_tagger;
typedef struct acg2vec_scorer acg2vec_scorer;
typedef struct acg2vec_embedder acg2vec_embedder;
typedef struct acg2vec_analyzer acg2vec_analyzer;
typedef struct acg2vec_index acg2vec_index;
typedef struct acg2vec_clip_tokenizer acg2vec_clip_tokenizer;
typedef struct acg2vec_wordpiece_tokenizer acg2vec_wordpiece_tokenizer;

typedef struct acg2vec_tag_result acg2vec_tag_result;
typedef struct acg2vec_tag_batch acg2vec_tag_batch;
typedef struct acg2vec_score_result acg2vec_score_result;
typedef struct acg2vec_score_batch acg2vec_score_batch;
typedef struct acg2vec_vector acg2vec_vector;
typedef struct acg2vec_vector_batch acg2vec_vector_batch;
typedef struct acg2vec_zero_shot_result acg2vec_zero_shot_result;
typedef struct acg2vec_analysis acg2vec_analysis;
typedef struct acg2vec_analysis_batch acg2vec_analysis_batch;
typedef struct acg2vec_duplicates acg2vec_duplicates;
typedef struct acg2vec_search_result acg2vec_search_result;
typedef struct acg2vec_search_batch acg2vec_search_batch;
typedef struct acg2vec_index_info acg2vec_index_info;
typedef struct acg2vec_strings acg2vec_strings;
typedef struct acg2vec_ids acg2vec_ids;

/* ---- Options ---------------------------------------------------------------------------- */

typedef enum acg2vec_precision {
    ACG2VEC_PRECISION_FP32 = 0,
    ACG2VEC_PRECISION_FP16 = 1,
    ACG2VEC_PRECISION_BF16 = 2
} acg2vec_precision;

typedef enum acg2vec_optimization {
    ACG2VEC_OPTIMIZATION_NONE = 0,   /* run the module as saved */
    ACG2VEC_OPTIMIZATION_FREEZE = 1, /* torch.jit.freeze, outputs unchanged (the default) */
    ACG2VEC_OPTIMIZATION_FULL = 2    /* freeze + folding: faster, outputs may differ ~1e-6 */
} acg2vec_optimization;

/* When batch calls decode images, relative to the model's runs (acg2vec::DecodeSchedule). */
typedef enum acg2vec_decode_schedule {
    ACG2VEC_DECODE_AUTOMATIC = 0, /* overlap when the cores allow it, else alternate */
    ACG2VEC_DECODE_OVERLAP = 1,   /* decode the next batches while the model runs */
    ACG2VEC_DECODE_ALTERNATE = 2  /* decode between model runs, on every decode thread */
} acg2vec_decode_schedule;

/* How images are decoded (acg2vec::DecodeOptions). */
typedef struct acg2vec_decode_options {
    size_t struct_size;
    uint64_t max_pixels;        /* refuse images declaring more pixels (Pillow's limit) */
    int apply_exif_orientation; /* nonzero: rotate JPEGs by their EXIF Orientation */
    int jpeg_min_side;          /* > 0: DCT-scaled JPEG decoding keeping both sides >= this (faster,
                                   pixels differ from the reference pipelines); 0: full size */
} acg2vec_decode_options;

/* Opening a model (acg2vec::ModelOptions). */
typedef struct acg2vec_model_options {
    size_t struct_size;
    const char* device; /* "cpu", "cuda", "cuda:N", "auto"; NULL: the default ("cpu") */
    int threads;        /* libtorch intra-op threads, process-wide; 0: one per core unless set; at most 1024 */
    int batch_size;     /* images per forward pass in batch calls */
    int decode_threads; /* threads decoding images in batch calls; 0: as the schedule can use */
    acg2vec_decode_schedule decode_schedule;
    acg2vec_precision precision;
    acg2vec_optimization optimization;
    const char* metadata_json;   /* replaces the archive's acg2vec.json; NULL: keep it */
    const char* preprocess_json; /* replaces the metadata's "preprocess" object (same schema); NULL: keep */
} acg2vec_model_options;

/* Scorer results (acg2vec::ScoreOptions). */
typedef struct acg2vec_score_options {
    size_t struct_size;
    size_t top_k; /* entries in each head's top list */
} acg2vec_score_options;

/* Embedder vectors (acg2vec::EmbedOptions). */
typedef struct acg2vec_embed_options {
    size_t struct_size;
    int normalize; /* nonzero: L2-normalise every vector */
} acg2vec_embed_options;

/* Which tags a tag result keeps (acg2vec::TagOptions; the defaults are WD14's). */
typedef struct acg2vec_tag_options {
    size_t struct_size;
    float general_threshold;
    float character_threshold;
    int general_mcut;   /* nonzero: MCut replaces general_threshold */
    int character_mcut; /* nonzero: MCut replaces character_threshold */
    float character_mcut_floor;
    size_t max_general;         /* 0: no limit */
    size_t max_characters;      /* 0: no limit */
    const char* const* include; /* tags always reported */
    size_t include_count;
    const char* const* exclude; /* tags never reported */
    size_t exclude_count;
    int drop_overlap;          /* drop "shirt" when "white_shirt" is kept */
    int underscores_to_spaces; /* "long_hair" -> "long hair" */
    int escape_parentheses;    /* "(" -> "\(" for Stable Diffusion prompts */
} acg2vec_tag_options;

ACG2VEC_API acg2vec_status acg2vec_decode_options_init(acg2vec_decode_options* options);
ACG2VEC_API acg2vec_status acg2vec_model_options_init(acg2vec_model_options* options);
ACG2VEC_API acg2vec_status acg2vec_tag_options_init(acg2vec_tag_options* options);
ACG2VEC_API acg2vec_status acg2vec_score_options_init(acg2vec_score_options* options);
ACG2VEC_API acg2vec_status acg2vec_embed_options_init(acg2vec_embed_options* options);

/* Lets the C library's allocator keep freed blocks of up to max_block_bytes (0: 1 GiB) for
 * reuse instead of unmapping them: about four times faster batches of images through a
 * convolutional model, for up to that much freed memory kept by the process. It changes the
 * whole process, so the library never does it on its own; call it once at start-up. Returns 1
 * when applied, 0 where unsupported (C libraries other than glibc). */
ACG2VEC_API int acg2vec_keep_freed_memory_for_reuse(size_t max_block_bytes);

/* ---- Images --------------------------------------------------------------------------- */

/* Decodes a file, bytes in memory, or base64 / a base64 data URL. options may be NULL. */
ACG2VEC_API acg2vec_status acg2vec_image_decode_file(const char* path, const acg2vec_decode_options* options,
                                                     acg2vec_image** out);
ACG2VEC_API acg2vec_status acg2vec_image_decode_memory(const void* data, size_t size,
                                                       const acg2vec_decode_options* options, acg2vec_image** out);
ACG2VEC_API acg2vec_status acg2vec_image_decode_base64(const char* text, const acg2vec_decode_options* options,
                                                       acg2vec_image** out);
/* Copies 8-bit pixels: rows top to bottom, `channels` interleaved (1 gray, 2 gray+alpha, 3 RGB,
 * 4 RGBA, straight alpha); width * height * channels bytes. */
ACG2VEC_API acg2vec_status acg2vec_image_from_pixels(int width, int height, int channels, const uint8_t* pixels,
                                                     acg2vec_image** out);
ACG2VEC_API acg2vec_status acg2vec_image_dimensions(const acg2vec_image* image, int* width, int* height, int* channels);
ACG2VEC_API acg2vec_status acg2vec_image_pixels(const acg2vec_image* image, const uint8_t** pixels, size_t* size);
/* "jpeg", "png", ... or "unknown" (built from pixels). Static string. */
ACG2VEC_API acg2vec_status acg2vec_image_format(const acg2vec_image* image, const char** format);
ACG2VEC_API void acg2vec_image_free(acg2vec_image* image);

/* One image for a task (acg2vec::ImageInput): a file, encoded bytes, base64 text, or a decoded
 * image. Only the fields of its source are read, during the call. The layout is fixed for an
 * ABI version (arrays of it are passed), so it has no struct_size. */
typedef enum acg2vec_image_source {
    ACG2VEC_IMAGE_FILE = 0,   /* text: the path */
    ACG2VEC_IMAGE_MEMORY = 1, /* data, size: the encoded bytes (JPEG, PNG, WebP, ...) */
    ACG2VEC_IMAGE_BASE64 = 2, /* text: base64 or a data URL ("data:image/png;base64,...") */
    ACG2VEC_IMAGE_DECODED = 3 /* image */
} acg2vec_image_source;

typedef struct acg2vec_image_input {
    acg2vec_image_source source;
    const char* text;
    const void* data;
    size_t size;
    const acg2vec_image* image;
    const char* name; /* NULL, or how errors and batch items name the input (default: the path,
                         or "batch[i]") */
} acg2vec_image_input;

/* Inputs for the common cases. */
static inline acg2vec_image_input acg2vec_image_file(const char* path) {
    acg2vec_image_input input = {ACG2VEC_IMAGE_FILE, path, NULL, 0, NULL, NULL};
    return input;
}
static inline acg2vec_image_input acg2vec_image_memory(const void* data, size_t size) {
    acg2vec_image_input input = {ACG2VEC_IMAGE_MEMORY, NULL, data, size, NULL, NULL};
    return input;
}
static inline acg2vec_image_input acg2vec_image_base64(const char* text) {
    acg2vec_image_input input = {ACG2VEC_IMAGE_BASE64, text, NULL, 0, NULL, NULL};
    return input;
}
static inline acg2vec_image_input acg2vec_image_decoded(const acg2vec_image* image) {
    acg2vec_image_input input = {ACG2VEC_IMAGE_DECODED, NULL, NULL, 0, image, NULL};
    return input;
}

/* ---- Model ---------------------------------------------------------------------------- */

/* A model file opened once; the tasks below are created on it and share it (one load, and with
 * the analyzer one forward pass for all of them). A task keeps the model alive: the model handle
 * may be freed right after creating the tasks. options may be NULL. */
ACG2VEC_API acg2vec_status acg2vec_model_open(const char* path, const acg2vec_model_options* options,
                                              acg2vec_model** out);
ACG2VEC_API void acg2vec_model_free(acg2vec_model* model);
/* The path it was opened from, its acg2vec.json text, the device it runs on ("cpu", "cuda:0"). */
ACG2VEC_API acg2vec_status acg2vec_model_path(const acg2vec_model* model, const char** path);
ACG2VEC_API acg2vec_status acg2vec_model_metadata(const acg2vec_model* model, const char** json);
ACG2VEC_API acg2vec_status acg2vec_model_device(const acg2vec_model* model, const char** device);
/* 16 hex digits identifying the file's bytes (read on the first call); index files record it. */
ACG2VEC_API acg2vec_status acg2vec_model_fingerprint(const acg2vec_model* model, const char** fingerprint);

/* ---- Tagger --------------------------------------------------------------------------- */

typedef enum acg2vec_tag_category {
    ACG2VEC_TAG_RATING = 0,    /* every rating, most probable first */
    ACG2VEC_TAG_CHARACTER = 1, /* kept characters, most probable first */
    ACG2VEC_TAG_GENERAL = 2    /* kept general tags, most probable first */
} acg2vec_tag_category;

/* tag_options and decode_options may be NULL (the defaults). */
ACG2VEC_API acg2vec_status acg2vec_tagger_create(const acg2vec_model* model, const acg2vec_tag_options* tag_options,
                                                 const acg2vec_decode_options* decode_options, acg2vec_tagger** out);
ACG2VEC_API void acg2vec_tagger_free(acg2vec_tagger* tagger);
/* The model the tagger runs (a new handle on it, freed with acg2vec_model_free). */
ACG2VEC_API acg2vec_status acg2vec_tagger_model(const acg2vec_tagger* tagger, acg2vec_model** out);
ACG2VEC_API acg2vec_status acg2vec_tagger_tag(const acg2vec_tagger* tagger, const acg2vec_image_input* input,
                                              acg2vec_tag_result** out);
/* Batches with a status per item: a bad input fails alone. */
ACG2VEC_API acg2vec_status acg2vec_tagger_tag_batch(const acg2vec_tagger* tagger, const acg2vec_image_input* inputs,
                                                    size_t count, acg2vec_tag_batch** out);
/* The model's probability of every label, in label order. */
ACG2VEC_API acg2vec_status acg2vec_tagger_probabilities(const acg2vec_tagger* tagger, const acg2vec_image_input* input,
                                                        acg2vec_vector** out);
/* Selection alone on stored probabilities (one per label); options NULL: the tagger's own. */
ACG2VEC_API acg2vec_status acg2vec_tagger_select(const acg2vec_tagger* tagger, const float* probabilities, size_t count,
                                                 const acg2vec_tag_options* options, acg2vec_tag_result** out);
ACG2VEC_API acg2vec_status acg2vec_tagger_label_count(const acg2vec_tagger* tagger, size_t* count);
/* category: Danbooru's number (0 general, 1 artist, 3 copyright, 4 character, 5 meta, 9 rating). */
ACG2VEC_API acg2vec_status acg2vec_tagger_label(const acg2vec_tagger* tagger, size_t index, const char** name,
                                                int* category);

ACG2VEC_API acg2vec_status acg2vec_tag_result_count(const acg2vec_tag_result* result, acg2vec_tag_category category,
                                                    size_t* count);
ACG2VEC_API acg2vec_status acg2vec_tag_result_get(const acg2vec_tag_result* result, acg2vec_tag_category category,
                                                  size_t index, const char** name, float* probability);
/* Position of the tag in the label table and the model output. */
ACG2VEC_API acg2vec_status acg2vec_tag_result_label_index(const acg2vec_tag_result* result,
                                                          acg2vec_tag_category category, size_t index,
                                                          size_t* label_index);
/* The most probable rating's name. */
ACG2VEC_API acg2vec_status acg2vec_tag_result_rating(const acg2vec_tag_result* result, const char** name);
/* Characters then general tags joined by separator (NULL: ", "); free with acg2vec_string_free. */
ACG2VEC_API acg2vec_status acg2vec_tag_result_caption(const acg2vec_tag_result* result, const char* separator,
                                                      char** caption);
/* The WD14 batch API's JSON; free with acg2vec_string_free. */
ACG2VEC_API acg2vec_status acg2vec_tag_result_to_json(const acg2vec_tag_result* result, char** json);
ACG2VEC_API void acg2vec_tag_result_free(acg2vec_tag_result* result);

/* Batch items. input: the path, or "batch[i]"; message: "" when the item succeeded. */
ACG2VEC_API acg2vec_status acg2vec_tag_batch_count(const acg2vec_tag_batch* batch, size_t* count);
ACG2VEC_API acg2vec_status acg2vec_tag_batch_item(const acg2vec_tag_batch* batch, size_t index, acg2vec_status* status,
                                                  const char** input, const char** message);
/* The item's result, owned by the batch. Returns the item's own status when it failed (and
 * acg2vec_last_error() gives its message); *result is then NULL. */
ACG2VEC_API acg2vec_status acg2vec_tag_batch_result(const acg2vec_tag_batch* batch, size_t index,
                                                    const acg2vec_tag_result** result);
ACG2VEC_API acg2vec_status acg2vec_tag_batch_to_json(const acg2vec_tag_batch* batch, char** json);
ACG2VEC_API void acg2vec_tag_batch_free(acg2vec_tag_batch* batch);

/* ---- Scorer --------------------------------------------------------------------------- */

/* score_options and decode_options may be NULL (the defaults). */
ACG2VEC_API acg2vec_status acg2vec_scorer_create(const acg2vec_model* model, const acg2vec_score_options* score_options,
                                                 const acg2vec_decode_options* decode_options, acg2vec_scorer** out);
ACG2VEC_API void acg2vec_scorer_free(acg2vec_scorer* scorer);
ACG2VEC_API acg2vec_status acg2vec_scorer_model(const acg2vec_scorer* scorer, acg2vec_model** out);
ACG2VEC_API acg2vec_status acg2vec_scorer_score(const acg2vec_scorer* scorer, const acg2vec_image_input* input,
                                                acg2vec_score_result** out);
ACG2VEC_API acg2vec_status acg2vec_scorer_score_batch(const acg2vec_scorer* scorer, const acg2vec_image_input* inputs,
                                                      size_t count, acg2vec_score_batch** out);
ACG2VEC_API acg2vec_status acg2vec_scorer_head_names(const acg2vec_scorer* scorer, acg2vec_strings** out);

/* Heads are numbered in metadata order; find_head gives ACG2VEC_NOT_FOUND for another name. */
ACG2VEC_API acg2vec_status acg2vec_score_result_head_count(const acg2vec_score_result* result, size_t* count);
ACG2VEC_API acg2vec_status acg2vec_score_result_find_head(const acg2vec_score_result* result, const char* name,
                                                          size_t* head);
ACG2VEC_API acg2vec_status acg2vec_score_result_head_name(const acg2vec_score_result* result, size_t head,
                                                          const char** name);
/* Every label of a head with its probability, in label order. */
ACG2VEC_API acg2vec_status acg2vec_score_result_label_count(const acg2vec_score_result* result, size_t head,
                                                            size_t* count);
ACG2VEC_API acg2vec_status acg2vec_score_result_label(const acg2vec_score_result* result, size_t head, size_t index,
                                                      const char** label, float* probability);
/* The argmax, and the top_k most probable first; class_index is the label's position. */
ACG2VEC_API acg2vec_status acg2vec_score_result_best(const acg2vec_score_result* result, size_t head,
                                                     size_t* class_index, const char** label, float* probability);
ACG2VEC_API acg2vec_status acg2vec_score_result_top_count(const acg2vec_score_result* result, size_t head,
                                                          size_t* count);
ACG2VEC_API acg2vec_status acg2vec_score_result_top(const acg2vec_score_result* result, size_t head, size_t rank,
                                                    size_t* class_index, const char** label, float* probability);
/* Expected value over numeric bins; *has_value is 0 (and *value untouched) for categorical heads. */
ACG2VEC_API acg2vec_status acg2vec_score_result_expected_value(const acg2vec_score_result* result, size_t head,
                                                               int* has_value, double* value);
/* PAI's classifier JSON; free with acg2vec_string_free. */
ACG2VEC_API acg2vec_status acg2vec_score_result_to_json(const acg2vec_score_result* result, char** json);
ACG2VEC_API void acg2vec_score_result_free(acg2vec_score_result* result);

ACG2VEC_API acg2vec_status acg2vec_score_batch_count(const acg2vec_score_batch* batch, size_t* count);
ACG2VEC_API acg2vec_status acg2vec_score_batch_item(const acg2vec_score_batch* batch, size_t index,
                                                    acg2vec_status* status, const char** input, const char** message);
ACG2VEC_API acg2vec_status acg2vec_score_batch_result(const acg2vec_score_batch* batch, size_t index,
                                                      const acg2vec_score_result** result);
ACG2VEC_API acg2vec_status acg2vec_score_batch_to_json(const acg2vec_score_batch* batch, char** json);
ACG2VEC_API void acg2vec_score_batch_free(acg2vec_score_batch* batch);

/* ---- Embedder ------------------------------------------------------------------------- */

/* Two vectors compared (acg2vec::Similarity). */
typedef struct acg2vec_similarity {
    double cosine;      /* of the two vectors, whatever their norms */
    double l2_distance; /* between the two vectors after L2 normalisation */
    double score;       /* 0-100: 100 x max(0, cosine) */
} acg2vec_similarity;

/* embed_options and decode_options may be NULL (the defaults). */
ACG2VEC_API acg2vec_status acg2vec_embedder_create(const acg2vec_model* model,
                                                   const acg2vec_embed_options* embed_options,
                                                   const acg2vec_decode_options* decode_options,
                                                   acg2vec_embedder** out);
ACG2VEC_API void acg2vec_embedder_free(acg2vec_embedder* embedder);
ACG2VEC_API acg2vec_status acg2vec_embedder_model(const acg2vec_embedder* embedder, acg2vec_model** out);
ACG2VEC_API acg2vec_status acg2vec_embedder_has_image(const acg2vec_embedder* embedder, int* has_image);
ACG2VEC_API acg2vec_status acg2vec_embedder_has_text(const acg2vec_embedder* embedder, int* has_text);
ACG2VEC_API acg2vec_status acg2vec_embedder_dimensions(const acg2vec_embedder* embedder, size_t* dimensions);
ACG2VEC_API acg2vec_status acg2vec_embedder_logit_scale(const acg2vec_embedder* embedder, double* logit_scale);

/* Image vectors (ACG2VEC_NOT_FOUND without an image method). */
ACG2VEC_API acg2vec_status acg2vec_embedder_embed(const acg2vec_embedder* embedder, const acg2vec_image_input* input,
                                                  acg2vec_vector** out);
ACG2VEC_API acg2vec_status acg2vec_embedder_embed_batch(const acg2vec_embedder* embedder,
                                                        const acg2vec_image_input* inputs, size_t count,
                                                        acg2vec_vector_batch** out);
/* Text vectors (ACG2VEC_NOT_FOUND without a text tower). embed_texts fails as a whole; its
 * items are all ACG2VEC_OK and their input is the text. */
ACG2VEC_API acg2vec_status acg2vec_embedder_embed_text(const acg2vec_embedder* embedder, const char* text,
                                                       acg2vec_vector** out);
ACG2VEC_API acg2vec_status acg2vec_embedder_embed_texts(const acg2vec_embedder* embedder, const char* const* texts,
                                                        size_t count, acg2vec_vector_batch** out);

/* Both images in one forward pass. */
ACG2VEC_API acg2vec_status acg2vec_embedder_similarity(const acg2vec_embedder* embedder, const acg2vec_image_input* a,
                                                       const acg2vec_image_input* b, acg2vec_similarity* out);
/* Compares two vectors of the same size (ACG2VEC_INVALID_ARGUMENT otherwise). */
ACG2VEC_API acg2vec_status acg2vec_compare_vectors(const float* a, size_t a_size, const float* b, size_t b_size,
                                                   acg2vec_similarity* out);

/* Zero-shot labels: each label put into prompt at "{}" (NULL: "a picture of {}"); results in
 * label order. Needs both towers. */
ACG2VEC_API acg2vec_status acg2vec_embedder_zero_shot(const acg2vec_embedder* embedder,
                                                      const acg2vec_image_input* image, const char* const* labels,
                                                      size_t label_count, const char* prompt,
                                                      acg2vec_zero_shot_result** out);
ACG2VEC_API acg2vec_status acg2vec_embedder_zero_shot_vector(const acg2vec_embedder* embedder,
                                                             const float* image_vector, size_t size,
                                                             const char* const* labels, size_t label_count,
                                                             const char* prompt, acg2vec_zero_shot_result** out);

/* The embedder's text tokenizer (a copy sharing its vocabulary); ACG2VEC_NOT_FOUND when the
 * model has none of that kind. */
ACG2VEC_API acg2vec_status acg2vec_embedder_clip_tokenizer(const acg2vec_embedder* embedder,
                                                           acg2vec_clip_tokenizer** out);
ACG2VEC_API acg2vec_status acg2vec_embedder_wordpiece_tokenizer(const acg2vec_embedder* embedder,
                                                                acg2vec_wordpiece_tokenizer** out);

/* A vector's floats (data may be NULL when size is 0). */
ACG2VEC_API acg2vec_status acg2vec_vector_data(const acg2vec_vector* vector, const float** data, size_t* size);
ACG2VEC_API void acg2vec_vector_free(acg2vec_vector* vector);

ACG2VEC_API acg2vec_status acg2vec_vector_batch_count(const acg2vec_vector_batch* batch, size_t* count);
ACG2VEC_API acg2vec_status acg2vec_vector_batch_item(const acg2vec_vector_batch* batch, size_t index,
                                                     acg2vec_status* status, const char** input, const char** message);
ACG2VEC_API acg2vec_status acg2vec_vector_batch_result(const acg2vec_vector_batch* batch, size_t index,
                                                       const acg2vec_vector** result);
ACG2VEC_API void acg2vec_vector_batch_free(acg2vec_vector_batch* batch);

ACG2VEC_API acg2vec_status acg2vec_zero_shot_result_count(const acg2vec_zero_shot_result* result, size_t* count);
ACG2VEC_API acg2vec_status acg2vec_zero_shot_result_get(const acg2vec_zero_shot_result* result, size_t index,
                                                        const char** label, double* probability, double* cosine);
ACG2VEC_API void acg2vec_zero_shot_result_free(acg2vec_zero_shot_result* result);

/* ---- Analyzer: every task of a model from one forward pass ------------------------------ */

/* The tasks come from the model's metadata (tagger, scorer, embedder sections); each options
 * pointer may be NULL. ACG2VEC_MODEL_METADATA when the model has none of them. */
ACG2VEC_API acg2vec_status acg2vec_analyzer_create(const acg2vec_model* model, const acg2vec_tag_options* tag_options,
                                                   const acg2vec_score_options* score_options,
                                                   const acg2vec_embed_options* embed_options,
                                                   const acg2vec_decode_options* decode_options,
                                                   acg2vec_analyzer** out);
ACG2VEC_API void acg2vec_analyzer_free(acg2vec_analyzer* analyzer);
/* The analyzer's tasks as handles of their own (sharing its model); ACG2VEC_NOT_FOUND when the
 * model lacks that task. */
ACG2VEC_API acg2vec_status acg2vec_analyzer_tagger(const acg2vec_analyzer* analyzer, acg2vec_tagger** out);
ACG2VEC_API acg2vec_status acg2vec_analyzer_scorer(const acg2vec_analyzer* analyzer, acg2vec_scorer** out);
ACG2VEC_API acg2vec_status acg2vec_analyzer_embedder(const acg2vec_analyzer* analyzer, acg2vec_embedder** out);
ACG2VEC_API acg2vec_status acg2vec_analyzer_analyze(const acg2vec_analyzer* analyzer, const acg2vec_image_input* input,
                                                    acg2vec_analysis** out);
ACG2VEC_API acg2vec_status acg2vec_analyzer_analyze_batch(const acg2vec_analyzer* analyzer,
                                                          const acg2vec_image_input* inputs, size_t count,
                                                          acg2vec_analysis_batch** out);

/* The parts of an analysis, owned by it; ACG2VEC_NOT_FOUND (and NULL) when the model lacks
 * that task. */
ACG2VEC_API acg2vec_status acg2vec_analysis_tags(const acg2vec_analysis* analysis, const acg2vec_tag_result** tags);
ACG2VEC_API acg2vec_status acg2vec_analysis_scores(const acg2vec_analysis* analysis,
                                                   const acg2vec_score_result** scores);
ACG2VEC_API acg2vec_status acg2vec_analysis_vector(const acg2vec_analysis* analysis, const acg2vec_vector** vector);
ACG2VEC_API void acg2vec_analysis_free(acg2vec_analysis* analysis);

ACG2VEC_API acg2vec_status acg2vec_analysis_batch_count(const acg2vec_analysis_batch* batch, size_t* count);
ACG2VEC_API acg2vec_status acg2vec_analysis_batch_item(const acg2vec_analysis_batch* batch, size_t index,
                                                       acg2vec_status* status, const char** input,
                                                       const char** message);
ACG2VEC_API acg2vec_status acg2vec_analysis_batch_result(const acg2vec_analysis_batch* batch, size_t index,
                                                         const acg2vec_analysis** result);
ACG2VEC_API void acg2vec_analysis_batch_free(acg2vec_analysis_batch* batch);

/* ---- Tokenizers ----------------------------------------------------------------------- */

typedef struct acg2vec_clip_tokenizer_options {
    size_t struct_size;
    int context_length; /* ids per text, SOT and EOT included */
    int truncate;       /* nonzero: cut long texts keeping EOT; 0: too long is an error */
} acg2vec_clip_tokenizer_options;

typedef struct acg2vec_wordpiece_options {
    size_t struct_size;
    int lowercase;     /* uncased vocabularies */
    int strip_accents; /* with lowercase: drop combining marks */
    int split_cjk;     /* every CJK ideograph is a word of its own */
    int max_length;    /* ids per text, [CLS] and [SEP] included */
    int max_word_chars;
} acg2vec_wordpiece_options;

ACG2VEC_API acg2vec_status acg2vec_clip_tokenizer_options_init(acg2vec_clip_tokenizer_options* options);
ACG2VEC_API acg2vec_status acg2vec_wordpiece_options_init(acg2vec_wordpiece_options* options);

/* path: bpe_simple_vocab_16e6.txt.gz (or its inflated text). options may be NULL. */
ACG2VEC_API acg2vec_status acg2vec_clip_tokenizer_open(const char* path, const acg2vec_clip_tokenizer_options* options,
                                                       acg2vec_clip_tokenizer** out);
ACG2VEC_API void acg2vec_clip_tokenizer_free(acg2vec_clip_tokenizer* tokenizer);
/* The reference clean-up (ftfy fixes, HTML unescape, whitespace, lower case). */
ACG2VEC_API acg2vec_status acg2vec_clip_tokenizer_clean(const acg2vec_clip_tokenizer* tokenizer, const char* text,
                                                        char** out);
/* BPE pieces ("girl</w>") and their ids, without SOT/EOT or length limit. */
ACG2VEC_API acg2vec_status acg2vec_clip_tokenizer_pieces(const acg2vec_clip_tokenizer* tokenizer, const char* text,
                                                         acg2vec_strings** out);
ACG2VEC_API acg2vec_status acg2vec_clip_tokenizer_encode(const acg2vec_clip_tokenizer* tokenizer, const char* text,
                                                         acg2vec_ids** out);
/* What the model takes: SOT, ids, EOT, zeros up to context_length. */
ACG2VEC_API acg2vec_status acg2vec_clip_tokenizer_tokenize(const acg2vec_clip_tokenizer* tokenizer, const char* text,
                                                           acg2vec_ids** out);
ACG2VEC_API acg2vec_status acg2vec_clip_tokenizer_decode(const acg2vec_clip_tokenizer* tokenizer, const int64_t* ids,
                                                         size_t count, char** out);
ACG2VEC_API acg2vec_status acg2vec_clip_tokenizer_special_tokens(const acg2vec_clip_tokenizer* tokenizer,
                                                                 int64_t* start_of_text, int64_t* end_of_text);
ACG2VEC_API acg2vec_status acg2vec_clip_tokenizer_vocab_size(const acg2vec_clip_tokenizer* tokenizer, size_t* size);

/* path: a vocab.txt (one token a line). options may be NULL. */
ACG2VEC_API acg2vec_status acg2vec_wordpiece_tokenizer_open(const char* path, const acg2vec_wordpiece_options* options,
                                                            acg2vec_wordpiece_tokenizer** out);
ACG2VEC_API void acg2vec_wordpiece_tokenizer_free(acg2vec_wordpiece_tokenizer* tokenizer);
/* Word pieces ("un", "##aff"), no special tokens, no length limit. */
ACG2VEC_API acg2vec_status acg2vec_wordpiece_tokenizer_tokenize(const acg2vec_wordpiece_tokenizer* tokenizer,
                                                                const char* text, acg2vec_strings** out);
/* [CLS] pieces [SEP], cut to max_length. */
ACG2VEC_API acg2vec_status acg2vec_wordpiece_tokenizer_encode(const acg2vec_wordpiece_tokenizer* tokenizer,
                                                              const char* text, acg2vec_ids** out);
/* The same padded with [PAD] to `length`, and its attention mask. */
ACG2VEC_API acg2vec_status acg2vec_wordpiece_tokenizer_encode_padded(const acg2vec_wordpiece_tokenizer* tokenizer,
                                                                     const char* text, size_t length, acg2vec_ids** ids,
                                                                     acg2vec_ids** attention_mask);
/* Id of a token (ACG2VEC_NOT_FOUND if absent) and token of an id (owned by the tokenizer). */
ACG2VEC_API acg2vec_status acg2vec_wordpiece_tokenizer_token_id(const acg2vec_wordpiece_tokenizer* tokenizer,
                                                                const char* token, int64_t* id);
ACG2VEC_API acg2vec_status acg2vec_wordpiece_tokenizer_token(const acg2vec_wordpiece_tokenizer* tokenizer, int64_t id,
                                                             const char** token);
ACG2VEC_API acg2vec_status acg2vec_wordpiece_tokenizer_vocab_size(const acg2vec_wordpiece_tokenizer* tokenizer,
                                                                  size_t* size);

ACG2VEC_API acg2vec_status acg2vec_ids_data(const acg2vec_ids* ids, const int64_t** data, size_t* count);
ACG2VEC_API void acg2vec_ids_free(acg2vec_ids* ids);

ACG2VEC_API acg2vec_status acg2vec_strings_count(const acg2vec_strings* strings, size_t* count);
ACG2VEC_API acg2vec_status acg2vec_strings_get(const acg2vec_strings* strings, size_t index, const char** string);
ACG2VEC_API void acg2vec_strings_free(acg2vec_strings* strings);

/* ---- Index ---------------------------------------------------------------------------- */

typedef enum acg2vec_metric {
    ACG2VEC_METRIC_COSINE = 0,        /* distance 1 - cos, score cos */
    ACG2VEC_METRIC_INNER_PRODUCT = 1, /* distance 1 - dot, score dot */
    ACG2VEC_METRIC_L2 = 2             /* distance Euclidean, score 1 / (1 + distance) */
} acg2vec_metric;

/* "cosine", "inner_product", "l2"; "unknown" for other values. Static string. */
ACG2VEC_API const char* acg2vec_metric_name(int metric);

/* acg2vec::IndexOptions. For acg2vec_index_load these are expectations: dimension 0 and empty
 * (or NULL) model strings mean "any". */
typedef struct acg2vec_index_options {
    size_t struct_size;
    size_t dimension;
    acg2vec_metric metric;
    size_t M;
    size_t ef_construction;
    size_t ef_search;
    size_t initial_capacity;
    uint64_t seed;
    const char* model_name;        /* NULL: "" */
    const char* model_fingerprint; /* NULL: "" */
} acg2vec_index_options;

/* Accepts a key (nonzero) or not (0). Called on the searching thread during the search; it
 * must not modify the same index (that waits for the search: a deadlock). */
typedef int (*acg2vec_key_filter)(const char* key, void* user_data);

/* Restricts a search; both conditions hold when both are given. */
typedef struct acg2vec_search_filter {
    size_t struct_size;
    const char* const* any_category; /* the item has one of these; count 0: any */
    size_t category_count;
    acg2vec_key_filter accept; /* NULL: every key */
    void* user_data;           /* passed to accept */
} acg2vec_search_filter;

ACG2VEC_API acg2vec_status acg2vec_index_options_init(acg2vec_index_options* options);
ACG2VEC_API acg2vec_status acg2vec_search_filter_init(acg2vec_search_filter* filter);
/* What an index of this embedder's vectors records and expects (acg2vec_index_create and
 * acg2vec_index_load take it): dimension, cosine, the model's name and fingerprint. The strings
 * are owned by the embedder; the other fields are the defaults. */
ACG2VEC_API acg2vec_status acg2vec_embedder_index_options(const acg2vec_embedder* embedder,
                                                          acg2vec_index_options* options);

ACG2VEC_API acg2vec_status acg2vec_index_create(const acg2vec_index_options* options, acg2vec_index** out);
/* Validates the whole file; expected may be NULL. */
ACG2VEC_API acg2vec_status acg2vec_index_load(const char* path, const acg2vec_index_options* expected,
                                              acg2vec_index** out);
/* Atomic: a temporary file renamed over path. */
ACG2VEC_API acg2vec_status acg2vec_index_save(const acg2vec_index* index, const char* path);
ACG2VEC_API void acg2vec_index_free(acg2vec_index* index);

/* add: a new key (ACG2VEC_INVALID_ARGUMENT if present); update: an existing key
 * (ACG2VEC_NOT_FOUND otherwise). categories may be NULL when category_count is 0. */
ACG2VEC_API acg2vec_status acg2vec_index_add(acg2vec_index* index, const char* key, const float* vector,
                                             size_t dimension, const char* const* categories, size_t category_count);
/* key_count keys, their vectors one after another (float_count = key_count x dimension), and
 * optionally per key a category list: categories[i] with category_counts[i] entries (both NULL
 * for none). All are checked before any is added. */
ACG2VEC_API acg2vec_status acg2vec_index_add_batch(acg2vec_index* index, const char* const* keys, size_t key_count,
                                                   const float* vectors, size_t float_count,
                                                   const char* const* const* categories, const size_t* category_counts);
ACG2VEC_API acg2vec_status acg2vec_index_update(acg2vec_index* index, const char* key, const float* vector,
                                                size_t dimension, const char* const* categories, size_t category_count);
/* *removed: 1 if the key was there, 0 if not (not an error). */
ACG2VEC_API acg2vec_status acg2vec_index_remove(acg2vec_index* index, const char* key, int* removed);
ACG2VEC_API acg2vec_status acg2vec_index_contains(const acg2vec_index* index, const char* key, int* contains);
ACG2VEC_API acg2vec_status acg2vec_index_size(const acg2vec_index* index, size_t* size);
/* The stored vector (normalised for cosine); ACG2VEC_NOT_FOUND for an absent key. */
ACG2VEC_API acg2vec_status acg2vec_index_get(const acg2vec_index* index, const char* key, acg2vec_vector** out);
ACG2VEC_API acg2vec_status acg2vec_index_categories(const acg2vec_index* index, const char* key, acg2vec_strings** out);
ACG2VEC_API acg2vec_status acg2vec_index_keys(const acg2vec_index* index, acg2vec_strings** out);
ACG2VEC_API acg2vec_status acg2vec_index_get_info(const acg2vec_index* index, acg2vec_index_info** out);
/* Writes vectors.npy, keys.jsonl and vectors.fvecs into directory. */
ACG2VEC_API acg2vec_status acg2vec_index_export_vectors(const acg2vec_index* index, const char* directory);

/* Up to k hits, nearest first. ef 0: the index's ef_search. filter may be NULL. */
ACG2VEC_API acg2vec_status acg2vec_index_search(const acg2vec_index* index, const float* query, size_t dimension,
                                                size_t k, size_t ef, const acg2vec_search_filter* filter,
                                                acg2vec_search_result** out);
/* queries: query_count vectors of `dimension` floats one after another. */
ACG2VEC_API acg2vec_status acg2vec_index_search_batch(const acg2vec_index* index, const float* queries,
                                                      size_t query_count, size_t dimension, size_t k, size_t ef,
                                                      const acg2vec_search_filter* filter, acg2vec_search_batch** out);
/* Brute force over every key: exact. */
ACG2VEC_API acg2vec_status acg2vec_index_exact_search(const acg2vec_index* index, const float* query, size_t dimension,
                                                      size_t k, const acg2vec_search_filter* filter,
                                                      acg2vec_search_result** out);

ACG2VEC_API acg2vec_status acg2vec_index_info_get(const acg2vec_index_info* info, size_t* dimension,
                                                  acg2vec_metric* metric, size_t* size, size_t* capacity,
                                                  size_t* removed_slots);
ACG2VEC_API acg2vec_status acg2vec_index_info_model(const acg2vec_index_info* info, const char** model_name,
                                                    const char** model_fingerprint);
ACG2VEC_API void acg2vec_index_info_free(acg2vec_index_info* info);

ACG2VEC_API acg2vec_status acg2vec_search_result_count(const acg2vec_search_result* result, size_t* count);
ACG2VEC_API acg2vec_status acg2vec_search_result_get(const acg2vec_search_result* result, size_t index,
                                                     const char** key, float* distance, float* score);
ACG2VEC_API void acg2vec_search_result_free(acg2vec_search_result* result);

ACG2VEC_API acg2vec_status acg2vec_search_batch_count(const acg2vec_search_batch* batch, size_t* count);
/* The hits of query `index`, owned by the batch. */
ACG2VEC_API acg2vec_status acg2vec_search_batch_get(const acg2vec_search_batch* batch, size_t index,
                                                    const acg2vec_search_result** result);
ACG2VEC_API void acg2vec_search_batch_free(acg2vec_search_batch* batch);

/* ---- Folder sync: an index that follows image files on disk ---------------------------- */

/* The category folder sync gives every image: this prefix and the fingerprint of its bytes. */
#define ACG2VEC_CONTENT_CATEGORY_PREFIX "content:"

typedef enum acg2vec_sync_action {
    ACG2VEC_SYNC_ADDED = 0,     /* a new key */
    ACG2VEC_SYNC_UPDATED = 1,   /* the file's bytes changed */
    ACG2VEC_SYNC_RENAMED = 2,   /* a gone key became this key, vector kept */
    ACG2VEC_SYNC_REMOVED = 3,   /* the file is gone */
    ACG2VEC_SYNC_UNCHANGED = 4, /* same key, same bytes */
    ACG2VEC_SYNC_FAILED = 5     /* unreadable or undecodable: see status and message */
} acg2vec_sync_action;

/* "added", "updated", ...; "unknown" for other values. Static string. */
ACG2VEC_API const char* acg2vec_sync_action_name(int action);

/* One file's outcome; its strings are valid during the callback only. */
typedef struct acg2vec_sync_event {
    acg2vec_sync_action action;
    const char* key;
    const char* previous_key; /* renamed: the key it had; else "" */
    int reused;               /* added/updated with the vector of a file with the same bytes */
    acg2vec_status status;    /* failed: why */
    const char* message;      /* failed: names the file and the reason; else "" */
} acg2vec_sync_event;

typedef void (*acg2vec_sync_event_callback)(const acg2vec_sync_event* event, void* user_data);
typedef void (*acg2vec_sync_progress_callback)(size_t done, size_t total, void* user_data);

/* acg2vec::SyncOptions (include/acg2vec/folder_sync.hpp explains each field). */
typedef struct acg2vec_sync_options {
    size_t struct_size;
    const char* root;      /* keys are paths relative to this folder; NULL: "." */
    int remove_missing;    /* nonzero: remove keys under the synced folders whose file is gone */
    const char* save_path; /* NULL: never save; else save here every save_every model runs and at the end */
    size_t save_every;
    size_t images_per_call;                     /* images handed to the batch engine at once */
    acg2vec_sync_event_callback on_event;       /* NULL: none; called on the syncing thread */
    acg2vec_sync_progress_callback on_progress; /* NULL: none */
    void* user_data;                            /* passed to both callbacks */
} acg2vec_sync_options;

typedef struct acg2vec_sync_report {
    size_t added, updated, renamed, removed, unchanged, failed;
    size_t model_runs; /* images that went through the model */
} acg2vec_sync_report;

ACG2VEC_API acg2vec_status acg2vec_sync_options_init(acg2vec_sync_options* options);
/* Makes the index follow the image files under inputs (folders recursively, by extension;
 * files named directly). Vectors and categories come from the analyzer, whose embedder must
 * match the index (acg2vec_embedder_index_options). options may be NULL. */
ACG2VEC_API acg2vec_status acg2vec_sync_folder(acg2vec_index* index, const acg2vec_analyzer* analyzer,
                                               const char* const* inputs, size_t input_count,
                                               const acg2vec_sync_options* options, acg2vec_sync_report* report);
/* The image files folder sync would see under inputs, sorted. */
ACG2VEC_API acg2vec_status acg2vec_list_image_files(const char* const* inputs, size_t input_count,
                                                    acg2vec_strings** out);
/* The key folder sync gives path under root (NULL: "."); free with acg2vec_string_free. */
ACG2VEC_API acg2vec_status acg2vec_index_key(const char* path, const char* root, char** key);

/* ---- Duplicates ----------------------------------------------------------------------- */

typedef struct acg2vec_duplicate_options {
    size_t struct_size;
    float min_score;   /* search score at or above which two keys are near-duplicates */
    size_t neighbours; /* nearest keys examined per key */
} acg2vec_duplicate_options;

ACG2VEC_API acg2vec_status acg2vec_duplicate_options_init(acg2vec_duplicate_options* options);
/* Groups of identical copies (same content category) first, then near-duplicate groups, the
 * most similar first; each key in at most one group. options may be NULL. */
ACG2VEC_API acg2vec_status acg2vec_find_duplicates(const acg2vec_index* index, const acg2vec_duplicate_options* options,
                                                   acg2vec_duplicates** out);
ACG2VEC_API acg2vec_status acg2vec_duplicates_count(const acg2vec_duplicates* duplicates, size_t* groups);
/* identical: every member has the same bytes. */
ACG2VEC_API acg2vec_status acg2vec_duplicates_group(const acg2vec_duplicates* duplicates, size_t group, int* identical,
                                                    size_t* member_count);
/* A member by key order: its content fingerprint ("" when unknown), whether another member has
 * the same bytes, and its most similar member with their score. */
ACG2VEC_API acg2vec_status acg2vec_duplicates_member(const acg2vec_duplicates* duplicates, size_t group, size_t member,
                                                     const char** key, const char** content, int* identical,
                                                     const char** nearest, float* score);
ACG2VEC_API void acg2vec_duplicates_free(acg2vec_duplicates* duplicates);

#ifdef __cplusplus
}
#endif

#endif /* ACG2VEC_H */
