/* A C program that knows acg2vec only through its installed header and library. */
#include <acg2vec.h>
#include <stdio.h>

int main(void) {
    /* A 2x1 RGB PNG: one red pixel, one blue pixel. */
    const char* png =
        "iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAIAAAB7QOjdAAAADUlEQVR4nGP4zwAE/wEHAAH/4iOeWQAAAABJRU5ErkJggg==";
    acg2vec_image* image = NULL;
    acg2vec_model* model = NULL;
    int width = 0, height = 0, channels = 0;
    if (acg2vec_abi_version() != ACG2VEC_ABI_VERSION) return 1;
    if (acg2vec_image_decode_base64(png, NULL, &image) != ACG2VEC_OK) return 1;
    acg2vec_image_dimensions(image, &width, &height, &channels);
    acg2vec_image_free(image);
    if (acg2vec_model_open("/nonexistent.pt", NULL, &model) != ACG2VEC_MODEL_LOAD || model != NULL) return 1;
    printf("acg2vec %s from C: %dx%d, %d channels; %s\n", acg2vec_version(), width, height, channels,
           acg2vec_last_error());
    return width == 2 && height == 1 && channels == 3 ? 0 : 1;
}
