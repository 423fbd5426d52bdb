// Damaged model files: a fixture model truncated at every length and with a bit flipped in
// every byte. Opening must fail with model_load or model_metadata (or succeed, when the damage
// is harmless, e.g. inside a weight), never crash or throw anything else; a model that opens
// must then run or fail with an acg2vec error. The sanitizer build runs this too.
#include <doctest/doctest.h>

#include <fstream>
#include <functional>
#include <map>

#include "acg2vec/model.hpp"
#include "acg2vec/tagger.hpp"
#include "support/fixture_models.hpp"
#include "support/task_fixtures.hpp"
#include "support/test_data.hpp"

using namespace acg2vec;

namespace {

using Bytes = std::vector<std::uint8_t>;

void write(const std::string& path, const Bytes& bytes, std::size_t size) {
    std::ofstream(path, std::ios::binary | std::ios::trunc)
        .write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(size));
}

// What happened to one damaged file: "ok" or the error code's name; anything else fails.
std::string outcome(const std::function<void()>& open_and_run) {
    try {
        open_and_run();
    } catch (const Error& e) {
        return error_code_name(e.code());
    } catch (const std::exception& e) {
        FAIL("an exception other than acg2vec::Error escaped: " << e.what());
    }
    return "ok";
}

std::string tally(const std::map<std::string, int>& counts) {
    std::string s;
    for (const auto& [name, n] : counts) s += (s.empty() ? "" : ", ") + name + " " + std::to_string(n);
    return s;
}

void open_and_run_linear(const std::string& path) {
    const Model model = Model::open(path);
    Tensor images{{1, 3, 4, 4}, std::vector<float>(48, 0.5f)};
    try {
        model.run("image", {images});
    } catch (const Error& e) {
        // Damage inside the code or weights may surface only when the method runs.
        if (e.code() != ErrorCode::inference && e.code() != ErrorCode::shape_mismatch) throw;
    }
}

}  // namespace

TEST_SUITE("fault_model_files") {
    TEST_CASE("a model truncated at every length fails with model_load") {
        const std::string good = test::scratch_dir() + "/linear_good.pt", bad = test::scratch_dir() + "/linear_cut.pt";
        test::save_linear_fixture(good, test::linear_fixture_metadata());
        const Bytes bytes = test::read_bytes(good);
        std::map<std::string, int> counts;
        for (std::size_t size = 0; size < bytes.size(); ++size) {
            write(bad, bytes, size);
            INFO("truncated to " << size << " of " << bytes.size() << " bytes");
            const std::string result = outcome([&] { open_and_run_linear(bad); });
            CHECK(result == "model_load");
            ++counts[result];
        }
        MESSAGE(bytes.size() << " truncations: " << tally(counts));
    }

    TEST_CASE("a bit flipped in every byte of a model fails cleanly or loads a working model") {
        const std::string good = test::scratch_dir() + "/linear_good.pt", bad = test::scratch_dir() + "/linear_flip.pt";
        test::save_linear_fixture(good, test::linear_fixture_metadata());
        const Bytes bytes = test::read_bytes(good);
        std::map<std::string, int> counts;
        for (std::size_t at = 0; at < bytes.size(); ++at) {
            Bytes flipped = bytes;
            flipped[at] ^= std::uint8_t(1u << (at * 3 % 8));
            write(bad, flipped, flipped.size());
            INFO("bit " << at * 3 % 8 << " of byte " << at);
            const std::string result = outcome([&] { open_and_run_linear(bad); });
            CHECK((result == "ok" || result == "model_load" || result == "model_metadata"));
            ++counts[result];
        }
        MESSAGE(bytes.size() << " bit flips: " << tally(counts));
    }

    TEST_CASE("a bit flipped in every byte of a tagger (metadata, label table, weights) fails cleanly") {
        const std::string good = test::scratch_dir() + "/tagger_good.pt", bad = test::scratch_dir() + "/tagger_flip.pt";
        test::save_tagger_fixture(good);
        const Bytes bytes = test::read_bytes(good);
        std::map<std::string, int> counts;
        for (std::size_t at = 0; at < bytes.size(); ++at) {
            Bytes flipped = bytes;
            flipped[at] ^= std::uint8_t(1u << (at * 5 % 8));
            write(bad, flipped, flipped.size());
            INFO("bit " << at * 5 % 8 << " of byte " << at);
            const std::string result = outcome([&] {
                const Tagger tagger = Tagger::open(bad);
                Image gray{4, 4, 1, std::vector<std::uint8_t>(16, 128)};
                try {
                    tagger.tag(gray);
                } catch (const Error& e) {
                    if (e.code() != ErrorCode::inference && e.code() != ErrorCode::shape_mismatch) throw;
                }
            });
            CHECK((result == "ok" || result == "model_load" || result == "model_metadata"));
            ++counts[result];
        }
        MESSAGE(bytes.size() << " bit flips: " << tally(counts));
    }

}  // TEST_SUITE
