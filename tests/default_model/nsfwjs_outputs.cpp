// Writes what the library computes for one image with a converted nsfwjs model, for the
// parity check against TF.js running the original (run_nsfwjs_parity.sh):
//   PREFIX.rgb.u8          the decoded image as 8-bit RGB rows (alpha dropped, as nsfwjs does)
//   PREFIX.shape           "H,W,3"
//   PREFIX.probs.f32       the Scorer's "rating" probabilities
//   PREFIX.features.f32    the Embedder's raw (not normalised) pooled features
// Usage: nsfwjs_outputs MODEL.pt IMAGE PREFIX
#include <cstdio>
#include <fstream>
#include <string>

#include "acg2vec/embedder.hpp"
#include "acg2vec/scorer.hpp"

namespace {

void write(const std::string& path, const void* data, std::size_t bytes) {
    std::ofstream f(path, std::ios::binary);
    f.write(static_cast<const char*>(data), std::streamsize(bytes));
    if (!f) throw std::runtime_error(path + ": cannot write");
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: %s MODEL.pt IMAGE PREFIX\n", argv[0]);
        return 2;
    }
    const std::string model = argv[1], image_path = argv[2], prefix = argv[3];
    try {
        const acg2vec::Image image = acg2vec::decode_image_file(image_path);
        const acg2vec::Image rgb = acg2vec::to_rgb(image, acg2vec::AlphaMode::ignore);
        write(prefix + ".rgb.u8", rgb.pixels.data(), rgb.pixels.size());
        const std::string shape = std::to_string(rgb.height) + "," + std::to_string(rgb.width) + ",3";
        write(prefix + ".shape", shape.data(), shape.size());

        const auto scores = acg2vec::Scorer::open(model).score(image);
        const auto& probs = scores.head("rating").probabilities;
        write(prefix + ".probs.f32", probs.data(), probs.size() * sizeof(float));
        acg2vec::EmbedderOptions raw;
        raw.embed.normalize = false;
        const auto features = acg2vec::Embedder::open(model, raw).embed(image);
        write(prefix + ".features.f32", features.data(), features.size() * sizeof(float));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "nsfwjs_outputs: %s\n", e.what());
        return 1;
    }
    return 0;
}
