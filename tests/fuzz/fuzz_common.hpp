// What every fuzz target shares. An acg2vec::Error is the expected outcome of bad input; a
// finding is anything else: a crash or sanitizer report (libFuzzer catches those itself), an
// exception of another type escaping the library, an Error with the code `internal` (which
// means "a bug in acg2vec"), an Error without a message, or a broken result invariant.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "acg2vec/error.hpp"

namespace acg2vec::fuzz {

[[noreturn]] inline void finding(const std::string& what) {
    std::fprintf(stderr, "FUZZ FINDING: %s\n", what.c_str());
    std::fflush(stderr);
    std::abort();  // libFuzzer saves the input as a crash artifact
}

inline void require(bool condition, const char* what) {
    if (!condition) finding(std::string("invariant broken: ") + what);
}

// Runs one input through `body`; only well-formed acg2vec errors are allowed to escape it.
template <class Body>
int run_one(Body&& body) {
    try {
        body();
    } catch (const Error& e) {
        if (e.code() == ErrorCode::ok || e.code() == ErrorCode::internal) {
            finding(std::string("Error with code ") + error_code_name(e.code()) + ": " + e.what());
        }
        if (std::string(e.what()).empty()) finding("Error without a message");
    } catch (const std::exception& e) {
        finding(std::string("exception other than acg2vec::Error: ") + e.what());
    } catch (...) {
        finding("exception of an unknown type");
    }
    return 0;
}

}  // namespace acg2vec::fuzz
