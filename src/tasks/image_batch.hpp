// Internal: runs a model's image method over many inputs in batches of batch_size, one
// forward pass per batch. An input that fails to load or preprocess fails alone.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "acg2vec/error.hpp"
#include "acg2vec/image.hpp"
#include "acg2vec/image_input.hpp"
#include "acg2vec/model.hpp"
#include "acg2vec/outcome.hpp"

namespace acg2vec::detail {

struct ItemOutputs {
    ErrorCode error = ErrorCode::ok;
    std::string message;
    std::map<std::string, std::vector<float>> outputs;  // this item's row of each output
};

using ItemRows = std::map<std::string, std::vector<float>>;

// Every input decoded with `decode`, preprocessed and run; a bad input fails alone.
std::vector<ItemOutputs> run_image_batches(const Model& model, const std::vector<ImageInput>& inputs,
                                           const DecodeOptions& decode);

// How an input is named in its Outcome: its name, or "batch[i]" when it has none.
std::string outcome_name(const ImageInput& input, std::size_t i);

// The inputs through run_image_batches, each item's outputs turned into a Result by `make`.
template <class Result, class Make>
std::vector<Outcome<Result>> outcomes_for(const Model& model, const std::vector<ImageInput>& inputs,
                                          const DecodeOptions& decode, const Make& make) {
    std::vector<ItemOutputs> items = run_image_batches(model, inputs, decode);
    std::vector<Outcome<Result>> outcomes(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
        outcomes[i].input = outcome_name(inputs[i], i);
        outcomes[i].error = items[i].error;
        outcomes[i].message = std::move(items[i].message);
        if (items[i].error == ErrorCode::ok) outcomes[i].result = make(items[i].outputs);
    }
    return outcomes;
}

// One image through the image method on the calling thread; errors propagate.
ItemRows run_single_image(const Model& model, const ImageInput& input, const DecodeOptions& decode);

}  // namespace acg2vec::detail
