#include "server/dynamic_batcher.hpp"

#include "server/api_error.hpp"

namespace acg2vec::server {

DynamicBatcher::DynamicBatcher(Analyzer analyzer, const BatchingOptions& options, Metrics& metrics,
                               InferenceThread& inference)
    : analyzer_(std::move(analyzer)), options_(options), metrics_(metrics), inference_(inference), worker_([this] {
          work();
      }) {}

DynamicBatcher::~DynamicBatcher() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    queued_.notify_all();
    worker_.join();
}

std::vector<AnalysisOutcome> DynamicBatcher::analyze(std::vector<ImageInput> inputs) {
    auto request = std::make_shared<Request>();
    request->remaining = inputs.size();
    request->outcomes.resize(inputs.size());
    request->inputs = std::move(inputs);
    if (request->remaining == 0) return {};
    std::unique_lock<std::mutex> lock(mutex_);
    if (stopping_) throw ApiError(503, "shutting_down", "the server is shutting down");
    if (request->remaining > options_.queue_limit)  // would never fit: retrying cannot help
        throw ApiError(413, "too_many_images",
                       std::to_string(request->remaining) + " images in one request, more than the queue holds (" +
                           std::to_string(options_.queue_limit) + ", --queue-limit)");
    if (queue_.size() + request->remaining > options_.queue_limit)
        throw ApiError(503, "overloaded",
                       "the model's queue is full (" + std::to_string(queue_.size()) + " images waiting, limit " +
                           std::to_string(options_.queue_limit) + "): retry later");
    for (std::size_t i = 0; i < request->remaining; ++i) queue_.push_back({request, i});
    metrics_.add_queued(long(request->remaining));
    ++waiting_requests_;
    queued_.notify_one();
    const bool done = finished_.wait_for(lock, options_.timeout, [&] { return request->remaining == 0; });
    --waiting_requests_;
    if (!done) {
        request->abandoned = true;  // images not yet taken are skipped
        throw ApiError(504, "timeout",
                       "the model did not answer within " + std::to_string(options_.timeout.count()) + " ms");
    }
    return std::move(request->outcomes);
}

std::vector<DynamicBatcher::Item> DynamicBatcher::next_batch(std::unique_lock<std::mutex>& lock) {
    queued_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    // The first image is here: when other requests are in flight, wait a little for their
    // images to share its forward pass. A request alone runs at once.
    if (waiting_requests_ > 1)
        queued_.wait_for(lock, options_.max_wait, [&] { return stopping_ || queue_.size() >= options_.max_batch; });
    std::vector<Item> batch;
    while (!queue_.empty() && batch.size() < options_.max_batch) {
        Item item = std::move(queue_.front());
        queue_.pop_front();
        metrics_.add_queued(-1);
        if (item.request->abandoned) continue;
        batch.push_back(std::move(item));
    }
    return batch;
}

void DynamicBatcher::work() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!(stopping_ && queue_.empty())) {
        std::vector<Item> batch = next_batch(lock);
        if (batch.empty()) continue;
        std::vector<ImageInput> inputs;
        for (const Item& item : batch) inputs.push_back(item.request->inputs[item.index]);
        lock.unlock();
        const auto start = std::chrono::steady_clock::now();
        std::vector<AnalysisOutcome> outcomes;
        try {
            outcomes = inference_.run([&] { return analyzer_.analyze_batch(inputs); });
        } catch (const std::exception& e) {  // the engine reports per item; this is the unexpected
            outcomes.resize(inputs.size());
            for (auto& o : outcomes) {
                o.error = ErrorCode::internal;
                o.message = e.what();
            }
        }
        metrics_.record_batch(inputs.size(),
                              std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        lock.lock();
        for (std::size_t k = 0; k < batch.size(); ++k) {
            Request& r = *batch[k].request;
            r.outcomes[batch[k].index] = std::move(outcomes[k]);
            --r.remaining;
        }
        finished_.notify_all();
    }
}

}  // namespace acg2vec::server
