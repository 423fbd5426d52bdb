// The result of one item of a batch: its value, or why it failed. A failure affects only
// its own item.
#pragma once

#include <optional>
#include <string>

#include "acg2vec/error.hpp"

namespace acg2vec {

template <class Result>
struct Outcome {
    std::string input;  // the path, or "batch[i]"
    std::optional<Result> result;
    ErrorCode error = ErrorCode::ok;
    std::string message;  // names the input and the reason

    bool ok() const { return error == ErrorCode::ok; }
};

}  // namespace acg2vec
