// Internal: resizers. Pillow's (8-bit in, 8-bit out, identical results) and TensorFlow's
// align-corners bilinear (float out). Both resize `source` to full_width x full_height and
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

// tf.image.resize_bilinear(align_corners=True, half_pixel_centers=False).
FloatImage resize_tf_bilinear_align_corners(const RowSource& source, int full_width, int full_height,
                                            const Window& window);

}  // namespace acg2vec::detail
