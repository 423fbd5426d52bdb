#include <doctest/doctest.h>
#include <malloc.h>
#include <zlib.h>

#include <fstream>
#include <thread>

#include "acg2vec/model.hpp"
#include "support/error_capture.hpp"
#include "support/fixture_models.hpp"
#include "support/test_data.hpp"
#include "support/text_edit.hpp"

using namespace acg2vec;
using acg2vec::test::code_of;
using acg2vec::test::message_of;

namespace {

std::string fixture_path(const std::string& name) { return test::scratch_dir() + "/" + name; }

const std::string& linear_model() {
    static const std::string path = [] {
        std::string p = fixture_path("linear.pt");
        test::save_linear_fixture(p, test::linear_fixture_metadata());
        return p;
    }();
    return path;
}

// A batch of n images, each channel c of image i filled with (i + 1) * (c + 1) / 10.
Tensor constant_images(int n) {
    Tensor t{{n, 3, 4, 4}, {}};
    for (int i = 0; i < n; ++i)
        for (int c = 0; c < 3; ++c)
            for (int k = 0; k < 16; ++k) t.data.push_back(float((i + 1) * (c + 1)) / 10.0f);
    return t;
}

}  // namespace

TEST_SUITE("runtime") {
    TEST_CASE("a model opens from its path alone and runs its methods with named outputs") {
        Model model = Model::open(linear_model());
        CHECK(model.metadata().name == "linear-fixture");
        CHECK(model.metadata().preprocess.has_value());
        CHECK(model.device() == "cpu");
        CHECK(model.file("labels.txt") == "cat\ndog\n");
        CHECK(model.file_names() == std::vector<std::string>{"labels.txt"});

        NamedTensors out = model.run("image", {constant_images(2)});
        REQUIRE(out.count("logits") == 1);
        CHECK(out["features"].shape == std::vector<std::int64_t>{2, 3});
        CHECK(out["logits"].shape == std::vector<std::int64_t>{2, 2});
        // Image 0: features (0.1, 0.2, 0.3); logits = (0.1 + 0.4 + 0.15 + 0.25, -0.1 + 0 + 0.9 - 0.5)
        CHECK(out["logits"].data[0] == doctest::Approx(0.9f));
        CHECK(out["logits"].data[1] == doctest::Approx(0.3f));
        CHECK(out["features"].data[3] == doctest::Approx(0.2f));

        NamedTensors text = model.run("text", {Int64Tensor{{1, 5}, {1, 2, 3, 4, 5}}});
        CHECK(text["total"].data == std::vector<float>{7.5f});
        CHECK(text["ids"].shape == std::vector<std::int64_t>{1, 5});
    }

    TEST_CASE("large batches are split into chunks of batch_size with the same results") {
        ModelOptions small;
        small.batch_size = 2;
        Model chunked = Model::open(linear_model(), small);
        Model whole = Model::open(linear_model());
        NamedTensors a = chunked.run("image", {constant_images(5)});
        NamedTensors b = whole.run("image", {constant_images(5)});
        CHECK(a["logits"].shape == std::vector<std::int64_t>{5, 2});
        CHECK(a["logits"].data == b["logits"].data);
        CHECK(a["features"].data == b["features"].data);
    }

    TEST_CASE("freezing keeps outputs bit-identical to the module as saved") {
        ModelOptions plain;
        plain.optimization = Optimization::none;
        Model frozen = Model::open(linear_model());
        Model unfrozen = Model::open(linear_model(), plain);
        Tensor input = constant_images(3);
        CHECK(frozen.run("image", {input})["logits"].data == unfrozen.run("image", {input})["logits"].data);
    }

    TEST_CASE("with freed memory kept for reuse, large blocks come from the heap and outputs stay the same") {
        const Model model = Model::open(linear_model());
        const NamedTensors before = model.run("image", {constant_images(3)});
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
        // The sanitizers bring their own allocator, which ignores glibc's settings.
        CHECK_FALSE(keep_freed_memory_for_reuse());
#else
        REQUIRE(keep_freed_memory_for_reuse(std::size_t(64) << 20));
        for (int i = 0; i < 3; ++i) {
            const std::size_t mapped_before = mallinfo2().hblkhd;
            std::vector<float> block(std::size_t(40) << 20 >> 2, 1.0f);  // 40 MB: above glibc's default
            CHECK(mallinfo2().hblkhd == mapped_before);                  // not a fresh mmap
            CHECK(block.back() == 1.0f);
        }
#endif
        CHECK(model.run("image", {constant_images(3)})["logits"].data == before.at("logits").data);
    }

    TEST_CASE("N threads x M calls on one model give exactly the serial outputs") {
        Model model = Model::open(linear_model());
        constexpr int kThreads = 4, kCalls = 25;
        std::vector<std::vector<float>> serial;
        for (int i = 0; i < kCalls; ++i)
            serial.push_back(model.run("image", {constant_images(1 + i % 4)})["logits"].data);
        std::vector<int> mismatches(kThreads, 0);
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&, t] {
                for (int i = 0; i < kCalls; ++i) {
                    int call = (i + t * 7) % kCalls;
                    if (model.run("image", {constant_images(1 + call % 4)})["logits"].data != serial[call])
                        ++mismatches[t];
                }
            });
        }
        for (auto& th : threads) th.join();
        for (int t = 0; t < kThreads; ++t) CHECK(mismatches[t] == 0);
    }

    TEST_CASE("a method that modifies its input in place does not touch the caller's tensor") {
        const std::string path = fixture_path("in_place.pt");
        std::string meta =
            test::replaced_once(test::linear_fixture_metadata(), R"("labels": "labels.txt")", R"("version": "2")");
        meta = test::replaced_once(meta, R"("name": "linear-fixture")", R"("name": "in-place")");
        test::save_fixture_model(path, R"(
def forward(self, x: Tensor) -> Dict[str, Tensor]:
    x.mul_(2.0)
    features = x.mean(dim=[2, 3])
    return {"logits": features[:, 0:2] + self.bias, "features": features}

def encode_text(self, ids: Tensor) -> Tuple[Tensor, Tensor]:
    return (ids.float().sum(dim=1, keepdim=True), ids.float())
)",
                                 {{"bias", {2}, {0.0f, 0.0f}}}, {{"acg2vec.json", meta}});
        Model model = Model::open(path);
        const Tensor input = constant_images(1);
        const std::vector<float> before = input.data;
        CHECK(model.run("image", {input})["features"].data[0] == doctest::Approx(0.2f));
        CHECK(input.data == before);
        CHECK(model.run("image", {input})["features"].data[0] == doctest::Approx(0.2f));
    }

    TEST_CASE("thread counts outside 0..max_threads are refused, naming the option") {
        for (int bad : {-5, max_threads + 1, 100000}) {
            ModelOptions threads;
            threads.threads = bad;
            CHECK(code_of([&] { Model::open(linear_model(), threads); }) == ErrorCode::invalid_argument);
            CHECK(message_of([&] { Model::open(linear_model(), threads); }).find("threads: " + std::to_string(bad)) ==
                  0);
            ModelOptions decode;
            decode.decode_threads = bad;
            CHECK(message_of([&] { Model::open(linear_model(), decode); }).find("decode threads") == 0);
        }
    }

    TEST_CASE("inputs that do not match the metadata are refused before running") {
        Model model = Model::open(linear_model());
        CHECK(code_of([&] {
                  model.run("image", {Tensor{{1, 3, 5, 4}, std::vector<float>(60)}});
              }) == ErrorCode::shape_mismatch);
        CHECK(message_of([&] {
                  model.run("image", {Tensor{{1, 3, 5, 4}, std::vector<float>(60)}});
              }).find("[1, 3, 5, 4]") != std::string::npos);
        CHECK(code_of([&] {
                  model.run("image", {Tensor{{1, 3, 4, 4}, std::vector<float>(5)}});
              }) == ErrorCode::invalid_argument);
        CHECK(code_of([&] { model.run("image", {}); }) == ErrorCode::invalid_argument);
        CHECK(code_of([&] {
                  model.run("image", {Int64Tensor{{1, 48}, std::vector<std::int64_t>(48)}});
              }) == ErrorCode::invalid_argument);
        CHECK(code_of([&] { model.run("audio", {constant_images(1)}); }) == ErrorCode::not_found);
        CHECK(code_of([&] { model.run("image", {Tensor{{0, 3, 4, 4}, {}}}); }) == ErrorCode::invalid_argument);
        CHECK(code_of([&] {
                  model.run("image", {Tensor{{-1, -3, 4, 4}, std::vector<float>(48)}});
              }) == ErrorCode::invalid_argument);
        CHECK(code_of([&] {
                  model.run("image", {Tensor{{1LL << 62, 4, 3, 4, 4}, {}}});
              }) == ErrorCode::invalid_argument);
    }

    TEST_CASE("outputs that do not match the metadata give shape_mismatch naming the output") {
        const std::string meta = test::linear_fixture_metadata();
        std::string wrong_shape =
            test::replaced_once(meta, R"({"name": "logits", "shape": [2]})", R"({"name": "logits", "shape": [7]})");
        std::string path = fixture_path("wrong_output_shape.pt");
        test::save_linear_fixture(path, wrong_shape);
        Model model = Model::open(path);
        CHECK(code_of([&] { model.run("image", {constant_images(1)}); }) == ErrorCode::shape_mismatch);
        CHECK(message_of([&] { model.run("image", {constant_images(1)}); }).find("'logits'") != std::string::npos);

        std::string missing = test::replaced_once(meta, R"({"name": "features", "shape": [3]})",
                                                  R"({"name": "embedding", "shape": [3]})");
        path = fixture_path("missing_output.pt");
        test::save_linear_fixture(path, missing);
        CHECK(code_of([&] { Model::open(path).run("image", {constant_images(1)}); }) == ErrorCode::shape_mismatch);

        std::string extra = test::replaced_once(meta, R"({"name": "ids", "shape": [-1]})",
                                                R"({"name": "ids", "shape": [-1]}, {"name": "more"})");
        path = fixture_path("tuple_count.pt");
        test::save_linear_fixture(path, extra);
        CHECK(code_of([&] {
                  Model::open(path).run("text", {Int64Tensor{{1, 5}, {1, 2, 3, 4, 5}}});
              }) == ErrorCode::shape_mismatch);
    }

    TEST_CASE("loading fails clearly: missing file, not TorchScript, truncated, no or bad metadata") {
        CHECK(code_of([] { Model::open("/nonexistent/model.pt"); }) == ErrorCode::model_load);
        CHECK(message_of([] { Model::open("/nonexistent/model.pt"); }).find("/nonexistent/model.pt") == 0);

        const std::string junk = fixture_path("junk.pt");
        std::ofstream(junk) << "this is not a zip archive";
        CHECK(code_of([&] { Model::open(junk); }) == ErrorCode::model_load);

        auto bytes = test::read_bytes(linear_model());
        const std::string truncated = fixture_path("truncated.pt");
        std::ofstream(truncated, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), bytes.size() / 2);
        CHECK(code_of([&] { Model::open(truncated); }) == ErrorCode::model_load);

        const std::string bare = fixture_path("no_metadata.pt");
        test::save_linear_fixture(bare, "");
        CHECK(code_of([&] { Model::open(bare); }) == ErrorCode::model_metadata);
        ModelOptions given;
        given.metadata_json = test::linear_fixture_metadata();
        CHECK(Model::open(bare, given).metadata().name == "linear-fixture");

        const std::string broken = fixture_path("bad_json.pt");
        test::save_linear_fixture(broken, "{\"schema_version\": 1, ");
        CHECK(code_of([&] { Model::open(broken); }) == ErrorCode::model_metadata);

        const std::string no_method = fixture_path("no_method.pt");
        test::save_linear_fixture(no_method,
                                  test::replaced_once(test::linear_fixture_metadata(), "encode_text", "encode_words"));
        CHECK(code_of([&] { Model::open(no_method); }) == ErrorCode::model_metadata);
        CHECK(message_of([&] { Model::open(no_method); }).find("encode_words") != std::string::npos);

        const std::string no_labels = fixture_path("no_labels.pt");
        test::save_linear_fixture(no_labels,
                                  test::replaced_once(test::linear_fixture_metadata(), "labels.txt", "tags.csv"));
        CHECK(code_of([&] { Model::open(no_labels); }) == ErrorCode::model_metadata);
    }

    // Found by the bit-flip fault test (tests/fault/model_file_test.cpp): libtorch's zip reader
    // skips CRC checks, and a bit flipped in the deflated code/__torch__.py reached its TorchScript
    // parser as garbage source, which crashed it (SIGSEGV) depending on the heap's state. Every
    // record libtorch parses is now checked against the archive's CRC-32 first.
    TEST_CASE("a damaged record (code, pickle, acg2vec.json) is refused by its checksum before libtorch parses it") {
        const auto bytes = test::read_bytes(linear_model());
        const std::string damaged = fixture_path("damaged_record.pt");
        for (const std::string record : {"code/__torch__.py", "data.pkl", "extra/acg2vec.json"}) {
            // The record's local file header: signature, 22 bytes, name length, extra length, name
            // ("<archive>/<record>"), extra field, then the data.
            const std::string text(bytes.begin(), bytes.end());
            std::size_t data_at = 0;
            for (std::size_t at = text.find("PK\x03\x04"); at != std::string::npos && data_at == 0;
                 at = text.find("PK\x03\x04", at + 1)) {
                const std::size_t name_length = bytes[at + 26] | bytes[at + 27] << 8;
                const std::size_t extra_length = bytes[at + 28] | bytes[at + 29] << 8;
                const std::string name = text.substr(at + 30, name_length);
                if (name.size() > record.size() &&
                    name.compare(name.size() - record.size() - 1, std::string::npos, "/" + record) == 0) {
                    data_at = at + 30 + name_length + extra_length;
                }
            }
            REQUIRE(data_at != 0);
            auto copy = bytes;
            copy[data_at + 1] ^= 0x10;
            std::ofstream(damaged, std::ios::binary | std::ios::trunc)
                .write(reinterpret_cast<const char*>(copy.data()), std::streamsize(copy.size()));
            INFO(record);
            CHECK(code_of([&] { Model::open(damaged); }) == ErrorCode::model_load);
            CHECK(message_of([&] { Model::open(damaged); }).find("record '" + record + "' fails its CRC-32") !=
                  std::string::npos);
        }
    }

    namespace {

    // A zip archive of stored files, written by hand so that tests can make archives libtorch's
    // writer never would.
    std::string stored_zip(const std::vector<std::pair<std::string, std::string>>& files) {
        std::string out, directory;
        auto u16 = [](std::string& s, std::uint32_t v) { s += char(v & 0xFF), s += char(v >> 8 & 0xFF); };
        auto u32 = [&](std::string& s, std::uint32_t v) { u16(s, v & 0xFFFF), u16(s, v >> 16); };
        for (const auto& [name, data] : files) {
            const auto crc = std::uint32_t(crc32(0, reinterpret_cast<const Bytef*>(data.data()), uInt(data.size())));
            const auto offset = std::uint32_t(out.size());
            u32(out, 0x04034b50), u16(out, 20), u16(out, 0), u16(out, 0), u32(out, 0), u32(out, crc);
            u32(out, std::uint32_t(data.size())), u32(out, std::uint32_t(data.size())),
                u16(out, std::uint32_t(name.size()));
            u16(out, 0), out += name, out += data;
            u32(directory, 0x02014b50), u16(directory, 20), u16(directory, 20), u16(directory, 0), u16(directory, 0);
            u32(directory, 0), u32(directory, crc), u32(directory, std::uint32_t(data.size()));
            u32(directory, std::uint32_t(data.size())), u16(directory, std::uint32_t(name.size())), u16(directory, 0);
            u16(directory, 0), u16(directory, 0), u16(directory, 0), u32(directory, 0), u32(directory, offset);
            directory += name;
        }
        const auto directory_offset = std::uint32_t(out.size());
        out += directory;
        u32(out, 0x06054b50), u16(out, 0), u16(out, 0), u16(out, std::uint32_t(files.size()));
        u16(out, std::uint32_t(files.size())), u32(out, std::uint32_t(directory.size())), u32(out, directory_offset);
        u16(out, 0);
        return out;
    }

    }  // namespace

    // Found by LeakSanitizer in the bit-flip fault test: libtorch's PyTorchStreamReader leaks its
    // zip state when its constructor rejects an archive (no folder, no version, a bad version),
    // and a bad version number even escaped as std::invalid_argument. Those archives are now
    // refused before libtorch opens them; the sanitizer build checks that nothing leaks.
    TEST_CASE("archives libtorch's reader would reject after opening them are refused first") {
        const std::string path = fixture_path("odd_archive.pt");
        const std::string json = test::linear_fixture_metadata();
        for (const auto& files : std::vector<std::vector<std::pair<std::string, std::string>>>{
                 {{"acg2vec.json", json}},                                       // not in a folder
                 {{"m/extra/acg2vec.json", json}},                               // no version record
                 {{"m/extra/acg2vec.json", json}, {"m/version", "99\n"}},        // a version from the future
                 {{"m/extra/acg2vec.json", json}, {"m/version", "three"}},       // not a number
                 {{"m/extra/acg2vec.json", json}, {"other/version", "3\n"}}}) {  // in another folder
            std::ofstream(path, std::ios::binary | std::ios::trunc) << stored_zip(files);
            INFO(files.back().first << " = " << files.back().second);
            CHECK(code_of([&] { Model::open(path); }) == ErrorCode::model_load);
        }
        // The same layout with a good version gets as far as libtorch (no model code: model_load).
        std::ofstream(path, std::ios::binary | std::ios::trunc)
            << stored_zip({{"m/extra/acg2vec.json", json}, {"m/extra/labels.txt", "cat\ndog\n"}, {"m/version", "3\n"}});
        CHECK(code_of([&] { Model::open(path); }) == ErrorCode::model_load);
        CHECK(message_of([&] { Model::open(path); }).find("cannot load TorchScript module") != std::string::npos);
    }

    TEST_CASE("options: devices, precision and overrides") {
        ModelOptions o;
        o.device = "gpu";
        CHECK(code_of([&] { Model::open(linear_model(), o); }) == ErrorCode::invalid_argument);
        o.device = "cuda:0";
        // This machine's libtorch has no CUDA; a CUDA build with a GPU would open it.
        ErrorCode cuda = code_of([&] { Model::open(linear_model(), o); });
        CHECK((cuda == ErrorCode::device || cuda == ErrorCode::ok));
        o.device = "auto";
        CHECK(code_of([&] { Model::open(linear_model(), o); }) == ErrorCode::ok);
        o.device = "cpu";
        o.precision = Precision::fp16;
        CHECK(code_of([&] { Model::open(linear_model(), o); }) == ErrorCode::device);
        o.precision = Precision::bf16;
        Model bf16 = Model::open(linear_model(), o);
        CHECK(bf16.run("image", {constant_images(1)})["logits"].data[0] == doctest::Approx(0.9f).epsilon(0.02));
        o = ModelOptions{};
        o.batch_size = 0;
        CHECK(code_of([&] { Model::open(linear_model(), o); }) == ErrorCode::invalid_argument);
        o = ModelOptions{};
        PreprocessSpec spec;
        spec.width = spec.height = 4;
        spec.interpolation = Interpolation::lanczos;
        o.preprocess = spec;
        CHECK(Model::open(linear_model(), o).metadata().preprocess->interpolation == Interpolation::lanczos);
    }

}  // TEST_SUITE
