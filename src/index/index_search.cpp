// Index searches: approximate (HNSW) and exact, with key and category filters.
#include <algorithm>
#include <mutex>

#include "index/index_impl.hpp"

namespace acg2vec {
namespace {

// A filter resolved against the index: category names become ids once per search.
class Matcher {
public:
    Matcher(const Index::Impl& s, const SearchFilter& f) : s_(s), f_(f) {
        for (const auto& name : f.any_category) {
            auto it = s.category_ids.find(name);
            if (it != s.category_ids.end()) wanted_.push_back(it->second);
        }
        impossible_ = !f.any_category.empty() && wanted_.empty();
    }
    bool active() const { return f_.accept || !f_.any_category.empty(); }
    bool impossible() const { return impossible_; }
    bool operator()(std::size_t label) const {
        const IndexSlot& slot = s_.slots[label];
        if (!f_.any_category.empty() &&
            std::none_of(slot.categories.begin(), slot.categories.end(), [&](std::uint32_t c) {
                return std::find(wanted_.begin(), wanted_.end(), c) != wanted_.end();
            })) {
            return false;
        }
        return !f_.accept || f_.accept(slot.key);
    }

private:
    const Index::Impl& s_;
    const SearchFilter& f_;
    std::vector<std::uint32_t> wanted_;
    bool impossible_ = false;
};

std::vector<SearchHit> exact_locked(const Index::Impl& s, const std::vector<float>& q, std::size_t k,
                                    const Matcher& match) {
    auto all = s.graph->distances_to_all(q.data());
    all.erase(std::remove_if(all.begin(), all.end(), [&](const auto& d) { return match.active() && !match(d.second); }),
              all.end());
    const std::size_t n = std::min(k, all.size());
    std::partial_sort(all.begin(), all.begin() + std::ptrdiff_t(n), all.end());
    std::vector<SearchHit> hits;
    for (std::size_t i = 0; i < n; ++i) hits.push_back(s.hit(all[i].first, all[i].second));
    return hits;
}

std::vector<SearchHit> approximate_locked(const Index::Impl& s, const std::vector<float>& q, std::size_t k,
                                          std::size_t ef, const Matcher& match) {
    const std::size_t live = s.label_of.size();
    if (!match.active()) {
        std::vector<SearchHit> hits;
        for (const auto& [d, label] : s.graph->search(q.data(), k, ef)) hits.push_back(s.hit(d, label));
        return hits;
    }
    // Filtered: ask the graph for more candidates until k of them pass; when the filter is
    // so selective that 16 k candidates are not enough, scan exactly instead.
    for (std::size_t wanted = k; wanted <= std::min(live, 16 * k); wanted *= 4) {
        std::vector<SearchHit> hits;
        const auto candidates = s.graph->search(q.data(), wanted, std::max(ef, wanted));
        for (const auto& [d, label] : candidates) {
            if (match(label)) hits.push_back(s.hit(d, label));
            if (hits.size() == k) return hits;
        }
        if (candidates.size() >= live) return hits;  // every key was seen
    }
    return exact_locked(s, q, k, match);
}

}  // namespace

std::vector<SearchHit> Index::search(const std::vector<float>& query, std::size_t k, std::size_t ef,
                                     const SearchFilter& filter) const {
    const Impl& s = *impl_;
    const std::vector<float> q = s.prepared(query, "query");
    std::shared_lock lock(s.mutex);
    const Matcher match(s, filter);
    if (k == 0 || s.label_of.empty() || match.impossible()) return {};
    return approximate_locked(s, q, k, ef == 0 ? s.options.ef_search : ef, match);
}

std::vector<std::vector<SearchHit>> Index::search_batch(const std::vector<std::vector<float>>& queries, std::size_t k,
                                                        std::size_t ef, const SearchFilter& filter) const {
    std::vector<std::vector<SearchHit>> results;
    results.reserve(queries.size());
    for (const auto& q : queries) results.push_back(search(q, k, ef, filter));
    return results;
}

std::vector<SearchHit> Index::exact_search(const std::vector<float>& query, std::size_t k,
                                           const SearchFilter& filter) const {
    const Impl& s = *impl_;
    const std::vector<float> q = s.prepared(query, "query");
    std::shared_lock lock(s.mutex);
    const Matcher match(s, filter);
    if (k == 0 || match.impossible()) return {};
    return exact_locked(s, q, k, match);
}

}  // namespace acg2vec
