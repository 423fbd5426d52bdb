#include "index/hnsw_graph.hpp"

#include <hnswlib/hnswlib.h>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <limits>
#include <mutex>
#include <thread>
#include <unordered_set>

#include "acg2vec/error.hpp"
#include "io/bounded_reader.hpp"

namespace acg2vec::detail {

using Hnsw = hnswlib::HierarchicalNSW<float>;
using hnswlib::tableint;

struct HnswGraph::Impl {
    std::unique_ptr<hnswlib::SpaceInterface<float>> space;  // outlives the graph, which points into it
    std::unique_ptr<Hnsw> graph;
    std::size_t dimension;
};

namespace {

std::unique_ptr<hnswlib::SpaceInterface<float>> make_space(const GraphParams& p) {
    if (p.space == SpaceKind::l2) return std::make_unique<hnswlib::L2Space>(p.dimension);
    return std::make_unique<hnswlib::InnerProductSpace>(p.dimension);
}

template <class T>
void put_pod(std::string& out, const T& v) {
    out.append(reinterpret_cast<const char*>(&v), sizeof(T));
}

// Neighbour lists: a count in the low 16 bits of the first word, the deleted mark in bit 0
// of its third byte, then the neighbour ids.
void check_links(const BoundedReader& r, const char* list, std::size_t max_count, std::size_t element_count,
                 bool level0) {
    std::uint16_t count;
    std::memcpy(&count, list, 2);
    const auto flags = static_cast<unsigned char>(list[2]);
    if (count > max_count) r.fail("a neighbour list is longer than the graph allows");
    if ((level0 && (flags & ~1u) != 0) || (!level0 && flags != 0) || list[3] != 0)
        r.fail("corrupt neighbour list header");
    for (std::size_t j = 0; j < count; ++j) {
        tableint id;
        std::memcpy(&id, list + 4 + j * sizeof(tableint), sizeof(tableint));
        if (id >= element_count) r.fail("a neighbour id points past the graph");
    }
}

// hnswlib's addPoint for a label never inserted, with the level given instead of drawn:
// addPoint draws it from the graph's generator without a lock, a data race when several
// threads insert at once. The steps and locks are addPoint's: the element's own list lock for
// the whole insertion, and the graph-wide lock only while the element becomes the new top.
void insert_with_level(Hnsw& g, std::size_t label, const float* vector, int level) {
    tableint id = 0;
    {
        std::unique_lock<std::mutex> count_lock(g.cur_element_count_guard_);
        if (g.cur_element_count >= g.max_elements_ || g.label_lookup_.count(label) != 0)
            throw Error(ErrorCode::internal, "HNSW insert: no free slot or label " + std::to_string(label) + " exists");
        id = tableint(g.cur_element_count++);
        g.label_lookup_[label] = id;
    }
    std::unique_lock<std::mutex> update_lock(g.link_list_update_locks_[id & (Hnsw::max_update_element_locks - 1)]);
    std::unique_lock<std::mutex> own_lock(g.link_list_locks_[id]);
    g.element_levels_[id] = level;

    std::unique_lock<std::mutex> top_lock(g.global);
    const int top_level = g.maxlevel_;
    tableint entry = g.enterpoint_node_;  // read under the lock: a new top element rewrites both
    if (level <= top_level) top_lock.unlock();

    std::memset(g.data_level0_memory_ + id * g.size_data_per_element_ + g.offsetLevel0_, 0, g.size_data_per_element_);
    const hnswlib::labeltype external = label;
    std::memcpy(g.getExternalLabeLp(id), &external, sizeof external);
    std::memcpy(g.getDataByInternalId(id), vector, g.data_size_);
    if (level > 0) {
        const std::size_t bytes = g.size_links_per_element_ * std::size_t(level) + 1;
        g.linkLists_[id] = static_cast<char*>(std::malloc(bytes));
        if (g.linkLists_[id] == nullptr) throw std::bad_alloc();
        std::memset(g.linkLists_[id], 0, bytes);
    }
    if (entry == tableint(-1)) {  // the first element is the entry point
        g.enterpoint_node_ = id;
        g.maxlevel_ = level;
        return;
    }
    // A removed entry point is still walked through, and offered as a candidate on every level.
    const tableint first_entry = entry;
    const bool first_entry_removed = g.isMarkedDeleted(first_entry);
    // Greedy descent through the levels above the new element's own.
    if (level < top_level) {
        float nearest = g.fstdistfunc_(vector, g.getDataByInternalId(entry), g.dist_func_param_);
        for (int l = top_level; l > level; --l) {
            for (bool moved = true; moved;) {
                moved = false;
                std::unique_lock<std::mutex> list_lock(g.link_list_locks_[entry]);
                auto* list = g.get_linklist(entry, l);
                const auto* neighbours = reinterpret_cast<const tableint*>(list + 1);
                for (std::size_t i = 0, n = g.getListCount(list); i < n; ++i) {
                    const float d = g.fstdistfunc_(vector, g.getDataByInternalId(neighbours[i]), g.dist_func_param_);
                    if (d < nearest) nearest = d, entry = neighbours[i], moved = true;
                }
            }
        }
    }
    // Connect on every level the element lives on, from its top down.
    for (int l = std::min(level, top_level); l >= 0; --l) {
        auto candidates = g.searchBaseLayer(entry, vector, l);
        if (first_entry_removed) {
            candidates.emplace(g.fstdistfunc_(vector, g.getDataByInternalId(first_entry), g.dist_func_param_),
                               first_entry);
            if (candidates.size() > g.ef_construction_) candidates.pop();
        }
        entry = g.mutuallyConnectNewElement(vector, id, candidates, l, false);
    }
    if (level > top_level) {  // top_lock is still held
        g.enterpoint_node_ = id;
        g.maxlevel_ = level;
    }
}

}  // namespace

HnswGraph::HnswGraph(const GraphParams& params, std::size_t capacity) : impl_(std::make_unique<Impl>()) {
    impl_->space = make_space(params);
    impl_->dimension = params.dimension;
    impl_->graph = std::make_unique<Hnsw>(impl_->space.get(), std::max<std::size_t>(capacity, 1), params.M,
                                          params.ef_construction, params.seed);
}

HnswGraph::~HnswGraph() = default;

std::size_t HnswGraph::capacity() const { return impl_->graph->max_elements_; }
std::size_t HnswGraph::slot_count() const { return impl_->graph->cur_element_count; }

void HnswGraph::reserve(std::size_t capacity) {
    if (capacity > impl_->graph->max_elements_) impl_->graph->resizeIndex(capacity);
}

void HnswGraph::put(std::size_t label, const float* vector) { impl_->graph->addPoint(vector, label); }

void HnswGraph::insert_new(const std::vector<std::size_t>& labels, const std::vector<const float*>& vectors,
                           std::size_t threads) {
    Hnsw& g = *impl_->graph;
    std::vector<int> levels(labels.size());
    for (int& level : levels) level = g.getRandomLevel(g.mult_);
    std::atomic<std::size_t> next{0};
    std::atomic<bool> failed{false};
    std::exception_ptr failure;
    std::mutex failure_mutex;
    auto work = [&] {
        for (std::size_t i = next++; i < labels.size() && !failed; i = next++) {
            try {
                insert_with_level(g, labels[i], vectors[i], levels[i]);
            } catch (...) {
                std::lock_guard<std::mutex> lock(failure_mutex);
                if (!failure) failure = std::current_exception();
                failed = true;
            }
        }
    };
    threads = std::max<std::size_t>(1, std::min(threads, labels.size()));
    std::vector<std::thread> helpers;
    for (std::size_t t = 1; t < threads; ++t) helpers.emplace_back(work);
    work();
    for (auto& t : helpers) t.join();
    if (failure) std::rethrow_exception(failure);
}

bool HnswGraph::inserted(std::size_t label) const { return impl_->graph->label_lookup_.count(label) != 0; }

void HnswGraph::mark_removed(std::size_t label) { impl_->graph->markDelete(label); }

bool HnswGraph::contains(std::size_t label) const {
    auto it = impl_->graph->label_lookup_.find(label);
    return it != impl_->graph->label_lookup_.end() && !impl_->graph->isMarkedDeleted(it->second);
}

const float* HnswGraph::vector(std::size_t label) const {
    const Hnsw& g = *impl_->graph;
    return reinterpret_cast<const float*>(g.getDataByInternalId(g.label_lookup_.at(label)));
}

std::vector<std::pair<float, std::size_t>> HnswGraph::search(const float* query, std::size_t k, std::size_t ef) const {
    const Hnsw& g = *impl_->graph;
    std::vector<std::pair<float, std::size_t>> hits;
    if (g.cur_element_count == 0 || k == 0) return hits;
    // Greedy descent through the upper layers, then a best-first search of layer 0 with our
    // own ef (hnswlib's searchKnn reads a shared ef_, which concurrent searches cannot set).
    tableint current = g.enterpoint_node_;
    float best = g.fstdistfunc_(query, g.getDataByInternalId(current), g.dist_func_param_);
    for (int level = g.maxlevel_; level > 0; --level) {
        for (bool moved = true; moved;) {
            moved = false;
            const auto* list = reinterpret_cast<const unsigned int*>(g.get_linklist(current, level));
            const int count = g.getListCount(const_cast<unsigned int*>(list));
            for (int i = 0; i < count; ++i) {
                const tableint candidate = list[1 + i];
                const float d = g.fstdistfunc_(query, g.getDataByInternalId(candidate), g.dist_func_param_);
                if (d < best) {
                    best = d;
                    current = candidate;
                    moved = true;
                }
            }
        }
    }
    auto top = g.num_deleted_ ? g.searchBaseLayerST<true>(current, query, std::max(ef, k))
                              : g.searchBaseLayerST<false>(current, query, std::max(ef, k));
    while (top.size() > k) top.pop();
    hits.resize(top.size());
    for (std::size_t i = hits.size(); i-- > 0; top.pop())
        hits[i] = {top.top().first, g.getExternalLabel(top.top().second)};
    return hits;
}

std::vector<std::pair<float, std::size_t>> HnswGraph::distances_to_all(const float* query) const {
    const Hnsw& g = *impl_->graph;
    std::vector<std::pair<float, std::size_t>> all;
    for (tableint i = 0; i < g.cur_element_count; ++i) {
        if (g.isMarkedDeleted(i)) continue;
        all.emplace_back(g.fstdistfunc_(query, g.getDataByInternalId(i), g.dist_func_param_), g.getExternalLabel(i));
    }
    return all;
}

void HnswGraph::serialize(std::string& out) const {
    const Hnsw& g = *impl_->graph;
    put_pod(out, g.offsetLevel0_);
    put_pod(out, g.max_elements_);
    put_pod(out, g.cur_element_count);
    put_pod(out, g.size_data_per_element_);
    put_pod(out, g.label_offset_);
    put_pod(out, g.offsetData_);
    put_pod(out, g.maxlevel_);
    put_pod(out, g.enterpoint_node_);
    put_pod(out, g.maxM_);
    put_pod(out, g.maxM0_);
    put_pod(out, g.M_);
    put_pod(out, g.mult_);
    put_pod(out, g.ef_construction_);
    out.append(g.data_level0_memory_, g.cur_element_count * g.size_data_per_element_);
    for (std::size_t i = 0; i < g.cur_element_count; ++i) {
        const unsigned int bytes =
            g.element_levels_[i] > 0 ? unsigned(g.size_links_per_element_ * g.element_levels_[i]) : 0;
        put_pod(out, bytes);
        if (bytes) out.append(g.linkLists_[i], bytes);
    }
}

std::unique_ptr<HnswGraph> HnswGraph::deserialize(const GraphParams& params, const char* data, std::size_t size,
                                                  std::size_t capacity, std::size_t label_bound,
                                                  const std::string& source) {
    BoundedReader r(data, size, source, ErrorCode::index_format);
    const auto offset_level0 = r.pod<std::size_t>();
    r.pod<std::size_t>();  // the saved capacity; ours is given
    const auto count = r.pod<std::size_t>();
    const auto per_element = r.pod<std::size_t>();
    const auto label_offset = r.pod<std::size_t>();
    const auto offset_data = r.pod<std::size_t>();
    const auto max_level = r.pod<int>();
    const auto entry_point = r.pod<tableint>();
    const auto max_m = r.pod<std::size_t>();
    const auto max_m0 = r.pod<std::size_t>();
    const auto m = r.pod<std::size_t>();
    const auto mult = r.pod<double>();
    r.pod<std::size_t>();  // ef_construction, taken from params

    // The layout must be exactly what this dimension and M give (hnswlib's formulas), checked
    // before anything is allocated.
    const std::size_t links0 = 2 * params.M * sizeof(tableint) + sizeof(unsigned int);
    const std::size_t vector_bytes = params.dimension * sizeof(float);
    if (offset_level0 != 0 || per_element != links0 + vector_bytes + sizeof(std::size_t) || offset_data != links0 ||
        label_offset != links0 + vector_bytes || max_m != params.M || max_m0 != 2 * params.M || m != params.M ||
        !(mult == 1 / std::log(double(params.M)))) {
        r.fail("graph layout does not match the index's dimension and M");
    }
    if (count > capacity || count > size / per_element || count >= std::numeric_limits<tableint>::max()) {
        r.fail("graph holds more elements than the index declares");
    }
    auto result = std::unique_ptr<HnswGraph>(new HnswGraph(params, capacity));
    Hnsw& g = *result->impl_->graph;
    if (count == 0 ? max_level != -1 : (max_level < 0 || max_level > 64 || entry_point >= count)) {
        r.fail("graph entry point or top level is invalid");
    }

    const char* level0 = r.take(count * per_element);
    std::unordered_set<std::size_t> labels;
    for (std::size_t i = 0; i < count; ++i) {
        const char* element = level0 + i * per_element;
        check_links(r, element + offset_level0, max_m0, count, true);
        const float* v = reinterpret_cast<const float*>(element + offset_data);
        for (std::size_t d = 0; d < params.dimension; ++d) {
            float x;
            std::memcpy(&x, v + d, sizeof x);
            if (!std::isfinite(x)) r.fail("a stored vector is not finite");
        }
        std::size_t label;
        std::memcpy(&label, element + label_offset, sizeof label);
        if (label >= label_bound || !labels.insert(label).second) r.fail("a graph label is out of range or repeated");
    }
    std::vector<std::pair<const char*, unsigned int>> upper(count);
    for (std::size_t i = 0; i < count; ++i) {
        const auto bytes = r.pod<unsigned int>();
        if (bytes % g.size_links_per_element_ != 0) r.fail("corrupt upper-layer neighbour lists");
        const std::size_t levels = bytes / g.size_links_per_element_;
        if (levels > std::size_t(std::max(max_level, 0))) r.fail("an element is above the graph's top level");
        const char* lists = r.take(bytes);
        for (std::size_t l = 0; l < levels; ++l)
            check_links(r, lists + l * g.size_links_per_element_, max_m, count, false);
        upper[i] = {lists, bytes};
    }
    if (!r.done()) r.fail("unexpected bytes after the graph");
    // A neighbour on level l must reach level l itself: hnswlib follows a level-l link into the
    // neighbour's level-l list, which an element below that level does not have (a null list
    // read; found by fuzz_index_load).
    for (std::size_t i = 0; i < count; ++i) {
        const std::size_t levels = upper[i].second / g.size_links_per_element_;
        for (std::size_t l = 1; l <= levels; ++l) {
            const char* list = upper[i].first + (l - 1) * g.size_links_per_element_;
            std::uint16_t n;
            std::memcpy(&n, list, 2);
            for (std::size_t j = 0; j < n; ++j) {
                tableint id;
                std::memcpy(&id, list + 4 + j * sizeof(tableint), sizeof(tableint));
                if (upper[id].second / g.size_links_per_element_ < l) {
                    r.fail("a neighbour on level " + std::to_string(l) + " does not reach that level");
                }
            }
        }
    }
    if (count > 0 && upper[entry_point].second / g.size_links_per_element_ != std::size_t(max_level)) {
        r.fail("the entry point is not on the top level");
    }

    // Everything checked: fill the freshly constructed graph.
    std::memcpy(g.data_level0_memory_, level0, count * per_element);
    g.cur_element_count = count;
    g.maxlevel_ = max_level;
    g.enterpoint_node_ = count == 0 ? tableint(-1) : entry_point;
    for (std::size_t i = 0; i < count; ++i) {
        const auto [lists, bytes] = upper[i];
        g.element_levels_[i] = int(bytes / g.size_links_per_element_);
        g.linkLists_[i] = nullptr;
        if (bytes > 0) {
            g.linkLists_[i] = static_cast<char*>(std::malloc(bytes));
            if (g.linkLists_[i] == nullptr) throw std::bad_alloc();
            std::memcpy(g.linkLists_[i], lists, bytes);
        }
        g.label_lookup_[g.getExternalLabel(tableint(i))] = tableint(i);
        if (g.isMarkedDeleted(tableint(i))) ++g.num_deleted_;
    }
    return result;
}

}  // namespace acg2vec::detail
