#include <doctest/doctest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "acg2vec/scorer.hpp"
#include "support/error_capture.hpp"
#include "support/task_fixtures.hpp"
#include "support/test_data.hpp"
#include "tasks/numeric_bins.hpp"

using namespace acg2vec;
using acg2vec::test::code_of;
using acg2vec::test::message_of;

namespace {

Image flat(std::uint8_t value) { return Image{4, 4, 3, std::vector<std::uint8_t>(48, value), ImageFormat::png}; }

const std::string& pix2score_path() {
    static const std::string path = [] {
        std::string p = test::scratch_dir() + "/pix2score.pt";
        test::save_pix2score_fixture(p);
        return p;
    }();
    return path;
}

}  // namespace

TEST_SUITE("scorer") {
    TEST_CASE("numeric bin labels: midpoints, open-ended bins at their lower bound") {
        CHECK(detail::numeric_bin_values({"0-10", "10-20", "2700-\xE2\x88\x9E"}) == std::vector<double>{5, 15, 2700});
        CHECK(detail::numeric_bin_values({"7+", "3", "1.5-2.5", "8-inf"}) == std::vector<double>{7, 3, 2, 8});
        CHECK(detail::numeric_bin_values({"0-10", "cat"}).empty());
        CHECK(detail::numeric_bin_values({"10-5"}).empty());
    }

    TEST_CASE("pix2score heads: probabilities, argmax, top-k and expected values") {
        Scorer scorer = Scorer::open(pix2score_path());
        CHECK(scorer.head_names() == std::vector<std::string>{"bookmark", "view", "sanity"});
        ScoreResult r = scorer.score(flat(40));
        const auto weights = test::scorer_fixture_weights();
        for (std::size_t h = 0; h < 3; ++h) {
            CAPTURE(h);
            REQUIRE(r.heads[h].probabilities.size() == weights[h].size());
            for (std::size_t i = 0; i < weights[h].size(); ++i) {
                CHECK(r.heads[h].probabilities[i] == doctest::Approx(weights[h][i]).epsilon(1e-5));
            }
        }
        const HeadScore& bookmark = r.head("bookmark");
        CHECK(bookmark.best.index == 0);
        CHECK(bookmark.best.label == "0-10");
        REQUIRE(bookmark.top.size() == 5);
        CHECK(bookmark.top[1].index == 3);  // 0.25, before the equal 0.25 of bin 14
        CHECK(bookmark.top[2].label == "2700-\xE2\x88\x9E");
        // 0.5 x 5 + 0.25 x 75 + 0.25 x 2700
        CHECK(*bookmark.expected_value == doctest::Approx(696.25).epsilon(1e-5));
        CHECK(*r.head("view").expected_value == doctest::Approx(0.75 * 750 + 0.25 * 1250).epsilon(1e-5));
        CHECK(*r.head("sanity").expected_value == doctest::Approx(4.1).epsilon(1e-5));
        CHECK(code_of([&] { r.head("likes"); }) == ErrorCode::not_found);

        auto j = nlohmann::json::parse(to_pai_json(r));
        CHECK(j["heads"]["bookmark"]["class_name"] == "0-10");
        CHECK(j["heads"]["sanity"]["class_probs"].size() == 5);
    }

    TEST_CASE("a single classifier in PAI's shape: class, class_name, class_probs, top5") {
        const std::string path = test::scratch_dir() + "/classifier.pt";
        test::save_classifier_fixture(path);
        ScorerOptions options;
        options.score.top_k = 3;
        Scorer scorer = Scorer::open(path, options);
        ScoreResult r = scorer.score(flat(200));
        REQUIRE(r.heads.size() == 1);
        CHECK(r.heads[0].labels == std::vector<std::string>{"class_0", "class_1", "class_2", "class_3", "class_4"});
        double total = 0;
        for (int i = 0; i < 5; ++i) total += std::exp(double(i));
        CHECK(r.heads[0].best.probability == doctest::Approx(std::exp(4.0) / total).epsilon(1e-5));
        CHECK(!r.heads[0].expected_value);
        auto j = nlohmann::json::parse(to_pai_json(r));
        CHECK(j["class"] == 4);
        CHECK(j["class_name"] == "class_4");
        CHECK(j["class_probs"]["class_0"].get<double>() == doctest::Approx(1.0 / total).epsilon(1e-5));
        CHECK(j["top5"].size() == 3);
        CHECK(j["top5"][1]["class_name"] == "class_3");
    }

    TEST_CASE("a head whose labels do not match its output fails at load") {
        const std::string path = test::scratch_dir() + "/pix2score_short.pt";
        test::save_pix2score_fixture(path, true);
        CHECK(code_of([&] { Scorer::open(path); }) == ErrorCode::model_metadata);
        CHECK(message_of([&] { Scorer::open(path); }).find("scorer.heads[2].labels") != std::string::npos);
    }

    TEST_CASE("a batch with a corrupt file in the middle scores the others") {
        ScorerOptions options;
        options.model.batch_size = 2;
        Scorer scorer = Scorer::open(pix2score_path(), options);
        const std::vector<std::string> paths = {test::shared_data("images/realesrgan_0014_cartoon_179x179.jpg"),
                                                test::shared_data("tricky/truncated_progressive.jpg"),
                                                test::shared_data("images/mangaocr_01_188x251.jpg")};
        std::vector<ScoreOutcome> out = scorer.score_batch(ImageInput::files(paths));
        REQUIRE(out.size() == 3);
        CHECK(out[0].ok());
        CHECK(out[1].error == ErrorCode::invalid_image);
        CHECK(out[2].ok());
        CHECK(out[2].result->head("sanity").best.label == "3-5");
        auto j = nlohmann::json::parse(to_pai_json(out));
        CHECK(j[1]["error"]["code"] == "invalid_image");
    }

}  // TEST_SUITE
