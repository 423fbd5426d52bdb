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

// Taps of outputs [first, first + count) of an in_size -> out_size resize.
std::vector<LinearTap> linear_taps(int in_size, int out_size, int first, int count) {
    const double ratio = out_size > 1 ? double(in_size - 1) / (out_size - 1) : double(in_size) / out_size;
    std::vector<LinearTap> taps(count);
    for (int i = 0; i < count; ++i) {
        const int o = first + i;
        double source = ratio * o;
        int lo = int(std::floor(source));
        int hi = std::min(in_size - 1, int(std::ceil(source)));
        lo = std::min(lo, in_size - 1);
        taps[i] = {lo, hi, source - lo};
    }
    return taps;
}

}  // namespace

FloatImage resize_tf_bilinear_align_corners(const RowSource& source, int full_width, int full_height,
                                            const Window& window) {
    const int c = source.channels();
    // Two source rows per output row; a virtual canvas builds each one whole.
    const double out_values = double(window.width) * window.height * c;
    check_resize_cost(source, full_width, full_height,
                      2.0 * window.height * double(source.row_fetch_bytes()) + 8.0 * out_values, 4.0 * out_values);
    FloatImage out{window.width, window.height, c, {}};
    out.pixels.resize(std::size_t(window.width) * window.height * c);
    const auto xs = linear_taps(source.width(), full_width, window.x, window.width);
    const auto ys = linear_taps(source.height(), full_height, window.y, window.height);
    std::vector<std::uint8_t> top_scratch, bottom_scratch;
    for (int y = 0; y < window.height; ++y) {
        const LinearTap& ty = ys[y];
        const std::uint8_t* top = source.row(ty.lo, top_scratch);
        const std::uint8_t* bottom = source.row(ty.hi, bottom_scratch);
        float* dst = out.row(y);
        for (int x = 0; x < window.width; ++x) {
            const LinearTap& tx = xs[x];
            for (int ch = 0; ch < c; ++ch) {
                double tl = top[tx.lo * c + ch], tr = top[tx.hi * c + ch];
                double bl = bottom[tx.lo * c + ch], br = bottom[tx.hi * c + ch];
                double t = tl + (tr - tl) * tx.frac;
                double b = bl + (br - bl) * tx.frac;
                dst[x * c + ch] = float(t + (b - t) * ty.frac);
            }
        }
    }
    return out;
}

}  // namespace acg2vec::detail
