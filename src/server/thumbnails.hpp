// Thumbnails of indexed images for the web page: the file decoded, composited on white, shrunk
// to fit a square of `size` pixels and encoded as JPEG. Kept in a cache bounded in bytes, by
// path, size and the file's length and modification time (a changed file gets a new one).
#pragma once

#include <cstddef>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace acg2vec::server {

class ThumbnailCache {
public:
    explicit ThumbnailCache(std::size_t max_bytes = std::size_t(64) << 20) : max_bytes_(max_bytes) {}

    // JPEG bytes of the file at `path`, at most `size` pixels on its longer side (smaller
    // images keep their size). Throws acg2vec::Error naming the file when it is missing or not
    // a readable image.
    std::shared_ptr<const std::string> get(const std::string& path, int size);

private:
    using Entry = std::pair<std::string, std::shared_ptr<const std::string>>;  // cache key, JPEG
    std::size_t max_bytes_;
    std::mutex mutex_;
    std::list<Entry> recent_;  // most recently used first
    std::map<std::string, std::list<Entry>::iterator> by_key_;
    std::size_t bytes_ = 0;
};

// A key that names a file under an image root: not absolute and without ".." components.
// Keys written over HTTP must be such keys (folder sync keys files outside its root by absolute
// path, but only from the command line, by the operator).
bool is_relative_key(const std::string& key);

// The file a key names: an absolute key itself, a relative one under `image_root` ("": the
// working directory). Throws acg2vec::Error for a relative key with ".." components.
std::string file_of_key(const std::string& image_root, const std::string& key);

// JPEG bytes of an RGB image (3 channels, rows top to bottom).
std::string encode_jpeg(const unsigned char* rgb, int width, int height, int quality);

}  // namespace acg2vec::server
