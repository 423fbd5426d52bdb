// Tags images with a tagger model and prints the rating and a caption for each.
// Usage: tag_images MODEL.pt IMAGE...
#include <acg2vec/acg2vec.hpp>

#include <cstdio>

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s MODEL.pt IMAGE...\n", argv[0]);
        return 2;
    }
    try {
        acg2vec::Tagger tagger = acg2vec::Tagger::open(argv[1]);  // labels and preprocessing travel inside
        for (int i = 2; i < argc; ++i) {
            acg2vec::TagResult tags = tagger.tag(acg2vec::ImageInput::file(argv[i]));  // JPEG PNG GIF WebP BMP TGA PSD
            std::printf("%s [%s] %s\n", argv[i], tags.rating.c_str(), tags.caption().c_str());
        }
    } catch (const acg2vec::Error& e) {
        std::fprintf(stderr, "error (%s): %s\n", acg2vec::error_code_name(e.code()), e.what());
        return 1;
    }
    return 0;
}
