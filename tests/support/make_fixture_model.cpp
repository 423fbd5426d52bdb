// Writes a fixture model (see fixture_models.hpp, task_fixtures.hpp) for tests that run programs.
// Usage: make_fixture_model linear|scorer_embedder|tagger|wd_table|two_tower|pix2score|classifier OUTPUT.pt
#include <cstdio>
#include <string>

#include "support/embedder_fixtures.hpp"
#include "support/fixture_models.hpp"
#include "support/task_fixtures.hpp"

int main(int argc, char** argv) {
    const std::string kind = argc == 3 ? argv[1] : "";
    if (kind == "linear") {
        acg2vec::test::save_linear_fixture(argv[2], acg2vec::test::linear_fixture_metadata());
    } else if (kind == "scorer_embedder") {
        acg2vec::test::save_linear_fixture(argv[2], acg2vec::test::linear_scorer_embedder_metadata());
    } else if (kind == "wd_table") {
        acg2vec::test::save_wd_table_tagger_fixture(argv[2]);
    } else if (kind == "classifier") {
        acg2vec::test::save_classifier_fixture(argv[2]);
    } else if (kind == "tagger") {
        acg2vec::test::save_tagger_fixture(argv[2]);
    } else if (kind == "two_tower") {
        acg2vec::test::save_two_tower_fixture(argv[2]);
    } else if (kind == "pix2score") {
        acg2vec::test::save_pix2score_fixture(argv[2]);
    } else {
        std::fprintf(stderr,
                     "usage: %s linear|scorer_embedder|tagger|wd_table|two_tower|pix2score|classifier OUTPUT.pt\n",
                     argv[0]);
        return 2;
    }
    return 0;
}
