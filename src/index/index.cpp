// Index: keys, categories and locking around the HNSW graph.
#include <algorithm>
#include <cmath>
#include <mutex>
#include <thread>
#include <unordered_set>

#include "index/index_impl.hpp"

namespace acg2vec {
namespace {

constexpr std::size_t kBatchChunk = 1024;  // adds per exclusive section of add_batch

// For cold paths only: the message is built before the check. Per-vector and per-key checks
// on the insert and search paths test first and build their message only on failure.
void require(bool ok, ErrorCode code, const std::string& message) {
    if (!ok) throw Error(code, message);
}

void check_options(const IndexOptions& o) {
    require(o.dimension >= 1 && o.dimension <= 65536, ErrorCode::invalid_argument,
            "IndexOptions::dimension must be in 1..65536");
    require(o.M >= 2 && o.M <= 256, ErrorCode::invalid_argument, "IndexOptions::M must be in 2..256");
    require(o.ef_construction >= 1 && o.ef_search >= 1, ErrorCode::invalid_argument,
            "IndexOptions::ef_construction and ef_search must be positive");
}

}  // namespace

const char* metric_name(Metric metric) noexcept {
    switch (metric) {
        case Metric::cosine: return "cosine";
        case Metric::inner_product: return "inner_product";
        case Metric::l2: return "l2";
    }
    return "unknown";
}

detail::GraphParams Index::Impl::graph_params() const {
    return {options.dimension, options.metric == Metric::l2 ? detail::SpaceKind::l2 : detail::SpaceKind::inner_product,
            options.M, options.ef_construction, options.seed};
}

std::vector<float> Index::Impl::prepared(const std::vector<float>& v, const char* what) const {
    if (v.size() != options.dimension) {
        throw Error(ErrorCode::invalid_argument, std::string(what) + ": vector has " + std::to_string(v.size()) +
                                                     " values, the index " + std::to_string(options.dimension));
    }
    double norm = 0.0;
    bool finite = true;
    for (float x : v) {
        finite = finite && std::isfinite(x);
        norm += double(x) * x;
    }
    if (!finite) throw Error(ErrorCode::invalid_argument, std::string(what) + ": vector has a NaN or infinite value");
    if (options.metric != Metric::cosine) return v;
    if (!(norm > 0.0))
        throw Error(ErrorCode::invalid_argument,
                    std::string(what) + ": a zero vector has no direction (cosine metric)");
    std::vector<float> unit(v.size());
    const double scale = 1.0 / std::sqrt(norm);
    for (std::size_t i = 0; i < v.size(); ++i) unit[i] = float(v[i] * scale);
    return unit;
}

std::vector<std::uint32_t> Index::Impl::intern(const std::vector<std::string>& names) {
    std::vector<std::uint32_t> ids;
    for (const auto& name : names) {
        auto [it, added] = category_ids.emplace(name, std::uint32_t(category_names.size()));
        if (added) category_names.push_back(name);
        if (std::find(ids.begin(), ids.end(), it->second) == ids.end()) ids.push_back(it->second);
    }
    return ids;
}

std::size_t Index::Impl::take_label() {
    if (!free_labels.empty()) {
        const std::size_t label = free_labels.back();
        free_labels.pop_back();
        return label;
    }
    slots.emplace_back();
    return slots.size() - 1;
}

void Index::Impl::ensure_capacity(std::size_t new_labels) {
    const std::size_t needed = graph->slot_count() + new_labels;
    if (needed > graph->capacity()) graph->reserve(std::max(needed, graph->capacity() * 2));
}

SearchHit Index::Impl::hit(float raw, std::size_t label) const {
    SearchHit h;
    h.key = slots[label].key;
    if (options.metric == Metric::l2) {
        h.distance = std::sqrt(std::max(raw, 0.0f));  // hnswlib's L2 space gives the squared distance
        h.score = 1.0f / (1.0f + h.distance);
    } else {
        h.distance = raw;  // 1 - dot
        h.score = 1.0f - raw;
    }
    return h;
}

Index::Index(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

std::string content_fingerprint(const std::vector<std::string>& categories) {
    const std::string prefix = content_category_prefix;
    for (const auto& c : categories)
        if (c.compare(0, prefix.size(), prefix) == 0) return c.substr(prefix.size());
    return {};
}

std::map<std::string, std::size_t> category_counts(const Index& index) {
    const std::string content = content_category_prefix;
    std::map<std::string, std::size_t> counts;
    for (const std::string& key : index.keys()) {
        std::vector<std::string> categories;
        try {
            categories = index.categories(key);
        } catch (const Error&) {
            continue;  // removed by another thread since keys() listed it
        }
        for (const std::string& c : categories)
            if (c.compare(0, content.size(), content) != 0) ++counts[c];
    }
    return counts;
}

Index Index::create(const IndexOptions& options) {
    check_options(options);
    auto impl = std::make_shared<Impl>();
    impl->options = options;
    impl->graph =
        std::make_unique<detail::HnswGraph>(impl->graph_params(), std::max<std::size_t>(options.initial_capacity, 16));
    return Index(std::move(impl));
}

void Index::add(const std::string& key, const std::vector<float>& vector, const std::vector<std::string>& categories) {
    std::vector<std::vector<std::string>> per_key;
    if (!categories.empty()) per_key.push_back(categories);
    add_batch({key}, vector, per_key);
}

void Index::add_batch(const std::vector<std::string>& keys, const std::vector<float>& vectors,
                      const std::vector<std::vector<std::string>>& categories, std::size_t threads) {
    Impl& s = *impl_;
    const std::size_t dim = s.options.dimension;
    require(vectors.size() == keys.size() * dim, ErrorCode::invalid_argument,
            "add_batch: " + std::to_string(vectors.size()) + " values for " + std::to_string(keys.size()) +
                " keys of dimension " + std::to_string(dim));
    require(categories.empty() || categories.size() == keys.size(), ErrorCode::invalid_argument,
            "add_batch: categories must be empty or one list per key");
    // Check everything first: a batch is added whole or not at all. Vectors are normalised
    // chunk by chunk, so a large batch is never copied whole.
    auto vector_of = [&](std::size_t i) {
        return std::vector<float>(vectors.begin() + std::ptrdiff_t(i * dim),
                                  vectors.begin() + std::ptrdiff_t((i + 1) * dim));
    };
    std::unordered_set<std::string> seen;
    for (std::size_t i = 0; i < keys.size(); ++i) {
        if (keys[i].empty()) throw Error(ErrorCode::invalid_argument, "add: empty key");
        if (!seen.insert(keys[i]).second) {
            throw Error(ErrorCode::invalid_argument, "add: key '" + keys[i] + "' twice in one batch");
        }
        try {
            s.prepared(vector_of(i), "add");
        } catch (const Error& e) {
            throw Error(e.code(), std::string(e.what()) + " (key '" + keys[i] + "')");
        }
    }
    {
        std::shared_lock lock(s.mutex);
        for (const auto& key : keys) {
            if (s.label_of.count(key) != 0) {
                throw Error(ErrorCode::invalid_argument, "add: key '" + key + "' already exists (use update)");
            }
        }
    }
    for (std::size_t first = 0; first < keys.size(); first += kBatchChunk) {
        const std::size_t last = std::min(keys.size(), first + kBatchChunk);
        std::vector<std::vector<float>> prepared;
        for (std::size_t i = first; i < last; ++i) prepared.push_back(s.prepared(vector_of(i), "add"));
        std::unique_lock lock(s.mutex);
        for (std::size_t i = first; i < last; ++i) {
            if (s.label_of.count(keys[i]) != 0) {
                throw Error(ErrorCode::invalid_argument,
                            "add: key '" + keys[i] + "' was added meanwhile by another thread");
            }
        }
        s.ensure_capacity(last - first);
        // Removed slots are revived in place one by one; new slots are inserted in parallel.
        std::vector<std::size_t> labels, fresh_labels;
        std::vector<const float*> fresh_vectors;
        for (std::size_t i = first; i < last; ++i) {
            const std::size_t label = s.take_label();
            labels.push_back(label);
            if (s.graph->inserted(label)) {
                s.graph->put(label, prepared[i - first].data());
            } else {
                fresh_labels.push_back(label);
                fresh_vectors.push_back(prepared[i - first].data());
            }
        }
        try {
            s.graph->insert_new(fresh_labels, fresh_vectors,
                                threads == 0 ? std::thread::hardware_concurrency() : threads);
        } catch (...) {
            // Out of memory part way: what went in is hidden again and the slots return to the pool.
            for (std::size_t label : labels) {
                if (s.graph->inserted(label)) s.graph->mark_removed(label);
                s.free_labels.push_back(label);
            }
            throw;
        }
        for (std::size_t i = first; i < last; ++i) {
            const std::size_t label = labels[i - first];
            s.slots[label] =
                IndexSlot{keys[i], categories.empty() ? std::vector<std::uint32_t>{} : s.intern(categories[i])};
            s.label_of[keys[i]] = label;
        }
    }
}

void Index::update(const std::string& key, const std::vector<float>& vector,
                   const std::vector<std::string>& categories) {
    Impl& s = *impl_;
    const std::vector<float> v = s.prepared(vector, "update");
    std::unique_lock lock(s.mutex);
    auto it = s.label_of.find(key);
    require(it != s.label_of.end(), ErrorCode::not_found, "update: no key '" + key + "'");
    s.graph->put(it->second, v.data());
    s.slots[it->second].categories = s.intern(categories);
}

bool Index::remove(const std::string& key) {
    Impl& s = *impl_;
    std::unique_lock lock(s.mutex);
    auto it = s.label_of.find(key);
    if (it == s.label_of.end()) return false;
    s.graph->mark_removed(it->second);
    s.slots[it->second] = IndexSlot{};
    s.free_labels.push_back(it->second);
    s.label_of.erase(it);
    return true;
}

bool Index::contains(const std::string& key) const {
    std::shared_lock lock(impl_->mutex);
    return impl_->label_of.count(key) > 0;
}

std::size_t Index::size() const {
    std::shared_lock lock(impl_->mutex);
    return impl_->label_of.size();
}

std::vector<float> Index::get(const std::string& key) const {
    std::shared_lock lock(impl_->mutex);
    auto it = impl_->label_of.find(key);
    require(it != impl_->label_of.end(), ErrorCode::not_found, "get: no key '" + key + "'");
    const float* v = impl_->graph->vector(it->second);
    return std::vector<float>(v, v + impl_->options.dimension);
}

std::vector<std::string> Index::categories(const std::string& key) const {
    std::shared_lock lock(impl_->mutex);
    auto it = impl_->label_of.find(key);
    require(it != impl_->label_of.end(), ErrorCode::not_found, "categories: no key '" + key + "'");
    std::vector<std::string> names;
    for (auto id : impl_->slots[it->second].categories) names.push_back(impl_->category_names[id]);
    return names;
}

std::vector<std::string> Index::keys() const {
    std::shared_lock lock(impl_->mutex);
    std::vector<std::string> all;
    for (const auto& slot : impl_->slots) {
        if (!slot.key.empty()) all.push_back(slot.key);
    }
    return all;
}

IndexInfo Index::info() const {
    std::shared_lock lock(impl_->mutex);
    const Impl& s = *impl_;
    return IndexInfo{s.options.dimension,  s.options.metric,     s.label_of.size(),          s.graph->capacity(),
                     s.free_labels.size(), s.options.model_name, s.options.model_fingerprint};
}

}  // namespace acg2vec
