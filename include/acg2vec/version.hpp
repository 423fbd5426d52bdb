// acg2vec version: the compile-time numbers of the headers you built against, and
// version() for the library you actually loaded at run time.
#pragma once

#include <string>

#include "acg2vec/export.hpp"

#define ACG2VEC_VERSION_MAJOR 0
#define ACG2VEC_VERSION_MINOR 1
#define ACG2VEC_VERSION_PATCH 0
#define ACG2VEC_VERSION_STRING "0.1.0"

namespace acg2vec {

// "MAJOR.MINOR.PATCH" of the loaded library.
ACG2VEC_API std::string version();

}  // namespace acg2vec
