#include "server/inference_thread.hpp"

namespace acg2vec::server {

InferenceThread::InferenceThread() : thread_([this] { loop(); }) {}

InferenceThread::~InferenceThread() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void InferenceThread::post(std::function<void()> job) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        jobs_.push_back(std::move(job));
    }
    wake_.notify_one();
}

void InferenceThread::loop() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
        wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
        if (jobs_.empty()) return;  // stopping, and nothing left
        std::function<void()> job = std::move(jobs_.front());
        jobs_.pop_front();
        lock.unlock();
        job();  // a packaged_task: its exception goes to the waiting caller
        lock.lock();
    }
}

}  // namespace acg2vec::server
