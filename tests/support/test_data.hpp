// Paths and small helpers the unit tests share.
#pragma once

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

namespace acg2vec::test {

// ../shared/data (sample images, tricky files, vocabularies).
inline std::string shared_data(const std::string& relative) {
    return std::string(ACG2VEC_SHARED_DATA) + "/" + relative;
}
// tests/data in this repository (fixtures generated from the reference implementations).
inline std::string test_data(const std::string& relative) { return std::string(ACG2VEC_TEST_DATA) + "/" + relative; }
// A fresh scratch directory for this test process.
std::string scratch_dir();

inline std::vector<std::uint8_t> read_bytes(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    return std::vector<std::uint8_t>((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

// FNV-1a 64 as lower-case hex: the checksum the Pillow fixture script writes.
inline std::string fnv1a64(const std::vector<std::uint8_t>& bytes) {
    std::uint64_t h = 0xCBF29CE484222325ull;
    for (auto b : bytes) {
        h ^= b;
        h *= 0x100000001B3ull;
    }
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(h));
    return text;
}

// Rows of a tab-separated fixture file, skipping '#' comments.
inline std::vector<std::vector<std::string>> read_tsv(const std::string& path) {
    std::vector<std::vector<std::string>> rows;
    std::ifstream f(path);
    std::string line;
    while (std::getline(f, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::vector<std::string> cells;
        std::stringstream ss(line);
        std::string cell;
        while (std::getline(ss, cell, '\t')) cells.push_back(cell);
        rows.push_back(cells);
    }
    return rows;
}

}  // namespace acg2vec::test
