// Index::export_vectors: the index as files that distributed vector databases bulk-import
// (NumPy .npy + keys.jsonl for Milvus and Qdrant; .fvecs for FAISS-style tools).
#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>

#include "index/index_impl.hpp"

namespace acg2vec {
namespace {

// NumPy format 1.0: magic, version, little-endian u16 header length, a Python dict literal
// padded with spaces so the data starts at a multiple of 64 bytes, then the raw array.
std::string npy_header(std::size_t rows, std::size_t columns) {
    std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + std::to_string(rows) + ", " +
                       std::to_string(columns) + "), }";
    const std::size_t unpadded = 10 + dict.size() + 1;
    dict.append((64 - unpadded % 64) % 64, ' ');
    dict += '\n';
    std::string header = "\x93NUMPY";
    header += '\x01';
    header += '\x00';
    header += char(dict.size() & 0xFF);
    header += char(dict.size() >> 8);
    return header + dict;
}

std::ofstream open_for_writing(const std::string& path) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw Error(ErrorCode::io, path + ": cannot create file");
    return out;
}

void finish(std::ofstream& out, const std::string& path) {
    out.flush();
    if (!out) throw Error(ErrorCode::io, path + ": write failed");
}

}  // namespace

void Index::export_vectors(const std::string& directory) const {
    std::error_code ec;
    std::filesystem::create_directories(directory, ec);
    if (ec) throw Error(ErrorCode::io, directory + ": cannot create directory (" + ec.message() + ")");
    const Impl& s = *impl_;
    std::shared_lock lock(s.mutex);
    const std::size_t dim = s.options.dimension;
    const std::string npy = directory + "/vectors.npy", jsonl = directory + "/keys.jsonl";
    const std::string fvecs = directory + "/vectors.fvecs";
    std::ofstream vectors = open_for_writing(npy), keys = open_for_writing(jsonl), raw = open_for_writing(fvecs);
    vectors << npy_header(s.label_of.size(), dim);
    const std::int32_t dim32 = std::int32_t(dim);
    for (std::size_t label = 0; label < s.slots.size(); ++label) {
        const IndexSlot& slot = s.slots[label];
        if (slot.key.empty()) continue;
        const char* v = reinterpret_cast<const char*>(s.graph->vector(label));
        vectors.write(v, std::streamsize(dim * sizeof(float)));
        raw.write(reinterpret_cast<const char*>(&dim32), sizeof dim32);
        raw.write(v, std::streamsize(dim * sizeof(float)));
        nlohmann::json row{{"key", slot.key}, {"categories", nlohmann::json::array()}};
        for (auto id : slot.categories) row["categories"].push_back(s.category_names[id]);
        keys << row.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    }
    finish(vectors, npy);
    finish(keys, jsonl);
    finish(raw, fvecs);
}

}  // namespace acg2vec
