// A progress bar with rate and ETA on stderr, drawn only when stderr is a terminal (so logs
// and pipes stay clean) and not --quiet. It shows at once (0/N while the first batch runs)
// and moves with every finished item.
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
    // Clears the bar's line before something else is written to the terminal; the next
    // advance draws it again below that.
    void interrupt();
    void finish();

private:
    void draw(bool final);
    std::string label_;
    std::size_t total_, done_ = 0;
    bool enabled_, finished_ = false, shown_ = false;
    std::chrono::steady_clock::time_point start_;
};

}  // namespace acg2vec::cli
