#include "cli/progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace acg2vec::cli {

Progress::Progress(std::string label, std::size_t total, bool enabled)
    : label_(std::move(label)),
      total_(total),
      enabled_(enabled && ::isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

Progress::~Progress() { finish(); }

void Progress::advance(std::size_t done_now) {
    done_ += done_now;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_draw_ >= std::chrono::milliseconds(100) || done_ == total_) {
        last_draw_ = now;
        draw(false);
    }
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
    std::fprintf(stderr, "\r%s [%s] %zu/%zu  %.1f/s  ETA %.0fs ", label_.c_str(), bar.c_str(), done_, total_, rate,
                 eta);
    if (final) std::fputc('\n', stderr);
    std::fflush(stderr);
}

}  // namespace acg2vec::cli
