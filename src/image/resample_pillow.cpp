// Pillow's resampling (Image.resize, Pillow 9): a separable convolution whose kernel is
// stretched by the scale factor when downscaling (antialiasing), with weights normalised
// per output pixel and applied in 8-bit fixed point, horizontal pass first. NEAREST is
// Pillow's affine nearest-neighbour mapping instead. Written from that description.
#include <algorithm>
#include <cmath>

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

// For each output position: the first input index and fixed-point weights of its taps.
struct Taps {
    int count = 0;                 // taps per output position (row stride of `weights`)
    std::vector<int> first;        // first input index
    std::vector<int> used;         // taps actually used (<= count)
    std::vector<int> weights;      // count per output position
};

Taps compute_taps(int in_size, int out_size, const Filter& filter) {
    const double scale = double(in_size) / out_size;
    const double filter_scale = std::max(scale, 1.0);
    const double support = filter.support * filter_scale;
    Taps taps;
    taps.count = int(std::ceil(support)) * 2 + 1;
    taps.first.resize(out_size);
    taps.used.resize(out_size);
    taps.weights.assign(std::size_t(out_size) * taps.count, 0);
    const double inverse_scale = 1.0 / filter_scale;  // multiplied, not divided: same bits as Pillow
    std::vector<double> w(taps.count);
    for (int o = 0; o < out_size; ++o) {
        const double center = (o + 0.5) * scale;
        int lo = std::max(int(center - support + 0.5), 0);
        int hi = std::min(int(center + support + 0.5), in_size);
        int n = std::min(hi - lo, taps.count);
        double total = 0.0;
        for (int i = 0; i < n; ++i) {
            w[i] = filter.weight((i + lo - center + 0.5) * inverse_scale);
            total += w[i];
        }
        int* fixed = &taps.weights[std::size_t(o) * taps.count];
        for (int i = 0; i < n; ++i) {
            double v = total != 0.0 ? w[i] / total : w[i];
            // Round half away from zero, as a C cast after adding +-0.5 does.
            fixed[i] = int(v * (1 << kPrecisionBits) + (v < 0.0 ? -0.5 : 0.5));
        }
        taps.first[o] = lo;
        taps.used[o] = n;
    }
    return taps;
}

std::uint8_t to_byte(int fixed_sum) {
    int v = fixed_sum >> kPrecisionBits;  // arithmetic shift: floor division
    return static_cast<std::uint8_t>(v < 0 ? 0 : (v > 255 ? 255 : v));
}

Image resample_horizontal(const Image& in, int out_width, const Taps& taps) {
    Image out{out_width, in.height, in.channels, {}, in.source_format};
    out.pixels.resize(out.row_bytes() * std::size_t(out.height));
    const int c = in.channels;
    for (int y = 0; y < in.height; ++y) {
        const std::uint8_t* src = in.pixels.data() + in.row_bytes() * y;
        std::uint8_t* dst = out.pixels.data() + out.row_bytes() * y;
        for (int x = 0; x < out_width; ++x) {
            const int* k = &taps.weights[std::size_t(x) * taps.count];
            const std::uint8_t* s = src + std::size_t(taps.first[x]) * c;
            for (int ch = 0; ch < c; ++ch) {
                int sum = 1 << (kPrecisionBits - 1);
                for (int i = 0; i < taps.used[x]; ++i) sum += s[i * c + ch] * k[i];
                dst[x * c + ch] = to_byte(sum);
            }
        }
    }
    return out;
}

Image resample_vertical(const Image& in, int out_height, const Taps& taps) {
    Image out{in.width, out_height, in.channels, {}, in.source_format};
    out.pixels.resize(out.row_bytes() * std::size_t(out.height));
    const std::size_t row = in.row_bytes();
    for (int y = 0; y < out_height; ++y) {
        const int* k = &taps.weights[std::size_t(y) * taps.count];
        const std::uint8_t* src = in.pixels.data() + row * taps.first[y];
        std::uint8_t* dst = out.pixels.data() + out.row_bytes() * y;
        for (std::size_t i = 0; i < row; ++i) {
            int sum = 1 << (kPrecisionBits - 1);
            for (int t = 0; t < taps.used[y]; ++t) sum += src[t * row + i] * k[t];
            dst[i] = to_byte(sum);
        }
    }
    return out;
}

// Pillow maps output pixel centres through an affine transform and truncates; the
// position advances by repeated addition, which we keep so boundaries round alike.
std::vector<int> nearest_sources(int in_size, int out_size) {
    std::vector<int> source(out_size);
    const double step = double(in_size) / out_size;
    double position = step * 0.5;
    for (int o = 0; o < out_size; ++o) {
        int s = position < 0.0 ? -1 : int(position);
        source[o] = std::min(std::max(s, 0), in_size - 1);
        position += step;
    }
    return source;
}

Image resample_nearest(const Image& in, int width, int height) {
    Image out{width, height, in.channels, {}, in.source_format};
    out.pixels.resize(out.row_bytes() * std::size_t(height));
    std::vector<int> xs = nearest_sources(in.width, width), ys = nearest_sources(in.height, height);
    const int c = in.channels;
    for (int y = 0; y < height; ++y) {
        const std::uint8_t* src = in.pixels.data() + in.row_bytes() * ys[y];
        std::uint8_t* dst = out.pixels.data() + out.row_bytes() * y;
        for (int x = 0; x < width; ++x) {
            for (int ch = 0; ch < c; ++ch) dst[x * c + ch] = src[xs[x] * c + ch];
        }
    }
    return out;
}

}  // namespace

Image resample_like_pillow(const Image& image, int width, int height, Interpolation interpolation) {
    if (width == image.width && height == image.height) return image;
    if (interpolation == Interpolation::nearest) return resample_nearest(image, width, height);
    const Filter filter = filter_for(interpolation);
    Image result = image;
    if (width != image.width) result = resample_horizontal(result, width, compute_taps(image.width, width, filter));
    if (height != image.height) result = resample_vertical(result, height, compute_taps(image.height, height, filter));
    return result;
}

}  // namespace acg2vec::detail
