// Internal: texts through a model's text method: tokenise, run once per batch, pool.
#pragma once

#include <string>
#include <vector>

#include "acg2vec/model.hpp"
#include "tasks/embedder_config.hpp"

namespace acg2vec::detail {

// One raw (not normalised) vector per text, in order. Throws invalid_argument naming
// "texts[i]" for invalid UTF-8 (or a text too long with truncation off).
std::vector<std::vector<float>> run_text_batch(const Model& model, const EmbedderConfig& config,
                                               const std::vector<std::string>& texts);

}  // namespace acg2vec::detail
