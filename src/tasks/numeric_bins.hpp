// Internal: class labels that name numeric ranges ("0-10", "2700-∞"), as pix2score's heads do.
#pragma once

#include <string>
#include <vector>

namespace acg2vec::detail {

// A representative number per label, for expected values: the midpoint of "a-b", the
// lower bound a of an open-ended "a-∞" / "a-inf" / "a+" (so the expectation never invents
// values past what was observed), and v for a plain "v". Empty when any label is not
// numeric.
std::vector<double> numeric_bin_values(const std::vector<std::string>& labels);

}  // namespace acg2vec::detail
