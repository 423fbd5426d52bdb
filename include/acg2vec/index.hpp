// Index: approximate nearest-neighbour search (HNSW) over vectors with string keys, safe to
// search while other threads add, and saved in a validated, checksummed file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "acg2vec/export.hpp"

namespace acg2vec {

enum class Metric {
    cosine,         // vectors normalised on insert and query; distance 1 - cos, score cos
    inner_product,  // distance 1 - dot, score dot
    l2,             // distance Euclidean, score 1 / (1 + distance)
};

ACG2VEC_API const char* metric_name(Metric metric) noexcept;

// The category that folder sync (folder_sync.hpp) gives every image: this prefix and the
// fingerprint of the file's bytes. Keys sharing it are byte-identical copies.
constexpr const char* content_category_prefix = "content:";
// The fingerprint in an item's content category, or "" when it has none.
ACG2VEC_API std::string content_fingerprint(const std::vector<std::string>& categories);

class Index;
// How many live items carry each category, by name, without the content categories (one
// per file, so they say nothing about the index as a whole). What search filters can use.
ACG2VEC_API std::map<std::string, std::size_t> category_counts(const Index& index);

struct IndexOptions {
    std::size_t dimension = 0;  // fixed at creation
    Metric metric = Metric::cosine;
    std::size_t M = 16;  // graph degree (hnswlib's M)
    std::size_t ef_construction = 200;
    std::size_t ef_search = 64;           // default exploration for search (more: better recall, slower)
    std::size_t initial_capacity = 1024;  // grows automatically
    std::uint64_t seed = 100;
    // The embedding model, so vectors of two models are never mixed: saved in the file, and
    // Index::load refuses the file when the expected name or fingerprint differs.
    std::string model_name;
    std::string model_fingerprint;
};

struct SearchHit {
    std::string key;
    float distance = 0.0f;  // smaller is closer (see Metric)
    float score = 0.0f;     // larger is closer (see Metric)
};

// Restricts a search. Both conditions must hold when both are given.
struct SearchFilter {
    std::function<bool(const std::string& key)> accept;  // empty: every key
    std::vector<std::string> any_category;               // empty: any; else the item has one of these
};

struct IndexInfo {
    std::size_t dimension = 0;
    Metric metric = Metric::cosine;
    std::size_t size = 0;           // live keys
    std::size_t capacity = 0;       // slots before the graph grows
    std::size_t removed_slots = 0;  // waiting to be reused by the next adds
    std::string model_name;
    std::string model_fingerprint;
};

// Copies share one index. Thread safety: every method may be called from any number of threads at once. Searches
// and reads share a lock; add, update, remove, save hold it exclusively, so searches
// wait while a write runs (add_batch releases it between chunks of 1024 so searches interleave).
class ACG2VEC_API Index {
public:
    static Index create(const IndexOptions& options);
    // Validates the whole file before anything reaches hnswlib; a damaged, truncated or foreign
    // file throws index_format. `expected` (when its fields are set) must match: dimension,
    // metric, model name and fingerprint.
    static Index load(const std::string& path, const IndexOptions& expected = {});
    // Atomic: written to a temporary file, flushed to disk, then renamed over `path`.
    void save(const std::string& path) const;

    // Adds a new key; invalid_argument if it exists (use update) or the vector is wrong.
    void add(const std::string& key, const std::vector<float>& vector, const std::vector<std::string>& categories = {});
    // Adds many keys (vectors.size() == keys.size() * dimension). All are checked before any
    // is added. Inserts on `threads` threads (0: one per core); the graph then depends on
    // thread timing, as hnswlib's parallel build does (1 thread: reproducible).
    void add_batch(const std::vector<std::string>& keys, const std::vector<float>& vectors,
                   const std::vector<std::vector<std::string>>& categories = {}, std::size_t threads = 0);
    // Replaces the vector (and categories) of an existing key; not_found otherwise.
    void update(const std::string& key, const std::vector<float>& vector,
                const std::vector<std::string>& categories = {});
    // Removes a key; its slot is reused by a later add. Returns false if the key was absent.
    bool remove(const std::string& key);

    bool contains(const std::string& key) const;
    std::size_t size() const;
    std::vector<float> get(const std::string& key) const;  // as stored (normalised for cosine)
    std::vector<std::string> categories(const std::string& key) const;
    std::vector<std::string> keys() const;
    IndexInfo info() const;

    // Up to k hits, nearest first; fewer when fewer keys match (never padded).
    std::vector<SearchHit> search(const std::vector<float>& query, std::size_t k, std::size_t ef = 0,
                                  const SearchFilter& filter = {}) const;
    std::vector<std::vector<SearchHit>> search_batch(const std::vector<std::vector<float>>& queries, std::size_t k,
                                                     std::size_t ef = 0, const SearchFilter& filter = {}) const;
    // Brute force over every key: exact, for small sets and for measuring recall.
    std::vector<SearchHit> exact_search(const std::vector<float>& query, std::size_t k,
                                        const SearchFilter& filter = {}) const;

    // Writes vectors.npy (float32 [n, dimension]), keys.jsonl ({"key":..,"categories":[..]}
    // per row, same order) and vectors.fvecs into `directory`, for bulk import elsewhere.
    void export_vectors(const std::string& directory) const;

    struct Impl;  // opaque: defined inside the library

private:
    explicit Index(std::shared_ptr<Impl> impl);
    std::shared_ptr<Impl> impl_;
};

}  // namespace acg2vec
