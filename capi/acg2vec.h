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
#define ACG2VEC_ABI_VERSION 1

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
typedef struct acg2vec_tagger acg2vec_tagger;
typedef struct acg2vec_scorer acg2vec_scorer;
typedef struct acg2vec_embedder acg2vec_embedder;
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

/* How images are decoded (acg2vec::DecodeOptions). */
typedef struct acg2vec_decode_options {
    size_t struct_size;
    uint64_t max_pixels;        /* refuse images declaring more pixels (Pillow's limit) */
    int apply_exif_orientation; /* nonzero: rotate JPEGs by their EXIF Orientation */
} acg2vec_decode_options;

/* Opening a tagger, scorer or embedder: acg2vec::ModelOptions, the DecodeOptions of its
 * images, and the one field of ScorerOptions / EmbedderOptions (ignored by the other kinds). */
typedef struct acg2vec_model_options {
    size_t struct_size;
    const char* device;        /* "cpu", "cuda", "cuda:N", "auto"; NULL: the default ("cpu") */
    int threads;               /* libtorch intra-op threads, process-wide; 0: leave as is */
    int batch_size;            /* images per forward pass in batch calls */
    acg2vec_precision precision;
    acg2vec_optimization optimization;
    const char* metadata_json; /* replaces the archive's acg2vec.json; NULL: keep it */
    uint64_t max_pixels;       /* decoding, as acg2vec_decode_options */
    int apply_exif_orientation;
    size_t top_k;              /* scorer: entries in each head's top list */
    int normalize;             /* embedder: nonzero L2-normalises every vector */
} acg2vec_model_options;

/* Which tags a tag result keeps (acg2vec::TagOptions; the defaults are WD14's). */
typedef struct acg2vec_tag_options {
    size_t struct_size;
    float general_threshold;
    float character_threshold;
    int general_mcut;   /* nonzero: MCut replaces general_threshold */
    int character_mcut; /* nonzero: MCut replaces character_threshold */
    float character_mcut_floor;
    size_t max_general;    /* 0: no limit */
    size_t max_characters; /* 0: no limit */
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
ACG2VEC_API acg2vec_status acg2vec_image_dimensions(const acg2vec_image* image, int* width, int* height,
                                                    int* channels);
ACG2VEC_API acg2vec_status acg2vec_image_pixels(const acg2vec_image* image, const uint8_t** pixels, size_t* size);
/* "jpeg", "png", ... or "unknown" (built from pixels). Static string. */
ACG2VEC_API acg2vec_status acg2vec_image_format(const acg2vec_image* image, const char** format);
ACG2VEC_API void acg2vec_image_free(acg2vec_image* image);

/* ---- Tagger --------------------------------------------------------------------------- */

typedef enum acg2vec_tag_category {
    ACG2VEC_TAG_RATING = 0,    /* every rating, most probable first */
    ACG2VEC_TAG_CHARACTER = 1, /* kept characters, most probable first */
    ACG2VEC_TAG_GENERAL = 2    /* kept general tags, most probable first */
} acg2vec_tag_category;

/* options and tag_options may be NULL. */
ACG2VEC_API acg2vec_status acg2vec_tagger_open(const char* path, const acg2vec_model_options* options,
                                               const acg2vec_tag_options* tag_options, acg2vec_tagger** out);
ACG2VEC_API void acg2vec_tagger_free(acg2vec_tagger* tagger);
ACG2VEC_API acg2vec_status acg2vec_tagger_tag_file(const acg2vec_tagger* tagger, const char* path,
                                                   acg2vec_tag_result** out);
ACG2VEC_API acg2vec_status acg2vec_tagger_tag_memory(const acg2vec_tagger* tagger, const void* data, size_t size,
                                                     acg2vec_tag_result** out);
ACG2VEC_API acg2vec_status acg2vec_tagger_tag_base64(const acg2vec_tagger* tagger, const char* text,
                                                     acg2vec_tag_result** out);
ACG2VEC_API acg2vec_status acg2vec_tagger_tag_image(const acg2vec_tagger* tagger, const acg2vec_image* image,
                                                    acg2vec_tag_result** out);
/* Batches with a status per item: a bad file fails alone. */
ACG2VEC_API acg2vec_status acg2vec_tagger_tag_files(const acg2vec_tagger* tagger, const char* const* paths,
                                                    size_t count, acg2vec_tag_batch** out);
ACG2VEC_API acg2vec_status acg2vec_tagger_tag_images(const acg2vec_tagger* tagger,
                                                     const acg2vec_image* const* images, size_t count,
                                                     acg2vec_tag_batch** out);
/* The model's probability of every label, in label order. */
ACG2VEC_API acg2vec_status acg2vec_tagger_probabilities(const acg2vec_tagger* tagger, const acg2vec_image* image,
                                                        acg2vec_vector** out);
/* Selection alone on stored probabilities (one per label); options NULL: the tagger's own. */
ACG2VEC_API acg2vec_status acg2vec_tagger_select(const acg2vec_tagger* tagger, const float* probabilities,
                                                 size_t count, const acg2vec_tag_options* options,
                                                 acg2vec_tag_result** out);
ACG2VEC_API acg2vec_status acg2vec_tagger_label_count(const acg2vec_tagger* tagger, size_t* count);
/* category: Danbooru's number (0 general, 1 artist, 3 copyright, 4 character, 5 meta, 9 rating). */
ACG2VEC_API acg2vec_status acg2vec_tagger_label(const acg2vec_tagger* tagger, size_t index, const char** name,
                                                int* category);
/* The model's acg2vec.json text, and the device it runs on ("cpu", "cuda:0"). */
ACG2VEC_API acg2vec_status acg2vec_tagger_metadata(const acg2vec_tagger* tagger, const char** json);
ACG2VEC_API acg2vec_status acg2vec_tagger_device(const acg2vec_tagger* tagger, const char** device);

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
ACG2VEC_API acg2vec_status acg2vec_tag_batch_item(const acg2vec_tag_batch* batch, size_t index,
                                                  acg2vec_status* status, const char** input, const char** message);
/* The item's result, owned by the batch. Returns the item's own status when it failed (and
 * acg2vec_last_error() gives its message); *result is then NULL. */
ACG2VEC_API acg2vec_status acg2vec_tag_batch_result(const acg2vec_tag_batch* batch, size_t index,
                                                    const acg2vec_tag_result** result);
ACG2VEC_API acg2vec_status acg2vec_tag_batch_to_json(const acg2vec_tag_batch* batch, char** json);
ACG2VEC_API void acg2vec_tag_batch_free(acg2vec_tag_batch* batch);

/* ---- Scorer --------------------------------------------------------------------------- */

/* options may be NULL (top_k is used). */
ACG2VEC_API acg2vec_status acg2vec_scorer_open(const char* path, const acg2vec_model_options* options,
                                               acg2vec_scorer** out);
ACG2VEC_API void acg2vec_scorer_free(acg2vec_scorer* scorer);
ACG2VEC_API acg2vec_status acg2vec_scorer_score_file(const acg2vec_scorer* scorer, const char* path,
                                                     acg2vec_score_result** out);
ACG2VEC_API acg2vec_status acg2vec_scorer_score_memory(const acg2vec_scorer* scorer, const void* data, size_t size,
                                                       acg2vec_score_result** out);
ACG2VEC_API acg2vec_status acg2vec_scorer_score_base64(const acg2vec_scorer* scorer, const char* text,
                                                       acg2vec_score_result** out);
ACG2VEC_API acg2vec_status acg2vec_scorer_score_image(const acg2vec_scorer* scorer, const acg2vec_image* image,
                                                      acg2vec_score_result** out);
ACG2VEC_API acg2vec_status acg2vec_scorer_score_files(const acg2vec_scorer* scorer, const char* const* paths,
                                                      size_t count, acg2vec_score_batch** out);
ACG2VEC_API acg2vec_status acg2vec_scorer_score_images(const acg2vec_scorer* scorer,
                                                       const acg2vec_image* const* images, size_t count,
                                                       acg2vec_score_batch** out);
ACG2VEC_API acg2vec_status acg2vec_scorer_head_names(const acg2vec_scorer* scorer, acg2vec_strings** out);
ACG2VEC_API acg2vec_status acg2vec_scorer_metadata(const acg2vec_scorer* scorer, const char** json);
ACG2VEC_API acg2vec_status acg2vec_scorer_device(const acg2vec_scorer* scorer, const char** device);

/* Heads are numbered in metadata order; find_head gives ACG2VEC_NOT_FOUND for another name. */
ACG2VEC_API acg2vec_status acg2vec_score_result_head_count(const acg2vec_score_result* result, size_t* count);
ACG2VEC_API acg2vec_status acg2vec_score_result_find_head(const acg2vec_score_result* result, const char* name,
                                                          size_t* head);
ACG2VEC_API acg2vec_status acg2vec_score_result_head_name(const acg2vec_score_result* result, size_t head,
                                                          const char** name);
/* Every label of a head with its probability, in label order. */
ACG2VEC_API acg2vec_status acg2vec_score_result_label_count(const acg2vec_score_result* result, size_t head,
                                                            size_t* count);
ACG2VEC_API acg2vec_status acg2vec_score_result_label(const acg2vec_score_result* result, size_t head,
                                                      size_t index, const char** label, float* probability);
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
                                                    acg2vec_status* status, const char** input,
                                                    const char** message);
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

/* options may be NULL (normalize is used). */
ACG2VEC_API acg2vec_status acg2vec_embedder_open(const char* path, const acg2vec_model_options* options,
                                                 acg2vec_embedder** out);
ACG2VEC_API void acg2vec_embedder_free(acg2vec_embedder* embedder);
ACG2VEC_API acg2vec_status acg2vec_embedder_has_image(const acg2vec_embedder* embedder, int* has_image);
ACG2VEC_API acg2vec_status acg2vec_embedder_has_text(const acg2vec_embedder* embedder, int* has_text);
ACG2VEC_API acg2vec_status acg2vec_embedder_dimensions(const acg2vec_embedder* embedder, size_t* dimensions);
ACG2VEC_API acg2vec_status acg2vec_embedder_logit_scale(const acg2vec_embedder* embedder, double* logit_scale);
ACG2VEC_API acg2vec_status acg2vec_embedder_metadata(const acg2vec_embedder* embedder, const char** json);
ACG2VEC_API acg2vec_status acg2vec_embedder_device(const acg2vec_embedder* embedder, const char** device);

ACG2VEC_API acg2vec_status acg2vec_embedder_embed_file(const acg2vec_embedder* embedder, const char* path,
                                                       acg2vec_vector** out);
ACG2VEC_API acg2vec_status acg2vec_embedder_embed_memory(const acg2vec_embedder* embedder, const void* data,
                                                         size_t size, acg2vec_vector** out);
ACG2VEC_API acg2vec_status acg2vec_embedder_embed_base64(const acg2vec_embedder* embedder, const char* text,
                                                         acg2vec_vector** out);
ACG2VEC_API acg2vec_status acg2vec_embedder_embed_image(const acg2vec_embedder* embedder,
                                                        const acg2vec_image* image, acg2vec_vector** out);
ACG2VEC_API acg2vec_status acg2vec_embedder_embed_files(const acg2vec_embedder* embedder, const char* const* paths,
                                                        size_t count, acg2vec_vector_batch** out);
ACG2VEC_API acg2vec_status acg2vec_embedder_embed_images(const acg2vec_embedder* embedder,
                                                         const acg2vec_image* const* images, size_t count,
                                                         acg2vec_vector_batch** out);
/* Text vectors (ACG2VEC_NOT_FOUND without a text tower). embed_texts fails as a whole; its
 * items are all ACG2VEC_OK and their input is the text. */
ACG2VEC_API acg2vec_status acg2vec_embedder_embed_text(const acg2vec_embedder* embedder, const char* text,
                                                       acg2vec_vector** out);
ACG2VEC_API acg2vec_status acg2vec_embedder_embed_texts(const acg2vec_embedder* embedder, const char* const* texts,
                                                        size_t count, acg2vec_vector_batch** out);

ACG2VEC_API acg2vec_status acg2vec_embedder_similarity_files(const acg2vec_embedder* embedder, const char* path_a,
                                                             const char* path_b, acg2vec_similarity* out);
ACG2VEC_API acg2vec_status acg2vec_embedder_similarity_images(const acg2vec_embedder* embedder,
                                                              const acg2vec_image* a, const acg2vec_image* b,
                                                              acg2vec_similarity* out);
/* Compares two vectors of the same size (ACG2VEC_INVALID_ARGUMENT otherwise). */
ACG2VEC_API acg2vec_status acg2vec_compare_vectors(const float* a, size_t a_size, const float* b, size_t b_size,
                                                   acg2vec_similarity* out);

/* Zero-shot labels: each label put into prompt at "{}" (NULL: "a picture of {}"); results in
 * label order. Needs both towers. */
ACG2VEC_API acg2vec_status acg2vec_embedder_zero_shot_image(const acg2vec_embedder* embedder,
                                                            const acg2vec_image* image, const char* const* labels,
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
                                                     acg2vec_status* status, const char** input,
                                                     const char** message);
ACG2VEC_API acg2vec_status acg2vec_vector_batch_result(const acg2vec_vector_batch* batch, size_t index,
                                                       const acg2vec_vector** result);
ACG2VEC_API void acg2vec_vector_batch_free(acg2vec_vector_batch* batch);

ACG2VEC_API acg2vec_status acg2vec_zero_shot_result_count(const acg2vec_zero_shot_result* result, size_t* count);
ACG2VEC_API acg2vec_status acg2vec_zero_shot_result_get(const acg2vec_zero_shot_result* result, size_t index,
                                                        const char** label, double* probability, double* cosine);
ACG2VEC_API void acg2vec_zero_shot_result_free(acg2vec_zero_shot_result* result);

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
ACG2VEC_API acg2vec_status acg2vec_clip_tokenizer_open(const char* path,
                                                       const acg2vec_clip_tokenizer_options* options,
                                                       acg2vec_clip_tokenizer** out);
ACG2VEC_API void acg2vec_clip_tokenizer_free(acg2vec_clip_tokenizer* tokenizer);
/* The reference clean-up (ftfy fixes, HTML unescape, whitespace, lower case). */
ACG2VEC_API acg2vec_status acg2vec_clip_tokenizer_clean(const acg2vec_clip_tokenizer* tokenizer, const char* text,
                                                        char** out);
/* BPE pieces ("girl</w>") and their ids, without SOT/EOT or length limit. */
ACG2VEC_API acg2vec_status acg2vec_clip_tokenizer_pieces(const acg2vec_clip_tokenizer* tokenizer,
                                                         const char* text, acg2vec_strings** out);
ACG2VEC_API acg2vec_status acg2vec_clip_tokenizer_encode(const acg2vec_clip_tokenizer* tokenizer,
                                                         const char* text, acg2vec_ids** out);
/* What the model takes: SOT, ids, EOT, zeros up to context_length. */
ACG2VEC_API acg2vec_status acg2vec_clip_tokenizer_tokenize(const acg2vec_clip_tokenizer* tokenizer,
                                                           const char* text, acg2vec_ids** out);
ACG2VEC_API acg2vec_status acg2vec_clip_tokenizer_decode(const acg2vec_clip_tokenizer* tokenizer,
                                                         const int64_t* ids, size_t count, char** out);
ACG2VEC_API acg2vec_status acg2vec_clip_tokenizer_special_tokens(const acg2vec_clip_tokenizer* tokenizer,
                                                                 int64_t* start_of_text, int64_t* end_of_text);
ACG2VEC_API acg2vec_status acg2vec_clip_tokenizer_vocab_size(const acg2vec_clip_tokenizer* tokenizer,
                                                             size_t* size);

/* path: a vocab.txt (one token a line). options may be NULL. */
ACG2VEC_API acg2vec_status acg2vec_wordpiece_tokenizer_open(const char* path,
                                                            const acg2vec_wordpiece_options* options,
                                                            acg2vec_wordpiece_tokenizer** out);
ACG2VEC_API void acg2vec_wordpiece_tokenizer_free(acg2vec_wordpiece_tokenizer* tokenizer);
/* Word pieces ("un", "##aff"), no special tokens, no length limit. */
ACG2VEC_API acg2vec_status acg2vec_wordpiece_tokenizer_tokenize(const acg2vec_wordpiece_tokenizer* tokenizer,
                                                                const char* text, acg2vec_strings** out);
/* [CLS] pieces [SEP], cut to max_length. */
ACG2VEC_API acg2vec_status acg2vec_wordpiece_tokenizer_encode(const acg2vec_wordpiece_tokenizer* tokenizer,
                                                              const char* text, acg2vec_ids** out);
/* The same padded with [PAD] to `length`, and its attention mask. */
ACG2VEC_API acg2vec_status acg2vec_wordpiece_tokenizer_encode_padded(
    const acg2vec_wordpiece_tokenizer* tokenizer, const char* text, size_t length, acg2vec_ids** ids,
    acg2vec_ids** attention_mask);
/* Id of a token (ACG2VEC_NOT_FOUND if absent) and token of an id (owned by the tokenizer). */
ACG2VEC_API acg2vec_status acg2vec_wordpiece_tokenizer_token_id(const acg2vec_wordpiece_tokenizer* tokenizer,
                                                                const char* token, int64_t* id);
ACG2VEC_API acg2vec_status acg2vec_wordpiece_tokenizer_token(const acg2vec_wordpiece_tokenizer* tokenizer,
                                                             int64_t id, const char** token);
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
    acg2vec_key_filter accept;       /* NULL: every key */
    void* user_data;                 /* passed to accept */
} acg2vec_search_filter;

ACG2VEC_API acg2vec_status acg2vec_index_options_init(acg2vec_index_options* options);
ACG2VEC_API acg2vec_status acg2vec_search_filter_init(acg2vec_search_filter* filter);

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
                                             size_t dimension, const char* const* categories,
                                             size_t category_count);
/* key_count keys, their vectors one after another (float_count = key_count x dimension), and
 * optionally per key a category list: categories[i] with category_counts[i] entries (both NULL
 * for none). All are checked before any is added. */
ACG2VEC_API acg2vec_status acg2vec_index_add_batch(acg2vec_index* index, const char* const* keys, size_t key_count,
                                                   const float* vectors, size_t float_count,
                                                   const char* const* const* categories,
                                                   const size_t* category_counts);
ACG2VEC_API acg2vec_status acg2vec_index_update(acg2vec_index* index, const char* key, const float* vector,
                                                size_t dimension, const char* const* categories,
                                                size_t category_count);
/* *removed: 1 if the key was there, 0 if not (not an error). */
ACG2VEC_API acg2vec_status acg2vec_index_remove(acg2vec_index* index, const char* key, int* removed);
ACG2VEC_API acg2vec_status acg2vec_index_contains(const acg2vec_index* index, const char* key, int* contains);
ACG2VEC_API acg2vec_status acg2vec_index_size(const acg2vec_index* index, size_t* size);
/* The stored vector (normalised for cosine); ACG2VEC_NOT_FOUND for an absent key. */
ACG2VEC_API acg2vec_status acg2vec_index_get(const acg2vec_index* index, const char* key, acg2vec_vector** out);
ACG2VEC_API acg2vec_status acg2vec_index_categories(const acg2vec_index* index, const char* key,
                                                    acg2vec_strings** out);
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
                                                      const acg2vec_search_filter* filter,
                                                      acg2vec_search_batch** out);
/* Brute force over every key: exact. */
ACG2VEC_API acg2vec_status acg2vec_index_exact_search(const acg2vec_index* index, const float* query,
                                                      size_t dimension, size_t k,
                                                      const acg2vec_search_filter* filter,
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

#ifdef __cplusplus
}
#endif

#endif /* ACG2VEC_H */
