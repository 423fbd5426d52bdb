// Internal: where resamplers read 8-bit rows from. A source may be virtual, so that padding
// a 800 x 20000 page to a 20000 x 20000 square (WD14) never allocates that square.
#pragma once

#include <cstdint>
#include <vector>

#include "acg2vec/image.hpp"
#include "acg2vec/preprocess.hpp"

namespace acg2vec::detail {

class RowSource {
public:
    RowSource(int width, int height, int channels) : width_(width), height_(height), channels_(channels) {}
    virtual ~RowSource() = default;
    int width() const { return width_; }
    int height() const { return height_; }
    int channels() const { return channels_; }
    // Row y (width * channels bytes). May point into `scratch`, valid until the next call.
    virtual const std::uint8_t* row(int y, std::vector<std::uint8_t>& scratch) const = 0;
    // Pixels the source really holds (a virtual canvas: only its image's), and the bytes one
    // row() call writes (0 when it points into the image): what check_resize_cost weighs a
    // resize's work against.
    virtual std::uint64_t stored_pixels() const = 0;
    virtual std::uint64_t row_fetch_bytes() const { return 0; }

private:
    int width_, height_, channels_;
};

// The rows of a decoded image as they are.
class ImageRows final : public RowSource {
public:
    explicit ImageRows(const Image& image) : RowSource(image.width, image.height, image.channels), image_(image) {}
    const std::uint8_t* row(int y, std::vector<std::uint8_t>&) const override {
        return image_.pixels.data() + image_.row_bytes() * std::size_t(y);
    }
    std::uint64_t stored_pixels() const override { return std::uint64_t(width()) * std::uint64_t(height()); }

private:
    const Image& image_;
};

// An RGB image placed at (left, top) on a width x height canvas; the rest is `fill`, or the
// nearest image pixel with PadMode::edge. Offsets may be negative (a crop).
class PlacedRows final : public RowSource {
public:
    PlacedRows(const Image& rgb, int width, int height, int left, int top, PadMode mode, Rgb fill);
    const std::uint8_t* row(int y, std::vector<std::uint8_t>& scratch) const override;
    std::uint64_t stored_pixels() const override {
        return std::uint64_t(image_.width) * std::uint64_t(image_.height);
    }
    std::uint64_t row_fetch_bytes() const override { return std::uint64_t(width()) * 3; }

private:
    const Image& image_;
    int left_, top_;
    PadMode mode_;
    std::vector<std::uint8_t> fill_row_;  // a whole canvas row of the fill colour
};

// Output region of a resize: columns [x, x + width) and rows [y, y + height) of the full
// output. Separable resampling gives each output pixel from its own taps, so computing a
// window equals computing everything and cropping, only cheaper.
struct Window {
    int x = 0, y = 0, width = 0, height = 0;
};

}  // namespace acg2vec::detail
