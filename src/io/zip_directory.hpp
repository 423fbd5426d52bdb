// Internal: the central directory of a zip archive (the container of TorchScript files), read
// without reading the records themselves.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace acg2vec::detail {

struct ZipEntry {
    std::string name;  // the full path inside the archive, e.g. "model/code/__torch__.py"
    std::uint32_t crc32 = 0;
    std::uint64_t size = 0;  // uncompressed
    std::uint64_t compressed_size = 0;
    std::uint64_t header_offset = 0;  // of its local file header
    std::uint16_t method = 0;         // 0 stored, 8 deflated
    std::uint16_t flags = 0;          // general purpose bits (bit 0: encrypted)
};

// The entries of the zip archive at `path` (zip64 included). Trusts nothing: every offset,
// count and length is checked against the file. Throws Error(model_load) naming `path` when
// the file is not a zip archive or its directory is damaged or truncated.
std::vector<ZipEntry> read_zip_directory(const std::string& path);

// The contents of one entry (stored or deflated, at most `max_size` bytes), checked against its
// CRC-32. Throws Error(model_load) naming `path` and the entry when it cannot be read whole.
std::string read_zip_entry(const std::string& path, const ZipEntry& entry, std::uint64_t max_size);

}  // namespace acg2vec::detail
