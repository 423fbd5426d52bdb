#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <numeric>

#include "acg2vec/embedder.hpp"
#include "support/embedder_fixtures.hpp"
#include "support/error_capture.hpp"
#include "support/test_data.hpp"
#include "support/text_edit.hpp"
#include "tasks/text_batch.hpp"

using namespace acg2vec;
using acg2vec::test::code_of;
using acg2vec::test::message_of;

namespace {

const std::string& two_tower_path() {
    static const std::string path = [] {
        std::string p = test::scratch_dir() + "/two_tower.pt";
        test::save_two_tower_fixture(p);
        return p;
    }();
    return path;
}

const Embedder& two_tower() {
    static const Embedder embedder = Embedder::open(two_tower_path());
    return embedder;
}

std::vector<float> normalized(std::vector<float> v) {
    double n = 0;
    for (float x : v) n += double(x) * x;
    for (float& x : v) x = float(x / std::sqrt(n));
    return v;
}

// x[1×k] · w[k×4]
std::vector<float> times(const std::vector<double>& x, const std::vector<float>& w) {
    std::vector<float> out(4, 0.0f);
    for (std::size_t i = 0; i < x.size(); ++i)
        for (std::size_t j = 0; j < 4; ++j) out[j] += float(x[i] * w[i * 4 + j]);
    return out;
}

// The fixture's image vector, computed by hand from the preprocessed pixels.
std::vector<float> expected_image_vector(const Image& image) {
    const Tensor t = preprocess_image(image, *two_tower().model().metadata().preprocess);
    std::vector<double> mean(3, 0.0);
    for (std::size_t c = 0; c < 3; ++c)
        for (std::size_t i = 0; i < 64; ++i) mean[c] += t.data[c * 64 + i] / 64.0;
    return times(mean, test::embedder_fixture_weights().image);
}

// The fixture's text vector: token embeddings summed up to EOT, times the text weights.
std::vector<float> expected_text_vector(const std::string& text) {
    const std::vector<std::int64_t> ids = two_tower().clip_tokenizer()->tokenize(text);
    const auto eot = std::size_t(std::max_element(ids.begin(), ids.end()) - ids.begin());
    std::vector<double> state(4, 0.0);
    for (std::size_t t = 0; t <= eot; ++t)
        for (std::size_t d = 0; d < 4; ++d)
            state[d] += test::embedder_fixture_weights().token[std::size_t(ids[t] % 97) * 4 + d];
    return times(state, test::embedder_fixture_weights().text);
}

void check_close(const std::vector<float>& a, const std::vector<float>& b, double tolerance = 1e-5) {
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) CHECK(a[i] == doctest::Approx(b[i]).epsilon(tolerance));
}

Image gradient(int seed) {
    Image image{16, 12, 3, std::vector<std::uint8_t>(16 * 12 * 3), ImageFormat::png};
    for (std::size_t i = 0; i < image.pixels.size(); ++i)
        image.pixels[i] = std::uint8_t((i * 7 + std::size_t(seed) * 31) % 256);
    return image;
}

}  // namespace

TEST_SUITE("embedder") {
    TEST_CASE("two towers: image and text vectors as computed by hand, unit length") {
        CHECK(two_tower().has_image());
        CHECK(two_tower().has_text());
        CHECK(two_tower().dimensions() == 4);
        CHECK(two_tower().logit_scale() == 50.0);
        const Image image = gradient(1);
        check_close(two_tower().embed(image), normalized(expected_image_vector(image)));
        for (const char* text : {"a picture of a cat", "1girl, long_hair, :d", ""})
            check_close(two_tower().embed_text(text), normalized(expected_text_vector(text)));
        double norm = 0;
        for (float x : two_tower().embed_text("smile")) norm += double(x) * x;
        CHECK(norm == doctest::Approx(1.0));
    }

    TEST_CASE("normalize = false returns the model's raw output") {
        EmbedderOptions options;
        options.embed.normalize = false;
        const Embedder raw = Embedder::open(two_tower_path(), options);
        check_close(raw.embed(gradient(2)), expected_image_vector(gradient(2)));
        check_close(raw.embed_text("blue sky"), expected_text_vector("blue sky"));
    }

    TEST_CASE("batches equal single calls; a bad file fails alone") {
        const std::string good = test::shared_data("images/realesrgan_0014_cartoon_179x179.jpg");
        const auto outcomes =
            two_tower().embed_batch(ImageInput::files({good, test::shared_data("tricky/broken.png"), good}));
        REQUIRE(outcomes.size() == 3);
        CHECK(outcomes[0].ok());
        CHECK_FALSE(outcomes[1].ok());
        CHECK(outcomes[1].message.find("broken.png") != std::string::npos);
        CHECK(*outcomes[0].result == two_tower().embed(ImageInput::file(good)));
        CHECK(*outcomes[2].result == *outcomes[0].result);
        const auto texts = two_tower().embed_texts({"one", "two words", "three little words"});
        CHECK(texts[1] == two_tower().embed_text("two words"));
    }

    TEST_CASE("similarity: identical images give 100 and cosine 1; the mapping is documented") {
        const Similarity same = two_tower().similarity(gradient(3), gradient(3));
        CHECK(same.cosine == doctest::Approx(1.0));
        CHECK(same.score == doctest::Approx(100.0));
        CHECK(same.l2_distance == doctest::Approx(0.0).epsilon(1e-6));
        const Similarity s = compare_vectors({1, 0}, {0.6f, 0.8f});
        CHECK(s.cosine == doctest::Approx(0.6));
        CHECK(s.l2_distance == doctest::Approx(std::sqrt(0.8)));
        CHECK(s.score == doctest::Approx(60.0));
        CHECK(compare_vectors({1, 0}, {-1, 0}).score == 0.0);
        CHECK(compare_vectors({2, 0}, {5, 0}).cosine == doctest::Approx(1.0));  // norms do not matter
        CHECK(code_of([] { compare_vectors({1, 0}, {1, 0, 0}); }) == ErrorCode::invalid_argument);
        const std::string a = test::shared_data("images/anime4k_knnw_hr_256x256.png");
        CHECK(two_tower().similarity(ImageInput::file(a), ImageInput::file(a)).score == doctest::Approx(100.0));
    }

    TEST_CASE("zero-shot: softmax of logit_scale × cosine over the prompts") {
        const Image image = gradient(4);
        const std::vector<std::string> labels{"cat", "dog", "anime girl"};
        const auto result = two_tower().zero_shot(image, labels, "a picture of {}");
        REQUIRE(result.size() == 3);
        const Vector v = two_tower().embed(image);
        std::vector<double> logits;
        for (const auto& label : labels) {
            const Vector t = two_tower().embed_text("a picture of " + label);
            logits.push_back(50.0 * compare_vectors(v, t).cosine);
        }
        const double top = *std::max_element(logits.begin(), logits.end());
        double sum = 0;
        for (double l : logits) sum += std::exp(l - top);
        double total = 0;
        for (std::size_t i = 0; i < 3; ++i) {
            CHECK(result[i].label == labels[i]);
            CHECK(result[i].probability == doctest::Approx(std::exp(logits[i] - top) / sum).epsilon(1e-5));
            total += result[i].probability;
        }
        CHECK(total == doctest::Approx(1.0));
        CHECK(code_of([&] { two_tower().zero_shot(image, labels, "no placeholder"); }) == ErrorCode::invalid_argument);
        CHECK(code_of([&] { two_tower().zero_shot(image, {}); }) == ErrorCode::invalid_argument);
    }

    TEST_CASE("sentence model: WordPiece ids and mask, mean pooling, padding does not change a vector") {
        const std::string path = test::scratch_dir() + "/sentence.pt";
        test::save_sentence_fixture(path);
        const Embedder sentence = Embedder::open(path);
        CHECK_FALSE(sentence.has_image());
        CHECK(sentence.has_text());
        CHECK(sentence.dimensions() == 4);
        REQUIRE(sentence.wordpiece_tokenizer() != nullptr);
        CHECK(sentence.clip_tokenizer() == nullptr);
        const std::vector<std::string> texts{"Hi", "A longer sentence with more words in it."};
        const auto batch = sentence.embed_texts(texts);
        for (std::size_t i = 0; i < texts.size(); ++i) {
            check_close(batch[i], sentence.embed_text(texts[i]));
            const auto ids = sentence.wordpiece_tokenizer()->encode(texts[i]);
            std::vector<double> mean(4, 0.0);
            for (auto id : ids)
                for (std::size_t d = 0; d < 4; ++d)
                    mean[d] +=
                        test::embedder_fixture_weights().token[std::size_t(id % 97) * 4 + d] / double(ids.size());
            std::vector<float> expected(mean.begin(), mean.end());
            check_close(batch[i], normalized(expected));
        }
        // Batches of 2 over texts of mixed lengths: grouped by length, each text's vector as alone.
        EmbedderOptions small_batches;
        small_batches.model.batch_size = 2;
        const Embedder grouped = Embedder::open(path, small_batches);
        const std::vector<std::string> mixed{"A much longer sentence, with many more words than the others.", "Hi",
                                             "Two words", "Yet another fairly long sentence here.", "x"};
        const auto vectors = grouped.embed_texts(mixed);
        REQUIRE(vectors.size() == mixed.size());
        for (std::size_t i = 0; i < mixed.size(); ++i) check_close(vectors[i], sentence.embed_text(mixed[i]));
        CHECK(grouped.embed_texts({}).empty());
        CHECK(code_of([&] { sentence.embed(gradient(1)); }) == ErrorCode::not_found);
        CHECK(code_of([&] { sentence.embed_text("bad \xFF"); }) == ErrorCode::invalid_argument);
        CHECK(message_of([&] {
                  sentence.embed_texts({"ok", "bad \xFF"});
              }).rfind("texts[1]: <text>: invalid UTF-8", 0) == 0);
    }

    TEST_CASE("text batches: sorted by token count, cut by batch size, so each pads to its own longest") {
        using Groups = std::vector<std::vector<std::size_t>>;
        CHECK(detail::plan_text_batches({3, 30, 4, 29}, 2) == Groups{{0, 2}, {3, 1}});
        CHECK(detail::plan_text_batches({5, 5, 5}, 2) == Groups{{0, 1}, {2}});  // ties keep input order
        CHECK(detail::plan_text_batches({7}, 16) == Groups{{0}});
        CHECK(detail::plan_text_batches({}, 16).empty());
    }

    TEST_CASE("image-only models: vectors from a named output; text calls fail clearly") {
        const std::string path = test::scratch_dir() + "/image_only.pt";
        std::string metadata = test::two_tower_metadata();
        const std::size_t text_method = metadata.find(",\n    \"text\": {");
        metadata.erase(text_method, metadata.find("}]}\n", text_method) + 3 - text_method);
        metadata = test::replaced_once(metadata, "\"tokenizer\"", "\"unused_tokenizer\"");
        test::save_two_tower_fixture(path, metadata, false);
        const Embedder image_only = Embedder::open(path);
        CHECK(image_only.has_image());
        CHECK_FALSE(image_only.has_text());
        CHECK(image_only.embed(gradient(5)) == two_tower().embed(gradient(5)));
        CHECK(code_of([&] { image_only.embed_text("hello"); }) == ErrorCode::not_found);
        CHECK(code_of([&] { image_only.zero_shot(gradient(5), {"a", "b"}); }) == ErrorCode::not_found);
    }

    TEST_CASE("embedder sections that cannot work fail at open, naming the field") {
        const std::string path = test::scratch_dir() + "/bad_embedder.pt";
        auto open_with = [&](const std::string& metadata, bool with_merges = true) {
            test::save_two_tower_fixture(path, metadata, with_merges);
            return message_of([&] { Embedder::open(path); });
        };
        std::string no_merges = open_with(test::two_tower_metadata(), false);
        CHECK(no_merges.find("embedder.tokenizer.merges: file 'bpe_simple_vocab_16e6.txt.gz' is not in the archive") !=
              std::string::npos);
        std::string m = test::two_tower_metadata();
        m = test::replaced_once(m, "\"type\": \"clip\"", "\"type\": \"sentencepiece\"");
        CHECK(open_with(m).find("embedder.tokenizer.type: 'sentencepiece' is not clip or wordpiece") !=
              std::string::npos);
        m = test::two_tower_metadata();
        m = test::replaced_once(m, "\"context_length\": 77", "\"context_length\": 64");
        CHECK(open_with(m).find("methods.text.inputs[0].shape: must be [64]") != std::string::npos);
        m = test::two_tower_metadata();
        m = test::replaced_once(m, "\"name\": \"text_features\", \"shape\": [4]",
                                "\"name\": \"text_features\", \"shape\": [5]");
        CHECK(open_with(m).find("text vectors have 5 dimensions but image vectors 4") != std::string::npos);
        m = test::two_tower_metadata();
        m = test::replaced_once(m, "\"logit_scale\": 50.0", "\"logit_scale\": -1");
        CHECK(open_with(m).find("embedder.logit_scale: expected a positive number") != std::string::npos);
        m = test::two_tower_metadata();
        m = test::replaced_once(m, "\"embedder\": {", "\"embedder\": {\"text_pooling\": \"max\", ");
        CHECK(open_with(m).find("embedder.text_pooling: 'max' is not none, mean or cls") != std::string::npos);
        CHECK(code_of([&] { Embedder::open(path); }) == ErrorCode::model_metadata);
    }
}

TEST_SUITE("embedder") {
    TEST_CASE("embed_each hands outcomes over in input order, each batch before later batches are read") {
        EmbedderOptions options;
        options.model.batch_size = 2;
        const Embedder embedder = Embedder::open(two_tower_path(), options);
        const std::string image = test::shared_data("images/anime4k_knnw_hr_256x256.png");
        // The last input does not exist until the first outcome arrives: it is read only after
        // that, however many batches the ring prepares ahead (3 of the 10 here).
        const std::string late = test::scratch_dir() + "/embed_each_late.png";
        std::filesystem::remove(late);
        std::vector<std::string> files(19, image);
        files[5] = test::shared_data("tricky/broken.png");
        files.push_back(late);
        std::vector<VectorOutcome> streamed;
        embedder.embed_each(ImageInput::files(files), [&](VectorOutcome&& o) {
            if (streamed.empty()) std::filesystem::copy_file(image, late);
            streamed.push_back(std::move(o));
        });
        std::filesystem::remove(late);
        REQUIRE(streamed.size() == files.size());
        for (std::size_t i = 0; i < files.size(); ++i) {
            INFO("input ", i);
            CHECK(streamed[i].input == files[i]);
            CHECK(streamed[i].ok() == (i != 5));
            if (i != 5) CHECK(*streamed[i].result == embedder.embed(ImageInput::file(image)));
        }
        CHECK(streamed[5].error == ErrorCode::invalid_image);
        std::size_t calls = 0;
        embedder.embed_each({}, [&](VectorOutcome&&) { ++calls; });
        CHECK(calls == 0);
    }

    TEST_CASE("batch engine: many inputs through the ring in input order, bad files failing alone, either schedule") {
        EmbedderOptions options;
        options.model.batch_size = 4;
        options.model.decode_threads = 3;
        std::vector<std::string> files;
        const std::vector<std::string> names{"anime4k_knnw_hr_256x256.png", "realesrgan_0014_cartoon_179x179.jpg",
                                             "waifu2x_chibi_rgba_720x720.png", "mangaocr_01_188x251.jpg"};
        for (int i = 0; i < 60; ++i) {
            // Every seventh input is broken: batches mix good and bad items, some batches lose several.
            files.push_back(i % 7 == 3 ? test::shared_data("tricky/broken.png")
                                       : test::shared_data("images/" + names[std::size_t(i) % names.size()]));
        }
        files.push_back("/nonexistent/file.png");
        std::vector<VectorOutcome> outcomes;
        for (DecodeSchedule schedule :
             {DecodeSchedule::overlap, DecodeSchedule::alternate, DecodeSchedule::automatic}) {
            options.model.decode_schedule = schedule;
            const auto these = Embedder::open(two_tower_path(), options).embed_batch(ImageInput::files(files));
            if (!outcomes.empty()) {
                REQUIRE(these.size() == outcomes.size());
                for (std::size_t i = 0; i < these.size(); ++i) {
                    CHECK(these[i].result == outcomes[i].result);
                    CHECK(these[i].message == outcomes[i].message);
                }
            }
            outcomes = these;
        }
        const Embedder engine = Embedder::open(two_tower_path(), options);
        REQUIRE(outcomes.size() == files.size());
        for (std::size_t i = 0; i < files.size(); ++i) {
            INFO("input ", i, " ", files[i]);
            CHECK(outcomes[i].input == files[i]);
            const bool bad =
                files[i].find("broken") != std::string::npos || files[i].find("nonexistent") != std::string::npos;
            CHECK(outcomes[i].ok() == !bad);
            if (!bad) CHECK(*outcomes[i].result == two_tower().embed(ImageInput::file(files[i])));
        }
        CHECK(outcomes.back().error == ErrorCode::io);
        CHECK(engine.embed_batch(ImageInput::files({})).empty());
        options.model.decode_threads = -1;
        CHECK(code_of([&] { Embedder::open(two_tower_path(), options); }) == ErrorCode::invalid_argument);
        options.model.decode_threads = 0;
        options.model.decode_schedule = DecodeSchedule(7);
        CHECK(code_of([&] { Embedder::open(two_tower_path(), options); }) == ErrorCode::invalid_argument);
    }
}
