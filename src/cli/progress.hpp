// A progress bar with rate and ETA on stderr, drawn only when stderr is a terminal (so logs
// and pipes stay clean) and not --quiet.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace acg2vec::cli {

class Progress {
public:
    Progress(std::string label, std::size_t total, bool enabled);
    ~Progress();
    void advance(std::size_t done_now);  // items finished since the last call
    void finish();

private:
    void draw(bool final);
    std::string label_;
    std::size_t total_, done_ = 0;
    bool enabled_, finished_ = false;
    std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace acg2vec::cli
