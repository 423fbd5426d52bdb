// Gives freed memory back to the system once the server has been idle for a while.
//
// The server keeps freed memory for reuse (acg2vec::keep_freed_memory_for_reuse, as the
// command line does: a batch of 16 then reuses the last one's activations instead of faulting
// in fresh pages), so during a load its RSS rises to the peak of what was in use at once:
// measured, 190 MB after start-up, ~1 GB after 16 clients, ~220 MB once trimmed. Holding that
// peak while nobody asks anything helps no one, so after `idle` without a request in flight
// the heap is trimmed (glibc's malloc_trim returns free pages anywhere in the heap); the next
// request pays for faulting in pages again.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace acg2vec::server {

class IdleMemoryTrimmer {
public:
    explicit IdleMemoryTrimmer(std::chrono::milliseconds idle = std::chrono::milliseconds(1000));
    ~IdleMemoryTrimmer();
    IdleMemoryTrimmer(const IdleMemoryTrimmer&) = delete;
    IdleMemoryTrimmer& operator=(const IdleMemoryTrimmer&) = delete;

    // Marks a request in flight for its lifetime.
    class Request {
    public:
        explicit Request(IdleMemoryTrimmer& trimmer) : trimmer_(trimmer) { trimmer_.request_started(); }
        ~Request() { trimmer_.request_finished(); }
        Request(const Request&) = delete;
        Request& operator=(const Request&) = delete;

    private:
        IdleMemoryTrimmer& trimmer_;
    };

    void request_started();
    void request_finished();

private:
    void run();

    const std::chrono::milliseconds idle_;
    std::atomic<int> in_flight_{0};
    std::atomic<long long> last_finished_ns_{0};
    std::atomic<bool> used_since_trim_{false};
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace acg2vec::server
