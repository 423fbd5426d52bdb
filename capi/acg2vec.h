/* acg2vec C ABI. C99, usable from C++, Rust, Go and C#. Every function returns an
 * acg2vec_status (0 = success) unless it only reports a constant. */
#ifndef ACG2VEC_H
#define ACG2VEC_H

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define ACG2VEC_API __declspec(dllexport)
#else
#define ACG2VEC_API __attribute__((visibility("default")))
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
    ACG2VEC_INTERNAL = 13
} acg2vec_status;

/* "MAJOR.MINOR.PATCH" of the loaded library; a static string, never freed. */
ACG2VEC_API const char* acg2vec_version(void);
/* ACG2VEC_ABI_VERSION of the loaded library: compare with the header's before any other call. */
ACG2VEC_API int acg2vec_abi_version(void);
/* Lower-case name of a status ("invalid_image"); "unknown" for other values. Static string. */
ACG2VEC_API const char* acg2vec_status_name(int status);

#ifdef __cplusplus
}
#endif

#endif /* ACG2VEC_H */
