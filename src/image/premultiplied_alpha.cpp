// Pillow's premultiplied alpha, for resizing as Pillow resizes RGBA and LA images.
#include "image/premultiplied_alpha.hpp"

#include <algorithm>

#include "acg2vec/error.hpp"

namespace acg2vec::detail {
namespace {

// v * alpha / 255 rounded, in Pillow's shifts (its MULDIV255).
std::uint8_t times_alpha(unsigned v, unsigned alpha) {
    const unsigned t = v * alpha + 128;
    return std::uint8_t(((t >> 8) + t) >> 8);
}

}  // namespace

PremultipliedRows::PremultipliedRows(const Image& image) : RowSource(image.width, image.height, 4), image_(image) {
    if (!image.has_alpha() || image.pixels.size() != image.row_bytes() * std::size_t(image.height)) {
        throw Error(ErrorCode::invalid_argument,
                    "premultiplied rows: needs an image with alpha whose buffer matches its size");
    }
}

const std::uint8_t* PremultipliedRows::row(int y, std::vector<std::uint8_t>& scratch) const {
    const int channels = image_.channels;
    const std::uint8_t* in = image_.pixels.data() + image_.row_bytes() * std::size_t(y);
    scratch.resize(std::size_t(width()) * 4);
    std::uint8_t* out = scratch.data();
    for (int x = 0; x < width(); ++x, in += channels, out += 4) {
        const unsigned alpha = in[channels - 1];
        for (int k = 0; k < 3; ++k) out[k] = times_alpha(in[channels == 4 ? k : 0], alpha);
        out[3] = std::uint8_t(alpha);
    }
    return scratch.data();
}

FloatImage unpremultiplied_rgb(const Image& premultiplied) {
    FloatImage out{premultiplied.width, premultiplied.height, 3, {}};
    const std::size_t pixels = std::size_t(premultiplied.width) * std::size_t(premultiplied.height);
    out.pixels.resize(pixels * 3);
    const std::uint8_t* in = premultiplied.pixels.data();
    for (std::size_t i = 0; i < pixels; ++i, in += 4) {
        const unsigned alpha = in[3];
        for (int k = 0; k < 3; ++k) {
            const unsigned v = alpha == 0 || alpha == 255 ? in[k] : std::min(255u, 255u * in[k] / alpha);
            out.pixels[i * 3 + std::size_t(k)] = float(v);
        }
    }
    return out;
}

}  // namespace acg2vec::detail
