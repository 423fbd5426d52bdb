// Counters and histograms the server exposes at GET /metrics in Prometheus' text format:
// requests by route and status, request latency, batch sizes, model run time, queue depth.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace acg2vec::server {

class Metrics {
public:
    void record_request(const std::string& route, int status, double seconds);
    void record_batch(std::size_t images, double model_seconds);
    void add_queued(long delta) { queued_ += delta; }
    std::string prometheus_text() const;

private:
    struct Histogram {
        std::array<std::uint64_t, 16> buckets{};  // cumulative counts by upper bound
        std::uint64_t count = 0;
        double sum = 0;
    };
    static void observe(Histogram& h, const double* bounds, std::size_t bound_count, double value);

    mutable std::mutex mutex_;
    std::map<std::pair<std::string, int>, std::uint64_t> requests_;
    Histogram latency_, batch_size_, model_run_;
    std::atomic<long> queued_{0};
};

}  // namespace acg2vec::server
