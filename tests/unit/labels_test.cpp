#include <doctest/doctest.h>

#include "acg2vec/labels.hpp"
#include "support/error_capture.hpp"
#include "support/task_fixtures.hpp"
#include "support/test_data.hpp"

using namespace acg2vec;
using acg2vec::test::code_of;
using acg2vec::test::message_of;

namespace {

std::string file_text(const std::string& path) {
    auto bytes = test::read_bytes(path);
    return std::string(bytes.begin(), bytes.end());
}

std::string with_crlf(const std::string& text) {
    std::string out;
    for (char c : text) out += c == '\n' ? std::string("\r\n") : std::string(1, c);
    return out;
}

}  // namespace

TEST_SUITE("labels") {
    TEST_CASE("the official WD v3 table: 10,861 labels in 4 ratings, 8,106 general, 2,751 characters") {
        const std::string text = file_text(test::shared_data("tags/wd_v3_selected_tags.csv"));
        LabelTable t = parse_selected_tags_csv(text);
        CHECK(t.size() == 10861);
        CHECK(t.count(TagCategory::rating) == 4);
        CHECK(t.count(TagCategory::general) == 8106);
        CHECK(t.count(TagCategory::character) == 2751);
        CHECK(t.labels[0].name == "general");
        CHECK(t.labels[0].category == TagCategory::rating);
        const std::ptrdiff_t quoted = t.find("don't_say_\"lazy\"");
        REQUIRE(quoted >= 0);
        CHECK(t.labels[std::size_t(quoted)].tag_id == 612924);
        // The same table with CRLF line ends and blank lines parses to the same labels.
        std::string crlf = with_crlf(text);
        crlf.insert(crlf.find('\n') + 1, "\r\n\r\n");
        LabelTable same = parse_selected_tags_csv(crlf + "\r\n");
        REQUIRE(same.size() == t.size());
        for (std::size_t i = 0; i < t.size(); ++i) {
            if (same.labels[i].name != t.labels[i].name || same.labels[i].count != t.labels[i].count) {
                FAIL("label " << i << " differs");
            }
        }
    }

    TEST_CASE("RFC 4180 fields: quotes, commas and line breaks inside quotes; header order is free") {
        LabelTable t = parse_selected_tags_csv("category,name\n0,\"a,b\"\n4,\"line\nbreak\"\n9,\"say \"\"hi\"\"\"\n");
        REQUIRE(t.size() == 3);
        CHECK(t.labels[0].name == "a,b");
        CHECK(t.labels[1].name == "line\nbreak");
        CHECK(t.labels[1].category == TagCategory::character);
        CHECK(t.labels[2].name == "say \"hi\"");
        CHECK(t.labels[2].tag_id == -1);
    }

    TEST_CASE("bad tables fail with model_metadata naming the line") {
        CHECK(message_of([] {
                  parse_selected_tags_csv("tag_id,name,category,count\n1,a,0,5\n2,b,7,5\n", "t.csv");
              }).find("t.csv:3:") == 0);
        CHECK(code_of([] { parse_selected_tags_csv("tag_id,name,category,count\n1,a,0\n"); }) ==
              ErrorCode::model_metadata);
        CHECK(code_of([] { parse_selected_tags_csv("tag_id,name,category,count\n1,\"a,0,5\n"); }) ==
              ErrorCode::model_metadata);
        CHECK(code_of([] { parse_selected_tags_csv("tag_id,label,count\n1,a,5\n"); }) == ErrorCode::model_metadata);
        CHECK(code_of([] { parse_selected_tags_csv("tag_id,name,category,count\nx,a,0,5\n"); }) ==
              ErrorCode::model_metadata);
        CHECK(code_of([] { parse_selected_tags_csv("tag_id,name,category,count\n1,\"a\"b,0,5\n"); }) ==
              ErrorCode::model_metadata);
        CHECK(code_of([] { parse_selected_tags_csv(""); }) == ErrorCode::model_metadata);
    }

    TEST_CASE("DeepDanbooru tags.txt: general, then characters, then rating:* system tags") {
        const std::string text = "1girl\r\nsolo\n\nhatsune_miku\nrating:safe\nrating:questionable\nrating:explicit\n";
        LabelTable t = parse_deepdanbooru_tags(text, 2, 1);
        REQUIRE(t.size() == 6);
        CHECK(t.labels[1].name == "solo");
        CHECK(t.labels[1].category == TagCategory::general);
        CHECK(t.labels[2].category == TagCategory::character);
        CHECK(t.count(TagCategory::rating) == 3);
        CHECK(code_of([&] { parse_deepdanbooru_tags(text, 1, 1); }) ==
              ErrorCode::model_metadata);  // "hatsune_miku" left over
        CHECK(code_of([&] { parse_deepdanbooru_tags(text, 2, 4); }) == ErrorCode::model_metadata);  // too few tags
        CHECK(code_of([] { parse_deepdanbooru_tags("a\nrating:safe\nb\n", 3, 0); }) == ErrorCode::model_metadata);
    }

    TEST_CASE("the fixture table parses with CRLF, a blank line and a doubled quote") {
        LabelTable t = parse_selected_tags_csv(test::tagger_fixture_labels());
        CHECK(t.size() == 17);
        CHECK(t.find("don't_say_\"lazy\"") == 11);
    }

}  // TEST_SUITE
