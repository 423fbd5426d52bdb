// to_rgb and RgbRows: every decoded image becomes 3-channel RGB before geometry, whole or a row
// at a time. Transparent pixels are
// composited over the model's background with Pillow's alpha_composite arithmetic
// (7 fractional bits, divide by 255 via shifts) so results equal Pillow's to the bit.
#include "acg2vec/error.hpp"
#include "acg2vec/preprocess.hpp"
#include "image/row_source.hpp"

namespace acg2vec {
namespace {

std::uint8_t over_opaque(int source, int alpha, int background) {
    if (alpha == 0) return static_cast<std::uint8_t>(background);
    int mixed = 128 * (source * alpha + background * (255 - alpha)) + (0x80 << 7);
    int divided = ((mixed >> 8) + mixed) >> 8;  // ~ mixed / 255
    return static_cast<std::uint8_t>(divided >> 7);
}

}  // namespace

namespace detail {

void row_to_rgb(const std::uint8_t* row, int width, int channels, AlphaMode mode, Rgb background, std::uint8_t* out) {
    const bool gray = channels <= 2;
    const bool composite = (channels == 2 || channels == 4) && mode == AlphaMode::composite;
    const std::uint8_t bg[3] = {background.r, background.g, background.b};
    for (int x = 0; x < width; ++x, row += channels, out += 3) {
        for (int k = 0; k < 3; ++k) {
            const std::uint8_t v = gray ? row[0] : row[k];
            out[k] = composite ? over_opaque(v, row[channels - 1], bg[k]) : v;
        }
    }
}

RgbRows::RgbRows(const Image& image, AlphaMode mode, Rgb background)
    : RowSource(image.width, image.height, 3), image_(image), mode_(mode), background_(background) {
    if (image.channels < 1 || image.channels > 4 ||
        image.pixels.size() != image.row_bytes() * std::size_t(image.height)) {
        throw Error(ErrorCode::invalid_argument, "to_rgb: image buffer does not match its size and channels");
    }
}

const std::uint8_t* RgbRows::row(int y, std::vector<std::uint8_t>& scratch) const {
    const std::uint8_t* stored = image_.pixels.data() + image_.row_bytes() * std::size_t(y);
    if (image_.channels == 3) return stored;
    scratch.resize(std::size_t(width()) * 3);
    row_to_rgb(stored, width(), image_.channels, mode_, background_, scratch.data());
    return scratch.data();
}

}  // namespace detail

Image to_rgb(const Image& image, AlphaMode mode, Rgb background) {
    const detail::RgbRows rows(image, mode, background);
    if (image.channels == 3) return image;
    Image out{image.width, image.height, 3, {}, image.source_format};
    out.pixels.resize(std::size_t(image.width) * image.height * 3);
    for (int y = 0; y < image.height; ++y) {
        detail::row_to_rgb(image.pixels.data() + image.row_bytes() * std::size_t(y), image.width, image.channels, mode,
                           background, out.pixels.data() + out.row_bytes() * std::size_t(y));
    }
    return out;
}

}  // namespace acg2vec
