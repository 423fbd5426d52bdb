// find_duplicates: identical copies by content category, near-duplicates by score, each key in
// one group, identical groups first.
#include <doctest/doctest.h>

#include "acg2vec/duplicates.hpp"
#include "support/error_capture.hpp"

using namespace acg2vec;
using acg2vec::test::code_of;

namespace {

std::vector<std::string> content(const std::string& hash) { return {content_category_prefix + hash}; }

// Unit vectors in 3-d: a and a_copy identical bytes; b 0.98 from a; x and x_copy identical
// bytes far from the rest; c alone.
Index sample_index() {
    IndexOptions options;
    options.dimension = 3;
    Index index = Index::create(options);
    index.add("a", {1, 0, 0}, content("aaaa"));
    index.add("a_copy", {1, 0, 0}, content("aaaa"));
    index.add("b", {0.98f, 0.198997f, 0}, content("bbbb"));
    index.add("c", {0, 1, 0}, content("cccc"));
    index.add("x_copy", {0, 0, 1}, content("xxxx"));
    index.add("x", {0, 0, 1}, content("xxxx"));
    return index;
}

const DuplicateMember& member(const DuplicateGroup& g, const std::string& key) {
    for (const auto& m : g.members)
        if (m.key == key) return m;
    FAIL("no member " << key);
    throw;
}

}  // namespace

TEST_SUITE("index") {
    TEST_CASE("duplicates: identical copies first, then near-duplicates with their scores") {
        const std::vector<DuplicateGroup> groups = find_duplicates(sample_index());
        REQUIRE(groups.size() == 2);
        CHECK(groups[0].identical);
        REQUIRE(groups[0].members.size() == 2);
        CHECK(groups[0].members[0].key == "x");
        CHECK(groups[0].members[1].key == "x_copy");
        CHECK(groups[0].members[0].nearest == "x_copy");
        CHECK(groups[0].members[0].score == doctest::Approx(1.0f));
        CHECK(groups[0].members[0].content == "xxxx");

        const DuplicateGroup& near = groups[1];
        CHECK_FALSE(near.identical);
        REQUIRE(near.members.size() == 3);
        CHECK(near.members[0].key == "a");  // by key
        CHECK(member(near, "a").identical);
        CHECK(member(near, "a_copy").identical);
        CHECK_FALSE(member(near, "b").identical);
        CHECK(member(near, "b").score == doctest::Approx(0.98f).epsilon(1e-4));
        CHECK((member(near, "b").nearest == "a" || member(near, "b").nearest == "a_copy"));
    }

    TEST_CASE("duplicates: the threshold decides near-duplicates; copies are found whatever it is") {
        DuplicateOptions strict;
        strict.min_score = 0.99f;
        const auto groups = find_duplicates(sample_index(), strict);
        REQUIRE(groups.size() == 2);
        CHECK(groups[0].identical);
        CHECK(groups[1].identical);  // a and a_copy; b is now too far
        CHECK(groups[1].members.size() == 2);

        DuplicateOptions none;
        none.neighbours = 0;
        CHECK(code_of([&] { find_duplicates(sample_index(), none); }) == ErrorCode::invalid_argument);
        IndexOptions options;
        options.dimension = 3;
        CHECK(find_duplicates(Index::create(options)).empty());
    }

}  // TEST_SUITE
