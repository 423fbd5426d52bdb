// blas_info, measure_sgemm_gflops: the BLAS is found through the dynamic linker (sgemm_ and
// OpenBLAS's own functions, when present), so nothing here depends on which one is installed.
#include "acg2vec/blas.hpp"

#include <dlfcn.h>
#include <limits.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace acg2vec {
namespace {

using Sgemm = void (*)(const char*, const char*, const int*, const int*, const int*, const float*, const float*,
                       const int*, const float*, const int*, const float*, float*, const int*);
using Text = char* (*)();

template <class F>
F symbol(const char* name) {
    return reinterpret_cast<F>(dlsym(RTLD_DEFAULT, name));
}

bool contains(const std::string& s, const char* part) { return s.find(part) != std::string::npos; }

// OpenBLAS's generic kernel sets, which it falls back to for CPU models it does not know.
bool generic_core(const std::string& core) {
    for (const char* c : {"Prescott", "Core2", "Penryn", "Dunnington", "Nehalem", "Atom", "Banias", "Northwood",
                          "Katmai", "Coppermine", "Opteron", "Opteron_SSE3", "Barcelona", "Sandybridge"})
        if (core == c) return true;
    return false;
}

std::string wider_core_for_this_cpu() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl") &&
        __builtin_cpu_supports("avx512dq"))
        return "SkylakeX";
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return "Haswell";
#endif
    return "";
}

}  // namespace

BlasInfo blas_info() {
    BlasInfo info;
    const auto sgemm = symbol<Sgemm>("sgemm_");
    Dl_info where{};
    if (sgemm != nullptr && dladdr(reinterpret_cast<void*>(sgemm), &where) != 0 && where.dli_fname != nullptr)
        info.library = where.dli_fname;
    char resolved[PATH_MAX];  // the file behind libblas.so.3's alternatives
    if (!info.library.empty() && realpath(info.library.c_str(), resolved) != nullptr) info.library = resolved;
    // Judged by the file sgemm_ comes from: OpenBLAS may be loaded (for LAPACK) while
    // libblas.so.3 is the reference one.
    const auto config = symbol<Text>("openblas_get_config");
    if (info.library.empty()) {
        info.kind = "unknown";
    } else if (contains(info.library, "openblas") && config != nullptr) {
        info.kind = "OpenBLAS";
        info.config = config();
        if (const auto core = symbol<Text>("openblas_get_corename")) info.core = core();
        if (generic_core(info.core)) {
            const std::string wider = wider_core_for_this_cpu();
            if (!wider.empty() && wider != info.core) info.better_core = wider;
        }
    } else if (contains(info.library, "/blas/libblas")) {
        info.kind = "reference BLAS";  // Debian's libblas3
    } else if (contains(info.library, "blis")) {
        info.kind = "BLIS";
    } else if (contains(info.library, "mkl")) {
        info.kind = "MKL";
    } else {
        info.kind = "unknown";
    }
    return info;
}

bool restart_with_the_cpus_blas_kernels(char** argv) {
    if (argv == nullptr || std::getenv("OPENBLAS_CORETYPE") != nullptr ||
        std::getenv("ACG2VEC_KEEP_BLAS_KERNELS") != nullptr)
        return false;
    const BlasInfo blas = blas_info();
    if (blas.better_core.empty()) return false;
    // Set before the new process loads OpenBLAS; being set, it also ends the restarts here.
    setenv("OPENBLAS_CORETYPE", blas.better_core.c_str(), 1);
    std::fflush(nullptr);
    execv("/proc/self/exe", argv);
    unsetenv("OPENBLAS_CORETYPE");  // the restart failed: go on as we are
    return false;
}

double measure_sgemm_gflops(int n) {
    const auto sgemm = symbol<Sgemm>("sgemm_");
    if (sgemm == nullptr || n <= 0) return 0;
    std::vector<float> a(std::size_t(n) * std::size_t(n), 0.5f), b(a.size(), 0.25f), c(a.size(), 0.0f);
    const float one = 1, zero = 0;
    double best = 1e30;
    for (int run = 0; run < 4; ++run) {  // the first also warms up (threads, buffers)
        const auto start = std::chrono::steady_clock::now();
        sgemm("N", "N", &n, &n, &n, &one, a.data(), &n, b.data(), &n, &zero, c.data(), &n);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (run > 0) best = std::min(best, seconds);
    }
    return 2.0 * double(n) * n * n / best / 1e9;
}

}  // namespace acg2vec
