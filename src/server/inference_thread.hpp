// The one thread of the server that runs the models: every forward pass (each model's image
// batches, text embeddings) and every model load is handed to it and waited for.
//
// Why one: libtorch and OpenBLAS parallelise with OpenMP, and each thread that runs a parallel
// region keeps its own team of worker threads alive. With a second team in the process (the
// main thread's from loading the models, a text request's in an HTTP thread, a second model's
// batcher) there are more OpenMP threads than cores, and libgomp then lets workers sleep at
// once after each region instead of spinning, so each of the hundreds of regions of a forward
// pass waits for a wake-up. Measured on MobileNetV2 with 2 threads on 2 cores: 18-20 ms per
// image when one thread runs the model, 22-32 ms when a second thread had run it before.
// On a CPU two models cannot run faster side by side than one after the other anyway.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>
#include <type_traits>

namespace acg2vec::server {

class InferenceThread {
public:
    InferenceThread();
    ~InferenceThread();  // runs what is queued, then stops
    InferenceThread(const InferenceThread&) = delete;
    InferenceThread& operator=(const InferenceThread&) = delete;

    // Runs `work` on the inference thread and returns its result (or throws its exception).
    // Called from the inference thread itself, it runs at once.
    template <class Work>
    auto run(Work work) -> std::invoke_result_t<Work> {
        if (std::this_thread::get_id() == thread_.get_id()) return work();
        std::packaged_task<std::invoke_result_t<Work>()> task(std::move(work));
        auto result = task.get_future();
        post([&task] { task(); });
        return result.get();
    }

private:
    void post(std::function<void()> job);
    void loop();

    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::function<void()>> jobs_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace acg2vec::server
