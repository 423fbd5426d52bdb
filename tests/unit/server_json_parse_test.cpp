// parse_json (simdjson, then nlohmann for what simdjson refuses) must give exactly the document
// nlohmann's own parser gives: the server's field readers depend on nlohmann's value types.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "server/json_parse.hpp"

using acg2vec::server::parse_json;
using Json = nlohmann::json;

namespace {

void check_same_as_nlohmann(const std::string& text) {
    CAPTURE(text);
    const std::optional<Json> ours = parse_json(text);
    const Json reference = Json::parse(text, nullptr, false);
    REQUIRE(ours.has_value() != reference.is_discarded());
    if (!ours) return;
    CHECK(*ours == reference);
    CHECK(ours->dump() == reference.dump());  // also the same value types (dump shows 1 vs 1.0)
}

}  // namespace

TEST_SUITE("server_json") {
    TEST_CASE("documents parse as nlohmann parses them, value types included") {
        const std::vector<std::string> documents = {
            R"({"model": "m", "image": "QUJD", "threshold": 0.35, "k": 10, "offset": -3})",
            R"({"images": ["QUJD", "data:image/png;base64,QUJD"], "nested": {"a": [1, 2.5, -0, true, null]}})",
            R"([1, 18446744073709551615, 9223372036854775807, -9223372036854775808, 1e308, 5e-324])",
            R"({"big": 18446744073709551616, "bigger": -9223372036854775809})",  // beyond 64 bits: floats
            R"({"text": "\u00e9\u6c34\ud83d\ude00 \"quoted\" \\ \/ \b\f\n\r\t"})",
            R"({"k": 1, "k": 2})",  // a repeated key: the last wins
            "  {\"spaced\" :\n[ ]\t}  ",
            "\"just a string\"",
            "42",
            "null",
            "{}",
            "[]",
        };
        for (const std::string& d : documents) check_same_as_nlohmann(d);
    }

    TEST_CASE("what is not JSON is refused by both") {
        const std::vector<std::string> broken = {
            "",
            " ",
            "{",
            R"({"a": })",
            R"({"a": 1,})",
            "[1 2]",
            "{'a': 1}",
            R"({"a": "\x"})",
            "{\"a\": \"\xff\xfe\"}",  // invalid UTF-8
            "{\"a\": 1} trailing",
            "NaN",
            "[01]",
            "\"unterminated",
        };
        for (const std::string& d : broken) {
            CAPTURE(d);
            CHECK_FALSE(parse_json(d).has_value());
            CHECK(Json::parse(d, nullptr, false).is_discarded());
        }
    }

    TEST_CASE("nesting deeper than simdjson's 1024 levels falls back to nlohmann") {
        const std::string deep = std::string(1500, '[') + "1" + std::string(1500, ']');
        check_same_as_nlohmann(deep);
    }

    TEST_CASE("a large base64 string arrives intact") {
        std::string payload;
        for (int i = 0; i < 200000; ++i)
            payload += "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[i % 64];
        const std::optional<Json> j = parse_json(Json{{"image", payload}}.dump());
        REQUIRE(j.has_value());
        CHECK(j->at("image").get<std::string>() == payload);
    }
}
