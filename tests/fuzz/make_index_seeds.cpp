// Writes small index files (every metric, categories, removed slots, an empty index) into the
// directory given: the seed corpus of fuzz_index_load, made at fuzz time with the library
// being fuzzed so it always matches the current file format.
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "acg2vec/index.hpp"

using namespace acg2vec;

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s DIRECTORY\n", argv[0]);
        return 2;
    }
    const std::string dir = argv[1];
    int written = 0;
    for (Metric metric : {Metric::cosine, Metric::inner_product, Metric::l2}) {
        for (std::size_t count : {0, 1, 3, 12}) {
            IndexOptions o;
            o.dimension = 3;
            o.metric = metric;
            o.M = 4;
            o.ef_construction = 16;
            o.model_name = count % 2 ? "seed-model" : "";
            Index index = Index::create(o);
            for (std::size_t i = 0; i < count; ++i) {
                const float x = float(i) + 1.0f;
                std::vector<std::string> categories;
                if (i % 3 == 0) categories.push_back("a");
                if (i % 2 == 0) categories.push_back("b");
                index.add("k" + std::to_string(i), {std::sin(x), std::cos(x), 0.5f}, categories);
            }
            if (count > 2) index.remove("k1");  // a free slot in the file
            index.save(dir + "/" + metric_name(metric) + "-" + std::to_string(count) + ".idx");
            ++written;
        }
    }
    std::printf("%d index seeds in %s\n", written, dir.c_str());
    return 0;
}
