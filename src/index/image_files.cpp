// Which files folder sync sees, and the keys it gives them.
#include <algorithm>
#include <filesystem>

#include "acg2vec/error.hpp"
#include "acg2vec/folder_sync.hpp"

namespace acg2vec {
namespace {

namespace fs = std::filesystem;

bool is_image_name(const fs::path& path) {
    std::string ext = path.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    for (const char* known : {".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp", ".tga", ".psd"})
        if (ext == known) return true;
    return false;
}

}  // namespace

std::vector<std::string> list_image_files(const std::vector<std::string>& inputs) {
    std::vector<std::string> files;
    for (const std::string& input : inputs) {
        std::error_code ec;
        if (fs::is_directory(input, ec)) {
            for (fs::recursive_directory_iterator it(input, fs::directory_options::skip_permission_denied, ec), end;
                 !ec && it != end; it.increment(ec)) {
                // An entry that cannot be examined (a dangling link) is skipped, not the folder.
                std::error_code entry_error;
                if (it->is_regular_file(entry_error) && is_image_name(it->path())) files.push_back(it->path().string());
            }
            if (ec) throw Error(ErrorCode::io, input + ": cannot list the folder: " + ec.message());
        } else {
            files.push_back(input);  // a file named directly is tried whatever its extension
        }
    }
    std::sort(files.begin(), files.end());
    files.erase(std::unique(files.begin(), files.end()), files.end());
    return files;
}

std::string index_key(const std::string& path, const std::string& root) {
    std::error_code ec;
    const fs::path absolute = fs::absolute(path, ec).lexically_normal();
    const fs::path base = fs::absolute(root.empty() ? "." : root, ec).lexically_normal();
    if (ec) throw Error(ErrorCode::io, path + ": cannot resolve the path: " + ec.message());
    fs::path relative = absolute.lexically_relative(base);
    const bool outside = relative.empty() || *relative.begin() == "..";
    std::string key = (outside ? absolute : relative).generic_string();
    while (key.size() > 1 && key.back() == '/') key.pop_back();  // a folder named "imgs/" is "imgs"
    return key;
}

}  // namespace acg2vec
