// preprocess_image: RGB -> geometry (resize, pad, crop as the spec's mode says) -> tensor.
// Geometry follows each reference pipeline's order, because rounding depends on it:
// WD14 pads before resizing, CLIP resizes before cropping, DeepDanbooru resizes then pads.
#include <algorithm>
#include <cmath>
#include <utility>

#include "acg2vec/error.hpp"
#include "acg2vec/preprocess.hpp"
#include "image/premultiplied_alpha.hpp"
#include "image/resample.hpp"

namespace acg2vec {
namespace {

using detail::FloatImage;
using detail::ImageRows;
using detail::PlacedRows;
using detail::RgbRows;
using detail::RowSource;
using detail::Window;

// Places `src` on a dw x dh canvas at (ox, oy); the rest is the pad colour or edge pixels.
FloatImage place_float(const FloatImage& src, int dw, int dh, int ox, int oy, const PreprocessSpec& spec) {
    FloatImage out{dw, dh, 3, std::vector<float>(std::size_t(dw) * dh * 3)};
    const float fill[3] = {float(spec.pad_color.r), float(spec.pad_color.g), float(spec.pad_color.b)};
    for (int y = 0; y < dh; ++y) {
        const int sy = std::min(std::max(y - oy, 0), src.height - 1);
        const bool row_inside = y - oy >= 0 && y - oy < src.height;
        for (int x = 0; x < dw; ++x) {
            const int sx = std::min(std::max(x - ox, 0), src.width - 1);
            const bool inside = row_inside && x - ox >= 0 && x - ox < src.width;
            const float* s = src.row(sy) + std::size_t(sx) * 3;
            float* d = out.row(y) + std::size_t(x) * 3;
            for (int c = 0; c < 3; ++c) d[c] = (inside || spec.pad_mode == PadMode::edge) ? s[c] : fill[c];
        }
    }
    return out;
}

// One axis of PadPlacement::exact: output index o reads source position o - offset, which
// lies `frac` (0 or 0.5) past source index `lo`.
struct SubpixelTap {
    int lo;
    float frac;
};

std::vector<SubpixelTap> subpixel_taps(int out_size, double offset) {
    std::vector<SubpixelTap> taps(static_cast<std::size_t>(out_size));
    for (int o = 0; o < out_size; ++o) {
        const double u = o - offset;
        const double lo = std::floor(u);
        taps[std::size_t(o)] = {int(lo), float(u - lo)};
    }
    return taps;
}

// `src` centred on a dw x dh canvas at exactly ((dw - w) / 2, (dh - h) / 2), sampled as
// skimage.transform.warp(order=1) samples: bilinear between the four neighbours, each beyond
// the border being the nearest edge pixel (pad_mode edge) or the pad colour (constant).
FloatImage place_float_exact(const FloatImage& src, int dw, int dh, const PreprocessSpec& spec) {
    const auto xs = subpixel_taps(dw, (dw - src.width) / 2.0);
    const auto ys = subpixel_taps(dh, (dh - src.height) / 2.0);
    const float fill[3] = {float(spec.pad_color.r), float(spec.pad_color.g), float(spec.pad_color.b)};
    auto pixel = [&](int x, int y) -> const float* {
        const bool inside = x >= 0 && x < src.width && y >= 0 && y < src.height;
        if (!inside && spec.pad_mode == PadMode::constant) return fill;
        return src.row(std::min(std::max(y, 0), src.height - 1)) +
               std::size_t(std::min(std::max(x, 0), src.width - 1)) * 3;
    };
    FloatImage out{dw, dh, 3, std::vector<float>(std::size_t(dw) * dh * 3)};
    for (int y = 0; y < dh; ++y) {
        const SubpixelTap ty = ys[std::size_t(y)];
        for (int x = 0; x < dw; ++x) {
            const SubpixelTap tx = xs[std::size_t(x)];
            const float *tl = pixel(tx.lo, ty.lo), *tr = pixel(tx.lo + 1, ty.lo);
            const float *bl = pixel(tx.lo, ty.lo + 1), *br = pixel(tx.lo + 1, ty.lo + 1);
            float* d = out.row(y) + std::size_t(x) * 3;
            for (int c = 0; c < 3; ++c) {
                // Whole-pixel positions read one pixel: a zero weight on a neighbour must not
                // bring in anything (it may be past the canvas of a one-pixel image).
                const float top = tx.frac == 0.0f ? tl[c] : (1.0f - tx.frac) * tl[c] + tx.frac * tr[c];
                const float bottom = tx.frac == 0.0f ? bl[c] : (1.0f - tx.frac) * bl[c] + tx.frac * br[c];
                d[c] = ty.frac == 0.0f ? top : (1.0f - ty.frac) * top + ty.frac * bottom;
            }
        }
    }
    return out;
}

// What the geometry resizes: the image's RGB rows and, for AlphaMode::ignore_after_resize on an
// image with alpha, its premultiplied RGBA rows, which Pillow's filters resize instead.
struct Source {
    const RowSource& rgb;
    const RowSource* premultiplied = nullptr;

    int width() const { return rgb.width(); }
    int height() const { return rgb.height(); }
};

// `window` of `source` resized to full_width x full_height, as floats in 0..255.
FloatImage resize_window(const Source& source, int full_width, int full_height, const Window& window,
                         Interpolation interpolation) {
    if (interpolation == Interpolation::tf_bilinear_align_corners) {
        return detail::resize_tf_bilinear_align_corners(source.rgb, full_width, full_height, window);
    }
    if (interpolation == Interpolation::tf_area) {
        return detail::resize_tf_area(source.rgb, full_width, full_height, window);
    }
    // As Pillow's Image.resize: an unchanged size is a copy, and nearest never premultiplies.
    const bool size_changes = full_width != source.width() || full_height != source.height();
    if (source.premultiplied != nullptr && size_changes && interpolation != Interpolation::nearest) {
        return detail::unpremultiplied_rgb(
            detail::resample_like_pillow(*source.premultiplied, full_width, full_height, window, interpolation));
    }
    Image resized = detail::resample_like_pillow(source.rgb, full_width, full_height, window, interpolation);
    return FloatImage{window.width, window.height, 3, std::vector<float>(resized.pixels.begin(), resized.pixels.end())};
}

FloatImage resize_whole(const Source& source, int width, int height, Interpolation interpolation) {
    return resize_window(source, width, height, Window{0, 0, width, height}, interpolation);
}

// Python's round(): halves go to the even neighbour (torchvision's centre crop uses it).
int round_half_even(double v) { return int(std::nearbyint(v)); }

// Sizes past this are refused: they come only from absurd aspect ratios (1 x 65000 images).
constexpr std::int64_t kMaxResizedSide = 1 << 24;

int checked_side(std::int64_t side) {
    if (side > kMaxResizedSide) {
        throw Error(ErrorCode::image_too_large,
                    "preprocess: aspect ratio too extreme (a side would be resized to " + std::to_string(side) + ")");
    }
    return int(std::max<std::int64_t>(1, side));
}

// torchvision Resize(s) + CenterCrop(W, H): shorter side to s, the longer truncated
// proportionally, centre crop with offsets rounded half to even (or floored, as transformers
// does: spec.crop_rounding). Only the crop is resized.
// A crop larger than the resized image is centred on the pad colour (torchvision pads with 0).
FloatImage shorter_side_then_crop(const Source& source, const PreprocessSpec& spec) {
    const int w = source.width(), h = source.height(), W = spec.width, H = spec.height;
    const std::int64_t s = spec.shorter_side > 0 ? spec.shorter_side : std::min(W, H);
    const int nw = w <= h ? int(s) : checked_side(s * w / h);
    const int nh = w <= h ? checked_side(s * h / w) : int(s);
    Window window{0, 0, std::min(nw, W), std::min(nh, H)};
    auto offset = [&](int excess) {
        return spec.crop_rounding == CropRounding::floor ? excess / 2 : round_half_even(excess / 2.0);
    };
    if (nw >= W) window.x = offset(nw - W);
    if (nh >= H) window.y = offset(nh - H);
    FloatImage cropped = resize_window(source, nw, nh, window, spec.interpolation);
    if (cropped.width == W && cropped.height == H) return cropped;
    return place_float(cropped, W, H, (W - cropped.width) / 2, (H - cropped.height) / 2, spec);
}

bool is_tensorflow_filter(Interpolation interpolation) {
    return interpolation == Interpolation::tf_bilinear_align_corners || interpolation == Interpolation::tf_area;
}

// longer_side_pad's resized size: the longer side fits, the other keeps the aspect ratio,
// rounded half to even. With TensorFlow's filters, in float32 as
// tf.image.resize(preserve_aspect_ratio=True) computes it (its scale and product rounded to
// float, which can move a size across a .5 that double precision would not); otherwise in
// double precision, as Python code (open_clip) computes it.
std::pair<int, int> fitted_size(int w, int h, int W, int H, Interpolation interpolation) {
    double sw, sh;
    if (is_tensorflow_filter(interpolation)) {
        const float scale = std::min(float(H) / float(h), float(W) / float(w));
        sw = double(scale * float(w));
        sh = double(scale * float(h));
    } else {
        const double scale = std::min(double(W) / w, double(H) / h);
        sw = w * scale;
        sh = h * scale;
    }
    return {std::min(W, std::max(1, round_half_even(sw))), std::min(H, std::max(1, round_half_even(sh)))};
}

FloatImage apply_geometry(const Source& source, const PreprocessSpec& spec) {
    const int w = source.width(), h = source.height(), W = spec.width, H = spec.height;
    switch (spec.resize_mode) {
        case ResizeMode::stretch: return resize_whole(source, W, H, spec.interpolation);
        case ResizeMode::pad_square: {
            // WD14: pad to a square first (never materialised), then resize.
            const int side = std::max(w, h);
            // (validate() refuses ignore_after_resize here: the square is RGB.)
            PlacedRows square(source.rgb, side, side, (side - w) / 2, (side - h) / 2, spec.pad_mode, spec.pad_color);
            return resize_whole(Source{square}, W, H, spec.interpolation);
        }
        case ResizeMode::shorter_side_crop: return shorter_side_then_crop(source, spec);
        case ResizeMode::longer_side_pad: {
            const auto [nw, nh] = fitted_size(w, h, W, H, spec.interpolation);
            FloatImage resized = resize_whole(source, nw, nh, spec.interpolation);
            if (spec.pad_placement == PadPlacement::exact) return place_float_exact(resized, W, H, spec);
            return place_float(resized, W, H, (W - nw) / 2, (H - nh) / 2, spec);
        }
    }
    throw Error(ErrorCode::invalid_argument, "PreprocessSpec: unknown resize mode");
}

// HWC floats in 0..255 -> the model's channel order, value range, normalisation and layout.
void pack_tensor(const FloatImage& img, const PreprocessSpec& spec, float* out) {
    const std::size_t plane = std::size_t(spec.width) * spec.height;
    const float unit = spec.value_max / 255.0f;
    for (int c = 0; c < 3; ++c) {
        const int source = spec.channel_order == ChannelOrder::bgr ? 2 - c : c;
        const float mean = spec.mean[c];
        const float inv_std = 1.0f / spec.std[c];
        for (std::size_t i = 0; i < plane; ++i) {
            float v = (img.pixels[i * 3 + source] * unit - mean) * inv_std;
            if (spec.layout == Layout::nchw)
                out[c * plane + i] = v;
            else
                out[i * 3 + c] = v;
        }
    }
}

}  // namespace

Image resize_image(const Image& image, int width, int height, Interpolation interpolation) {
    if (width <= 0 || height <= 0) {
        throw Error(ErrorCode::invalid_argument, "resize_image: target size must be positive");
    }
    if (image.width <= 0 || image.height <= 0 || image.pixels.size() != image.row_bytes() * std::size_t(image.height)) {
        throw Error(ErrorCode::invalid_argument, "resize_image: image buffer does not match its size");
    }
    const ImageRows rows(image);
    const Window whole{0, 0, width, height};
    if (!is_tensorflow_filter(interpolation)) {
        Image out = detail::resample_like_pillow(rows, width, height, whole, interpolation);
        out.source_format = image.source_format;
        return out;
    }
    FloatImage f = interpolation == Interpolation::tf_area
                       ? detail::resize_tf_area(rows, width, height, whole)
                       : detail::resize_tf_bilinear_align_corners(rows, width, height, whole);
    Image out{width, height, image.channels, std::vector<std::uint8_t>(f.pixels.size()), image.source_format};
    for (std::size_t i = 0; i < f.pixels.size(); ++i) {
        out.pixels[i] = static_cast<std::uint8_t>(std::lround(std::min(255.0f, std::max(0.0f, f.pixels[i]))));
    }
    return out;
}

void preprocess_image_into(const Image& image, const PreprocessSpec& spec, float* out, std::size_t out_size) {
    spec.validate();
    if (out == nullptr || out_size < spec.sample_size()) {
        throw Error(ErrorCode::invalid_argument, "preprocess_image_into: output buffer holds " +
                                                     std::to_string(out_size) + " floats, needs " +
                                                     std::to_string(spec.sample_size()));
    }
    if (image.width <= 0 || image.height <= 0) {
        throw Error(ErrorCode::invalid_argument, "preprocess_image: empty image");
    }
    // Rows become RGB (or premultiplied RGBA) as the resize reads them: no full-size copy.
    const RgbRows rgb(image, spec.alpha, spec.background);
    if (spec.alpha == AlphaMode::ignore_after_resize && image.indexed && !is_tensorflow_filter(spec.interpolation)) {
        // Pillow resizes palette and 1-bit images (modes "P", "1") with nearest, whatever the filter.
        PreprocessSpec nearest = spec;
        nearest.interpolation = Interpolation::nearest;
        pack_tensor(apply_geometry(Source{rgb}, nearest), nearest, out);
    } else if (spec.alpha == AlphaMode::ignore_after_resize && image.has_alpha()) {
        const detail::PremultipliedRows premultiplied(image);
        pack_tensor(apply_geometry(Source{rgb, &premultiplied}, spec), spec, out);
    } else {
        pack_tensor(apply_geometry(Source{rgb}, spec), spec, out);
    }
}

Tensor preprocess_image(const Image& image, const PreprocessSpec& spec) {
    Tensor t;
    t.shape = spec.batch_shape(1);
    t.data.resize(spec.sample_size());
    preprocess_image_into(image, spec, t.data.data(), t.data.size());
    return t;
}

}  // namespace acg2vec
