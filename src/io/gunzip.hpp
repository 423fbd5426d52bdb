// Internal: inflate a whole gzip stream (the CLIP merges ship as .txt.gz and are read directly).
#pragma once

#include <string>
#include <string_view>

namespace acg2vec::detail {

bool is_gzip(std::string_view bytes);

// Throws Error(io) naming `source` when the stream is corrupt, truncated, fails its CRC or
// would inflate past `max_output` bytes.
std::string gunzip(std::string_view compressed, std::string_view source, std::size_t max_output = std::size_t(1) << 30);

}  // namespace acg2vec::detail
