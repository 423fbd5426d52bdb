// Tags every image of a folder, builds a cosine index of their vectors, saves and reloads it,
// then searches it by the folder's first image and by a text.
// Usage: tag_and_search TAGGER_MODEL EMBEDDER_MODEL IMAGE_FOLDER INDEX_PATH
#include <acg2vec/acg2vec.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

const char* const kQueryText = "a girl with long hair";

// The folder's decodable images (by extension), sorted by file name.
std::vector<fs::path> list_images(const fs::path& folder) {
    static const std::set<std::string> extensions{".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp", ".tga", ".psd"};
    std::vector<fs::path> images;
    for (const fs::directory_entry& entry : fs::directory_iterator(folder)) {
        std::string extension = entry.path().extension().string();
        std::transform(extension.begin(), extension.end(), extension.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (entry.is_regular_file() && extensions.count(extension)) images.push_back(entry.path());
    }
    std::sort(images.begin(), images.end(),
              [](const fs::path& a, const fs::path& b) { return a.filename().string() < b.filename().string(); });
    return images;
}

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
        const std::vector<fs::path> images = list_images(argv[3]);
        if (images.empty()) {
            std::fprintf(stderr, "error: no images in %s\n", argv[3]);
            return 1;
        }

        // 1. Tags: the rating and a caption (characters, then general tags) per image.
        const acg2vec::Tagger tagger = acg2vec::Tagger::open(tagger_path);
        for (const fs::path& image : images) {
            const acg2vec::TagResult tags = tagger.tag_file(image.string());
            std::printf("%s [%s] %s\n", image.string().c_str(), tags.rating.c_str(), tags.caption().c_str());
        }

        // 2. An index of the image vectors, keyed by file name, saved and loaded again.
        const acg2vec::Embedder embedder = acg2vec::Embedder::open(embedder_path);
        acg2vec::IndexOptions options;
        options.dimension = embedder.dimensions();
        options.metric = acg2vec::Metric::cosine;
        acg2vec::Index index = acg2vec::Index::create(options);
        for (const fs::path& image : images) index.add(image.filename().string(), embedder.embed_file(image.string()));
        index.save(index_path);
        const acg2vec::Index loaded = acg2vec::Index::load(index_path, options);  // checks dimension and metric
        std::printf("index %s: %zu images, %zu dimensions\n", index_path.c_str(), loaded.size(), options.dimension);

        // 3. Searches: by an image (its own key comes first) and by a text.
        const fs::path& query_image = images.front();
        std::printf("search by image %s:\n", query_image.filename().string().c_str());
        print_hits(loaded.search(embedder.embed_file(query_image.string()), 3));
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
