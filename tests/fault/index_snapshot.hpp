// The whole observable content of an index (options, keys, vectors, categories), to tell
// after a fault whether a file holds exactly the old index, exactly the new one, or neither.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "acg2vec/index.hpp"

namespace acg2vec::test {

struct IndexSnapshot {
    std::size_t dimension = 0;
    Metric metric = Metric::cosine;
    std::string model_name;
    std::map<std::string, std::pair<std::vector<float>, std::vector<std::string>>> items;

    bool operator==(const IndexSnapshot& o) const {
        return dimension == o.dimension && metric == o.metric && model_name == o.model_name && items == o.items;
    }
};

inline IndexSnapshot snapshot(const Index& index) {
    IndexSnapshot s;
    const IndexInfo info = index.info();
    s.dimension = info.dimension;
    s.metric = info.metric;
    s.model_name = info.model_name;
    for (const std::string& key : index.keys()) s.items[key] = {index.get(key), index.categories(key)};
    return s;
}

// The temporary files index saves write before renaming into place ("<name>.tmp-...") in `dir`:
// a failed save leaves none, a killed one may leave its own.
inline std::vector<std::filesystem::path> index_temporaries_in(const std::filesystem::path& dir) {
    std::vector<std::filesystem::path> found;
    for (const auto& entry : std::filesystem::directory_iterator(dir))
        if (entry.path().filename().string().find(".tmp-") != std::string::npos) found.push_back(entry.path());
    return found;
}

}  // namespace acg2vec::test
