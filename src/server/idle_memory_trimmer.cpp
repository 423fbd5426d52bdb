#include "server/idle_memory_trimmer.hpp"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace acg2vec::server {
namespace {

long long now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

}  // namespace

IdleMemoryTrimmer::IdleMemoryTrimmer(std::chrono::milliseconds idle) : idle_(idle), thread_([this] { run(); }) {}

IdleMemoryTrimmer::~IdleMemoryTrimmer() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void IdleMemoryTrimmer::request_started() {
    ++in_flight_;
    used_since_trim_ = true;
}

void IdleMemoryTrimmer::request_finished() {
    last_finished_ns_ = now_ns();
    --in_flight_;
}

void IdleMemoryTrimmer::run() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!wake_.wait_for(lock, idle_ / 2, [this] { return stopping_; })) {
        const bool idle = in_flight_ == 0 && now_ns() - last_finished_ns_ >= std::chrono::nanoseconds(idle_).count();
        if (!idle || !used_since_trim_.exchange(false)) continue;
#if defined(__GLIBC__)
        malloc_trim(0);
#endif
    }
}

}  // namespace acg2vec::server
