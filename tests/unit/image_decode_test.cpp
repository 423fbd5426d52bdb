#include <doctest/doctest.h>

#include <functional>
#include <map>
#include <set>

#include "acg2vec/error.hpp"
#include "acg2vec/image.hpp"
#include "acg2vec/preprocess.hpp"
#include "support/error_capture.hpp"
#include "support/test_data.hpp"

using namespace acg2vec;
using acg2vec::test::code_of;
using acg2vec::test::fnv1a64;
using acg2vec::test::message_of;
using acg2vec::test::read_bytes;
using acg2vec::test::shared_data;

namespace {

struct Expected {
    ErrorCode code;
    int width = 0, height = 0, channels = 0;
};

// What every file in ../shared/data/tricky must give: a size and colour type, or an error code.
const std::map<std::string, Expected>& tricky_expectations() {
    static const std::map<std::string, Expected> table = {
        {"animated.apng", {ErrorCode::ok, 245, 245, 4}},
        {"animated.gif", {ErrorCode::ok, 245, 245, 3}},
        {"arithmetic_coded.jpg", {ErrorCode::ok, 227, 149, 3}},
        {"broken.png", {ErrorCode::invalid_image}},
        {"cmyk.jpg", {ErrorCode::ok, 100, 100, 3}},
        {"decompression_bomb.gif", {ErrorCode::image_too_large}},
        {"exif_orientation_6.jpg", {ErrorCode::ok, 128, 128, 3}},
        {"grayscale_baseline.jpg", {ErrorCode::ok, 128, 128, 1}},
        {"ijg_testorig.jpg", {ErrorCode::ok, 227, 149, 3}},
        {"libpng_badadler.png", {ErrorCode::invalid_image}},
        // Pillow stops reading at the last pixel; we refuse an IDAT chunk declared 2 GiB past the end.
        {"libpng_huge_idat.png", {ErrorCode::invalid_image}},
        {"lossy.webp", {ErrorCode::ok, 128, 128, 3}},
        {"palette_interlaced.png", {ErrorCode::ok, 162, 150, 4}},
        {"png_16bit_rgb.png", {ErrorCode::ok, 149, 227, 3}},
        {"png_16bit_rgba_tree.png", {ErrorCode::ok, 342, 256, 4}},
        {"pngsuite_basi6a08_interlaced.png", {ErrorCode::ok, 32, 32, 4}},
        {"pngsuite_basn0g16_gray16.png", {ErrorCode::ok, 32, 32, 1}},
        {"pngsuite_basn3p08_palette.png", {ErrorCode::ok, 32, 32, 3}},
        {"pngsuite_basn6a16_rgba16.png", {ErrorCode::ok, 32, 32, 4}},
        {"pngsuite_tbbn3p08_palette_trns.png", {ErrorCode::ok, 32, 32, 4}},
        {"pngsuite_xhdn0g08_bad_ihdr_crc.png", {ErrorCode::invalid_image}},
        {"progressive.jpg", {ErrorCode::ok, 256, 160, 3}},
        {"progressive_grayscale.jpg", {ErrorCode::ok, 236, 236, 1}},
        {"rgba_interlaced.png", {ErrorCode::ok, 162, 150, 4}},
        {"truncated_image.png", {ErrorCode::invalid_image}},
        {"truncated_progressive.jpg", {ErrorCode::invalid_image}},
    };
    return table;
}

}  // namespace

TEST_SUITE("image_decode") {
    TEST_CASE("every tricky file decodes to its size and colour type or fails with its code") {
        for (const auto& [name, expected] : tricky_expectations()) {
            CAPTURE(name);
            const std::string path = shared_data("tricky/" + name);
            Image image;
            ErrorCode code = code_of([&] { image = decode_image_file(path); });
            CHECK(code == expected.code);
            if (expected.code == ErrorCode::ok && code == ErrorCode::ok) {
                CHECK(image.width == expected.width);
                CHECK(image.height == expected.height);
                CHECK(image.channels == expected.channels);
                CHECK(image.pixels.size() == std::size_t(image.width) * image.height * image.channels);
            } else {
                // The message names the input.
                CHECK(message_of([&] { decode_image_file(path); }).find(path) == 0);
            }
        }
    }

    TEST_CASE("decoding is deterministic: the same bytes give the same pixels or the same error") {
        for (const auto& [name, expected] : tricky_expectations()) {
            CAPTURE(name);
            auto bytes = read_bytes(shared_data("tricky/" + name));
            std::string first, second;
            ErrorCode c1 = code_of([&] { first = fnv1a64(decode_image_memory(bytes.data(), bytes.size()).pixels); });
            ErrorCode c2 = code_of([&] { second = fnv1a64(decode_image_memory(bytes.data(), bytes.size()).pixels); });
            CHECK(c1 == c2);
            CHECK(first == second);
        }
    }

    TEST_CASE("pixels equal Pillow's for every file Pillow decodes, and errors where Pillow errs") {
        // Pillow opens 16-bit grayscale PNG as mode I and clips it to 255 on convert("RGB");
        // we keep the high byte instead (the image's real brightness), so that one file differs.
        const std::set<std::string> intended_differences = {"tricky/pngsuite_basn0g16_gray16.png"};
        // Files Pillow decodes that we refuse as corrupt (see tricky_expectations).
        const std::set<std::string> refused = {"tricky/libpng_huge_idat.png"};
        int compared = 0;
        for (const auto& row : test::read_tsv(test::test_data("pillow/decode.tsv"))) {
            const std::string& file = row[0];
            CAPTURE(file);
            const std::string path = shared_data(file);
            if (row[1] == "error") {
                CHECK(code_of([&] { decode_image_file(path); }) != ErrorCode::ok);
                continue;
            }
            if (refused.count(file)) {
                CHECK(code_of([&] { decode_image_file(path); }) == ErrorCode::invalid_image);
                continue;
            }
            Image image = decode_image_file(path);
            CHECK(image.width == std::stoi(row[2]));
            CHECK(image.height == std::stoi(row[3]));
            // Pillow's modes "P" and "1" are what we mark indexed (every such sample is PNG or GIF).
            CHECK(image.indexed == (row[1] == "P" || row[1] == "1"));
            if (intended_differences.count(file)) continue;
            CHECK(fnv1a64(to_rgb(image, AlphaMode::ignore).pixels) == row[4]);
            CHECK(fnv1a64(to_rgb(image, AlphaMode::composite, {255, 255, 255}).pixels) == row[5]);
            ++compared;
        }
        CHECK(compared == 38);  // 40 files Pillow decodes, less the two above
    }

    TEST_CASE("EXIF orientation is ignored by default and applied on request, as ImageOps.exif_transpose") {
        const auto row = test::read_tsv(test::test_data("pillow/exif.tsv")).at(0);
        const std::string path = shared_data(row[0]);
        Image as_stored = decode_image_file(path);
        DecodeOptions upright_options;
        upright_options.apply_exif_orientation = true;
        Image upright = decode_image_file(path, upright_options);
        CHECK(upright.width == std::stoi(row[2]));
        CHECK(upright.height == std::stoi(row[3]));
        CHECK(fnv1a64(upright.pixels) == row[4]);
        CHECK(fnv1a64(as_stored.pixels) != row[4]);
    }

    TEST_CASE("the pixel limit is checked against the declared size before decoding") {
        DecodeOptions small;
        small.max_pixels = 100 * 100 - 1;
        const std::string path = shared_data("tricky/cmyk.jpg");  // 100 x 100
        CHECK(code_of([&] { decode_image_file(path, small); }) == ErrorCode::image_too_large);
        small.max_pixels = 100 * 100;
        CHECK(code_of([&] { decode_image_file(path, small); }) == ErrorCode::ok);
        std::string msg = message_of([&] { decode_image_file(shared_data("tricky/decompression_bomb.gif")); });
        CHECK(msg.find("max_pixels") != std::string::npos);
        // PNG, WebP and stb paths honour it too.
        DecodeOptions tiny;
        tiny.max_pixels = 16;
        for (const char* f : {"tricky/lossy.webp", "tricky/rgba_interlaced.png", "tricky/animated.gif"}) {
            CAPTURE(f);
            CHECK(code_of([&] { decode_image_file(shared_data(f), tiny); }) == ErrorCode::image_too_large);
        }
    }

    TEST_CASE("bad inputs get clear codes and name the input") {
        CHECK(code_of([] { decode_image_file("/nonexistent/dir/x.png"); }) == ErrorCode::io);
        CHECK(message_of([] { decode_image_file("/nonexistent/dir/x.png"); }).find("/nonexistent/dir/x.png") == 0);
        CHECK(code_of([] { decode_image_file(test::scratch_dir()); }) == ErrorCode::io);  // a directory
        CHECK(code_of([] { decode_image_memory(nullptr, 0); }) == ErrorCode::invalid_argument);
        const std::string text = "hello, this is not an image at all";
        CHECK(code_of([&] { decode_image_memory(text.data(), text.size(), {}, "batch[3]"); }) ==
              ErrorCode::unsupported_format);
        CHECK(message_of([&] { decode_image_memory(text.data(), text.size(), {}, "batch[3]"); }).find("batch[3]: ") ==
              0);
        // A JPEG header alone, and a PNG signature alone.
        const unsigned char jpeg_start[] = {0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10};
        CHECK(code_of([&] { decode_image_memory(jpeg_start, sizeof jpeg_start); }) == ErrorCode::invalid_image);
        const unsigned char png_start[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
        CHECK(code_of([&] { decode_image_memory(png_start, sizeof png_start); }) == ErrorCode::invalid_image);
    }

    TEST_CASE("every prefix of a valid file fails cleanly or decodes, never crashes") {
        for (const char* f : {"tricky/ijg_testorig.jpg", "tricky/pngsuite_basi6a08_interlaced.png", "tricky/lossy.webp",
                              "tricky/pngsuite_basn3p08_palette.png"}) {
            CAPTURE(f);
            auto bytes = read_bytes(shared_data(f));
            for (std::size_t n = 1; n < bytes.size(); n += 1 + n / 16) {
                ErrorCode code = code_of([&] { decode_image_memory(bytes.data(), n); });
                CHECK((code == ErrorCode::invalid_image || code == ErrorCode::unsupported_format ||
                       code == ErrorCode::invalid_argument));
            }
        }
    }

    TEST_CASE("12-bit JPEG and Apple CgBI PNG are unsupported, not garbage") {
        // A baseline SOF1 header declaring 12-bit samples (extended sequential).
        // A SOF1 frame header declaring 12-bit samples, then a scan header, which is where libjpeg
        // checks the precision.
        const unsigned char jpeg12[] = {0xFF, 0xD8, 0xFF, 0xC1, 0x00, 0x0B, 0x0C, 0x00, 0x10, 0x00,
                                        0x10, 0x01, 0x01, 0x11, 0x00, 0xFF, 0xDA, 0x00, 0x08, 0x01,
                                        0x01, 0x00, 0x00, 0x3F, 0x00, 0x00, 0x00, 0xFF, 0xD9};
        CHECK(code_of([&] { decode_image_memory(jpeg12, sizeof jpeg12); }) == ErrorCode::unsupported_format);
        // Signature + a CgBI chunk (length 4) with its correct CRC.
        std::vector<unsigned char> cgbi = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0,    0,    0,    4,
                                           'C',  'g', 'B', 'I', 0x50, 0x00, 0x20, 0x02, 0x2B, 0xD5, 0xB3, 0x7F};
        cgbi.resize(cgbi.size() + 32, 0);
        CHECK(code_of([&] { decode_image_memory(cgbi.data(), cgbi.size()); }) == ErrorCode::unsupported_format);
    }

}  // TEST_SUITE

TEST_SUITE("image_decode") {
    TEST_CASE("jpeg_min_side: DCT-scaled JPEG decoding keeps both sides at least that long") {
        const std::string path = test::shared_data("images/animeseg_banner_3027x1656.jpg");
        const Image full = decode_image_file(path);
        CHECK(full.width == 3027);
        DecodeOptions options;
        options.jpeg_min_side = 400;  // 1/8 would give 379 x 207: too small; 1/4 gives 757 x 414
        const Image quarter = decode_image_file(path, options);
        CHECK(quarter.width == 757);
        CHECK(quarter.height == 414);
        options.jpeg_min_side = 2000;  // even 1/2 would be too small: full size
        CHECK(decode_image_file(path, options).width == 3027);
        // Other formats ignore the option.
        const std::string png = test::shared_data("images/anime2sketch_saber_1024x640.png");
        options.jpeg_min_side = 100;
        CHECK(decode_image_file(png, options).width == 1024);
    }
}
