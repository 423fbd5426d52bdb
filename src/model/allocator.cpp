// keep_freed_memory_for_reuse: glibc's mallopt thresholds (see acg2vec/model.hpp for why).
#include <climits>

#include "acg2vec/model.hpp"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace acg2vec {

bool keep_freed_memory_for_reuse(std::size_t max_block_bytes) {
#if defined(__GLIBC__)
    // Both thresholds are ints; setting either also turns off glibc's own adjustment of them.
    const int bytes = max_block_bytes > std::size_t(INT_MAX) ? INT_MAX : int(max_block_bytes);
    // Blocks below this come from the heap rather than from mmap...
    const bool heap = mallopt(M_MMAP_THRESHOLD, bytes) == 1;
    // ...and the heap's free top is returned to the kernel only beyond this.
    const bool trim = mallopt(M_TRIM_THRESHOLD, bytes) == 1;
    return heap && trim;
#else
    (void)max_block_bytes;
    return false;
#endif
}

}  // namespace acg2vec
