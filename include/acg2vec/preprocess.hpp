// How an image becomes a model input: the PreprocessSpec value (normally read from the
// model's acg2vec.json, overridable in code) and the functions that apply it.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "acg2vec/export.hpp"
#include "acg2vec/image.hpp"

namespace acg2vec {

// Where the image goes inside the target width x height.
enum class ResizeMode {
    stretch,            // resize to exactly width x height, aspect ratio not kept
    pad_square,         // pad to a centred square (WD14), then resize to width x height
    shorter_side_crop,  // shorter side to `shorter_side`, then centre crop (CLIP, torchvision)
    longer_side_pad,    // longer side fits, aspect kept, then centred padding (DeepDanbooru)
};

// Pillow's filters (antialiased when downscaling, 8-bit fixed point, as Image.resize), plus
// TensorFlow's bilinear with align_corners=true (tf.image.resize_bilinear; what nsfwjs uses)
// and TensorFlow's area resize (tf.image.resize(method=AREA); what DeepDanbooru uses).
enum class Interpolation { nearest, bilinear, bicubic, box, hamming, lanczos, tf_bilinear_align_corners, tf_area };

enum class PadMode { constant, edge };
// longer_side_pad only: where the resized image sits on the canvas.
enum class PadPlacement {
    floor,  // at whole-pixel offsets floor((W - w) / 2), floor((H - h) / 2) (open_clip)
    // Centred exactly, at (W - w) / 2: an odd slack puts the image half a pixel off the grid,
    // and each output pixel is sampled bilinearly from the two it straddles (edge or pad
    // colour beyond the border), as skimage.transform.warp(order=1) centres an image in
    // DeepDanbooru's transform_and_pad_image.
    exact,
};
// shorter_side_crop's centre-crop offsets, (resized side - crop side) / 2: rounded half to
// even as torchvision's CenterCrop (open_clip, OpenAI CLIP, timm), or floored as transformers'
// image processors (CLIPImageProcessor). They differ by one pixel when the excess is 4k + 3.
enum class CropRounding { half_even, floor };
enum class AlphaMode {
    composite,  // alpha over `background`, as WD14 and most reference pipelines do
    ignore,     // keep the stored colour values and drop alpha (Pillow's convert("RGB"), nsfwjs)
    // Resize first, then drop alpha, as open_clip and OpenAI CLIP do (Resize + CenterCrop, then
    // convert("RGB")): Pillow's filters resize an image with alpha in premultiplied alpha, so
    // colours at transparent edges come out as Pillow gives them. Nearest, an unchanged size
    // and tf_bilinear_align_corners resize the stored colours (as `ignore`); not with pad_square.
    // Indexed images (Image::indexed) are resized with nearest neighbour, as Pillow resizes its
    // modes "P" and "1" whatever the filter.
    ignore_after_resize,
};
enum class ChannelOrder { rgb, bgr };
enum class Layout { nchw, nhwc };

struct Rgb {
    std::uint8_t r = 0, g = 0, b = 0;
    bool operator==(const Rgb& o) const { return r == o.r && g == o.g && b == o.b; }
};

struct ACG2VEC_API PreprocessSpec {
    int width = 224;   // model input width
    int height = 224;  // model input height
    ResizeMode resize_mode = ResizeMode::stretch;
    int shorter_side = 0;                                  // shorter_side_crop only; 0 means min(width, height)
    CropRounding crop_rounding = CropRounding::half_even;  // shorter_side_crop only
    Interpolation interpolation = Interpolation::bicubic;
    PadMode pad_mode = PadMode::constant;
    PadPlacement pad_placement = PadPlacement::floor;  // longer_side_pad only
    JpegIdct jpeg_idct = JpegIdct::accurate;           // how the tasks decode JPEG files for this model
    Rgb pad_color{255, 255, 255};
    AlphaMode alpha = AlphaMode::composite;
    Rgb background{255, 255, 255};  // what transparent pixels become under AlphaMode::composite
    ChannelOrder channel_order = ChannelOrder::rgb;
    Layout layout = Layout::nchw;
    float value_max = 1.0f;  // 8-bit values are mapped to [0, value_max]: 1 or 255
    // Per output channel (in channel_order), applied after value scaling: (v - mean) / std.
    std::array<float, 3> mean{0.0f, 0.0f, 0.0f};
    std::array<float, 3> std{1.0f, 1.0f, 1.0f};

    // Throws Error(invalid_argument) naming the first bad field.
    void validate() const;
    // Floats in one preprocessed image: 3 * width * height.
    std::size_t sample_size() const { return 3 * std::size_t(width) * std::size_t(height); }
    // Shape of a batch of n images in `layout`.
    std::vector<std::int64_t> batch_shape(std::int64_t n) const;
};

ACG2VEC_API const char* resize_mode_name(ResizeMode mode) noexcept;
ACG2VEC_API const char* interpolation_name(Interpolation interpolation) noexcept;
// Parse the names used in acg2vec.json ("stretch", "bicubic", ...); throw invalid_argument.
ACG2VEC_API ResizeMode parse_resize_mode(const std::string& name);
ACG2VEC_API Interpolation parse_interpolation(const std::string& name);
// A "preprocess" object in acg2vec.json's schema (docs/model-format.md), e.g. to override a
// model's preprocessing from a language without the C++ struct. Throws model_metadata naming
// `source` and the field.
ACG2VEC_API PreprocessSpec parse_preprocess_json(const std::string& json_text,
                                                 const std::string& source = "preprocess");

// A dense float tensor, row-major.
struct ACG2VEC_API Tensor {
    std::vector<std::int64_t> shape;
    std::vector<float> data;

    std::int64_t numel() const;
};

// RGB (3 channels) from any decoded image: gray is replicated, alpha handled per `mode`.
ACG2VEC_API Image to_rgb(const Image& image, AlphaMode mode = AlphaMode::composite, Rgb background = {255, 255, 255});

// Resizes an RGB or gray image. Pillow filters give exactly Pillow's 8-bit result;
// TensorFlow's are rounded to 8 bits here (preprocess keeps their floats).
ACG2VEC_API Image resize_image(const Image& image, int width, int height, Interpolation interpolation);

// One image -> shape batch_shape(1).
ACG2VEC_API Tensor preprocess_image(const Image& image, const PreprocessSpec& spec);
// Writes spec.sample_size() floats for one image at `out` (one slot of a batch tensor);
// `out_size` must be at least that.
ACG2VEC_API void preprocess_image_into(const Image& image, const PreprocessSpec& spec, float* out,
                                       std::size_t out_size);

}  // namespace acg2vec
