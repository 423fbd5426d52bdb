// C ABI: library identity. Conversions only; the answers come from the C++ API.
#include "acg2vec.h"

#include "acg2vec/error.hpp"
#include "acg2vec/version.hpp"

static_assert(ACG2VEC_INTERNAL == static_cast<int>(acg2vec::ErrorCode::internal),
              "C status codes must equal acg2vec::ErrorCode");

extern "C" const char* acg2vec_version(void) { return ACG2VEC_VERSION_STRING; }

extern "C" int acg2vec_abi_version(void) { return ACG2VEC_ABI_VERSION; }

extern "C" const char* acg2vec_status_name(int status) {
    if (status < 0 || status > ACG2VEC_INTERNAL) return "unknown";
    return acg2vec::error_code_name(static_cast<acg2vec::ErrorCode>(status));
}
