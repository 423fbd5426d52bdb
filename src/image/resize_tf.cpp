// TensorFlow's bilinear resize with align_corners=true and no half-pixel centres
// (tf.image.resize_bilinear / tfjs resizeBilinear(x, size, true)): corners map to corners,
// no antialiasing, float output.
#include <algorithm>
#include <cmath>

#include "image/resample.hpp"

namespace acg2vec::detail {
namespace {

struct LinearTap {
    int lo, hi;
    double frac;
};

std::vector<LinearTap> linear_taps(int in_size, int out_size) {
    const double ratio = out_size > 1 ? double(in_size - 1) / (out_size - 1) : double(in_size) / out_size;
    std::vector<LinearTap> taps(out_size);
    for (int o = 0; o < out_size; ++o) {
        double source = ratio * o;
        int lo = int(std::floor(source));
        int hi = std::min(in_size - 1, int(std::ceil(source)));
        lo = std::min(lo, in_size - 1);
        taps[o] = {lo, hi, source - lo};
    }
    return taps;
}

}  // namespace

FloatImage resize_tf_bilinear_align_corners(const Image& image, int width, int height) {
    FloatImage out{width, height, image.channels, {}};
    out.pixels.resize(std::size_t(width) * height * image.channels);
    const auto xs = linear_taps(image.width, width);
    const auto ys = linear_taps(image.height, height);
    const int c = image.channels;
    for (int y = 0; y < height; ++y) {
        const std::uint8_t* top = image.pixels.data() + image.row_bytes() * ys[y].lo;
        const std::uint8_t* bottom = image.pixels.data() + image.row_bytes() * ys[y].hi;
        float* dst = out.row(y);
        for (int x = 0; x < width; ++x) {
            const LinearTap& tx = xs[x];
            for (int ch = 0; ch < c; ++ch) {
                double tl = top[tx.lo * c + ch], tr = top[tx.hi * c + ch];
                double bl = bottom[tx.lo * c + ch], br = bottom[tx.hi * c + ch];
                double t = tl + (tr - tl) * tx.frac;
                double b = bl + (br - bl) * tx.frac;
                dst[x * c + ch] = float(t + (b - t) * ys[y].frac);
            }
        }
    }
    return out;
}

}  // namespace acg2vec::detail
