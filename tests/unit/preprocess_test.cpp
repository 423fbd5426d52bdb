#include <doctest/doctest.h>

#include "acg2vec/preprocess.hpp"
#include "support/error_capture.hpp"

using namespace acg2vec;
using acg2vec::test::code_of;

namespace {

Image make_image(int w, int h, int c, std::vector<std::uint8_t> pixels) {
    return Image{w, h, c, std::move(pixels), ImageFormat::png};
}

PreprocessSpec raw_spec(int w, int h) {  // 0..255 values, RGB, NHWC: easy to read back
    PreprocessSpec s;
    s.width = w;
    s.height = h;
    s.layout = Layout::nhwc;
    s.value_max = 255.0f;
    s.interpolation = Interpolation::nearest;
    return s;
}

}  // namespace

TEST_SUITE("preprocess") {
    TEST_CASE("TensorFlow align-corners bilinear maps corners to corners and interpolates linearly") {
        Image gray = make_image(2, 2, 1, {0, 100, 200, 255});
        PreprocessSpec s = raw_spec(3, 3);
        s.interpolation = Interpolation::tf_bilinear_align_corners;
        Tensor t = preprocess_image(gray, s);
        auto at = [&](int x, int y) { return t.data[(std::size_t(y) * 3 + x) * 3]; };
        CHECK(at(0, 0) == 0.0f);
        CHECK(at(2, 0) == 100.0f);
        CHECK(at(0, 2) == 200.0f);
        CHECK(at(2, 2) == 255.0f);
        CHECK(at(1, 0) == 50.0f);
        CHECK(at(1, 1) == doctest::Approx(138.75f));  // (50 + 227.5) / 2
        // Not rounded to 8 bits in preprocessing.
        CHECK(at(1, 2) == doctest::Approx(227.5f));
    }

    TEST_CASE("channel order, value range, mean/std and layout") {
        Image rgb = make_image(1, 1, 3, {51, 102, 204});
        PreprocessSpec s;
        s.width = 2;
        s.height = 1;
        s.interpolation = Interpolation::nearest;
        s.channel_order = ChannelOrder::bgr;
        s.value_max = 1.0f;
        s.mean = {0.5f, 0.5f, 0.5f};
        s.std = {0.5f, 0.25f, 0.5f};
        s.layout = Layout::nchw;
        Tensor t = preprocess_image(rgb, s);
        CHECK(t.shape == std::vector<std::int64_t>{1, 3, 1, 2});
        // Plane 0 is blue: (204/255 - 0.5) / 0.5 = 0.6
        CHECK(t.data[0] == doctest::Approx(0.6f));
        CHECK(t.data[1] == doctest::Approx(0.6f));
        CHECK(t.data[2] == doctest::Approx((102 / 255.0f - 0.5f) / 0.25f));
        CHECK(t.data[4] == doctest::Approx((51 / 255.0f - 0.5f) / 0.5f));
        s.layout = Layout::nhwc;
        Tensor h = preprocess_image(rgb, s);
        CHECK(h.shape == std::vector<std::int64_t>{1, 1, 2, 3});
        CHECK(h.data[0] == doctest::Approx(0.6f));
        CHECK(h.data[3] == doctest::Approx(0.6f));
    }

    TEST_CASE("pad_square centres the image on the pad colour before resizing (WD14)") {
        Image wide = make_image(2, 1, 3, {10, 20, 30, 40, 50, 60});
        PreprocessSpec s = raw_spec(2, 2);
        s.resize_mode = ResizeMode::pad_square;
        s.pad_color = {255, 0, 7};
        Tensor t = preprocess_image(wide, s);
        // Side 2: top offset (2 - 1) / 2 = 0, so row 0 is the image and row 1 the pad colour.
        std::vector<float> expected = {10, 20, 30, 40, 50, 60, 255, 0, 7, 255, 0, 7};
        CHECK(t.data == expected);
    }

    TEST_CASE("longer_side_pad keeps the aspect ratio and pads with edge pixels on request") {
        Image tall = make_image(1, 2, 1, {0, 200});
        PreprocessSpec s = raw_spec(3, 2);
        s.resize_mode = ResizeMode::longer_side_pad;
        s.pad_mode = PadMode::edge;
        Tensor t = preprocess_image(tall, s);
        // 1x2 fits 3x2 unscaled; x offset (3 - 1) / 2 = 1; edges replicate the single column.
        for (int x = 0; x < 3; ++x) {
            CHECK(t.data[std::size_t(x) * 3] == 0.0f);
            CHECK(t.data[(3 + std::size_t(x)) * 3] == 200.0f);
        }
    }

    TEST_CASE("shorter_side_crop rounds the centre offset half to even, like torchvision, or floors it") {
        std::vector<std::uint8_t> px;
        for (int y = 0; y < 3; ++y)
            for (int x = 0; x < 5; ++x) px.push_back(std::uint8_t(10 * x + y));
        Image gray = make_image(5, 3, 1, px);
        PreprocessSpec s = raw_spec(2, 2);
        s.resize_mode = ResizeMode::shorter_side_crop;
        s.shorter_side = 3;  // no resize: the image already has shorter side 3
        Tensor t = preprocess_image(gray, s);
        // left = round(1.5) = 2, top = round(0.5) = 0
        CHECK(t.data[0] == 20.0f);
        CHECK(t.data[3] == 30.0f);
        CHECK(t.data[6] == 21.0f);

        // transformers' image processors floor instead: left = 3 // 2 = 1, top = 1 // 2 = 0.
        s.crop_rounding = CropRounding::floor;
        t = preprocess_image(gray, s);
        CHECK(t.data[0] == 10.0f);
        CHECK(t.data[3] == 20.0f);
        CHECK(t.data[6] == 11.0f);
        s.crop_rounding = CropRounding(7);
        CHECK(code_of([&] { preprocess_image(gray, s); }) == ErrorCode::invalid_argument);
    }

    TEST_CASE("alpha is composited over the background with Pillow's rounding, or ignored") {
        Image la = make_image(2, 1, 2, {200, 128, 50, 0});
        Image over = to_rgb(la, AlphaMode::composite, {255, 255, 255});
        CHECK(over.pixels == std::vector<std::uint8_t>{227, 227, 227, 255, 255, 255});
        Image black = to_rgb(la, AlphaMode::composite, {0, 0, 0});
        CHECK(black.pixels[0] == 100);  // 200 * 128 / 255 = 100.4
        Image ignored = to_rgb(la, AlphaMode::ignore);
        CHECK(ignored.pixels == std::vector<std::uint8_t>{200, 200, 200, 50, 50, 50});
    }

    TEST_CASE("TensorFlow area resize weights input pixels by the covered fraction") {
        // TensorFlow's own example (resize_area_op.cc): 4 -> 3, scale 4/3.
        Image row = make_image(4, 1, 1, {0, 30, 60, 90});
        PreprocessSpec s = raw_spec(3, 1);
        s.interpolation = Interpolation::tf_area;
        Tensor t = preprocess_image(row, s);
        CHECK(t.data[0] == doctest::Approx(7.5f));   // (0 + 30 / 3) * 3 / 4
        CHECK(t.data[3] == doctest::Approx(45.0f));  // (30 * 2 / 3 + 60 * 2 / 3) * 3 / 4
        CHECK(t.data[6] == doctest::Approx(82.5f));  // (60 / 3 + 90) * 3 / 4
        // Enlarging by 2: every output cell lies inside one input pixel.
        Image two = make_image(2, 1, 1, {0, 100});
        s.width = 4;
        t = preprocess_image(two, s);
        CHECK(t.data[0] == 0.0f);
        CHECK(t.data[3] == 0.0f);
        CHECK(t.data[6] == 100.0f);
        CHECK(t.data[9] == 100.0f);
        CHECK(resize_image(row, 3, 1, Interpolation::tf_area).pixels == std::vector<std::uint8_t>{8, 45, 83});
    }

    TEST_CASE("exact pad placement centres at half a pixel and samples bilinearly") {
        Image two = make_image(2, 2, 1, {10, 50, 10, 50});  // columns 10 | 50
        PreprocessSpec s = raw_spec(5, 2);
        s.resize_mode = ResizeMode::longer_side_pad;
        s.pad_placement = PadPlacement::exact;
        s.pad_mode = PadMode::edge;
        Tensor t = preprocess_image(two, s);  // slack 3: the image starts at x = 1.5
        auto row0 = [&] {
            std::vector<float> v;
            for (int x = 0; x < 5; ++x) v.push_back(t.data[std::size_t(x) * 3]);
            return v;
        };
        CHECK(row0() == std::vector<float>{10, 10, 30, 50, 50});
        s.pad_mode = PadMode::constant;
        s.pad_color = {250, 250, 250};
        t = preprocess_image(two, s);
        CHECK(row0() == std::vector<float>{250, 130, 30, 150, 250});
        s.pad_placement = PadPlacement::floor;  // whole pixels: the image at x = 1
        t = preprocess_image(two, s);
        CHECK(row0() == std::vector<float>{250, 10, 50, 250, 250});
        s.resize_mode = ResizeMode::stretch;
        s.pad_placement = PadPlacement::exact;
        CHECK(code_of([&] { preprocess_image(two, s); }) == ErrorCode::invalid_argument);
    }

    TEST_CASE("TensorFlow's filters fit longer_side_pad sizes in float32, as tf.image.resize does") {
        // 23 x 46 into 97 x 97: the width is 23 * 97 / 46 = 48.5 exactly, which rounds half to
        // even to 48; TensorFlow's float32 scale makes it 48.500004, which rounds to 49.
        Image strip = make_image(23, 46, 1, std::vector<std::uint8_t>(23 * 46, 7));
        PreprocessSpec s = raw_spec(97, 97);
        s.resize_mode = ResizeMode::longer_side_pad;
        s.pad_mode = PadMode::constant;
        s.pad_color = {0, 0, 0};
        auto content_columns = [&] {
            Tensor t = preprocess_image(strip, s);
            int n = 0;
            for (int x = 0; x < 97; ++x) n += t.data[(std::size_t(48) * 97 + x) * 3] > 0.0f;
            return n;
        };
        s.interpolation = Interpolation::tf_area;
        CHECK(content_columns() == 49);
        s.interpolation = Interpolation::box;
        CHECK(content_columns() == 48);
    }

    TEST_CASE("invalid specs and images are refused") {
        Image rgb = make_image(1, 1, 3, {1, 2, 3});
        PreprocessSpec s;
        s.width = 0;
        CHECK(code_of([&] { preprocess_image(rgb, s); }) == ErrorCode::invalid_argument);
        s = PreprocessSpec{};
        s.std = {1, 0, 1};
        CHECK(code_of([&] { preprocess_image(rgb, s); }) == ErrorCode::invalid_argument);
        Image inconsistent = make_image(4, 4, 3, {1, 2, 3});
        CHECK(code_of([&] { preprocess_image(inconsistent, PreprocessSpec{}); }) == ErrorCode::invalid_argument);
        CHECK(code_of([&] { resize_image(rgb, 0, 5, Interpolation::bicubic); }) == ErrorCode::invalid_argument);
        CHECK(code_of([] { parse_interpolation("cubic"); }) == ErrorCode::invalid_argument);
        CHECK(parse_interpolation("lanczos") == Interpolation::lanczos);
        CHECK(parse_interpolation("tf_area") == Interpolation::tf_area);
        CHECK(parse_resize_mode(resize_mode_name(ResizeMode::longer_side_pad)) == ResizeMode::longer_side_pad);
    }

}  // TEST_SUITE
