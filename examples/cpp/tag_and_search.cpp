// Tags every image of a folder, builds a cosine index of their vectors, saves and reloads it,
// then searches it by the folder's first image and by a text.
// Usage: tag_and_search TAGGER_MODEL EMBEDDER_MODEL IMAGE_FOLDER INDEX_PATH
#include <acg2vec/acg2vec.hpp>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

const char* const kQueryText = "a girl with long hair";

// Prints the hits, nearest first, with their distance (1 - cosine).
void print_hits(const std::vector<acg2vec::SearchHit>& hits) {
    for (std::size_t rank = 0; rank < hits.size(); ++rank)
        std::printf("  %zu. %s (distance %.6f)\n", rank + 1, hits[rank].key.c_str(), hits[rank].distance);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 5) {
        std::fprintf(stderr, "usage: %s TAGGER_MODEL EMBEDDER_MODEL IMAGE_FOLDER INDEX_PATH\n", argv[0]);
        return 2;
    }
    const std::string tagger_path = argv[1], embedder_path = argv[2], index_path = argv[4];
    try {
        // The folder's images (by extension), sorted: what `acg2vec index build` would see.
        const std::vector<std::string> images = acg2vec::list_image_files({argv[3]});
        if (images.empty()) {
            std::fprintf(stderr, "error: no images in %s\n", argv[3]);
            return 1;
        }

        // 1. Tags: the rating and a caption (characters, then general tags) per image, in one
        // batch (decoding overlaps the model; a bad file would fail alone).
        const acg2vec::Tagger tagger = acg2vec::Tagger::open(tagger_path);
        for (const acg2vec::TagOutcome& tags : tagger.tag_batch(acg2vec::ImageInput::files(images))) {
            if (tags.ok())
                std::printf("%s [%s] %s\n", tags.input.c_str(), tags.result->rating.c_str(),
                            tags.result->caption().c_str());
            else
                std::fprintf(stderr, "skipped: %s\n", tags.message.c_str());
        }

        // 2. An index of the image vectors, keyed by file name, saved and loaded again. The
        // embedder's index options record its model, so a later load with another model fails.
        const acg2vec::Embedder embedder = acg2vec::Embedder::open(embedder_path);
        const acg2vec::IndexOptions options = embedder.index_options();
        acg2vec::Index index = acg2vec::Index::create(options);
        for (const acg2vec::VectorOutcome& vector : embedder.embed_batch(acg2vec::ImageInput::files(images)))
            if (vector.ok()) index.add(fs::path(vector.input).filename().string(), *vector.result);
        index.save(index_path);
        const acg2vec::Index loaded = acg2vec::Index::load(index_path, options);  // checks dimension, metric, model
        std::printf("index %s: %zu images, %zu dimensions\n", index_path.c_str(), loaded.size(), options.dimension);

        // 3. Searches: by an image (its own key comes first) and by a text.
        const std::string& query_image = images.front();
        std::printf("search by image %s:\n", fs::path(query_image).filename().string().c_str());
        print_hits(loaded.search(embedder.embed(acg2vec::ImageInput::file(query_image)), 3));
        std::printf("search by text \"%s\":\n", kQueryText);
        print_hits(loaded.search(embedder.embed_text(kQueryText), 3));
    } catch (const acg2vec::Error& e) {
        std::fprintf(stderr, "error (%s): %s\n", acg2vec::error_code_name(e.code()), e.what());
        return 1;
    } catch (const fs::filesystem_error& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
    std::printf("done\n");
    return 0;
}
