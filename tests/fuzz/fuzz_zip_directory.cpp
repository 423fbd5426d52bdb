// The zip reader that guards model loading (src/io/zip_directory.cpp): the end records, zip64
// locator and record and file headers of arbitrary files, then every entry (stored or
// deflated, CRC-checked). Models need
// libtorch, which the fuzz build does not link; this is the part of Model::open that reads
// the archive before libtorch does.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_common.hpp"
#include "io/zip_directory.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const int fd = ::memfd_create("fuzz-zip", 0);  // read_zip_directory takes a path
    static const std::string path = "/proc/self/fd/" + std::to_string(fd);
    if (fd < 0 || ::ftruncate(fd, 0) != 0 || (size > 0 && ::pwrite(fd, data, size, 0) != ssize_t(size))) {
        acg2vec::fuzz::finding("cannot write the in-memory file");
    }
    return acg2vec::fuzz::run_one([&] {
        for (const auto& entry : acg2vec::detail::read_zip_directory(path)) {
            acg2vec::fuzz::require(entry.name.size() <= size, "names come from the file");
            // Each entry on its own: a damaged one must not hide the others' outcome.
            acg2vec::fuzz::run_one([&] {
                const std::string data = acg2vec::detail::read_zip_entry(path, entry, 1 << 16);
                acg2vec::fuzz::require(data.size() == entry.size, "entry size as the directory says");
            });
        }
    });
}
