// Selection rules with hand-computed expectations on the fixture table.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "support/error_capture.hpp"
#include "support/task_fixtures.hpp"
#include "tasks/tag_selection.hpp"

using namespace acg2vec;
using acg2vec::test::code_of;

namespace {

const LabelTable& table() {
    static const LabelTable t = parse_selected_tags_csv(test::tagger_fixture_labels());
    return t;
}

std::vector<std::string> names(const std::vector<Tag>& tags) {
    std::vector<std::string> n;
    for (const auto& t : tags) n.push_back(t.name);
    return n;
}

TagResult select(const TagOptions& o, std::vector<float> p = test::tagger_fixture_base()) {
    return detail::select_tags(table(), p, o);
}

}  // namespace

TEST_SUITE("tagger") {
    TEST_CASE("default thresholds: general > 0.35, character > 0.85; every rating, the top one named") {
        TagResult r = select({});
        CHECK(names(r.general) ==
              std::vector<std::string>{"1girl", "smile", "shirt", "white_shirt", "long_hair", "hair", "chair"});
        CHECK(names(r.characters) == std::vector<std::string>{"hatsune_miku", "kagamine_rin"});
        CHECK(names(r.ratings) == std::vector<std::string>{"general", "sensitive", "questionable", "explicit"});
        CHECK(r.rating == "general");
        CHECK(r.general[0].probability == 0.95f);
        CHECK(r.general[0].index == 4);
        CHECK(r.caption() == "hatsune_miku, kagamine_rin, 1girl, smile, shirt, white_shirt, long_hair, hair, chair");
    }

    TEST_CASE("MCut cuts at the widest gap; characters never below the 0.15 floor") {
        TagOptions o;
        o.general_mcut = true;
        o.character_mcut = true;
        TagResult r = select(o);
        // General sorted: .95 .9 | .62 ... the widest gap is .9 -> .62, threshold .76.
        CHECK(names(r.general) == std::vector<std::string>{"1girl", "smile"});
        // Characters .9 .86 | .3: threshold .58.
        CHECK(names(r.characters) == std::vector<std::string>{"hatsune_miku", "kagamine_rin"});
        CHECK(detail::mcut_threshold({0.9f, 0.3f, 0.86f}) == doctest::Approx(0.58f));

        std::vector<float> p = test::tagger_fixture_base();
        p[14] = 0.12f;
        p[15] = 0.11f;
        p[16] = 0.02f;  // MCut alone would give (.11 + .02) / 2 = .065
        CHECK(select(o, p).characters.empty());
        o.character_mcut_floor = 0.0f;
        CHECK(names(select(o, p).characters) == std::vector<std::string>{"hatsune_miku", "kagamine_rin"});
    }

    TEST_CASE("thresholds are strict, and limits keep the most probable") {
        TagOptions o;
        o.general_threshold = 0.6f;  // "white_shirt" has exactly 0.6
        CHECK(names(select(o).general) == std::vector<std::string>{"1girl", "smile", "shirt"});
        o = TagOptions{};
        o.max_general = 2;
        o.max_characters = 1;
        CHECK(names(select(o).general) == std::vector<std::string>{"1girl", "smile"});
        CHECK(names(select(o).characters) == std::vector<std::string>{"hatsune_miku"});
    }

    TEST_CASE("drop_overlap removes tags whose words sit inside a kept tag") {
        TagOptions o;
        o.drop_overlap = true;
        // "shirt" is inside "white_shirt", "hair" inside "long_hair"; "chair" is a different word.
        CHECK(names(select(o).general) ==
              std::vector<std::string>{"1girl", "smile", "white_shirt", "long_hair", "chair"});
        CHECK(detail::without_overlaps({"a_b_c", "b_c", "c_b", "b"}) == std::vector<std::size_t>{0, 2});
    }

    TEST_CASE("include reports tags whatever their probability; exclude never reports them") {
        TagOptions o;
        o.include = {"^_^", "saber_(fate)", "general", "not_a_tag"};
        o.exclude = {"smile", "hatsune_miku"};
        TagResult r = select(o);
        CHECK(names(r.general) ==
              std::vector<std::string>{"1girl", "shirt", "white_shirt", "long_hair", "hair", "chair", "^_^"});
        CHECK(names(r.characters) == std::vector<std::string>{"kagamine_rin", "saber_(fate)"});
        CHECK(r.ratings.size() == 4);
    }

    TEST_CASE("names: underscores to spaces (kaomoji kept), parentheses escaped for prompts") {
        TagOptions o;
        o.underscores_to_spaces = true;
        o.escape_parentheses = true;
        o.include = {"^_^", "saber_(fate)"};
        TagResult r = select(o);
        CHECK(r.general[3].name == "white shirt");
        CHECK(r.general.back().name == "^_^");
        CHECK(r.characters.back().name == "saber \\(fate\\)");
    }

    TEST_CASE("WD14 batch JSON shape, with an error entry for a failed item") {
        TagOutcome good{"a.png", select({}), ErrorCode::ok, ""};
        TagOutcome bad{"b.png", std::nullopt, ErrorCode::invalid_image, "b.png: PNG: bad CRC in chunk IHDR"};
        auto j = nlohmann::json::parse(to_wd14_json(std::vector<TagOutcome>{good, bad}));
        REQUIRE(j["captions"].size() == 2);
        CHECK(j["captions"][0]["ratings"].size() == 4);
        CHECK(j["captions"][0]["characters"]["hatsune_miku"].get<float>() == 0.9f);
        CHECK(j["captions"][0]["tags"].size() == 7);
        CHECK(j["captions"][1]["error"]["code"] == "invalid_image");
        CHECK(j["captions"][1]["error"]["input"] == "b.png");
        CHECK(nlohmann::json::parse(to_wd14_json(*good.result))["captions"].size() == 1);
    }

    TEST_CASE("bad options and sizes are refused") {
        TagOptions o;
        o.general_threshold = 1.5f;
        CHECK(code_of([&] { select(o); }) == ErrorCode::invalid_argument);
        CHECK(code_of([&] { select({}, {0.5f, 0.5f}); }) == ErrorCode::shape_mismatch);
        CHECK(code_of([] { detail::mcut_threshold({0.5f}); }) == ErrorCode::invalid_argument);
    }

}  // TEST_SUITE
