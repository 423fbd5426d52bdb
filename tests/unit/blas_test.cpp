// blas_info and measure_sgemm_gflops on the BLAS this test program runs on (the one libtorch
// links: libblas.so.3 through the system's alternatives).
#include <doctest/doctest.h>

#include "acg2vec/blas.hpp"

using namespace acg2vec;

TEST_SUITE("blas") {
    TEST_CASE("the BLAS in use is named, found on disk and measured") {
        const BlasInfo blas = blas_info();
        REQUIRE_FALSE(blas.library.empty());  // libtorch links libblas.so.3: sgemm_ is loaded
        CHECK(blas.library.front() == '/');   // resolved to the file behind the alternatives
        CHECK(blas.kind != "unknown");
        if (blas.kind == "OpenBLAS") {
            CHECK_FALSE(blas.core.empty());
            CHECK(blas.config.find("OpenBLAS") != std::string::npos);
        } else {
            CHECK(blas.core.empty());
            CHECK(blas.better_core.empty());
        }
        const double gflops = measure_sgemm_gflops(128);
        CHECK(gflops > 0.0);
        CHECK(measure_sgemm_gflops(0) == 0.0);
    }
}
