// Dynamic batching: the images of concurrent requests for one model are coalesced into one
// forward pass. A worker thread takes up to max_batch queued images, waiting at most max_wait
// for more once the first arrives (only while other requests are in flight: a lone client
// pays no wait), and runs them through the Analyzer (every task of the model from that pass). The queue is bounded: a
// request that does not fit is refused at once (503), and a request that waits longer than the timeout gives up (504)
// and its images that have not started are skipped.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "acg2vec/analyzer.hpp"
#include "server/inference_thread.hpp"
#include "server/metrics.hpp"

namespace acg2vec::server {

struct BatchingOptions {
    std::size_t max_batch = 16;
    std::chrono::milliseconds max_wait{5};
    std::size_t queue_limit = 256;  // images waiting, over all requests
    std::chrono::milliseconds timeout{60000};
};

class DynamicBatcher {
public:
    // Forward passes run on `inference` (one thread for every model of the server).
    DynamicBatcher(Analyzer analyzer, const BatchingOptions& options, Metrics& metrics, InferenceThread& inference);
    ~DynamicBatcher();  // finishes what is queued, then stops the worker
    DynamicBatcher(const DynamicBatcher&) = delete;
    DynamicBatcher& operator=(const DynamicBatcher&) = delete;

    // One outcome per input, in order; a bad image fails alone. Throws ApiError 503 (queue
    // full, with the inputs not queued) or 504 (timed out).
    std::vector<AnalysisOutcome> analyze(std::vector<ImageInput> inputs);

    const Analyzer& analyzer() const { return analyzer_; }

private:
    struct Request {
        std::vector<ImageInput> inputs;
        std::vector<AnalysisOutcome> outcomes;
        std::size_t remaining = 0;
        bool abandoned = false;
    };
    struct Item {
        std::shared_ptr<Request> request;
        std::size_t index;
    };

    void work();
    std::vector<Item> next_batch(std::unique_lock<std::mutex>& lock);

    Analyzer analyzer_;
    BatchingOptions options_;
    Metrics& metrics_;
    InferenceThread& inference_;
    std::mutex mutex_;
    std::condition_variable queued_, finished_;
    std::deque<Item> queue_;
    std::size_t waiting_requests_ = 0;  // requests inside analyze()
    bool stopping_ = false;
    std::thread worker_;
};

}  // namespace acg2vec::server
