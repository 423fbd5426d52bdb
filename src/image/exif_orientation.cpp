// EXIF Orientation: find tag 0x0112 in IFD0 of the TIFF structure inside APP1, and
// turn the pixels upright (the eight cases of the EXIF 2.3 spec, section 4.6.4).
#include <cstring>
#include <vector>

#include "image/decoders.hpp"

namespace acg2vec::detail {

int exif_orientation(const std::uint8_t* app1, std::size_t size) noexcept {
    const std::uint8_t header[6] = {'E', 'x', 'i', 'f', 0, 0};
    if (size < 14 || std::memcmp(app1, header, 6) != 0) return 1;
    const std::uint8_t* tiff = app1 + 6;
    std::size_t n = size - 6;
    bool little = tiff[0] == 'I' && tiff[1] == 'I';
    if (!little && !(tiff[0] == 'M' && tiff[1] == 'M')) return 1;
    auto u16 = [&](std::size_t at) -> std::uint32_t {
        return little ? tiff[at] | (tiff[at + 1] << 8) : (tiff[at] << 8) | tiff[at + 1];
    };
    auto u32 = [&](std::size_t at) -> std::uint32_t {
        return little ? u16(at) | (u16(at + 2) << 16) : (u16(at) << 16) | u16(at + 2);
    };
    std::size_t ifd = u32(4);
    if (ifd + 2 > n) return 1;
    std::uint32_t entries = u16(ifd);
    for (std::uint32_t i = 0; i < entries; ++i) {
        std::size_t entry = ifd + 2 + std::size_t(i) * 12;
        if (entry + 12 > n) return 1;
        if (u16(entry) == 0x0112 && u16(entry + 2) == 3 /* SHORT */) {
            std::uint32_t value = u16(entry + 8);
            return value >= 1 && value <= 8 ? int(value) : 1;
        }
    }
    return 1;
}

void apply_exif_orientation(Image& image, int orientation) {
    if (orientation <= 1 || orientation > 8) return;
    const int w = image.width, h = image.height, c = image.channels;
    // Orientations 5..8 swap the axes.
    const bool transpose = orientation >= 5;
    const int out_w = transpose ? h : w, out_h = transpose ? w : h;
    std::vector<std::uint8_t> out(image.pixels.size());
    for (int y = 0; y < out_h; ++y) {
        for (int x = 0; x < out_w; ++x) {
            int sx = 0, sy = 0;  // where the upright pixel (x, y) is stored
            switch (orientation) {
                case 2:
                    sx = w - 1 - x;
                    sy = y;
                    break;
                case 3:
                    sx = w - 1 - x;
                    sy = h - 1 - y;
                    break;
                case 4:
                    sx = x;
                    sy = h - 1 - y;
                    break;
                case 5:
                    sx = y;
                    sy = x;
                    break;
                case 6:
                    sx = y;
                    sy = h - 1 - x;
                    break;
                case 7:
                    sx = w - 1 - y;
                    sy = h - 1 - x;
                    break;
                case 8:
                    sx = w - 1 - y;
                    sy = x;
                    break;
            }
            const std::uint8_t* src = &image.pixels[(std::size_t(sy) * w + sx) * c];
            std::uint8_t* dst = &out[(std::size_t(y) * out_w + x) * c];
            for (int k = 0; k < c; ++k) dst[k] = src[k];
        }
    }
    image.pixels.swap(out);
    image.width = out_w;
    image.height = out_h;
}

}  // namespace acg2vec::detail
