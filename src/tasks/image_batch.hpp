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

// Receives item i's outputs, in input order, as soon as the forward pass of its batch is done.
using ItemSink = std::function<void(std::size_t i, ItemOutputs&& item)>;

// Every input decoded with `decode`, preprocessed and run; a bad input fails alone. Items
// go to `sink` batch by batch, so a caller can show results while later batches still run;
// only the ring's batches and the items not yet delivered are held.
void run_image_batches(const Model& model, const std::vector<ImageInput>& inputs, const DecodeOptions& decode,
                       const ItemSink& sink);

// How an input is named in its Outcome: its name, or "batch[i]" when it has none.
std::string outcome_name(const ImageInput& input, std::size_t i);

// The inputs through run_image_batches, each item's outputs turned into a Result by `make`
// and handed to `deliver` in input order as its batch finishes.
template <class Result, class Make>
void each_outcome(const Model& model, const std::vector<ImageInput>& inputs, const DecodeOptions& decode,
                  const Make& make, const std::function<void(Outcome<Result>&&)>& deliver) {
    run_image_batches(model, inputs, decode, [&](std::size_t i, ItemOutputs&& item) {
        Outcome<Result> outcome;
        outcome.input = outcome_name(inputs[i], i);
        outcome.error = item.error;
        outcome.message = std::move(item.message);
        if (item.error == ErrorCode::ok) outcome.result = make(item.outputs);
        deliver(std::move(outcome));
    });
}

// The same, every outcome collected.
template <class Result, class Make>
std::vector<Outcome<Result>> outcomes_for(const Model& model, const std::vector<ImageInput>& inputs,
                                          const DecodeOptions& decode, const Make& make) {
    std::vector<Outcome<Result>> outcomes;
    outcomes.reserve(inputs.size());
    each_outcome<Result>(model, inputs, decode, make, [&](Outcome<Result>&& o) { outcomes.push_back(std::move(o)); });
    return outcomes;
}

// One image through the image method on the calling thread; errors propagate.
ItemRows run_single_image(const Model& model, const ImageInput& input, const DecodeOptions& decode);

}  // namespace acg2vec::detail
