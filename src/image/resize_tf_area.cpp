// TensorFlow's area resize (tf.image.resize(method=AREA), the ResizeArea op without
// align_corners), as DeepDanbooru uses it: each output pixel is the mean of the input area it
// covers, an input pixel weighted by the fraction of it inside that area. No filter support
// beyond the area itself, so enlarging repeats pixels (blending two only where a boundary
// falls inside an input pixel).
//
// The arithmetic is TensorFlow's float32 in TensorFlow's order (per input row: the covered
// pixels summed left to right, first and last weighted; the rows accumulated top to bottom;
// the total multiplied by 1 / (x scale * y scale)), so results equal TensorFlow's rather
// than only come close.
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "image/resample.hpp"

namespace acg2vec::detail {
namespace {

// Output cell o covers input [lo, hi) = [o * scale, (o + 1) * scale): cells start..end-1.
struct AreaSpan {
    float lo, hi;
    std::int64_t start, end;
    float start_weight, last_weight;  // covered fractions of cells start and end - 1
};

// How much of input cell v lies inside [lo, hi), as TensorFlow computes it.
float covered(std::int64_t v, float lo, float hi, float scale) {
    if (float(v) < lo) return float(v + 1) > hi ? scale : float(v + 1) - lo;
    return float(v + 1) > hi ? hi - float(v) : 1.0f;
}

std::vector<AreaSpan> area_spans(int first, int count, float scale) {
    std::vector<AreaSpan> spans(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) {
        const std::int64_t o = first + i;
        AreaSpan& s = spans[std::size_t(i)];
        s.lo = float(o) * scale;
        s.hi = float(o + 1) * scale;
        s.start = std::int64_t(std::floor(s.lo));
        s.end = std::int64_t(std::ceil(s.hi));
        s.start_weight = covered(s.start, s.lo, s.hi, scale);
        s.last_weight = covered(s.end - 1, s.lo, s.hi, scale);
    }
    return spans;
}

// float rounding can put a span's last cell one past the input: TensorFlow clamps it.
std::size_t clamped(std::int64_t v, int size) {
    return std::size_t(std::min<std::int64_t>(size - 1, std::max<std::int64_t>(0, v)));
}

}  // namespace

FloatImage resize_tf_area(const RowSource& source, int full_width, int full_height, const Window& window) {
    const int c = source.channels();
    const float x_scale = float(source.width()) / float(full_width);
    const float y_scale = float(source.height()) / float(full_height);
    const std::vector<AreaSpan> xs = area_spans(window.x, window.width, x_scale);
    const std::vector<AreaSpan> ys = area_spans(window.y, window.height, y_scale);
    {
        // Every output row reads the rows its span covers and sums the window's column spans.
        double cells_per_row = 0, rows_read = 0;
        for (const AreaSpan& s : xs) cells_per_row += double(s.end - s.start);
        for (const AreaSpan& s : ys) rows_read += double(s.end - s.start);
        const double out_values = double(window.width) * window.height * c;
        check_resize_cost(source, full_width, full_height,
                          rows_read * (double(source.row_fetch_bytes()) + cells_per_row * c) + out_values,
                          4.0 * (out_values + 2.0 * window.width * c));
    }
    const float normaliser = float(1.0 / double(y_scale * x_scale));
    FloatImage out{window.width, window.height, c, {}};
    out.pixels.resize(std::size_t(window.width) * window.height * c);
    std::vector<float> sums(std::size_t(window.width) * c);
    std::vector<std::uint8_t> scratch;
    for (int y = 0; y < window.height; ++y) {
        const AreaSpan& sy = ys[std::size_t(y)];
        std::fill(sums.begin(), sums.end(), 0.0f);
        for (std::int64_t i = sy.start; i < sy.end; ++i) {
            const float row_weight = covered(i, sy.lo, sy.hi, y_scale);
            const std::uint8_t* row = source.row(int(clamped(i, source.height())), scratch);
            for (int x = 0; x < window.width; ++x) {
                const AreaSpan& sx = xs[std::size_t(x)];
                for (int ch = 0; ch < c; ++ch) {
                    auto at = [&](std::int64_t v) { return float(row[clamped(v, source.width()) * c + ch]); };
                    float row_sum = at(sx.start) * sx.start_weight;
                    if (sx.start + 1 != sx.end) {
                        for (std::int64_t v = sx.start + 1; v < sx.end - 1; ++v) row_sum += at(v);
                        row_sum += at(sx.end - 1) * sx.last_weight;
                    }
                    sums[std::size_t(x) * c + ch] += row_sum * row_weight;
                }
            }
        }
        float* dst = out.row(y);
        for (std::size_t k = 0; k < sums.size(); ++k) dst[k] = sums[k] * normaliser;
    }
    return out;
}

}  // namespace acg2vec::detail
