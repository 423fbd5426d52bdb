#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>
#include <set>

#include "acg2vec/index.hpp"
#include "support/error_capture.hpp"
#include "support/recall.hpp"
#include "support/test_data.hpp"
#include "support/vectors.hpp"

using namespace acg2vec;
using acg2vec::test::code_of;

namespace {

Index filled(std::size_t count, std::size_t dimension, Metric metric = Metric::cosine) {
    IndexOptions o;
    o.dimension = dimension;
    o.metric = metric;
    o.initial_capacity = 16;
    Index index = Index::create(o);
    const auto set = test::embedding_like(count, dimension, 7);
    index.add_batch(test::numbered_keys(count), set.values);
    return index;
}

}  // namespace

TEST_SUITE("index") {
    TEST_CASE("add, search, get, update, remove; capacity grows; removed slots are reused") {
        Index index = filled(300, 16);
        CHECK(index.size() == 300);
        CHECK(index.info().capacity >= 300);
        const auto set = test::embedding_like(300, 16, 7);
        auto hits = index.search(set.row(42), 5);
        REQUIRE(hits.size() == 5);
        CHECK(hits[0].key == "item42");
        CHECK(hits[0].score == doctest::Approx(1.0f).epsilon(1e-5));
        CHECK(hits[0].distance == doctest::Approx(0.0f).epsilon(1e-5));
        for (std::size_t i = 1; i < hits.size(); ++i) CHECK(hits[i - 1].distance <= hits[i].distance);

        double norm = 0;
        for (float v : index.get("item42")) norm += double(v) * v;
        CHECK(norm == doctest::Approx(1.0).epsilon(1e-5));  // cosine stores unit vectors

        index.update("item42", set.row(7));
        CHECK(index.search(set.row(7), 2)[1].score == doctest::Approx(1.0f).epsilon(1e-5));

        CHECK(index.remove("item7"));
        CHECK(!index.remove("item7"));
        CHECK(!index.contains("item7"));
        CHECK(index.size() == 299);
        CHECK(index.info().removed_slots == 1);
        for (const auto& h : index.search(set.row(7), 10)) CHECK(h.key != "item7");
        index.add("fresh", set.row(7));
        CHECK(index.info().removed_slots == 0);
        CHECK(index.search(set.row(7), 1)[0].key != "item7");
        CHECK(index.keys().size() == 300);
    }

    TEST_CASE("metrics: distances and scores") {
        IndexOptions o;
        o.dimension = 2;
        o.metric = Metric::l2;
        Index l2 = Index::create(o);
        l2.add("origin", {0, 0});
        l2.add("far", {3, 4});
        auto hits = l2.search({0, 0}, 2);
        REQUIRE(hits.size() == 2);
        CHECK(hits[1].key == "far");
        CHECK(hits[1].distance == doctest::Approx(5.0f));
        CHECK(hits[1].score == doctest::Approx(1.0f / 6.0f));
        o.metric = Metric::inner_product;
        Index ip = Index::create(o);
        ip.add("a", {1, 2});
        ip.add("b", {3, 1});
        hits = ip.search({1, 1}, 2);
        CHECK(hits[0].key == "b");  // dot 4 beats 3
        CHECK(hits[0].score == doctest::Approx(4.0f));
    }

    TEST_CASE("bad input is refused and leaves the index unchanged") {
        Index index = filled(20, 4);
        CHECK(code_of([&] { index.add("x", {1, 2, 3}); }) == ErrorCode::invalid_argument);
        CHECK(code_of([&] { index.add("x", {1, 2, NAN, 4}); }) == ErrorCode::invalid_argument);
        CHECK(code_of([&] { index.add("x", {0, 0, 0, 0}); }) == ErrorCode::invalid_argument);
        CHECK(code_of([&] { index.add("item3", {1, 2, 3, 4}); }) == ErrorCode::invalid_argument);
        CHECK(code_of([&] { index.add("", {1, 2, 3, 4}); }) == ErrorCode::invalid_argument);
        CHECK(code_of([&] {
                  index.add_batch({"p", "q", "p"}, std::vector<float>(12, 1.0f));
              }) == ErrorCode::invalid_argument);
        CHECK(code_of([&] {
                  index.add_batch({"p", "q"}, std::vector<float>(7, 1.0f));
              }) == ErrorCode::invalid_argument);
        CHECK(!index.contains("p"));  // a bad batch adds nothing
        CHECK(code_of([&] { index.update("missing", {1, 2, 3, 4}); }) == ErrorCode::not_found);
        CHECK(code_of([&] { index.get("missing"); }) == ErrorCode::not_found);
        CHECK(code_of([&] { index.search({1, 2}, 3); }) == ErrorCode::invalid_argument);
        CHECK(code_of([] { Index::create(IndexOptions{}); }) == ErrorCode::invalid_argument);
        CHECK(index.size() == 20);
    }

    TEST_CASE("filtered search by key predicate and categories; fewer than k hits, never padding") {
        IndexOptions o;
        o.dimension = 8;
        Index index = Index::create(o);
        const auto set = test::embedding_like(400, 8, 3);
        for (std::size_t i = 0; i < 400; ++i) {
            std::vector<std::string> categories = {i % 4 == 0 ? "rating:general" : "rating:sensitive"};
            if (i % 50 == 0) categories.push_back("rare");
            index.add("img" + std::to_string(i), set.row(i), categories);
        }
        SearchFilter general{{}, {"rating:general"}};
        auto hits = index.search(set.row(1), 10, 0, general);
        CHECK(hits.size() == 10);
        for (const auto& h : hits) CHECK(std::stoi(h.key.substr(3)) % 4 == 0);

        SearchFilter rare{{}, {"rare"}};
        hits = index.search(set.row(1), 20, 0, rare);
        CHECK(hits.size() == 8);  // only 8 keys carry "rare"
        CHECK(index.exact_search(set.row(1), 20, rare).size() == 8);

        SearchFilter odd{[](const std::string& key) { return std::stoi(key.substr(3)) % 2 == 1; }, {}};
        for (const auto& h : index.search(set.row(2), 10, 0, odd)) CHECK(std::stoi(h.key.substr(3)) % 2 == 1);
        SearchFilter both{[](const std::string& key) { return key == "img100" || key == "img3"; }, {"rare"}};
        hits = index.search(set.row(5), 5, 0, both);
        REQUIRE(hits.size() == 1);
        CHECK(hits[0].key == "img100");
        CHECK(index.search(set.row(5), 5, 0, SearchFilter{{}, {"no_such_category"}}).empty());
        CHECK(index.categories("img100") == std::vector<std::string>{"rating:general", "rare"});
        CHECK(index.search(set.row(5), 1000).size() == 400);
    }

    TEST_CASE("recall@10 against exact search on embedding-like vectors") {
        Index index = filled(3000, 32);
        const auto queries = test::embedding_like(100, 32, 99);
        const double r64 = test::recall_at(index, queries, 10, 64);
        const double r16 = test::recall_at(index, queries, 10, 16);
        MESSAGE("recall@10: ef 16 " << r16 << ", ef 64 " << r64);
        CHECK(r64 >= 0.95);
        CHECK(r64 >= r16);
    }

    TEST_CASE("save and load round trip: keys, categories, removed slots, results") {
        Index index = filled(500, 12);
        index.remove("item10");
        index.update("item11", index.get("item12"), {"moved"});
        const std::string path = test::scratch_dir() + "/round_trip.idx";
        index.save(path);
        Index loaded = Index::load(path);
        CHECK(loaded.size() == 499);
        CHECK(loaded.info().removed_slots == 1);
        CHECK(loaded.categories("item11") == std::vector<std::string>{"moved"});
        CHECK(loaded.get("item30") == index.get("item30"));
        const auto queries = test::embedding_like(20, 12, 5);
        for (std::size_t q = 0; q < 20; ++q) {
            auto a = index.search(queries.row(q), 10), b = loaded.search(queries.row(q), 10);
            REQUIRE(a.size() == b.size());
            for (std::size_t i = 0; i < a.size(); ++i) CHECK(a[i].key == b[i].key);
        }
        loaded.add("after_load", queries.row(0));
        CHECK(loaded.info().removed_slots == 0);
        CHECK(loaded.search(queries.row(0), 1)[0].key == "after_load");
    }

    TEST_CASE("load refuses another model, dimension or metric") {
        IndexOptions o;
        o.dimension = 4;
        o.model_name = "wd-vit-tagger-v3";
        o.model_fingerprint = "sha256:abc";
        Index index = Index::create(o);
        index.add("a", {1, 2, 3, 4});
        const std::string path = test::scratch_dir() + "/model.idx";
        index.save(path);
        CHECK(Index::load(path).info().model_name == "wd-vit-tagger-v3");
        IndexOptions expect = o;
        CHECK(Index::load(path, expect).size() == 1);
        expect.model_name = "clip-vit-b32";
        CHECK(code_of([&] { Index::load(path, expect); }) == ErrorCode::index_format);
        expect = o;
        expect.model_fingerprint = "sha256:def";
        CHECK(code_of([&] { Index::load(path, expect); }) == ErrorCode::index_format);
        expect = o;
        expect.dimension = 8;
        CHECK(test::message_of([&] { Index::load(path, expect); })
                  .find("dimension 4 (vectors of model '" + o.model_name + "'), expected 8 (model '" + o.model_name +
                        "')") != std::string::npos);
        expect = o;
        expect.metric = Metric::l2;
        CHECK(code_of([&] { Index::load(path, expect); }) == ErrorCode::index_format);
    }

    TEST_CASE("save errors are io errors and leave the old file intact") {
        Index index = filled(10, 4);
        CHECK(code_of([&] { index.save("/nonexistent-dir/x.idx"); }) == ErrorCode::io);
        CHECK(code_of([] { Index::load("/nonexistent-dir/x.idx"); }) == ErrorCode::io);
        const std::string path = test::scratch_dir() + "/keep.idx";
        index.save(path);
        const auto before = test::read_bytes(path);
        filled(20, 4).save(path);
        CHECK(test::read_bytes(path) != before);
        CHECK(Index::load(path).size() == 20);
    }

    TEST_CASE("export: vectors.npy, keys.jsonl and vectors.fvecs in the same order") {
        Index index = filled(30, 6);
        index.remove("item3");
        const std::string dir = test::scratch_dir() + "/export";
        index.export_vectors(dir);
        const auto npy = test::read_bytes(dir + "/vectors.npy");
        REQUIRE(npy.size() > 10);
        CHECK(std::string(npy.begin() + 1, npy.begin() + 6) == "NUMPY");
        const std::size_t header = 10 + (npy[8] | (npy[9] << 8));
        CHECK(header % 64 == 0);
        CHECK(std::string(npy.begin() + 10, npy.begin() + std::ptrdiff_t(header)).find("'shape': (29, 6)") !=
              std::string::npos);
        CHECK(npy.size() == header + 29 * 6 * 4);
        CHECK(test::read_bytes(dir + "/vectors.fvecs").size() == 29 * (4 + 6 * 4));
        const auto jsonl = test::read_bytes(dir + "/keys.jsonl");
        std::string text(jsonl.begin(), jsonl.end());
        CHECK(std::count(text.begin(), text.end(), '\n') == 29);
        auto first = nlohmann::json::parse(text.substr(0, text.find('\n')));
        CHECK(first["key"] == "item0");
        float stored;
        std::memcpy(&stored, npy.data() + header, 4);
        CHECK(stored == index.get("item0")[0]);
    }

}  // TEST_SUITE
