/* The C API end to end, in plain C11: every function on the fixture models, every error path
 * it has, and every NULL argument. Run by ctest, and a second time under valgrind
 * (capi_valgrind) to show that every allocation has its free function. This file holds the
 * harness, the library, options, images, models, tokenizers, the index, folder sync and
 * duplicates; capi_task_test.c the tasks (tagger, scorer, embedder, analyzer) and the image
 * inputs they take.
 *
 * Usage: capi_test TAGGER.pt PIX2SCORE.pt TWO_TOWER.pt LINEAR.pt SHARED_DATA_DIR WORK_DIR */
#define _POSIX_C_SOURCE 200809L /* mkdir, rmdir: the folder sync test builds a folder */

#include <sys/stat.h>
#include <threads.h>
#include <unistd.h>

#include "capi_test.h"

int checks = 0;
int failures = 0;
const char* check_context = NULL;

const char* tagger_path;
const char* scorer_path;
const char* embedder_path;
const char* linear_path;
const char* shared_dir;
const char* work_dir;

char image_a[1024];
char image_b[1024];
char image_c[1024];
char broken[1024];
char missing[1024];

struct sample sample_a;
struct sample sample_b;

/* ---- Helpers */

void join(char* out, size_t size, const char* dir, const char* name) {
    const int n = snprintf(out, size, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= size) {
        fprintf(stderr, "path too long: %s/%s\n", dir, name);
        exit(2);
    }
}

unsigned char* read_file(const char* path, size_t* size) {
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

int write_file(const char* path, const void* bytes, size_t size) {
    FILE* file = fopen(path, "wb");
    int written;
    if (file == NULL) return 0;
    written = fwrite(bytes, 1, size, file) == size;
    return fclose(file) == 0 && written;
}

int copy_file(const char* from, const char* to) {
    size_t size = 0;
    unsigned char* bytes = read_file(from, &size);
    const int copied = bytes != NULL && write_file(to, bytes, size);
    free(bytes);
    return copied;
}

char* to_base64(const unsigned char* bytes, size_t size) {
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

double norm(const float* values, size_t count) {
    double sum = 0;
    size_t i;
    for (i = 0; i < count; ++i) sum += (double)values[i] * values[i];
    return sqrt(sum);
}

double max_difference(const float* a, size_t a_size, const float* b, size_t b_size) {
    double largest = 0;
    size_t i;
    if (a_size != b_size || a == NULL || b == NULL) return HUGE_VAL;
    for (i = 0; i < a_size; ++i) {
        const double d = fabs((double)a[i] - (double)b[i]);
        if (d > largest) largest = d;
    }
    return largest;
}

float* vector_copy(const acg2vec_vector* vector, size_t* count) {
    const float* values = NULL;
    float* copy;
    *count = 0;
    if (vector == NULL || acg2vec_vector_data(vector, &values, count) != ACG2VEC_OK || *count == 0) return NULL;
    copy = malloc(*count * sizeof *copy);
    if (copy != NULL) memcpy(copy, values, *count * sizeof *copy);
    return copy;
}

const char* const source_names[SOURCE_COUNT] = {"file", "memory", "base64", "data URL", "decoded"};

int sample_load(struct sample* sample, const char* path) {
    const char* mime = strstr(path, ".png") != NULL ? "image/png" : "image/jpeg";
    memset(sample, 0, sizeof *sample);
    sample->path = path;
    sample->bytes = read_file(path, &sample->size);
    if (sample->bytes == NULL) return 0;
    sample->base64 = to_base64(sample->bytes, sample->size);
    if (sample->base64 == NULL) return 0;
    sample->data_url = malloc(strlen(mime) + strlen(sample->base64) + 32);
    if (sample->data_url == NULL) return 0;
    sprintf(sample->data_url, "data:%s;base64,%s", mime, sample->base64);
    return acg2vec_image_decode_file(path, NULL, &sample->image) == ACG2VEC_OK;
}

void sample_free(struct sample* sample) {
    free(sample->bytes);
    free(sample->base64);
    free(sample->data_url);
    acg2vec_image_free(sample->image);
    memset(sample, 0, sizeof *sample);
}

void sample_inputs(const struct sample* sample, acg2vec_image_input inputs[SOURCE_COUNT]) {
    inputs[0] = acg2vec_image_file(sample->path);
    inputs[1] = acg2vec_image_memory(sample->bytes, sample->size);
    inputs[2] = acg2vec_image_base64(sample->base64);
    inputs[3] = acg2vec_image_base64(sample->data_url);
    inputs[4] = acg2vec_image_decoded(sample->image);
}

int is_hex16(const char* text) {
    size_t i;
    if (text == NULL || strlen(text) != 16) return 0;
    for (i = 0; i < 16; ++i) {
        if (!((text[i] >= '0' && text[i] <= '9') || (text[i] >= 'a' && text[i] <= 'f'))) return 0;
    }
    return 1;
}

void check_out(acg2vec_status status, const void* out) {
    CHECK(status == ACG2VEC_OK ? out != NULL && out != GARBAGE : out == NULL);
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
    CHECK(ACG2VEC_ABI_VERSION == 2);
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
    CHECK(strcmp(acg2vec_status_name(ACG2VEC_NOT_FOUND), "not_found") == 0);
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
    acg2vec_model_free(NULL);
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
    acg2vec_analyzer_free(NULL);
    acg2vec_analysis_free(NULL);
    acg2vec_analysis_batch_free(NULL);
    acg2vec_clip_tokenizer_free(NULL);
    acg2vec_wordpiece_tokenizer_free(NULL);
    acg2vec_ids_free(NULL);
    acg2vec_strings_free(NULL);
    acg2vec_index_free(NULL);
    acg2vec_index_info_free(NULL);
    acg2vec_search_result_free(NULL);
    acg2vec_search_batch_free(NULL);
    acg2vec_duplicates_free(NULL);
}

/* ---- Options */

static void test_option_defaults(void) {
    acg2vec_model_options model;
    acg2vec_tag_options tags;
    acg2vec_score_options score;
    acg2vec_embed_options embed;
    acg2vec_decode_options decode;
    acg2vec_index_options index;
    acg2vec_search_filter filter;
    acg2vec_sync_options sync;
    acg2vec_duplicate_options duplicates;
    acg2vec_clip_tokenizer_options clip;
    acg2vec_wordpiece_options wordpiece;

    CHECK_INVALID(acg2vec_model_options_init(NULL), "options");
    CHECK_INVALID(acg2vec_tag_options_init(NULL), "options");
    CHECK_INVALID(acg2vec_score_options_init(NULL), "options");
    CHECK_INVALID(acg2vec_embed_options_init(NULL), "options");
    CHECK_INVALID(acg2vec_decode_options_init(NULL), "options");
    CHECK_INVALID(acg2vec_index_options_init(NULL), "options");
    CHECK_INVALID(acg2vec_search_filter_init(NULL), "filter");
    CHECK_INVALID(acg2vec_sync_options_init(NULL), "options");
    CHECK_INVALID(acg2vec_duplicate_options_init(NULL), "options");
    CHECK_INVALID(acg2vec_clip_tokenizer_options_init(NULL), "options");
    CHECK_INVALID(acg2vec_wordpiece_options_init(NULL), "options");

    /* The C++ defaults, over whatever the struct held. */
    memset(&model, 0xab, sizeof model);
    CHECK_OK(acg2vec_model_options_init(&model));
    CHECK(model.struct_size == sizeof model);
    CHECK(model.device == NULL && model.metadata_json == NULL && model.preprocess_json == NULL);
    CHECK(model.threads == 0 && model.batch_size == 16);
    CHECK(model.decode_threads == 0 && model.decode_schedule == ACG2VEC_DECODE_AUTOMATIC);
    CHECK(model.precision == ACG2VEC_PRECISION_FP32 && model.optimization == ACG2VEC_OPTIMIZATION_FREEZE);
    memset(&tags, 0xab, sizeof tags);
    CHECK_OK(acg2vec_tag_options_init(&tags));
    CHECK(tags.struct_size == sizeof tags);
    CHECK_NEAR(tags.general_threshold, 0.35, 1e-6);
    CHECK_NEAR(tags.character_threshold, 0.85, 1e-6);
    CHECK(tags.include == NULL && tags.include_count == 0 && tags.exclude == NULL && tags.exclude_count == 0);
    CHECK(tags.max_general == 0 && tags.max_characters == 0 && tags.underscores_to_spaces == 0);
    memset(&score, 0xab, sizeof score);
    CHECK_OK(acg2vec_score_options_init(&score));
    CHECK(score.struct_size == sizeof score && score.top_k == 5);
    memset(&embed, 0xab, sizeof embed);
    CHECK_OK(acg2vec_embed_options_init(&embed));
    CHECK(embed.struct_size == sizeof embed && embed.normalize == 1);
    memset(&decode, 0xab, sizeof decode);
    CHECK_OK(acg2vec_decode_options_init(&decode));
    CHECK(decode.struct_size == sizeof decode && decode.max_pixels == 178956970u);
    CHECK(decode.apply_exif_orientation == 0 && decode.jpeg_min_side == 0);
    CHECK_OK(acg2vec_index_options_init(&index));
    CHECK(index.struct_size == sizeof index && index.dimension == 0 && index.metric == ACG2VEC_METRIC_COSINE);
    CHECK(index.M == 16 && index.ef_construction == 200 && index.ef_search == 64 && index.seed == 100);
    CHECK(index.model_name == NULL && index.model_fingerprint == NULL);
    CHECK_OK(acg2vec_search_filter_init(&filter));
    CHECK(filter.struct_size == sizeof filter && filter.accept == NULL && filter.category_count == 0);
    memset(&sync, 0xab, sizeof sync);
    CHECK_OK(acg2vec_sync_options_init(&sync));
    CHECK(sync.struct_size == sizeof sync && sync.root == NULL && sync.remove_missing == 1);
    CHECK(sync.save_path == NULL && sync.save_every == 512 && sync.images_per_call == 128);
    CHECK(sync.on_event == NULL && sync.on_progress == NULL && sync.user_data == NULL);
    memset(&duplicates, 0xab, sizeof duplicates);
    CHECK_OK(acg2vec_duplicate_options_init(&duplicates));
    CHECK(duplicates.struct_size == sizeof duplicates && duplicates.neighbours == 10);
    CHECK_NEAR(duplicates.min_score, 0.95, 1e-6);
    CHECK_OK(acg2vec_clip_tokenizer_options_init(&clip));
    CHECK(clip.struct_size == sizeof clip && clip.context_length == 77 && clip.truncate == 1);
    CHECK_OK(acg2vec_wordpiece_options_init(&wordpiece));
    CHECK(wordpiece.struct_size == sizeof wordpiece && wordpiece.max_length == 128 && wordpiece.lowercase == 1);
}

/* Wrong struct_size, unknown enum values, NULL list entries: refused when the model is
 * opened or the task created, and nothing is handed out. */
static void test_option_errors(void) {
    acg2vec_model_options options;
    acg2vec_tag_options tags;
    acg2vec_score_options score;
    acg2vec_embed_options embed;
    acg2vec_decode_options decode;
    acg2vec_model* model = GARBAGE;
    acg2vec_model* tagger_model = NULL;
    acg2vec_model* scorer_model = NULL;
    acg2vec_model* embedder_model = NULL;
    acg2vec_tagger* tagger = GARBAGE;
    acg2vec_scorer* scorer = GARBAGE;
    acg2vec_embedder* embedder = GARBAGE;
    const char* bad_list[] = {"nsfw", NULL};

    CHECK_OK(acg2vec_model_options_init(&options));
    options.struct_size = sizeof options - 1;
    CHECK_INVALID(acg2vec_model_open(tagger_path, &options, &model), "options->struct_size");
    CHECK(model == NULL);
    options.struct_size = 0;
    CHECK_INVALID(acg2vec_model_open(tagger_path, &options, &model), "options->struct_size is 0");
    CHECK_OK(acg2vec_model_options_init(&options));
    options.precision = (acg2vec_precision)7;
    CHECK_INVALID(acg2vec_model_open(tagger_path, &options, &model), "options->precision 7");
    CHECK_OK(acg2vec_model_options_init(&options));
    options.optimization = (acg2vec_optimization)3;
    CHECK_INVALID(acg2vec_model_open(tagger_path, &options, &model), "options->optimization 3");
    CHECK_OK(acg2vec_model_options_init(&options));
    options.decode_schedule = (acg2vec_decode_schedule)3;
    CHECK_INVALID(acg2vec_model_open(tagger_path, &options, &model), "options->decode_schedule 3");
    CHECK_OK(acg2vec_model_options_init(&options));
    options.device = "no-such-device";
    CHECK(acg2vec_model_open(tagger_path, &options, &model) != ACG2VEC_OK);
    CHECK(model == NULL);
    CHECK(strstr(acg2vec_last_error(), "no-such-device") != NULL);

    CHECK_OK(acg2vec_model_open(tagger_path, NULL, &tagger_model));
    CHECK_OK(acg2vec_model_open(scorer_path, NULL, &scorer_model));
    CHECK_OK(acg2vec_model_open(embedder_path, NULL, &embedder_model));

    CHECK_OK(acg2vec_tag_options_init(&tags));
    tags.struct_size = 0;
    CHECK_INVALID(acg2vec_tagger_create(tagger_model, &tags, NULL, &tagger), "tag_options->struct_size");
    CHECK(tagger == NULL);
    CHECK_OK(acg2vec_tag_options_init(&tags));
    tags.include = bad_list;
    tags.include_count = 2;
    CHECK_INVALID(acg2vec_tagger_create(tagger_model, &tags, NULL, &tagger), "tag_options->include[1]");
    tags.include = NULL;
    CHECK_INVALID(acg2vec_tagger_create(tagger_model, &tags, NULL, &tagger), "tag_options->include");
    tags.include_count = 0;
    tags.exclude = bad_list;
    tags.exclude_count = 2;
    CHECK_INVALID(acg2vec_tagger_create(tagger_model, &tags, NULL, &tagger), "tag_options->exclude[1]");
    CHECK(tagger == NULL);

    CHECK_OK(acg2vec_score_options_init(&score));
    score.struct_size = sizeof score + 8;
    CHECK_INVALID(acg2vec_scorer_create(scorer_model, &score, NULL, &scorer), "score_options->struct_size");
    CHECK(scorer == NULL);
    CHECK_OK(acg2vec_embed_options_init(&embed));
    embed.struct_size = 1;
    CHECK_INVALID(acg2vec_embedder_create(embedder_model, &embed, NULL, &embedder), "embed_options->struct_size");
    CHECK(embedder == NULL);

    /* The decode options of every task. (The message says "options->struct_size" although
     * the parameter is decode_options; only struct_size is checked here.) */
    CHECK_OK(acg2vec_decode_options_init(&decode));
    decode.struct_size = 2;
    CHECK_INVALID(acg2vec_tagger_create(tagger_model, NULL, &decode, &tagger), "struct_size");
    CHECK_INVALID(acg2vec_scorer_create(scorer_model, NULL, &decode, &scorer), "struct_size");
    CHECK_INVALID(acg2vec_embedder_create(embedder_model, NULL, &decode, &embedder), "struct_size");
    CHECK(tagger == NULL && scorer == NULL && embedder == NULL);

    acg2vec_model_free(embedder_model);
    acg2vec_model_free(scorer_model);
    acg2vec_model_free(tagger_model);
}

/* ---- Images */

static void test_images(void) {
    acg2vec_image* image = NULL;
    acg2vec_decode_options options;
    const uint8_t* pixels = NULL;
    const char* format = NULL;
    size_t size = 0;
    int width = 0, height = 0, channels = 0;
    const uint8_t gray[6] = {0, 50, 100, 150, 200, 250};

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

    /* Memory, base64 and a data URL decode to the same pixels as the file. */
    {
        const uint8_t* reference = NULL;
        size_t reference_size = 0;
        acg2vec_image* other = NULL;
        CHECK_OK(acg2vec_image_pixels(sample_a.image, &reference, &reference_size));
        CHECK_OK(acg2vec_image_decode_memory(sample_a.bytes, sample_a.size, NULL, &other));
        CHECK_OK(acg2vec_image_pixels(other, &pixels, &size));
        CHECK(size == reference_size && memcmp(pixels, reference, size) == 0);
        acg2vec_image_free(other);
        CHECK_OK(acg2vec_image_decode_base64(sample_a.base64, NULL, &other));
        CHECK_OK(acg2vec_image_pixels(other, &pixels, &size));
        CHECK(size == reference_size && memcmp(pixels, reference, size) == 0);
        acg2vec_image_free(other);
        CHECK_OK(acg2vec_image_decode_base64(sample_a.data_url, NULL, &other));
        CHECK_OK(acg2vec_image_pixels(other, &pixels, &size));
        CHECK(size == reference_size && memcmp(pixels, reference, size) == 0);
        acg2vec_image_free(other);
    }
    CHECK_OK(acg2vec_image_dimensions(sample_b.image, &width, &height, &channels));
    CHECK(width == 570 && height == 809 && channels == 4);

    /* Errors of the C++ decoder keep their codes; out is NULL after any failure. */
    image = GARBAGE;
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

    /* jpeg_min_side: a DCT-scaled decode keeps both sides at least that long. */
    CHECK_OK(acg2vec_decode_options_init(&options));
    options.jpeg_min_side = 40;
    CHECK_OK(acg2vec_image_decode_file(image_a, &options, &image));
    CHECK_OK(acg2vec_image_dimensions(image, &width, &height, &channels));
    CHECK(width >= 40 && height >= 40 && width < 179 && height < 179 && channels == 3);
    acg2vec_image_free(image);
    image = NULL;

    CHECK_INVALID(acg2vec_image_decode_file(NULL, NULL, &image), "path");
    CHECK_INVALID(acg2vec_image_decode_file(image_a, NULL, NULL), "out");
    CHECK_INVALID(acg2vec_image_decode_memory(NULL, 4, NULL, &image), "data");
    CHECK_INVALID(acg2vec_image_decode_memory(sample_a.bytes, sample_a.size, NULL, NULL), "out");
    CHECK_INVALID(acg2vec_image_decode_base64(NULL, NULL, &image), "text");
    CHECK_INVALID(acg2vec_image_decode_base64(sample_a.base64, NULL, NULL), "out");

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

    /* The inline input helpers fill only their source's fields. */
    {
        const acg2vec_image_input file = acg2vec_image_file("x.jpg");
        const acg2vec_image_input memory = acg2vec_image_memory(gray, 6);
        const acg2vec_image_input base64 = acg2vec_image_base64("QUJD");
        const acg2vec_image_input decoded = acg2vec_image_decoded(sample_a.image);
        CHECK(file.source == ACG2VEC_IMAGE_FILE && strcmp(file.text, "x.jpg") == 0 && file.data == NULL &&
              file.size == 0 && file.image == NULL && file.name == NULL);
        CHECK(memory.source == ACG2VEC_IMAGE_MEMORY && memory.text == NULL && memory.data == gray && memory.size == 6 &&
              memory.image == NULL && memory.name == NULL);
        CHECK(base64.source == ACG2VEC_IMAGE_BASE64 && strcmp(base64.text, "QUJD") == 0 && base64.data == NULL &&
              base64.image == NULL && base64.name == NULL);
        CHECK(decoded.source == ACG2VEC_IMAGE_DECODED && decoded.text == NULL && decoded.data == NULL &&
              decoded.image == sample_a.image && decoded.name == NULL);
    }
}

/* ---- Model */

/* A malloc'ed copy of text with every `from` replaced by `to`. */
static char* replace_all(const char* text, const char* from, const char* to) {
    const size_t from_size = strlen(from), to_size = strlen(to);
    size_t count = 0;
    const char* at;
    char* out;
    char* o;
    for (at = strstr(text, from); at != NULL; at = strstr(at + from_size, from)) ++count;
    out = malloc(strlen(text) + count * (to_size + 1) + 1);
    if (out == NULL) return NULL;
    o = out;
    while ((at = strstr(text, from)) != NULL) {
        memcpy(o, text, (size_t)(at - text));
        o += at - text;
        memcpy(o, to, to_size);
        o += to_size;
        text = at + from_size;
    }
    strcpy(o, text);
    return out;
}

static void test_model(void) {
    acg2vec_model* model = NULL;
    acg2vec_model* again = NULL;
    acg2vec_model* other = NULL;
    acg2vec_model* renamed = NULL;
    acg2vec_model_options options;
    const char* text = NULL;
    const char* fingerprint = NULL;
    const char* second = NULL;
    char saved[17] = "";

    CHECK_INVALID(acg2vec_model_open(NULL, NULL, &model), "path");
    CHECK_INVALID(acg2vec_model_open(tagger_path, NULL, NULL), "out");
    model = GARBAGE;
    CHECK_STATUS(acg2vec_model_open(missing, NULL, &model), ACG2VEC_MODEL_LOAD);
    CHECK(model == NULL);
    CHECK_STATUS(acg2vec_model_open(image_a, NULL, &model), ACG2VEC_MODEL_LOAD); /* not an archive */
    CHECK(model == NULL);
    CHECK_OK(acg2vec_model_open(tagger_path, NULL, &model));
    if (model == NULL) return;

    CHECK_OK(acg2vec_model_path(model, &text));
    CHECK(strcmp(text, tagger_path) == 0);
    CHECK_OK(acg2vec_model_metadata(model, &text));
    CHECK(strstr(text, "\"tagger-fixture\"") != NULL && strstr(text, "selected_tags.csv") != NULL);
    CHECK_OK(acg2vec_model_device(model, &text));
    CHECK(strcmp(text, "cpu") == 0);

    /* The fingerprint: 16 hex digits of the file's bytes, the same on every call and every
     * open of the same file, another for another file. */
    CHECK_OK(acg2vec_model_fingerprint(model, &fingerprint));
    CHECK(is_hex16(fingerprint));
    if (fingerprint != NULL) snprintf(saved, sizeof saved, "%s", fingerprint);
    CHECK_OK(acg2vec_model_fingerprint(model, &second));
    CHECK(second != NULL && strcmp(second, saved) == 0);
    CHECK_OK(acg2vec_model_open(tagger_path, NULL, &again));
    CHECK_OK(acg2vec_model_fingerprint(again, &second));
    CHECK(second != NULL && strcmp(second, saved) == 0);
    acg2vec_model_free(again);
    CHECK_OK(acg2vec_model_open(scorer_path, NULL, &other));
    CHECK_OK(acg2vec_model_fingerprint(other, &second));
    CHECK(is_hex16(second) && strcmp(second, saved) != 0);
    CHECK_OK(acg2vec_model_metadata(other, &text));
    CHECK(strstr(text, "\"pix2score-fixture\"") != NULL);
    acg2vec_model_free(other);
    other = NULL;
    /* A model without any task section is still a model. */
    CHECK_OK(acg2vec_model_open(linear_path, NULL, &other));
    CHECK_OK(acg2vec_model_metadata(other, &text));
    CHECK(strstr(text, "\"linear-fixture\"") != NULL);
    acg2vec_model_free(other);

    CHECK_INVALID(acg2vec_model_path(NULL, &text), "model");
    CHECK_INVALID(acg2vec_model_path(model, NULL), "path");
    CHECK_INVALID(acg2vec_model_metadata(NULL, &text), "model");
    CHECK_INVALID(acg2vec_model_metadata(model, NULL), "json");
    CHECK_INVALID(acg2vec_model_device(NULL, &text), "model");
    CHECK_INVALID(acg2vec_model_device(model, NULL), "device");
    CHECK_INVALID(acg2vec_model_fingerprint(NULL, &text), "model");
    CHECK_INVALID(acg2vec_model_fingerprint(model, NULL), "fingerprint");

    /* metadata_json replaces the archive's acg2vec.json; the file, and so the fingerprint,
     * stay the same. */
    CHECK_OK(acg2vec_model_metadata(model, &text));
    {
        char* json = replace_all(text, "tagger-fixture", "renamed-tagger");
        acg2vec_tagger* tagger = NULL;
        size_t count = 0;
        CHECK(json != NULL);
        CHECK_OK(acg2vec_model_options_init(&options));
        options.metadata_json = json;
        CHECK_OK(acg2vec_model_open(tagger_path, &options, &renamed));
        free(json); /* read during the call only */
        CHECK_OK(acg2vec_model_metadata(renamed, &text));
        CHECK(strstr(text, "\"renamed-tagger\"") != NULL && strstr(text, "tagger-fixture") == NULL);
        CHECK_OK(acg2vec_model_fingerprint(renamed, &second));
        CHECK(second != NULL && strcmp(second, saved) == 0);
        CHECK_OK(acg2vec_tagger_create(renamed, NULL, NULL, &tagger));
        CHECK_OK(acg2vec_tagger_label_count(tagger, &count));
        CHECK(count == 17);
        acg2vec_tagger_free(tagger);
        acg2vec_model_free(renamed);
    }
    renamed = GARBAGE;
    options.metadata_json = "{";
    CHECK_STATUS(acg2vec_model_open(tagger_path, &options, &renamed), ACG2VEC_MODEL_METADATA);
    CHECK(renamed == NULL);
    CHECK_OK(acg2vec_model_options_init(&options));
    options.preprocess_json = "not json";
    CHECK(acg2vec_model_open(tagger_path, &options, &renamed) != ACG2VEC_OK);
    CHECK(renamed == NULL && strstr(acg2vec_last_error(), "preprocess_json") != NULL);

    acg2vec_model_free(model);
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
    CHECK_STATUS(acg2vec_index_add_batch(index, batch_keys, 2, batch_vectors, 7, NULL, NULL), ACG2VEC_INVALID_ARGUMENT);
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

/* ---- An index for an embedder's vectors */

static void test_embedder_index_options(void) {
    acg2vec_model* model = NULL;
    acg2vec_embedder* embedder = NULL;
    acg2vec_index* index = NULL;
    acg2vec_index* loaded = GARBAGE;
    acg2vec_index_info* info = NULL;
    acg2vec_vector* vector = NULL;
    acg2vec_vector* stored = NULL;
    acg2vec_index_options options, defaults, other;
    const acg2vec_image_input input = acg2vec_image_file(image_a);
    const char* fingerprint = NULL;
    const char* name = NULL;
    const float* values = NULL;
    const float* stored_values = NULL;
    char saved[17] = "";
    char path[1024];
    size_t count = 0, stored_count = 0, size = 0;

    join(path, sizeof path, work_dir, "embedder.index");
    CHECK_OK(acg2vec_model_open(embedder_path, NULL, &model));
    CHECK_OK(acg2vec_embedder_create(model, NULL, NULL, &embedder));
    CHECK_OK(acg2vec_model_fingerprint(model, &fingerprint));
    if (fingerprint != NULL) snprintf(saved, sizeof saved, "%s", fingerprint);
    acg2vec_model_free(model); /* the strings below are the embedder's */
    if (embedder == NULL) return;

    /* The dimension, cosine, the model's name and fingerprint; the rest the defaults. */
    CHECK_OK(acg2vec_index_options_init(&defaults));
    memset(&options, 0xab, sizeof options);
    CHECK_OK(acg2vec_embedder_index_options(embedder, &options));
    CHECK(options.struct_size == sizeof options && options.dimension == 4 && options.metric == ACG2VEC_METRIC_COSINE);
    CHECK(options.M == defaults.M && options.ef_construction == defaults.ef_construction &&
          options.ef_search == defaults.ef_search && options.initial_capacity == defaults.initial_capacity &&
          options.seed == defaults.seed);
    CHECK(options.model_name != NULL && strcmp(options.model_name, "two-tower-fixture") == 0);
    CHECK(options.model_fingerprint != NULL && is_hex16(options.model_fingerprint) &&
          strcmp(options.model_fingerprint, saved) == 0);
    CHECK_INVALID(acg2vec_embedder_index_options(NULL, &options), "embedder");
    CHECK_INVALID(acg2vec_embedder_index_options(embedder, NULL), "options");

    /* Create, add a vector, save, load expecting the same model: the vector comes back. */
    CHECK_OK(acg2vec_index_create(&options, &index));
    CHECK_OK(acg2vec_embedder_embed(embedder, &input, &vector));
    CHECK_OK(acg2vec_vector_data(vector, &values, &count));
    CHECK_OK(acg2vec_index_add(index, "a.jpg", values, count, NULL, 0));
    CHECK_OK(acg2vec_index_save(index, path));
    CHECK_OK(acg2vec_index_load(path, &options, &loaded));
    CHECK_OK(acg2vec_index_size(loaded, &size));
    CHECK(size == 1);
    CHECK_OK(acg2vec_index_get_info(loaded, &info));
    CHECK_OK(acg2vec_index_info_model(info, &name, &fingerprint));
    CHECK(strcmp(name, "two-tower-fixture") == 0 && strcmp(fingerprint, saved) == 0);
    acg2vec_index_info_free(info);
    CHECK_OK(acg2vec_index_get(loaded, "a.jpg", &stored));
    CHECK_OK(acg2vec_vector_data(stored, &stored_values, &stored_count));
    CHECK(max_difference(stored_values, stored_count, values, count) <= 1e-6);
    acg2vec_vector_free(stored);
    acg2vec_index_free(loaded);

    /* Another model's expectations refuse the file. */
    other = options;
    other.model_fingerprint = "0000000000000000";
    loaded = GARBAGE;
    CHECK_STATUS(acg2vec_index_load(path, &other, &loaded), ACG2VEC_INDEX_FORMAT);
    CHECK(loaded == NULL);
    other = options;
    other.model_name = "another-model";
    CHECK_STATUS(acg2vec_index_load(path, &other, &loaded), ACG2VEC_INDEX_FORMAT);
    other = options;
    other.dimension = 8;
    CHECK_STATUS(acg2vec_index_load(path, &other, &loaded), ACG2VEC_INDEX_FORMAT);
    CHECK(loaded == NULL);

    remove(path);
    acg2vec_vector_free(vector);
    acg2vec_index_free(index);
    acg2vec_embedder_free(embedder);
}

/* ---- Image files and their keys */

/* The strings of a list, checked against `expected` (count of them). */
static void check_strings(const acg2vec_strings* strings, const char* const* expected, size_t expected_count) {
    size_t count = 99, i;
    const char* text = NULL;
    CHECK_OK(acg2vec_strings_count(strings, &count));
    CHECK(count == expected_count);
    for (i = 0; i < count && i < expected_count; ++i) {
        CHECK_OK(acg2vec_strings_get(strings, i, &text));
        CHECK(text != NULL && strcmp(text, expected[i]) == 0);
        if (text != NULL && strcmp(text, expected[i]) != 0)
            fprintf(stderr, "  got %s, expected %s\n", text, expected[i]);
    }
}

/* index_key(path, root) is `expected`. */
static void check_key(const char* path, const char* root, const char* expected) {
    char* key = NULL;
    CHECK_OK(acg2vec_index_key(path, root, &key));
    CHECK(key != NULL && strcmp(key, expected) == 0);
    if (key != NULL && strcmp(key, expected) != 0)
        fprintf(stderr, "  key of %s: %s, expected %s\n", path, key, expected);
    acg2vec_string_free(key);
}

/* folder holds a.jpg, b.png, copy.jpg, notes.txt and sub/c.jpg. */
static void test_image_listing(const char* folder) {
    acg2vec_strings* files = GARBAGE;
    char a[1024], b[1024], copy[1024], notes[1024], sub[1024], c[1024];
    const char* inputs[3];
    const char* expected[4];
    char* key = GARBAGE;

    join(a, sizeof a, folder, "a.jpg");
    join(b, sizeof b, folder, "b.png");
    join(copy, sizeof copy, folder, "copy.jpg");
    join(notes, sizeof notes, folder, "notes.txt");
    join(sub, sizeof sub, folder, "sub");
    join(c, sizeof c, folder, "sub/c.jpg");

    /* A folder: its images, recursively, sorted; other files left out. */
    inputs[0] = folder;
    CHECK_OK(acg2vec_list_image_files(inputs, 1, &files));
    expected[0] = a;
    expected[1] = b;
    expected[2] = copy;
    expected[3] = c;
    check_strings(files, expected, 4);
    acg2vec_strings_free(files);
    /* Files named directly, whatever their extension; repeats once. */
    inputs[0] = notes;
    inputs[1] = a;
    inputs[2] = a;
    CHECK_OK(acg2vec_list_image_files(inputs, 3, &files));
    expected[0] = a;
    expected[1] = notes;
    check_strings(files, expected, 2);
    acg2vec_strings_free(files);
    inputs[0] = sub;
    inputs[1] = missing;
    CHECK_OK(acg2vec_list_image_files(inputs, 2, &files));
    expected[0] = missing; /* WORK_DIR/no-such-file sorts before WORK_DIR/sync_images/sub/c.jpg */
    expected[1] = c;
    check_strings(files, expected, 2);
    acg2vec_strings_free(files);
    CHECK_OK(acg2vec_list_image_files(NULL, 0, &files));
    check_strings(files, NULL, 0);
    acg2vec_strings_free(files);
    files = GARBAGE;
    CHECK_INVALID(acg2vec_list_image_files(NULL, 1, &files), "inputs");
    CHECK(files == NULL);
    inputs[0] = folder;
    inputs[1] = NULL;
    CHECK_INVALID(acg2vec_list_image_files(inputs, 2, &files), "inputs[1]");
    CHECK_INVALID(acg2vec_list_image_files(inputs, 1, NULL), "out");

    /* Keys: relative to the root, lexically normal, '/' separators; absolute outside it. */
    check_key("./a/../b.jpg", NULL, "b.jpg");
    check_key("./a/../b.jpg", ".", "b.jpg");
    check_key("imgs/x.jpg", "imgs", "x.jpg");
    check_key("imgs/sub/../x.jpg", "./imgs/", "x.jpg");
    check_key("imgs/", NULL, "imgs");
    check_key("/elsewhere/x.jpg", "/work/images", "/elsewhere/x.jpg");
    check_key(a, folder, "a.jpg");
    check_key(c, folder, "sub/c.jpg");
    CHECK_OK(acg2vec_index_key("../x.jpg", NULL, &key));
    CHECK(key != NULL && key[0] == '/' && strlen(key) > 6 && strcmp(key + strlen(key) - 6, "/x.jpg") == 0);
    acg2vec_string_free(key);
    key = GARBAGE;
    CHECK_INVALID(acg2vec_index_key(NULL, NULL, &key), "path");
    CHECK(key == NULL);
    CHECK_INVALID(acg2vec_index_key("a.jpg", NULL, NULL), "key");

    CHECK(strcmp(acg2vec_sync_action_name(ACG2VEC_SYNC_ADDED), "added") == 0);
    CHECK(strcmp(acg2vec_sync_action_name(ACG2VEC_SYNC_UPDATED), "updated") == 0);
    CHECK(strcmp(acg2vec_sync_action_name(ACG2VEC_SYNC_RENAMED), "renamed") == 0);
    CHECK(strcmp(acg2vec_sync_action_name(ACG2VEC_SYNC_REMOVED), "removed") == 0);
    CHECK(strcmp(acg2vec_sync_action_name(ACG2VEC_SYNC_UNCHANGED), "unchanged") == 0);
    CHECK(strcmp(acg2vec_sync_action_name(ACG2VEC_SYNC_FAILED), "failed") == 0);
    CHECK(strcmp(acg2vec_sync_action_name(-1), "unknown") == 0);
    CHECK(strcmp(acg2vec_sync_action_name(ACG2VEC_SYNC_FAILED + 1), "unknown") == 0);
}

/* ---- Folder sync */

/* The vector of one input (malloc'ed, `count` floats); NULL when the call fails. */
float* embed_vector(const acg2vec_embedder* embedder, const acg2vec_image_input* input, size_t* count) {
    acg2vec_vector* vector = NULL;
    float* copy;
    *count = 0;
    CHECK_OK(acg2vec_embedder_embed(embedder, input, &vector));
    copy = vector_copy(vector, count);
    acg2vec_vector_free(vector);
    return copy;
}

#define SYNC_LOG_MAGIC 0x5157
enum { MAX_EVENTS = 16 };

struct logged_event {
    acg2vec_sync_action action;
    char key[256];
    char previous_key[256];
    int reused;
    acg2vec_status status;
    char message[512];
};

/* What the callbacks saw; their user_data. */
struct sync_log {
    int magic;
    size_t events;
    struct logged_event event[MAX_EVENTS];
    size_t progress_calls;
    size_t last_done, last_total;
    int progress_bad; /* done > total, done going down, or total changing */
};

/* Set when a callback gets user_data that is not the sync_log passed. */
static int sync_user_data_bad = 0;

static void on_sync_event(const acg2vec_sync_event* event, void* user_data) {
    struct sync_log* log = user_data;
    struct logged_event* logged;
    if (log == NULL || log->magic != SYNC_LOG_MAGIC || event == NULL) {
        sync_user_data_bad = 1;
        return;
    }
    if (log->events < MAX_EVENTS) {
        logged = &log->event[log->events];
        logged->action = event->action;
        snprintf(logged->key, sizeof logged->key, "%s", event->key != NULL ? event->key : "(null)");
        snprintf(logged->previous_key, sizeof logged->previous_key, "%s",
                 event->previous_key != NULL ? event->previous_key : "(null)");
        logged->reused = event->reused;
        logged->status = event->status;
        snprintf(logged->message, sizeof logged->message, "%s", event->message != NULL ? event->message : "(null)");
    }
    ++log->events;
}

static void on_sync_progress(size_t done, size_t total, void* user_data) {
    struct sync_log* log = user_data;
    if (log == NULL || log->magic != SYNC_LOG_MAGIC) {
        sync_user_data_bad = 1;
        return;
    }
    if (done > total || done < log->last_done || (log->progress_calls > 0 && total != log->last_total)) {
        log->progress_bad = 1;
    }
    ++log->progress_calls;
    log->last_done = done;
    log->last_total = total;
}

/* The logged event of `key`, if exactly one. */
static const struct logged_event* find_event(const struct sync_log* log, const char* key) {
    const struct logged_event* found = NULL;
    size_t i;
    for (i = 0; i < log->events && i < MAX_EVENTS; ++i) {
        if (strcmp(log->event[i].key, key) != 0) continue;
        if (found != NULL) return NULL;
        found = &log->event[i];
    }
    return found;
}

/* `key` had one event: `action`, with `reused` and `previous_key`, and no error. */
static void check_event(const struct sync_log* log, const char* key, acg2vec_sync_action action, int reused,
                        const char* previous_key) {
    const struct logged_event* event = find_event(log, key);
    const char* saved = check_context;
    check_context = key;
    CHECK(event != NULL);
    if (event != NULL) {
        CHECK(event->action == action);
        CHECK(event->reused == reused);
        CHECK(strcmp(event->previous_key, previous_key) == 0);
        CHECK(event->status == ACG2VEC_OK && strcmp(event->message, "") == 0);
    }
    check_context = saved;
}

struct expected_report {
    size_t added, updated, renamed, removed, unchanged, failed;
};

/* Syncs folder into index (keys relative to folder) and checks the report, the events and
 * the progress the callbacks saw. model_runs is returned through report. */
static void sync_and_check(acg2vec_index* index, const acg2vec_analyzer* analyzer, const char* folder,
                           const char* save_path, size_t images_per_call, int remove_missing, struct sync_log* log,
                           acg2vec_sync_report* report, struct expected_report expected) {
    acg2vec_sync_options options;
    const char* inputs[1];
    size_t files;

    inputs[0] = folder;
    memset(log, 0, sizeof *log);
    log->magic = SYNC_LOG_MAGIC;
    memset(report, 0xab, sizeof *report);
    CHECK_OK(acg2vec_sync_options_init(&options));
    options.root = folder;
    options.save_path = save_path;
    options.images_per_call = images_per_call;
    options.remove_missing = remove_missing;
    options.on_event = on_sync_event;
    options.on_progress = on_sync_progress;
    options.user_data = log;
    CHECK_OK(acg2vec_sync_folder(index, analyzer, inputs, 1, &options, report));
    CHECK(report->added == expected.added && report->updated == expected.updated &&
          report->renamed == expected.renamed && report->removed == expected.removed &&
          report->unchanged == expected.unchanged && report->failed == expected.failed);
    /* An event per file and per removed key; progress up to every file. */
    files = expected.added + expected.updated + expected.renamed + expected.unchanged + expected.failed;
    CHECK(log->events == files + expected.removed);
    CHECK(sync_user_data_bad == 0);
    CHECK(log->progress_calls >= 1 && log->progress_bad == 0);
    CHECK(log->last_done == files && log->last_total == files);
}

/* The content category of key ("" when none); a static buffer. */
static const char* content_of(const acg2vec_index* index, const char* key) {
    static char content[256];
    acg2vec_strings* categories = NULL;
    size_t count = 0, i;
    const char* category = NULL;
    const size_t prefix = strlen(ACG2VEC_CONTENT_CATEGORY_PREFIX);
    content[0] = '\0';
    if (acg2vec_index_categories(index, key, &categories) != ACG2VEC_OK) return content;
    acg2vec_strings_count(categories, &count);
    for (i = 0; i < count; ++i) {
        if (acg2vec_strings_get(categories, i, &category) == ACG2VEC_OK &&
            strncmp(category, ACG2VEC_CONTENT_CATEGORY_PREFIX, prefix) == 0) {
            snprintf(content, sizeof content, "%s", category + prefix);
        }
    }
    acg2vec_strings_free(categories);
    return content;
}

/* The stored vector of key equals `expected` (4 floats). */
static void check_stored(const acg2vec_index* index, const char* key, const float* expected) {
    acg2vec_vector* vector = NULL;
    const float* values = NULL;
    size_t count = 0;
    const char* saved = check_context;
    check_context = key;
    CHECK_OK(acg2vec_index_get(index, key, &vector));
    CHECK(vector != NULL && acg2vec_vector_data(vector, &values, &count) == ACG2VEC_OK);
    CHECK(max_difference(values, count, expected, 4) <= 1e-5);
    acg2vec_vector_free(vector);
    check_context = saved;
}

static void check_contains(const acg2vec_index* index, const char* key, int expected) {
    int contains = -1;
    const char* saved = check_context;
    check_context = key;
    CHECK_OK(acg2vec_index_contains(index, key, &contains));
    CHECK(contains == expected);
    check_context = saved;
}

/* The files of the sync folder, and the folder itself, gone. */
static void remove_sync_folder(const char* folder) {
    static const char* const names[] = {"a.jpg",       "b.png",      "copy.jpg", "notes.txt",
                                        "renamed.png", "broken.png", "sub/c.jpg"};
    char path[1024];
    size_t i;
    for (i = 0; i < sizeof names / sizeof names[0]; ++i) {
        join(path, sizeof path, folder, names[i]);
        remove(path);
    }
    join(path, sizeof path, folder, "sub");
    rmdir(path);
    rmdir(folder);
}

/* ---- Duplicates (of the first sync: a.jpg and copy.jpg hold the same bytes) */

static void test_duplicates(const acg2vec_index* index) {
    acg2vec_duplicates* duplicates = GARBAGE;
    acg2vec_duplicate_options options;
    acg2vec_index* empty = NULL;
    acg2vec_index_options index_options;
    const char* key = NULL;
    const char* content = NULL;
    const char* nearest = NULL;
    char content_a[256];
    size_t groups = 99, members = 99, i;
    int identical = -1;
    float score = -5;

    snprintf(content_a, sizeof content_a, "%s", content_of(index, "a.jpg"));
    CHECK(content_a[0] != '\0');

    /* No near-duplicate can reach a score of 2: only the identical copies group. */
    CHECK_OK(acg2vec_duplicate_options_init(&options));
    options.min_score = 2.0f;
    CHECK_OK(acg2vec_find_duplicates(index, &options, &duplicates));
    CHECK_OK(acg2vec_duplicates_count(duplicates, &groups));
    CHECK(groups == 1);
    CHECK_OK(acg2vec_duplicates_group(duplicates, 0, &identical, &members));
    CHECK(identical == 1 && members == 2);
    CHECK_OK(acg2vec_duplicates_member(duplicates, 0, 0, &key, &content, &identical, &nearest, &score));
    CHECK(strcmp(key, "a.jpg") == 0 && strcmp(content, content_a) == 0 && identical == 1 &&
          strcmp(nearest, "copy.jpg") == 0);
    CHECK_NEAR(score, 1.0, 1e-6);
    CHECK_OK(acg2vec_duplicates_member(duplicates, 0, 1, &key, &content, &identical, &nearest, &score));
    CHECK(strcmp(key, "copy.jpg") == 0 && strcmp(content, content_a) == 0 && identical == 1 &&
          strcmp(nearest, "a.jpg") == 0);
    CHECK_NEAR(score, 1.0, 1e-6);

    CHECK_INVALID(acg2vec_duplicates_count(NULL, &groups), "duplicates");
    CHECK_INVALID(acg2vec_duplicates_count(duplicates, NULL), "groups");
    CHECK_INVALID(acg2vec_duplicates_group(duplicates, 1, &identical, &members), "group 1");
    CHECK_INVALID(acg2vec_duplicates_group(NULL, 0, &identical, &members), "duplicates");
    CHECK_INVALID(acg2vec_duplicates_group(duplicates, 0, NULL, &members), "identical");
    CHECK_INVALID(acg2vec_duplicates_group(duplicates, 0, &identical, NULL), "member_count");
    CHECK_INVALID(acg2vec_duplicates_member(duplicates, 1, 0, &key, &content, &identical, &nearest, &score), "group 1");
    CHECK_INVALID(acg2vec_duplicates_member(duplicates, 0, 2, &key, &content, &identical, &nearest, &score),
                  "member 2");
    CHECK_INVALID(acg2vec_duplicates_member(NULL, 0, 0, &key, &content, &identical, &nearest, &score), "duplicates");
    CHECK_INVALID(acg2vec_duplicates_member(duplicates, 0, 0, NULL, &content, &identical, &nearest, &score), "key");
    CHECK_INVALID(acg2vec_duplicates_member(duplicates, 0, 0, &key, NULL, &identical, &nearest, &score), "content");
    CHECK_INVALID(acg2vec_duplicates_member(duplicates, 0, 0, &key, &content, NULL, &nearest, &score), "identical");
    CHECK_INVALID(acg2vec_duplicates_member(duplicates, 0, 0, &key, &content, &identical, NULL, &score), "nearest");
    CHECK_INVALID(acg2vec_duplicates_member(duplicates, 0, 0, &key, &content, &identical, &nearest, NULL), "score");
    acg2vec_duplicates_free(duplicates);

    /* Every score counts: one group of all four, not identical as a whole. */
    options.min_score = -2.0f;
    CHECK_OK(acg2vec_find_duplicates(index, &options, &duplicates));
    CHECK_OK(acg2vec_duplicates_count(duplicates, &groups));
    CHECK(groups == 1);
    CHECK_OK(acg2vec_duplicates_group(duplicates, 0, &identical, &members));
    CHECK(identical == 0 && members == 4);
    for (i = 0; i < members && i < 4; ++i) {
        static const char* const keys[4] = {"a.jpg", "b.png", "copy.jpg", "sub/c.jpg"};
        static const int copies[4] = {1, 0, 1, 0};
        CHECK_OK(acg2vec_duplicates_member(duplicates, 0, i, &key, &content, &identical, &nearest, &score));
        CHECK(strcmp(key, keys[i]) == 0 && identical == copies[i] && content[0] != '\0');
        CHECK(strcmp(nearest, key) != 0 && nearest[0] != '\0' && score >= -1.0f - 1e-6f && score <= 1.0f + 1e-6f);
        if (copies[i]) CHECK(strcmp(nearest, i == 0 ? "copy.jpg" : "a.jpg") == 0);
    }
    acg2vec_duplicates_free(duplicates);

    /* The defaults: the copies share a group whatever else joins it. */
    duplicates = NULL;
    CHECK_OK(acg2vec_find_duplicates(index, NULL, &duplicates));
    CHECK_OK(acg2vec_duplicates_count(duplicates, &groups));
    CHECK(groups >= 1);
    {
        size_t group, member, group_of_a = 99, group_of_copy = 98;
        for (group = 0; group < groups; ++group) {
            CHECK_OK(acg2vec_duplicates_group(duplicates, group, &identical, &members));
            for (member = 0; member < members; ++member) {
                CHECK_OK(
                    acg2vec_duplicates_member(duplicates, group, member, &key, &content, &identical, &nearest, &score));
                if (strcmp(key, "a.jpg") == 0) group_of_a = group;
                if (strcmp(key, "copy.jpg") == 0) group_of_copy = group;
            }
        }
        CHECK(group_of_a == group_of_copy);
    }
    acg2vec_duplicates_free(duplicates);

    /* An empty index has no groups. */
    CHECK_OK(acg2vec_index_options_init(&index_options));
    index_options.dimension = 4;
    CHECK_OK(acg2vec_index_create(&index_options, &empty));
    CHECK_OK(acg2vec_find_duplicates(empty, NULL, &duplicates));
    CHECK_OK(acg2vec_duplicates_count(duplicates, &groups));
    CHECK(groups == 0);
    acg2vec_duplicates_free(duplicates);
    acg2vec_index_free(empty);

    duplicates = GARBAGE;
    options.neighbours = 0;
    CHECK_INVALID(acg2vec_find_duplicates(index, &options, &duplicates), "neighbours");
    CHECK(duplicates == NULL);
    CHECK_OK(acg2vec_duplicate_options_init(&options));
    options.struct_size = 4;
    CHECK_INVALID(acg2vec_find_duplicates(index, &options, &duplicates), "options->struct_size");
    CHECK_INVALID(acg2vec_find_duplicates(NULL, NULL, &duplicates), "index");
    CHECK_INVALID(acg2vec_find_duplicates(index, NULL, NULL), "out");
    CHECK(duplicates == NULL);
}

/* What sync_folder refuses; the report is left as it was. */
static void test_sync_errors(acg2vec_index* index, const acg2vec_analyzer* analyzer, const char* folder) {
    acg2vec_sync_options options;
    acg2vec_sync_report report;
    acg2vec_index_options index_options;
    acg2vec_index* other = NULL;
    acg2vec_analyzer* scores_only = NULL;
    acg2vec_model* model = NULL;
    const char* inputs[2];

    inputs[0] = folder;
    inputs[1] = NULL;
    memset(&report, 0, sizeof report);
    report.added = 777;
    CHECK_OK(acg2vec_sync_options_init(&options));
    options.root = folder;
    CHECK_INVALID(acg2vec_sync_folder(NULL, analyzer, inputs, 1, &options, &report), "index");
    CHECK_INVALID(acg2vec_sync_folder(index, NULL, inputs, 1, &options, &report), "analyzer");
    CHECK_INVALID(acg2vec_sync_folder(index, analyzer, inputs, 1, &options, NULL), "report");
    CHECK_INVALID(acg2vec_sync_folder(index, analyzer, NULL, 1, &options, &report), "inputs");
    CHECK_INVALID(acg2vec_sync_folder(index, analyzer, inputs, 2, &options, &report), "inputs[1]");
    options.struct_size = 0;
    CHECK_INVALID(acg2vec_sync_folder(index, analyzer, inputs, 1, &options, &report), "options->struct_size");
    CHECK(report.added == 777);

    /* An analyzer without vectors, an index of other vectors or of another model. */
    CHECK_OK(acg2vec_model_open(scorer_path, NULL, &model));
    CHECK_OK(acg2vec_analyzer_create(model, NULL, NULL, NULL, NULL, &scores_only));
    acg2vec_model_free(model);
    CHECK_FAILS(acg2vec_sync_folder(index, scores_only, inputs, 1, NULL, &report), ACG2VEC_INVALID_ARGUMENT,
                "no image vectors");
    acg2vec_analyzer_free(scores_only);
    CHECK_OK(acg2vec_index_options_init(&index_options));
    index_options.dimension = 3;
    CHECK_OK(acg2vec_index_create(&index_options, &other));
    CHECK_FAILS(acg2vec_sync_folder(other, analyzer, inputs, 1, NULL, &report), ACG2VEC_INVALID_ARGUMENT,
                "folder sync");
    acg2vec_index_free(other);
    other = NULL;
    index_options.dimension = 4;
    index_options.model_name = "another-model";
    CHECK_OK(acg2vec_index_create(&index_options, &other));
    CHECK_FAILS(acg2vec_sync_folder(other, analyzer, inputs, 1, NULL, &report), ACG2VEC_INVALID_ARGUMENT,
                "another-model");
    CHECK(report.added == 777);
    acg2vec_index_free(other);
}

static void test_folder_sync(void) {
    acg2vec_model* model = NULL;
    acg2vec_analyzer* analyzer = NULL;
    acg2vec_embedder* embedder = NULL;
    acg2vec_index* index = NULL;
    acg2vec_index* loaded = NULL;
    acg2vec_index_options options;
    acg2vec_sync_report report;
    struct sync_log* log = calloc(1, sizeof *log);
    struct expected_report expected;
    acg2vec_image_input input;
    char folder[1024], sub[1024], save_path[1024], path[1024], other_path[1024];
    char content_a[256];
    float* vector_a = NULL;
    float* vector_b = NULL;
    float* vector_c = NULL;
    size_t count = 0, size = 0;
    const struct logged_event* event = NULL;

    join(folder, sizeof folder, work_dir, "sync_images");
    join(sub, sizeof sub, folder, "sub");
    join(save_path, sizeof save_path, work_dir, "sync.index");
    remove_sync_folder(folder);
    remove(save_path);
    CHECK(log != NULL && mkdir(folder, 0755) == 0 && mkdir(sub, 0755) == 0);
    join(path, sizeof path, folder, "a.jpg");
    CHECK(copy_file(image_a, path));
    join(path, sizeof path, folder, "copy.jpg");
    CHECK(copy_file(image_a, path));
    join(path, sizeof path, folder, "b.png");
    CHECK(copy_file(image_b, path));
    join(path, sizeof path, folder, "sub/c.jpg");
    CHECK(copy_file(image_c, path));
    join(path, sizeof path, folder, "notes.txt");
    CHECK(write_file(path, "not an image\n", 13));
    if (log == NULL) return;

    test_image_listing(folder);

    /* The analyzer of the two-tower model and an index made for its embedder. */
    CHECK_OK(acg2vec_model_open(embedder_path, NULL, &model));
    CHECK_OK(acg2vec_analyzer_create(model, NULL, NULL, NULL, NULL, &analyzer));
    acg2vec_model_free(model);
    CHECK_OK(acg2vec_analyzer_embedder(analyzer, &embedder));
    CHECK_OK(acg2vec_embedder_index_options(embedder, &options));
    CHECK_OK(acg2vec_index_create(&options, &index));
    if (analyzer == NULL || embedder == NULL || index == NULL) goto done;
    input = acg2vec_image_file(image_a);
    vector_a = embed_vector(embedder, &input, &count);
    input = acg2vec_image_file(image_b);
    vector_b = embed_vector(embedder, &input, &count);
    input = acg2vec_image_file(image_c);
    vector_c = embed_vector(embedder, &input, &count);
    if (vector_a == NULL || vector_b == NULL || vector_c == NULL) goto done;

    /* First sync: every file added, one model run per distinct content (the copy reuses a.jpg's
     * vector under its own key), saved at the end. */
    memset(&expected, 0, sizeof expected);
    expected.added = 4;
    sync_and_check(index, analyzer, folder, save_path, 1, 1, log, &report, expected);
    CHECK(report.model_runs == 3);
    CHECK(log->progress_calls >= 2); /* after planning, and after each of the model calls */
    check_event(log, "a.jpg", ACG2VEC_SYNC_ADDED, 0, "");
    check_event(log, "copy.jpg", ACG2VEC_SYNC_ADDED, 1, "");
    check_event(log, "b.png", ACG2VEC_SYNC_ADDED, 0, "");
    check_event(log, "sub/c.jpg", ACG2VEC_SYNC_ADDED, 0, "");
    CHECK_OK(acg2vec_index_size(index, &size));
    CHECK(size == 4);
    check_stored(index, "a.jpg", vector_a);
    check_stored(index, "copy.jpg", vector_a);
    check_stored(index, "b.png", vector_b);
    check_stored(index, "sub/c.jpg", vector_c);
    snprintf(content_a, sizeof content_a, "%s", content_of(index, "a.jpg"));
    CHECK(content_a[0] != '\0' && strcmp(content_of(index, "copy.jpg"), content_a) == 0);
    CHECK(content_of(index, "b.png")[0] != '\0' && strcmp(content_of(index, "b.png"), content_a) != 0);
    CHECK_OK(acg2vec_index_load(save_path, &options, &loaded));
    CHECK_OK(acg2vec_index_size(loaded, &size));
    CHECK(size == 4);
    acg2vec_index_free(loaded);

    test_duplicates(index);

    /* Nothing changed: every file unchanged, no model run. */
    memset(&expected, 0, sizeof expected);
    expected.unchanged = 4;
    sync_and_check(index, analyzer, folder, NULL, 128, 1, log, &report, expected);
    CHECK(report.model_runs == 0);
    check_event(log, "a.jpg", ACG2VEC_SYNC_UNCHANGED, 0, "");
    check_event(log, "sub/c.jpg", ACG2VEC_SYNC_UNCHANGED, 0, "");

    /* b.png renamed, sub/c.jpg deleted, a broken file added. */
    join(path, sizeof path, folder, "b.png");
    join(other_path, sizeof other_path, folder, "renamed.png");
    CHECK(rename(path, other_path) == 0);
    join(path, sizeof path, folder, "sub/c.jpg");
    CHECK(remove(path) == 0);
    join(path, sizeof path, folder, "broken.png");
    CHECK(copy_file(broken, path));
    memset(&expected, 0, sizeof expected);
    expected.renamed = 1;
    expected.removed = 1;
    expected.unchanged = 2;
    expected.failed = 1;
    sync_and_check(index, analyzer, folder, NULL, 128, 1, log, &report, expected);
    check_event(log, "renamed.png", ACG2VEC_SYNC_RENAMED, 0, "b.png");
    check_event(log, "sub/c.jpg", ACG2VEC_SYNC_REMOVED, 0, "");
    check_event(log, "copy.jpg", ACG2VEC_SYNC_UNCHANGED, 0, "");
    event = find_event(log, "broken.png");
    CHECK(event != NULL && event->action == ACG2VEC_SYNC_FAILED && event->status == ACG2VEC_INVALID_IMAGE &&
          strstr(event->message, "broken.png") != NULL);
    CHECK_OK(acg2vec_index_size(index, &size));
    CHECK(size == 3);
    check_stored(index, "renamed.png", vector_b);
    check_contains(index, "b.png", 0);
    check_contains(index, "sub/c.jpg", 0);
    check_contains(index, "broken.png", 0);

    /* copy.jpg rewritten with other bytes: updated with a new vector. */
    join(path, sizeof path, folder, "broken.png");
    CHECK(remove(path) == 0);
    join(path, sizeof path, folder, "copy.jpg");
    CHECK(copy_file(image_c, path));
    memset(&expected, 0, sizeof expected);
    expected.updated = 1;
    expected.unchanged = 2;
    sync_and_check(index, analyzer, folder, NULL, 128, 1, log, &report, expected);
    CHECK(report.model_runs == 1);
    check_event(log, "copy.jpg", ACG2VEC_SYNC_UPDATED, 0, "");
    check_stored(index, "copy.jpg", vector_c);
    check_stored(index, "a.jpg", vector_a);
    CHECK(strcmp(content_of(index, "copy.jpg"), content_a) != 0);

    /* Without options: keys relative to the working directory, as acg2vec_index_key gives. */
    {
        acg2vec_index* fresh = NULL;
        const char* inputs[1];
        char* key = NULL;
        inputs[0] = folder;
        CHECK_OK(acg2vec_index_create(&options, &fresh));
        CHECK_OK(acg2vec_sync_folder(fresh, analyzer, inputs, 1, NULL, &report));
        CHECK(report.added == 3 && report.model_runs == 3 && report.failed == 0);
        join(path, sizeof path, folder, "renamed.png");
        CHECK_OK(acg2vec_index_key(path, NULL, &key));
        check_contains(fresh, key != NULL ? key : "", 1);
        if (key != NULL) check_stored(fresh, key, vector_b);
        acg2vec_string_free(key);
        acg2vec_index_free(fresh);
    }

    /* remove_missing = 0 keeps the key of a deleted file; the next sync with it removes it. */
    join(path, sizeof path, folder, "a.jpg");
    CHECK(remove(path) == 0);
    memset(&expected, 0, sizeof expected);
    expected.unchanged = 2;
    sync_and_check(index, analyzer, folder, NULL, 128, 0, log, &report, expected);
    check_contains(index, "a.jpg", 1);
    CHECK(find_event(log, "a.jpg") == NULL);
    expected.removed = 1;
    sync_and_check(index, analyzer, folder, NULL, 128, 1, log, &report, expected);
    check_event(log, "a.jpg", ACG2VEC_SYNC_REMOVED, 0, "");
    check_contains(index, "a.jpg", 0);

    test_sync_errors(index, analyzer, folder);

done:
    free(vector_c);
    free(vector_b);
    free(vector_a);
    acg2vec_index_free(index);
    acg2vec_embedder_free(embedder);
    acg2vec_analyzer_free(analyzer);
    free(log);
    remove(save_path);
    remove_sync_folder(folder);
}

int main(int argc, char** argv) {
    int loaded;
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
    join(image_c, sizeof image_c, shared_dir, "images/realesrgan_0030_anime_220x220.jpg");
    join(broken, sizeof broken, shared_dir, "tricky/broken.png");
    join(missing, sizeof missing, work_dir, "no-such-file");

    test_library(); /* first: it expects no failed call yet */
    loaded = sample_load(&sample_a, image_a) && sample_load(&sample_b, image_b);
    CHECK(loaded);
    if (loaded) {
        test_option_defaults();
        test_option_errors();
        test_images();
        test_model();
        test_tagger();
        test_scorer();
        test_embedder();
        test_analyzer();
        test_clip_tokenizer();
        test_wordpiece_tokenizer();
        test_index();
        test_embedder_index_options();
        test_folder_sync();
    }
    sample_free(&sample_b);
    sample_free(&sample_a);

    printf("acg2vec C API: %d checks, %d failure(s)\n", checks, failures);
    return failures == 0 ? 0 : 1;
}
