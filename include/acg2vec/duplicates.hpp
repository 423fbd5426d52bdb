// Groups of duplicate images in an index: byte-identical copies (same content category, see
// index.hpp) and near-duplicates (vectors at least a given score apart), joined transitively.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "acg2vec/export.hpp"
#include "acg2vec/index.hpp"

namespace acg2vec {

struct DuplicateOptions {
    float min_score = 0.95f;      // SearchHit::score at or above which two keys are near-duplicates
    std::size_t neighbours = 10;  // nearest keys examined per key
};

struct DuplicateMember {
    std::string key;
    std::string content;     // fingerprint of the file's bytes; empty when the index has none
    bool identical = false;  // another member has the same bytes
    std::string nearest;     // the member most similar to this one
    float score = 0.0f;      // SearchHit::score to `nearest` (1 for identical bytes)
};

struct DuplicateGroup {
    bool identical = false;                // every member has the same bytes
    std::vector<DuplicateMember> members;  // by key
};

// Each key is in at most one group. Groups of identical copies come first, then
// near-duplicate groups, the most similar first.
ACG2VEC_API std::vector<DuplicateGroup> find_duplicates(const Index& index, const DuplicateOptions& options = {});

}  // namespace acg2vec
