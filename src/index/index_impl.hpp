// Internal: the state behind Index, shared by its operations, file format and export.
#pragma once

#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "acg2vec/error.hpp"
#include "acg2vec/index.hpp"
#include "index/hnsw_graph.hpp"
#include "index/writer_priority_mutex.hpp"

namespace acg2vec {

// One graph label: the key it holds (empty when free) and its category ids.
struct IndexSlot {
    std::string key;
    std::vector<std::uint32_t> categories;
};

struct Index::Impl {
    IndexOptions options;
    std::unique_ptr<detail::HnswGraph> graph;
    mutable detail::WriterPriorityMutex mutex;  // shared: reads and searches; exclusive: writes

    std::unordered_map<std::string, std::size_t> label_of;  // live key -> label
    std::vector<IndexSlot> slots;                           // by label
    std::vector<std::size_t> free_labels;                   // removed, to be reused
    std::vector<std::string> category_names;                // by id
    std::unordered_map<std::string, std::uint32_t> category_ids;

    detail::GraphParams graph_params() const;
    // Checks size and values; normalises for cosine. `what` names the operation in errors.
    std::vector<float> prepared(const std::vector<float>& v, const char* what) const;
    std::vector<std::uint32_t> intern(const std::vector<std::string>& names);
    // A label for a new key: a removed one if any, else the next unused.
    std::size_t take_label();
    void ensure_capacity(std::size_t new_labels);
    SearchHit hit(float raw_distance, std::size_t label) const;
};

}  // namespace acg2vec
