#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "acg2vec/clip_tokenizer.hpp"
#include "support/error_capture.hpp"
#include "support/jsonl.hpp"
#include "support/test_data.hpp"

using namespace acg2vec;
using acg2vec::test::code_of;
using acg2vec::test::message_of;

namespace {

const ClipTokenizer& clip() {
    static const ClipTokenizer tokenizer =
        ClipTokenizer::from_file(test::shared_data("clip/bpe_simple_vocab_16e6.txt.gz"));
    return tokenizer;
}

std::vector<std::int64_t> ids_of(const nlohmann::json& array) { return array.get<std::vector<std::int64_t>>(); }

// A padded row equals the golden's ids followed by zeros only. (Neither the first EOT nor the
// first zero marks the end: "<|endoftext|>" written in the text and "!" (id 0) are real tokens.)
void check_row(const std::vector<std::int64_t>& row, const std::vector<std::int64_t>& golden) {
    REQUIRE(row.size() >= golden.size());
    CHECK(std::vector<std::int64_t>(row.begin(), row.begin() + std::ptrdiff_t(golden.size())) == golden);
    CHECK(std::all_of(row.begin() + std::ptrdiff_t(golden.size()), row.end(), [](std::int64_t id) { return id == 0; }));
}

}  // namespace

TEST_SUITE("clip_tokenizer") {
    TEST_CASE("vocabulary: 49,408 tokens, SOT 49406, EOT 49407") {
        CHECK(clip().vocab_size() == 49408);
        CHECK(clip().start_of_text() == 49406);
        CHECK(clip().end_of_text() == 49407);
    }

    TEST_CASE("goldens from openai/CLIP's simple_tokenizer, token for token") {
        const auto goldens = test::read_jsonl(test::test_data("tokenizers/clip_goldens.jsonl"));
        REQUIRE(goldens.size() >= 80);
        ClipTokenizerOptions short_context;
        short_context.context_length = 16;
        const ClipTokenizer clip16 =
            ClipTokenizer::from_file(test::shared_data("clip/bpe_simple_vocab_16e6.txt.gz"), short_context);
        int compared = 0, mojibake = 0;
        for (const auto& g : goldens) {
            const std::string text = g.at("text").get<std::string>();
            if (g.value("mojibake", false)) {  // ftfy's mojibake repair is the one fix we leave out
                ++mojibake;
                continue;
            }
            INFO("golden ", g.at("name").get<std::string>(), ": ", g.at("text").dump());
            CHECK(clip().encode(text) == ids_of(g.at("bpe_ids")));
            const std::vector<std::int64_t> row = clip().tokenize(text);
            CHECK(row.size() == 77);
            check_row(row, ids_of(g.at("ids")));
            if (g.contains("ids_ctx16")) check_row(clip16.tokenize(text), ids_of(g.at("ids_ctx16")));
            ++compared;
        }
        MESSAGE(compared << " goldens compared, " << mojibake << " mojibake goldens skipped");
        CHECK(compared >= 80);
    }

    TEST_CASE("truncation keeps EOT last; without truncation a long text is an error") {
        std::string text;
        for (int i = 0; i < 100; ++i) text += "girl ";
        const auto row = clip().tokenize(text);
        CHECK(row.front() == 49406);
        CHECK(row.back() == 49407);
        ClipTokenizerOptions strict;
        strict.truncate = false;
        const ClipTokenizer no_truncation =
            ClipTokenizer::from_file(test::shared_data("clip/bpe_simple_vocab_16e6.txt.gz"), strict);
        CHECK(code_of([&] { no_truncation.tokenize(text); }) == ErrorCode::invalid_argument);
        CHECK(message_of([&] { no_truncation.tokenize(text); }).find("102 tokens exceed the context length 77") !=
              std::string::npos);
        CHECK(no_truncation.tokenize("a girl").size() == 77);
    }

    TEST_CASE("empty and whitespace-only texts give SOT EOT and padding") {
        for (const char* text : {"", "   \t\n  "}) {
            const auto row = clip().tokenize(text);
            CHECK(row[0] == 49406);
            CHECK(row[1] == 49407);
            CHECK(clip().encode(text).empty());
        }
    }

    TEST_CASE("decode gives back the cleaned text") {
        CHECK(clip().decode(clip().tokenize("A Photo of 1girl, long_hair!")) == "a photo of 1 girl , long _ hair !");
        CHECK(clip().decode(clip().tokenize("初音ミク")) == "初音ミク");
        CHECK(code_of([&] { clip().decode({5, 99999}); }) == ErrorCode::invalid_argument);
    }

    TEST_CASE("invalid UTF-8 is an error naming the byte") {
        CHECK(code_of([&] { clip().tokenize("ok \xC3\x28"); }) == ErrorCode::invalid_argument);
        CHECK(message_of([&] { clip().tokenize("ok \xC3\x28"); }) == "<text>: invalid UTF-8 at byte 3");
        CHECK(code_of([&] { clip().encode("\xED\xA0\x80"); }) == ErrorCode::invalid_argument);      // a surrogate
        CHECK(code_of([&] { clip().encode("\xC0\xAF"); }) == ErrorCode::invalid_argument);          // overlong
        CHECK(code_of([&] { clip().encode("\xF4\x90\x80\x80"); }) == ErrorCode::invalid_argument);  // past U+10FFFF
    }

    TEST_CASE("merges: plain text works as the gzip does; broken files fail clearly") {
        const auto gz = test::read_bytes(test::shared_data("clip/bpe_simple_vocab_16e6.txt.gz"));
        const std::string_view gz_view(reinterpret_cast<const char*>(gz.data()), gz.size());
        CHECK(code_of([&] { ClipTokenizer::from_merges(gz_view.substr(0, gz.size() / 2), "half.gz"); }) ==
              ErrorCode::io);
        CHECK(message_of([&] {
                  ClipTokenizer::from_merges(gz_view.substr(0, gz.size() / 2), "half.gz");
              }).rfind("half.gz: gzip: ", 0) == 0);
        CHECK(code_of([&] { ClipTokenizer::from_merges("#version\nab\n", "bad.txt"); }) == ErrorCode::model_metadata);
        CHECK(message_of([&] {
                  ClipTokenizer::from_merges("#version\nab\n", "bad.txt");
              }).rfind("bad.txt: line 2", 0) == 0);
        CHECK(code_of([&] { ClipTokenizer::from_merges("#version\n", "empty.txt"); }) == ErrorCode::model_metadata);
        CHECK(code_of([&] { ClipTokenizer::from_file("/nonexistent/merges.txt.gz"); }) == ErrorCode::io);
        // Found by fuzz_clip_tokenizer: symbols of characters that stand for no byte made tokens that
        // decode() could not turn back into bytes (std::out_of_range escaped instead of an Error).
        CHECK(code_of([&] { ClipTokenizer::from_merges("#version\n\xE4\xB8\xAD \xE6\x96\x87\n", "cjk.txt"); }) ==
              ErrorCode::model_metadata);
        CHECK(code_of([&] { ClipTokenizer::from_merges(std::string("#version\nline two\0\n", 20), "nul.txt"); }) ==
              ErrorCode::model_metadata);
        // Byte characters decode, U+0120 being the space byte.
        const ClipTokenizer bytes = ClipTokenizer::from_merges("#version\n\xC4\xA0 t\nh e</w>\n", "byte_symbols.txt");
        CHECK(bytes.decode({512, 513}) == " the");
        ClipTokenizerOptions tiny;
        tiny.context_length = 1;
        CHECK(code_of([&] { ClipTokenizer::from_merges("#v\nh e\n", "m.txt", tiny); }) == ErrorCode::invalid_argument);

        // A small merge table: "h e" then "he l" ...: BPE follows the ranks.
        const ClipTokenizer small = ClipTokenizer::from_merges("#v\nh e\nl l\nhe ll\no</w> x\n", "small.txt");
        CHECK(small.pieces("hello") == std::vector<std::string>{"hell", "o</w>"});
        CHECK(small.vocab_size() == 512 + 4 + 2);
    }

    TEST_CASE("special tokens written in the text keep their ids") {
        const auto ids = clip().encode("a <|endoftext|> b <|startoftext|>");
        REQUIRE(ids.size() == 4);
        CHECK(ids[1] == 49407);
        CHECK(ids[3] == 49406);
    }

    TEST_CASE("a tokenizer is shared safely between threads") {
        std::vector<std::int64_t> expected = clip().tokenize("long hair, smile");
        std::vector<std::thread> threads;
        std::atomic<int> mismatches{0};
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&] {
                for (int i = 0; i < 200; ++i)
                    if (clip().tokenize("long hair, smile") != expected) ++mismatches;
            });
        for (auto& t : threads) t.join();
        CHECK(mismatches == 0);
    }
}
