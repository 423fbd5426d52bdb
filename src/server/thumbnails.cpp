// Thumbnails: acg2vec's own decoders and Pillow-equal resampling, libjpeg-turbo to encode.
#include "server/thumbnails.hpp"

#include <jpeglib.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "acg2vec/error.hpp"
#include "acg2vec/image.hpp"
#include "acg2vec/preprocess.hpp"

namespace acg2vec::server {
namespace {

// libjpeg reports errors through a callback that must not return; compressing an RGB buffer
// we made ourselves cannot fail short of memory, so that ends the process as libjpeg would.
void encode_failed(j_common_ptr info) {
    (*info->err->output_message)(info);
    std::abort();
}

std::string render(const std::string& path, int size) {
    DecodeOptions decode;
    decode.jpeg_min_side = size;  // a large JPEG is decoded at 1/2 .. 1/8 scale: much faster
    const Image rgb = to_rgb(decode_image_file(path, decode));
    const double scale = std::min(1.0, double(size) / double(std::max(rgb.width, rgb.height)));
    const int width = std::max(1, int(rgb.width * scale + 0.5));
    const int height = std::max(1, int(rgb.height * scale + 0.5));
    const Image small =
        scale < 1.0 ? resize_image(rgb, width, height, Interpolation::bicubic) : rgb;  // Pillow's thumbnail filter
    return encode_jpeg(small.pixels.data(), small.width, small.height, 85);
}

}  // namespace

std::string encode_jpeg(const unsigned char* rgb, int width, int height, int quality) {
    jpeg_compress_struct info{};
    jpeg_error_mgr errors{};
    info.err = jpeg_std_error(&errors);
    errors.error_exit = encode_failed;
    jpeg_create_compress(&info);
    unsigned char* out = nullptr;
    unsigned long out_size = 0;
    jpeg_mem_dest(&info, &out, &out_size);
    info.image_width = JDIMENSION(width);
    info.image_height = JDIMENSION(height);
    info.input_components = 3;
    info.in_color_space = JCS_RGB;
    jpeg_set_defaults(&info);
    jpeg_set_quality(&info, quality, TRUE);
    jpeg_start_compress(&info, TRUE);
    while (info.next_scanline < info.image_height) {
        JSAMPROW row = const_cast<unsigned char*>(rgb + std::size_t(info.next_scanline) * std::size_t(width) * 3);
        jpeg_write_scanlines(&info, &row, 1);
    }
    jpeg_finish_compress(&info);
    jpeg_destroy_compress(&info);
    std::string bytes(reinterpret_cast<const char*>(out), out_size);
    std::free(out);
    return bytes;
}

bool is_relative_key(const std::string& key) {
    const std::filesystem::path path(key);
    if (path.is_absolute() || path.has_root_name()) return false;
    return std::none_of(path.begin(), path.end(), [](const std::filesystem::path& part) { return part == ".."; });
}

std::string file_of_key(const std::string& image_root, const std::string& key) {
    const std::filesystem::path path(key);
    if (path.is_absolute()) return key;
    if (!is_relative_key(key)) throw Error(ErrorCode::invalid_argument, key + ": a key with '..' names no file");
    return image_root.empty() ? key : (std::filesystem::path(image_root) / path).string();
}

std::shared_ptr<const std::string> ThumbnailCache::get(const std::string& path, int size) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const auto length = fs::file_size(path, ec);
    if (ec) throw Error(ErrorCode::io, path + ": " + ec.message());
    const auto modified = fs::last_write_time(path, ec).time_since_epoch().count();
    if (ec) throw Error(ErrorCode::io, path + ": " + ec.message());
    const std::string key =
        path + '\n' + std::to_string(size) + '\n' + std::to_string(length) + '\n' + std::to_string(modified);
    {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = by_key_.find(key);
        if (it != by_key_.end()) {
            recent_.splice(recent_.begin(), recent_, it->second);
            return it->second->second;
        }
    }
    // Rendered outside the lock: other thumbnails are served meanwhile. Two requests for the
    // same missing one may both render it; the second insert is skipped.
    auto jpeg = std::make_shared<const std::string>(render(path, size));
    std::lock_guard<std::mutex> lock(mutex_);
    if (by_key_.count(key) == 0) {
        recent_.emplace_front(key, jpeg);
        by_key_[key] = recent_.begin();
        bytes_ += jpeg->size();
        while (bytes_ > max_bytes_ && recent_.size() > 1) {
            bytes_ -= recent_.back().second->size();
            by_key_.erase(recent_.back().first);
            recent_.pop_back();
        }
    }
    return jpeg;
}

}  // namespace acg2vec::server
