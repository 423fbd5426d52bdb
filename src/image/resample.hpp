// Internal: resizers. Pillow's (8-bit in, 8-bit out, identical results) and TensorFlow's
// align-corners bilinear and area (float out). All resize `source` to full_width x full_height and
// return only `window` of that output.
#pragma once

#include "acg2vec/image.hpp"
#include "acg2vec/preprocess.hpp"
#include "image/float_image.hpp"
#include "image/row_source.hpp"

namespace acg2vec::detail {

// Any channel count. `interpolation` must be one of Pillow's filters.
Image resample_like_pillow(const RowSource& source, int full_width, int full_height, const Window& window,
                           Interpolation interpolation);

// Refuses (image_too_large) a resize of `source` to full_width x full_height whose `work`
// (multiply-adds and bytes copied) or `buffer_bytes` (intermediate rows and weights) would be
// out of proportion to the pixels involved. Pillow's separable resampling costs about
// (filter width x input pixels) for ordinary images, but a thin strip stretched wide, or a
// small image padded to a huge virtual square, costs hundreds of times what its pixels do:
// a 99-byte GIF of 5 x 31491 pixels took 20 s in pad_square, a 4 KB PNG of 1 x 2,000,000
// pixels 43 s and 2.6 GB when stretched to 448 x 448. Every image up to the default pixel
// limit at ordinary aspect ratios stays well inside the budget.
void check_resize_cost(const RowSource& source, int full_width, int full_height, double work, double buffer_bytes);

// tf.image.resize_bilinear(align_corners=True, half_pixel_centers=False).
FloatImage resize_tf_bilinear_align_corners(const RowSource& source, int full_width, int full_height,
                                            const Window& window);

// tf.image.resize(method=AREA): the ResizeArea op, align_corners=False.
FloatImage resize_tf_area(const RowSource& source, int full_width, int full_height, const Window& window);

}  // namespace acg2vec::detail
