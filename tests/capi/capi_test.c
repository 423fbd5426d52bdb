/* The C API end to end, in plain C11: every function on the fixture models, every error path
 * it has, and every NULL argument. Run by ctest, and a second time under valgrind
 * (capi_valgrind) to show that every allocation has its free function.
 *
 * Usage: capi_test TAGGER.pt PIX2SCORE.pt TWO_TOWER.pt LINEAR.pt SHARED_DATA_DIR WORK_DIR */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>

#include "acg2vec.h"

/* ---- A tiny assertion library: count, report, carry on. */

static int checks = 0;
static int failures = 0;

#define CHECK(condition)                                                                            \
    do {                                                                                            \
        ++checks;                                                                                   \
        if (!(condition)) {                                                                         \
            ++failures;                                                                             \
            fprintf(stderr, "%s:%d: CHECK(%s) failed; last error: %s\n", __FILE__, __LINE__,        \
                    #condition, acg2vec_last_error());                                              \
        }                                                                                           \
    } while (0)

/* `call` returns `expected`. */
#define CHECK_STATUS(call, expected)                                                                \
    do {                                                                                            \
        const acg2vec_status got_ = (call);                                                         \
        ++checks;                                                                                   \
        if (got_ != (expected)) {                                                                   \
            ++failures;                                                                             \
            fprintf(stderr, "%s:%d: %s returned %s, expected %s; last error: %s\n", __FILE__,       \
                    __LINE__, #call, acg2vec_status_name(got_), acg2vec_status_name(expected),      \
                    got_ == ACG2VEC_OK ? "-" : acg2vec_last_error());                               \
        }                                                                                           \
    } while (0)

#define CHECK_OK(call) CHECK_STATUS(call, ACG2VEC_OK)

/* `call` fails with `expected` and the message contains `text` (the parameter's name). */
#define CHECK_FAILS(call, expected, text)                                                           \
    do {                                                                                            \
        CHECK_STATUS(call, expected);                                                               \
        ++checks;                                                                                   \
        if (strstr(acg2vec_last_error(), (text)) == NULL) {                                         \
            ++failures;                                                                             \
            fprintf(stderr, "%s:%d: the error of %s does not mention \"%s\": %s\n", __FILE__,       \
                    __LINE__, #call, (text), acg2vec_last_error());                                 \
        }                                                                                           \
    } while (0)

/* A NULL or otherwise invalid argument: ACG2VEC_INVALID_ARGUMENT naming the parameter. */
#define CHECK_INVALID(call, parameter) CHECK_FAILS(call, ACG2VEC_INVALID_ARGUMENT, parameter)

#define CHECK_NEAR(a, b, tolerance) CHECK(fabs((double)(a) - (double)(b)) <= (tolerance))

/* ---- Test inputs */

static const char* tagger_path;
static const char* scorer_path;
static const char* embedder_path;
static const char* linear_path;
static const char* shared_dir;
static const char* work_dir;

static char image_a[1024]; /* a JPEG */
static char image_b[1024]; /* a PNG with alpha */
static char broken[1024];  /* a damaged PNG: its batch item fails alone */
static char missing[1024]; /* a path that does not exist */

static void join(char* out, size_t size, const char* dir, const char* name) {
    snprintf(out, size, "%s/%s", dir, name);
}

/* The whole file, malloc'ed; *size its length. */
static unsigned char* read_file(const char* path, size_t* size) {
    FILE* file = fopen(path, "rb");
    unsigned char* bytes = NULL;
    long length;
    if (file == NULL) return NULL;
    if (fseek(file, 0, SEEK_END) == 0 && (length = ftell(file)) > 0 && fseek(file, 0, SEEK_SET) == 0) {
        bytes = malloc((size_t)length);
        if (bytes != NULL && fread(bytes, 1, (size_t)length, file) != (size_t)length) {
            free(bytes);
            bytes = NULL;
        }
        *size = (size_t)length;
    }
    fclose(file);
    return bytes;
}

/* Plain base64 of `size` bytes, malloc'ed and NUL-terminated. */
static char* to_base64(const unsigned char* bytes, size_t size) {
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char* text = malloc((size + 2) / 3 * 4 + 1);
    size_t i, o = 0;
    if (text == NULL) return NULL;
    for (i = 0; i < size; i += 3) {
        const unsigned a = bytes[i], b = i + 1 < size ? bytes[i + 1] : 0, c = i + 2 < size ? bytes[i + 2] : 0;
        text[o++] = alphabet[a >> 2];
        text[o++] = alphabet[((a & 3) << 4) | (b >> 4)];
        text[o++] = i + 1 < size ? alphabet[((b & 15) << 2) | (c >> 6)] : '=';
        text[o++] = i + 2 < size ? alphabet[c & 63] : '=';
    }
    text[o] = '\0';
    return text;
}

/* ---- Library, last error, free functions */

static int failing_thread(void* unused) {
    (void)unused;
    /* Fails on this thread: must not change the main thread's message. */
    return acg2vec_image_decode_file(NULL, NULL, NULL) == ACG2VEC_INVALID_ARGUMENT &&
           strstr(acg2vec_last_error(), "acg2vec_image_decode_file") != NULL;
}

static void test_library(void) {
    thrd_t thread;
    int thread_result = 0;

    CHECK(strcmp(acg2vec_last_error(), "") == 0); /* nothing failed yet on this thread */
    CHECK(acg2vec_abi_version() == ACG2VEC_ABI_VERSION);
    CHECK(strlen(acg2vec_version()) >= 5);
    /* glibc (Debian): the allocator setting applies, and the tests below run with it; the
     * sanitizers' own allocators ignore it. */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    CHECK(acg2vec_keep_freed_memory_for_reuse(0) == 0);
#else
    CHECK(acg2vec_keep_freed_memory_for_reuse(0) == 1);
#endif
    CHECK(strcmp(acg2vec_status_name(ACG2VEC_OK), "ok") == 0);
    CHECK(strcmp(acg2vec_status_name(ACG2VEC_INTERNAL), "internal") == 0);
    CHECK(strcmp(acg2vec_status_name(-1), "unknown") == 0);
    CHECK(strcmp(acg2vec_status_name(ACG2VEC_INTERNAL + 1), "unknown") == 0);
    CHECK(strcmp(acg2vec_metric_name(ACG2VEC_METRIC_COSINE), "cosine") == 0);
    CHECK(strcmp(acg2vec_metric_name(ACG2VEC_METRIC_INNER_PRODUCT), "inner_product") == 0);
    CHECK(strcmp(acg2vec_metric_name(ACG2VEC_METRIC_L2), "l2") == 0);
    CHECK(strcmp(acg2vec_metric_name(-1), "unknown") == 0);
    CHECK(strcmp(acg2vec_metric_name(3), "unknown") == 0);

    /* The last error belongs to its thread; successes leave it as it was. */
    CHECK_INVALID(acg2vec_model_options_init(NULL), "options");
    CHECK(strstr(acg2vec_last_error(), "acg2vec_model_options_init: options is NULL") != NULL);
    CHECK(thrd_create(&thread, failing_thread, NULL) == thrd_success);
    CHECK(thrd_join(thread, &thread_result) == thrd_success);
    CHECK(thread_result == 1);
    CHECK(strstr(acg2vec_last_error(), "acg2vec_model_options_init") != NULL);
    {
        acg2vec_model_options options;
        CHECK_OK(acg2vec_model_options_init(&options));
        CHECK(strstr(acg2vec_last_error(), "acg2vec_model_options_init") != NULL);
    }

    /* Every free function accepts NULL. */
    acg2vec_string_free(NULL);
    acg2vec_image_free(NULL);
    acg2vec_tagger_free(NULL);
    acg2vec_tag_result_free(NULL);
    acg2vec_tag_batch_free(NULL);
    acg2vec_scorer_free(NULL);
    acg2vec_score_result_free(NULL);
    acg2vec_score_batch_free(NULL);
    acg2vec_embedder_free(NULL);
    acg2vec_vector_free(NULL);
    acg2vec_vector_batch_free(NULL);
    acg2vec_zero_shot_result_free(NULL);
    acg2vec_clip_tokenizer_free(NULL);
    acg2vec_wordpiece_tokenizer_free(NULL);
    acg2vec_ids_free(NULL);
    acg2vec_strings_free(NULL);
    acg2vec_index_free(NULL);
    acg2vec_index_info_free(NULL);
    acg2vec_search_result_free(NULL);
    acg2vec_search_batch_free(NULL);
}

/* ---- Options */

static void test_options(void) {
    acg2vec_model_options model;
    acg2vec_tag_options tags;
    acg2vec_decode_options decode;
    acg2vec_index_options index;
    acg2vec_search_filter filter;
    acg2vec_clip_tokenizer_options clip;
    acg2vec_wordpiece_options wordpiece;
    acg2vec_tagger* tagger = NULL;
    const char* bad_list[] = {"nsfw", NULL};

    CHECK_INVALID(acg2vec_model_options_init(NULL), "options");
    CHECK_INVALID(acg2vec_tag_options_init(NULL), "options");
    CHECK_INVALID(acg2vec_decode_options_init(NULL), "options");
    CHECK_INVALID(acg2vec_index_options_init(NULL), "options");
    CHECK_INVALID(acg2vec_search_filter_init(NULL), "filter");
    CHECK_INVALID(acg2vec_clip_tokenizer_options_init(NULL), "options");
    CHECK_INVALID(acg2vec_wordpiece_options_init(NULL), "options");

    /* The C++ defaults. */
    CHECK_OK(acg2vec_model_options_init(&model));
    CHECK(model.struct_size == sizeof model);
    CHECK(model.device == NULL && model.metadata_json == NULL);
    CHECK(model.threads == 0 && model.batch_size == 16);
    CHECK(model.precision == ACG2VEC_PRECISION_FP32 && model.optimization == ACG2VEC_OPTIMIZATION_FREEZE);
    CHECK(model.max_pixels == 178956970u && model.apply_exif_orientation == 0);
    CHECK(model.top_k == 5 && model.normalize == 1);
    CHECK_OK(acg2vec_tag_options_init(&tags));
    CHECK(tags.struct_size == sizeof tags);
    CHECK_NEAR(tags.general_threshold, 0.35, 1e-6);
    CHECK_NEAR(tags.character_threshold, 0.85, 1e-6);
    CHECK(tags.include == NULL && tags.include_count == 0 && tags.max_general == 0);
    CHECK_OK(acg2vec_decode_options_init(&decode));
    CHECK(decode.struct_size == sizeof decode && decode.max_pixels == 178956970u);
    CHECK_OK(acg2vec_index_options_init(&index));
    CHECK(index.struct_size == sizeof index && index.dimension == 0 && index.metric == ACG2VEC_METRIC_COSINE);
    CHECK(index.M == 16 && index.ef_construction == 200 && index.ef_search == 64 && index.seed == 100);
    CHECK_OK(acg2vec_search_filter_init(&filter));
    CHECK(filter.struct_size == sizeof filter && filter.accept == NULL && filter.category_count == 0);
    CHECK_OK(acg2vec_clip_tokenizer_options_init(&clip));
    CHECK(clip.struct_size == sizeof clip && clip.context_length == 77 && clip.truncate == 1);
    CHECK_OK(acg2vec_wordpiece_options_init(&wordpiece));
    CHECK(wordpiece.struct_size == sizeof wordpiece && wordpiece.max_length == 128 && wordpiece.lowercase == 1);

    /* Wrong struct_size, unknown enum values, NULL list entries. */
    model.struct_size = sizeof model - 1;
    CHECK_INVALID(acg2vec_tagger_open(tagger_path, &model, NULL, &tagger), "struct_size");
    CHECK(tagger == NULL);
    CHECK_OK(acg2vec_model_options_init(&model));
    model.precision = (acg2vec_precision)7;
    CHECK_INVALID(acg2vec_tagger_open(tagger_path, &model, NULL, &tagger), "precision");
    CHECK_OK(acg2vec_model_options_init(&model));
    model.optimization = (acg2vec_optimization)-1;
    CHECK_INVALID(acg2vec_tagger_open(tagger_path, &model, NULL, &tagger), "optimization");
    CHECK_OK(acg2vec_model_options_init(&model));
    model.device = "no-such-device";
    CHECK(acg2vec_tagger_open(tagger_path, &model, NULL, &tagger) != ACG2VEC_OK);
    CHECK(tagger == NULL);
    tags.struct_size = 0;
    CHECK_INVALID(acg2vec_tagger_open(tagger_path, NULL, &tags, &tagger), "tag_options->struct_size");
    CHECK_OK(acg2vec_tag_options_init(&tags));
    tags.include = bad_list;
    tags.include_count = 2;
    CHECK_INVALID(acg2vec_tagger_open(tagger_path, NULL, &tags, &tagger), "tag_options->include[1]");
    tags.include = NULL;
    CHECK_INVALID(acg2vec_tagger_open(tagger_path, NULL, &tags, &tagger), "tag_options->include");
    tags.include_count = 0;
    tags.exclude = bad_list;
    tags.exclude_count = 2;
    CHECK_INVALID(acg2vec_tagger_open(tagger_path, NULL, &tags, &tagger), "tag_options->exclude[1]");
    CHECK(tagger == NULL);
}

/* ---- Images */

static void test_images(void) {
    acg2vec_image* image = NULL;
    acg2vec_decode_options options;
    const uint8_t* pixels = NULL;
    const char* format = NULL;
    size_t size = 0, file_size = 0;
    int width = 0, height = 0, channels = 0;
    unsigned char* bytes = read_file(image_a, &file_size);
    char* base64 = bytes != NULL ? to_base64(bytes, file_size) : NULL;
    const uint8_t gray[6] = {0, 50, 100, 150, 200, 250};

    CHECK(bytes != NULL && base64 != NULL);
    if (bytes == NULL || base64 == NULL) return;

    CHECK_OK(acg2vec_image_decode_file(image_a, NULL, &image));
    CHECK_OK(acg2vec_image_dimensions(image, &width, &height, &channels));
    CHECK(width == 179 && height == 179 && channels == 3);
    CHECK_OK(acg2vec_image_pixels(image, &pixels, &size));
    CHECK(pixels != NULL && size == 179u * 179u * 3u);
    CHECK_OK(acg2vec_image_format(image, &format));
    CHECK(strcmp(format, "jpeg") == 0);
    CHECK_INVALID(acg2vec_image_dimensions(NULL, &width, &height, &channels), "image");
    CHECK_INVALID(acg2vec_image_dimensions(image, NULL, &height, &channels), "width");
    CHECK_INVALID(acg2vec_image_dimensions(image, &width, NULL, &channels), "height");
    CHECK_INVALID(acg2vec_image_dimensions(image, &width, &height, NULL), "channels");
    CHECK_INVALID(acg2vec_image_pixels(NULL, &pixels, &size), "image");
    CHECK_INVALID(acg2vec_image_pixels(image, NULL, &size), "pixels");
    CHECK_INVALID(acg2vec_image_pixels(image, &pixels, NULL), "size");
    CHECK_INVALID(acg2vec_image_format(NULL, &format), "image");
    CHECK_INVALID(acg2vec_image_format(image, NULL), "format");
    acg2vec_image_free(image);

    CHECK_OK(acg2vec_image_decode_memory(bytes, file_size, NULL, &image));
    acg2vec_image_free(image);
    CHECK_OK(acg2vec_image_decode_base64(base64, NULL, &image));
    acg2vec_image_free(image);
    CHECK_OK(acg2vec_image_decode_file(image_b, NULL, &image));
    CHECK_OK(acg2vec_image_dimensions(image, &width, &height, &channels));
    CHECK(channels == 4);
    acg2vec_image_free(image);

    /* Errors of the C++ decoder keep their codes; out is NULL after any failure. */
    image = (acg2vec_image*)&size; /* garbage that must be overwritten */
    CHECK_STATUS(acg2vec_image_decode_file(missing, NULL, &image), ACG2VEC_IO);
    CHECK(image == NULL);
    CHECK_STATUS(acg2vec_image_decode_file(broken, NULL, &image), ACG2VEC_INVALID_IMAGE);
    CHECK_STATUS(acg2vec_image_decode_memory("not an image", 12, NULL, &image), ACG2VEC_UNSUPPORTED_FORMAT);
    CHECK_STATUS(acg2vec_image_decode_base64("!!! not base64 !!!", NULL, &image), ACG2VEC_INVALID_ARGUMENT);
    CHECK_OK(acg2vec_decode_options_init(&options));
    options.max_pixels = 100;
    CHECK_STATUS(acg2vec_image_decode_file(image_a, &options, &image), ACG2VEC_IMAGE_TOO_LARGE);
    options.struct_size = 1;
    CHECK_INVALID(acg2vec_image_decode_file(image_a, &options, &image), "struct_size");
    CHECK(image == NULL);

    CHECK_INVALID(acg2vec_image_decode_file(NULL, NULL, &image), "path");
    CHECK_INVALID(acg2vec_image_decode_file(image_a, NULL, NULL), "out");
    CHECK_INVALID(acg2vec_image_decode_memory(NULL, 4, NULL, &image), "data");
    CHECK_INVALID(acg2vec_image_decode_memory(bytes, file_size, NULL, NULL), "out");
    CHECK_INVALID(acg2vec_image_decode_base64(NULL, NULL, &image), "text");
    CHECK_INVALID(acg2vec_image_decode_base64(base64, NULL, NULL), "out");

    CHECK_OK(acg2vec_image_from_pixels(3, 2, 1, gray, &image));
    CHECK_OK(acg2vec_image_pixels(image, &pixels, &size));
    CHECK(size == 6 && pixels[5] == 250);
    CHECK_OK(acg2vec_image_format(image, &format));
    CHECK(strcmp(format, "unknown") == 0);
    acg2vec_image_free(image);
    CHECK_INVALID(acg2vec_image_from_pixels(0, 2, 1, gray, &image), "width");
    CHECK_INVALID(acg2vec_image_from_pixels(3, -1, 1, gray, &image), "height");
    CHECK_INVALID(acg2vec_image_from_pixels(3, 2, 5, gray, &image), "channels");
    CHECK_INVALID(acg2vec_image_from_pixels(3, 2, 0, gray, &image), "channels");
    CHECK_INVALID(acg2vec_image_from_pixels(3, 2, 1, NULL, &image), "pixels");
    CHECK_INVALID(acg2vec_image_from_pixels(3, 2, 1, gray, NULL), "out");
    CHECK(image == NULL);

    free(base64);
    free(bytes);
}

/* ---- Tagger */

static void check_tag_result(const acg2vec_tag_result* result) {
    size_t count = 0, label_index = 0;
    const char* name = NULL;
    float probability = 0;
    char* text = NULL;

    CHECK_OK(acg2vec_tag_result_count(result, ACG2VEC_TAG_RATING, &count));
    CHECK(count == 4);
    CHECK_OK(acg2vec_tag_result_get(result, ACG2VEC_TAG_RATING, 0, &name, &probability));
    CHECK(strcmp(name, "general") == 0);
    CHECK_NEAR(probability, 0.6, 1e-5);
    CHECK_OK(acg2vec_tag_result_rating(result, &name));
    CHECK(strcmp(name, "general") == 0);
    CHECK_OK(acg2vec_tag_result_count(result, ACG2VEC_TAG_CHARACTER, &count));
    CHECK(count == 2);
    CHECK_OK(acg2vec_tag_result_get(result, ACG2VEC_TAG_CHARACTER, 0, &name, &probability));
    CHECK(strcmp(name, "hatsune_miku") == 0);
    CHECK_NEAR(probability, 0.9, 1e-5);
    CHECK_OK(acg2vec_tag_result_label_index(result, ACG2VEC_TAG_CHARACTER, 1, &label_index));
    CHECK(label_index == 15); /* kagamine_rin */
    CHECK_OK(acg2vec_tag_result_count(result, ACG2VEC_TAG_GENERAL, &count));
    CHECK(count >= 7);
    CHECK_OK(acg2vec_tag_result_get(result, ACG2VEC_TAG_GENERAL, 0, &name, &probability));
    CHECK(strcmp(name, "1girl") == 0);
    CHECK_NEAR(probability, 0.95, 1e-5);
    CHECK_OK(acg2vec_tag_result_label_index(result, ACG2VEC_TAG_GENERAL, 0, &label_index));
    CHECK(label_index == 4);

    CHECK_OK(acg2vec_tag_result_caption(result, NULL, &text));
    CHECK(text != NULL && strncmp(text, "hatsune_miku, kagamine_rin, 1girl, smile", 40) == 0);
    acg2vec_string_free(text);
    CHECK_OK(acg2vec_tag_result_caption(result, " | ", &text));
    CHECK(text != NULL && strncmp(text, "hatsune_miku | kagamine_rin", 27) == 0);
    acg2vec_string_free(text);
    CHECK_OK(acg2vec_tag_result_to_json(result, &text));
    CHECK(text != NULL && strstr(text, "\"hatsune_miku\"") != NULL && strstr(text, "\"ratings\"") != NULL);
    acg2vec_string_free(text);

    /* Errors: category, index, NULLs. */
    CHECK_INVALID(acg2vec_tag_result_count(result, (acg2vec_tag_category)3, &count), "category");
    CHECK_INVALID(acg2vec_tag_result_count(result, (acg2vec_tag_category)-1, &count), "category");
    CHECK_INVALID(acg2vec_tag_result_count(NULL, ACG2VEC_TAG_GENERAL, &count), "result");
    CHECK_INVALID(acg2vec_tag_result_count(result, ACG2VEC_TAG_GENERAL, NULL), "count");
    CHECK_INVALID(acg2vec_tag_result_get(result, ACG2VEC_TAG_RATING, 4, &name, &probability), "index 4");
    CHECK_INVALID(acg2vec_tag_result_get(result, (acg2vec_tag_category)9, 0, &name, &probability), "category");
    CHECK_INVALID(acg2vec_tag_result_get(NULL, ACG2VEC_TAG_RATING, 0, &name, &probability), "result");
    CHECK_INVALID(acg2vec_tag_result_get(result, ACG2VEC_TAG_RATING, 0, NULL, &probability), "name");
    CHECK_INVALID(acg2vec_tag_result_get(result, ACG2VEC_TAG_RATING, 0, &name, NULL), "probability");
    CHECK_INVALID(acg2vec_tag_result_label_index(result, ACG2VEC_TAG_CHARACTER, 2, &label_index), "index 2");
    CHECK_INVALID(acg2vec_tag_result_label_index(result, (acg2vec_tag_category)5, 0, &label_index), "category");
    CHECK_INVALID(acg2vec_tag_result_label_index(NULL, ACG2VEC_TAG_GENERAL, 0, &label_index), "result");
    CHECK_INVALID(acg2vec_tag_result_label_index(result, ACG2VEC_TAG_GENERAL, 0, NULL), "label_index");
    CHECK_INVALID(acg2vec_tag_result_rating(NULL, &name), "result");
    CHECK_INVALID(acg2vec_tag_result_rating(result, NULL), "name");
    CHECK_INVALID(acg2vec_tag_result_caption(NULL, NULL, &text), "result");
    CHECK(text == NULL);
    CHECK_INVALID(acg2vec_tag_result_caption(result, NULL, NULL), "caption");
    CHECK_INVALID(acg2vec_tag_result_to_json(NULL, &text), "result");
    CHECK_INVALID(acg2vec_tag_result_to_json(result, NULL), "json");
}

static void test_tagger(void) {
    acg2vec_tagger* tagger = NULL;
    acg2vec_tag_result* result = NULL;
    acg2vec_tag_batch* batch = NULL;
    const acg2vec_tag_result* item = NULL;
    acg2vec_image* image = NULL;
    acg2vec_image* images[2] = {NULL, NULL};
    acg2vec_vector* probabilities = NULL;
    acg2vec_tag_options tags;
    const char* paths[3];
    const char* name = NULL;
    const char* input = NULL;
    const char* message = NULL;
    const char* excluded[] = {"hatsune_miku"};
    const float* values = NULL;
    size_t count = 0, file_size = 0;
    int category = -1;
    acg2vec_status status = ACG2VEC_INTERNAL;
    char* json = NULL;
    unsigned char* bytes = read_file(image_a, &file_size);
    char* base64 = bytes != NULL ? to_base64(bytes, file_size) : NULL;

    paths[0] = image_a;
    paths[1] = broken;
    paths[2] = image_b;

    /* Opening. */
    CHECK_INVALID(acg2vec_tagger_open(NULL, NULL, NULL, &tagger), "path");
    CHECK_INVALID(acg2vec_tagger_open(tagger_path, NULL, NULL, NULL), "out");
    CHECK_STATUS(acg2vec_tagger_open(missing, NULL, NULL, &tagger), ACG2VEC_MODEL_LOAD);
    CHECK_STATUS(acg2vec_tagger_open(linear_path, NULL, NULL, &tagger), ACG2VEC_MODEL_METADATA);
    CHECK(tagger == NULL);
    CHECK_OK(acg2vec_tagger_open(tagger_path, NULL, NULL, &tagger));
    CHECK(tagger != NULL);
    if (tagger == NULL || bytes == NULL || base64 == NULL) {
        free(base64);
        free(bytes);
        return;
    }

    CHECK_OK(acg2vec_tagger_label_count(tagger, &count));
    CHECK(count == 17);
    CHECK_OK(acg2vec_tagger_label(tagger, 0, &name, &category));
    CHECK(strcmp(name, "general") == 0 && category == 9);
    CHECK_OK(acg2vec_tagger_label(tagger, 14, &name, &category));
    CHECK(strcmp(name, "hatsune_miku") == 0 && category == 4);
    CHECK_INVALID(acg2vec_tagger_label(tagger, 17, &name, &category), "index 17");
    CHECK_INVALID(acg2vec_tagger_label(NULL, 0, &name, &category), "tagger");
    CHECK_INVALID(acg2vec_tagger_label(tagger, 0, NULL, &category), "name");
    CHECK_INVALID(acg2vec_tagger_label(tagger, 0, &name, NULL), "category");
    CHECK_INVALID(acg2vec_tagger_label_count(NULL, &count), "tagger");
    CHECK_INVALID(acg2vec_tagger_label_count(tagger, NULL), "count");
    CHECK_OK(acg2vec_tagger_metadata(tagger, &name));
    CHECK(strstr(name, "tagger-fixture") != NULL);
    CHECK_INVALID(acg2vec_tagger_metadata(NULL, &name), "tagger");
    CHECK_INVALID(acg2vec_tagger_metadata(tagger, NULL), "json");
    CHECK_OK(acg2vec_tagger_device(tagger, &name));
    CHECK(strcmp(name, "cpu") == 0);
    CHECK_INVALID(acg2vec_tagger_device(NULL, &name), "tagger");
    CHECK_INVALID(acg2vec_tagger_device(tagger, NULL), "device");

    /* One image: from a file, memory, base64 and a decoded image give the same tags. */
    CHECK_OK(acg2vec_tagger_tag_file(tagger, image_a, &result));
    check_tag_result(result);
    acg2vec_tag_result_free(result);
    CHECK_OK(acg2vec_tagger_tag_memory(tagger, bytes, file_size, &result));
    check_tag_result(result);
    acg2vec_tag_result_free(result);
    CHECK_OK(acg2vec_tagger_tag_base64(tagger, base64, &result));
    check_tag_result(result);
    acg2vec_tag_result_free(result);
    CHECK_OK(acg2vec_image_decode_file(image_a, NULL, &image));
    CHECK_OK(acg2vec_tagger_tag_image(tagger, image, &result));
    check_tag_result(result);
    acg2vec_tag_result_free(result);

    result = NULL;
    CHECK_STATUS(acg2vec_tagger_tag_file(tagger, missing, &result), ACG2VEC_IO);
    CHECK_STATUS(acg2vec_tagger_tag_file(tagger, broken, &result), ACG2VEC_INVALID_IMAGE);
    CHECK_STATUS(acg2vec_tagger_tag_memory(tagger, "xyz", 3, &result), ACG2VEC_UNSUPPORTED_FORMAT);
    CHECK_STATUS(acg2vec_tagger_tag_base64(tagger, "*", &result), ACG2VEC_INVALID_ARGUMENT);
    CHECK(result == NULL);
    CHECK_INVALID(acg2vec_tagger_tag_file(NULL, image_a, &result), "tagger");
    CHECK_INVALID(acg2vec_tagger_tag_file(tagger, NULL, &result), "path");
    CHECK_INVALID(acg2vec_tagger_tag_file(tagger, image_a, NULL), "out");
    CHECK_INVALID(acg2vec_tagger_tag_memory(NULL, bytes, file_size, &result), "tagger");
    CHECK_INVALID(acg2vec_tagger_tag_memory(tagger, NULL, file_size, &result), "data");
    CHECK_INVALID(acg2vec_tagger_tag_memory(tagger, bytes, file_size, NULL), "out");
    CHECK_INVALID(acg2vec_tagger_tag_base64(NULL, base64, &result), "tagger");
    CHECK_INVALID(acg2vec_tagger_tag_base64(tagger, NULL, &result), "text");
    CHECK_INVALID(acg2vec_tagger_tag_base64(tagger, base64, NULL), "out");
    CHECK_INVALID(acg2vec_tagger_tag_image(NULL, image, &result), "tagger");
    CHECK_INVALID(acg2vec_tagger_tag_image(tagger, NULL, &result), "image");
    CHECK_INVALID(acg2vec_tagger_tag_image(tagger, image, NULL), "out");

    /* Batches: the broken file fails alone. */
    CHECK_OK(acg2vec_tagger_tag_files(tagger, paths, 3, &batch));
    CHECK_OK(acg2vec_tag_batch_count(batch, &count));
    CHECK(count == 3);
    CHECK_OK(acg2vec_tag_batch_item(batch, 0, &status, &input, &message));
    CHECK(status == ACG2VEC_OK && strcmp(input, image_a) == 0 && strcmp(message, "") == 0);
    CHECK_OK(acg2vec_tag_batch_result(batch, 0, &item));
    CHECK(item != NULL);
    if (item != NULL) check_tag_result(item);
    CHECK_OK(acg2vec_tag_batch_item(batch, 1, &status, &input, &message));
    CHECK(status == ACG2VEC_INVALID_IMAGE && strcmp(input, broken) == 0 && strstr(message, "broken.png") != NULL);
    CHECK_FAILS(acg2vec_tag_batch_result(batch, 1, &item), ACG2VEC_INVALID_IMAGE, "broken.png");
    CHECK(item == NULL);
    CHECK_OK(acg2vec_tag_batch_result(batch, 2, &item));
    CHECK(item != NULL);
    CHECK_OK(acg2vec_tag_batch_to_json(batch, &json));
    CHECK(json != NULL && strstr(json, "\"captions\"") != NULL && strstr(json, "invalid_image") != NULL);
    acg2vec_string_free(json);
    CHECK_INVALID(acg2vec_tag_batch_count(NULL, &count), "batch");
    CHECK_INVALID(acg2vec_tag_batch_count(batch, NULL), "count");
    CHECK_INVALID(acg2vec_tag_batch_item(batch, 3, &status, &input, &message), "index 3");
    CHECK_INVALID(acg2vec_tag_batch_item(NULL, 0, &status, &input, &message), "batch");
    CHECK_INVALID(acg2vec_tag_batch_item(batch, 0, NULL, &input, &message), "status");
    CHECK_INVALID(acg2vec_tag_batch_item(batch, 0, &status, NULL, &message), "input");
    CHECK_INVALID(acg2vec_tag_batch_item(batch, 0, &status, &input, NULL), "message");
    CHECK_INVALID(acg2vec_tag_batch_result(batch, 3, &item), "index 3");
    CHECK_INVALID(acg2vec_tag_batch_result(NULL, 0, &item), "batch");
    CHECK_INVALID(acg2vec_tag_batch_result(batch, 0, NULL), "result");
    CHECK_INVALID(acg2vec_tag_batch_to_json(NULL, &json), "batch");
    CHECK_INVALID(acg2vec_tag_batch_to_json(batch, NULL), "json");
    acg2vec_tag_batch_free(batch);

    CHECK_OK(acg2vec_tagger_tag_files(tagger, NULL, 0, &batch)); /* empty */
    CHECK_OK(acg2vec_tag_batch_count(batch, &count));
    CHECK(count == 0);
    acg2vec_tag_batch_free(batch);
    batch = NULL;
    CHECK_INVALID(acg2vec_tagger_tag_files(tagger, NULL, 2, &batch), "paths");
    paths[1] = NULL;
    CHECK_INVALID(acg2vec_tagger_tag_files(tagger, paths, 3, &batch), "paths[1]");
    paths[1] = broken;
    CHECK_INVALID(acg2vec_tagger_tag_files(NULL, paths, 3, &batch), "tagger");
    CHECK_INVALID(acg2vec_tagger_tag_files(tagger, paths, 3, NULL), "out");
    CHECK(batch == NULL);

    images[0] = image;
    CHECK_OK(acg2vec_image_decode_file(image_b, NULL, &images[1]));
    CHECK_OK(acg2vec_tagger_tag_images(tagger, (const acg2vec_image* const*)images, 2, &batch));
    CHECK_OK(acg2vec_tag_batch_count(batch, &count));
    CHECK(count == 2);
    CHECK_OK(acg2vec_tag_batch_item(batch, 1, &status, &input, &message));
    CHECK(status == ACG2VEC_OK && strcmp(input, "batch[1]") == 0);
    CHECK_OK(acg2vec_tag_batch_result(batch, 0, &item));
    if (item != NULL) check_tag_result(item);
    acg2vec_tag_batch_free(batch);
    batch = NULL;
    acg2vec_image_free(images[1]);
    images[1] = NULL;
    CHECK_INVALID(acg2vec_tagger_tag_images(tagger, (const acg2vec_image* const*)images, 2, &batch), "images[1]");
    CHECK_INVALID(acg2vec_tagger_tag_images(tagger, NULL, 1, &batch), "images");
    CHECK_INVALID(acg2vec_tagger_tag_images(NULL, (const acg2vec_image* const*)images, 1, &batch), "tagger");
    CHECK_INVALID(acg2vec_tagger_tag_images(tagger, (const acg2vec_image* const*)images, 1, NULL), "out");
    CHECK(batch == NULL);

    /* Probabilities, then selection alone with other options. */
    CHECK_OK(acg2vec_tagger_probabilities(tagger, image, &probabilities));
    CHECK_OK(acg2vec_vector_data(probabilities, &values, &count));
    CHECK(count == 17);
    CHECK_NEAR(values[4], 0.95, 1e-5);
    CHECK_OK(acg2vec_tagger_select(tagger, values, count, NULL, &result));
    check_tag_result(result);
    acg2vec_tag_result_free(result);
    CHECK_OK(acg2vec_tag_options_init(&tags));
    tags.exclude = excluded;
    tags.exclude_count = 1;
    tags.max_general = 2;
    CHECK_OK(acg2vec_tagger_select(tagger, values, count, &tags, &result));
    CHECK_OK(acg2vec_tag_result_count(result, ACG2VEC_TAG_CHARACTER, &count));
    CHECK(count == 1);
    CHECK_OK(acg2vec_tag_result_count(result, ACG2VEC_TAG_GENERAL, &count));
    CHECK(count == 2);
    acg2vec_tag_result_free(result);
    result = NULL;
    CHECK(acg2vec_tagger_select(tagger, values, 3, NULL, &result) != ACG2VEC_OK); /* 3 != 17 labels */
    CHECK_INVALID(acg2vec_tagger_select(tagger, NULL, 17, NULL, &result), "probabilities");
    CHECK_INVALID(acg2vec_tagger_select(NULL, values, 17, NULL, &result), "tagger");
    CHECK_INVALID(acg2vec_tagger_select(tagger, values, 17, NULL, NULL), "out");
    tags.struct_size = 3;
    CHECK_INVALID(acg2vec_tagger_select(tagger, values, 17, &tags, &result), "struct_size");
    CHECK(result == NULL);
    acg2vec_vector_free(probabilities);
    probabilities = NULL;
    CHECK_INVALID(acg2vec_tagger_probabilities(NULL, image, &probabilities), "tagger");
    CHECK_INVALID(acg2vec_tagger_probabilities(tagger, NULL, &probabilities), "image");
    CHECK_INVALID(acg2vec_tagger_probabilities(tagger, image, NULL), "out");
    CHECK(probabilities == NULL);

    /* Options at open: spaces instead of underscores. */
    {
        acg2vec_tagger* spaced = NULL;
        acg2vec_model_options model;
        CHECK_OK(acg2vec_model_options_init(&model));
        model.batch_size = 1;
        CHECK_OK(acg2vec_tag_options_init(&tags));
        tags.underscores_to_spaces = 1;
        CHECK_OK(acg2vec_tagger_open(tagger_path, &model, &tags, &spaced));
        CHECK_OK(acg2vec_tagger_tag_image(spaced, image, &result));
        float probability = 0;
        CHECK_OK(acg2vec_tag_result_get(result, ACG2VEC_TAG_CHARACTER, 0, &name, &probability));
        CHECK(strcmp(name, "hatsune miku") == 0);
        acg2vec_tag_result_free(result);
        acg2vec_tagger_free(spaced);
    }

    acg2vec_image_free(image);
    acg2vec_tagger_free(tagger);
    free(base64);
    free(bytes);
}

/* ---- Scorer */

static void check_score_result(const acg2vec_score_result* result, size_t top_k) {
    size_t count = 0, head = 99, class_index = 99;
    const char* name = NULL;
    float probability = 0;
    double value = 0;
    int has_value = -1;
    char* json = NULL;

    CHECK_OK(acg2vec_score_result_head_count(result, &count));
    CHECK(count == 3);
    CHECK_OK(acg2vec_score_result_find_head(result, "view", &head));
    CHECK(head == 1);
    CHECK_OK(acg2vec_score_result_head_name(result, 0, &name));
    CHECK(strcmp(name, "bookmark") == 0);
    CHECK_OK(acg2vec_score_result_label_count(result, 0, &count));
    CHECK(count == 15);
    CHECK_OK(acg2vec_score_result_label(result, 0, 3, &name, &probability));
    CHECK(strcmp(name, "50-100") == 0);
    CHECK_NEAR(probability, 0.25, 1e-5);
    CHECK_OK(acg2vec_score_result_best(result, 0, &class_index, &name, &probability));
    CHECK(class_index == 0 && strcmp(name, "0-10") == 0);
    CHECK_NEAR(probability, 0.5, 1e-5);
    CHECK_OK(acg2vec_score_result_top_count(result, 1, &count));
    CHECK(count == top_k);
    CHECK_OK(acg2vec_score_result_top(result, 1, 0, &class_index, &name, &probability));
    CHECK(class_index == 1 && strcmp(name, "500-1000") == 0);
    CHECK_NEAR(probability, 0.75, 1e-5);
    CHECK_OK(acg2vec_score_result_expected_value(result, 0, &has_value, &value));
    CHECK(has_value == 1);
    CHECK_NEAR(value, 0.5 * 5 + 0.25 * 75 + 0.25 * 2700, 1e-2);
    CHECK_OK(acg2vec_score_result_to_json(result, &json));
    CHECK(json != NULL && strstr(json, "\"heads\"") != NULL && strstr(json, "\"bookmark\"") != NULL);
    acg2vec_string_free(json);

    CHECK_STATUS(acg2vec_score_result_find_head(result, "nope", &head), ACG2VEC_NOT_FOUND);
    CHECK_INVALID(acg2vec_score_result_head_count(NULL, &count), "result");
    CHECK_INVALID(acg2vec_score_result_head_count(result, NULL), "count");
    CHECK_INVALID(acg2vec_score_result_find_head(NULL, "view", &head), "result");
    CHECK_INVALID(acg2vec_score_result_find_head(result, NULL, &head), "name");
    CHECK_INVALID(acg2vec_score_result_find_head(result, "view", NULL), "head");
    CHECK_INVALID(acg2vec_score_result_head_name(result, 3, &name), "head 3");
    CHECK_INVALID(acg2vec_score_result_head_name(NULL, 0, &name), "result");
    CHECK_INVALID(acg2vec_score_result_head_name(result, 0, NULL), "name");
    CHECK_INVALID(acg2vec_score_result_label_count(result, 3, &count), "head 3");
    CHECK_INVALID(acg2vec_score_result_label_count(NULL, 0, &count), "result");
    CHECK_INVALID(acg2vec_score_result_label_count(result, 0, NULL), "count");
    CHECK_INVALID(acg2vec_score_result_label(result, 2, 5, &name, &probability), "index 5");
    CHECK_INVALID(acg2vec_score_result_label(result, 3, 0, &name, &probability), "head 3");
    CHECK_INVALID(acg2vec_score_result_label(NULL, 0, 0, &name, &probability), "result");
    CHECK_INVALID(acg2vec_score_result_label(result, 0, 0, NULL, &probability), "label");
    CHECK_INVALID(acg2vec_score_result_label(result, 0, 0, &name, NULL), "probability");
    CHECK_INVALID(acg2vec_score_result_best(result, 3, &class_index, &name, &probability), "head 3");
    CHECK_INVALID(acg2vec_score_result_best(NULL, 0, &class_index, &name, &probability), "result");
    CHECK_INVALID(acg2vec_score_result_best(result, 0, NULL, &name, &probability), "class_index");
    CHECK_INVALID(acg2vec_score_result_best(result, 0, &class_index, NULL, &probability), "label");
    CHECK_INVALID(acg2vec_score_result_best(result, 0, &class_index, &name, NULL), "probability");
    CHECK_INVALID(acg2vec_score_result_top_count(result, 3, &count), "head 3");
    CHECK_INVALID(acg2vec_score_result_top_count(NULL, 0, &count), "result");
    CHECK_INVALID(acg2vec_score_result_top_count(result, 0, NULL), "count");
    CHECK_INVALID(acg2vec_score_result_top(result, 0, top_k, &class_index, &name, &probability), "rank");
    CHECK_INVALID(acg2vec_score_result_top(result, 3, 0, &class_index, &name, &probability), "head 3");
    CHECK_INVALID(acg2vec_score_result_top(NULL, 0, 0, &class_index, &name, &probability), "result");
    CHECK_INVALID(acg2vec_score_result_top(result, 0, 0, NULL, &name, &probability), "class_index");
    CHECK_INVALID(acg2vec_score_result_top(result, 0, 0, &class_index, NULL, &probability), "label");
    CHECK_INVALID(acg2vec_score_result_top(result, 0, 0, &class_index, &name, NULL), "probability");
    CHECK_INVALID(acg2vec_score_result_expected_value(result, 3, &has_value, &value), "head 3");
    CHECK_INVALID(acg2vec_score_result_expected_value(NULL, 0, &has_value, &value), "result");
    CHECK_INVALID(acg2vec_score_result_expected_value(result, 0, NULL, &value), "has_value");
    CHECK_INVALID(acg2vec_score_result_expected_value(result, 0, &has_value, NULL), "value");
    CHECK_INVALID(acg2vec_score_result_to_json(NULL, &json), "result");
    CHECK_INVALID(acg2vec_score_result_to_json(result, NULL), "json");
}

static void test_scorer(void) {
    acg2vec_scorer* scorer = NULL;
    acg2vec_score_result* result = NULL;
    acg2vec_score_batch* batch = NULL;
    const acg2vec_score_result* item = NULL;
    acg2vec_image* image = NULL;
    acg2vec_strings* heads = NULL;
    acg2vec_model_options options;
    const char* paths[2];
    const char* text = NULL;
    const char* input = NULL;
    const char* message = NULL;
    size_t count = 0, file_size = 0;
    acg2vec_status status = ACG2VEC_INTERNAL;
    char* json = NULL;
    unsigned char* bytes = read_file(image_a, &file_size);
    char* base64 = bytes != NULL ? to_base64(bytes, file_size) : NULL;

    paths[0] = broken;
    paths[1] = image_b;

    CHECK_INVALID(acg2vec_scorer_open(NULL, NULL, &scorer), "path");
    CHECK_INVALID(acg2vec_scorer_open(scorer_path, NULL, NULL), "out");
    CHECK_STATUS(acg2vec_scorer_open(missing, NULL, &scorer), ACG2VEC_MODEL_LOAD);
    CHECK_STATUS(acg2vec_scorer_open(tagger_path, NULL, &scorer), ACG2VEC_MODEL_METADATA);
    CHECK(scorer == NULL);
    CHECK_OK(acg2vec_model_options_init(&options));
    options.struct_size = 0;
    CHECK_INVALID(acg2vec_scorer_open(scorer_path, &options, &scorer), "struct_size");
    CHECK_OK(acg2vec_scorer_open(scorer_path, NULL, &scorer));
    if (scorer == NULL || bytes == NULL || base64 == NULL) {
        free(base64);
        free(bytes);
        return;
    }

    CHECK_OK(acg2vec_scorer_head_names(scorer, &heads));
    CHECK_OK(acg2vec_strings_count(heads, &count));
    CHECK(count == 3);
    CHECK_OK(acg2vec_strings_get(heads, 2, &text));
    CHECK(strcmp(text, "sanity") == 0);
    acg2vec_strings_free(heads);
    heads = NULL;
    CHECK_INVALID(acg2vec_scorer_head_names(NULL, &heads), "scorer");
    CHECK_INVALID(acg2vec_scorer_head_names(scorer, NULL), "out");
    CHECK_OK(acg2vec_scorer_metadata(scorer, &text));
    CHECK(strstr(text, "pix2score-fixture") != NULL);
    CHECK_INVALID(acg2vec_scorer_metadata(NULL, &text), "scorer");
    CHECK_INVALID(acg2vec_scorer_metadata(scorer, NULL), "json");
    CHECK_OK(acg2vec_scorer_device(scorer, &text));
    CHECK(strcmp(text, "cpu") == 0);
    CHECK_INVALID(acg2vec_scorer_device(NULL, &text), "scorer");
    CHECK_INVALID(acg2vec_scorer_device(scorer, NULL), "device");

    CHECK_OK(acg2vec_scorer_score_file(scorer, image_a, &result));
    check_score_result(result, 5);
    acg2vec_score_result_free(result);
    CHECK_OK(acg2vec_scorer_score_memory(scorer, bytes, file_size, &result));
    check_score_result(result, 5);
    acg2vec_score_result_free(result);
    CHECK_OK(acg2vec_scorer_score_base64(scorer, base64, &result));
    check_score_result(result, 5);
    acg2vec_score_result_free(result);
    CHECK_OK(acg2vec_image_decode_file(image_a, NULL, &image));
    CHECK_OK(acg2vec_scorer_score_image(scorer, image, &result));
    check_score_result(result, 5);
    acg2vec_score_result_free(result);
    result = NULL;

    CHECK_STATUS(acg2vec_scorer_score_file(scorer, missing, &result), ACG2VEC_IO);
    CHECK_STATUS(acg2vec_scorer_score_memory(scorer, "xyz", 3, &result), ACG2VEC_UNSUPPORTED_FORMAT);
    CHECK_STATUS(acg2vec_scorer_score_base64(scorer, "*", &result), ACG2VEC_INVALID_ARGUMENT);
    CHECK(result == NULL);
    CHECK_INVALID(acg2vec_scorer_score_file(NULL, image_a, &result), "scorer");
    CHECK_INVALID(acg2vec_scorer_score_file(scorer, NULL, &result), "path");
    CHECK_INVALID(acg2vec_scorer_score_file(scorer, image_a, NULL), "out");
    CHECK_INVALID(acg2vec_scorer_score_memory(NULL, bytes, file_size, &result), "scorer");
    CHECK_INVALID(acg2vec_scorer_score_memory(scorer, NULL, file_size, &result), "data");
    CHECK_INVALID(acg2vec_scorer_score_memory(scorer, bytes, file_size, NULL), "out");
    CHECK_INVALID(acg2vec_scorer_score_base64(NULL, base64, &result), "scorer");
    CHECK_INVALID(acg2vec_scorer_score_base64(scorer, NULL, &result), "text");
    CHECK_INVALID(acg2vec_scorer_score_base64(scorer, base64, NULL), "out");
    CHECK_INVALID(acg2vec_scorer_score_image(NULL, image, &result), "scorer");
    CHECK_INVALID(acg2vec_scorer_score_image(scorer, NULL, &result), "image");
    CHECK_INVALID(acg2vec_scorer_score_image(scorer, image, NULL), "out");

    CHECK_OK(acg2vec_scorer_score_files(scorer, paths, 2, &batch));
    CHECK_OK(acg2vec_score_batch_count(batch, &count));
    CHECK(count == 2);
    CHECK_OK(acg2vec_score_batch_item(batch, 0, &status, &input, &message));
    CHECK(status == ACG2VEC_INVALID_IMAGE && strcmp(input, broken) == 0 && message[0] != '\0');
    CHECK_FAILS(acg2vec_score_batch_result(batch, 0, &item), ACG2VEC_INVALID_IMAGE, "broken.png");
    CHECK(item == NULL);
    CHECK_OK(acg2vec_score_batch_result(batch, 1, &item));
    if (item != NULL) check_score_result(item, 5);
    CHECK_OK(acg2vec_score_batch_to_json(batch, &json));
    CHECK(json != NULL && json[0] == '[' && strstr(json, "invalid_image") != NULL);
    acg2vec_string_free(json);
    CHECK_INVALID(acg2vec_score_batch_count(NULL, &count), "batch");
    CHECK_INVALID(acg2vec_score_batch_count(batch, NULL), "count");
    CHECK_INVALID(acg2vec_score_batch_item(batch, 2, &status, &input, &message), "index 2");
    CHECK_INVALID(acg2vec_score_batch_item(NULL, 0, &status, &input, &message), "batch");
    CHECK_INVALID(acg2vec_score_batch_item(batch, 0, NULL, &input, &message), "status");
    CHECK_INVALID(acg2vec_score_batch_item(batch, 0, &status, NULL, &message), "input");
    CHECK_INVALID(acg2vec_score_batch_item(batch, 0, &status, &input, NULL), "message");
    CHECK_INVALID(acg2vec_score_batch_result(batch, 2, &item), "index 2");
    CHECK_INVALID(acg2vec_score_batch_result(NULL, 0, &item), "batch");
    CHECK_INVALID(acg2vec_score_batch_result(batch, 0, NULL), "result");
    CHECK_INVALID(acg2vec_score_batch_to_json(NULL, &json), "batch");
    CHECK_INVALID(acg2vec_score_batch_to_json(batch, NULL), "json");
    acg2vec_score_batch_free(batch);
    batch = NULL;
    CHECK_INVALID(acg2vec_scorer_score_files(NULL, paths, 2, &batch), "scorer");
    CHECK_INVALID(acg2vec_scorer_score_files(scorer, NULL, 2, &batch), "paths");
    CHECK_INVALID(acg2vec_scorer_score_files(scorer, paths, 2, NULL), "out");

    {
        const acg2vec_image* images[1];
        images[0] = image;
        CHECK_OK(acg2vec_scorer_score_images(scorer, images, 1, &batch));
        CHECK_OK(acg2vec_score_batch_result(batch, 0, &item));
        if (item != NULL) check_score_result(item, 5);
        acg2vec_score_batch_free(batch);
        batch = NULL;
        CHECK_INVALID(acg2vec_scorer_score_images(NULL, images, 1, &batch), "scorer");
        CHECK_INVALID(acg2vec_scorer_score_images(scorer, NULL, 1, &batch), "images");
        CHECK_INVALID(acg2vec_scorer_score_images(scorer, images, 1, NULL), "out");
        images[0] = NULL;
        CHECK_INVALID(acg2vec_scorer_score_images(scorer, images, 1, &batch), "images[0]");
        CHECK(batch == NULL);
    }
    acg2vec_scorer_free(scorer);

    /* top_k from the options. */
    scorer = NULL;
    CHECK_OK(acg2vec_model_options_init(&options));
    options.top_k = 2;
    CHECK_OK(acg2vec_scorer_open(scorer_path, &options, &scorer));
    CHECK_OK(acg2vec_scorer_score_image(scorer, image, &result));
    if (result != NULL) check_score_result(result, 2);
    acg2vec_score_result_free(result);
    acg2vec_scorer_free(scorer);

    acg2vec_image_free(image);
    free(base64);
    free(bytes);
}

/* ---- Embedder */

static double norm(const float* values, size_t count) {
    double sum = 0;
    size_t i;
    for (i = 0; i < count; ++i) sum += (double)values[i] * values[i];
    return sqrt(sum);
}

static void test_embedder(void) {
    acg2vec_embedder* embedder = NULL;
    acg2vec_vector* vector = NULL;
    acg2vec_vector_batch* batch = NULL;
    const acg2vec_vector* item = NULL;
    acg2vec_image* image = NULL;
    acg2vec_image* other = NULL;
    acg2vec_zero_shot_result* zero_shot = NULL;
    acg2vec_clip_tokenizer* clip = NULL;
    acg2vec_wordpiece_tokenizer* wordpiece = NULL;
    acg2vec_similarity similarity;
    const float* values = NULL;
    const char* text = NULL;
    const char* input = NULL;
    const char* message = NULL;
    const char* paths[2];
    const char* texts[2] = {"a drawing of a cat", "1girl, smile"};
    const char* labels[3] = {"cat", "dog", "girl"};
    float image_vector[4];
    size_t count = 0, file_size = 0, dimensions = 0, i;
    int flag = -1;
    double scale = 0, probability = 0, cosine = 0, total = 0;
    acg2vec_status status = ACG2VEC_INTERNAL;
    unsigned char* bytes = read_file(image_a, &file_size);
    char* base64 = bytes != NULL ? to_base64(bytes, file_size) : NULL;

    paths[0] = image_a;
    paths[1] = broken;

    CHECK_INVALID(acg2vec_embedder_open(NULL, NULL, &embedder), "path");
    CHECK_INVALID(acg2vec_embedder_open(embedder_path, NULL, NULL), "out");
    CHECK_STATUS(acg2vec_embedder_open(missing, NULL, &embedder), ACG2VEC_MODEL_LOAD);
    CHECK(embedder == NULL);
    CHECK_OK(acg2vec_embedder_open(embedder_path, NULL, &embedder));
    if (embedder == NULL || bytes == NULL || base64 == NULL) {
        free(base64);
        free(bytes);
        return;
    }

    CHECK_OK(acg2vec_embedder_has_image(embedder, &flag));
    CHECK(flag == 1);
    CHECK_OK(acg2vec_embedder_has_text(embedder, &flag));
    CHECK(flag == 1);
    CHECK_OK(acg2vec_embedder_dimensions(embedder, &dimensions));
    CHECK(dimensions == 4);
    CHECK_OK(acg2vec_embedder_logit_scale(embedder, &scale));
    CHECK_NEAR(scale, 50.0, 1e-9);
    CHECK_OK(acg2vec_embedder_metadata(embedder, &text));
    CHECK(strstr(text, "two-tower-fixture") != NULL);
    CHECK_OK(acg2vec_embedder_device(embedder, &text));
    CHECK(strcmp(text, "cpu") == 0);
    CHECK_INVALID(acg2vec_embedder_has_image(NULL, &flag), "embedder");
    CHECK_INVALID(acg2vec_embedder_has_image(embedder, NULL), "has_image");
    CHECK_INVALID(acg2vec_embedder_has_text(NULL, &flag), "embedder");
    CHECK_INVALID(acg2vec_embedder_has_text(embedder, NULL), "has_text");
    CHECK_INVALID(acg2vec_embedder_dimensions(NULL, &dimensions), "embedder");
    CHECK_INVALID(acg2vec_embedder_dimensions(embedder, NULL), "dimensions");
    CHECK_INVALID(acg2vec_embedder_logit_scale(NULL, &scale), "embedder");
    CHECK_INVALID(acg2vec_embedder_logit_scale(embedder, NULL), "logit_scale");
    CHECK_INVALID(acg2vec_embedder_metadata(NULL, &text), "embedder");
    CHECK_INVALID(acg2vec_embedder_metadata(embedder, NULL), "json");
    CHECK_INVALID(acg2vec_embedder_device(NULL, &text), "embedder");
    CHECK_INVALID(acg2vec_embedder_device(embedder, NULL), "device");

    /* Image vectors: unit length, the same from every source. */
    CHECK_OK(acg2vec_embedder_embed_file(embedder, image_a, &vector));
    CHECK_OK(acg2vec_vector_data(vector, &values, &count));
    CHECK(count == 4);
    CHECK_NEAR(norm(values, count), 1.0, 1e-5);
    memcpy(image_vector, values, sizeof image_vector);
    acg2vec_vector_free(vector);
    CHECK_OK(acg2vec_embedder_embed_memory(embedder, bytes, file_size, &vector));
    CHECK_OK(acg2vec_vector_data(vector, &values, &count));
    CHECK(count == 4 && fabs(values[0] - image_vector[0]) < 1e-6);
    acg2vec_vector_free(vector);
    CHECK_OK(acg2vec_embedder_embed_base64(embedder, base64, &vector));
    acg2vec_vector_free(vector);
    CHECK_OK(acg2vec_image_decode_file(image_a, NULL, &image));
    CHECK_OK(acg2vec_image_decode_file(image_b, NULL, &other));
    CHECK_OK(acg2vec_embedder_embed_image(embedder, image, &vector));
    CHECK_INVALID(acg2vec_vector_data(NULL, &values, &count), "vector");
    CHECK_INVALID(acg2vec_vector_data(vector, NULL, &count), "data");
    CHECK_INVALID(acg2vec_vector_data(vector, &values, NULL), "size");
    acg2vec_vector_free(vector);
    vector = NULL;

    CHECK_STATUS(acg2vec_embedder_embed_file(embedder, missing, &vector), ACG2VEC_IO);
    CHECK_STATUS(acg2vec_embedder_embed_memory(embedder, "xyz", 3, &vector), ACG2VEC_UNSUPPORTED_FORMAT);
    CHECK_STATUS(acg2vec_embedder_embed_base64(embedder, "*", &vector), ACG2VEC_INVALID_ARGUMENT);
    CHECK_STATUS(acg2vec_embedder_embed_text(embedder, "\xff\xfe", &vector), ACG2VEC_INVALID_ARGUMENT);
    CHECK(vector == NULL);
    CHECK_INVALID(acg2vec_embedder_embed_file(NULL, image_a, &vector), "embedder");
    CHECK_INVALID(acg2vec_embedder_embed_file(embedder, NULL, &vector), "path");
    CHECK_INVALID(acg2vec_embedder_embed_file(embedder, image_a, NULL), "out");
    CHECK_INVALID(acg2vec_embedder_embed_memory(NULL, bytes, file_size, &vector), "embedder");
    CHECK_INVALID(acg2vec_embedder_embed_memory(embedder, NULL, file_size, &vector), "data");
    CHECK_INVALID(acg2vec_embedder_embed_memory(embedder, bytes, file_size, NULL), "out");
    CHECK_INVALID(acg2vec_embedder_embed_base64(NULL, base64, &vector), "embedder");
    CHECK_INVALID(acg2vec_embedder_embed_base64(embedder, NULL, &vector), "text");
    CHECK_INVALID(acg2vec_embedder_embed_base64(embedder, base64, NULL), "out");
    CHECK_INVALID(acg2vec_embedder_embed_image(NULL, image, &vector), "embedder");
    CHECK_INVALID(acg2vec_embedder_embed_image(embedder, NULL, &vector), "image");
    CHECK_INVALID(acg2vec_embedder_embed_image(embedder, image, NULL), "out");
    CHECK_INVALID(acg2vec_embedder_embed_text(NULL, "cat", &vector), "embedder");
    CHECK_INVALID(acg2vec_embedder_embed_text(embedder, NULL, &vector), "text");
    CHECK_INVALID(acg2vec_embedder_embed_text(embedder, "cat", NULL), "out");

    /* Batches. */
    CHECK_OK(acg2vec_embedder_embed_files(embedder, paths, 2, &batch));
    CHECK_OK(acg2vec_vector_batch_count(batch, &count));
    CHECK(count == 2);
    CHECK_OK(acg2vec_vector_batch_item(batch, 1, &status, &input, &message));
    CHECK(status == ACG2VEC_INVALID_IMAGE && strcmp(input, broken) == 0);
    CHECK_FAILS(acg2vec_vector_batch_result(batch, 1, &item), ACG2VEC_INVALID_IMAGE, "broken.png");
    CHECK(item == NULL);
    CHECK_OK(acg2vec_vector_batch_result(batch, 0, &item));
    CHECK_OK(acg2vec_vector_data(item, &values, &count));
    CHECK(count == 4 && fabs(values[1] - image_vector[1]) < 1e-6);
    CHECK_INVALID(acg2vec_vector_batch_count(NULL, &count), "batch");
    CHECK_INVALID(acg2vec_vector_batch_count(batch, NULL), "count");
    CHECK_INVALID(acg2vec_vector_batch_item(batch, 2, &status, &input, &message), "index 2");
    CHECK_INVALID(acg2vec_vector_batch_item(NULL, 0, &status, &input, &message), "batch");
    CHECK_INVALID(acg2vec_vector_batch_item(batch, 0, NULL, &input, &message), "status");
    CHECK_INVALID(acg2vec_vector_batch_item(batch, 0, &status, NULL, &message), "input");
    CHECK_INVALID(acg2vec_vector_batch_item(batch, 0, &status, &input, NULL), "message");
    CHECK_INVALID(acg2vec_vector_batch_result(batch, 2, &item), "index 2");
    CHECK_INVALID(acg2vec_vector_batch_result(NULL, 0, &item), "batch");
    CHECK_INVALID(acg2vec_vector_batch_result(batch, 0, NULL), "result");
    acg2vec_vector_batch_free(batch);
    batch = NULL;
    CHECK_INVALID(acg2vec_embedder_embed_files(NULL, paths, 2, &batch), "embedder");
    CHECK_INVALID(acg2vec_embedder_embed_files(embedder, NULL, 2, &batch), "paths");
    CHECK_INVALID(acg2vec_embedder_embed_files(embedder, paths, 2, NULL), "out");
    {
        const acg2vec_image* images[2];
        images[0] = image;
        images[1] = other;
        CHECK_OK(acg2vec_embedder_embed_images(embedder, images, 2, &batch));
        CHECK_OK(acg2vec_vector_batch_count(batch, &count));
        CHECK(count == 2);
        acg2vec_vector_batch_free(batch);
        batch = NULL;
        images[1] = NULL;
        CHECK_INVALID(acg2vec_embedder_embed_images(embedder, images, 2, &batch), "images[1]");
        CHECK_INVALID(acg2vec_embedder_embed_images(NULL, images, 1, &batch), "embedder");
        CHECK_INVALID(acg2vec_embedder_embed_images(embedder, NULL, 1, &batch), "images");
        CHECK_INVALID(acg2vec_embedder_embed_images(embedder, images, 1, NULL), "out");
    }

    /* Texts. */
    CHECK_OK(acg2vec_embedder_embed_text(embedder, texts[0], &vector));
    CHECK_OK(acg2vec_vector_data(vector, &values, &count));
    CHECK(count == 4);
    CHECK_NEAR(norm(values, count), 1.0, 1e-5);
    CHECK_OK(acg2vec_embedder_embed_texts(embedder, texts, 2, &batch));
    CHECK_OK(acg2vec_vector_batch_count(batch, &count));
    CHECK(count == 2);
    CHECK_OK(acg2vec_vector_batch_item(batch, 0, &status, &input, &message));
    CHECK(status == ACG2VEC_OK && strcmp(input, texts[0]) == 0);
    CHECK_OK(acg2vec_vector_batch_result(batch, 0, &item));
    {
        const float* first = NULL;
        size_t first_count = 0;
        CHECK_OK(acg2vec_vector_data(item, &first, &first_count));
        CHECK(first_count == 4 && fabs(first[2] - values[2]) < 1e-5);
    }
    acg2vec_vector_batch_free(batch);
    acg2vec_vector_free(vector);
    batch = NULL;
    texts[1] = NULL;
    CHECK_INVALID(acg2vec_embedder_embed_texts(embedder, texts, 2, &batch), "texts[1]");
    CHECK_INVALID(acg2vec_embedder_embed_texts(embedder, NULL, 2, &batch), "texts");
    CHECK_INVALID(acg2vec_embedder_embed_texts(NULL, texts, 1, &batch), "embedder");
    CHECK_INVALID(acg2vec_embedder_embed_texts(embedder, texts, 1, NULL), "out");
    CHECK(batch == NULL);

    /* Similarity. */
    CHECK_OK(acg2vec_embedder_similarity_files(embedder, image_a, image_a, &similarity));
    CHECK_NEAR(similarity.cosine, 1.0, 1e-5);
    CHECK_NEAR(similarity.score, 100.0, 1e-3);
    CHECK_NEAR(similarity.l2_distance, 0.0, 1e-3);
    CHECK_OK(acg2vec_embedder_similarity_images(embedder, image, other, &similarity));
    CHECK(similarity.cosine <= 1.0 + 1e-6 && similarity.score >= 0.0);
    CHECK_STATUS(acg2vec_embedder_similarity_files(embedder, image_a, missing, &similarity), ACG2VEC_IO);
    CHECK_INVALID(acg2vec_embedder_similarity_files(NULL, image_a, image_a, &similarity), "embedder");
    CHECK_INVALID(acg2vec_embedder_similarity_files(embedder, NULL, image_a, &similarity), "path_a");
    CHECK_INVALID(acg2vec_embedder_similarity_files(embedder, image_a, NULL, &similarity), "path_b");
    CHECK_INVALID(acg2vec_embedder_similarity_files(embedder, image_a, image_a, NULL), "out");
    CHECK_INVALID(acg2vec_embedder_similarity_images(NULL, image, other, &similarity), "embedder");
    CHECK_INVALID(acg2vec_embedder_similarity_images(embedder, NULL, other, &similarity), "a");
    CHECK_INVALID(acg2vec_embedder_similarity_images(embedder, image, NULL, &similarity), "b");
    CHECK_INVALID(acg2vec_embedder_similarity_images(embedder, image, other, NULL), "out");
    {
        const float a[2] = {1, 0}, b[2] = {0, 2}, c[3] = {1, 0, 0};
        CHECK_OK(acg2vec_compare_vectors(a, 2, b, 2, &similarity));
        CHECK_NEAR(similarity.cosine, 0.0, 1e-9);
        CHECK_NEAR(similarity.l2_distance, sqrt(2.0), 1e-6);
        CHECK_NEAR(similarity.score, 0.0, 1e-9);
        CHECK_STATUS(acg2vec_compare_vectors(a, 2, c, 3, &similarity), ACG2VEC_INVALID_ARGUMENT);
        CHECK_INVALID(acg2vec_compare_vectors(NULL, 2, b, 2, &similarity), "a");
        CHECK_INVALID(acg2vec_compare_vectors(a, 2, NULL, 2, &similarity), "b");
        CHECK_INVALID(acg2vec_compare_vectors(a, 2, b, 2, NULL), "out");
    }

    /* Zero-shot. */
    CHECK_OK(acg2vec_embedder_zero_shot_image(embedder, image, labels, 3, NULL, &zero_shot));
    CHECK_OK(acg2vec_zero_shot_result_count(zero_shot, &count));
    CHECK(count == 3);
    for (i = 0; i < count; ++i) {
        CHECK_OK(acg2vec_zero_shot_result_get(zero_shot, i, &text, &probability, &cosine));
        CHECK(strcmp(text, labels[i]) == 0);
        CHECK(probability >= 0.0 && probability <= 1.0 && cosine >= -1.0 - 1e-6 && cosine <= 1.0 + 1e-6);
        total += probability;
    }
    CHECK_NEAR(total, 1.0, 1e-6);
    CHECK_INVALID(acg2vec_zero_shot_result_count(NULL, &count), "result");
    CHECK_INVALID(acg2vec_zero_shot_result_count(zero_shot, NULL), "count");
    CHECK_INVALID(acg2vec_zero_shot_result_get(zero_shot, 3, &text, &probability, &cosine), "index 3");
    CHECK_INVALID(acg2vec_zero_shot_result_get(NULL, 0, &text, &probability, &cosine), "result");
    CHECK_INVALID(acg2vec_zero_shot_result_get(zero_shot, 0, NULL, &probability, &cosine), "label");
    CHECK_INVALID(acg2vec_zero_shot_result_get(zero_shot, 0, &text, NULL, &cosine), "probability");
    CHECK_INVALID(acg2vec_zero_shot_result_get(zero_shot, 0, &text, &probability, NULL), "cosine");
    acg2vec_zero_shot_result_free(zero_shot);
    zero_shot = NULL;
    CHECK_OK(acg2vec_embedder_zero_shot_vector(embedder, image_vector, 4, labels, 3, "a drawing of {}", &zero_shot));
    CHECK_OK(acg2vec_zero_shot_result_count(zero_shot, &count));
    CHECK(count == 3);
    acg2vec_zero_shot_result_free(zero_shot);
    zero_shot = NULL;
    CHECK_STATUS(acg2vec_embedder_zero_shot_vector(embedder, image_vector, 3, labels, 3, NULL, &zero_shot),
                 ACG2VEC_INVALID_ARGUMENT); /* 3 is not the dimension */
    CHECK_INVALID(acg2vec_embedder_zero_shot_image(NULL, image, labels, 3, NULL, &zero_shot), "embedder");
    CHECK_INVALID(acg2vec_embedder_zero_shot_image(embedder, NULL, labels, 3, NULL, &zero_shot), "image");
    CHECK_INVALID(acg2vec_embedder_zero_shot_image(embedder, image, NULL, 3, NULL, &zero_shot), "labels");
    CHECK_INVALID(acg2vec_embedder_zero_shot_image(embedder, image, labels, 3, NULL, NULL), "out");
    CHECK_INVALID(acg2vec_embedder_zero_shot_vector(NULL, image_vector, 4, labels, 3, NULL, &zero_shot), "embedder");
    CHECK_INVALID(acg2vec_embedder_zero_shot_vector(embedder, NULL, 4, labels, 3, NULL, &zero_shot),
                  "image_vector");
    CHECK_INVALID(acg2vec_embedder_zero_shot_vector(embedder, image_vector, 4, NULL, 3, NULL, &zero_shot), "labels");
    CHECK_INVALID(acg2vec_embedder_zero_shot_vector(embedder, image_vector, 4, labels, 3, NULL, NULL), "out");
    labels[2] = NULL;
    CHECK_INVALID(acg2vec_embedder_zero_shot_vector(embedder, image_vector, 4, labels, 3, NULL, &zero_shot),
                  "labels[2]");
    CHECK(zero_shot == NULL);

    /* The embedder's tokenizers: CLIP yes, WordPiece no. */
    CHECK_OK(acg2vec_embedder_clip_tokenizer(embedder, &clip));
    CHECK(clip != NULL);
    acg2vec_clip_tokenizer_free(clip);
    CHECK_STATUS(acg2vec_embedder_wordpiece_tokenizer(embedder, &wordpiece), ACG2VEC_NOT_FOUND);
    CHECK(wordpiece == NULL);
    CHECK_INVALID(acg2vec_embedder_clip_tokenizer(NULL, &clip), "embedder");
    CHECK_INVALID(acg2vec_embedder_clip_tokenizer(embedder, NULL), "out");
    CHECK_INVALID(acg2vec_embedder_wordpiece_tokenizer(NULL, &wordpiece), "embedder");
    CHECK_INVALID(acg2vec_embedder_wordpiece_tokenizer(embedder, NULL), "out");

    /* normalize = 0 keeps the model's raw output. */
    {
        acg2vec_embedder* raw = NULL;
        acg2vec_model_options options;
        CHECK_OK(acg2vec_model_options_init(&options));
        options.normalize = 0;
        CHECK_OK(acg2vec_embedder_open(embedder_path, &options, &raw));
        CHECK_OK(acg2vec_embedder_embed_image(raw, image, &vector));
        CHECK_OK(acg2vec_vector_data(vector, &values, &count));
        CHECK(count == 4 && fabs(norm(values, count) - 1.0) > 1e-3);
        acg2vec_vector_free(vector);
        acg2vec_embedder_free(raw);
    }

    acg2vec_image_free(other);
    acg2vec_image_free(image);
    acg2vec_embedder_free(embedder);
    free(base64);
    free(bytes);
}

/* ---- Tokenizers */

static void test_clip_tokenizer(void) {
    acg2vec_clip_tokenizer* tokenizer = NULL;
    acg2vec_clip_tokenizer_options options;
    acg2vec_ids* ids = NULL;
    acg2vec_strings* pieces = NULL;
    const int64_t* data = NULL;
    const char* piece = NULL;
    char merges[1024];
    char* text = NULL;
    size_t count = 0, size = 0;
    int64_t sot = 0, eot = 0;

    join(merges, sizeof merges, shared_dir, "clip/bpe_simple_vocab_16e6.txt.gz");
    CHECK_INVALID(acg2vec_clip_tokenizer_open(NULL, NULL, &tokenizer), "path");
    CHECK_INVALID(acg2vec_clip_tokenizer_open(merges, NULL, NULL), "out");
    CHECK_STATUS(acg2vec_clip_tokenizer_open(missing, NULL, &tokenizer), ACG2VEC_IO);
    CHECK(tokenizer == NULL);
    CHECK_OK(acg2vec_clip_tokenizer_open(merges, NULL, &tokenizer));
    if (tokenizer == NULL) return;

    CHECK_OK(acg2vec_clip_tokenizer_vocab_size(tokenizer, &size));
    CHECK(size == 49408);
    CHECK_OK(acg2vec_clip_tokenizer_special_tokens(tokenizer, &sot, &eot));
    CHECK(sot == 49406 && eot == 49407);
    CHECK_OK(acg2vec_clip_tokenizer_clean(tokenizer, "  Hello   WORLD &amp; co ", &text));
    CHECK(text != NULL && strcmp(text, "hello world & co") == 0);
    acg2vec_string_free(text);
    CHECK_OK(acg2vec_clip_tokenizer_pieces(tokenizer, "a girl", &pieces));
    CHECK_OK(acg2vec_strings_count(pieces, &count));
    CHECK(count == 2);
    CHECK_OK(acg2vec_strings_get(pieces, 1, &piece));
    CHECK(strcmp(piece, "girl</w>") == 0);
    CHECK_INVALID(acg2vec_strings_get(pieces, 2, &piece), "index 2");
    CHECK_INVALID(acg2vec_strings_get(NULL, 0, &piece), "strings");
    CHECK_INVALID(acg2vec_strings_get(pieces, 0, NULL), "string");
    CHECK_INVALID(acg2vec_strings_count(NULL, &count), "strings");
    CHECK_INVALID(acg2vec_strings_count(pieces, NULL), "count");
    acg2vec_strings_free(pieces);
    CHECK_OK(acg2vec_clip_tokenizer_encode(tokenizer, "a girl", &ids));
    CHECK_OK(acg2vec_ids_data(ids, &data, &count));
    CHECK(count == 2 && data[0] == 320);
    CHECK_INVALID(acg2vec_ids_data(NULL, &data, &count), "ids");
    CHECK_INVALID(acg2vec_ids_data(ids, NULL, &count), "data");
    CHECK_INVALID(acg2vec_ids_data(ids, &data, NULL), "count");
    acg2vec_ids_free(ids);
    CHECK_OK(acg2vec_clip_tokenizer_tokenize(tokenizer, "a girl", &ids));
    CHECK_OK(acg2vec_ids_data(ids, &data, &count));
    CHECK(count == 77 && data[0] == sot && data[3] == eot && data[4] == 0);
    CHECK_OK(acg2vec_clip_tokenizer_decode(tokenizer, data, count, &text));
    CHECK(text != NULL && strcmp(text, "a girl") == 0);
    acg2vec_string_free(text);
    acg2vec_ids_free(ids);
    {
        const int64_t bad[2] = {320, 1000000};
        CHECK_STATUS(acg2vec_clip_tokenizer_decode(tokenizer, bad, 2, &text), ACG2VEC_INVALID_ARGUMENT);
        CHECK(text == NULL);
        CHECK_OK(acg2vec_clip_tokenizer_decode(tokenizer, NULL, 0, &text));
        CHECK(text != NULL && text[0] == '\0');
        acg2vec_string_free(text);
        CHECK_INVALID(acg2vec_clip_tokenizer_decode(tokenizer, NULL, 2, &text), "ids");
        CHECK_INVALID(acg2vec_clip_tokenizer_decode(NULL, bad, 1, &text), "tokenizer");
        CHECK_INVALID(acg2vec_clip_tokenizer_decode(tokenizer, bad, 1, NULL), "out");
    }
    ids = NULL;
    CHECK_STATUS(acg2vec_clip_tokenizer_encode(tokenizer, "\xc3\x28", &ids), ACG2VEC_INVALID_ARGUMENT);
    CHECK(ids == NULL);
    CHECK_INVALID(acg2vec_clip_tokenizer_clean(NULL, "a", &text), "tokenizer");
    CHECK_INVALID(acg2vec_clip_tokenizer_clean(tokenizer, NULL, &text), "text");
    CHECK_INVALID(acg2vec_clip_tokenizer_clean(tokenizer, "a", NULL), "out");
    CHECK_INVALID(acg2vec_clip_tokenizer_pieces(NULL, "a", &pieces), "tokenizer");
    CHECK_INVALID(acg2vec_clip_tokenizer_pieces(tokenizer, NULL, &pieces), "text");
    CHECK_INVALID(acg2vec_clip_tokenizer_pieces(tokenizer, "a", NULL), "out");
    CHECK_INVALID(acg2vec_clip_tokenizer_encode(NULL, "a", &ids), "tokenizer");
    CHECK_INVALID(acg2vec_clip_tokenizer_encode(tokenizer, NULL, &ids), "text");
    CHECK_INVALID(acg2vec_clip_tokenizer_encode(tokenizer, "a", NULL), "out");
    CHECK_INVALID(acg2vec_clip_tokenizer_tokenize(NULL, "a", &ids), "tokenizer");
    CHECK_INVALID(acg2vec_clip_tokenizer_tokenize(tokenizer, NULL, &ids), "text");
    CHECK_INVALID(acg2vec_clip_tokenizer_tokenize(tokenizer, "a", NULL), "out");
    CHECK_INVALID(acg2vec_clip_tokenizer_special_tokens(NULL, &sot, &eot), "tokenizer");
    CHECK_INVALID(acg2vec_clip_tokenizer_special_tokens(tokenizer, NULL, &eot), "start_of_text");
    CHECK_INVALID(acg2vec_clip_tokenizer_special_tokens(tokenizer, &sot, NULL), "end_of_text");
    CHECK_INVALID(acg2vec_clip_tokenizer_vocab_size(NULL, &size), "tokenizer");
    CHECK_INVALID(acg2vec_clip_tokenizer_vocab_size(tokenizer, NULL), "size");
    acg2vec_clip_tokenizer_free(tokenizer);

    /* A short context: truncated, or an error without truncation. */
    tokenizer = NULL;
    CHECK_OK(acg2vec_clip_tokenizer_options_init(&options));
    options.context_length = 4;
    CHECK_OK(acg2vec_clip_tokenizer_open(merges, &options, &tokenizer));
    CHECK_OK(acg2vec_clip_tokenizer_tokenize(tokenizer, "one two three four five", &ids));
    CHECK_OK(acg2vec_ids_data(ids, &data, &count));
    CHECK(count == 4 && data[3] == eot);
    acg2vec_ids_free(ids);
    acg2vec_clip_tokenizer_free(tokenizer);
    tokenizer = NULL;
    options.truncate = 0;
    CHECK_OK(acg2vec_clip_tokenizer_open(merges, &options, &tokenizer));
    ids = NULL;
    CHECK(acg2vec_clip_tokenizer_tokenize(tokenizer, "one two three four five", &ids) != ACG2VEC_OK);
    CHECK(ids == NULL);
    acg2vec_clip_tokenizer_free(tokenizer);
    tokenizer = NULL;
    options.struct_size = 0;
    CHECK_INVALID(acg2vec_clip_tokenizer_open(merges, &options, &tokenizer), "struct_size");
    CHECK(tokenizer == NULL);
}

static void test_wordpiece_tokenizer(void) {
    acg2vec_wordpiece_tokenizer* tokenizer = NULL;
    acg2vec_wordpiece_options options;
    acg2vec_ids* ids = NULL;
    acg2vec_ids* mask = NULL;
    acg2vec_strings* pieces = NULL;
    const int64_t* data = NULL;
    const char* piece = NULL;
    char vocab[1024];
    size_t count = 0, size = 0;
    int64_t id = 0;

    join(vocab, sizeof vocab, shared_dir, "bert/bert-base-uncased-vocab.txt");
    CHECK_INVALID(acg2vec_wordpiece_tokenizer_open(NULL, NULL, &tokenizer), "path");
    CHECK_INVALID(acg2vec_wordpiece_tokenizer_open(vocab, NULL, NULL), "out");
    CHECK_STATUS(acg2vec_wordpiece_tokenizer_open(missing, NULL, &tokenizer), ACG2VEC_IO);
    CHECK(tokenizer == NULL);
    CHECK_OK(acg2vec_wordpiece_options_init(&options));
    options.struct_size = 2;
    CHECK_INVALID(acg2vec_wordpiece_tokenizer_open(vocab, &options, &tokenizer), "struct_size");
    CHECK_OK(acg2vec_wordpiece_options_init(&options));
    options.max_length = 16;
    CHECK_OK(acg2vec_wordpiece_tokenizer_open(vocab, &options, &tokenizer));
    if (tokenizer == NULL) return;

    CHECK_OK(acg2vec_wordpiece_tokenizer_vocab_size(tokenizer, &size));
    CHECK(size == 30522);
    CHECK_OK(acg2vec_wordpiece_tokenizer_tokenize(tokenizer, "UnAffable", &pieces));
    CHECK_OK(acg2vec_strings_count(pieces, &count));
    CHECK(count == 3);
    CHECK_OK(acg2vec_strings_get(pieces, 1, &piece));
    CHECK(strcmp(piece, "##ffa") == 0); /* una ##ffa ##ble */
    acg2vec_strings_free(pieces);
    CHECK_OK(acg2vec_wordpiece_tokenizer_encode(tokenizer, "hello world", &ids));
    CHECK_OK(acg2vec_ids_data(ids, &data, &count));
    CHECK(count == 4 && data[0] == 101 && data[3] == 102);
    acg2vec_ids_free(ids);
    CHECK_OK(acg2vec_wordpiece_tokenizer_encode_padded(tokenizer, "hello world", 8, &ids, &mask));
    CHECK_OK(acg2vec_ids_data(ids, &data, &count));
    CHECK(count == 8 && data[7] == 0);
    CHECK_OK(acg2vec_ids_data(mask, &data, &count));
    CHECK(count == 8 && data[3] == 1 && data[4] == 0);
    acg2vec_ids_free(ids);
    acg2vec_ids_free(mask);
    CHECK_OK(acg2vec_wordpiece_tokenizer_token_id(tokenizer, "[CLS]", &id));
    CHECK(id == 101);
    CHECK_OK(acg2vec_wordpiece_tokenizer_token(tokenizer, 102, &piece));
    CHECK(strcmp(piece, "[SEP]") == 0);

    CHECK_STATUS(acg2vec_wordpiece_tokenizer_token_id(tokenizer, "no such token", &id), ACG2VEC_NOT_FOUND);
    CHECK_STATUS(acg2vec_wordpiece_tokenizer_token(tokenizer, -1, &piece), ACG2VEC_NOT_FOUND);
    CHECK_STATUS(acg2vec_wordpiece_tokenizer_token(tokenizer, 30522, &piece), ACG2VEC_NOT_FOUND);
    ids = NULL;
    CHECK_STATUS(acg2vec_wordpiece_tokenizer_encode(tokenizer, "\xff", &ids), ACG2VEC_INVALID_ARGUMENT);
    CHECK(ids == NULL);
    CHECK_INVALID(acg2vec_wordpiece_tokenizer_tokenize(NULL, "a", &pieces), "tokenizer");
    CHECK_INVALID(acg2vec_wordpiece_tokenizer_tokenize(tokenizer, NULL, &pieces), "text");
    CHECK_INVALID(acg2vec_wordpiece_tokenizer_tokenize(tokenizer, "a", NULL), "out");
    CHECK_INVALID(acg2vec_wordpiece_tokenizer_encode(NULL, "a", &ids), "tokenizer");
    CHECK_INVALID(acg2vec_wordpiece_tokenizer_encode(tokenizer, NULL, &ids), "text");
    CHECK_INVALID(acg2vec_wordpiece_tokenizer_encode(tokenizer, "a", NULL), "out");
    CHECK_INVALID(acg2vec_wordpiece_tokenizer_encode_padded(NULL, "a", 8, &ids, &mask), "tokenizer");
    CHECK_INVALID(acg2vec_wordpiece_tokenizer_encode_padded(tokenizer, NULL, 8, &ids, &mask), "text");
    CHECK_INVALID(acg2vec_wordpiece_tokenizer_encode_padded(tokenizer, "a", 8, NULL, &mask), "ids");
    CHECK_INVALID(acg2vec_wordpiece_tokenizer_encode_padded(tokenizer, "a", 8, &ids, NULL), "attention_mask");
    CHECK(ids == NULL && mask == NULL);
    CHECK_INVALID(acg2vec_wordpiece_tokenizer_token_id(NULL, "a", &id), "tokenizer");
    CHECK_INVALID(acg2vec_wordpiece_tokenizer_token_id(tokenizer, NULL, &id), "token");
    CHECK_INVALID(acg2vec_wordpiece_tokenizer_token_id(tokenizer, "a", NULL), "id");
    CHECK_INVALID(acg2vec_wordpiece_tokenizer_token(NULL, 1, &piece), "tokenizer");
    CHECK_INVALID(acg2vec_wordpiece_tokenizer_token(tokenizer, 1, NULL), "token");
    CHECK_INVALID(acg2vec_wordpiece_tokenizer_vocab_size(NULL, &size), "tokenizer");
    CHECK_INVALID(acg2vec_wordpiece_tokenizer_vocab_size(tokenizer, NULL), "size");
    acg2vec_wordpiece_tokenizer_free(tokenizer);
}

/* ---- Index */

struct key_filter_state {
    int calls;
    const char* rejected;
};

static int reject_one_key(const char* key, void* user_data) {
    struct key_filter_state* state = user_data;
    ++state->calls;
    return strcmp(key, state->rejected) != 0;
}

static void test_index(void) {
    acg2vec_index* index = NULL;
    acg2vec_index* loaded = NULL;
    acg2vec_index_options options;
    acg2vec_search_filter filter;
    acg2vec_search_result* hits = NULL;
    acg2vec_search_batch* batch = NULL;
    const acg2vec_search_result* query_hits = NULL;
    acg2vec_index_info* info = NULL;
    acg2vec_vector* vector = NULL;
    acg2vec_strings* strings = NULL;
    struct key_filter_state state = {0, "a"};
    const float a[4] = {1, 0, 0, 0}, b[4] = {0, 1, 0, 0}, c[4] = {0.9f, 0.1f, 0, 0};
    const float batch_vectors[8] = {0, 0, 1, 0, 0, 0, 0, 1};
    const float queries[8] = {1, 0, 0, 0, 0, 1, 0, 0};
    const char* red[] = {"red"};
    const char* blue_red[] = {"blue", "red"};
    const char* bad_list[] = {NULL};
    const char* batch_keys[] = {"d", "e"};
    const char* const* batch_categories[2];
    const size_t batch_category_counts[2] = {1, 0};
    const char* key = NULL;
    const char* name = NULL;
    const char* fingerprint = NULL;
    const float* values = NULL;
    float distance = 0, score = 0;
    size_t count = 0, size = 0, dimension = 0, capacity = 0, removed_slots = 0;
    acg2vec_metric metric = ACG2VEC_METRIC_L2;
    int flag = -1;
    char path[1024], export_dir[1024], garbage_path[1024];

    batch_categories[0] = red;
    batch_categories[1] = NULL;
    join(path, sizeof path, work_dir, "capi_test.index");
    join(export_dir, sizeof export_dir, work_dir, ".");
    join(garbage_path, sizeof garbage_path, work_dir, "garbage.index");

    /* Creation. */
    CHECK_INVALID(acg2vec_index_create(NULL, &index), "options");
    CHECK_OK(acg2vec_index_options_init(&options));
    CHECK_INVALID(acg2vec_index_create(&options, NULL), "out");
    CHECK_STATUS(acg2vec_index_create(&options, &index), ACG2VEC_INVALID_ARGUMENT); /* dimension 0 */
    options.dimension = 4;
    options.metric = (acg2vec_metric)9;
    CHECK_INVALID(acg2vec_index_create(&options, &index), "metric");
    options.metric = ACG2VEC_METRIC_COSINE;
    options.struct_size = 8;
    CHECK_INVALID(acg2vec_index_create(&options, &index), "struct_size");
    CHECK(index == NULL);
    CHECK_OK(acg2vec_index_options_init(&options));
    options.dimension = 4;
    options.model_name = "two-tower-fixture";
    options.model_fingerprint = "abc123";
    CHECK_OK(acg2vec_index_create(&options, &index));
    if (index == NULL) return;

    /* Adding, updating, reading. */
    CHECK_OK(acg2vec_index_add(index, "a", a, 4, red, 1));
    CHECK_OK(acg2vec_index_add(index, "b", b, 4, blue_red, 2));
    CHECK_OK(acg2vec_index_add(index, "c", c, 4, NULL, 0));
    CHECK_STATUS(acg2vec_index_add(index, "a", a, 4, NULL, 0), ACG2VEC_INVALID_ARGUMENT); /* exists */
    CHECK_STATUS(acg2vec_index_add(index, "z", a, 3, NULL, 0), ACG2VEC_INVALID_ARGUMENT); /* dimension */
    CHECK_INVALID(acg2vec_index_add(NULL, "z", a, 4, NULL, 0), "index");
    CHECK_INVALID(acg2vec_index_add(index, NULL, a, 4, NULL, 0), "key");
    CHECK_INVALID(acg2vec_index_add(index, "z", NULL, 4, NULL, 0), "vector");
    CHECK_INVALID(acg2vec_index_add(index, "z", a, 4, NULL, 1), "categories");
    CHECK_INVALID(acg2vec_index_add(index, "z", a, 4, bad_list, 1), "categories[0]");
    CHECK_OK(acg2vec_index_add_batch(index, batch_keys, 2, batch_vectors, 8, batch_categories, batch_category_counts));
    CHECK_OK(acg2vec_index_size(index, &size));
    CHECK(size == 5);
    CHECK_STATUS(acg2vec_index_add_batch(index, batch_keys, 2, batch_vectors, 7, NULL, NULL),
                 ACG2VEC_INVALID_ARGUMENT);
    CHECK_INVALID(acg2vec_index_add_batch(index, batch_keys, 2, batch_vectors, 8, batch_categories, NULL),
                  "category_counts");
    CHECK_INVALID(acg2vec_index_add_batch(NULL, batch_keys, 2, batch_vectors, 8, NULL, NULL), "index");
    CHECK_INVALID(acg2vec_index_add_batch(index, NULL, 2, batch_vectors, 8, NULL, NULL), "keys");
    CHECK_INVALID(acg2vec_index_add_batch(index, batch_keys, 2, NULL, 8, NULL, NULL), "vectors");
    {
        const char* keys_with_null[] = {"f", NULL};
        const size_t counts[2] = {1, 1};
        const char* const* null_categories[2] = {red, NULL};
        CHECK_INVALID(acg2vec_index_add_batch(index, keys_with_null, 2, batch_vectors, 8, NULL, NULL), "keys[1]");
        CHECK_INVALID(acg2vec_index_add_batch(index, batch_keys, 2, batch_vectors, 8, null_categories, counts),
                      "categories[1]");
    }
    CHECK_OK(acg2vec_index_size(index, &size));
    CHECK(size == 5); /* nothing added by the failed batches */

    CHECK_OK(acg2vec_index_update(index, "c", b, 4, red, 1));
    CHECK_STATUS(acg2vec_index_update(index, "nope", b, 4, NULL, 0), ACG2VEC_NOT_FOUND);
    CHECK_INVALID(acg2vec_index_update(NULL, "c", b, 4, NULL, 0), "index");
    CHECK_INVALID(acg2vec_index_update(index, NULL, b, 4, NULL, 0), "key");
    CHECK_INVALID(acg2vec_index_update(index, "c", NULL, 4, NULL, 0), "vector");
    CHECK_INVALID(acg2vec_index_update(index, "c", b, 4, bad_list, 1), "categories[0]");

    CHECK_OK(acg2vec_index_contains(index, "b", &flag));
    CHECK(flag == 1);
    CHECK_OK(acg2vec_index_contains(index, "nope", &flag));
    CHECK(flag == 0);
    CHECK_INVALID(acg2vec_index_contains(NULL, "b", &flag), "index");
    CHECK_INVALID(acg2vec_index_contains(index, NULL, &flag), "key");
    CHECK_INVALID(acg2vec_index_contains(index, "b", NULL), "contains");
    CHECK_INVALID(acg2vec_index_size(NULL, &size), "index");
    CHECK_INVALID(acg2vec_index_size(index, NULL), "size");

    CHECK_OK(acg2vec_index_get(index, "c", &vector));
    CHECK_OK(acg2vec_vector_data(vector, &values, &count));
    CHECK(count == 4 && fabs(values[1] - 1.0f) < 1e-6);
    acg2vec_vector_free(vector);
    vector = NULL;
    CHECK_STATUS(acg2vec_index_get(index, "nope", &vector), ACG2VEC_NOT_FOUND);
    CHECK(vector == NULL);
    CHECK_INVALID(acg2vec_index_get(NULL, "c", &vector), "index");
    CHECK_INVALID(acg2vec_index_get(index, NULL, &vector), "key");
    CHECK_INVALID(acg2vec_index_get(index, "c", NULL), "out");

    CHECK_OK(acg2vec_index_categories(index, "b", &strings));
    CHECK_OK(acg2vec_strings_count(strings, &count));
    CHECK(count == 2);
    acg2vec_strings_free(strings);
    strings = NULL;
    CHECK_STATUS(acg2vec_index_categories(index, "nope", &strings), ACG2VEC_NOT_FOUND);
    CHECK_INVALID(acg2vec_index_categories(NULL, "b", &strings), "index");
    CHECK_INVALID(acg2vec_index_categories(index, NULL, &strings), "key");
    CHECK_INVALID(acg2vec_index_categories(index, "b", NULL), "out");
    CHECK_OK(acg2vec_index_keys(index, &strings));
    CHECK_OK(acg2vec_strings_count(strings, &count));
    CHECK(count == 5);
    acg2vec_strings_free(strings);
    CHECK_INVALID(acg2vec_index_keys(NULL, &strings), "index");
    CHECK_INVALID(acg2vec_index_keys(index, NULL), "out");

    CHECK_OK(acg2vec_index_get_info(index, &info));
    CHECK_OK(acg2vec_index_info_get(info, &dimension, &metric, &size, &capacity, &removed_slots));
    CHECK(dimension == 4 && metric == ACG2VEC_METRIC_COSINE && size == 5 && capacity >= 5 && removed_slots == 0);
    CHECK_OK(acg2vec_index_info_model(info, &name, &fingerprint));
    CHECK(strcmp(name, "two-tower-fixture") == 0 && strcmp(fingerprint, "abc123") == 0);
    CHECK_INVALID(acg2vec_index_info_get(NULL, &dimension, &metric, &size, &capacity, &removed_slots), "info");
    CHECK_INVALID(acg2vec_index_info_get(info, NULL, &metric, &size, &capacity, &removed_slots), "dimension");
    CHECK_INVALID(acg2vec_index_info_get(info, &dimension, NULL, &size, &capacity, &removed_slots), "metric");
    CHECK_INVALID(acg2vec_index_info_get(info, &dimension, &metric, NULL, &capacity, &removed_slots), "size");
    CHECK_INVALID(acg2vec_index_info_get(info, &dimension, &metric, &size, NULL, &removed_slots), "capacity");
    CHECK_INVALID(acg2vec_index_info_get(info, &dimension, &metric, &size, &capacity, NULL), "removed_slots");
    CHECK_INVALID(acg2vec_index_info_model(NULL, &name, &fingerprint), "info");
    CHECK_INVALID(acg2vec_index_info_model(info, NULL, &fingerprint), "model_name");
    CHECK_INVALID(acg2vec_index_info_model(info, &name, NULL), "model_fingerprint");
    acg2vec_index_info_free(info);
    CHECK_INVALID(acg2vec_index_get_info(NULL, &info), "index");
    CHECK_INVALID(acg2vec_index_get_info(index, NULL), "out");

    /* Searching: plain, by category, by callback, exact, batch. */
    CHECK_OK(acg2vec_index_search(index, a, 4, 2, 0, NULL, &hits));
    CHECK_OK(acg2vec_search_result_count(hits, &count));
    CHECK(count == 2);
    CHECK_OK(acg2vec_search_result_get(hits, 0, &key, &distance, &score));
    CHECK(strcmp(key, "a") == 0);
    CHECK_NEAR(distance, 0.0, 1e-5);
    CHECK_NEAR(score, 1.0, 1e-5);
    CHECK_INVALID(acg2vec_search_result_get(hits, 2, &key, &distance, &score), "index 2");
    CHECK_INVALID(acg2vec_search_result_get(NULL, 0, &key, &distance, &score), "result");
    CHECK_INVALID(acg2vec_search_result_get(hits, 0, NULL, &distance, &score), "key");
    CHECK_INVALID(acg2vec_search_result_get(hits, 0, &key, NULL, &score), "distance");
    CHECK_INVALID(acg2vec_search_result_get(hits, 0, &key, &distance, NULL), "score");
    CHECK_INVALID(acg2vec_search_result_count(NULL, &count), "result");
    CHECK_INVALID(acg2vec_search_result_count(hits, NULL), "count");
    acg2vec_search_result_free(hits);

    CHECK_OK(acg2vec_search_filter_init(&filter));
    filter.any_category = blue_red;
    filter.category_count = 1; /* "blue": only b */
    CHECK_OK(acg2vec_index_search(index, a, 4, 5, 0, &filter, &hits));
    CHECK_OK(acg2vec_search_result_count(hits, &count));
    CHECK(count == 1);
    CHECK_OK(acg2vec_search_result_get(hits, 0, &key, &distance, &score));
    CHECK(strcmp(key, "b") == 0);
    acg2vec_search_result_free(hits);

    CHECK_OK(acg2vec_search_filter_init(&filter));
    filter.accept = reject_one_key;
    filter.user_data = &state;
    CHECK_OK(acg2vec_index_search(index, a, 4, 1, 0, &filter, &hits));
    CHECK(state.calls > 0);
    CHECK_OK(acg2vec_search_result_get(hits, 0, &key, &distance, &score));
    CHECK(strcmp(key, "a") != 0);
    acg2vec_search_result_free(hits);
    state.calls = 0;
    CHECK_OK(acg2vec_index_exact_search(index, a, 4, 5, &filter, &hits));
    CHECK(state.calls >= 5);
    CHECK_OK(acg2vec_search_result_count(hits, &count));
    CHECK(count == 4);
    acg2vec_search_result_free(hits);
    hits = NULL;

    filter.any_category = NULL;
    filter.category_count = 1;
    CHECK_INVALID(acg2vec_index_search(index, a, 4, 1, 0, &filter, &hits), "filter->any_category");
    filter.any_category = bad_list;
    CHECK_INVALID(acg2vec_index_search(index, a, 4, 1, 0, &filter, &hits), "filter->any_category[0]");
    filter.category_count = 0;
    filter.struct_size = 0;
    CHECK_INVALID(acg2vec_index_search(index, a, 4, 1, 0, &filter, &hits), "filter->struct_size");
    CHECK_STATUS(acg2vec_index_search(index, a, 3, 1, 0, NULL, &hits), ACG2VEC_INVALID_ARGUMENT);
    CHECK_INVALID(acg2vec_index_search(NULL, a, 4, 1, 0, NULL, &hits), "index");
    CHECK_INVALID(acg2vec_index_search(index, NULL, 4, 1, 0, NULL, &hits), "query");
    CHECK_INVALID(acg2vec_index_search(index, a, 4, 1, 0, NULL, NULL), "out");
    CHECK_STATUS(acg2vec_index_exact_search(index, a, 3, 1, NULL, &hits), ACG2VEC_INVALID_ARGUMENT);
    CHECK_INVALID(acg2vec_index_exact_search(NULL, a, 4, 1, NULL, &hits), "index");
    CHECK_INVALID(acg2vec_index_exact_search(index, NULL, 4, 1, NULL, &hits), "query");
    CHECK_INVALID(acg2vec_index_exact_search(index, a, 4, 1, NULL, NULL), "out");
    CHECK_INVALID(acg2vec_index_exact_search(index, a, 4, 1, &filter, &hits), "struct_size");
    CHECK(hits == NULL);

    CHECK_OK(acg2vec_index_search_batch(index, queries, 2, 4, 1, 0, NULL, &batch));
    CHECK_OK(acg2vec_search_batch_count(batch, &count));
    CHECK(count == 2);
    CHECK_OK(acg2vec_search_batch_get(batch, 1, &query_hits));
    CHECK_OK(acg2vec_search_result_get(query_hits, 0, &key, &distance, &score));
    CHECK(strcmp(key, "b") == 0 || strcmp(key, "c") == 0); /* both equal (0, 1, 0, 0) */
    CHECK_INVALID(acg2vec_search_batch_get(batch, 2, &query_hits), "index 2");
    CHECK(query_hits == NULL);
    CHECK_INVALID(acg2vec_search_batch_get(NULL, 0, &query_hits), "batch");
    CHECK_INVALID(acg2vec_search_batch_get(batch, 0, NULL), "result");
    CHECK_INVALID(acg2vec_search_batch_count(NULL, &count), "batch");
    CHECK_INVALID(acg2vec_search_batch_count(batch, NULL), "count");
    acg2vec_search_batch_free(batch);
    batch = NULL;
    CHECK_INVALID(acg2vec_index_search_batch(NULL, queries, 2, 4, 1, 0, NULL, &batch), "index");
    CHECK_INVALID(acg2vec_index_search_batch(index, NULL, 2, 4, 1, 0, NULL, &batch), "queries");
    CHECK_INVALID(acg2vec_index_search_batch(index, queries, 2, 4, 1, 0, NULL, NULL), "out");
    CHECK_INVALID(acg2vec_index_search_batch(index, queries, 2, (size_t)-1, 1, 0, NULL, &batch), "overflows");
    CHECK_INVALID(acg2vec_index_search_batch(index, queries, 2, 4, 1, 0, &filter, &batch), "struct_size");
    CHECK(batch == NULL);

    /* Removing. */
    CHECK_OK(acg2vec_index_remove(index, "e", &flag));
    CHECK(flag == 1);
    CHECK_OK(acg2vec_index_remove(index, "e", &flag));
    CHECK(flag == 0);
    CHECK_INVALID(acg2vec_index_remove(NULL, "e", &flag), "index");
    CHECK_INVALID(acg2vec_index_remove(index, NULL, &flag), "key");
    CHECK_INVALID(acg2vec_index_remove(index, "e", NULL), "removed");

    /* Saving, loading with and without expectations, exporting. */
    CHECK_OK(acg2vec_index_save(index, path));
    CHECK(acg2vec_index_save(index, "/nonexistent-dir/x.index") == ACG2VEC_IO);
    CHECK_INVALID(acg2vec_index_save(NULL, path), "index");
    CHECK_INVALID(acg2vec_index_save(index, NULL), "path");
    CHECK_OK(acg2vec_index_load(path, NULL, &loaded));
    CHECK_OK(acg2vec_index_size(loaded, &size));
    CHECK(size == 4);
    CHECK_OK(acg2vec_index_contains(loaded, "d", &flag));
    CHECK(flag == 1);
    acg2vec_index_free(loaded);
    loaded = NULL;
    CHECK_OK(acg2vec_index_load(path, &options, &loaded)); /* the options it was made with */
    acg2vec_index_free(loaded);
    loaded = NULL;
    options.dimension = 8;
    CHECK_STATUS(acg2vec_index_load(path, &options, &loaded), ACG2VEC_INDEX_FORMAT);
    options.dimension = 0;
    options.model_name = "another-model";
    CHECK_STATUS(acg2vec_index_load(path, &options, &loaded), ACG2VEC_INDEX_FORMAT);
    options.struct_size = 0;
    CHECK_INVALID(acg2vec_index_load(path, &options, &loaded), "struct_size");
    CHECK(acg2vec_index_load(missing, NULL, &loaded) != ACG2VEC_OK);
    {
        FILE* garbage = fopen(garbage_path, "wb");
        CHECK(garbage != NULL);
        if (garbage != NULL) {
            fputs("this is not an index file", garbage);
            fclose(garbage);
        }
        CHECK_STATUS(acg2vec_index_load(garbage_path, NULL, &loaded), ACG2VEC_INDEX_FORMAT);
        remove(garbage_path);
    }
    CHECK(loaded == NULL);
    CHECK_INVALID(acg2vec_index_load(NULL, NULL, &loaded), "path");
    CHECK_INVALID(acg2vec_index_load(path, NULL, NULL), "out");
    remove(path);

    CHECK_OK(acg2vec_index_export_vectors(index, export_dir));
    CHECK_INVALID(acg2vec_index_export_vectors(NULL, export_dir), "index");
    CHECK_INVALID(acg2vec_index_export_vectors(index, NULL), "directory");

    acg2vec_index_free(index);
}

int main(int argc, char** argv) {
    if (argc != 7) {
        fprintf(stderr, "usage: %s TAGGER.pt PIX2SCORE.pt TWO_TOWER.pt LINEAR.pt SHARED_DATA_DIR WORK_DIR\n", argv[0]);
        return 2;
    }
    tagger_path = argv[1];
    scorer_path = argv[2];
    embedder_path = argv[3];
    linear_path = argv[4];
    shared_dir = argv[5];
    work_dir = argv[6];
    join(image_a, sizeof image_a, shared_dir, "images/realesrgan_0014_cartoon_179x179.jpg");
    join(image_b, sizeof image_b, shared_dir, "images/animegan_misaka_rgba_570x809.png");
    join(broken, sizeof broken, shared_dir, "tricky/broken.png");
    join(missing, sizeof missing, work_dir, "no-such-file");

    test_library();
    test_options();
    test_images();
    test_tagger();
    test_scorer();
    test_embedder();
    test_clip_tokenizer();
    test_wordpiece_tokenizer();
    test_index();

    printf("acg2vec C API: %d checks, %d failure(s)\n", checks, failures);
    return failures == 0 ? 0 : 1;
}
