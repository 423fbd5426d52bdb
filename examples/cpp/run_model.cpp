// Runs an acg2vec model on one image and prints each output's shape and first values.
// Usage: run_model MODEL.pt IMAGE
#include <acg2vec/acg2vec.hpp>

#include <cstdio>

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s MODEL.pt IMAGE\n", argv[0]);
        return 2;
    }
    try {
        acg2vec::Model model = acg2vec::Model::open(argv[1]);
        const auto& meta = model.metadata();
        if (!meta.preprocess) {
            std::fprintf(stderr, "%s: model '%s' does not take images\n", argv[1], meta.name.c_str());
            return 1;
        }
        acg2vec::Image image = acg2vec::decode_image_file(argv[2]);
        acg2vec::Tensor input = acg2vec::preprocess_image(image, *meta.preprocess);
        std::printf("%s (%s): %s %dx%d\n", meta.name.c_str(), meta.task.c_str(), argv[2], image.width, image.height);
        for (const auto& [name, output] : model.run("image", {input})) {
            std::printf("  %s [", name.c_str());
            for (std::size_t i = 0; i < output.shape.size(); ++i)
                std::printf(i ? ", %lld" : "%lld", (long long)output.shape[i]);
            std::printf("]:");
            for (std::size_t i = 0; i < output.data.size() && i < 5; ++i) std::printf(" %.4f", output.data[i]);
            std::printf("\n");
        }
    } catch (const acg2vec::Error& e) {
        std::fprintf(stderr, "error (%s): %s\n", acg2vec::error_code_name(e.code()), e.what());
        return 1;
    }
    return 0;
}
