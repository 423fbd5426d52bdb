// Writes the linear fixture model (see fixture_models.hpp) for tests that run programs.
#include <cstdio>

#include "support/fixture_models.hpp"

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s OUTPUT.pt\n", argv[0]);
        return 2;
    }
    acg2vec::test::save_linear_fixture(argv[1], acg2vec::test::linear_fixture_metadata());
    return 0;
}
