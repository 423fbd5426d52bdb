#include <doctest/doctest.h>

#include "support/jsonl.hpp"
#include "support/test_data.hpp"
#include "text/clip_cleanup.hpp"
#include "text/utf8.hpp"

using namespace acg2vec;

namespace {

std::string fixed(const std::string& text) {
    return detail::encode_utf8(detail::fix_text(detail::decode_utf8(text, "<text>")));
}
std::string html(const std::string& text) {
    return detail::encode_utf8(detail::html_unescape(detail::decode_utf8(text, "<text>")));
}

}  // namespace

TEST_SUITE("text_fixes") {
    TEST_CASE("ftfy.fix_text goldens (ftfy 6.3.1, default configuration) without mojibake repair") {
        const auto goldens = test::read_jsonl(test::test_data("tokenizers/ftfy_goldens.jsonl"));
        REQUIRE(goldens.size() >= 100);
        int compared = 0;
        for (const auto& g : goldens) {
            INFO("golden ", g.at("name").get<std::string>(), ": ", g.at("text").dump());
            // fixed_no_encoding is fix_text with fix_encoding off: exactly the part we implement.
            CHECK(fixed(g.at("text").get<std::string>()) == g.at("fixed_no_encoding").get<std::string>());
            ++compared;
        }
        MESSAGE(compared << " ftfy goldens compared");
    }

    TEST_CASE("ftfy steps one by one") {
        CHECK(fixed("\xEF\xAC\x81sh") == "fish");                                    // ligature
        CHECK(fixed("\xEF\xBC\xA1\xEF\xBC\xA2\xE3\x80\x80\xEF\xBC\x91") == "AB 1");  // full width, ideographic space
        CHECK(fixed("\xE2\x80\x98q\xE2\x80\x99 \xE2\x80\x9Cq\xE2\x80\x9D") == "'q' \"q\"");
        CHECK(fixed("a\r\nb\rc\xE2\x80\xA8"
                    "d") == "a\nb\nc\nd");
        CHECK(fixed("\xC2\x85") == "\xE2\x80\xA6");  // C1 NEL is Windows-1252's ellipsis before line breaks run
        CHECK(fixed("\x1B[31mred\x1B[0m\x07") == "red");
        CHECK(fixed("e\xCC\x81") == "\xC3\xA9");           // NFC
        CHECK(fixed("&amp;amp;") == "&");                  // repeated until nothing changes
        CHECK(fixed("&EACUTE;") == "\xC3\x89");            // ftfy's upper-case references
        CHECK(fixed("&amp") == "&amp");                    // no ';': ftfy leaves it
        CHECK(fixed("<b>&amp;</b>") == "<b>&amp;</b>");    // '<': HTML, references kept
        CHECK(fixed("&amp;\n<\n&amp;") == "&\n<\n&amp;");  // only from the first '<' on
    }

    TEST_CASE("Python's html.unescape rules") {
        CHECK(html("&amp &lt;b&gt; &#39; &#x27; &#X27;") == "& <b> ' ' '");
        CHECK(html("&notit; &notin;") ==
              "\xC2\xAC"
              "it; \xE2\x88\x89");  // longest known prefix
        CHECK(html("&#128; &#0; &#xD800; &#1114112; &#99999999999999999999;") ==
              "\xE2\x82\xAC \xEF\xBF\xBD \xEF\xBF\xBD \xEF\xBF\xBD \xEF\xBF\xBD");
        CHECK(html("a&#1;b &#x;") == "ab &#x;");
        CHECK(html("&nosuchentity; & &;") == "&nosuchentity; & &;");
    }
}
