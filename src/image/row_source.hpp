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

// One row of any decoded image as RGB, as to_rgb converts it (alpha composited over
// `background` or dropped, gray repeated).
void row_to_rgb(const std::uint8_t* row, int width, int channels, AlphaMode mode, Rgb background, std::uint8_t* out);

// The rows of a decoded image as RGB, converted only when a resampler asks for them: resizes
// read a fraction of a large image's rows, and an RGB image is read in place, never copied.
class RgbRows final : public RowSource {
public:
    RgbRows(const Image& image, AlphaMode mode, Rgb background);  // throws invalid_argument
    const std::uint8_t* row(int y, std::vector<std::uint8_t>& scratch) const override;
    std::uint64_t stored_pixels() const override { return std::uint64_t(width()) * std::uint64_t(height()); }
    std::uint64_t row_fetch_bytes() const override { return image_.channels == 3 ? 0 : std::uint64_t(width()) * 3; }

private:
    const Image& image_;
    AlphaMode mode_;
    Rgb background_;
};

// RGB rows placed at (left, top) on a width x height canvas; the rest is `fill`, or the
// nearest image pixel with PadMode::edge. Offsets may be negative (a crop).
class PlacedRows final : public RowSource {
public:
    PlacedRows(const RowSource& rgb, int width, int height, int left, int top, PadMode mode, Rgb fill);
    const std::uint8_t* row(int y, std::vector<std::uint8_t>& scratch) const override;
    std::uint64_t stored_pixels() const override { return image_.stored_pixels(); }
    std::uint64_t row_fetch_bytes() const override { return std::uint64_t(width()) * 3 + image_.row_fetch_bytes(); }

private:
    const RowSource& image_;
    int left_, top_;
    PadMode mode_;
    std::vector<std::uint8_t> fill_row_;           // a whole canvas row of the fill colour
    mutable std::vector<std::uint8_t> image_row_;  // scratch for the image's row; one caller at a time
};

// Output region of a resize: columns [x, x + width) and rows [y, y + height) of the full
// output. Separable resampling gives each output pixel from its own taps, so computing a
// window equals computing everything and cropping, only cheaper.
struct Window {
    int x = 0, y = 0, width = 0, height = 0;
};

}  // namespace acg2vec::detail
