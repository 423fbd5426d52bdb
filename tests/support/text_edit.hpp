// Test helper: edit a fixture text (an acg2vec.json) in one place.
#pragma once

#include <doctest/doctest.h>

#include <string>

namespace acg2vec::test {

// `text` with the first `from` replaced by `to`; the test fails if `from` is absent.
inline std::string replaced_once(std::string text, const std::string& from, const std::string& to) {
    auto at = text.find(from);
    REQUIRE_MESSAGE(at != std::string::npos, "fixture text has no '" << from << "'");
    return text.replace(at, from.size(), to);
}

}  // namespace acg2vec::test
