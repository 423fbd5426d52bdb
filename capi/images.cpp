// C ABI: decoded images, for the single-image and batch calls of the tagger, scorer and
// embedder (the C++ API's decode_image_* and acg2vec::Image).
#include <limits>

#include "capi_internal.hpp"

using namespace acg2vec::capi;

extern "C" acg2vec_status acg2vec_image_decode_file(const char* path, const acg2vec_decode_options* options,
                                                    acg2vec_image** out) {
    return guard(__func__, [&] {
        begin_out(out);
        require(path, "path");
        *out = new_handle<acg2vec_image>(acg2vec::decode_image_file(path, decode_options(options)));
    });
}

extern "C" acg2vec_status acg2vec_image_decode_memory(const void* data, size_t size,
                                                      const acg2vec_decode_options* options, acg2vec_image** out) {
    return guard(__func__, [&] {
        begin_out(out);
        require(data, "data");
        *out = new_handle<acg2vec_image>(acg2vec::decode_image_memory(data, size, decode_options(options)));
    });
}

extern "C" acg2vec_status acg2vec_image_decode_base64(const char* text, const acg2vec_decode_options* options,
                                                      acg2vec_image** out) {
    return guard(__func__, [&] {
        begin_out(out);
        require(text, "text");
        *out = new_handle<acg2vec_image>(acg2vec::decode_image_base64(text, decode_options(options)));
    });
}

extern "C" acg2vec_status acg2vec_image_from_pixels(int width, int height, int channels, const uint8_t* pixels,
                                                    acg2vec_image** out) {
    return guard(__func__, [&] {
        begin_out(out);
        require(pixels, "pixels");
        // Checked here because they size the copy below; the C++ API checks the rest.
        if (width <= 0 || height <= 0) invalid_argument("width and height must be positive");
        if (channels < 1 || channels > 4) invalid_argument("channels must be 1, 2, 3 or 4");
        const std::size_t row = std::size_t(width) * std::size_t(channels);
        if (row > std::numeric_limits<std::size_t>::max() / std::size_t(height)) {
            invalid_argument("width x height x channels overflows size_t");
        }
        acg2vec::Image image;
        image.width = width;
        image.height = height;
        image.channels = channels;
        image.pixels.assign(pixels, pixels + row * std::size_t(height));
        *out = new_handle<acg2vec_image>(std::move(image));
    });
}

extern "C" acg2vec_status acg2vec_image_dimensions(const acg2vec_image* image, int* width, int* height, int* channels) {
    return guard(__func__, [&] {
        require(image, "image");
        require(width, "width");
        require(height, "height");
        require(channels, "channels");
        *width = image->value.width;
        *height = image->value.height;
        *channels = image->value.channels;
    });
}

extern "C" acg2vec_status acg2vec_image_pixels(const acg2vec_image* image, const uint8_t** pixels, size_t* size) {
    return guard(__func__, [&] {
        require(image, "image");
        require(pixels, "pixels");
        require(size, "size");
        *pixels = image->value.pixels.data();
        *size = image->value.pixels.size();
    });
}

extern "C" acg2vec_status acg2vec_image_format(const acg2vec_image* image, const char** format) {
    return guard(__func__, [&] {
        require(image, "image");
        require(format, "format");
        *format = acg2vec::image_format_name(image->value.source_format);
    });
}

extern "C" void acg2vec_image_free(acg2vec_image* image) { delete image; }
