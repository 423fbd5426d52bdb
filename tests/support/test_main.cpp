#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>

#include "support/test_data.hpp"

namespace acg2vec::test {

std::string scratch_dir() {
    static const std::string dir = [] {
        auto path = std::filesystem::temp_directory_path() / ("acg2vec-test-" + std::to_string(::getpid()));
        std::filesystem::create_directories(path);
        return path.string();
    }();
    return dir;
}

}  // namespace acg2vec::test
