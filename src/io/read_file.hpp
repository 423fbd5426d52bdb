// Internal: whole-file reads with acg2vec errors (io, naming the path) instead of stream exceptions.
#pragma once

#include <string>
#include <vector>

namespace acg2vec::detail {

std::vector<char> read_file(const std::string& path);

}  // namespace acg2vec::detail
