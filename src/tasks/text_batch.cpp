#include "tasks/text_batch.hpp"

#include <algorithm>

#include "acg2vec/error.hpp"

namespace acg2vec::detail {
namespace {

// Token ids of every text; an error names the text's position.
std::vector<std::vector<std::int64_t>> tokenize_all(const EmbedderConfig& config,
                                                    const std::vector<std::string>& texts) {
    std::vector<std::vector<std::int64_t>> rows;
    rows.reserve(texts.size());
    for (std::size_t i = 0; i < texts.size(); ++i) {
        try {
            rows.push_back(config.clip ? config.clip->tokenize(texts[i]) : config.wordpiece->encode(texts[i]));
        } catch (const Error& e) {
            throw Error(e.code(), "texts[" + std::to_string(i) + "]: " + e.what());
        }
    }
    return rows;
}

// The rows of one group as [n, L] ids (and mask) tensors, L its longest row. CLIP rows are
// already padded to the context length; WordPiece rows pad with [PAD].
std::vector<InputTensor> token_inputs(const EmbedderConfig& config,
                                      const std::vector<const std::vector<std::int64_t>*>& rows,
                                      std::vector<std::vector<std::int64_t>>& masks) {
    std::size_t length = 0;
    for (const auto* row : rows) length = std::max(length, row->size());
    const auto n = std::int64_t(rows.size());
    Int64Tensor ids{{n, std::int64_t(length)}, {}};
    Int64Tensor mask{{n, std::int64_t(length)}, {}};
    const std::int64_t pad = config.wordpiece ? config.wordpiece->id("[PAD]") : 0;
    masks.clear();
    for (const auto* row : rows) {
        std::vector<std::int64_t> row_mask(length, 0);
        std::fill(row_mask.begin(), row_mask.begin() + std::ptrdiff_t(row->size()), 1);
        ids.data.insert(ids.data.end(), row->begin(), row->end());
        ids.data.insert(ids.data.end(), length - row->size(), pad);
        mask.data.insert(mask.data.end(), row_mask.begin(), row_mask.end());
        masks.push_back(std::move(row_mask));
    }
    std::vector<InputTensor> inputs{ids};
    if (config.text_takes_mask) inputs.emplace_back(mask);
    return inputs;
}

// The model's output for a group, one vector per row: as it is, or pooled over the tokens.
std::vector<std::vector<float>> pooled(const Model& model, const EmbedderConfig& config, const Tensor& out,
                                       const std::vector<std::vector<std::int64_t>>& masks) {
    const std::size_t n = masks.size();
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

}  // namespace

std::vector<std::vector<std::size_t>> plan_text_batches(const std::vector<std::size_t>& token_counts,
                                                        std::size_t batch_size) {
    std::vector<std::size_t> order(token_counts.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return token_counts[a] < token_counts[b]; });
    std::vector<std::vector<std::size_t>> groups;
    const std::size_t size = std::max<std::size_t>(1, batch_size);
    for (std::size_t first = 0; first < order.size(); first += size)
        groups.emplace_back(order.begin() + std::ptrdiff_t(first),
                            order.begin() + std::ptrdiff_t(std::min(order.size(), first + size)));
    return groups;
}

std::vector<std::vector<float>> run_text_batch(const Model& model, const EmbedderConfig& config,
                                               const std::vector<std::string>& texts) {
    if (config.text_output.empty()) throw Error(ErrorCode::not_found, model.path() + ": the model has no text method");
    const std::vector<std::vector<std::int64_t>> rows = tokenize_all(config, texts);
    std::vector<std::size_t> token_counts;
    for (const auto& row : rows) token_counts.push_back(row.size());
    std::vector<std::vector<float>> vectors(texts.size());
    std::vector<std::vector<std::int64_t>> masks;
    for (const auto& group : plan_text_batches(token_counts, std::size_t(model.options().batch_size))) {
        std::vector<const std::vector<std::int64_t>*> group_rows;
        for (auto i : group) group_rows.push_back(&rows[i]);
        const std::vector<InputTensor> inputs = token_inputs(config, group_rows, masks);
        std::vector<std::vector<float>> out =
            pooled(model, config, model.run("text", inputs).at(config.text_output), masks);
        for (std::size_t k = 0; k < group.size(); ++k) vectors[group[k]] = std::move(out[k]);
    }
    return vectors;
}

}  // namespace acg2vec::detail
