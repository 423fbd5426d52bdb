/* Tags every image of a folder, builds a cosine index of their vectors, saves and reloads it,
 * then searches it by the folder's first image and by a text: the C++ tag_and_search through
 * the C ABI. Every object the library hands out is freed by its acg2vec_*_free function.
 * Usage: tag_and_search_c TAGGER_MODEL EMBEDDER_MODEL IMAGE_FOLDER INDEX_PATH */
#define _POSIX_C_SOURCE 200809L /* opendir, strdup, strcasecmp */

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "acg2vec.h"

static const char* const query_text = "a girl with long hair";

/* 1 when the call succeeded; otherwise prints the library's message and returns 0. */
static int check(acg2vec_status status) {
    if (status == ACG2VEC_OK) return 1;
    fprintf(stderr, "error (%s): %s\n", acg2vec_status_name(status), acg2vec_last_error());
    return 0;
}

/* The image files of a folder: names sorted, and paths (folder/name) in the same order. */
typedef struct image_list {
    char** names;
    char** paths;
    size_t count;
} image_list;

static void image_list_free(image_list* list) {
    for (size_t i = 0; i < list->count; ++i) {
        free(list->names[i]);
        if (list->paths != NULL) free(list->paths[i]);
    }
    free(list->names);
    free(list->paths);
}

static int is_image_name(const char* name) {
    static const char* const extensions[] = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp", ".tga", ".psd"};
    const char* dot = strrchr(name, '.');
    if (dot == NULL) return 0;
    for (size_t i = 0; i < sizeof extensions / sizeof extensions[0]; ++i)
        if (strcasecmp(dot, extensions[i]) == 0) return 1;
    return 0;
}

static int compare_names(const void* a, const void* b) { return strcmp(*(char* const*)a, *(char* const*)b); }

static int list_images(const char* folder, image_list* list) {
    DIR* dir = opendir(folder);
    struct dirent* entry;
    size_t capacity = 0;
    if (dir == NULL) {
        fprintf(stderr, "error: %s: %s\n", folder, strerror(errno));
        return 0;
    }
    while ((entry = readdir(dir)) != NULL) {
        if (!is_image_name(entry->d_name)) continue;
        if (list->count == capacity) {
            char** names;
            capacity = capacity ? 2 * capacity : 16;
            names = realloc(list->names, capacity * sizeof *names);
            if (names == NULL) break;
            list->names = names;
        }
        if ((list->names[list->count] = strdup(entry->d_name)) == NULL) break;
        ++list->count;
    }
    closedir(dir);
    if (entry != NULL) {
        fprintf(stderr, "error: out of memory\n");
        return 0;
    }
    if (list->count == 0) {
        fprintf(stderr, "error: no images in %s\n", folder);
        return 0;
    }
    qsort(list->names, list->count, sizeof *list->names, compare_names);
    list->paths = calloc(list->count, sizeof *list->paths);
    for (size_t i = 0; list->paths != NULL && i < list->count; ++i) {
        size_t size = strlen(folder) + 1 + strlen(list->names[i]) + 1;
        if ((list->paths[i] = malloc(size)) == NULL) break;
        snprintf(list->paths[i], size, "%s/%s", folder, list->names[i]);
    }
    if (list->paths == NULL || list->paths[list->count - 1] == NULL) {
        fprintf(stderr, "error: out of memory\n");
        return 0;
    }
    return 1;
}

/* Prints "path [rating] caption" for every image. */
static int tag_images(const char* model_path, const image_list* images) {
    acg2vec_model* model = NULL;
    acg2vec_tagger* tagger = NULL;
    int ok =
        check(acg2vec_model_open(model_path, NULL, &model)) && check(acg2vec_tagger_create(model, NULL, NULL, &tagger));
    acg2vec_model_free(model); /* the tagger keeps the model alive */
    for (size_t i = 0; ok && i < images->count; ++i) {
        const acg2vec_image_input input = acg2vec_image_file(images->paths[i]);
        acg2vec_tag_result* tags = NULL;
        const char* rating = NULL; /* owned by tags */
        char* caption = NULL;      /* ours: acg2vec_string_free */
        ok = check(acg2vec_tagger_tag(tagger, &input, &tags)) && check(acg2vec_tag_result_rating(tags, &rating)) &&
             check(acg2vec_tag_result_caption(tags, NULL, &caption));
        if (ok) printf("%s [%s] %s\n", images->paths[i], rating, caption);
        acg2vec_string_free(caption);
        acg2vec_tag_result_free(tags);
    }
    acg2vec_tagger_free(tagger);
    return ok;
}

/* The vector of an image file. */
static acg2vec_status embed_file(const acg2vec_embedder* embedder, const char* path, acg2vec_vector** vector) {
    const acg2vec_image_input input = acg2vec_image_file(path);
    return acg2vec_embedder_embed(embedder, &input, vector);
}

/* Prints the 3 keys nearest to a vector, nearest first, with their distance (1 - cosine). */
static int print_nearest(const acg2vec_index* index, const acg2vec_vector* query) {
    acg2vec_search_result* hits = NULL;
    const float* data = NULL;
    size_t size = 0, count = 0;
    int ok = check(acg2vec_vector_data(query, &data, &size)) &&
             check(acg2vec_index_search(index, data, size, 3, 0, NULL, &hits)) &&
             check(acg2vec_search_result_count(hits, &count));
    for (size_t i = 0; ok && i < count; ++i) {
        const char* key = NULL; /* owned by hits */
        float distance = 0, score = 0;
        ok = check(acg2vec_search_result_get(hits, i, &key, &distance, &score));
        if (ok) printf("  %zu. %s (distance %.6f)\n", i + 1, key, distance);
    }
    acg2vec_search_result_free(hits);
    return ok;
}

/* Indexes the image vectors by file name, saves and reloads the index, and searches it. */
static int index_and_search(const char* model_path, const image_list* images, const char* index_path) {
    acg2vec_model* model = NULL;
    acg2vec_embedder* embedder = NULL;
    acg2vec_index* index = NULL;
    acg2vec_index* loaded = NULL;
    acg2vec_vector* image_query = NULL;
    acg2vec_vector* text_query = NULL;
    acg2vec_index_options options; /* its model strings are owned by the embedder */
    size_t size = 0;
    int ok = check(acg2vec_model_open(model_path, NULL, &model)) &&
             check(acg2vec_embedder_create(model, NULL, NULL, &embedder));
    acg2vec_model_free(model); /* the embedder keeps the model alive */
    /* A cosine index of the embedder's dimension, recording the model's name and fingerprint. */
    ok = ok && check(acg2vec_embedder_index_options(embedder, &options)) &&
         check(acg2vec_index_create(&options, &index));
    for (size_t i = 0; ok && i < images->count; ++i) {
        acg2vec_vector* vector = NULL;
        const float* data = NULL; /* owned by vector */
        size_t dimension = 0;
        ok = check(embed_file(embedder, images->paths[i], &vector)) &&
             check(acg2vec_vector_data(vector, &data, &dimension)) &&
             check(acg2vec_index_add(index, images->names[i], data, dimension, NULL, 0));
        acg2vec_vector_free(vector);
    }
    /* The reload checks the file against the options: dimension, metric and model. */
    ok = ok && check(acg2vec_index_save(index, index_path)) &&
         check(acg2vec_index_load(index_path, &options, &loaded)) && check(acg2vec_index_size(loaded, &size));
    if (ok) printf("index %s: %zu images, %zu dimensions\n", index_path, size, options.dimension);

    ok = ok && check(embed_file(embedder, images->paths[0], &image_query));
    if (ok) printf("search by image %s:\n", images->names[0]);
    ok = ok && print_nearest(loaded, image_query);
    ok = ok && check(acg2vec_embedder_embed_text(embedder, query_text, &text_query));
    if (ok) printf("search by text \"%s\":\n", query_text);
    ok = ok && print_nearest(loaded, text_query);

    acg2vec_vector_free(text_query);
    acg2vec_vector_free(image_query);
    acg2vec_index_free(loaded);
    acg2vec_index_free(index);
    acg2vec_embedder_free(embedder);
    return ok;
}

int main(int argc, char** argv) {
    image_list images = {NULL, NULL, 0};
    int ok;
    if (argc != 5) {
        fprintf(stderr, "usage: %s TAGGER_MODEL EMBEDDER_MODEL IMAGE_FOLDER INDEX_PATH\n", argv[0]);
        return 2;
    }
    if (acg2vec_abi_version() != ACG2VEC_ABI_VERSION) {
        fprintf(stderr, "error: acg2vec.h is ABI %d, the library ABI %d\n", ACG2VEC_ABI_VERSION, acg2vec_abi_version());
        return 1;
    }
    ok = list_images(argv[3], &images) && tag_images(argv[1], &images) && index_and_search(argv[2], &images, argv[4]);
    image_list_free(&images);
    if (!ok) return 1;
    printf("done\n");
    return 0;
}
