/* Shared by the C API test files (capi_test.c, capi_task_test.c): the assertion macros, the
 * test inputs and small helpers. Plain C11. */
#ifndef ACG2VEC_CAPI_TEST_H
#define ACG2VEC_CAPI_TEST_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acg2vec.h"

/* ---- A tiny assertion library: count, report, carry on. */

extern int checks;
extern int failures;
/* Printed with every failure when set: which helper call or loop round failed. */
extern const char* check_context;

#define CHECK_REPORT_(...)                                                  \
    do {                                                                    \
        ++failures;                                                         \
        if (check_context != NULL) fprintf(stderr, "[%s] ", check_context); \
        fprintf(stderr, __VA_ARGS__);                                       \
    } while (0)

#define CHECK(condition)                                                                               \
    do {                                                                                               \
        ++checks;                                                                                      \
        if (!(condition)) {                                                                            \
            CHECK_REPORT_("%s:%d: CHECK(%s) failed; last error: %s\n", __FILE__, __LINE__, #condition, \
                          acg2vec_last_error());                                                       \
        }                                                                                              \
    } while (0)

/* `call` returns `expected`. */
#define CHECK_STATUS(call, expected)                                                                         \
    do {                                                                                                     \
        const acg2vec_status got_ = (call);                                                                  \
        ++checks;                                                                                            \
        if (got_ != (expected)) {                                                                            \
            CHECK_REPORT_("%s:%d: %s returned %s, expected %s; last error: %s\n", __FILE__, __LINE__, #call, \
                          acg2vec_status_name(got_), acg2vec_status_name(expected),                          \
                          got_ == ACG2VEC_OK ? "-" : acg2vec_last_error());                                  \
        }                                                                                                    \
    } while (0)

#define CHECK_OK(call) CHECK_STATUS(call, ACG2VEC_OK)

/* `call` fails with `expected` and the message contains `text` (the parameter's name). */
#define CHECK_FAILS(call, expected, text)                                                                            \
    do {                                                                                                             \
        CHECK_STATUS(call, expected);                                                                                \
        ++checks;                                                                                                    \
        if (strstr(acg2vec_last_error(), (text)) == NULL) {                                                          \
            CHECK_REPORT_("%s:%d: the error of %s does not mention \"%s\": %s\n", __FILE__, __LINE__, #call, (text), \
                          acg2vec_last_error());                                                                     \
        }                                                                                                            \
    } while (0)

/* A NULL or otherwise invalid argument: ACG2VEC_INVALID_ARGUMENT naming the parameter. */
#define CHECK_INVALID(call, parameter) CHECK_FAILS(call, ACG2VEC_INVALID_ARGUMENT, parameter)

#define CHECK_NEAR(a, b, tolerance) CHECK(fabs((double)(a) - (double)(b)) <= (tolerance))

/* ---- Test inputs (set by main from the command line) */

extern const char* tagger_path;   /* tagger fixture: 17 labels, "bright" follows the image */
extern const char* scorer_path;   /* pix2score fixture: three heads, constant outputs */
extern const char* embedder_path; /* two-tower fixture: 4-d image and text vectors */
extern const char* linear_path;   /* linear fixture: metadata without any task section */
extern const char* shared_dir;
extern const char* work_dir;

extern char image_a[1024]; /* a JPEG, 179 x 179 */
extern char image_b[1024]; /* a PNG with alpha */
extern char image_c[1024]; /* another JPEG */
extern char broken[1024];  /* a damaged PNG: its batch item fails alone */
extern char missing[1024]; /* a path that does not exist */

/* A non-NULL pointer stored in an out-parameter before a call: a failing call must overwrite
 * it with NULL, a succeeding one with its result. */
#define GARBAGE ((void*)&checks)

/* ---- Helpers */

void join(char* out, size_t size, const char* dir, const char* name);
/* The whole file, malloc'ed; *size its length. NULL when it cannot be read. */
unsigned char* read_file(const char* path, size_t* size);
/* Writes bytes to path (replacing it); nonzero on success. */
int write_file(const char* path, const void* bytes, size_t size);
/* Copies a file; nonzero on success. */
int copy_file(const char* from, const char* to);
/* Plain base64 of `size` bytes, malloc'ed and NUL-terminated. */
char* to_base64(const unsigned char* bytes, size_t size);
double norm(const float* values, size_t count);
/* The largest |a[i] - b[i]|; HUGE_VAL when the sizes differ. */
double max_difference(const float* a, size_t a_size, const float* b, size_t b_size);
/* A copy of a vector's floats (count written to *count), malloc'ed; NULL on failure. */
float* vector_copy(const acg2vec_vector* vector, size_t* count);
/* The vector of one input (malloc'ed, `count` floats); NULL when the call fails. */
float* embed_vector(const acg2vec_embedder* embedder, const acg2vec_image_input* input, size_t* count);

/* One image in every form an acg2vec_image_input can carry. */
struct sample {
    const char* path;
    unsigned char* bytes;
    size_t size;
    char* base64;
    char* data_url; /* "data:image/...;base64,..." */
    acg2vec_image* image;
};

enum { SOURCE_COUNT = 5 };
extern const char* const source_names[SOURCE_COUNT];

/* Reads, encodes and decodes path; nonzero on success (sample_free in any case). */
int sample_load(struct sample* sample, const char* path);
void sample_free(struct sample* sample);
/* The sample as a file, memory, base64, data URL and decoded input, in source_names order. */
void sample_inputs(const struct sample* sample, acg2vec_image_input inputs[SOURCE_COUNT]);

/* image_a and image_b in every input form, loaded once by main. */
extern struct sample sample_a;
extern struct sample sample_b;

/* 16 lower-case hex digits (a model fingerprint). */
int is_hex16(const char* text);
/* After a call with a `T**` out-parameter that held GARBAGE: a new object exactly on success. */
void check_out(acg2vec_status status, const void* out);

/* ---- capi_task_test.c: image inputs, tagger, scorer, embedder, analyzer */

void test_tagger(void);
void test_scorer(void);
void test_embedder(void);
void test_analyzer(void);

#endif /* ACG2VEC_CAPI_TEST_H */
