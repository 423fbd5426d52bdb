// Index::load on arbitrary files. The checksums would stop almost every mutation at the
// header, so this target re-seals each input first (payload CRC at offset 60, header CRC at
// the end of the header): the structural validation of header, key table and graph is what
// gets fuzzed; the checksums themselves are tested by tests/unit/index_file_test.cpp. Whatever
// loads must then survive being used: searched, read, added to and searched again.
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "acg2vec/index.hpp"
#include "fuzz_common.hpp"

using namespace acg2vec;

namespace {

std::uint32_t crc(const std::uint8_t* data, std::size_t size) { return std::uint32_t(crc32(0, data, uInt(size))); }

void reseal(std::vector<std::uint8_t>& b) {
    if (b.size() < 64) return;
    std::uint32_t header_size;
    std::memcpy(&header_size, &b[12], 4);
    if (header_size < 64 || header_size > b.size()) return;
    const std::uint32_t payload = crc(b.data() + header_size, b.size() - header_size);
    std::memcpy(&b[60], &payload, 4);
    const std::uint32_t header = crc(b.data(), header_size - 4);
    std::memcpy(&b[header_size - 4], &header, 4);
}

// Index::load takes a path: an in-memory file keeps the disk out of the loop.
const std::string& memory_file_path(int& fd) {
    static int file = ::memfd_create("fuzz-index", 0);
    static const std::string path = "/proc/self/fd/" + std::to_string(file);
    fd = file;
    return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::vector<std::uint8_t> bytes(data, data + size);
    reseal(bytes);
    int fd = -1;
    const std::string& path = memory_file_path(fd);
    if (fd < 0 || ::ftruncate(fd, 0) != 0 ||
        (size > 0 && ::pwrite(fd, bytes.data(), bytes.size(), 0) != ssize_t(bytes.size()))) {
        fuzz::finding("cannot write the in-memory file");
    }
    return fuzz::run_one([&] {
        Index index = Index::load(path);
        const IndexInfo info = index.info();
        fuzz::require(info.dimension >= 1 && info.dimension <= 65536, "dimension in range");
        const std::vector<std::string> keys = index.keys();
        fuzz::require(keys.size() == index.size() && keys.size() == info.size, "key count");
        for (std::size_t i = 0; i < keys.size() && i < 8; ++i) {
            fuzz::require(index.contains(keys[i]), "contains every key");
            fuzz::require(index.get(keys[i]).size() == info.dimension, "vector size");
            index.categories(keys[i]);
        }
        std::vector<float> query(info.dimension, 0.0f);
        query[0] = 1.0f;
        const auto hits = index.search(query, 5);
        fuzz::require(hits.size() <= 5 && hits.size() <= keys.size(), "at most k hits");
        index.exact_search(query, 3);
        index.search(query, 3, 0, SearchFilter{{}, {"a"}});
        // A loaded graph must accept new items: hnswlib links them through the stored lists.
        index.add("fuzz-new-key", query, {"a"});
        fuzz::require(index.search(query, 1).size() == 1, "the new key is found");
        if (!keys.empty()) {
            index.remove(keys.front());
            index.add(keys.front(), query);  // reuses the removed slot
        }
    });
}
