// Internal: runs a model's image method over many inputs in batches of batch_size, one
// forward pass per batch. An input that fails to load or preprocess fails alone.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "acg2vec/error.hpp"
#include "acg2vec/image.hpp"
#include "acg2vec/model.hpp"
#include "acg2vec/outcome.hpp"

namespace acg2vec::detail {

struct ItemOutputs {
    ErrorCode error = ErrorCode::ok;
    std::string message;
    std::map<std::string, std::vector<float>> outputs;  // this item's row of each output
};

// `load(i)` returns input i decoded (it throws Error for a bad input).
std::vector<ItemOutputs> run_image_batches(const Model& model, std::size_t count,
                                           const std::function<Image(std::size_t)>& load);

// Paths, or in-memory images named "batch[i]", through run_image_batches, each item's
// outputs turned into a Result by `make`.
template <class Result, class Make>
std::vector<Outcome<Result>> outcomes_for(const Model& model, const std::vector<std::string>& names,
                                          const std::function<Image(std::size_t)>& load, const Make& make) {
    std::vector<ItemOutputs> items = run_image_batches(model, names.size(), load);
    std::vector<Outcome<Result>> outcomes(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
        outcomes[i].input = names[i];
        outcomes[i].error = items[i].error;
        outcomes[i].message = std::move(items[i].message);
        if (items[i].error == ErrorCode::ok) outcomes[i].result = make(items[i].outputs);
    }
    return outcomes;
}

// "batch[0]", "batch[1]", ...: how in-memory inputs are named in outcomes and errors.
std::vector<std::string> batch_names(std::size_t count);

// One image through the image method; errors propagate.
std::map<std::string, std::vector<float>> run_single_image(const Model& model, const Image& image);

}  // namespace acg2vec::detail
