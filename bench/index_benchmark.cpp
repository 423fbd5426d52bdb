// Index benchmark: acg2vec::Index against Debian's python3-hnswlib (the same hnswlib 0.6.2)
// on the same seeded vectors, measured in one invocation. Prints build time, QPS and
// recall@10 at several ef, memory growth, and the ratios.
//
// Usage: index_benchmark [COUNT=100000] [DIM=512] [QUERIES=1000]   (run from the repo root)
// Vectors have the structure of real embeddings: a 32-d Gaussian latent projected to DIM plus
// noise. Uniform random vectors defeat any graph index, so they would measure nothing useful.
#include <acg2vec/index.hpp>

#include "bench_util.hpp"

#include <nlohmann/json.hpp>

#include <unistd.h>
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <set>
#include <string>

namespace {

using bench::Clock;
using bench::rss_bytes;
using bench::run;
using bench::seconds_since;

constexpr std::size_t kM = 16, kEfConstruction = 200, kK = 10;
const std::vector<std::size_t> kEfs = {16, 32, 64, 128, 256};

std::vector<float> embedding_like(std::size_t count, std::size_t dim, std::uint32_t seed) {
    constexpr std::size_t latent = 32;
    std::mt19937 basis_rng(2024), rng(seed);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    std::vector<float> basis(latent * dim);
    for (auto& b : basis) b = normal(basis_rng);
    std::vector<float> out(count * dim), z(latent);
    for (std::size_t i = 0; i < count; ++i) {
        for (auto& v : z) v = normal(rng);
        for (std::size_t d = 0; d < dim; ++d) {
            float x = 0.3f * normal(rng);
            for (std::size_t l = 0; l < latent; ++l) x += z[l] * basis[l * dim + d];
            out[i * dim + d] = x;
        }
    }
    return out;
}

template <class T>
void write_npy(const std::string& path, const std::vector<T>& values, std::size_t rows, std::size_t cols,
               const char* descr) {
    std::string dict = std::string("{'descr': '") + descr + "', 'fortran_order': False, 'shape': (" +
                       std::to_string(rows) + ", " + std::to_string(cols) + "), }";
    dict.append((64 - (10 + dict.size() + 1) % 64) % 64, ' ');
    dict += '\n';
    std::ofstream out(path, std::ios::binary);
    out << "\x93NUMPY" << char(1) << char(0) << char(dict.size() & 0xFF) << char(dict.size() >> 8) << dict;
    out.write(reinterpret_cast<const char*>(values.data()), std::streamsize(values.size() * sizeof(T)));
}

std::vector<float> row(const std::vector<float>& values, std::size_t i, std::size_t dim) {
    return std::vector<float>(values.begin() + std::ptrdiff_t(i * dim), values.begin() + std::ptrdiff_t((i + 1) * dim));
}

}  // namespace

int main(int argc, char** argv) {
    const std::size_t count = argc > 1 ? std::stoul(argv[1]) : 100000;
    const std::size_t dim = argc > 2 ? std::stoul(argv[2]) : 512;
    const std::size_t queries_n = argc > 3 ? std::stoul(argv[3]) : 1000;
    const std::string folder = std::filesystem::temp_directory_path() / ("acg2vec-bench-" + std::to_string(getpid()));
    std::filesystem::create_directories(folder);
    std::printf("index benchmark: %zu x %zu vectors, %zu queries, M %zu, ef_construction %zu, cosine, k %zu\n", count,
                dim, queries_n, kM, kEfConstruction, kK);

    const std::vector<float> data = embedding_like(count, dim, 1), queries = embedding_like(queries_n, dim, 2);
    std::vector<std::string> keys;
    for (std::size_t i = 0; i < count; ++i) keys.push_back(std::to_string(i));

    acg2vec::IndexOptions options;
    options.dimension = dim;
    options.M = kM;
    options.ef_construction = kEfConstruction;
    options.initial_capacity = count;
    const long rss_before = rss_bytes();
    auto start = Clock::now();
    acg2vec::Index index = acg2vec::Index::create(options);
    index.add_batch(keys, data, {}, 1);
    const double build = seconds_since(start);
    const long rss_growth = rss_bytes() - rss_before;
    // The same build on every core (hnswlib's parallel build is the peer), then discarded.
    double build_all = 0.0;
    {
        start = Clock::now();
        acg2vec::Index parallel = acg2vec::Index::create(options);
        parallel.add_batch(keys, data, {}, 0);
        build_all = seconds_since(start);
    }

    // Ground truth: exact top-10 by brute force, shared with the peer.
    std::vector<std::int32_t> truth(queries_n * kK);
    std::vector<std::set<std::string>> truth_keys(queries_n);
    for (std::size_t q = 0; q < queries_n; ++q) {
        auto hits = index.exact_search(row(queries, q, dim), kK);
        for (std::size_t i = 0; i < hits.size(); ++i) {
            truth[q * kK + i] = std::stoi(hits[i].key);
            truth_keys[q].insert(hits[i].key);
        }
    }
    write_npy(folder + "/data.npy", data, count, dim, "<f4");
    write_npy(folder + "/queries.npy", queries, queries_n, dim, "<f4");
    write_npy(folder + "/truth.npy", truth, queries_n, kK, "<i4");

    // Each ef is timed three times and the best kept, on both sides: shared machines are noisy.
    std::vector<std::vector<float>> query_rows;
    for (std::size_t q = 0; q < queries_n; ++q) query_rows.push_back(row(queries, q, dim));
    std::vector<std::array<double, 2>> ours;  // qps, recall per ef
    for (std::size_t ef : kEfs) {
        double best = 0.0;
        std::size_t found = 0;
        for (int repeat = 0; repeat < 3; ++repeat) {
            std::vector<std::vector<acg2vec::SearchHit>> results(queries_n);
            start = Clock::now();
            for (std::size_t q = 0; q < queries_n; ++q) results[q] = index.search(query_rows[q], kK, ef);
            best = std::max(best, double(queries_n) / seconds_since(start));
            found = 0;
            for (std::size_t q = 0; q < queries_n; ++q) {
                for (const auto& h : results[q]) found += truth_keys[q].count(h.key);
            }
        }
        ours.push_back({best, double(found) / double(truth.size())});
    }

    std::string efs;
    for (std::size_t ef : kEfs) efs += (efs.empty() ? "" : ",") + std::to_string(ef);
    const std::string peer_command = "/usr/bin/python3 bench/hnswlib_peer.py " + folder + " " + std::to_string(kM) +
                                     " " + std::to_string(kEfConstruction) + " " + efs + " ";
    const auto peer1 = nlohmann::json::parse(run(peer_command + "1"), nullptr, false);
    const auto peer_all = nlohmann::json::parse(run(peer_command + "-1"), nullptr, false);
    if (peer1.is_discarded() || peer_all.is_discarded()) {
        std::fprintf(stderr, "the python3-hnswlib peer failed (apt-get install python3-hnswlib python3-numpy)\n");
        return 1;
    }

    std::printf("\nbuild, 1 thread: acg2vec %.2f s | hnswlib %.2f s | ratio %.2fx\n", build,
                peer1["build_seconds"].get<double>(), build / peer1["build_seconds"].get<double>());
    std::printf("build, all %ld cores: acg2vec %.2f s | hnswlib %.2f s | ratio %.2fx\n", sysconf(_SC_NPROCESSORS_ONLN),
                build_all, peer_all["build_seconds"].get<double>(),
                build_all / peer_all["build_seconds"].get<double>());
    std::printf("memory growth: acg2vec %.1f MB | hnswlib %.1f MB | ratio %.2fx\n", rss_growth / 1e6,
                peer1["rss_growth"].get<double>() / 1e6, double(rss_growth) / peer1["rss_growth"].get<double>());
    std::printf("\n| ef | acg2vec QPS | acg2vec recall@10 | hnswlib QPS | hnswlib recall@10 | QPS ratio |\n");
    std::printf("|---|---|---|---|---|---|\n");
    for (std::size_t i = 0; i < kEfs.size(); ++i) {
        const auto& p = peer1["search"][i];
        std::printf("| %zu | %.0f | %.4f | %.0f | %.4f | %.2fx |\n", kEfs[i], ours[i][0], ours[i][1],
                    p["qps"].get<double>(), p["recall"].get<double>(), ours[i][0] / p["qps"].get<double>());
    }
    std::filesystem::remove_all(folder);
    return 0;
}
