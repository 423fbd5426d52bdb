// Zip central directory reader (PKWARE APPNOTE 6.3: end of central directory record, zip64
// locator and record, central directory file headers, zip64 extended information).
#include "io/zip_directory.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <zlib.h>

#include "acg2vec/error.hpp"
#include "io/bounded_reader.hpp"

namespace acg2vec::detail {
namespace {

constexpr std::uint32_t kEndSignature = 0x06054b50, kZip64LocatorSignature = 0x07064b50,
                        kZip64EndSignature = 0x06064b50, kFileHeaderSignature = 0x02014b50;
constexpr std::size_t kEndSize = 22, kZip64LocatorSize = 20, kZip64EndSize = 56, kFileHeaderSize = 46;
constexpr std::uint64_t kMaxDirectory = std::uint64_t(1) << 30;  // far beyond any model's

class File {
public:
    explicit File(const std::string& path) : path_(path), fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {
        struct stat info {};
        if (fd_ < 0 || ::fstat(fd_, &info) != 0) fail(std::string("cannot open (") + std::strerror(errno) + ")");
        size_ = std::uint64_t(info.st_size);
    }
    ~File() {
        if (fd_ >= 0) ::close(fd_);
    }
    File(const File&) = delete;
    File& operator=(const File&) = delete;

    std::uint64_t size() const { return size_; }
    std::string read(std::uint64_t offset, std::uint64_t length) const {
        if (offset > size_ || length > size_ - offset) fail("zip directory points past the end of the file");
        std::string bytes(length, '\0');
        for (std::uint64_t done = 0; done < length;) {
            const ssize_t n = ::pread(fd_, &bytes[done], length - done, off_t(offset + done));
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) fail(std::string("read error (") + std::strerror(errno) + ")");
            done += std::uint64_t(n);
        }
        return bytes;
    }
    [[noreturn]] void fail(const std::string& why) const {
        throw Error(ErrorCode::model_load, path_ + ": not a valid TorchScript (zip) archive: " + why);
    }

private:
    const std::string& path_;
    int fd_;
    std::uint64_t size_ = 0;
};

std::uint32_t u32_at(const std::string& bytes, std::size_t at) {
    std::uint32_t v;
    std::memcpy(&v, bytes.data() + at, 4);
    return v;  // zip is little-endian, as every platform acg2vec builds on
}

struct Directory {
    std::uint64_t entries = 0, offset = 0, size = 0;
};

// The end of central directory record is the last thing in the file, followed only by its
// comment (at most 65535 bytes); zip64 archives put a locator just before it.
Directory find_directory(const File& file) {
    const std::uint64_t tail_size = std::min<std::uint64_t>(file.size(), kEndSize + 65535 + kZip64LocatorSize);
    const std::uint64_t tail_start = file.size() - tail_size;
    const std::string tail = file.read(tail_start, tail_size);
    for (std::size_t at = tail.size() >= kEndSize ? tail.size() - kEndSize + 1 : 0; at-- > 0;) {
        if (u32_at(tail, at) != kEndSignature) continue;
        const std::string source = "zip end record";  // BoundedReader keeps a reference
        BoundedReader end(tail.data() + at, kEndSize, source, ErrorCode::model_load);
        end.take(4);
        const auto disk = end.pod<std::uint16_t>(), directory_disk = end.pod<std::uint16_t>();
        end.pod<std::uint16_t>();  // entries on this disk
        Directory d;
        d.entries = end.pod<std::uint16_t>();
        d.size = end.pod<std::uint32_t>();
        d.offset = end.pod<std::uint32_t>();
        const auto comment = end.pod<std::uint16_t>();
        if (at + kEndSize + comment != tail.size()) continue;  // a signature inside the comment
        if (disk != 0 || directory_disk != 0) file.fail("multi-disk archive");
        if (d.entries == 0xFFFF || d.size == 0xFFFFFFFF || d.offset == 0xFFFFFFFF) {
            if (at < kZip64LocatorSize || u32_at(tail, at - kZip64LocatorSize) != kZip64LocatorSignature) {
                file.fail("zip64 archive without its locator");
            }
            std::uint64_t zip64_end;
            std::memcpy(&zip64_end, tail.data() + at - kZip64LocatorSize + 8, 8);
            const std::string record = file.read(zip64_end, kZip64EndSize);
            if (u32_at(record, 0) != kZip64EndSignature) file.fail("bad zip64 end of directory record");
            std::memcpy(&d.entries, record.data() + 32, 8);
            std::memcpy(&d.size, record.data() + 40, 8);
            std::memcpy(&d.offset, record.data() + 48, 8);
        }
        if (d.size > kMaxDirectory || d.entries > d.size / kFileHeaderSize) file.fail("implausible directory size");
        return d;
    }
    file.fail("no end of central directory record");
}

}  // namespace

std::vector<ZipEntry> read_zip_directory(const std::string& path) {
    const File file(path);
    const Directory d = find_directory(file);
    const std::string bytes = file.read(d.offset, d.size);
    const std::string source = path + ": not a valid TorchScript (zip) archive: directory";
    BoundedReader r(bytes.data(), bytes.size(), source, ErrorCode::model_load);
    std::vector<ZipEntry> entries;
    entries.reserve(std::size_t(d.entries));
    for (std::uint64_t i = 0; i < d.entries; ++i) {
        if (r.pod<std::uint32_t>() != kFileHeaderSignature) r.fail("damaged (bad file header signature)");
        r.take(4);  // versions
        ZipEntry e;
        e.flags = r.pod<std::uint16_t>();
        e.method = r.pod<std::uint16_t>();
        r.take(4);  // time, date
        e.crc32 = r.pod<std::uint32_t>();
        e.compressed_size = r.pod<std::uint32_t>();
        e.size = r.pod<std::uint32_t>();
        const auto name_length = r.pod<std::uint16_t>(), extra_length = r.pod<std::uint16_t>(),
                   comment_length = r.pod<std::uint16_t>();
        r.take(8);  // disk, attributes
        e.header_offset = r.pod<std::uint32_t>();
        e.name.assign(r.take(name_length), name_length);
        // Zip64 extended information: the 64-bit values of the 32-bit fields marked 0xFFFFFFFF,
        // in this order.
        BoundedReader extra(r.take(extra_length), extra_length, source, ErrorCode::model_load);
        while (!extra.done()) {
            const auto id = extra.pod<std::uint16_t>(), length = extra.pod<std::uint16_t>();
            BoundedReader field(extra.take(length), length, source, ErrorCode::model_load);
            if (id != 0x0001) continue;
            for (std::uint64_t* value : {&e.size, &e.compressed_size, &e.header_offset}) {
                if (*value == 0xFFFFFFFF) *value = field.pod<std::uint64_t>();
            }
        }
        r.take(comment_length);
        entries.push_back(std::move(e));
    }
    return entries;
}

std::string read_zip_entry(const std::string& path, const ZipEntry& entry, std::uint64_t max_size) {
    const File file(path);
    auto fail = [&](const std::string& why) { file.fail("entry '" + entry.name + "': " + why); };
    if (entry.size > max_size) fail("larger than expected");
    // Encrypted (traditional, strong, or with an encrypted directory): refused, as miniz does.
    if ((entry.flags & 0x2041) != 0) fail("encrypted");
    // The local header repeats the name and has an extra field of its own length.
    constexpr std::uint32_t kLocalSignature = 0x04034b50;
    const std::string header = file.read(entry.header_offset, 30);
    if (u32_at(header, 0) != kLocalSignature) fail("bad local header");
    std::uint16_t name_length, extra_length;
    std::memcpy(&name_length, header.data() + 26, 2);
    std::memcpy(&extra_length, header.data() + 28, 2);
    if (entry.compressed_size > kMaxDirectory) fail("implausible size");
    const std::string stored = file.read(entry.header_offset + 30 + name_length + extra_length, entry.compressed_size);
    std::string data;
    if (entry.method == 0) {
        if (entry.compressed_size != entry.size) fail("stored sizes disagree");
        data = stored;
    } else if (entry.method == 8) {
        data.resize(entry.size);
        z_stream z{};
        if (inflateInit2(&z, -MAX_WBITS) != Z_OK) fail("cannot initialise zlib");
        z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(stored.data()));
        z.avail_in = uInt(stored.size());
        z.next_out = reinterpret_cast<Bytef*>(&data[0]);
        z.avail_out = uInt(data.size());
        const int status = inflate(&z, Z_FINISH);
        const bool whole = status == Z_STREAM_END && z.avail_out == 0;
        inflateEnd(&z);
        if (!whole) fail("corrupt compressed data");
    } else {
        fail("unsupported compression method " + std::to_string(entry.method));
    }
    if (std::uint32_t(crc32(0, reinterpret_cast<const Bytef*>(data.data()), uInt(data.size()))) != entry.crc32) {
        fail("fails its CRC-32 check");
    }
    return data;
}

}  // namespace acg2vec::detail
