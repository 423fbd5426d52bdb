// Many threads adding, updating, removing and searching one index at once, and parallel
// insertion inside add_batch. Run under ThreadSanitizer by scripts/test.sh.
#include <doctest/doctest.h>

#include <atomic>
#include <cmath>
#include <thread>

#include "acg2vec/index.hpp"
#include "support/recall.hpp"
#include "support/vectors.hpp"

using namespace acg2vec;

TEST_SUITE("index_concurrency") {
    TEST_CASE("writers and searchers at once: every result well formed, the final state exact") {
        IndexOptions o;
        o.dimension = 8;
        o.initial_capacity = 64;  // forces growth while searches run
        Index index = Index::create(o);
        const auto base = test::embedding_like(300, 8, 1);
        index.add_batch(test::numbered_keys(300, "base"), base.values);

        std::atomic<int> bad_results{0}, searches{0};
        std::atomic<bool> writing{true};
        std::vector<std::thread> threads;
        for (int w = 0; w < 2; ++w) {  // writers: batches and single adds of new keys
            threads.emplace_back([&, w] {
                const auto set = test::embedding_like(200, 8, 100 + std::uint32_t(w));
                const auto keys = test::numbered_keys(200, "w" + std::to_string(w) + "_");
                std::vector<std::string> first(keys.begin(), keys.begin() + 100);
                index.add_batch(first, std::vector<float>(set.values.begin(), set.values.begin() + 800));
                for (std::size_t i = 100; i < 200; ++i) index.add(keys[i], set.row(i), {i % 2 ? "odd" : "even"});
            });
        }
        threads.emplace_back([&] {  // updates and removals of the base keys
            for (std::size_t i = 0; i < 300; i += 3) {
                index.update("base" + std::to_string(i), base.row((i + 1) % 300));
                index.remove("base" + std::to_string(i + 1));
            }
        });
        for (int s = 0; s < 4; ++s) {  // searchers
            threads.emplace_back([&, s] {
                const auto queries = test::embedding_like(50, 8, 500 + std::uint32_t(s));
                for (int round = 0; writing || round < 2; ++round) {
                    for (std::size_t q = 0; q < 50; ++q) {
                        SearchFilter filter;
                        if (q % 3 == 0) filter.any_category = {"odd"};
                        auto hits = index.search(queries.row(q), 10, 32, filter);
                        for (std::size_t i = 1; i < hits.size(); ++i) {
                            if (hits[i].distance < hits[i - 1].distance || hits[i].key == hits[i - 1].key)
                                ++bad_results;
                        }
                        index.contains("base3");
                        index.size();
                        ++searches;
                    }
                }
            });
        }
        for (std::size_t t = 0; t < 3; ++t) threads[t].join();
        writing = false;
        for (std::size_t t = 3; t < threads.size(); ++t) threads[t].join();

        CHECK(bad_results == 0);
        CHECK(searches > 0);
        CHECK(index.size() == 300 + 400 - 100);
        for (std::size_t i = 0; i < 300; i += 3) CHECK(!index.contains("base" + std::to_string(i + 1)));
        CHECK(index.contains("w1_199"));
        MESSAGE(searches.load() << " searches ran alongside the writers");
    }

    TEST_CASE("add_batch on several threads: every key findable, recall as on one thread, removed slots reused") {
        IndexOptions o;
        o.dimension = 32;
        o.initial_capacity = 16;
        const auto set = test::embedding_like(3000, 32, 7);
        const auto queries = test::embedding_like(100, 32, 99);
        Index one = Index::create(o), four = Index::create(o);
        one.add_batch(test::numbered_keys(3000), set.values, {}, 1);
        four.add_batch(test::numbered_keys(3000), set.values, {}, 4);
        CHECK(four.size() == 3000);
        std::size_t self_found = 0;
        for (std::size_t i = 0; i < 3000; ++i) {
            const auto hits = four.search(set.row(i), 1, 64);
            self_found += !hits.empty() && hits[0].key == test::numbered_keys(3000)[i];
        }
        CHECK(self_found >= 2990);
        const double r_one = test::recall_at(one, queries, 10, 64), r_four = test::recall_at(four, queries, 10, 64);
        MESSAGE("recall@10 at ef 64: one thread " << r_one << ", four threads " << r_four);
        CHECK(r_four >= 0.95);
        CHECK(std::fabs(r_four - r_one) <= 0.02);
        // Removed slots are revived in place while new slots are inserted in parallel.
        for (std::size_t i = 0; i < 100; ++i) CHECK(four.remove(test::numbered_keys(3000)[i]));
        const auto more = test::embedding_like(300, 32, 11);
        four.add_batch(test::numbered_keys(300, "more"), more.values, {}, 4);
        CHECK(four.size() == 3200);
        CHECK(four.info().removed_slots == 0);
        CHECK(four.info().capacity >= 3200);
        CHECK(four.search(more.row(5), 1, 64).at(0).key == test::numbered_keys(300, "more")[5]);
    }

}  // TEST_SUITE
