#include "tasks/text_batch.hpp"

#include <algorithm>

#include "acg2vec/error.hpp"

namespace acg2vec::detail {
namespace {

// Token ids (and masks) of every text, as rows of one [N, L] tensor each.
std::vector<InputTensor> token_inputs(const EmbedderConfig& config, const std::vector<std::string>& texts,
                                      std::vector<std::vector<std::int64_t>>& masks) {
    const auto n = std::int64_t(texts.size());
    std::vector<std::vector<std::int64_t>> rows;
    for (std::size_t i = 0; i < texts.size(); ++i) {
        try {
            rows.push_back(config.clip ? config.clip->tokenize(texts[i]) : config.wordpiece->encode(texts[i]));
        } catch (const Error& e) {
            throw Error(e.code(), "texts[" + std::to_string(i) + "]: " + e.what());
        }
    }
    std::size_t length = 0;
    for (const auto& row : rows) length = std::max(length, row.size());
    Int64Tensor ids{{n, std::int64_t(length)}, {}};
    Int64Tensor mask{{n, std::int64_t(length)}, {}};
    masks.clear();
    for (const auto& row : rows) {
        // CLIP rows are already padded to the context length; WordPiece rows pad to the longest.
        std::vector<std::int64_t> row_mask(length, 0);
        std::fill(row_mask.begin(), row_mask.begin() + std::ptrdiff_t(row.size()), 1);
        ids.data.insert(ids.data.end(), row.begin(), row.end());
        const std::int64_t pad = config.wordpiece ? config.wordpiece->id("[PAD]") : 0;
        ids.data.insert(ids.data.end(), length - row.size(), pad);
        mask.data.insert(mask.data.end(), row_mask.begin(), row_mask.end());
        masks.push_back(std::move(row_mask));
    }
    std::vector<InputTensor> inputs{ids};
    if (config.text_takes_mask) inputs.emplace_back(mask);
    return inputs;
}

}  // namespace

std::vector<std::vector<float>> run_text_batch(const Model& model, const EmbedderConfig& config,
                                               const std::vector<std::string>& texts) {
    if (config.text_output.empty()) throw Error(ErrorCode::not_found, model.path() + ": the model has no text method");
    if (texts.empty()) return {};
    std::vector<std::vector<std::int64_t>> masks;
    const std::vector<InputTensor> inputs = token_inputs(config, texts, masks);
    const Tensor out = model.run("text", inputs).at(config.text_output);
    const std::size_t n = texts.size();
    std::vector<std::vector<float>> vectors(n);
    if (config.pooling == TextPooling::none) {
        const std::size_t width = out.data.size() / n;
        for (std::size_t i = 0; i < n; ++i)
            vectors[i].assign(out.data.begin() + std::ptrdiff_t(i * width),
                              out.data.begin() + std::ptrdiff_t((i + 1) * width));
        return vectors;
    }
    if (out.shape.size() != 3 || std::size_t(out.shape[1]) != masks[0].size())
        throw Error(ErrorCode::shape_mismatch, model.path() + ": text output '" + config.text_output +
                                                   "' must be [texts, tokens, features] to be pooled");
    const auto tokens = std::size_t(out.shape[1]);
    const auto width = std::size_t(out.shape[2]);
    for (std::size_t i = 0; i < n; ++i) {
        const float* states = out.data.data() + i * tokens * width;
        std::vector<float>& v = vectors[i];
        if (config.pooling == TextPooling::cls) {
            v.assign(states, states + width);
            continue;
        }
        // sentence-transformers' mean pooling: masked sum over the count, the count clamped at 1e-9.
        std::vector<double> sum(width, 0.0);
        double count = 0;
        for (std::size_t t = 0; t < tokens; ++t) {
            if (masks[i][t] == 0) continue;
            count += 1;
            for (std::size_t d = 0; d < width; ++d) sum[d] += states[t * width + d];
        }
        count = std::max(count, 1e-9);
        v.resize(width);
        for (std::size_t d = 0; d < width; ++d) v[d] = float(sum[d] / count);
    }
    return vectors;
}

}  // namespace acg2vec::detail
