// The index file. Little-endian:
//   header:  "ACG2VIDX" | u32 format version | u32 header size | u32 dimension | u32 metric |
//            u32 M | u32 ef_construction | u32 ef_search | u64 keys | u64 slots |
//            u64 payload size | u32 payload CRC-32 | str model name | str model fingerprint |
//            u32 header CRC-32 (of everything before it)
//   payload: u32 categories, str each | per slot: str key ("" when free), u32 n, u32 category ids |
//            u64 graph size | the graph in hnswlib's layout
// (str = u32 length + bytes). Nothing is trusted before both checksums and every count and
// id have been checked; the graph is validated by HnswGraph::deserialize.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <unordered_set>

#include "index/index_impl.hpp"
#include "io/bounded_reader.hpp"
#include "io/read_file.hpp"

namespace acg2vec {
namespace {

constexpr char kMagic[8] = {'A', 'C', 'G', '2', 'V', 'I', 'D', 'X'};
constexpr std::uint32_t kFormatVersion = 1;
constexpr std::size_t kMaxString = 1 << 20;

std::uint32_t crc32_of(const char* data, std::size_t size) {
    uLong crc = crc32(0L, Z_NULL, 0);
    while (size > 0) {  // zlib takes uInt lengths
        const uInt n = uInt(std::min<std::size_t>(size, 1u << 30));
        crc = crc32(crc, reinterpret_cast<const Bytef*>(data), n);
        data += n;
        size -= n;
    }
    return std::uint32_t(crc);
}

class Writer {
public:
    std::string bytes;
    template <class T>
    void pod(T v) {
        bytes.append(reinterpret_cast<const char*>(&v), sizeof v);
    }
    void str(const std::string& s) {
        pod(std::uint32_t(s.size()));
        bytes += s;
    }
};

[[noreturn]] void io_failure(const std::string& path, const std::string& what) {
    throw Error(ErrorCode::io, path + ": " + what + " (" + std::strerror(errno) + ")");
}

// Writes `bytes` to a temporary file beside `path`, flushes it to disk, renames it over
// `path` and flushes the directory: a crash at any point leaves the old file or the new one.
// Every call has a temporary of its own (process id and a counter, created exclusively): with
// one name per process, two threads saving to the same path truncated each other's file and
// one renamed it into place half-written (tests/fault/index_io_error_test.cpp).
void write_atomically(const std::string& path, const std::string& bytes) {
    static std::atomic<std::uint64_t> counter{0};
    std::string temporary;
    int fd = -1;
    // EEXIST: a name left behind by a crashed process that had our pid; take the next one.
    for (int attempt = 0; fd < 0 && attempt < 100; ++attempt) {
        temporary = path + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
        fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd < 0 && errno != EEXIST) break;
    }
    if (fd < 0) io_failure(path, "cannot create " + temporary);
    std::size_t written = 0;
    while (written < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            const int saved = errno;
            ::close(fd);
            ::unlink(temporary.c_str());
            errno = saved;
            io_failure(path, "cannot write the index");
        }
        written += std::size_t(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        const int saved = errno;
        ::unlink(temporary.c_str());
        errno = saved;
        io_failure(path, "cannot flush the index to disk");
    }
    if (::rename(temporary.c_str(), path.c_str()) != 0) {
        const int saved = errno;
        ::unlink(temporary.c_str());
        errno = saved;
        io_failure(path, "cannot replace the index file");
    }
    const std::string::size_type slash = path.rfind('/');
    const std::string directory = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
    const int dir = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
        ::fsync(dir);
        ::close(dir);
    }
}

std::string payload_of(const Index::Impl& s) {
    Writer w;
    w.pod(std::uint32_t(s.category_names.size()));
    for (const auto& name : s.category_names) w.str(name);
    for (const auto& slot : s.slots) {
        w.str(slot.key);
        w.pod(std::uint32_t(slot.categories.size()));
        for (auto id : slot.categories) w.pod(id);
    }
    std::string graph;
    s.graph->serialize(graph);
    w.pod(std::uint64_t(graph.size()));
    w.bytes += graph;
    return std::move(w.bytes);
}

void check_expected(const IndexOptions& found, const IndexOptions& expected, const detail::BoundedReader& r) {
    // Named by model: a dimension mismatch almost always means the index was built with
    // another model than the one given now.
    const auto model = [](const IndexOptions& o) { return o.model_name.empty() ? std::string("?") : o.model_name; };
    if (expected.dimension != 0 && expected.dimension != found.dimension) {
        r.fail("index has dimension " + std::to_string(found.dimension) + " (vectors of model '" + model(found) +
               "'), expected " + std::to_string(expected.dimension) + " (model '" + model(expected) + "')");
    }
    if (expected.dimension != 0 && expected.metric != found.metric) {
        r.fail(std::string("index uses metric ") + metric_name(found.metric) + ", expected " +
               metric_name(expected.metric));
    }
    if (!expected.model_name.empty() && expected.model_name != found.model_name) {
        r.fail("index holds vectors of model '" + found.model_name + "', expected '" + expected.model_name + "'");
    }
    if (!expected.model_fingerprint.empty() && expected.model_fingerprint != found.model_fingerprint) {
        r.fail("index holds vectors of model fingerprint '" + found.model_fingerprint + "', expected '" +
               expected.model_fingerprint + "'");
    }
}

}  // namespace

void Index::save(const std::string& path) const {
    const Impl& s = *impl_;
    std::string payload;
    Writer header;
    {
        std::shared_lock lock(s.mutex);
        payload = payload_of(s);
        header.bytes.append(kMagic, sizeof kMagic);
        header.pod(kFormatVersion);
        header.pod(std::uint32_t(0));  // header size, patched below
        header.pod(std::uint32_t(s.options.dimension));
        header.pod(std::uint32_t(s.options.metric));
        header.pod(std::uint32_t(s.options.M));
        header.pod(std::uint32_t(s.options.ef_construction));
        header.pod(std::uint32_t(s.options.ef_search));
        header.pod(std::uint64_t(s.label_of.size()));
        header.pod(std::uint64_t(s.slots.size()));
        header.pod(std::uint64_t(payload.size()));
        header.pod(crc32_of(payload.data(), payload.size()));
        header.str(s.options.model_name);
        header.str(s.options.model_fingerprint);
    }
    const std::uint32_t header_size = std::uint32_t(header.bytes.size() + 4);
    std::memcpy(&header.bytes[12], &header_size, 4);
    header.pod(crc32_of(header.bytes.data(), header.bytes.size()));
    write_atomically(path, header.bytes + payload);
}

Index Index::load(const std::string& path, const IndexOptions& expected) {
    const std::vector<char> file = detail::read_file(path);
    detail::BoundedReader r(file.data(), file.size(), path, ErrorCode::index_format);
    if (file.size() < sizeof kMagic || std::memcmp(file.data(), kMagic, sizeof kMagic) != 0) {
        r.fail("not an acg2vec index (bad magic)");
    }
    r.take(sizeof kMagic);
    const auto version = r.pod<std::uint32_t>();
    if (version != kFormatVersion) r.fail("index format version " + std::to_string(version) + " is not supported");
    const auto header_size = r.pod<std::uint32_t>();
    if (header_size < 64 || header_size > file.size() || header_size > 3 * kMaxString) r.fail("corrupt header size");
    std::uint32_t stored_header_crc;
    std::memcpy(&stored_header_crc, file.data() + header_size - 4, 4);
    if (crc32_of(file.data(), header_size - 4) != stored_header_crc) r.fail("header checksum mismatch");

    IndexOptions found;
    found.dimension = r.pod<std::uint32_t>();
    const auto metric = r.pod<std::uint32_t>();
    found.M = r.pod<std::uint32_t>();
    found.ef_construction = r.pod<std::uint32_t>();
    found.ef_search = r.pod<std::uint32_t>();
    const auto key_count = r.pod<std::uint64_t>();
    const auto slot_count = r.pod<std::uint64_t>();
    const auto payload_size = r.pod<std::uint64_t>();
    const auto payload_crc = r.pod<std::uint32_t>();
    found.model_name = r.str(kMaxString);
    found.model_fingerprint = r.str(kMaxString);
    if (r.at() + 4 != header_size) r.fail("header size does not match its fields");
    if (metric > 2) r.fail("unknown metric " + std::to_string(metric));
    found.metric = Metric(metric);
    if (found.dimension < 1 || found.dimension > 65536 || found.M < 2 || found.M > 256 || found.ef_search < 1 ||
        found.ef_construction < 1) {
        r.fail("header holds impossible index parameters");
    }
    check_expected(found, expected, r);
    if (payload_size != file.size() - header_size)
        r.fail("file size does not match the header (truncated or extended)");
    const char* payload = file.data() + header_size;
    if (crc32_of(payload, payload_size) != payload_crc) r.fail("payload checksum mismatch (the file is damaged)");
    if (key_count > slot_count || slot_count > payload_size) r.fail("header counts are inconsistent");

    auto impl = std::make_shared<Impl>();
    impl->options = found;
    detail::BoundedReader p(payload, payload_size, path, ErrorCode::index_format);
    const auto categories = p.pod<std::uint32_t>();
    if (categories > payload_size) p.fail("category count is implausible");
    for (std::uint32_t i = 0; i < categories; ++i) impl->intern({p.str(kMaxString)});
    if (impl->category_names.size() != categories) p.fail("duplicate category names");
    impl->slots.resize(slot_count);
    for (std::size_t label = 0; label < slot_count; ++label) {
        IndexSlot& slot = impl->slots[label];
        slot.key = p.str(kMaxString);
        const auto n = p.pod<std::uint32_t>();
        if (n > categories) p.fail("a key has more categories than exist");
        for (std::uint32_t c = 0; c < n; ++c) {
            const auto id = p.pod<std::uint32_t>();
            if (id >= categories) p.fail("a category id is out of range");
            slot.categories.push_back(id);
        }
        if (slot.key.empty()) {
            if (n != 0) p.fail("a free slot has categories");
            impl->free_labels.push_back(label);
        } else if (!impl->label_of.emplace(slot.key, label).second) {
            p.fail("key '" + slot.key + "' appears twice");
        }
    }
    if (impl->label_of.size() != key_count) p.fail("key count does not match the header");
    const auto graph_size = p.pod<std::uint64_t>();
    if (graph_size != payload_size - p.at()) p.fail("graph size does not match the payload");
    const char* graph = p.take(graph_size);
    const std::size_t capacity = std::max<std::size_t>(16, slot_count + slot_count / 4);
    impl->graph = detail::HnswGraph::deserialize(impl->graph_params(), graph, graph_size, capacity, slot_count, path);
    // The graph and the key table must describe the same labels.
    if (impl->graph->slot_count() != slot_count) p.fail("graph and key table disagree on the number of slots");
    for (std::size_t label = 0; label < slot_count; ++label) {
        if (impl->graph->contains(label) != !impl->slots[label].key.empty()) {
            p.fail("graph and key table disagree about slot " + std::to_string(label));
        }
    }
    std::reverse(impl->free_labels.begin(), impl->free_labels.end());
    return Index(std::move(impl));
}

}  // namespace acg2vec
