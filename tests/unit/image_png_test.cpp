// Our PNG decoder (src/image/decode_png.cpp) against images whose pixels we know: every colour
// type and bit depth, interlaced or not, every row filter, tRNS, and broken streams.
#include <doctest/doctest.h>

#include <random>

#include "acg2vec/image.hpp"
#include "image/png.hpp"
#include "support/error_capture.hpp"
#include "support/png_writer.hpp"

using namespace acg2vec;
using acg2vec::test::code_of;
using acg2vec::test::message_of;
using test::Bytes;
using test::PngImage;

namespace {

Image decode(const Bytes& b) { return decode_image_memory(b.data(), b.size(), {}, "test.png"); }

PngImage random_image(std::uint32_t width, std::uint32_t height, int color_type, int depth, std::mt19937& rng) {
    PngImage image;
    image.width = width;
    image.height = height;
    image.color_type = color_type;
    image.bit_depth = depth;
    const int max_value = color_type == 3 ? std::min(6, (1 << depth) - 1) : (1 << depth) - 1;  // of 7 palette colours
    std::uniform_int_distribution<int> value(0, max_value);
    image.samples.resize(std::size_t(width) * height * std::size_t(image.samples_per_pixel()));
    for (auto& s : image.samples) s = std::uint16_t(value(rng));
    if (color_type == 3) {
        for (int i = 0; i < 7 * 3; ++i) image.palette.push_back(std::uint8_t(37 * i + 11));
    }
    return image;
}

// What the decoder must give: 8-bit samples (16-bit keep the high byte, lower depths scale to
// 0..255), palette colours, and an alpha channel from tRNS.
Image expected_pixels(const PngImage& png) {
    Image out;
    out.width = int(png.width);
    out.height = int(png.height);
    const int spp = png.samples_per_pixel();
    const bool keyed = (png.color_type == 0 || png.color_type == 2) && png.transparency.size() == std::size_t(2 * spp);
    out.channels = png.color_type == 3 ? (png.transparency.empty() ? 3 : 4) : spp + (keyed ? 1 : 0);
    for (std::size_t p = 0; p < std::size_t(png.width) * png.height; ++p) {
        const std::uint16_t* s = &png.samples[p * std::size_t(spp)];
        if (png.color_type == 3) {
            for (int c = 0; c < 3; ++c) out.pixels.push_back(png.palette[3 * s[0] + std::size_t(c)]);
            if (out.channels == 4) out.pixels.push_back(s[0] < png.transparency.size() ? png.transparency[s[0]] : 255);
            continue;
        }
        bool is_key = keyed;
        for (int c = 0; c < spp; ++c) {
            const int depth = png.bit_depth;
            out.pixels.push_back(std::uint8_t(depth == 16 ? s[c] >> 8 : s[c] * (255 / ((1 << depth) - 1))));
            is_key = is_key &&
                     s[c] == (png.transparency[2 * std::size_t(c)] << 8 | png.transparency[2 * std::size_t(c) + 1]);
        }
        if (keyed) out.pixels.push_back(is_key ? 0 : 255);
    }
    return out;
}

void check_decodes_as_expected(const PngImage& png) {
    const Image image = decode(test::encode_png(png));
    CHECK(image.width == int(png.width));
    CHECK(image.height == int(png.height));
    const Image expected = expected_pixels(png);
    CHECK(image.channels == expected.channels);
    CHECK(image.pixels == expected.pixels);
    CHECK(image.source_format == ImageFormat::png);
    // Pillow's modes "P" and "1", which it resizes with nearest (AlphaMode::ignore_after_resize).
    CHECK(image.indexed == (png.color_type == 3 || (png.color_type == 0 && png.bit_depth == 1)));
}

}  // namespace

TEST_SUITE("image_decode") {
    TEST_CASE("PNG: every colour type and bit depth, plain and interlaced, all five filters") {
        const std::vector<std::pair<int, std::vector<int>>> formats = {
            {0, {1, 2, 4, 8, 16}}, {2, {8, 16}}, {3, {1, 2, 4, 8}}, {4, {8, 16}}, {6, {8, 16}}};
        std::mt19937 rng(7);
        int checked = 0;
        for (const auto& [color_type, depths] : formats) {
            for (int depth : depths) {
                // Widths that leave partial bytes at low depths and empty Adam7 passes.
                for (std::uint32_t width : {1u, 3u, 9u, 33u}) {
                    for (std::uint32_t height : {1u, 5u, 12u}) {
                        for (bool interlaced : {false, true}) {
                            CAPTURE(color_type);
                            CAPTURE(depth);
                            CAPTURE(width);
                            CAPTURE(height);
                            CAPTURE(interlaced);
                            PngImage png = random_image(width, height, color_type, depth, rng);
                            png.interlaced = interlaced;
                            png.idat_size = 1 + rng() % 40;  // the stream split over many chunks
                            check_decodes_as_expected(png);
                            ++checked;
                        }
                    }
                }
            }
        }
        CHECK(checked == 15 * 4 * 3 * 2);
    }

    TEST_CASE("PNG: runs of Paeth rows, where SSE4.1 undoes one row or two rows at a time") {
        std::mt19937 rng(13);
        // RGB8, RGBA8 and gray + alpha 16-bit have 3 or 4 bytes per pixel (the SSE4.1 paths); the
        // others stay on the portable loops next to them.
        const std::vector<std::pair<int, int>> formats = {{2, 8}, {6, 8}, {4, 16}, {0, 8}, {4, 8}, {2, 16}, {6, 16}};
        const std::vector<std::vector<int>> patterns = {{4}, {4, 4, 4, 2, 4}, {1, 4, 4, 0, 3, 4}};
        for (const auto& [color_type, depth] : formats) {
            for (const auto& filters : patterns) {
                for (std::uint32_t width : {1u, 2u, 7u, 40u}) {
                    for (std::uint32_t height : {1u, 2u, 3u, 8u}) {
                        for (int range : {3, 255}) {  // few values: many ties between the predictors
                            CAPTURE(color_type);
                            CAPTURE(depth);
                            CAPTURE(width);
                            CAPTURE(height);
                            CAPTURE(range);
                            PngImage png = random_image(width, height, color_type, depth, rng);
                            for (auto& s : png.samples) s = std::uint16_t(s % (range + 1) * (depth == 16 ? 257 : 1));
                            png.filters = filters;
                            png.interlaced = width == 40 && height == 8;
                            check_decodes_as_expected(png);
                        }
                    }
                }
            }
        }
    }

    TEST_CASE("PNG unfiltering: the SSE4.1 paths give the bytes of the portable loops") {
        std::mt19937 rng(17);
        for (std::size_t bytes_per_pixel : {1u, 2u, 3u, 4u, 6u, 8u}) {
            for (int range : {3, 256}) {
                CAPTURE(bytes_per_pixel);
                CAPTURE(range);
                const std::size_t row_bytes = bytes_per_pixel * (1 + rng() % 50);
                const std::uint32_t height = 40;
                // Any bytes are valid filtered data; filter types in runs, Paeth most often.
                std::vector<std::uint8_t> rows(height * (row_bytes + 1));
                for (auto& b : rows) b = std::uint8_t(rng() % unsigned(range));
                for (std::uint32_t y = 0; y < height; ++y)
                    rows[y * (row_bytes + 1)] = std::uint8_t(rng() % 3 ? 4 : rng() % 4);
                std::vector<std::uint8_t> simd = rows, portable = rows;
                CHECK(detail::unfilter_rows(simd.data(), height, row_bytes, bytes_per_pixel, true) == height);
                CHECK(detail::unfilter_rows(portable.data(), height, row_bytes, bytes_per_pixel, false) == height);
                CHECK(simd == portable);

                rows[17 * (row_bytes + 1)] = 5;  // an unknown filter type stops at its row on both paths
                simd = rows, portable = rows;
                CHECK(detail::unfilter_rows(simd.data(), height, row_bytes, bytes_per_pixel, true) == 17);
                CHECK(detail::unfilter_rows(portable.data(), height, row_bytes, bytes_per_pixel, false) == 17);
            }
        }
    }

    TEST_CASE("PNG: tRNS gives palette alphas, or keys one gray or RGB colour to transparent") {
        std::mt19937 rng(11);
        for (bool interlaced : {false, true}) {
            PngImage palette = random_image(17, 9, 3, 4, rng);
            palette.interlaced = interlaced;
            palette.transparency = {0, 128, 255, 7};  // fewer alphas than colours: the rest are opaque
            check_decodes_as_expected(palette);

            for (int depth : {2, 8, 16}) {
                PngImage gray = random_image(17, 9, 0, depth, rng);
                gray.interlaced = interlaced;
                gray.transparency = {0, 1};
                check_decodes_as_expected(gray);
            }
            for (int depth : {8, 16}) {
                PngImage rgb = random_image(17, 9, 2, depth, rng);
                rgb.interlaced = interlaced;
                rgb.samples[3] = 0x0102, rgb.samples[4] = 0x0304, rgb.samples[5] = 0x0506;  // pixel 1 is the key
                if (depth == 8) rgb.samples[3] = 0x02, rgb.samples[4] = 0x04, rgb.samples[5] = 0x06;
                rgb.transparency = depth == 16 ? Bytes{1, 2, 3, 4, 5, 6} : Bytes{0, 2, 0, 4, 0, 6};
                const Image image = decode(test::encode_png(rgb));
                CHECK(image.pixels[7] == 0);  // pixel 1's alpha
                check_decodes_as_expected(rgb);
            }
        }
        // An empty tRNS on a palette image still makes it RGBA, every colour opaque (as stb_image).
        PngImage empty_alphas = random_image(5, 5, 3, 8, rng);
        empty_alphas.transparency.clear();
        Bytes with_empty = test::encode_png(empty_alphas);
        {
            Bytes b(with_empty.begin(), with_empty.begin() + 33 + 12 + 21);  // signature, IHDR, PLTE (7 colours)
            test::png_chunk(b, "tRNS", {});
            b.insert(b.end(), with_empty.begin() + 33 + 12 + 21, with_empty.end());
            const Image image = decode(b);
            CHECK(image.channels == 4);
            CHECK(image.pixels[3] == 255);
        }
        // A key of the wrong length means nothing (libpng and Pillow ignore it too).
        PngImage gray = random_image(4, 4, 0, 8, rng);
        gray.transparency = {0, 1, 2};
        CHECK(decode(test::encode_png(gray)).channels == 1);
    }

    TEST_CASE("PNG: rows inflated past the image are ignored; a short or broken stream is refused") {
        std::mt19937 rng(3);
        PngImage png = random_image(20, 10, 2, 8, rng);
        png.extra_image_data.assign(500, 0);  // trailing zero rows, as some encoders write
        check_decodes_as_expected(png);

        // But not without end: a 1 x 1 image whose stream inflates to 2 MB of zeros is refused.
        PngImage padded = random_image(1, 1, 0, 8, rng);
        padded.extra_image_data.assign(2 << 20, 0);
        CHECK(message_of([&] { decode(test::encode_png(padded)); }).find("far past the image") != std::string::npos);

        // A tiny file declaring a large image is refused before memory for the rows is taken:
        // deflate cannot expand its few bytes that far.
        PngImage declared = random_image(1, 1, 6, 16, rng);
        Bytes huge = test::encode_png(declared);
        test::put_be32(huge, 16, 10000);
        test::put_be32(huge, 20, 10000);
        test::put_be32(huge, 29, std::uint32_t(crc32(0, &huge[12], 17)));
        CHECK(message_of([&] { decode(huge); }).find("cannot hold") != std::string::npos);

        png.extra_image_data.clear();
        Bytes whole = test::encode_png(png);
        const Image reference = decode(whole);

        Bytes header_lies = test::encode_png(png);
        test::put_be32(header_lies, 16 + 4, 11);  // IHDR's height: one row more than the stream holds
        test::put_be32(header_lies, 29, std::uint32_t(crc32(0, &header_lies[12], 17)));
        CHECK(code_of([&] { decode(header_lies); }) == ErrorCode::invalid_image);
        CHECK(message_of([&] { decode(header_lies); }).find("too short") != std::string::npos);

        // A bad row filter type.
        Bytes rows;
        for (std::uint32_t y = 0; y < 10; ++y) {
            rows.push_back(y == 4 ? 9 : 0);
            for (int i = 0; i < 60; ++i) rows.push_back(std::uint8_t(i));
        }
        Bytes bad_filter = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
        test::png_chunk(bad_filter, "IHDR", Bytes(whole.begin() + 16, whole.begin() + 29));
        test::png_chunk(bad_filter, "IDAT", test::zlib_compress(rows));
        test::png_chunk(bad_filter, "IEND", {});
        CHECK(code_of([&] { decode(bad_filter); }) == ErrorCode::invalid_image);
        CHECK(message_of([&] { decode(bad_filter); }).find("filter type 9") != std::string::npos);

        // Image data after the zlib stream's end, in a chunk of its own: damage.
        Bytes trailing = whole;
        trailing.resize(trailing.size() - 12);  // IEND
        test::png_chunk(trailing, "IDAT", {1, 2, 3});
        test::png_chunk(trailing, "IEND", {});
        CHECK(code_of([&] { decode(trailing); }) == ErrorCode::invalid_image);

        // A flipped bit inside the compressed data (chunk CRC fixed up): zlib or Adler-32 refuses it.
        Bytes flipped = whole;
        const std::size_t idat = 8 + 25;  // signature, IHDR
        flipped[idat + 8 + 20] ^= 0x10;
        const std::uint32_t length =
            std::uint32_t(flipped[idat] << 24 | flipped[idat + 1] << 16 | flipped[idat + 2] << 8 | flipped[idat + 3]);
        test::put_be32(flipped, idat + 8 + length, std::uint32_t(crc32(0, &flipped[idat + 4], uInt(4 + length))));
        CHECK(code_of([&] { decode(flipped); }) == ErrorCode::invalid_image);
        CHECK(decode(whole).pixels == reference.pixels);
    }

    TEST_CASE("PNG: a pixel outside its palette, a missing palette, a second IHDR, unknown critical chunks") {
        std::mt19937 rng(5);
        PngImage png = random_image(8, 8, 3, 8, rng);
        png.samples[13] = 7;  // the palette has colours 0..6
        CHECK(code_of([&] { decode(test::encode_png(png)); }) == ErrorCode::invalid_image);
        CHECK(message_of([&] { decode(test::encode_png(png)); }).find("colour 7 of a 7-colour palette") !=
              std::string::npos);
        png.samples[13] = 6;
        png.palette.clear();
        CHECK(message_of([&] { decode(test::encode_png(png)); }).find("without a PLTE") != std::string::npos);

        PngImage rgb = random_image(4, 4, 2, 8, rng);
        const Bytes good = test::encode_png(rgb);
        auto with_chunk_after_ihdr = [&](const char* type, const Bytes& data) {
            Bytes b(good.begin(), good.begin() + 33);
            test::png_chunk(b, type, data);
            b.insert(b.end(), good.begin() + 33, good.end());
            return b;
        };
        CHECK(code_of([&] { decode(with_chunk_after_ihdr("IHDR", Bytes(good.begin() + 16, good.begin() + 29))); }) ==
              ErrorCode::invalid_image);
        CHECK(code_of([&] { decode(with_chunk_after_ihdr("ABCD", {1})); }) == ErrorCode::unsupported_format);
        CHECK(decode(with_chunk_after_ihdr("abCD", {1})).pixels == decode(good).pixels);  // ancillary: skipped
        // A broken file's chunk type is named by its letters, or in hex when it has none.
        CHECK(message_of([&] { decode(with_chunk_after_ihdr("ABCD", {1})); }).find("chunk ABCD") != std::string::npos);
        CHECK(message_of([&] {
                  decode(
                      with_chunk_after_ihdr("A\xff\x01"
                                            "D",
                                            {1}));
              }).find("chunk 0x41ff0144") != std::string::npos);

        Bytes bad_depth = good;
        bad_depth[24] = 4;  // RGB at 4 bits is not a PNG format
        test::put_be32(bad_depth, 29, std::uint32_t(crc32(0, &bad_depth[12], 17)));
        CHECK(message_of([&] { decode(bad_depth); }).find("colour type 2 with bit depth 4") != std::string::npos);
    }

}  // TEST_SUITE
