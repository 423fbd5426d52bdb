// Which BLAS libtorch's matrix products run on here, and how fast it is.
//
// Debian's libtorch calls libblas.so.3, which is whatever the system's alternatives point at:
// the reference BLAS (a plain loop, 5-40x slower for transformer layers) unless an optimised
// one is installed. OpenBLAS chooses its kernels by CPU model, and a model newer than the
// library (OpenBLAS 0.3.21 on a family 6 model 207 Xeon, seen here) falls back to its generic
// "Prescott" SSE3 kernels: 16 GFLOPS instead of 107 with the AVX-512 ones on one core.
#pragma once

#include <string>

#include "acg2vec/export.hpp"

namespace acg2vec {

struct BlasInfo {
    std::string library;      // file that holds sgemm_, e.g. ".../openblas-openmp/libblas.so.3"; "" if none
    std::string kind;         // "OpenBLAS", "reference BLAS", "BLIS", "MKL" or "unknown"
    std::string config;       // OpenBLAS's build description (version, threading); "" for others
    std::string core;         // OpenBLAS's kernel set in use, e.g. "SkylakeX"; "" for others
    std::string better_core;  // OpenBLAS fell back to generic kernels on a CPU that runs these
                              // ("SkylakeX" for AVX-512, "Haswell" for AVX2): set
                              // OPENBLAS_CORETYPE to it before the process starts; "" otherwise
};

// Reads the BLAS loaded in this process (nothing is loaded or changed).
ACG2VEC_API BlasInfo blas_info();

// Single-precision matrix product speed of that BLAS in GFLOPS (n x n times n x n, best of a
// few runs, with the threads it uses by default); 0 when no sgemm is loaded.
ACG2VEC_API double measure_sgemm_gflops(int n = 512);

// For programs on CPUs that OpenBLAS does not know: when blas_info().better_core is set and
// OPENBLAS_CORETYPE is not (nor ACG2VEC_KEEP_BLAS_KERNELS), executes /proc/self/exe again
// with `argv` and OPENBLAS_CORETYPE set; OpenBLAS chooses its kernels only when it is loaded.
// Call it before the program reads input or starts threads. Returns false when there was
// nothing to do or the restart failed (the program then goes on as it is).
ACG2VEC_API bool restart_with_the_cpus_blas_kernels(char** argv);

}  // namespace acg2vec
