/* The C API's tasks in plain C11 (part of capi_test, see capi_test.c): the image inputs every
 * task takes, in every source kind and every malformed form; the tagger, scorer and embedder
 * created on a model; the analyzer, whose results must equal the separate tasks'. */
#include "capi_test.h"

/* ---- Image inputs: the checks every task taking an acg2vec_image_input shares */

/* Runs a task on one input and frees its result; returns the call's status. */
typedef acg2vec_status (*run_input)(const void* task, const acg2vec_image_input* input);
/* The same for a batch. */
typedef acg2vec_status (*run_batch)(const void* task, const acg2vec_image_input* inputs, size_t count);

/* `argument` followed by `suffix`, in a static buffer (one at a time). */
static const char* arg(const char* argument, const char* suffix) {
    static char text[128];
    snprintf(text, sizeof text, "%s%s", argument, suffix);
    return text;
}

/* Every malformed input: each source kind without its field, unknown sources, unreadable,
 * undecodable and unknown bytes. `function` names the call in failure reports, `argument`
 * is the parameter's name in the call's messages. */
static void check_input_errors(const char* function, const char* argument, run_input run, const void* task) {
    acg2vec_image_input input;
    const char* saved = check_context;
    check_context = function;

    CHECK_INVALID(run(task, NULL), arg(argument, " is NULL"));
    input = acg2vec_image_file(image_a);
    input.source = (acg2vec_image_source)7;
    CHECK_INVALID(run(task, &input), arg(argument, "->source 7 is not an acg2vec_image_source"));
    input.source = (acg2vec_image_source)(ACG2VEC_IMAGE_DECODED + 1);
    CHECK_INVALID(run(task, &input), arg(argument, "->source 4"));
    input = acg2vec_image_file(NULL);
    CHECK_INVALID(run(task, &input), arg(argument, "->text"));
    input = acg2vec_image_memory(NULL, 4);
    CHECK_INVALID(run(task, &input), arg(argument, "->data"));
    input = acg2vec_image_base64(NULL);
    CHECK_INVALID(run(task, &input), arg(argument, "->text"));
    input = acg2vec_image_decoded(NULL);
    CHECK_INVALID(run(task, &input), arg(argument, "->image"));
    /* A name does not make up for a missing field. */
    input = acg2vec_image_decoded(NULL);
    input.name = "named";
    CHECK_INVALID(run(task, &input), arg(argument, "->image"));

    /* Only the fields of the input's source are read. */
    input = acg2vec_image_memory(sample_a.bytes, sample_a.size);
    input.text = missing;
    CHECK_OK(run(task, &input));
    input = acg2vec_image_decoded(sample_a.image);
    input.text = missing;
    input.data = "xyz";
    input.size = 3;
    CHECK_OK(run(task, &input));
    input = acg2vec_image_file(image_a);
    input.image = NULL;
    input.data = NULL;
    input.size = 99;
    CHECK_OK(run(task, &input));

    /* The decoders' errors keep their codes; a named input is named in the message. */
    input = acg2vec_image_file("");
    CHECK_FAILS(run(task, &input), ACG2VEC_INVALID_ARGUMENT, "empty path");
    input = acg2vec_image_file(missing);
    CHECK_FAILS(run(task, &input), ACG2VEC_IO, "no-such-file");
    input = acg2vec_image_file(broken);
    CHECK_FAILS(run(task, &input), ACG2VEC_INVALID_IMAGE, "broken.png");
    input = acg2vec_image_memory("xyz", 3);
    input.name = "three-bytes";
    CHECK_FAILS(run(task, &input), ACG2VEC_UNSUPPORTED_FORMAT, "three-bytes");
    input = acg2vec_image_memory(sample_a.bytes, 0);
    CHECK(run(task, &input) != ACG2VEC_OK);
    input = acg2vec_image_base64("*");
    CHECK_STATUS(run(task, &input), ACG2VEC_INVALID_ARGUMENT);
    input = acg2vec_image_base64("!!! not base64 !!!");
    input.name = "bad-text";
    CHECK_FAILS(run(task, &input), ACG2VEC_INVALID_ARGUMENT, "bad-text");

    check_context = saved;
}

static void check_batch_input_errors(const char* function, run_batch run, const void* task) {
    acg2vec_image_input inputs[2];
    const char* saved = check_context;
    check_context = function;

    CHECK_INVALID(run(task, NULL, 2), "inputs is NULL");
    CHECK_OK(run(task, NULL, 0)); /* an empty batch */
    inputs[0] = acg2vec_image_file(image_a);
    inputs[1] = acg2vec_image_file(NULL);
    CHECK_INVALID(run(task, inputs, 2), "inputs[1]->text");
    inputs[1] = acg2vec_image_file(image_a);
    inputs[1].source = (acg2vec_image_source)4;
    CHECK_INVALID(run(task, inputs, 2), "inputs[1]->source 4");
    inputs[0] = acg2vec_image_decoded(NULL);
    CHECK_INVALID(run(task, inputs, 1), "inputs[0]->image");
    inputs[0] = acg2vec_image_memory(NULL, 1);
    CHECK_INVALID(run(task, inputs, 1), "inputs[0]->data");
    inputs[0] = acg2vec_image_base64(NULL);
    CHECK_INVALID(run(task, inputs, 1), "inputs[0]->text");
    /* A file that cannot be read fails alone: the batch call itself succeeds. */
    inputs[0] = acg2vec_image_file(missing);
    inputs[1] = acg2vec_image_file(image_a);
    CHECK_OK(run(task, inputs, 2));

    check_context = saved;
}

/* The batch every task runs: good items in every source kind, named and unnamed, and three
 * that fail alone. */
enum { BATCH_COUNT = 7 };

static void batch_inputs(acg2vec_image_input inputs[BATCH_COUNT]) {
    inputs[0] = acg2vec_image_file(image_a);           /* ok, named by its path */
    inputs[1] = acg2vec_image_file(broken);            /* invalid_image, named by its path */
    inputs[2] = acg2vec_image_decoded(sample_b.image); /* ok, image_b */
    inputs[2].name = "decoded-b";
    inputs[3] = acg2vec_image_memory(sample_a.bytes, sample_a.size); /* ok, "batch[3]" */
    inputs[4] = acg2vec_image_base64(sample_a.data_url);             /* ok */
    inputs[4].name = "named-base64";
    inputs[5] = acg2vec_image_memory("xyz", 3); /* unsupported_format */
    inputs[5].name = "three-bytes";
    inputs[6] = acg2vec_image_file(broken); /* invalid_image, named by its name */
    inputs[6].name = "named-broken";
}

/* Which items of batch_inputs hold image_a (their results equal the single-image one). */
static const int batch_is_a[BATCH_COUNT] = {1, 0, 0, 1, 1, 0, 0};

/* The batch getters of every batch type, through one signature. */
typedef acg2vec_status (*get_count)(const void* batch, size_t* count);
typedef acg2vec_status (*get_item)(const void* batch, size_t index, acg2vec_status* status, const char** input,
                                   const char** message);

/* Status, input and message of every item of a batch_inputs batch, and the getters' errors. */
static void check_batch_items(const char* function, const void* batch, get_count count_of, get_item item_of) {
    static const acg2vec_status expected[BATCH_COUNT] = {
        ACG2VEC_OK, ACG2VEC_INVALID_IMAGE,      ACG2VEC_OK,           ACG2VEC_OK,
        ACG2VEC_OK, ACG2VEC_UNSUPPORTED_FORMAT, ACG2VEC_INVALID_IMAGE};
    const char* names[BATCH_COUNT];
    const char* input = NULL;
    const char* message = NULL;
    const char* saved = check_context;
    acg2vec_status status = ACG2VEC_INTERNAL;
    size_t count = 0, i;

    names[0] = image_a;
    names[1] = broken;
    names[2] = "decoded-b";
    names[3] = "batch[3]";
    names[4] = "named-base64";
    names[5] = "three-bytes";
    names[6] = "named-broken";
    check_context = function;

    CHECK_OK(count_of(batch, &count));
    CHECK(count == BATCH_COUNT);
    for (i = 0; i < BATCH_COUNT && i < count; ++i) {
        CHECK_OK(item_of(batch, i, &status, &input, &message));
        CHECK(status == expected[i]);
        CHECK(input != NULL && strcmp(input, names[i]) == 0);
        CHECK(message != NULL && (status == ACG2VEC_OK) == (message[0] == '\0'));
    }
    CHECK_OK(item_of(batch, 1, &status, &input, &message));
    CHECK(strstr(message, "broken.png") != NULL);
    CHECK_OK(item_of(batch, 5, &status, &input, &message));
    CHECK(strstr(message, "three-bytes") != NULL);
    CHECK_OK(item_of(batch, 6, &status, &input, &message));
    CHECK(strstr(message, "broken.png") != NULL);

    CHECK_INVALID(count_of(NULL, &count), "batch");
    CHECK_INVALID(count_of(batch, NULL), "count");
    CHECK_INVALID(item_of(batch, BATCH_COUNT, &status, &input, &message), "index 7");
    CHECK_INVALID(item_of(NULL, 0, &status, &input, &message), "batch");
    CHECK_INVALID(item_of(batch, 0, NULL, &input, &message), "status");
    CHECK_INVALID(item_of(batch, 0, &status, NULL, &message), "input");
    CHECK_INVALID(item_of(batch, 0, &status, &input, NULL), "message");
    check_context = saved;
}

/* ---- Tagger */

static void check_tag_result(const acg2vec_tag_result* result) {
    size_t count = 0, label_index = 0;
    const char* name = NULL;
    float probability = 0;
    char* text = NULL;

    CHECK(result != NULL);
    if (result == NULL) return;
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

/* The JSON of a tag result (malloc'ed), to compare two results whole. */
static char* tag_json(const acg2vec_tag_result* result) {
    char* json = NULL;
    if (result == NULL || acg2vec_tag_result_to_json(result, &json) != ACG2VEC_OK) return NULL;
    return json;
}

static int same_tags(const acg2vec_tag_result* a, const acg2vec_tag_result* b) {
    char* x = tag_json(a);
    char* y = tag_json(b);
    const int same = x != NULL && y != NULL && strcmp(x, y) == 0;
    acg2vec_string_free(x);
    acg2vec_string_free(y);
    return same;
}

static acg2vec_status run_tag(const void* tagger, const acg2vec_image_input* input) {
    acg2vec_tag_result* out = GARBAGE;
    const acg2vec_status status = acg2vec_tagger_tag(tagger, input, &out);
    check_out(status, out);
    if (status == ACG2VEC_OK) acg2vec_tag_result_free(out);
    return status;
}

static acg2vec_status run_probabilities(const void* tagger, const acg2vec_image_input* input) {
    acg2vec_vector* out = GARBAGE;
    const acg2vec_status status = acg2vec_tagger_probabilities(tagger, input, &out);
    check_out(status, out);
    if (status == ACG2VEC_OK) acg2vec_vector_free(out);
    return status;
}

static acg2vec_status run_tag_batch(const void* tagger, const acg2vec_image_input* inputs, size_t count) {
    acg2vec_tag_batch* out = GARBAGE;
    size_t items = 99;
    const acg2vec_status status = acg2vec_tagger_tag_batch(tagger, inputs, count, &out);
    check_out(status, out);
    if (status != ACG2VEC_OK) return status;
    CHECK(acg2vec_tag_batch_count(out, &items) == ACG2VEC_OK && items == count);
    acg2vec_tag_batch_free(out);
    return status;
}

static acg2vec_status tag_batch_count(const void* batch, size_t* count) {
    return acg2vec_tag_batch_count(batch, count);
}

static acg2vec_status tag_batch_item(const void* batch, size_t index, acg2vec_status* status, const char** input,
                                     const char** message) {
    return acg2vec_tag_batch_item(batch, index, status, input, message);
}

/* The tagger of a model file, the model handle freed at once (the tagger keeps it alive). */
static acg2vec_tagger* open_tagger(const acg2vec_tag_options* tags, const acg2vec_decode_options* decode) {
    acg2vec_model* model = NULL;
    acg2vec_tagger* tagger = NULL;
    CHECK_OK(acg2vec_model_open(tagger_path, NULL, &model));
    CHECK_OK(acg2vec_tagger_create(model, tags, decode, &tagger));
    acg2vec_model_free(model);
    return tagger;
}

/* The batch_inputs batch through tagger: every item as expected, image_a's tags equal to
 * `reference`. The batch is returned for more checks. */
static acg2vec_tag_batch* check_tag_batch(const acg2vec_tagger* tagger, const acg2vec_tag_result* reference) {
    acg2vec_image_input inputs[BATCH_COUNT];
    acg2vec_tag_batch* batch = NULL;
    const acg2vec_tag_result* item = NULL;
    size_t i;

    batch_inputs(inputs);
    CHECK_OK(acg2vec_tagger_tag_batch(tagger, inputs, BATCH_COUNT, &batch));
    if (batch == NULL) return NULL;
    check_batch_items("acg2vec_tag_batch", batch, tag_batch_count, tag_batch_item);
    for (i = 0; i < BATCH_COUNT; ++i) {
        if (!batch_is_a[i]) continue;
        item = NULL;
        CHECK_OK(acg2vec_tag_batch_result(batch, i, &item));
        check_tag_result(item);
        CHECK(same_tags(item, reference));
    }
    CHECK_OK(acg2vec_tag_batch_result(batch, 2, &item));
    CHECK(item != NULL);
    return batch;
}

static void test_tagger_batch(const acg2vec_tagger* tagger, const acg2vec_tag_result* reference) {
    acg2vec_image_input inputs[BATCH_COUNT];
    acg2vec_tag_batch* batch = check_tag_batch(tagger, reference);
    const acg2vec_tag_result* item = NULL;
    char* json = NULL;

    batch_inputs(inputs);
    if (batch == NULL) return;
    item = GARBAGE;
    CHECK_FAILS(acg2vec_tag_batch_result(batch, 1, &item), ACG2VEC_INVALID_IMAGE, "broken.png");
    CHECK(item == NULL);
    CHECK_FAILS(acg2vec_tag_batch_result(batch, 5, &item), ACG2VEC_UNSUPPORTED_FORMAT, "three-bytes");
    CHECK_OK(acg2vec_tag_batch_to_json(batch, &json));
    /* Positional, as WD14's format: a failed item is an error object, its message naming it. */
    CHECK(json != NULL && strstr(json, "\"captions\"") != NULL && strstr(json, "invalid_image") != NULL &&
          strstr(json, "unsupported_format") != NULL && strstr(json, "three-bytes") != NULL &&
          strstr(json, "\"hatsune_miku\"") != NULL);
    acg2vec_string_free(json);
    CHECK_INVALID(acg2vec_tag_batch_result(batch, BATCH_COUNT, &item), "index 7");
    CHECK_INVALID(acg2vec_tag_batch_result(NULL, 0, &item), "batch");
    CHECK_INVALID(acg2vec_tag_batch_result(batch, 0, NULL), "result");
    CHECK_INVALID(acg2vec_tag_batch_to_json(NULL, &json), "batch");
    CHECK_INVALID(acg2vec_tag_batch_to_json(batch, NULL), "json");
    acg2vec_tag_batch_free(batch);

    check_batch_input_errors("acg2vec_tagger_tag_batch", run_tag_batch, tagger);
    batch = GARBAGE;
    CHECK_INVALID(acg2vec_tagger_tag_batch(NULL, inputs, 1, &batch), "tagger");
    CHECK(batch == NULL);
    CHECK_INVALID(acg2vec_tagger_tag_batch(tagger, inputs, 1, NULL), "out");

    /* Forward passes of two images, decoded between them on one thread: the same items. */
    {
        acg2vec_model_options options;
        acg2vec_model* model = NULL;
        acg2vec_tagger* small = NULL;
        CHECK_OK(acg2vec_model_options_init(&options));
        options.batch_size = 2;
        options.decode_threads = 1;
        options.decode_schedule = ACG2VEC_DECODE_ALTERNATE;
        CHECK_OK(acg2vec_model_open(tagger_path, &options, &model));
        CHECK_OK(acg2vec_tagger_create(model, NULL, NULL, &small));
        acg2vec_model_free(model);
        if (small != NULL) acg2vec_tag_batch_free(check_tag_batch(small, reference));
        acg2vec_tagger_free(small);
    }
}

void test_tagger(void) {
    acg2vec_model* model = NULL;
    acg2vec_model* tagger_model = NULL;
    acg2vec_tagger* tagger = GARBAGE;
    acg2vec_tag_result* reference = NULL;
    acg2vec_tag_result* result = NULL;
    acg2vec_vector* probabilities = NULL;
    acg2vec_image_input inputs[SOURCE_COUNT];
    acg2vec_tag_options tags;
    acg2vec_decode_options decode;
    const char* name = NULL;
    const char* excluded[] = {"hatsune_miku"};
    const float* values = NULL;
    float* reference_probabilities = NULL;
    size_t count = 0, reference_count = 0, i;
    int category = -1;

    /* Creating. */
    CHECK_OK(acg2vec_model_open(tagger_path, NULL, &model));
    CHECK_INVALID(acg2vec_tagger_create(NULL, NULL, NULL, &tagger), "model");
    CHECK(tagger == NULL);
    CHECK_INVALID(acg2vec_tagger_create(model, NULL, NULL, NULL), "out");
    {
        acg2vec_model* linear = NULL;
        acg2vec_model* scorer = NULL;
        CHECK_OK(acg2vec_model_open(linear_path, NULL, &linear));
        CHECK_OK(acg2vec_model_open(scorer_path, NULL, &scorer));
        tagger = GARBAGE;
        CHECK_STATUS(acg2vec_tagger_create(linear, NULL, NULL, &tagger), ACG2VEC_MODEL_METADATA);
        CHECK(tagger == NULL);
        CHECK_STATUS(acg2vec_tagger_create(scorer, NULL, NULL, &tagger), ACG2VEC_MODEL_METADATA);
        CHECK(tagger == NULL);
        acg2vec_model_free(scorer);
        acg2vec_model_free(linear);
    }
    CHECK_OK(acg2vec_tagger_create(model, NULL, NULL, &tagger));
    acg2vec_model_free(model); /* the tagger keeps the model alive */
    if (tagger == NULL) return;

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

    /* Its model: a new handle on the same file. */
    CHECK_OK(acg2vec_tagger_model(tagger, &tagger_model));
    CHECK_OK(acg2vec_model_path(tagger_model, &name));
    CHECK(strcmp(name, tagger_path) == 0);
    CHECK_OK(acg2vec_model_metadata(tagger_model, &name));
    CHECK(strstr(name, "tagger-fixture") != NULL);
    CHECK_OK(acg2vec_model_device(tagger_model, &name));
    CHECK(strcmp(name, "cpu") == 0);
    CHECK_OK(acg2vec_model_fingerprint(tagger_model, &name));
    CHECK(is_hex16(name));
    acg2vec_model_free(tagger_model);
    tagger_model = GARBAGE;
    CHECK_INVALID(acg2vec_tagger_model(NULL, &tagger_model), "tagger");
    CHECK(tagger_model == NULL);
    CHECK_INVALID(acg2vec_tagger_model(tagger, NULL), "out");

    /* One image from every source kind: the same tags and probabilities. */
    sample_inputs(&sample_a, inputs);
    CHECK_OK(acg2vec_tagger_tag(tagger, &inputs[0], &reference));
    check_tag_result(reference);
    CHECK_OK(acg2vec_tagger_probabilities(tagger, &inputs[0], &probabilities));
    reference_probabilities = vector_copy(probabilities, &reference_count);
    acg2vec_vector_free(probabilities);
    CHECK(reference_count == 17 && reference_probabilities != NULL);
    if (reference_probabilities == NULL) {
        acg2vec_tag_result_free(reference);
        acg2vec_tagger_free(tagger);
        return;
    }
    CHECK_NEAR(reference_probabilities[4], 0.95, 1e-5);
    for (i = 0; i < SOURCE_COUNT; ++i) {
        check_context = source_names[i];
        result = NULL;
        CHECK_OK(acg2vec_tagger_tag(tagger, &inputs[i], &result));
        check_tag_result(result);
        CHECK(same_tags(result, reference));
        acg2vec_tag_result_free(result);
        probabilities = NULL;
        CHECK_OK(acg2vec_tagger_probabilities(tagger, &inputs[i], &probabilities));
        CHECK_OK(acg2vec_vector_data(probabilities, &values, &count));
        CHECK(max_difference(values, count, reference_probabilities, reference_count) <= 1e-6);
        acg2vec_vector_free(probabilities);
    }
    check_context = NULL;
    /* Another image: "bright" (label 13) follows the image, the rest stays. */
    probabilities = NULL;
    inputs[0] = acg2vec_image_decoded(sample_b.image);
    CHECK_OK(acg2vec_tagger_probabilities(tagger, &inputs[0], &probabilities));
    CHECK_OK(acg2vec_vector_data(probabilities, &values, &count));
    CHECK(count == 17 && fabs(values[13] - reference_probabilities[13]) > 1e-3);
    CHECK(count == 17 && fabs(values[4] - reference_probabilities[4]) < 1e-6);
    acg2vec_vector_free(probabilities);

    check_input_errors("acg2vec_tagger_tag", "input", run_tag, tagger);
    check_input_errors("acg2vec_tagger_probabilities", "input", run_probabilities, tagger);
    sample_inputs(&sample_a, inputs);
    result = GARBAGE;
    CHECK_INVALID(acg2vec_tagger_tag(NULL, &inputs[0], &result), "tagger");
    CHECK(result == NULL);
    CHECK_INVALID(acg2vec_tagger_tag(tagger, &inputs[0], NULL), "out");
    probabilities = GARBAGE;
    CHECK_INVALID(acg2vec_tagger_probabilities(NULL, &inputs[0], &probabilities), "tagger");
    CHECK(probabilities == NULL);
    CHECK_INVALID(acg2vec_tagger_probabilities(tagger, &inputs[0], NULL), "out");

    test_tagger_batch(tagger, reference);

    /* Selection alone on stored probabilities, with the tagger's options or others. */
    CHECK_OK(acg2vec_tagger_select(tagger, reference_probabilities, 17, NULL, &result));
    check_tag_result(result);
    CHECK(same_tags(result, reference));
    acg2vec_tag_result_free(result);
    CHECK_OK(acg2vec_tag_options_init(&tags));
    tags.exclude = excluded;
    tags.exclude_count = 1;
    tags.max_general = 2;
    CHECK_OK(acg2vec_tagger_select(tagger, reference_probabilities, 17, &tags, &result));
    CHECK_OK(acg2vec_tag_result_count(result, ACG2VEC_TAG_CHARACTER, &count));
    CHECK(count == 1);
    CHECK_OK(acg2vec_tag_result_count(result, ACG2VEC_TAG_GENERAL, &count));
    CHECK(count == 2);
    acg2vec_tag_result_free(result);
    result = GARBAGE;
    CHECK(acg2vec_tagger_select(tagger, reference_probabilities, 3, NULL, &result) != ACG2VEC_OK); /* 3 != 17 */
    CHECK(result == NULL);
    CHECK_INVALID(acg2vec_tagger_select(tagger, NULL, 17, NULL, &result), "probabilities");
    CHECK_INVALID(acg2vec_tagger_select(NULL, reference_probabilities, 17, NULL, &result), "tagger");
    CHECK_INVALID(acg2vec_tagger_select(tagger, reference_probabilities, 17, NULL, NULL), "out");
    tags.struct_size = 3;
    CHECK_INVALID(acg2vec_tagger_select(tagger, reference_probabilities, 17, &tags, &result), "struct_size");
    CHECK(result == NULL);

    /* Options at creation: spaces instead of underscores; a pixel limit. */
    {
        acg2vec_tagger* spaced = NULL;
        acg2vec_tagger* limited = NULL;
        acg2vec_tag_batch* batch = NULL;
        acg2vec_status status = ACG2VEC_OK;
        const char* input = NULL;
        const char* message = NULL;
        float probability = 0;
        CHECK_OK(acg2vec_tag_options_init(&tags));
        tags.underscores_to_spaces = 1;
        spaced = open_tagger(&tags, NULL);
        CHECK_OK(acg2vec_tagger_tag(spaced, &inputs[4], &result));
        CHECK_OK(acg2vec_tag_result_get(result, ACG2VEC_TAG_CHARACTER, 0, &name, &probability));
        CHECK(strcmp(name, "hatsune miku") == 0);
        acg2vec_tag_result_free(result);
        acg2vec_tagger_free(spaced);

        CHECK_OK(acg2vec_decode_options_init(&decode));
        decode.max_pixels = 100;
        limited = open_tagger(NULL, &decode);
        result = GARBAGE;
        CHECK_STATUS(acg2vec_tagger_tag(limited, &inputs[0], &result), ACG2VEC_IMAGE_TOO_LARGE);
        CHECK(result == NULL);
        CHECK_STATUS(acg2vec_tagger_tag(limited, &inputs[1], &result), ACG2VEC_IMAGE_TOO_LARGE);
        CHECK_OK(acg2vec_tagger_tag_batch(limited, inputs, 1, &batch));
        CHECK_OK(acg2vec_tag_batch_item(batch, 0, &status, &input, &message));
        CHECK(status == ACG2VEC_IMAGE_TOO_LARGE);
        acg2vec_tag_batch_free(batch);
        /* A decoded image was decoded before: the limit does not apply to it. */
        CHECK_OK(acg2vec_tagger_tag(limited, &inputs[4], &result));
        check_tag_result(result);
        acg2vec_tag_result_free(result);
        acg2vec_tagger_free(limited);
    }

    free(reference_probabilities);
    acg2vec_tag_result_free(reference);
    acg2vec_tagger_free(tagger);
}

/* ---- Scorer */

static void check_score_result(const acg2vec_score_result* result, size_t top_k) {
    size_t count = 0, head = 99, class_index = 99;
    const char* name = NULL;
    float probability = 0;
    double value = 0;
    int has_value = -1;
    char* json = NULL;

    CHECK(result != NULL);
    if (result == NULL) return;
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

static int same_scores(const acg2vec_score_result* a, const acg2vec_score_result* b) {
    char* x = NULL;
    char* y = NULL;
    int same;
    if (a != NULL) acg2vec_score_result_to_json(a, &x);
    if (b != NULL) acg2vec_score_result_to_json(b, &y);
    same = x != NULL && y != NULL && strcmp(x, y) == 0;
    acg2vec_string_free(x);
    acg2vec_string_free(y);
    return same;
}

static acg2vec_status run_score(const void* scorer, const acg2vec_image_input* input) {
    acg2vec_score_result* out = GARBAGE;
    const acg2vec_status status = acg2vec_scorer_score(scorer, input, &out);
    check_out(status, out);
    if (status == ACG2VEC_OK) acg2vec_score_result_free(out);
    return status;
}

static acg2vec_status run_score_batch(const void* scorer, const acg2vec_image_input* inputs, size_t count) {
    acg2vec_score_batch* out = GARBAGE;
    size_t items = 99;
    const acg2vec_status status = acg2vec_scorer_score_batch(scorer, inputs, count, &out);
    check_out(status, out);
    if (status != ACG2VEC_OK) return status;
    CHECK(acg2vec_score_batch_count(out, &items) == ACG2VEC_OK && items == count);
    acg2vec_score_batch_free(out);
    return status;
}

static acg2vec_status score_batch_count(const void* batch, size_t* count) {
    return acg2vec_score_batch_count(batch, count);
}

static acg2vec_status score_batch_item(const void* batch, size_t index, acg2vec_status* status, const char** input,
                                       const char** message) {
    return acg2vec_score_batch_item(batch, index, status, input, message);
}

static acg2vec_scorer* open_scorer(const acg2vec_score_options* score, const acg2vec_decode_options* decode) {
    acg2vec_model* model = NULL;
    acg2vec_scorer* scorer = NULL;
    CHECK_OK(acg2vec_model_open(scorer_path, NULL, &model));
    CHECK_OK(acg2vec_scorer_create(model, score, decode, &scorer));
    acg2vec_model_free(model);
    return scorer;
}

static void test_scorer_batch(const acg2vec_scorer* scorer, const acg2vec_score_result* reference) {
    acg2vec_image_input inputs[BATCH_COUNT];
    acg2vec_score_batch* batch = NULL;
    const acg2vec_score_result* item = NULL;
    char* json = NULL;
    size_t i;

    batch_inputs(inputs);
    CHECK_OK(acg2vec_scorer_score_batch(scorer, inputs, BATCH_COUNT, &batch));
    if (batch == NULL) return;
    check_batch_items("acg2vec_score_batch", batch, score_batch_count, score_batch_item);
    for (i = 0; i < BATCH_COUNT; ++i) {
        if (!batch_is_a[i]) continue;
        item = NULL;
        CHECK_OK(acg2vec_score_batch_result(batch, i, &item));
        check_score_result(item, 5);
        CHECK(same_scores(item, reference));
    }
    item = GARBAGE;
    CHECK_FAILS(acg2vec_score_batch_result(batch, 1, &item), ACG2VEC_INVALID_IMAGE, "broken.png");
    CHECK(item == NULL);
    CHECK_FAILS(acg2vec_score_batch_result(batch, 6, &item), ACG2VEC_INVALID_IMAGE, "broken.png");
    CHECK_OK(acg2vec_score_batch_to_json(batch, &json));
    CHECK(json != NULL && json[0] == '[' && strstr(json, "invalid_image") != NULL &&
          strstr(json, "unsupported_format") != NULL && strstr(json, "three-bytes") != NULL &&
          strstr(json, "\"bookmark\"") != NULL);
    acg2vec_string_free(json);
    CHECK_INVALID(acg2vec_score_batch_result(batch, BATCH_COUNT, &item), "index 7");
    CHECK_INVALID(acg2vec_score_batch_result(NULL, 0, &item), "batch");
    CHECK_INVALID(acg2vec_score_batch_result(batch, 0, NULL), "result");
    CHECK_INVALID(acg2vec_score_batch_to_json(NULL, &json), "batch");
    CHECK_INVALID(acg2vec_score_batch_to_json(batch, NULL), "json");
    acg2vec_score_batch_free(batch);

    check_batch_input_errors("acg2vec_scorer_score_batch", run_score_batch, scorer);
    batch = GARBAGE;
    CHECK_INVALID(acg2vec_scorer_score_batch(NULL, inputs, 1, &batch), "scorer");
    CHECK(batch == NULL);
    CHECK_INVALID(acg2vec_scorer_score_batch(scorer, inputs, 1, NULL), "out");
}

void test_scorer(void) {
    acg2vec_model* model = NULL;
    acg2vec_model* scorer_model = NULL;
    acg2vec_scorer* scorer = GARBAGE;
    acg2vec_score_result* reference = NULL;
    acg2vec_score_result* result = NULL;
    acg2vec_strings* heads = NULL;
    acg2vec_image_input inputs[SOURCE_COUNT];
    acg2vec_score_options score;
    const char* text = NULL;
    size_t count = 0, i;

    CHECK_OK(acg2vec_model_open(scorer_path, NULL, &model));
    CHECK_INVALID(acg2vec_scorer_create(NULL, NULL, NULL, &scorer), "model");
    CHECK(scorer == NULL);
    CHECK_INVALID(acg2vec_scorer_create(model, NULL, NULL, NULL), "out");
    {
        acg2vec_model* tagger = NULL;
        CHECK_OK(acg2vec_model_open(tagger_path, NULL, &tagger));
        scorer = GARBAGE;
        CHECK_STATUS(acg2vec_scorer_create(tagger, NULL, NULL, &scorer), ACG2VEC_MODEL_METADATA);
        CHECK(scorer == NULL);
        acg2vec_model_free(tagger);
    }
    CHECK_OK(acg2vec_scorer_create(model, NULL, NULL, &scorer));
    acg2vec_model_free(model);
    if (scorer == NULL) return;

    CHECK_OK(acg2vec_scorer_head_names(scorer, &heads));
    CHECK_OK(acg2vec_strings_count(heads, &count));
    CHECK(count == 3);
    CHECK_OK(acg2vec_strings_get(heads, 2, &text));
    CHECK(strcmp(text, "sanity") == 0);
    acg2vec_strings_free(heads);
    heads = GARBAGE;
    CHECK_INVALID(acg2vec_scorer_head_names(NULL, &heads), "scorer");
    CHECK(heads == NULL);
    CHECK_INVALID(acg2vec_scorer_head_names(scorer, NULL), "out");

    CHECK_OK(acg2vec_scorer_model(scorer, &scorer_model));
    CHECK_OK(acg2vec_model_metadata(scorer_model, &text));
    CHECK(strstr(text, "pix2score-fixture") != NULL);
    CHECK_OK(acg2vec_model_path(scorer_model, &text));
    CHECK(strcmp(text, scorer_path) == 0);
    acg2vec_model_free(scorer_model);
    scorer_model = GARBAGE;
    CHECK_INVALID(acg2vec_scorer_model(NULL, &scorer_model), "scorer");
    CHECK(scorer_model == NULL);
    CHECK_INVALID(acg2vec_scorer_model(scorer, NULL), "out");

    /* Every source kind. */
    sample_inputs(&sample_a, inputs);
    CHECK_OK(acg2vec_scorer_score(scorer, &inputs[0], &reference));
    check_score_result(reference, 5);
    for (i = 0; i < SOURCE_COUNT; ++i) {
        check_context = source_names[i];
        result = NULL;
        CHECK_OK(acg2vec_scorer_score(scorer, &inputs[i], &result));
        check_score_result(result, 5);
        CHECK(same_scores(result, reference));
        acg2vec_score_result_free(result);
    }
    check_context = NULL;

    check_input_errors("acg2vec_scorer_score", "input", run_score, scorer);
    result = GARBAGE;
    CHECK_INVALID(acg2vec_scorer_score(NULL, &inputs[0], &result), "scorer");
    CHECK(result == NULL);
    CHECK_INVALID(acg2vec_scorer_score(scorer, &inputs[0], NULL), "out");

    test_scorer_batch(scorer, reference);
    acg2vec_scorer_free(scorer);

    /* top_k from the score options. */
    CHECK_OK(acg2vec_score_options_init(&score));
    score.top_k = 2;
    scorer = open_scorer(&score, NULL);
    result = NULL;
    CHECK_OK(acg2vec_scorer_score(scorer, &inputs[4], &result));
    check_score_result(result, 2);
    acg2vec_score_result_free(result);
    acg2vec_scorer_free(scorer);

    acg2vec_score_result_free(reference);
}

/* ---- Embedder */

static acg2vec_status run_embed(const void* embedder, const acg2vec_image_input* input) {
    acg2vec_vector* out = GARBAGE;
    const acg2vec_status status = acg2vec_embedder_embed(embedder, input, &out);
    check_out(status, out);
    if (status == ACG2VEC_OK) acg2vec_vector_free(out);
    return status;
}

static acg2vec_status run_embed_batch(const void* embedder, const acg2vec_image_input* inputs, size_t count) {
    acg2vec_vector_batch* out = GARBAGE;
    size_t items = 99;
    const acg2vec_status status = acg2vec_embedder_embed_batch(embedder, inputs, count, &out);
    check_out(status, out);
    if (status != ACG2VEC_OK) return status;
    CHECK(acg2vec_vector_batch_count(out, &items) == ACG2VEC_OK && items == count);
    acg2vec_vector_batch_free(out);
    return status;
}

/* Similarity with the input as its first or its second image, image_a as the other. */
static acg2vec_status run_similarity_a(const void* embedder, const acg2vec_image_input* input) {
    const acg2vec_image_input other = acg2vec_image_file(image_a);
    acg2vec_similarity similarity;
    return acg2vec_embedder_similarity(embedder, input, &other, &similarity);
}

static acg2vec_status run_similarity_b(const void* embedder, const acg2vec_image_input* input) {
    const acg2vec_image_input other = acg2vec_image_file(image_a);
    acg2vec_similarity similarity;
    return acg2vec_embedder_similarity(embedder, &other, input, &similarity);
}

static const char* zero_shot_labels[3] = {"cat", "dog", "girl"};

static acg2vec_status run_zero_shot(const void* embedder, const acg2vec_image_input* input) {
    acg2vec_zero_shot_result* out = GARBAGE;
    const acg2vec_status status = acg2vec_embedder_zero_shot(embedder, input, zero_shot_labels, 3, NULL, &out);
    check_out(status, out);
    if (status == ACG2VEC_OK) acg2vec_zero_shot_result_free(out);
    return status;
}

static acg2vec_status vector_batch_count(const void* batch, size_t* count) {
    return acg2vec_vector_batch_count(batch, count);
}

static acg2vec_status vector_batch_item(const void* batch, size_t index, acg2vec_status* status, const char** input,
                                        const char** message) {
    return acg2vec_vector_batch_item(batch, index, status, input, message);
}

static acg2vec_embedder* open_embedder(const acg2vec_model_options* model_options, const acg2vec_embed_options* embed) {
    acg2vec_model* model = NULL;
    acg2vec_embedder* embedder = NULL;
    CHECK_OK(acg2vec_model_open(embedder_path, model_options, &model));
    CHECK_OK(acg2vec_embedder_create(model, embed, NULL, &embedder));
    acg2vec_model_free(model);
    return embedder;
}

/* Both zero-shot results: the same labels, probabilities and cosines. */
static void check_same_zero_shot(const acg2vec_zero_shot_result* a, const acg2vec_zero_shot_result* b) {
    size_t count_a = 0, count_b = 99, i;
    CHECK_OK(acg2vec_zero_shot_result_count(a, &count_a));
    CHECK_OK(acg2vec_zero_shot_result_count(b, &count_b));
    CHECK(count_a == 3 && count_a == count_b);
    for (i = 0; i < count_a && i < count_b; ++i) {
        const char* label_a = NULL;
        const char* label_b = NULL;
        double probability_a = -1, probability_b = -2, cosine_a = -3, cosine_b = -4;
        CHECK_OK(acg2vec_zero_shot_result_get(a, i, &label_a, &probability_a, &cosine_a));
        CHECK_OK(acg2vec_zero_shot_result_get(b, i, &label_b, &probability_b, &cosine_b));
        CHECK(label_a != NULL && label_b != NULL && strcmp(label_a, label_b) == 0);
        CHECK_NEAR(probability_a, probability_b, 1e-6);
        CHECK_NEAR(cosine_a, cosine_b, 1e-6);
    }
}

static void test_embedder_batch(const acg2vec_embedder* embedder, const float* vector_a, const float* vector_b) {
    acg2vec_image_input inputs[BATCH_COUNT];
    acg2vec_vector_batch* batch = NULL;
    const acg2vec_vector* item = NULL;
    const float* values = NULL;
    size_t count = 0, i;

    batch_inputs(inputs);
    CHECK_OK(acg2vec_embedder_embed_batch(embedder, inputs, BATCH_COUNT, &batch));
    if (batch == NULL) return;
    check_batch_items("acg2vec_vector_batch", batch, vector_batch_count, vector_batch_item);
    for (i = 0; i < BATCH_COUNT; ++i) {
        if (!batch_is_a[i]) continue;
        item = NULL;
        CHECK_OK(acg2vec_vector_batch_result(batch, i, &item));
        CHECK(item != NULL && acg2vec_vector_data(item, &values, &count) == ACG2VEC_OK);
        CHECK(max_difference(values, count, vector_a, 4) <= 1e-6);
    }
    CHECK_OK(acg2vec_vector_batch_result(batch, 2, &item));
    CHECK(item != NULL && acg2vec_vector_data(item, &values, &count) == ACG2VEC_OK);
    CHECK(max_difference(values, count, vector_b, 4) <= 1e-6);
    item = GARBAGE;
    CHECK_FAILS(acg2vec_vector_batch_result(batch, 1, &item), ACG2VEC_INVALID_IMAGE, "broken.png");
    CHECK(item == NULL);
    CHECK_INVALID(acg2vec_vector_batch_result(batch, BATCH_COUNT, &item), "index 7");
    CHECK_INVALID(acg2vec_vector_batch_result(NULL, 0, &item), "batch");
    CHECK_INVALID(acg2vec_vector_batch_result(batch, 0, NULL), "result");
    acg2vec_vector_batch_free(batch);

    check_batch_input_errors("acg2vec_embedder_embed_batch", run_embed_batch, embedder);
    batch = GARBAGE;
    CHECK_INVALID(acg2vec_embedder_embed_batch(NULL, inputs, 1, &batch), "embedder");
    CHECK(batch == NULL);
    CHECK_INVALID(acg2vec_embedder_embed_batch(embedder, inputs, 1, NULL), "out");
}

static void test_embedder_texts(const acg2vec_embedder* embedder) {
    acg2vec_vector* vector = NULL;
    acg2vec_vector_batch* batch = NULL;
    const acg2vec_vector* item = NULL;
    const float* values = NULL;
    const char* input = NULL;
    const char* message = NULL;
    const char* texts[2] = {"a drawing of a cat", "1girl, smile"};
    size_t count = 0;
    acg2vec_status status = ACG2VEC_INTERNAL;

    CHECK_OK(acg2vec_embedder_embed_text(embedder, texts[0], &vector));
    CHECK_OK(acg2vec_vector_data(vector, &values, &count));
    CHECK(count == 4);
    CHECK_NEAR(norm(values, count), 1.0, 1e-5);
    CHECK_OK(acg2vec_embedder_embed_texts(embedder, texts, 2, &batch));
    CHECK_OK(acg2vec_vector_batch_count(batch, &count));
    CHECK(count == 2);
    CHECK_OK(acg2vec_vector_batch_item(batch, 0, &status, &input, &message));
    CHECK(status == ACG2VEC_OK && strcmp(input, texts[0]) == 0 && strcmp(message, "") == 0);
    CHECK_OK(acg2vec_vector_batch_result(batch, 0, &item));
    {
        const float* first = NULL;
        size_t first_count = 0;
        CHECK_OK(acg2vec_vector_data(item, &first, &first_count));
        CHECK(max_difference(first, first_count, values, 4) < 1e-5);
    }
    acg2vec_vector_batch_free(batch);
    acg2vec_vector_free(vector);

    vector = GARBAGE;
    CHECK_STATUS(acg2vec_embedder_embed_text(embedder, "\xff\xfe", &vector), ACG2VEC_INVALID_ARGUMENT);
    CHECK(vector == NULL);
    CHECK_INVALID(acg2vec_embedder_embed_text(NULL, "cat", &vector), "embedder");
    CHECK_INVALID(acg2vec_embedder_embed_text(embedder, NULL, &vector), "text");
    CHECK_INVALID(acg2vec_embedder_embed_text(embedder, "cat", NULL), "out");
    batch = GARBAGE;
    texts[1] = NULL;
    CHECK_INVALID(acg2vec_embedder_embed_texts(embedder, texts, 2, &batch), "texts[1]");
    CHECK(batch == NULL);
    CHECK_INVALID(acg2vec_embedder_embed_texts(embedder, NULL, 2, &batch), "texts");
    CHECK_INVALID(acg2vec_embedder_embed_texts(NULL, texts, 1, &batch), "embedder");
    CHECK_INVALID(acg2vec_embedder_embed_texts(embedder, texts, 1, NULL), "out");
    CHECK(batch == NULL);
}

static void test_similarity(const acg2vec_embedder* embedder, const float* vector_a, const float* vector_b) {
    acg2vec_image_input a, b;
    acg2vec_similarity similarity, expected;

    /* The same image from two sources: identical. */
    a = acg2vec_image_file(image_a);
    b = acg2vec_image_decoded(sample_a.image);
    CHECK_OK(acg2vec_embedder_similarity(embedder, &a, &b, &similarity));
    CHECK_NEAR(similarity.cosine, 1.0, 1e-5);
    CHECK_NEAR(similarity.score, 100.0, 1e-3);
    CHECK_NEAR(similarity.l2_distance, 0.0, 1e-3);
    /* Two images: what comparing their vectors gives. */
    b = acg2vec_image_memory(sample_b.bytes, sample_b.size);
    CHECK_OK(acg2vec_embedder_similarity(embedder, &a, &b, &similarity));
    CHECK_OK(acg2vec_compare_vectors(vector_a, 4, vector_b, 4, &expected));
    CHECK_NEAR(similarity.cosine, expected.cosine, 1e-5);
    CHECK_NEAR(similarity.l2_distance, expected.l2_distance, 1e-5);
    CHECK_NEAR(similarity.score, expected.score, 1e-3);
    CHECK(similarity.cosine < 1.0 - 1e-4 && similarity.score >= 0.0);

    check_input_errors("acg2vec_embedder_similarity (a)", "a", run_similarity_a, embedder);
    check_input_errors("acg2vec_embedder_similarity (b)", "b", run_similarity_b, embedder);
    CHECK_INVALID(acg2vec_embedder_similarity(NULL, &a, &b, &similarity), "embedder");
    CHECK_INVALID(acg2vec_embedder_similarity(embedder, &a, &b, NULL), "out");

    {
        const float x[2] = {1, 0}, y[2] = {0, 2}, z[3] = {1, 0, 0};
        CHECK_OK(acg2vec_compare_vectors(x, 2, y, 2, &similarity));
        CHECK_NEAR(similarity.cosine, 0.0, 1e-9);
        CHECK_NEAR(similarity.l2_distance, sqrt(2.0), 1e-6);
        CHECK_NEAR(similarity.score, 0.0, 1e-9);
        CHECK_STATUS(acg2vec_compare_vectors(x, 2, z, 3, &similarity), ACG2VEC_INVALID_ARGUMENT);
        CHECK_INVALID(acg2vec_compare_vectors(NULL, 2, y, 2, &similarity), "a");
        CHECK_INVALID(acg2vec_compare_vectors(x, 2, NULL, 2, &similarity), "b");
        CHECK_INVALID(acg2vec_compare_vectors(x, 2, y, 2, NULL), "out");
    }
}

static void test_zero_shot(const acg2vec_embedder* embedder, const float* vector_a) {
    acg2vec_zero_shot_result* zero_shot = NULL;
    acg2vec_zero_shot_result* expected = NULL;
    acg2vec_image_input input = acg2vec_image_decoded(sample_a.image);
    const char* labels[3];
    const char* text = NULL;
    double probability = 0, cosine = 0, total = 0;
    size_t count = 0, i;

    labels[0] = zero_shot_labels[0];
    labels[1] = zero_shot_labels[1];
    labels[2] = zero_shot_labels[2];
    /* An image gives what its vector gives, with the default prompt and another. */
    CHECK_OK(acg2vec_embedder_zero_shot(embedder, &input, labels, 3, NULL, &zero_shot));
    CHECK_OK(acg2vec_embedder_zero_shot_vector(embedder, vector_a, 4, labels, 3, NULL, &expected));
    check_same_zero_shot(zero_shot, expected);
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
    acg2vec_zero_shot_result_free(expected);
    input = acg2vec_image_base64(sample_a.data_url);
    CHECK_OK(acg2vec_embedder_zero_shot(embedder, &input, labels, 3, "a drawing of {}", &zero_shot));
    CHECK_OK(acg2vec_embedder_zero_shot_vector(embedder, vector_a, 4, labels, 3, "a drawing of {}", &expected));
    check_same_zero_shot(zero_shot, expected);
    acg2vec_zero_shot_result_free(zero_shot);
    acg2vec_zero_shot_result_free(expected);

    check_input_errors("acg2vec_embedder_zero_shot", "image", run_zero_shot, embedder);
    zero_shot = GARBAGE;
    CHECK_STATUS(acg2vec_embedder_zero_shot_vector(embedder, vector_a, 3, labels, 3, NULL, &zero_shot),
                 ACG2VEC_INVALID_ARGUMENT); /* 3 is not the dimension */
    CHECK(zero_shot == NULL);
    CHECK_INVALID(acg2vec_embedder_zero_shot(NULL, &input, labels, 3, NULL, &zero_shot), "embedder");
    CHECK_INVALID(acg2vec_embedder_zero_shot(embedder, &input, NULL, 3, NULL, &zero_shot), "labels");
    CHECK_INVALID(acg2vec_embedder_zero_shot(embedder, &input, labels, 3, NULL, NULL), "out");
    CHECK_INVALID(acg2vec_embedder_zero_shot_vector(NULL, vector_a, 4, labels, 3, NULL, &zero_shot), "embedder");
    CHECK_INVALID(acg2vec_embedder_zero_shot_vector(embedder, NULL, 4, labels, 3, NULL, &zero_shot), "image_vector");
    CHECK_INVALID(acg2vec_embedder_zero_shot_vector(embedder, vector_a, 4, NULL, 3, NULL, &zero_shot), "labels");
    CHECK_INVALID(acg2vec_embedder_zero_shot_vector(embedder, vector_a, 4, labels, 3, NULL, NULL), "out");
    labels[2] = NULL;
    CHECK_INVALID(acg2vec_embedder_zero_shot(embedder, &input, labels, 3, NULL, &zero_shot), "labels[2]");
    CHECK_INVALID(acg2vec_embedder_zero_shot_vector(embedder, vector_a, 4, labels, 3, NULL, &zero_shot), "labels[2]");
    CHECK(zero_shot == NULL);
}

/* normalize = 0 keeps the model's raw output; preprocess_json changes what the model sees. */
static void test_raw_vectors(const float* vector_a) {
    acg2vec_embed_options embed;
    acg2vec_model_options options;
    acg2vec_embedder* raw = NULL;
    acg2vec_embedder* scaled = NULL;
    const acg2vec_image_input input = acg2vec_image_decoded(sample_a.image);
    float* raw_vector = NULL;
    float* scaled_vector = NULL;
    size_t raw_count = 0, scaled_count = 0, i;

    CHECK_OK(acg2vec_embed_options_init(&embed));
    embed.normalize = 0;
    raw = open_embedder(NULL, &embed);
    raw_vector = embed_vector(raw, &input, &raw_count);
    CHECK(raw_count == 4 && raw_vector != NULL);
    if (raw_vector != NULL && raw_count == 4) {
        const double length = norm(raw_vector, raw_count);
        CHECK(fabs(length - 1.0) > 1e-3);
        for (i = 0; i < raw_count; ++i) CHECK_NEAR(raw_vector[i] / length, vector_a[i], 1e-5);
    }

    /* The same preprocessing with 8-bit values mapped to [0, 255] instead of [0, 1]: the
     * linear fixture's raw vector grows 255 times. */
    CHECK_OK(acg2vec_model_options_init(&options));
    options.preprocess_json =
        "{\"width\": 8, \"height\": 8, \"resize_mode\": \"stretch\", "
        "\"interpolation\": \"bilinear\", \"layout\": \"nchw\", \"value_max\": 255.0}";
    scaled = open_embedder(&options, &embed);
    scaled_vector = embed_vector(scaled, &input, &scaled_count);
    CHECK(scaled_count == 4 && scaled_vector != NULL);
    if (raw_vector != NULL && scaled_vector != NULL && raw_count == 4 && scaled_count == 4) {
        for (i = 0; i < 4; ++i)
            CHECK_NEAR(scaled_vector[i], 255.0 * raw_vector[i], 1e-3 * fabs(255.0 * raw_vector[i]) + 1e-4);
    }

    free(scaled_vector);
    free(raw_vector);
    acg2vec_embedder_free(scaled);
    acg2vec_embedder_free(raw);
}

void test_embedder(void) {
    acg2vec_model* model = NULL;
    acg2vec_model* embedder_model = NULL;
    acg2vec_embedder* embedder = GARBAGE;
    acg2vec_vector* vector = NULL;
    acg2vec_clip_tokenizer* clip = NULL;
    acg2vec_wordpiece_tokenizer* wordpiece = NULL;
    acg2vec_image_input inputs[SOURCE_COUNT];
    const float* values = NULL;
    const char* text = NULL;
    float* vector_a = NULL;
    float* vector_b = NULL;
    size_t count = 0, count_b = 0, dimensions = 0, i;
    int flag = -1;
    double scale = 0;

    CHECK_OK(acg2vec_model_open(embedder_path, NULL, &model));
    CHECK_INVALID(acg2vec_embedder_create(NULL, NULL, NULL, &embedder), "model");
    CHECK(embedder == NULL);
    CHECK_INVALID(acg2vec_embedder_create(model, NULL, NULL, NULL), "out");
    CHECK_OK(acg2vec_embedder_create(model, NULL, NULL, &embedder));
    acg2vec_model_free(model);
    if (embedder == NULL) return;

    CHECK_OK(acg2vec_embedder_has_image(embedder, &flag));
    CHECK(flag == 1);
    CHECK_OK(acg2vec_embedder_has_text(embedder, &flag));
    CHECK(flag == 1);
    CHECK_OK(acg2vec_embedder_dimensions(embedder, &dimensions));
    CHECK(dimensions == 4);
    CHECK_OK(acg2vec_embedder_logit_scale(embedder, &scale));
    CHECK_NEAR(scale, 50.0, 1e-9);
    CHECK_INVALID(acg2vec_embedder_has_image(NULL, &flag), "embedder");
    CHECK_INVALID(acg2vec_embedder_has_image(embedder, NULL), "has_image");
    CHECK_INVALID(acg2vec_embedder_has_text(NULL, &flag), "embedder");
    CHECK_INVALID(acg2vec_embedder_has_text(embedder, NULL), "has_text");
    CHECK_INVALID(acg2vec_embedder_dimensions(NULL, &dimensions), "embedder");
    CHECK_INVALID(acg2vec_embedder_dimensions(embedder, NULL), "dimensions");
    CHECK_INVALID(acg2vec_embedder_logit_scale(NULL, &scale), "embedder");
    CHECK_INVALID(acg2vec_embedder_logit_scale(embedder, NULL), "logit_scale");

    CHECK_OK(acg2vec_embedder_model(embedder, &embedder_model));
    CHECK_OK(acg2vec_model_metadata(embedder_model, &text));
    CHECK(strstr(text, "two-tower-fixture") != NULL);
    CHECK_OK(acg2vec_model_device(embedder_model, &text));
    CHECK(strcmp(text, "cpu") == 0);
    acg2vec_model_free(embedder_model);
    embedder_model = GARBAGE;
    CHECK_INVALID(acg2vec_embedder_model(NULL, &embedder_model), "embedder");
    CHECK(embedder_model == NULL);
    CHECK_INVALID(acg2vec_embedder_model(embedder, NULL), "out");

    /* Image vectors: unit length, the same from every source, another for another image. */
    sample_inputs(&sample_a, inputs);
    vector_a = embed_vector(embedder, &inputs[0], &count);
    CHECK(count == 4 && vector_a != NULL);
    if (vector_a == NULL || count != 4) {
        free(vector_a);
        acg2vec_embedder_free(embedder);
        return;
    }
    CHECK_NEAR(norm(vector_a, 4), 1.0, 1e-5);
    for (i = 0; i < SOURCE_COUNT; ++i) {
        check_context = source_names[i];
        vector = NULL;
        CHECK_OK(acg2vec_embedder_embed(embedder, &inputs[i], &vector));
        CHECK_OK(acg2vec_vector_data(vector, &values, &count));
        CHECK(max_difference(values, count, vector_a, 4) <= 1e-6);
        acg2vec_vector_free(vector);
    }
    check_context = NULL;
    inputs[0] = acg2vec_image_file(image_b);
    vector_b = embed_vector(embedder, &inputs[0], &count_b);
    CHECK(count_b == 4 && vector_b != NULL && max_difference(vector_a, 4, vector_b, count_b) > 1e-3);
    if (vector_b == NULL || count_b != 4) {
        free(vector_b);
        free(vector_a);
        acg2vec_embedder_free(embedder);
        return;
    }

    check_input_errors("acg2vec_embedder_embed", "input", run_embed, embedder);
    sample_inputs(&sample_a, inputs);
    vector = GARBAGE;
    CHECK_INVALID(acg2vec_embedder_embed(NULL, &inputs[0], &vector), "embedder");
    CHECK(vector == NULL);
    CHECK_INVALID(acg2vec_embedder_embed(embedder, &inputs[0], NULL), "out");
    CHECK_OK(acg2vec_embedder_embed(embedder, &inputs[0], &vector));
    CHECK_INVALID(acg2vec_vector_data(NULL, &values, &count), "vector");
    CHECK_INVALID(acg2vec_vector_data(vector, NULL, &count), "data");
    CHECK_INVALID(acg2vec_vector_data(vector, &values, NULL), "size");
    acg2vec_vector_free(vector);

    test_embedder_batch(embedder, vector_a, vector_b);
    test_embedder_texts(embedder);
    test_similarity(embedder, vector_a, vector_b);
    test_zero_shot(embedder, vector_a);

    /* The embedder's tokenizers: CLIP yes, WordPiece no. */
    CHECK_OK(acg2vec_embedder_clip_tokenizer(embedder, &clip));
    CHECK(clip != NULL);
    acg2vec_clip_tokenizer_free(clip);
    wordpiece = GARBAGE;
    CHECK_STATUS(acg2vec_embedder_wordpiece_tokenizer(embedder, &wordpiece), ACG2VEC_NOT_FOUND);
    CHECK(wordpiece == NULL);
    CHECK_INVALID(acg2vec_embedder_clip_tokenizer(NULL, &clip), "embedder");
    CHECK_INVALID(acg2vec_embedder_clip_tokenizer(embedder, NULL), "out");
    CHECK_INVALID(acg2vec_embedder_wordpiece_tokenizer(NULL, &wordpiece), "embedder");
    CHECK_INVALID(acg2vec_embedder_wordpiece_tokenizer(embedder, NULL), "out");

    test_raw_vectors(vector_a);

    free(vector_b);
    free(vector_a);
    acg2vec_embedder_free(embedder);
}

/* ---- Analyzer: each part equal to what the separate task gives */

static acg2vec_status run_analyze(const void* analyzer, const acg2vec_image_input* input) {
    acg2vec_analysis* out = GARBAGE;
    const acg2vec_status status = acg2vec_analyzer_analyze(analyzer, input, &out);
    check_out(status, out);
    if (status == ACG2VEC_OK) acg2vec_analysis_free(out);
    return status;
}

static acg2vec_status run_analyze_batch(const void* analyzer, const acg2vec_image_input* inputs, size_t count) {
    acg2vec_analysis_batch* out = GARBAGE;
    size_t items = 99;
    const acg2vec_status status = acg2vec_analyzer_analyze_batch(analyzer, inputs, count, &out);
    check_out(status, out);
    if (status != ACG2VEC_OK) return status;
    CHECK(acg2vec_analysis_batch_count(out, &items) == ACG2VEC_OK && items == count);
    acg2vec_analysis_batch_free(out);
    return status;
}

static acg2vec_status analysis_batch_count(const void* batch, size_t* count) {
    return acg2vec_analysis_batch_count(batch, count);
}

static acg2vec_status analysis_batch_item(const void* batch, size_t index, acg2vec_status* status, const char** input,
                                          const char** message) {
    return acg2vec_analysis_batch_item(batch, index, status, input, message);
}

/* The analyzer of a model file, the model handle freed at once. */
static acg2vec_analyzer* open_analyzer(const char* path, const acg2vec_tag_options* tags,
                                       const acg2vec_score_options* score, const acg2vec_embed_options* embed,
                                       const acg2vec_decode_options* decode) {
    acg2vec_model* model = NULL;
    acg2vec_analyzer* analyzer = NULL;
    CHECK_OK(acg2vec_model_open(path, NULL, &model));
    CHECK_OK(acg2vec_analyzer_create(model, tags, score, embed, decode, &analyzer));
    acg2vec_model_free(model);
    return analyzer;
}

/* Which parts an analysis has: the present ones lent, the absent ones not_found and NULL. */
static void check_parts(const acg2vec_analysis* analysis, int has_tags, int has_scores, int has_vector) {
    const acg2vec_tag_result* tags = GARBAGE;
    const acg2vec_score_result* scores = GARBAGE;
    const acg2vec_vector* vector = GARBAGE;
    CHECK(analysis != NULL);
    if (analysis == NULL) return;
    if (has_tags) {
        CHECK_OK(acg2vec_analysis_tags(analysis, &tags));
    } else {
        CHECK_FAILS(acg2vec_analysis_tags(analysis, &tags), ACG2VEC_NOT_FOUND, "tags");
    }
    check_out(has_tags ? ACG2VEC_OK : ACG2VEC_NOT_FOUND, tags);
    if (has_scores) {
        CHECK_OK(acg2vec_analysis_scores(analysis, &scores));
    } else {
        CHECK_FAILS(acg2vec_analysis_scores(analysis, &scores), ACG2VEC_NOT_FOUND, "scores");
    }
    check_out(has_scores ? ACG2VEC_OK : ACG2VEC_NOT_FOUND, scores);
    if (has_vector) {
        CHECK_OK(acg2vec_analysis_vector(analysis, &vector));
    } else {
        CHECK_FAILS(acg2vec_analysis_vector(analysis, &vector), ACG2VEC_NOT_FOUND, "vector");
    }
    check_out(has_vector ? ACG2VEC_OK : ACG2VEC_NOT_FOUND, vector);
}

/* The analyzer's task handles: the model's own task, not_found for the others. */
static void check_task_handles(const acg2vec_analyzer* analyzer, int has_tagger, int has_scorer, int has_embedder) {
    acg2vec_tagger* tagger = GARBAGE;
    acg2vec_scorer* scorer = GARBAGE;
    acg2vec_embedder* embedder = GARBAGE;
    CHECK_STATUS(acg2vec_analyzer_tagger(analyzer, &tagger), has_tagger ? ACG2VEC_OK : ACG2VEC_NOT_FOUND);
    if (!has_tagger) CHECK(strstr(acg2vec_last_error(), "no tagger") != NULL);
    check_out(has_tagger ? ACG2VEC_OK : ACG2VEC_NOT_FOUND, tagger);
    CHECK_STATUS(acg2vec_analyzer_scorer(analyzer, &scorer), has_scorer ? ACG2VEC_OK : ACG2VEC_NOT_FOUND);
    if (!has_scorer) CHECK(strstr(acg2vec_last_error(), "no scorer") != NULL);
    check_out(has_scorer ? ACG2VEC_OK : ACG2VEC_NOT_FOUND, scorer);
    CHECK_STATUS(acg2vec_analyzer_embedder(analyzer, &embedder), has_embedder ? ACG2VEC_OK : ACG2VEC_NOT_FOUND);
    if (!has_embedder) CHECK(strstr(acg2vec_last_error(), "embedder") != NULL);
    check_out(has_embedder ? ACG2VEC_OK : ACG2VEC_NOT_FOUND, embedder);
    if (has_tagger) acg2vec_tagger_free(tagger);
    if (has_scorer) acg2vec_scorer_free(scorer);
    if (has_embedder) acg2vec_embedder_free(embedder);
}

static void test_analyzer_creation(void) {
    acg2vec_model* model = NULL;
    acg2vec_model* linear = NULL;
    acg2vec_analyzer* analyzer = GARBAGE;
    acg2vec_tag_options tags;
    acg2vec_score_options score;
    acg2vec_embed_options embed;
    acg2vec_decode_options decode;

    CHECK_OK(acg2vec_model_open(tagger_path, NULL, &model));
    CHECK_INVALID(acg2vec_analyzer_create(NULL, NULL, NULL, NULL, NULL, &analyzer), "model");
    CHECK(analyzer == NULL);
    CHECK_INVALID(acg2vec_analyzer_create(model, NULL, NULL, NULL, NULL, NULL), "out");
    /* A model without tagger, scorer or embedder section has nothing to analyze. */
    CHECK_OK(acg2vec_model_open(linear_path, NULL, &linear));
    analyzer = GARBAGE;
    CHECK_STATUS(acg2vec_analyzer_create(linear, NULL, NULL, NULL, NULL, &analyzer), ACG2VEC_MODEL_METADATA);
    CHECK(analyzer == NULL);
    acg2vec_model_free(linear);

    /* Every options struct is checked, also those of tasks the model lacks. */
    CHECK_OK(acg2vec_tag_options_init(&tags));
    CHECK_OK(acg2vec_score_options_init(&score));
    CHECK_OK(acg2vec_embed_options_init(&embed));
    CHECK_OK(acg2vec_decode_options_init(&decode));
    tags.struct_size = 0;
    CHECK_INVALID(acg2vec_analyzer_create(model, &tags, &score, &embed, &decode, &analyzer),
                  "tag_options->struct_size");
    tags.struct_size = sizeof tags;
    score.struct_size = 0;
    CHECK_INVALID(acg2vec_analyzer_create(model, &tags, &score, &embed, &decode, &analyzer),
                  "score_options->struct_size");
    score.struct_size = sizeof score;
    embed.struct_size = 0;
    CHECK_INVALID(acg2vec_analyzer_create(model, &tags, &score, &embed, &decode, &analyzer),
                  "embed_options->struct_size");
    embed.struct_size = sizeof embed;
    decode.struct_size = 0;
    CHECK_INVALID(acg2vec_analyzer_create(model, &tags, &score, &embed, &decode, &analyzer),
                  "decode_options->struct_size");
    CHECK(analyzer == NULL);
    decode.struct_size = sizeof decode;
    CHECK_OK(acg2vec_analyzer_create(model, &tags, &score, &embed, &decode, &analyzer));
    acg2vec_analyzer_free(analyzer);
    acg2vec_model_free(model);
}

static void test_analyzer_batch(const acg2vec_analyzer* analyzer, const acg2vec_tag_result* reference) {
    acg2vec_image_input inputs[BATCH_COUNT];
    acg2vec_analysis_batch* batch = NULL;
    const acg2vec_analysis* item = NULL;
    const acg2vec_tag_result* tags = NULL;
    size_t i;

    batch_inputs(inputs);
    CHECK_OK(acg2vec_analyzer_analyze_batch(analyzer, inputs, BATCH_COUNT, &batch));
    if (batch == NULL) return;
    check_batch_items("acg2vec_analysis_batch", batch, analysis_batch_count, analysis_batch_item);
    for (i = 0; i < BATCH_COUNT; ++i) {
        if (!batch_is_a[i]) continue;
        item = NULL;
        tags = NULL;
        CHECK_OK(acg2vec_analysis_batch_result(batch, i, &item));
        check_parts(item, 1, 0, 0);
        CHECK(item != NULL && acg2vec_analysis_tags(item, &tags) == ACG2VEC_OK && same_tags(tags, reference));
    }
    CHECK_OK(acg2vec_analysis_batch_result(batch, 2, &item));
    check_parts(item, 1, 0, 0);
    item = GARBAGE;
    CHECK_FAILS(acg2vec_analysis_batch_result(batch, 1, &item), ACG2VEC_INVALID_IMAGE, "broken.png");
    CHECK(item == NULL);
    CHECK_FAILS(acg2vec_analysis_batch_result(batch, 5, &item), ACG2VEC_UNSUPPORTED_FORMAT, "three-bytes");
    CHECK_INVALID(acg2vec_analysis_batch_result(batch, BATCH_COUNT, &item), "index 7");
    CHECK_INVALID(acg2vec_analysis_batch_result(NULL, 0, &item), "batch");
    CHECK_INVALID(acg2vec_analysis_batch_result(batch, 0, NULL), "result");
    acg2vec_analysis_batch_free(batch);

    check_batch_input_errors("acg2vec_analyzer_analyze_batch", run_analyze_batch, analyzer);
    batch = GARBAGE;
    CHECK_INVALID(acg2vec_analyzer_analyze_batch(NULL, inputs, 1, &batch), "analyzer");
    CHECK(batch == NULL);
    CHECK_INVALID(acg2vec_analyzer_analyze_batch(analyzer, inputs, 1, NULL), "out");
}

/* The tagger fixture: tags only, as the tagger gives them. */
static void test_analyzer_tags(void) {
    acg2vec_analyzer* analyzer = open_analyzer(tagger_path, NULL, NULL, NULL, NULL);
    acg2vec_tagger* tagger = open_tagger(NULL, NULL);
    acg2vec_tagger* own = NULL;
    acg2vec_tag_result* reference = NULL;
    acg2vec_tag_result* result = NULL;
    acg2vec_analysis* analysis = NULL;
    const acg2vec_tag_result* tags = NULL;
    const acg2vec_score_result* scores = NULL;
    const acg2vec_vector* vector = NULL;
    acg2vec_image_input inputs[SOURCE_COUNT];
    acg2vec_tag_options options;
    size_t i;

    if (analyzer == NULL || tagger == NULL) {
        acg2vec_tagger_free(tagger);
        acg2vec_analyzer_free(analyzer);
        return;
    }
    sample_inputs(&sample_a, inputs);
    CHECK_OK(acg2vec_tagger_tag(tagger, &inputs[0], &reference));
    for (i = 0; i < SOURCE_COUNT; ++i) {
        check_context = source_names[i];
        analysis = NULL;
        tags = NULL;
        CHECK_OK(acg2vec_analyzer_analyze(analyzer, &inputs[i], &analysis));
        check_parts(analysis, 1, 0, 0);
        CHECK_OK(acg2vec_analysis_tags(analysis, &tags));
        check_tag_result(tags);
        CHECK(same_tags(tags, reference));
        acg2vec_analysis_free(analysis);
    }
    check_context = NULL;

    /* The analyzer's own tagger gives the same. */
    check_task_handles(analyzer, 1, 0, 0);
    CHECK_OK(acg2vec_analyzer_tagger(analyzer, &own));
    CHECK_OK(acg2vec_tagger_tag(own, &inputs[1], &result));
    CHECK(same_tags(result, reference));
    acg2vec_tag_result_free(result);
    acg2vec_tagger_free(own);
    own = GARBAGE;
    CHECK_INVALID(acg2vec_analyzer_tagger(NULL, &own), "analyzer");
    CHECK(own == NULL);
    CHECK_INVALID(acg2vec_analyzer_tagger(analyzer, NULL), "out");
    CHECK_INVALID(acg2vec_analyzer_scorer(NULL, NULL), "out");
    CHECK_INVALID(acg2vec_analyzer_embedder(analyzer, NULL), "out");

    check_input_errors("acg2vec_analyzer_analyze", "input", run_analyze, analyzer);
    analysis = GARBAGE;
    CHECK_INVALID(acg2vec_analyzer_analyze(NULL, &inputs[0], &analysis), "analyzer");
    CHECK(analysis == NULL);
    CHECK_INVALID(acg2vec_analyzer_analyze(analyzer, &inputs[0], NULL), "out");

    /* The getters' own errors. */
    CHECK_OK(acg2vec_analyzer_analyze(analyzer, &inputs[2], &analysis));
    tags = GARBAGE;
    CHECK_INVALID(acg2vec_analysis_tags(NULL, &tags), "analysis");
    CHECK(tags == NULL);
    CHECK_INVALID(acg2vec_analysis_tags(analysis, NULL), "tags");
    CHECK_INVALID(acg2vec_analysis_scores(NULL, &scores), "analysis");
    CHECK_INVALID(acg2vec_analysis_scores(analysis, NULL), "scores");
    CHECK_INVALID(acg2vec_analysis_vector(NULL, &vector), "analysis");
    CHECK_INVALID(acg2vec_analysis_vector(analysis, NULL), "vector");
    acg2vec_analysis_free(analysis);

    test_analyzer_batch(analyzer, reference);
    acg2vec_analyzer_free(analyzer);

    /* Tag options reach the analyzer's tags. */
    CHECK_OK(acg2vec_tag_options_init(&options));
    options.underscores_to_spaces = 1;
    analyzer = open_analyzer(tagger_path, &options, NULL, NULL, NULL);
    analysis = NULL;
    CHECK_OK(acg2vec_analyzer_analyze(analyzer, &inputs[4], &analysis));
    tags = NULL;
    CHECK_OK(acg2vec_analysis_tags(analysis, &tags));
    {
        const char* name = NULL;
        float probability = 0;
        CHECK(tags != NULL &&
              acg2vec_tag_result_get(tags, ACG2VEC_TAG_CHARACTER, 0, &name, &probability) == ACG2VEC_OK &&
              strcmp(name, "hatsune miku") == 0);
    }
    acg2vec_analysis_free(analysis);
    acg2vec_analyzer_free(analyzer);

    acg2vec_tag_result_free(reference);
    acg2vec_tagger_free(tagger);
}

/* The pix2score fixture: scores only, as the scorer gives them. */
static void test_analyzer_scores(void) {
    acg2vec_analyzer* analyzer = open_analyzer(scorer_path, NULL, NULL, NULL, NULL);
    acg2vec_scorer* scorer = open_scorer(NULL, NULL);
    acg2vec_scorer* own = NULL;
    acg2vec_score_result* reference = NULL;
    acg2vec_score_result* result = NULL;
    acg2vec_analysis* analysis = NULL;
    const acg2vec_score_result* scores = NULL;
    acg2vec_image_input inputs[SOURCE_COUNT];
    acg2vec_score_options options;
    size_t i;

    if (analyzer == NULL || scorer == NULL) {
        acg2vec_scorer_free(scorer);
        acg2vec_analyzer_free(analyzer);
        return;
    }
    sample_inputs(&sample_a, inputs);
    CHECK_OK(acg2vec_scorer_score(scorer, &inputs[0], &reference));
    for (i = 0; i < SOURCE_COUNT; ++i) {
        check_context = source_names[i];
        analysis = NULL;
        scores = NULL;
        CHECK_OK(acg2vec_analyzer_analyze(analyzer, &inputs[i], &analysis));
        check_parts(analysis, 0, 1, 0);
        CHECK_OK(acg2vec_analysis_scores(analysis, &scores));
        check_score_result(scores, 5);
        CHECK(same_scores(scores, reference));
        acg2vec_analysis_free(analysis);
    }
    check_context = NULL;

    check_task_handles(analyzer, 0, 1, 0);
    CHECK_OK(acg2vec_analyzer_scorer(analyzer, &own));
    CHECK_OK(acg2vec_scorer_score(own, &inputs[3], &result));
    CHECK(same_scores(result, reference));
    acg2vec_score_result_free(result);
    acg2vec_scorer_free(own);
    own = GARBAGE;
    CHECK_INVALID(acg2vec_analyzer_scorer(NULL, &own), "analyzer");
    CHECK(own == NULL);
    acg2vec_analyzer_free(analyzer);

    /* Score options reach the analyzer's scores. */
    CHECK_OK(acg2vec_score_options_init(&options));
    options.top_k = 2;
    analyzer = open_analyzer(scorer_path, NULL, &options, NULL, NULL);
    analysis = NULL;
    CHECK_OK(acg2vec_analyzer_analyze(analyzer, &inputs[1], &analysis));
    scores = NULL;
    CHECK_OK(acg2vec_analysis_scores(analysis, &scores));
    check_score_result(scores, 2);
    acg2vec_analysis_free(analysis);
    acg2vec_analyzer_free(analyzer);

    acg2vec_score_result_free(reference);
    acg2vec_scorer_free(scorer);
}

/* The two-tower fixture: image vectors only, as the embedder gives them. */
static void test_analyzer_vectors(void) {
    acg2vec_analyzer* analyzer = open_analyzer(embedder_path, NULL, NULL, NULL, NULL);
    acg2vec_embedder* embedder = open_embedder(NULL, NULL);
    acg2vec_embedder* own = NULL;
    acg2vec_analysis* analysis = NULL;
    acg2vec_analysis_batch* batch = NULL;
    const acg2vec_analysis* item = NULL;
    const acg2vec_vector* vector = NULL;
    acg2vec_image_input inputs[SOURCE_COUNT];
    acg2vec_embed_options embed;
    acg2vec_decode_options decode;
    const float* values = NULL;
    float* vector_a = NULL;
    float* vector_b = NULL;
    float* raw_a = NULL;
    size_t count = 0, count_a = 0, count_b = 0, dimensions = 0, i;

    if (analyzer == NULL || embedder == NULL) {
        acg2vec_embedder_free(embedder);
        acg2vec_analyzer_free(analyzer);
        return;
    }
    sample_inputs(&sample_a, inputs);
    vector_a = embed_vector(embedder, &inputs[0], &count_a);
    inputs[0] = acg2vec_image_decoded(sample_b.image);
    vector_b = embed_vector(embedder, &inputs[0], &count_b);
    sample_inputs(&sample_a, inputs);
    for (i = 0; i < SOURCE_COUNT; ++i) {
        check_context = source_names[i];
        analysis = NULL;
        vector = NULL;
        CHECK_OK(acg2vec_analyzer_analyze(analyzer, &inputs[i], &analysis));
        check_parts(analysis, 0, 0, 1);
        CHECK_OK(acg2vec_analysis_vector(analysis, &vector));
        CHECK(vector != NULL && acg2vec_vector_data(vector, &values, &count) == ACG2VEC_OK);
        CHECK(max_difference(values, count, vector_a, count_a) <= 1e-6);
        acg2vec_analysis_free(analysis);
    }
    check_context = NULL;

    check_task_handles(analyzer, 0, 0, 1);
    CHECK_OK(acg2vec_analyzer_embedder(analyzer, &own));
    CHECK_OK(acg2vec_embedder_dimensions(own, &dimensions));
    CHECK(dimensions == 4);
    {
        size_t own_count = 0;
        float* own_vector = embed_vector(own, &inputs[2], &own_count);
        CHECK(max_difference(own_vector, own_count, vector_a, count_a) <= 1e-6);
        free(own_vector);
    }
    acg2vec_embedder_free(own);
    own = GARBAGE;
    CHECK_INVALID(acg2vec_analyzer_embedder(NULL, &own), "analyzer");
    CHECK(own == NULL);

    /* A batch: image_b's vector where image_b is. */
    {
        acg2vec_image_input pair[2];
        pair[0] = acg2vec_image_file(image_a);
        pair[1] = acg2vec_image_decoded(sample_b.image);
        CHECK_OK(acg2vec_analyzer_analyze_batch(analyzer, pair, 2, &batch));
        CHECK_OK(acg2vec_analysis_batch_result(batch, 1, &item));
        check_parts(item, 0, 0, 1);
        CHECK(item != NULL && acg2vec_analysis_vector(item, &vector) == ACG2VEC_OK &&
              acg2vec_vector_data(vector, &values, &count) == ACG2VEC_OK);
        CHECK(max_difference(values, count, vector_b, count_b) <= 1e-6);
        CHECK_OK(acg2vec_analysis_batch_result(batch, 0, &item));
        CHECK(item != NULL && acg2vec_analysis_vector(item, &vector) == ACG2VEC_OK &&
              acg2vec_vector_data(vector, &values, &count) == ACG2VEC_OK);
        CHECK(max_difference(values, count, vector_a, count_a) <= 1e-6);
        acg2vec_analysis_batch_free(batch);
    }
    acg2vec_analyzer_free(analyzer);

    /* Embed options reach the analyzer: raw vectors as the raw embedder gives them. */
    CHECK_OK(acg2vec_embed_options_init(&embed));
    embed.normalize = 0;
    own = open_embedder(NULL, &embed);
    raw_a = embed_vector(own, &inputs[0], &count);
    acg2vec_embedder_free(own);
    analyzer = open_analyzer(embedder_path, NULL, NULL, &embed, NULL);
    analysis = NULL;
    CHECK_OK(acg2vec_analyzer_analyze(analyzer, &inputs[0], &analysis));
    vector = NULL;
    CHECK(acg2vec_analysis_vector(analysis, &vector) == ACG2VEC_OK &&
          acg2vec_vector_data(vector, &values, &count) == ACG2VEC_OK);
    CHECK(max_difference(values, count, raw_a, 4) <= 1e-6 && fabs(norm(values, count) - 1.0) > 1e-3);
    acg2vec_analysis_free(analysis);
    acg2vec_analyzer_free(analyzer);

    /* Decode options too. */
    CHECK_OK(acg2vec_decode_options_init(&decode));
    decode.max_pixels = 100;
    analyzer = open_analyzer(embedder_path, NULL, NULL, NULL, &decode);
    analysis = GARBAGE;
    CHECK_STATUS(acg2vec_analyzer_analyze(analyzer, &inputs[0], &analysis), ACG2VEC_IMAGE_TOO_LARGE);
    CHECK(analysis == NULL);
    acg2vec_analyzer_free(analyzer);

    free(raw_a);
    free(vector_b);
    free(vector_a);
    acg2vec_embedder_free(embedder);
}

void test_analyzer(void) {
    test_analyzer_creation();
    test_analyzer_tags();
    test_analyzer_scores();
    test_analyzer_vectors();
}
