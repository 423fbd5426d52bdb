// find_duplicates: a union-find over keys, joined by equal content and by near neighbours.
#include "acg2vec/duplicates.hpp"

#include <algorithm>
#include <map>
#include <numeric>
#include <unordered_map>

#include "acg2vec/error.hpp"

namespace acg2vec {
namespace {

class DisjointSets {
public:
    explicit DisjointSets(std::size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0); }
    std::size_t root(std::size_t i) {
        while (parent_[i] != i) i = parent_[i] = parent_[parent_[i]];
        return i;
    }
    void join(std::size_t a, std::size_t b) { parent_[root(a)] = root(b); }

private:
    std::vector<std::size_t> parent_;
};

float best_score(const DuplicateGroup& g) {
    float best = 0;
    for (const auto& m : g.members) best = std::max(best, m.score);
    return best;
}

}  // namespace

std::vector<DuplicateGroup> find_duplicates(const Index& index, const DuplicateOptions& options) {
    if (options.neighbours == 0)
        throw Error(ErrorCode::invalid_argument, "find_duplicates: neighbours must be at least 1");
    std::vector<std::string> keys = index.keys();
    std::sort(keys.begin(), keys.end());
    std::unordered_map<std::string, std::size_t> position;
    for (std::size_t i = 0; i < keys.size(); ++i) position[keys[i]] = i;

    std::vector<DuplicateMember> members(keys.size());
    DisjointSets sets(keys.size());
    std::unordered_map<std::string, std::size_t> first_with_content;
    auto link = [&](std::size_t a, std::size_t b, float score) {
        sets.join(a, b);
        for (auto [from, to] : {std::pair{a, b}, std::pair{b, a}}) {
            if (members[from].nearest.empty() || score > members[from].score) {
                members[from].nearest = keys[to];
                members[from].score = score;
            }
        }
    };
    for (std::size_t i = 0; i < keys.size(); ++i) {
        members[i].key = keys[i];
        members[i].content = content_fingerprint(index.categories(keys[i]));
        if (members[i].content.empty()) continue;
        auto [it, first] = first_with_content.emplace(members[i].content, i);
        if (!first) {
            members[i].identical = members[it->second].identical = true;
            link(i, it->second, 1.0f);
        }
    }
    for (std::size_t i = 0; i < keys.size(); ++i) {
        for (const SearchHit& hit : index.search(index.get(keys[i]), options.neighbours + 1)) {
            if (hit.key == keys[i] || hit.score < options.min_score) continue;
            link(i, position.at(hit.key), hit.score);
        }
    }

    std::map<std::size_t, DuplicateGroup> by_root;
    for (std::size_t i = 0; i < keys.size(); ++i) by_root[sets.root(i)].members.push_back(std::move(members[i]));
    std::vector<DuplicateGroup> groups;
    for (auto& entry : by_root) {
        DuplicateGroup& group = entry.second;
        if (group.members.size() < 2) continue;
        const std::string& first = group.members.front().content;
        group.identical = std::all_of(group.members.begin(), group.members.end(),
                                      [&](const DuplicateMember& m) { return m.identical && m.content == first; });
        groups.push_back(std::move(group));
    }
    std::stable_sort(groups.begin(), groups.end(), [](const DuplicateGroup& a, const DuplicateGroup& b) {
        if (a.identical != b.identical) return a.identical;
        return best_score(a) > best_score(b);
    });
    return groups;
}

}  // namespace acg2vec
