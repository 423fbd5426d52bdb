// Internal: Pillow resizes RGBA and LA images in premultiplied alpha ("RGBa", "La") and
// un-premultiplies the result; a pipeline that resizes before dropping alpha (open_clip and
// OpenAI CLIP: Resize, CenterCrop, then convert("RGB")) sees those colours at every
// transparent edge. These are the two conversions, with Pillow's integer arithmetic.
#pragma once

#include "acg2vec/image.hpp"
#include "image/float_image.hpp"
#include "image/row_source.hpp"

namespace acg2vec::detail {

// The rows of an image with alpha (2 or 4 channels) as premultiplied RGBA, a row at a time:
// each colour times alpha / 255, rounded as Pillow's RGBA -> RGBa conversion; gray repeated.
class PremultipliedRows final : public RowSource {
public:
    explicit PremultipliedRows(const Image& image);  // throws invalid_argument without alpha
    const std::uint8_t* row(int y, std::vector<std::uint8_t>& scratch) const override;
    std::uint64_t stored_pixels() const override { return std::uint64_t(width()) * std::uint64_t(height()); }
    std::uint64_t row_fetch_bytes() const override { return std::uint64_t(width()) * 4; }

private:
    const Image& image_;
};

// Resized premultiplied RGBA back to straight colours as Pillow's RGBa -> RGBA conversion
// does (colour * 255 / alpha, truncated and clipped; kept where alpha is 0 or 255), alpha
// dropped: floats in 0..255, 3 channels.
FloatImage unpremultiplied_rgb(const Image& premultiplied);

}  // namespace acg2vec::detail
