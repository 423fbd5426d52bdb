// Internal: the "embedder" section of acg2vec.json, read and checked at load (docs/embedder.md).
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "acg2vec/clip_tokenizer.hpp"
#include "acg2vec/model.hpp"
#include "acg2vec/wordpiece_tokenizer.hpp"

namespace acg2vec::detail {

// How a text method's output becomes one vector per text.
enum class TextPooling {
    none,  // the method returns [N, D] (CLIP: features at EOT; a sentence model pooling inside)
    mean,  // [N, L, D] token states averaged over the attention mask (sentence-transformers)
    cls,   // [N, L, D]: the state of the first token
};

struct EmbedderConfig {
    std::string image_output;  // empty: the model has no image method
    std::string text_output;   // empty: no text method
    TextPooling pooling = TextPooling::none;
    bool text_takes_mask = false;  // the text method takes (input_ids, attention_mask)
    double logit_scale = 100.0;
    std::optional<ClipTokenizer> clip;
    std::optional<WordPieceTokenizer> wordpiece;
    std::size_t dimensions = 0;  // 0 until known (a text-only model with open shapes)
};

EmbedderConfig read_embedder_config(const Model& model);

}  // namespace acg2vec::detail
