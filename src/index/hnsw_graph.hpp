// Internal: the HNSW graph (hnswlib 0.6.2) behind Index. The only file that includes
// hnswlib, whose headers define non-inline globals and must be in one translation unit.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace acg2vec::detail {

enum class SpaceKind { inner_product, l2 };

struct GraphParams {
    std::size_t dimension = 0;
    SpaceKind space = SpaceKind::inner_product;
    std::size_t M = 16;
    std::size_t ef_construction = 200;
    std::uint64_t seed = 100;
};

class HnswGraph {
public:
    HnswGraph(const GraphParams& params, std::size_t capacity);
    ~HnswGraph();
    HnswGraph(const HnswGraph&) = delete;
    HnswGraph& operator=(const HnswGraph&) = delete;

    std::size_t capacity() const;
    std::size_t slot_count() const;  // labels ever inserted (live or removed)
    // Grows capacity; needs exclusive access.
    void reserve(std::size_t capacity);
    // Inserts `label`, or replaces its vector (and revives it if removed). Needs exclusive
    // access: one insertion at a time, nothing searching.
    void put(std::size_t label, const float* vector);
    // Inserts labels never inserted before, on up to `threads` threads (exclusive access
    // otherwise). Levels are drawn first, in order, from the graph's generator, as consecutive
    // puts would draw them. On failure (out of memory) some labels may be in; see inserted().
    void insert_new(const std::vector<std::size_t>& labels, const std::vector<const float*>& vectors,
                    std::size_t threads);
    bool inserted(std::size_t label) const;  // ever inserted (live or removed)
    void mark_removed(std::size_t label);
    bool contains(std::size_t label) const;  // inserted and not removed
    const float* vector(std::size_t label) const;

    // The k nearest live labels, nearest first, exploring `ef` candidates. Thread-safe with
    // other searches.
    std::vector<std::pair<float, std::size_t>> search(const float* query, std::size_t k, std::size_t ef) const;
    // Every live label with its distance to `query` (brute force).
    std::vector<std::pair<float, std::size_t>> distances_to_all(const float* query) const;

    // hnswlib's own layout (saveIndex's), so the bytes stay readable by hnswlib tools.
    void serialize(std::string& out) const;
    // Validates every field, list, neighbour id and label (< label_bound) before building the
    // graph, so a damaged or hostile file cannot make hnswlib read out of bounds. Throws
    // index_format naming `source`.
    static std::unique_ptr<HnswGraph> deserialize(const GraphParams& params, const char* data, std::size_t size,
                                                  std::size_t capacity, std::size_t label_bound,
                                                  const std::string& source);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace acg2vec::detail
