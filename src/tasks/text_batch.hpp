// Internal: texts through a model's text method: tokenise, run once per batch, pool.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "acg2vec/model.hpp"
#include "tasks/embedder_config.hpp"

namespace acg2vec::detail {

// Which texts share a forward pass: texts ordered by token count (stably) and cut into groups
// of batch_size, so each group pads only to its own longest text, as sentence-transformers
// sorts by length. Returns the groups of text positions.
std::vector<std::vector<std::size_t>> plan_text_batches(const std::vector<std::size_t>& token_counts,
                                                        std::size_t batch_size);

// One raw (not normalised) vector per text, in order, one forward pass per group of
// ModelOptions::batch_size texts. Throws invalid_argument naming
// "texts[i]" for invalid UTF-8 (or a text too long with truncation off).
std::vector<std::vector<float>> run_text_batch(const Model& model, const EmbedderConfig& config,
                                               const std::vector<std::string>& texts);

}  // namespace acg2vec::detail
