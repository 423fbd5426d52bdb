// The web page `acg2vec serve` shows at / (src/server/web), compiled into the binary by
// cmake/EmbedFiles.cmake.
#pragma once

#include <cstddef>

namespace acg2vec::server {

struct WebAsset {
    const char* path;  // "/index.html", "/app.js", ...
    const char* content_type;
    const unsigned char* data;
    std::size_t size;
};

extern const WebAsset web_assets[];
extern const std::size_t web_asset_count;

}  // namespace acg2vec::server
