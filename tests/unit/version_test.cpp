#include <doctest/doctest.h>

#include "acg2vec/error.hpp"
#include "acg2vec/version.hpp"

TEST_SUITE("version") {
    TEST_CASE("the runtime version equals the headers' version") {
        CHECK(acg2vec::version() == ACG2VEC_VERSION_STRING);
        CHECK(acg2vec::version() == std::to_string(ACG2VEC_VERSION_MAJOR) + "." +
                                        std::to_string(ACG2VEC_VERSION_MINOR) + "." +
                                        std::to_string(ACG2VEC_VERSION_PATCH));
    }

    TEST_CASE("error codes keep their numbers and names") {
        using acg2vec::ErrorCode;
        CHECK(int(ErrorCode::invalid_argument) == 1);
        CHECK(int(ErrorCode::internal) == 13);
        CHECK(std::string(acg2vec::error_code_name(ErrorCode::image_too_large)) == "image_too_large");
        acg2vec::Error e(ErrorCode::io, "x.png: cannot open");
        CHECK(e.code() == ErrorCode::io);
        CHECK(std::string(e.what()) == "x.png: cannot open");
    }

}  // TEST_SUITE
