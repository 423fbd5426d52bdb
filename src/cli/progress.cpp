#include "cli/progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace acg2vec::cli {

Progress::Progress(std::string label, std::size_t total, bool enabled)
    : label_(std::move(label)),
      total_(total),
      enabled_(enabled && ::isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()) {
    if (total_ > 0) draw(false);
}

Progress::~Progress() { finish(); }

void Progress::advance(std::size_t done_now) {
    // Drawn every time: items arrive batch by batch, and a throttle would leave the bar on
    // the first item of a batch until the next batch ends.
    done_ += done_now;
    draw(false);
}

void Progress::interrupt() {
    if (!enabled_ || !shown_) return;
    std::fputs("\r\033[K", stderr);  // back to the line's start, erase it
    std::fflush(stderr);
    shown_ = false;
}

void Progress::finish() {
    if (finished_) return;
    finished_ = true;
    draw(true);
}

void Progress::draw(bool final) {
    if (!enabled_) return;
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const double rate = seconds > 0 ? double(done_) / seconds : 0.0;
    const double eta = rate > 0 ? double(total_ - std::min(done_, total_)) / rate : 0.0;
    constexpr int width = 30;
    const int filled = total_ == 0 ? width : int(width * double(done_) / double(total_));
    std::string bar(std::size_t(filled), '#');
    bar.resize(width, '.');
    char eta_text[32] = "ETA ?";
    if (rate > 0) std::snprintf(eta_text, sizeof eta_text, "ETA %.0fs", eta);
    std::fprintf(stderr, "\r%s [%s] %zu/%zu  %.1f/s  %s ", label_.c_str(), bar.c_str(), done_, total_, rate, eta_text);
    if (final) std::fputc('\n', stderr);
    std::fflush(stderr);
    shown_ = !final;
}

}  // namespace acg2vec::cli
