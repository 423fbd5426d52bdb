// Internal: a readers-writer lock in which a waiting writer stops new readers from entering.
// std::shared_mutex on glibc prefers readers, so a steady stream of searches would starve
// add/remove forever; here writes wait only for the searches already running.
#pragma once

#include <condition_variable>
#include <mutex>

namespace acg2vec::detail {

class WriterPriorityMutex {
public:
    void lock() {
        std::unique_lock<std::mutex> guard(state_);
        ++writers_waiting_;
        changed_.wait(guard, [&] { return !writing_ && readers_ == 0; });
        --writers_waiting_;
        writing_ = true;
    }
    void unlock() {
        {
            std::lock_guard<std::mutex> guard(state_);
            writing_ = false;
        }
        changed_.notify_all();
    }
    void lock_shared() {
        std::unique_lock<std::mutex> guard(state_);
        changed_.wait(guard, [&] { return !writing_ && writers_waiting_ == 0; });
        ++readers_;
    }
    void unlock_shared() {
        bool last;
        {
            std::lock_guard<std::mutex> guard(state_);
            last = --readers_ == 0;
        }
        if (last) changed_.notify_all();
    }

private:
    std::mutex state_;
    std::condition_variable changed_;
    int readers_ = 0;
    int writers_waiting_ = 0;
    bool writing_ = false;
};

}  // namespace acg2vec::detail
