// to_rgb: every decoded image becomes 3-channel RGB before geometry. Transparent pixels are
// composited over the model's background with Pillow's alpha_composite arithmetic
// (7 fractional bits, divide by 255 via shifts) so results equal Pillow's to the bit.
#include "acg2vec/error.hpp"
#include "acg2vec/preprocess.hpp"

namespace acg2vec {
namespace {

std::uint8_t over_opaque(int source, int alpha, int background) {
    if (alpha == 0) return static_cast<std::uint8_t>(background);
    int mixed = 128 * (source * alpha + background * (255 - alpha)) + (0x80 << 7);
    int divided = ((mixed >> 8) + mixed) >> 8;  // ~ mixed / 255
    return static_cast<std::uint8_t>(divided >> 7);
}

}  // namespace

Image to_rgb(const Image& image, AlphaMode mode, Rgb background) {
    if (image.channels < 1 || image.channels > 4 ||
        image.pixels.size() != image.row_bytes() * std::size_t(image.height)) {
        throw Error(ErrorCode::invalid_argument, "to_rgb: image buffer does not match its size and channels");
    }
    if (image.channels == 3) return image;
    Image out{image.width, image.height, 3, {}, image.source_format};
    const std::size_t n = std::size_t(image.width) * image.height;
    out.pixels.resize(n * 3);
    const int c = image.channels;
    const bool gray = c <= 2;
    const bool composite = image.has_alpha() && mode == AlphaMode::composite;
    const std::uint8_t bg[3] = {background.r, background.g, background.b};
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint8_t* p = &image.pixels[i * c];
        std::uint8_t* q = &out.pixels[i * 3];
        for (int k = 0; k < 3; ++k) {
            std::uint8_t v = gray ? p[0] : p[k];
            q[k] = composite ? over_opaque(v, p[c - 1], bg[k]) : v;
        }
    }
    return out;
}

}  // namespace acg2vec
