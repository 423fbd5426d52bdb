// Internal: a fingerprint of a file's bytes. Index files record it for the model that made
// their vectors, and folder sync for each image, so it must never change: FNV-1a 64, as 16
// lower-case hex digits.
#pragma once

#include <string>

namespace acg2vec::detail {

// Throws Error(io) naming the path when the file cannot be read.
std::string content_hash_file(const std::string& path);

}  // namespace acg2vec::detail
