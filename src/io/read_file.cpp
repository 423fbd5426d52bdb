#include "io/read_file.hpp"

#include <sys/stat.h>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "acg2vec/error.hpp"

namespace acg2vec::detail {

std::vector<char> read_file(const std::string& path) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) {
        throw Error(ErrorCode::io, path + ": cannot open file (" + std::strerror(errno) + ")");
    }
    if (!S_ISREG(info.st_mode)) throw Error(ErrorCode::io, path + ": not a regular file");
    std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
    if (!file) throw Error(ErrorCode::io, path + ": cannot open file (" + std::strerror(errno) + ")");
    std::vector<char> bytes;
    bytes.reserve(std::size_t(info.st_size));
    char buffer[65536];
    std::size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) bytes.insert(bytes.end(), buffer, buffer + n);
    if (std::ferror(file.get())) throw Error(ErrorCode::io, path + ": read error");
    return bytes;
}

}  // namespace acg2vec::detail
