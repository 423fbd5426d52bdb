#include "cli/blas_kernels.hpp"

#include "acg2vec/blas.hpp"

namespace acg2vec::cli {
namespace {
char** command_line = nullptr;
}  // namespace

void remember_command_line(char** argv) { command_line = argv; }

void restart_with_the_cpus_blas_kernels() { acg2vec::restart_with_the_cpus_blas_kernels(command_line); }

}  // namespace acg2vec::cli
