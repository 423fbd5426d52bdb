// The command line on a CPU that OpenBLAS does not recognise: restart with the kernels the CPU
// has (include/acg2vec/blas.hpp). OpenBLAS chooses its kernels once, when it is loaded, from
// OPENBLAS_CORETYPE or the CPU model; only a new process can choose again.
#pragma once

namespace acg2vec::cli {

// main() keeps its argv here for the restart below.
void remember_command_line(char** argv);

// When the loaded OpenBLAS fell back to generic kernels on a CPU with AVX2 or AVX-512 and
// OPENBLAS_CORETYPE is not set, executes this program again, same arguments, with
// OPENBLAS_CORETYPE set: one more start-up (~0.4-0.7 s here) for matrix products 5x faster
// (sgemm 512x512 on 2 threads: 32 GFLOPS generic, 171 with AVX-512). Called just before a
// command opens its model, so commands without one never restart, and before anything was
// read or written. Returns when there is nothing to do or the restart failed.
// ACG2VEC_KEEP_BLAS_KERNELS=1 turns it off.
void restart_with_the_cpus_blas_kernels();

}  // namespace acg2vec::cli
