// ImageInput: every source of an image gives the same result, names itself in outcomes and
// errors, and keeps borrowed or owned data alive as documented.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>

#include "acg2vec/image_input.hpp"
#include "acg2vec/tagger.hpp"
#include "support/base64.hpp"
#include "support/error_capture.hpp"
#include "support/task_fixtures.hpp"
#include "support/test_data.hpp"

using namespace acg2vec;
using acg2vec::test::code_of;
using acg2vec::test::message_of;

namespace {

const Tagger& tagger() {
    static const Tagger t = [] {
        const std::string path = test::scratch_dir() + "/input_tagger.pt";
        test::save_tagger_fixture(path);
        return Tagger::open(path);
    }();
    return t;
}

float bright(const TagResult& r) {
    for (const auto* list : {&r.general, &r.characters, &r.ratings})
        for (const Tag& t : *list)
            if (t.name == "bright") return t.probability;
    return -1;
}

}  // namespace

TEST_SUITE("image_input") {
    TEST_CASE("file, memory, base64, data URL and decoded image give the same tags") {
        const std::string path = test::shared_data("images/realesrgan_0014_cartoon_179x179.jpg");
        const std::vector<std::uint8_t> bytes = test::read_bytes(path);
        const std::string base64 = test::encode_base64(bytes);
        const Image decoded = decode_image_file(path);
        const float expected = bright(tagger().tag(ImageInput::file(path)));
        REQUIRE(expected > 0.28f);
        CHECK(bright(tagger().tag(ImageInput::memory(bytes.data(), bytes.size()))) == expected);
        CHECK(bright(tagger().tag(ImageInput::memory(std::vector<std::uint8_t>(bytes)))) == expected);
        CHECK(bright(tagger().tag(ImageInput::base64(base64))) == expected);
        CHECK(bright(tagger().tag(ImageInput::base64("data:image/jpeg;base64," + base64))) == expected);
        CHECK(bright(tagger().tag(decoded)) == expected);                  // borrowed
        CHECK(bright(tagger().tag(decode_image_file(path))) == expected);  // moved in
    }

    TEST_CASE("a batch names each input: the path, the given name, else batch[i]") {
        const std::string path = test::shared_data("images/realesrgan_0014_cartoon_179x179.jpg");
        const std::vector<std::uint8_t> bytes = test::read_bytes(path);
        std::vector<ImageInput> inputs{ImageInput::file(path), ImageInput::memory(bytes, "upload.jpg"),
                                       ImageInput::memory(bytes), ImageInput::file(path, "shown as this")};
        const std::vector<TagOutcome> outcomes = tagger().tag_batch(inputs);
        REQUIRE(outcomes.size() == 4);
        CHECK(outcomes[0].input == path);
        CHECK(outcomes[1].input == "upload.jpg");
        CHECK(outcomes[2].input == "batch[2]");
        CHECK(outcomes[3].input == "shown as this");
        for (const auto& o : outcomes) CHECK(bright(*o.result) == bright(*outcomes[0].result));
    }

    TEST_CASE("bad inputs fail with an error naming them, alone in a batch") {
        CHECK(code_of([] { ImageInput::file(""); }) == ErrorCode::invalid_argument);
        CHECK(code_of([] { tagger().tag(ImageInput::file("/nonexistent/x.png")); }) == ErrorCode::io);
        CHECK(message_of([] { tagger().tag(ImageInput::file("/nonexistent/x.png")); }).find("/nonexistent/x.png") !=
              std::string::npos);
        CHECK(message_of([] { tagger().tag(ImageInput::base64("!!!", "form field")); }).find("form field") !=
              std::string::npos);
        const char junk[] = "not an image";
        CHECK(code_of([&] { tagger().tag(ImageInput::memory(junk, sizeof junk, "junk.bin")); }) ==
              ErrorCode::unsupported_format);
        const std::vector<TagOutcome> outcomes = tagger().tag_batch(
            {ImageInput::memory(junk, sizeof junk, "junk.bin"), Image{4, 4, 3, std::vector<std::uint8_t>(48, 9)}});
        CHECK(outcomes[0].error == ErrorCode::unsupported_format);
        CHECK(outcomes[0].message.find("junk.bin") != std::string::npos);
        CHECK(outcomes[1].ok());
    }

    TEST_CASE("copies of an input share owned data; decode() copies a decoded image") {
        ImageInput copy = ImageInput::file("x");
        {
            ImageInput owned =
                ImageInput::memory(test::read_bytes(test::shared_data("images/realesrgan_0014_cartoon_179x179.jpg")));
            copy = owned;
        }
        CHECK(copy.kind() == ImageInput::Kind::memory);
        CHECK(copy.decode().width == 179);
        const ImageInput image{Image{2, 1, 3, {1, 2, 3, 4, 5, 6}}};
        REQUIRE(image.image() != nullptr);
        CHECK(image.decode().pixels == image.image()->pixels);
        CHECK(ImageInput::file("a.png").image() == nullptr);
    }

    TEST_CASE("a JPEG decodes with the fast inverse DCT on request, from every kind of input") {
        const std::string jpeg = test::shared_data("images/realesrgan_0014_cartoon_179x179.jpg");
        const std::vector<std::uint8_t> bytes = test::read_bytes(jpeg);
        const Image accurate = ImageInput::file(jpeg).decode();
        const Image fast = ImageInput::file(jpeg).decode({}, JpegIdct::fast);
        REQUIRE(fast.pixels.size() == accurate.pixels.size());
        int differ = 0, largest = 0;
        for (std::size_t i = 0; i < fast.pixels.size(); ++i) {
            const int d = std::abs(int(fast.pixels[i]) - int(accurate.pixels[i]));
            differ += d != 0;
            largest = std::max(largest, d);
        }
        // libjpeg-turbo's two IDCTs on this file: 62 % of the values differ, by at most 5.
        CHECK(differ > int(fast.pixels.size() / 4));
        CHECK(largest <= 16);
        CHECK(ImageInput::file(jpeg).decode({}, JpegIdct::accurate).pixels == accurate.pixels);
        CHECK(ImageInput::memory(bytes).decode({}, JpegIdct::fast).pixels == fast.pixels);
        CHECK(ImageInput::base64(test::encode_base64(bytes)).decode({}, JpegIdct::fast).pixels == fast.pixels);
        // Other formats have no DCT.
        const std::string png = test::shared_data("images/anime4k_knnw_lr_256x256.png");
        CHECK(ImageInput::file(png).decode({}, JpegIdct::fast).pixels == ImageInput::file(png).decode().pixels);
        // The options still apply, and errors still name the input.
        DecodeOptions tiny;
        tiny.max_pixels = 100;
        CHECK(code_of([&] { ImageInput::memory(bytes, "cartoon").decode(tiny, JpegIdct::fast); }) ==
              ErrorCode::image_too_large);
        CHECK(message_of([&] { ImageInput::file("missing.jpg").decode({}, JpegIdct::fast); }).find("missing.jpg") !=
              std::string::npos);
    }

}  // TEST_SUITE
