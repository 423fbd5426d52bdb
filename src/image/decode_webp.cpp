// WebP through libwebp: static images directly, animations as their first full frame.
#include <webp/decode.h>
#include <webp/demux.h>

#include <memory>

#include "image/decoders.hpp"

namespace acg2vec::detail {
namespace {

Image first_animation_frame(const DecodeInput& input) {
    WebPData data{input.data, input.size};
    WebPAnimDecoderOptions options;
    WebPAnimDecoderOptionsInit(&options);
    options.color_mode = MODE_RGBA;
    options.use_threads = 0;
    std::unique_ptr<WebPAnimDecoder, decltype(&WebPAnimDecoderDelete)> decoder(WebPAnimDecoderNew(&data, &options),
                                                                               &WebPAnimDecoderDelete);
    if (!decoder) fail_decode(ErrorCode::invalid_image, input, "WebP: cannot parse animation");
    WebPAnimInfo info;
    if (!WebPAnimDecoderGetInfo(decoder.get(), &info)) {
        fail_decode(ErrorCode::invalid_image, input, "WebP: cannot read animation info");
    }
    check_declared_size(info.canvas_width, info.canvas_height, input);
    std::uint8_t* frame = nullptr;
    int timestamp = 0;
    if (!WebPAnimDecoderGetNext(decoder.get(), &frame, &timestamp)) {
        fail_decode(ErrorCode::invalid_image, input, "WebP: cannot decode the first frame");
    }
    Image image;
    image.width = int(info.canvas_width);
    image.height = int(info.canvas_height);
    image.channels = 4;
    image.source_format = ImageFormat::webp;
    image.pixels.assign(frame, frame + std::size_t(image.width) * image.height * 4);
    return image;
}

}  // namespace

Image decode_webp(const DecodeInput& input) {
    WebPBitstreamFeatures features;
    VP8StatusCode status = WebPGetFeatures(input.data, input.size, &features);
    if (status == VP8_STATUS_NOT_ENOUGH_DATA) {
        fail_decode(ErrorCode::invalid_image, input, "WebP: image file is truncated");
    }
    if (status == VP8_STATUS_UNSUPPORTED_FEATURE) {
        fail_decode(ErrorCode::unsupported_format, input, "WebP: uses a feature libwebp does not support");
    }
    if (status != VP8_STATUS_OK) fail_decode(ErrorCode::invalid_image, input, "WebP: invalid header");
    // For animations these are the canvas size; checked before the decoder allocates canvases.
    check_declared_size(std::uint64_t(features.width), std::uint64_t(features.height), input);
    if (features.has_animation) return first_animation_frame(input);

    Image image;
    image.width = features.width;
    image.height = features.height;
    image.channels = features.has_alpha ? 4 : 3;
    image.source_format = ImageFormat::webp;
    image.pixels.resize(image.row_bytes() * std::size_t(image.height));
    const int stride = int(image.row_bytes());
    std::uint8_t* ok =
        features.has_alpha
            ? WebPDecodeRGBAInto(input.data, input.size, image.pixels.data(), image.pixels.size(), stride)
            : WebPDecodeRGBInto(input.data, input.size, image.pixels.data(), image.pixels.size(), stride);
    if (ok == nullptr) fail_decode(ErrorCode::invalid_image, input, "WebP: corrupt or truncated image data");
    return image;
}

}  // namespace acg2vec::detail
