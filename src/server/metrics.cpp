#include "server/metrics.hpp"

#include <sstream>

namespace acg2vec::server {
namespace {

constexpr double kLatencyBounds[] = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
constexpr double kBatchBounds[] = {1, 2, 4, 8, 16, 32, 64, 128};
constexpr double kModelBounds[] = {0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

template <std::size_t N, class H>
void write_histogram(std::ostringstream& out, const char* name, const char* help, const double (&bounds)[N],
                     const H& h) {
    out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << " histogram\n";
    for (std::size_t i = 0; i < N; ++i) out << name << "_bucket{le=\"" << bounds[i] << "\"} " << h.buckets[i] << '\n';
    out << name << "_bucket{le=\"+Inf\"} " << h.count << '\n';
    out << name << "_sum " << h.sum << '\n' << name << "_count " << h.count << '\n';
}

// Prometheus label values escape backslash, quote and newline.
std::string label(const std::string& value) {
    std::string out;
    for (char c : value) {
        if (c == '\\' || c == '"') out += '\\';
        out += c == '\n' ? 'n' : c;
    }
    return out;
}

}  // namespace

void Metrics::observe(Histogram& h, const double* bounds, std::size_t bound_count, double value) {
    for (std::size_t i = 0; i < bound_count; ++i)
        if (value <= bounds[i]) ++h.buckets[i];
    ++h.count;
    h.sum += value;
}

void Metrics::record_request(const std::string& route, int status, double seconds) {
    std::lock_guard<std::mutex> lock(mutex_);
    ++requests_[{route, status}];
    observe(latency_, kLatencyBounds, std::size(kLatencyBounds), seconds);
}

void Metrics::record_batch(std::size_t images, double model_seconds) {
    std::lock_guard<std::mutex> lock(mutex_);
    observe(batch_size_, kBatchBounds, std::size(kBatchBounds), double(images));
    observe(model_run_, kModelBounds, std::size(kModelBounds), model_seconds);
}

std::string Metrics::prometheus_text() const {
    std::lock_guard<std::mutex> lock(mutex_);
    std::ostringstream out;
    out << "# HELP acg2vec_requests_total Requests by route and status.\n# TYPE acg2vec_requests_total counter\n";
    for (const auto& [key, n] : requests_)
        out << "acg2vec_requests_total{route=\"" << label(key.first) << "\",status=\"" << key.second << "\"} " << n
            << '\n';
    write_histogram(out, "acg2vec_request_seconds", "Request latency.", kLatencyBounds, latency_);
    write_histogram(out, "acg2vec_batch_images", "Images per forward pass.", kBatchBounds, batch_size_);
    write_histogram(out, "acg2vec_model_run_seconds", "Time of one batch through the model.", kModelBounds, model_run_);
    out << "# HELP acg2vec_queued_images Images waiting for the model.\n# TYPE acg2vec_queued_images gauge\n"
        << "acg2vec_queued_images " << queued_.load() << '\n';
    return out.str();
}

}  // namespace acg2vec::server
