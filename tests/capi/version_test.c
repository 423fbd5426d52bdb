/* The C header compiles as C99 and the library answers through it. */
#include <stdio.h>
#include <string.h>

#include "acg2vec.h"

int main(void) {
    int failures = 0;
    if (acg2vec_abi_version() != ACG2VEC_ABI_VERSION) failures++;
    if (strcmp(acg2vec_version(), ACG2VEC_EXPECTED_VERSION) != 0) failures++;
    if (strcmp(acg2vec_status_name(ACG2VEC_IMAGE_TOO_LARGE), "image_too_large") != 0) failures++;
    if (strcmp(acg2vec_status_name(-1), "unknown") != 0) failures++;
    if (strcmp(acg2vec_status_name(99), "unknown") != 0) failures++;
    printf("acg2vec %s, ABI %d: %d failure(s)\n", acg2vec_version(), acg2vec_abi_version(), failures);
    return failures == 0 ? 0 : 1;
}
