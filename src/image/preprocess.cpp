// preprocess_image: RGB -> geometry (resize, pad, crop as the spec's mode says) -> tensor.
// Geometry follows each reference pipeline's order, because rounding depends on it:
// WD14 pads before resizing, CLIP resizes before cropping, DeepDanbooru resizes then pads.
#include <algorithm>
#include <cmath>

#include "acg2vec/error.hpp"
#include "acg2vec/preprocess.hpp"
#include "image/resample.hpp"

namespace acg2vec {
namespace {

using detail::FloatImage;

// Copies `src` into a dw x dh canvas with its top-left corner at (ox, oy), which may be
// negative (a crop). Canvas pixels outside `src` get `fill` or the nearest edge pixel.
template <class T>
void place(const T* src, int sw, int sh, T* dst, int dw, int dh, int ox, int oy, PadMode mode,
           const T fill[3]) {
    for (int y = 0; y < dh; ++y) {
        int sy = y - oy;
        bool row_inside = sy >= 0 && sy < sh;
        sy = std::min(std::max(sy, 0), sh - 1);
        for (int x = 0; x < dw; ++x) {
            int sx = x - ox;
            bool inside = row_inside && sx >= 0 && sx < sw;
            sx = std::min(std::max(sx, 0), sw - 1);
            T* d = dst + (std::size_t(y) * dw + x) * 3;
            const T* s = src + (std::size_t(sy) * sw + sx) * 3;
            for (int c = 0; c < 3; ++c) d[c] = (inside || mode == PadMode::edge) ? s[c] : fill[c];
        }
    }
}

Image place_image(const Image& src, int dw, int dh, int ox, int oy, const PreprocessSpec& spec) {
    Image out{dw, dh, 3, std::vector<std::uint8_t>(std::size_t(dw) * dh * 3), src.source_format};
    const std::uint8_t fill[3] = {spec.pad_color.r, spec.pad_color.g, spec.pad_color.b};
    place(src.pixels.data(), src.width, src.height, out.pixels.data(), dw, dh, ox, oy, spec.pad_mode, fill);
    return out;
}

FloatImage place_float(const FloatImage& src, int dw, int dh, int ox, int oy, const PreprocessSpec& spec) {
    FloatImage out{dw, dh, 3, std::vector<float>(std::size_t(dw) * dh * 3)};
    const float fill[3] = {float(spec.pad_color.r), float(spec.pad_color.g), float(spec.pad_color.b)};
    place(src.pixels.data(), src.width, src.height, out.pixels.data(), dw, dh, ox, oy, spec.pad_mode, fill);
    return out;
}

FloatImage resize_to_float(const Image& rgb, int width, int height, Interpolation interpolation) {
    if (interpolation == Interpolation::tf_bilinear_align_corners) {
        return detail::resize_tf_bilinear_align_corners(rgb, width, height);
    }
    Image resized = detail::resample_like_pillow(rgb, width, height, interpolation);
    return FloatImage{width, height, 3, std::vector<float>(resized.pixels.begin(), resized.pixels.end())};
}

// Python's round(): halves go to the even neighbour (torchvision's centre crop uses it).
int round_half_even(double v) { return int(std::nearbyint(v)); }

FloatImage apply_geometry(const Image& rgb, const PreprocessSpec& spec) {
    const int w = rgb.width, h = rgb.height, W = spec.width, H = spec.height;
    switch (spec.resize_mode) {
        case ResizeMode::stretch:
            return resize_to_float(rgb, W, H, spec.interpolation);
        case ResizeMode::pad_square: {
            const int side = std::max(w, h);
            Image square = place_image(rgb, side, side, (side - w) / 2, (side - h) / 2, spec);
            return resize_to_float(square, W, H, spec.interpolation);
        }
        case ResizeMode::shorter_side_crop: {
            // torchvision Resize(int): shorter side to S, longer side truncated proportionally.
            const int s = spec.shorter_side > 0 ? spec.shorter_side : std::min(W, H);
            int nw = s, nh = s;
            if (w <= h) nh = std::max(1, int(std::int64_t(s) * h / w));
            else nw = std::max(1, int(std::int64_t(s) * w / h));
            FloatImage resized = resize_to_float(rgb, nw, nh, spec.interpolation);
            return place_float(resized, W, H, -round_half_even((nw - W) / 2.0),
                               -round_half_even((nh - H) / 2.0), spec);
        }
        case ResizeMode::longer_side_pad: {
            const double scale = std::min(double(W) / w, double(H) / h);
            const int nw = std::min(W, std::max(1, round_half_even(w * scale)));
            const int nh = std::min(H, std::max(1, round_half_even(h * scale)));
            FloatImage resized = resize_to_float(rgb, nw, nh, spec.interpolation);
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
            if (spec.layout == Layout::nchw) out[c * plane + i] = v;
            else out[i * 3 + c] = v;
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
    if (interpolation != Interpolation::tf_bilinear_align_corners) {
        return detail::resample_like_pillow(image, width, height, interpolation);
    }
    FloatImage f = detail::resize_tf_bilinear_align_corners(image, width, height);
    Image out{width, height, image.channels, std::vector<std::uint8_t>(f.pixels.size()), image.source_format};
    for (std::size_t i = 0; i < f.pixels.size(); ++i) {
        out.pixels[i] = static_cast<std::uint8_t>(std::lround(std::min(255.0f, std::max(0.0f, f.pixels[i]))));
    }
    return out;
}

void preprocess_image_into(const Image& image, const PreprocessSpec& spec, float* out) {
    spec.validate();
    if (image.width <= 0 || image.height <= 0) {
        throw Error(ErrorCode::invalid_argument, "preprocess_image: empty image");
    }
    const Image rgb = to_rgb(image, spec.alpha, spec.background);
    pack_tensor(apply_geometry(rgb, spec), spec, out);
}

Tensor preprocess_image(const Image& image, const PreprocessSpec& spec) {
    Tensor t;
    t.shape = spec.batch_shape(1);
    t.data.resize(spec.sample_size());
    preprocess_image_into(image, spec, t.data.data());
    return t;
}

}  // namespace acg2vec
