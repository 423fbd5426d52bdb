// recall@k of an index's approximate search against its exact search.
#pragma once

#include <set>
#include <string>

#include "acg2vec/index.hpp"
#include "support/vectors.hpp"

namespace acg2vec::test {

inline double recall_at(const Index& index, const VectorSet& queries, std::size_t k, std::size_t ef) {
    std::size_t found = 0, total = 0;
    for (std::size_t q = 0; q < queries.values.size() / queries.dimension; ++q) {
        std::set<std::string> truth;
        for (const auto& h : index.exact_search(queries.row(q), k)) truth.insert(h.key);
        for (const auto& h : index.search(queries.row(q), k, ef)) found += truth.count(h.key);
        total += truth.size();
    }
    return double(found) / double(total);
}

}  // namespace acg2vec::test
