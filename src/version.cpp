#include "acg2vec/version.hpp"

namespace acg2vec {

std::string version() { return ACG2VEC_VERSION_STRING; }

}  // namespace acg2vec
