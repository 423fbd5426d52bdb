// A program that knows acg2vec only through its installed headers and library.
#include <acg2vec/acg2vec.hpp>

#include <cstdio>

int main() {
    // A 2x1 RGB PNG: one red pixel, one blue pixel.
    const char* png =
        "iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAIAAAB7QOjdAAAADUlEQVR4nGP4zwAE/wEHAAH/4iOeWQAAAABJRU5ErkJggg==";
    acg2vec::Image image = acg2vec::decode_image_base64(png);
    acg2vec::Image wide = acg2vec::resize_image(image, 4, 1, acg2vec::Interpolation::nearest);
    std::printf("acg2vec %s: %dx%d -> %dx%d, first pixel %d,%d,%d\n", acg2vec::version().c_str(), image.width,
                image.height, wide.width, wide.height, wide.pixels[0], wide.pixels[1], wide.pixels[2]);
    try {
        acg2vec::Model::open("/nonexistent.pt");
    } catch (const acg2vec::Error& e) {
        std::printf("error %s: %s\n", acg2vec::error_code_name(e.code()), e.what());
    }
    return (wide.width == 4 && wide.pixels[0] == 255 && wide.pixels[2] == 0) ? 0 : 1;
}
