// Analyzer: one forward pass feeding every task of the model; its results equal those of the
// tasks run on their own.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "acg2vec/analyzer.hpp"
#include "support/error_capture.hpp"
#include "support/fixture_models.hpp"
#include "support/task_fixtures.hpp"
#include "support/test_data.hpp"

using namespace acg2vec;
using acg2vec::test::code_of;
using Json = nlohmann::json;

namespace {

Image flat(std::uint8_t r, std::uint8_t g, std::uint8_t b) {
    Image image{4, 4, 3, {}, ImageFormat::png};
    for (int i = 0; i < 16; ++i) image.pixels.insert(image.pixels.end(), {r, g, b});
    return image;
}

const std::string& linear_path() {
    static const std::string path = [] {
        const std::string p = test::scratch_dir() + "/analyzer_linear.pt";
        test::save_linear_fixture(p, test::linear_scorer_embedder_metadata());
        return p;
    }();
    return path;
}

}  // namespace

TEST_SUITE("analyzer") {
    TEST_CASE("scores and vectors from one pass equal the tasks run alone") {
        const Model model = Model::open(linear_path());
        const Analyzer analyzer(model);
        REQUIRE(analyzer.scorer() != nullptr);
        REQUIRE(analyzer.embedder() != nullptr);
        CHECK(analyzer.tagger() == nullptr);
        const Scorer scorer(model);
        const Embedder embedder(model);
        for (const Image& image : {flat(10, 200, 30), flat(250, 0, 90)}) {
            const Analysis a = analyzer.analyze(image);
            CHECK_FALSE(a.tags);
            REQUIRE(a.scores);
            REQUIRE(a.vector);
            CHECK(a.scores->head("side").probabilities == scorer.score(image).head("side").probabilities);
            CHECK(*a.vector == embedder.embed(image));
            CHECK(a.vector->size() == 3);
        }
    }

    TEST_CASE("a batch equals single calls; a bad input fails alone") {
        const Analyzer analyzer = Analyzer::open(linear_path());
        const char junk[] = "junk";
        const std::vector<AnalysisOutcome> outcomes =
            analyzer.analyze_batch({flat(1, 2, 3), ImageInput::memory(junk, 4, "junk"), flat(200, 100, 0)});
        REQUIRE(outcomes.size() == 3);
        CHECK(outcomes[1].error == ErrorCode::unsupported_format);
        CHECK(outcomes[1].input == "junk");
        CHECK(*outcomes[0].result->vector == *analyzer.analyze(flat(1, 2, 3)).vector);
        CHECK(outcomes[2].result->scores->heads[0].probabilities ==
              analyzer.analyze(flat(200, 100, 0)).scores->heads[0].probabilities);
    }

    TEST_CASE("a batch of one image (decoded on the calling thread) gives the same, and fails alone too") {
        const Analyzer analyzer = Analyzer::open(linear_path());
        const std::vector<AnalysisOutcome> one = analyzer.analyze_batch({flat(9, 8, 7)});
        REQUIRE(one.size() == 1);
        REQUIRE(one[0].ok());
        CHECK(*one[0].result->vector == *analyzer.analyze(flat(9, 8, 7)).vector);
        CHECK(one[0].input == "batch[0]");
        const char junk[] = "junk";
        const std::vector<AnalysisOutcome> bad = analyzer.analyze_batch({ImageInput::memory(junk, 4, "junk")});
        REQUIRE(bad.size() == 1);
        CHECK(bad[0].error == ErrorCode::unsupported_format);
        CHECK(bad[0].input == "junk");
        CHECK_FALSE(bad[0].result.has_value());
    }

    TEST_CASE("options reach the tasks; the model is shared, not reopened") {
        AnalyzeOptions options;
        options.embed.normalize = false;
        options.score.top_k = 1;
        const Model model = Model::open(linear_path());
        const Analyzer analyzer(model, options);
        const Analysis a = analyzer.analyze(flat(255, 0, 0));
        CHECK((*a.vector)[0] == doctest::Approx(1.0f));  // the raw mean of the red channel
        CHECK(a.scores->heads[0].top.size() == 1);
        CHECK(&analyzer.embedder()->model().metadata() == &model.metadata());
    }

    TEST_CASE("a tagger model gives tags only; a model without task sections is refused") {
        const std::string tagger_path = test::scratch_dir() + "/analyzer_tagger.pt";
        test::save_tagger_fixture(tagger_path);
        const Analysis a = Analyzer::open(tagger_path).analyze(flat(0, 0, 0));
        REQUIRE(a.tags);
        CHECK_FALSE(a.scores);
        CHECK_FALSE(a.vector);
        CHECK(a.tags->ratings.size() == 4);

        Json bare = Json::parse(test::linear_fixture_metadata());
        bare["methods"].erase("text");
        bare["task"] = "classifier";
        const std::string bare_path = test::scratch_dir() + "/analyzer_bare.pt";
        test::save_linear_fixture(bare_path, bare.dump());
        CHECK(code_of([&] { Analyzer::open(bare_path); }) == ErrorCode::model_metadata);
    }

}  // TEST_SUITE
