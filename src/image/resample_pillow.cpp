// Pillow's resampling (Image.resize, Pillow 9): a separable convolution whose kernel is
// stretched by the scale factor when downscaling (antialiasing), with weights normalised
// per output pixel and applied in 8-bit fixed point, horizontal pass first. NEAREST is
// Pillow's affine nearest-neighbour mapping instead. Written from that description.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>

#include "acg2vec/error.hpp"
#include "image/resample.hpp"

namespace acg2vec::detail {
namespace {

constexpr double kPi = 3.14159265358979323846;
// Fixed-point weights: 32 bits minus 8 for the pixel and 2 for headroom.
constexpr int kPrecisionBits = 22;

double sinc(double x) {
    if (x == 0.0) return 1.0;
    x *= kPi;
    return std::sin(x) / x;
}

struct Filter {
    double support;
    double (*weight)(double);
};

double box_weight(double x) { return (x > -0.5 && x <= 0.5) ? 1.0 : 0.0; }
double bilinear_weight(double x) {
    x = std::fabs(x);
    return x < 1.0 ? 1.0 - x : 0.0;
}
double hamming_weight(double x) {
    x = std::fabs(x);
    if (x == 0.0) return 1.0;
    if (x >= 1.0) return 0.0;
    x *= kPi;
    return std::sin(x) / x * (0.54f + 0.46f * std::cos(x));  // float constants, as Pillow has them
}
double bicubic_weight(double x) {  // Keys cubic with a = -0.5
    constexpr double a = -0.5;
    x = std::fabs(x);
    if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1.0;
    if (x < 2.0) return (((x - 5.0) * x + 8.0) * x - 4.0) * a;
    return 0.0;
}
double lanczos_weight(double x) { return (x >= -3.0 && x < 3.0) ? sinc(x) * sinc(x / 3.0) : 0.0; }

Filter filter_for(Interpolation interpolation) {
    switch (interpolation) {
        case Interpolation::box: return {0.5, box_weight};
        case Interpolation::bilinear: return {1.0, bilinear_weight};
        case Interpolation::hamming: return {1.0, hamming_weight};
        case Interpolation::bicubic: return {2.0, bicubic_weight};
        case Interpolation::lanczos: return {3.0, lanczos_weight};
        default: break;
    }
    throw Error(ErrorCode::invalid_argument, "resample: not a Pillow convolution filter");
}

// For output positions [first, first + count) of an in_size -> out_size resize: the first
// input index and the fixed-point weights of each position's taps.
struct Taps {
    int count = 0;             // taps per output position (row stride of `weights`)
    std::vector<int> first;    // first input index
    std::vector<int> used;     // taps actually used (<= count)
    std::vector<int> weights;  // `count` per output position
};

// Taps per output position of an in_size -> out_size resize (Taps::count), in double so
// that absurd sizes can be weighed before anything is allocated.
double tap_count(int in_size, int out_size, const Filter& filter) {
    return std::ceil(filter.support * std::max(double(in_size) / out_size, 1.0)) * 2 + 1;
}

Taps compute_taps(int in_size, int out_size, int first_out, int count_out, const Filter& filter) {
    const double scale = double(in_size) / out_size;
    const double filter_scale = std::max(scale, 1.0);
    const double support = filter.support * filter_scale;
    const double inverse_scale = 1.0 / filter_scale;  // multiplied, not divided: same bits as Pillow
    Taps taps;
    taps.count = int(tap_count(in_size, out_size, filter));
    taps.first.resize(count_out);
    taps.used.resize(count_out);
    taps.weights.assign(std::size_t(count_out) * taps.count, 0);
    std::vector<double> w(taps.count);
    for (int i_out = 0; i_out < count_out; ++i_out) {
        const double center = (first_out + i_out + 0.5) * scale;
        int lo = std::max(int(center - support + 0.5), 0);
        int hi = std::min(int(center + support + 0.5), in_size);
        int n = std::min(hi - lo, taps.count);
        double total = 0.0;
        for (int i = 0; i < n; ++i) {
            w[i] = filter.weight((i + lo - center + 0.5) * inverse_scale);
            total += w[i];
        }
        int* fixed = &taps.weights[std::size_t(i_out) * taps.count];
        for (int i = 0; i < n; ++i) {
            double v = total != 0.0 ? w[i] / total : w[i];
            // Round half away from zero, as a C cast after adding +-0.5 does.
            fixed[i] = int(v * (1 << kPrecisionBits) + (v < 0.0 ? -0.5 : 0.5));
        }
        taps.first[i_out] = lo;
        taps.used[i_out] = n;
    }
    return taps;
}

std::uint8_t to_byte(int fixed_sum) {
    int v = fixed_sum >> kPrecisionBits;  // arithmetic shift: floor division
    return static_cast<std::uint8_t>(v < 0 ? 0 : (v > 255 ? 255 : v));
}

// One row through the horizontal taps (or copied, when the width does not change).
void resample_row(const std::uint8_t* src, std::uint8_t* dst, int channels, const Taps* taps, const Window& window) {
    if (taps == nullptr) {
        std::memcpy(dst, src + std::size_t(window.x) * channels, std::size_t(window.width) * channels);
        return;
    }
    for (int x = 0; x < window.width; ++x) {
        const int* k = &taps->weights[std::size_t(x) * taps->count];
        const std::uint8_t* s = src + std::size_t(taps->first[x]) * channels;
        for (int ch = 0; ch < channels; ++ch) {
            int sum = 1 << (kPrecisionBits - 1);
            for (int i = 0; i < taps->used[x]; ++i) sum += s[i * channels + ch] * k[i];
            dst[x * channels + ch] = to_byte(sum);
        }
    }
}

// Pillow maps output pixel centres through an affine transform and truncates; the
// position advances by repeated addition, which we keep so boundaries round alike.
// Returns the sources of outputs [first, first + count).
std::vector<int> nearest_sources(int in_size, int out_size, int first, int count) {
    std::vector<int> source(count);
    const double step = double(in_size) / out_size;
    double position = step * 0.5;
    for (int o = 0; o < first + count; ++o) {
        if (o >= first) {
            int s = position < 0.0 ? -1 : int(position);
            source[o - first] = std::min(std::max(s, 0), in_size - 1);
        }
        position += step;
    }
    return source;
}

Image resample_nearest(const RowSource& in, int full_width, int full_height, const Window& window) {
    const int c = in.channels();
    const double out_bytes = double(window.width) * window.height * c;
    check_resize_cost(in, full_width, full_height, double(window.height) * double(in.row_fetch_bytes()) + out_bytes,
                      out_bytes);
    Image out{window.width, window.height, c, {}, ImageFormat::unknown};
    out.pixels.resize(out.row_bytes() * std::size_t(window.height));
    const std::vector<int> xs = nearest_sources(in.width(), full_width, window.x, window.width);
    const std::vector<int> ys = nearest_sources(in.height(), full_height, window.y, window.height);
    std::vector<std::uint8_t> scratch;
    for (int y = 0; y < window.height; ++y) {
        const std::uint8_t* src = in.row(ys[y], scratch);
        std::uint8_t* dst = out.pixels.data() + out.row_bytes() * y;
        for (int x = 0; x < window.width; ++x) {
            std::memcpy(dst + std::size_t(x) * c, src + std::size_t(xs[x]) * c, c);
        }
    }
    return out;
}

}  // namespace

Image resample_like_pillow(const RowSource& in, int full_width, int full_height, const Window& window,
                           Interpolation interpolation) {
    if (interpolation == Interpolation::nearest && (full_width != in.width() || full_height != in.height())) {
        return resample_nearest(in, full_width, full_height, window);
    }
    const Filter filter = filter_for(interpolation == Interpolation::nearest ? Interpolation::box : interpolation);
    const int c = in.channels();
    {
        // Weighed before any tap or row buffer exists: the horizontal pass reads every input
        // row the vertical taps reach (all of them when shrinking), the vertical pass reads
        // its taps' rows for every output row.
        const bool resize_x = full_width != in.width(), resize_y = full_height != in.height();
        const double th = resize_x ? tap_count(in.width(), full_width, filter) : 0.0;
        const double tv = resize_y ? tap_count(in.height(), full_height, filter) : 0.0;
        const double rows = resize_y ? double(in.height()) : double(window.height);
        const double row_bytes = double(window.width) * c;
        const double work = rows * (double(in.row_fetch_bytes()) + (resize_x ? row_bytes * th : row_bytes)) +
                            double(window.height) * tv * row_bytes;
        const double buffer = rows * row_bytes + 4.0 * (double(window.width) * th + double(window.height) * tv);
        check_resize_cost(in, full_width, full_height, work, buffer);
    }
    // Horizontal pass first, as Pillow does, over only the input rows the vertical pass reads.
    std::optional<Taps> horizontal, vertical;
    if (full_width != in.width()) horizontal = compute_taps(in.width(), full_width, window.x, window.width, filter);
    int row_begin = window.y, row_end = window.y + window.height;
    if (full_height != in.height()) {
        vertical = compute_taps(in.height(), full_height, window.y, window.height, filter);
        row_begin = vertical->first.front();
        row_end = vertical->first.back() + vertical->used.back();  // both grow with the output index
    }
    const std::size_t row_bytes = std::size_t(window.width) * c;
    std::vector<std::uint8_t> rows(row_bytes * std::size_t(row_end - row_begin));
    std::vector<std::uint8_t> scratch;
    for (int y = row_begin; y < row_end; ++y) {
        resample_row(in.row(y, scratch), rows.data() + row_bytes * std::size_t(y - row_begin), c,
                     horizontal ? &*horizontal : nullptr, window);
    }
    Image out{window.width, window.height, c, {}, ImageFormat::unknown};
    if (!vertical) {
        out.pixels = std::move(rows);
        return out;
    }
    out.pixels.resize(row_bytes * std::size_t(window.height));
    for (int y = 0; y < window.height; ++y) {
        const int* k = &vertical->weights[std::size_t(y) * vertical->count];
        const std::uint8_t* src = rows.data() + row_bytes * std::size_t(vertical->first[y] - row_begin);
        std::uint8_t* dst = out.pixels.data() + row_bytes * y;
        for (std::size_t i = 0; i < row_bytes; ++i) {
            int sum = 1 << (kPrecisionBits - 1);
            for (int t = 0; t < vertical->used[y]; ++t) sum += src[t * row_bytes + i] * k[t];
            dst[i] = to_byte(sum);
        }
    }
    return out;
}

}  // namespace acg2vec::detail
