#include <doctest/doctest.h>

#include "acg2vec/tagger.hpp"
#include "support/error_capture.hpp"
#include "support/task_fixtures.hpp"
#include "support/test_data.hpp"
#include "support/text_edit.hpp"

using namespace acg2vec;
using acg2vec::test::code_of;
using acg2vec::test::message_of;

namespace {

std::string fixture(const std::string& name, const test::TaggerFixture& f = {}) {
    const std::string path = test::scratch_dir() + "/" + name;
    test::save_tagger_fixture(path, f);
    return path;
}

Image flat(std::uint8_t value) { return Image{4, 4, 3, std::vector<std::uint8_t>(48, value), ImageFormat::png}; }

// What the fixture's "bright" tag must say for an image: 0.28 + 0.5 x mean of its model input.
float expected_bright(const Image& image, const PreprocessSpec& spec) {
    Tensor t = preprocess_image(image, spec);
    double sum = 0;
    for (float v : t.data) sum += v;
    return 0.28f + 0.5f * float(sum / double(t.data.size()));
}

float probability_of(const TagResult& r, const std::string& name) {
    for (const auto& t : r.general) {
        if (t.name == name) return t.probability;
    }
    return -1.0f;
}

}  // namespace

TEST_SUITE("tagger") {
    TEST_CASE("a tagger model gives the selection of its probabilities") {
        Tagger tagger = Tagger::open(fixture("tagger.pt"));
        CHECK(tagger.labels().size() == 17);
        TagResult black = tagger.tag(flat(0));
        CHECK(black.rating == "general");
        CHECK(black.general.size() == 7);
        CHECK(black.characters.size() == 2);
        TagResult white = tagger.tag(flat(255));
        CHECK(probability_of(white, "bright") == doctest::Approx(0.78f));
        CHECK(white.general.size() == 8);
    }

    TEST_CASE("logits get a sigmoid, as the metadata says") {
        test::TaggerFixture logits;
        logits.logits = true;
        Tagger tagger = Tagger::open(fixture("tagger_logits.pt", logits));
        std::vector<float> p = tagger.probabilities(flat(0));
        const std::vector<float> base = test::tagger_fixture_base();
        REQUIRE(p.size() == base.size());
        for (std::size_t i = 0; i < p.size(); ++i) CHECK(p[i] == doctest::Approx(base[i]).epsilon(1e-5));
    }

    TEST_CASE("a label table that does not match the model output fails at load") {
        for (bool declared : {true, false}) {
            CAPTURE(declared);
            test::TaggerFixture f;
            f.drop_last_output = 1;
            f.declare_shape = declared;
            const std::string path = fixture(declared ? "short_declared.pt" : "short_probed.pt", f);
            CHECK(code_of([&] { Tagger::open(path); }) == ErrorCode::model_metadata);
            CHECK(message_of([&] { Tagger::open(path); }).find("17 labels but output 'scores' has 16") !=
                  std::string::npos);
        }
        test::TaggerFixture open_shape;
        open_shape.declare_shape = false;
        CHECK(Tagger::open(fixture("probed.pt", open_shape)).labels().size() == 17);
    }

    TEST_CASE("a batch with a corrupt and a missing file: only those fail, the others are tagged in order") {
        TaggerOptions options;
        options.model.batch_size = 2;
        Tagger tagger = Tagger::open(fixture("tagger_batch.pt"), options);
        const std::vector<std::string> paths = {
            test::shared_data("images/realesrgan_0014_cartoon_179x179.jpg"), test::shared_data("tricky/broken.png"),
            test::shared_data("images/waifu2x_chibi_rgba_720x720.png"), "/nonexistent/image.png",
            test::shared_data("images/mangaocr_01_188x251.jpg")};
        std::vector<TagOutcome> out = tagger.tag_batch(ImageInput::files(paths));
        REQUIRE(out.size() == 5);
        CHECK(out[1].error == ErrorCode::invalid_image);
        CHECK(out[1].message.find(paths[1]) == 0);
        CHECK(out[3].error == ErrorCode::io);
        CHECK(!out[3].result);
        const PreprocessSpec& spec = *tagger.model().metadata().preprocess;
        for (std::size_t i : {0, 2, 4}) {
            CAPTURE(i);
            REQUIRE(out[i].ok());
            CHECK(out[i].input == paths[i]);
            const float expected = expected_bright(decode_image_file(paths[i]), spec);
            CHECK(probability_of(*out[i].result, "bright") == doctest::Approx(expected).epsilon(1e-6));
            CHECK(probability_of(*out[i].result, "bright") ==
                  doctest::Approx(probability_of(tagger.tag(ImageInput::file(paths[i])), "bright")));
        }
        std::vector<TagOutcome> images = tagger.tag_batch({flat(0), flat(255), flat(128)});
        CHECK(probability_of(*images[1].result, "bright") == doctest::Approx(0.78f));
        CHECK(images[2].input == "batch[2]");
    }

    TEST_CASE("tagger options are checked at load, and a model without a tagger section is refused") {
        TaggerOptions bad;
        bad.tags.character_threshold = -0.1f;
        CHECK(code_of([&] { Tagger::open(fixture("tagger_opts.pt"), bad); }) == ErrorCode::invalid_argument);
        const std::string scorer = test::scratch_dir() + "/not_a_tagger.pt";
        test::save_classifier_fixture(scorer);
        CHECK(code_of([&] { Tagger::open(scorer); }) == ErrorCode::model_metadata);
    }

    // Found by the bit-flip fault test (tests/fault/model_file_test.cpp): a tagger whose
    // acg2vec.json names its method "imagf" failed with not_found, a lookup code, instead of the
    // model_metadata that every other defect of a model file gives.
    TEST_CASE("a tagger model without an image method is a metadata error") {
        const std::string path = fixture("tagger_no_image.pt");
        TaggerOptions options;
        options.model.metadata_json = test::replaced_once(Model::open(path).metadata().json, "\"image\"", "\"imagf\"");
        CHECK(code_of([&] { Tagger::open(path, options); }) == ErrorCode::model_metadata);
        CHECK(message_of([&] { Tagger::open(path, options); }).find("no 'image' method") != std::string::npos);
    }

}  // TEST_SUITE
