#include "image/row_source.hpp"

#include <algorithm>
#include <cstring>
#include <string>

#include "acg2vec/error.hpp"
#include "image/resample.hpp"

namespace acg2vec::detail {

PlacedRows::PlacedRows(const RowSource& rgb, int width, int height, int left, int top, PadMode mode, Rgb fill)
    : RowSource(width, height, 3), image_(rgb), left_(left), top_(top), mode_(mode), fill_row_(std::size_t(width) * 3) {
    for (std::size_t i = 0; i < fill_row_.size(); i += 3) {
        fill_row_[i] = fill.r;
        fill_row_[i + 1] = fill.g;
        fill_row_[i + 2] = fill.b;
    }
}

const std::uint8_t* PlacedRows::row(int y, std::vector<std::uint8_t>& scratch) const {
    int source_y = y - top_;
    const bool row_inside = source_y >= 0 && source_y < image_.height();
    if (!row_inside && mode_ == PadMode::constant) return fill_row_.data();
    source_y = std::min(std::max(source_y, 0), image_.height() - 1);
    const std::uint8_t* src = image_.row(source_y, image_row_);
    // Columns of the canvas covered by the image.
    const int begin = std::max(0, left_), end = std::min(width(), left_ + image_.width());
    if (mode_ == PadMode::constant) {
        scratch = fill_row_;
    } else {
        scratch.resize(fill_row_.size());
        const std::uint8_t* first = src;
        const std::uint8_t* last = src + (std::size_t(image_.width()) - 1) * 3;
        for (int x = 0; x < begin; ++x) std::memcpy(&scratch[std::size_t(x) * 3], first, 3);
        for (int x = std::max(end, 0); x < width(); ++x) std::memcpy(&scratch[std::size_t(x) * 3], last, 3);
    }
    if (end > begin) {
        std::memcpy(&scratch[std::size_t(begin) * 3], src + std::size_t(begin - left_) * 3,
                    std::size_t(end - begin) * 3);
    }
    return scratch.data();
}

void check_resize_cost(const RowSource& source, int full_width, int full_height, double work, double buffer_bytes) {
    // The budgets grow with the pixels read and written, with a floor that covers the default
    // pixel limit (178,956,970) resized by Lanczos in about a second or two; a strip 1:25
    // padded square by WD14's pipeline still fits.
    const double pixels = double(source.stored_pixels()) + double(full_width) * double(full_height);
    const double work_limit = std::max(8589934592.0 /* 2^33 */, 32.0 * pixels);
    const double buffer_limit = std::max(268435456.0 /* 256 MiB */, 16.0 * pixels);
    if (work <= work_limit && buffer_bytes <= buffer_limit) return;
    throw Error(ErrorCode::image_too_large,
                "preprocess: resizing " + std::to_string(source.width()) + "x" + std::to_string(source.height()) +
                    " to " + std::to_string(full_width) + "x" + std::to_string(full_height) +
                    " is out of proportion to its " + std::to_string(source.stored_pixels()) +
                    " pixels (aspect ratio too extreme): about " + std::to_string(std::uint64_t(std::min(work, 1e18))) +
                    " operations and " + std::to_string(std::uint64_t(std::min(buffer_bytes, 1e18))) + " bytes");
}

}  // namespace acg2vec::detail
