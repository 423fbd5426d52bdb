#include <doctest/doctest.h>

#include "acg2vec/image.hpp"
#include "support/base64.hpp"
#include "support/error_capture.hpp"
#include "support/test_data.hpp"

using namespace acg2vec;
using acg2vec::test::code_of;

namespace {

std::string encode(const std::vector<std::uint8_t>& bytes) { return test::encode_base64(bytes); }

std::string wrapped(const std::string& text, std::size_t column, const char* newline) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); i += column) out += text.substr(i, column) + newline;
    return out;
}

}  // namespace

TEST_SUITE("image_decode") {
    TEST_CASE("base64 round trips, with and without padding, line breaks and whitespace") {
        for (std::size_t n = 1; n < 40; ++n) {
            std::vector<std::uint8_t> bytes(n);
            for (std::size_t i = 0; i < n; ++i) bytes[i] = std::uint8_t(i * 37 + n);
            const std::string text = encode(bytes);
            CHECK(decode_base64(text) == bytes);
            CHECK(decode_base64(wrapped(text, 76, "\r\n")) == bytes);
            CHECK(decode_base64("  " + wrapped(text, 5, "\n \t")) == bytes);
            std::string unpadded = text.substr(0, text.find('='));
            CHECK(decode_base64(unpadded) == bytes);
        }
        CHECK(decode_base64("-_-_") == decode_base64("+/+/"));  // URL-safe alphabet
    }

    TEST_CASE("whitespace or a bad character at any place of a four-symbol group") {
        // The decoder takes four symbols at once on group boundaries and one at a time
        // elsewhere: every offset of the interruption exercises another switch between them.
        std::vector<std::uint8_t> bytes(29);
        for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = std::uint8_t(i * 91 + 7);
        const std::string text = encode(bytes);  // 40 characters, the last one '='
        for (std::size_t at = 0; at <= text.size(); ++at) {
            std::string spaced = text;
            spaced.insert(at, at % 2 ? "\n" : " \t");
            CHECK(decode_base64(spaced) == bytes);
            if (at >= text.size() - 1) continue;
            std::string bad = text;
            bad[at] = '*';
            CHECK(test::message_of([&] { decode_base64(bad); }).find("at offset " + std::to_string(at)) !=
                  std::string::npos);
        }
    }

    TEST_CASE("malformed base64 is refused with invalid_argument") {
        CHECK(code_of([] { decode_base64("QUJD*"); }) == ErrorCode::invalid_argument);
        CHECK(code_of([] { decode_base64("QUJDR"); }) == ErrorCode::invalid_argument);     // one dangling symbol
        CHECK(code_of([] { decode_base64("QQ==QQ=="); }) == ErrorCode::invalid_argument);  // data after padding
        CHECK(code_of([] { decode_base64("QQ==="); }) == ErrorCode::invalid_argument);
        CHECK(code_of([] { decode_base64(""); }) == ErrorCode::invalid_argument);
        CHECK(code_of([] { decode_base64("   \n"); }) == ErrorCode::invalid_argument);
        CHECK(code_of([] { decode_base64("data:image/png,QUJD"); }) == ErrorCode::invalid_argument);
        CHECK(code_of([] { decode_base64("data:image/png;base64"); }) == ErrorCode::invalid_argument);
    }

    TEST_CASE("images decode from base64 and data URLs exactly as from the file") {
        const std::string path = test::shared_data("tricky/pngsuite_basi6a08_interlaced.png");
        const auto bytes = test::read_bytes(path);
        const Image from_file = decode_image_file(path);
        const std::string text = encode(bytes);
        for (const std::string& form : {text, wrapped(text, 76, "\n"), "data:image/png;base64," + text,
                                        "DATA:image/png;charset=utf-8;BASE64," + wrapped(text, 64, "\r\n")}) {
            Image image = decode_image_base64(form);
            CHECK(image.pixels == from_file.pixels);
            CHECK(image.width == from_file.width);
        }
        CHECK(test::message_of([] {
                  decode_image_base64("QUJD", {}, "request.images[2]");
              }).find("request.images[2]: ") == 0);
    }

}  // TEST_SUITE
