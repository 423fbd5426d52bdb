// Regression tests for hostile or unusual inputs found in review: each failed before its fix.
#include <doctest/doctest.h>

#include "acg2vec/image.hpp"
#include "acg2vec/preprocess.hpp"
#include "support/byte_writer.hpp"
#include "support/error_capture.hpp"
#include "support/test_data.hpp"

using namespace acg2vec;
using acg2vec::test::code_of;

namespace {

using test::Bytes;
constexpr auto put16 = test::put_le16;
constexpr auto put32 = test::put_le32;

// An uncompressed 24-bit TGA, w x h, with `pixel_bytes` bytes of pixel data.
Bytes tga(int w, int h, std::size_t pixel_bytes) {
    Bytes b(18 + pixel_bytes, 0x40);
    std::fill(b.begin(), b.begin() + 18, 0);
    b[2] = 2;  // uncompressed true-colour
    put16(b, 12, std::uint32_t(w));
    put16(b, 14, std::uint32_t(h));
    b[16] = 24;
    return b;
}

// An 8-bit BMP, width x 1, with a palette of `colors` entries and these pixel indices.
Bytes bmp8(const std::vector<std::uint8_t>& indices, int colors) {
    const std::size_t row = (indices.size() + 3) / 4 * 4;
    const std::size_t offset = 14 + 40 + std::size_t(colors) * 4;
    Bytes b(offset + row, 0);
    b[0] = 'B';
    b[1] = 'M';
    put32(b, 2, std::uint32_t(b.size()));
    put32(b, 10, std::uint32_t(offset));
    put32(b, 14, 40);
    put32(b, 18, std::uint32_t(indices.size()));
    put32(b, 22, 1);
    put16(b, 26, 1);
    put16(b, 28, 8);
    put32(b, 46, std::uint32_t(colors));
    for (int i = 0; i < colors; ++i) b[54 + i * 4] = std::uint8_t(10 * (i + 1));  // blue
    std::copy(indices.begin(), indices.end(), b.begin() + std::ptrdiff_t(offset));
    return b;
}

Image decode(const Bytes& b) { return decode_image_memory(b.data(), b.size()); }

}  // namespace

TEST_SUITE("image_decode") {
    TEST_CASE("stb formats: truncated data fails instead of decoding as black") {
        CHECK(decode(tga(4, 4, 48)).width == 4);
        CHECK(code_of([] { decode(tga(4, 4, 10)); }) == ErrorCode::invalid_image);
        // A header declaring a huge image with almost no data must not give an unfilled buffer.
        CHECK(code_of([] { decode(tga(8000, 8000, 30)); }) == ErrorCode::invalid_image);
    }

    TEST_CASE("BMP pixels beyond a short palette are refused, not read from garbage") {
        Image ok = decode(bmp8({0, 1}, 2));
        CHECK(ok.width == 2);
        CHECK(ok.pixels[2] == 10);  // blue of colour 0
        CHECK(ok.pixels[5] == 20);
        CHECK(code_of([] { decode(bmp8({0, 5}, 2)); }) == ErrorCode::invalid_image);
    }

    TEST_CASE("GIF: no leading clear code, stray bytes between blocks and code size 1 decode like Pillow") {
        // 1x1, global palette of two colours (white, black), pixel index 0.
        const Bytes header = {'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0, 0x80, 0, 0, 255, 255, 255, 0, 0, 0};
        const Bytes descriptor = {0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0};
        auto gif = [&](const Bytes& before_image, const Bytes& lzw) {
            Bytes b = header;
            b.insert(b.end(), before_image.begin(), before_image.end());
            b.insert(b.end(), descriptor.begin(), descriptor.end());
            b.insert(b.end(), lzw.begin(), lzw.end());
            b.push_back(0x3B);
            return b;
        };
        const Bytes with_clear = {2, 2, 0x44, 0x01, 0};  // clear, 0, end
        const Bytes without_clear = {2, 1, 0x28, 0};     // 0, end
        for (const Bytes& b : {gif({}, with_clear), gif({}, without_clear), gif({0x00, 0x17}, with_clear)}) {
            Image image = decode(b);
            CHECK(image.channels == 3);
            CHECK(image.pixels == std::vector<std::uint8_t>{255, 255, 255});
        }
        // Fewer pixels than the frame declares is truncation.
        Bytes two_by_one = gif({}, with_clear);
        two_by_one[6] = 2;
        two_by_one[19 + 5] = 2;
        CHECK(code_of([&] { decode(two_by_one); }) == ErrorCode::invalid_image);
    }

    TEST_CASE("a PNG that ends after complete image data but without IEND decodes") {
        auto bytes = test::read_bytes(test::shared_data("tricky/pngsuite_basn3p08_palette.png"));
        const Image whole = decode(bytes);
        bytes.resize(bytes.size() - 12);  // drop IEND
        CHECK(decode(bytes).pixels == whole.pixels);
        bytes.resize(bytes.size() - 20);  // and now part of the image data
        CHECK(code_of([&] { decode(bytes); }) == ErrorCode::invalid_image);
    }

}  // TEST_SUITE

TEST_SUITE("preprocess") {
    TEST_CASE("pad_square of an extreme strip does not build the square") {
        Image strip{20000, 1, 3, std::vector<std::uint8_t>(20000 * 3, 0), ImageFormat::png};
        PreprocessSpec spec;
        spec.width = spec.height = 448;
        spec.resize_mode = ResizeMode::pad_square;
        spec.layout = Layout::nhwc;
        spec.value_max = 255;
        Tensor t = preprocess_image(strip, spec);                    // a 20000 x 20000 square would be 1.2 GB
        CHECK(t.data[0] == 255.0f);                                  // top rows: padding
        CHECK(t.data[(std::size_t(224) * 448 + 224) * 3] < 255.0f);  // the centre row: the strip
    }

    // Found by fuzz_image_decode (a timeout): this 99-byte GIF is a 5 x 31491 image. Padded to a
    // square and resized with Lanczos (WD14's pipeline with another filter), its virtual
    // 31491 x 31491 canvas took 20 s: the work grew with the square of the long side, not with
    // the image. Such resizes are now weighed first and refused (check_resize_cost).
    const Bytes kStripGif = {0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x05, 0x00, 0x03, 0x7b, 0x83, 0x00, 0x00, 0x00, 0x00,
                             0x00, 0x33, 0x66, 0x00, 0x99, 0x00, 0x33, 0x99, 0x66, 0x33, 0x33, 0x99, 0x33, 0xff, 0x00,
                             0x66, 0x00, 0x99, 0x66, 0xcc, 0xcc, 0x66, 0x66, 0x33, 0x99, 0x99, 0x99, 0x99, 0x33, 0xcc,
                             0x99, 0xff, 0x33, 0xcc, 0x00, 0x99, 0xcc, 0x99, 0xcc, 0x06, 0x00, 0x00, 0x00, 0xcc, 0x33,
                             0xff, 0xff, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x03, 0x00, 0x00,
                             0x08, 0x14, 0x00, 0x01, 0x04, 0x20, 0x20, 0x20, 0x01, 0x00, 0x00, 0x1c, 0x14, 0x20, 0x48,
                             0xd0, 0x60, 0x01, 0x03, 0x07, 0x01, 0x01, 0x00, 0x3b};

    TEST_CASE("a resize out of proportion to the image is refused before the work, not run for seconds") {
        const Image gif = decode(kStripGif);
        REQUIRE(gif.width == 5);
        REQUIRE(gif.height == 31491);
        PreprocessSpec square;
        square.width = 11;
        square.height = 5;
        square.resize_mode = ResizeMode::pad_square;
        square.interpolation = Interpolation::lanczos;
        CHECK(code_of([&] { preprocess_image(gif, square); }) == ErrorCode::image_too_large);
        square.interpolation = Interpolation::tf_bilinear_align_corners;  // builds every padded row
        square.width = square.height = 448;
        Image needle{1, 5000000, 1, std::vector<std::uint8_t>(5000000, 9), ImageFormat::png};
        CHECK(code_of([&] { preprocess_image(needle, square); }) == ErrorCode::image_too_large);

        // Also found while measuring it: a 1 x 2,000,000 strip (a 4 KB PNG) stretched to 448 x 448
        // kept 448 resampled pixels for each of its 2,000,000 rows, 2.6 GB, and took 43 s.
        Image strip{1, 2000000, 1, std::vector<std::uint8_t>(2000000, 7), ImageFormat::png};
        PreprocessSpec stretch;
        stretch.width = stretch.height = 448;
        stretch.resize_mode = ResizeMode::stretch;
        CHECK(code_of([&] { preprocess_image(strip, stretch); }) == ErrorCode::image_too_large);
        CHECK(code_of([&] { resize_image(strip, 448, 448, Interpolation::lanczos); }) == ErrorCode::image_too_large);
        // The same pixels as a wide strip cost what they should and still resize.
        Image wide{2000000, 1, 1, std::vector<std::uint8_t>(2000000, 7), ImageFormat::png};
        CHECK(resize_image(wide, 448, 448, Interpolation::lanczos).pixels.size() == 448u * 448u);
    }

    TEST_CASE("shorter_side_crop refuses absurd aspect ratios and centres a crop larger than the image") {
        Image needle{1, 100000, 1, std::vector<std::uint8_t>(100000, 9), ImageFormat::png};
        PreprocessSpec clip;
        clip.resize_mode = ResizeMode::shorter_side_crop;
        CHECK(code_of([&] { preprocess_image(needle, clip); }) == ErrorCode::image_too_large);

        Image small{4, 2, 1, {1, 2, 3, 4, 5, 6, 7, 8}, ImageFormat::png};
        PreprocessSpec wide;
        wide.width = 7;
        wide.height = 2;
        wide.shorter_side = 2;
        wide.resize_mode = ResizeMode::shorter_side_crop;
        wide.interpolation = Interpolation::nearest;
        wide.layout = Layout::nhwc;
        wide.value_max = 255;
        wide.pad_color = {0, 0, 0};
        Tensor t = preprocess_image(small, wide);
        // torchvision pads floor((7 - 4) / 2) = 1 column on the left.
        std::vector<float> row0;
        for (int x = 0; x < 7; ++x) row0.push_back(t.data[std::size_t(x) * 3]);
        CHECK(row0 == std::vector<float>{0, 1, 2, 3, 4, 0, 0});
    }

}  // TEST_SUITE
