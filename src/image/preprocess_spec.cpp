// PreprocessSpec: validation, shapes, and the names acg2vec.json uses for its enums.
#include <cmath>

#include "acg2vec/error.hpp"
#include "acg2vec/preprocess.hpp"

namespace acg2vec {
namespace {

void require(bool ok, const std::string& what) {
    if (!ok) throw Error(ErrorCode::invalid_argument, "PreprocessSpec: " + what);
}

}  // namespace

void PreprocessSpec::validate() const {
    require(width > 0 && height > 0 && width <= 16384 && height <= 16384,
            "width and height must be in 1..16384 (got " + std::to_string(width) + "x" + std::to_string(height) + ")");
    require(shorter_side >= 0 && shorter_side <= 16384, "shorter_side must be in 0..16384");
    require(std::isfinite(value_max) && value_max > 0.0f, "value_max must be positive");
    require(crop_rounding == CropRounding::half_even || crop_rounding == CropRounding::floor,
            "crop_rounding must be half_even or floor");
    require(pad_placement == PadPlacement::floor || pad_placement == PadPlacement::exact,
            "pad_placement must be floor or exact");
    require(pad_placement == PadPlacement::floor || resize_mode == ResizeMode::longer_side_pad,
            "pad_placement exact applies to longer_side_pad only");
    require(jpeg_idct == JpegIdct::accurate || jpeg_idct == JpegIdct::fast, "jpeg_idct must be accurate or fast");
    require(alpha == AlphaMode::composite || alpha == AlphaMode::ignore || alpha == AlphaMode::ignore_after_resize,
            "alpha must be composite, ignore or ignore_after_resize");
    require(!(alpha == AlphaMode::ignore_after_resize && resize_mode == ResizeMode::pad_square),
            "alpha ignore_after_resize cannot be used with pad_square, which pads before resizing");
    for (int c = 0; c < 3; ++c) {
        require(std::isfinite(mean[c]), "mean must be finite");
        require(std::isfinite(std[c]) && std[c] != 0.0f, "std must be finite and non-zero");
    }
}

std::vector<std::int64_t> PreprocessSpec::batch_shape(std::int64_t n) const {
    if (layout == Layout::nchw) return {n, 3, height, width};
    return {n, height, width, 3};
}

std::int64_t Tensor::numel() const {
    std::int64_t n = 1;
    for (auto d : shape) n *= d;
    return n;
}

const char* resize_mode_name(ResizeMode mode) noexcept {
    switch (mode) {
        case ResizeMode::stretch: return "stretch";
        case ResizeMode::pad_square: return "pad_square";
        case ResizeMode::shorter_side_crop: return "shorter_side_crop";
        case ResizeMode::longer_side_pad: return "longer_side_pad";
    }
    return "unknown";
}

const char* interpolation_name(Interpolation interpolation) noexcept {
    switch (interpolation) {
        case Interpolation::nearest: return "nearest";
        case Interpolation::bilinear: return "bilinear";
        case Interpolation::bicubic: return "bicubic";
        case Interpolation::box: return "box";
        case Interpolation::hamming: return "hamming";
        case Interpolation::lanczos: return "lanczos";
        case Interpolation::tf_bilinear_align_corners: return "tf_bilinear_align_corners";
        case Interpolation::tf_area: return "tf_area";
    }
    return "unknown";
}

ResizeMode parse_resize_mode(const std::string& name) {
    for (auto m :
         {ResizeMode::stretch, ResizeMode::pad_square, ResizeMode::shorter_side_crop, ResizeMode::longer_side_pad}) {
        if (name == resize_mode_name(m)) return m;
    }
    throw Error(
        ErrorCode::invalid_argument,
        "unknown resize mode '" + name + "' (expected stretch, pad_square, shorter_side_crop or longer_side_pad)");
}

Interpolation parse_interpolation(const std::string& name) {
    for (auto i : {Interpolation::nearest, Interpolation::bilinear, Interpolation::bicubic, Interpolation::box,
                   Interpolation::hamming, Interpolation::lanczos, Interpolation::tf_bilinear_align_corners,
                   Interpolation::tf_area}) {
        if (name == interpolation_name(i)) return i;
    }
    throw Error(ErrorCode::invalid_argument, "unknown interpolation '" + name +
                                                 "' (expected nearest, bilinear, bicubic, box, hamming, lanczos, "
                                                 "tf_bilinear_align_corners or tf_area)");
}

}  // namespace acg2vec
