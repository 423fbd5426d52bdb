// Small helpers the benchmark programs share: wall time, memory, running the Python peer.
#pragma once

#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>

namespace bench {

using Clock = std::chrono::steady_clock;

inline double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// Resident memory now, in bytes.
inline long rss_bytes() {
    std::ifstream statm("/proc/self/statm");
    long size = 0, resident = 0;
    statm >> size >> resident;
    return resident * sysconf(_SC_PAGESIZE);
}

// The process's peak resident memory (VmHWM), in bytes.
inline long peak_rss_bytes() {
    std::ifstream status("/proc/self/status");
    std::string key;
    long kb = 0;
    while (status >> key) {
        if (key == "VmHWM:") {
            status >> kb;
            return kb * 1024;
        }
    }
    return 0;
}

// Runs a shell command and returns what it printed on stdout.
inline std::string run(const std::string& command) {
    std::array<char, 4096> buffer{};
    std::string output;
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
    if (!pipe) return output;
    while (fgets(buffer.data(), int(buffer.size()), pipe.get())) output += buffer.data();
    return output;
}

}  // namespace bench
